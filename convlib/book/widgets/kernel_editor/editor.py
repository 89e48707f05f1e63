"""The KernelEditor class: its state, and the wiring from the controls to the pictures.

The widgets come from :mod:`~convlib.book.widgets.kernel_editor.controls`, what they show from
:mod:`~convlib.book.widgets.kernel_editor.rendering`; here each control's change becomes one redraw.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np

from convlib.book.widgets.kernel_editor.controls import active_sliders, build_controls, lay_out_grid
from convlib.book.widgets.kernel_editor.inputs import KERNEL_SIZES, OPERATIONS, load_images, resolve_kernel
from convlib.book.widgets.kernel_editor.rendering import (
    input_label,
    output_label,
    readout_html,
    render,
    resolve_scaling,
    static_picture,
    widget_picture,
)
from convlib.book.widgets.live_view import LiveView
from convlib.book.widgets.pictures import ENCODINGS, SCALINGS, display_uint8, encode_gray
from convlib.padding import check_boundary
from convlib.validation import check_choice, check_positive_int


class KernelEditor(LiveView):
    """Edit a 3x3 or 5x5 kernel with sliders and watch the filtered image change as you drag.

    The output is ``correlate2d(image, kernel, mode="same", boundary=boundary)`` (what a CNN
    layer computes), or ``convolve2d`` when ``operation="convolve2d"``: computed by those very
    functions, so equal to them bit for bit. The picture shown is :meth:`output_uint8`,
    ``display_uint8(output, scaling_in_effect)``: the same bytes as
    ``convlib.images.to_uint8(output, scaling=scaling_in_effect)``. Unit tests can drive it without
    a browser: :meth:`set_weight`, :meth:`set_kernel`, or set a slider's ``value``.

    Parameters
    ----------
    image : array_like (H, W), dict of name → array_like, str or list of str
        Grayscale image(s): float in ``0..1`` or ``uint8`` (divided by 255). A dict or list gives
        an image chooser. Names (str) are loaded with ``convlib.images.load_image(name, gray=True)``.
    kernel : str or array_like
        A name from :data:`convlib.kernels.GALLERY`, or a 3x3 or 5x5 array. Weights are slider
        values: multiples of ``step`` within ``weight_range``; a kernel summing to 1 with other
        weights (``box(3)``) is shown as whole numbers with normalise on.
    size : {3, 5} or None
        Kernel size; ``None`` takes the kernel's. A 3x3 kernel in a 5x5 editor sits in the centre.
    normalise : bool or None
        Divide the weights by their sum (when the sum is not 0). ``None``: on only when the
        kernel needs it to be shown on the sliders' grid (the blurs of the gallery).
    operation : {"correlate2d", "convolve2d"}
    scaling : {"auto", "clip", "rescale", "abs"}
        How the output becomes gray levels (see :func:`display_uint8`); ``"auto"`` is ``"abs"``
        when the kernel sums to 0, else ``"clip"``.
    boundary : {"symmetric", "reflect", "edge", "constant", "wrap"}
        What lies beyond the border (``constant`` pads with zeros).
    name : str or None
        The image's name when ``image`` is a single array (default ``"image"``).
    step : float
        The sliders' step (default 0.25, exact in binary, so browser and kernel agree).
    weight_range : (float, float)
        The sliders' range, symmetric about 0 (default ``(-8, 8)``).
    display_size : int
        Width in pixels at which each picture is shown (it is sent at full size).
    encoding : {"bmp", "png", "png-stored"}
        Format of the live pictures (see :func:`encode_gray`).
    data_url : bool
        Send each picture as a ``data:`` URL (``ipywidgets.Image`` format ``"url"``) rather than as
        raw bytes, which the browser would turn into a ``blob:`` URL: Chromium shows it sooner.
        (``encoding`` and ``data_url`` apply to live updates; the first pictures, which a saved
        notebook keeps in its widget state, are compact PNGs.)

    Examples
    --------
    >>> image = np.linspace(0, 1, 64).reshape(8, 8)
    >>> editor = KernelEditor(image, kernel="sobel x", name="ramp")
    >>> editor
    KernelEditor(image='ramp', kernel='sobel x', size=3, normalise=False, operation='correlate2d', scaling='auto')
    >>> editor.set_weight(1, 1, 2.0)
    >>> editor.kernel[1]
    array([-2.,  2.,  2.])
    >>> from convlib import correlate2d
    >>> bool((editor.output == correlate2d(image, editor.kernel, mode="same", boundary="symmetric")).all())
    True
    """

    def __init__(
        self,
        image: object,
        kernel: str | object = "identity",
        *,
        size: int | None = None,
        normalise: bool | None = None,
        operation: str = "correlate2d",
        scaling: str = "auto",
        boundary: str = "symmetric",
        name: str | None = None,
        step: float = 0.25,
        weight_range: tuple[float, float] = (-8.0, 8.0),
        display_size: int = 256,
        encoding: str = "bmp",
        data_url: bool = True,
    ) -> None:
        self._images = load_images(image, name)
        check_choice(operation, "operation", OPERATIONS, "KernelEditor")
        check_choice(scaling, "scaling", SCALINGS, "KernelEditor")
        check_choice(encoding, "encoding", ENCODINGS, "KernelEditor")
        self._boundary = check_boundary(boundary, "KernelEditor")
        if not (isinstance(step, (int, float)) and step > 0 and np.isfinite(step)):
            raise ValueError(f"KernelEditor: step must be a positive number; got {step!r}")
        low, high = weight_range
        if not (np.isfinite(low) and np.isfinite(high) and low < 0 < high):
            raise ValueError(f"KernelEditor: weight_range must be (low, high), low < 0 < high; got {weight_range!r}")
        self._step = float(step)
        self._limit = float(min(-low, high))
        self._encoding = encoding
        self._data_url = bool(data_url)
        display_size = check_positive_int(display_size, "display_size", "KernelEditor", minimum=16)

        preset, weights, needs_normalise = resolve_kernel(kernel, self._step, self._limit)
        if size is None:
            size = weights.shape[0]
        if size not in KERNEL_SIZES:
            raise ValueError(f"KernelEditor: size must be one of {KERNEL_SIZES}; got {size!r}")
        if weights.shape[0] > size:
            raise ValueError(f"KernelEditor: a {weights.shape[0]}x{weights.shape[0]} kernel does not fit size={size}")
        if normalise is None:
            normalise = needs_normalise
        self._batch_depth = 0
        self._dirty = False
        self._live = False
        self._preset_weights: np.ndarray | None = None
        self.update_times_ms: list[float] = []  # kernel-side time of each picture update

        self._build_widgets(display_size, operation, scaling, bool(normalise), size, float(low), float(high))
        with self._batched():
            self._set_size(size)
            self._load_weights(weights)
            if preset is not None:
                self._preset.value = preset
                self._preset_weights = self.weights.copy()
        self._refresh_input()
        self._live = True

    # --- construction helpers ---

    def _build_widgets(
        self, display_size: int, operation: str, scaling: str, normalise: bool, size: int, low: float, high: float
    ) -> None:
        """Build the controls (see :func:`build_controls`), keep each one, and listen to them."""
        controls = build_controls(
            list(self._images), display_size=display_size, operation=operation, scaling=scaling,
            normalise=normalise, size=size, low=low, high=high, step=self._step,
        )  # fmt: skip
        self.widget = controls.root
        self._image_choice, self._preset, self._size = controls.image_choice, controls.preset, controls.size
        self._normalise, self._operation, self._scaling = controls.normalise, controls.operation, controls.scaling
        self._sliders, self._grid = controls.sliders, controls.grid
        self._input_image, self._input_label = controls.input_image, controls.input_label
        self._output_image, self._output_label = controls.output_image, controls.output_label
        self._readout = controls.readout
        self._own_widgets = controls.all_widgets

        for row in self._sliders:
            for slider in row:
                slider.observe(self._on_weight, names="value")
        self._preset.observe(self._on_preset, names="value")
        self._image_choice.observe(self._on_image, names="value")
        self._size.observe(self._on_size, names="value")
        for control in (self._normalise, self._operation, self._scaling):
            control.observe(self._on_setting, names="value")

    # --- state ---

    @property
    def size(self) -> int:
        """The kernel's size: 3 or 5."""
        return int(self._size.value)

    @size.setter
    def size(self, value: int) -> None:
        if value not in KERNEL_SIZES:
            raise ValueError(f"KernelEditor: size must be one of {KERNEL_SIZES}; got {value!r}")
        self._size.value = value

    @property
    def image_name(self) -> str:
        """The name of the image being filtered."""
        return str(self._image_choice.value)

    @image_name.setter
    def image_name(self, value: str) -> None:
        check_choice(value, "image_name", self._images, "KernelEditor")
        self._image_choice.value = value

    @property
    def image(self) -> np.ndarray:
        """The image being filtered: float64 in 0..1, read-only."""
        return self._images[self.image_name]

    @property
    def operation(self) -> str:
        """``"correlate2d"`` or ``"convolve2d"``."""
        return str(self._operation.value)

    @operation.setter
    def operation(self, value: str) -> None:
        self._operation.value = check_choice(value, "operation", OPERATIONS, "KernelEditor")

    @property
    def normalise(self) -> bool:
        """Whether the weights are divided by their sum (when it is not 0)."""
        return bool(self._normalise.value)

    @normalise.setter
    def normalise(self, value: bool) -> None:
        self._normalise.value = bool(value)

    @property
    def scaling(self) -> str:
        """The chosen scaling, possibly ``"auto"``; see :attr:`scaling_in_effect`."""
        return str(self._scaling.value)

    @scaling.setter
    def scaling(self, value: str) -> None:
        self._scaling.value = check_choice(value, "scaling", SCALINGS, "KernelEditor")

    @property
    def scaling_in_effect(self) -> str:
        """``"clip"``, ``"rescale"`` or ``"abs"``: how the output shown was made."""
        return resolve_scaling(self.scaling, float(self.weights.sum()))

    @property
    def boundary(self) -> str:
        """The border mode used for ``mode="same"``."""
        return self._boundary

    @property
    def preset(self) -> str:
        """The gallery name of the kernel, or ``"custom"`` once a weight differs from it."""
        return str(self._preset.value)

    @preset.setter
    def preset(self, value: str) -> None:
        check_choice(value, "preset", self._preset.options, "KernelEditor")
        self._preset.value = value

    @property
    def sliders(self) -> list[list[widgets.FloatSlider]]:
        """The active weight sliders, ``size`` rows of ``size``."""
        return active_sliders(self._sliders, self.size)

    @property
    def output_image_widget(self) -> widgets.Image:
        """The ``ipywidgets.Image`` showing the output."""
        return self._output_image

    @property
    def weights(self) -> np.ndarray:
        """The slider values, shape ``(size, size)`` (before normalising)."""
        return np.array([[slider.value for slider in row] for row in self.sliders], dtype=np.float64)

    @property
    def kernel(self) -> np.ndarray:
        """The kernel applied: :attr:`weights`, divided by their sum if :attr:`normalise` and it is not 0."""
        return self._kernel.copy()

    @property
    def output(self) -> np.ndarray:
        """The filter's result, float64, read-only: equal to ``correlate2d(image, kernel, mode="same",
        boundary=boundary)`` (``convolve2d`` if that is the operation)."""
        return self._output

    def output_uint8(self) -> np.ndarray:
        """The gray levels shown: ``display_uint8(output, scaling_in_effect)``."""
        return self._output_uint8.copy()

    def set_weight(self, row: int, column: int, value: float) -> None:
        """Set one weight (as if its slider moved); the output updates."""
        size = self.size
        if not (0 <= row < size and 0 <= column < size):
            raise IndexError(f"KernelEditor.set_weight: row and column must be in 0..{size - 1}; got {(row, column)}")
        self.sliders[row][column].value = value

    def set_kernel(self, kernel: str | object, normalise: bool | None = None) -> None:
        """Load a gallery name or a 3x3/5x5 array into the sliders (a 5x5 array switches to 5x5)."""
        preset, weights, needs_normalise = resolve_kernel(kernel, self._step, self._limit)
        with self._batched():
            if weights.shape[0] > self.size:
                self._size.value = weights.shape[0]
            self._load_weights(weights)
            if normalise is not None:
                self._normalise.value = bool(normalise)
            elif needs_normalise:
                self._normalise.value = True
            self._preset_weights = self.weights.copy() if preset is not None else None
            self._preset.value = preset if preset is not None else "custom"

    # --- updating ---

    @contextmanager
    def _batched(self):
        """Make several changes, then draw once."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._dirty:
                self._dirty = False
                self._refresh()

    def _changed(self) -> None:
        if self._batch_depth:
            self._dirty = True
        else:
            self._refresh()

    def _load_weights(self, weights: np.ndarray) -> None:
        size = self.size
        full = np.zeros((size, size))
        offset = (size - weights.shape[0]) // 2
        full[offset : offset + weights.shape[0], offset : offset + weights.shape[1]] = weights
        for row, values in zip(self.sliders, full):
            for slider, value in zip(row, values):
                slider.value = float(value)
        self._dirty = True

    def _set_size(self, size: int) -> None:
        self._size.value = size
        lay_out_grid(self._grid, self._sliders, size)
        self._dirty = True

    def _on_weight(self, change: dict) -> None:
        if not self._batch_depth and self._preset.value != "custom":
            if self._preset_weights is None or not np.array_equal(self.weights, self._preset_weights):
                with self._batched():
                    self._preset.value = "custom"
        self._changed()

    def _on_preset(self, change: dict) -> None:
        if self._batch_depth or change["new"] == "custom":
            return
        self.set_kernel(change["new"])

    def _on_size(self, change: dict) -> None:
        old, new = change["old"], change["new"]
        kept = np.array([[slider.value for slider in row] for row in active_sliders(self._sliders, old)])
        with self._batched():
            self._set_size(new)
            if new > old:  # embed the small kernel in the centre of a zero border
                self._load_weights(kept)
            if self._preset.value != "custom":
                self._preset_weights = self.weights.copy()

    def _on_image(self, change: dict) -> None:
        self._refresh_input()
        self._changed()

    def _on_setting(self, change: dict) -> None:
        self._changed()

    def _refresh_input(self) -> None:
        self._input_image.value = encode_gray(display_uint8(self.image, "clip"), "png")
        self._input_label.value = input_label(self.image_name, self.image)

    def _refresh(self) -> None:
        """Filter, convert, send: the work done on every slider move."""
        start = time.perf_counter()
        rendering = render(
            self.image, self.weights, normalise=self.normalise, operation=self.operation,
            boundary=self._boundary, scaling=self.scaling,
        )  # fmt: skip
        self._kernel, self._output, self._output_uint8 = rendering.kernel, rendering.output, rendering.pixels
        value, picture_format = widget_picture(
            rendering.pixels, encoding=self._encoding, data_url=self._data_url, live=self._live
        )
        with self._output_image.hold_sync():  # format and picture travel in one message
            self._output_image.format = picture_format
            self._output_image.value = value
        elapsed = (time.perf_counter() - start) * 1e3
        self.update_times_ms.append(elapsed)
        del self.update_times_ms[:-1000]
        self._output_label.value = output_label(self.operation)
        self._readout.value = readout_html(
            rendering, normalise=self.normalise, boundary=self._boundary, elapsed_ms=elapsed
        )

    # --- the static picture and the text ---

    def _plain_text(self) -> str:
        return (
            f"KernelEditor(image={self.image_name!r}, kernel={self.preset!r}, size={self.size}, "
            f"normalise={self.normalise}, operation={self.operation!r}, scaling={self.scaling!r})"
        )

    def static_png(self) -> bytes:
        """Input, kernel and output side by side, as a PNG (the picture shown without a kernel)."""
        return static_picture(
            image=self.image, image_name=self.image_name, kernel=self._kernel, preset=self.preset,
            normalise=self.normalise, pixels=self._output_uint8, operation=self.operation,
            scaling=self.scaling_in_effect,
        )  # fmt: skip

"""KernelEditor: edit a 3x3 or 5x5 kernel with sliders on a grayscale image and watch the output as you drag.

Speed (KernelEditor)
--------------------
Most of the time between a key press and the new picture is the round trip browser → server →
kernel → server → browser and the browser's decoding and painting; the kernel's part is kept small
(a few milliseconds for a 512x512 image):

* the filter is convlib's own ``correlate2d``/``convolve2d`` (so ``editor.output`` *is* their
  result, bit for bit, whatever method they pick);
* the conversion to gray levels is :func:`convlib.images.to_uint8`'s arithmetic done in place
  (:func:`~convlib.pictures.display_uint8`: the same bytes, several times faster);
* the picture is an uncompressed 8-bit BMP (``encoding="bmp"``): about 0.1 ms to make, against
  4-8 ms for a zlib-compressed PNG. It is lossless, so the picture shown is exactly
  :meth:`KernelEditor.output_uint8`;
* it travels as a ``data:`` URL (``data_url=True``): Chromium shows it sooner than the
  ``blob:`` URL ipywidgets makes from raw bytes.

Updates are coalesced by ipywidgets itself: while the kernel is busy with one slider value,
the browser holds back the next ones and then sends only the latest.
"""

from __future__ import annotations

import base64
import html
import time
from collections.abc import Mapping, Sequence
from contextlib import contextmanager

import ipywidgets as widgets
import numpy as np

from convlib import kernels
from convlib.convolution import convolve2d, correlate2d
from convlib.live_view import LiveView, read_only
from convlib.padding import check_boundary
from convlib.pictures import ENCODINGS, SCALINGS, display_uint8, encode_gray, png_of_figure
from convlib.validation import as_numeric_array, check_choice, check_positive_int

#: The two operations the editor can show. ``correlate2d`` slides the kernel as it is (what a
#: CNN layer computes); ``convolve2d`` flips it on both axes first.
OPERATIONS = ("correlate2d", "convolve2d")


#: Kernel sizes the editor offers.
KERNEL_SIZES = (3, 5)


def _check_gray_image(image: object, name: str) -> np.ndarray:
    """A grayscale image as read-only float64 in [0, 1], or a helpful error."""
    array = as_numeric_array(image, f"image {name!r}")
    if array.ndim == 3 and array.shape[-1] in (3, 4):
        raise ValueError(
            f"KernelEditor: image {name!r} looks like a colour image of shape {array.shape}; the editor "
            "takes grayscale (H, W). Load it with load_image(name, gray=True), or average the channels: "
            "image.mean(axis=-1)."
        )
    if array.ndim != 2:
        raise ValueError(f"KernelEditor: image {name!r} must be 2-D (H, W); got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"KernelEditor: image {name!r} must not be empty; got shape {array.shape}")
    if array.dtype.kind == "c":
        raise TypeError(f"KernelEditor: image {name!r} must be real; got dtype {array.dtype}")
    if array.dtype == np.uint8:
        return read_only(array / 255.0)
    if array.dtype.kind in "iu":
        raise TypeError(
            f"KernelEditor: image {name!r} has integer dtype {array.dtype}; give brightness in 0..1 "
            "(for 0..255 data, divide by 255)"
        )
    array = array.astype(np.float64)  # a copy: the caller may change theirs
    if not np.all(np.isfinite(array)):
        raise ValueError(f"KernelEditor: image {name!r} contains NaN or infinity")
    low, high = float(array.min()), float(array.max())
    if low < 0.0 or high > 1.0:
        raise ValueError(
            f"KernelEditor: image {name!r} must hold brightness in 0..1; got values from {low:.4g} to "
            f"{high:.4g}. Divide 0..255 data by 255, or rescale: (image - image.min()) / np.ptp(image)."
        )
    return read_only(array)


def _load_images(image: object, name: str | None) -> dict[str, np.ndarray]:
    if isinstance(image, str):
        image = [image]
    if isinstance(image, Sequence) and image and all(isinstance(item, str) for item in image):
        from convlib.images import load_image  # the sample photographs, only when asked for by name

        return {item: _check_gray_image(load_image(item, gray=True), item) for item in image}
    if isinstance(image, Mapping):
        if not image:
            raise ValueError("KernelEditor: image must not be an empty dict; give at least one name → array")
        for key in image:
            if not isinstance(key, str):
                raise TypeError(f"KernelEditor: the image dict's keys must be names (str); got {key!r}")
        return {key: _check_gray_image(value, key) for key, value in image.items()}
    label = "image" if name is None else name
    return {label: _check_gray_image(image, label)}


def _as_weights(kernel: np.ndarray, step: float, limit: float) -> tuple[np.ndarray, bool]:
    """Slider weights for ``kernel`` and whether to normalise, or raise ``ValueError``.

    Weights must sit on the sliders' grid (multiples of ``step`` within ``±limit``). A kernel that
    sums to 1 but is off the grid (``box(3)``, the binomial blur) is given as whole-number weights
    to be divided by their sum: ``[[1, 2, 1], [2, 4, 2], [1, 2, 1]]`` with normalise on.
    """
    on_grid = np.round(kernel / step) * step
    if np.allclose(kernel, on_grid, rtol=0, atol=1e-9) and np.abs(on_grid).max() <= limit:
        return on_grid, False
    if abs(kernel.sum() - 1.0) < 1e-9:
        for denominator in range(2, 257):
            scaled = kernel * denominator
            whole = np.round(scaled)
            if np.allclose(scaled, whole, rtol=0, atol=1e-6) and np.abs(whole).max() <= limit:
                return whole, True
    raise ValueError(
        f"KernelEditor: kernel weights must be multiples of step={step:g} within ±{limit:g} (the sliders' "
        f"grid), or sum to 1 and be whole numbers over a common denominator; got\n{kernel}\n"
        "Pass whole-number weights with normalise=True (e.g. np.round(kernel / kernel.min()) ), or a finer step="
    )


_LABEL = "<div style='line-height: 1.35; font-size: 12px; white-space: nowrap'>{}</div>"

# Narrower slider readouts, so that a 5x5 grid of sliders fits beside the pictures.
_STYLE = (
    "<style>.convlib-kernel-editor .convlib-weights .widget-readout"
    " { min-width: 3.1em; max-width: 3.1em; margin-left: 1px; }</style>"
)


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
        self._images = _load_images(image, name)
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

        preset, weights, needs_normalise = self._resolve_kernel(kernel)
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

    def _resolve_kernel(self, kernel: object) -> tuple[str | None, np.ndarray, bool]:
        if isinstance(kernel, str):
            if kernel not in kernels.GALLERY:
                listed = ", ".join(repr(k) for k in kernels.GALLERY)
                raise ValueError(f"KernelEditor: kernel must be one of {listed}, or an array; got {kernel!r}")
            array, preset = kernels.GALLERY[kernel](), kernel
        else:
            array, preset = as_numeric_array(kernel, "kernel").astype(np.float64), None
            if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] not in KERNEL_SIZES:
                raise ValueError(f"KernelEditor: kernel must be 3x3 or 5x5; got shape {array.shape}")
            if not np.all(np.isfinite(array)):
                raise ValueError("KernelEditor: kernel contains NaN or infinity")
        weights, needs_normalise = _as_weights(array, self._step, self._limit)
        return preset, weights, needs_normalise

    def _build_widgets(
        self, display_size: int, operation: str, scaling: str, normalise: bool, size: int, low: float, high: float
    ) -> None:
        width = f"{display_size}px"
        names = list(self._images)
        self._image_choice = widgets.Dropdown(
            options=names, value=names[0], description="image", disabled=len(names) == 1,
            layout=widgets.Layout(width="200px"), style={"description_width": "50px"},
        )  # fmt: skip
        self._preset = widgets.Dropdown(
            options=["custom", *kernels.GALLERY], value="custom", description="preset",
            layout=widgets.Layout(width="200px"), style={"description_width": "50px"},
        )  # fmt: skip
        self._size = widgets.ToggleButtons(
            options=[("3×3", 3), ("5×5", 5)], value=size, tooltips=["3x3 kernel", "5x5 kernel"],
            style={"button_width": "48px"}, layout=widgets.Layout(width="auto"),
        )  # fmt: skip
        self._normalise = widgets.Checkbox(
            value=normalise, description="normalise (÷ sum)", indent=False, layout=widgets.Layout(width="150px")
        )
        self._operation = widgets.ToggleButtons(
            options=list(OPERATIONS), value=operation,
            tooltips=["slide the kernel as it is (a CNN layer)", "flip the kernel on both axes first"],
            style={"button_width": "104px"}, layout=widgets.Layout(width="auto"),
        )  # fmt: skip
        self._scaling = widgets.Dropdown(
            options=list(SCALINGS),
            value=scaling, description="show", layout=widgets.Layout(width="150px"),
            style={"description_width": "40px"},
        )  # fmt: skip
        self._sliders = [
            [
                widgets.FloatSlider(
                    value=0.0,
                    min=low,
                    max=high,
                    step=self._step,
                    continuous_update=True,
                    readout=True,
                    readout_format=".2f",
                    tooltip=f"weight ({row}, {column})",
                    layout=widgets.Layout(width="auto", min_width="0"),
                )
                for column in range(5)
            ]
            for row in range(5)
        ]
        self._grid = widgets.GridBox(layout=widgets.Layout(grid_gap="0px 4px", width="auto"))
        # The first pictures are compact PNGs (they are what a saved notebook's widget state keeps);
        # live updates switch the output to the fast format.
        self._input_image = widgets.Image(format="png", layout=widgets.Layout(width=width))
        self._output_image = widgets.Image(format="png", layout=widgets.Layout(width=width))
        self._input_label = widgets.HTML()
        self._output_label = widgets.HTML()
        self._readout = widgets.HTML()
        style = widgets.HTML(_STYLE, layout=widgets.Layout(display="none"))
        controls = widgets.VBox(
            [
                widgets.HBox([self._preset, self._image_choice]),
                widgets.HBox([self._size, self._operation]),
                widgets.HBox([self._normalise, self._scaling]),
                self._grid,
                self._readout,
                style,
            ],
            layout=widgets.Layout(width="540px"),
        )
        pictures = [
            widgets.VBox([self._input_label, self._input_image], layout=widgets.Layout(width=width)),
            widgets.VBox([self._output_label, self._output_image], layout=widgets.Layout(width=width)),
        ]
        self.widget = widgets.HBox(
            [*pictures, controls],
            layout=widgets.Layout(align_items="flex-start", flex_flow="row wrap", width="auto"),
        )
        self.widget.add_class("convlib-kernel-editor")
        for widget, name in (
            (self._output_image, "output"), (self._input_image, "input"), (self._grid, "weights"),
            (self._preset, "preset"), (self._image_choice, "image-choice"), (self._size, "size"),
            (self._normalise, "normalise"), (self._operation, "operation"), (self._scaling, "scaling"),
            (self._readout, "readout"),
        ):  # fmt: skip
            widget.add_class(f"convlib-{name}")  # stable hooks for the browser test and for CSS
        self._own_widgets = [
            self.widget, controls, *pictures, *controls.children[:3], self._grid, self._image_choice, self._preset,
            self._size, self._normalise, self._operation, self._scaling, self._input_image, self._output_image,
            self._input_label, self._output_label, self._readout, style, *(s for row in self._sliders for s in row),
        ]  # fmt: skip

        for row in self._sliders:
            for slider in row:
                slider.observe(self._on_weight, names="value")
        self._preset.observe(self._on_preset, names="value")
        self._image_choice.observe(self._on_image, names="value")
        self._size.observe(self._on_size, names="value")
        for control in (self._normalise, self._operation, self._scaling):
            control.observe(self._on_setting, names="value")

    @property
    def _widget_format(self) -> str:
        return "url" if self._data_url else self._encoding.split("-")[0]

    def _picture(self, pixels: np.ndarray) -> bytes:
        """The ``ipywidgets.Image`` value for ``pixels``: the file's bytes, or a ``data:`` URL of them."""
        data = encode_gray(pixels, self._encoding)
        if not self._data_url:
            return data
        mime = "image/bmp" if self._encoding == "bmp" else "image/png"
        return f"data:{mime};base64,".encode("ascii") + base64.b64encode(data)

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
        if self.scaling != "auto":
            return self.scaling
        return "abs" if self.weights.sum() == 0 else "clip"

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
        offset = (5 - self.size) // 2
        return [row[offset : offset + self.size] for row in self._sliders[offset : offset + self.size]]

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
        preset, weights, needs_normalise = self._resolve_kernel(kernel)
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
        self._grid.children = tuple(slider for row in self.sliders for slider in row)
        self._grid.layout.grid_template_columns = f"repeat({size}, minmax(0, 1fr))"
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
        offset = (5 - old) // 2
        kept = np.array([[s.value for s in row[offset : offset + old]] for row in self._sliders[offset : offset + old]])
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
        height, width = self.image.shape
        self._input_label.value = _LABEL.format(
            f"<b>input</b>: {html.escape(self.image_name)}<br>{height}×{width} pixels, brightness 0..1"
        )

    def _refresh(self) -> None:
        """Filter, convert, send: the work done on every slider move."""
        start = time.perf_counter()
        weights = self.weights
        total = float(weights.sum())
        kernel = weights / total if self.normalise and total != 0 else weights
        self._kernel = kernel
        function = correlate2d if self.operation == "correlate2d" else convolve2d
        output = function(self.image, kernel, mode="same", boundary=self._boundary)
        output.flags.writeable = False
        self._output = output
        scaling = self.scaling_in_effect
        self._output_uint8 = display_uint8(output, scaling)
        if self._live:
            value, picture_format = self._picture(self._output_uint8), self._widget_format
        else:
            value, picture_format = encode_gray(self._output_uint8, "png"), "png"
        with self._output_image.hold_sync():  # format and picture travel in one message
            self._output_image.format = picture_format
            self._output_image.value = value
        elapsed = (time.perf_counter() - start) * 1e3
        self.update_times_ms.append(elapsed)
        del self.update_times_ms[:-1000]
        how = "the kernel slid as it is, as in a CNN" if self.operation == "correlate2d" else "the kernel flipped first"
        self._output_label.value = _LABEL.format(f"<b>output</b>: <code>{self.operation}</code>, mode='same'<br>{how}")
        self._readout.value = self._readout_html(total, scaling, elapsed)

    def _readout_html(self, total: float, scaling: str, elapsed_ms: float) -> str:
        low, high = float(self._output.min()), float(self._output.max())
        if not self.normalise:
            note = ""
        elif total == 0:
            note = " (sum is 0: not normalised)"
        else:
            note = f" → kernel = weights ÷ {total:g}"
        shown = {
            "clip": "values clipped to 0..1",
            "rescale": "min → black, max → white",
            "abs": "|value| ÷ max |value|",
        }[scaling]
        return (
            f"<div style='line-height:1.4'>sum of weights = <b class='convlib-sum'>{total:g}</b>{note}<br>"
            f"output min = <b class='convlib-min'>{low:.3g}</b>, max = <b class='convlib-max'>{high:.3g}</b>"
            f" · shown: {shown}<br>"
            f"<span style='color:var(--jp-ui-font-color2, gray)'>mode='same', boundary='{self._boundary}'"
            f" · kernel-side update <span class='convlib-update-ms'>{elapsed_ms:.1f}</span> ms</span></div>"
        )

    # --- the static picture and the text ---

    def _plain_text(self) -> str:
        return (
            f"KernelEditor(image={self.image_name!r}, kernel={self.preset!r}, size={self.size}, "
            f"normalise={self.normalise}, operation={self.operation!r}, scaling={self.scaling!r})"
        )

    def static_png(self) -> bytes:
        """Input, kernel and output side by side, as a PNG (the picture shown without a kernel)."""
        from matplotlib.figure import Figure  # only when a static picture is asked for

        figure = Figure(figsize=(9.6, 3.4), dpi=80, layout="constrained")
        left, middle, right = figure.subplots(1, 3, width_ratios=[1, 0.8, 1])
        left.imshow(self.image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        left.set_title(f"input: {self.image_name}")
        kernel = self._kernel
        limit = max(float(np.abs(kernel).max()), 1e-12)
        middle.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
        for (row, column), value in np.ndenumerate(kernel):
            middle.text(column, row, f"{value:.3g}", ha="center", va="center", fontsize=9 if self.size == 3 else 7)
        middle.set_title(f"kernel: {self.preset}" + (" (normalised)" if self.normalise else ""))
        right.imshow(self._output_uint8, cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        right.set_title(f"{self.operation}, shown: {self.scaling_in_effect}")
        for axes in (left, middle, right):
            axes.set_xticks([])
            axes.set_yticks([])
        figure.suptitle("KernelEditor (static picture: run the notebook to drag the weights)", fontsize=10)
        return png_of_figure(figure)


# --- MovingAverageExplorer --------------------------------------------------------------------------------

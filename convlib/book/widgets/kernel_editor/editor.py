"""The KernelEditor: its state in Python, its live view in the browser.

The state lives in the traits of :class:`KernelEditorModel` (an anywidget): the browser's module
(``js/kernel_editor.js``) reads and writes them, and filters the photograph itself on every drag.
Python computes the same picture on demand (:func:`~convlib.book.widgets.kernel_editor.rendering.render`),
so ``editor.output`` is the reference the notebooks assert against.
"""

from __future__ import annotations

import math

import numpy as np
import traitlets

from convlib import kernels
from convlib.book.widgets.browser_view import BrowserView
from convlib.book.widgets.kernel_editor.inputs import KERNEL_SIZES, OPERATIONS, load_images, resolve_kernel
from convlib.book.widgets.kernel_editor.rendering import render, resolve_scaling, static_picture
from convlib.book.widgets.live_view import LiveView, read_only
from convlib.book.widgets.pictures import SCALINGS
from convlib.images import scale_to_uint8
from convlib.padding import PAD_MODES, check_boundary
from convlib.validation import as_real_number, check_bool, check_choice, check_positive_int


class KernelEditorModel(BrowserView):
    """The editor's state, shared by Python and the browser (see ``js/kernel_editor.js``)."""

    _module = "kernel_editor"
    images = traitlets.Dict().tag(sync=True)  # name -> {"width", "height", "pixels": bytes}, sent once
    image_name = traitlets.Unicode().tag(sync=True)
    size = traitlets.Int(3).tag(sync=True)
    weights = traitlets.List(traitlets.Float()).tag(sync=True)  # row-major, size * size
    normalise = traitlets.Bool(False).tag(sync=True)
    operation = traitlets.Unicode("correlate2d").tag(sync=True)
    boundary = traitlets.Unicode("symmetric").tag(sync=True)
    boundaries = traitlets.List(traitlets.Unicode()).tag(sync=True)
    scaling = traitlets.Unicode("auto").tag(sync=True)
    preset = traitlets.Unicode("custom").tag(sync=True)
    presets = traitlets.Dict().tag(sync=True)  # name -> {"size", "weights", "normalise"}
    step = traitlets.Float(0.25).tag(sync=True)
    limit = traitlets.Float(8.0).tag(sync=True)
    display_size = traitlets.Int(420).tag(sync=True)


def _check_size(value: object, function: str) -> int:
    """``value`` as 3 or 5 (an integer, not ``3.0``), or a ``ValueError`` naming ``size``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value not in KERNEL_SIZES:
        raise ValueError(f"{function}: size must be one of {KERNEL_SIZES}; got {value!r}")
    return int(value)


def _check_weight_range(weight_range: object, function: str) -> float:
    """The limit of the weights, ``min(-low, high)``, for ``weight_range=(low, high)`` with ``low < 0 < high``."""
    message = f"{function}: weight_range must be (low, high), finite numbers with low < 0 < high; got {weight_range!r}"
    try:
        low, high = weight_range  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ValueError(message) from None
    low = as_real_number(low, "weight_range[0]", function)
    high = as_real_number(high, "weight_range[1]", function)
    if not (math.isfinite(low) and math.isfinite(high) and low < 0 < high):
        raise ValueError(message)
    return float(min(-low, high))


def _snap(value: float, step: float, limit: float) -> float:
    """``value`` on the grid of weights exactly as the browser's ``snap`` does it (``js/kernel_editor.js``).

    ``Math.round(value / step) * step`` (halves go up, towards +infinity, where ``numpy.round`` would go
    to even), clipped to ``±limit``, and ``-0`` turned into ``0``.
    """
    value = min(max(value, -(limit + step)), limit + step)  # beyond the range either way; no overflow below
    steps = value / step
    whole = math.floor(steps)
    if steps - whole >= 0.5:  # exact: steps - floor(steps) has no rounding error
        whole += 1
    return min(limit, max(-limit, whole * step)) + 0.0


def _embed(weights: np.ndarray, size: int) -> np.ndarray:
    """``weights`` (k x k) in the centre of a size x size kernel of zeros, or its centre if larger."""
    k = weights.shape[0]
    if k >= size:
        offset = (k - size) // 2
        return weights[offset : offset + size, offset : offset + size].copy()
    full = np.zeros((size, size))
    offset = (size - k) // 2
    full[offset : offset + k, offset : offset + k] = weights
    return full


class KernelEditor(LiveView):
    """Edit a 3x3 or 5x5 kernel and watch the filtered photograph change as you drag, typed or by keyboard.

    The picture is computed in the browser (``js/kernel_editor.js``), so it follows the pointer
    without a trip to Python, and stays live in an HTML export with no kernel. Python holds the
    state and is the reference: :attr:`output` is ``correlate2d(image, kernel, mode="same",
    boundary=boundary)`` (or ``convolve2d`` with ``operation="convolve2d"``), computed by convlib's
    readable shift-and-add in the browser's order, so :meth:`output_uint8` equals the picture shown
    pixel for pixel, and :attr:`output` equals :func:`convlib.correlate2d` to rounding.

    Images are 8-bit pictures (a float image is rounded to 256 gray levels, as it is shown), so what
    the browser filters is exactly :attr:`image`.

    Parameters
    ----------
    image : array_like (H, W), dict of name → array_like, str or list of str
        Grayscale image(s): float in ``0..1`` or ``uint8``. A dict or list gives an image chooser.
        Names (str) are loaded with ``convlib.images.load_image(name, gray=True)``.
    kernel : str or array_like
        A name from :data:`convlib.kernels.GALLERY`, or a 3x3 or 5x5 array. Weights are multiples of
        ``step`` within ``weight_range``; a kernel summing to 1 with other weights (``box(3)``) is
        shown as whole numbers with normalise on.
    size : {3, 5} or None
        Kernel size; ``None`` takes the kernel's. A 3x3 kernel in a 5x5 editor sits in the centre.
    normalise : bool or None
        Divide the weights by their sum (when the sum is not 0). ``None``: on only when the kernel
        needs it to be shown on the grid of weights (the blurs of the gallery).
    operation : {"correlate2d", "convolve2d"}
    scaling : {"auto", "clip", "rescale", "abs"}
        How the output becomes gray levels (see :func:`convlib.images.scale_to_uint8`); ``"auto"``
        is ``"abs"`` when the kernel sums to 0, else ``"clip"``.
    boundary : {"symmetric", "reflect", "edge", "constant", "wrap"}
        What lies beyond the border (``constant`` pads with zeros); the view lets you change it.
    name : str or None
        The image's name when ``image`` is a single array (default ``"image"``).
    step : float
        The weights' step (default 0.25, exact in binary, so browser and Python agree).
    weight_range : (float, float)
        The weights' range, symmetric about 0 (default ``(-8, 8)``).
    display_size : int
        The largest width in CSS pixels at which each picture is shown (default 420); narrower where
        the notebook is, so that both pictures and the kernel fit a 1280x720 screen with JupyterLab's
        sidebar open.

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
    >>> expected = correlate2d(editor.image, editor.kernel, mode="same", boundary="symmetric")
    >>> bool(np.allclose(editor.output, expected, rtol=0, atol=1e-12))
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
        display_size: int = 420,
    ) -> None:
        function = "KernelEditor"
        pictures = {key: scale_to_uint8(value, "clip") for key, value in load_images(image, name).items()}
        self._images = {key: read_only(pixels / 255.0) for key, pixels in pictures.items()}
        check_choice(operation, "operation", OPERATIONS, function)
        check_choice(scaling, "scaling", SCALINGS, function)
        boundary = check_boundary(boundary, function)
        self._step = as_real_number(step, "step", function, low=0, closed_low=False, finite=True)
        self._limit = _check_weight_range(weight_range, function)
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{function}: name must be a str (the image's name) or None; got {name!r}")
        display_size = check_positive_int(display_size, "display_size", function, minimum=16)

        preset, weights, needs_normalise = resolve_kernel(kernel, self._step, self._limit)
        size = weights.shape[0] if size is None else _check_size(size, function)
        if weights.shape[0] > size:
            raise ValueError(f"{function}: a {weights.shape[0]}x{weights.shape[0]} kernel does not fit size={size}")
        if normalise is None:
            normalise = needs_normalise
        self._cache: tuple[tuple, object] | None = None
        self.widget = KernelEditorModel(
            images={
                key: {"width": int(p.shape[1]), "height": int(p.shape[0]), "pixels": p.tobytes()}
                for key, p in pictures.items()
            },
            image_name=next(iter(pictures)), size=size, weights=_embed(weights, size).ravel().tolist(),
            normalise=check_bool(normalise, "normalise", function), operation=operation, boundary=boundary,
            boundaries=list(PAD_MODES), scaling=scaling, preset=preset or "custom", presets=self._presets(),
            step=self._step, limit=self._limit, display_size=display_size,
        )  # fmt: skip
        self._own_widgets = [self.widget]

    def _presets(self) -> dict[str, dict[str, object]]:
        """Every gallery kernel on the grid of weights, for the browser's preset chooser.

        A kernel the grid cannot hold (``edge detect``'s 8 with ``weight_range=(-4, 4)``) is left out,
        rather than refusing the editor; choosing it from Python raises ``resolve_kernel``'s ``ValueError``.
        """
        table = {}
        for name in kernels.GALLERY:
            try:
                _, weights, needs_normalise = resolve_kernel(name, self._step, self._limit)
            except ValueError:
                continue
            table[name] = {"size": weights.shape[0], "weights": weights.ravel().tolist(), "normalise": needs_normalise}
        return table

    # --- state ---

    @property
    def size(self) -> int:
        """The kernel's size, 3 or 5. Growing puts the kernel in the centre of zeros; shrinking keeps its centre."""
        return self.widget.size

    @size.setter
    def size(self, value: int) -> None:
        value = _check_size(value, "KernelEditor")
        if value == self.size:
            return
        weights = _embed(self.weights, value)
        preset = self.preset if value > self.size else "custom"
        with self.widget.hold_sync():
            self.widget.size = value
            self.widget.weights = weights.ravel().tolist()
            self.widget.preset = preset

    @property
    def image_name(self) -> str:
        """The image shown (one of the names given)."""
        return self.widget.image_name

    @image_name.setter
    def image_name(self, value: str) -> None:
        self.widget.image_name = check_choice(value, "image_name", list(self._images), "KernelEditor")

    @property
    def image(self) -> np.ndarray:
        """The image filtered: 8-bit gray levels / 255, shape (H, W), read-only."""
        return self._images[self.image_name]

    @property
    def operation(self) -> str:
        """``"correlate2d"`` (as a CNN layer) or ``"convolve2d"`` (the kernel flipped)."""
        return self.widget.operation

    @operation.setter
    def operation(self, value: str) -> None:
        self.widget.operation = check_choice(value, "operation", OPERATIONS, "KernelEditor")

    @property
    def normalise(self) -> bool:
        """Whether the kernel is the weights divided by their sum (when it is not 0)."""
        return self.widget.normalise

    @normalise.setter
    def normalise(self, value: bool) -> None:
        self.widget.normalise = check_bool(value, "normalise", "KernelEditor")

    @property
    def scaling(self) -> str:
        """How the output becomes gray levels, as chosen: ``"auto"``, ``"clip"``, ``"rescale"`` or ``"abs"``."""
        return self.widget.scaling

    @scaling.setter
    def scaling(self, value: str) -> None:
        self.widget.scaling = check_choice(value, "scaling", SCALINGS, "KernelEditor")

    @property
    def scaling_in_effect(self) -> str:
        """The scaling used: ``"auto"`` resolved by the weights' sum."""
        return resolve_scaling(self.scaling, float(self.weights.sum()))

    @property
    def boundary(self) -> str:
        """What lies beyond the border (numpy.pad's names)."""
        return self.widget.boundary

    @boundary.setter
    def boundary(self, value: str) -> None:
        self.widget.boundary = check_boundary(value, "KernelEditor")

    @property
    def preset(self) -> str:
        """The gallery name of the kernel, or ``"custom"`` once a weight differs from it."""
        return self.widget.preset

    @preset.setter
    def preset(self, value: str) -> None:
        self.set_kernel(check_choice(value, "preset", list(kernels.GALLERY), "KernelEditor"))

    @property
    def weights(self) -> np.ndarray:
        """The weights as set, shape (size, size) (before any division by their sum)."""
        return np.array(self.widget.weights, dtype=np.float64).reshape(self.size, self.size)

    @property
    def kernel(self) -> np.ndarray:
        """The kernel applied: the weights, divided by their sum when normalising (and it is not 0). A copy."""
        return self._render().kernel.copy()

    @property
    def output(self) -> np.ndarray:
        """The filtered image (read-only): what the browser computes, computed by convlib."""
        return self._render().output

    def output_uint8(self) -> np.ndarray:
        """The picture shown: ``scale_to_uint8(output, scaling_in_effect)``. A copy."""
        return self._render().pixels.copy()

    def _render(self):
        key = (self.image_name, tuple(self.widget.weights), self.normalise, self.operation, self.boundary, self.scaling)
        if self._cache is None or self._cache[0] != key:
            rendering = render(
                self.image, self.weights, normalise=self.normalise, operation=self.operation,
                boundary=self.boundary, scaling=self.scaling,
            )  # fmt: skip
            self._cache = (key, rendering)
        return self._cache[1]

    def set_weight(self, row: int, column: int, value: float) -> None:
        """Set one weight, as a drag or a typed number does: rounded to the step, clipped to the range."""
        size = self.size
        for index, label in ((row, "row"), (column, "column")):
            if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
                raise TypeError(f"KernelEditor.set_weight: {label} must be an integer; got {index!r}")
        if not (0 <= row < size and 0 <= column < size):
            raise IndexError(f"KernelEditor.set_weight: row and column must be in 0..{size - 1}; got {(row, column)}")
        value = as_real_number(value, "value", "KernelEditor.set_weight", finite=True)
        weights = list(self.widget.weights)
        weights[row * size + column] = _snap(value, self._step, self._limit)
        with self.widget.hold_sync():
            self.widget.weights = weights
            if self.preset != "custom" and not self._matches_preset(weights):
                self.widget.preset = "custom"

    def _matches_preset(self, weights: list[float]) -> bool:
        entry = self.widget.presets[self.preset]
        embedded = _embed(np.array(entry["weights"]).reshape(entry["size"], entry["size"]), self.size)
        return bool(np.array_equal(embedded.ravel(), weights))

    def set_kernel(self, kernel: str | object, normalise: bool | None = None) -> None:
        """Load a gallery name or a 3x3/5x5 array (a 5x5 array switches to 5x5)."""
        preset, weights, needs_normalise = resolve_kernel(kernel, self._step, self._limit)
        size = max(self.size, weights.shape[0])
        if normalise is None:  # a preset comes as it is; an array keeps the setting unless it needs dividing
            normalise = needs_normalise or (self.normalise if preset is None else False)
        with self.widget.hold_sync():
            self.widget.size = size
            self.widget.weights = _embed(weights, size).ravel().tolist()
            self.widget.normalise = check_bool(normalise, "normalise", "KernelEditor.set_kernel")
            self.widget.preset = preset or "custom"

    # --- the static picture and the text ---

    def _plain_text(self) -> str:
        return (
            f"KernelEditor(image={self.image_name!r}, kernel={self.preset!r}, size={self.size}, "
            f"normalise={self.normalise}, operation={self.operation!r}, scaling={self.scaling!r})"
        )

    def alt_text(self) -> str:
        """What the view shows, in words."""
        return (
            f"Kernel editor: the photograph {self.image_name!r} and its {self.operation} with the "
            f"{self.size}x{self.size} kernel {self.preset!r}; change a weight to see the output change."
        )

    def static_png(self) -> bytes:
        """Input, kernel and output side by side, as a PNG (the picture shown where nothing runs)."""
        rendering = self._render()
        return static_picture(
            image=self.image, image_name=self.image_name, kernel=rendering.kernel, preset=self.preset,
            normalise=self.normalise, pixels=rendering.pixels, operation=self.operation, scaling=rendering.scaling,
        )  # fmt: skip

"""Live views for notebook 03: which input cells feed an output cell, and what a border mode does.

:class:`OutputSizeExplorer` has sliders for the input size ``N``, kernel size ``K``, padding
``P``, stride ``S`` and dilation ``D`` of a square convolution, and draws, in the manner of the
well-known convolution-arithmetic animations, the padded input, the cells one output cell reads,
the cells no output reads, and the output grid, with the size formula worked out::

    output size = floor((N + 2P - D(K - 1) - 1) / S) + 1

:class:`BorderModeExplorer` lets you choose a border mode and a kernel and shows the padded image
(the pad region outlined) beside ``correlate2d(image, kernel, "same", boundary=mode)``.

:func:`rosetta` computes the notebook's table of border names: it runs each library's padding
function with every name the library accepts (or, for a filter that only returns filtered values,
reads the padding back through :func:`one_hot` kernels with :func:`padded_by_reading`) and
records which of convlib's modes each name gives.

Both are :class:`convlib.book.widgets.LiveView` objects whose state lives in a
:class:`~convlib.book.widgets.browser_view.BrowserView` (``view.widget``): the browser draws them
(``js/output_size.js``, ``js/border_mode.js``), in JupyterLab and in an HTML export with no kernel;
Python stays the reference and computes the same values on demand. GitHub and nbviewer show the
static PNG of the current state, and nbval compares a short deterministic ``text/plain``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import traitlets
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convlib import kernels
from convlib.book.widgets.browser_view import BrowserView
from convlib.book.widgets.live_view import LiveView
from convlib.book.widgets.pictures import png_of_figure
from convlib.convolution import correlate2d
from convlib.images import to_uint8
from convlib.padding import PAD_MODES, check_boundary, pad
from convlib.sizes import mode_padding, output_size
from convlib.validation import as_numeric_array, check_positive_int

__all__ = [
    "BORDER_KERNELS",
    "BorderModeExplorer",
    "OutputSizeExplorer",
    "draw_border_mode",
    "draw_conv_arithmetic",
    "one_hot",
    "padded_by_reading",
    "read_counts",
    "rosetta",
    "window_taps",
]

#: Kernels the border-mode explorer offers: big blurs make the border visible.
BORDER_KERNELS: dict[str, Callable[[], np.ndarray]] = {
    "box 9×9": lambda: kernels.box(9),
    "gaussian 9×9 (σ = 2)": lambda: kernels.gaussian(9, 2.0),
    "box 3×3": lambda: kernels.box(3),
    "sobel x": kernels.sobel_x,
    "laplacian": kernels.laplacian,
    "identity": kernels.identity,
}


# --- geometry -------------------------------------------------------------------------------------------


def window_taps(
    n: int, kernel_size: int, index: int, stride: int = 1, padding: int = 0, dilation: int = 1
) -> np.ndarray:
    """The input positions output sample ``index`` reads, on one axis.

    Positions count from the input's first sample, so ``-padding .. -1`` and ``n .. n + padding - 1``
    are padding. Output ``o`` reads ``o * stride - padding + dilation * j`` for ``j = 0 .. K - 1``.

    Parameters
    ----------
    n, kernel_size, stride, padding, dilation : int
        As :func:`convlib.sizes.output_size`.
    index : int
        Which output sample, ``0 <= index < output_size(...)``.

    Returns
    -------
    numpy.ndarray of int, shape (kernel_size,)

    Raises
    ------
    ValueError
        If no window fits, or ``index`` is not an output sample.

    Examples
    --------
    >>> window_taps(5, 3, index=1, stride=2, padding=1)
    array([1, 2, 3])
    >>> window_taps(7, 3, index=0, dilation=2)
    array([0, 2, 4])
    """
    size = output_size(n, kernel_size, stride, padding, dilation)
    index = check_positive_int(index, "index", "window_taps", minimum=0)
    if index >= size:
        raise ValueError(f"window_taps: index must be < the output size {size}; got {index}")
    return index * stride - padding + dilation * np.arange(kernel_size)


def read_counts(n: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> np.ndarray:
    """How many output samples read each position of the padded axis; 0 means never read.

    Returns
    -------
    numpy.ndarray of int, shape (n + 2 * padding,)
        Entry ``i`` is for position ``i - padding`` of the input.

    Examples
    --------
    >>> read_counts(6, 3, stride=2)   # the last sample is never read: floor drops a window
    array([1, 1, 2, 1, 1, 0])
    """
    size = output_size(n, kernel_size, stride, padding, dilation)
    counts = np.zeros(n + 2 * padding, dtype=int)
    for index in range(size):
        np.add.at(counts, window_taps(n, kernel_size, index, stride, padding, dilation) + padding, 1)
    return counts


# --- the output-size explorer ---------------------------------------------------------------------------


def draw_conv_arithmetic(
    n: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1, row: int = 0, column: int = 0
) -> Figure:
    """Draw a square convolution's geometry: the padded input, one output cell's taps, the output.

    Input cells are blue, padding cells white with a dashed outline, cells no output reads are
    hatched. The taps of output cell ``(row, column)`` are dark (orange where they read padding)
    and the dilated kernel's span is framed. On the right, the output grid with that cell marked.

    Examples
    --------
    >>> fig = draw_conv_arithmetic(5, 3, stride=2, padding=1, row=1, column=2)
    >>> fig.axes[0].get_title()
    'input 5×5, padding 1'
    """
    figure = Figure(figsize=(8.4, 4.5), dpi=100, layout="constrained")
    span = dilation * (kernel_size - 1) + 1
    formula = (
        f"⌊(N + 2P − D(K − 1) − 1) / S⌋ + 1 = ⌊({n} + {2 * padding} − {dilation * (kernel_size - 1)} − 1)"
        f" / {stride}⌋ + 1"
    )
    try:
        size = output_size(n, kernel_size, stride, padding, dilation)
    except ValueError:
        size = None
    padded = n + 2 * padding
    left, right = figure.subplots(1, 2, width_ratios=[padded + 1, max(size or 1, 3) + 1])
    counts = read_counts(n, kernel_size, stride, padding, dilation) if size else np.zeros(padded, int)
    if size:
        row, column = min(row, size - 1), min(column, size - 1)
        tap_rows = set(window_taps(n, kernel_size, row, stride, padding, dilation) + padding)
        tap_columns = set(window_taps(n, kernel_size, column, stride, padding, dilation) + padding)
    else:
        tap_rows = tap_columns = set()
    for i in range(padded):
        for j in range(padded):
            inside = padding <= i < padding + n and padding <= j < padding + n
            tap = i in tap_rows and j in tap_columns
            unread = inside and size is not None and (counts[i] == 0 or counts[j] == 0)
            face = ("C0" if inside else "C1") if tap else ("#cfe2f3" if inside else "white")
            left.add_patch(
                Rectangle(
                    (j - 0.45, i - 0.45), 0.9, 0.9, facecolor=face, edgecolor="0.4",
                    linestyle="-" if inside else "--", hatch="///" if unread else None, linewidth=0.8,
                )
            )  # fmt: skip
            if tap and not inside:
                left.text(j, i, "0", ha="center", va="center", color="white", fontsize=12)
    if size:
        top, first = row * stride, column * stride
        left.add_patch(Rectangle((first - 0.5, top - 0.5), span, span, fill=False, edgecolor="k", linewidth=2))
    left.set_xlim(-0.6, padded - 0.4)
    left.set_ylim(padded - 0.4, -0.6)
    left.set_aspect("equal")
    left.set_axis_off()
    left.set_title(f"input {n}×{n}, padding {padding}")
    if size:
        for i in range(size):
            for j in range(size):
                chosen = (i, j) == (row, column)
                right.add_patch(
                    Rectangle((j - 0.45, i - 0.45), 0.9, 0.9, facecolor="#2ca02c" if chosen else "#d9f0d3",
                              edgecolor="0.4", linewidth=0.8)
                )  # fmt: skip
        right.set_title(f"output {size}×{size}, cell ({row}, {column})")
        result = f"{formula} = {size}"
    else:
        right.text(0.5, 0.5, "no window fits:\nthe dilated kernel\nis larger than the\npadded input",
                   ha="center", va="center", transform=right.transAxes, fontsize=12)  # fmt: skip
        right.set_title("output: none")
        result = f"span D(K − 1) + 1 = {span} > N + 2P = {padded}: no output"
    limit = max(size or 1, 3)
    right.set_xlim(-0.6, limit - 0.4)
    right.set_ylim(limit - 0.4, -0.6)
    right.set_aspect("equal")
    right.set_axis_off()
    figure.suptitle(f"N = {n}, K = {kernel_size}, P = {padding}, S = {stride}, D = {dilation}\n{result}", fontsize=12)
    figure.supxlabel(
        "blue: input · dashed: padding · hatched: read by no output · black frame: the kernel's span"
        "\ndark: the cells the green output cell reads (orange: a padding zero)",
        fontsize=12,
    )
    return figure


_SLIDER_RANGES = {"kernel_size": (1, 5), "stride": (1, 3), "padding": (0, 3), "dilation": (1, 3)}
_SETTINGS = ("n", "kernel_size", "stride", "padding", "dilation")


class OutputSizeModel(BrowserView):
    """The output-size explorer's state, shared by Python and the browser (see ``js/output_size.js``)."""

    _module = "output_size"
    n = traitlets.Int(5).tag(sync=True)
    kernel_size = traitlets.Int(3).tag(sync=True)
    stride = traitlets.Int(1).tag(sync=True)
    padding = traitlets.Int(0).tag(sync=True)
    dilation = traitlets.Int(1).tag(sync=True)
    row = traitlets.Int(0).tag(sync=True)
    column = traitlets.Int(0).tag(sync=True)
    ranges = traitlets.Dict().tag(sync=True)  # setting -> [low, high]


def _output_size_or_none(n: int, kernel_size: int, stride: int, padding: int, dilation: int) -> int | None:
    """:func:`convlib.sizes.output_size`, or ``None`` when no window fits (as ``outputSize`` in the browser)."""
    try:
        return output_size(n, kernel_size, stride, padding, dilation)
    except ValueError:
        return None


class OutputSizeExplorer(LiveView):
    """Sliders for N, K, P, S, D of a square convolution; the picture shows which cells feed which.

    The picture is drawn in the browser (``js/output_size.js``, as SVG), which computes the output
    size and the chosen cell's taps with the same integer formulas as :func:`convlib.sizes.output_size`,
    :func:`window_taps` and :func:`read_counts`; Python holds the settings (``self.widget``'s traits)
    and computes the same values on demand.

    Parameters
    ----------
    n, kernel_size, stride, padding, dilation : int
        The starting settings (input ``n × n``, kernel ``kernel_size × kernel_size``).
    row, column : int
        The output cell whose taps are drawn (clamped to the output).
    max_n : int
        The largest input size the slider offers.

    Examples
    --------
    >>> explorer = OutputSizeExplorer(n=6, kernel_size=3, stride=2)
    >>> explorer
    OutputSizeExplorer(n=6, kernel_size=3, stride=2, padding=0, dilation=1, output_size=2, cell=(0, 0))
    >>> explorer.set(padding=1, row=2)
    >>> explorer.output_size, explorer.cell
    (3, (2, 0))
    >>> explorer.taps()[0]
    array([3, 4, 5])
    >>> explorer.widget.stride = 3  # as the browser's stride slider does: the cell is clamped into the output
    >>> explorer.cell
    (1, 0)
    """

    def __init__(
        self,
        n: int = 5,
        kernel_size: int = 3,
        stride: int = 1,
        padding: int = 0,
        dilation: int = 1,
        *,
        row: int = 0,
        column: int = 0,
        max_n: int = 10,
    ) -> None:
        function = "OutputSizeExplorer"
        max_n = check_positive_int(max_n, "max_n", function)
        values = {"n": n, "kernel_size": kernel_size, "stride": stride, "padding": padding, "dilation": dilation}
        ranges = {"n": (1, max_n), **_SLIDER_RANGES}
        checked = {}
        for name, value in values.items():
            low, high = ranges[name]
            value = check_positive_int(value, name, function, minimum=low)
            if value > high:
                raise ValueError(f"{function}: {name} must be <= {high}; got {value}")
            checked[name] = value
        row = check_positive_int(row, "row", function, minimum=0)
        column = check_positive_int(column, "column", function, minimum=0)
        last = max((_output_size_or_none(**checked) or 1) - 1, 0)
        self.widget = OutputSizeModel(
            **checked, row=min(row, last), column=min(column, last),
            ranges={name: list(bounds) for name, bounds in ranges.items()},
        )  # fmt: skip
        self._own_widgets = [self.widget]
        self.widget.observe(self._clamp_cell, names=list(_SETTINGS))

    # --- state ---

    def settings(self) -> dict[str, int]:
        """``n``, ``kernel_size``, ``stride``, ``padding``, ``dilation`` as the sliders show them."""
        return {name: int(getattr(self.widget, name)) for name in _SETTINGS}

    @property
    def output_size(self) -> int | None:
        """The output's side, or ``None`` when no window fits."""
        return _output_size_or_none(**self.settings())

    @property
    def cell(self) -> tuple[int, int]:
        """The output cell whose taps are drawn."""
        return int(self.widget.row), int(self.widget.column)

    def taps(self) -> tuple[np.ndarray, np.ndarray]:
        """Input rows and columns (unpadded coordinates) that :attr:`cell` reads; see :func:`window_taps`."""
        settings = self.settings()
        n, kernel_size = settings.pop("n"), settings.pop("kernel_size")
        row, column = self.cell
        return window_taps(n, kernel_size, row, **settings), window_taps(n, kernel_size, column, **settings)

    def set(self, **values: int) -> None:
        """Move several sliders at once (``n``, ``kernel_size``, ``stride``, ``padding``, ``dilation``,
        ``row``, ``column``); the picture is redrawn once."""
        unknown = set(values) - {*_SETTINGS, "row", "column"}
        if unknown:
            raise ValueError(f"OutputSizeExplorer.set: unknown setting(s) {sorted(unknown)}")
        settings = self.settings()
        for name in _SETTINGS:
            if name in values:
                low, high = self.widget.ranges[name]
                value = values[name]
                if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
                    raise ValueError(f"OutputSizeExplorer.set: {name} must be in {low}..{high}; got {value!r}")
                settings[name] = int(value)
        last = max((_output_size_or_none(**settings) or 1) - 1, 0)
        cell = {"row": min(self.widget.row, last), "column": min(self.widget.column, last)}
        for name in ("row", "column"):
            if name in values:
                value = values[name]
                if isinstance(value, bool) or not isinstance(value, int | np.integer) or not 0 <= value <= last:
                    raise ValueError(
                        f"OutputSizeExplorer.set: {name} must be in 0..{last} (the output's cells); got {value!r}"
                    )
                cell[name] = int(value)
        with self.widget.hold_sync():
            for name, value in {**settings, **cell}.items():
                setattr(self.widget, name, value)

    def _clamp_cell(self, change: object = None) -> None:
        """Keep the chosen cell inside the output (the browser does the same before it sends a change)."""
        last = max((self.output_size or 1) - 1, 0)
        if self.widget.row > last:
            self.widget.row = last
        if self.widget.column > last:
            self.widget.column = last

    # --- the static picture and the text ---

    def static_png(self) -> bytes:
        """The current drawing (see :func:`draw_conv_arithmetic`) as PNG bytes."""
        row, column = self.cell
        return png_of_figure(draw_conv_arithmetic(**self.settings(), row=row, column=column))

    def _plain_text(self) -> str:
        s = self.settings()
        return (
            f"OutputSizeExplorer(n={s['n']}, kernel_size={s['kernel_size']}, stride={s['stride']}, "
            f"padding={s['padding']}, dilation={s['dilation']}, output_size={self.output_size}, cell={self.cell})"
        )

    def alt_text(self) -> str:
        """What the view shows, in words."""
        s, size = self.settings(), self.output_size
        result = f"output {size}×{size}, cell {self.cell} highlighted" if size else "no window fits, no output"
        return (
            f"Convolution arithmetic: input {s['n']}×{s['n']}, kernel {s['kernel_size']}, stride {s['stride']}, "
            f"padding {s['padding']}, dilation {s['dilation']}: {result}, with the input cells it reads."
        )


# --- the border-mode explorer ---------------------------------------------------------------------------


def _same_widths(kernel_shape: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int]]:
    """What correlate2d(..., "same") pads on each axis: :func:`convlib.sizes.mode_padding` of each kernel size."""
    return tuple(mode_padding(k, "same") for k in kernel_shape)  # type: ignore[return-value]


def draw_border_mode(image: np.ndarray, kernel: np.ndarray, mode: str, title: str = "") -> Figure:
    """The image padded as ``correlate2d(..., "same", boundary=mode)`` pads it, and the result.

    Left: the padded image, the original framed in orange (outside the frame: made up by the
    border rule). Right: ``correlate2d(image, kernel, "same", boundary=mode)``, shown as gray
    ``0..1`` for a kernel that keeps brightness, as ``|value|`` scaled to its maximum for a
    kernel summing to 0 (an edge detector).

    Examples
    --------
    >>> fig = draw_border_mode(np.full((20, 20), 0.5), kernels.box(5), "constant")
    >>> print(fig.axes[0].get_title())
    padded with 'constant', 2 px each side
    (orange frame: the image's own pixels)
    """
    mode = check_boundary(mode, "draw_border_mode", "mode")
    widths = _same_widths(kernel.shape)
    padded = pad(image, widths, mode)
    output = correlate2d(image, kernel, "same", boundary=mode)
    scaling = "abs" if abs(float(kernel.sum())) < 1e-12 else "clip"
    figure = Figure(figsize=(8.4, 4.4), dpi=100, layout="constrained")
    left, right = figure.subplots(1, 2)
    left.imshow(padded, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    (top, _), (first, _) = widths
    height, width = image.shape
    left.add_patch(Rectangle((first - 0.5, top - 0.5), width, height, fill=False, edgecolor="C1", linewidth=2))
    sides = {w for pair in widths for w in pair}
    side = f"{max(sides)} px each side" if len(sides) == 1 else f"{widths} px (before, after)"
    left.set_title(f"padded with {mode!r}, {side}\n(orange frame: the image's own pixels)", fontsize=12)
    right.imshow(to_uint8(output, scaling=scaling), cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    shown = "|value| ÷ max" if scaling == "abs" else "clipped to 0..1"
    right.set_title(f"correlate2d(image, kernel, 'same',\nboundary={mode!r}), shown {shown}", fontsize=12)
    for axes in (left, right):
        axes.set_xticks([])
        axes.set_yticks([])
    if title:
        figure.suptitle(title, fontsize=12)
    return figure


class BorderModeModel(BrowserView):
    """The border-mode explorer's state, shared by Python and the browser (see ``js/border_mode.js``)."""

    _module = "border_mode"
    image = traitlets.Dict().tag(sync=True)  # {"width", "height", "pixels": bytes}: the image as 8-bit gray levels
    image_name = traitlets.Unicode("image").tag(sync=True)
    mode = traitlets.Unicode("constant").tag(sync=True)
    modes = traitlets.List(traitlets.Unicode()).tag(sync=True)
    kernel_name = traitlets.Unicode().tag(sync=True)
    # kernel name -> {"shape", "widths": [[top, bottom], [left, right]], "scaling",
    #                 "pictures": {mode: bytes}, "low": {mode: float}, "high": {mode: float}}
    kernels = traitlets.Dict().tag(sync=True)
    display_size = traitlets.Int(300).tag(sync=True)


def _scaling_of(kernel: np.ndarray) -> str:
    """How a result becomes gray levels: ``"abs"`` for a kernel summing to 0 (an edge detector), else ``"clip"``."""
    return "abs" if abs(float(kernel.sum())) < 1e-12 else "clip"


class BorderModeExplorer(LiveView):
    """Choose a border mode and a kernel; see the padded image and the filtered result side by side.

    The result is ``correlate2d(image, kernel, "same", boundary=mode)`` (cross-correlation, as a
    CNN layer computes; the offered kernels are symmetric or named for their correlation). Python
    computes every result once (five modes for each kernel) and sends them as 8-bit pictures; the
    browser (``js/border_mode.js``) pads the image itself and switches pictures as you choose, so
    the view stays live without a kernel. The state lives in ``self.widget``'s traits.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Grayscale, brightness in ``0..1``.
    mode : {"constant", "edge", "reflect", "symmetric", "wrap"}
    kernel : str
        A name of ``kernels`` (default :data:`BORDER_KERNELS`).
    kernels : mapping of str to callable or array, optional
        The kernels to choose from.
    name : str
        The image's name, for the text and the picture's title.
    display_size : int
        Width in CSS pixels of each picture in the browser (default 300: both fit a 1280x720 screen
        with JupyterLab's sidebar open).

    Examples
    --------
    >>> explorer = BorderModeExplorer(np.full((16, 16), 0.5), mode="constant", kernel="box 3×3", name="gray")
    >>> explorer
    BorderModeExplorer(image='gray', mode='constant', kernel='box 3×3')
    >>> round(float(explorer.output[0, 0]), 4)  # the corner: five of its nine neighbours are padding zeros
    0.2222
    >>> explorer.mode = "edge"
    >>> round(float(explorer.output[0, 0]), 4)
    0.5
    >>> explorer.widget.mode = "wrap"  # as the browser's mode buttons do
    >>> explorer.mode, int(explorer.output_uint8()[0, 0])
    ('wrap', 128)
    """

    def __init__(
        self,
        image: object,
        mode: str = "constant",
        kernel: str = "box 9×9",
        *,
        kernels: Mapping[str, Callable[[], np.ndarray] | object] | None = None,
        name: str = "image",
        display_size: int = 300,
    ) -> None:
        function = "BorderModeExplorer"
        picture = as_numeric_array(image, "image", function)
        if picture.ndim != 2 or picture.size == 0:
            raise ValueError(f"{function}: image must be 2-D grayscale (H, W) and not empty; got shape {picture.shape}")
        picture = picture.astype(np.float64)
        if not np.all(np.isfinite(picture)) or picture.min() < 0 or picture.max() > 1:
            raise ValueError(f"{function}: image must hold finite brightness values in 0..1")
        picture.flags.writeable = False
        self._image = picture
        self._name = str(name)
        choices = BORDER_KERNELS if kernels is None else kernels
        self._kernels: dict[str, np.ndarray] = {}
        for label, made in choices.items():
            array = as_numeric_array(made() if callable(made) else made, f"kernel {label!r}", function).astype(float)
            if array.ndim != 2 or array.size == 0:
                raise ValueError(f"{function}: kernel {label!r} must be a 2-D array; got shape {array.shape}")
            if any(k > n for k, n in zip(array.shape, picture.shape)):
                raise ValueError(f"{function}: kernel {label!r} of shape {array.shape} is larger than the image")
            self._kernels[label] = array
        if not self._kernels:
            raise ValueError(f"{function}: kernels must offer at least one kernel")
        if kernel not in self._kernels:
            raise ValueError(f"{function}: kernel must be one of {list(self._kernels)}; got {kernel!r}")
        mode = check_boundary(mode, function, "mode")
        display_size = check_positive_int(display_size, "display_size", function, minimum=16)
        self._outputs: dict[tuple[str, str], np.ndarray] = {}
        table = {}
        for label, array in self._kernels.items():
            scaling = _scaling_of(array)
            entry: dict[str, object] = {
                "shape": list(array.shape), "widths": [list(w) for w in _same_widths(array.shape)],
                "scaling": scaling, "pictures": {}, "low": {}, "high": {},
            }  # fmt: skip
            for each in PAD_MODES:
                output = correlate2d(picture, array, "same", boundary=each)
                output.flags.writeable = False
                self._outputs[label, each] = output
                entry["pictures"][each] = to_uint8(output, scaling=scaling).tobytes()
                entry["low"][each] = float(output.min())
                entry["high"][each] = float(output.max())
            table[label] = entry
        self.widget = BorderModeModel(
            image={"width": int(picture.shape[1]), "height": int(picture.shape[0]),
                   "pixels": to_uint8(picture, scaling="clip").tobytes()},
            image_name=self._name, mode=mode, modes=list(PAD_MODES), kernel_name=kernel, kernels=table,
            display_size=display_size,
        )  # fmt: skip
        self._own_widgets = [self.widget]

    @property
    def mode(self) -> str:
        """The border mode (numpy.pad's name)."""
        return str(self.widget.mode)

    @mode.setter
    def mode(self, value: str) -> None:
        self.widget.mode = check_boundary(value, "BorderModeExplorer", "mode")

    @property
    def kernel_name(self) -> str:
        """The chosen kernel's name."""
        return str(self.widget.kernel_name)

    @kernel_name.setter
    def kernel_name(self, value: str) -> None:
        if value not in self._kernels:
            raise ValueError(f"BorderModeExplorer: kernel must be one of {list(self._kernels)}; got {value!r}")
        self.widget.kernel_name = value

    @property
    def kernel(self) -> np.ndarray:
        """The chosen kernel (a copy)."""
        return self._kernels[self.kernel_name].copy()

    @property
    def image(self) -> np.ndarray:
        """The input image, read-only."""
        return self._image

    @property
    def padded(self) -> np.ndarray:
        """The image padded as ``correlate2d(..., "same", boundary=mode)`` pads it."""
        return pad(self._image, _same_widths(self._kernels[self.kernel_name].shape), self.mode)

    @property
    def output(self) -> np.ndarray:
        """``correlate2d(image, kernel, "same", boundary=mode)``, read-only."""
        return self._outputs[self.kernel_name, self.mode]

    @property
    def scaling(self) -> str:
        """How :attr:`output` becomes gray levels: ``"abs"`` for a kernel summing to 0, else ``"clip"``."""
        return _scaling_of(self._kernels[self.kernel_name])

    def output_uint8(self) -> np.ndarray:
        """The right-hand picture the browser shows: ``to_uint8(output, scaling=scaling)``."""
        return to_uint8(self.output, scaling=self.scaling)

    def padded_uint8(self) -> np.ndarray:
        """The left-hand picture the browser shows: ``to_uint8(padded, scaling="clip")``."""
        return to_uint8(self.padded, scaling="clip")

    def static_png(self) -> bytes:
        """The current picture (see :func:`draw_border_mode`) as PNG bytes."""
        title = f"{self._name}, kernel {self.kernel_name}, mode {self.mode!r}"
        return png_of_figure(draw_border_mode(self._image, self._kernels[self.kernel_name], self.mode, title))

    def _plain_text(self) -> str:
        return f"BorderModeExplorer(image={self._name!r}, mode={self.mode!r}, kernel={self.kernel_name!r})"

    def alt_text(self) -> str:
        """What the view shows, in words."""
        return (
            f"Border modes: the image {self._name!r} padded with mode {self.mode!r}, and its correlation with "
            f"the kernel {self.kernel_name!r}; choose another mode to see the border change."
        )


# --- the Rosetta table: which rule each library's name gives ---------------------------------------------


def one_hot(shift: int, width: int = 2) -> np.ndarray:
    """A kernel of ``2 * width + 1`` taps that, correlated (``"same"``), reads the sample ``shift`` places away.

    ``correlate(x, one_hot(shift), "same")[i] == x[i + shift]``, also where ``i + shift`` lies beyond
    an end of ``x``: there it returns what the filter's border rule put there.

    Parameters
    ----------
    shift : int
        ``-width <= shift <= width``.
    width : int
        Half the kernel's length (>= 1).

    Returns
    -------
    numpy.ndarray of float, shape (2 * width + 1,)

    Examples
    --------
    >>> one_hot(-1)
    array([0., 1., 0., 0., 0.])
    >>> from convlib import correlate1d
    >>> correlate1d([1.0, 2.0, 3.0, 4.0], one_hot(1), mode="same")  # one to the right; zeros beyond the end
    array([2., 3., 4., 0.])
    """
    width = check_positive_int(width, "width", "one_hot")
    if isinstance(shift, bool) or not isinstance(shift, int | np.integer) or abs(shift) > width:
        raise ValueError(f"one_hot: shift must be an int in -{width}..{width}; got {shift!r}")
    kernel = np.zeros(2 * width + 1)
    kernel[width + shift] = 1.0
    return kernel


def padded_by_reading(filter_row: Callable[[np.ndarray], object], width: int = 2) -> np.ndarray:
    """The padded row a filter works on, read back through :func:`one_hot` kernels.

    A filter returns filtered values, not its padding. But its first output, filtered with
    ``one_hot(-s)``, is the sample ``s`` places beyond the left end, and its last output, filtered
    with ``one_hot(s)``, the sample ``s`` beyond the right end; ``one_hot(0)`` returns the row.

    Parameters
    ----------
    filter_row : callable
        ``filter_row(kernel)``: the row correlated with a ``2 * width + 1``-tap ``kernel``, as many
        samples as the row (``"same"``), 1-D.
    width : int
        How many samples to read beyond each end (>= 1).

    Returns
    -------
    numpy.ndarray of float, shape (N + 2 * width,)

    Examples
    --------
    >>> from convlib import correlate1d
    >>> row = np.array([1.0, 2.0, 3.0, 4.0])
    >>> padded_by_reading(lambda kernel: correlate1d(row, kernel, mode="same", boundary="symmetric"))
    array([2., 1., 1., 2., 3., 4., 4., 3.])
    """
    width = check_positive_int(width, "width", "padded_by_reading")

    def read(shift: int) -> np.ndarray:
        values = np.asarray(filter_row(one_hot(shift, width)), dtype=float)
        if values.ndim != 1 or values.size == 0:
            raise ValueError(f"padded_by_reading: filter_row must return a non-empty 1-D row; got shape {values.shape}")
        return values

    row = read(0)
    left = [read(-s)[0] for s in range(width, 0, -1)]
    right = [read(s)[-1] for s in range(1, width + 1)]
    return np.concatenate([left, row, right])


def rosetta(
    row: object,
    width: int,
    accepted: Mapping[str, Sequence[str]],
    pad_functions: Mapping[str, Callable[[str], object]],
    filters: Mapping[str, Callable[[str, np.ndarray], object]],
    refusals: tuple[type[BaseException], ...] = (),
) -> tuple[dict[str, dict[str, list[str]]], list[tuple[str, str]]]:
    """Which of convlib's modes each border name of each library gives, found by running the libraries.

    For every library and every name it accepts, pad ``row`` by ``width`` on each side, with the
    library's padding function (``pad_functions[library](name)``) or, for a filter,
    :func:`padded_by_reading` of ``filters[library](name, kernel)``; then compare the result with
    ``convlib.pad(row, width, mode)`` for each mode of :data:`convlib.padding.PAD_MODES`.

    Parameters
    ----------
    row : array_like, shape (N,)
    width : int
        Samples added on each side.
    accepted : mapping of str to sequence of str
        Library → the border names it accepts (their order is kept).
    pad_functions : mapping of str to callable
        Library → ``function(name)`` returning the padded row, shape ``(N + 2 * width,)``.
    filters : mapping of str to callable
        Library → ``function(name, kernel)`` returning the row correlated (``"same"``) with a
        ``2 * width + 1``-tap kernel. Each library of ``accepted`` is in exactly one of the two.
    refusals : tuple of exception types
        Errors meaning "this function does not take that name": recorded in ``refused``, not raised.

    Returns
    -------
    found : dict
        ``found[mode][library]``: the library's names whose padding equals ``convlib.pad(row, width, mode)``.
    refused : list of (str, str)
        The ``(library, name)`` pairs that raised one of ``refusals``.

    Examples
    --------
    >>> from convlib import correlate1d
    >>> row = np.array([1.0, 2.0, 3.0, 4.0])
    >>> found, refused = rosetta(
    ...     row, 2, {"numpy": ["constant", "reflect"], "convlib.correlate1d": ["constant", "mirror"]},
    ...     pad_functions={"numpy": lambda name: np.pad(row, 2, mode=name)},
    ...     filters={"convlib.correlate1d": lambda name, kernel: correlate1d(row, kernel, "same", boundary=name)},
    ...     refusals=(ValueError,),  # convlib has no mode 'mirror'
    ... )
    >>> found["constant"]
    {'numpy': ['constant'], 'convlib.correlate1d': ['constant']}
    >>> found["reflect"], refused
    ({'numpy': ['reflect'], 'convlib.correlate1d': []}, [('convlib.correlate1d', 'mirror')])
    """
    values = as_numeric_array(row, "row", "rosetta")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"rosetta: row must be 1-D and not empty; got shape {values.shape}")
    width = check_positive_int(width, "width", "rosetta")
    for library in accepted:
        if (library in pad_functions) == (library in filters):
            raise ValueError(
                f"rosetta: library {library!r} must be in exactly one of pad_functions and filters; "
                f"it is in {'both' if library in filters else 'neither'}"
            )
    references = {mode: pad(values, width, mode) for mode in PAD_MODES}
    found: dict[str, dict[str, list[str]]] = {mode: {library: [] for library in accepted} for mode in PAD_MODES}
    refused: list[tuple[str, str]] = []
    for library, names in accepted.items():
        for name in names:
            try:
                if library in pad_functions:
                    result = np.asarray(pad_functions[library](name), dtype=float)
                else:
                    result = padded_by_reading(functools.partial(filters[library], name), width)
            except refusals:
                refused.append((library, name))
                continue
            for mode, reference in references.items():
                if result.shape == reference.shape and np.array_equal(result, reference):
                    found[mode][library].append(name)
    return found, refused

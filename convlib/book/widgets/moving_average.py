"""MovingAverageExplorer: the width of a moving average over a noisy signal, live in the browser (notebook 01).

The state lives in the traits of :class:`MovingAverageModel` (an anywidget): the browser's module
(``js/moving_average.js``) reads and writes them, and smooths the signal itself on every key press or
drag. Python computes the same values on demand with :func:`convlib.convolve1d`, so
``explorer.smoothed`` is the reference the notebook asserts against.
"""

from __future__ import annotations

import numpy as np
import traitlets

from convlib.book.widgets.browser_view import BrowserView
from convlib.book.widgets.live_view import LiveView, read_only
from convlib.book.widgets.pictures import png_of_figure
from convlib.convolution import convolve1d
from convlib.padding import PAD_MODES, check_boundary
from convlib.validation import as_numeric_array, check_allocation, check_positive_int

__all__ = ["OKABE_ITO", "MovingAverageExplorer", "MovingAverageModel", "WidthControl"]

#: The plot's colours (Okabe-Ito), the same in the browser (``js/moving_average.js``) and in the PNG.
OKABE_ITO = {"noisy": "#56B4E9", "clean": "#000000", "smoothed": "#D55E00", "edge": "#E69F00"}


class MovingAverageModel(BrowserView):
    """The explorer's state, shared by Python and the browser (see ``js/moving_average.js``).

    ``signal`` and ``clean`` are float64, little-endian bytes (``clean`` empty when there is none).
    """

    _module = "moving_average"
    signal = traitlets.Bytes().tag(sync=True)
    clean = traitlets.Bytes(b"").tag(sync=True)
    width = traitlets.Int(5).tag(sync=True)
    max_width = traitlets.Int(51).tag(sync=True)
    boundary = traitlets.Unicode("constant").tag(sync=True)
    boundaries = traitlets.List(traitlets.Unicode(), list(PAD_MODES)).tag(sync=True)

    @traitlets.validate("width")
    def _valid_width(self, proposal: dict) -> int:
        value = proposal["value"]
        if not 1 <= value <= self.max_width:
            raise traitlets.TraitError(f"width must be in 1..{self.max_width}; got {value}")
        return value

    @traitlets.validate("boundary")
    def _valid_boundary(self, proposal: dict) -> str:
        if proposal["value"] not in PAD_MODES:
            raise traitlets.TraitError(f"boundary must be one of {PAD_MODES}; got {proposal['value']!r}")
        return proposal["value"]


class WidthControl:
    """The width control as a slider-like object: ``value`` (the width), ``min`` (1) and ``max``.

    The control itself is drawn by the browser; setting ``value`` here moves it there.

    Examples
    --------
    >>> explorer = MovingAverageExplorer(np.arange(10.0), width=3)
    >>> explorer.slider.value = 4
    >>> explorer.width, explorer.slider.min, explorer.slider.max
    (4, 1, 10)
    """

    def __init__(self, explorer: MovingAverageExplorer) -> None:
        self._explorer = explorer

    description = "width"
    min = 1

    @property
    def value(self) -> int:
        """The moving average's width."""
        return self._explorer.width

    @value.setter
    def value(self, value: int) -> None:
        self._explorer.width = value

    @property
    def max(self) -> int:
        """The largest width offered (``max_width``)."""
        return int(self._explorer.widget.max_width)

    def __repr__(self) -> str:
        return f"WidthControl(value={self.value}, min={self.min}, max={self.max})"


class MovingAverageExplorer(LiveView):
    """A control for the width of a moving average over a noisy signal; the plot follows.

    The smoothed signal is ``convolve1d(signal, np.full(width, 1 / width), mode="same",
    boundary=boundary)``. With ``boundary="constant"`` (zeros beyond the ends, convlib's and
    numpy's default) the ends sag towards 0 as the window grows: the edge effect.
    An even width cannot be centred: ``"same"`` puts the extra sample before.

    The plot is computed in the browser (``js/moving_average.js``), so it follows a key press or a
    drag without a trip to Python, and stays live in an HTML export with no kernel. Python holds the
    state (:attr:`widget`'s traits) and is the reference: :attr:`smoothed` is computed by convlib.

    Parameters
    ----------
    signal : array_like, shape (N,)
        The noisy signal.
    width : int
        The starting width of the window.
    max_width : int or None
        The control's maximum (default ``min(N, 51)``, at least ``width``). Refused up front
        (``ValueError``) if a moving average that wide would need an array above
        :data:`convlib.validation.MAX_ARRAY_BYTES` (4 GiB): the signal padded by ``max_width - 1``.
    clean : array_like, shape (N,), optional
        The signal without noise, drawn dashed for comparison.
    boundary : {"constant", "edge", "reflect", "symmetric", "wrap"}
        What lies beyond the ends; the view lets you change it.

    Examples
    --------
    >>> explorer = MovingAverageExplorer(np.arange(10.0), width=3)
    >>> explorer
    MovingAverageExplorer(signal=<10 samples>, width=3, mode='same', boundary='constant')
    >>> explorer.width = 5
    >>> explorer.smoothed[:3]
    array([0.6, 1.2, 2. ])
    >>> explorer.smoothed[-2:]  # zeros beyond the end pull it down
    array([6. , 4.8])
    >>> explorer.boundary = "edge"
    >>> explorer.smoothed[-2:]  # the last sample repeated
    array([7.8, 8.4])
    >>> MovingAverageExplorer(np.arange(10.0), width=10**9)
    Traceback (most recent call last):
    ...
    ValueError: MovingAverageExplorer: width 1000000000 (a moving average of 1000000000 samples ...) ... 7.45 GiB ...
    """

    def __init__(
        self,
        signal: object,
        width: int = 5,
        max_width: int | None = None,
        *,
        clean: object = None,
        boundary: str = "constant",
    ) -> None:
        values = as_numeric_array(signal, "signal", "MovingAverageExplorer")
        if values.ndim != 1 or values.size < 2:
            raise ValueError(f"MovingAverageExplorer: signal must be 1-D, at least 2 samples; got shape {values.shape}")
        if values.dtype.kind == "c" or not np.all(np.isfinite(values)):
            raise ValueError("MovingAverageExplorer: signal must be real and finite (no NaN or infinity)")
        self._signal = read_only(values.astype(np.float64))
        self._clean = None
        if clean is not None:
            clean_values = as_numeric_array(clean, "clean", "MovingAverageExplorer").astype(np.float64)
            if clean_values.shape != values.shape:
                raise ValueError(
                    f"MovingAverageExplorer: clean must have shape {values.shape}, as signal; got {clean_values.shape}"
                )
            self._clean = read_only(clean_values)
        boundary = check_boundary(boundary, "MovingAverageExplorer")
        width = check_positive_int(width, "width", "MovingAverageExplorer")
        widest = "width" if max_width is None else "max_width"
        if max_width is None:
            max_width = max(width, min(values.size, 51))
        max_width = check_positive_int(max_width, "max_width", "MovingAverageExplorer")
        if width > max_width:
            raise ValueError(f"MovingAverageExplorer: width must be <= max_width={max_width}; got {width}")
        # Up front, before a kernel of max_width weights: convolve1d pads the signal by max_width - 1.
        what = f"{widest} {max_width} (a moving average of {max_width} samples over a signal of {values.size})"
        check_allocation(values.size + max_width - 1, np.float64, "MovingAverageExplorer", what)

        self._cache: tuple[tuple[int, str], np.ndarray] | None = None
        self._figure = None
        self.widget = MovingAverageModel(
            signal=self._signal.astype("<f8").tobytes(),
            clean=b"" if self._clean is None else self._clean.astype("<f8").tobytes(),
            max_width=max_width, width=width, boundary=boundary,
        )  # fmt: skip
        self._own_widgets = [self.widget]

    # --- state ---

    @property
    def signal(self) -> np.ndarray:
        """The noisy signal, float64, read-only."""
        return self._signal

    @property
    def clean(self) -> np.ndarray | None:
        """The clean signal (float64, read-only), or ``None``."""
        return self._clean

    @property
    def slider(self) -> WidthControl:
        """The width control: ``slider.value`` is :attr:`width`, ``slider.max`` is ``max_width``."""
        return WidthControl(self)

    @property
    def width(self) -> int:
        """The moving average's width (the control's value)."""
        return int(self.widget.width)

    @width.setter
    def width(self, value: int) -> None:
        value = check_positive_int(value, "width", "MovingAverageExplorer")
        if value > self.widget.max_width:
            raise ValueError(f"MovingAverageExplorer: width must be <= max_width={self.widget.max_width}; got {value}")
        self.widget.width = value

    @property
    def boundary(self) -> str:
        """What lies beyond the ends (numpy.pad's names)."""
        return str(self.widget.boundary)

    @boundary.setter
    def boundary(self, value: str) -> None:
        self.widget.boundary = check_boundary(value, "MovingAverageExplorer")

    @property
    def kernel(self) -> np.ndarray:
        """``np.full(width, 1 / width)``."""
        return np.full(self.width, 1 / self.width)

    @property
    def smoothed(self) -> np.ndarray:
        """The moving average (read-only): ``convolve1d(signal, kernel, mode="same", boundary=boundary)``."""
        key = (self.width, self.boundary)
        if self._cache is None or self._cache[0] != key:
            smoothed = convolve1d(self._signal, self.kernel, mode="same", boundary=self.boundary)
            self._cache = (key, read_only(smoothed))
        return self._cache[1]

    # --- the static picture and the text ---

    def _draw(self) -> None:
        if self._figure is None:
            from matplotlib.figure import Figure

            # 840 x 340 px at 100 dpi, text 11-13 pt (15-18 px), as convlib.book.style's figures
            self._figure = Figure(figsize=(8.4, 3.4), dpi=100, layout="constrained")
            axes = self._figure.subplots()
            positions = np.arange(self._signal.size)
            axes.plot(positions, self._signal, color=OKABE_ITO["noisy"], linewidth=1, label="noisy signal")
            if self._clean is not None:
                axes.plot(positions, self._clean, color=OKABE_ITO["clean"], linestyle="--", linewidth=1.2,
                          label="clean signal")  # fmt: skip
            (self._line,) = axes.plot(positions, self.smoothed, color=OKABE_ITO["smoothed"], linewidth=2.2)
            axes.set_xlabel("sample", fontsize=12)
            axes.set_ylabel("value", fontsize=12)
            axes.tick_params(labelsize=11)
            axes.margins(x=0)
            self._axes = axes
            self._spans = []
        # the ends where the window reaches past the signal (there the boundary rule decides), as in the browser
        for span in self._spans:
            span.remove()
        n = self._signal.size
        before, after = min(n, self.width // 2), min(n, (self.width - 1) // 2)
        shade = {"color": OKABE_ITO["edge"], "alpha": 0.25, "linewidth": 0}
        # (at width 1 the first span has no width: it stays, for the legend's entry)
        self._spans = [self._axes.axvspan(-0.5, before - 0.5, label="window past the ends", **shade)]
        if after > 0:
            self._spans.append(self._axes.axvspan(n - 1 - after + 0.5, n - 0.5, **shade))
        self._axes.set_xlim(0, n - 1)
        self._line.set_ydata(self.smoothed)
        self._line.set_label(f"moving average, width {self.width}")
        self._axes.relim()
        self._axes.autoscale_view(scalex=False)
        self._axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=4, fontsize=12, frameon=False,
                          handlelength=1.6, columnspacing=1.0)  # fmt: skip
        self._axes.set_title(
            f"moving average of width {self.width}: mode='same', boundary='{self.boundary}'", fontsize=13
        )

    def static_png(self) -> bytes:
        """The current plot as a PNG (what GitHub and nbviewer show in place of the live view)."""
        self._draw()
        return png_of_figure(self._figure)

    def _plain_text(self) -> str:
        return (
            f"MovingAverageExplorer(signal=<{self._signal.size} samples>, width={self.width}, mode='same', "
            f"boundary={self.boundary!r})"
        )

    def alt_text(self) -> str:
        """What the view shows, in words."""
        clean = ", the clean signal dashed," if self._clean is not None else ""
        return (
            f"A noisy signal of {self._signal.size} samples{clean} and its moving average of width {self.width} "
            f"(boundary {self.boundary!r}); change the width to see the noise and the peaks smoothed away."
        )

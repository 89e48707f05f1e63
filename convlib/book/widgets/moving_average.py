"""MovingAverageExplorer: a slider for the width of a moving average over a noisy signal (notebook 01)."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from convlib.book.widgets.live_view import LiveView, read_only
from convlib.book.widgets.pictures import png_of_figure
from convlib.convolution import convolve1d
from convlib.padding import check_boundary
from convlib.validation import as_numeric_array, check_positive_int


class MovingAverageExplorer(LiveView):
    """A slider for the width of a moving average over a noisy signal; the plot follows.

    The smoothed signal is ``convolve1d(signal, np.full(width, 1 / width), mode="same",
    boundary=boundary)``. With ``boundary="constant"`` (zeros beyond the ends, convlib's and
    numpy's default) the ends sag towards 0 as the window grows: the edge effect.
    An even width cannot be centred: ``"same"`` puts the extra sample before.

    Parameters
    ----------
    signal : array_like, shape (N,)
        The noisy signal.
    width : int
        The starting width of the window.
    max_width : int or None
        The slider's maximum (default ``min(N, 51)``, at least ``width``).
    clean : array_like, shape (N,), optional
        The signal without noise, drawn dashed for comparison.
    boundary : {"constant", "edge", "reflect", "symmetric", "wrap"}

    Examples
    --------
    >>> explorer = MovingAverageExplorer(np.arange(10.0), width=3)
    >>> explorer
    MovingAverageExplorer(signal=<10 samples>, width=3, mode='same', boundary='constant')
    >>> explorer.width = 5
    >>> explorer.smoothed[:3]
    array([0.6, 1.2, 2. ])
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
        self._boundary = check_boundary(boundary, "MovingAverageExplorer")
        width = check_positive_int(width, "width", "MovingAverageExplorer")
        if max_width is None:
            max_width = max(width, min(values.size, 51))
        max_width = check_positive_int(max_width, "max_width", "MovingAverageExplorer")
        if width > max_width:
            raise ValueError(f"MovingAverageExplorer: width must be <= max_width={max_width}; got {width}")

        self._slider = widgets.IntSlider(
            value=width, min=1, max=max_width, step=1, description="width", continuous_update=True,
            layout=widgets.Layout(width="420px"),
        )  # fmt: skip
        self._picture = widgets.Image(format="png", layout=widgets.Layout(width="640px"))
        self._label = widgets.HTML()
        self.widget = widgets.VBox([self._slider, self._label, self._picture])
        self.widget.add_class("convlib-moving-average")
        self._own_widgets = [self.widget, self._slider, self._picture, self._label]
        self._figure = None
        self._slider.observe(lambda change: self._refresh(), names="value")
        self._refresh()

    @property
    def signal(self) -> np.ndarray:
        """The noisy signal, float64, read-only."""
        return self._signal

    @property
    def slider(self) -> widgets.IntSlider:
        """The width slider."""
        return self._slider

    @property
    def width(self) -> int:
        """The moving average's width (the slider's value)."""
        return int(self._slider.value)

    @width.setter
    def width(self, value: int) -> None:
        value = check_positive_int(value, "width", "MovingAverageExplorer")
        if value > self._slider.max:
            raise ValueError(f"MovingAverageExplorer: width must be <= max_width={self._slider.max}; got {value}")
        self._slider.value = value

    @property
    def kernel(self) -> np.ndarray:
        """``np.full(width, 1 / width)``."""
        return np.full(self.width, 1 / self.width)

    @property
    def smoothed(self) -> np.ndarray:
        """The moving average: ``convolve1d(signal, kernel, mode="same", boundary=boundary)``."""
        return self._smoothed

    def _refresh(self) -> None:
        self._smoothed = convolve1d(self._signal, self.kernel, mode="same", boundary=self._boundary)
        self._smoothed.flags.writeable = False
        self._label.value = (
            f"kernel: {self.width} weights of 1/{self.width} = {1 / self.width:.3g} · "
            f"<code>convolve1d(signal, np.full({self.width}, 1/{self.width}), mode='same')</code>"
        )
        self._picture.value = self.static_png()

    def _draw(self) -> None:
        if self._figure is None:
            from matplotlib.figure import Figure

            self._figure = Figure(figsize=(8, 3), dpi=80, layout="constrained")
            axes = self._figure.subplots()
            positions = np.arange(self._signal.size)
            axes.plot(positions, self._signal, color="0.6", linewidth=0.8, label="noisy signal")
            if self._clean is not None:
                axes.plot(positions, self._clean, color="k", linestyle="--", linewidth=1, label="clean signal")
            (self._line,) = axes.plot(positions, self._smoothed, color="C0", linewidth=2)
            axes.set_xlabel("sample")
            axes.margins(x=0)
            self._axes = axes
        self._line.set_ydata(self._smoothed)
        self._line.set_label(f"moving average, width {self.width}")
        self._axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=9, frameon=False)
        self._axes.set_title(f"moving average of width {self.width}: mode='same', boundary='{self._boundary}'")

    def static_png(self) -> bytes:
        """The current plot as a PNG (the same picture the live view shows)."""
        self._draw()
        return png_of_figure(self._figure)

    def _plain_text(self) -> str:
        return (
            f"MovingAverageExplorer(signal=<{self._signal.size} samples>, width={self.width}, mode='same', "
            f"boundary={self._boundary!r})"
        )

"""FlipSlideView: a full 1-D convolution stepped one output sample at a time, live in the browser (notebook 01).

For the output position ``n`` (a slider, the arrow keys, or the − and + buttons) the view shows the
kernel and its flip side by side, the signal ``x[m]``, the flipped kernel slid so that ``k[0]`` lies
at ``m = n``, each product ``x[m] k[n - m]`` under the overlap, and the output growing up to ``y[n]``
with the sum written out.

The state lives in the traits of :class:`FlipSlideModel` (an anywidget); the browser's module
(``js/flip_slide.js``) computes and draws on every key press, with no trip to Python, and stays live in
an HTML export. Python is the reference: :attr:`FlipSlideView.terms` and :attr:`FlipSlideView.output`
are what the view shows (:func:`convlib.book.figures.signals.flip_slide_terms`, checked against
:func:`convlib.convolve1d`), and the static picture is
:func:`convlib.book.figures.signals.draw_flip_and_slide`.
"""

from __future__ import annotations

import numpy as np
import traitlets

from convlib.book.figures.signals import draw_flip_and_slide, flip_slide_terms, number_text
from convlib.book.widgets.browser_view import BrowserView
from convlib.book.widgets.live_view import LiveView, read_only
from convlib.book.widgets.pictures import png_of_figure
from convlib.validation import as_numeric_array

__all__ = ["MAX_COLUMNS", "FlipSlideModel", "FlipSlideView"]

#: The most positions the view draws (N + 2K - 2): more would make its numbered cells too small to read.
MAX_COLUMNS = 16


class FlipSlideModel(BrowserView):
    """The view's state, shared by Python and the browser (see ``js/flip_slide.js``)."""

    _module = "flip_slide"
    signal = traitlets.List(traitlets.Float()).tag(sync=True)
    kernel = traitlets.List(traitlets.Float()).tag(sync=True)
    n = traitlets.Int(0).tag(sync=True)

    @traitlets.validate("n")
    def _valid_n(self, proposal: dict) -> int:
        value = proposal["value"]
        last = len(self.signal) + len(self.kernel) - 2
        if not 0 <= value <= last:
            raise traitlets.TraitError(f"n must be in 0..{last}; got {value}")
        return value


def _samples(values: object, name: str) -> np.ndarray:
    array = as_numeric_array(values, name, "FlipSlideView")
    if array.ndim != 1 or array.size < 1:
        raise ValueError(f"FlipSlideView: {name} must be 1-D with at least one sample; got shape {array.shape}")
    if array.dtype.kind == "c" or not np.all(np.isfinite(array)):
        raise ValueError(f"FlipSlideView: {name} must be real and finite (no NaN or infinity)")
    return read_only(array.astype(np.float64))


class FlipSlideView(LiveView):
    """Step through a full convolution: for output position ``n``, flip, slide, multiply, sum.

    Parameters
    ----------
    signal : array_like, shape (N,)
        The signal ``x``.
    kernel : array_like, shape (K,)
        The kernel ``k`` (a non-symmetric one shows the flip).
    n : int
        The output position shown first, ``0 <= n <= N + K - 2``.

    Examples
    --------
    >>> view = FlipSlideView([1, 2, 3, 4], [3, 2, 1], n=2)
    >>> view
    FlipSlideView(signal=[1, 2, 3, 4], kernel=[3, 2, 1], n=2): y[2] = 1·1 + 2·2 + 3·3 = 14
    >>> view.n = 5
    >>> view.output_so_far.tolist()
    [3.0, 8.0, 14.0, 20.0, 11.0, 4.0]
    >>> FlipSlideView([1, 2], [1], n=2)
    Traceback (most recent call last):
    ...
    ValueError: FlipSlideView: n must be in 0..1; got 2
    """

    def __init__(self, signal: object, kernel: object, n: int = 0) -> None:
        self._signal = _samples(signal, "signal")
        self._kernel = _samples(kernel, "kernel")
        columns = self._signal.size + 2 * self._kernel.size - 2
        if columns > MAX_COLUMNS:
            raise ValueError(
                f"FlipSlideView: N + 2K - 2 = {columns} positions would not be readable; keep it <= {MAX_COLUMNS} "
                f"(got a signal of {self._signal.size} and a kernel of {self._kernel.size} samples)"
            )
        self.widget = FlipSlideModel(signal=self._signal.tolist(), kernel=self._kernel.tolist())
        self.n = n
        self._own_widgets = [self.widget]

    @property
    def signal(self) -> np.ndarray:
        """The signal, float64, read-only."""
        return self._signal

    @property
    def kernel(self) -> np.ndarray:
        """The kernel, float64, read-only."""
        return self._kernel

    @property
    def n(self) -> int:
        """The output position shown (the slider's value)."""
        return int(self.widget.n)

    @n.setter
    def n(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"FlipSlideView: n must be an integer; got {type(value).__name__}")
        last = self._signal.size + self._kernel.size - 2
        if not 0 <= value <= last:
            raise ValueError(f"FlipSlideView: n must be in 0..{last}; got {value}")
        self.widget.n = int(value)

    @property
    def terms(self) -> tuple[np.ndarray, np.ndarray, float]:
        """The positions ``m`` of the overlap, the products ``x[m] k[n - m]`` and their sum ``y[n]``."""
        return flip_slide_terms(self._signal, self._kernel, self.n)

    @property
    def output(self) -> np.ndarray:
        """The whole full convolution, each sample summed as the view sums it."""
        size = self._signal.size + self._kernel.size - 1
        return np.array([flip_slide_terms(self._signal, self._kernel, j)[2] for j in range(size)])

    @property
    def output_so_far(self) -> np.ndarray:
        """What the view has filled in: ``y[0 .. n]``."""
        return self.output[: self.n + 1]

    def equation(self) -> str:
        """The sum written out, as the view writes it: ``y[n] = x·k + ... = total``."""
        m, _, total = self.terms
        written = " + ".join(f"{number_text(self._signal[i])}·{number_text(self._kernel[self.n - i])}" for i in m)
        return f"y[{self.n}] = {written} = {number_text(total)}"

    # --- the static picture and the text ---

    def static_png(self) -> bytes:
        """The current state as a PNG (what GitHub and nbviewer show in place of the live view)."""
        from matplotlib.figure import Figure

        figure = Figure(figsize=(8.4, 4.2), dpi=100)
        draw_flip_and_slide(figure, self._signal, self._kernel, self.n)
        return png_of_figure(figure)

    def _plain_text(self) -> str:
        signal = ", ".join(number_text(v) for v in self._signal)
        kernel = ", ".join(number_text(v) for v in self._kernel)
        return f"FlipSlideView(signal=[{signal}], kernel=[{kernel}], n={self.n}): {self.equation()}"

    def alt_text(self) -> str:
        return (
            f"Output sample {self.n} of the full convolution: the kernel and its flip side by side, the signal, "
            f"the flipped kernel slid so that k[0] lies under position {self.n}, the products under the overlap, "
            f"and the output filled up to y[{self.n}]; {self.equation()}."
        )

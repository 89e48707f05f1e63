"""WindowStepper: the 2-D sliding window stepped by hand over a small image of numbers (notebook 02).

The state lives in the traits of :class:`WindowStepperModel` (an anywidget): the browser's module
(``js/window_stepper.js``) draws the image with the window on it, the kernel, the products and the
output filled in so far, and moves the window on every key press or slider move without a trip to
Python. Python computes the same values with :func:`convlib.correlate2d` (``mode="valid"``), so
``stepper.value`` and ``stepper.output`` are the reference the notebook asserts against.
"""

from __future__ import annotations

import numpy as np
import traitlets

from convlib.book.widgets.browser_view import BrowserView
from convlib.book.widgets.live_view import LiveView, read_only
from convlib.book.widgets.pictures import compact_png, png_of_figure
from convlib.convolution import correlate2d
from convlib.validation import as_numeric_array

__all__ = ["MAX_SIDE", "WindowStepper", "WindowStepperModel"]

#: The largest image side the stepper draws (every cell carries a readable number).
MAX_SIDE = 9


class WindowStepperModel(BrowserView):
    """The stepper's state, shared by Python and the browser (see ``js/window_stepper.js``).

    ``image`` and ``kernel`` are row-major lists of numbers; ``position`` is the output position in
    reading order (row by row), ``0 .. out_height * out_width - 1``.
    """

    _module = "window_stepper"
    image = traitlets.List(traitlets.Float()).tag(sync=True)
    height = traitlets.Int(5).tag(sync=True)
    width = traitlets.Int(5).tag(sync=True)
    kernel = traitlets.List(traitlets.Float()).tag(sync=True)
    kernel_height = traitlets.Int(3).tag(sync=True)
    kernel_width = traitlets.Int(3).tag(sync=True)
    position = traitlets.Int(0).tag(sync=True)

    @traitlets.validate("position")
    def _valid_position(self, proposal: dict) -> int:
        count = (self.height - self.kernel_height + 1) * (self.width - self.kernel_width + 1)
        value = proposal["value"]
        if not 0 <= value < count:
            raise traitlets.TraitError(f"position must be in 0..{count - 1}; got {value}")
        return value


def _small_grid(values: object, name: str) -> np.ndarray:
    array = as_numeric_array(values, name, "WindowStepper")
    if array.ndim != 2 or array.size == 0:
        raise ValueError(f"WindowStepper: {name} must be a non-empty 2-D array; got shape {array.shape}")
    if array.dtype.kind == "c" or not np.all(np.isfinite(array)):
        raise ValueError(f"WindowStepper: {name} must be real and finite (no NaN, infinity or complex numbers)")
    if max(array.shape) > MAX_SIDE:
        raise ValueError(
            f"WindowStepper: {name} is {array.shape[0]}x{array.shape[1]}; at most {MAX_SIDE}x{MAX_SIDE} "
            "(every cell shows its number): use the kernel editor for photographs"
        )
    return read_only(array.astype(np.float64))


class WindowStepper(LiveView):
    """Step a kernel's window over a small image of numbers, one output position at a time.

    At each position the view shows the window of the image under the kernel, the kernel, their
    nine (or K_H x K_W) products, their sum, and the ``"valid"`` output filled in up to that position.
    The window moves with the slider, the arrow keys (on the grid: ← → along a row, ↑ ↓ between rows)
    or the buttons. The output is ``correlate2d(image, kernel, mode="valid")``: the kernel is used as
    it is, not flipped.

    Parameters
    ----------
    image : array_like (H, W)
        Real, finite numbers, at most :data:`MAX_SIDE` on a side.
    kernel : array_like (KH, KW)
        No larger than the image on either axis.
    position : int
        The starting output position, in reading order.

    Examples
    --------
    >>> stepper = WindowStepper(np.arange(25).reshape(5, 5), np.ones((3, 3)))
    >>> stepper
    WindowStepper(image=5x5, kernel=3x3, position 0 of 9: output[0, 0] = 54)
    >>> stepper.position = 5
    >>> stepper.row, stepper.column, stepper.value
    (1, 2, 117.0)
    >>> bool(stepper.value == stepper.output[1, 2] == stepper.products.sum())
    True
    """

    def __init__(self, image: object, kernel: object, position: int = 0) -> None:
        self._image = _small_grid(image, "image")
        self._kernel = _small_grid(kernel, "kernel")
        if any(k > n for k, n in zip(self._kernel.shape, self._image.shape)):
            raise ValueError(
                f"WindowStepper: the kernel {self._kernel.shape} does not fit in the image {self._image.shape}"
            )
        self._output = read_only(correlate2d(self._image, self._kernel, mode="valid"))
        self._figure = None
        self.widget = WindowStepperModel(
            image=self._image.ravel().tolist(), height=self._image.shape[0], width=self._image.shape[1],
            kernel=self._kernel.ravel().tolist(), kernel_height=self._kernel.shape[0],
            kernel_width=self._kernel.shape[1],
        )  # fmt: skip
        self.position = position
        self._own_widgets = [self.widget]

    # --- state ---

    @property
    def image(self) -> np.ndarray:
        """The image, float64, read-only."""
        return self._image

    @property
    def kernel(self) -> np.ndarray:
        """The kernel, float64, read-only."""
        return self._kernel

    @property
    def output(self) -> np.ndarray:
        """``correlate2d(image, kernel, mode="valid")``, read-only: every position's sum."""
        return self._output

    @property
    def positions(self) -> int:
        """How many output positions there are: ``(H - KH + 1) * (W - KW + 1)``."""
        return int(self._output.size)

    @property
    def position(self) -> int:
        """The output position shown, in reading order (row by row)."""
        return int(self.widget.position)

    @position.setter
    def position(self, value: int) -> None:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"WindowStepper: position must be an integer; got {value!r}")
        if not 0 <= value < self.positions:
            raise ValueError(f"WindowStepper: position must be in 0..{self.positions - 1}; got {value}")
        self.widget.position = int(value)

    @property
    def row(self) -> int:
        """The output row of the position shown (the window's top row in the image)."""
        return self.position // self._output.shape[1]

    @property
    def column(self) -> int:
        """The output column of the position shown (the window's left column in the image)."""
        return self.position % self._output.shape[1]

    @property
    def window(self) -> np.ndarray:
        """The part of the image under the kernel at the position shown."""
        kh, kw = self._kernel.shape
        return self._image[self.row : self.row + kh, self.column : self.column + kw]

    @property
    def products(self) -> np.ndarray:
        """``window * kernel``, element by element."""
        return self.window * self._kernel

    @property
    def value(self) -> float:
        """The output at the position shown (the sum of the products)."""
        return float(self._output[self.row, self.column])

    # --- the static picture and the text ---

    def static_png(self) -> bytes:
        """The current step as a PNG (what GitHub and nbviewer show in place of the live view)."""
        import matplotlib.pyplot as plt

        from convlib.book.figures.images import show_window_step

        figure = show_window_step(self._image, self._kernel, self.row, self.column)
        try:
            return compact_png(png_of_figure(figure))
        finally:
            plt.close(figure)

    def _plain_text(self) -> str:
        kh, kw = self._kernel.shape
        return (
            f"WindowStepper(image={self._image.shape[0]}x{self._image.shape[1]}, kernel={kh}x{kw}, "
            f"position {self.position} of {self.positions}: output[{self.row}, {self.column}] = {self.value:g})"
        )

    def alt_text(self) -> str:
        """What the view shows, in words."""
        kh, kw = self._kernel.shape
        return (
            f"A {self._image.shape[0]}x{self._image.shape[1]} image of numbers with a {kh}x{kw} window outlined at "
            f"row {self.row}, column {self.column}; the kernel, the {kh * kw} products of window and kernel, their "
            f"sum {self.value:g}, and the valid output filled in up to this position."
        )

"""Checkers for notebook 04 (convolution as matrix multiplication).

Each ``check_*`` runs a learner's function on many cases, including non-square images and
kernels and even kernel sizes, compares it with convlib, and names the mistake it recognises:
an unflipped kernel, a transposed matrix, height and width swapped, the last window dropped
(the classic off-by-one loop bound), the wrong ``"same"`` offset, Winograd's products done the
direct way. It prints "correct!" and returns a true
:class:`~convlib.book.exercises.core.CheckResult`, or prints "not attempted yet" and returns a false
one for a stub; a wrong answer raises :class:`~convlib.book.exercises.core.ExerciseError`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.book.exercises.core import CheckResult, ExerciseError, call_answer, run_checks
from convlib.matrices.im2col import im2col
from convlib.matrices.toeplitz import convolution_matrix
from convlib.sizes import mode_padding

__all__ = ["check_im2col", "check_toeplitz_matrix", "check_winograd_f22"]


def _as_float_array(value: object, what: str) -> np.ndarray:
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise ExerciseError(f"{what} must be an array of numbers; numpy could not convert it: {error}") from None


def _matches(got: np.ndarray, expected: np.ndarray) -> bool:
    return got.shape == expected.shape and bool(np.allclose(got, expected))


# ---------------------------------------------------------------------------------------------
# Exercise: the Toeplitz matrix of a 1-D kernel


def _toeplitz_cases() -> list[tuple[np.ndarray, int, str]]:
    """Kernels that are not symmetric (so a missing flip shows), odd and even, longer than n too."""
    rng = np.random.default_rng(4)
    cases = [(np.array([1.0, 2.0, 3.0]), 4, mode) for mode in ("full", "valid", "same")]
    for k, n in [(2, 5), (4, 7), (1, 3), (5, 5), (3, 1), (6, 4), (4, 4)]:
        kernel = rng.integers(1, 6, k).astype(float)
        kernel[0] += 10  # never symmetric
        for mode in ("full", "same", "valid"):
            if mode == "valid" and k > n:
                continue
            cases.append((kernel, n, mode))
    return cases


def _full_rows(kernel: np.ndarray, n: int) -> np.ndarray:
    return convolution_matrix(kernel, n, "full")


def _diagnose_toeplitz(got: np.ndarray, kernel: np.ndarray, n: int, mode: str) -> str:
    """Name the mistake in a learner's matrix (which does not equal the right one)."""
    k = kernel.size
    expected = convolution_matrix(kernel, n, mode)
    rows = expected.shape[0]
    where = f"for kernel={kernel.tolist()}, n={n}, mode={mode!r}"
    sizes = {"full": n + k - 1, "same": n, "valid": n - k + 1}
    if got.ndim != 2:
        return f"your answer has shape {got.shape} {where}; a matrix is 2-D: (outputs, inputs) = {expected.shape}"
    if got.shape == (n, rows) and got.shape != expected.shape:
        if np.allclose(got.T, expected):
            return f"your matrix is transposed {where}: rows are outputs and columns inputs, shape {expected.shape}"
        return f"your matrix has shape {got.shape} {where}: rows are outputs, columns inputs: {expected.shape}"
    if got.shape != expected.shape:
        named = [name for name, size in sizes.items() if size == got.shape[0] and name != mode]
        hint = f" (that is the {named[0]!r} length)" if named and got.shape[1] == n else ""
        return (
            f"your matrix has shape {got.shape} {where}; it must be (outputs, inputs) = {expected.shape}{hint}. "
            f"'{mode}' gives {rows} outputs for {n} inputs and a kernel of {k}"
        )
    if rows == n and np.allclose(got.T, expected):
        return f"your matrix is transposed {where}: row i must hold the weights of output i, T[i, j] = k[i - j]"
    if _matches(got, convolution_matrix(kernel[::-1], n, mode)):
        return (
            f"your matrix computes cross-correlation {where}: the kernel is not flipped. In T[i, j] = k[i - j] "
            "the kernel runs *down* each column (k[0] on the diagonal, k[1] below it)"
        )
    full = _full_rows(kernel, n)
    for start in range(full.shape[0] - rows + 1):
        if _matches(got, full[start : start + rows]):
            right = k - 1 - mode_padding(k, mode)[0]  # where mode's rows start inside 'full'
            if mode == "same" and start == k // 2:
                return (
                    f"{where} (an even kernel): 'same' keeps the rows of 'full' from (K - 1) // 2 = {right}, "
                    f"not K // 2 = {start} (you centred it the way scipy.ndimage does)"
                )
            return (
                f"your rows are rows {start}..{start + rows - 1} of the 'full' matrix {where}; "
                f"'{mode}' keeps rows {right}..{right + rows - 1} (off by {start - right:+d})"
            )
    wrong = np.argwhere(~np.isclose(got, expected))[0]
    return (
        f"wrong values {where}: entry {tuple(int(v) for v in wrong)} should be "
        f"{expected[tuple(wrong)]:g}, got {got[tuple(wrong)]:g}. Expected\n{expected}\ngot\n{got}"
    )


def check_toeplitz_matrix(function: Callable[[np.ndarray, int, str], object]) -> CheckResult:
    """Check a learner's ``function(kernel, n, mode)`` returning the matrix of 1-D convolution.

    The answer must be the matrix ``T`` with ``T @ x == convolve1d(x, kernel, mode)`` for every
    signal ``x`` of length ``n``: shape (output length, n), ``T[i, j] = k[i - j]`` for ``"full"``,
    and for ``"same"`` and ``"valid"`` the rows of the ``"full"`` matrix from ``(K - 1) // 2``
    and ``K - 1``.

    Recognises: the kernel not flipped (a correlation matrix), a transposed matrix, the size of
    another mode, rows taken from the wrong place (``"same"`` centred at ``K // 2`` for an even
    kernel, or off by one).

    Examples
    --------
    >>> from convlib.matrices.toeplitz import convolution_matrix
    >>> check_toeplitz_matrix(lambda kernel, n, mode: convolution_matrix(kernel, n, mode))
    toeplitz_matrix: correct!
    CheckResult(passed=True)
    >>> check_toeplitz_matrix(lambda kernel, n, mode: convolution_matrix(kernel[::-1], n, mode))
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: your matrix computes cross-correlation for kernel=[1.0, 2.0, 3.0], ...
    """

    def checks() -> None:
        for kernel, n, mode in _toeplitz_cases():
            got = _as_float_array(call_answer(function, kernel.copy(), n, mode), "your matrix")
            if not _matches(got, convolution_matrix(kernel, n, mode)):
                raise ExerciseError(_diagnose_toeplitz(got, kernel, n, mode))

    return run_checks("toeplitz_matrix", checks)


# ---------------------------------------------------------------------------------------------
# Exercise: im2col for one image


_IM2COL_CASES = [  # (image shape, kernel shape): height and width differ nearly everywhere
    ((4, 4), (2, 2)),
    ((4, 5), (2, 3)),
    ((5, 4), (3, 2)),
    ((6, 7), (1, 4)),
    ((2, 6), (2, 1)),
    ((4, 4), (4, 4)),
    ((7, 5), (3, 3)),
]


def _square_hint(square_ok: bool, shape: tuple[int, int], kernel: tuple[int, int]) -> str:
    """A hint for an answer that passed a square case and fails a non-square one."""
    if square_ok and (kernel[0] != kernel[1] or shape[0] != shape[1]):
        return (
            " Your function passed the square cases: look for a place where you use the height where the width "
            "is meant (KH for KW, H for W)."
        )
    return ""


def _diagnose_im2col(got: np.ndarray, image: np.ndarray, kernel: tuple[int, int], square_ok: bool) -> str:
    height, width = image.shape
    kh, kw = kernel
    oh, ow = height - kh + 1, width - kw + 1
    expected = im2col(image[None, None], kernel)[0]
    where = f"for a {height}×{width} image and a {kh}×{kw} kernel"
    if got.ndim != 2:
        return f"your answer has shape {got.shape} {where}; im2col gives a 2-D matrix (KH*KW, OH*OW) = {expected.shape}"
    if got.shape == expected.shape[::-1] and np.allclose(got.T, expected):
        return (
            f"you put each window in a row {where}: im2col makes each window a *column*, "
            f"shape (KH*KW, OH*OW) = {expected.shape}; return the transpose"
        )
    if kh != kw and height - kw + 1 > 0 and width - kh + 1 > 0:
        if _matches(got, im2col(image[None, None], (kw, kh))[0]):
            return f"you swapped the kernel's height and width {where}: windows are KH = {kh} rows by KW = {kw} columns"
    if got.shape[1] == (oh - 1) * (ow - 1) and got.shape[1] != expected.shape[1]:
        return (
            f"you have {got.shape[1]} windows {where}, but there are (H - KH + 1)(W - KW + 1) = {oh}·{ow} = "
            f"{oh * ow}: the last row and column of windows are missing. range(H - KH) stops one short; "
            "use range(H - KH + 1)"
        )
    hint = _square_hint(square_ok, image.shape, kernel)
    if got.shape != expected.shape:
        return (
            f"your matrix has shape {got.shape} {where}; it must be (KH*KW, OH*OW) = ({kh}·{kw}, {oh}·{ow}) = "
            f"{expected.shape}: one row per kernel tap, one column per window.{hint}"
        )
    by_columns = expected.reshape(kh * kw, oh, ow).transpose(0, 2, 1).reshape(kh * kw, -1)
    if _matches(got, by_columns):
        return (
            f"your windows are in the wrong order {where}: window (oy, ox) goes to column oy·OW + ox "
            "(along the first output row first), as the output is raveled row by row"
        )
    by_taps = expected.reshape(kh, kw, -1).transpose(1, 0, 2).reshape(kh * kw, -1)
    if _matches(got, by_taps):
        return f"each window must be raveled row by row {where}: tap (i, j) goes to row i·KW + j, not j·KH + i"
    if _matches(got, expected[::-1]):
        return f"your windows are flipped {where}: im2col copies each window as it is (a flip belongs to the kernel)"
    return f"wrong values {where}.{hint} Expected\n{expected}\ngot\n{got}"


def check_im2col(function: Callable[[np.ndarray, tuple[int, int]], object]) -> CheckResult:
    """Check a learner's ``function(image, kernel_shape)``: im2col of one 2-D image, stride 1, no padding.

    The answer must have shape ``(KH*KW, OH*OW)`` with ``OH = H - KH + 1``, ``OW = W - KW + 1``:
    window ``(oy, ox)`` raveled row by row in column ``oy*OW + ox``, i.e.
    ``convlib.im2col(image[None, None], kernel_shape)[0]``.

    Recognises: windows as rows (the transpose), the last row and column of windows missing
    (``range(H - KH)``), the kernel's height and width swapped, windows or taps in column-major
    order, and mistakes that only show when height and width differ.

    Examples
    --------
    >>> from convlib.matrices.im2col import im2col
    >>> check_im2col(lambda image, shape: im2col(image[None, None], shape)[0])
    im2col: correct!
    CheckResult(passed=True)
    >>> check_im2col(lambda image, shape: im2col(image[None, None], shape)[0].T)
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: you put each window in a row for a 4×4 image and a 2×2 kernel: ...
    """

    def checks() -> None:
        square_ok = False
        for number, (shape, kernel) in enumerate(_IM2COL_CASES):
            image = np.arange(1.0, 1.0 + shape[0] * shape[1]).reshape(shape) + 0.5 * number
            try:
                answer = call_answer(function, image.copy(), kernel)
            except ExerciseError as error:
                raise ExerciseError(f"{error}{_square_hint(square_ok, shape, kernel)}") from error
            got = _as_float_array(answer, "your matrix")
            if not _matches(got, im2col(image[None, None], kernel)[0]):
                raise ExerciseError(_diagnose_im2col(got, image, kernel, square_ok))
            square_ok = square_ok or (kernel[0] == kernel[1] and shape[0] == shape[1])

    return run_checks("im2col", checks)


# ---------------------------------------------------------------------------------------------
# Exercise: the output shape of conv2d


_SHAPE_CASES = [  # (x_shape, weight_shape, stride, padding, dilation); pairs are (height, width)
    ((1, 1, 5, 5), (1, 1, 3, 3), (1, 1), (0, 0), (1, 1)),
    ((64, 3, 32, 32), (16, 3, 5, 5), (1, 1), (2, 2), (1, 1)),
    ((8, 3, 28, 20), (6, 3, 3, 5), (1, 1), (0, 0), (1, 1)),
    ((2, 4, 31, 17), (8, 4, 3, 3), (2, 3), (1, 0), (1, 1)),
    ((1, 2, 10, 12), (5, 2, 3, 2), (1, 1), (0, 1), (2, 3)),
    ((3, 1, 9, 16), (2, 1, 4, 1), (3, 2), (2, 0), (1, 1)),
    ((5, 3, 7, 11), (7, 3, 2, 3), (2, 2), (1, 2), (3, 2)),
]


# ---------------------------------------------------------------------------------------------
# Exercise: Winograd's F(2, 2), two outputs of a 2-tap filter with three multiplications


class _Tracked:
    """A number that remembers whether it depends on the data and on the weights.

    Every product that joins a data-dependent factor with a weight-dependent one is tallied: those
    are the multiplications a fast algorithm counts (combinations of the weights alone are computed
    once per filter, and are free).
    """

    __slots__ = ("data", "tally", "value", "weight")

    def __init__(self, value: float, data: bool, weight: bool, tally: list[int]) -> None:
        self.value, self.data, self.weight, self.tally = float(value), data, weight, tally

    def _lift(self, other: object) -> _Tracked:
        if isinstance(other, _Tracked):
            return other
        if isinstance(other, int | float | np.integer | np.floating) and not isinstance(other, bool):
            return _Tracked(float(other), False, False, self.tally)
        return NotImplemented

    def _join(self, other: _Tracked, value: float) -> _Tracked:
        return _Tracked(value, self.data or other.data, self.weight or other.weight, self.tally)

    def __add__(self, other: object) -> _Tracked:
        o = self._lift(other)
        return o if o is NotImplemented else self._join(o, self.value + o.value)

    __radd__ = __add__

    def __sub__(self, other: object) -> _Tracked:
        o = self._lift(other)
        return o if o is NotImplemented else self._join(o, self.value - o.value)

    def __rsub__(self, other: object) -> _Tracked:
        o = self._lift(other)
        return o if o is NotImplemented else self._join(o, o.value - self.value)

    def __mul__(self, other: object) -> _Tracked:
        o = self._lift(other)
        if o is NotImplemented:
            return o
        if (self.data and o.weight) or (self.weight and o.data):
            self.tally.append(1)
        return self._join(o, self.value * o.value)

    __rmul__ = __mul__

    def __truediv__(self, other: object) -> _Tracked:
        o = self._lift(other)
        if o is NotImplemented:
            return o
        if (self.data and o.weight) or (self.weight and o.data):
            self.tally.append(1)
        return self._join(o, self.value / o.value)

    def __neg__(self) -> _Tracked:
        return _Tracked(-self.value, self.data, self.weight, self.tally)

    def __pos__(self) -> _Tracked:
        return self

    def __float__(self) -> float:
        raise TypeError(
            "keep d[i] and g[i] as they come (no float(), no np.asarray(..., dtype=float)): "
            "the checker counts your multiplications through them"
        )

    def __repr__(self) -> str:
        return f"{self.value:g}"


def _plain(value: object) -> float:
    if isinstance(value, _Tracked):
        return value.value
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ExerciseError(f"each output must be a number; got {value!r}") from None


def check_winograd_f22(function: Callable[[np.ndarray, np.ndarray], object]) -> CheckResult:
    """Check a learner's ``function(d, g)``: the two outputs of a 2-tap filter with three multiplications.

    ``d`` holds three inputs and ``g`` two taps; the answer is ``[y0, y1]`` with
    ``y0 = d0 g0 + d1 g1`` and ``y1 = d1 g0 + d2 g1`` (cross-correlation, as in a CNN layer),
    computed with at most three products of a data-dependent number by a weight-dependent one.
    The checker passes numbers that count those products.

    Recognises: the direct method (four products), the convolution instead of the correlation
    (the taps reversed), the outputs swapped, a wrong number of outputs, and numbers converted to
    float (which would hide the products).

    Examples
    --------
    >>> def shared(d, g):
    ...     m = d[1] * (g[0] + g[1])
    ...     return [(d[0] - d[1]) * g[0] + m, m + (d[2] - d[1]) * g[1]]
    >>> check_winograd_f22(shared)
    winograd_f22: correct!
    CheckResult(passed=True)
    >>> check_winograd_f22(lambda d, g: [d[0] * g[0] + d[1] * g[1], d[1] * g[0] + d[2] * g[1]])
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: right values, but 4 multiplications of data by weights (that is ...
    """

    def checks() -> None:
        rng = np.random.default_rng(22)
        for _ in range(6):
            d_values = rng.integers(-9, 10, 3).astype(float)
            g_values = rng.integers(-9, 10, 2).astype(float)
            g_values[0] = abs(g_values[0]) + 10  # above every g[1]: a reversed kernel shows
            tally: list[int] = []
            d = np.array([_Tracked(v, True, False, tally) for v in d_values], dtype=object)
            g = np.array([_Tracked(v, False, True, tally) for v in g_values], dtype=object)
            answer = call_answer(function, d, g)
            where = f"for d = {d_values.tolist()}, g = {g_values.tolist()}"
            try:
                values = [_plain(v) for v in answer]
            except TypeError:
                raise ExerciseError(f"return the two outputs [y0, y1] {where}; got {answer!r}") from None
            expected = np.array(
                [
                    d_values[0] * g_values[0] + d_values[1] * g_values[1],
                    d_values[1] * g_values[0] + d_values[2] * g_values[1],
                ]
            )
            if len(values) != 2:
                raise ExerciseError(f"return two outputs [y0, y1] {where}; got {len(values)}: {values}")
            if not np.allclose(values, expected):
                convolution = np.convolve(d_values, g_values, "valid")
                if np.allclose(values, convolution):
                    raise ExerciseError(
                        f"you computed the convolution {where} (the taps reversed: y0 = d0 g1 + d1 g0). "
                        "A CNN layer correlates: y0 = d0 g0 + d1 g1, y1 = d1 g0 + d2 g1"
                    )
                if np.allclose(values, expected[::-1]):
                    raise ExerciseError(f"your outputs are swapped {where}: return [y0, y1] = {expected.tolist()}")
                raise ExerciseError(f"wrong values {where}: expected [y0, y1] = {expected.tolist()}, got {values}")
            if len(tally) > 3:
                hint = " (that is the direct method)" if len(tally) == 4 else ""
                raise ExerciseError(
                    f"right values, but {len(tally)} multiplications of data by weights{hint} {where}; "
                    "F(2, 2) needs 3. Look for one product that both outputs can share, then correct each "
                    "output with one more product. Sums of the weights alone are free."
                )

    return run_checks("winograd_f22", checks)

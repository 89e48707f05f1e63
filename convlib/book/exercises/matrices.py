"""Checkers for notebook 04 (convolution as matrix multiplication).

Each ``check_*`` runs a learner's function on many cases, including non-square images and
kernels and even kernel sizes, compares it with convlib, and names the mistake it recognises:
an unflipped kernel, a transposed matrix, height and width swapped, the last window dropped
(the off-by-one of the seed post's loop), the wrong ``"same"`` offset, a formula missing the
dilation or counting the padding once. It prints "correct!" and returns ``True``, or prints
"not attempted yet" and returns ``False`` for a stub; a wrong answer raises
:class:`~convlib.book.exercises.core.ExerciseError`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.book.exercises.core import ExerciseError, call_answer, run_checks
from convlib.matrices.im2col import im2col
from convlib.matrices.toeplitz import convolution_matrix
from convlib.sizes import mode_padding, output_size

__all__ = ["check_conv_output_shape", "check_im2col", "check_toeplitz_matrix"]


def _as_float_array(value: object, what: str) -> np.ndarray:
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise ExerciseError(f"{what} must be an array of numbers; numpy could not convert it: {error}") from None


def _matches(got: np.ndarray, expected: np.ndarray) -> bool:
    return got.shape == expected.shape and np.allclose(got, expected)


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
                    f"for an even kernel {where}, 'same' keeps the rows of 'full' from (K - 1) // 2 = {right}, "
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


def check_toeplitz_matrix(function: Callable[[np.ndarray, int, str], object]) -> bool:
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
    True
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


def check_im2col(function: Callable[[np.ndarray, tuple[int, int]], object]) -> bool:
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
    True
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


def _axis_candidates(n: int, k: int, s: int, p: int, d: int) -> dict[str, float]:
    """What common mistakes give on one axis."""
    span = d * (k - 1) + 1
    return {
        "forgot the + 1 (there is one window before the first step)": (n + 2 * p - span) // s,
        "forgot the dilation: a dilated kernel spans D·(K − 1) + 1 samples, not K": (n + 2 * p - k) // s + 1,
        "counted the padding once: it is added on *both* sides, 2·P": (n + p - span) // s + 1,
        "forgot the padding": (n - span) // s + 1 if n >= span else -1,
        "forgot the stride": n + 2 * p - span + 1,
        "rounded up: a window that sticks out past the padded input is dropped, so use floor (//)": -(
            -(n + 2 * p - span) // s
        )
        + 1,
    }


def check_conv_output_shape(function: Callable[..., object]) -> bool:
    """Check a learner's ``function(x_shape, weight_shape, stride, padding, dilation)`` → ``(N, C_out, OH, OW)``.

    ``x_shape`` is ``(N, C_in, H, W)``, ``weight_shape`` is ``(C_out, C_in, KH, KW)`` (notebook 04's
    names: ``C_out`` filters over ``C_in`` input channels), and ``stride``, ``padding``, ``dilation``
    are ``(height, width)`` pairs. The answer is ``(N, C_out, OH, OW)`` with
    ``OH = (H + 2·PH − DH·(KH − 1) − 1) // SH + 1`` and likewise ``OW``, as
    ``torch.nn.functional.conv2d`` and :func:`convlib.conv2d` give.

    Recognises: the input channels C_in instead of the filters C_out, height and width swapped, a
    missing ``+ 1``, the dilation or the padding or the stride forgotten, the padding counted
    once, rounding up, float sizes from ``/``.

    Examples
    --------
    >>> from convlib.sizes import output_size
    >>> def shape(x_shape, weight_shape, stride, padding, dilation):
    ...     sizes = [output_size(n, k, s, p, d) for n, k, s, p, d in
    ...              zip(x_shape[2:], weight_shape[2:], stride, padding, dilation)]
    ...     return (x_shape[0], weight_shape[0], *sizes)
    >>> check_conv_output_shape(shape)
    conv_output_shape: correct!
    True
    """

    def checks() -> None:
        for x_shape, weight_shape, stride, padding, dilation in _SHAPE_CASES:
            got = call_answer(function, x_shape, weight_shape, stride, padding, dilation)
            sizes = [output_size(*axis) for axis in zip(x_shape[2:], weight_shape[2:], stride, padding, dilation)]
            expected = (x_shape[0], weight_shape[0], *sizes)
            where = (
                f"for x_shape={x_shape}, weight_shape={weight_shape}, stride={stride}, padding={padding}, "
                f"dilation={dilation}"
            )
            try:
                values = tuple(got)
            except TypeError:
                raise ExerciseError(f"return a tuple (N, C_out, OH, OW) {where}; got {got!r}") from None
            if len(values) != 4:
                raise ExerciseError(f"return four numbers (N, C_out, OH, OW) {where}; got {got!r}")
            if any(isinstance(v, float | np.floating) for v in values):
                raise ExerciseError(
                    f"sizes are whole numbers {where}: you returned {got!r}, expected {expected}. Use integer "
                    "division // (it rounds down, as the layer does), not /"
                )
            if tuple(values) == expected:
                continue
            n, f, oh, ow = values
            if n != expected[0]:
                raise ExerciseError(f"the batch size N {where} is x_shape[0] = {expected[0]}; got {n}")
            if f != expected[1]:
                extra = " (that is C_in, the input channels)" if f == x_shape[1] else ""
                raise ExerciseError(
                    f"the output has one channel per filter {where}: C_out = weight_shape[0] = {expected[1]}; "
                    f"got {f}{extra}"
                )
            if (oh, ow) == tuple(sizes[::-1]):
                raise ExerciseError(f"height and width are swapped {where}: expected (OH, OW) = {tuple(sizes)}")
            for a, (axis, value) in enumerate((("height", oh), ("width", ow))):
                right = sizes[a]
                if value == right:
                    continue
                n_axis, k, s, p, d = x_shape[2 + a], weight_shape[2 + a], stride[a], padding[a], dilation[a]
                if value == sizes[1 - a]:
                    raise ExerciseError(
                        f"your {axis} {value} {where} is the other axis's size: use H, KH, SH, PH, DH for the height "
                        "and W, KW, SW, PW, DW for the width"
                    )
                named = [why for why, wrong in _axis_candidates(n_axis, k, s, p, d).items() if wrong == value]
                hint = f": you {named[0]}" if named else ""
                raise ExerciseError(
                    f"the output {axis} {where} is floor((n + 2·P − D·(K − 1) − 1) / S) + 1 = "
                    f"floor(({n_axis} + 2·{p} − {d}·({k} − 1) − 1) / {s}) + 1 = {right}; got {value}{hint}"
                )

    return run_checks("conv_output_shape", checks)

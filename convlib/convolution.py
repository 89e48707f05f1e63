"""Convolution and cross-correlation of signals (1-D) and images (2-D).

The four public functions share one engine. Each step is plain:

1. check the inputs and choose the result's dtype (:mod:`convlib.validation`);
2. **convolution flips the kernel** on every axis; correlation does not;
3. pad the input as ``mode`` and ``boundary`` require (:mod:`convlib.padding`);
4. slide the (possibly flipped) kernel over the padded input at the ``"valid"``
   positions, by one of three methods with the same result:
   ``"naive"`` (:mod:`convlib.engines.naive`, loops), ``"direct"`` (:mod:`convlib.engines.shift_add`,
   shift-and-add) or ``"fft"`` (:mod:`convlib.engines.fft`); ``"auto"`` picks direct or FFT,
   and :func:`choose_method` says which and why.

Every method accumulates ``float16`` in ``float64`` and rounds once at the end. The FFT is used
only where its result is right: finite inputs; values whose sums cannot overflow (values near the
ends of the range are scaled by powers of two around the transform, which is exact); and integers
small enough for its rounding to whole numbers to be exact. ``method="fft"`` refuses other inputs
with a ``ValueError`` that says why, and ``"auto"`` takes the direct method for them.

Output sizes, for an input of ``N`` samples and a kernel of ``K`` on one axis:
``"full"`` gives ``N + K - 1``, ``"same"`` gives ``N``, ``"valid"`` gives ``N - K + 1``.
``"same"`` is the centre of ``"full"``, starting at index ``(K - 1) // 2``: for an
even kernel the extra sample of padding goes *before* the input (:func:`convlib.sizes.mode_padding`).
That is where ``numpy.convolve`` and ``scipy.signal.convolve``/``convolve2d`` put it too.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from convlib.engines import fft, naive, shift_add
from convlib.padding import check_boundary
from convlib.sizes import mode_padding
from convlib.validation import (
    METHODS,
    MODES,
    accumulation_dtype,
    all_finite,
    as_numeric_array,
    as_real_number,
    check_allocation,
    check_choice,
    check_finite,
    check_ndim,
    result_dtype,
)

#: ``method="auto"`` picks the FFT when the direct method's multiply-adds exceed the FFT's
#: ``F log2 F`` by this factor (measured by ``benchmarks/benchmark.py``).
FFT_COST_FACTOR = 2.5

#: Integer inputs stay on the direct method when ``max|data| * max|kernel| * sqrt(N * K)`` (``N`` the padded
#: data's size) could reach this: beyond it the FFT's float64 rounding error can approach 0.5 and rounding its
#: result to whole numbers is no longer exact (:func:`convlib.engines.fft.integers_exact`).
FFT_EXACT_INTEGER_LIMIT = fft.EXACT_INTEGER_LIMIT

_NON_FINITE = "the data hold NaN or infinity, which the FFT would spread"
_LARGE_INTEGERS = "integer data so large that the FFT's rounding could change whole-number results"
_OVERFLOW = "values so large that a sum could overflow {dtype}: direct summation gives inf there, the FFT could not"


class MethodChoice(NamedTuple):
    """What ``method="auto"`` picks for given inputs (:func:`choose_method`), and why."""

    method: str
    """``"direct"`` or ``"fft"``."""
    reason: str
    """One sentence a person can read."""
    direct_cost: float
    """Multiply-adds of shift-and-add (two 1-D passes for a separable kernel on a large image)."""
    fft_cost: float
    """``FFT_COST_FACTOR * F log2 F`` for the padded size ``F``; 0 where the FFT is not allowed."""


def _choose(p: _Prepared) -> tuple[MethodChoice, _FFTSafety | None]:
    """The rule behind ``method="auto"``: the FFT when it is safe and expected to be faster, else direct.

    Not safe: NaN or infinity (the FFT spreads them), values whose sums could overflow, and integer
    data whose products could exceed float64's 53-bit mantissa (see :func:`_fft_safety`). The
    safety checks (a pass over the data) run only when the costs favour the FFT; they are returned
    so that the FFT need not repeat them.
    """
    out_size = float(np.prod([n - k + 1 for n, k in zip(p.padded_shape, p.kernel.shape)]))
    separable = shift_add.splits(p.padded_shape, p.kernel)  # two passes of KH and KW taps
    direct_cost = out_size * (sum(p.kernel.shape) if separable else p.kernel.size)
    if not p.finite:
        return MethodChoice("direct", _NON_FINITE, direct_cost, 0.0), None
    fft_cost = FFT_COST_FACTOR * float(fft.fft_work(p.padded_shape, p.kernel.shape))
    taps = f"{p.kernel.shape[0]}+{p.kernel.shape[1]} taps in two passes" if separable else f"{p.kernel.size} taps"
    if direct_cost <= fft_cost:
        return MethodChoice("direct", f"{taps} cost fewer operations than the FFT", direct_cost, fft_cost), None
    safety = _fft_safety(p)
    if safety.problem:
        return MethodChoice("direct", safety.problem, direct_cost, 0.0), None
    return MethodChoice("fft", f"{taps} cost more operations than the FFT", direct_cost, fft_cost), safety


class _FFTSafety(NamedTuple):
    """Whether the FFT gives the right result for prepared inputs (:func:`_fft_safety`), with what it found."""

    problem: str
    """Empty when the FFT is safe, else why not (a reason for :class:`MethodChoice`)."""
    largest: tuple[np.floating, np.floating]
    """``(max |data or fill_value|, max |kernel|)`` in the accumulation dtype (the FFT scales by them)."""
    kernel_abs_sum: np.floating


def _fft_safety(p: _Prepared) -> _FFTSafety:
    """Whether the FFT's result would be right: finite inputs, no sum that could overflow, exact integers.

    One pass over the data (its largest magnitude, computed without wrapping: ``abs`` of the most
    negative int64 is negative); a constant border's ``fill_value`` counts as data.
    """
    work = accumulation_dtype(p.dtype)
    with np.errstate(over="ignore"):  # a fill_value beyond a float32 range is inf: not overflow-free, below
        largest_data = work.type(fft.largest_magnitude(p.data))
        if p.fill_used:
            largest_data = max(largest_data, work.type(abs(p.fill_value)))
        largest_kernel = work.type(fft.largest_magnitude(p.kernel))
        kernel_abs_sum = np.sum(np.abs(p.kernel), dtype=work)
    largest = (largest_data, largest_kernel)
    if not p.finite:
        return _FFTSafety(_NON_FINITE, largest, kernel_abs_sum)
    data_size = int(np.prod(p.padded_shape))
    if p.exact_integers and not fft.integers_exact(largest_data, largest_kernel, data_size, p.kernel.size):
        return _FFTSafety(_LARGE_INTEGERS, largest, kernel_abs_sum)
    if not fft.overflow_free(largest_data, kernel_abs_sum, p.dtype):
        return _FFTSafety(_OVERFLOW.format(dtype=work.name), largest, kernel_abs_sum)
    return _FFTSafety("", largest, kernel_abs_sum)


def _refuse_fft(function: str, p: _Prepared, safety: _FFTSafety) -> ValueError:
    """The ``ValueError`` for ``method="fft"`` on inputs it would get wrong: which argument, what it holds, why."""
    data_name = "signal" if p.ndim == 1 else "image"
    if safety.problem == _NON_FINITE:
        reason = "the FFT would spread it over the whole output; use method='direct'"
        check_finite(p.data, data_name, function, reason)
        check_finite(p.kernel, "kernel", function, reason)
        value = f"{p.fill_value}" if not np.isfinite(p.fill_value) else f"{p.fill_value}, which is inf in {p.dtype}"
        return ValueError(f"{function}: fill_value is {value}; the FFT would spread it over the whole output")
    largest_data = float(fft.largest_magnitude(p.data))
    which = "fill_value" if p.fill_used and abs(p.fill_value) > largest_data else data_name
    largest_data = max(largest_data, abs(p.fill_value)) if which == "fill_value" else largest_data
    if safety.problem == _LARGE_INTEGERS:
        return ValueError(
            f"{function}: method='fft' is exact for integers only while max|{data_name}| * max|kernel| * "
            f"sqrt(N * K) < 2**45; got {which} values up to {largest_data:.6g} and kernel values up to "
            f"{float(safety.largest[1]):.6g} (N = {int(np.prod(p.padded_shape))}, K = {p.kernel.size}), for which "
            "the FFT's rounding could change whole-number results; use method='direct' (or 'auto')"
        )
    work = accumulation_dtype(p.dtype)
    return ValueError(
        f"{function}: method='fft' needs sums that cannot overflow {work.name}; got {which} values up to "
        f"{largest_data:.6g} and a kernel whose absolute values sum to {float(safety.kernel_abs_sum):.6g}, whose "
        f"product exceeds the largest {work.name} ({float(np.finfo(work).max):.6g}): where a sum overflows, direct "
        "summation gives inf and the FFT cannot match it; use method='direct' (or 'auto')"
    )


def _integer_result(data: np.ndarray, kernel: np.ndarray) -> bool:
    """Whether both inputs are integers (or bools): then every output is a whole number."""
    return data.dtype.kind in "biu" and kernel.dtype.kind in "biu"


def _pad(data: np.ndarray, widths: list[tuple[int, int]], boundary: str, fill_value: float) -> np.ndarray:
    """``numpy.pad`` of a 2-D array, with a quicker path for a constant border (one pass, no set-up cost)."""
    if not any(before or after for before, after in widths):
        return data
    if boundary != "constant":
        return np.pad(data, widths, mode=boundary)
    (top, bottom), (left, right) = widths
    height, width = data.shape
    padded = np.empty((height + top + bottom, width + left + right), dtype=data.dtype)
    padded[top : top + height, left : left + width] = data  # each sample is written once
    padded[:top] = fill_value
    padded[top + height :] = fill_value
    padded[top : top + height, :left] = fill_value
    padded[top : top + height, left + width :] = fill_value
    return padded


def _check_memory(
    function: str, data: np.ndarray, kernel: np.ndarray, widths: list[tuple[int, int]], dtype: np.dtype, mode: str
) -> None:
    """Refuse up front a padded input above ``MAX_ARRAY_BYTES``: ``mode`` and the kernel's size ask for too much.

    The padded input is the largest array a call makes: the output, a converted copy of the kernel
    and the FFT's arrays are each at most about its size. Counted in the accumulation dtype (float16
    is summed in float64).
    """
    shape = [n + before + after for n, (before, after) in zip((1,) * (2 - data.ndim) + data.shape, widths)]
    data_name = "signal" if data.ndim == 1 else "image"
    what = lambda: f"mode={mode!r} with kernel shape {kernel.shape} and {data_name} shape {data.shape}"  # if refused
    check_allocation(shape[2 - data.ndim :], fft.accumulation_dtype(dtype), function, what)


class _Prepared(NamedTuple):
    """Checked inputs, as the engines take them: 2-D arrays (a signal is one row) in the result's dtype."""

    data: np.ndarray
    kernel: np.ndarray  # flipped for convolution
    dtype: np.dtype
    widths: list[tuple[int, int]]  # (before, after) padding per axis for the mode
    boundary: str
    fill_value: float
    fill_used: bool  # a constant border that the output sees
    finite: bool
    exact_integers: bool  # whole numbers in, whole numbers out: integer data and kernel (and fill_value)
    ndim: int

    @property
    def padded_shape(self) -> tuple[int, ...]:
        return tuple(n + before + after for n, (before, after) in zip(self.data.shape, self.widths))


def _prepare(
    function: str, data: object, kernel: object, *, ndim: int, flip: bool, mode: str, boundary: str, fill_value: float
) -> _Prepared:
    """Check the inputs (every error names the argument) and lay them out for the engines."""
    data_name = "signal" if ndim == 1 else "image"
    data = as_numeric_array(data, data_name, function)
    kernel = as_numeric_array(kernel, "kernel", function)
    check_ndim(data, data_name, ndim, function)
    check_ndim(kernel, "kernel", ndim, function)
    check_choice(mode, "mode", MODES, function)
    boundary = check_boundary(boundary, function)
    if mode == "valid" and any(k > n for n, k in zip(data.shape, kernel.shape)):
        raise ValueError(
            f"{function}: mode='valid' needs a kernel no larger than the {data_name} in every dimension; "
            f"got kernel shape {kernel.shape} for {data_name} shape {data.shape} (there is no position where it fits)"
        )
    fill_value = as_real_number(fill_value, "fill_value", function)
    fill_used = boundary == "constant" and mode != "valid"
    dtype = result_dtype(data, kernel)
    # The engines work on 2-D arrays; a signal is an image one row high.
    widths = [mode_padding(k, mode) for k in (kernel.shape if ndim == 2 else (1, *kernel.shape))]
    _check_memory(function, data, kernel, widths, dtype, mode)  # before any pass over the data
    with np.errstate(over="ignore"):  # the border holds fill_value in the result's dtype: 1e308 is inf in float32
        fill_finite = not fill_used or bool(np.isfinite(dtype.type(fill_value)))
    finite = all_finite(data) and all_finite(kernel) and fill_finite
    exact_integers = _integer_result(data, kernel) and (not fill_used or fill_value.is_integer())
    if flip:  # convolution: flip the kernel on every axis; correlation uses it as it is
        kernel = kernel[(slice(None, None, -1),) * ndim]
    data2d = np.atleast_2d(data.astype(dtype, copy=False))
    kernel2d = np.atleast_2d(kernel.astype(dtype, copy=False))
    return _Prepared(data2d, kernel2d, dtype, widths, boundary, fill_value, fill_used, finite, exact_integers, ndim)


def choose_method(
    image: object, kernel: object, mode: str = "full", *, boundary: str = "constant", fill_value: float = 0.0
) -> MethodChoice:
    """Which method ``method="auto"`` uses for these inputs, and why (as ``scipy.signal.choose_conv_method``).

    ``"auto"`` takes the FFT when it is safe and its estimated cost is lower: shift-and-add costs
    one multiply-add per output sample and kernel tap (``KH + KW`` taps for a separable kernel on
    a large image), the FFT about ``FFT_COST_FACTOR * F log2 F`` for the padded size ``F``. The FFT
    is never used for NaN or infinity (it would spread them over the whole output), for values whose
    sums could overflow (``max|data or fill_value| * sum|kernel|`` beyond the float range: direct
    summation gives inf there, the FFT could not), nor for integer data large enough for its rounding
    to change a whole-number result. Those checks take one pass over the data, only when the costs
    favour the FFT.

    Parameters
    ----------
    image : array_like, shape (N,) or (H, W)
        A signal or an image, as for :func:`convolve1d` or :func:`convolve2d`.
    kernel : array_like, shape (K,) or (KH, KW)
        The kernel; the same number of dimensions as ``image``.
    mode : {"full", "same", "valid"}
        The output size, as for the convolution functions.
    boundary, fill_value
        Keyword only: as for :func:`convolve2d` (a non-finite ``fill_value`` rules out the FFT).

    Returns
    -------
    MethodChoice
        ``(method, reason, direct_cost, fft_cost)``; ``method`` is ``"direct"`` or ``"fft"``.
        Convolution and correlation choose alike (the flip changes no cost).

    Raises
    ------
    ValueError, TypeError
        As the convolution functions do for the same arguments.

    Examples
    --------
    >>> choose_method(np.ones((512, 512)), np.ones((3, 3)), "same").method
    'direct'
    >>> choice = choose_method(np.ones((512, 512)), np.random.default_rng(0).random((31, 31)), "same")
    >>> choice.method, choice.reason
    ('fft', '961 taps cost more operations than the FFT')
    >>> choose_method([1.0, np.nan, 3.0], np.ones(64)).reason
    'the data hold NaN or infinity, which the FFT would spread'
    >>> choose_method(np.full((512, 512), 1e308), np.ones((31, 31)) + np.eye(31), "same").reason
    'values so large that a sum could overflow float64: direct summation gives inf there, the FFT could not'
    """
    image = as_numeric_array(image, "image", "choose_method")
    ndim = image.ndim
    if ndim not in (1, 2):
        raise ValueError(f"choose_method: image must be a 1-D signal or a 2-D image; got {ndim}-D data")
    prepared = _prepare(
        "choose_method", image, kernel, ndim=ndim, flip=False, mode=mode, boundary=boundary, fill_value=fill_value
    )
    return _choose(prepared)[0]


def _filter(
    function: str,
    data: object,
    kernel: object,
    *,
    ndim: int,
    flip: bool,
    mode: str,
    boundary: str,
    fill_value: float,
    method: str,
) -> np.ndarray:
    """The engine behind the four public functions (see the module docstring)."""
    p = _prepare(function, data, kernel, ndim=ndim, flip=flip, mode=mode, boundary=boundary, fill_value=fill_value)
    check_choice(method, "method", METHODS, function)
    if method == "naive":  # before padding: refuse loops that would run for minutes
        naive.check_time(p.padded_shape[2 - ndim :], p.kernel.shape[2 - ndim :], function)
    if method == "fft":
        safety = _fft_safety(p)
        if safety.problem:
            raise _refuse_fft(function, p, safety)
    elif method == "auto":
        choice, safety = _choose(p)
        method = choice.method

    # inf * 0 is NaN, and a sum beyond the range is inf, as in scipy: no warning for the expected NaN or inf
    with np.errstate(invalid="ignore", over="ignore"):
        if method == "fft" and p.boundary == "constant" and p.fill_value == 0:
            out = fft.correlate2d_valid(p.data, p.kernel, p.dtype, zero_padding=p.widths, largest=safety.largest)
            if p.exact_integers:
                out = np.rint(out)  # whole numbers in, whole numbers out: remove the FFT's rounding error
        else:
            padded = _pad(p.data, p.widths, p.boundary, p.fill_value)
            if method == "naive":  # the loops sum float16 in float64 and return the policy's dtype
                if ndim == 1:
                    out = naive.correlate1d_valid(padded[0], p.kernel[0])[np.newaxis]
                else:
                    out = naive.correlate2d_valid(padded, p.kernel)
                out = out.astype(p.dtype, copy=False)
            elif method == "fft":
                out = fft.correlate2d_valid(padded, p.kernel, p.dtype, largest=safety.largest)
                if p.exact_integers:
                    out = np.rint(out)
            else:
                out = shift_add.correlate2d_valid(padded, p.kernel, p.dtype, finite=p.finite)
    return out[0] if ndim == 1 else out


_PARAMETERS_1D = """
    Parameters
    ----------
    signal : array_like, shape (N,)
        The input: numbers (bool, int or float).
    kernel : array_like, shape (K,)
        The weights. Any length, even longer than ``signal``.
    mode : {"full", "same", "valid"}
        Output length: ``N + K - 1``, ``N``, or ``N - K + 1`` (``"valid"`` needs ``K <= N``).
    method : {"auto", "naive", "direct", "fft"}
        How to compute it; every method gives the same values (to rounding). ``"naive"`` is the
        readable loop, ``"direct"`` shift-and-add, ``"fft"`` the convolution theorem (refuses
        NaN and infinity, which it would spread, and inputs it would get wrong: see Raises),
        ``"auto"`` the fastest correct one.
    boundary : {"constant", "edge", "reflect", "symmetric", "wrap"}
        Keyword only: what lies beyond the ends (numpy.pad's names). The default zeros are what
        ``numpy.convolve`` and ``scipy.signal.convolve`` assume.
    fill_value : float
        The value beyond the ends for ``boundary="constant"``.

    Returns
    -------
    numpy.ndarray, shape (N + K - 1,), (N,) or (N - K + 1,)
        float64 for bool and integer inputs, else the wider of the two float types.
"""

_PARAMETERS_2D = """
    Parameters
    ----------
    image : array_like, shape (H, W)
        One grayscale image or channel (for colour, filter each channel).
    kernel : array_like, shape (KH, KW)
        The weights; any size, odd or even, square or not.
    mode : {"full", "same", "valid"}
        Output shape per axis: ``N + K - 1``, ``N``, or ``N - K + 1`` (``"valid"`` needs the
        kernel to fit inside the image).
    boundary : {"constant", "edge", "reflect", "symmetric", "wrap"}
        What lies beyond the border, with numpy.pad's names (scipy.signal calls them
        ``"fill"``, ``"symm"``, ``"wrap"``; see :data:`convlib.padding.MODE_NAMES`).
        No part in ``"valid"`` mode.
    fill_value : float
        The value beyond the border for ``boundary="constant"``.
    method : {"auto", "naive", "direct", "fft"}
        How to compute it; every method gives the same values (to rounding). ``"fft"`` refuses
        NaN and infinity, which it would spread over the whole output, and inputs it would get
        wrong (see Raises); ``"auto"`` uses it only where it is right.

    Returns
    -------
    numpy.ndarray, shape depends on ``mode``
        float64 for bool and integer inputs, else the wider of the two float types.
"""


def convolve1d(
    signal: object,
    kernel: object,
    mode: str = "full",
    method: str = "auto",
    *,
    boundary: str = "constant",
    fill_value: float = 0.0,
) -> np.ndarray:
    """Convolve a 1-D signal with a kernel: flip the kernel, slide, multiply, sum.

    ``out[n] = sum over m of signal[m] * kernel[n - m]``. Equals
    ``scipy.signal.convolve(signal, kernel, mode)`` and, for ``"full"``, ``numpy.convolve``.
    {parameters}
    Examples
    --------
    >>> convolve1d([1, 2, 3], [0, 1, 0.5])
    array([0. , 1. , 2.5, 4. , 1.5])
    >>> convolve1d([1, 2, 3], [0, 1, 0.5], mode="same")
    array([1. , 2.5, 4. ])
    """
    return _filter(
        "convolve1d", signal, kernel, ndim=1, flip=True, mode=mode,
        boundary=boundary, fill_value=fill_value, method=method,
    )  # fmt: skip


def correlate1d(
    signal: object,
    kernel: object,
    mode: str = "full",
    method: str = "auto",
    *,
    boundary: str = "constant",
    fill_value: float = 0.0,
) -> np.ndarray:
    """Cross-correlate a 1-D signal with a kernel: slide the kernel *unflipped*, multiply, sum.

    ``correlate1d(x, k) == convolve1d(x, k[::-1])`` in every mode; equals
    ``scipy.signal.correlate(signal, kernel, mode)``.
    {parameters}
    Examples
    --------
    >>> correlate1d([1, 2, 3], [0, 1, 0.5])
    array([0.5, 2. , 3.5, 3. , 0. ])
    """
    return _filter(
        "correlate1d", signal, kernel, ndim=1, flip=False, mode=mode,
        boundary=boundary, fill_value=fill_value, method=method,
    )  # fmt: skip


def convolve2d(
    image: object,
    kernel: object,
    mode: str = "full",
    boundary: str = "constant",
    fill_value: float = 0.0,
    method: str = "auto",
) -> np.ndarray:
    """Convolve an image with a kernel: flip the kernel on both axes, slide, multiply, sum.

    Equals ``scipy.signal.convolve2d(image, kernel, mode, boundary=B, fillvalue=fill_value)``
    with scipy's names ``B`` (``"fill"``, ``"symm"``, ``"wrap"``). For an even kernel, ``"same"``
    keeps the centre of ``"full"`` from index ``(K - 1) // 2``, as scipy.signal does;
    ``scipy.ndimage.convolve`` centres one sample the other way.
    {parameters}
    Examples
    --------
    >>> image = np.zeros((3, 3)); image[1, 1] = 1
    >>> convolve2d(image, [[1, 2], [3, 4]], mode="same")
    array([[0., 0., 0.],
           [0., 1., 2.],
           [0., 3., 4.]])
    """
    return _filter(
        "convolve2d", image, kernel, ndim=2, flip=True, mode=mode,
        boundary=boundary, fill_value=fill_value, method=method,
    )  # fmt: skip


def correlate2d(
    image: object,
    kernel: object,
    mode: str = "full",
    boundary: str = "constant",
    fill_value: float = 0.0,
    method: str = "auto",
) -> np.ndarray:
    """Cross-correlate an image with a kernel: slide it *unflipped*, multiply, sum.

    This is what a CNN's convolution layer computes. ``correlate2d(x, k) ==
    convolve2d(x, k[::-1, ::-1])`` in every mode. For odd kernels it equals
    ``scipy.signal.correlate2d``; for an even kernel, ``scipy.signal.correlate2d`` and
    PyTorch's ``padding="same"`` centre ``"same"`` one sample away from this
    (``scipy.signal.correlate``, the N-d function, agrees with convlib).
    {parameters}
    Examples
    --------
    >>> image = np.zeros((3, 3)); image[1, 1] = 1
    >>> correlate2d(image, [[1, 2], [3, 4]], mode="same")
    array([[0., 0., 0.],
           [0., 4., 3.],
           [0., 2., 1.]])
    """
    return _filter(
        "correlate2d", image, kernel, ndim=2, flip=False, mode=mode,
        boundary=boundary, fill_value=fill_value, method=method,
    )  # fmt: skip


_RAISES = """
    Raises
    ------
    ValueError
        Wrong number of dimensions (a colour image: filter each channel), an empty input, an
        unknown ``mode``, ``method`` or ``boundary`` (another library's name is translated in the
        message), ``"valid"`` with a kernel larger than the input, or ``method="fft"`` where it
        would be wrong: NaN or infinity in the inputs or as ``fill_value``, values whose sums could
        overflow, or integers too large for its result, rounded, to be exact (``"auto"`` and
        ``"direct"`` compute all of these). Refused up front, before anything is allocated: a
        ``mode`` and kernel size whose padded input would exceed
        :data:`convlib.validation.MAX_ARRAY_BYTES` (4 GiB; ``"full"`` pads by ``K - 1`` on each
        side), and ``method="naive"`` where the Python loops would run longer than
        :data:`convlib.engines.naive.MAX_NAIVE_SECONDS` (a minute; use ``"direct"`` or ``"fft"``).
    TypeError
        Data that is not real numbers (strings, objects, datetimes, complex), or a ``fill_value``
        that is not one real number.
"""

for _function, _parameters in (
    (convolve1d, _PARAMETERS_1D),
    (correlate1d, _PARAMETERS_1D),
    (convolve2d, _PARAMETERS_2D),
    (correlate2d, _PARAMETERS_2D),
):
    if _function.__doc__:  # None under python -OO
        _function.__doc__ = _function.__doc__.replace("{parameters}", _parameters + _RAISES)

"""Convolution and cross-correlation of signals (1-D) and images (2-D).

The four public functions share one engine. Each step is plain:

1. check the inputs and choose the result's dtype (:mod:`convlib.validation`);
2. **convolution flips the kernel** on every axis; correlation does not;
3. pad the input as ``mode`` and ``boundary`` require (:mod:`convlib.padding`);
4. slide the (possibly flipped) kernel over the padded input at the ``"valid"``
   positions, by one of three methods with the same result:
   ``"naive"`` (:mod:`convlib.naive`, loops), ``"direct"`` (:mod:`convlib.direct`,
   shift-and-add) or ``"fft"`` (:mod:`convlib.spectral`).

Output sizes, for an input of ``N`` samples and a kernel of ``K`` on one axis:
``"full"`` gives ``N + K - 1``, ``"same"`` gives ``N``, ``"valid"`` gives ``N - K + 1``.
``"same"`` is the centre of ``"full"``, starting at index ``(K - 1) // 2``: for an
even kernel the extra sample of padding goes *before* the input. That is where
``numpy.convolve`` and ``scipy.signal.convolve``/``convolve2d`` put it too.
"""

from __future__ import annotations

import numpy as np

from convlib import direct, naive, spectral
from convlib.padding import check_boundary
from convlib.validation import (
    METHODS,
    MODES,
    all_finite,
    as_numeric_array,
    as_real_number,
    check_choice,
    check_finite,
    check_ndim,
    result_dtype,
)

#: ``method="auto"`` picks the FFT when the direct method's multiply-adds exceed the FFT's
#: ``F log2 F`` by this factor (a first estimate; ``benchmarks/`` measures it).
FFT_COST_FACTOR = 2.5


def _padding(n: int, k: int, mode: str) -> tuple[int, int]:
    """(before, after) padding on one axis so that a 'valid' slide gives ``mode``'s output."""
    if mode == "full":
        return k - 1, k - 1
    if mode == "same":  # the centre of 'full', starting at (k - 1) // 2
        return k // 2, (k - 1) // 2
    return 0, 0  # 'valid'


def _choose_method(padded_shape: tuple[int, ...], kernel: np.ndarray, finite: bool, exact_integers: bool) -> str:
    """'fft' when it is expected to be faster than 'direct' and safe, else 'direct'.

    Not safe: NaN or infinity (the FFT spreads them), and integer data whose products could
    exceed float64's 53-bit mantissa, where the FFT's rounding errors become visible.
    """
    if not finite or not exact_integers:
        return "direct"
    out_size = float(np.prod([p - k + 1 for p, k in zip(padded_shape, kernel.shape)]))
    fft_work = FFT_COST_FACTOR * spectral.fft_work(padded_shape, kernel.shape)
    if out_size * kernel.size <= fft_work:
        return "direct"
    separable = direct.splits(padded_shape, kernel)  # two passes of KH and KW taps
    return "direct" if separable and out_size * sum(kernel.shape) <= fft_work else "fft"


def _integer_result(data: np.ndarray, kernel: np.ndarray) -> bool:
    """Whether both inputs are integers (or bools): then every output is a whole number."""
    return data.dtype.kind in "biu" and kernel.dtype.kind in "biu"


def _fft_is_exact(data: np.ndarray, kernel: np.ndarray) -> bool:
    """For integer inputs, whether the FFT's rounding error stays far below 0.5, so rounding its result is exact."""
    if not _integer_result(data, kernel):
        return True
    largest = float(np.max(np.abs(data))) * float(np.max(np.abs(kernel))) * min(data.size, kernel.size)
    return largest < 2.0**45


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
    data_name = "signal" if ndim == 1 else "image"
    data = as_numeric_array(data, data_name, function)
    kernel = as_numeric_array(kernel, "kernel", function)
    check_ndim(data, data_name, ndim, function)
    check_ndim(kernel, "kernel", ndim, function)
    check_choice(mode, "mode", MODES, function)
    check_choice(method, "method", METHODS, function)
    boundary = check_boundary(boundary, function)
    if mode == "valid" and any(k > n for n, k in zip(data.shape, kernel.shape)):
        raise ValueError(
            f"{function}: mode='valid' needs a kernel no larger than the {data_name} in every dimension; "
            f"got kernel shape {kernel.shape} for {data_name} shape {data.shape} (there is no position where it fits)"
        )
    fill_value = as_real_number(fill_value, "fill_value", function)
    fill_used = boundary == "constant" and mode != "valid"
    finite = all_finite(data) and all_finite(kernel) and (not fill_used or bool(np.isfinite(fill_value)))
    if method == "fft" and not finite:
        reason = "the FFT would spread it over the whole output; use method='direct'"
        check_finite(data, data_name, function, reason)
        check_finite(kernel, "kernel", function, reason)
        raise ValueError(f"{function}: fill_value is {fill_value}; the FFT would spread it over the whole output")

    dtype = result_dtype(data, kernel)
    integer_result = _integer_result(data, kernel)
    if flip:  # convolution: flip the kernel on every axis; correlation uses it as it is
        kernel = kernel[(slice(None, None, -1),) * ndim]
    # The engines work on 2-D arrays; a signal is an image one row high.
    data2d = np.atleast_2d(data.astype(dtype, copy=False))
    kernel2d = np.atleast_2d(kernel.astype(dtype, copy=False))
    widths = [_padding(n, k, mode) for n, k in zip(data2d.shape, kernel2d.shape)]
    if method == "auto":
        padded_shape = tuple(n + before + after for n, (before, after) in zip(data2d.shape, widths))
        method = _choose_method(padded_shape, kernel2d, finite, _fft_is_exact(data, kernel))

    with np.errstate(invalid="ignore"):  # inf * 0 is NaN, as in scipy; no warning for the expected NaN
        if method == "fft" and boundary == "constant" and fill_value == 0:
            out = spectral.correlate2d_valid(data2d, kernel2d, dtype, zero_padding=widths)  # pads as it goes
            if integer_result:
                out = np.rint(out)  # whole numbers in, whole numbers out: remove the FFT's rounding error
        else:
            padded = _pad(data2d, widths, boundary, fill_value)
            if method == "naive":
                if ndim == 1:
                    out = naive.correlate1d_valid(padded[0], kernel2d[0])[np.newaxis]
                else:
                    out = naive.correlate2d_valid(padded, kernel2d)
                out = out.astype(dtype, copy=False)
            else:
                if method == "fft":
                    out = spectral.correlate2d_valid(padded, kernel2d, dtype)
                    if integer_result and float(fill_value).is_integer():
                        out = np.rint(out)
                else:
                    out = direct.correlate2d_valid(padded, kernel2d, dtype, finite=finite)
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
        NaN and infinity, which it would spread), ``"auto"`` the fastest correct one.
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
        NaN and infinity, which it would spread over the whole output.

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
        message), ``"valid"`` with a kernel larger than the input, or ``method="fft"`` with NaN
        or infinity in the inputs or as ``fill_value``.
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

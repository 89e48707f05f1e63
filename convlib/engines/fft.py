"""The FFT method: the convolution theorem.

Convolution in space is multiplication in frequency. Zero-padding both inputs to
at least ``input + kernel - 1`` samples per axis turns the FFT's circular
convolution into the linear one. Cost hardly depends on the kernel's size, so it
wins for large kernels, but one NaN or infinity spreads over the whole output,
which is why :func:`convlib.convolve2d` refuses non-finite input for ``"fft"``.

Three more guards keep its results right:

* **Scaling by powers of two.** A transform sums all ``F`` samples, so values near the top
  (or bottom) of the float range overflow (or underflow) inside it even when the result would
  not. Inputs outside a safe window are multiplied by ``2**-e`` before the transform and the
  result by ``2**(e_image + e_kernel)`` after it: exact in binary floating point.
* **Overflow.** Where a true sum exceeds the float range, direct summation gives infinity and
  the FFT could not reproduce it exactly (:func:`overflow_free`); convlib then does not use it.
* **Whole numbers.** For integer inputs the result is rounded to whole numbers, which is exact
  only while the FFT's rounding error stays well below 0.5 (:func:`integers_exact`).

``float16`` is transformed in ``float64`` and rounded once at the end (:func:`convlib.validation.accumulation_dtype`).
"""

from __future__ import annotations

import math

import numpy as np
import scipy.fft

from convlib.validation import accumulation_dtype

#: Integer inputs are rounded to exact whole numbers only while ``max|image| * max|kernel| * sqrt(N * K)``
#: (which bounds the FFT's rounding error divided by float64's epsilon and a factor of about log2 of the
#: transform's size) stays below this: there the error is far below 0.5.
EXACT_INTEGER_LIMIT = 2.0**45


def largest_magnitude(array: np.ndarray) -> np.floating:
    """``max |array|`` as a real numpy scalar, without wrapping (``abs`` of the most negative int64 is negative).

    Integers and bools give a float64 (computed from the minimum and maximum as Python floats);
    floats give their own type; complex numbers their modulus.

    Examples
    --------
    >>> float(largest_magnitude(np.array([np.iinfo(np.int64).min, 5])))
    9.223372036854776e+18
    >>> largest_magnitude(np.array([-3.0, 2.0], np.float32))
    np.float32(3.0)
    """
    if array.dtype.kind == "c":
        return np.abs(array).max()
    if array.dtype.kind in "biu":
        return np.float64(max(-float(array.min()), float(array.max())))
    return np.maximum(-array.min(), array.max())


def integers_exact(largest_data: float, largest_kernel: float, data_size: int, kernel_size: int) -> bool:
    """Whether the FFT's result for integer inputs, rounded to whole numbers, is exact.

    The FFT's error is about float64's epsilon times ``log2 F`` times the product of the inputs'
    L2 norms, at most ``max|data| * max|kernel| * sqrt(N * K)``; that must stay below
    :data:`EXACT_INTEGER_LIMIT`. Computed in Python floats: nothing wraps.

    Examples
    --------
    >>> integers_exact(255, 255, 512 * 512, 31 * 31), integers_exact(2**47, 3, 1000, 10)
    (True, False)
    """
    return float(largest_data) * float(largest_kernel) * math.sqrt(float(data_size) * kernel_size) < EXACT_INTEGER_LIMIT


def overflow_free(largest_data: np.floating, kernel_abs_sum: np.floating, dtype: np.dtype) -> bool:
    """Whether ``max|data| * sum|kernel|``, which bounds every output and partial sum, stays inside ``dtype``'s range.

    Then no sum overflows, by any method, and the FFT gives direct summation's values to rounding.
    Beyond it, direct summation gives infinity where a sum overflows and the FFT cannot tell
    exactly where that is. A margin of ``2**-20`` covers the rounding of the bound and of the FFT.

    Examples
    --------
    >>> overflow_free(np.float64(1e300), np.float64(9.0), np.dtype(np.float64))
    True
    >>> overflow_free(np.float64(1e308), np.float64(9.0), np.dtype(np.float64))
    False
    """
    work = np.finfo(accumulation_dtype(dtype)).dtype  # the real type (of a complex one too)
    with np.errstate(over="ignore"):
        bound = work.type(largest_data) * work.type(kernel_abs_sum)  # inf if it overflows
    return bool(bound < np.finfo(work).max * (1 - 2.0**-20))


def times_power_of_two(array: np.ndarray, exponent: int) -> np.ndarray:
    """``array * 2**exponent``, exact (unless it overflows to infinity or underflows), for real or complex arrays.

    Examples
    --------
    >>> times_power_of_two(np.array([1e308, -3.0]), -1030)  # both exact; the second is subnormal
    array([ 8.69169476e-003, -2.60750843e-310])
    >>> times_power_of_two(np.array([1.5 - 3j]), 3)
    array([12.-24.j])
    """
    if array.dtype.kind != "c":
        return np.ldexp(array, exponent)
    out = np.empty_like(array)
    out.real, out.imag = np.ldexp(array.real, exponent), np.ldexp(array.imag, exponent)
    return out


def scale_exponent(largest: np.floating, dtype: np.dtype) -> int:
    """``e`` with ``largest * 2**-e`` in [0.5, 1), or 0 when ``largest`` is well inside ``dtype``'s range (no scaling).

    Examples
    --------
    >>> scale_exponent(np.float64(1e308), np.dtype(np.float64)), scale_exponent(np.float64(1e6), np.dtype(np.float64))
    (1024, 0)
    """
    exponent = int(np.frexp(largest)[1])
    window = np.finfo(dtype).maxexp // 4  # 256 for float64, 32 for float32: sums of F values cannot overflow
    return 0 if -window <= exponent <= window else exponent


def correlate2d_valid(
    image: np.ndarray,
    kernel: np.ndarray,
    dtype: np.dtype,
    zero_padding: tuple[tuple[int, int], tuple[int, int]] = ((0, 0), (0, 0)),
    largest: tuple[np.floating, np.floating] | None = None,
) -> np.ndarray:
    """Cross-correlation over the ``"valid"`` positions, through real FFTs.

    ``zero_padding`` gives ``(before, after)`` zeros per axis that the image is taken to have,
    without copying it into a padded array: the FFT pads with zeros anyway. ``largest`` is
    ``(max|image|, max|kernel|)`` if the caller knows it (else it is found here): inputs near the
    ends of the float range are scaled by powers of two around the transform (see the module
    docstring). ``float16`` is computed in ``float64`` and rounded once to ``dtype`` at the end.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> np.round(correlate2d_valid(image, np.array([[1.0, 0.0], [0.0, -1.0]]), np.dtype("float64")), 12)
    array([[-4., -4.],
           [-4., -4.]])
    >>> correlate2d_valid(np.full((8, 8), 1e306), np.ones((2, 2)), np.dtype("float64"))[0, :3]  # no overflow inside
    array([4.e+306, 4.e+306, 4.e+306])
    """
    work = accumulation_dtype(dtype)
    image = np.asarray(image, dtype=work)
    flipped = np.asarray(kernel, dtype=work)[::-1, ::-1]  # correlation = convolution with the flipped kernel
    if largest is None:
        largest = (largest_magnitude(image), largest_magnitude(flipped))
    image_exponent, kernel_exponent = (scale_exponent(value, work) for value in largest)
    if image_exponent:
        image = times_power_of_two(image, -image_exponent)  # exact: a power of two
    if kernel_exponent:
        flipped = times_power_of_two(flipped, -kernel_exponent)
    full_shape = [i + k - 1 for i, k in zip(image.shape, kernel.shape)]
    if work.kind == "c":
        fft_shape = [scipy.fft.next_fast_len(s) for s in full_shape]
        spectrum = scipy.fft.fftn(image, fft_shape) * scipy.fft.fftn(flipped, fft_shape)
        full = scipy.fft.ifftn(spectrum)
    else:
        fft_shape = [scipy.fft.next_fast_len(s, real=True) for s in full_shape]
        spectrum = scipy.fft.rfftn(image, fft_shape) * scipy.fft.rfftn(flipped, fft_shape)
        full = scipy.fft.irfftn(spectrum, fft_shape)
    # With `before` zeros in front, valid output n is full output n + (K - 1 - before).
    cut = []
    for size, k, (before, after) in zip(image.shape, kernel.shape, zero_padding):
        start = k - 1 - before
        cut.append(slice(start, start + size + before + after - k + 1))
    out = full[tuple(cut)]
    if image_exponent or kernel_exponent:
        with np.errstate(over="ignore"):  # a true sum beyond the range is infinity, as in direct summation
            out = times_power_of_two(out, image_exponent + kernel_exponent)
    return np.ascontiguousarray(out, dtype=dtype)


def fft_work(image_shape: tuple[int, ...], kernel_shape: tuple[int, ...]) -> float:
    """A rough operation count of :func:`correlate2d_valid`: ``F log2 F`` for the padded size ``F``."""
    padded = [scipy.fft.next_fast_len(i + k - 1, real=True) for i, k in zip(image_shape, kernel_shape)]
    size = float(np.prod(padded))
    return size * np.log2(max(size, 2.0))

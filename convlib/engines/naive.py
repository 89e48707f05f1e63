"""The readable versions: explicit loops over output positions.

These are the definitions the notebooks show and the tests hold the fast methods
against. Both functions compute *cross-correlation* (the kernel is slid over the
input as it is, not flipped) over the ``"valid"`` positions only, where the
kernel lies wholly inside the input. Convolution, padding and the other modes are
built on top of them in :mod:`convlib.convolution`, which flips the kernel in
plain sight: ``convolve(x, k) == correlate(x, k[::-1])``.

They follow convlib's dtype policy like every other function: integers are computed in
``float64``, so ``uint8`` pixels never wrap (``np.uint8(200) * 2`` is 144 in numpy). ``float16``
is summed in ``float64`` (a ``float16`` sum stops growing at 2048) and rounded once at the end.
"""

from __future__ import annotations

import numpy as np

from convlib.engines.fft import accumulation_dtype
from convlib.validation import result_dtype


def correlate1d_valid(signal: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` along ``signal``; at each stop, multiply and sum.

    ``out[n] = sum over m of signal[n + m] * kernel[m]``, for every ``n`` where
    the kernel fits: ``len(signal) - len(kernel) + 1`` outputs.

    Examples
    --------
    >>> correlate1d_valid(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 0.0, -1.0]))
    array([-2., -2.])
    """
    dtype = result_dtype(np.asarray(signal), np.asarray(kernel))  # float64 for integers: no wrapping
    work = accumulation_dtype(dtype)  # float16 is summed in float64
    signal, kernel = np.asarray(signal, work), np.asarray(kernel, work)
    n_out = len(signal) - len(kernel) + 1
    out = np.zeros(n_out, dtype=work)
    for n in range(n_out):
        total = 0
        for m in range(len(kernel)):
            total += signal[n + m] * kernel[m]
        out[n] = total
    return out.astype(dtype, copy=False)


def correlate2d_valid(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Slide ``kernel`` over ``image``; at each stop, multiply the window by the kernel and sum.

    ``out[i, j] = sum over (a, b) of image[i + a, j + b] * kernel[a, b]``, for every
    ``(i, j)`` where the kernel fits: shape ``(H - KH + 1, W - KW + 1)``.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> correlate2d_valid(image, np.array([[1.0, 0.0], [0.0, -1.0]]))
    array([[-4., -4.],
           [-4., -4.]])
    >>> correlate2d_valid(np.full((1, 1), 200, np.uint8), np.full((1, 1), 2, np.uint8))  # not 144
    array([[400.]])
    >>> float(correlate2d_valid(np.ones((1, 2050), np.float16), np.ones((1, 2050), np.float16))[0, 0])  # not 2048
    2050.0
    """
    dtype = result_dtype(np.asarray(image), np.asarray(kernel))  # float64 for integers: no wrapping
    work = accumulation_dtype(dtype)  # float16 is summed in float64
    image, kernel = np.asarray(image, work), np.asarray(kernel, work)
    kernel_height, kernel_width = kernel.shape
    out_height = image.shape[0] - kernel_height + 1
    out_width = image.shape[1] - kernel_width + 1
    out = np.zeros((out_height, out_width), dtype=work)
    for i in range(out_height):
        for j in range(out_width):
            window = image[i : i + kernel_height, j : j + kernel_width]
            out[i, j] = np.sum(window * kernel)
    return out.astype(dtype, copy=False)

"""The FFT method: the convolution theorem.

Convolution in space is multiplication in frequency. Zero-padding both inputs to
at least ``input + kernel - 1`` samples per axis turns the FFT's circular
convolution into the linear one. Cost hardly depends on the kernel's size, so it
wins for large kernels, but one NaN or infinity spreads over the whole output,
which is why :func:`convlib.convolve2d` refuses non-finite input for ``"fft"``.
"""

from __future__ import annotations

import numpy as np
import scipy.fft


def correlate2d_valid(
    image: np.ndarray,
    kernel: np.ndarray,
    dtype: np.dtype,
    zero_padding: tuple[tuple[int, int], tuple[int, int]] = ((0, 0), (0, 0)),
) -> np.ndarray:
    """Cross-correlation over the ``"valid"`` positions, through real FFTs.

    ``zero_padding`` gives ``(before, after)`` zeros per axis that the image is taken to have,
    without copying it into a padded array: the FFT pads with zeros anyway.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> np.round(correlate2d_valid(image, np.array([[1.0, 0.0], [0.0, -1.0]]), np.dtype("float64")), 12)
    array([[-4., -4.],
           [-4., -4.]])
    """
    image = np.asarray(image, dtype=dtype)
    flipped = np.asarray(kernel, dtype=dtype)[::-1, ::-1]  # correlation = convolution with the flipped kernel
    full_shape = [i + k - 1 for i, k in zip(image.shape, kernel.shape)]
    if dtype.kind == "c":
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
    return np.ascontiguousarray(full[tuple(cut)], dtype=dtype)


def fft_work(image_shape: tuple[int, ...], kernel_shape: tuple[int, ...]) -> float:
    """A rough operation count of :func:`correlate2d_valid`: ``F log2 F`` for the padded size ``F``."""
    padded = [scipy.fft.next_fast_len(i + k - 1, real=True) for i, k in zip(image_shape, kernel_shape)]
    size = float(np.prod(padded))
    return size * np.log2(max(size, 2.0))

"""The direct method: shift-and-add, looping over the kernel's taps instead of the output's pixels.

:mod:`convlib.engines.naive` visits every output pixel (millions) and sums a window there. Shift-and-add
turns the loop inside out: for each tap ``(a, b)`` of the kernel (a handful), the *whole* output gains
``kernel[a, b]`` times the input shifted by ``(a, b)``. The sums are the same, added in another order,
and each step is one whole-array operation. Read :func:`correlate2d_valid_readable` first: that is the
whole idea. :func:`correlate2d_valid` runs the same loop through BLAS in cache-sized strips, with a
rank-1 kernel split into two 1-D passes (:mod:`convlib.engines._blas_strips`), wherever BLAS can take
the data.
"""

from __future__ import annotations

import numpy as np

from convlib.engines._blas_strips import BLAS_TYPES, correlate_strips, separable_factors, splits
from convlib.validation import accumulation_dtype, all_finite

__all__ = ["correlate2d_valid", "correlate2d_valid_readable", "separable_factors", "splits"]


def correlate2d_valid_readable(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Valid cross-correlation as one multiply-add of the shifted image per kernel tap.

    ``out = sum over taps (a, b) of kernel[a, b] * image[a : a + OH, b : b + OW]``, shape
    ``(OH, OW) = (H - KH + 1, W - KW + 1)``, in ``image``'s dtype (the caller chooses it). Also the
    version used for NaN or infinity (``0 * NaN`` must stay NaN, as in scipy, and BLAS skips zero
    weights) and for dtypes BLAS lacks (``longdouble``; :func:`correlate2d_valid` sums ``float16`` in ``float64``).

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> correlate2d_valid_readable(image, np.array([[1.0, 0.0], [0.0, -1.0]]))
    array([[-4., -4.],
           [-4., -4.]])
    """
    kernel_height, kernel_width = kernel.shape
    out_height = image.shape[0] - kernel_height + 1
    out_width = image.shape[1] - kernel_width + 1
    out = np.zeros((out_height, out_width), dtype=image.dtype)
    for a in range(kernel_height):
        for b in range(kernel_width):
            out += kernel[a, b] * image[a : a + out_height, b : b + out_width]
    return out


def correlate2d_valid(image: np.ndarray, kernel: np.ndarray, dtype: np.dtype, finite: bool | None = None) -> np.ndarray:
    """Cross-correlation over the ``"valid"`` positions, as whole-array multiply-adds.

    ``image`` and ``kernel`` are 2-D; the result has shape ``(H - KH + 1, W - KW + 1)``
    and dtype ``dtype``. ``finite`` says whether the image is known to hold no NaN or infinity
    (``None``: check). A kernel of rank 1 is applied as two 1-D passes when the image is large
    enough for that to pay (:func:`splits`). ``float16`` is summed in ``float64`` (a ``float16``
    sum stops growing at 2048) and rounded once to ``dtype`` at the end.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> correlate2d_valid(image, np.array([[1.0, 0.0], [0.0, -1.0]]), np.dtype("float64"))
    array([[-4., -4.],
           [-4., -4.]])
    """
    work = accumulation_dtype(dtype)  # float16 is summed in float64 and rounded once at the end
    image = np.ascontiguousarray(image, dtype=work)
    kernel = np.asarray(kernel, dtype=work)
    if finite is None:
        finite = all_finite(image)
    if not finite or work.char not in BLAS_TYPES:
        return correlate2d_valid_readable(image, kernel).astype(dtype, copy=False)
    factors = separable_factors(kernel) if splits(image.shape, kernel) else None
    return correlate_strips(image, kernel, factors).astype(dtype, copy=False)

"""The fast direct method: shift-and-add over the kernel's taps.

Instead of looping over output pixels (millions), loop over kernel taps (a handful):
for each tap ``(a, b)``, the whole output gains ``kernel[a, b]`` times the input
shifted by ``(a, b)``. Same sums as :mod:`convlib.naive`, in another order.
"""

from __future__ import annotations

import numpy as np


def correlate2d_valid(image: np.ndarray, kernel: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Cross-correlation over the ``"valid"`` positions, as whole-array multiply-adds.

    ``image`` and ``kernel`` are 2-D; the result has shape ``(H - KH + 1, W - KW + 1)``
    and dtype ``dtype``.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> correlate2d_valid(image, np.array([[1.0, 0.0], [0.0, -1.0]]), np.dtype("float64"))
    array([[-4., -4.],
           [-4., -4.]])
    """
    image = np.asarray(image, dtype=dtype)
    kernel = np.asarray(kernel, dtype=dtype)
    kernel_height, kernel_width = kernel.shape
    out_height = image.shape[0] - kernel_height + 1
    out_width = image.shape[1] - kernel_width + 1
    out = np.zeros((out_height, out_width), dtype=dtype)
    product = np.empty_like(out)
    # A zero tap adds nothing, unless the image holds NaN or infinity (0 * inf is NaN).
    skip_zeros = bool(np.all(np.isfinite(image))) if dtype.kind in "fc" else True
    for a in range(kernel_height):
        for b in range(kernel_width):
            weight = kernel[a, b]
            if skip_zeros and weight == 0:
                continue
            np.multiply(image[a : a + out_height, b : b + out_width], weight, out=product)
            out += product
    return out

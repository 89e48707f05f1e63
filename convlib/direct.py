"""The fast direct method: shift-and-add over the kernel's taps.

Instead of looping over output pixels (millions), loop over kernel taps (a handful): for each tap
``(a, b)``, the whole output gains ``kernel[a, b]`` times the input shifted by ``(a, b)``. Same
sums as :mod:`convlib.naive`, in another order.

Two tricks make it fast without leaving numpy and BLAS:

* **Flat layout.** Keep the output rows as wide as the input's (``W_in``), so that the input
  shifted by ``(a, b)`` is the flat input array from offset ``a * W_in + b``: one contiguous
  vector. Each tap is then one BLAS ``axpy`` (``y += w * x``, a single fused pass), not a numpy
  multiply plus an add with a temporary. The extra ``KW - 1`` columns are cut at the end.
* **Row strips.** Work on a few rows at a time, so that the strip of output and the input rows
  it reads stay in the CPU cache while all the taps pass over them.

A kernel of rank 1 (``kernel == outer(column, row)``: box, Gaussian, Sobel) is *separable*: two
1-D passes with ``KH + KW`` taps give the same result as one pass with ``KH * KW`` taps.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg.blas

#: Output samples processed together: the strip stays in the CPU cache, and OpenBLAS runs an
#: ``axpy`` of at most 10,000 elements on one thread (more threads only fight over a busy machine).
STRIP_ELEMENTS = 8192

#: Below this many input pixels, splitting a separable kernel saves less than it costs to find out.
SEPARABLE_MIN_PIXELS = 128 * 128


def separable_factors(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(column, row)`` with ``outer(column, row) == kernel`` to rounding, or ``None`` if the rank is above 1.

    The factors are a column and a row of the kernel itself (through its largest entry), so a
    kernel of whole numbers such as Sobel splits into whole numbers and gives exact results. The
    test is strict (within a few ulps), so splitting never changes a result by more than rounding.

    Examples
    --------
    >>> separable_factors(np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]))
    (array([-1., -2., -1.]), array([ 1.,  0., -1.]))
    >>> separable_factors(np.eye(2)) is None
    True
    """
    if kernel.ndim != 2 or min(kernel.shape) < 2 or kernel.dtype.kind != "f":
        return None
    pivot_row, pivot_column = np.unravel_index(np.argmax(np.abs(kernel)), kernel.shape)
    largest = kernel[pivot_row, pivot_column]
    if largest == 0:
        return None
    column = kernel[:, pivot_column].copy()
    row = kernel[pivot_row, :] / largest + 0.0  # + 0.0 turns -0.0 into 0.0
    tolerance = 8 * max(kernel.shape) * np.finfo(kernel.dtype).eps * abs(largest)
    if np.max(np.abs(np.outer(column, row) - kernel)) > tolerance:
        return None
    return column, row


def _correlate_flat(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Valid cross-correlation of a C-contiguous ``image``, returned with the input's row width.

    The result has shape ``(H - KH + 1, W)``; its last ``KW - 1`` columns are not meaningful.
    """
    height, width = image.shape
    kernel_height, kernel_width = kernel.shape
    out_height = height - kernel_height + 1
    flat = image.ravel()
    out = np.zeros(out_height * width, dtype=image.dtype)
    axpy = scipy.linalg.blas.get_blas_funcs("axpy", dtype=image.dtype)
    strip = max(1, STRIP_ELEMENTS // width)
    for first_row in range(0, out_height, strip):
        rows = min(strip, out_height - first_row)
        start = first_row * width
        for a in range(kernel_height):
            for b in range(kernel_width):
                weight = kernel[a, b]
                if weight == 0:
                    continue
                source = start + a * width + b
                # The last strip's last taps would read past the end: those samples only feed the
                # cut-off columns, so shorten the pass.
                length = min(rows * width, flat.size - source)
                axpy(flat, out, n=length, a=weight, offx=source, offy=start)
    return out.reshape(out_height, width)


def _shift_and_add(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The plain numpy version (multiply, then add), used when the image holds NaN or infinity.

    BLAS skips a zero weight altogether, but ``0 * NaN`` must stay NaN, as in scipy.
    """
    kernel_height, kernel_width = kernel.shape
    out_height = image.shape[0] - kernel_height + 1
    out_width = image.shape[1] - kernel_width + 1
    out = np.zeros((out_height, out_width), dtype=image.dtype)
    product = np.empty_like(out)
    for a in range(kernel_height):
        for b in range(kernel_width):
            np.multiply(image[a : a + out_height, b : b + out_width], kernel[a, b], out=product)
            out += product
    return out


def correlate2d_valid(image: np.ndarray, kernel: np.ndarray, dtype: np.dtype, finite: bool | None = None) -> np.ndarray:
    """Cross-correlation over the ``"valid"`` positions, as whole-array multiply-adds.

    ``image`` and ``kernel`` are 2-D; the result has shape ``(H - KH + 1, W - KW + 1)``
    and dtype ``dtype``. ``finite`` says whether the image is known to hold no NaN or infinity
    (``None``: check). A kernel of rank 1 is applied as two 1-D passes when the image is large
    enough for that to pay.

    Examples
    --------
    >>> image = np.arange(9.0).reshape(3, 3)
    >>> correlate2d_valid(image, np.array([[1.0, 0.0], [0.0, -1.0]]), np.dtype("float64"))
    array([[-4., -4.],
           [-4., -4.]])
    """
    image = np.ascontiguousarray(image, dtype=dtype)
    kernel = np.asarray(kernel, dtype=dtype)
    out_width = image.shape[1] - kernel.shape[1] + 1
    if finite is None:
        finite = dtype.kind not in "fc" or bool(np.all(np.isfinite(image)))
    if not finite:
        return _shift_and_add(image, kernel)
    worth_splitting = kernel.size > 4 and image.size >= SEPARABLE_MIN_PIXELS
    factors = separable_factors(kernel) if worth_splitting else None
    if factors is not None:
        column, row = factors
        vertical = _correlate_flat(image, column[:, None])  # (H - KH + 1, W), every column meaningful
        out = _correlate_flat(vertical, row[None, :])
    else:
        out = _correlate_flat(image, kernel)
    return np.ascontiguousarray(out[:, :out_width])

"""Private: the fast path behind :mod:`convlib.engines.shift_add`, in BLAS.

The same shift-and-add over the kernel's taps, with two tricks that make it fast without leaving
numpy and BLAS:

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

import functools

import numpy as np
import scipy.linalg.blas

#: Output samples processed together: the strip stays in the CPU cache while every tap passes over it.
#: OpenBLAS runs an ``axpy`` of more than 10,000 elements on several threads, which stalls badly when
#: other programs (a browser, a notebook server) keep the cores busy; so strips stay below that,
#: unless BLAS runs on one thread anyway (``OPENBLAS_NUM_THREADS=1``), where longer strips are faster.
STRIP_ELEMENTS_THREADED = 8192
STRIP_ELEMENTS_SINGLE_THREAD = 65536


@functools.cache
def strip_elements() -> int:
    """How many output samples one strip holds, given how many threads BLAS uses (checked once).

    The thread count comes from threadpoolctl where it is installed (it comes with the notebooks'
    extra); without it, the strips stay short, which is safe for any number of threads.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return STRIP_ELEMENTS_THREADED
    threads = max((info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"), default=1)
    return STRIP_ELEMENTS_SINGLE_THREAD if threads == 1 else STRIP_ELEMENTS_THREADED


#: numpy type codes BLAS has an ``axpy`` for: float32, float64, complex64, complex128.
BLAS_TYPES = "fdFD"

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


def splits(image_shape: tuple[int, ...], kernel: np.ndarray) -> bool:
    """Whether :func:`correlate2d_valid` runs ``kernel`` as two 1-D passes on an image of this shape."""
    worth_it = kernel.size > 4 and int(np.prod(image_shape)) >= SEPARABLE_MIN_PIXELS
    return worth_it and separable_factors(kernel) is not None


def _add_shifted(source, start, width, valid, taps, target, length, axpy) -> None:
    """``target[:length] = sum over taps (a, b, w) of w * source[start + a * width + b :]``, one ``axpy`` a tap.

    ``valid`` is how much of ``source`` may be read: a tap near the end reads less, which only
    shortens the last row's cut-off columns.
    """
    target[:length] = 0
    for a, b, weight in taps:
        offset = start + a * width + b
        axpy(source, target, n=min(length, valid - offset), a=weight, offx=offset)


def correlate_strips(image: np.ndarray, kernel: np.ndarray, factors) -> np.ndarray:
    """Valid cross-correlation of a C-contiguous float image, strip by strip (see the module docstring)."""
    height, width = image.shape
    kernel_height, kernel_width = kernel.shape
    out_height, out_width = height - kernel_height + 1, width - kernel_width + 1
    axpy = scipy.linalg.blas.get_blas_funcs("axpy", dtype=image.dtype)
    if factors is None:
        taps = [(a, b, w) for (a, b), w in np.ndenumerate(kernel) if w != 0]
    else:  # a column pass, then a row pass on the strip it made
        column, row = factors
        taps = [(a, 0, w) for a, w in enumerate(column) if w != 0]
        row_taps = [(0, b, w) for b, w in enumerate(row) if w != 0]
    rows_per_strip = max(1, strip_elements() // width)
    strip = np.empty(rows_per_strip * width, dtype=image.dtype)
    second = np.empty_like(strip) if factors is not None else None
    flat = image.ravel()
    out = np.empty((out_height, out_width), dtype=image.dtype)
    for first_row in range(0, out_height, rows_per_strip):
        rows = min(rows_per_strip, out_height - first_row)
        length = rows * width
        _add_shifted(flat, first_row * width, width, flat.size, taps, strip, length, axpy)
        result = strip
        if factors is not None:
            _add_shifted(strip, 0, width, length, row_taps, second, length, axpy)
            result = second
        out[first_row : first_row + rows] = result[:length].reshape(rows, width)[:, :out_width]
    return out

"""Convolution is a matrix: Toeplitz (1-D) and doubly block Toeplitz (2-D) matrices.

Convolving with a fixed kernel is linear in the input, so it is a matrix ``T`` with
``convolve(x, kernel) == T @ x.ravel()``. Its entries depend only on the *difference* between
output and input position, ``T[i, j] = kernel[i - j]``: every diagonal is constant, which makes
``T`` a **Toeplitz** matrix. For images (flattened row by row) the matrix is made of blocks
``T[i1, j1] = Toeplitz(kernel[i1 - j1])``, each block the 1-D matrix of one kernel row, and the
blocks themselves repeat along diagonals: a **doubly block Toeplitz** matrix.

The matrix shows what convolution costs (mostly zeros: use ``sparse=True``) and what its
transpose does: ``T.T`` slides the kernel the other way, a correlation, which is the transposed
convolution of CNNs (see :func:`convlib.conv_transpose2d`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import scipy.sparse

from convlib.sizes import mode_padding
from convlib.validation import (
    MODES,
    as_numeric_array,
    as_shape,
    check_allocation,
    check_bool,
    check_choice,
    format_bytes,
    result_dtype,
)

#: Largest dense matrix :func:`convolution_matrix` and :func:`linear_map_matrix` build (2**24 entries:
#: 128 MiB in float64); larger ones are refused up front. Every array is also held to
#: :data:`convlib.validation.MAX_ARRAY_BYTES`.
MAX_DENSE_ENTRIES = 2**24


def _refuse_dense(function: str, rows: int, columns: int, dtype: np.dtype, what: str, hint: str) -> None:
    """``ValueError`` if a dense ``rows x columns`` matrix exceeds :data:`MAX_DENSE_ENTRIES`, with its memory."""
    entries = rows * columns
    if entries <= MAX_DENSE_ENTRIES:
        return
    raise ValueError(
        f"{function}: {what} would make a dense {rows} x {columns} matrix of {entries} entries, "
        f"{format_bytes(entries * dtype.itemsize)} of {dtype.name}; the limit is MAX_DENSE_ENTRIES = "
        f"{MAX_DENSE_ENTRIES} entries ({format_bytes(MAX_DENSE_ENTRIES * dtype.itemsize)}){hint}"
    )


def _axis_rows(n: int, k: int, mode: str) -> tuple[int, int]:
    """Output length on one axis, and where it starts inside the ``"full"`` output."""
    before, after = mode_padding(k, mode)
    return n + before + after - k + 1, k - 1 - before


def _grid_shape(axis: int, length: int, ndim: int) -> tuple[int, ...]:
    """``(1, ..., length, ..., 1)``: a range laid along ``axis`` of an ``ndim``-D broadcast grid."""
    return tuple(length if a == axis else 1 for a in range(ndim))


def convolution_matrix(
    kernel: object, input_shape: int | tuple[int, ...], mode: str = "full", sparse: bool = False
) -> np.ndarray | scipy.sparse.csr_array:
    """The matrix ``T`` of convolution with ``kernel``: ``T @ x.ravel() == convolve(x, kernel, mode).ravel()``.

    Parameters
    ----------
    kernel : array_like, shape (K,) or (KH, KW)
        A 1-D kernel gives a Toeplitz matrix, a 2-D one a doubly block Toeplitz matrix.
    input_shape : int or tuple
        The input's shape: ``(N,)`` (or ``N``) for a 1-D kernel, ``(H, W)`` for a 2-D one.
    mode : {"full", "same", "valid"}
        As in :func:`convlib.convolve1d` / :func:`convlib.convolve2d` (convolution: the kernel
        is flipped; ``"same"`` keeps the centre of ``"full"`` from index ``(K - 1) // 2``).
        Zero boundary only.
    sparse : bool
        Return a ``scipy.sparse.csr_array`` instead of a dense array. A dense matrix is refused
        above :data:`MAX_DENSE_ENTRIES` entries.

    Returns
    -------
    numpy.ndarray or scipy.sparse.csr_array, shape (output size, input size)
        Rows follow the output raveled row by row, columns the input. At most ``K`` (1-D) or
        ``KH*KW`` (2-D) nonzeros per column. float64 for a bool or integer kernel, else the
        kernel's float type.

    Raises
    ------
    ValueError
        For a kernel that is not 1-D or 2-D or is empty, an ``input_shape`` of the wrong length,
        an unknown ``mode``, ``"valid"`` with a kernel larger than the input, or (up front, with
        the memory it would need) a dense matrix of more than :data:`MAX_DENSE_ENTRIES` entries,
        or index arrays (``kernel.size * prod(input_shape)`` int64 entries, sparse too) above
        :data:`convlib.validation.MAX_ARRAY_BYTES`.

    Examples
    --------
    >>> convolution_matrix([1, 2, 3], 4)       # "full": 6 outputs from 4 inputs
    array([[1., 0., 0., 0.],
           [2., 1., 0., 0.],
           [3., 2., 1., 0.],
           [0., 3., 2., 1.],
           [0., 0., 3., 2.],
           [0., 0., 0., 3.]])
    >>> x = np.array([1.0, 0.0, -1.0, 2.0])
    >>> convolution_matrix([1, 2, 3], 4, mode="same") @ x
    array([2., 2., 0., 1.])
    >>> convolution_matrix(np.ones((2, 2)), (3, 3), mode="valid", sparse=True).shape
    (4, 9)
    >>> convolution_matrix(np.ones((3, 3)), (512, 512), mode="same")
    Traceback (most recent call last):
    ...
    ValueError: convolution_matrix: kernel shape (3, 3) and input_shape (512, 512) would make a dense ... 512 GiB ...
    """
    function = "convolution_matrix"
    kernel = as_numeric_array(kernel, "kernel", function)
    sparse = check_bool(sparse, "sparse", function)
    if kernel.ndim not in (1, 2) or kernel.size == 0:
        raise ValueError(f"{function}: kernel must be a non-empty 1-D or 2-D array; got shape {kernel.shape}")
    shape = as_shape(input_shape, "input_shape", function)
    if len(shape) != kernel.ndim:
        raise ValueError(
            f"{function}: input_shape must have one entry per kernel axis ({kernel.ndim}); got {input_shape!r}"
        )
    check_choice(mode, "mode", MODES, function)
    if mode == "valid" and any(k > n for n, k in zip(shape, kernel.shape)):
        raise ValueError(
            f"{function}: mode='valid' needs a kernel no larger than the input in every dimension; "
            f"got kernel shape {kernel.shape} for input_shape {shape}"
        )
    out_shape = tuple(_axis_rows(n, k, mode)[0] for n, k in zip(shape, kernel.shape))
    size = (math.prod(out_shape), math.prod(shape))
    dtype = result_dtype(kernel)
    what = f"kernel shape {kernel.shape} and input_shape {shape}"
    if not sparse:
        _refuse_dense(function, *size, dtype, what, "; pass sparse=True for a scipy.sparse matrix")
        check_allocation(size, dtype, function, what)
    # The index grids below have an entry per (kernel tap, input position) pair, in int64.
    grid = [length for pair in zip(kernel.shape, shape) for length in pair]
    check_allocation(grid, np.int64, function, f"{what} (the index grid of every tap and input position)")

    # Entry for every (kernel tap, input position) pair: output position = input + tap - start.
    # Axes of the broadcast grid: (tap_0, input_0, tap_1, input_1, ...).
    ndim = kernel.ndim
    rows, cols, inside, taps = 0, 0, True, []
    for axis, (n, k, m) in enumerate(zip(shape, kernel.shape, out_shape)):
        start = _axis_rows(n, k, mode)[1]
        tap = np.arange(k).reshape(_grid_shape(2 * axis, k, 2 * ndim))
        position = np.arange(n).reshape(_grid_shape(2 * axis + 1, n, 2 * ndim))
        out = position + tap - start
        inside = inside & (out >= 0) & (out < m)
        rows, cols = rows * m + out, cols * n + position  # ravel row by row
        taps.append(tap)
    full = np.broadcast_shapes(*(t.shape for t in taps), *(np.shape(c) for c in (rows, cols)))
    inside = np.broadcast_to(inside, full)
    values = np.broadcast_to(kernel[tuple(taps)], full)[inside].astype(dtype)
    rows, cols = np.broadcast_to(rows, full)[inside], np.broadcast_to(cols, full)[inside]
    if sparse:
        return scipy.sparse.csr_array((values, (rows, cols)), shape=size)
    matrix = np.zeros(size, dtype=dtype)
    matrix[rows, cols] = values  # each (row, col) pair comes from exactly one tap
    return matrix


def linear_map_matrix(function: Callable[[np.ndarray], object], input_shape: tuple[int, ...]) -> np.ndarray:
    """The matrix of a linear ``function``: column ``j`` is ``function(e_j)``, raveled.

    Works for any linear map of arrays (a strided conv2d, a pooling-free layer, ...): then
    ``matrix @ x.ravel() == function(x).ravel()``. Calls ``function`` once per input element,
    so keep ``input_shape`` small. Linearity is not checked.

    The matrix is dense: one of more than :data:`MAX_DENSE_ENTRIES` entries is refused up front,
    before ``function`` is called for an ``input_shape`` of more elements than that, and after its
    first call (which tells the output's size) otherwise. For a convolution,
    :func:`convolution_matrix` with ``sparse=True`` builds large matrices.

    Parameters
    ----------
    function : callable
        Takes a float64 array of shape ``input_shape``, returns an array (of the same size for
        every input).
    input_shape : tuple of int

    Returns
    -------
    numpy.ndarray, shape (function's output size, prod(input_shape))

    Raises
    ------
    TypeError
        If ``function`` is not callable or ``input_shape`` holds non-integers.
    ValueError
        For sizes below 1, outputs of different sizes, or a matrix of more than
        :data:`MAX_DENSE_ENTRIES` entries (the message says how much memory it would need).

    Examples
    --------
    >>> linear_map_matrix(np.cumsum, (3,))
    array([[1., 0., 0.],
           [1., 1., 0.],
           [1., 1., 1.]])
    >>> linear_map_matrix(lambda image: image, (512, 512))   # the identity of a 512 x 512 image
    Traceback (most recent call last):
    ...
    ValueError: linear_map_matrix: input_shape (512, 512) with an output of 262144 values would make ... 512 GiB ...
    """
    name = "linear_map_matrix"
    if not callable(function):
        raise TypeError(f"{name}: function must be callable; got {type(function).__name__}")
    shape = as_shape(input_shape, "input_shape", name)
    size = math.prod(shape)
    float64 = np.dtype(np.float64)
    if size > MAX_DENSE_ENTRIES:  # a column per element: too many for even one output value; refuse before any call
        raise ValueError(
            f"{name}: input_shape {shape} has {size} elements, one column each: even for one output value the dense "
            f"matrix would have {size} entries, {format_bytes(size * 8)} of float64; the limit is MAX_DENSE_ENTRIES = "
            f"{MAX_DENSE_ENTRIES} entries ({format_bytes(MAX_DENSE_ENTRIES * 8)})"
        )
    basis = np.zeros(size)
    matrix = None
    for j in range(size):
        basis[j] = 1.0
        column = np.asarray(function(basis.reshape(shape).copy()), dtype=np.float64).ravel()
        basis[j] = 0.0
        if matrix is None:  # the first call tells the output's size: refuse before allocating the matrix
            what = f"input_shape {shape} with an output of {column.size} values"
            _refuse_dense(name, column.size, size, float64, what, "")
            check_allocation((column.size, size), float64, name, what)
            matrix = np.empty((column.size, size))
        elif column.size != matrix.shape[0]:
            raise ValueError(
                f"{name}: function must return outputs of one size; got {matrix.shape[0]} values for element 0 "
                f"and {column.size} for element {j}"
            )
        matrix[:, j] = column
    return matrix

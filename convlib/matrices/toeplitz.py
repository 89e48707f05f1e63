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

from collections.abc import Callable

import numpy as np
import scipy.sparse

from convlib.sizes import mode_padding
from convlib.validation import MODES, as_numeric_array, check_bool, check_choice, check_positive_int, result_dtype

#: Largest dense matrix :func:`convolution_matrix` builds (2**24 entries: 128 MiB in float64).
MAX_DENSE_ENTRIES = 2**24


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
        an unknown ``mode``, ``"valid"`` with a kernel larger than the input, or a dense matrix
        of more than :data:`MAX_DENSE_ENTRIES` entries.

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
    """
    function = "convolution_matrix"
    kernel = as_numeric_array(kernel, "kernel", function)
    sparse = check_bool(sparse, "sparse", function)
    if kernel.ndim not in (1, 2) or kernel.size == 0:
        raise ValueError(f"{function}: kernel must be a non-empty 1-D or 2-D array; got shape {kernel.shape}")
    shape = (input_shape,) if isinstance(input_shape, (int, np.integer)) else tuple(input_shape)
    if len(shape) != kernel.ndim:
        raise ValueError(
            f"{function}: input_shape must have one entry per kernel axis ({kernel.ndim}); got {input_shape!r}"
        )
    shape = tuple(check_positive_int(n, f"input_shape[{axis}]", function) for axis, n in enumerate(shape))
    check_choice(mode, "mode", MODES, function)
    if mode == "valid" and any(k > n for n, k in zip(shape, kernel.shape)):
        raise ValueError(
            f"{function}: mode='valid' needs a kernel no larger than the input in every dimension; "
            f"got kernel shape {kernel.shape} for input_shape {shape}"
        )
    out_shape = tuple(_axis_rows(n, k, mode)[0] for n, k in zip(shape, kernel.shape))
    size = (int(np.prod(out_shape)), int(np.prod(shape)))
    if not sparse and size[0] * size[1] > MAX_DENSE_ENTRIES:
        raise ValueError(
            f"{function}: a dense {size[0]} x {size[1]} matrix has {size[0] * size[1]} entries, more than "
            f"MAX_DENSE_ENTRIES = {MAX_DENSE_ENTRIES}; pass sparse=True for a scipy.sparse matrix"
        )

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
    dtype = result_dtype(kernel)
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

    Parameters
    ----------
    function : callable
        Takes a float64 array of shape ``input_shape``, returns an array.
    input_shape : tuple of int

    Returns
    -------
    numpy.ndarray, shape (function's output size, prod(input_shape))

    Examples
    --------
    >>> linear_map_matrix(np.cumsum, (3,))
    array([[1., 0., 0.],
           [1., 1., 0.],
           [1., 1., 1.]])
    """
    if not callable(function):
        raise TypeError(f"linear_map_matrix: function must be callable; got {type(function).__name__}")
    shape = tuple(
        check_positive_int(n, f"input_shape[{axis}]", "linear_map_matrix") for axis, n in enumerate(input_shape)
    )
    basis = np.zeros(int(np.prod(shape)))
    columns = []
    for j in range(basis.size):
        basis[j] = 1.0
        columns.append(np.asarray(function(basis.reshape(shape).copy()), dtype=np.float64).ravel())
        basis[j] = 0.0
    return np.stack(columns, axis=1)

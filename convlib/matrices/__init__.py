"""Convolution as matrix multiplication.

* :mod:`~.toeplitz`: the (doubly block) Toeplitz matrix of a convolution, dense or sparse, and the
  matrix of any linear map.
* :mod:`~.im2col`: every window of a batch as one column (``im2col``), its adjoint ``col2im``, and
  the strided view of the windows; a CNN layer is then one matrix product.
"""

from convlib.matrices.im2col import col2im, im2col, im2col_naive, sliding_windows
from convlib.matrices.toeplitz import convolution_matrix, linear_map_matrix

__all__ = ["col2im", "convolution_matrix", "im2col", "im2col_naive", "linear_map_matrix", "sliding_windows"]

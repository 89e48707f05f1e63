"""Convolution as a matrix: Toeplitz / doubly block Toeplitz matrices, and the transposed convolution."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse

from convlib.convolution import convolve1d, convolve2d, correlate1d, correlate2d
from convlib.matrices.toeplitz import MAX_DENSE_ENTRIES, convolution_matrix, linear_map_matrix
from convlib.nn.functional import conv2d, conv_transpose2d

MODES = ("full", "same", "valid")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("n, k", [(7, 3), (7, 4), (5, 5), (6, 1), (3, 6), (1, 2)])
def test_toeplitz_matrix_times_signal_is_convolve1d(n, k, mode):
    rng = np.random.default_rng(n * 10 + k)
    x, kernel = rng.standard_normal(n), rng.standard_normal(k)
    if mode == "valid" and k > n:
        with pytest.raises(ValueError, match="valid"):
            convolution_matrix(kernel, (n,), mode)
        return
    matrix = convolution_matrix(kernel, (n,), mode)
    expected = convolve1d(x, kernel, mode)
    assert matrix.shape == (expected.size, n)
    np.testing.assert_allclose(matrix @ x, expected, rtol=1e-12, atol=1e-12)
    sparse = convolution_matrix(kernel, n, mode, sparse=True)
    np.testing.assert_allclose(sparse @ x, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(sparse.toarray(), matrix)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    "image_shape, kernel_shape", [((5, 6), (3, 3)), ((6, 4), (2, 3)), ((4, 5), (4, 1)), ((2, 3), (3, 4))]
)
def test_doubly_block_toeplitz_matrix_times_image_is_convolve2d(image_shape, kernel_shape, mode):
    rng = np.random.default_rng(sum(image_shape) + 7 * sum(kernel_shape))
    image, kernel = rng.standard_normal(image_shape), rng.standard_normal(kernel_shape)
    if mode == "valid" and any(k > n for n, k in zip(image_shape, kernel_shape)):
        with pytest.raises(ValueError, match="valid"):
            convolution_matrix(kernel, image_shape, mode)
        return
    expected = convolve2d(image, kernel, mode)
    matrix = convolution_matrix(kernel, image_shape, mode)
    np.testing.assert_allclose(matrix @ image.ravel(), expected.ravel(), rtol=1e-12, atol=1e-12)
    sparse = convolution_matrix(kernel, image_shape, mode, sparse=True)
    np.testing.assert_allclose(sparse @ image.ravel(), expected.ravel(), rtol=1e-12, atol=1e-12)


def test_it_is_convolution_not_correlation():
    kernel = np.array([1.0, 2.0, 0.0])  # not symmetric
    x = np.array([0.0, 1.0, 0.0, 0.0])
    assert not np.allclose(convolution_matrix(kernel, 4) @ x, correlate1d(x, kernel))


def test_toeplitz_structure_constant_diagonals():
    matrix = convolution_matrix(np.arange(1.0, 5.0), 6)
    np.testing.assert_array_equal(matrix[1:, 1:], matrix[:-1, :-1])  # each diagonal is one kernel value
    np.testing.assert_array_equal(matrix[:, 0], [1, 2, 3, 4, 0, 0, 0, 0, 0])


def test_doubly_block_toeplitz_structure():
    kernel = np.arange(1.0, 7.0).reshape(2, 3)
    h, w = 3, 4
    matrix = convolution_matrix(kernel, (h, w))  # "full": (4*6) x (3*4)
    oh, ow = h + 1, w + 2
    blocks = matrix.reshape(oh, ow, h, w).transpose(0, 2, 1, 3)  # blocks[i, j] is (ow, w)
    for i in range(oh):
        for j in range(h):
            row = i - j  # block (i, j) is the Toeplitz matrix of kernel row i - j, or zero
            expected = convolution_matrix(kernel[row], w) if 0 <= row < kernel.shape[0] else np.zeros((ow, w))
            np.testing.assert_array_equal(blocks[i, j], expected)


def test_sparse_is_csr_and_holds_only_the_taps():
    sparse = convolution_matrix(np.ones((3, 3)), (20, 30), mode="same", sparse=True)
    assert scipy.sparse.issparse(sparse) and sparse.format == "csr"
    assert sparse.shape == (600, 600)
    assert sparse.nnz <= 9 * 600


def test_large_dense_matrix_is_refused_with_a_hint():
    with pytest.raises(ValueError, match="sparse=True"):
        convolution_matrix(np.ones((3, 3)), (100, 100))  # 10 404 x 10 000 > 2**24 entries
    assert 102 * 102 * 10_000 > MAX_DENSE_ENTRIES
    big = convolution_matrix(np.ones((3, 3)), (100, 100), sparse=True)
    image = np.random.default_rng(0).standard_normal((100, 100))
    np.testing.assert_allclose(big @ image.ravel(), convolve2d(image, np.ones((3, 3))).ravel(), rtol=1e-12, atol=1e-12)


def test_dtype():
    assert convolution_matrix(np.ones(3, np.float32), 4).dtype == np.float32
    assert convolution_matrix(np.ones(3, np.float32), 4, sparse=True).dtype == np.float32
    assert convolution_matrix(np.ones(3, np.int8), 4).dtype == np.float64
    assert convolution_matrix([True, False], 4).dtype == np.float64


@pytest.mark.parametrize("mode", MODES)
def test_linear_map_matrix_rebuilds_the_convolution_matrix(mode):
    kernel = np.random.default_rng(3).standard_normal((2, 3))
    rebuilt = linear_map_matrix(lambda v: convolve2d(v, kernel, mode), (4, 5))
    np.testing.assert_allclose(rebuilt, convolution_matrix(kernel, (4, 5), mode))


# ---------------------------------------------------------------------------- transposes


@pytest.mark.parametrize("n", [4, 7])
def test_transpose_of_valid_convolution_is_full_correlation(n):
    rng = np.random.default_rng(n)
    kernel, y = rng.standard_normal(3), rng.standard_normal(n - 2)
    np.testing.assert_allclose(convolution_matrix(kernel, n, "valid").T @ y, correlate1d(y, kernel, "full"), atol=1e-12)
    kernel2, y2 = rng.standard_normal((2, 3)), rng.standard_normal((n - 1, n - 2))
    transpose = convolution_matrix(kernel2, (n, n), "valid").T
    np.testing.assert_allclose(transpose @ y2.ravel(), correlate2d(y2, kernel2, "full").ravel(), atol=1e-12)


@pytest.mark.parametrize("image_shape, kernel_shape", [((7, 7), (3, 3)), ((8, 6), (2, 3)), ((6, 9), (3, 2))])
def test_conv_transpose2d_multiplies_by_the_transposed_matrix(image_shape, kernel_shape):
    """Single channel conv2d with stride 2 is a matrix A; conv_transpose2d is A.T."""
    rng = np.random.default_rng(sum(image_shape))
    weight = rng.standard_normal((1, 1, *kernel_shape))
    stride = 2
    matrix = linear_map_matrix(lambda v: conv2d(v[None, None], weight, stride=stride)[0, 0], image_shape)
    out_shape = conv2d(np.zeros((1, 1, *image_shape)), weight, stride=stride).shape[2:]
    assert matrix.shape == (out_shape[0] * out_shape[1], image_shape[0] * image_shape[1])
    y = rng.standard_normal(out_shape)
    # the rows/columns a stride-2 window never started on come back through output_padding
    extra = tuple((n - k) % stride for n, k in zip(image_shape, kernel_shape))
    transposed = conv_transpose2d(y[None, None], weight, stride=stride, output_padding=extra)[0, 0]
    assert transposed.shape == image_shape
    np.testing.assert_allclose(transposed.ravel(), matrix.T @ y.ravel(), rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "call, error, match",
    [
        (
            lambda: convolution_matrix(np.ones((2, 2, 2)), (3, 3, 3)),
            ValueError,
            "kernel must be a non-empty 1-D or 2-D",
        ),
        (lambda: convolution_matrix([], 3), ValueError, "kernel must be a non-empty"),
        (lambda: convolution_matrix(np.ones((2, 2)), 5), ValueError, "input_shape must have one entry per kernel axis"),
        (lambda: convolution_matrix(np.ones(2), (3, 3)), ValueError, "input_shape"),
        (lambda: convolution_matrix(np.ones(2), 0), ValueError, r"input_shape\[0\] must be >= 1"),
        (lambda: convolution_matrix(np.ones(2), 3, mode="circular"), ValueError, "mode must be one of"),
        (lambda: convolution_matrix(np.ones((2, 5)), (4, 4), mode="valid"), ValueError, "valid"),
        (lambda: convolution_matrix(["a", "b"], 3), TypeError, "kernel must hold numbers"),
        (lambda: linear_map_matrix("not a function", (2,)), TypeError, "callable"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()

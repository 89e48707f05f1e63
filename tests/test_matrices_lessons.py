"""What notebook 04 (convolution as matrix multiplication) teaches holds beyond its one example.

The notebook checks each claim once, on one small case, in one visible line. Here the same facts
are checked over grids of sizes, kernels and modes: the Toeplitz and doubly block Toeplitz
structure, im2col, one pixel three ways, the notebook's implicit GEMM and Winograd F(2, 3) and
F(2x2, 3x3), and the full convolution's transpose as a cross-correlation layer.

The first edition's notebook 04 also checked the layer as one matrix product, stride, dilation,
pooling and its gradient and the convolution theorem; notebooks 05 and 07 teach those now, and
tests/test_layers_lessons.py and tests/test_frequency_lessons.py check them. The transposed
convolution's checks stay here, beside the matrix whose transpose it is.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest
import scipy.linalg

import convlib
from convlib.sizes import mode_padding

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "04_convolution_as_matrix_multiplication.ipynb"

# Winograd F(2, 3), as the notebook writes it out.
B_T = np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], dtype=float)
G = np.array([[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]])
A_T = np.array([[1, 1, 1, 0], [0, 1, -1, -1]], dtype=float)


def _notebook_function(name: str):
    """Execute the notebook's code cell that defines ``name`` (with numpy and convlib) and return it."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    source = next(c.source for c in cells if c.cell_type == "code" and f"def {name}(" in c.source)
    definition = source.split("\n\n\n")[0]  # the definition, without the cell's demonstration below it
    namespace = {"np": np, "convlib": convlib}
    exec(definition, namespace)
    return namespace[name]


# ---------------------------------------------------------------------------------------------
# 1. The Toeplitz matrix

KERNELS_1D = [[1.0, 2.0, 3.0], [1.0, -2.0], [4.0], [2.0, 0.0, -1.0, 5.0], [1.0, 2.0, 3.0, 4.0, 5.0]]


@pytest.mark.parametrize("kernel", KERNELS_1D, ids=str)
@pytest.mark.parametrize("n", [5, 8])
def test_toeplitz_is_the_convolution_in_every_mode(kernel, n):
    kernel = np.array(kernel)
    k = kernel.size
    x = np.random.default_rng(n + k).standard_normal(n)
    full = convlib.convolution_matrix(kernel, n)
    first_column, first_row = np.r_[kernel, np.zeros(n - 1)], np.r_[kernel[0], np.zeros(n - 1)]
    assert np.array_equal(scipy.linalg.toeplitz(first_column, first_row), full)
    assert np.array_equal(full[1:, 1:], full[:-1, :-1])  # constant diagonals
    for offset in range(-(full.shape[0] - 1), n):  # nonzeros only in a band of K diagonals
        if not -k < offset <= 0:
            assert not np.any(np.diagonal(full, offset))
    for mode, start in (("full", 0), ("same", (k - 1) // 2), ("valid", k - 1)):
        rows = convlib.convolution_matrix(kernel, n, mode)
        assert np.array_equal(rows, full[start : start + rows.shape[0]])
        assert np.allclose(rows @ x, convlib.convolve1d(x, kernel, mode))


@pytest.mark.parametrize("kernel", KERNELS_1D, ids=str)
def test_rows_are_the_flipped_kernel_and_columns_the_impulse_response(kernel):
    kernel, n = np.array(kernel), 6
    full = convlib.convolution_matrix(kernel, n)
    for i in range(full.shape[0]):
        expected = np.zeros(n)
        for j in range(n):
            if 0 <= i - j < kernel.size:
                expected[j] = kernel[i - j]
        assert np.array_equal(full[i], expected)  # row i: the kernel flipped, its k[0] at column i
    for j in range(n):
        spike = np.zeros(n)
        spike[j] = 1.0
        assert np.array_equal(full[:, j], convlib.convolve1d(spike, kernel))


@pytest.mark.parametrize("kernel", KERNELS_1D, ids=str)
def test_the_transpose_correlates_and_the_reversed_kernel_gives_a_correlation_matrix(kernel):
    kernel, n = np.array(kernel), 7
    rng = np.random.default_rng(1)
    T = convlib.convolution_matrix(kernel, n)
    y = rng.standard_normal(T.shape[0])
    x = rng.standard_normal(n)
    assert np.allclose(T.T @ y, convlib.correlate1d(y, kernel, "valid"))
    assert np.allclose(convlib.convolution_matrix(kernel[::-1], n) @ x, convlib.correlate1d(x, kernel))


# ---------------------------------------------------------------------------------------------
# 2. The doubly block Toeplitz matrix


@pytest.mark.parametrize("image_shape", [(3, 3), (3, 4), (5, 2)])
@pytest.mark.parametrize("kernel_shape", [(2, 2), (1, 3), (3, 2)])
def test_blocks_are_the_toeplitz_matrices_of_the_kernel_rows(image_shape, kernel_shape):
    rng = np.random.default_rng(sum(image_shape) + 10 * sum(kernel_shape))
    kernel = rng.integers(1, 9, kernel_shape).astype(float)
    image = rng.standard_normal(image_shape)
    (height, width), (kh, kw) = image_shape, kernel_shape
    T2 = convlib.convolution_matrix(kernel, image_shape)
    out_h, out_w = height + kh - 1, width + kw - 1
    assert T2.shape == (out_h * out_w, height * width)
    assert np.allclose(T2 @ image.ravel(), convlib.convolve2d(image, kernel).ravel())
    for r, c in np.ndindex(out_h, height):
        block = T2[r * out_w : (r + 1) * out_w, c * width : (c + 1) * width]
        a = r - c
        expected = convlib.convolution_matrix(kernel[a], width) if 0 <= a < kh else np.zeros((out_w, width))
        assert np.array_equal(block, expected)


def test_the_photograph_matrix_sizes():
    camera = convlib.load_image("camera", gray=True)
    blur = convlib.kernels.gaussian(3, 1.0)
    sparse = convlib.convolution_matrix(blur, camera.shape, mode="same", sparse=True)
    entries = sparse.shape[0] * sparse.shape[1]
    sparse_bytes = sparse.data.nbytes + sparse.indices.nbytes + sparse.indptr.nbytes
    assert sparse.shape == (512 * 512, 512 * 512)
    assert np.allclose(sparse @ camera.ravel(), convlib.convolve2d(camera, blur, "same").ravel())
    assert entries * 8 > 0.5e12
    assert sparse.nnz <= 9 * camera.size and sparse_bytes > 10 * camera.nbytes
    with pytest.raises(ValueError, match="512 GiB"):
        convlib.convolution_matrix(blur, camera.shape, mode="same")


# ---------------------------------------------------------------------------------------------
# 3. im2col


@pytest.mark.parametrize("image_shape", [(4, 4), (4, 5), (7, 3)])
@pytest.mark.parametrize("kernel_shape", [(2, 2), (2, 3), (3, 1)])
def test_im2col_columns_are_windows_and_one_product_correlates(image_shape, kernel_shape):
    rng = np.random.default_rng(3)
    image = rng.integers(0, 10, image_shape).astype(float)
    weights = rng.standard_normal(kernel_shape)
    kh, kw = kernel_shape
    oh, ow = image_shape[0] - kh + 1, image_shape[1] - kw + 1
    cols = convlib.im2col(image[None, None], kernel_shape)[0]
    assert cols.shape == (kh * kw, oh * ow)
    for oy, ox in np.ndindex(oh, ow):
        assert np.array_equal(cols[:, oy * ow + ox], image[oy : oy + kh, ox : ox + kw].ravel())
    out = (weights.ravel() @ cols).reshape(oh, ow)
    assert np.allclose(out, convlib.correlate2d(image, weights, "valid"))
    assert np.allclose(out, convlib.convolve2d(image, weights[::-1, ::-1], "valid"))
    assert np.array_equal(
        convlib.im2col(image[None, None], kernel_shape), convlib.im2col_naive(image[None, None], kernel_shape)
    )


def test_windows_are_a_view_and_im2col_costs_k_squared_copies():
    tiny = np.arange(20.0).reshape(4, 5)
    windows = convlib.sliding_windows(tiny[None, None], (2, 3))
    assert np.shares_memory(windows, tiny)
    camera = convlib.load_image("camera", gray=True)
    for k in (3, 5):
        assert convlib.im2col(camera[None, None], (k, k), padding=k // 2).nbytes == k * k * camera.nbytes


@pytest.mark.parametrize("kernel_size", [3, 5])
def test_one_pixel_three_ways_for_every_pixel(kernel_size):
    rng = np.random.default_rng(kernel_size)
    picture = rng.integers(0, 10, size=(6, 7)).astype(float)
    kernel = rng.integers(-3, 4, size=(kernel_size, kernel_size)).astype(float)
    flipped = kernel[::-1, ::-1]
    widths = (mode_padding(kernel_size, "same"), mode_padding(kernel_size, "same"))
    padded = np.pad(picture, widths)
    T = convlib.convolution_matrix(kernel, picture.shape, "same")
    cols = convlib.im2col(padded[None, None], kernel_size)[0]
    expected = convlib.convolve2d(picture, kernel, "same")
    for row, col in np.ndindex(*picture.shape):
        index = row * picture.shape[1] + col
        by_window = np.sum(padded[row : row + kernel_size, col : col + kernel_size] * flipped)
        assert np.isclose(by_window, expected[row, col])
        assert np.isclose(T[index] @ picture.ravel(), expected[row, col])
        assert np.isclose(flipped.ravel() @ cols[:, index], expected[row, col])


def test_many_filters_in_one_product():
    camera = convlib.load_image("camera", gray=True)[:64, :80]
    names = ["sobel x", "sobel y", "laplacian", "gaussian blur"]
    kernels = [convlib.kernels.gallery()[name] for name in names]
    W = np.stack(kernels).reshape(4, 9)
    responses = (W @ convlib.im2col(camera[None, None], 3, padding=1)[0]).reshape(4, 64, 80)
    for response, kernel in zip(responses, kernels):
        assert np.allclose(response, convlib.correlate2d(camera, kernel, "same"))


# ---------------------------------------------------------------------------------------------
# 4. What libraries do instead


@pytest.mark.parametrize("tile_rows", [1, 5, 16, 100])
@pytest.mark.parametrize("shape", [(20, 23), (37, 18)])
def test_the_notebooks_implicit_gemm_equals_the_whole_product(tile_rows, shape):
    implicit_gemm = _notebook_function("implicit_gemm")
    rng = np.random.default_rng(tile_rows)
    image, W = rng.standard_normal(shape), rng.standard_normal((3, 9))
    out, largest = implicit_gemm(image, W, tile_rows=tile_rows)
    whole = convlib.im2col(image[None, None], 3)[0]
    assert np.allclose(out, (W @ whole).reshape(3, shape[0] - 2, shape[1] - 2))
    assert largest <= whole.nbytes
    if tile_rows < shape[0] - 2:
        assert largest < whole.nbytes


def test_winograd_f23_four_products_give_two_outputs():
    rng = np.random.default_rng(5)
    for _ in range(200):
        d, g = rng.standard_normal(4), rng.standard_normal(3)
        u = np.array([g[0], (g[0] + g[1] + g[2]) / 2, (g[0] - g[1] + g[2]) / 2, g[2]])
        v = np.array([d[0] - d[2], d[1] + d[2], d[2] - d[1], d[1] - d[3]])
        m = u * v  # four multiplications
        assert np.allclose([m[0] + m[1] + m[2], m[1] - m[2] - m[3]], convlib.correlate1d(d, g, "valid"))
        assert np.allclose(B_T @ d, v) and np.allclose(G @ g, u)


@pytest.mark.parametrize("outputs", [2, 8, 30])
def test_winograd_tiles_cover_a_long_signal(outputs):
    rng = np.random.default_rng(outputs)
    signal, g = rng.standard_normal(outputs + 2), rng.standard_normal(3)
    tiles = [A_T @ ((G @ g) * (B_T @ signal[s : s + 4])) for s in range(0, outputs, 2)]
    assert np.allclose(np.concatenate(tiles), convlib.correlate1d(signal, g, "valid"))


def test_winograd_2d_sixteen_products_for_a_2x2_tile():
    rng = np.random.default_rng(6)
    for _ in range(100):
        d, g = rng.standard_normal((4, 4)), rng.standard_normal((3, 3))
        products = (G @ g @ G.T) * (B_T @ d @ B_T.T)
        assert products.size == 16 < 2 * 2 * 9
        assert np.allclose(A_T @ products @ A_T.T, convlib.correlate2d(d, g, "valid"))


# ---------------------------------------------------------------------------------------------
# The transposed convolution (first-edition checks; notebook 05 teaches it, notebook 04 links to it)


@pytest.mark.parametrize("n, k", [(5, 3), (8, 2), (6, 6), (9, 4)])
def test_the_transpose_of_a_layer_is_the_transposed_convolution(n, k):
    rng = np.random.default_rng(n * k)
    w, x = rng.standard_normal(k), rng.standard_normal(n)
    C = convlib.convolution_matrix(w[::-1], n, "valid")  # correlation with w
    assert np.allclose(C @ x, convlib.correlate1d(x, w, "valid"))
    y = rng.standard_normal(n - k + 1)
    up = convlib.conv_transpose2d(y[None, None, None], w[None, None, None])[0, 0, 0]
    assert np.allclose(C.T @ y, up)
    grad_input = convlib.conv2d_backward(y[None, None, None], x[None, None, None], w[None, None, None])[0]
    assert np.allclose(grad_input[0, 0, 0], up)
    if k > 1:
        assert not np.allclose(C.T @ (C @ x), x)


def test_strided_transpose_is_the_adjoint_and_no_inverse():
    rng = np.random.default_rng(0)
    w_small = rng.standard_normal((1, 1, 3, 3))

    def conv(image):
        return convlib.conv2d(image[None, None], w_small, stride=2)[0, 0]

    M = convlib.linear_map_matrix(conv, (5, 5))
    y_small = rng.standard_normal((2, 2))
    up = convlib.conv_transpose2d(y_small[None, None], w_small, stride=2)[0, 0]
    assert M.shape == (4, 25) and up.shape == (5, 5)
    assert np.allclose(up.ravel(), M.T @ y_small.ravel())
    x_small = rng.standard_normal((5, 5))
    assert np.isclose(np.sum(conv(x_small) * y_small), np.sum(x_small * up))  # <Mx, y> = <x, M^T y>
    grad_input, _, _ = convlib.conv2d_backward(y_small[None, None], x_small[None, None], w_small, stride=2)
    assert np.allclose(grad_input[0, 0], up)
    assert np.linalg.matrix_rank(M) == 4
    back = convlib.conv_transpose2d(conv(x_small)[None, None], w_small, stride=2)[0, 0]
    assert back.shape == x_small.shape and not np.allclose(back, x_small)
    from_six = convlib.conv2d(np.zeros((1, 1, 6, 6)), w_small, stride=2)
    assert from_six.shape[2:] == (2, 2)
    assert convlib.conv_transpose2d(from_six, w_small, stride=2).shape[2:] == (5, 5)
    assert convlib.conv_transpose2d(from_six, w_small, stride=2, output_padding=1).shape[2:] == (6, 6)

"""The kernel gallery: shapes, sums, and what each kernel does to simple images."""

import numpy as np
import pytest
import scipy.ndimage

import convlib
from convlib import kernels

BLURS_AND_KEEPERS = {"identity": kernels.identity, "sharpen": kernels.sharpen, "emboss": kernels.emboss}
EDGE_DETECTORS = [kernels.sobel_x, kernels.sobel_y, kernels.laplacian, kernels.edge_detect]


@pytest.mark.parametrize("size", [1, 2, 3, 4, 7])
def test_box_and_gaussian_sum_to_one(size):
    assert abs(kernels.box(size).sum() - 1) < 1e-12
    assert abs(kernels.gaussian(size, 1.3).sum() - 1) < 1e-12
    assert kernels.box(size).dtype == kernels.gaussian(size, 1.3).dtype == np.float64


def test_box_rectangular_and_gaussian_is_separable_and_symmetric():
    assert kernels.box((2, 5)).shape == (2, 5)
    g = kernels.gaussian(7, 1.5)
    assert np.linalg.matrix_rank(g, tol=1e-12) == 1
    np.testing.assert_allclose(g, g[::-1, ::-1])
    np.testing.assert_allclose(g, g.T)
    assert np.unravel_index(g.argmax(), g.shape) == (3, 3)


def test_gaussian_matches_scipy_gaussian_filter_on_an_impulse():
    impulse = np.zeros((9, 9))
    impulse[4, 4] = 1
    # scipy truncates at truncate * sigma; truncate=2 with sigma=1.5 gives radius 3, a 7x7 kernel
    expected = scipy.ndimage.gaussian_filter(impulse, 1.5, truncate=2.0, mode="constant")[1:8, 1:8]
    np.testing.assert_allclose(kernels.gaussian(7, 1.5), expected / expected.sum(), atol=1e-12)


def test_sums_of_the_gallery():
    sums = {name: kernel.sum() for name, kernel in kernels.gallery().items()}
    assert sums == pytest.approx(
        {
            "identity": 1,
            "box blur": 1,
            "gaussian blur": 1,
            "sharpen": 1,
            "sobel x": 0,
            "sobel y": 0,
            "laplacian": 0,
            "edge detect": 0,
            "emboss": 1,
        }
    )
    assert kernels.edge_detect().tolist() == [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]
    assert all(k.shape == (3, 3) and k.dtype == np.float64 for k in kernels.gallery().values())


def test_sobel_x_correlated_is_positive_where_brightness_increases_to_the_right():
    ramp = np.tile(np.arange(6.0), (6, 1))  # brighter to the right
    assert np.all(convlib.correlate2d(ramp, kernels.sobel_x(), "valid") == 8)
    assert np.all(convlib.convolve2d(ramp, kernels.sobel_x(), "valid") == -8)  # convolution flips the sign
    assert np.all(convlib.correlate2d(ramp.T, kernels.sobel_y(), "valid") == 8)


@pytest.mark.parametrize("make", EDGE_DETECTORS)
def test_edge_detectors_give_zero_on_a_flat_image(make):
    assert np.all(convlib.correlate2d(np.full((5, 5), 0.7), make(), "valid") == pytest.approx(0))


def test_laplacian_is_zero_on_a_linear_ramp_but_not_on_a_parabola():
    x = np.arange(7.0)
    ramp = np.add.outer(x, 2 * x)
    bowl = np.add.outer(x**2, x**2)
    np.testing.assert_allclose(convlib.correlate2d(ramp, kernels.laplacian(), "valid"), 0)
    np.testing.assert_allclose(convlib.correlate2d(bowl, kernels.laplacian(), "valid"), 4)


@pytest.mark.parametrize("name", list(BLURS_AND_KEEPERS))
def test_kernels_summing_to_one_keep_a_flat_image(name):
    flat = np.full((5, 5), 0.3)
    np.testing.assert_allclose(convlib.correlate2d(flat, BLURS_AND_KEEPERS[name](), "valid"), 0.3)


def test_kernel_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"gaussian: sigma must be finite and > 0; got 0"):
        kernels.gaussian(5, 0)
    with pytest.raises(ValueError, match=r"box: size must be >= 1; got 0"):
        kernels.box(0)
    with pytest.raises(TypeError, match=r"box: size must be an integer; got 2.5"):
        kernels.box(2.5)
    with pytest.raises(ValueError, match=r"identity: size must be odd"):
        kernels.identity(4)


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: kernels.box((2, 3, 4)), ValueError, r"box: size must be an int or a pair"),
        (lambda: kernels.box(None), TypeError, r"box: size must be an integer; got None"),
        (lambda: kernels.gaussian(3, "1"), TypeError, r"gaussian: sigma must be a real number; got '1'"),
        (lambda: kernels.gaussian(3, None), TypeError, r"gaussian: sigma must be a real number"),
        (lambda: kernels.gaussian(3, True), TypeError, r"gaussian: sigma must be a real number; got True"),
        (lambda: kernels.gaussian(3, np.inf), ValueError, r"gaussian: sigma must be finite and > 0; got inf"),
    ],
)
def test_kernel_arguments_are_checked(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()

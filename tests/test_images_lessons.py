"""What notebook 02 (image kernels) teaches holds beyond the one case the notebook shows.

The notebook checks each claim once, in one line; here the same facts are checked over sweeps and
grids of cases: the loops and the fast method, the gallery's algebra, blurs and brightness, sampled
Gaussians, what scipy.ndimage, OpenCV and convlib do with ``uint8``, the display conversions, colour,
separability, unsharp masking, LoG against DoG, the median filter, and the window stepper's values.
"""

from __future__ import annotations

import math

import cv2
import matplotlib
import numpy as np
import pytest
import scipy.ndimage

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import convlib
from convlib import kernels
from convlib.book.figures.common import show_image
from convlib.book.figures.images import show_kernel_gallery, show_window_step
from convlib.book.widgets.pictures import compact_png, png_of_figure
from convlib.book.widgets.window_stepper import WindowStepper
from convlib.engines.shift_add import separable_factors


@pytest.fixture(scope="module")
def camera() -> np.ndarray:
    return convlib.load_image("camera", gray=True)


# --- 1. an image is an array ----------------------------------------------------------------------------------


def test_the_default_display_cannot_tell_a_dim_image_from_the_original(camera):
    def stretched(image):  # what imshow does by default: min..max to black..white
        return (image - image.min()) / (image.max() - image.min())

    for factor in (1 / 3, 0.5, 2.0):
        assert np.allclose(stretched(camera), stretched(camera * factor))
    fig, ax = plt.subplots()
    show_image(ax, camera / 3)
    assert ax.images[0].get_clim() == (0, 1)  # show_image: the honest range
    plt.close(fig)


# --- 2. the sliding window --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, kernel_shape", [((9, 11), (3, 3)), ((16, 7), (5, 2)), ((6, 6), (1, 4)), ((40, 33), (3, 3))]
)
def test_the_loops_and_the_fast_method_agree(shape, kernel_shape):
    rng = np.random.default_rng(sum(shape) + sum(kernel_shape))
    image, kernel = rng.normal(size=shape), rng.normal(size=kernel_shape)
    by_loops = convlib.correlate2d(image, kernel, mode="valid", method="naive")
    assert by_loops.shape == (shape[0] - kernel_shape[0] + 1, shape[1] - kernel_shape[1] + 1)
    for method in ("direct", "fft", "auto"):
        np.testing.assert_allclose(
            convlib.correlate2d(image, kernel, mode="valid", method=method), by_loops, atol=1e-10
        )


def test_the_hand_worked_example():
    small = np.array([[1, 1, 2, 5, 5], [1, 2, 1, 6, 5], [2, 1, 1, 5, 6], [1, 1, 2, 6, 5], [2, 1, 1, 5, 5]])
    kernel = kernels.sobel_x()
    out = convlib.correlate2d(small, kernel, mode="valid")
    assert out.shape == (3, 3)
    assert out[0, 0] == 0  # the first window: products sum to 0
    assert np.all(out[:, 1:] >= 15) and np.all(np.abs(out[:, 0]) <= 1)  # large only where it straddles the jump
    np.testing.assert_array_equal(convlib.convolve2d(small, kernel, mode="valid"), -out)  # flipped: negated


# --- 3. the gallery ---------------------------------------------------------------------------------------------


def test_the_gallery_algebra():
    identity = kernels.identity()
    np.testing.assert_array_equal(kernels.sharpen(), identity - kernels.laplacian())
    np.testing.assert_array_equal(kernels.edge_detect(), 9 * identity - np.ones((3, 3)))
    relief = kernels.emboss() - identity
    np.testing.assert_array_equal(relief[::-1, ::-1], -relief)  # antisymmetric: a directional difference
    plus = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]]) / 5
    np.testing.assert_allclose(kernels.sharpen(), 6 * identity - 5 * plus)  # unsharp mask, alpha 5
    for name in ("identity", "box blur", "gaussian blur", "sharpen", "emboss"):
        assert math.isclose(kernels.GALLERY[name]().sum(), 1.0)
    for name in ("sobel x", "sobel y", "laplacian", "edge detect"):
        assert kernels.GALLERY[name]().sum() == 0


@pytest.mark.parametrize("step", [1 / 8, 0.3, -2.0])
def test_sobel_and_laplacian_on_ramps(step):
    ramp = np.tile(np.arange(9) * step, (9, 1))  # changes by `step` per pixel to the right
    np.testing.assert_allclose(convlib.correlate2d(ramp, kernels.sobel_x(), mode="valid"), 8 * step)
    np.testing.assert_allclose(convlib.convolve2d(ramp, kernels.sobel_x(), mode="valid"), -8 * step)
    np.testing.assert_allclose(convlib.correlate2d(ramp, kernels.sobel_y(), mode="valid"), 0, atol=1e-12)
    for flat_or_even in (np.ones((9, 9)), ramp, ramp.T):
        np.testing.assert_allclose(convlib.correlate2d(flat_or_even, kernels.laplacian(), mode="valid"), 0, atol=1e-12)


def test_gallery_figures_fit_a_projector(camera):
    fig = show_kernel_gallery(camera[40:296, 170:426], {"box blur": kernels.box(3), "sobel x": kernels.sobel_x()})
    width, height = fig.get_size_inches() * fig.dpi
    assert width <= 860 and height <= 560
    photo = fig.axes[0].get_window_extent()
    assert photo.width >= 300  # a photograph panel at least 300 px wide
    plt.close(fig)


# --- 4. why a blur sums to 1 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("total", [0.5, 1.0, 2.0, 3.0])
def test_a_blur_multiplies_the_brightness_by_its_sum(camera, total):
    weights = kernels.binomial_blur() * total
    out = convlib.correlate2d(camera, weights, mode="same", boundary="symmetric")
    reference = convlib.correlate2d(camera, kernels.binomial_blur(), mode="same", boundary="symmetric")
    np.testing.assert_allclose(out, total * reference)
    assert math.isclose(reference.mean(), camera.mean(), abs_tol=1e-3)
    np.testing.assert_allclose(np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16, kernels.binomial_blur())


# --- 5. a sampled Gaussian --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sigma", [0.8, 1.0, 1.5, 2.0, 2.5, 3.3])
def test_gaussian_is_sampled_truncated_at_three_sigma_and_renormalised(sigma):
    half = math.ceil(3 * sigma)
    n = np.arange(-half, half + 1)
    samples = np.exp(-(n**2) / (2 * sigma**2))
    np.testing.assert_allclose(kernels.gaussian_1d(2 * half + 1, sigma), samples / samples.sum())
    assert math.isclose(kernels.gaussian(2 * half + 1, sigma).sum(), 1.0, abs_tol=1e-12)
    density = samples / (sigma * math.sqrt(2 * math.pi))
    assert 1 - density.sum() ** 2 < 0.006  # cut at 3 sigma, the unnormalised 2-D kernel loses < 0.6 %


def test_cutting_at_one_sigma_loses_a_third():
    sigma = 2.0
    n = np.arange(-2, 3)
    density = np.exp(-(n**2) / (2 * sigma**2)) / (sigma * math.sqrt(2 * math.pi))
    assert density.sum() ** 2 < 2 / 3


# --- 6. what libraries do with uint8 ----------------------------------------------------------------------------


@pytest.mark.parametrize("value, total", [(100, 10), (100, -2), (200, 9), (50, -3), (30, 60), (150, 1)])
def test_uint8_wraps_in_scipy_saturates_in_opencv_and_is_true_in_convlib(value, total):
    flat = np.full((5, 5), value, np.uint8)
    kernel = np.zeros((3, 3))
    kernel[1, 1] = total
    true = value * total
    assert scipy.ndimage.correlate(flat, kernel)[2, 2] == true % 256
    assert cv2.filter2D(flat, -1, kernel)[2, 2] == min(max(true, 0), 255)
    out = convlib.correlate2d(flat, kernel, mode="valid")
    assert out.dtype == np.float64 and np.all(out == true)


def test_uint8_arithmetic_is_wrong_exactly_where_the_true_value_leaves_the_range(camera):
    pixels = np.round(camera * 255).astype(np.uint8)
    centre = pixels[1:-1, 1:-1]
    up, down, left, right = pixels[:-2, 1:-1], pixels[2:, 1:-1], pixels[1:-1, :-2], pixels[1:-1, 2:]
    sharpened_uint8 = 5 * centre - up - down - left - right  # uint8 arithmetic: wraps
    true_values = convlib.correlate2d(pixels, kernels.sharpen(), mode="valid")
    wrapped = (true_values < 0) | (true_values > 255)
    np.testing.assert_array_equal(sharpened_uint8 != true_values, wrapped)
    np.testing.assert_array_equal(sharpened_uint8, np.mod(true_values, 256))
    ndimage = scipy.ndimage.correlate(pixels, kernels.sharpen())[1:-1, 1:-1]  # the notebook's wrapped picture
    np.testing.assert_array_equal(ndimage, np.mod(true_values, 256))


def test_the_display_conversions(camera):
    response = convlib.correlate2d(camera, kernels.laplacian(), mode="same", boundary="symmetric")
    flat = np.isclose(response, 0)
    pictures = {scaling: convlib.to_uint8(response, scaling=scaling) for scaling in ("clip", "rescale", "abs")}
    for picture in pictures.values():
        assert picture.dtype == np.uint8 and np.unique(picture[flat]).size == 1
    assert np.all(pictures["clip"][response < 0] == 0)
    low, high = response.min(), response.max()
    assert pictures["rescale"][flat][0] == round(255 * (0 - low) / (high - low))
    strength = np.abs(response) / np.abs(response).max()
    np.testing.assert_array_equal(pictures["abs"], np.rint(255 * strength).astype(np.uint8))


# --- 7. colour and separability ---------------------------------------------------------------------------------


def test_colour_is_filtered_channel_by_channel():
    cat = convlib.load_image("chelsea")
    with pytest.raises(ValueError, match="filter each channel"):
        convlib.correlate2d(cat, kernels.box(3))
    blurred = np.stack([convlib.correlate2d(cat[..., c], kernels.gaussian(9, 2.0), mode="same", boundary="symmetric")
                        for c in range(3)], axis=-1)  # fmt: skip
    assert blurred.shape == cat.shape
    np.testing.assert_allclose(blurred.mean(axis=(0, 1)), cat.mean(axis=(0, 1)), atol=2e-3)


def test_colour_edges_a_gray_version_cannot_see():
    two = np.zeros((8, 8, 3))
    two[:, :4, 0] = 1  # red on the left
    two[:, 4:, 1] = 1  # green on the right, as bright (the mean of the channels) as the red
    gray_edges = convlib.correlate2d(two.mean(axis=-1), kernels.sobel_x(), mode="same", boundary="symmetric")
    colour_edges = np.stack([convlib.correlate2d(two[..., c], kernels.sobel_x(), mode="same", boundary="symmetric")
                             for c in range(3)], axis=-1)  # fmt: skip
    assert np.allclose(gray_edges, 0)
    assert np.abs(colour_edges).max() == 4.0


def test_two_1d_passes_are_faster_than_one_2d_pass(camera):
    import time

    g = kernels.gaussian_1d(15, 2.5)
    k = kernels.gaussian(15, 2.5)

    def seconds(function, repeats=5):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
        return min(times)

    one_pass = seconds(lambda: scipy.ndimage.correlate(camera, k, mode="reflect"))
    two_pass = seconds(lambda: scipy.ndimage.correlate1d(scipy.ndimage.correlate1d(camera, g, axis=0), g, axis=1))
    assert two_pass < one_pass / 2, (one_pass, two_pass)


@pytest.mark.parametrize("size, sigma", [(5, 1.0), (15, 2.5), (21, 3.5)])
def test_a_gaussian_is_separable(camera, size, sigma):
    g, k = kernels.gaussian_1d(size, sigma), kernels.gaussian(size, sigma)
    np.testing.assert_allclose(np.outer(g, g), k)
    assert np.sum(np.linalg.svd(k, compute_uv=False) > 1e-12) == 1
    one = scipy.ndimage.correlate(camera, k, mode="constant")
    two = scipy.ndimage.correlate1d(scipy.ndimage.correlate1d(camera, g, axis=0, mode="constant"), g, axis=1,
                                    mode="constant")  # fmt: skip
    np.testing.assert_allclose(one, two, atol=1e-12)
    np.testing.assert_allclose(one, convlib.correlate2d(camera, k, "same"), atol=1e-12)
    assert separable_factors(k) is not None


def test_which_gallery_kernels_are_separable():
    assert separable_factors(kernels.sobel_x()) is not None
    np.testing.assert_array_equal(np.outer([1, 2, 1], [-1, 0, 1]), kernels.sobel_x())
    assert separable_factors(kernels.laplacian()) is None
    assert np.linalg.matrix_rank(kernels.laplacian()) == 2


# --- 8. LoG, DoG and the median ---------------------------------------------------------------------------------


def _cosine(a, b):
    return float(np.sum(a * b) / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.mark.parametrize("sigma", [1.5, 2.0, 3.0])
def test_dog_is_nearly_log(sigma):
    size = 2 * math.ceil(3 * 1.6 * sigma) + 1 + 6
    log = convlib.convolve2d(kernels.gaussian(size, 1.25 * sigma), kernels.laplacian(), mode="same")
    dog = kernels.gaussian(size, 1.6 * sigma) - kernels.gaussian(size, sigma)
    assert _cosine(log, dog) > 0.99


def test_median_is_not_linear():
    rng = np.random.default_rng(3)
    differ = 0
    for _ in range(200):
        a, b = rng.integers(0, 10, 9), rng.integers(0, 10, 9)
        differ += np.median(a + b) != np.median(a) + np.median(b)
    assert differ > 50


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_median_removes_salt_and_pepper_better_than_a_box(camera, seed):
    rng = np.random.default_rng(seed)
    crop = camera[40:296, 170:426]
    noisy = crop.copy()
    specks = rng.random(crop.shape) < 0.05
    noisy[specks] = rng.integers(0, 2, specks.sum())
    box = convlib.correlate2d(noisy, kernels.box(3), mode="same", boundary="symmetric")
    median = scipy.ndimage.median_filter(noisy, size=3, mode="mirror")
    assert np.abs(median - crop).mean() < np.abs(box - crop).mean() / 2


# --- the window stepper -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape, kernel_shape", [((5, 5), (3, 3)), ((7, 4), (2, 3)), ((3, 3), (3, 3)), ((9, 9), (1, 1))]
)
def test_the_window_steppers_values_are_convlibs(shape, kernel_shape):
    rng = np.random.default_rng(shape[0] * 10 + kernel_shape[1])
    image, kernel = rng.integers(-5, 9, shape), rng.integers(-3, 4, kernel_shape)
    stepper = WindowStepper(image, kernel)
    expected = convlib.correlate2d(image, kernel, mode="valid")
    np.testing.assert_array_equal(stepper.output, expected)
    assert stepper.positions == expected.size
    for position in range(stepper.positions):
        stepper.position = position
        assert (stepper.row, stepper.column) == divmod(position, expected.shape[1])
        assert stepper.value == expected[stepper.row, stepper.column] == stepper.products.sum()
        assert f"output[{stepper.row}, {stepper.column}]" in repr(stepper)


def test_the_window_stepper_refuses_what_it_cannot_show():
    with pytest.raises(ValueError, match="does not fit"):
        WindowStepper(np.ones((3, 3)), np.ones((4, 1)))
    with pytest.raises(ValueError, match="at most 9x9"):
        WindowStepper(np.ones((10, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="finite"):
        WindowStepper(np.array([[1.0, np.nan]]), np.ones((1, 1)))
    stepper = WindowStepper(np.ones((5, 5)), np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"position must be in 0..8"):
        stepper.position = 9
    with pytest.raises(TypeError, match="integer"):
        stepper.position = 1.0


def test_the_window_step_figure_and_the_steppers_picture():
    small = np.arange(25).reshape(5, 5)
    fig = show_window_step(small, np.ones((3, 3)), 2, 2)
    assert fig.axes[2].get_xlabel() == f"sum = {small[2:5, 2:5].sum()}"
    width, height = fig.get_size_inches() * fig.dpi
    assert width <= 860 and height <= 560
    plt.close(fig)
    with pytest.raises(ValueError, match="output position"):
        show_window_step(small, np.ones((3, 3)), 3, 0)
    png = WindowStepper(small, np.ones((3, 3)), position=4).static_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_compact_png_keeps_gray_figures_exactly():
    from io import BytesIO

    from PIL import Image

    fig, ax = plt.subplots(figsize=(2, 2))
    ax.imshow(np.linspace(0, 1, 64).reshape(8, 8), cmap="gray")
    raw = png_of_figure(fig)
    plt.close(fig)
    small = compact_png(raw)
    original = np.asarray(Image.open(BytesIO(raw)).convert("RGB"))
    compacted = Image.open(BytesIO(small))
    assert compacted.mode == "L" and len(small) < len(raw)
    np.testing.assert_array_equal(np.asarray(compacted), original[..., 0])

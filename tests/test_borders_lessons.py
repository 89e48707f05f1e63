"""What notebook 03 (borders and output size) and appendix A1 teach, checked over whole grids of cases.

The notebooks check each claim once, on the example they show; here the same facts are checked on
every combination (output sizes against PyTorch, every border mode, every library's "same"), and
the checks the first edition made in its notebook that the notebooks now leave to a link
(wrap padding as circular convolution, taught in notebook 07) are kept.
"""

from __future__ import annotations

import itertools
import warnings

import cv2
import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
import torch
import torch.nn.functional as F

import convlib
from convlib.nn.functional import conv2d
from convlib.padding import PAD_MODES
from convlib.sizes import output_size

# --- section 1: the border problem ------------------------------------------------------------------------


def first_attempt(image, kernel):
    kernel = np.fliplr(np.flipud(kernel))
    out = np.zeros(image.shape)
    for i in range(image.shape[0] - kernel.shape[0]):
        for j in range(image.shape[1] - kernel.shape[1]):
            out[i, j] = np.sum(image[i : i + kernel.shape[0], j : j + kernel.shape[1]] * kernel)
    return out


@pytest.mark.parametrize(("height", "width", "k"), [(12, 9, 3), (10, 10, 5), (7, 11, 3)])
def test_the_first_attempt_is_one_short_shifted_and_framed_on_two_sides(height, width, k):
    image = np.random.default_rng(1).random((height, width)) + 0.1  # no zero pixels
    kernel = np.random.default_rng(2).random((k, k)) + 0.1
    result = first_attempt(image, kernel)
    valid = convlib.convolve2d(image, kernel, mode="valid")
    same = convlib.convolve2d(image, kernel, mode="same", boundary="symmetric")
    r = k // 2
    assert not result[height - k :].any() and not result[:, width - k :].any()  # the frame: bottom and right
    assert result[0, : width - k].all() and result[: height - k, 0].all()  # ... and only there
    assert valid.shape == (height - k + 1, width - k + 1)
    assert np.allclose(result[: height - k, : width - k], valid[:-1, :-1])
    assert np.allclose(result[: height - k, : width - k], same[r : height - k + r, r : width - k + r])


def test_valid_layers_shrink_the_image_by_k_minus_1_each():
    for n, k in itertools.product(range(5, 30), (1, 3, 5)):
        x = np.ones(n)
        assert convlib.convolve1d(x, np.ones(k), mode="valid").size == output_size(n, k) == n - k + 1


# --- section 2: the five rules --------------------------------------------------------------------------


def test_the_row_1_2_3_4_padded_by_two_in_every_mode():
    assert {mode: convlib.pad(np.array([1, 2, 3, 4]), 2, mode).tolist() for mode in PAD_MODES} == {
        "constant": [0, 0, 1, 2, 3, 4, 0, 0],
        "edge": [1, 1, 1, 2, 3, 4, 4, 4],
        "reflect": [3, 2, 1, 2, 3, 4, 3, 2],
        "symmetric": [2, 1, 1, 2, 3, 4, 4, 3],
        "wrap": [3, 4, 1, 2, 3, 4, 1, 2],
    }


@pytest.mark.parametrize("name", ["text", "brick"])
def test_the_row_invented_above_the_top_of_a_photograph(name):
    image = convlib.load_image(name, gray=True)
    p = 10
    above = {mode: convlib.pad(image, p, mode)[p - 1, p:-p] for mode in PAD_MODES}
    assert np.array_equal(above["constant"], np.zeros(image.shape[1]))
    assert np.array_equal(above["edge"], image[0])
    assert np.array_equal(above["reflect"], image[1])  # the edge row is not repeated
    assert np.array_equal(above["symmetric"], image[0])  # the edge row is repeated
    assert np.array_equal(above["wrap"], image[-1])  # the bottom row


# --- section 3: a blur at the border ---------------------------------------------------------------------


@pytest.mark.parametrize("k", [3, 5, 9])
def test_zeros_darken_a_flat_image_only_within_the_blur_radius(k):
    flat = np.full((20, 20), 0.6)
    r = k // 2
    blurred = {mode: convlib.correlate2d(flat, convlib.kernels.box(k), "same", boundary=mode) for mode in PAD_MODES}
    assert np.isclose(blurred["constant"][0, 0], 0.6 * (r + 1) ** 2 / k**2)
    assert np.allclose(blurred["constant"][r:-r, r:-r], 0.6)
    for mode in ("edge", "reflect", "symmetric", "wrap"):
        assert np.allclose(blurred[mode], 0.6)


def test_inside_the_border_every_mode_gives_the_same_blur():
    photo = convlib.load_image("camera", gray=True)
    box = convlib.kernels.box(9)
    blurred = {mode: convlib.correlate2d(photo, box, "same", boundary=mode) for mode in PAD_MODES}
    for mode in PAD_MODES:
        assert np.allclose(blurred[mode][4:-4, 4:-4], blurred["constant"][4:-4, 4:-4])


# --- section 4: output sizes ----------------------------------------------------------------------------


def refuses(function, *args, **kwargs) -> bool:
    try:
        function(*args, **kwargs)
    except ValueError:
        return True
    return False


def test_the_formula_against_convlib_and_pytorch_on_a_grid():
    checked = refused = 0
    for n, k, s, p, d in itertools.product(range(1, 9), range(1, 5), range(1, 4), range(3), range(1, 4)):
        x, w = np.zeros((1, 1, n, n)), np.zeros((1, 1, k, k))
        if d * (k - 1) + 1 > n + 2 * p:  # no window fits: both refuse
            assert refuses(output_size, n, k, s, p, d)
            assert refuses(conv2d, x, w, stride=s, padding=p, dilation=d)
            refused += 1
            continue
        size = (n + 2 * p - d * (k - 1) - 1) // s + 1
        torch_shape = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), stride=s, padding=p, dilation=d).shape
        assert conv2d(x, w, stride=s, padding=p, dilation=d).shape == tuple(torch_shape) == (1, 1, size, size)
        assert output_size(n, k, stride=s, padding=p, dilation=d) == size
        checked += 1
    assert checked > 600 and refused > 50


@pytest.mark.parametrize(("n", "k"), [(n, k) for n in (5, 10, 17) for k in (1, 3, 5)])
def test_padding_k_minus_1_is_full_and_half_of_it_is_same_for_odd_kernels(n, k):
    x, kernel = np.ones(n), np.ones(k)
    assert output_size(n, k) == convlib.convolve1d(x, kernel, mode="valid").size
    assert output_size(n, k, padding=k - 1) == convlib.convolve1d(x, kernel, mode="full").size
    assert output_size(n, k, padding=(k - 1) // 2) == convlib.convolve1d(x, kernel, mode="same").size
    assert [output_size(n, k, mode=mode) for mode in ("full", "same", "valid")] == [n + k - 1, n, n - k + 1]


# --- section 5 and appendix A1: where "same" centres an even kernel --------------------------------------


def _torch_same_2d(image, kernel):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Using padding='same' with even kernel", UserWarning)
        out = F.conv2d(torch.from_numpy(image)[None, None], torch.from_numpy(kernel)[None, None], padding="same")
    return out[0, 0].numpy()


@pytest.mark.parametrize("k", [2, 4, 6])
def test_which_kernel_tap_each_library_puts_on_the_pixel_in_2d(k):
    impulse = np.zeros((9, 9))
    impulse[4, 4] = 1.0
    even = np.arange(1.0, k * k + 1).reshape(k, k)
    responses = {
        "convlib.convolve2d": convlib.convolve2d(impulse, even, mode="same"),
        "scipy.signal.convolve2d": scipy.signal.convolve2d(impulse, even, mode="same"),
        "scipy.ndimage.convolve": scipy.ndimage.convolve(impulse, even, mode="constant"),
        "convlib.correlate2d": convlib.correlate2d(impulse, even, mode="same"),
        "scipy.signal.correlate": scipy.signal.correlate(impulse, even, mode="same"),
        "scipy.ndimage.correlate": scipy.ndimage.correlate(impulse, even, mode="constant"),
        "cv2.filter2D": cv2.filter2D(impulse, -1, even, borderType=cv2.BORDER_CONSTANT),
        "scipy.signal.correlate2d": scipy.signal.correlate2d(impulse, even, mode="same"),
        "torch padding='same'": _torch_same_2d(impulse, even),
    }
    taps = {name: divmod(int(r[4, 4]) - 1, k) for name, r in responses.items()}
    lower, upper = (k - 1) // 2, k // 2
    assert taps == {
        "convlib.convolve2d": (lower, lower),
        "scipy.signal.convolve2d": (lower, lower),
        "scipy.ndimage.convolve": (upper, upper),
        "convlib.correlate2d": (upper, upper),
        "scipy.signal.correlate": (upper, upper),
        "scipy.ndimage.correlate": (upper, upper),
        "cv2.filter2D": (upper, upper),
        "scipy.signal.correlate2d": (lower, lower),
        "torch padding='same'": (lower, lower),
    }


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 6])
def test_convlib_same_keeps_full_from_k_minus_1_over_2(k):
    x = np.random.default_rng(k).normal(size=11)
    kernel = np.random.default_rng(k + 10).normal(size=k)
    full = convlib.convolve1d(x, kernel, mode="full")
    start = (k - 1) // 2
    assert np.allclose(convlib.convolve1d(x, kernel, mode="same"), full[start : start + x.size])
    assert np.allclose(np.convolve(x, kernel, mode="same"), full[start : start + x.size])
    assert np.allclose(scipy.ndimage.convolve1d(x, kernel, mode="constant"), full[k // 2 : k // 2 + x.size])


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_pytorch_same_is_convlib_one_pixel_away_for_even_kernels_only(k):
    rng = np.random.default_rng(k)
    image, kernel = rng.random((10, 12)), rng.normal(size=(k, k))
    ours, theirs = convlib.correlate2d(image, kernel, mode="same"), _torch_same_2d(image, kernel)
    if k % 2:
        assert np.allclose(ours, theirs)
    else:
        assert not np.allclose(ours, theirs)
        assert np.allclose(ours[1:, 1:], theirs[:-1, :-1])


# --- kept from the first edition: wrap padding is circular convolution (taught in notebook 07) ---------


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_wrap_padding_is_circular_convolution(k):
    rng = np.random.default_rng(k)
    x, kernel = rng.normal(size=12), rng.normal(size=k)
    n = x.size
    circular = convlib.circular_convolve(x, kernel)
    by_loop = np.array([sum(kernel[m] * x[(i - m) % n] for m in range(k)) for i in range(n)])
    by_fft = np.real(np.fft.ifft(np.fft.fft(x) * np.fft.fft(kernel, n)))
    assert np.allclose(circular, by_loop) and np.allclose(circular, by_fft)
    assert np.allclose(convlib.convolve1d(x, kernel, mode="full", boundary="wrap")[:n], circular)
    same = convlib.convolve1d(x, kernel, mode="same", boundary="wrap")
    assert np.allclose(same, np.roll(circular, -((k - 1) // 2)))


def test_a_one_sample_delay_with_wrap_rotates_the_signal():
    w = np.array([0.1, 0.0, 0.0, 0.2, 0.7])
    shift = np.array([0.0, 1.0])
    assert np.array_equal(convlib.circular_convolve(w, shift), np.roll(w, 1))
    assert np.array_equal(convlib.circular_convolve(convlib.circular_convolve(w, shift), shift), np.roll(w, 2))

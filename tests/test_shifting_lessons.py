"""What notebook 08 (shifting signals) teaches, checked over sweeps and grids of cases.

The notebook checks each claim once, on its own example; here the same facts hold for every shift,
every step, several images and filter banks, and for the published NTM code the notebook cites
(transcribed into numpy, operation for operation).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage

import convlib
from convlib.book.pitfalls import shift_noncircular, shift_reversed_labels, shift_wrong_axis
from convlib.book.widgets.ntm_explorer import head_trajectory


def delta(k: int, radius: int) -> np.ndarray:
    kernel = np.zeros(2 * radius + 1)
    kernel[radius + k] = 1.0
    return kernel


# --------------------------------------------------------------------------- 1. a delta kernel shifts

X = np.array([0, 1, 3, 2, 5, 4, 0, 0, 0, 0], dtype=float)


@pytest.mark.parametrize("k", range(-3, 4))
def test_a_delta_moves_right_when_convolved_and_left_when_correlated(k):
    kernel = delta(k, radius=3)
    assert np.array_equal(convlib.convolve1d(X, kernel, "same", boundary="wrap"), np.roll(X, k))
    assert np.array_equal(convlib.correlate1d(X, kernel, "same", boundary="wrap"), np.roll(X, -k))
    zeros_in = np.roll(X, k)
    if k > 0:
        zeros_in[:k] = 0
    elif k < 0:
        zeros_in[k:] = 0
    assert np.array_equal(convlib.convolve1d(X, kernel, "same"), zeros_in)  # boundary="constant": zeros come in


@pytest.mark.parametrize(("dy", "dx"), [(10, 20), (3, -5), (-7, 0)])
def test_a_2d_delta_moves_an_image(dy, dx):
    image = convlib.load_image("camera", gray=True)[::8, ::8]
    ry, rx = abs(dy), abs(dx)
    kernel = np.zeros((2 * ry + 1, 2 * rx + 1))
    kernel[ry + dy, rx + dx] = 1.0
    assert np.allclose(convlib.convolve2d(image, kernel, "same", boundary="wrap"), np.roll(image, (dy, dx), (0, 1)))
    assert np.allclose(convlib.correlate2d(image, kernel, "same", boundary="wrap"), np.roll(image, (-dy, -dx), (0, 1)))


# --------------------------------------------------------------------------- 2. fractional shifts blur


def test_repeated_split_kernel_moves_by_the_mean_and_spreads_by_the_variance_at_every_step():
    a = 0.3
    split = np.array([1 - a, a])
    current, gaps = np.array([1.0]), {}
    for steps in range(1, 61):
        current = convlib.convolve1d(current, split)
        positions = np.arange(current.size)
        centre = current @ positions
        spread = current @ (positions - centre) ** 2
        assert np.isclose(current.sum(), 1)
        assert np.isclose(centre, steps * a) and np.isclose(spread, steps * a * (1 - a))
        gaussian = np.exp(-((positions - centre) ** 2) / (2 * spread)) / np.sqrt(2 * np.pi * spread)
        gaps[steps] = np.abs(current - gaussian).max()
    assert gaps[60] < gaps[15] < gaps[5] < gaps[2] and gaps[60] < 0.005


@pytest.mark.parametrize("cycles", [1, 2, 4, 8, 16])  # the delay stays near a up to a quarter of Nyquist
def test_the_split_kernel_scales_and_delays_a_sine(cycles):
    a, n = 0.3, np.arange(64)
    omega = 2 * np.pi * cycles / n.size
    out = convlib.convolve1d(np.sin(omega * n), [0.0, 1 - a, a], "same", boundary="wrap")
    response = (1 - a) + a * np.exp(-1j * omega)
    gain, delay = abs(response), -np.angle(response) / omega
    assert np.allclose(out, gain * np.sin(omega * (n - delay)))
    assert gain <= 1 and abs(delay - a) < 0.05


# --------------------------------------------------------------------------- 3. the NTM's location addressing


def test_the_ntm_shift_is_a_wrapped_centred_convolution_on_many_cases():
    rng = np.random.default_rng(3)
    for _ in range(100):
        n = int(rng.integers(3, 20))
        w, s = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(3))
        shifted = convlib.ntm_shift(w, s)
        assert np.allclose(shifted, scipy.ndimage.convolve1d(w, s, mode="wrap"))
        laid_out = np.zeros(n)
        laid_out[[-1, 0, 1]] = s
        assert np.allclose(shifted, np.real(np.fft.ifft(np.fft.fft(w) * np.fft.fft(laid_out))))
        assert np.allclose(shifted, s[0] * np.roll(w, -1) + s[1] * w + s[2] * np.roll(w, 1))


def test_the_head_moves_one_slot_a_step_and_wraps_round():
    start = np.eye(24)[2]
    exact = head_trajectory(start, [0, 0, 1], gamma=1, steps=30)
    for t in range(31):
        assert np.array_equal(exact[t], np.roll(start, t))


@pytest.mark.parametrize("t", [12, 14, 16])  # (earlier, the little weight that wrapped round past slot 0 shows)
def test_a_blurred_head_drifts_at_the_mean_speed_and_a_sharpened_one_at_the_most_likely(t):
    slots, start, s = 24, np.eye(24)[2], np.array([0.05, 0.15, 0.8])
    blurry = head_trajectory(start, s, gamma=1, steps=t)[-1]
    sharp = head_trajectory(start, s, gamma=4, steps=t)[-1]
    centre = blurry @ np.arange(slots)
    assert np.isclose(centre, 2 + 0.75 * t) and np.isclose(blurry @ (np.arange(slots) - centre) ** 2, 0.2875 * t)
    assert sharp.argmax() == 2 + t and sharp.max() > 0.95


def test_content_then_location_finds_a_row_and_walks_on():
    memory = np.random.default_rng(0).standard_normal((12, 8))
    plan = [3, None, None, None, None, 9, None, None, None, None]
    weights = [np.full(12, 1 / 12)]
    for row in plan:
        gate = 1.0 if row is not None else 0.0
        key = memory[row] if row is not None else np.zeros(8)
        weights.append(convlib.ntm_address(memory, key, 20.0, gate, [0.05, 0.1, 0.85], 3.0, weights[-1]))
    assert np.array(weights)[1:].argmax(axis=1).tolist() == [4, 5, 6, 7, 8, 10, 11, 0, 1, 2]


# --------------------------------------------------------------------------- 5. the first attempts, and published code


def test_each_first_attempt_passes_its_careless_case_and_fails_the_end_slot():
    middle, s = np.array([0.0, 0.2, 0.5, 0.3, 0.0, 0.0]), np.array([0.039, 0.175, 0.786])
    assert np.allclose(shift_noncircular(middle, s), convlib.ntm_shift(middle, s))
    assert np.allclose(shift_reversed_labels(middle, [0.25, 0.5, 0.25]), convlib.ntm_shift(middle, [0.25, 0.5, 0.25]))
    assert np.allclose(shift_wrong_axis(middle, [0, 1, 0]), convlib.ntm_shift(middle, [0, 1, 0]))
    last, on_plus_one = np.eye(5)[4], [0.0, 0.0, 1.0]
    assert np.array_equal(convlib.ntm_shift(last, on_plus_one), np.eye(5)[0])
    assert not shift_noncircular(last, on_plus_one).any()
    assert np.array_equal(shift_reversed_labels(last, on_plus_one), np.eye(5)[3])
    assert np.array_equal(shift_wrong_axis(last, on_plus_one), last)


def pytorch_ntm_convolve(w, s):
    """loudinthecloud/pytorch-ntm, ntm/memory.py `_convolve` (commit 3fce69b): circular pad by 1, then conv1d."""
    t = np.concatenate([w[-1:], w, w[:1]])
    return np.correlate(t, s, mode="valid")  # torch's conv1d is a cross-correlation: out[i] = sum_k t[i + k] s[k]


def pytorch_ntm_convolve_before_pr4(w, s):
    """The same function before pull request #4: pad by 2, then crop one sample at each end."""
    t = np.concatenate([w[-2:], w, w[:2]])
    return np.correlate(t, s, mode="valid")[1:-1]


def ntm_tensorflow_circular_convolution(v, k):
    """carpedm20/NTM-tensorflow, ops.py `circular_convolution`: out[i] = sum over j of v[loop(i + j)] * k[...]."""
    size, kernel_shift = v.size, k.size // 2
    out = np.zeros(size)
    for i in range(size):
        indices = [(i + j) % size for j in range(kernel_shift, -kernel_shift - 1, -1)]
        out[i] = np.sum(v[indices] * k)
    return out


def ntm_lasagne_shift(w, s):
    """snipsco/ntm-lasagne, ntm/heads.py: zero padding (num_shifts // 2 before, (num_shifts - 1) // 2 after),
    then Theano's conv2d in "valid" mode, which flips the filter: a true, non-circular convolution."""
    pad = (s.size // 2, (s.size - 1) // 2)
    return np.convolve(np.pad(w, pad), s, mode="valid")


def test_what_the_cited_implementations_compute():
    rng = np.random.default_rng(5)
    for n in (3, 5, 8, 13):
        for _ in range(10):
            w, s = rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(3))
            right = convlib.ntm_shift(w, s)
            assert np.allclose(pytorch_ntm_convolve(w, s), shift_reversed_labels(w, s))  # the labels reversed
            assert np.allclose(pytorch_ntm_convolve(w, s), convlib.ntm_shift(w, s[::-1]))
            assert np.allclose(pytorch_ntm_convolve_before_pr4(w, s), pytorch_ntm_convolve(w, s))
            assert np.allclose(ntm_tensorflow_circular_convolution(w, s), right)  # equation (8) exactly
            assert np.allclose(ntm_lasagne_shift(w, s), shift_noncircular(w, s))  # zero padded
    last = np.eye(6)[5]
    assert np.array_equal(pytorch_ntm_convolve(last, np.array([0.0, 0.0, 1.0])), np.eye(6)[4])  # moves back
    assert not ntm_lasagne_shift(last, np.array([0.0, 0.0, 1.0])).any()  # falls off the end


# --------------------------------------------------------------------------- 6. shift equivariance and stride


def image_batch(name: str, size: int = 64) -> np.ndarray:
    image = convlib.load_image(name, gray=True)[::4, ::4]
    return image[None, None, 16 : 16 + size, 16 : 16 + size]


def roll(batch, by):
    return np.roll(batch, by, axis=(2, 3))


@pytest.mark.parametrize("by", [(5, -7), (1, 0), (0, 3), (-20, 11)])
def test_circular_padding_makes_a_conv_layer_equivariant(by):
    patch = image_batch("camera", 32)
    filters = np.random.default_rng(1).standard_normal((4, 1, 3, 3))
    out = convlib.conv2d(patch, filters, padding=1, padding_mode="circular")
    assert np.allclose(out, convlib.conv2d(np.pad(patch, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="wrap"), filters))
    assert np.allclose(out[0, 0], convlib.correlate2d(patch[0, 0], filters[0, 0], "same", boundary="wrap"))
    assert np.allclose(convlib.conv2d(roll(patch, by), filters, padding=1, padding_mode="circular"), roll(out, by))


def test_zero_padding_is_equivariant_only_away_from_the_border():
    patch = image_batch("camera", 32)
    filters = np.random.default_rng(1).standard_normal((4, 1, 3, 3))
    by = (5, -7)
    shifted_in = convlib.conv2d(roll(patch, by), filters, padding=1)
    rolled_out = roll(convlib.conv2d(patch, filters, padding=1), by)
    assert not np.allclose(shifted_in, rolled_out)
    inner = (slice(None), slice(None), slice(6, 31), slice(1, 24))  # away from the border and what wrapped round
    assert np.allclose(shifted_in[inner], rolled_out[inner])


def test_stride_two_is_equivariant_for_even_shifts_only():
    patch = image_batch("camera", 32)
    filters = np.random.default_rng(1).standard_normal((4, 1, 3, 3))
    strided = convlib.conv2d(patch, filters, stride=2, padding=1, padding_mode="circular")
    for by in [(2, 2), (4, 0), (0, -6)]:
        moved = convlib.conv2d(roll(patch, by), filters, stride=2, padding=1, padding_mode="circular")
        assert np.allclose(moved, roll(strided, (by[0] // 2, by[1] // 2)))
    by_one = convlib.conv2d(roll(patch, (1, 1)), filters, stride=2, padding=1, padding_mode="circular")
    assert not any(np.allclose(by_one, roll(strided, (i, j))) for i in range(16) for j in range(16))


def layer(batch, filters, stride, blurred):
    channels = filters.shape[0]
    y = np.maximum(convlib.conv2d(batch, filters, padding=1, padding_mode="circular"), 0)
    if blurred:
        binomial = np.outer([1, 2, 1], [1, 2, 1]) / 16
        bank = np.tile(binomial, (channels, 1, 1, 1))
        y = convlib.conv2d(y, bank, padding=1, padding_mode="circular", groups=channels)
    return y[:, :, ::stride, ::stride]


def size(a):
    return np.sqrt(np.sum(a**2))


@pytest.mark.parametrize("name", ["camera", "coins", "brick", "grace_hopper"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_blur_before_subsampling_shrinks_the_change_under_odd_shifts(name, seed):
    patch = image_batch(name)
    filters = np.random.default_rng(seed).standard_normal((8, 1, 3, 3))
    for t in (1, 3):
        moved = roll(patch, (0, t))
        result = {}
        for blurred in (False, True):
            y0, y = layer(patch, filters, 2, blurred), layer(moved, filters, 2, blurred)
            nearest = min(size(y - roll(y0, (0, k))) for k in range(8)) / size(y0)
            pooled = size(y.mean(axis=(2, 3)) - y0.mean(axis=(2, 3))) / size(y0.mean(axis=(2, 3)))
            result[blurred] = nearest, pooled
        assert result[True][0] < result[False][0]  # the map changes less
        assert result[False][1] > 0 and result[True][1] < 1e-12  # [1, 2, 1]: even and odd pixels weigh the same
    for t in (2, 4, 6):  # even shifts: the output shifts by t / 2, exactly, with or without the blur
        for blurred in (False, True):
            y0, y = layer(patch, filters, 2, blurred), layer(roll(patch, (0, t)), filters, 2, blurred)
            assert np.allclose(y, roll(y0, (0, t // 2)))


def test_a_zigzag_is_aliased_by_subsampling_and_not_after_the_blur():
    zigzag = np.array([1.0, 0.0] * 8)
    blur = lambda v: 0.25 * np.roll(v, 1) + 0.5 * v + 0.25 * np.roll(v, -1)
    assert np.array_equal(zigzag[::2], np.ones(8)) and np.array_equal(np.roll(zigzag, 1)[::2], np.zeros(8))
    assert np.allclose(blur(zigzag)[::2], 0.5) and np.allclose(blur(np.roll(zigzag, 1))[::2], 0.5)
    gain_at_nyquist = abs(np.sum(np.array([0.25, 0.5, 0.25]) * np.exp(-1j * np.pi * np.arange(3))))
    assert np.isclose(gain_at_nyquist, 0)

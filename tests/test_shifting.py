"""Tests for convlib.shifting (circular convolution, NTM addressing) and convlib.book.pitfalls.

Oracles: numpy's FFT formula from the contract, np.roll, scipy.ndimage.convolve1d(mode="wrap"),
convlib.convolve1d(boundary="wrap"), and a PyTorch implementation written here with torch.roll.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from convlib.book.pitfalls import shift_noncircular, shift_reversed_labels, shift_wrong_axis
from convlib.convolution import convolve1d
from convlib.shifting import (
    AddressingStages,
    circular_convolve,
    ntm_address,
    ntm_content_weights,
    ntm_interpolate,
    ntm_sharpen,
    ntm_shift,
)

RNG = np.random.default_rng(20141020)


def fft_formula(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """The contract's oracle, in float64."""
    x, k = np.asarray(x, float), np.asarray(k, float)
    return np.real(np.fft.ifft(np.fft.fft(x) * np.fft.fft(k, x.size)))


def random_distribution(n: int, rng: np.random.Generator = RNG) -> np.ndarray:
    return rng.dirichlet(np.ones(n))


def one_hot(n: int, index: int) -> np.ndarray:
    w = np.zeros(n)
    w[index] = 1.0
    return w


def torch_shift(w: np.ndarray, s: np.ndarray, shifts) -> np.ndarray:
    """Independent reference: eq. (8) with torch.roll (row i receives row i - shift)."""
    wt, st_ = torch.from_numpy(w), torch.from_numpy(s)
    out = sum(st_[k] * torch.roll(wt, shifts=int(shift)) for k, shift in enumerate(shifts))
    return out.numpy()


# --------------------------------------------------------------------------- circular_convolve


CASES = [(n, k) for n in (1, 2, 5, 16, 33, 100) for k in sorted({1, 2, 3, n // 2 or 1, n}) if k <= n]


@pytest.mark.parametrize(("n", "k"), CASES)
@pytest.mark.parametrize("method", ["auto", "direct", "fft"])
def test_circular_convolve_equals_fft_formula_float64(n, k, method):
    x, kernel = RNG.standard_normal(n), RNG.standard_normal(k)
    out = circular_convolve(x, kernel, method=method)
    assert out.dtype == np.float64
    assert out.shape == (n,)
    np.testing.assert_allclose(out, fft_formula(x, kernel), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(("n", "k"), [(7, 3), (40, 40), (64, 33)])
@pytest.mark.parametrize("method", ["direct", "fft"])
def test_circular_convolve_float32_stays_float32(n, k, method):
    x, kernel = RNG.standard_normal(n).astype(np.float32), RNG.standard_normal(k).astype(np.float32)
    out = circular_convolve(x, kernel, method=method)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, fft_formula(x, kernel), rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("method", ["direct", "fft"])
def test_circular_convolve_ints_and_bools_give_float64_and_do_not_wrap(method):
    x = np.array([200, 100, 50, 250, 7], dtype=np.uint8)
    kernel = np.array([3, 2], dtype=np.uint8)
    out = circular_convolve(x, kernel, method=method)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, fft_formula(x, kernel), atol=1e-9)
    assert out[0] == 3 * 200 + 2 * 7  # 614: uint8 arithmetic would have wrapped
    b = circular_convolve(np.array([True, False, False]), np.array([True, True]), method=method)
    assert b.dtype == np.float64
    np.testing.assert_allclose(b, [1, 1, 0], atol=1e-12)


def test_circular_convolve_float32_signal_int_kernel_stays_float32():
    assert circular_convolve(np.ones(4, np.float32), [1, 2]).dtype == np.float32


@pytest.mark.parametrize("seed", range(20))
def test_direct_equals_fft(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 80))
    k = int(rng.integers(1, n + 1))
    x, kernel = rng.standard_normal(n), rng.standard_normal(k)
    np.testing.assert_allclose(
        circular_convolve(x, kernel, method="direct"), circular_convolve(x, kernel, method="fft"), atol=1e-10
    )


def test_circular_convolve_equals_convolve1d_with_wrap():
    x, kernel = RNG.standard_normal(12), RNG.standard_normal(5)
    # with wrap-round padding, "full" output n reads signal[(n - m) mod N]: its first N samples are one period
    linear = convolve1d(x, kernel, "full", boundary="wrap")
    np.testing.assert_allclose(circular_convolve(x, kernel), linear[:12], atol=1e-12)
    np.testing.assert_allclose(circular_convolve(x, kernel)[:4], linear[12:], atol=1e-12)


def test_circular_convolve_complex_keeps_complex():
    x = RNG.standard_normal(9) + 1j * RNG.standard_normal(9)
    kernel = RNG.standard_normal(4) + 1j * RNG.standard_normal(4)
    expected = np.fft.ifft(np.fft.fft(x) * np.fft.fft(kernel, 9))
    for method in ("direct", "fft"):
        out = circular_convolve(x, kernel, method=method)
        assert out.dtype == np.complex128
        np.testing.assert_allclose(out, expected, atol=1e-12)


def test_circular_convolve_wraps_a_delay():
    np.testing.assert_array_equal(circular_convolve([1, 2, 3, 4], [0, 0, 1]), [3, 4, 1, 2])


def test_circular_convolve_longer_kernel_is_value_error():
    with pytest.raises(ValueError, match=r"kernel must be no longer than signal.*length 5.*length 4"):
        circular_convolve(np.ones(4), np.ones(5))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_circular_convolve_fft_refuses_nan_and_inf(bad):
    x = np.ones(8)
    x[3] = bad
    with pytest.raises(ValueError, match="signal contains NaN or infinity"):
        circular_convolve(x, [1.0, 2.0], method="fft")
    with pytest.raises(ValueError, match="kernel contains NaN or infinity"):
        circular_convolve(np.ones(8), [1.0, bad], method="fft")


def test_circular_convolve_auto_with_nan_falls_back_to_direct():
    n, k, j = 100, 40, 90  # a kernel long enough that auto would otherwise pick the FFT
    x, kernel = RNG.standard_normal(n), RNG.uniform(0.5, 1.5, k)  # no zero taps
    x[j] = np.nan
    out = circular_convolve(x, kernel)  # method="auto"
    touched = np.zeros(n, bool)
    touched[(j + np.arange(k)) % n] = True  # the outputs that read x[j], wrapping round
    assert np.all(np.isnan(out[touched]))
    clean = x.copy()
    clean[j] = 0.0
    np.testing.assert_allclose(out[~touched], fft_formula(clean, kernel)[~touched], atol=1e-10)
    np.testing.assert_array_equal(out, circular_convolve(x, kernel, method="direct"))


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"signal": np.ones((3, 3)), "kernel": [1.0]}, ValueError, "signal must be 1-D"),
        ({"signal": np.ones(3), "kernel": np.ones((1, 1))}, ValueError, "kernel must be 1-D"),
        ({"signal": [], "kernel": [1.0]}, ValueError, "signal must not be empty"),
        ({"signal": [1.0], "kernel": []}, ValueError, "kernel must not be empty"),
        ({"signal": [1.0], "kernel": [1.0], "method": "naive"}, ValueError, "method must be one of"),
        ({"signal": ["a", "b"], "kernel": [1.0]}, TypeError, "signal must hold numbers"),
        ({"signal": [1.0], "kernel": ["a"]}, TypeError, "kernel must hold numbers"),
    ],
)
def test_circular_convolve_bad_input(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        circular_convolve(**kwargs)


# --------------------------------------------------------------------------- ntm_shift


@pytest.mark.parametrize("n", [1, 2, 3, 8])
def test_one_hot_shifts_roll(n):
    w = random_distribution(n)
    np.testing.assert_allclose(ntm_shift(w, [0, 0, 1]), np.roll(w, 1), atol=1e-15)
    np.testing.assert_allclose(ntm_shift(w, [1, 0, 0]), np.roll(w, -1), atol=1e-15)
    np.testing.assert_allclose(ntm_shift(w, [0, 1, 0]), w, atol=1e-15)


def test_one_hot_plus_one_moves_focus_forward_and_wraps():
    np.testing.assert_array_equal(ntm_shift(one_hot(5, 2), [0, 0, 1]), one_hot(5, 3))
    np.testing.assert_array_equal(ntm_shift(one_hot(5, 4), [0, 0, 1]), one_hot(5, 0))
    np.testing.assert_array_equal(ntm_shift(one_hot(5, 0), [1, 0, 0]), one_hot(5, 4))


@pytest.mark.parametrize("shifts", [(-1, 0, 1), (-2, -1, 0, 1, 2), (0, 1), (-3, 2), (4, -1, 0)])
@pytest.mark.parametrize("n", [3, 6, 11])
def test_ntm_shift_equals_circular_convolution_with_laid_out_kernel(shifts, n):
    w, s = random_distribution(n), random_distribution(len(shifts))
    laid_out = np.zeros(n)
    np.add.at(laid_out, np.mod(shifts, n), s)  # shifts that alias mod n add up
    np.testing.assert_allclose(ntm_shift(w, s, shifts), circular_convolve(w, laid_out), atol=1e-12)
    np.testing.assert_allclose(ntm_shift(w, s, shifts), fft_formula(w, laid_out), atol=1e-12)


@pytest.mark.parametrize("shifts", [(-1, 0, 1), (-2, -1, 0, 1, 2)])
def test_ntm_shift_equals_scipy_ndimage_wrap(shifts):
    rng = np.random.default_rng(8)
    for _ in range(200):
        n = int(rng.integers(len(shifts), 20))
        w, s = random_distribution(n, rng), random_distribution(len(shifts), rng)
        # ndimage.convolve1d centres the kernel: [s(-1), s(0), s(+1)] in that order
        expected = scipy.ndimage.convolve1d(w, s, mode="wrap")
        np.testing.assert_allclose(ntm_shift(w, s, shifts), expected, atol=1e-12)


@pytest.mark.parametrize("shifts", [(-1, 0, 1), (-2, -1, 0, 1, 2), (0, 1), (-3, 2), (5, 0)])
def test_ntm_shift_equals_torch_roll_reference(shifts):
    rng = np.random.default_rng(9)
    for n in (1, 2, 4, 7, 16):
        w, s = random_distribution(n, rng), random_distribution(len(shifts), rng)
        np.testing.assert_allclose(ntm_shift(w, s, shifts), torch_shift(w, s, shifts), atol=1e-12)


def test_ntm_shift_dtypes():
    w32 = random_distribution(6).astype(np.float32)
    s32 = np.array([0.25, 0.5, 0.25], np.float32)
    out = ntm_shift(w32, s32)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ntm_shift(w32.astype(float), s32.astype(float)), rtol=1e-6)
    assert ntm_shift([0, 1, 0], [0, 0, 1]).dtype == np.float64
    np.testing.assert_array_equal(ntm_shift([0, 1, 0], [0, 0, 1]), [0, 0, 1])


def test_ntm_shift_accepts_float32_softmax_of_many_rows():
    logits = np.random.default_rng(3).standard_normal(4096).astype(np.float32)
    w = np.exp(logits - logits.max())
    w /= w.sum()
    assert ntm_shift(w, np.array([0.1, 0.8, 0.1], np.float32)).dtype == np.float32


# --------------------------------------------------------------------------- sharpen, interpolate, content


distributions = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n).filter(lambda v: sum(v) > 1e-3)
)


@settings(max_examples=60, deadline=None)
@given(
    w=distributions,
    s=st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3).filter(lambda v: sum(v) > 1e-3),
    gamma=st.floats(1.0, 50.0),
)
def test_shift_then_sharpen_keeps_a_distribution(w, s, gamma):
    w = np.array(w) / np.sum(w)
    s = np.array(s) / np.sum(s)
    shifted = ntm_shift(w, s)
    assert np.all(shifted >= 0)
    assert abs(shifted.sum() - 1) < 1e-9
    sharpened = ntm_sharpen(shifted, gamma)
    assert np.all(np.isfinite(sharpened))
    assert np.all(sharpened >= 0)
    assert abs(sharpened.sum() - 1) < 1e-9
    assert np.argmax(sharpened) == np.argmax(shifted) or np.isclose(sharpened.max(), sharpened[np.argmax(shifted)])


def test_sharpen_gamma_one_is_identity():
    w = random_distribution(10)
    np.testing.assert_allclose(ntm_sharpen(w, 1), w, rtol=1e-12)


def test_sharpen_formula():
    w = random_distribution(7)
    np.testing.assert_allclose(ntm_sharpen(w, 3.5), w**3.5 / np.sum(w**3.5), rtol=1e-12)


def test_sharpen_large_gamma_tends_to_one_hot_without_nan():
    w = np.array([0.1, 0.3, 0.35, 0.25])
    np.testing.assert_allclose(ntm_sharpen(w, 200), one_hot(4, 2), atol=1e-9)
    # 1e-3 ** 1000 underflows to 0 in the naive formula (0 / 0); the stable one still works
    tiny = np.full(1000, 1e-3)
    tiny[10] += 1e-6
    tiny /= tiny.sum()
    np.testing.assert_allclose(ntm_sharpen(tiny, 1e6), one_hot(1000, 10), atol=1e-6)
    np.testing.assert_allclose(ntm_sharpen([0.4, 0.2, 0.4], 1e9), [0.5, 0, 0.5], atol=1e-12)  # ties share


def test_interpolate_endpoints_and_midpoint():
    c, p = random_distribution(6), random_distribution(6)
    np.testing.assert_array_equal(ntm_interpolate(c, p, 0), p)
    np.testing.assert_array_equal(ntm_interpolate(c, p, 1), c)
    np.testing.assert_allclose(ntm_interpolate(c, p, 0.25), 0.25 * c + 0.75 * p, rtol=1e-14)


def test_content_weights_matching_row_gets_the_maximum():
    rng = np.random.default_rng(5)
    memory = rng.standard_normal((10, 6))
    for row in range(10):
        w = ntm_content_weights(memory, memory[row], key_strength=3.0)
        assert np.argmax(w) == row
        assert abs(w.sum() - 1) < 1e-12


def test_content_weights_scale_invariant_key_and_torch_reference():
    rng = np.random.default_rng(6)
    memory, key = rng.standard_normal((8, 5)), rng.standard_normal(5)
    w = ntm_content_weights(memory, key, 2.5)
    np.testing.assert_allclose(ntm_content_weights(memory, 7 * key, 2.5), w, rtol=1e-12)
    cosine = torch.nn.functional.cosine_similarity(torch.from_numpy(memory), torch.from_numpy(key)[None, :], dim=1)
    expected = torch.softmax(2.5 * cosine, dim=0).numpy()
    np.testing.assert_allclose(w, expected, rtol=1e-10)


def test_content_weights_zero_strength_is_uniform():
    memory = np.random.default_rng(7).standard_normal((5, 3))
    np.testing.assert_allclose(ntm_content_weights(memory, [1.0, -2.0, 0.5], 0), np.full(5, 0.2), rtol=1e-15)


def test_content_weights_zero_rows_and_key_have_similarity_zero():
    memory = np.array([[0.0, 0.0], [1.0, 0.0], [-1.0, 0.0]])
    w = ntm_content_weights(memory, [1.0, 0.0], 1.0)
    np.testing.assert_allclose(w, np.exp([0, 1, -1]) / np.exp([0, 1, -1]).sum(), rtol=1e-12)
    np.testing.assert_allclose(ntm_content_weights(memory, [0.0, 0.0], 10), np.full(3, 1 / 3), rtol=1e-15)
    np.testing.assert_allclose(ntm_content_weights(np.zeros((4, 2)), [1.0, 1.0], 10), np.full(4, 0.25))


def test_content_weights_large_strength_does_not_overflow():
    memory = np.eye(3)
    w = ntm_content_weights(memory, [1.0, 0.0, 0.0], 1e6)
    np.testing.assert_allclose(w, one_hot(3, 0), atol=1e-12)


def test_content_weights_float32_stays_float32():
    memory = np.eye(4, dtype=np.float32)
    assert ntm_content_weights(memory, np.ones(4, np.float32), 2.0).dtype == np.float32


def test_ntm_address_chains_the_stages():
    rng = np.random.default_rng(11)
    memory, key = rng.standard_normal((9, 4)), rng.standard_normal(4)
    previous, s = random_distribution(9, rng), random_distribution(5, rng)
    shifts = (-2, -1, 0, 1, 2)
    stages = ntm_address(memory, key, 4.0, 0.7, s, 2.0, previous, shifts, return_stages=True)
    assert isinstance(stages, AddressingStages)
    content = ntm_content_weights(memory, key, 4.0)
    gated = 0.7 * content + 0.3 * previous
    shifted = torch_shift(gated, s, shifts)
    np.testing.assert_allclose(stages.content, content, rtol=1e-12)
    np.testing.assert_allclose(stages.interpolated, gated, rtol=1e-12)
    np.testing.assert_allclose(stages.shifted, shifted, rtol=1e-12)
    np.testing.assert_allclose(stages.sharpened, shifted**2 / np.sum(shifted**2), rtol=1e-12)
    final = ntm_address(memory, key, 4.0, 0.7, s, 2.0, previous, shifts)
    np.testing.assert_array_equal(final, stages.sharpened)


def test_ntm_address_finds_then_moves():
    memory = np.eye(6)
    w = ntm_address(memory, memory[3], 100.0, 1.0, [0, 0, 1], 1.0, one_hot(6, 0))
    np.testing.assert_allclose(w, one_hot(6, 4), atol=1e-12)


# --------------------------------------------------------------------------- validation


GOOD_W = [0.25, 0.25, 0.5]
GOOD_S = [0.1, 0.8, 0.1]


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: ntm_shift([0.5, -0.1, 0.6], GOOD_S), ValueError, r"weights must be non-negative weights.*-0\.1"),
        (lambda: ntm_shift([0.0, 0.0, 0.0], GOOD_S), ValueError, r"weights must have at least one positive weight"),
        (lambda: ntm_shift(GOOD_W, [0.1, 0.8, 0.2]), ValueError, r"shift_weights must be a probability.*summing to"),
        (lambda: ntm_shift(GOOD_W, [0.5, 0.5]), ValueError, r"shift_weights must have one entry per shift.*2 weights"),
        (lambda: ntm_shift(GOOD_W, GOOD_S, (-1, 0, 0)), ValueError, r"shifts must be distinct integers.*\[-1, 0, 0\]"),
        (lambda: ntm_shift(GOOD_W, GOOD_S, (-1.0, 0.0, 1.5)), ValueError, r"shifts must be integers.*1\.5"),
        (lambda: ntm_shift(GOOD_W, GOOD_S, ()), ValueError, r"shifts must be a non-empty 1-D"),
        (lambda: ntm_shift(GOOD_W, GOOD_S, ("a", "b", "c")), TypeError, r"shifts must hold numbers"),
        (lambda: ntm_shift([[0.5, 0.5]], GOOD_S), ValueError, r"ntm_shift: weights must be 1-D; got 2-D"),
        (lambda: ntm_shift([], GOOD_S), ValueError, r"weights must not be empty"),
        (lambda: ntm_shift(["a"], GOOD_S), TypeError, r"weights must hold numbers"),
        (lambda: ntm_shift([np.nan, 1.0], GOOD_S), ValueError, r"weights contains NaN or infinity"),
        (lambda: ntm_shift([0.5 + 0j, 0.5], GOOD_S), TypeError, r"ntm_shift: weights must be real numbers"),
        (lambda: ntm_sharpen(GOOD_W, 0.5), ValueError, r"gamma must be finite and >= 1.*got 0\.5"),
        (lambda: ntm_sharpen(GOOD_W, [2.0]), ValueError, r"gamma must be a single number.*shape \(1,\)"),
        (lambda: ntm_sharpen(GOOD_W, "2"), TypeError, r"gamma must be a real number; got '2'"),
        (lambda: ntm_sharpen(GOOD_W, np.nan), ValueError, r"gamma must be finite.*got nan"),
        (lambda: ntm_sharpen([1, -1, 0], 2), ValueError, r"weights must be non-negative weights"),
        (lambda: ntm_interpolate(GOOD_W, GOOD_S, 1.5), ValueError, r"gate must be in \[0, 1\]; got 1\.5"),
        (lambda: ntm_interpolate(GOOD_W, GOOD_S, -0.1), ValueError, r"gate must be in \[0, 1\]; got -0\.1"),
        (
            lambda: ntm_interpolate(GOOD_W, [0.5, 0.5], 0.5),
            ValueError,
            r"content_weights and previous_weights.*3 and 2",
        ),
        (lambda: ntm_interpolate([2, -1, 0], GOOD_W, 0.5), ValueError, r"content_weights must be a probability"),
        (lambda: ntm_interpolate(GOOD_W, [0.2, 0.2, 0.2], 0.5), ValueError, r"previous_weights must be a probability"),
        (lambda: ntm_content_weights(np.ones(3), np.ones(3), 1.0), ValueError, r"memory must be 2-D; got 1-D"),
        (
            lambda: ntm_content_weights(np.ones((3, 2)), np.ones(3), 1.0),
            ValueError,
            r"key must have one entry per.*M = 2",
        ),
        (
            lambda: ntm_content_weights(np.ones((3, 2)), np.ones(2), -1.0),
            ValueError,
            r"key_strength must be finite and >= 0; got -1",
        ),
        (lambda: ntm_content_weights(np.ones((0, 2)), np.ones(2), 1.0), ValueError, r"memory must not be empty"),
        (lambda: ntm_content_weights(np.ones((3, 2)), ["a", "b"], 1.0), TypeError, r"key must hold numbers"),
        (
            lambda: ntm_address(np.eye(3), np.ones(3), 1.0, 0.5, GOOD_S, 1.0, [0.5, 0.5]),
            ValueError,
            r"ntm_address: previous_weights must have one entry per memory row \(N = 3\); got length 2",
        ),
        (lambda: ntm_address(np.eye(3), np.ones(3), 1.0, 2.0, GOOD_S, 1.0, GOOD_W), ValueError, r"gate must be in"),
        (
            lambda: ntm_address(np.eye(3), np.ones(3), 1.0, 0.5, GOOD_S, 0.9, GOOD_W),
            ValueError,
            r"gamma must be finite and >= 1",
        ),
    ],
)
def test_validation_errors_name_the_argument(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_float32_distribution_tolerance_scales_with_length_but_not_for_float64():
    w = np.full(1000, 1e-3)
    w[0] += 5e-6  # off by 5e-6: too much for float64
    uniform = np.full(1000, 1e-3)
    with pytest.raises(ValueError, match="content_weights must be a probability"):
        ntm_interpolate(w, uniform, 0.5)
    ntm_interpolate(w.astype(np.float32), uniform, 0.5)  # within 1000 float32 epsilons (1.2e-4)


# --------------------------------------------------------------------------- pitfalls (notebook 08)


def test_pitfall_noncircular_loses_weight_at_the_ends():
    w = one_hot(5, 4)
    right = ntm_shift(w, [0, 0, 1])
    np.testing.assert_array_equal(right, one_hot(5, 0))  # wraps round to row 0
    wrong = shift_noncircular(w, [0, 0, 1])
    np.testing.assert_array_equal(wrong, np.zeros(5))  # fell off the end
    assert not np.allclose(wrong, right)
    # ...and in the interior it agrees, which is why it can pass a careless test
    w_mid, s = np.array([0, 0.3, 0.5, 0.2, 0]), np.array([0.2, 0.5, 0.3])
    np.testing.assert_allclose(shift_noncircular(w_mid, s), ntm_shift(w_mid, s), atol=1e-15)


def test_pitfall_wrong_axis_moves_nothing():
    w, s = random_distribution(6), np.array([0.1, 0.2, 0.7])
    wrong = shift_wrong_axis(w, s)
    np.testing.assert_allclose(wrong, w, atol=1e-15)  # nothing moved
    assert not np.allclose(wrong, ntm_shift(w, s))
    np.testing.assert_array_equal(shift_wrong_axis(one_hot(4, 1), [0, 0, 1]), one_hot(4, 1))


def test_pitfall_reversed_labels_moves_the_other_way():
    w = random_distribution(7)
    wrong = shift_reversed_labels(w, [0, 0, 1])
    np.testing.assert_allclose(wrong, np.roll(w, -1), atol=1e-15)  # +1 became -1
    assert not np.allclose(wrong, ntm_shift(w, [0, 0, 1]))
    s = np.array([0.1, 0.3, 0.6])
    np.testing.assert_allclose(shift_reversed_labels(w, s), ntm_shift(w, s[::-1]), atol=1e-15)
    # a symmetric shift distribution hides the bug
    np.testing.assert_allclose(shift_reversed_labels(w, [0.25, 0.5, 0.25]), ntm_shift(w, [0.25, 0.5, 0.25]))


def test_shift_and_sharpen_follow_the_formulas_for_weights_that_do_not_sum_to_one():
    rng = np.random.default_rng(7)
    w = rng.random(9)  # not normalised: the contract gives formulas, not a normalisation
    np.testing.assert_allclose(ntm_shift(w, [0, 0, 1]), np.roll(w, 1))
    np.testing.assert_allclose(ntm_shift(w, [1, 0, 0]), np.roll(w, -1))
    np.testing.assert_allclose(ntm_sharpen(w, 3), w**3 / np.sum(w**3))

"""Extreme values: results near the ends of the float range, huge integers, float16 sums.

Each case was once silently wrong. Oracles are independent of convlib: scipy.signal, numpy in float64,
and exact Python integer arithmetic (numpy object arrays) for the integer cases.
"""

import numpy as np
import pytest
import scipy.signal

import convlib
from convlib.shifting import circular_convolve

RNG = np.random.default_rng(20240611)
MODES = ["full", "same", "valid"]
METHODS = ["naive", "direct", "fft", "auto"]
INT64_MIN = int(np.iinfo(np.int64).min)


def convolve(x, k, mode, **kwargs):
    """convlib's 1-D or 2-D convolution, by the data's number of dimensions."""
    return (convlib.convolve1d if np.ndim(x) == 1 else convlib.convolve2d)(x, k, mode, **kwargs)


def exact_convolve(x, k, mode, fill_value=0):
    """Exact convolution in Python integers (object arrays): full, then cut as convlib and scipy do."""
    x, k = np.asarray(x, dtype=object), np.asarray(k, dtype=object)
    if x.ndim == 1:
        x, k = x[np.newaxis], k[np.newaxis]
    padded = np.full([n + 2 * (k_ - 1) for n, k_ in zip(x.shape, k.shape)], int(fill_value), dtype=object)
    padded[k.shape[0] - 1 : k.shape[0] - 1 + x.shape[0], k.shape[1] - 1 : k.shape[1] - 1 + x.shape[1]] = x
    out_shape = [p - k_ + 1 for p, k_ in zip(padded.shape, k.shape)]
    flipped = k[::-1, ::-1]
    full = np.zeros(out_shape, dtype=object)
    for (a, b), weight in np.ndenumerate(flipped):
        full += int(weight) * padded[a : a + out_shape[0], b : b + out_shape[1]]
    cut = []
    for n, k_ in zip(x.shape, k.shape):
        start, length = {"full": (0, n + k_ - 1), "same": ((k_ - 1) // 2, n), "valid": (k_ - 1, n - k_ + 1)}[mode]
        cut.append(slice(start, start + length))
    out = full[tuple(cut)]
    return out[0] if np.ndim(x) == 2 and x.shape[0] == 1 and np.ndim(k) == 2 and k.shape[0] == 1 else out


def as_float(exact):
    return np.array(exact.tolist(), dtype=np.float64)


# --- 1. large finite values: the FFT must not overflow inside, and must not run where a sum overflows ------------


@pytest.mark.parametrize("ndim", [1, 2])
@pytest.mark.parametrize("mode", MODES)
def test_large_finite_values_give_the_right_result(ndim, mode):
    # Outputs up to ~4e306 are finite, but the FFT's sums over all samples (~1e309) were not: NaN everywhere.
    shape, kernel_shape = ((400,), (200,)) if ndim == 1 else ((64, 64), (15, 15))
    x = RNG.uniform(0, 1, size=shape) * 1e306
    k = RNG.uniform(0, 1, size=kernel_shape) / np.prod(kernel_shape) * 4
    assert convlib.choose_method(x, k, mode).method == "fft"  # so "auto" is tested on the FFT too
    expected = scipy.signal.convolve(x, k, mode, method="direct")
    for method in METHODS:
        got = convolve(x, k, mode, method=method)
        assert np.all(np.isfinite(got)), method
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=0, err_msg=method)


@pytest.mark.parametrize("ndim", [1, 2])
@pytest.mark.parametrize("mode", ["full", "same"])
def test_a_large_fill_value_gives_the_right_result(ndim, mode):
    shape, kernel_shape = ((400,), (200,)) if ndim == 1 else ((64, 64), (15, 15))
    x = RNG.uniform(-1, 1, size=shape)
    k = RNG.uniform(0, 1, size=kernel_shape) / np.prod(kernel_shape)
    fill = 1e306
    if ndim == 2:
        expected = scipy.signal.convolve2d(x, k, mode, boundary="fill", fillvalue=fill)
    else:  # pad with the fill value, then numpy's valid convolution; cut "same" from the full result
        full = np.convolve(np.pad(x, k.size - 1, constant_values=fill), k, "valid")
        start = (k.size - 1) // 2
        expected = full if mode == "full" else full[start : start + x.size]
    for method in METHODS:
        got = convolve(x, k, mode, method=method, fill_value=fill)
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9 * fill, err_msg=method)


@pytest.mark.parametrize("ndim", [1, 2])
@pytest.mark.parametrize("mode", MODES)
def test_sums_that_overflow_give_inf_where_direct_summation_does_and_the_fft_refuses(ndim, mode):
    # The true interior sums (9e308) overflow; the corners (1e308) do not. The FFT gave NaN everywhere.
    x = np.full((8,) * ndim, 1e308)
    k = np.ones((3,) * ndim)
    with np.errstate(over="ignore"):
        expected = scipy.signal.convolve(x, k, mode, method="direct")
    assert np.isinf(expected).any()
    for method in ["naive", "direct", "auto"]:  # inf where scipy has inf, the same finite values elsewhere
        np.testing.assert_array_equal(convolve(x, k, mode, method=method), expected, err_msg=method)
    function = "convolve1d" if ndim == 1 else "convolve2d"
    name = "signal" if ndim == 1 else "image"
    expected = rf"{function}: method='fft' needs sums that cannot overflow float64; got {name}"
    with pytest.raises(ValueError, match=expected):
        convolve(x, np.ones((3,) * ndim), mode, method="fft")


@pytest.mark.parametrize("ndim", [1, 2])
def test_the_fft_refuses_a_fill_value_whose_sums_could_overflow_and_auto_goes_direct(ndim):
    x, k = (np.ones(400), np.ones(200)) if ndim == 1 else (np.ones((40, 40)), RNG.uniform(0.5, 1, size=(30, 30)))
    function = "convolve1d" if ndim == 1 else "convolve2d"
    expected = rf"{function}: method='fft' needs sums .* got fill_value values up to 1e\+308"
    with pytest.raises(ValueError, match=expected):
        convolve(x, k, "full", method="fft", fill_value=1e308)
    choice = convlib.choose_method(x, k, "full", fill_value=1e308)
    assert choice.method == "direct" and "overflow" in choice.reason
    assert convlib.choose_method(x, k, "full").method == "fft"  # the same shapes with a zero border: the FFT
    np.testing.assert_array_equal(
        convolve(x, k, "full", fill_value=1e308), convolve(x, k, "full", method="direct", fill_value=1e308)
    )


def test_choose_method_tells_what_auto_does_with_sums_that_could_overflow():
    x, k = np.full((128, 128), 1e308), RNG.uniform(0.5, 1, size=(31, 31))  # not separable
    assert convlib.choose_method(np.ones((128, 128)), k).method == "fft"  # the sizes alone favour the FFT
    choice = convlib.choose_method(x, k)
    assert choice.method == "direct"
    assert choice.reason.startswith("values so large that a sum could overflow float64")
    with np.errstate(over="ignore"):
        expected = scipy.signal.convolve2d(x[:40, :40], k)
    np.testing.assert_allclose(convlib.convolve2d(x[:40, :40], k), expected, rtol=1e-12)  # inf where scipy has


def test_float32_fill_value_beyond_its_range_is_infinity_not_a_silent_fft():
    x, k = np.ones((40, 40), np.float32), np.ones((30, 30), np.float32)
    with pytest.raises(ValueError, match=r"convolve2d: fill_value is 1e\+308, which is inf in float32"):
        convlib.convolve2d(x, k, fill_value=1e308, method="fft")
    expected = scipy.signal.convolve2d(x, k, fillvalue=np.float32(np.inf))
    np.testing.assert_array_equal(convlib.convolve2d(x, k, fill_value=1e308), expected)


def test_circular_convolve_scales_large_values_and_refuses_overflowing_sums():
    x, k = RNG.uniform(0, 1, size=256) * 1e306, RNG.uniform(0, 1, size=64) / 32
    expected = np.real(np.fft.ifft(np.fft.fft(x / 1e306) * np.fft.fft(k, 256))) * 1e306  # oracle on scaled data
    for method in ["direct", "fft", "auto"]:
        np.testing.assert_allclose(circular_convolve(x, k, method=method), expected, rtol=1e-9)
    with pytest.raises(ValueError, match=r"circular_convolve: method='fft' needs sums that cannot overflow float64"):
        circular_convolve(np.full(64, 1e308), np.ones(40), method="fft")
    with np.errstate(over="ignore"):
        assert np.all(np.isinf(circular_convolve(np.full(64, 1e308), np.ones(40))))  # auto: direct, inf


# --- 2. integers: exact results, or a clear refusal ----------------------------------------------------------------


@pytest.mark.parametrize("ndim", [1, 2])
@pytest.mark.parametrize("mode", MODES)
def test_the_most_negative_int64_does_not_fool_autos_exactness_guard(ndim, mode):
    # np.abs(int64 min) is int64 min (negative), which looked "small": "auto" took the FFT and was off.
    shape, kernel_shape = ((3000,), (300,)) if ndim == 1 else ((96, 96), (31, 31))
    x = np.zeros(shape, np.int64)
    x.flat[RNG.choice(x.size, 40, replace=False)] = INT64_MIN
    k = RNG.integers(0, 4, size=kernel_shape)
    choice = convlib.choose_method(x, k, mode)
    assert choice.method == "direct" and "integer" in choice.reason
    got = convolve(x, k, mode)
    np.testing.assert_array_equal(got, as_float(exact_convolve(x, k, mode)))  # exact in float64: multiples of 2**63


@pytest.mark.parametrize("ndim", [1, 2])
@pytest.mark.parametrize("mode", ["full", "same"])
def test_a_huge_integer_fill_value_counts_in_the_exactness_guard(ndim, mode):
    shape, kernel_shape = ((3000,), (300,)) if ndim == 1 else ((96, 96), (31, 31))
    x = RNG.integers(-5, 6, size=shape)
    k = RNG.integers(-3, 4, size=kernel_shape)
    fill = 2**44
    choice = convlib.choose_method(x, k, mode, fill_value=fill)
    assert choice.method == "direct" and "integer" in choice.reason
    assert convlib.choose_method(x, k, mode).method == "fft"  # with a zero border the FFT is exact, and chosen
    expected = as_float(exact_convolve(x, k, mode, fill_value=fill))  # below 2**53: exact in float64
    np.testing.assert_array_equal(convolve(x, k, mode, fill_value=fill), expected)
    with pytest.raises(ValueError, match=r"method='fft' is exact for integers only .* got fill_value values up to"):
        convolve(x, k, mode, method="fft", fill_value=fill)


@pytest.mark.parametrize("ndim", [1, 2])
@pytest.mark.parametrize("mode", MODES)
def test_the_fft_refuses_integers_too_large_for_exact_rounding_and_is_exact_below(ndim, mode):
    # ~48-bit integers: the FFT was off by 1-2 although integer results are promised exact.
    shape, kernel_shape = ((600,), (40,)) if ndim == 1 else ((40, 40), (6, 6))
    x = RNG.integers(-(2**47), 2**47, size=shape)
    k = RNG.integers(-2, 3, size=kernel_shape)
    function, name = ("convolve1d", "signal") if ndim == 1 else ("convolve2d", "image")
    with pytest.raises(ValueError, match=rf"{function}: method='fft' is exact for integers only .* got {name} values"):
        convolve(x, k, mode, method="fft")
    expected = as_float(exact_convolve(x, k, mode))  # sums below 2**53: exact in float64
    for method in ["naive", "direct", "auto"]:
        np.testing.assert_array_equal(convolve(x, k, mode, method=method), expected, err_msg=method)
    # Below the bound the FFT still runs (and "auto" picks it for a large kernel), with exact results.
    shape, kernel_shape = ((3000,), (300,)) if ndim == 1 else ((96, 96), (31, 31))
    x = RNG.integers(-(2**20), 2**20, size=shape)
    k = RNG.integers(-100, 101, size=kernel_shape)
    assert convlib.choose_method(x, k, mode).method == "fft"
    expected = as_float(exact_convolve(x, k, mode))
    for method in ["fft", "auto"]:
        np.testing.assert_array_equal(convolve(x, k, mode, method=method), expected, err_msg=method)


def exact_circular(x, k):
    x, k = [int(v) for v in x], [int(v) for v in k]
    n = len(x)
    return np.array([float(sum(k[m] * x[(i - m) % n] for m in range(len(k)))) for i in range(n)])


def test_circular_convolve_of_integers_is_exact():
    x = RNG.integers(-1000, 1001, size=500)
    k = RNG.integers(-10, 11, size=100)  # more than FFT_MIN_TAPS: "auto" takes the FFT
    for method in ["direct", "fft", "auto"]:
        np.testing.assert_array_equal(circular_convolve(x, k, method=method), exact_circular(x, k), err_msg=method)


def test_circular_convolve_keeps_large_integers_off_the_fft():
    x = RNG.integers(-(2**40), 2**40, size=400)
    x[:5] = INT64_MIN // 2**20  # the guard computes magnitudes without wrapping
    k = RNG.integers(-8, 9, size=100)
    np.testing.assert_array_equal(circular_convolve(x, k), exact_circular(x, k))  # auto: direct, exact
    with pytest.raises(ValueError, match=r"circular_convolve: method='fft' is exact for integers only .*'direct'"):
        circular_convolve(x, k, method="fft")
    with pytest.raises(ValueError, match=r"circular_convolve: method='fft' is exact for integers only"):
        circular_convolve(np.full(64, INT64_MIN), np.ones(40, np.int64), method="fft")


# --- 3. float16: sums in a wider type, rounded once -------------------------------------------------------------


def test_float16_sums_do_not_stop_at_2048():
    ones = np.ones(2050, np.float16)
    for method in METHODS:
        got = convlib.convolve1d(ones, ones, "valid", method=method)
        assert got.dtype == np.float16
        np.testing.assert_array_equal(got, [2050.0], err_msg=method)


@pytest.mark.parametrize("ndim", [1, 2])
@pytest.mark.parametrize("mode", MODES)
def test_float16_is_rounded_once(ndim, mode):
    shape, kernel_shape = ((400,), (200,)) if ndim == 1 else ((30, 30), (15, 15))
    x = RNG.uniform(0, 1, size=shape).astype(np.float16)
    k = RNG.uniform(0, 1, size=kernel_shape).astype(np.float16)
    expected = scipy.signal.convolve(x.astype(np.float64), k.astype(np.float64), mode, method="direct")
    for method in METHODS:
        got = convolve(x, k, mode, method=method)
        assert got.dtype == np.float16
        np.testing.assert_array_equal(got, expected.astype(np.float16), err_msg=method)  # rounded once


def test_float16_circular_convolve_is_summed_wider():
    ones = np.ones(2050, np.float16)
    for method in ["direct", "fft", "auto"]:
        got = circular_convolve(ones, ones, method=method)
        assert got.dtype == np.float16
        np.testing.assert_array_equal(got, np.full(2050, 2050.0))

"""What notebook 07 (frequency and circular convolution) teaches, checked on grids of cases.

The notebook checks each claim once, on one example; here the same facts hold over sweeps of
sizes, kernels and cut-offs. Also the checks the first edition made in its notebooks 03, 04 and
06 on circular convolution, zero padding, the FFT method and its cost model.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import scipy.linalg
import scipy.signal

import convlib
from convlib.book.figures import frequency as figures
from convlib.book.figures.frequency import frequency_response, low_pass, zone_plate
from convlib.book.style import MAX_HEIGHT_PX, MAX_WIDTH_PX, use_notebook_style

SHAPES = [(1, 1), (2, 1), (5, 3), (8, 3), (8, 8), (12, 5), (16, 4), (31, 7)]


def _pair(n, k, seed=0):
    rng = np.random.default_rng(seed + 100 * n + k)
    return rng.standard_normal(n), rng.standard_normal(k)


def _circular_by_loops(x, k):
    n = x.size
    return np.array([sum(k[m] * x[(i - m) % n] for m in range(k.size)) for i in range(n)])


# ------------------------------------------------------------------ the convolution theorem, circular convolution


@pytest.mark.parametrize(("n", "k"), SHAPES)
def test_circular_convolution_four_ways(n, k):
    x, kernel = _pair(n, k)
    circular = convlib.circular_convolve(x, kernel)
    assert np.allclose(circular, _circular_by_loops(x, kernel))
    assert np.allclose(circular, np.real(np.fft.ifft(np.fft.fft(x) * np.fft.fft(kernel, n))))
    assert np.allclose(circular, convlib.convolve1d(x, kernel, boundary="wrap")[:n])
    assert np.allclose(convlib.circular_convolve(x, kernel, method="fft"), circular)
    same = convlib.convolve1d(x, kernel, "same", boundary="wrap")
    assert np.allclose(same, np.roll(circular, -((k - 1) // 2)))  # "same" starts (K - 1) // 2 samples later


@pytest.mark.parametrize(("n", "k"), SHAPES)
def test_the_convolution_theorem_and_the_folded_tail(n, k):
    x, kernel = _pair(n, k, seed=1)
    circular = convlib.circular_convolve(x, kernel)
    assert np.allclose(np.fft.fft(circular), np.fft.fft(x) * np.fft.fft(kernel, n))
    linear = convlib.convolve1d(x, kernel)
    folded = linear[:n].copy()
    folded[: k - 1] += linear[n:]
    assert np.allclose(circular, folded)


@pytest.mark.parametrize("n", [3, 8, 13])
def test_waves_are_eigenvectors_and_the_circulant_is_diagonal_in_the_fourier_basis(n):
    kernel = np.random.default_rng(n).standard_normal(3)
    spectrum = np.fft.fft(kernel, n)
    for f in range(n):
        wave = np.exp(2j * np.pi * f * np.arange(n) / n)
        through = sum(kernel[m] * np.roll(wave, m) for m in range(kernel.size))
        assert np.allclose(through, spectrum[f] * wave)
    circulant = scipy.linalg.circulant(np.r_[kernel, np.zeros(n - kernel.size)])
    x = np.arange(1.0, n + 1)
    assert np.allclose(circulant @ x, convlib.circular_convolve(x, kernel))
    dft = np.fft.fft(np.eye(n))
    assert np.allclose(dft @ circulant @ np.linalg.inv(dft), np.diag(spectrum))


@pytest.mark.parametrize("n", [5, 8])
def test_a_delta_kernel_rotates(n):
    x = np.arange(1.0, n + 1)
    for j in range(n):
        assert np.allclose(convlib.circular_convolve(x, np.eye(n)[j]), np.roll(x, j))
    w = np.array([0.1, 0.0, 0.0, 0.2, 0.7])
    assert np.array_equal(convlib.circular_convolve(w, [0.0, 1.0]), np.roll(w, 1))


def test_the_dft_of_the_notebooks_eight_samples():
    n = np.arange(8)
    x = 2 + np.cos(2 * np.pi * n / 8) + 0.5 * np.cos(2 * np.pi * 3 * n / 8)
    assert np.allclose(np.abs(np.fft.fft(x)) / 8, [2, 0.5, 0, 0.25, 0, 0.25, 0, 0.5])
    for f, amplitude in [(1, 1.0), (2, 0.7), (3, 0.5)]:  # a real cosine: half its amplitude at f and at N - f
        spectrum = np.abs(np.fft.fft(amplitude * np.cos(2 * np.pi * f * n / 8))) / 8
        assert np.isclose(spectrum[f], amplitude / 2) and np.isclose(spectrum[8 - f], amplitude / 2)


# ------------------------------------------------------------------ zero padding


@pytest.mark.parametrize(("n", "k"), [s for s in SHAPES if s[1] > 1])
def test_zero_padding_to_n_plus_k_minus_1_and_no_less(n, k):
    x, kernel = _pair(n, k, seed=2)
    linear = convlib.convolve1d(x, kernel)
    full = n + k - 1
    for length in range(full, full + 6):
        by_fft = np.real(np.fft.ifft(np.fft.fft(x, length) * np.fft.fft(kernel, length)))
        assert np.allclose(by_fft[:full], linear) and np.allclose(by_fft[full:], 0)
    assert np.allclose(convlib.circular_convolve(np.pad(x, (0, k - 1)), kernel), linear)
    for length in range(n, full):  # too short: the end wraps onto the start
        by_fft = np.real(np.fft.ifft(np.fft.fft(x, length) * np.fft.fft(kernel, length)))
        assert np.allclose(by_fft, convlib.circular_convolve(np.pad(x, (0, length - n)), kernel))
        assert not np.allclose(by_fft, linear[:length])
    short = np.real(np.fft.ifft(np.fft.fft(x, full - 1) * np.fft.fft(kernel, full - 1)))
    assert np.isclose(short[0], linear[0] + linear[-1]) and np.allclose(short[1:], linear[1:-1])


@pytest.mark.parametrize(("shape", "kshape"), [((5, 6), (3, 3)), ((7, 4), (2, 5)), ((16, 16), (5, 5))])
def test_zero_padding_in_2d(shape, kshape):
    rng = np.random.default_rng(sum(shape))
    image, kernel = rng.standard_normal(shape), rng.standard_normal(kshape)
    padded = tuple(s + q - 1 for s, q in zip(shape, kshape))
    by_fft = np.real(np.fft.ifft2(np.fft.fft2(image, padded) * np.fft.fft2(kernel, padded)))
    assert np.allclose(by_fft, convlib.convolve2d(image, kernel))
    assert np.allclose(by_fft, scipy.signal.fftconvolve(image, kernel))
    assert np.allclose(convlib.convolve2d(image, kernel, method="fft"), by_fft)


# ------------------------------------------------------------------ frequency responses


@pytest.mark.parametrize("width", [1, 3, 5, 7, 9])
def test_a_box_response_is_zero_at_multiples_of_one_over_its_width_and_goes_negative(width):
    box = np.ones(width) / width
    n = 4 * width * 5
    dft = np.fft.fft(box, n)
    centred = np.real(dft * np.exp(2j * np.pi * np.arange(n) * (width - 1) / 2 / n))  # undo the delay
    assert np.allclose(frequency_response(box, np.arange(n) / n), centred)
    zeros = np.arange(1, width // 2 + 1) / width
    assert np.allclose(frequency_response(box, zeros), 0)
    assert np.isclose(frequency_response(box, [0.0])[0], 1.0)
    if width > 2:
        assert frequency_response(box, np.linspace(0, 0.5, 801)).min() < -0.2


@pytest.mark.parametrize("sigma", [1.0, 1.5, 2.0, 3.0])
def test_a_gaussian_cut_at_three_sigma_has_almost_no_negative_lobe_and_at_one_sigma_it_does(sigma):
    fine = np.linspace(0, 0.5, 801)
    long = convlib.kernels.gaussian_1d(2 * int(np.ceil(3 * sigma)) + 1, sigma)
    short = convlib.kernels.gaussian_1d(2 * round(sigma) + 1, sigma)
    assert np.isclose(frequency_response(long, [0.0])[0], 1.0)  # renormalised: the mean is kept
    assert frequency_response(long, fine).min() > -2e-3
    assert frequency_response(short, fine).min() < -0.05


def test_the_notebooks_box_and_gaussian_at_point_three():
    box, gauss = np.ones(5) / 5, convlib.kernels.gaussian_1d(9, np.sqrt(2))
    assert np.isclose(frequency_response(box, [0.3])[0], -0.247, atol=1e-3)
    assert 0 < frequency_response(gauss, [0.3])[0] < 0.05
    assert frequency_response(gauss, np.linspace(0, 0.5, 801)).min() > 0
    for cycles, length in [(12, 40), (3, 10), (6, 20)]:  # 0.3 cycles per sample, on several lengths
        wave = np.cos(2 * np.pi * cycles * np.arange(length) / length)
        for kernel in (box, gauss):
            out = convlib.convolve1d(wave, kernel, "same", boundary="wrap")
            assert np.allclose(out, frequency_response(kernel, [0.3])[0] * wave)


def test_frequency_response_refuses_an_asymmetric_kernel():
    with pytest.raises(ValueError, match="frequency_response: kernel must be symmetric"):
        frequency_response([1.0, 2.0], [0.1])


def test_the_zone_plate_rings_come_back_inverted_after_a_box_only():
    plate = zone_plate(128)
    box, gauss = np.ones(5) / 5, convlib.kernels.gaussian_1d(9, np.sqrt(2))
    ring = plate[64, 104:124] - 0.5
    boxed = convlib.correlate2d(plate, np.outer(box, box), "same", boundary="reflect")[64, 104:124] - 0.5
    smoothed = convlib.correlate2d(plate, np.outer(gauss, gauss), "same", boundary="reflect")[64, 104:124] - 0.5
    assert np.sum(boxed * ring) / np.sum(ring**2) < -0.1
    assert 0 < np.sum(smoothed * ring) / np.sum(ring**2) < 0.1
    diagonal = np.arange(108, 124)  # both axes' gains negative: the rings come back upright
    corner_ring = plate[diagonal, diagonal] - 0.5
    boxed_corner = convlib.correlate2d(plate, np.outer(box, box), "same", boundary="reflect")[diagonal, diagonal] - 0.5
    assert np.sum(boxed_corner * corner_ring) / np.sum(corner_ring**2) > 0.02


# ------------------------------------------------------------------ ringing


@pytest.mark.parametrize("cutoff", [0.03, 0.05, 0.1, 0.15, 0.2, 0.3])
@pytest.mark.parametrize("length", [128, 256])
def test_gibbs_overshoot_is_about_nine_percent_and_a_gaussian_never_overshoots(cutoff, length):
    step = np.r_[np.zeros(length // 2), np.ones(length // 2)]
    ideal = low_pass(step, cutoff)
    assert 0.07 < ideal.max() - 1 < 0.11
    smooth = low_pass(step, min(cutoff, 0.1), "gaussian")  # wider Gaussians get cut at the Nyquist frequency
    assert smooth.min() > -1e-9 and smooth.max() < 1 + 1e-9


def test_the_ideal_kernel_has_negative_weights_and_the_gaussian_none():
    impulse = np.zeros(128)
    impulse[0] = 1.0
    assert low_pass(impulse, 0.1).min() < -0.03
    assert low_pass(impulse, 0.1, "gaussian").min() > -1e-12
    assert np.isclose(low_pass(impulse, 0.1, "gaussian").sum(), 1.0)


def test_low_pass_in_2d_and_bad_kind():
    image = np.random.default_rng(3).random((32, 40))
    assert np.allclose(low_pass(image, 1.0), image)  # a cut-off above every frequency keeps everything
    assert np.isclose(low_pass(image, 0.0).mean(), image.mean()) and np.ptp(low_pass(image, 0.0)) < 1e-12
    with pytest.raises(ValueError, match="kind must be 'ideal' or 'gaussian'"):
        low_pass(image, 0.1, "box")


# ------------------------------------------------------------------ the FFT method and its cost model


@pytest.mark.parametrize("side", [64, 128, 256, 512])
def test_auto_picks_direct_for_small_kernels_and_the_fft_for_large_ones_and_keeps_to_it(side):
    rng = np.random.default_rng(side)
    image = rng.random((side, side))
    sizes = [3, 5, 7, 9, 11, 15, 21, 31]
    methods = [convlib.choose_method(image, rng.standard_normal((k, k)), "same").method for k in sizes]
    assert methods[0] == "direct" and methods[-1] == "fft"
    switch = methods.index("fft")
    assert all(m == "fft" for m in methods[switch:])
    for k in sizes:
        choice = convlib.choose_method(image, rng.standard_normal((k, k)), "same")
        assert (choice.method == "fft") == (choice.direct_cost > choice.fft_cost)


def test_separable_nan_and_overflow_keep_the_direct_method():
    image = np.random.default_rng(0).random((256, 256))
    assert convlib.choose_method(image, convlib.kernels.gaussian(31, 5.0), "same").method == "direct"
    image[0, 0] = np.nan
    choice = convlib.choose_method(image, np.random.default_rng(1).standard_normal((31, 31)), "same")
    assert choice.method == "direct" and "NaN" in choice.reason
    with pytest.raises(ValueError, match="spread"):
        convlib.convolve2d(image[:8, :8], np.ones((3, 3)), method="fft")


def test_all_methods_compute_the_same_image():
    rng = np.random.default_rng(5)
    photo = rng.standard_normal((48, 48))
    gauss_1d = convlib.kernels.gaussian_1d(7, 1.2)
    gauss = np.outer(gauss_1d, gauss_1d)
    reference = convlib.correlate2d(photo, gauss, "same", method="naive")
    cols = convlib.im2col(photo[None, None], gauss.shape, padding=3)[0]
    vertical = convlib.correlate2d(photo, gauss_1d[:, None], "same", method="direct")
    for result in (
        convlib.correlate2d(photo, gauss, "same", method="direct"),
        convlib.correlate2d(photo, gauss, "same", method="fft"),
        (gauss.ravel() @ cols).reshape(photo.shape),
        convlib.correlate2d(vertical, gauss_1d[None, :], "same", method="direct"),
        scipy.signal.fftconvolve(photo, gauss[::-1, ::-1], "same"),
    ):
        assert np.allclose(result, reference)


@pytest.mark.parametrize("seed", range(5))
def test_integer_inputs_come_back_as_exact_whole_numbers_from_the_fft(seed):
    rng = np.random.default_rng(seed)
    x, k = rng.integers(-50, 50, 40), rng.integers(-9, 10, 7)
    assert np.array_equal(convlib.convolve1d(x, k, method="fft"), np.convolve(x, k))
    raw = np.real(np.fft.ifft(np.fft.fft(x, 46) * np.fft.fft(k, 46)))
    assert np.allclose(raw, np.convolve(x, k))
    image, kernel = rng.integers(0, 256, (20, 30)), rng.integers(-3, 4, (5, 5))
    assert np.array_equal(convlib.convolve2d(image, kernel, method="fft"), scipy.signal.convolve2d(image, kernel))


def test_the_cost_model_puts_the_fft_far_ahead_for_a_31_by_31_kernel():
    """What the notebook's timing figure shows, asserted on the cost model (timings are not asserted)."""
    rng = np.random.default_rng(0)
    for side in (128, 256):
        choice = convlib.choose_method(rng.random((side, side)), rng.standard_normal((31, 31)), "same")
        assert choice.method == "fft" and choice.fft_cost * 10 < choice.direct_cost


def test_best_times_gives_one_positive_time_per_method_and_kernel():
    image = np.random.default_rng(0).random((16, 16))
    kernels = [np.ones((3, 3)), np.ones((5, 5))]
    methods = {
        "direct": lambda kernel: convlib.correlate2d(image, kernel, "same", method="direct"),
        "fft": lambda kernel: convlib.correlate2d(image, kernel, "same", method="fft"),
    }
    times = figures.best_times(methods, kernels, repeats=2, min_seconds=0)
    assert list(times) == ["direct", "fft"]
    assert all(len(t) == 2 and all(0 < s < 1 for s in t) for t in times.values())
    with pytest.raises(ValueError, match="repeats must be at least 1"):
        figures.best_times(methods, kernels, repeats=0)


# ------------------------------------------------------------------ the figures


def _figures():
    x, k = np.array([1.0, 2, 0, 3, 1, 0, 2, 4]), np.array([1.0, 0.5, 0.25])
    yield figures.show_sinusoid_sum(8, {"2": (2.0, 0), "cos": (1.0, 1), "half": (0.5, 3)})
    yield figures.show_wrap_around(x, k)
    yield figures.show_frequency_responses({"box": np.ones(5) / 5, "g": convlib.kernels.gaussian_1d(9, 1.4)}, 0.3)
    yield figures.show_ringing(np.r_[np.zeros(64), np.ones(64)], 0.1, (40, 100))
    yield figures.show_method_times([3, 9, 31], {"direct": [1e-3, 5e-3, 5e-2], "FFT": [2e-3, 2e-3, 3e-3]}, 7)


def test_figures_fit_a_projector():
    use_notebook_style()
    for fig in _figures():
        width, height = fig.get_size_inches() * fig.dpi
        assert width <= MAX_WIDTH_PX and height <= MAX_HEIGHT_PX, fig.axes[0].get_title()
        plt.close(fig)


def test_figures_refuse_bad_input():
    with pytest.raises(ValueError, match="show_wrap_around: kernel must be no longer"):
        figures.show_wrap_around([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="show_method_times: 'a' has 1 times for 2 sizes"):
        figures.show_method_times([3, 5], {"a": [1.0]})
    with pytest.raises(ValueError, match="non-empty 1-D"):
        figures.show_wrap_around(np.ones((2, 2)), [1.0])

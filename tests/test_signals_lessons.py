"""What notebook 01 (convolution in 1-D) teaches, checked on more cases than the notebook shows.

The notebook checks each claim once, in one line where it is made; the sweeps, the grids of cases
and the facts it only links to (where "same" puts an even kernel, taught in notebook 03) are here.
Also: the flip-slide view's Python side (its terms, output, text and picture) and the figures.
"""

from __future__ import annotations

import base64
import io
import itertools
import json

import matplotlib.pyplot as plt
import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
import traitlets
from PIL import Image

import convlib
from convlib.book.exercises.signals import check_derivative_kernel
from convlib.book.figures import signals as figures
from convlib.book.solutions import signals as answers
from convlib.book.style import MAX_HEIGHT_PX, MAX_WIDTH_PX
from convlib.book.widgets.browser_view import LIVE_MIMETYPE
from convlib.book.widgets.flip_slide import MAX_COLUMNS, FlipSlideView
from convlib.book.widgets.moving_average import MovingAverageExplorer


@pytest.fixture
def wave():
    """The notebook's signal: a cosine of three periods, noise of 0.3 drawn from default_rng(0)."""
    t = np.linspace(0, 1, 200)
    clean = np.cos(2 * np.pi * 3 * t)
    noisy = clean + np.random.default_rng(0).normal(scale=0.3, size=t.size)
    return t, clean, noisy


def rms(error):
    return float(np.sqrt(np.mean(error**2)))


# --- 1. smoothing ---------------------------------------------------------------------------------------------


def test_a_moving_average_halves_the_error_and_sags_at_the_ends(wave):
    _, clean, noisy = wave
    smoothed = convlib.convolve1d(noisy, np.full(9, 1 / 9), mode="same")
    assert rms(smoothed - clean) < rms(noisy - clean) / 2
    assert abs(smoothed[0] - clean[0]) > 0.3 and abs(smoothed[-1] - clean[-1]) > 0.3  # pulled towards 0
    assert np.isclose(smoothed[0], noisy[:5].sum() / 9) and np.isclose(smoothed[-1], noisy[-5:].sum() / 9)
    assert rms(smoothed[10:-10] - clean[10:-10]) < rms(smoothed - clean)


def test_too_wide_a_window_flattens_the_peaks(wave):
    _, clean, noisy = wave
    narrow = convlib.convolve1d(noisy, np.full(9, 1 / 9), mode="same")
    explorer = MovingAverageExplorer(noisy, width=9, clean=clean)
    explorer.width = 21
    np.testing.assert_allclose(explorer.smoothed, convlib.convolve1d(noisy, np.full(21, 1 / 21), mode="same"))
    assert rms(explorer.smoothed - clean) > rms(narrow - clean)
    assert explorer.smoothed[20:-20].max() < narrow[20:-20].max()


def test_the_library_calls_agree(wave):
    _, _, noisy = wave
    box = np.full(9, 1 / 9)
    np.testing.assert_allclose(convlib.convolve1d(noisy, box), np.convolve(noisy, box))
    np.testing.assert_allclose(convlib.convolve1d(noisy, box, "same"), scipy.signal.convolve(noisy, box, "same"))


# --- 2. flip, slide, multiply, sum ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "k", "expected"),
    [([1, 2, 3, 4], [3, 2, 1], [3, 8, 14, 20, 11, 4]), ([1, 2, 3], [0, 1, 0.5], [0, 1, 2.5, 4, 1.5])],
)
def test_padding_and_flipping_turns_the_readable_correlation_into_convolution(x, k, expected):
    x, k = np.asarray(x, float), np.asarray(k, float)
    by_hand = convlib.engines.naive.correlate1d_valid(np.pad(x, len(k) - 1), k[::-1])
    np.testing.assert_allclose(by_hand, expected)
    np.testing.assert_allclose(by_hand, convlib.convolve1d(x, k, method="naive"))
    np.testing.assert_allclose(by_hand, convlib.convolve1d(x, k))


def test_sliding_without_flipping_gives_the_teachers_wrong_answer():
    x, k = np.array([1.0, 2.0, 3.0, 4.0]), np.array([3.0, 2.0, 1.0])
    assert np.correlate(x, k, "full")[3] == 2 * 3 + 3 * 2 + 4 * 1 == 16 and np.convolve(x, k)[3] == 20


def test_flip_slide_terms_are_the_convolution_sum():
    rng = np.random.default_rng(5)
    for n_len, k_len in itertools.product(range(1, 8), range(1, 6)):
        x, k = rng.normal(size=n_len), rng.normal(size=k_len)
        full = np.convolve(x, k)
        for n in range(full.size):
            m, products, total = figures.flip_slide_terms(x, k, n)
            assert np.all(np.diff(m) == 1) and 0 <= m.min() and m.max() < n_len  # the overlap, in order
            np.testing.assert_array_equal(products, x[m] * k[n - m])
            assert total == pytest.approx(full[n], abs=1e-12)
    with pytest.raises(ValueError, match=r"n must be in 0\.\.5"):
        figures.flip_slide_terms([1, 2, 3, 4], [3, 2, 1], 6)


def test_the_flip_slide_view_steps_through_the_convolution():
    view = FlipSlideView([1, 2, 3, 4], [3, 2, 1], n=2)
    assert repr(view) == "FlipSlideView(signal=[1, 2, 3, 4], kernel=[3, 2, 1], n=2): y[2] = 1·1 + 2·2 + 3·3 = 14"
    for n, expected in enumerate([3, 8, 14, 20, 11, 4]):
        view.n = n
        assert view.terms[2] == expected and view.output_so_far.tolist() == [3, 8, 14, 20, 11, 4][: n + 1]
    assert view.equation() == "y[5] = 4·1 = 4"
    with view.widget.hold_sync():  # as a message from the browser sets it
        view.widget.n = 3
    assert view.n == 3 and view.terms[2] == 20
    with pytest.raises(traitlets.TraitError, match=r"n must be in 0\.\.5"):
        view.widget.n = 6
    with pytest.raises(ValueError, match=r"n must be in 0\.\.5; got -1"):
        view.n = -1
    with pytest.raises(TypeError, match="n must be an integer"):
        view.n = 2.0
    assert not view.signal.flags.writeable and not view.kernel.flags.writeable


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (([], [1]), ValueError, "signal must be 1-D with at least one sample"),
        (([[1, 2]], [1]), ValueError, "signal must be 1-D"),
        (([1, np.nan], [1]), ValueError, "real and finite"),
        ((np.ones(12), np.ones(4)), ValueError, f"keep it <= {MAX_COLUMNS}"),
    ],
)
def test_the_flip_slide_view_refuses_what_it_cannot_show(args, error, match):
    with pytest.raises(error, match=match):
        FlipSlideView(*args)


def test_the_flip_slide_view_carries_a_picture_and_its_state():
    view = FlipSlideView([1, 2, 3, 4], [3, 2, 1], n=2)
    bundle = view._repr_mimebundle_()
    live = json.loads(json.dumps(bundle[LIVE_MIMETYPE]))
    assert live["module"] == "flip_slide"
    assert live["state"]["signal"] == [1, 2, 3, 4] and live["state"]["kernel"] == [3, 2, 1] and live["state"]["n"] == 2
    assert "y[2] = 1·1 + 2·2 + 3·3 = 14" in live["alt"]
    with Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))) as picture:
        assert picture.size[0] <= MAX_WIDTH_PX and picture.size[1] <= MAX_HEIGHT_PX
    first = view.static_png()
    view.n = 3
    assert view.static_png() != first


def test_number_text_is_pythons_three_significant_digits():
    for value in (1 / 3, 2.5, -1.0, 14.0, 1234567.0, 1.234e-5, 999.6, -0.0, 0.1 + 0.2):
        expected = f"{value:.3g}"
        assert figures.number_text(value) == ("0" if expected == "-0" else expected)


# --- 3 and 4. the impulse response, superposition, the dice ------------------------------------------------------


def test_a_spike_gives_the_kernel_back_moved_and_scaled():
    rng = np.random.default_rng(1)
    for k_len, shift, scale in itertools.product(range(1, 6), range(4), (1.0, -2.0, 0.5)):
        k = rng.normal(size=k_len)
        spike = np.zeros(shift + 1)
        spike[shift] = scale
        np.testing.assert_allclose(convlib.convolve1d(spike, k), np.concatenate([np.zeros(shift), scale * k]))


def test_the_convolution_is_a_sum_of_shifted_scaled_kernels():
    rng = np.random.default_rng(2)
    for n_len, k_len in itertools.product(range(1, 7), range(1, 5)):
        x, k = rng.normal(size=n_len), rng.normal(size=k_len)
        copies = [x[m] * np.pad(k, (m, n_len - 1 - m)) for m in range(n_len)]
        np.testing.assert_allclose(sum(copies), convlib.convolve1d(x, k), atol=1e-12)


def test_the_sum_of_two_dice_is_a_convolution():
    die = np.full(6, 1 / 6)
    counts = np.zeros(11)
    for a, b in itertools.product(range(1, 7), repeat=2):
        counts[a + b - 2] += 1
    np.testing.assert_allclose(np.convolve(die, die), counts / 36)
    assert counts.astype(int).tolist() == [1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1]
    # three dice: convolve once more, against counting all 216 outcomes
    counts3 = np.zeros(16)
    for a, b, c in itertools.product(range(1, 7), repeat=3):
        counts3[a + b + c - 3] += 1
    np.testing.assert_allclose(np.convolve(np.convolve(die, die), die), counts3 / 216)


# --- 5. convolution vs cross-correlation -------------------------------------------------------------------------


def test_correlation_is_convolution_with_the_kernel_reversed():
    rng = np.random.default_rng(0)
    spike = np.array([0.0, 0.0, 1.0, 0.0, 0.0])
    assert convlib.convolve1d(spike, [1.0, 2.0, 3.0], mode="same").tolist() == [0, 1, 2, 3, 0]
    assert convlib.correlate1d(spike, [1.0, 2.0, 3.0], mode="same").tolist() == [0, 3, 2, 1, 0]
    for n_len, k_len in itertools.product(range(1, 10), range(1, 6)):
        signal, weights = rng.normal(size=n_len), rng.normal(size=k_len)
        modes = ("full", "same", "valid") if k_len <= n_len else ("full", "same")
        for mode in modes:
            np.testing.assert_allclose(
                convlib.correlate1d(signal, weights, mode), convlib.convolve1d(signal, weights[::-1], mode), atol=1e-12
            )
        np.testing.assert_allclose(convlib.correlate1d(signal, weights), np.correlate(signal, weights, "full"))
        symmetric = np.concatenate([weights, weights[-2::-1]])
        np.testing.assert_allclose(convlib.correlate1d(signal, symmetric), convlib.convolve1d(signal, symmetric))


# --- 6. output lengths -------------------------------------------------------------------------------------------


def test_output_lengths_for_every_mode():
    for n in range(1, 10):
        for k_len in range(1, n + 1):
            ones, kernel = np.ones(n), np.ones(k_len)
            assert convlib.convolve1d(ones, kernel, "full").size == n + k_len - 1
            assert convlib.convolve1d(ones, kernel, "same").size == n
            assert convlib.convolve1d(ones, kernel, "valid").size == n - k_len + 1


def test_np_convolve_same_has_the_longer_length():
    short, long = np.arange(1.0, 4.0), np.ones(7)
    assert np.convolve(short, long, mode="same").size == 7
    assert scipy.signal.convolve(short, long, mode="same").size == 3
    assert convlib.convolve1d(short, long, mode="same").size == 3


def test_where_same_puts_an_even_kernel():
    """Taught in notebook 03; notebook 01 only says libraries differ. convlib, numpy, scipy.signal agree."""
    spike = np.zeros(8)
    spike[3] = 1.0
    even = np.array([1.0, 2.0, 3.0, 4.0])
    ours = convlib.convolve1d(spike, even, mode="same")
    assert ours.tolist() == [0, 0, 1, 2, 3, 4, 0, 0]
    np.testing.assert_array_equal(np.convolve(spike, even, mode="same"), ours)
    np.testing.assert_array_equal(scipy.signal.convolve(spike, even, mode="same"), ours)
    assert scipy.ndimage.convolve1d(spike, even, mode="constant").tolist() == [0, 1, 2, 3, 4, 0, 0, 0]  # one earlier


# --- exercises ---------------------------------------------------------------------------------------------------


def test_the_derivative_answer_gives_the_slope_of_the_notebooks_wave(wave):
    t, clean, _ = wave
    assert check_derivative_kernel(answers.derivative_kernel)
    slope = convlib.convolve1d(clean, answers.derivative_kernel, mode="valid") / (t[1] - t[0])
    midpoints = (t[1:] + t[:-1]) / 2  # a difference of neighbours is the slope halfway between them
    np.testing.assert_allclose(slope, -2 * np.pi * 3 * np.sin(2 * np.pi * 3 * midpoints), atol=0.05)


def test_the_answers_agree_with_the_libraries():
    rng = np.random.default_rng(3)
    for n_len, k_len in itertools.product(range(1, 8), range(1, 8)):
        x, k = rng.normal(size=n_len), rng.normal(size=k_len)
        np.testing.assert_allclose(answers.my_convolve(x, k), np.convolve(x, k), atol=1e-12)
        for mode in ("full", "same") if k_len > n_len else ("full", "same", "valid"):
            assert answers.output_length(n_len, k_len, mode) == convlib.convolve1d(x, k, mode).size


# --- figures -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "draw",
    [
        lambda: figures.show_flip_and_slide([1, 2, 3, 4], [3, 2, 1], 2),
        lambda: figures.show_flip_and_slide([1, 2], [1, 2, 3, 4, 5], 5),  # a kernel longer than the signal
        lambda: figures.show_superposition([1.0, 0.5, -1.0], [3.0, 2.0, 1.0]),
        lambda: figures.show_dice(np.full(6, 1 / 6), np.convolve(np.full(6, 1 / 6), np.full(6, 1 / 6))),
        lambda: figures.show_convolution_vs_correlation([0, 1, 2, 3, 0], [0, 3, 2, 1, 0]),
        lambda: figures.show_output_modes(8, 3),
        lambda: figures.show_smoothing(np.arange(5), np.ones(5), np.ones(5), np.ones(5), 3),
    ],
)
def test_figures_fit_a_projector(draw):
    plt.rcParams["figure.dpi"] = 100
    fig = draw()
    try:
        width, height = fig.get_size_inches() * fig.dpi
        assert width <= MAX_WIDTH_PX and height <= MAX_HEIGHT_PX
    finally:
        plt.close(fig)

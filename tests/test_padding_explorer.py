"""convlib.book.widgets.padding_explorer: the geometry of a strided, padded, dilated window, and the two live views."""

from __future__ import annotations

import base64
import io
import itertools

import numpy as np
import pytest
import scipy.ndimage
from matplotlib.colors import to_hex
from PIL import Image

import convlib
from convlib.book.widgets.browser_view import LIVE_MIMETYPE
from convlib.book.widgets.padding_explorer import (
    BORDER_KERNELS,
    BorderModeExplorer,
    OutputSizeExplorer,
    draw_conv_arithmetic,
    one_hot,
    padded_by_reading,
    read_counts,
    rosetta,
    window_taps,
)
from convlib.nn.functional import conv2d
from convlib.sizes import output_size

SETTINGS = [
    (n, k, s, p, d)
    for n, k, s, p, d in itertools.product((1, 2, 5, 6, 7), (1, 2, 3), (1, 2, 3), (0, 1, 2), (1, 2))
    if d * (k - 1) + 1 <= n + 2 * p
]


def inputs_feeding(n, k, s, p, d):
    """For each output sample, the input samples it depends on, found by pushing impulses through conv2d."""
    feeding = None
    for position in range(n):
        impulse = np.zeros((1, 1, 1, n))
        impulse[0, 0, 0, position] = 1.0
        out = conv2d(impulse, np.ones((1, 1, 1, k)), stride=(1, s), padding=(0, p), dilation=(1, d))[0, 0, 0]
        if feeding is None:
            feeding = [set() for _ in out]
        for index in np.flatnonzero(out):
            feeding[index].add(position)
    return feeding


@pytest.mark.parametrize("setting", SETTINGS, ids=[f"N{n}K{k}S{s}P{p}D{d}" for n, k, s, p, d in SETTINGS])
def test_window_taps_are_the_inputs_conv2d_reads(setting):
    n, k, s, p, d = setting
    feeding = inputs_feeding(n, k, s, p, d)
    assert len(feeding) == output_size(n, k, s, p, d)
    counts = read_counts(n, k, s, p, d)
    assert counts.shape == (n + 2 * p,)
    assert counts.sum() == len(feeding) * k
    for index, expected in enumerate(feeding):
        taps = window_taps(n, k, index, s, p, d)
        assert len(taps) == k
        assert {int(t) for t in taps if 0 <= t < n} == expected
    for position in range(n):  # an input sample is read as often as outputs depend on it
        assert counts[position + p] == sum(position in f for f in feeding)


def test_read_counts_show_the_sample_floor_drops():
    np.testing.assert_array_equal(read_counts(6, 3, stride=2), [1, 1, 2, 1, 1, 0])
    np.testing.assert_array_equal(read_counts(5, 3, stride=2), [1, 1, 2, 1, 1])


def test_geometry_errors_name_the_argument():
    with pytest.raises(ValueError, match=r"index must be < the output size 3; got 3"):
        window_taps(5, 3, 3)
    with pytest.raises(ValueError, match=r"larger than the padded input"):
        window_taps(3, 5, 0)
    with pytest.raises(ValueError, match=r"larger than the padded input"):
        read_counts(2, 2, dilation=2)


def tap_patches(figure):
    """The faces of the input grid's cells: (dark input taps, dark padding taps, hatched cells)."""
    patches = [patch for patch in figure.axes[0].patches if patch.get_fill()]  # not the kernel's frame
    faces = [to_hex(patch.get_facecolor()) for patch in patches]
    return (
        faces.count(to_hex("C0")),
        faces.count(to_hex("C1")),
        sum(bool(patch.get_hatch()) for patch in patches),
    )


def test_drawing_marks_k_squared_taps_and_the_unread_cells():
    figure = draw_conv_arithmetic(5, 3, stride=2, padding=1, row=0, column=0)
    on_input, on_padding, hatched = tap_patches(figure)
    assert (on_input, on_padding) == (4, 5)  # the top-left window: 2x2 image pixels, 5 padding zeros
    assert hatched == 0
    figure = draw_conv_arithmetic(6, 3, stride=2, row=1, column=1)
    on_input, on_padding, hatched = tap_patches(figure)
    assert (on_input, on_padding, hatched) == (9, 0, 6 + 6 - 1)  # the last row and column are never read
    figure = draw_conv_arithmetic(3, 5)
    assert tap_patches(figure) == (0, 0, 0)
    assert "no output" in figure._suptitle.get_text()


def bundle_png(view):
    bundle = view._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    picture = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert max(picture.size) <= 1600
    return bundle


def test_output_size_explorer_follows_its_sliders():
    explorer = OutputSizeExplorer(n=6, kernel_size=3, stride=2)
    bundle = bundle_png(explorer)
    assert bundle["text/plain"] == (
        "OutputSizeExplorer(n=6, kernel_size=3, stride=2, padding=0, dilation=1, output_size=2, cell=(0, 0))"
    )
    live = bundle[LIVE_MIMETYPE]
    assert live["module"] == "output_size"
    assert {key: live["state"][key] for key in ("n", "kernel_size", "stride", "padding", "dilation")} == {
        "n": 6,
        "kernel_size": 3,
        "stride": 2,
        "padding": 0,
        "dilation": 1,
    }
    before = explorer.static_png()
    explorer.widget.padding = 1  # as if the slider moved in the browser
    assert explorer.output_size == output_size(6, 3, 2, 1) == 3
    assert explorer.static_png() != before
    explorer.set(row=2, column=1)
    assert (explorer.widget.row, explorer.widget.column) == (2, 1)
    rows, columns = explorer.taps()
    np.testing.assert_array_equal(rows, window_taps(6, 3, 2, stride=2, padding=1))
    np.testing.assert_array_equal(columns, window_taps(6, 3, 1, stride=2, padding=1))
    explorer.set(stride=3)  # the output shrinks to 2x2: the chosen cell is clamped into it
    assert explorer.output_size == 2 and explorer.cell == (1, 1)
    explorer.set(stride=1, row=3)
    explorer.widget.n = 2  # from the browser: Python clamps the cell too
    assert explorer.output_size == 2 and explorer.cell == (1, 1)
    explorer.set(n=2, kernel_size=5, padding=0, dilation=2)
    assert explorer.output_size is None and explorer.cell == (0, 0)
    assert "no output" in explorer.alt_text()
    explorer.close()


def test_output_size_explorer_state_lives_in_the_widget():
    explorer = OutputSizeExplorer(n=7, kernel_size=2, stride=3, padding=2, dilation=2, row=5, column=1, max_n=8)
    assert explorer.widget.ranges == {"n": [1, 8], "kernel_size": [1, 5], "stride": [1, 3], "padding": [0, 3],
                                      "dilation": [1, 3]}  # fmt: skip
    assert explorer.output_size == output_size(7, 2, 3, 2, 2) == 3
    assert explorer.cell == (2, 1)  # row 5 clamped into the 3x3 output
    assert explorer.widget.get_state()["row"] == 2
    explorer.close()


def test_output_size_explorer_matches_conv2d():
    explorer = OutputSizeExplorer(max_n=6)
    for n, k, s, p, d in [(6, 5, 3, 3, 3), (4, 2, 1, 0, 1), (6, 3, 2, 1, 2), (1, 5, 1, 1, 1), (6, 5, 1, 0, 2)]:
        explorer.set(n=n, kernel_size=k, stride=s, padding=p, dilation=d)
        try:
            shape = conv2d(np.zeros((1, 1, n, n)), np.zeros((1, 1, k, k)), stride=s, padding=p, dilation=d).shape
        except ValueError:
            assert explorer.output_size is None
        else:
            assert shape[-2:] == (explorer.output_size, explorer.output_size)
    explorer.close()


def test_output_size_explorer_rejects_bad_settings():
    with pytest.raises(ValueError, match=r"stride must be <= 3; got 4"):
        OutputSizeExplorer(stride=4)
    with pytest.raises(ValueError, match=r"padding must be >= 0"):
        OutputSizeExplorer(padding=-1)
    explorer = OutputSizeExplorer(n=5, kernel_size=3)
    with pytest.raises(ValueError, match=r"unknown setting\(s\) \['size'\]"):
        explorer.set(size=3)
    with pytest.raises(ValueError, match=r"row must be in 0\.\.2 \(the output's cells\); got 3"):
        explorer.set(row=3)
    with pytest.raises(ValueError, match=r"n must be in 1\.\.10; got 11"):
        explorer.set(n=11)
    explorer.close()


IMAGE = convlib.load_image("camera", gray=True)[::16, ::16]  # 32x32


@pytest.mark.parametrize("mode", convlib.PAD_MODES)
def test_border_mode_explorer_shows_correlate2d_with_that_border(mode):
    explorer = BorderModeExplorer(IMAGE, mode=mode, name="camera")
    for name, make in BORDER_KERNELS.items():
        explorer.kernel_name = name
        kernel = make()
        np.testing.assert_array_equal(explorer.kernel, kernel)
        np.testing.assert_allclose(explorer.output, convlib.correlate2d(IMAGE, kernel, "same", boundary=mode))
        assert explorer.padded.shape == tuple(np.add(IMAGE.shape, np.subtract(kernel.shape, 1)))
        top, left = kernel.shape[0] // 2, kernel.shape[1] // 2
        np.testing.assert_array_equal(explorer.padded[top : top + IMAGE.shape[0], left : left + IMAGE.shape[1]], IMAGE)
    bundle = bundle_png(explorer)
    assert bundle["text/plain"] == f"BorderModeExplorer(image='camera', mode={mode!r}, kernel='identity')"
    explorer.close()


def test_zeros_darken_a_blur_at_the_border_and_edge_does_not():
    flat = np.full((20, 20), 0.6)
    explorer = BorderModeExplorer(flat, mode="constant", kernel="box 9×9")
    assert explorer.output[0, 0] == pytest.approx(0.6 * 25 / 81)
    assert explorer.output[10, 10] == pytest.approx(0.6)
    before = explorer.static_png()
    explorer.widget.mode = "edge"  # as if a mode button were clicked in the browser
    assert explorer.mode == "edge"
    np.testing.assert_allclose(explorer.output, 0.6)
    assert explorer.static_png() != before
    explorer.close()


def test_border_mode_explorer_sends_every_picture_the_browser_switches_between():
    explorer = BorderModeExplorer(IMAGE, mode="reflect", kernel="sobel x", name="camera")
    state = explorer.widget
    assert state.modes == list(convlib.PAD_MODES) and state.mode == "reflect" and state.kernel_name == "sobel x"
    image = np.frombuffer(state.image["pixels"], np.uint8).reshape(state.image["height"], state.image["width"])
    np.testing.assert_array_equal(image, convlib.to_uint8(IMAGE, scaling="clip"))
    assert list(state.kernels) == list(BORDER_KERNELS)
    for name, make in BORDER_KERNELS.items():
        kernel = make()
        entry = state.kernels[name]
        scaling = "abs" if abs(kernel.sum()) < 1e-12 else "clip"
        assert entry["scaling"] == scaling and entry["shape"] == list(kernel.shape)
        assert entry["widths"] == [[kernel.shape[0] // 2] * 2, [kernel.shape[1] // 2] * 2]
        for mode in convlib.PAD_MODES:
            expected = convlib.correlate2d(IMAGE, kernel, "same", boundary=mode)
            shown = np.frombuffer(entry["pictures"][mode], np.uint8).reshape(IMAGE.shape)
            np.testing.assert_array_equal(shown, convlib.to_uint8(expected, scaling=scaling))
            assert entry["low"][mode] == pytest.approx(expected.min())
            assert entry["high"][mode] == pytest.approx(expected.max())
    explorer.kernel_name = "box 3×3"
    assert explorer.scaling == "clip"
    np.testing.assert_array_equal(explorer.output_uint8(), convlib.to_uint8(explorer.output, scaling="clip"))
    np.testing.assert_array_equal(explorer.padded_uint8(), convlib.pad(image, 1, "reflect"))
    live = explorer._repr_mimebundle_()[LIVE_MIMETYPE]
    assert live["module"] == "border_mode" and live["state"]["mode"] == "reflect"
    assert "'camera'" in live["alt"]
    explorer.close()


def test_border_mode_explorer_rejects_bad_input():
    with pytest.raises(ValueError, match=r"use mode='wrap'"):
        BorderModeExplorer(IMAGE, mode="circular")
    with pytest.raises(ValueError, match=r"kernel must be one of"):
        BorderModeExplorer(IMAGE, kernel="gaussian")
    with pytest.raises(ValueError, match=r"2-D grayscale"):
        BorderModeExplorer(np.zeros((4, 4, 3)))
    with pytest.raises(ValueError, match=r"brightness values in 0\.\.1"):
        BorderModeExplorer(IMAGE * 255)
    with pytest.raises(ValueError, match=r"larger than the image"):
        BorderModeExplorer(np.zeros((5, 5)), kernel="box 3×3")
    explorer = BorderModeExplorer(IMAGE, kernels={"tiny": np.ones((1, 2)) / 2}, kernel="tiny")
    with pytest.raises(ValueError, match=r"use mode='edge'"):
        explorer.mode = "replicate"
    with pytest.raises(ValueError, match=r"kernel must be one of \['tiny'\]"):
        explorer.kernel_name = "box 9×9"
    explorer.close()


# --- the Rosetta table ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [1, 2, 3])
def test_one_hot_reads_the_sample_shift_places_away(width):
    x = np.arange(10.0)
    for shift in range(-width, width + 1):
        kernel = one_hot(shift, width)
        assert kernel.shape == (2 * width + 1,) and kernel.sum() == 1.0
        inside = slice(width, -width)
        assert np.array_equal(convlib.correlate1d(x, kernel, "same")[inside], np.roll(x, -shift)[inside])


@pytest.mark.parametrize("shift", [3, -3, 1.0, True])
def test_one_hot_refuses_a_shift_it_cannot_read(shift):
    with pytest.raises(ValueError, match=r"one_hot: shift must be an int in -2..2"):
        one_hot(shift)


@pytest.mark.parametrize("mode", convlib.PAD_MODES)
@pytest.mark.parametrize("width", [1, 2])
def test_padded_by_reading_recovers_the_padding_a_filter_uses(mode, width):
    row = np.array([1.0, 5.0, 2.0, 7.0])
    read = padded_by_reading(lambda kernel: convlib.correlate1d(row, kernel, "same", boundary=mode), width)
    assert np.array_equal(read, convlib.pad(row, width, mode))


def test_padded_by_reading_refuses_a_filter_that_returns_no_row():
    with pytest.raises(ValueError, match=r"filter_row must return a non-empty 1-D row; got shape \(1, 4\)"):
        padded_by_reading(lambda kernel: np.zeros((1, 4)))


def test_rosetta_runs_pads_and_filters_and_records_refusals():
    row = np.array([1.0, 2.0, 3.0, 4.0])
    found, refused = rosetta(
        row,
        2,
        {"numpy": ["constant", "edge", "mean"], "scipy.ndimage": ["reflect", "mirror", "nearest", "wrap", "bogus"]},
        pad_functions={"numpy": lambda name: np.pad(row, 2, mode=name)},
        filters={"scipy.ndimage": lambda name, kernel: scipy.ndimage.correlate1d(row, kernel, mode=name)},
        refusals=(RuntimeError,),  # scipy.ndimage: "boundary mode not supported"
    )
    assert refused == [("scipy.ndimage", "bogus")]
    assert found["constant"] == {"numpy": ["constant"], "scipy.ndimage": []}
    assert found["edge"] == {"numpy": ["edge"], "scipy.ndimage": ["nearest"]}
    assert found["symmetric"] == {"numpy": [], "scipy.ndimage": ["reflect"]}  # the trap: ndimage's reflect
    assert found["reflect"] == {"numpy": [], "scipy.ndimage": ["mirror"]}
    assert found["wrap"] == {"numpy": [], "scipy.ndimage": ["wrap"]}
    assert list(found) == list(convlib.PAD_MODES)


def test_rosetta_lets_other_errors_through_and_checks_its_arguments():
    row = np.array([1.0, 2.0, 3.0, 4.0])
    pads = {"numpy": lambda name: np.pad(row, 2, mode=name)}
    with pytest.raises(ValueError):  # not a refusal named by the caller: raised
        rosetta(row, 2, {"numpy": ["no such mode"]}, pads, {})
    with pytest.raises(ValueError, match=r"library 'torch' must be in exactly one .* it is in neither"):
        rosetta(row, 2, {"torch": ["circular"]}, pads, {})
    with pytest.raises(ValueError, match=r"it is in both"):
        rosetta(row, 2, {"numpy": ["edge"]}, pads, {"numpy": lambda name, kernel: row})
    with pytest.raises(ValueError, match=r"rosetta: row must be 1-D"):
        rosetta(np.ones((2, 2)), 2, {}, {}, {})

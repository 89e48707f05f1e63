"""The live views of convlib.book.widgets, driven without a browser.

The KernelEditor keeps its state in the traits of an anywidget model, which the browser edits; Python
computes the reference picture. Changing the state (from Python, or by setting the model's traits as
the browser does) must give the kernel convlib would use and the output ``convlib.correlate2d`` gives
(to rounding); the picture must be ``to_uint8`` of that output; and displaying a view must give a PNG,
a deterministic text and (for the editor) its live state, as well as the widget.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import math
import re

import numpy as np
import pytest
import traitlets
from PIL import Image

import convlib
from convlib import kernels
from convlib.book.widgets import KernelEditor, MovingAverageExplorer, display_uint8, encode_gray
from convlib.images import to_uint8
from convlib.padding import PAD_MODES

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LIVE = "application/vnd.convlib.live+json"
ATOL = 1e-12  # the editor adds the same products as convlib in another order: equal to rounding
BLURS = ("box blur", "gaussian blur")  # the gallery kernels off the grid of weights: whole weights, normalised
SCALING_NAMES = ("auto", "clip", "rescale", "abs")


@pytest.fixture
def image() -> np.ndarray:
    """A seeded, non-square test image in [0, 1], not on 8 bits (non-square catches transposed axes)."""
    rng = np.random.default_rng(20240601)
    rows, columns = np.mgrid[0:48, 0:64]
    smooth = 0.5 + 0.4 * np.sin(rows / 5.0) * np.cos(columns / 7.0)
    return np.clip(smooth + rng.normal(0, 0.05, smooth.shape), 0, 1)


def quantised(image: np.ndarray) -> np.ndarray:
    """The image as the editor keeps it: 8-bit gray levels (rounded half to even) divided by 255."""
    return np.rint(np.asarray(image, dtype=np.float64) * 255) / 255


def oracle(
    image: np.ndarray, kernel: np.ndarray, operation: str = "correlate2d", boundary: str = "symmetric"
) -> np.ndarray:
    function = convlib.correlate2d if operation == "correlate2d" else convlib.convolve2d
    return function(image, kernel, mode="same", boundary=boundary)


def assert_output_is(editor: KernelEditor, image: np.ndarray, kernel: np.ndarray) -> None:
    """``editor.output`` is convlib's result for ``image`` and ``kernel`` (given independently), to rounding."""
    expected = oracle(image, kernel, editor.operation, editor.boundary)
    assert editor.output.shape == expected.shape
    np.testing.assert_allclose(editor.output, expected, rtol=0, atol=ATOL)


def decode_live_image(entry: dict) -> np.ndarray:
    """An image of the live state (``{"width", "height", "pixels": {"base64": ...}}``) as uint8 (H, W)."""
    assert set(entry["pixels"]) == {"base64"}
    raw = base64.b64decode(entry["pixels"]["base64"])
    assert len(raw) == entry["width"] * entry["height"]
    return np.frombuffer(raw, dtype=np.uint8).reshape(entry["height"], entry["width"])


# --- the output ----------------------------------------------------------------------------------------------


def test_initial_output_is_correlate2d_of_the_preset(image):
    editor = KernelEditor(image, kernel="sobel x")
    np.testing.assert_array_equal(editor.kernel, kernels.sobel_x())
    assert editor.preset == "sobel x" and editor.size == 3 and not editor.normalise
    assert editor.boundary == "symmetric" and editor.operation == "correlate2d"
    assert_output_is(editor, quantised(image), kernels.sobel_x())
    assert editor.output.dtype == np.float64
    assert np.abs(editor.output).max() > 0.5  # an edge filter on this image: far from zero


@pytest.mark.parametrize("boundary", PAD_MODES)
@pytest.mark.parametrize("operation", ["correlate2d", "convolve2d"])
@pytest.mark.parametrize("size", [3, 5])
def test_initial_output_for_every_boundary_operation_and_size(image, boundary, operation, size):
    weights = np.random.default_rng(size).integers(-8, 9, (size, size)) * 0.25
    editor = KernelEditor(image, kernel=weights, operation=operation, boundary=boundary)
    assert (editor.size, editor.operation, editor.boundary, editor.preset) == (size, operation, boundary, "custom")
    np.testing.assert_array_equal(editor.kernel, weights)
    assert_output_is(editor, quantised(image), weights)


def test_convolve2d_flips_the_kernel(image):
    editor = KernelEditor(image, kernel="sobel x", operation="convolve2d")
    assert_output_is(editor, quantised(image), kernels.sobel_x())
    np.testing.assert_allclose(editor.output, -oracle(quantised(image), kernels.sobel_x()), rtol=0, atol=ATOL)
    editor.operation = "correlate2d"
    np.testing.assert_allclose(editor.output, oracle(quantised(image), kernels.sobel_x()), rtol=0, atol=ATOL)
    lopsided = np.zeros((5, 5))
    lopsided[0, 1], lopsided[3, 4], lopsided[2, 2] = 2.0, -1.0, 0.5  # no symmetry: a missing flip shows
    editor.set_kernel(lopsided)
    editor.operation = "convolve2d"
    flipped = oracle(quantised(image), lopsided[::-1, ::-1])
    np.testing.assert_allclose(editor.output, flipped, rtol=0, atol=ATOL)
    assert np.abs(editor.output - oracle(quantised(image), lopsided)).max() > 0.1
    np.testing.assert_array_equal(editor.kernel, lopsided)  # the kernel is shown as set; only the sum flips it


def test_output_is_read_only_and_kernel_and_picture_are_copies(image):
    editor = KernelEditor(image, kernel="sharpen")
    with pytest.raises(ValueError, match="read-only"):
        editor.output[0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        editor.image[0, 0] = 1.0
    editor.set_weight(0, 0, 1.0)  # a new output: read-only as well
    with pytest.raises(ValueError, match="read-only"):
        editor.output[0, 0] = 1.0
    kernel, picture = editor.kernel, editor.output_uint8()
    kernel[:] = 0
    picture[:] = 0
    assert editor.kernel[1, 1] == 5.0
    np.testing.assert_array_equal(editor.output_uint8(), to_uint8(editor.output, scaling="clip"))
    weights = editor.weights
    weights[:] = 0
    assert editor.weights[1, 1] == 5.0


# --- weights -------------------------------------------------------------------------------------------------


def test_set_weight_updates_kernel_and_output(image):
    editor = KernelEditor(image, kernel="sobel x")
    before = editor.output.copy()
    editor.set_weight(1, 1, 2.5)
    expected_kernel = kernels.sobel_x()
    expected_kernel[1, 1] = 2.5
    np.testing.assert_array_equal(editor.kernel, expected_kernel)
    np.testing.assert_array_equal(editor.weights, expected_kernel)
    assert editor.widget.weights == expected_kernel.ravel().tolist()
    assert_output_is(editor, quantised(image), expected_kernel)
    assert np.abs(editor.output - before).max() > 1.0
    assert editor.preset == "custom"
    assert editor.scaling_in_effect == "clip"  # the weights now sum to 2.5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.3, 0.25),
        (0.37, 0.25),
        (0.38, 0.5),
        (-0.3, -0.25),
        (-0.38, -0.5),
        (0.125, 0.25),  # halfway: up, as the browser's Math.round
        (0.375, 0.5),
        (-0.125, 0.0),  # halfway below zero: up as well, to 0
        (-0.375, -0.25),
        (-0.1, 0.0),  # 0, not -0
        (3, 3.0),
        (np.float32(1.5), 1.5),
        (8.1, 8.0),  # clipped to the range
        (100.0, 8.0),
        (-8.2, -8.0),
        (-1e300, -8.0),
        (1e308, 8.0),
    ],
)
def test_set_weight_snaps_to_the_step_and_clips_to_the_range(image, value, expected):
    editor = KernelEditor(image, kernel="identity")
    editor.set_weight(0, 2, value)
    stored = editor.widget.weights[2]
    assert type(stored) is float
    assert stored == expected and math.copysign(1.0, stored) == math.copysign(1.0, expected)
    assert editor.kernel[0, 2] == expected
    np.testing.assert_array_equal(editor.weights.ravel()[[0, 1, 3, 4, 5, 6, 7, 8]], [0, 0, 0, 1, 0, 0, 0, 0])


def test_set_weight_with_another_step_and_range(image):
    editor = KernelEditor(image, kernel=np.eye(3), step=0.5, weight_range=(-2, 3))  # the range is ±2, symmetric
    assert editor.widget.step == 0.5 and editor.widget.limit == 2.0
    for value, expected in [(0.7, 0.5), (0.75, 1.0), (-0.25, 0.0), (2.9, 2.0), (-5, -2.0), (1.26, 1.5)]:
        editor.set_weight(1, 0, value)
        assert editor.weights[1, 0] == expected, value
    with pytest.raises(ValueError, match=r"kernel weights must be multiples of step=0\.5"):
        KernelEditor(image, kernel=np.full((3, 3), 0.25), step=0.5)
    fine = KernelEditor(image, kernel=np.full((3, 3), 0.125), step=0.125)
    np.testing.assert_array_equal(fine.kernel, np.full((3, 3), 0.125))
    assert not fine.normalise


def test_a_narrow_range_offers_only_the_presets_it_can_hold(image):
    editor = KernelEditor(image, kernel=np.eye(3), weight_range=(-2, 2))  # edge detect's 8 does not fit
    assert sorted(editor.widget.presets) == ["box blur", "emboss", "identity", "sobel x", "sobel y"]
    editor.preset = "sobel x"
    np.testing.assert_array_equal(editor.kernel, kernels.sobel_x())
    with pytest.raises(ValueError, match=r"kernel weights must be multiples of step=0\.25 within ±2"):
        editor.preset = "edge detect"
    assert editor.preset == "sobel x"
    np.testing.assert_array_equal(editor.kernel, kernels.sobel_x())


def test_preset_turns_custom_only_when_the_weights_differ(image):
    editor = KernelEditor(image, kernel="laplacian")
    editor.set_weight(1, 1, -4.0)  # the value it had
    assert editor.preset == "laplacian"
    editor.set_weight(1, 1, -4.1)  # snaps to the value it had
    editor.set_weight(0, 0, 0.1)  # snaps to 0, the value it had
    assert editor.preset == "laplacian"
    np.testing.assert_array_equal(editor.kernel, kernels.laplacian())
    editor.set_weight(0, 0, 0.2)  # snaps to 0.25: now it differs
    assert editor.preset == "custom"
    editor.set_weight(0, 0, 0.0)  # edited by hand, as in the browser: custom until a preset is chosen
    assert editor.preset == "custom"
    np.testing.assert_array_equal(editor.kernel, kernels.laplacian())

    blur = KernelEditor(image, kernel="gaussian blur", size=5)  # compared as weights, in the 5x5 grid
    blur.set_weight(2, 2, 4.0)
    blur.set_weight(0, 0, 0.0)
    assert blur.preset == "gaussian blur"
    blur.set_weight(0, 0, 0.25)
    assert blur.preset == "custom"


def test_editing_then_choosing_the_preset_again_restores_it(image):
    editor = KernelEditor(image, kernel="laplacian")
    editor.set_weight(0, 0, 3.0)
    editor.normalise = True
    assert editor.preset == "custom"
    editor.preset = "laplacian"
    assert editor.preset == "laplacian" and not editor.normalise
    np.testing.assert_array_equal(editor.kernel, kernels.laplacian())
    assert editor.widget.weights == kernels.laplacian().ravel().tolist()
    assert_output_is(editor, quantised(image), kernels.laplacian())


def test_changing_the_weights_trait_as_the_browser_does(image):
    editor = KernelEditor(image, kernel="identity")
    np.testing.assert_allclose(editor.output, quantised(image), rtol=0, atol=ATOL)  # computed (and cached) first
    weights = [0.0, 0.5, 0.0, -1.0, 1.0, 1.0, 0.0, -0.25, 0.0]
    expected = np.reshape(weights, (3, 3))
    editor.widget.weights = weights  # a drag in the browser sets this trait
    np.testing.assert_array_equal(editor.weights, expected)
    np.testing.assert_array_equal(editor.kernel, expected)
    assert_output_is(editor, quantised(image), expected)
    np.testing.assert_array_equal(editor.output_uint8(), to_uint8(editor.output, scaling="clip"))

    # a message from the browser, as ipywidgets applies it: weights and preset together
    editor.widget.set_state({"weights": [1.0] * 9, "preset": "custom", "normalise": True})
    assert editor.preset == "custom" and editor.normalise
    np.testing.assert_allclose(editor.kernel, kernels.box(3), rtol=0, atol=ATOL)
    assert_output_is(editor, quantised(image), kernels.box(3))

    # the size, then the other controls
    five = np.zeros((5, 5))
    five[0, 0], five[4, 4] = 1.0, -2.0
    editor.widget.set_state({"size": 5, "weights": five.ravel().tolist(), "normalise": False})
    assert editor.size == 5
    np.testing.assert_array_equal(editor.kernel, five)
    assert_output_is(editor, quantised(image), five)
    editor.widget.set_state({"operation": "convolve2d", "boundary": "wrap", "scaling": "rescale"})
    state = (editor.operation, editor.boundary, editor.scaling, editor.scaling_in_effect)
    assert state == ("convolve2d", "wrap", "rescale", "rescale")
    np.testing.assert_allclose(editor.output, oracle(quantised(image), five, "convolve2d", "wrap"), rtol=0, atol=ATOL)
    np.testing.assert_array_equal(editor.output_uint8(), to_uint8(editor.output, scaling="rescale"))


def test_changing_the_image_and_the_preset_traits_as_the_browser_does(image):
    other = 1 - image
    editor = KernelEditor({"first": image, "second": other}, kernel="sobel y")
    editor.widget.image_name = "second"
    assert editor.image_name == "second"
    np.testing.assert_array_equal(editor.image, quantised(other))
    assert_output_is(editor, quantised(other), kernels.sobel_y())
    assert "image='second'" in repr(editor)


# --- presets -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("normalise_before", [False, True])
@pytest.mark.parametrize("name", list(kernels.GALLERY))
def test_every_preset_gives_the_gallery_kernel(image, name, normalise_before):
    expected = kernels.GALLERY[name]()
    editor = KernelEditor(image, kernel=np.ones((3, 3)), normalise=normalise_before)
    editor.preset = name
    assert editor.preset == name
    assert editor.normalise == (name in BLURS)  # a preset comes as it is, whatever was chosen before
    if name in BLURS:
        np.testing.assert_allclose(editor.kernel, expected, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(editor.weights, np.round(editor.weights))  # whole weights on the grid
        np.testing.assert_allclose(editor.weights / editor.weights.sum(), expected, rtol=0, atol=1e-12)
    else:
        np.testing.assert_array_equal(editor.kernel, expected)
        np.testing.assert_array_equal(editor.weights, expected)
    assert_output_is(editor, quantised(image), expected)
    assert repr(editor).startswith(f"KernelEditor(image='image', kernel={name!r}")
    assert editor.scaling_in_effect == ("abs" if expected.sum() == 0 else "clip")

    fresh = KernelEditor(image, kernel=name)  # the same by the constructor
    np.testing.assert_array_equal(fresh.weights, editor.weights)
    assert fresh.normalise == editor.normalise and fresh.preset == name

    entry = editor.widget.presets[name]  # the browser's preset table says the same
    assert entry["size"] == 3 and entry["normalise"] == (name in BLURS)
    assert entry["weights"] == editor.weights.ravel().tolist()


@pytest.mark.parametrize("name", list(kernels.GALLERY))
def test_every_preset_in_a_five_by_five_editor_sits_in_the_centre(image, name):
    expected = kernels.GALLERY[name]()
    editor = KernelEditor(image, kernel=np.ones((5, 5)))
    editor.preset = name
    assert editor.size == 5 and editor.preset == name
    assert not editor.weights[[0, 4]].any() and not editor.weights[:, [0, 4]].any()
    np.testing.assert_allclose(editor.kernel[1:4, 1:4], expected, rtol=0, atol=1e-12)
    assert_output_is(editor, quantised(image), expected)  # a border of zeros changes nothing


def test_blur_presets_are_whole_weights_normalised(image):
    editor = KernelEditor(image, kernel="gaussian blur")
    np.testing.assert_array_equal(editor.weights, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    assert editor.normalise
    np.testing.assert_allclose(editor.kernel, kernels.binomial_blur(), rtol=0, atol=1e-12)
    editor.preset = "box blur"
    np.testing.assert_array_equal(editor.weights, np.ones((3, 3)))
    np.testing.assert_allclose(editor.kernel, kernels.box(3), rtol=0, atol=1e-12)
    editor.normalise = False  # the weights as they are: nine times as bright
    np.testing.assert_array_equal(editor.kernel, np.ones((3, 3)))
    assert editor.preset == "box blur"


def test_preset_setter_refuses_unknown_names(image):
    editor = KernelEditor(image, kernel="sharpen")
    for bad in ("custom", "blur", "Sobel X"):
        with pytest.raises(ValueError, match="preset must be one of 'identity'"):
            editor.preset = bad
    assert editor.preset == "sharpen"


# --- normalise -----------------------------------------------------------------------------------------------


def test_normalise_divides_by_the_sum_unless_it_is_zero(image):
    editor = KernelEditor(image, kernel=np.ones((3, 3)), normalise=False)
    np.testing.assert_array_equal(editor.kernel, np.ones((3, 3)))
    assert_output_is(editor, quantised(image), np.ones((3, 3)))
    assert editor.output.max() > 1  # nine times as bright: clipped when shown
    editor.normalise = True
    np.testing.assert_allclose(editor.kernel, np.ones((3, 3)) / 9, rtol=0, atol=1e-15)
    assert_output_is(editor, quantised(image), np.ones((3, 3)) / 9)
    np.testing.assert_array_equal(editor.weights, np.ones((3, 3)))  # the weights stay as set

    editor.set_kernel(kernels.sobel_x())  # an array keeps normalise on; it sums to 0: nothing to divide by
    assert editor.normalise
    np.testing.assert_array_equal(editor.kernel, kernels.sobel_x())
    assert_output_is(editor, quantised(image), kernels.sobel_x())
    assert editor.scaling_in_effect == "abs"

    negative = np.array([[0, -1, 0], [-1, 0, -1], [0, -1, 0]], dtype=float)  # sums to -4
    editor.set_kernel(negative)
    np.testing.assert_array_equal(editor.kernel, negative / -4)
    assert_output_is(editor, quantised(image), negative / -4)
    editor.set_kernel(negative, normalise=False)
    assert not editor.normalise
    np.testing.assert_array_equal(editor.kernel, negative)
    with pytest.raises(TypeError, match="normalise must be True or False"):
        editor.normalise = 1


def test_array_kernels_off_the_grid_that_sum_to_one_come_normalised(image):
    editor = KernelEditor(image, kernel=kernels.box(3))
    assert editor.normalise and editor.preset == "custom"
    np.testing.assert_array_equal(editor.weights, np.ones((3, 3)))
    np.testing.assert_allclose(editor.kernel, kernels.box(3), rtol=0, atol=1e-12)
    editor.set_kernel(kernels.binomial_blur(), normalise=None)
    np.testing.assert_array_equal(editor.weights, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    assert editor.normalise


# --- 5x5 ------------------------------------------------------------------------------------------------------


def test_five_by_five(image):
    editor = KernelEditor(image, kernel="sharpen")
    editor.size = 5
    assert editor.size == 5 and editor.widget.size == 5 and len(editor.widget.weights) == 25
    np.testing.assert_array_equal(editor.weights[1:4, 1:4], kernels.sharpen())
    assert not editor.weights[[0, 4]].any() and not editor.weights[:, [0, 4]].any()
    assert editor.preset == "sharpen"  # growing keeps the kernel, so it keeps its name
    assert_output_is(editor, quantised(image), kernels.sharpen())  # zero border: same result
    editor.set_weight(0, 4, 1.25)
    assert editor.kernel.shape == (5, 5) and editor.kernel[0, 4] == 1.25
    assert editor.preset == "custom"
    expected = np.pad(kernels.sharpen(), 1)
    expected[0, 4] = 1.25
    assert_output_is(editor, quantised(image), expected)
    editor.size = 3  # back to the centre 3x3
    np.testing.assert_array_equal(editor.kernel, kernels.sharpen())
    assert_output_is(editor, quantised(image), kernels.sharpen())
    assert "size=3" in repr(editor)


def test_shrinking_keeps_the_centre_and_turns_custom(image):
    editor = KernelEditor(image, kernel="emboss", size=5)
    np.testing.assert_array_equal(editor.weights, np.pad(kernels.emboss(), 1))
    assert editor.preset == "emboss"
    editor.size = 5  # the same size: nothing changes
    assert editor.preset == "emboss"
    editor.size = 3
    assert editor.preset == "custom"
    np.testing.assert_array_equal(editor.kernel, kernels.emboss())

    outer = np.arange(25.0).reshape(5, 5) * 0.25 - 3
    editor.set_kernel(outer)
    editor.size = 3
    np.testing.assert_array_equal(editor.weights, outer[1:4, 1:4])
    assert_output_is(editor, quantised(image), outer[1:4, 1:4])
    for bad in (4, 3.0, "5", True, None):
        with pytest.raises(ValueError, match=r"size must be one of \(3, 5\)"):
            editor.size = bad
    assert editor.size == 3


def test_five_by_five_array_kernel(image):
    kernel = np.arange(25.0).reshape(5, 5) % 4 - 1.5
    editor = KernelEditor(image, kernel=kernel)
    assert editor.size == 5 and editor.preset == "custom"
    np.testing.assert_array_equal(editor.kernel, kernel)
    assert_output_is(editor, quantised(image), kernel)
    editor.operation = "convolve2d"
    assert_output_is(editor, quantised(image), kernel)
    np.testing.assert_allclose(editor.output, oracle(quantised(image), kernel[::-1, ::-1]), rtol=0, atol=ATOL)

    small = KernelEditor(image, kernel="identity")
    small.set_kernel(kernel)  # a 5x5 array switches to 5x5
    assert small.size == 5
    np.testing.assert_array_equal(small.kernel, kernel)
    small.set_kernel(kernels.sobel_y())  # a 3x3 array in a 5x5 editor: in the centre
    assert small.size == 5
    np.testing.assert_array_equal(small.kernel, np.pad(kernels.sobel_y(), 1))


# --- images ---------------------------------------------------------------------------------------------------


def test_image_chooser(image):
    other = image[::-1].copy()
    editor = KernelEditor({"first": image, "flipped": other}, kernel="sobel y")
    assert editor.image_name == "first"
    assert list(editor.widget.images) == ["first", "flipped"]
    assert_output_is(editor, quantised(image), kernels.sobel_y())
    editor.image_name = "flipped"
    assert editor.widget.image_name == "flipped"
    np.testing.assert_array_equal(editor.image, quantised(other))
    assert_output_is(editor, quantised(other), kernels.sobel_y())
    assert "image='flipped'" in repr(editor)
    with pytest.raises(ValueError, match=r"image_name must be one of 'first', 'flipped'; got 'missing'"):
        editor.image_name = "missing"
    assert editor.image_name == "flipped"
    single = KernelEditor(image, name="ramp")
    assert single.image_name == "ramp" and list(single.widget.images) == ["ramp"]


def test_images_by_name_use_load_image(image, monkeypatch):
    import convlib.images

    asked = []

    def fake_load_image(name, gray=False):
        asked.append((name, gray))
        return image if name == "camera" else 1 - image

    monkeypatch.setattr(convlib.images, "load_image", fake_load_image)
    editor = KernelEditor(["camera", "coins"])
    assert asked == [("camera", True), ("coins", True)]
    assert editor.image_name == "camera"
    np.testing.assert_array_equal(editor.image, quantised(image))
    editor.image_name = "coins"
    np.testing.assert_array_equal(editor.image, quantised(1 - image))
    asked.clear()
    assert KernelEditor("camera").image_name == "camera"
    assert asked == [("camera", True)]


def test_uint8_image_is_divided_by_255(image):
    pixels = np.round(image * 255).astype(np.uint8)
    editor = KernelEditor(pixels, kernel="box blur")
    assert editor.image.dtype == np.float64
    np.testing.assert_array_equal(editor.image, pixels / 255.0)
    assert editor.widget.images["image"]["pixels"] == pixels.tobytes()
    assert (editor.widget.images["image"]["width"], editor.widget.images["image"]["height"]) == (64, 48)
    assert_output_is(editor, pixels / 255.0, kernels.box(3))


def test_float_image_is_quantised_to_8_bits(image):
    editor = KernelEditor(image, kernel="identity")
    assert editor.image.dtype == np.float64 and editor.image.shape == image.shape
    assert not np.array_equal(editor.image, image)  # the fixture is not on 8 bits
    np.testing.assert_array_equal(editor.image, quantised(image))
    np.testing.assert_array_equal(editor.image, to_uint8(image, scaling="clip") / 255.0)
    assert np.abs(editor.image - image).max() <= 0.5 / 255 + 1e-15
    sent = decode_live_image(editor.widget.live_state()["state"]["images"]["image"])
    np.testing.assert_array_equal(sent, to_uint8(image, scaling="clip"))  # the browser filters exactly editor.image

    halves = np.array([[0.5, 1.5, 2.5, 253.5, 254.5]]) / 255  # exact halves round to even, as to_uint8 does
    np.testing.assert_array_equal(KernelEditor(halves).image * 255, [[0, 2, 2, 254, 254]])
    assert_output_is(editor, quantised(image), kernels.identity())


def test_changing_the_image_does_not_change_the_editor(image):
    original = quantised(image)
    editor = KernelEditor(image, kernel="box blur")
    image[:] = 0
    np.testing.assert_array_equal(editor.image, original)


# --- the picture ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scaling", SCALING_NAMES)
def test_picture_is_to_uint8_of_the_output(image, scaling):
    editor = KernelEditor(image, kernel="sharpen", scaling=scaling)
    negative = np.array([[0, -1, 0], [-1, 0, -1], [0, -1, 0]], dtype=float)
    for kernel in ("sharpen", "sobel x", "emboss", "gaussian blur", negative, np.zeros((5, 5))):
        editor.set_kernel(kernel)
        total = editor.weights.sum()
        effective = editor.scaling_in_effect
        if scaling == "auto":
            assert effective == ("abs" if total == 0 else "clip")
        else:
            assert effective == scaling
        np.testing.assert_array_equal(editor.output_uint8(), to_uint8(editor.output, scaling=effective))
        assert editor.output_uint8().dtype == np.uint8 and editor.output_uint8().shape == image.shape


def test_changing_the_scaling_changes_the_picture(image):
    editor = KernelEditor(image, kernel="laplacian")
    assert editor.scaling == "auto" and editor.scaling_in_effect == "abs"
    pictures = {}
    for scaling in SCALING_NAMES:
        editor.scaling = scaling
        assert editor.widget.scaling == scaling
        pictures[scaling] = editor.output_uint8()
        expected = to_uint8(editor.output, scaling="abs" if scaling == "auto" else scaling)
        np.testing.assert_array_equal(pictures[scaling], expected)
    np.testing.assert_array_equal(pictures["auto"], pictures["abs"])
    assert not np.array_equal(pictures["clip"], pictures["rescale"])
    with pytest.raises(ValueError, match="scaling must be one of 'auto', 'clip', 'rescale', 'abs'"):
        editor.scaling = "log"


@pytest.mark.parametrize("scaling", ["clip", "rescale", "abs"])
def test_display_uint8_matches_to_uint8(scaling):
    rng = np.random.default_rng(7)
    for values in (rng.normal(0, 2, (31, 17)), np.full((4, 4), 0.3), np.zeros((3, 5)), rng.random((8, 8))):
        np.testing.assert_array_equal(display_uint8(values, scaling), to_uint8(values, scaling=scaling))
    edges = np.array([[0.5 / 255, 1.5 / 255, 2.5 / 255, 254.5 / 255]])  # exact halves round to even
    np.testing.assert_array_equal(display_uint8(edges, "clip"), to_uint8(edges, scaling="clip"))


def test_encode_gray_rejects_unknown_format_and_bad_pixels():
    with pytest.raises(ValueError, match="encoding must be one of"):
        encode_gray(np.zeros((2, 2), np.uint8), "gif")
    with pytest.raises(ValueError, match="2-D uint8"):
        encode_gray(np.zeros((2, 2)), "bmp")


# --- the boundary ---------------------------------------------------------------------------------------------


def test_boundary_setter(image):
    editor = KernelEditor(image, kernel="emboss")
    outputs = {}
    for boundary in PAD_MODES:
        editor.boundary = boundary
        assert editor.boundary == boundary and editor.widget.boundary == boundary
        assert_output_is(editor, quantised(image), kernels.emboss())
        outputs[boundary] = editor.output.copy()
        np.testing.assert_array_equal(outputs[boundary][1:-1, 1:-1], outputs["constant"][1:-1, 1:-1])
    for one, other in itertools.combinations(("constant", "edge", "reflect", "wrap"), 2):  # the borders differ
        assert not np.array_equal(outputs[one], outputs[other]), (one, other)
    np.testing.assert_array_equal(outputs["edge"], outputs["symmetric"])  # one pixel beyond: the same for a 3x3
    assert editor.widget.boundaries == list(PAD_MODES)


@pytest.mark.parametrize(
    ("bad", "match"),
    [
        ("circular", "another library calls convlib's 'wrap': use boundary='wrap'"),
        ("replicate", "use boundary='edge'"),
        ("BORDER_REFLECT", "use boundary='symmetric'"),
        ("zeros", "use boundary='constant'"),
        ("Reflect", r"\(names are lower case\): use boundary='reflect'"),
        ("same", "boundary must be one of 'constant'"),
        (None, "boundary must be one of 'constant'"),
    ],
)
def test_boundary_setter_refuses_other_names(image, bad, match):
    editor = KernelEditor(image, kernel="sobel x", boundary="edge")
    with pytest.raises(ValueError, match=match):
        editor.boundary = bad
    assert editor.boundary == "edge"
    with pytest.raises(ValueError, match=match):
        KernelEditor(image, boundary=bad)


# --- the static fallback, the live state and the text ------------------------------------------------------


def test_mimebundle_has_widget_png_live_state_and_deterministic_text(image):
    editor = KernelEditor({"camera": image}, kernel="sobel x")
    bundle = editor._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/png", WIDGET_VIEW, LIVE}
    assert bundle[WIDGET_VIEW]["model_id"] == editor.widget.model_id
    text = bundle["text/plain"]
    assert text == (
        "KernelEditor(image='camera', kernel='sobel x', size=3, normalise=False, "
        "operation='correlate2d', scaling='auto')"
    )
    assert text == repr(editor)
    assert not re.search(r"0x[0-9a-f]+|ms\b|model_id", text)
    assert KernelEditor({"camera": image}, kernel="sobel x")._repr_mimebundle_()["text/plain"] == text
    with Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))) as picture:
        assert picture.format == "PNG"
        assert picture.size == (820, 380)


def test_live_state_decodes_to_the_editors_images_and_weights(image):
    other = 1 - image
    editor = KernelEditor({"first": image, "second": other}, kernel="gaussian blur", boundary="reflect")
    editor.set_weight(0, 1, -0.75)
    editor.image_name = "second"
    live = editor._repr_mimebundle_()[LIVE]
    assert live["module"] == "kernel_editor"
    state = json.loads(json.dumps(live["state"]))  # plain JSON, as written into the notebook
    assert list(state["images"]) == ["first", "second"]
    for name, expected in (("first", image), ("second", other)):
        pixels = decode_live_image(state["images"][name])
        np.testing.assert_array_equal(pixels / 255.0, quantised(expected))
    editor_pixels = decode_live_image(state["images"][state["image_name"]])
    np.testing.assert_array_equal(editor_pixels / 255.0, editor.image)
    assert state["weights"] == editor.weights.ravel().tolist() == [1, -0.75, 1, 2, 4, 2, 1, 2, 1]
    assert (state["size"], state["normalise"], state["preset"]) == (3, True, "custom")
    assert (state["operation"], state["boundary"], state["scaling"]) == ("correlate2d", "reflect", "auto")
    assert (state["step"], state["limit"], state["display_size"]) == (0.25, 8.0, 420)
    assert state["boundaries"] == list(PAD_MODES)
    assert set(state["presets"]) == set(kernels.GALLERY)
    assert not any(key.startswith("_") for key in state)
    # the state alone gives the output: the browser's inputs are the editor's
    weights = np.reshape(state["weights"], (state["size"], state["size"]))
    kernel = weights / weights.sum()
    np.testing.assert_allclose(editor.kernel, kernel, rtol=0, atol=1e-15)
    np.testing.assert_allclose(
        editor.output, oracle(editor_pixels / 255.0, kernel, state["operation"], state["boundary"]), rtol=0, atol=ATOL
    )


def test_live_state_follows_the_editor(image):
    editor = KernelEditor(image, kernel="identity")
    editor.size = 5
    editor.set_weight(4, 0, 2.0)
    editor.operation = "convolve2d"
    state = editor._repr_mimebundle_()[LIVE]["state"]
    assert state["size"] == 5 and len(state["weights"]) == 25
    assert state["weights"][20] == 2.0 and state["weights"][12] == 1.0
    assert state["operation"] == "convolve2d" and state["preset"] == "custom"


def test_static_picture_follows_the_state(image):
    editor = KernelEditor(image, kernel="identity")
    first = editor.static_png()
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    editor.set_kernel("edge detect")
    assert editor.static_png() != first
    assert "kernel='edge detect'" in repr(editor)
    editor.set_weight(0, 0, 0.5)
    assert "kernel='custom'" in repr(editor)


def test_mimebundle_include_and_exclude(image):
    editor = KernelEditor(image)
    assert set(editor._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert set(editor._repr_mimebundle_(include=["text/plain", LIVE])) == {"text/plain", LIVE}
    excluded = editor._repr_mimebundle_(exclude=["image/png", LIVE])
    assert set(excluded) == {"text/plain", WIDGET_VIEW}
    assert set(editor._repr_mimebundle_(include=["image/png"], exclude=["image/png"])) == set()


# --- errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("channels", [3, 4])
def test_colour_image_is_refused_with_a_hint(image, channels):
    colour = np.stack([image] * channels, axis=-1)
    with pytest.raises(ValueError, match=rf"colour image of shape \(48, 64, {channels}\).*gray=True"):
        KernelEditor(colour)
    with pytest.raises(ValueError, match=r"image 'photo' looks like a colour image.*image.mean\(axis=-1\)"):
        KernelEditor({"photo": colour})


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"kernel": np.ones((4, 4))}, ValueError, "kernel must be 3x3 or 5x5"),
        ({"kernel": np.ones((3, 5))}, ValueError, "kernel must be 3x3 or 5x5"),
        ({"kernel": np.ones(3)}, ValueError, "kernel must be 3x3 or 5x5"),
        ({"kernel": "blurry"}, ValueError, "kernel must be one of 'identity'"),
        ({"kernel": [["a"] * 3] * 3}, TypeError, "kernel must hold numbers"),
        ({"kernel": np.full((3, 3), 0.3)}, ValueError, "kernel weights must be multiples of step=0.25"),
        ({"kernel": np.full((3, 3), 20.0)}, ValueError, "kernel weights .* within ±8"),
        ({"kernel": [[np.nan, 0, 0], [0, 1, 0], [0, 0, 0]]}, ValueError, "kernel contains NaN"),
        ({"size": 4}, ValueError, r"size must be one of \(3, 5\); got 4"),
        ({"size": 3.0}, ValueError, r"size must be one of \(3, 5\); got 3.0"),
        ({"size": 3, "kernel": np.zeros((5, 5))}, ValueError, "does not fit size=3"),
        ({"normalise": "yes"}, TypeError, "normalise must be True or False"),
        ({"operation": "convolve"}, ValueError, "operation must be one of 'correlate2d', 'convolve2d'"),
        ({"scaling": "log"}, ValueError, "scaling must be one of"),
        ({"boundary": "circular"}, ValueError, "use boundary='wrap'"),
        ({"step": 0}, ValueError, "step must be finite and > 0"),
        ({"step": -0.25}, ValueError, "step must be finite and > 0"),
        ({"step": "0.25"}, TypeError, "step must be a real number"),
        ({"weight_range": (1, 8)}, ValueError, "weight_range must be"),
        ({"weight_range": (-8, 0)}, ValueError, "weight_range must be"),
        ({"weight_range": (-np.inf, 8)}, ValueError, "weight_range must be"),
        ({"weight_range": 8}, ValueError, "weight_range must be"),
        ({"weight_range": (-1, 0, 1)}, ValueError, "weight_range must be"),
        ({"weight_range": ("low", 8)}, TypeError, r"weight_range\[0\] must be a real number"),
        ({"display_size": 8}, ValueError, "display_size must be >= 16"),
        ({"display_size": 360.0}, TypeError, "display_size must be an integer"),
        ({"name": 5}, TypeError, "name must be a str"),
    ],
)
def test_bad_arguments(image, kwargs, error, match):
    with pytest.raises(error, match=match) as caught:
        KernelEditor(image, **kwargs)
    assert str(caught.value).startswith("KernelEditor: ")


@pytest.mark.parametrize(
    ("bad_image", "error", "match"),
    [
        (np.full((4, 4), 255.0), ValueError, "image 'image' must hold brightness in 0..1"),
        (np.full((4, 4), -0.5), ValueError, "image 'image' must hold brightness in 0..1"),
        (np.full((4, 4), 3, dtype=np.int64), TypeError, "image 'image' has integer dtype int64.*divide by 255"),
        (np.array([[0.5, np.nan], [0.1, 0.2]]), ValueError, "image 'image' contains NaN"),
        (np.array([[0.5, np.inf]]), ValueError, "image 'image' contains NaN or infinity"),
        (np.zeros((0, 4)), ValueError, "image 'image' must not be empty"),
        (np.zeros((2, 3, 4, 5)), ValueError, "image 'image' must be 2-D"),
        (np.zeros(5), ValueError, "image 'image' must be 2-D"),
        (np.array([["a"]]), TypeError, "image 'image' must hold numbers"),
        (np.zeros((2, 2), complex), TypeError, "image 'image' must be real"),
        ({}, ValueError, "image must not be an empty dict"),
        ({1: np.zeros((2, 2))}, TypeError, "the image dict's keys must be names"),
        ({"dark": np.full((2, 2), 2.0)}, ValueError, "image 'dark' must hold brightness in 0..1"),
    ],
)
def test_bad_images(bad_image, error, match):
    with pytest.raises(error, match=match):
        KernelEditor(bad_image)


def test_set_weight_outside_the_kernel(image):
    editor = KernelEditor(image)
    for row, column in ((3, 0), (0, 3), (-1, 0), (0, -1)):
        with pytest.raises(IndexError, match=r"set_weight: row and column must be in 0..2"):
            editor.set_weight(row, column, 1.0)
    editor.size = 5
    editor.set_weight(4, 4, 1.0)
    assert editor.kernel[4, 4] == 1.0
    with pytest.raises(IndexError, match=r"row and column must be in 0..4; got \(5, 0\)"):
        editor.set_weight(5, 0, 1.0)
    np.testing.assert_array_equal(editor.weights[2, 2], 1.0)  # nothing else changed


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((1.5, 0, 1.0), TypeError, "row must be an integer"),
        ((0, "1", 1.0), TypeError, "column must be an integer"),
        ((0, 0, np.nan), ValueError, "value must be a finite number"),
        ((0, 0, np.inf), ValueError, "value must be a finite number"),
        ((0, 0, True), TypeError, "value must be a real number"),
        ((0, 0, "1"), TypeError, "value must be a real number"),
    ],
)
def test_set_weight_bad_arguments(image, args, error, match):
    editor = KernelEditor(image, kernel="sharpen")
    with pytest.raises(error, match=match):
        editor.set_weight(*args)
    np.testing.assert_array_equal(editor.kernel, kernels.sharpen())
    assert editor.preset == "sharpen"


def test_operation_and_image_setters_refuse_bad_names(image):
    editor = KernelEditor(image)
    with pytest.raises(ValueError, match="operation must be one of 'correlate2d', 'convolve2d'; got 'convolve'"):
        editor.operation = "convolve"
    with pytest.raises(ValueError, match="image_name must be one of 'image'"):
        editor.image_name = "camera"
    assert editor.operation == "correlate2d" and editor.image_name == "image"


# --- MovingAverageExplorer --------------------------------------------------------------------------------


@pytest.fixture
def noisy() -> tuple[np.ndarray, np.ndarray]:
    positions = np.linspace(0, 4 * np.pi, 200)
    clean = np.sin(positions)
    return clean + np.random.default_rng(3).normal(0, 0.3, positions.size), clean


def test_moving_average_follows_the_slider(noisy):
    signal, clean = noisy
    explorer = MovingAverageExplorer(signal, width=5, clean=clean)
    np.testing.assert_array_equal(explorer.smoothed, convlib.convolve1d(signal, np.full(5, 1 / 5), mode="same"))
    first_picture = explorer.static_png()
    explorer.slider.value = 11
    assert explorer.width == explorer.widget.width == 11
    np.testing.assert_array_equal(explorer.kernel, np.full(11, 1 / 11))
    np.testing.assert_array_equal(explorer.smoothed, convlib.convolve1d(signal, np.full(11, 1 / 11), mode="same"))
    assert explorer.static_png() != first_picture
    assert np.std(explorer.smoothed - clean) < np.std(signal - clean)  # smoothing removes noise
    assert not explorer.smoothed.flags.writeable


def test_moving_average_follows_the_browsers_traits(noisy):
    signal, _ = noisy
    explorer = MovingAverageExplorer(signal, width=5)
    with explorer.widget.hold_sync():  # as a message from the browser sets them
        explorer.widget.width = 8
        explorer.widget.boundary = "wrap"
    assert (explorer.width, explorer.boundary) == (8, "wrap")
    expected = convlib.convolve1d(signal, np.full(8, 1 / 8), mode="same", boundary="wrap")
    np.testing.assert_array_equal(explorer.smoothed, expected)
    assert repr(explorer) == "MovingAverageExplorer(signal=<200 samples>, width=8, mode='same', boundary='wrap')"
    with pytest.raises(traitlets.TraitError, match=r"width must be in 1\.\.51"):
        explorer.widget.width = 52
    with pytest.raises(traitlets.TraitError, match="boundary must be one of"):
        explorer.widget.boundary = "circular"
    assert (explorer.width, explorer.boundary) == (8, "wrap")


def test_moving_average_boundary(noisy):
    signal, _ = noisy
    explorer = MovingAverageExplorer(signal, width=9, boundary="edge")
    expected = convlib.convolve1d(signal, np.full(9, 1 / 9), mode="same", boundary="edge")
    np.testing.assert_array_equal(explorer.smoothed, expected)
    for boundary in PAD_MODES:
        explorer.boundary = boundary
        expected = convlib.convolve1d(signal, np.full(9, 1 / 9), mode="same", boundary=boundary)
        np.testing.assert_array_equal(explorer.smoothed, expected)
    with pytest.raises(ValueError, match="boundary"):
        explorer.boundary = "circular"
    assert explorer.boundary == "wrap"


def test_moving_average_mimebundle(noisy):
    signal, clean = noisy
    explorer = MovingAverageExplorer(signal, width=7, max_width=31, clean=clean)
    bundle = explorer._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/png", WIDGET_VIEW, LIVE}
    assert bundle[WIDGET_VIEW]["model_id"] == explorer.widget.model_id
    expected = "MovingAverageExplorer(signal=<200 samples>, width=7, mode='same', boundary='constant')"
    assert bundle["text/plain"] == expected == repr(explorer)
    with Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))) as picture:
        assert picture.size == (840, 340)
    assert explorer.slider.max == 31 and explorer.slider.min == 1
    live = json.loads(json.dumps(bundle[LIVE]))  # plain JSON, as written into the notebook
    assert live["module"] == "moving_average" and "moving average of width 7" in live["alt"]
    state = live["state"]
    assert (state["width"], state["max_width"], state["boundary"]) == (7, 31, "constant")
    assert state["boundaries"] == list(PAD_MODES)
    # the state alone gives the values: the browser's inputs are exactly the explorer's
    shown = np.frombuffer(base64.b64decode(state["signal"]["base64"]), "<f8")
    np.testing.assert_array_equal(shown, signal)
    np.testing.assert_array_equal(np.frombuffer(base64.b64decode(state["clean"]["base64"]), "<f8"), clean)
    expected_values = convlib.convolve1d(shown, np.full(state["width"], 1 / state["width"]), mode="same")
    np.testing.assert_array_equal(explorer.smoothed, expected_values)
    no_clean = MovingAverageExplorer(signal)._repr_mimebundle_()[LIVE]["state"]
    assert no_clean["clean"] == {"base64": ""} and no_clean["width"] == 5


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((np.zeros((3, 3)),), {}, ValueError, "signal must be 1-D"),
        ((np.zeros(10),), {"width": 0}, ValueError, "width must be >= 1"),
        ((np.zeros(10),), {"width": 2.5}, TypeError, "width must be an integer"),
        ((np.zeros(10),), {"width": 9, "max_width": 5}, ValueError, "max_width=5"),
        ((np.zeros(10),), {"clean": np.zeros(9)}, ValueError, "clean must have shape"),
        ((np.array([1.0, np.inf]),), {}, ValueError, "finite"),
    ],
)
def test_moving_average_bad_arguments(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        MovingAverageExplorer(*args, **kwargs)


def test_moving_average_width_setter_checks(noisy):
    explorer = MovingAverageExplorer(noisy[0], width=3, max_width=10)
    with pytest.raises(ValueError, match="max_width=10"):
        explorer.width = 11

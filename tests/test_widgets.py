"""The live views of convlib.book.widgets, driven without a browser.

Setting a slider (or calling ``set_weight``) must update the kernel and the output exactly as
convlib computes them; the picture sent to the browser must be exactly ``output_uint8()``; and
displaying a view must give a PNG and a deterministic text as well as the widget.
"""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

import convlib
from convlib import kernels
from convlib.book.widgets import ENCODINGS, KernelEditor, MovingAverageExplorer, display_uint8, encode_gray
from convlib.images import to_uint8

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def image() -> np.ndarray:
    """A seeded, non-square test image in [0, 1] (non-square catches transposed axes)."""
    rng = np.random.default_rng(20240601)
    rows, columns = np.mgrid[0:48, 0:64]
    smooth = 0.5 + 0.4 * np.sin(rows / 5.0) * np.cos(columns / 7.0)
    return np.clip(smooth + rng.normal(0, 0.05, smooth.shape), 0, 1)


def oracle(image: np.ndarray, kernel: np.ndarray, operation: str = "correlate2d") -> np.ndarray:
    function = convlib.correlate2d if operation == "correlate2d" else convlib.convolve2d
    return function(image, kernel, mode="same", boundary="symmetric")


def shown_pixels(editor: KernelEditor) -> np.ndarray:
    """Decode the output picture exactly as the browser receives it."""
    value = bytes(editor.output_image_widget.value)
    if value.startswith(b"data:"):
        value = base64.b64decode(value.split(b",", 1)[1])
    with Image.open(io.BytesIO(value)) as picture:
        return np.asarray(picture.convert("L"))


# --- sliders, kernel and output ---------------------------------------------------------------------------


def test_initial_output_is_correlate2d_of_the_preset(image):
    editor = KernelEditor(image, kernel="sobel x")
    np.testing.assert_array_equal(editor.kernel, kernels.sobel_x())
    np.testing.assert_array_equal(editor.output, oracle(image, kernels.sobel_x()))
    assert editor.output.dtype == np.float64
    assert editor.output.shape == image.shape


def test_set_weight_updates_kernel_and_output(image):
    editor = KernelEditor(image, kernel="sobel x")
    editor.set_weight(1, 1, 2.5)
    expected_kernel = kernels.sobel_x()
    expected_kernel[1, 1] = 2.5
    np.testing.assert_array_equal(editor.kernel, expected_kernel)
    np.testing.assert_array_equal(editor.output, oracle(image, expected_kernel))
    assert editor.preset == "custom"


def test_moving_a_slider_is_the_same_as_set_weight(image):
    editor = KernelEditor(image, kernel="identity")
    editor.sliders[0][2].value = -1.5  # what the browser does when the learner drags
    assert editor.kernel[0, 2] == -1.5
    np.testing.assert_array_equal(editor.output, oracle(image, editor.kernel))
    np.testing.assert_array_equal(editor.weights, editor.kernel)


def test_output_is_read_only(image):
    editor = KernelEditor(image)
    with pytest.raises(ValueError, match="read-only"):
        editor.output[0, 0] = 1.0


def test_convolve2d_flips_the_kernel(image):
    editor = KernelEditor(image, kernel="sobel x", operation="convolve2d")
    np.testing.assert_array_equal(editor.output, oracle(image, kernels.sobel_x(), "convolve2d"))
    np.testing.assert_array_equal(editor.output, -oracle(image, kernels.sobel_x()))  # Sobel x flipped is -Sobel x
    editor.operation = "correlate2d"
    np.testing.assert_array_equal(editor.output, oracle(image, kernels.sobel_x()))


@pytest.mark.parametrize("name", list(kernels.GALLERY))
def test_every_preset_gives_the_gallery_kernel(image, name):
    editor = KernelEditor(image, kernel="identity")
    editor.preset = name
    expected = kernels.GALLERY[name]()
    np.testing.assert_allclose(editor.kernel, expected, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(editor.output, oracle(image, editor.kernel))
    assert editor.preset == name
    assert repr(editor).startswith(f"KernelEditor(image='image', kernel={name!r}")


def test_blur_presets_are_whole_weights_normalised(image):
    editor = KernelEditor(image, kernel="gaussian blur")
    np.testing.assert_array_equal(editor.weights, [[1, 2, 1], [2, 4, 2], [1, 2, 1]])
    assert editor.normalise
    np.testing.assert_array_equal(editor.kernel, kernels.binomial_blur())
    editor.preset = "box blur"
    np.testing.assert_array_equal(editor.weights, np.ones((3, 3)))
    np.testing.assert_array_equal(editor.kernel, kernels.box(3))


def test_preset_switch_draws_once(image):
    editor = KernelEditor(image, kernel="identity")
    before = len(editor.update_times_ms)
    editor.preset = "emboss"  # nine sliders change, one picture is made
    assert len(editor.update_times_ms) == before + 1


def test_editing_then_choosing_the_preset_again_restores_it(image):
    editor = KernelEditor(image, kernel="laplacian")
    editor.set_weight(0, 0, 3.0)
    assert editor.preset == "custom"
    editor.preset = "laplacian"
    np.testing.assert_array_equal(editor.kernel, kernels.laplacian())
    assert [[slider.value for slider in row] for row in editor.sliders] == kernels.laplacian().tolist()


def test_normalise_divides_by_the_sum_unless_it_is_zero(image):
    editor = KernelEditor(image, kernel=np.ones((3, 3)), normalise=False)
    np.testing.assert_array_equal(editor.kernel, np.ones((3, 3)))
    np.testing.assert_array_equal(editor.output, oracle(image, np.ones((3, 3))))
    assert editor.output.max() > 1  # nine times as bright: clipped when shown
    editor.normalise = True
    np.testing.assert_array_equal(editor.kernel, np.ones((3, 3)) / 9)
    np.testing.assert_array_equal(editor.output, oracle(image, np.ones((3, 3)) / 9))
    editor.set_kernel("sobel x")  # sums to 0: nothing to divide by
    assert editor.normalise
    np.testing.assert_array_equal(editor.kernel, kernels.sobel_x())
    assert "sum is 0" in editor._readout.value


def test_five_by_five(image):
    editor = KernelEditor(image, kernel="sharpen")
    editor.size = 5
    assert editor.weights.shape == (5, 5)
    np.testing.assert_array_equal(editor.weights[1:4, 1:4], kernels.sharpen())
    assert not editor.weights[0].any() and not editor.weights[:, 4].any()
    np.testing.assert_array_equal(editor.output, oracle(image, kernels.sharpen()))  # zero border: same result
    editor.set_weight(0, 4, 1.25)
    assert editor.kernel.shape == (5, 5) and editor.kernel[0, 4] == 1.25
    np.testing.assert_array_equal(editor.output, oracle(image, editor.kernel))
    assert len([s for row in editor.sliders for s in row]) == 25
    editor.size = 3  # back to the centre 3x3
    np.testing.assert_array_equal(editor.kernel, kernels.sharpen())


def test_five_by_five_array_kernel(image):
    kernel = np.arange(25.0).reshape(5, 5) % 4 - 1.5
    editor = KernelEditor(image, kernel=kernel)
    assert editor.size == 5
    np.testing.assert_array_equal(editor.kernel, kernel)
    np.testing.assert_array_equal(editor.output, oracle(image, kernel))
    editor.operation = "convolve2d"
    np.testing.assert_array_equal(editor.output, oracle(image, kernel, "convolve2d"))


def test_image_chooser(image):
    other = image[::-1].copy()
    editor = KernelEditor({"first": image, "flipped": other}, kernel="sobel y")
    assert editor.image_name == "first"
    editor.image_name = "flipped"
    np.testing.assert_array_equal(editor.image, other)
    np.testing.assert_array_equal(editor.output, oracle(other, kernels.sobel_y()))
    assert "flipped" in repr(editor)
    with pytest.raises(ValueError, match="image_name"):
        editor.image_name = "missing"


def test_images_by_name_use_load_image(image, monkeypatch):
    import convlib.images

    asked = []

    def fake_load_image(name, gray=False):
        asked.append((name, gray))
        return image

    monkeypatch.setattr(convlib.images, "load_image", fake_load_image)
    editor = KernelEditor(["camera", "coins"])
    assert asked == [("camera", True), ("coins", True)]
    assert editor.image_name == "camera"


def test_uint8_image_is_divided_by_255(image):
    pixels = np.round(image * 255).astype(np.uint8)
    editor = KernelEditor(pixels, kernel="box blur")
    np.testing.assert_array_equal(editor.image, pixels / 255.0)


# --- the picture ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("scaling", ["auto", "clip", "rescale", "abs"])
def test_picture_is_to_uint8_of_the_output(image, scaling):
    editor = KernelEditor(image, kernel="sharpen", scaling=scaling)
    for kernel in ("sharpen", "sobel x", "emboss"):
        editor.set_kernel(kernel)
        effective = editor.scaling_in_effect
        if scaling == "auto":
            assert effective == ("abs" if kernels.GALLERY[kernel]().sum() == 0 else "clip")
        np.testing.assert_array_equal(editor.output_uint8(), to_uint8(editor.output, scaling=effective))
        np.testing.assert_array_equal(shown_pixels(editor), editor.output_uint8())


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("data_url", [True, False])
def test_every_encoding_is_lossless(image, encoding, data_url):
    editor = KernelEditor(image, kernel="edge detect", encoding=encoding, data_url=data_url)
    assert editor.output_image_widget.format == "png"  # the first picture is compact: saved notebooks keep it
    np.testing.assert_array_equal(shown_pixels(editor), editor.output_uint8())
    editor.set_weight(0, 0, 0.5)  # a live update: the fast format
    assert editor.output_image_widget.format == ("url" if data_url else encoding.split("-")[0])
    np.testing.assert_array_equal(shown_pixels(editor), editor.output_uint8())


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


# --- the static fallback and the text ---------------------------------------------------------------------


def test_mimebundle_has_widget_png_and_deterministic_text(image):
    editor = KernelEditor({"camera": image}, kernel="sobel x")
    bundle = editor._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/png", WIDGET_VIEW}
    assert bundle[WIDGET_VIEW]["model_id"] == editor.widget.model_id
    text = bundle["text/plain"]
    assert text == (
        "KernelEditor(image='camera', kernel='sobel x', size=3, normalise=False, "
        "operation='correlate2d', scaling='auto')"
    )
    assert not re.search(r"0x[0-9a-f]+|ms\b|model_id", text)
    assert KernelEditor({"camera": image}, kernel="sobel x")._repr_mimebundle_()["text/plain"] == text
    with Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))) as picture:
        assert picture.format == "PNG"
        assert picture.size == (768, 272)


def test_static_picture_follows_the_state(image):
    editor = KernelEditor(image, kernel="identity")
    first = editor.static_png()
    editor.set_kernel("edge detect")
    assert editor.static_png() != first
    assert "kernel='edge detect'" in repr(editor)
    editor.set_weight(0, 0, 0.5)
    assert "kernel='custom'" in repr(editor)


def test_mimebundle_include_and_exclude(image):
    editor = KernelEditor(image)
    assert set(editor._repr_mimebundle_(include=["text/plain"])) == {"text/plain"}
    assert "image/png" not in editor._repr_mimebundle_(exclude=["image/png"])


# --- errors -----------------------------------------------------------------------------------------------


def test_colour_image_is_refused_with_a_hint(image):
    colour = np.stack([image] * 3, axis=-1)
    with pytest.raises(ValueError, match=r"colour image of shape \(48, 64, 3\).*gray=True"):
        KernelEditor(colour)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"kernel": np.ones((4, 4))}, ValueError, "kernel must be 3x3 or 5x5"),
        ({"kernel": np.ones((3, 5))}, ValueError, "kernel must be 3x3 or 5x5"),
        ({"kernel": np.ones(3)}, ValueError, "kernel must be 3x3 or 5x5"),
        ({"kernel": "blurry"}, ValueError, "kernel must be one of 'identity'"),
        ({"kernel": np.full((3, 3), 0.3)}, ValueError, "multiples of step=0.25"),
        ({"kernel": np.full((3, 3), 20.0)}, ValueError, "within ±8"),
        ({"kernel": [[np.nan, 0, 0], [0, 1, 0], [0, 0, 0]]}, ValueError, "NaN"),
        ({"size": 4}, ValueError, "size must be one of"),
        ({"size": 3, "kernel": np.zeros((5, 5))}, ValueError, "does not fit size=3"),
        ({"operation": "convolve"}, ValueError, "operation must be one of"),
        ({"scaling": "log"}, ValueError, "scaling must be one of"),
        ({"boundary": "circular"}, ValueError, "use boundary='wrap'"),
        ({"encoding": "jpeg"}, ValueError, "encoding must be one of"),
        ({"step": 0}, ValueError, "step must be a positive number"),
        ({"weight_range": (1, 8)}, ValueError, "weight_range"),
    ],
)
def test_bad_arguments(image, kwargs, error, match):
    with pytest.raises(error, match=match):
        KernelEditor(image, **kwargs)


@pytest.mark.parametrize(
    ("bad_image", "error", "match"),
    [
        (np.full((4, 4), 255.0), ValueError, "brightness in 0..1"),
        (np.full((4, 4), 3, dtype=np.int64), TypeError, "divide by 255"),
        (np.array([[0.5, np.nan], [0.1, 0.2]]), ValueError, "NaN"),
        (np.zeros((0, 4)), ValueError, "must not be empty"),
        (np.zeros((2, 3, 4, 5)), ValueError, "must be 2-D"),
        (np.array([["a"]]), TypeError, "numbers"),
        ({}, ValueError, "empty dict"),
    ],
)
def test_bad_images(bad_image, error, match):
    with pytest.raises(error, match=match):
        KernelEditor(bad_image)


def test_set_weight_outside_the_kernel(image):
    editor = KernelEditor(image)
    with pytest.raises(IndexError, match=r"row and column must be in 0..2"):
        editor.set_weight(3, 0, 1.0)


def test_changing_the_image_does_not_change_the_editor(image):
    original = image.copy()
    editor = KernelEditor(image, kernel="box blur")
    image[:] = 0
    np.testing.assert_array_equal(editor.image, original)


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
    first_picture = bytes(explorer.widget.children[2].value)
    explorer.slider.value = 11
    assert explorer.width == 11
    np.testing.assert_array_equal(explorer.kernel, np.full(11, 1 / 11))
    np.testing.assert_array_equal(explorer.smoothed, convlib.convolve1d(signal, np.full(11, 1 / 11), mode="same"))
    assert bytes(explorer.widget.children[2].value) != first_picture
    assert np.std(explorer.smoothed - clean) < np.std(signal - clean)  # smoothing removes noise


def test_moving_average_boundary(noisy):
    signal, _ = noisy
    explorer = MovingAverageExplorer(signal, width=9, boundary="edge")
    expected = convlib.convolve1d(signal, np.full(9, 1 / 9), mode="same", boundary="edge")
    np.testing.assert_array_equal(explorer.smoothed, expected)


def test_moving_average_mimebundle(noisy):
    signal, _ = noisy
    explorer = MovingAverageExplorer(signal, width=7, max_width=31)
    bundle = explorer._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "image/png", WIDGET_VIEW}
    expected = "MovingAverageExplorer(signal=<200 samples>, width=7, mode='same', boundary='constant')"
    assert bundle["text/plain"] == expected
    with Image.open(io.BytesIO(base64.b64decode(bundle["image/png"]))) as picture:
        assert picture.size == (640, 240)
    assert explorer.slider.max == 31


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

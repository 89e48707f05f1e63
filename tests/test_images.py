"""The sample images, their manifest and licences, load_image and to_uint8."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

import convlib
from convlib.images import IMAGES_DIR, MANIFEST_PATH, available_images, image_manifest, load_image, to_uint8

NOT_IMAGES = {"README.md", "manifest.json"}
ALLOWED_LICENCES = {"public domain", "CC0", "no known copyright restrictions"}
REQUIRED_FIELDS = (
    "name",
    "file",
    "title",
    "creator",
    "source_package",
    "source_package_version",
    "original_path",
    "licence",
    "licence_statement",
    "licence_statement_where",
    "width",
    "height",
    "mode",
    "format",
    "bytes",
    "sha256",
    "note",
    "teaching_use",
)
MANIFEST = image_manifest()
NAMES = [entry["name"] for entry in MANIFEST]


def entry_for(name: str) -> dict:
    return next(entry for entry in MANIFEST if entry["name"] == name)


# --- the folder and the manifest --------------------------------------------------------------------------


def test_images_dir_is_inside_the_package_and_is_the_repo_folder():
    assert IMAGES_DIR.is_dir()
    assert IMAGES_DIR.parent == Path(convlib.__file__).parent  # found wherever the package is installed
    assert IMAGES_DIR.resolve() == Path(__file__).resolve().parent.parent / "images"  # in the repository: a link
    assert MANIFEST_PATH.parent == IMAGES_DIR


def test_every_file_is_in_the_manifest_and_every_entry_exists():
    on_disk = {p.name for p in IMAGES_DIR.iterdir() if p.is_file() and p.name not in NOT_IMAGES}
    in_manifest = [entry["file"] for entry in MANIFEST]
    assert len(in_manifest) == len(set(in_manifest)), "a file is listed twice"
    assert on_disk == set(in_manifest)


def test_five_or_six_images():
    assert 5 <= len(MANIFEST) <= 6


def test_names_are_the_file_stems_and_unique():
    assert NAMES == available_images()
    assert len(set(NAMES)) == len(NAMES)
    for entry in MANIFEST:
        assert entry["file"].rsplit(".", 1)[0] == entry["name"]


@pytest.mark.parametrize("entry", MANIFEST, ids=NAMES)
def test_manifest_fields_are_filled_in(entry):
    for field in REQUIRED_FIELDS:
        assert field in entry, f"{entry['file']}: missing {field}"
        value = entry[field]
        assert value is not None and value != "", f"{entry['file']}: empty {field}"
    assert entry["source_url"] is None or entry["source_url"].startswith(("http://", "https://"))
    assert isinstance(entry["re_encoded"], bool)
    assert entry["source_package"] in {"scikit-image", "matplotlib"}
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", entry["source_package_version"])
    assert entry["original_path"].endswith(entry["file"])
    assert entry["mode"] in {"L", "RGB"}


@pytest.mark.parametrize("entry", MANIFEST, ids=NAMES)
def test_licence_is_an_allowed_one(entry):
    assert entry["licence"] in ALLOWED_LICENCES
    assert "unknown" not in entry["licence"].lower()


def test_no_image_that_must_not_ship():
    banned = re.compile(r"len+a|rocket|china|flower", re.IGNORECASE)
    for path in IMAGES_DIR.iterdir():
        assert not banned.search(path.name), path.name
    for entry in MANIFEST:
        assert not banned.search(entry["name"] + " " + entry["title"]), entry["name"]


@pytest.mark.parametrize("entry", MANIFEST, ids=NAMES)
def test_file_matches_manifest_bytes_size_and_mode(entry):
    path = IMAGES_DIR / entry["file"]
    data = path.read_bytes()
    assert len(data) == entry["bytes"]
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    assert len(data) <= 300_000
    with Image.open(path) as image:
        assert image.size == (entry["width"], entry["height"])
        assert image.mode == entry["mode"]
        assert image.format == entry["format"]


def test_readme_lists_every_image_with_its_licence():
    readme = (IMAGES_DIR / "README.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip().strip("`"): line for line in readme.splitlines() if line.startswith("| `")}
    assert set(rows) == {entry["file"] for entry in MANIFEST}
    for entry in MANIFEST:
        row = rows[entry["file"]]
        assert row.rstrip(" |").endswith(entry["licence"])
        assert f"{entry['width']} × {entry['height']}" in row
        assert entry["source_package_version"] in row
    for licence in ALLOWED_LICENCES & {entry["licence"] for entry in MANIFEST}:
        assert f"- **{licence}**:" in readme


def test_image_manifest_returns_a_fresh_copy():
    first = image_manifest()
    first[0]["licence"] = "changed"
    first.clear()
    assert image_manifest() == MANIFEST


# --- load_image ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_load_gray(name):
    entry = entry_for(name)
    image = load_image(name, gray=True)
    assert image.dtype == np.float64
    assert image.shape == (entry["height"], entry["width"])
    assert image.min() >= 0.0 and image.max() <= 1.0
    assert image.max() > image.min()  # a real photo, not blank
    np.testing.assert_array_equal(image * 255, np.round(image * 255))  # 8-bit values / 255


@pytest.mark.parametrize("name", NAMES)
def test_load_colour(name):
    entry = entry_for(name)
    image = load_image(name)
    assert image.dtype == np.float64
    assert image.shape == (entry["height"], entry["width"], 3)
    assert image.min() >= 0.0 and image.max() <= 1.0
    if entry["mode"] == "L":  # gray file asked as colour: three equal channels, equal to the gray load
        gray = load_image(name, gray=True)
        for channel in range(3):
            np.testing.assert_array_equal(image[..., channel], gray)
    else:
        assert not np.array_equal(image[..., 0], image[..., 2])


def test_gray_of_a_colour_image_is_itu_r_601_luma():
    colour = load_image("chelsea")
    gray = load_image("chelsea", gray=True)
    luma = colour @ np.array([0.299, 0.587, 0.114])
    np.testing.assert_allclose(gray, luma, atol=1 / 255)


def test_name_with_extension_gives_the_same_image():
    np.testing.assert_array_equal(load_image("coins.png", gray=True), load_image("coins", gray=True))


@pytest.mark.parametrize("bad", ["lena", "camera.jpg", "Camera", "", "images/camera.png"])
def test_unknown_name_lists_the_available_ones(bad):
    with pytest.raises(ValueError, match=r"load_image: name must be one of 'camera', .*got") as info:
        load_image(bad)
    for name in NAMES:
        assert repr(name) in str(info.value)


@pytest.mark.parametrize("bad", [None, 3, Image])
def test_name_must_be_a_string(bad):
    with pytest.raises(TypeError, match=r"load_image: name must be a string"):
        load_image(bad)


# --- to_uint8 -----------------------------------------------------------------------------------------------


def test_clip_exact_values():
    values = np.array([[-1.0, 0.0, 0.2, 0.5], [1 / 255, 254 / 255, 1.0, 3.0]])
    expected = np.array([[0, 0, 51, 128], [1, 254, 255, 255]], dtype=np.uint8)
    result = to_uint8(values, scaling="clip")
    assert result.dtype == np.uint8
    np.testing.assert_array_equal(result, expected)


def test_rescale_exact_values():
    values = np.array([[-3.0, -1.0], [1.0, 5.0]])  # range 8: (v + 3) / 8 * 255
    np.testing.assert_array_equal(to_uint8(values, scaling="rescale"), [[0, 64], [128, 255]])


def test_rescale_constant_gives_zeros():
    for value in (0.0, 0.5, -7.0, 1e300):
        np.testing.assert_array_equal(to_uint8(np.full((3, 4), value), scaling="rescale"), np.zeros((3, 4)))


def test_rescale_range_that_overflows_float64():
    values = np.array([[-1e308, 0.0, 1e308]])
    np.testing.assert_array_equal(to_uint8(values, scaling="rescale"), [[0, 128, 255]])


def test_abs_exact_values():
    values = np.array([[-4.0, -1.0, 0.0], [1.0, 2.0, 3.0]])  # |v| / 4 * 255
    np.testing.assert_array_equal(to_uint8(values, scaling="abs"), [[255, 64, 0], [64, 128, 191]])


def test_abs_all_zero_stays_zero():
    np.testing.assert_array_equal(to_uint8(np.zeros((2, 2)), scaling="abs"), np.zeros((2, 2)))
    np.testing.assert_array_equal(to_uint8(-np.zeros((2, 2)), scaling="abs"), np.zeros((2, 2)))


def test_rounding_is_to_nearest_half_to_even():
    # k / 510 * 255 is exactly k / 2 in float64 for these k
    halves = np.array([[0.0, 1, 2, 3, 4, 5, 7, 510]]) / 510
    np.testing.assert_array_equal(to_uint8(halves, scaling="clip"), [[0, 0, 1, 2, 2, 2, 4, 255]])
    # 254.6 rounds up, 254.4 down: no truncation
    np.testing.assert_array_equal(to_uint8(np.array([[254.6, 254.4]]) / 255, scaling="clip"), [[255, 254]])


def test_colour_array_shape_and_one_range_for_all_channels():
    values = np.zeros((2, 2, 3))
    values[..., 0] = [[0.0, 1.0], [2.0, 4.0]]  # red spans 0..4
    values[..., 1] = 2.0  # green constant
    values[..., 2] = -4.0  # blue constant, the minimum
    rescaled = to_uint8(values, scaling="rescale")  # one min (-4) and max (4) over all channels
    assert rescaled.shape == (2, 2, 3) and rescaled.dtype == np.uint8
    np.testing.assert_array_equal(rescaled[..., 0], [[128, 159], [191, 255]])
    np.testing.assert_array_equal(rescaled[..., 1], np.full((2, 2), 191))
    np.testing.assert_array_equal(rescaled[..., 2], np.zeros((2, 2)))
    absolute = to_uint8(values, scaling="abs")  # |v| / 4
    np.testing.assert_array_equal(absolute[..., 0], [[0, 64], [128, 255]])
    np.testing.assert_array_equal(absolute[..., 2], np.full((2, 2), 255))
    clipped = to_uint8(values / 4, scaling="clip")
    np.testing.assert_array_equal(clipped[..., 0], [[0, 64], [128, 255]])
    np.testing.assert_array_equal(clipped[..., 2], np.zeros((2, 2)))


def test_round_trip_of_a_loaded_image():
    image = load_image("coins")
    with Image.open(IMAGES_DIR / "coins.png") as file:
        original = np.asarray(file.convert("RGB"))
    np.testing.assert_array_equal(to_uint8(image, scaling="clip"), original)


def test_input_is_not_modified_and_lists_are_accepted():
    values = np.array([[-1.0, 2.0]])
    before = values.copy()
    for scaling in ("clip", "rescale", "abs"):
        to_uint8(values, scaling=scaling)
    np.testing.assert_array_equal(values, before)
    np.testing.assert_array_equal(to_uint8([[0.0, 1.0]], scaling="clip"), [[0, 255]])


def test_float32_and_bool_input():
    np.testing.assert_array_equal(to_uint8(np.array([[0.0, 0.5, 1.0]], np.float32), scaling="clip"), [[0, 128, 255]])
    mask = np.array([[False, True]])
    for scaling in ("clip", "rescale", "abs"):
        np.testing.assert_array_equal(to_uint8(mask, scaling=scaling), [[0, 255]])


def test_integers_are_taken_by_value_with_rescale_and_abs():
    np.testing.assert_array_equal(to_uint8(np.array([[0, 255]], np.uint8), scaling="rescale"), [[0, 255]])
    np.testing.assert_array_equal(to_uint8(np.array([[10, 12, 14]]), scaling="rescale"), [[0, 128, 255]])
    extreme = np.array([[np.iinfo(np.int64).min, 0]])  # np.abs on int64 would wrap; on float it does not
    np.testing.assert_array_equal(to_uint8(extreme, scaling="abs"), [[255, 0]])


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.int64])
def test_integers_with_clip_are_refused(dtype):
    with pytest.raises(TypeError, match=r"to_uint8: array has integer dtype .*Divide by 255"):
        to_uint8(np.array([[0, 255]], dtype=dtype), scaling="clip")


@pytest.mark.parametrize("bad", ["Clip", "minmax", "", None, 1])
def test_unknown_scaling(bad):
    with pytest.raises(ValueError, match=r"to_uint8: scaling must be one of 'clip', 'rescale', 'abs'; got"):
        to_uint8(np.zeros((2, 2)), scaling=bad)


def test_scaling_is_required_and_keyword_only():
    with pytest.raises(TypeError, match="scaling"):
        to_uint8(np.zeros((2, 2)))
    with pytest.raises(TypeError):
        to_uint8(np.zeros((2, 2)), "clip")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("scaling", ["clip", "rescale", "abs"])
def test_nan_and_inf_are_refused(bad, scaling):
    values = np.zeros((2, 2))
    values[1, 0] = bad
    with pytest.raises(ValueError, match=r"to_uint8: array contains NaN or infinity"):
        to_uint8(values, scaling=scaling)


@pytest.mark.parametrize("bad", [[["a", "b"]], np.array([[object()]]), np.array([["2024-01-01"]], "datetime64[D]")])
def test_non_numeric_is_refused(bad):
    with pytest.raises(TypeError, match=r"array must hold numbers"):
        to_uint8(bad, scaling="rescale")


def test_complex_is_refused():
    with pytest.raises(TypeError, match=r"to_uint8: array must be real; got complex"):
        to_uint8(np.zeros((2, 2), complex), scaling="abs")


@pytest.mark.parametrize("shape", [(5,), (2, 2, 4), (2, 2, 1), (1, 2, 2, 3), ()])
def test_wrong_shape_is_refused(shape):
    with pytest.raises(ValueError, match=r"to_uint8: array must have shape \(H, W\) or \(H, W, 3\); got shape"):
        to_uint8(np.zeros(shape), scaling="rescale")


def test_empty_is_refused():
    with pytest.raises(ValueError, match=r"to_uint8: array must not be empty"):
        to_uint8(np.zeros((0, 3)), scaling="rescale")


@settings(max_examples=60, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6),
        elements=st.floats(-1e300, 1e300, allow_nan=False),
    )
)
def test_properties(values):
    for scaling in ("clip", "rescale", "abs"):
        result = to_uint8(values, scaling=scaling)
        assert result.dtype == np.uint8 and result.shape == values.shape
    rescaled = to_uint8(values, scaling="rescale")
    if values.max() > values.min():
        assert rescaled[values == values.min()].max() == 0
        assert rescaled[values == values.max()].min() == 255
        # order is kept
        order = np.argsort(values, axis=None, kind="stable")
        assert np.all(np.diff(rescaled.ravel()[order].astype(int)) >= 0)
    absolute = to_uint8(values, scaling="abs")
    if np.abs(values).max() > 0:
        assert absolute.max() == 255
    assert absolute[values == 0].sum() == 0

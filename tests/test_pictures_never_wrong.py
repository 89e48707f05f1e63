"""Picture helpers never silently turn bad input into a picture.

Before these checks, ``display_uint8`` and ``scale_to_uint8`` drew NaN and infinity as some gray level
(``"rescale"`` and ``"abs"``: an all-black picture; ``"clip"``: NaN black, inf white), and complex input
lost its imaginary part with only a ``ComplexWarning``; ``encode_gray(..., "png-stored")`` of an empty
image returned a PNG no reader opens, and the other encodings raised Pillow's bare "cannot write empty image".
"""

from __future__ import annotations

import io
import re
import warnings

import numpy as np
import pytest
from PIL import Image

from convlib.book.widgets import ENCODINGS, display_uint8, encode_gray
from convlib.images import scale_to_uint8, to_uint8

SCALINGS = ("clip", "rescale", "abs")

# (function name, the argument's name, call(values, scaling))
HELPERS = [
    ("to_uint8", "array", lambda values, scaling: to_uint8(values, scaling=scaling)),
    ("scale_to_uint8", "values", scale_to_uint8),
    ("display_uint8", "values", display_uint8),
]
HELPER_IDS = [name for name, _, _ in HELPERS]


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    """A helper that only warns (numpy's ComplexWarning or RuntimeWarning) and draws anyway fails here."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize(("function", "name", "call"), HELPERS, ids=HELPER_IDS)
@pytest.mark.parametrize("scaling", SCALINGS)
@pytest.mark.parametrize(
    ("bad", "nan", "infinite"),
    [
        ([np.nan], 1, 0),
        ([np.inf], 0, 1),
        ([-np.inf], 0, 1),
        ([np.nan, np.inf, -np.inf], 1, 2),
    ],
    ids=["nan", "inf", "-inf", "all three"],
)
def test_non_finite_is_a_value_error_that_counts_and_advises(function, name, call, scaling, bad, nan, infinite):
    values = np.linspace(0.0, 1.0, 12).reshape(3, 4)
    values.flat[: len(bad)] = bad
    with pytest.raises(ValueError) as info:
        call(values, scaling)
    message = str(info.value)
    assert message.startswith(f"{function}: {name} contains NaN or infinity: ")
    assert f"{nan + infinite} of its 12 values ({nan} NaN, {infinite} infinite)" in message
    assert f"np.nan_to_num({name})" in message


@pytest.mark.parametrize(("function", "name", "call"), HELPERS, ids=HELPER_IDS)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_non_finite_is_caught_in_every_float_width(function, name, call, dtype):
    values = np.full((4, 4), 0.5, dtype)
    values[3, 3] = np.nan
    with pytest.raises(ValueError, match=rf"^{function}: {name} contains NaN or infinity: 1 of its 16 values"):
        call(values, "clip")


@pytest.mark.parametrize(("function", "name", "call"), HELPERS, ids=HELPER_IDS)
def test_overflowing_sum_of_finite_values_is_still_drawn(function, name, call):
    """The cheap check sums the values; a sum that overflows to inf must not count as non-finite."""
    values = np.array([[1e308, 1e308], [-1e308, 0.0]])
    assert call(values, "rescale").tolist() == [[255, 255], [0, 128]]


@pytest.mark.parametrize(("function", "name", "call"), HELPERS, ids=HELPER_IDS)
@pytest.mark.parametrize("scaling", SCALINGS)
@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex_is_a_type_error_that_advises(function, name, call, scaling, dtype):
    values = np.full((2, 2), 0.5 + 0.5j, dtype)
    expected = (
        f"{function}: {name} must be real; got complex dtype {np.dtype(dtype)}. "
        f"Take np.abs({name}) or {name}.real first."
    )
    with pytest.raises(TypeError, match=f"^{re.escape(expected)}$"):
        call(values, scaling)


@pytest.mark.parametrize(("function", "name", "call"), HELPERS, ids=HELPER_IDS)
def test_complex_with_zero_imaginary_part_is_still_refused(function, name, call):
    """The dtype decides, not the values: a learner's FFT result must be made real on purpose."""
    with pytest.raises(TypeError, match=f"^{function}: {name} must be real"):
        call(np.ones((2, 2), complex), "clip")


@pytest.mark.parametrize(("function", "name", "call"), HELPERS[1:], ids=HELPER_IDS[1:])
def test_text_is_not_parsed_into_numbers(function, name, call):
    with pytest.raises(TypeError, match=f"^{function}: {name} must hold numbers"):
        call(np.array([["0.5", "1.0"]]), "clip")


@pytest.mark.parametrize("scaling", SCALINGS)
def test_good_input_gives_the_same_bytes_from_every_helper(scaling):
    values = np.random.default_rng(3).normal(0.4, 0.7, (9, 7))
    expected = to_uint8(values, scaling=scaling)
    np.testing.assert_array_equal(scale_to_uint8(values, scaling), expected)
    np.testing.assert_array_equal(display_uint8(values, scaling), expected)


def test_bad_input_is_not_modified():
    values = np.array([[0.5, np.nan], [np.inf, -2.0]])
    before = values.copy()
    for _, _, call in HELPERS:
        with pytest.raises(ValueError):
            call(values, "abs")
    np.testing.assert_array_equal(values, before)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("shape", [(0, 3), (3, 0), (0, 0)])
def test_encode_gray_refuses_an_empty_image_naming_argument_and_shape(encoding, shape):
    expected = f"encode_gray: pixels must have at least 1 row and 1 column; got shape {shape}"
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        encode_gray(np.zeros(shape, np.uint8), encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("shape", [(1, 1), (1, 5), (5, 1)])
def test_encode_gray_smallest_images_are_readable_and_exact(encoding, shape):
    pixels = np.arange(np.prod(shape), dtype=np.uint8).reshape(shape) * 40
    with Image.open(io.BytesIO(encode_gray(pixels, encoding))) as picture:
        np.testing.assert_array_equal(np.asarray(picture.convert("L")), pixels)

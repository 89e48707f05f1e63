"""convlib.pad and the table of border-mode names."""

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal

import convlib
from convlib.padding import LIBRARIES, MODE_NAMES, translate_mode

ROW = np.array([1, 2, 3, 4])
EXPECTED = {  # from ../shared/design/facts.md, padding [1, 2, 3, 4] by 2
    "constant": [0, 0, 1, 2, 3, 4, 0, 0],
    "edge": [1, 1, 1, 2, 3, 4, 4, 4],
    "reflect": [3, 2, 1, 2, 3, 4, 3, 2],
    "symmetric": [2, 1, 1, 2, 3, 4, 4, 3],
    "wrap": [3, 4, 1, 2, 3, 4, 1, 2],
}


@pytest.mark.parametrize("mode", convlib.PAD_MODES)
def test_pad_modes(mode):
    np.testing.assert_array_equal(convlib.pad(ROW, 2, mode), EXPECTED[mode])


def test_pad_fill_value_and_pairs():
    np.testing.assert_array_equal(convlib.pad(ROW, (1, 2), "constant", fill_value=9), [9, 1, 2, 3, 4, 9, 9])
    assert convlib.pad(np.ones((2, 3)), ((1, 0), (0, 2))).shape == (3, 5)


def test_pad_rejects_foreign_names_and_negative_widths():
    with pytest.raises(ValueError, match=r"mode must be one of .*got 'circular'.*use mode='wrap'"):
        convlib.pad(ROW, 1, "circular")
    with pytest.raises(ValueError, match=r"pad_width must be non-negative integers; got -1"):
        convlib.pad(ROW, -1)


def test_table_is_complete_and_convlib_column_is_its_key():
    assert set(MODE_NAMES) == set(convlib.PAD_MODES)
    for concept, names in MODE_NAMES.items():
        assert set(names) == set(LIBRARIES)
        assert names["convlib"] == names["numpy"] == concept


@pytest.mark.parametrize("concept", convlib.PAD_MODES)
def test_scipy_ndimage_names_mean_what_the_table_says(concept):
    # Correlating with [1, 0, 0, 0, 0] (centred on its middle) reads the value two samples to the left,
    # so the first two outputs are ndimage's extension of the row beyond its left end.
    name = MODE_NAMES[concept]["scipy.ndimage"]
    out = scipy.ndimage.correlate1d(ROW.astype(float), [1, 0, 0, 0, 0], mode=name, cval=0.0)
    np.testing.assert_array_equal(out, EXPECTED[concept][0:4])


@pytest.mark.parametrize("concept", ["constant", "symmetric", "wrap"])
def test_scipy_signal_names_mean_what_the_table_says(concept):
    name = MODE_NAMES[concept]["scipy.signal"]
    delta = np.zeros((1, 5))
    delta[0, 0] = 1  # correlating with a delta at the far left reads the value two samples to the left
    out = scipy.signal.correlate2d(ROW[None, :].astype(float), delta, mode="same", boundary=name)
    np.testing.assert_array_equal(out[0], EXPECTED[concept][0:4])


def test_translate_mode():
    assert translate_mode("symmetric", source="numpy", target="scipy.ndimage") == "reflect"
    assert translate_mode("reflect", source="scipy.ndimage", target="numpy") == "symmetric"
    assert translate_mode("mirror", source="scipy.ndimage", target="opencv") == "BORDER_REFLECT_101"
    assert translate_mode("cv2.BORDER_WRAP", source="opencv", target="torch") == "circular"
    assert translate_mode("circular", source="torch", target="convlib") == "wrap"
    assert translate_mode("zeros", source="torch.Conv2d", target="scipy.signal") == "fill"
    assert translate_mode("symmetric", source="numpy", target="torch") is None
    with pytest.raises(ValueError, match=r"name must be a mode of scipy.signal, one of 'fill', 'symm', 'wrap'"):
        translate_mode("edge", source="scipy.signal")
    with pytest.raises(ValueError, match=r"target must be one of .*got 'matlab'"):
        translate_mode("edge", target="matlab")

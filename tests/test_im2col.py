"""im2col / col2im / output_size: against the loop version, against PyTorch's unfold/fold, and the adjoint."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convlib.matrices.im2col import col2im, im2col, im2col_naive, sliding_windows
from convlib.sizes import output_size

SEEDS = range(12)


def random_geometry(seed: int) -> dict:
    """A random batch shape and int-or-pair parameters whose kernel fits; height and width differ."""
    rng = np.random.default_rng(seed)

    def draw(low: int, high: int) -> tuple[int, int] | int:
        if rng.random() < 0.3:  # sometimes a plain int
            return int(rng.integers(low, high))
        return tuple(int(v) for v in rng.integers(low, high, size=2))

    geometry = {"kernel_size": draw(1, 4), "stride": draw(1, 4), "padding": draw(0, 3), "dilation": draw(1, 3)}
    kernel, padding, dilation = (pair(geometry[k]) for k in ("kernel_size", "padding", "dilation"))
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    size = [max(1, s - 2 * p) + int(rng.integers(0, 6)) for s, p in zip(span, padding)]
    return {"shape": (int(rng.integers(1, 3)), int(rng.integers(1, 4)), *size), **geometry}


def pair(value: int | tuple[int, int]) -> tuple[int, int]:
    return value if isinstance(value, tuple) else (value, value)


def params(geometry: dict) -> dict:
    return {k: v for k, v in geometry.items() if k != "shape"}


# Every parameter differs between height and width, so using one axis's value on the other breaks it.
ASYMMETRIC = {"shape": (2, 3, 9, 6), "kernel_size": (2, 3), "stride": (2, 1), "padding": (1, 2), "dilation": (1, 2)}


def swapped(geometry: dict) -> dict:
    """The same geometry with height and width exchanged."""
    flip = lambda v: v[::-1] if isinstance(v, tuple) else v
    out = {k: flip(v) for k, v in geometry.items()}
    out["shape"] = (*geometry["shape"][:2], geometry["shape"][3], geometry["shape"][2])
    return out


def torch_unfold(x: np.ndarray, geometry: dict) -> np.ndarray:
    return F.unfold(torch.from_numpy(x), **params(geometry)).numpy()


@pytest.mark.parametrize("seed", SEEDS)
def test_im2col_matches_naive_and_torch_unfold(seed):
    geometry = random_geometry(seed)
    x = np.random.default_rng(100 + seed).standard_normal(geometry["shape"])
    fast = im2col(x, **params(geometry))
    np.testing.assert_array_equal(fast, im2col_naive(x, **params(geometry)))
    np.testing.assert_array_equal(fast, torch_unfold(x, geometry))


@pytest.mark.parametrize("geometry", [ASYMMETRIC, swapped(ASYMMETRIC)])
def test_im2col_height_and_width_are_not_mixed_up(geometry):
    x = np.random.default_rng(0).standard_normal(geometry["shape"])
    expected = torch_unfold(x, geometry)
    np.testing.assert_array_equal(im2col(x, **params(geometry)), expected)
    np.testing.assert_array_equal(im2col_naive(x, **params(geometry)), expected)


def test_im2col_of_transposed_images_is_a_permutation_of_rows_and_columns():
    geometry = ASYMMETRIC
    x = np.random.default_rng(1).standard_normal(geometry["shape"])
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = (geometry[k] for k in ("kernel_size", "stride", "padding", "dilation"))
    oh, ow = output_size(h, kh, sh, ph, dh), output_size(w, kw, sw, pw, dw)
    cols = im2col(x, **params(geometry)).reshape(n, c, kh, kw, oh, ow)
    cols_t = im2col(x.transpose(0, 1, 3, 2), **params(swapped(geometry))).reshape(n, c, kw, kh, ow, oh)
    np.testing.assert_array_equal(cols_t, cols.transpose(0, 1, 3, 2, 5, 4))


def test_im2col_layout_is_documented_formula():
    x = np.random.default_rng(2).standard_normal((1, 2, 7, 8))
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = (2, 3), (2, 1), (1, 0), (2, 1)
    cols = im2col(x, (kh, kw), (sh, sw), (ph, pw), (dh, dw))
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    ow = output_size(8, kw, sw, pw, dw)
    for c, i, j, oy, ox in [(1, 1, 2, 3, 4), (0, 0, 0, 0, 0), (1, 0, 1, 2, 5)]:
        assert cols[0, (c * kh + i) * kw + j, oy * ow + ox] == padded[0, c, oy * sh + i * dh, ox * sw + j * dw]


@pytest.mark.parametrize("seed", SEEDS)
def test_col2im_matches_torch_fold_and_is_the_adjoint(seed):
    geometry = random_geometry(seed)
    rng = np.random.default_rng(200 + seed)
    x = rng.standard_normal(geometry["shape"])
    cols_shape = im2col(x, **params(geometry)).shape
    cols = rng.standard_normal(cols_shape)
    back = col2im(cols, x.shape, **params(geometry))
    assert back.shape == x.shape
    expected = F.fold(torch.from_numpy(cols), output_size=x.shape[2:], **params(geometry)).numpy()
    np.testing.assert_allclose(back, expected, rtol=1e-12, atol=1e-12)
    # <im2col(x), c> == <x, col2im(c)>
    left = np.vdot(im2col(x, **params(geometry)), cols)
    right = np.vdot(x, back)
    assert left == pytest.approx(right, rel=1e-12, abs=1e-12)


def test_col2im_sums_overlaps():
    x = np.ones((1, 1, 3, 3))
    counts = col2im(im2col(x, 2), x.shape, 2)
    np.testing.assert_array_equal(counts[0, 0], [[1, 2, 1], [2, 4, 2], [1, 2, 1]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_for_floats(dtype):
    x = np.random.default_rng(3).standard_normal((2, 2, 5, 5)).astype(dtype)
    cols = im2col(x, 3, padding=1)
    assert cols.dtype == dtype
    assert col2im(cols, x.shape, 3, padding=1).dtype == dtype


def test_integer_and_bool_input_become_float64():
    x = np.arange(2 * 5 * 5, dtype=np.uint8).reshape(1, 2, 5, 5)
    cols = im2col(x, 2)
    assert cols.dtype == np.float64
    np.testing.assert_array_equal(cols, im2col(x.astype(np.float64), 2))
    assert im2col(x > 10, 2).dtype == np.float64


def test_sliding_windows_is_a_view_without_padding():
    x = np.random.default_rng(4).standard_normal((1, 2, 6, 7))
    windows = sliding_windows(x, (2, 3), stride=(2, 1), dilation=(1, 2))
    assert windows.shape == (1, 2, 3, 3, 2, 3)
    assert np.shares_memory(windows, x)
    assert windows[0, 1, 2, 1, 1, 2] == x[0, 1, 2 * 2 + 1, 1 + 2 * 2]


# ---------------------------------------------------------------------------- output_size


@pytest.mark.parametrize("seed", range(30))
def test_output_size_matches_torch(seed):
    rng = np.random.default_rng(seed)
    k, s, p, d = (int(v) for v in (rng.integers(1, 5), rng.integers(1, 4), rng.integers(0, 3), rng.integers(1, 3)))
    n = max(1, d * (k - 1) + 1 - 2 * p) + int(rng.integers(0, 8))
    out = F.conv1d(torch.zeros(1, 1, n), torch.zeros(1, 1, k), stride=s, padding=p, dilation=d)
    assert output_size(n, k, s, p, d) == out.shape[-1]
    expected = (n + 2 * p - d * (k - 1) - 1) // s + 1
    assert output_size(n, kernel_size=k, stride=s, padding=p, dilation=d) == expected


@pytest.mark.parametrize("n, k", [(10, 3), (10, 4), (3, 3), (2, 5), (1, 1)])
def test_output_size_modes(n, k):
    assert output_size(n, k, mode="full") == n + k - 1
    assert output_size(n, k, mode="same") == n
    if k <= n:
        assert output_size(n, k, mode="valid") == n - k + 1
    else:
        with pytest.raises(ValueError, match="valid"):
            output_size(n, k, mode="valid")


def test_output_size_mode_with_dilation_uses_the_span():
    assert output_size(10, 3, dilation=2, mode="full") == 10 + 5 - 1
    assert output_size(10, 3, dilation=2, mode="valid") == 10 - 5 + 1


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"n": 3, "kernel_size": 5}, ValueError, "larger than the padded input"),
        ({"n": 3, "kernel_size": 3, "dilation": 2}, ValueError, "dilated by 2"),
        ({"n": 5, "kernel_size": 3, "stride": 0}, ValueError, "stride must be >= 1"),
        ({"n": 5, "kernel_size": 3, "padding": -1}, ValueError, "padding must be >= 0"),
        ({"n": 5, "kernel_size": 3, "dilation": 0}, ValueError, "dilation must be >= 1"),
        ({"n": 0, "kernel_size": 1}, ValueError, "n must be >= 1"),
        ({"n": 5, "kernel_size": 2.0}, TypeError, "kernel_size must be an integer"),
        ({"n": 5, "kernel_size": 3, "mode": "circular"}, ValueError, "mode must be one of"),
        ({"n": 5, "kernel_size": 3, "padding": 1, "mode": "same"}, ValueError, "no stride or padding"),
        ({"n": 5, "kernel_size": 3, "stride": 2, "mode": "full"}, ValueError, "no stride or padding"),
    ],
)
def test_output_size_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        output_size(**kwargs)


def test_output_size_kernel_fits_only_thanks_to_padding():
    assert output_size(3, 5, padding=1) == 1


# ---------------------------------------------------------------------------- bad input


def test_three_d_input_says_what_to_do():
    with pytest.raises(ValueError, match=r"\(N, C, H, W\).*3-D.*x\[None\]"):
        im2col(np.zeros((3, 8, 8)), 3)


def test_kernel_too_wide_names_the_width_not_the_height():
    x = np.zeros((1, 1, 10, 3))  # tall and narrow: the height is fine, the width is not
    with pytest.raises(ValueError, match="width") as info:
        im2col(x, (2, 4))
    assert "height" not in str(info.value)
    with pytest.raises(ValueError, match="height") as info:
        im2col(x.transpose(0, 1, 3, 2), (4, 2))
    assert "width" not in str(info.value)
    assert im2col(x, (4, 2)).shape == (1, 8, 7 * 2)  # the same kernel turned round fits


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"stride": 0}, ValueError, "stride must be >= 1"),
        ({"stride": (1, 0)}, ValueError, r"stride\[1\] \(width\) must be >= 1"),
        ({"padding": -1}, ValueError, "padding must be >= 0"),
        ({"dilation": (0, 1)}, ValueError, r"dilation\[0\] \(height\)"),
        ({"stride": (1, 2, 3)}, ValueError, "stride must be an int or a pair"),
        ({"stride": 1.5}, TypeError, "stride must be an integer"),
        ({"padding": "same"}, TypeError, "padding.*not supported"),
    ],
)
def test_bad_parameters(kwargs, error, match):
    with pytest.raises(error, match=match):
        im2col(np.zeros((1, 1, 5, 5)), 2, **kwargs)


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="x must hold numbers"):
        im2col(np.full((1, 1, 3, 3), "a"), 2)


def test_col2im_checks_the_columns_shape():
    with pytest.raises(ValueError, match=r"cols must have shape \(N, C\*KH\*KW, OH\*OW\)"):
        col2im(np.zeros((1, 4, 5)), (1, 1, 3, 3), 2)
    with pytest.raises(ValueError, match="input_shape"):
        col2im(np.zeros((1, 4, 4)), (3, 3), 2)

"""convolve1d / correlate1d / convolve2d / correlate2d against independent oracles (scipy, numpy)."""

import itertools

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal

import convlib

METHODS = ["naive", "direct", "fft", "auto"]
SCIPY_BOUNDARY = {"constant": "fill", "wrap": "wrap", "symmetric": "symm"}
RNG = np.random.default_rng(20261122)


def tolerance(dtype):
    return {"rtol": 1e-4, "atol": 1e-4} if np.dtype(dtype) == np.float32 else {"rtol": 1e-10, "atol": 1e-10}


# ---- 1-D -----------------------------------------------------------------------------------------

SIGNAL_LENGTHS = [1, 2, 5, 8, 13]
KERNEL_LENGTHS = [1, 2, 3, 4, 7, 16]  # odd, even, 1, and longer than some signals


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_1d_equals_scipy_every_length(mode, method):
    for n, k in itertools.product(SIGNAL_LENGTHS, KERNEL_LENGTHS):
        if mode == "valid" and k > n:
            continue
        x, w = RNG.normal(size=n), RNG.normal(size=k)
        got = convlib.convolve1d(x, w, mode=mode, method=method)
        expected = scipy.signal.convolve(x, w, mode=mode, method="direct")
        assert got.shape == expected.shape, (n, k)
        np.testing.assert_allclose(got, expected, **tolerance(np.float64), err_msg=f"n={n} k={k}")
        got = convlib.correlate1d(x, w, mode=mode, method=method)
        expected = scipy.signal.correlate(x, w, mode=mode, method="direct")
        np.testing.assert_allclose(got, expected, **tolerance(np.float64), err_msg=f"n={n} k={k}")


def test_1d_full_equals_numpy_convolve_and_numpy_swaps_arguments():
    x, w = RNG.normal(size=4), RNG.normal(size=9)
    np.testing.assert_allclose(convlib.convolve1d(x, w), np.convolve(x, w))
    # numpy's 'same' swaps the arguments when the kernel is longer: it returns the kernel's length.
    assert np.convolve(x, w, mode="same").shape == (9,)
    assert convlib.convolve1d(x, w, mode="same").shape == (4,)


def test_1d_boundary_extra_equals_padding_then_valid():
    x, w = RNG.normal(size=10), RNG.normal(size=4)
    for boundary in convlib.PAD_MODES:
        padded = np.pad(x, 3, mode=boundary)
        full = convlib.convolve1d(padded, w, mode="valid")
        np.testing.assert_allclose(convlib.convolve1d(x, w, boundary=boundary), full)
        np.testing.assert_allclose(convlib.convolve1d(x, w, mode="same", boundary=boundary), full[1:11])


# ---- 2-D -----------------------------------------------------------------------------------------

IMAGE_SHAPES = [(1, 1), (1, 6), (5, 7), (8, 6)]
KERNEL_SHAPES = [(1, 1), (2, 3), (3, 3), (4, 4), (5, 2), (1, 4), (9, 9)]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("boundary", list(SCIPY_BOUNDARY))
@pytest.mark.parametrize("mode", ["full", "same", "valid"])
def test_2d_equals_scipy_convolve2d(mode, boundary, method):
    for image_shape, kernel_shape in itertools.product(IMAGE_SHAPES, KERNEL_SHAPES):
        if mode == "valid" and any(k > n for n, k in zip(image_shape, kernel_shape)):
            continue
        x, k = RNG.normal(size=image_shape), RNG.normal(size=kernel_shape)
        expected = scipy.signal.convolve2d(x, k, mode, boundary=SCIPY_BOUNDARY[boundary], fillvalue=0.75)
        got = convlib.convolve2d(x, k, mode, boundary, fill_value=0.75, method=method)
        assert got.shape == expected.shape, (image_shape, kernel_shape)
        np.testing.assert_allclose(got, expected, atol=1e-10, err_msg=f"{image_shape} * {kernel_shape}")


@pytest.mark.parametrize("boundary", ["edge", "reflect"])
@pytest.mark.parametrize("mode", ["full", "same"])
def test_2d_edge_and_reflect_equal_numpy_pad_then_valid(mode, boundary):
    for image_shape, kernel_shape in itertools.product([(5, 7), (8, 6)], KERNEL_SHAPES):
        x, k = RNG.normal(size=image_shape), RNG.normal(size=kernel_shape)
        widths = [(s - 1, s - 1) for s in kernel_shape]
        full = scipy.signal.convolve2d(np.pad(x, widths, mode=boundary), k, mode="valid")
        if mode == "same":  # cut 'full' to 'same' exactly as scipy does: start at (K - 1) // 2
            rows, cols = [(s - 1) // 2 for s in kernel_shape]
            full = full[rows : rows + x.shape[0], cols : cols + x.shape[1]]
        for method in METHODS:
            got = convlib.convolve2d(x, k, mode, boundary, method=method)
            np.testing.assert_allclose(got, full, atol=1e-10, err_msg=f"{method} {image_shape} * {kernel_shape}")


def test_correlate2d_is_convolve2d_with_flipped_kernel_in_every_mode():
    x = RNG.normal(size=(9, 8))
    for kernel_shape in KERNEL_SHAPES:
        k = RNG.normal(size=kernel_shape)
        for mode, boundary in itertools.product(["full", "same", "valid"], convlib.PAD_MODES):
            if mode == "valid" and any(k > n for n, k in zip(x.shape, kernel_shape)):
                continue
            got = convlib.correlate2d(x, k, mode, boundary)
            np.testing.assert_allclose(got, convlib.convolve2d(x, k[::-1, ::-1], mode, boundary), atol=1e-12)


def test_correlate2d_matches_scipy_correlate2d_for_odd_kernels_and_scipy_nd_correlate_for_even():
    x = RNG.normal(size=(10, 11))
    odd, even = RNG.normal(size=(3, 5)), RNG.normal(size=(4, 4))
    np.testing.assert_allclose(convlib.correlate2d(x, odd, "same"), scipy.signal.correlate2d(x, odd, "same"))
    np.testing.assert_allclose(convlib.correlate2d(x, even, "same"), scipy.signal.correlate(x, even, "same"))
    # ... and scipy.signal.correlate2d centres an even kernel one sample the other way (documented).
    assert not np.allclose(convlib.correlate2d(x, even, "same"), scipy.signal.correlate2d(x, even, "same"))


def test_same_centring_for_an_even_kernel_with_an_impulse():
    image = np.zeros((8, 8))
    image[3, 3] = 1
    kernel = np.arange(1.0, 17.0).reshape(4, 4)
    out = convlib.convolve2d(image, kernel, "same")
    # 'full' puts kernel[0, 0] at (3, 3); 'same' starts at (K - 1) // 2 = 1, so at (2, 2).
    np.testing.assert_array_equal(out[2:6, 2:6], kernel)
    # scipy.ndimage.convolve puts it one sample further up and left.
    ndimage = scipy.ndimage.convolve(image, kernel, mode="constant")
    np.testing.assert_array_equal(ndimage[1:5, 1:5], kernel)


def test_float32_large_image_methods_agree_with_scipy():
    x = RNG.random((64, 80), dtype=np.float32)
    k = RNG.normal(size=(15, 15)).astype(np.float32)
    expected = scipy.signal.convolve2d(x.astype(np.float64), k.astype(np.float64), "same")
    for method in ["direct", "fft", "auto"]:
        got = convlib.convolve2d(x, k, "same", method=method)
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


def test_auto_picks_fft_for_a_large_kernel_and_direct_for_a_small_one(monkeypatch):
    calls = []
    for module in (convlib.engines.shift_add, convlib.engines.fft):
        original = module.correlate2d_valid
        monkeypatch.setattr(
            module,
            "correlate2d_valid",
            lambda *a, _o=original, _m=module.__name__, **k: calls.append(_m) or _o(*a, **k),
        )
    x = RNG.normal(size=(128, 128))
    convlib.convolve2d(x, RNG.normal(size=(3, 3)), "same")
    convlib.convolve2d(x, RNG.normal(size=(31, 31)), "same")
    convlib.convolve2d(x, np.ones((31, 31)), "same")  # separable: two passes of 31 taps beat the FFT
    assert calls == ["convlib.engines.shift_add", "convlib.engines.fft", "convlib.engines.shift_add"]


# ---- dtype policy ---------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.int64, np.bool_])
def test_integer_and_bool_inputs_give_float64_never_wrapped(dtype):
    image = np.full((4, 4), 200 if dtype != np.bool_ else 1, dtype=dtype)
    kernel = np.full((3, 3), 2 if dtype != np.bool_ else 1, dtype=dtype)
    for method in METHODS:
        out = convlib.convolve2d(image, kernel, "valid", method=method)
        assert out.dtype == np.float64
        expected = 200.0 * 2 * 9 if dtype != np.bool_ else 9.0
        np.testing.assert_allclose(out, expected)  # 3600, where uint8 arithmetic would give 16


def test_uint8_negative_results_stay_negative():
    image = np.array([[0, 0, 250, 250]] * 3, dtype=np.uint8)
    out = convlib.correlate2d(image, np.array([[-1, 1]], dtype=np.int8), "valid")
    np.testing.assert_array_equal(out[0], [0.0, 250.0, 0.0])
    out = convlib.correlate2d(image, np.array([[1, -1]], dtype=np.int8), "valid")
    np.testing.assert_array_equal(out[0], [0.0, -250.0, 0.0])


@pytest.mark.parametrize(
    ("image_dtype", "kernel_dtype", "expected"),
    [
        (np.float32, np.float32, np.float32),
        (np.float32, np.float64, np.float64),
        (np.float64, np.float32, np.float64),
        (np.float32, np.int64, np.float32),
        (np.uint8, np.float32, np.float32),
        (np.int32, np.int32, np.float64),
    ],
)
def test_float_dtype_policy(image_dtype, kernel_dtype, expected):
    image = np.ones((6, 6), dtype=image_dtype)
    kernel = np.ones((3, 3), dtype=kernel_dtype)
    for method in METHODS:
        assert convlib.convolve2d(image, kernel, method=method).dtype == expected
        assert convlib.correlate1d(image[0], kernel[0], method=method).dtype == expected


def test_lists_are_accepted():
    np.testing.assert_allclose(convlib.convolve2d([[1, 2], [3, 4]], [[1]]), [[1, 2], [3, 4]])
    np.testing.assert_allclose(convlib.convolve1d([1, 2, 3], [1, 1]), [1, 3, 5, 3])


# ---- methods hold each other to account -------------------------------------------------------------


def test_naive_direct_and_fft_agree_on_random_cases():
    for _ in range(20):
        shape = tuple(RNG.integers(1, 12, size=2))
        kernel_shape = tuple(RNG.integers(1, 7, size=2))
        x, k = RNG.normal(size=shape), RNG.normal(size=kernel_shape)
        mode = RNG.choice(["full", "same"])
        boundary = RNG.choice(convlib.PAD_MODES)
        results = [convlib.convolve2d(x, k, mode, boundary, method=m) for m in METHODS]
        for other in results[1:]:
            np.testing.assert_allclose(other, results[0], atol=1e-10)


def test_nan_stays_local_in_direct_and_auto():
    x = np.ones((7, 7))
    x[3, 3] = np.nan
    for method in ["naive", "direct", "auto"]:
        out = convlib.convolve2d(x, np.ones((3, 3)), "same", method=method)
        assert np.isnan(out).sum() == 9, method  # only the 3x3 neighbourhood of the NaN
    kernel = np.zeros((3, 3))
    kernel[1, 1] = 1  # skipping zero taps must not hide 0 * NaN = NaN: the same NaNs as scipy
    expected = scipy.signal.convolve2d(x, kernel, "same")
    np.testing.assert_array_equal(np.isnan(convlib.convolve2d(x, kernel, "same", method="direct")), np.isnan(expected))
    inf_image = np.ones((5, 5))
    inf_image[2, 2] = np.inf
    with np.errstate(invalid="ignore"):
        expected = scipy.signal.convolve2d(inf_image, kernel, "same")
    for method in ["naive", "direct"]:
        got = convlib.convolve2d(inf_image, kernel, "same", method=method)
        np.testing.assert_array_equal(got, expected)


def test_separable_kernels_take_two_passes_and_match_scipy(monkeypatch):
    split = []
    engine = convlib.engines.shift_add
    original = engine.correlate_strips
    monkeypatch.setattr(engine, "correlate_strips", lambda im, k, f: split.append(f is not None) or original(im, k, f))
    x = RNG.normal(size=(130, 140))  # large enough for splitting to pay (_blas_strips.SEPARABLE_MIN_PIXELS)
    for kernel in (convlib.kernels.gaussian(15, 2.5), convlib.kernels.box((3, 7)), convlib.kernels.sobel_y()):
        got = convlib.convolve2d(x, kernel, "same", "symmetric", method="direct")
        np.testing.assert_allclose(got, scipy.signal.convolve2d(x, kernel, "same", boundary="symm"), atol=1e-12)
    convlib.convolve2d(x, convlib.kernels.laplacian(), "same", method="direct")  # rank 2: one pass
    convlib.convolve2d(x[:20, :20], convlib.kernels.box(3), "same", method="direct")  # too small to pay
    assert split == [True, True, True, False, False]


@pytest.mark.parametrize("dtype", [np.float16, np.longdouble])
def test_dtypes_blas_lacks_are_computed_too(dtype):
    x = np.arange(12.0).reshape(3, 4).astype(dtype)
    k = np.array([[1.0, 2.0], [3.0, -1.0]], dtype=dtype)
    expected = scipy.signal.convolve2d(x.astype(float), k.astype(float))
    for method in METHODS:
        got = convlib.convolve2d(x, k, method=method)
        assert got.dtype == dtype
        np.testing.assert_allclose(got.astype(float), expected, rtol=1e-3, atol=1e-2)


def test_auto_keeps_large_integers_exact():
    x = np.ones(3000, np.int64)
    x[0] = 2**40
    k = np.ones(300, np.int64)
    got = convlib.convolve1d(x, k)  # the FFT would be chosen for floats of this size
    np.testing.assert_array_equal(got[-5:], [5, 4, 3, 2, 1])
    np.testing.assert_array_equal(got[:3], [2**40, 2**40 + 1, 2**40 + 2])


def test_non_finite_fill_value_is_treated_like_non_finite_data():
    x = np.arange(1.0, 10.0).reshape(3, 3)
    with pytest.raises(ValueError, match=r"fill_value is nan; the FFT would spread it"):
        convlib.convolve2d(x, np.ones((2, 2)), "same", "constant", np.nan, "fft")
    kernel = np.array([[1.0, 0.0], [0.0, 0.0]])
    expected = scipy.signal.convolve2d(x, kernel, "same", fillvalue=np.nan)
    for method in ["auto", "direct", "naive"]:
        got = convlib.convolve2d(x, kernel, "same", "constant", np.nan, method)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))


def test_fft_of_integers_gives_exact_whole_numbers():
    image = RNG.integers(0, 256, size=(64, 64), dtype=np.uint8)
    kernel = RNG.integers(-3, 4, size=(17, 17))
    expected = scipy.signal.convolve2d(image.astype(np.int64), kernel)  # integer arithmetic: exact
    for method in ["fft", "auto"]:
        np.testing.assert_array_equal(convlib.convolve2d(image, kernel, method=method), expected)


# --- choose_method: what "auto" picks, and why ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_shape", "kernel_shape", "mode"),
    [((64, 64), (3, 3), "same"), ((256, 256), (31, 31), "same"), ((300,), (200,), "full"),
     ((40, 500), (1, 90), "valid"), ((200, 200), (15, 15), "full")],
)  # fmt: skip
def test_choose_method_says_what_auto_runs(monkeypatch, image_shape, kernel_shape, mode):
    ran = []
    fft = convlib.engines.fft
    original = fft.correlate2d_valid
    monkeypatch.setattr(fft, "correlate2d_valid", lambda *a, **k: ran.append("fft") or original(*a, **k))
    image, kernel = RNG.normal(size=image_shape), RNG.normal(size=kernel_shape)
    choice = convlib.choose_method(image, kernel, mode)
    function = convlib.convolve1d if len(image_shape) == 1 else convlib.convolve2d
    function(image, kernel, mode, method="auto")
    assert ran == (["fft"] if choice.method == "fft" else [])
    assert choice.method == ("fft" if choice.direct_cost > choice.fft_cost else "direct")


def test_choose_method_picks_each_method_where_it_pays():
    small = convlib.choose_method(np.ones((512, 512)), np.ones((3, 3)), "same")
    large = convlib.choose_method(np.ones((512, 512)), RNG.normal(size=(31, 31)), "same")
    separable = convlib.choose_method(np.ones((512, 512)), convlib.kernels.gaussian(15, 2.5), "same")
    assert (small.method, large.method, separable.method) == ("direct", "fft", "direct")
    assert "two passes" in separable.reason and separable.direct_cost < large.direct_cost


def test_choose_method_never_picks_the_fft_where_it_would_be_wrong():
    big = np.ones((256, 256))
    nan = convlib.choose_method(np.where(np.eye(256) > 0, np.nan, big), np.ones((40, 40)))
    inf_fill = convlib.choose_method(big, np.ones((40, 40)), "same", fill_value=np.inf)
    huge_integers = convlib.choose_method(np.full((256, 256), 2**40, np.int64), np.ones((40, 40), np.int64))
    assert [c.method for c in (nan, inf_fill, huge_integers)] == ["direct"] * 3
    assert "NaN" in nan.reason and "integer" in huge_integers.reason
    assert convlib.choose_method(big, np.ones((40, 40))).method == "fft"  # the same shapes, finite: the FFT


@pytest.mark.parametrize(
    ("image", "kernel", "mode", "error", "match"),
    [(np.ones((2, 2, 2)), np.ones((1, 1, 1)), "full", ValueError, "image must be a 1-D signal or a 2-D image"),
     (np.ones((4, 4)), np.ones(3), "full", ValueError, "kernel must be 2-D"),
     (np.ones((4, 4)), np.ones((3, 3)), "middle", ValueError, "mode must be one of"),
     (np.ones(3), np.ones(5), "valid", ValueError, "mode='valid' needs a kernel no larger"),
     (["a"], [1.0], "full", TypeError, "image must hold numbers")],
)  # fmt: skip
def test_choose_method_checks_its_arguments_as_the_convolutions_do(image, kernel, mode, error, match):
    with pytest.raises(error, match=f"choose_method: {match}"):
        convlib.choose_method(image, kernel, mode)


def test_the_naive_loops_follow_the_dtype_policy():
    pixels, twice = np.full((2, 3), 200, np.uint8), np.full((1, 1), 2, np.uint8)
    assert np.array_equal(convlib.engines.naive.correlate2d_valid(pixels, twice), np.full((2, 3), 400.0))
    assert np.array_equal(convlib.engines.naive.correlate1d_valid(pixels[0], twice[0]), [400.0, 400.0, 400.0])
    assert convlib.engines.naive.correlate2d_valid(pixels.astype(np.float32), twice).dtype == np.float32
    expected = scipy.signal.correlate2d(pixels.astype(float), np.ones((2, 2)), "full")
    np.testing.assert_array_equal(convlib.correlate2d(pixels, np.ones((2, 2), np.uint8), method="naive"), expected)


def test_the_readable_shift_and_add_equals_the_blas_strips():
    image, kernel = RNG.normal(size=(150, 170)), RNG.normal(size=(5, 4))
    readable = convlib.engines.shift_add.correlate2d_valid_readable(image, kernel)
    fast = convlib.engines.shift_add.correlate2d_valid(image, kernel, np.dtype(np.float64))
    np.testing.assert_allclose(readable, fast, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(readable, scipy.signal.correlate2d(image, kernel, "valid"), atol=1e-12)

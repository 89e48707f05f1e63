"""Bad input gets a clear error that names the argument; never a silently wrong result."""

import datetime

import numpy as np
import pytest

import convlib
from convlib import nn
from convlib.validation import as_real_number, check_bool

FUNCTIONS_1D = [convlib.convolve1d, convlib.correlate1d]
FUNCTIONS_2D = [convlib.convolve2d, convlib.correlate2d]


@pytest.mark.parametrize("function", FUNCTIONS_1D)
def test_1d_function_given_2d_data(function):
    with pytest.raises(ValueError, match=r"signal must be 1-D; got 2-D data of shape \(3, 3\)"):
        function(np.ones((3, 3)), [1, 2])
    with pytest.raises(ValueError, match=r"kernel must be 1-D"):
        function([1, 2, 3], np.ones((2, 2)))


@pytest.mark.parametrize("function", FUNCTIONS_2D)
def test_2d_function_given_colour_image_says_filter_each_channel(function):
    with pytest.raises(ValueError, match=r"image must be 2-D; got 3-D .*\(8, 8, 3\).*filter each channel"):
        function(np.ones((8, 8, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"image must be 2-D; got 1-D"):
        function(np.ones(8), np.ones((3, 3)))


@pytest.mark.parametrize("function", FUNCTIONS_1D + FUNCTIONS_2D)
def test_empty_inputs(function):
    two_d = function in FUNCTIONS_2D
    data = np.ones((4, 4)) if two_d else np.ones(4)
    empty = np.ones((0, 3)) if two_d else np.ones(0)
    with pytest.raises(ValueError, match=r"(signal|image) must not be empty"):
        function(empty, data)
    with pytest.raises(ValueError, match=r"kernel must not be empty"):
        function(data, empty)


@pytest.mark.parametrize("function", FUNCTIONS_1D + FUNCTIONS_2D)
def test_unknown_mode_and_method(function):
    data = np.ones((4, 4)) if function in FUNCTIONS_2D else np.ones(4)
    with pytest.raises(ValueError, match=r"mode must be one of 'full', 'same', 'valid'; got 'sam'"):
        function(data, data, mode="sam")
    with pytest.raises(ValueError, match=r"method must be one of .*'fft'.*; got 'fast'"):
        function(data, data, method="fast")


def test_valid_with_kernel_larger_than_input_is_an_error_not_an_empty_array():
    with pytest.raises(ValueError, match=r"mode='valid' needs a kernel no larger than the signal"):
        convlib.convolve1d([1, 2, 3], [1, 1, 1, 1], mode="valid")
    # larger in one dimension only
    with pytest.raises(ValueError, match=r"kernel shape \(2, 6\) for image shape \(5, 5\)"):
        convlib.correlate2d(np.ones((5, 5)), np.ones((2, 6)), mode="valid")


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_fft_refuses_non_finite_input_and_auto_goes_direct(bad):
    x = np.ones((6, 6))
    x[2, 2] = bad
    with pytest.raises(ValueError, match=r"image contains NaN or infinity; the FFT would spread it"):
        convlib.convolve2d(x, np.ones((3, 3)), method="fft")
    with pytest.raises(ValueError, match=r"kernel contains NaN or infinity"):
        convlib.convolve2d(np.ones((6, 6)), np.where(np.eye(3) > 0, bad, 1.0), method="fft")
    with pytest.raises(ValueError, match=r"signal contains NaN or infinity"):
        convlib.convolve1d(x[2], [1, 2], method="fft")
    big = np.ones((64, 64))
    big[10, 10] = bad
    out = convlib.convolve2d(big, np.ones((31, 31)), "same", method="auto")  # auto would pick fft if finite
    assert np.isfinite(out).sum() > 0.5 * out.size


@pytest.mark.parametrize(
    ("foreign", "ours"),
    [
        ("fill", "constant"),
        ("zeros", "constant"),
        ("symm", "symmetric"),
        ("circular", "wrap"),
        ("replicate", "edge"),
        ("nearest", "edge"),
        ("mirror", "reflect"),
        ("reflect101", "reflect"),
        ("BORDER_REFLECT_101", "reflect"),
        ("BORDER_REFLECT", "symmetric"),
        ("grid-wrap", "wrap"),
    ],
)
def test_foreign_boundary_names_say_which_convlib_name_means_the_same(foreign, ours):
    listed = "'constant', 'edge', 'reflect', 'symmetric', 'wrap'"
    pattern = rf"boundary must be one of {listed}.*got '{foreign}'.*boundary='{ours}'"
    with pytest.raises(ValueError, match=pattern):
        convlib.convolve2d(np.ones((4, 4)), np.ones((3, 3)), boundary=foreign)


def test_unknown_boundary_lists_valid_names():
    with pytest.raises(
        ValueError, match=r"must be one of 'constant', 'edge', 'reflect', 'symmetric', 'wrap'.*'bogus'$"
    ):
        convlib.correlate2d(np.ones((4, 4)), np.ones((3, 3)), boundary="bogus")


@pytest.mark.parametrize(
    "bad",
    [
        ["a", "b"],
        np.array([object(), object()]),
        np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"),
        [datetime.timedelta(1), datetime.timedelta(2)],
    ],
)
def test_non_numeric_data_is_a_type_error(bad):
    with pytest.raises(TypeError, match=r"signal must hold numbers"):
        convlib.convolve1d(bad, [1.0])
    with pytest.raises(TypeError, match=r"kernel must hold numbers"):
        convlib.correlate1d([1.0, 2.0], bad)


def test_ragged_list_is_a_type_error():
    with pytest.raises(TypeError, match=r"image must be an array of numbers"):
        convlib.convolve2d([[1, 2], [3]], [[1]])


@pytest.mark.parametrize("bad", [None, "a", [1, 2], 1 + 2j])
def test_fill_value_must_be_a_real_number(bad):
    with pytest.raises(TypeError, match=r"convolve2d: fill_value must be a real number"):
        convlib.convolve2d(np.ones((3, 3)), np.ones((2, 2)), fill_value=bad)


def test_complex_data_is_refused_because_correlation_conventions_differ():
    with pytest.raises(TypeError, match=r"correlate1d: kernel must be real numbers; got complex"):
        convlib.correlate1d([1.0, 2.0], [1j, 2])


def test_colour_hint_only_for_the_image_and_with_its_channel_count():
    with pytest.raises(ValueError, match=r"range\(4\)"):
        convlib.convolve2d(np.ones((8, 8, 4)), np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"kernel must be 2-D; got 3-D data of shape \(3, 3, 3\)\.$"):
        convlib.convolve2d(np.ones((8, 8)), np.ones((3, 3, 3)))
    with pytest.raises(ValueError, match=r"channels-first"):
        convlib.correlate2d(np.ones((3, 8, 8)), np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"For signals use the 1-D functions"):
        convlib.correlate2d(np.ones(8), np.ones((3, 3)))


def test_messages_start_with_the_function():
    with pytest.raises(TypeError, match=r"^convolve1d: signal must hold numbers"):
        convlib.convolve1d(["a"], [1.0])
    with pytest.raises(TypeError, match=r"integers too large for int64"):
        convlib.convolve1d([2**70, 1], [1.0])


def test_a_capitalised_boundary_name_gets_a_hint():
    with pytest.raises(ValueError, match=r"got 'Reflect' \(names are lower case\): use boundary='reflect'"):
        convlib.convolve2d(np.ones((4, 4)), np.ones((3, 3)), boundary="Reflect")


# --- one real number, and flags: the shared checks of convlib.validation ------------------------------------


@pytest.mark.parametrize(
    ("value", "options", "error", "match"),
    [
        (None, {}, TypeError, r"^f: x must be a real number; got None$"),
        (True, {}, TypeError, r"^f: x must be a real number; got True$"),
        (np.bool_(False), {}, TypeError, r"must be a real number"),
        (1 + 2j, {}, TypeError, r"must be a real number; got \(1\+2j\)"),
        ("1", {}, TypeError, r"must be a real number; got '1'"),
        ([1.0], {}, TypeError, r"must be a real number; got \[1\.0\]"),
        ([1.0, 2.0], {"array_like": True}, ValueError, r"^f: x must be a single number; got a list of shape \(2,\)$"),
        (np.ones((2, 2)), {"array_like": True}, ValueError, r"got an array of shape \(2, 2\)"),
        (np.nan, {"finite": True}, ValueError, r"^f: x must be a finite number; got nan$"),
        (np.inf, {"finite": True, "low": 0}, ValueError, r"^f: x must be finite and >= 0; got inf$"),
        (1.0, {"low": 0, "high": 1, "closed_high": False}, ValueError, r"^f: x must be in \[0, 1\); got 1\.0$"),
        (0, {"low": 0, "high": np.inf, "closed_low": False, "closed_high": False}, ValueError, r"in \(0, inf\)"),
        (-1, {"low": 0, "closed_low": False, "note": "(a width)"}, ValueError, r"^f: x must be > 0 \(a width\); got"),
        (np.nan, {"low": 0, "high": 1}, ValueError, r"must be in \[0, 1\]; got nan"),  # a range refuses NaN
        (10**400, {}, ValueError, r"must fit a float"),
    ],
)
def test_as_real_number_names_the_function_and_argument_and_says_what_came(value, options, error, match):
    with pytest.raises(error, match=match):
        as_real_number(value, "x", "f", **options)


def test_as_real_number_accepts_python_and_numpy_numbers_and_0d_arrays():
    for value in (2, 2.0, np.int8(2), np.uint64(2), np.float32(2.0), np.array(2.0), np.array(2)):
        result = as_real_number(value, "x", "f", finite=True, low=2, high=2)
        assert result == 2.0 and type(result) is float
    assert np.isnan(as_real_number(np.nan, "x", "f"))  # NaN and infinity pass unless refused
    assert as_real_number(np.inf, "x", "f", low=0) == np.inf


def test_check_bool_takes_only_true_and_false():
    assert check_bool(True, "flag", "f") is True
    assert check_bool(np.False_, "flag", "f") is False
    for bad in ("False", "yes", "", 0, 1, 1.0, None, [True], np.array([True])):
        with pytest.raises(TypeError, match=r"^f: flag must be True or False; got "):
            check_bool(bad, "flag", "f")
    with pytest.raises(TypeError, match=r"got 'False' of type str$"):
        check_bool("False", "flag", "f")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda flag: convlib.load_image("camera", gray=flag), r"^load_image: gray must be True or False"),
        (
            lambda flag: convlib.convolution_matrix([1, 2], 3, sparse=flag),
            r"^convolution_matrix: sparse must be True or False",
        ),
        (lambda flag: nn.Conv2d(1, 1, 3, rng=np.random.default_rng(0), bias=flag), r"^Conv2d: bias must be True"),
        (lambda flag: nn.Linear(2, 1, rng=np.random.default_rng(0), bias=flag), r"^Linear: bias must be True"),
        (
            lambda flag: convlib.ntm_address(
                np.eye(3), np.ones(3), 1.0, 0.5, [0, 1, 0], 1.0, [1, 0, 0], return_stages=flag
            ),
            r"^ntm_address: return_stages must be True or False",
        ),
    ],
)
def test_bool_parameters_refuse_strings_and_numbers(call, match):
    for bad in ("False", 0, None):
        with pytest.raises(TypeError, match=match):
            call(bad)
    call(np.True_)  # numpy's bool is a bool
    call(False)

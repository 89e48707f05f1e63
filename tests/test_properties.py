"""Algebraic properties of convolution, checked on random inputs with hypothesis."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import convlib

FINITE = st.floats(-10, 10, allow_nan=False, allow_infinity=False, width=64)
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)


def signals(min_size=1, max_size=12):
    return arrays(np.float64, st.integers(min_size, max_size), elements=FINITE)


def images(max_side=7):
    shape = st.tuples(st.integers(1, max_side), st.integers(1, max_side))
    return arrays(np.float64, shape, elements=FINITE)


def close(a, b):
    scale = 1.0 + max(np.abs(a).max(initial=0), np.abs(b).max(initial=0))
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9 * scale)


@PROPERTY_SETTINGS
@given(signals(), signals(), signals(), st.floats(-3, 3), st.floats(-3, 3))
def test_linearity(x, k, y, a, b):
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    close(convlib.convolve1d(a * x + b * y, k), a * convlib.convolve1d(x, k) + b * convlib.convolve1d(y, k))


@PROPERTY_SETTINGS
@given(images(), images())
def test_full_convolution_commutes(x, k):
    close(convlib.convolve2d(x, k), convlib.convolve2d(k, x))


@PROPERTY_SETTINGS
@given(images(5), images(4), images(3))
def test_full_convolution_is_associative(x, f, g):
    close(convlib.convolve2d(convlib.convolve2d(x, f), g), convlib.convolve2d(x, convlib.convolve2d(f, g)))


@PROPERTY_SETTINGS
@given(signals(2), signals(1, 5), st.integers(1, 4))
def test_shift_equivariance(x, k, shift):
    shifted = np.concatenate([np.zeros(shift), x])  # delay the input by `shift` samples ...
    out = convlib.convolve1d(shifted, k)
    close(out[shift:], convlib.convolve1d(x, k))  # ... and the output is delayed by the same amount
    close(out[:shift], np.zeros(shift))


@PROPERTY_SETTINGS
@given(images())
def test_delta_kernel_returns_the_input(x):
    delta = np.zeros((3, 3))
    delta[1, 1] = 1.0
    for boundary in convlib.PAD_MODES:
        close(convlib.convolve2d(x, delta, "same", boundary), x)
        close(convlib.correlate2d(x, delta, "same", boundary), x)


@PROPERTY_SETTINGS
@given(signals())
def test_convolving_a_delta_gives_the_kernel_the_impulse_response(k):
    close(convlib.convolve1d([1.0], k), k)


@PROPERTY_SETTINGS
@given(images(), images(), st.sampled_from(["full", "same", "valid"]), st.sampled_from(convlib.PAD_MODES))
def test_correlation_is_convolution_with_the_flipped_kernel(x, k, mode, boundary):
    if mode == "valid" and (k.shape[0] > x.shape[0] or k.shape[1] > x.shape[1]):
        return
    close(convlib.correlate2d(x, k, mode, boundary), convlib.convolve2d(x, k[::-1, ::-1], mode, boundary))


@PROPERTY_SETTINGS
@given(images(), images(), st.sampled_from(["full", "same"]), st.sampled_from(convlib.PAD_MODES))
def test_fft_method_equals_direct_method(x, k, mode, boundary):
    close(
        convlib.convolve2d(x, k, mode, boundary, method="fft"),
        convlib.convolve2d(x, k, mode, boundary, method="direct"),
    )

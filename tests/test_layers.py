"""Batched conv2d, conv_transpose2d and pooling, and their backward passes, against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convlib.nn.functional import (
    avg_pool2d,
    avg_pool2d_backward,
    conv2d,
    conv2d_backward,
    conv_transpose2d,
    max_pool2d,
    max_pool2d_backward,
)
from convlib.nn.gradcheck import gradient_check, numerical_gradient, relative_error
from convlib.sizes import output_size

SEEDS = range(10)
TOLERANCE = {np.float32: {"rtol": 1e-5, "atol": 1e-5}, np.float64: {"rtol": 1e-10, "atol": 1e-10}}


def pair(value):
    return value if isinstance(value, tuple) else (value, value)


def random_conv(seed: int, dtype=np.float64) -> dict:
    """Random x, weight, bias and int-or-pair stride/padding/dilation whose kernel fits."""
    rng = np.random.default_rng(seed)

    def draw(low, high):
        if rng.random() < 0.3:
            return int(rng.integers(low, high))
        return tuple(int(v) for v in rng.integers(low, high, size=2))

    stride, padding, dilation = draw(1, 4), draw(0, 3), draw(1, 3)
    c_in, c_out = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    kernel = tuple(int(k) for k in rng.integers(1, 5, size=2))
    span = [d * (k - 1) + 1 for k, d in zip(kernel, pair(dilation))]
    size = [max(1, s - 2 * p) + int(rng.integers(0, 7)) for s, p in zip(span, pair(padding))]
    return {
        "x": rng.standard_normal((int(rng.integers(1, 4)), c_in, *size)).astype(dtype),
        "weight": rng.standard_normal((c_out, c_in, *kernel)).astype(dtype),
        "bias": rng.standard_normal(c_out).astype(dtype),
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
    }


def t(array: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(array, requires_grad=grad)


def geometry(case: dict) -> dict:
    return {k: case[k] for k in ("stride", "padding", "dilation")}


# ---------------------------------------------------------------------------- forward


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", SEEDS)
def test_conv2d_matches_torch(seed, dtype):
    case = random_conv(seed, dtype)
    out = conv2d(case["x"], case["weight"], case["bias"], **geometry(case))
    expected = F.conv2d(t(case["x"]), t(case["weight"]), t(case["bias"]), **geometry(case)).numpy()
    assert out.dtype == dtype
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, **TOLERANCE[dtype])
    no_bias = conv2d(case["x"], case["weight"], **geometry(case))
    np.testing.assert_allclose(no_bias, F.conv2d(t(case["x"]), t(case["weight"]), **geometry(case)).numpy(),
                               **TOLERANCE[dtype])  # fmt: skip


def test_conv2d_asymmetric_parameters_match_torch():
    rng = np.random.default_rng(0)
    x, weight = rng.standard_normal((2, 3, 11, 8)), rng.standard_normal((4, 3, 2, 3))
    for kwargs in [
        {"stride": (3, 1), "padding": (0, 2), "dilation": (2, 1)},
        {"stride": (1, 3), "padding": (2, 0), "dilation": (1, 2)},
    ]:
        expected = F.conv2d(t(x), t(weight), **kwargs).numpy()
        np.testing.assert_allclose(conv2d(x, weight, **kwargs), expected, rtol=1e-10, atol=1e-10)


def test_conv2d_is_cross_correlation_not_convolution():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0
    weight = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    # An impulse reads out the kernel flipped: out[y, x] = w[1 - y + 1, 1 - x + 1].
    np.testing.assert_array_equal(conv2d(x, weight, padding=1)[0, 0], weight[0, 0, ::-1, ::-1])


def test_conv2d_dtype_policy():
    x32 = np.ones((1, 1, 4, 4), np.float32)
    assert conv2d(x32, np.ones((1, 1, 2, 2), np.float32)).dtype == np.float32
    assert conv2d(x32, np.ones((1, 1, 2, 2), np.float64)).dtype == np.float64
    assert conv2d(x32, np.ones((1, 1, 2, 2), np.int64)).dtype == np.float32
    assert conv2d(x32, np.ones((1, 1, 2, 2), np.float32), bias=np.zeros(1)).dtype == np.float64
    ints = conv2d(np.full((1, 1, 2, 2), 200, np.uint8), np.full((1, 1, 2, 2), 2, np.uint8))
    assert ints.dtype == np.float64 and ints[0, 0, 0, 0] == 1600.0  # not wrapped round at 256
    assert conv2d([[[[1, 2], [3, 4]]]], [[[[1]]]]).tolist() == [[[[1.0, 2.0], [3.0, 4.0]]]]  # lists work


def transpose_case(seed: int, dtype=np.float64) -> dict:
    rng = np.random.default_rng(1000 + seed)
    stride = tuple(int(v) for v in rng.integers(1, 4, size=2))
    dilation = tuple(int(v) for v in rng.integers(1, 3, size=2))
    kernel = tuple(int(v) for v in rng.integers(1, 4, size=2))
    size = tuple(int(v) for v in rng.integers(1, 6, size=2))
    # torch: output_padding < stride or < dilation; padding small enough for a positive output size
    extra = tuple(int(rng.integers(0, max(s, d))) for s, d in zip(stride, dilation))
    padding = tuple(
        int(rng.integers(0, 1 + ((n - 1) * s + d * (k - 1) + e) // 2))
        for n, s, d, k, e in zip(size, stride, dilation, kernel, extra)
    )
    c_in, c_out = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    return {
        "x": rng.standard_normal((int(rng.integers(1, 3)), c_in, *size)).astype(dtype),
        "weight": rng.standard_normal((c_in, c_out, *kernel)).astype(dtype),
        "bias": rng.standard_normal(c_out).astype(dtype),
        "stride": stride,
        "padding": padding,
        "output_padding": extra,
        "dilation": dilation,
    }


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", SEEDS)
def test_conv_transpose2d_matches_torch(seed, dtype):
    case = transpose_case(seed, dtype)
    kwargs = {k: case[k] for k in ("stride", "padding", "output_padding", "dilation")}
    out = conv_transpose2d(case["x"], case["weight"], case["bias"], **kwargs)
    expected = F.conv_transpose2d(t(case["x"]), t(case["weight"]), t(case["bias"]), **kwargs).numpy()
    assert out.dtype == dtype
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, **TOLERANCE[dtype])


def test_conv_transpose2d_contract_signature_positional():
    rng = np.random.default_rng(5)
    x, weight, bias = rng.standard_normal((1, 2, 3, 4)), rng.standard_normal((2, 3, 3, 2)), rng.standard_normal(3)
    expected = F.conv_transpose2d(t(x), t(weight), t(bias), (2, 1), (1, 0)).numpy()
    np.testing.assert_allclose(conv_transpose2d(x, weight, bias, (2, 1), (1, 0)), expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_conv_transpose2d_is_the_adjoint_of_conv2d(seed):
    case = random_conv(seed)
    x, weight = case["x"], case["weight"]
    out = conv2d(x, weight, **geometry(case))
    y = np.random.default_rng(seed).standard_normal(out.shape)
    # output_padding recovers the rows/columns a strided conv2d never reached
    extra = tuple(
        (n + 2 * p - d * (k - 1) - 1) % s
        for n, k, s, p, d in zip(x.shape[2:], weight.shape[2:], *(pair(case[k]) for k in geometry(case)))
    )
    back = conv_transpose2d(y, weight, **geometry(case), output_padding=extra)
    assert back.shape == x.shape
    assert np.vdot(out, y) == pytest.approx(np.vdot(x, back), rel=1e-10, abs=1e-10)


def pool_case(seed: int, dtype=np.float64) -> tuple[np.ndarray, object, object]:
    rng = np.random.default_rng(2000 + seed)
    kernel = tuple(int(v) for v in rng.integers(1, 4, size=2))
    stride = [None, tuple(int(v) for v in rng.integers(1, 4, size=2)), int(rng.integers(1, 3))][seed % 3]
    size = [k + int(rng.integers(0, 6)) for k in kernel]
    x = rng.standard_normal((int(rng.integers(1, 3)), int(rng.integers(1, 4)), *size)).astype(dtype)
    return x, (kernel if seed % 2 else kernel[0]), stride


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", SEEDS)
def test_pooling_matches_torch(seed, dtype):
    x, kernel, stride = pool_case(seed, dtype)
    for ours, theirs in [(max_pool2d, F.max_pool2d), (avg_pool2d, F.avg_pool2d)]:
        out = ours(x, kernel, stride)
        expected = theirs(t(x), kernel, stride).numpy()
        assert out.dtype == dtype
        assert out.shape == expected.shape
        np.testing.assert_allclose(out, expected, **TOLERANCE[dtype])


def test_pooling_stride_defaults_to_kernel_and_drops_partial_windows():
    x = np.arange(5 * 7, dtype=np.float64).reshape(1, 1, 5, 7)
    assert max_pool2d(x, 2).shape == (1, 1, 2, 3)
    np.testing.assert_array_equal(max_pool2d(x, (2, 3))[0, 0], [[9, 12], [23, 26]])
    np.testing.assert_array_equal(avg_pool2d(x, 2, stride=(3, 1)).shape, (1, 1, 2, 6))


def test_max_pool_propagates_nan():
    x = np.zeros((1, 1, 2, 4))
    x[0, 0, 1, 0] = np.nan
    out = max_pool2d(x, 2)
    assert np.isnan(out[0, 0, 0, 0]) and out[0, 0, 0, 1] == 0


# ---------------------------------------------------------------------------- backward vs autograd


@pytest.mark.parametrize("seed", SEEDS)
def test_conv2d_backward_matches_torch_autograd(seed):
    case = random_conv(seed)
    x, weight, bias = t(case["x"], True), t(case["weight"], True), t(case["bias"], True)
    out = F.conv2d(x, weight, bias, **geometry(case))
    grad_out = np.random.default_rng(seed).standard_normal(tuple(out.shape))
    out.backward(t(grad_out))
    grad_x, grad_weight, grad_bias = conv2d_backward(grad_out, case["x"], case["weight"], **geometry(case))
    for ours, theirs in [(grad_x, x.grad), (grad_weight, weight.grad), (grad_bias, bias.grad)]:
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_allclose(ours, theirs.numpy(), rtol=1e-10, atol=1e-10)


def test_conv2d_backward_keeps_float32():
    case = random_conv(3, np.float32)
    out = conv2d(case["x"], case["weight"], **geometry(case))
    grads = conv2d_backward(np.ones_like(out), case["x"], case["weight"], **geometry(case))
    assert [g.dtype for g in grads] == [np.float32] * 3


@pytest.mark.parametrize("seed", SEEDS)
def test_pooling_backward_matches_torch_autograd(seed):
    x, kernel, stride = pool_case(seed)  # continuous random values: no ties
    for forward, backward in [(F.max_pool2d, max_pool2d_backward), (F.avg_pool2d, avg_pool2d_backward)]:
        xt = t(x, True)
        out = forward(xt, kernel, stride)
        grad_out = np.random.default_rng(seed).standard_normal(tuple(out.shape))
        out.backward(t(grad_out))
        np.testing.assert_allclose(backward(grad_out, x, kernel, stride), xt.grad.numpy(), rtol=1e-10, atol=1e-10)


def test_max_pool_backward_overlapping_windows_sum():
    x = np.array([[[[0.0, 1.0, 0.0], [0.0, 9.0, 0.0], [0.0, 0.0, 0.0]]]])
    grad = max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2, stride=1)
    np.testing.assert_array_equal(grad[0, 0], [[0, 0, 0], [0, 4, 0], [0, 0, 0]])  # max of all four windows


def test_max_pool_backward_ties_go_to_the_first_in_row_major_order():
    x = np.ones((1, 1, 4, 4))
    x[0, 0, 3, 2] = x[0, 0, 2, 3] = 5.0  # a tie inside the bottom-right window
    grad = max_pool2d_backward(np.full((1, 1, 2, 2), 7.0), x, 2)
    expected = np.zeros((4, 4))
    expected[0, 0] = expected[0, 2] = expected[2, 0] = expected[2, 3] = 7.0
    np.testing.assert_array_equal(grad[0, 0], expected)
    xt = t(x, True)  # PyTorch's CPU kernel makes the same choice
    F.max_pool2d(xt, 2).backward(torch.full((1, 1, 2, 2), 7.0, dtype=torch.float64))
    np.testing.assert_array_equal(grad, xt.grad.numpy())


# ---------------------------------------------------------------------------- backward vs numerical gradient


@pytest.mark.parametrize("seed", range(4))
def test_conv2d_backward_passes_gradient_check(seed):
    case = random_conv(seed)
    x, weight, bias = case["x"], case["weight"], case["bias"]
    probe = np.random.default_rng(seed).standard_normal(conv2d(x, weight, **geometry(case)).shape)
    forward = lambda x_, w_, b_: conv2d(x_, w_, b_, **geometry(case))
    loss = lambda x_, w_, b_: np.sum(0.5 * forward(x_, w_, b_) ** 2 + probe * forward(x_, w_, b_))
    upstream = lambda x_, w_, b_: forward(x_, w_, b_) + probe  # d loss / d out
    grads = lambda x_, w_, b_: conv2d_backward(upstream(x_, w_, b_), x_, w_, **geometry(case))
    assert gradient_check(lambda v: loss(v, weight, bias), lambda v: grads(v, weight, bias)[0], x) < 1e-6
    assert gradient_check(lambda v: loss(x, v, bias), lambda v: grads(x, v, bias)[1], weight) < 1e-6
    assert gradient_check(lambda v: loss(x, weight, v), lambda v: grads(x, weight, v)[2], bias) < 1e-6


@pytest.mark.parametrize("forward, backward", [(max_pool2d, max_pool2d_backward), (avg_pool2d, avg_pool2d_backward)])
@pytest.mark.parametrize("seed", range(4))
def test_pooling_backward_passes_gradient_check(seed, forward, backward):
    x, kernel, stride = pool_case(seed)
    probe = np.random.default_rng(seed).standard_normal(forward(x, kernel, stride).shape)
    error = gradient_check(
        lambda v: np.sum(probe * forward(v, kernel, stride)),
        lambda v: backward(probe, v, kernel, stride),
        x,
    )
    assert error < 1e-6


def test_gradient_check_catches_a_wrong_gradient():
    case = random_conv(1)
    x, weight = case["x"], case["weight"]
    probe = np.random.default_rng(1).standard_normal(conv2d(x, weight, **geometry(case)).shape)
    loss = lambda v: np.sum(probe * conv2d(v, weight, **geometry(case)))
    flipped = weight[:, :, ::-1, ::-1]  # the classic mistake: a flipped kernel in the backward pass
    wrong = lambda v: conv2d_backward(probe, v, flipped, **geometry(case))[0]
    right = lambda v: conv2d_backward(probe, v, weight, **geometry(case))[0]
    assert gradient_check(loss, right, x) < 1e-6
    assert gradient_check(loss, wrong, x) > 1e-2


def test_numerical_gradient_and_relative_error():
    x = np.array([[0.5, -1.0], [2.0, 0.0]], dtype=np.float32)
    grad = numerical_gradient(lambda v: np.sum(v**3), x)
    assert grad.dtype == np.float64 and grad.shape == x.shape
    np.testing.assert_allclose(grad, 3 * x.astype(np.float64) ** 2, atol=1e-8)
    assert x[0, 0] == np.float32(0.5)  # untouched
    assert relative_error([1.0, -2.0], [1.0, -2.0]) == 0.0
    assert relative_error([0.0, 2.0], [0.0, 1.0]) == pytest.approx(0.5)
    assert relative_error([0.0], [0.0]) == 0.0


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: numerical_gradient(lambda v: v, np.ones(3)), ValueError, r"f\(x\) must be a single number"),
        (lambda: numerical_gradient(np.sum, np.ones(3), eps=0), ValueError, "eps must be finite and > 0"),
        (lambda: numerical_gradient(np.sum, np.ones(3), eps="1"), TypeError, "eps"),
        (lambda: numerical_gradient(np.sum, ["a"]), TypeError, "x must hold numbers"),
        (lambda: numerical_gradient(np.sum, np.ones(2, complex)), TypeError, "x must be real"),
        (lambda: gradient_check(np.sum, lambda v: np.ones(2), np.ones(3)), ValueError, "grad_f"),
        (lambda: relative_error(np.ones(2), np.ones(3)), ValueError, "shape"),
    ],
)
def test_gradient_check_errors(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------------------- bad input


X = np.zeros((2, 3, 6, 5))
W = np.zeros((4, 3, 3, 3))


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: conv2d(X[0], W), ValueError, r"x must be 4-D \(N, C, H, W\).*x\[None\]"),
        (lambda: conv2d(X[0, 0], W), ValueError, r"x\[None, None\]"),
        (lambda: conv2d(X, W[0]), ValueError, r"weight must be 4-D \(C_out, C_in, KH, KW\)"),
        (lambda: conv2d(X, np.zeros((4, 2, 3, 3))), ValueError, "x has 3 channels.*C_in = 2"),
        (lambda: conv2d(X, W, bias=np.zeros(3)), ValueError, r"bias must be 1-D.*\(4,\); got shape \(3,\)"),
        (lambda: conv2d(X, W, bias=np.zeros((4, 1))), ValueError, "bias"),
        (lambda: conv2d(X, W, stride=0), ValueError, "stride must be >= 1"),
        (lambda: conv2d(X, W, dilation=(1, 0)), ValueError, r"dilation\[1\] \(width\) must be >= 1"),
        (lambda: conv2d(X, W, padding=-1), ValueError, "padding must be >= 0"),
        (lambda: conv2d(X, W, padding="same", stride=2), ValueError, "padding='same' is not supported for strided"),
        (lambda: conv2d(X, W, padding="middle"), ValueError, "padding"),
        (lambda: conv2d(X, W, stride=2.0), TypeError, "stride must be an integer"),
        (lambda: conv2d(X, np.zeros((4, 3, 3, 7))), ValueError, "kernel's width 7.*padded input's width 5"),
        (lambda: conv2d(X, np.zeros((4, 3, 7, 3))), ValueError, "kernel's height 7.*padded input's height 6"),
        (lambda: conv2d(X, W, dilation=(3, 1)), ValueError, "height 3 \\(dilated by 3: 7\\)"),
        (lambda: conv2d(np.full((1, 3, 4, 4), "a"), W), TypeError, "x must hold numbers"),
        (lambda: conv2d(X, W.astype(object)), TypeError, "weight must hold numbers"),
        (lambda: conv2d(np.zeros((2, 3, 0, 5)), W), ValueError, "x must not be empty"),  # N = 0 alone is allowed
        (lambda: conv_transpose2d(X, W), ValueError, "x has 3 channels.*C_in = 4"),
        (lambda: conv_transpose2d(X, np.zeros((3, 2, 3, 3)), bias=np.zeros(3)), ValueError, r"\(2,\)"),
        (lambda: conv_transpose2d(X, np.zeros((3, 2, 1, 1)), padding=3), ValueError, "padding's height 3 is too large"),
        (lambda: conv_transpose2d(X, np.zeros((3, 2, 3, 3)), output_padding=1), ValueError, "output_padding"),
        (lambda: max_pool2d(X[0], 2), ValueError, r"\(N, C, H, W\)"),
        (lambda: max_pool2d(X, (2, 6)), ValueError, "width 6"),
        (lambda: avg_pool2d(X, 2, stride=0), ValueError, "stride must be >= 1"),
        (lambda: max_pool2d_backward(np.zeros((2, 3, 3, 3)), X, 2), ValueError, r"grad_out.*\(2, 3, 3, 2\)"),
        (lambda: avg_pool2d_backward(np.zeros((2, 3, 2, 2)), X, 2), ValueError, "grad_out"),
        (lambda: conv2d_backward(np.zeros((2, 4, 4, 4)), X, W), ValueError, r"grad_out.*\(2, 4, 4, 3\)"),
    ],
)
def test_bad_input(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_output_size_agrees_with_conv2d():
    case = random_conv(7)
    out = conv2d(case["x"], case["weight"], **geometry(case))
    params = [pair(case[k]) for k in ("stride", "padding", "dilation")]
    for axis in (0, 1):
        n, k = case["x"].shape[2 + axis], case["weight"].shape[2 + axis]
        assert out.shape[2 + axis] == output_size(n, k, *(p[axis] for p in params))

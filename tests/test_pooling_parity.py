"""max_pool2d and avg_pool2d with every PyTorch argument, forward and backward, against torch.nn.functional.

Grids over shapes (odd, even, non-square), kernels, strides, paddings, dilations, ``ceil_mode``,
``count_include_pad`` and ``divisor_override``. Where PyTorch refuses a combination, convlib must
refuse it too (``ValueError``); elsewhere values, indices and gradients must agree (float64).
"""

from __future__ import annotations

import itertools
from functools import partial

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convlib import nn
from convlib.nn.functional import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward
from convlib.nn.gradcheck import gradient_check

SHAPES = [(2, 2, 5, 7), (1, 3, 6, 6), (2, 1, 7, 4), (1, 1, 3, 2)]
KERNELS = [1, 2, 3, (2, 3), (3, 1)]
STRIDES = [None, 1, 2, (1, 3)]
PADDINGS = [0, 1, (1, 0)]
DILATIONS = [1, 2, (1, 2)]
DIVISORS = [None, 3]


def pair(value):
    return value if isinstance(value, tuple) else (value, value)


def t(array: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(array, requires_grad=grad)


def torch_grad(forward, x: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    xt = t(x, True)
    out = forward(xt)
    out = out[0] if isinstance(out, tuple) else out
    out.backward(t(grad_out))
    return xt.grad.numpy()


def torch_or_error(function, *args, **kwargs):
    """PyTorch's ``function(*args, **kwargs)``, or None if PyTorch refuses the arguments."""
    try:
        return function(*args, **kwargs)
    except RuntimeError:
        return None


def ceil_size(n, k, s, p, d):
    """ceil_mode's output size without PyTorch's last-window rule (to count the cases where the rule matters)."""
    return -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1


def tie_free(shape, seed):
    """Distinct values (a random permutation): no ties, so every maximum is unique."""
    rng = np.random.default_rng(seed)
    return (rng.permutation(int(np.prod(shape))).reshape(shape) - 0.5 * np.prod(shape)) / 7.0


# ---------------------------------------------------------------------------- max_pool2d grid


@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_max_pool2d_grid_matches_torch(shape, ceil_mode):
    x = tie_free(shape, sum(shape))
    rng = np.random.default_rng(1)
    compared = refused = rule_used = 0
    for kernel, stride, padding, dilation in itertools.product(KERNELS, STRIDES, PADDINGS, DILATIONS):
        args = {"stride": stride, "padding": padding, "dilation": dilation, "ceil_mode": ceil_mode}
        expected = torch_or_error(F.max_pool2d, t(x), kernel, return_indices=True, **args)
        if expected is None:
            with pytest.raises(ValueError, match="max_pool2d: "):
                max_pool2d(x, kernel, **args)
            with pytest.raises(ValueError, match="max_pool2d_backward: "):
                max_pool2d_backward(np.zeros((1,)), x, kernel, **args)
            refused += 1
            continue
        out, indices = max_pool2d(x, kernel, return_indices=True, **args)
        assert out.shape == tuple(expected[0].shape), (kernel, args)
        np.testing.assert_array_equal(out, expected[0].numpy(), err_msg=str((kernel, args)))
        assert indices.dtype == np.int64
        np.testing.assert_array_equal(indices, expected[1].numpy(), err_msg=str((kernel, args)))
        np.testing.assert_array_equal(max_pool2d(x, kernel, **args), out)
        grad_out = rng.standard_normal(out.shape)
        expected_grad = torch_grad(partial(F.max_pool2d, kernel_size=kernel, **args), x, grad_out)
        grad = max_pool2d_backward(grad_out, x, kernel, **args)
        np.testing.assert_allclose(grad, expected_grad, rtol=1e-12, atol=1e-12, err_msg=str((kernel, args)))
        compared += 1
        if ceil_mode:
            k, s, p, d = pair(kernel), pair(stride or kernel), pair(padding), pair(dilation)
            rule_used += any(ceil_size(n, *v) != o for n, o, *v in zip(shape[2:], out.shape[2:], k, s, p, d))
    print(f"compared {compared}, refused {refused}")
    assert compared > (100 if min(shape[2:]) > 3 else 30) and refused > 0
    if ceil_mode and shape[2] > 3:
        assert rule_used > 0  # the grid reaches PyTorch's "last window must start inside" rule


def test_max_pool2d_ceil_mode_changes_sizes_in_the_grid():
    x = tie_free((1, 1, 5, 7), 0)
    changed = sum(
        max_pool2d(x, k, s, ceil_mode=True).shape != max_pool2d(x, k, s).shape
        for k, s in itertools.product(KERNELS, STRIDES)
    )
    assert changed > 3


def test_max_pool2d_ties_and_infinities_match_torch():
    """Small integers: many ties; PyTorch's CPU kernel takes the first maximum in scan order."""
    rng = np.random.default_rng(5)
    x = rng.integers(0, 3, size=(2, 2, 6, 7)).astype(np.float64)
    x[0, 0, :3, :3] = -np.inf  # a window of -inf only: the index is its first in-bounds tap
    for kernel, stride, padding, dilation, ceil_mode in [
        (2, None, 0, 1, False),
        (3, 1, 1, 1, False),
        (3, 2, 1, 2, True),
        ((2, 3), (1, 2), (1, 1), 1, True),
    ]:
        args = {"stride": stride, "padding": padding, "dilation": dilation, "ceil_mode": ceil_mode}
        out, indices = max_pool2d(x, kernel, return_indices=True, **args)
        expected, expected_indices = F.max_pool2d(t(x), kernel, return_indices=True, **args)
        np.testing.assert_array_equal(out, expected.numpy())
        np.testing.assert_array_equal(indices, expected_indices.numpy())
        grad_out = rng.standard_normal(out.shape)
        grad = max_pool2d_backward(grad_out, x, kernel, **args)
        expected_grad = torch_grad(partial(F.max_pool2d, kernel_size=kernel, **args), x, grad_out)
        np.testing.assert_allclose(grad, expected_grad, rtol=1e-12, atol=1e-12)


def test_max_pool2d_nan_goes_to_the_last_nan_as_torch():
    x = np.array([[[[np.nan, 1.0, np.nan, 2.0], [0.0, 5.0, 3.0, np.nan]]]])
    out, indices = max_pool2d(x, (2, 4), return_indices=True)
    expected, expected_indices = F.max_pool2d(t(x), (2, 4), return_indices=True)
    assert np.isnan(out).all() and torch.isnan(expected).all()
    np.testing.assert_array_equal(indices, expected_indices.numpy())  # 7: the last NaN in scan order
    grad_out = np.array([[[[3.0]]]])
    np.testing.assert_array_equal(
        max_pool2d_backward(grad_out, x, (2, 4)), torch_grad(lambda v: F.max_pool2d(v, (2, 4)), x, grad_out)
    )


def test_max_pool2d_window_outside_the_input():
    """Dilation can put every tap of a window on padding: -inf and PyTorch's index, but no gradient."""
    x = np.arange(6.0).reshape(1, 1, 2, 3)
    args = {"kernel_size": (1, 2), "padding": (0, 1), "dilation": (1, 4)}
    out, indices = max_pool2d(x, return_indices=True, **args)
    expected, expected_indices = F.max_pool2d(t(x), return_indices=True, **args)
    np.testing.assert_array_equal(out, expected.numpy())
    assert np.isneginf(out).all()
    np.testing.assert_array_equal(indices, expected_indices.numpy())
    # The output is the constant -inf: its true gradient is 0. PyTorch sends it to the pixel its index
    # names (here another row's first pixel), a deliberate difference.
    grad = max_pool2d_backward(np.ones(out.shape), x, **args)
    np.testing.assert_array_equal(grad, np.zeros_like(x))


# ---------------------------------------------------------------------------- avg_pool2d grid


@pytest.mark.parametrize("ceil_mode", [False, True])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_avg_pool2d_grid_matches_torch(shape, ceil_mode):
    rng = np.random.default_rng(sum(shape))
    x = rng.standard_normal(shape)
    compared = refused = 0
    for kernel, stride, padding, include, divisor in itertools.product(
        KERNELS, STRIDES, PADDINGS, [True, False], DIVISORS
    ):
        args = {
            "stride": stride,
            "padding": padding,
            "ceil_mode": ceil_mode,
            "count_include_pad": include,
            "divisor_override": divisor,
        }
        expected = torch_or_error(F.avg_pool2d, t(x), kernel, **args)
        if expected is None:
            with pytest.raises(ValueError, match="avg_pool2d: "):
                avg_pool2d(x, kernel, **args)
            with pytest.raises(ValueError, match="avg_pool2d_backward: "):
                avg_pool2d_backward(np.zeros((1,)), x, kernel, **args)
            refused += 1
            continue
        out = avg_pool2d(x, kernel, **args)
        assert out.shape == tuple(expected.shape), (kernel, args)
        np.testing.assert_allclose(out, expected.numpy(), rtol=1e-12, atol=1e-12, err_msg=str((kernel, args)))
        grad_out = rng.standard_normal(out.shape)
        expected_grad = torch_grad(partial(F.avg_pool2d, kernel_size=kernel, **args), x, grad_out)
        grad = avg_pool2d_backward(grad_out, x, kernel, **args)
        np.testing.assert_allclose(grad, expected_grad, rtol=1e-12, atol=1e-12, err_msg=str((kernel, args)))
        compared += 1
    print(f"compared {compared}, refused {refused}")
    assert compared > (100 if min(shape[2:]) > 3 else 30) and refused > 0


def test_avg_pool2d_divisor_rules():
    """The three rules, on ones: the result is (input pixels in the window) / divisor."""
    x = np.ones((1, 1, 5, 5))
    # kernel 2, stride 2, padding 1, ceil_mode: a 4th window would start at 5 = H + P, past the input: dropped.
    np.testing.assert_array_equal(avg_pool2d(x, 2, padding=1, ceil_mode=True)[0, 0, 0], [0.25, 0.5, 0.5])
    np.testing.assert_array_equal(avg_pool2d(x, 2, padding=1, ceil_mode=True, count_include_pad=False), 1.0)
    # kernel 3, stride 2, ceil_mode on 6 x 6: the last window holds columns 4..6, 6 is beyond the input and
    # is not counted even with count_include_pad.
    x = np.ones((1, 1, 6, 6))
    np.testing.assert_array_equal(avg_pool2d(x, 3, 2, ceil_mode=True, count_include_pad=True), 1.0)
    expected = [[4.5, 4.5, 3], [4.5, 4.5, 3], [3, 3, 2]]  # 9, 6 or 4 ones over 2
    np.testing.assert_array_equal(avg_pool2d(x, 3, 2, ceil_mode=True, divisor_override=2)[0, 0], expected)
    np.testing.assert_array_equal(F.avg_pool2d(t(x), 3, 2, ceil_mode=True, divisor_override=2)[0, 0], expected)
    # kernel 3, stride 2, padding 1, ceil_mode on 4 x 4: windows [-1, 2), [1, 4), [3, 6) cut at 4 + 1: the
    # padding counts (3, 3 and 2 taps) but the ceil_mode extra (column 5) does not.
    x = np.ones((1, 1, 4, 4))
    share = np.array([2 / 3, 1, 1 / 2])
    out = avg_pool2d(x, 3, 2, 1, ceil_mode=True)
    np.testing.assert_allclose(out[0, 0], np.outer(share, share), rtol=1e-15)
    np.testing.assert_allclose(out, F.avg_pool2d(t(x), 3, 2, 1, ceil_mode=True).numpy(), rtol=1e-15)


# ---------------------------------------------------------------------------- numerical gradients


@pytest.mark.parametrize(
    "kernel, args",
    [
        (3, {"stride": 2, "padding": 1, "ceil_mode": True}),
        ((2, 3), {"stride": (1, 2), "padding": (1, 1), "dilation": (2, 1)}),
        (2, {"stride": 1, "dilation": 2, "ceil_mode": True}),
    ],
)
def test_max_pool2d_backward_passes_gradient_check(kernel, args):
    x = tie_free((2, 2, 5, 6), 3)  # distinct values 1/7 apart: a step of 1e-6 never changes a winner
    probe = np.random.default_rng(3).standard_normal(max_pool2d(x, kernel, **args).shape)
    error = gradient_check(
        lambda v: np.sum(probe * max_pool2d(v, kernel, **args)),
        lambda v: max_pool2d_backward(probe, v, kernel, **args),
        x,
    )
    assert error < 1e-8


@pytest.mark.parametrize(
    "kernel, args",
    [
        (3, {"stride": 2, "padding": 1, "ceil_mode": True}),
        ((2, 3), {"stride": (2, 2), "padding": (1, 1), "ceil_mode": True, "count_include_pad": False}),
        (2, {"stride": 1, "padding": 1, "divisor_override": 3}),
    ],
)
def test_avg_pool2d_backward_passes_gradient_check(kernel, args):
    x = np.random.default_rng(4).standard_normal((2, 2, 5, 6))
    probe = np.random.default_rng(4).standard_normal(avg_pool2d(x, kernel, **args).shape)
    error = gradient_check(
        lambda v: np.sum(probe * avg_pool2d(v, kernel, **args)),
        lambda v: avg_pool2d_backward(probe, v, kernel, **args),
        x,
    )
    assert error < 1e-8


def test_gradient_check_catches_a_wrong_divisor():
    """The check above can fail: a backward pass with count_include_pad's divisor is wrong without it."""
    x = np.random.default_rng(6).standard_normal((1, 1, 5, 5))
    args = {"stride": 2, "padding": 1, "ceil_mode": True}
    probe = np.random.default_rng(6).standard_normal(avg_pool2d(x, 2, **args).shape)
    error = gradient_check(
        lambda v: np.sum(probe * avg_pool2d(v, 2, count_include_pad=False, **args)),
        lambda v: avg_pool2d_backward(probe, v, 2, count_include_pad=True, **args),
        x,
    )
    assert error > 1e-2


# ---------------------------------------------------------------------------- dtypes, defaults, empty batches


def test_float32_stays_float32_and_matches_torch():
    x = np.random.default_rng(7).standard_normal((2, 3, 7, 6)).astype(np.float32)
    out, indices = max_pool2d(x, 3, 2, 1, 1, True, True)
    expected, expected_indices = F.max_pool2d(t(x), 3, 2, 1, 1, True, True)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, expected.numpy())
    np.testing.assert_array_equal(indices, expected_indices.numpy())
    avg = avg_pool2d(x, 3, 2, 1, True, False, None)
    assert avg.dtype == np.float32
    np.testing.assert_allclose(avg, F.avg_pool2d(t(x), 3, 2, 1, True, False, None).numpy(), rtol=1e-6, atol=1e-6)
    grad_out = np.ones(avg.shape, np.float32)
    assert avg_pool2d_backward(grad_out, x, 3, 2, 1, True, False).dtype == np.float32
    assert max_pool2d_backward(np.ones(out.shape, np.float32), x, 3, 2, 1, 1, True).dtype == np.float32


def test_integer_input_gives_float64():
    x = np.arange(20).reshape(1, 1, 4, 5)
    assert max_pool2d(x, 2, padding=1).dtype == np.float64
    np.testing.assert_array_equal(max_pool2d(x, 2, padding=1), F.max_pool2d(t(x.astype(float)), 2, padding=1))


def test_explicit_defaults_and_positional_calls():
    x = tie_free((2, 3, 6, 5), 8)
    defaults_max = {"stride": None, "padding": 0, "dilation": 1, "ceil_mode": False, "return_indices": False}
    defaults_avg = {
        "stride": None,
        "padding": 0,
        "ceil_mode": False,
        "count_include_pad": True,
        "divisor_override": None,
    }
    np.testing.assert_array_equal(max_pool2d(x, 2, **defaults_max), max_pool2d(x, 2))
    np.testing.assert_array_equal(max_pool2d(x, 2, **defaults_max), F.max_pool2d(t(x), 2, **defaults_max).numpy())
    np.testing.assert_array_equal(avg_pool2d(x, 2, **defaults_avg), avg_pool2d(x, 2))
    np.testing.assert_allclose(avg_pool2d(x, 2, **defaults_avg), F.avg_pool2d(t(x), 2, **defaults_avg).numpy())
    np.testing.assert_array_equal(max_pool2d(x, 3, 1), F.max_pool2d(t(x), 3, 1).numpy())  # (x, kernel, stride)
    np.testing.assert_allclose(avg_pool2d(x, 3, 1), F.avg_pool2d(t(x), 3, 1).numpy())
    grad_out = np.ones((2, 3, 4, 3))
    np.testing.assert_array_equal(
        max_pool2d_backward(grad_out, x, 3, 1), max_pool2d_backward(grad_out, x, 3, 1, 0, 1, False)
    )
    np.testing.assert_array_equal(
        avg_pool2d_backward(grad_out, x, 3, 1), avg_pool2d_backward(grad_out, x, 3, 1, 0, False, True, None)
    )


def test_empty_batch_gives_empty_results():
    x = np.zeros((0, 2, 5, 4))
    out, indices = max_pool2d(x, 2, padding=1, ceil_mode=True, return_indices=True)
    expected, _ = F.max_pool2d(t(x), 2, padding=1, ceil_mode=True, return_indices=True)
    assert out.shape == indices.shape == tuple(expected.shape) == (0, 2, 3, 3)
    assert avg_pool2d(x, 3, 2, 1, True).shape == tuple(F.avg_pool2d(t(x), 3, 2, 1, True).shape)
    assert max_pool2d_backward(np.zeros((0, 2, 3, 3)), x, 2, padding=1, ceil_mode=True).shape == x.shape
    assert avg_pool2d_backward(np.zeros((0, 2, 2, 2)), x, 2).shape == x.shape
    with pytest.raises(ValueError, match="max_pool2d: x must not be empty"):
        max_pool2d(np.zeros((1, 0, 4, 4)), 2)  # PyTorch refuses empty channels and planes too


# ---------------------------------------------------------------------------- the layer


def test_max_pool_layer_takes_the_new_arguments():
    x = tie_free((2, 2, 7, 6), 9)
    layer = nn.MaxPool2d(3, 2, padding=1, dilation=(1, 2), ceil_mode=True)
    reference = torch.nn.MaxPool2d(3, 2, padding=1, dilation=(1, 2), ceil_mode=True)
    np.testing.assert_array_equal(layer(x), reference(t(x)).numpy())
    grad_out = np.random.default_rng(9).standard_normal(layer(x).shape)
    np.testing.assert_allclose(layer.backward(grad_out), torch_grad(reference, x, grad_out), rtol=1e-12, atol=1e-12)
    assert (
        repr(layer) == "MaxPool2d(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(1, 2), ceil_mode=True)"
    )
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=(2, 2), stride=(2, 2))"


# ---------------------------------------------------------------------------- bad arguments

X = np.zeros((1, 2, 6, 6))


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: max_pool2d(X, 3, padding=2), ValueError, r"max_pool2d: padding's height 2 .*kernel_size // 2 = 1"),
        (lambda: max_pool2d(X, (2, 4), padding=(1, 3)), ValueError, r"max_pool2d: padding's width 3"),
        (lambda: avg_pool2d(X, 2, padding=2), ValueError, r"avg_pool2d: padding's height 2"),
        (
            lambda: max_pool2d_backward(np.ones((1, 2, 3, 3)), X, 3, padding=2),
            ValueError,
            "max_pool2d_backward: padding",
        ),
        (lambda: avg_pool2d(X, 2, divisor_override=0), ValueError, "avg_pool2d: divisor_override must be >= 1"),
        (lambda: avg_pool2d(X, 2, divisor_override=-3), ValueError, "avg_pool2d: divisor_override must be >= 1"),
        (lambda: avg_pool2d(X, 2, divisor_override=2.0), TypeError, "avg_pool2d: divisor_override must be an integer"),
        (lambda: avg_pool2d(X, 2, divisor_override=True), TypeError, "avg_pool2d: divisor_override must be an integer"),
        (
            lambda: avg_pool2d_backward(np.ones((1, 2, 3, 3)), X, 2, divisor_override=0),
            ValueError,
            "avg_pool2d_backward: divisor_override",
        ),
        (lambda: max_pool2d(X, 2, stride=True), TypeError, "max_pool2d: stride must be an integer"),
        (lambda: max_pool2d(X, True), TypeError, "max_pool2d: kernel_size must be an integer"),
        (lambda: max_pool2d(X, 2, padding=False), TypeError, "max_pool2d: padding must be an integer"),
        (lambda: max_pool2d(X, 2, dilation=(1, True)), TypeError, r"max_pool2d: dilation\[1\] \(width\)"),
        (lambda: max_pool2d(X, 2, dilation=0), ValueError, "max_pool2d: dilation must be >= 1"),
        (lambda: avg_pool2d(X, 2, padding=-1), ValueError, "avg_pool2d: padding must be >= 0"),
        (lambda: max_pool2d(X, 2, ceil_mode=1), TypeError, "max_pool2d: ceil_mode must be True or False"),
        (lambda: max_pool2d(X, 2, return_indices="yes"), TypeError, "max_pool2d: return_indices must be True or False"),
        (lambda: avg_pool2d(X, 2, count_include_pad=0), TypeError, "avg_pool2d: count_include_pad must be True or"),
        (lambda: max_pool2d(X, 7), ValueError, "max_pool2d: the kernel's height 7 is larger"),
        (
            lambda: max_pool2d(X, 3, dilation=4, ceil_mode=True),
            ValueError,
            r"max_pool2d: the kernel's height 3 \(dilated by 4: 9\)",
        ),
        (lambda: max_pool2d(X[0], 2), ValueError, r"max_pool2d: x must be 4-D"),
        (lambda: max_pool2d_backward(np.ones((1, 2, 2, 2)), X, 2), ValueError, r"grad_out.*\(1, 2, 3, 3\)"),
        (lambda: avg_pool2d_backward(np.ones((1, 2, 3, 3)), X, 2, ceil_mode=True, padding=1), ValueError, "grad_out"),
        (lambda: nn.MaxPool2d(2, padding=2), ValueError, "MaxPool2d: padding's height 2"),
        (lambda: nn.MaxPool2d(2, ceil_mode="no"), TypeError, "MaxPool2d: ceil_mode must be True or False"),
    ],
)
def test_bad_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()

"""conv_transpose2d and conv_transpose2d_backward against PyTorch.

Grids over shapes (odd/even, non-square), kernels, strides, paddings, output_paddings, dilations and groups
(1, 2, depthwise), ``output_size`` as torch.nn.ConvTranspose2d's forward takes it, empty batches, a numerical
gradient check, and the errors for bad arguments. Everything in float64 with ``atol = 1e-10``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import convlib
import convlib.nn
from convlib.nn.functional import conv2d, conv_transpose2d, conv_transpose2d_backward
from convlib.nn.gradcheck import gradient_check

torch = pytest.importorskip("torch")
F = torch.nn.functional

ATOL = 1e-10

# (N, C_in, H, W), (C_out, KH, KW), groups; the weight is (C_in, C_out/groups, KH, KW)
SHAPES = [
    ((2, 4, 5, 4), (4, 3, 3), 1),  # odd x even input, square odd kernel
    ((1, 4, 4, 6), (6, 2, 3), 2),  # even input, non-square kernel, groups 2
    ((2, 4, 3, 5), (4, 3, 2), 4),  # depthwise (groups == C_in), one output channel per group
    ((1, 3, 4, 3), (6, 1, 4), 3),  # depthwise with channel multiplier 2, 1 x 4 kernel
]
STRIDES = [1, 2, (3, 1)]
PADDINGS = [0, 1, (2, 0)]
DILATIONS = [1, (1, 2)]
OUTPUT_PADDINGS = ["zero", "largest"]  # 0, or the largest allowed: max(stride, dilation) - 1 per axis


def _pair(value):
    return tuple(value) if isinstance(value, tuple) else (value, value)


def _largest_output_padding(stride, dilation):
    return tuple(max(s, d) - 1 for s, d in zip(_pair(stride), _pair(dilation)))


def _out_size(shape, stride, padding, output_padding, dilation):
    (_, _, h, w), (_, kh, kw), _ = shape
    return tuple(
        (n - 1) * s - 2 * p + d * (k - 1) + e + 1
        for n, k, s, p, d, e in zip(
            (h, w), (kh, kw), _pair(stride), _pair(padding), _pair(dilation), _pair(output_padding)
        )
    )


def _grid():
    cases = []
    for shape, stride, padding, dilation, which in itertools.product(
        SHAPES, STRIDES, PADDINGS, DILATIONS, OUTPUT_PADDINGS
    ):
        output_padding = 0 if which == "zero" else _largest_output_padding(stride, dilation)
        if which == "largest" and output_padding == (0, 0):
            continue  # the same case as "zero"
        if min(_out_size(shape, stride, padding, output_padding, dilation)) < 1:
            continue  # padding leaves no output; the error is tested below
        cases.append((shape, stride, padding, output_padding, dilation))
    return cases


GRID = _grid()


def _data(shape, seed=0):
    (n, c_in, h, w), (c_out, kh, kw), groups = shape
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c_in, h, w))
    weight = rng.standard_normal((c_in, c_out // groups, kh, kw))
    bias = rng.standard_normal(c_out)
    return x, weight, bias, groups


def _tensors(*arrays):
    return [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]


def _torch(x, weight, bias, stride, padding, output_padding, groups, dilation, grad_out=None):
    """torch's forward and, given grad_out, autograd's (grad_x, grad_weight, grad_bias)."""
    tx, tw, tb = _tensors(x, weight, bias)
    out = F.conv_transpose2d(tx, tw, tb, stride, padding, output_padding, groups, dilation)
    if grad_out is None:
        return out.detach().numpy()
    out.backward(torch.tensor(grad_out))
    return out.detach().numpy(), tx.grad.numpy(), tw.grad.numpy(), tb.grad.numpy()


def _assert_close(mine, theirs):
    assert mine.shape == theirs.shape
    np.testing.assert_allclose(mine, theirs, atol=ATOL, rtol=0)


def test_grid_is_what_it_says():
    assert len(GRID) == 129  # 4 shapes x 3 strides x 3 paddings x 2 dilations x 2 output_paddings, less 15
    assert {case[0][2] for case in GRID} == {1, 2, 3, 4}
    assert any(case[3] != 0 and max(case[3]) >= 2 for case in GRID)  # output_padding 2 with stride 3
    assert any(case[3] == (0, 1) and _pair(case[1]) == (1, 1) for case in GRID)  # allowed by the dilation alone


@pytest.mark.parametrize(("shape", "stride", "padding", "output_padding", "dilation"), GRID)
def test_forward_and_backward_match_torch(shape, stride, padding, output_padding, dilation):
    x, weight, bias, groups = _data(shape)
    out = conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation)
    grad_out = np.random.default_rng(1).standard_normal(out.shape)
    expected, gx, gw, gb = _torch(x, weight, bias, stride, padding, output_padding, groups, dilation, grad_out)
    _assert_close(out, expected)
    grads = conv_transpose2d_backward(grad_out, x, weight, stride, padding, output_padding, groups, dilation)
    for mine, theirs in zip(grads, (gx, gw, gb)):
        _assert_close(mine, theirs)


def _torch_layer(x, weight, bias, stride, padding, groups, dilation):
    c_in, c_group, kh, kw = weight.shape
    layer = torch.nn.ConvTranspose2d(
        c_in, c_group * groups, (kh, kw), stride, padding, groups=groups, dilation=dilation, dtype=torch.float64
    )
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(weight))
        layer.bias.copy_(torch.tensor(bias))
    return layer


# stride, padding, dilation: every output size in torch's range, as (H, W) and as (N, C_out, H, W)
OUTPUT_SIZE_GEOMETRIES = [(2, 1, 1), ((3, 2), (1, 0), (2, 1)), ((1, 3), 0, (2, 2))]


@pytest.mark.parametrize(("stride", "padding", "dilation"), OUTPUT_SIZE_GEOMETRIES)
@pytest.mark.parametrize("with_batch_and_channels", [False, True])
def test_output_size_matches_torch_layer(stride, padding, dilation, with_batch_and_channels):
    shape = ((2, 4, 5, 4), (6, 3, 2), 2)
    x, weight, bias, groups = _data(shape, seed=2)
    layer = _torch_layer(x, weight, bias, stride, padding, groups, dilation)
    smallest = _out_size(shape, stride, padding, 0, dilation)
    checked = 0
    for extra_h, extra_w in itertools.product(*(range(s) for s in _pair(stride))):
        size = (smallest[0] + extra_h, smallest[1] + extra_w)
        output_size = (2, 6, *size) if with_batch_and_channels else size
        tx = torch.tensor(x, requires_grad=True)
        expected = layer(tx, output_size=list(output_size))
        out = conv_transpose2d(
            x, weight, bias, stride, padding, groups=groups, dilation=dilation, output_size=output_size
        )
        assert out.shape[2:] == size
        _assert_close(out, expected.detach().numpy())
        # the same as passing the output_padding it picks, which may also be passed if it agrees
        explicit = conv_transpose2d(x, weight, bias, stride, padding, (extra_h, extra_w), groups, dilation, size)
        _assert_close(explicit, out)
        grad_out = np.random.default_rng(checked).standard_normal(out.shape)
        expected.backward(torch.tensor(grad_out))
        grads = conv_transpose2d_backward(
            grad_out, x, weight, stride, padding, groups=groups, dilation=dilation, output_size=output_size
        )
        for mine, theirs in zip(grads, (tx.grad, layer.weight.grad, layer.bias.grad)):
            _assert_close(mine, theirs.numpy())
        layer.zero_grad()
        checked += 1
    assert checked == _pair(stride)[0] * _pair(stride)[1]


@pytest.mark.parametrize(("stride", "padding", "dilation"), OUTPUT_SIZE_GEOMETRIES)
def test_output_size_out_of_range_is_refused_as_torch_refuses(stride, padding, dilation):
    shape = ((1, 4, 5, 4), (6, 3, 2), 2)
    x, weight, bias, groups = _data(shape, seed=3)
    layer = _torch_layer(x, weight, bias, stride, padding, groups, dilation)
    smallest = _out_size(shape, stride, padding, 0, dilation)
    largest = tuple(size + s - 1 for size, s in zip(smallest, _pair(stride)))
    for size in [(smallest[0] - 1, smallest[1]), (smallest[0], largest[1] + 1), (largest[0] + 1, largest[1] + 1)]:
        with pytest.raises(ValueError, match="valid sizes range"):
            layer(torch.tensor(x), output_size=list(size))
        with pytest.raises(ValueError, match=r"conv_transpose2d: requested an output_size.*valid sizes range"):
            conv_transpose2d(x, weight, bias, stride, padding, groups=groups, dilation=dilation, output_size=size)
        with pytest.raises(ValueError, match=r"conv_transpose2d_backward: requested an output_size"):
            conv_transpose2d_backward(
                np.zeros((1, 6, *size)), x, weight, stride, padding, groups=groups, dilation=dilation, output_size=size
            )


@pytest.mark.parametrize(
    ("output_padding", "groups", "output_size"), [(0, 1, None), ((1, 0), 2, None), (0, 4, (0, 4, 10, 7))]
)
def test_empty_batch(output_padding, groups, output_size):
    x = np.zeros((0, 4, 5, 4))
    weight = np.ones((4, 6 // groups if groups != 4 else 1, 3, 2))
    c_out = weight.shape[1] * groups
    out = conv_transpose2d(x, weight, np.ones(c_out), 2, 1, output_padding, groups, 1, output_size)
    if output_size is None:
        expected = F.conv_transpose2d(
            torch.zeros(0, 4, 5, 4, dtype=torch.float64), torch.tensor(weight), None, 2, 1, output_padding, groups
        )
    else:
        layer = torch.nn.ConvTranspose2d(4, c_out, (3, 2), 2, 1, groups=groups, dtype=torch.float64)
        expected = layer(torch.zeros(0, 4, 5, 4, dtype=torch.float64), output_size=list(output_size))
    assert out.shape == tuple(expected.shape) and out.shape[0] == 0 and out.dtype == np.float64
    grads = conv_transpose2d_backward(np.zeros(out.shape), x, weight, 2, 1, output_padding, groups, 1, output_size)
    assert [g.shape for g in grads] == [x.shape, weight.shape, (c_out,)]
    assert not grads[1].any() and not grads[2].any()


def test_positional_order_is_the_contract_then_torch():
    """(x, weight, bias, stride, padding) as the contract; then output_padding, groups, dilation as PyTorch."""
    x, weight, bias, groups = _data(((2, 4, 3, 4), (4, 3, 3), 2), seed=4)
    args = ((2, 3), (1, 0), (1, 2), groups, (2, 1))
    _assert_close(conv_transpose2d(x, weight, bias, *args), _torch(x, weight, bias, *args))
    keywords = dict(zip(("stride", "padding", "output_padding", "groups", "dilation"), args))
    _assert_close(conv_transpose2d(x, weight, bias, **keywords), _torch(x, weight, bias, *args))
    x1, weight1, bias1, _ = _data(((1, 2, 3, 4), (3, 3, 2), 1), seed=5)
    _assert_close(
        conv_transpose2d(x1, weight1, bias1, (2, 1), (1, 0)), _torch(x1, weight1, bias1, (2, 1), (1, 0), 0, 1, 1)
    )


def test_dtypes_and_exports():
    x, weight, _, _ = _data(((1, 2, 3, 3), (2, 2, 2), 1), seed=6)
    assert conv_transpose2d(x.astype(np.float32), weight.astype(np.float32), stride=2).dtype == np.float32
    assert (
        conv_transpose2d(np.ones((1, 2, 3, 3), dtype=np.int64), np.ones((2, 1, 2, 2), dtype=np.uint8)).dtype
        == np.float64
    )
    grads = conv_transpose2d_backward(
        np.ones((1, 2, 4, 4), np.float32), x.astype(np.float32), weight.astype(np.float32)
    )
    assert all(g.dtype == np.float32 for g in grads)
    assert convlib.conv_transpose2d_backward is conv_transpose2d_backward
    assert convlib.nn.conv_transpose2d_backward is conv_transpose2d_backward
    assert "conv_transpose2d_backward" in convlib.__all__ and "conv_transpose2d_backward" in convlib.nn.__all__


@pytest.mark.parametrize("groups", [1, 2, 4])
def test_is_the_adjoint_of_grouped_conv2d(groups):
    """<conv2d(x, w), y> == <x, conv_transpose2d(y, w)>: the transposed convolution is conv2d's transpose."""
    rng = np.random.default_rng(7 + groups)
    x = rng.standard_normal((2, 4, 7, 6))
    weight = rng.standard_normal((8, 4 // groups, 3, 2))
    out = conv2d(x, weight, None, (2, 3), (1, 1), (1, 2), groups)
    y = rng.standard_normal(out.shape)
    extra = tuple((n + 2 * 1 - d * (k - 1) - 1) % s for n, k, s, d in zip((7, 6), (3, 2), (2, 3), (1, 2)))
    back = conv_transpose2d(y, weight, None, (2, 3), (1, 1), extra, groups, (1, 2))
    assert back.shape == x.shape
    assert np.vdot(out, y) == pytest.approx(np.vdot(x, back), rel=1e-12)


def test_numerical_gradient_check():
    x, weight, bias, groups = _data(((2, 4, 3, 4), (4, 3, 2), 2), seed=8)
    options = {"stride": (2, 1), "padding": (1, 0), "output_padding": (1, 1), "groups": groups, "dilation": (1, 2)}
    grad_out = np.random.default_rng(9).standard_normal(conv_transpose2d(x, weight, **options).shape)

    def loss(x_, weight_, bias_):
        return np.sum(conv_transpose2d(x_, weight_, bias_, **options) * grad_out)

    def grads(x_, weight_):
        return conv_transpose2d_backward(grad_out, x_, weight_, **options)

    assert gradient_check(lambda v: loss(v, weight, bias), lambda v: grads(v, weight)[0], x) < 1e-7
    assert gradient_check(lambda v: loss(x, v, bias), lambda v: grads(x, v)[1], weight) < 1e-7
    assert gradient_check(lambda v: loss(x, weight, v), lambda v: grads(x, weight)[2], bias) < 1e-7


X = np.zeros((1, 4, 3, 3))
W = np.zeros((4, 2, 2, 2))


@pytest.mark.parametrize(
    ("kwargs", "error", "match", "torch_refuses"),
    [
        ({"groups": 3}, ValueError, "groups=3 must divide the input channels C_in = 4", True),
        ({"groups": 0}, ValueError, "groups must be >= 1", True),
        ({"groups": 2.0}, TypeError, "groups must be an integer", True),
        ({"groups": True}, TypeError, "groups must be an integer", False),
        ({"output_padding": 1}, ValueError, "output_padding's height 1 must be smaller than either the stride", True),
        ({"stride": (1, 2), "output_padding": (0, 2)}, ValueError, "output_padding's width 2", True),
        ({"stride": 2, "dilation": 3, "output_padding": 3}, ValueError, "output_padding's height 3", True),
        ({"output_padding": -1}, ValueError, "output_padding must be >= 0", True),
        ({"output_padding": (0, 0, 0)}, ValueError, "output_padding must be an int or a pair", True),
        ({"output_padding": 0.5}, TypeError, "output_padding must be an integer", True),
        ({"output_size": (9,)}, ValueError, "output_size must have 2 or 4 elements", None),
        ({"output_size": (1, 2, 4)}, ValueError, "output_size must have 2 or 4 elements", None),
        ({"output_size": 4}, TypeError, "output_size must be a pair", None),
        ({"output_size": "44"}, TypeError, "output_size must be a pair", None),
        ({"output_size": (4.0, 4)}, TypeError, r"output_size\[0\] must be an integer", None),
        ({"output_size": (1, 2, 4, None)}, TypeError, r"output_size\[3\] must be an integer", None),
        ({"output_size": (5, 4)}, ValueError, r"requested an output_size of \[5, 4\].*from \[4, 4\] to \[4, 4\]", None),
        ({"stride": 2, "output_padding": 1, "output_size": (7, 6)}, ValueError, "output_padding=1 contradicts", None),
        ({"padding": (2, 0)}, ValueError, "padding's height 2 is too large", True),
        ({"padding": "same"}, TypeError, "padding must be an int or a pair", True),
        ({"stride": 0}, ValueError, "stride must be >= 1", True),
        ({"dilation": (1, 0)}, ValueError, r"dilation\[1\] \(width\) must be >= 1", True),
        ({"bias": np.zeros(3)}, ValueError, r"bias must be 1-D.*\(2,\); got shape \(3,\)", True),
        ({"bias": np.zeros(2), "groups": 2}, ValueError, r"bias must be 1-D.*\(4,\); got shape \(2,\)", True),
    ],
)
def test_bad_arguments(kwargs, error, match, torch_refuses):
    kwargs = dict(kwargs)
    bias = kwargs.pop("bias", None)
    with pytest.raises(error, match=f"conv_transpose2d: .*{match}"):
        conv_transpose2d(X, W, bias, **kwargs)
    if bias is None:  # the backward takes no bias
        with pytest.raises(error, match=f"conv_transpose2d_backward: .*{match}"):
            conv_transpose2d_backward(np.zeros((1, 2, 4, 4)), X, W, **kwargs)
    if torch_refuses:  # the rule is PyTorch's (it raises its own exception types)
        with pytest.raises((RuntimeError, ValueError, TypeError)):
            F.conv_transpose2d(torch.tensor(X), torch.tensor(W), None if bias is None else torch.tensor(bias), **kwargs)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: conv_transpose2d(np.zeros((1, 3, 3, 3)), W), ValueError, "x has 3 channels.*C_in = 4"),
        (lambda: conv_transpose2d(X, W[0]), ValueError, r"weight must be 4-D \(C_in, C_out, KH, KW\)"),
        (lambda: conv_transpose2d(X, W[0], groups=2), ValueError, r"weight must be 4-D \(C_in, C_out/groups, KH, KW\)"),
        (lambda: conv_transpose2d(X[0], W), ValueError, r"x must be 4-D.*x\[None\]"),
        (lambda: conv_transpose2d(np.zeros((1, 4, 0, 3)), W), ValueError, "x must not be empty"),
        (lambda: conv_transpose2d(np.full((1, 4, 3, 3), "a"), W), TypeError, "x must hold numbers"),
        (lambda: conv_transpose2d(X, W.astype(object)), TypeError, "weight must hold numbers"),
        (lambda: conv_transpose2d(X, W, ["a", "b"]), TypeError, "bias must hold numbers"),
        (lambda: conv_transpose2d_backward(np.zeros((1, 2, 4, 5)), X, W), ValueError, r"grad_out.*\(1, 2, 4, 4\)"),
        (
            lambda: conv_transpose2d_backward(np.zeros((1, 2, 5, 5)), X, W, groups=2),
            ValueError,
            r"grad_out.*\(1, 4, 4, 4\)",
        ),
        (lambda: conv_transpose2d_backward(np.full((1, 2, 4, 4), "a"), X, W), TypeError, "grad_out must hold numbers"),
    ],
)
def test_bad_data(call, error, match):
    with pytest.raises(error, match=match):
        call()

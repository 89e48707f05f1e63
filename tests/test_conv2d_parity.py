"""conv2d and conv2d_backward against PyTorch: groups, 'same'/'valid' padding, padding_mode, empty batches."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from convlib.nn.functional import conv2d, conv2d_backward
from convlib.nn.gradcheck import gradient_check

torch = pytest.importorskip("torch")
F = torch.nn.functional

ATOL = 1e-10

# torch warns that it copies the input for "same" with an even kernel; only a performance note.
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")

# (N, C_in, H, W), (C_out, KH, KW), groups
SHAPES = [
    ((2, 4, 7, 6), (4, 3, 3), 1),
    ((1, 4, 6, 9), (6, 2, 3), 2),
    ((2, 4, 8, 5), (4, 3, 2), 4),  # depthwise
    ((1, 3, 5, 5), (6, 1, 4), 3),  # depthwise, channel multiplier 2
]
STRIDES = [1, (2, 1)]
PADDINGS = [0, 2, (1, 0), "valid", "same"]
DILATIONS = [1, (2, 1)]
GRID = [
    (shape, stride, padding, dilation)
    for shape, stride, padding, dilation in itertools.product(SHAPES, STRIDES, PADDINGS, DILATIONS)
    if not (padding == "same" and stride != 1)
]


def _data(shape, seed=0):
    (n, c_in, h, w), (c_out, kh, kw), groups = shape
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, c_in, h, w))
    weight = rng.standard_normal((c_out, c_in // groups, kh, kw))
    bias = rng.standard_normal(c_out)
    return x, weight, bias, groups


def _torch(x, weight, bias, stride, padding, dilation, groups, padding_mode="zeros", grad_out=None):
    """Forward with torch (nn.Conv2d when padding_mode is not zeros) and, given grad_out, autograd's gradients."""
    tx, tw, tb = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x, weight, bias))
    if padding_mode == "zeros":
        out = F.conv2d(tx, tw, tb, stride, padding, dilation, groups)
    else:
        layer = torch.nn.Conv2d(
            x.shape[1], weight.shape[0], weight.shape[2:], stride, padding, dilation, groups,
            padding_mode=padding_mode, dtype=torch.float64,
        )  # fmt: skip
        with torch.no_grad():
            layer.weight.copy_(tw)
            layer.bias.copy_(tb)
        out = torch.nn.functional.conv2d(
            F.pad(tx, layer._reversed_padding_repeated_twice, mode=padding_mode), tw, tb, stride, 0, dilation, groups
        )
        np.testing.assert_allclose(out.detach().numpy(), layer(tx).detach().numpy(), atol=ATOL)
    if grad_out is None:
        return out.detach().numpy()
    out.backward(torch.tensor(grad_out))
    return out.detach().numpy(), tx.grad.numpy(), tw.grad.numpy(), tb.grad.numpy()


@pytest.mark.parametrize(("shape", "stride", "padding", "dilation"), GRID)
def test_forward_and_backward_match_torch(shape, stride, padding, dilation):
    x, weight, bias, groups = _data(shape)
    out = conv2d(x, weight, bias, stride, padding, dilation, groups=groups)
    grad_out = np.random.default_rng(1).standard_normal(out.shape)
    expected, gx, gw, gb = _torch(x, weight, bias, stride, padding, dilation, groups, grad_out=grad_out)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, atol=ATOL, rtol=0)
    grad_x, grad_weight, grad_bias = conv2d_backward(grad_out, x, weight, stride, padding, dilation, groups=groups)
    assert grad_x.shape == x.shape and grad_weight.shape == weight.shape and grad_bias.shape == bias.shape
    np.testing.assert_allclose(grad_x, gx, atol=ATOL, rtol=0)
    np.testing.assert_allclose(grad_weight, gw, atol=ATOL, rtol=0)
    np.testing.assert_allclose(grad_bias, gb, atol=ATOL, rtol=0)


@pytest.mark.parametrize("kernel", [(1, 1), (2, 2), (2, 3), (4, 5), (3, 4)])
@pytest.mark.parametrize("dilation", [1, 2, (3, 1)])
def test_same_padding_centring_matches_torch(kernel, dilation):
    """Even kernels: PyTorch puts total // 2 before and the rest after; the output keeps the input's size."""
    x, weight, bias, _ = _data(((1, 2, 9, 8), (3, *kernel), 1), seed=2)
    out = conv2d(x, weight, bias, padding="same", dilation=dilation)
    assert out.shape == (1, 3, 9, 8)
    grad_out = np.random.default_rng(3).standard_normal(out.shape)
    expected, gx, gw, gb = _torch(x, weight, bias, 1, "same", dilation, 1, grad_out=grad_out)
    np.testing.assert_allclose(out, expected, atol=ATOL, rtol=0)
    for mine, theirs in zip(conv2d_backward(grad_out, x, weight, padding="same", dilation=dilation), (gx, gw, gb)):
        np.testing.assert_allclose(mine, theirs, atol=ATOL, rtol=0)


@pytest.mark.parametrize("padding_mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize(("padding", "stride", "groups"), [(1, 1, 1), ((2, 1), (2, 1), 2), ("same", 1, 4)])
def test_padding_mode_matches_torch(padding_mode, padding, stride, groups):
    x, weight, bias, _ = _data(((2, 4, 6, 7), (4, 3, 4), groups), seed=4)
    out = conv2d(x, weight, bias, stride, padding, 1, groups, padding_mode)
    grad_out = np.random.default_rng(5).standard_normal(out.shape)
    expected, gx, gw, gb = _torch(x, weight, bias, stride, padding, 1, groups, padding_mode, grad_out)
    np.testing.assert_allclose(out, expected, atol=ATOL, rtol=0)
    grads = conv2d_backward(grad_out, x, weight, stride, padding, 1, groups, padding_mode)
    for mine, theirs in zip(grads, (gx, gw, gb)):
        np.testing.assert_allclose(mine, theirs, atol=ATOL, rtol=0)


@pytest.mark.parametrize("padding", [1, "same", "valid"])
def test_empty_batch(padding):
    x = np.zeros((0, 4, 6, 5))
    weight = np.ones((6, 2, 3, 2))
    out = conv2d(x, weight, np.ones(6), padding=padding, groups=2)
    expected = F.conv2d(torch.zeros(0, 4, 6, 5), torch.ones(6, 2, 3, 2), padding=padding, groups=2)
    assert out.shape == tuple(expected.shape) and out.dtype == np.float64
    grad_x, grad_weight, grad_bias = conv2d_backward(np.zeros(out.shape), x, weight, padding=padding, groups=2)
    assert grad_x.shape == x.shape and grad_weight.shape == weight.shape and grad_bias.shape == (6,)
    assert not grad_weight.any() and not grad_bias.any()


def test_defaults_and_positional_contract_unchanged():
    x, weight, bias, _ = _data(((2, 3, 6, 5), (2, 3, 3), 1), seed=6)
    np.testing.assert_allclose(conv2d(x, weight, bias, 2, 1, 1), _torch(x, weight, bias, 2, 1, 1, 1), atol=ATOL)
    assert conv2d(x.astype(np.float32), weight.astype(np.float32)).dtype == np.float32


def test_numerical_gradient_check_grouped_same_reflect():
    x, weight, bias, groups = _data(((1, 4, 5, 4), (2, 2, 3), 2), seed=7)
    options = {"padding": "same", "dilation": (1, 2), "groups": groups, "padding_mode": "reflect"}
    grad_out = np.random.default_rng(8).standard_normal(conv2d(x, weight, **options).shape)

    def loss_x(v):
        return np.sum(conv2d(v, weight, bias, **options) * grad_out)

    def loss_w(v):
        return np.sum(conv2d(x, v, bias, **options) * grad_out)

    assert gradient_check(loss_x, lambda v: conv2d_backward(grad_out, v, weight, **options)[0], x) < 1e-7
    assert gradient_check(loss_w, lambda v: conv2d_backward(grad_out, x, v, **options)[1], weight) < 1e-7


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"groups": 3}, ValueError, "groups"),
        ({"groups": 0}, ValueError, "groups"),
        ({"groups": 2.0}, TypeError, "groups"),
        ({"padding": "full"}, ValueError, "padding"),
        ({"padding": "same", "stride": 2}, ValueError, "padding='same'.*strided"),
        ({"padding": -1}, ValueError, "padding"),
        ({"stride": 0}, ValueError, "stride"),
        ({"dilation": (1, 0)}, ValueError, "dilation"),
        ({"padding_mode": "wrap"}, ValueError, "padding_mode.*'circular'"),
        ({"padding_mode": "edge"}, ValueError, "padding_mode.*'replicate'"),
        ({"padding_mode": "symmetric"}, ValueError, "padding_mode.*does not have"),
        ({"padding_mode": "bogus"}, ValueError, "padding_mode"),
        ({"padding_mode": "reflect", "padding": 6}, ValueError, "padding_mode='reflect'"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, error, match):
    x, weight = np.ones((1, 4, 6, 6)), np.ones((4, 2, 3, 3))
    options = {"groups": 2, **kwargs}
    with pytest.raises(error, match=match):
        conv2d(x, weight if options["groups"] in (0, 2, 2.0) else np.ones((4, 1, 3, 3)), **options)
    with pytest.raises(error, match=match):
        conv2d_backward(np.ones((1, 4, 4, 4)), x, weight, **options)


def test_channel_and_groups_mismatch():
    x = np.ones((1, 4, 5, 5))
    with pytest.raises(ValueError, match="C_in/groups = 2"):
        conv2d(x, np.ones((4, 4, 3, 3)), groups=2)
    with pytest.raises(ValueError, match="C_out = 3"):
        conv2d(x, np.ones((3, 2, 3, 3)), groups=2)
    with pytest.raises(ValueError, match="channel counts must match"):
        conv2d(x, np.ones((2, 3, 3, 3)))
    with pytest.raises(ValueError, match="weight must not be empty"):
        conv2d(x, np.ones((0, 4, 3, 3)))
    with pytest.raises(ValueError, match="grad_out"):
        conv2d_backward(np.ones((1, 4, 5, 5)), x, np.ones((4, 2, 3, 3)), groups=2)

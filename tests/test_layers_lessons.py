"""What notebook 05 (inside a CNN layer) teaches, checked over grids of cases.

The notebook checks each claim once, on one example; these tests hold the same facts for many
shapes, strides, paddings, dilations and groups, against PyTorch where it has the same function.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import convlib
from convlib.book.exercises.layers import receptive_field_by_impulse
from convlib.book.solutions.layers import receptive_field, transposed_output_size
from convlib.nn.functional import conv2d_backward

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _t(array):
    return torch.from_numpy(np.asarray(array, dtype=np.float64))


# ---------------------------------------------------------------------------------------------
# 1. Channels add up


@pytest.mark.parametrize(("c_in", "c_out", "kh", "kw"), [(1, 1, 3, 3), (2, 3, 2, 2), (3, 4, 3, 5), (5, 2, 1, 1)])
def test_a_layer_is_the_sum_over_channels_of_cross_correlations(c_in, c_out, kh, kw):
    rng = np.random.default_rng(c_in * 10 + c_out)
    x = rng.standard_normal((3, c_in, 7, 8))
    w = rng.standard_normal((c_out, c_in, kh, kw))
    b = rng.standard_normal(c_out)
    out = convlib.conv2d(x, w, b)
    for n, j in itertools.product(range(3), range(c_out)):
        by_channel = sum(convlib.correlate2d(x[n, c], w[j, c], "valid") for c in range(c_in)) + b[j]
        assert np.allclose(out[n, j], by_channel)
    assert np.allclose(out, F.conv2d(_t(x), _t(w), _t(b)).numpy())
    cols = convlib.im2col(x, (kh, kw))
    assert np.allclose((w.reshape(c_out, -1) @ cols + b[:, None]).reshape(out.shape), out)


def test_a_cnn_layer_correlates_and_does_not_convolve():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((7, 7))
    kernel = np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0], [0.0, -1.0, -3.0]])  # no symmetry
    layer = F.conv2d(_t(x)[None, None], _t(kernel)[None, None])[0, 0].numpy()
    assert np.allclose(layer, convlib.correlate2d(x, kernel, "valid"))
    assert not np.allclose(layer, convlib.convolve2d(x, kernel, "valid"))
    assert np.allclose(layer, convlib.convolve2d(x, kernel[::-1, ::-1], "valid"))
    same = F.conv2d(_t(x)[None, None], _t(kernel)[None, None], padding=1)[0, 0].numpy()
    assert np.allclose(same, convlib.correlate2d(x, kernel, "same"))


def test_the_worked_two_channel_example():
    x = np.array(
        [
            [[1, 2, 0, 1], [0, 1, 3, 1], [2, 1, 0, 0], [1, 0, 2, 1]],
            [[0, 1, 1, 0], [2, 0, 1, 3], [1, 1, 0, 2], [0, 2, 1, 1]],
        ],
        dtype=float,
    )
    w = np.array([[[1, 0], [0, -1]], [[0, 2], [1, 0]]], dtype=float)
    out = convlib.conv2d(x[None], w[None], np.array([1.0]))[0, 0]
    assert out[0, 0] == 0 + 4 + 1
    assert np.array_equal(out, [[5, 2, 1], [1, 5, 10], [5, 2, 5]])


# ---------------------------------------------------------------------------------------------
# 2. Stride and dilation


@pytest.mark.parametrize(("stride", "dilation"), list(itertools.product([1, 2, 3], [1, 2, 3])))
def test_stride_subsamples_and_dilation_is_a_kernel_with_holes(stride, dilation):
    rng = np.random.default_rng(stride * 7 + dilation)
    x = rng.standard_normal((2, 2, 13, 12))
    w = rng.standard_normal((3, 2, 3, 2))
    holes = np.zeros((3, 2, dilation * 2 + 1, dilation + 1))
    holes[..., ::dilation, ::dilation] = w
    out = convlib.conv2d(x, w, stride=stride, dilation=dilation)
    assert np.allclose(out, convlib.conv2d(x, holes)[..., ::stride, ::stride])
    assert np.allclose(out, F.conv2d(_t(x), _t(w), stride=stride, dilation=dilation).numpy())
    assert out.shape[2:] == (
        convlib.output_size(13, 3, stride=stride, dilation=dilation),
        convlib.output_size(12, 2, stride=stride, dilation=dilation),
    )


# ---------------------------------------------------------------------------------------------
# 3. Groups, depthwise-separable and 1 x 1


@pytest.mark.parametrize(("c_in", "c_out", "groups"), [(4, 4, 1), (4, 8, 2), (6, 3, 3), (8, 8, 8), (4, 8, 4)])
def test_groups_are_independent_layers_side_by_side(c_in, c_out, groups):
    rng = np.random.default_rng(c_in + c_out + groups)
    x = rng.standard_normal((2, c_in, 6, 7))
    w = rng.standard_normal((c_out, c_in // groups, 3, 3))
    out = convlib.conv2d(x, w, groups=groups)
    assert np.allclose(out, F.conv2d(_t(x), _t(w), groups=groups).numpy())
    per_in, per_out = c_in // groups, c_out // groups
    for g in range(groups):
        part = convlib.conv2d(x[:, g * per_in : (g + 1) * per_in], w[g * per_out : (g + 1) * per_out])
        assert np.allclose(out[:, g * per_out : (g + 1) * per_out], part)


def test_one_by_one_is_a_matrix_at_every_pixel():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 5, 4, 3))
    w = rng.standard_normal((7, 5, 1, 1))
    assert np.allclose(convlib.conv2d(x, w), np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x))


@pytest.mark.parametrize(("channels", "c_out", "k"), [(8, 4, 3), (3, 6, 5), (16, 16, 3)])
def test_depthwise_separable_is_a_constrained_full_convolution(channels, c_out, k):
    rng = np.random.default_rng(channels + k)
    x = rng.standard_normal((1, channels, 9, 9))
    d = rng.standard_normal((channels, 1, k, k))
    p = rng.standard_normal((c_out, channels, 1, 1))
    two = convlib.conv2d(convlib.conv2d(x, d, groups=channels), p)
    assert np.allclose(two, convlib.conv2d(x, p[:, :, 0, 0, None, None] * d[None, :, 0]))


def test_mobilenet_counts_in_the_text():
    c, k, pixels = 128, 3, 56 * 56
    full, separable = c * c * k * k, c * k * k + c * c
    assert (full, separable) == (147_456, 17_536)
    assert round(full * pixels / 1e6, 1) == 462.4 and round(separable * pixels / 1e6, 1) == 55.0
    assert round(full / separable, 2) == 8.41
    layers = [torch.nn.Conv2d(c, c, 3, groups=c, bias=False), torch.nn.Conv2d(c, c, 1, bias=False)]
    assert sum(p.numel() for layer in layers for p in layer.parameters()) == separable


# ---------------------------------------------------------------------------------------------
# 4. Pooling and its gradient


@pytest.mark.parametrize(("size", "kernel", "stride"), [(6, 2, None), (7, 3, 2), (8, 2, 1), (9, 3, None)])
def test_pooling_and_its_gradients_agree_with_torch(size, kernel, stride):
    rng = np.random.default_rng(size)
    x = rng.permutation(2 * size * size).reshape(1, 2, size, size).astype(float)  # no ties
    pooled = convlib.max_pool2d(x, kernel, stride)
    assert np.array_equal(pooled, F.max_pool2d(_t(x), kernel, stride).numpy())
    assert np.allclose(convlib.avg_pool2d(x, kernel, stride), F.avg_pool2d(_t(x), kernel, stride).numpy())
    g = rng.standard_normal(pooled.shape)
    t = _t(x).requires_grad_()
    F.max_pool2d(t, kernel, stride).backward(_t(g))
    assert np.allclose(convlib.max_pool2d_backward(g, x, kernel, stride), t.grad.numpy())
    loss = lambda v: np.sum(g * convlib.max_pool2d(v, kernel, stride))
    assert convlib.gradient_check(loss, lambda v: convlib.max_pool2d_backward(g, v, kernel, stride), x) < 1e-6
    t = _t(x).requires_grad_()
    F.avg_pool2d(t, kernel, stride).backward(_t(g))
    assert np.allclose(convlib.avg_pool2d_backward(g, x, kernel, stride), t.grad.numpy())


def test_average_pooling_is_a_strided_box_and_max_pooling_is_not_linear():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((1, 1, 6, 6))
    assert np.allclose(convlib.avg_pool2d(x, 2), convlib.conv2d(x, np.full((1, 1, 2, 2), 0.25), stride=2))
    a, b = rng.standard_normal((2, 1, 1, 4, 4))
    assert not np.allclose(convlib.max_pool2d(a + b, 2), convlib.max_pool2d(a, 2) + convlib.max_pool2d(b, 2))
    windows = convlib.sliding_windows(x, 2, stride=2)
    assert np.array_equal(windows.max(axis=(-2, -1)), convlib.max_pool2d(x, 2))


def test_a_tie_sends_the_gradient_to_the_first_maximum_as_torch_does():
    tied = np.array([[[[1.0, 3.0], [3.0, 2.0]]]])
    t = _t(tied).requires_grad_()
    F.max_pool2d(t, 2).backward(torch.ones(1, 1, 1, 1, dtype=torch.float64))
    grad = convlib.max_pool2d_backward(np.ones((1, 1, 1, 1)), tied, 2)
    assert np.array_equal(grad, t.grad.numpy())
    assert np.array_equal(grad[0, 0], [[0.0, 1.0], [0.0, 0.0]])


# ---------------------------------------------------------------------------------------------
# 5. Transposed convolution


def _scatter(x, kernel, stride, dilation=1):
    k = kernel.shape[0]
    span = dilation * (k - 1) + 1
    out = np.zeros(((x.shape[0] - 1) * stride + span, (x.shape[1] - 1) * stride + span))
    for i, j in np.ndindex(x.shape):
        out[i * stride : i * stride + span : dilation, j * stride : j * stride + span : dilation] += x[i, j] * kernel
    return out


def _zero_insertion(x, kernel, stride, padding=0, dilation=1):
    spread = np.zeros(((x.shape[0] - 1) * stride + 1, (x.shape[1] - 1) * stride + 1))
    spread[::stride, ::stride] = x
    k = kernel.shape[0]
    holes = np.zeros((dilation * (k - 1) + 1,) * 2)
    holes[::dilation, ::dilation] = kernel
    border = dilation * (k - 1) - padding
    return convlib.correlate2d(np.pad(spread, border), holes[::-1, ::-1], "valid")


CASES = [
    (n, k, s, p, d)
    for n, k, s, p, d in itertools.product([2, 3, 5], [1, 2, 3, 4], [1, 2, 3], [0, 1], [1, 2])
    if p <= d * (k - 1)
]


@pytest.mark.parametrize(("n", "k", "s", "p", "d"), CASES)
def test_transposed_convolution_three_ways_and_its_size(n, k, s, p, d):
    rng = np.random.default_rng(n * 1000 + k * 100 + s * 10 + p + d)
    x = rng.standard_normal((n, n + 1))
    kernel = rng.standard_normal((k, k))
    ours = convlib.conv_transpose2d(x[None, None], kernel[None, None], stride=s, padding=p, dilation=d)[0, 0]
    theirs = F.conv_transpose2d(_t(x)[None, None], _t(kernel)[None, None], stride=s, padding=p, dilation=d)
    assert np.allclose(ours, theirs[0, 0].numpy())
    assert np.allclose(ours, _zero_insertion(x, kernel, s, p, d))
    full = _scatter(x, kernel, s, d)
    assert np.allclose(ours, full[p : full.shape[0] - p, p : full.shape[1] - p])
    assert ours.shape == (transposed_output_size(n, k, s, p, d, 0), transposed_output_size(n + 1, k, s, p, d, 0))


@pytest.mark.parametrize(("k", "s", "p"), [(3, 2, 1), (4, 2, 1), (3, 3, 0), (5, 2, 2), (2, 2, 0)])
def test_output_padding_picks_among_the_sizes_a_strided_convolution_merges(k, s, p):
    kernel = np.zeros((1, 1, k, k))
    for n in range(k, k + 3 * s):
        m = convlib.conv2d(np.zeros((1, 1, n, n)), kernel, stride=s, padding=p).shape[2]
        op = n - transposed_output_size(m, k, s, p, 1, 0)
        assert 0 <= op < s
        assert (
            convlib.conv_transpose2d(np.zeros((1, 1, m, m)), kernel, stride=s, padding=p, output_padding=op).shape[2]
            == n
        )


@pytest.mark.parametrize(("stride", "padding"), [(1, 0), (2, 0), (2, 1), (3, 1)])
def test_transposed_is_the_transpose_and_the_backward_pass(stride, padding):
    rng = np.random.default_rng(stride + 10 * padding)
    w = rng.standard_normal((1, 1, 3, 3))
    conv = lambda image: convlib.conv2d(image[None, None], w, stride=stride, padding=padding)[0, 0]
    M = convlib.linear_map_matrix(conv, (7, 7))
    side = conv(np.zeros((7, 7))).shape[0]
    y = rng.standard_normal((side, side))
    op = 7 - transposed_output_size(side, 3, stride, padding, 1, 0)
    up = convlib.conv_transpose2d(y[None, None], w, stride=stride, padding=padding, output_padding=op)[0, 0]
    assert np.allclose(up.ravel(), M.T @ y.ravel())
    grad_input = conv2d_backward(y[None, None], np.zeros((1, 1, 7, 7)), w, stride=stride, padding=padding)[0]
    assert np.allclose(grad_input[0, 0], up)
    assert np.linalg.matrix_rank(M) == side * side < 49  # fewer outputs than inputs: no inverse


@pytest.mark.parametrize(("k", "s"), [(3, 2), (4, 2), (5, 2), (3, 3), (6, 3), (5, 4)])
def test_a_constant_input_gives_the_parity_sums_and_resizing_is_flat(k, s):
    rng = np.random.default_rng(k * 10 + s)
    w = rng.standard_normal((k, k))
    n = 6
    out = convlib.conv_transpose2d(np.ones((1, 1, n, n)), w[None, None], stride=s)[0, 0]
    for y, x in itertools.product(range(k - 1, (n - 1) * s + 1), repeat=2):  # inside: every tap can land
        assert np.isclose(out[y, x], w[y % s :: s, x % s :: s].sum())
    ones = np.ones((1, 1, k, k))
    counts = convlib.conv_transpose2d(np.ones((1, 1, n, n)), ones, stride=s)[
        0, 0, k - 1 : (n - 1) * s + 1, k - 1 : (n - 1) * s + 1
    ]
    assert (np.ptp(counts) == 0) == (k % s == 0)  # ones: even overlap exactly when s divides k
    resized = np.ones((1, 1, n * s, n * s))
    flat = convlib.conv2d(resized, w[None, None, :3, :3], padding=1)[0, 0, 1:-1, 1:-1]
    assert np.allclose(flat, w[:3, :3].sum())


# ---------------------------------------------------------------------------------------------
# 6. Receptive fields


STACKS = [
    ([3] * 4, [1] * 4, [1] * 4),
    ([3] * 4, [2] * 4, [1] * 4),
    ([3, 3, 3], [2, 2, 1], [1, 1, 1]),
    ([7, 3, 3, 3, 3], [2, 2, 1, 2, 1], [1] * 5),
    ([5, 1, 3], [3, 1, 2], [1, 1, 1]),
    ([3, 3, 3], [1, 1, 1], [1, 2, 4]),
    ([3, 2, 3], [2, 1, 2], [2, 3, 1]),
]


@pytest.mark.parametrize(("kernels", "strides", "dilations"), STACKS)
def test_the_receptive_field_rule_equals_an_impulse_pushed_back(kernels, strides, dilations):
    field = receptive_field(kernels, strides, dilations)
    assert receptive_field_by_impulse(kernels, strides, dilations) == field
    size = 2 * field + int(np.prod(strides)) + 1
    x = torch.zeros(1, 1, size, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s, d in zip(kernels, strides, dilations):
        y = F.conv1d(y, torch.ones(1, 1, k, dtype=torch.float64), stride=s, dilation=d)
    y[0, 0, y.shape[-1] // 2].backward()
    reached = torch.nonzero(x.grad[0, 0]).ravel()
    assert int(reached[-1] - reached[0]) + 1 == field


def test_five_layers_of_three_by_three():
    assert receptive_field([3] * 5, [1] * 5, [1] * 5) == 11
    assert receptive_field([3] * 5, [2] * 5, [1] * 5) == 63


def test_the_stride_one_field_is_centre_weighted():
    ones = np.ones((1, 1, 3, 3))
    acts = [np.zeros((1, 1, 23, 23))]
    for _ in range(3):
        acts.append(convlib.conv2d(acts[-1], ones))
    grad = np.zeros_like(acts[-1])
    grad[0, 0, 8, 8] = 1.0
    for x in reversed(acts[:-1]):
        grad = conv2d_backward(grad, x, ones)[0]
    field = grad[0, 0, 8:15, 8:15]
    assert np.count_nonzero(grad) == 49
    assert np.array_equal(field, np.outer([1, 3, 6, 7, 6, 3, 1], [1, 3, 6, 7, 6, 3, 1]))

"""convlib.nn: each layer's backward against PyTorch autograd and numerical gradients; steps equal PyTorch's."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from convlib import nn
from convlib.nn.gradcheck import gradient_check

SEEDS = range(6)


def t(array: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(array, requires_grad=grad)


def torch_backward(output: torch.Tensor, grad_out: np.ndarray) -> None:
    output.backward(torch.from_numpy(grad_out))


# --------------------------------------------------------------------------- layers against PyTorch autograd


@pytest.mark.parametrize("seed", SEEDS)
def test_conv2d_forward_and_backward_equal_pytorch(seed):
    rng = np.random.default_rng(seed)
    c_in, c_out = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    kernel = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    stride, padding = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    layer = nn.Conv2d(c_in, c_out, kernel, rng=rng, stride=stride, padding=padding)
    x = rng.standard_normal((3, c_in, 7, 6))
    out = layer(x)

    tx, tw, tb = t(x, True), t(layer.weight.data, True), t(layer.bias.data, True)
    reference = F.conv2d(tx, tw, tb, stride=stride, padding=padding)
    np.testing.assert_allclose(out, reference.detach().numpy(), rtol=1e-10, atol=1e-12)

    grad_out = rng.standard_normal(out.shape)
    grad_x = layer.backward(grad_out)
    torch_backward(reference, grad_out)
    np.testing.assert_allclose(grad_x, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.weight.grad, tw.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.bias.grad, tb.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_conv2d_without_bias_has_only_a_weight():
    layer = nn.Conv2d(2, 3, 3, rng=np.random.default_rng(0), bias=False)
    assert list(layer.named_parameters()) == ["weight"]
    x = np.random.default_rng(1).standard_normal((1, 2, 5, 5))
    reference = F.conv2d(t(x), t(layer.weight.data))
    np.testing.assert_allclose(layer(x), reference.numpy(), rtol=1e-12)
    assert "bias=False" in repr(layer)


@pytest.mark.parametrize("seed", SEEDS)
def test_relu_backward_equals_pytorch(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((4, 3, 5))
    x[0, 0, :2] = 0.0  # the kink: both give gradient 0 there
    layer = nn.ReLU()
    out = layer(x)
    tx = t(x, True)
    reference = torch.relu(tx)
    np.testing.assert_array_equal(out, reference.detach().numpy())
    grad_out = rng.standard_normal(x.shape)
    torch_backward(reference, grad_out)
    np.testing.assert_array_equal(layer.backward(grad_out), tx.grad.numpy())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (3, 1), ((2, 3), (1, 2))])
def test_max_pool_backward_equals_pytorch(seed, kernel, stride):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 3, 7, 8))
    layer = nn.MaxPool2d(kernel, stride)
    out = layer(x)
    tx = t(x, True)
    reference = F.max_pool2d(tx, kernel, stride)
    np.testing.assert_array_equal(out, reference.detach().numpy())
    grad_out = rng.standard_normal(out.shape)
    torch_backward(reference, grad_out)
    np.testing.assert_allclose(layer.backward(grad_out), tx.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_flatten_equals_pytorch_and_backward_restores_the_shape():
    x = np.random.default_rng(0).standard_normal((3, 2, 4, 5))
    layer = nn.Flatten()
    np.testing.assert_array_equal(layer(x), torch.nn.Flatten()(t(x)).numpy())
    grad = np.arange(3 * 40.0).reshape(3, 40)
    np.testing.assert_array_equal(layer.backward(grad), grad.reshape(3, 2, 4, 5))


@pytest.mark.parametrize("seed", SEEDS)
def test_linear_forward_and_backward_equal_pytorch(seed):
    rng = np.random.default_rng(seed)
    layer = nn.Linear(7, 4, rng=rng)
    x = rng.standard_normal((5, 7))
    out = layer(x)
    tx, tw, tb = t(x, True), t(layer.weight.data, True), t(layer.bias.data, True)
    reference = F.linear(tx, tw, tb)
    np.testing.assert_allclose(out, reference.detach().numpy(), rtol=1e-12, atol=1e-14)
    grad_out = rng.standard_normal(out.shape)
    grad_x = layer.backward(grad_out)
    torch_backward(reference, grad_out)
    np.testing.assert_allclose(grad_x, tx.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(layer.weight.grad, tw.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(layer.bias.grad, tb.grad.numpy(), rtol=1e-12, atol=1e-14)


# --------------------------------------------------------------------------- layers against numerical gradients


def input_gradient_error(layer: nn.Layer, x: np.ndarray, seed: int) -> float:
    """gradient_check of x -> sum(layer(x) * r) for a fixed random r, whose gradient is layer.backward(r)."""
    r = np.random.default_rng(seed).standard_normal(layer(x).shape)

    def f(v):
        return float(np.sum(layer(v) * r))

    def grad_f(v):
        layer(v)
        return layer.backward(r)

    return gradient_check(f, grad_f, x)


def parameter_gradient_error(layer: nn.Layer, name: str, x: np.ndarray, seed: int) -> float:
    parameter = layer.named_parameters()[name]
    r = np.random.default_rng(seed).standard_normal(layer(x).shape)

    def f(values):
        parameter.data = values
        return float(np.sum(layer(x) * r))

    def grad_f(values):
        parameter.data = values
        layer(x)
        layer.backward(r)
        return parameter.grad

    return gradient_check(f, grad_f, parameter.data.copy())


@pytest.mark.parametrize("seed", SEEDS)
def test_every_layer_passes_the_gradient_check(seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((2, 2, 6, 6))
    conv = nn.Conv2d(2, 3, 3, rng=rng, padding=1, stride=(1, 2))
    assert input_gradient_error(conv, x, seed) < 1e-8
    assert parameter_gradient_error(conv, "weight", x, seed) < 1e-8
    assert parameter_gradient_error(conv, "bias", x, seed) < 1e-8
    assert input_gradient_error(nn.ReLU(), x, seed) < 1e-8  # no entry of x is within eps of 0
    assert input_gradient_error(nn.MaxPool2d(2), x, seed) < 1e-8  # ties have probability 0
    assert input_gradient_error(nn.Flatten(), x, seed) < 1e-8
    dense = nn.Linear(5, 3, rng=rng)
    v = rng.standard_normal((4, 5))
    assert input_gradient_error(dense, v, seed) < 1e-8
    assert parameter_gradient_error(dense, "weight", v, seed) < 1e-8
    assert parameter_gradient_error(dense, "bias", v, seed) < 1e-8


def tiny_model(seed: int, channels: int = 3) -> nn.Sequential:
    rng = np.random.default_rng(seed)
    return nn.Sequential(
        nn.Conv2d(1, channels, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(channels * 4 * 4, 10, rng=rng),
    )


def test_model_gradient_errors_are_small_for_the_network_and_large_for_a_broken_layer():
    rng = np.random.default_rng(0)
    model = tiny_model(0)
    x, labels = rng.standard_normal((6, 1, 8, 8)), rng.integers(0, 10, 6)
    errors = nn.model_gradient_errors(model, x, labels)
    assert list(errors) == ["0.weight", "0.bias", "4.weight", "4.bias"]
    assert max(errors.values()) < 1e-7

    class ForgetsTheTranspose(nn.Linear):
        def backward(self, grad_out):
            grad_x = super().backward(grad_out)
            self.weight.grad = self.weight.grad * 2.0  # a wrong weight gradient
            return grad_x

    broken = tiny_model(0)
    broken.layers[4] = ForgetsTheTranspose(3 * 16, 10, rng=np.random.default_rng(1))
    errors = nn.model_gradient_errors(broken, x, labels)
    assert errors["4.weight"] > 0.1 and errors["0.weight"] < 1e-7


def test_model_gradient_errors_spot_checks_and_restores_the_weights():
    rng = np.random.default_rng(1)
    model = tiny_model(1)
    before = model.state_dict()
    x, labels = rng.standard_normal((3, 1, 8, 8)), rng.integers(0, 10, 3)
    errors = nn.model_gradient_errors(model, x, labels, max_entries=20, rng=np.random.default_rng(2))
    assert max(errors.values()) < 1e-7
    after = model.state_dict()
    assert all(np.array_equal(before[name], after[name]) for name in before)
    with pytest.raises(TypeError, match=r"rng must be a numpy\.random\.Generator"):
        nn.model_gradient_errors(model, x, labels, max_entries=20)
    with pytest.raises(TypeError, match=r"model must be a convlib\.nn Layer"):
        nn.model_gradient_errors(lambda v: v, x, labels)


# --------------------------------------------------------------------------- softmax cross-entropy


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("scale", [1.0, 30.0, 1000.0])
def test_softmax_cross_entropy_equals_pytorch(seed, scale):
    rng = np.random.default_rng(seed)
    n, classes = int(rng.integers(1, 9)), int(rng.integers(2, 12))
    logits = rng.standard_normal((n, classes)) * scale
    labels = rng.integers(0, classes, n)
    loss, grad = nn.softmax_cross_entropy(logits, labels)
    tl = t(logits, True)
    reference = F.cross_entropy(tl, torch.from_numpy(labels))
    reference.backward()
    assert np.isclose(loss, reference.item(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grad, tl.grad.numpy(), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(nn.softmax(logits), torch.softmax(t(logits), 1).numpy(), rtol=1e-10, atol=1e-300)


def test_softmax_cross_entropy_gradient_check():
    rng = np.random.default_rng(3)
    logits, labels = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    error = gradient_check(
        lambda z: nn.softmax_cross_entropy(z, labels)[0], lambda z: nn.softmax_cross_entropy(z, labels)[1], logits
    )
    assert error < 1e-8


@pytest.mark.parametrize(
    ("logits", "labels", "error", "match"),
    [
        (np.zeros(3), [0], ValueError, "logits must be 2-D"),
        (np.zeros((2, 3)), [0.0, 1.0], TypeError, "labels must be integers"),
        (np.zeros((2, 3)), [0, 1, 2], ValueError, r"labels must be 1-D .* shape \(2,\)"),
        (np.zeros((2, 3)), [0, 3], ValueError, r"labels must lie in 0..2"),
        (np.zeros((2, 3)), [-1, 0], ValueError, r"labels must lie in 0..2"),
        (np.array([["a", "b"]]), [0], TypeError, "logits must hold numbers"),
    ],
)
def test_softmax_cross_entropy_errors_name_the_argument(logits, labels, error, match):
    with pytest.raises(error, match=match):
        nn.softmax_cross_entropy(logits, np.asarray(labels))


# --------------------------------------------------------------------------- initialisation and containers


def test_initialisation_is_seeded_and_in_pytorchs_range():
    a, b = tiny_model(5, channels=8), tiny_model(5, channels=8)
    assert all(np.array_equal(a.state_dict()[k], b.state_dict()[k]) for k in a.state_dict())
    c = tiny_model(6, channels=8)
    assert not np.array_equal(a.state_dict()["0.weight"], c.state_dict()["0.weight"])
    # PyTorch's default: uniform in +-1/sqrt(fan_in) for weights and biases
    bounds = {"0.weight": 1 / 3, "0.bias": 1 / 3, "4.weight": 1 / np.sqrt(128), "4.bias": 1 / np.sqrt(128)}
    for name, values in a.state_dict().items():
        assert np.abs(values).max() <= bounds[name]
    big = nn.Linear(400, 300, rng=np.random.default_rng(0)).weight.data
    assert np.abs(big).max() > 0.95 / 20  # fills the range
    torch.manual_seed(0)
    theirs = torch.nn.Linear(400, 300).weight.detach().numpy()
    assert abs(big.std() - theirs.std()) < 1e-3  # same distribution


def test_sequential_names_match_pytorch_and_state_dict_round_trips():
    ours = tiny_model(0)
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(1, 3, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(48, 10),
    ).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    x = np.random.default_rng(0).standard_normal((4, 1, 8, 8))
    np.testing.assert_allclose(ours(x), theirs(t(x)).detach().numpy(), rtol=1e-10, atol=1e-12)

    other = tiny_model(9)
    other.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    np.testing.assert_array_equal(other(x), ours(x))
    state = ours.state_dict()
    state["0.weight"][...] = 0.0  # a copy: the model is untouched
    assert np.abs(ours[0].weight.data).max() > 0
    assert len(ours) == 5 and [type(layer).__name__ for layer in ours][-1] == "Linear"
    assert repr(ours).startswith("Sequential(\n  (0): Conv2d(1, 3, kernel_size=(3, 3)")


def test_load_state_dict_errors_name_the_key():
    model = tiny_model(0)
    state = model.state_dict()
    with pytest.raises(ValueError, match=r"missing \['4.bias'\]"):
        model.load_state_dict({k: v for k, v in state.items() if k != "4.bias"})
    with pytest.raises(ValueError, match=r"unexpected \['5.weight'\]"):
        model.load_state_dict(state | {"5.weight": np.zeros(3)})
    with pytest.raises(ValueError, match=r"state\['0.weight'\] must have shape \(3, 1, 3, 3\)"):
        model.load_state_dict(state | {"0.weight": np.zeros((3, 3))})
    with pytest.raises(TypeError, match="state must be a mapping"):
        model.load_state_dict([1, 2])


def test_parameter_copies_its_data_and_refuses_complex():
    source = np.ones(3)
    p = nn.Parameter(source)
    p.data -= 1
    assert source.tolist() == [1, 1, 1]
    assert nn.Parameter([1, 2]).data.dtype == np.float64
    with pytest.raises(TypeError, match="data must be real"):
        nn.Parameter(np.ones(2, complex))


def test_float32_stays_float32():
    rng = np.random.default_rng(0)
    model = tiny_model(0)
    for p in model.parameters():
        p.data = p.data.astype(np.float32)
        p.grad = p.grad.astype(np.float32)
    out = model(rng.standard_normal((2, 1, 8, 8)).astype(np.float32))
    assert out.dtype == np.float32
    _, grad = nn.softmax_cross_entropy(out, np.array([1, 2]))
    assert grad.dtype == np.float32
    assert model.backward(grad).dtype == np.float32


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda: nn.Conv2d(1, 2, 3, rng=0), TypeError, "Conv2d: rng must be a numpy.random.Generator"),
        (lambda: nn.Conv2d(0, 2, 3, rng=np.random.default_rng()), ValueError, "in_channels must be >= 1"),
        (lambda: nn.Conv2d(1, 2.0, 3, rng=np.random.default_rng()), TypeError, "out_channels must be an integer"),
        (lambda: nn.Conv2d(1, 2, 0, rng=np.random.default_rng()), ValueError, "kernel_size must be >= 1"),
        (lambda: nn.Conv2d(1, 2, 3, padding=-1, rng=np.random.default_rng()), ValueError, "padding must be >= 0"),
        (lambda: nn.Linear(3, 2, rng=np.random.RandomState(0)), TypeError, "Linear: rng must be"),
        (lambda: nn.Linear(3, 0, rng=np.random.default_rng()), ValueError, "out_features must be >= 1"),
        (lambda: nn.MaxPool2d(0), ValueError, "kernel_size must be >= 1"),
        (lambda: nn.Sequential(nn.ReLU(), np.tanh), TypeError, r"layers\[1\] must be a convlib.nn Layer"),
    ],
)
def test_construction_errors_name_the_argument(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_forward_and_backward_errors():
    rng = np.random.default_rng(0)
    dense = nn.Linear(4, 2, rng=rng)
    with pytest.raises(ValueError, match=r"x must have shape \(N, in_features=4\); got \(3, 5\)"):
        dense(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="put a Flatten"):
        dense(np.zeros((3, 1, 2, 2)))
    for layer in (nn.Linear(4, 2, rng=rng), nn.Conv2d(1, 1, 2, rng=rng), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten()):
        with pytest.raises(RuntimeError, match="call forward first"):
            layer.backward(np.zeros((1, 2)))
    dense(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"grad_out must have the forward output's shape \(3, 2\)"):
        dense.backward(np.zeros((3, 3)))
    relu = nn.ReLU()
    relu(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="grad_out must have"):
        relu.backward(np.zeros(4))
    conv = nn.Conv2d(2, 1, 3, rng=rng)
    with pytest.raises(ValueError, match="channels"):
        conv(np.zeros((1, 3, 5, 5)))


# --------------------------------------------------------------------------- optimisers and whole training steps


def torch_twin(model: nn.Sequential, channels: int = 3) -> torch.nn.Sequential:
    twin = torch.nn.Sequential(
        torch.nn.Conv2d(1, channels, 3, padding=1),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(channels * 16, 10),
    ).double()
    twin.load_state_dict({k: torch.from_numpy(v) for k, v in model.state_dict().items()})
    return twin


def largest_difference(ours: nn.Sequential, theirs: torch.nn.Module) -> float:
    reference = theirs.state_dict()
    return max(float(np.abs(reference[k].numpy() - v).max()) for k, v in ours.state_dict().items())


def digits_batch(n: int = 32):
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images[:n, None] / 16.0, digits.target[:n]


@pytest.mark.parametrize(
    ("ours_optimizer", "torch_optimizer"),
    [
        (lambda p: nn.SGD(p, lr=0.05, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
        (lambda p: nn.SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
        (lambda p: nn.Adam(p, lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
        (
            lambda p: nn.Adam(p, lr=0.003, betas=(0.8, 0.99), eps=1e-6),
            lambda p: torch.optim.Adam(p, lr=0.003, betas=(0.8, 0.99), eps=1e-6),
        ),
    ],
    ids=["sgd-momentum", "sgd", "adam", "adam-options"],
)
def test_training_steps_equal_pytorch_with_the_same_initial_weights(ours_optimizer, torch_optimizer):
    x, labels = digits_batch(64)
    ours = tiny_model(1, channels=8)
    theirs = torch_twin(ours, channels=8)
    optimizer, reference = ours_optimizer(ours.parameters()), torch_optimizer(theirs.parameters())
    for step in range(5):  # one step, then four more: momentum and Adam's averages take part
        batch = slice(16 * (step % 4), 16 * (step % 4) + 16)
        loss, grad = nn.softmax_cross_entropy(ours(x[batch]), labels[batch])
        ours.backward(grad)
        optimizer.step()
        reference.zero_grad()
        torch_loss = F.cross_entropy(theirs(t(x[batch])), torch.from_numpy(labels[batch]))
        torch_loss.backward()
        reference.step()
        assert abs(loss - torch_loss.item()) < 1e-10
        assert largest_difference(ours, theirs) < 1e-6
    assert largest_difference(ours, theirs) < 1e-10  # in float64 they agree far beyond 1e-6
    start = tiny_model(1, channels=8).state_dict()
    moved = max(float(np.abs(ours.state_dict()[k] - v).max()) for k, v in start.items())
    assert moved > 1e-3  # and the weights did move


def test_sgd_and_adam_updates_by_hand():
    p = nn.Parameter(np.array([2.0]))
    sgd = nn.SGD([p], lr=0.5, momentum=0.5)
    p.grad = np.array([1.0])
    sgd.step()
    assert p.data.tolist() == [1.5]
    sgd.step()  # velocity 0.5 * 1 + 1 = 1.5
    assert p.data.tolist() == [0.75]
    q = nn.Parameter(np.array([0.0, 0.0]))
    adam = nn.Adam([q], lr=0.1)
    q.grad = np.array([1e-3, -50.0])
    adam.step()
    np.testing.assert_allclose(q.data, [-0.1, 0.1], rtol=1e-4)  # a first Adam step is lr * sign(grad)
    assert adam.steps == 1


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda p: nn.SGD(p, lr=0.0), ValueError, r"lr must be in \(0, inf\)"),
        (lambda p: nn.SGD(p, lr="0.1"), TypeError, "lr must be a real number"),
        (lambda p: nn.SGD(p, lr=0.1, momentum=1.0), ValueError, r"momentum must be in \[0, 1\)"),
        (lambda p: nn.Adam(p, betas=(0.9,)), ValueError, "betas must be a pair"),
        (lambda p: nn.Adam(p, betas=(0.9, 1.0)), ValueError, r"betas\[1\] must be in \[0, 1\)"),
        (lambda p: nn.Adam(p, eps=0), ValueError, "eps must be in"),
        (lambda p: nn.SGD([], lr=0.1), ValueError, "parameters is empty"),
        (lambda p: nn.SGD(tiny_model(0), lr=0.1), TypeError, r"pass model.parameters\(\), not the model"),
        (lambda p: nn.SGD([np.zeros(2)], lr=0.1), TypeError, r"parameters\[0\] must be a Parameter"),
        (lambda p: nn.Adam(3), TypeError, "parameters must be an iterable of Parameter"),
    ],
)
def test_optimiser_errors_name_the_argument(make, error, match):
    with pytest.raises(error, match=match):
        make([nn.Parameter(np.zeros(2))])

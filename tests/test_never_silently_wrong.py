"""Never a silently wrong result: each case below once gave a wrong number without a word.

Each is now either right, checked against an independent oracle (numpy, scipy, torch, mpmath or exact
Python arithmetic), or a clear error that starts with the function's name and names the argument.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F

import convlib
from convlib import kernels
from convlib.nn import Linear, ReLU, Sequential, softmax, softmax_cross_entropy
from convlib.nn.training import accuracy
from convlib.shifting import ntm_content_weights, ntm_shift

INT64 = np.iinfo(np.int64)

# --------------------------------------------------------------------------- 1. pad's fill_value


@pytest.mark.parametrize(
    ("dtype", "fill", "match"),
    [
        (np.uint8, -1, r"pad: fill_value must be a whole number in \[0, 255\] to fit the array's dtype uint8; got -1"),
        (np.uint8, 256, r"pad: fill_value must be a whole number in \[0, 255\] .*uint8; got 256"),
        (np.uint8, 300.7, r"pad: fill_value must be a whole number in \[0, 255\] .*uint8; got 300\.7"),
        (np.uint8, 2.5, r"pad: fill_value must be a whole number in \[0, 255\] .*uint8; got 2\.5"),
        (np.int8, -129, r"pad: fill_value must be a whole number in \[-128, 127\] .*int8; got -129"),
        (np.int64, 0.5, r"pad: fill_value must be a whole number in \[-9223372036854775808, 9223372036854775807\]"),
        (np.int64, 2**63, r"pad: fill_value .*dtype int64; got 9223372036854775808"),
        (np.int64, float(2**63), r"pad: fill_value .*dtype int64; got 9223372036854775808"),
        (np.int32, np.nan, r"pad: fill_value must be a whole number .*int32; got nan"),
        (np.int32, np.inf, r"pad: fill_value must be a whole number .*int32; got inf"),
        (np.bool_, 2, r"pad: fill_value must be 0, 1, True or False for an array of dtype bool; got 2"),
        (np.bool_, 0.5, r"pad: fill_value must be 0, 1, True or False .*bool; got 0\.5"),
        (np.float32, 1e300, r"pad: fill_value must be within \[-3\.40282e\+38, 3\.40282e\+38\] .*float32"),
        (np.float16, -70000, r"pad: fill_value must be within \[-65504, 65504\] .*float16"),
    ],
)
def test_pad_refuses_a_fill_value_the_dtype_cannot_hold(dtype, fill, match):
    with pytest.raises(ValueError, match=match):
        convlib.pad(np.ones(3, dtype=dtype), 1, "constant", fill)


@pytest.mark.parametrize(
    ("dtype", "fill"),
    [
        (np.uint8, 0),
        (np.uint8, 255),
        (np.uint8, 255.0),
        (np.uint8, np.int64(7)),
        (np.int8, -128),
        (np.int64, INT64.min),
        (np.int64, INT64.max),
        (np.int64, 2**62 + 1),  # beyond float's 53 bits: must not be rounded
        (np.int64, np.array(-5)),
        (np.bool_, True),
        (np.bool_, np.False_),
        (np.bool_, 1),
        (np.bool_, 0.0),
        (np.float64, 0.1),
        (np.float64, np.inf),
        (np.float64, -np.inf),
        (np.float32, 3e38),
        (np.float16, 65504),
    ],
)
def test_pad_writes_a_fill_value_that_fits_exactly(dtype, fill):
    data = np.array([1, 0, 1], dtype=dtype)
    got = convlib.pad(data, 2, "constant", fill)
    exact = fill.item() if isinstance(fill, np.ndarray | np.generic) else fill
    if data.dtype.kind == "f":  # rounded to the dtype's precision, as numpy stores it
        exact = float(np.array(exact).astype(dtype))
    assert got.dtype == data.dtype
    np.testing.assert_array_equal(got[2:-2], data)
    assert got[[0, 1, -2, -1]].tolist() == [exact] * 4  # Python comparison: the value itself, no wrap


def test_pad_nan_fill_value_in_a_float_array_is_nan_as_in_numpy():
    got = convlib.pad(np.ones((2, 2), np.float32), 1, "constant", np.nan)
    np.testing.assert_array_equal(got, np.pad(np.ones((2, 2), np.float32), 1, constant_values=np.nan))
    assert np.isnan(got[0]).all() and got.dtype == np.float32


def test_pad_fill_value_must_be_one_real_number():
    with pytest.raises(TypeError, match=r"pad: fill_value must be a real number; got True"):
        convlib.pad(np.ones(3, np.uint8), 1, "constant", True)
    with pytest.raises(TypeError, match=r"pad: fill_value must be a real number; got '0'"):
        convlib.pad(np.ones(3), 1, "constant", "0")
    with pytest.raises(ValueError, match=r"pad: fill_value must be a single number; got a list of shape \(2,\)"):
        convlib.pad(np.ones(3), 1, "constant", [1, 2])


def test_pad_fill_value_is_not_checked_by_the_copying_modes():
    np.testing.assert_array_equal(convlib.pad(np.array([1, 2], np.uint8), 1, "edge", -1), [1, 1, 2, 2])


# --------------------------------------------------------------------------- 2. Gaussian kernels


def mp_gaussian(size: int, sigma: float) -> np.ndarray:
    """The normalised Gaussian in 60-digit arithmetic (no underflow), rounded to float64 at the end."""
    with mpmath.workdps(60):
        positions = [mpmath.mpf(i) - mpmath.mpf(size - 1) / 2 for i in range(size)]
        weights = [mpmath.exp(-(x**2) / (2 * mpmath.mpf(sigma) ** 2)) for x in positions]
        total = mpmath.fsum(weights)
        return np.array([float(w / total) for w in weights])


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 8, 9])
@pytest.mark.parametrize("sigma", [0.01, 0.03, 0.05, 0.1, 1e-100, 1e-200, 5e-324, 0.5, 1.5, 4.0])
def test_gaussian_1d_matches_high_precision_and_never_nan(size, sigma):
    got = kernels.gaussian_1d(size, sigma)
    assert not np.isnan(got).any()
    assert abs(got.sum() - 1) < 1e-12
    np.testing.assert_allclose(got, mp_gaussian(size, sigma), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (2, [[0.25, 0.25], [0.25, 0.25]]),  # the case that gave NaN
        (3, [[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
        (4, np.outer([0, 0.5, 0.5, 0], [0, 0.5, 0.5, 0])),
    ],
)
def test_gaussian_with_a_tiny_sigma_is_its_limit(size, expected):
    for sigma in (0.01, 1e-200):
        got = kernels.gaussian(size, sigma)
        np.testing.assert_array_equal(got, expected)
        assert abs(got.sum() - 1) < 1e-12


# --------------------------------------------------------------------------- 3. softmax and cross-entropy

INT_LOGITS = [
    np.array([[-128, 127, 0], [127, 127, -128]], dtype=np.int8),
    np.array([[0, 255], [255, 255]], dtype=np.uint8),
    np.array([[INT64.min, INT64.max, 0], [INT64.max, INT64.max - 1, INT64.min], [1, 2, 3]], dtype=np.int64),
    np.array([[True, False], [False, False]]),
]


@pytest.mark.parametrize("logits", INT_LOGITS, ids=lambda a: str(a.dtype))
def test_softmax_of_integer_logits_is_float64_and_right(logits):
    got = softmax(logits)
    reference = scipy.special.softmax(np.array(logits.tolist(), dtype=np.float64), axis=1)  # via Python ints
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, reference, rtol=1e-12, atol=1e-300)
    torch_reference = torch.softmax(torch.tensor(logits.tolist(), dtype=torch.float64), dim=1).numpy()
    np.testing.assert_allclose(got, torch_reference, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("logits", INT_LOGITS[:3], ids=lambda a: str(a.dtype))
def test_softmax_cross_entropy_of_integer_logits_equals_torch(logits):
    labels = np.arange(logits.shape[0]) % logits.shape[1]
    loss, grad = softmax_cross_entropy(logits, labels)
    z = torch.tensor(logits.tolist(), dtype=torch.float64, requires_grad=True)
    reference = F.cross_entropy(z, torch.tensor(labels))
    reference.backward()
    assert math.isfinite(loss)
    assert loss == pytest.approx(reference.item(), rel=1e-12)
    np.testing.assert_allclose(grad, z.grad.numpy(), rtol=1e-12, atol=1e-300)


HUGE = np.array([[1e308, -1e308, 0.0], [1.7e308, 1.7e308, -1.7e308], [-1e308, -1e308, -1e308], [1e300, 0.0, 5.0]])


def test_softmax_of_huge_finite_logits_stays_finite_and_right():
    got = softmax(HUGE)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got.sum(axis=1), 1.0, rtol=1e-15)
    expected = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3], [1.0, 0.0, 0.0]])
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)


def test_softmax_cross_entropy_of_huge_logits_is_exact():
    labels = np.array([0, 1, 2, 2])
    loss, grad = softmax_cross_entropy(HUGE, labels)
    # Exact per-row losses: max - z[label] + log(sum exp(z - max)); only the ties contribute to the sum.
    per_row = [0.0, math.log(2), math.log(3), 1e300 - 5.0]
    assert loss == pytest.approx(math.fsum(per_row) / 4, rel=1e-15)
    assert np.isfinite(grad).all()
    one_hot = np.eye(3)[labels]
    np.testing.assert_allclose(grad, (softmax(HUGE) - one_hot) / 4, rtol=1e-15, atol=0)


def test_softmax_cross_entropy_of_float32_logits_far_apart_is_finite():
    logits = np.array([[3e38, -3e38]], dtype=np.float32)
    loss, grad = softmax_cross_entropy(logits, [1])
    assert loss == float(logits[0, 0]) - float(logits[0, 1])  # the exact loss, 6e38, fits a float64
    assert grad.dtype == np.float32
    np.testing.assert_array_equal(grad, [[1.0, -1.0]])


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_softmax_refuses_non_finite_logits(bad):
    logits = np.array([[0.0, 1.0], [bad, 2.0]])
    with pytest.raises(ValueError, match=r"softmax: logits contains NaN or infinity"):
        softmax(logits)
    with pytest.raises(ValueError, match=r"softmax_cross_entropy: logits contains NaN or infinity"):
        softmax_cross_entropy(logits, np.array([0, 1]))


# --------------------------------------------------------------------------- 4. ReLU


def test_relu_keeps_nan_and_its_backward_agrees_with_torch():
    x = np.array([[np.nan, -1.0, 0.0, 2.0, -np.inf, np.inf]])
    grad_out = np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])
    layer = ReLU()
    out = layer(x)
    tx = torch.tensor(x, requires_grad=True)
    reference = torch.relu(tx)
    reference.backward(torch.tensor(grad_out))
    np.testing.assert_array_equal(out, reference.detach().numpy())  # equal_nan: NaN where torch has NaN
    assert np.isnan(out[0, 0])
    np.testing.assert_array_equal(layer.backward(grad_out), tx.grad.numpy())


@pytest.mark.parametrize(
    "x",
    [
        np.array([[-128, -1, 0, 1, 127]], dtype=np.int8),
        np.array([[0, 200, 255]], dtype=np.uint8),
        np.array([[INT64.min, -1, 0, INT64.max]], dtype=np.int64),
        np.array([[True, False]]),
    ],
    ids=lambda a: str(a.dtype),
)
def test_relu_of_integers_and_bools_is_float64(x):
    layer = ReLU()
    out = layer(x)
    assert out.dtype == np.float64
    expected = np.array([[max(float(v), 0.0) for v in x.ravel().tolist()]])  # Python arithmetic
    np.testing.assert_array_equal(out, expected)
    grad = layer.backward(np.ones(x.shape, dtype=np.int64))
    assert grad.dtype == np.float64
    np.testing.assert_array_equal(grad, (np.array(x.tolist()) > 0).astype(float))


# --------------------------------------------------------------------------- 5. accuracy's labels


def identity_model(classes: int = 3) -> Sequential:
    model = Sequential(Linear(classes, classes, rng=np.random.default_rng(0)))
    model.load_state_dict({"0.weight": np.eye(classes), "0.bias": np.zeros(classes)})
    return model


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        (
            [0, -1, 2, 1],
            r"accuracy: labels must be class indices in 0\.\.2 \(the model gives 3 classes\); got -1 at index 1",
        ),
        ([0, 1, 3, 1], r"accuracy: labels must be class indices in 0\.\.2 .*got 3 at index 2"),
        ([0, 1, 2, 99], r"accuracy: labels must be class indices in 0\.\.2 .*got 99 at index 3"),
        ([0.0, 1.5, 2.0, 1.0], r"accuracy: labels must be whole numbers \(class indices\); got 1\.5 at index 1"),
        ([0.0, 1.0, np.nan, 1.0], r"accuracy: labels must be whole numbers .*got nan at index 2"),
        ([0.0, 1.0, 2.0, 3.0], r"accuracy: labels must be class indices in 0\.\.2 .*got 3\.0 at index 3"),
    ],
)
def test_accuracy_refuses_labels_that_are_not_class_indices(labels, match):
    x = np.eye(3)[[0, 1, 2, 1]]
    for batch_size in (1, 4):  # the bad label in the first batch or a later one
        with pytest.raises(ValueError, match=match):
            accuracy(identity_model(), x, np.array(labels), batch_size=batch_size)


def test_accuracy_refuses_uint64_labels_beyond_int64():
    with pytest.raises(ValueError, match=r"accuracy: labels must be class indices .*got 18446744073709551615"):
        accuracy(identity_model(), np.eye(3)[:2], np.array([0, 2**64 - 1], dtype=np.uint64))


def test_accuracy_refuses_bool_labels():
    with pytest.raises(TypeError, match=r"accuracy: labels must be integer class indices; got an array of dtype bool"):
        accuracy(identity_model(), np.eye(3)[:2], np.array([True, False]))


@pytest.mark.parametrize("labels", [np.array([0, 1, 2, 0, 2]), np.array([0.0, 1.0, 2.0, 0.0, 2.0])])
def test_accuracy_with_valid_labels_counts_the_matches(labels):
    x = np.eye(3)[[0, 1, 2, 1, 0]]  # the identity model predicts 0, 1, 2, 1, 0
    expected = sum(p == int(label) for p, label in zip([0, 1, 2, 1, 0], labels.tolist())) / 5
    assert accuracy(identity_model(), x, labels, batch_size=2) == expected == 0.6


# --------------------------------------------------------------------------- 6. NTM content weights and shifts


def exact_content_weights(memory: list[list[int]], key: list[int], beta: float) -> np.ndarray:
    """Cosine similarity from exact Python-integer dot products and squared norms, then scipy's softmax."""
    with mpmath.workdps(50):
        cosines = []
        for row in memory:
            dot = sum(a * b for a, b in zip(row, key))
            norms = mpmath.sqrt(sum(a * a for a in row)) * mpmath.sqrt(sum(b * b for b in key))
            cosines.append(float(dot / norms) if norms else 0.0)
    return scipy.special.softmax(beta * np.array(cosines))


@pytest.mark.parametrize("scale", [1e200, 1e154, 1e-200, 1e-150])
def test_ntm_content_weights_is_scale_invariant_against_torch(scale):
    rng = np.random.default_rng(0)
    memory, key = rng.normal(size=(6, 4)), rng.normal(size=4)
    cosine = F.cosine_similarity(torch.tensor(memory), torch.tensor(key)[None, :], dim=1, eps=0.0)
    expected = torch.softmax(3.0 * cosine, dim=0).numpy()
    got = ntm_content_weights(memory * scale, key * scale, 3.0)
    assert np.isfinite(got).all()
    if scale > 1:  # |u||v| far above COSINE_EPS: plain cosine similarity
        np.testing.assert_allclose(got, expected, rtol=1e-12)
    else:  # |u||v| far below COSINE_EPS: the similarity is u.v / COSINE_EPS, about 0, so uniform
        np.testing.assert_allclose(got, np.full(6, 1 / 6), rtol=1e-12)


def test_ntm_content_weights_at_the_int64_limits():
    memory = [[INT64.max, INT64.max], [INT64.min, INT64.max], [1, 0], [INT64.min, INT64.min], [0, 0]]
    key = [INT64.max, INT64.min]
    got = ntm_content_weights(np.array(memory, dtype=np.int64), np.array(key, dtype=np.int64), 4.0)
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, exact_content_weights(memory, key, 4.0), rtol=1e-12)


def test_ntm_content_weights_with_a_huge_key_strength_is_one_hot():
    memory = np.array([[1e200, 0.0], [0.0, 1e200], [1e200, 1e200]])
    got = ntm_content_weights(memory, [1e200, 0.0], np.finfo(np.float64).max)
    np.testing.assert_array_equal(got, [1.0, 0.0, 0.0])


def test_ntm_content_weights_keeps_the_cosine_eps_for_small_vectors():
    # K = u.v / max(|u||v|, 1e-8) = 1e-10 / 1e-8 = 0.01 for the first row, 0 for the second.
    got = ntm_content_weights([[1e-5, 0.0], [0.0, 1.0]], [1e-5, 0.0], 100.0)
    np.testing.assert_allclose(got, scipy.special.softmax([100 * 0.01, 0.0]), rtol=1e-12)


def python_shift(weights: list[float], shift_weights: list[float], shifts: list[int]) -> np.ndarray:
    """w~(i) = sum over k of w[(i - shifts[k]) mod N] * s[k], with Python ints for the indices."""
    n = len(weights)
    return np.array([sum(s * weights[(i - k) % n] for s, k in zip(shift_weights, shifts)) for i in range(n)])


@pytest.mark.parametrize(
    "shifts",
    [
        [INT64.max, INT64.min],
        [INT64.min, 0],
        [INT64.max, INT64.max - 1],
        [2**63, -1],  # numpy would make this list float64
        [2**64 - 1, 3],
        [10**30, -(10**30) - 1],
        np.array([INT64.max, INT64.min], dtype=np.int64),
        np.array([INT64.min, 0], dtype=np.int64),
        np.array([2**64 - 1, 3], dtype=np.uint64),  # once cast to int64: -1
        (np.int64(INT64.min), np.int64(INT64.max)),
    ],
    ids=repr,
)
def test_ntm_shift_with_shifts_at_the_integer_limits(shifts):
    w = [0.1, 0.2, 0.3, 0.4, 0.0]
    s = [0.75, 0.25]
    exact = [int(k) for k in (shifts.tolist() if isinstance(shifts, np.ndarray) else shifts)]  # Python ints
    got = ntm_shift(w, s, shifts)
    np.testing.assert_allclose(got, python_shift(w, s, exact), atol=1e-15)
    rolled = sum(p * torch.roll(torch.tensor(w), k % 5) for p, k in zip(s, exact))  # torch, reduced shifts
    np.testing.assert_allclose(got, rolled.numpy(), atol=1e-15)


def test_ntm_shift_refuses_shifts_that_are_not_integers_or_repeat():
    w, s = [0.5, 0.5, 0.0], [0.5, 0.5]
    with pytest.raises(ValueError, match=r"ntm_shift: shifts must be distinct integers; got \[9223372036854775807, "):
        ntm_shift(w, s, [INT64.max, INT64.max])
    with pytest.raises(ValueError, match=r"ntm_shift: shifts must be integers"):
        ntm_shift(w, s, [1.0, 2.5])
    with pytest.raises(ValueError, match=r"ntm_shift: shifts must be integers"):
        ntm_shift(w, s, [True, False])

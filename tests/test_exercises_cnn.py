"""The checkers of notebook 06 accept right answers and name the typical wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from convlib.book.exercises.cnn import (
    check_parameter_counts,
    check_softmax_cross_entropy,
    check_strided_kernel_gradient,
)
from convlib.book.exercises.core import ExerciseError
from convlib.convolution import correlate2d
from convlib.nn import softmax_cross_entropy

# --------------------------------------------------------------------------- exercise 1: dense, local, shared


def counts(h, w, k):
    outputs = (h - k + 1) * (w - k + 1)
    return outputs * h * w, outputs * k * k, k * k


def test_right_counts_pass(capsys):
    assert check_parameter_counts(counts)
    assert check_parameter_counts(lambda *a: list(counts(*a)))
    assert "correct" in capsys.readouterr().out
    assert counts(6, 6, 3) == (576, 144, 9)  # section 1's numbers


def _with(index, value):
    def answer(h, w, k):
        result = list(counts(h, w, k))
        result[index] = value(h, w, k)
        return tuple(result)

    return answer


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (_with(0, lambda h, w, k: (h * w) ** 2), "dense count .* counts H\\*W = 36 output pixels"),
        (_with(0, lambda h, w, k: (h - k) * (w - k) * h * w), "dense count .* off by one"),
        (_with(1, lambda h, w, k: k * k), "local count .* that is the shared count"),
        (_with(1, lambda h, w, k: h * w * k * k), "local count .* counts H\\*W"),
        (_with(2, lambda h, w, k: (h - k + 1) * (w - k + 1) * k * k), "shared count .* that is the local count"),
        (_with(2, lambda h, w, k: 7), "shared count .* one K\\*K kernel"),
        (lambda h, w, k: counts(h, w, k)[:2], r"return three numbers \(dense, local, shared\)"),
    ],
)
def test_wrong_counts_are_named(answer, match):
    with pytest.raises(ExerciseError, match=match):
        check_parameter_counts(answer)


# --------------------------------------------------------------------------- exercise 2: strided kernel gradient


def strided_by_loops(image, grad_out, k, s):
    grad = np.zeros((k, k))
    for i in range(grad_out.shape[0]):
        for j in range(grad_out.shape[1]):
            grad += grad_out[i, j] * image[s * i : s * i + k, s * j : s * j + k]
    return grad


def strided_by_dilation(image, grad_out, k, s):
    spread = np.zeros(((grad_out.shape[0] - 1) * s + 1, (grad_out.shape[1] - 1) * s + 1))
    spread[::s, ::s] = grad_out
    return correlate2d(image[: spread.shape[0] + k - 1, : spread.shape[1] + k - 1], spread, "valid")


def strided_via_backward(image, grad_out, k, s):
    from convlib.nn.functional import conv2d_backward as backward

    return backward(grad_out[None, None], image[None, None], np.zeros((1, 1, k, k)), stride=s)[1][0, 0]


def test_right_strided_kernel_gradients_pass(capsys):
    assert check_strided_kernel_gradient(strided_by_loops)
    assert check_strided_kernel_gradient(strided_by_dilation)
    assert "correct" in capsys.readouterr().out


def test_the_strided_checker_agrees_with_the_library():
    import inspect

    from convlib.nn.functional import conv2d_backward as backward

    if "stride" not in inspect.signature(backward).parameters:
        pytest.skip("conv2d_backward has no stride")
    assert check_strided_kernel_gradient(strided_via_backward)


def _flipped(image, grad_out, k, s):
    return strided_by_loops(image, grad_out, k, s)[::-1, ::-1]


def _neighbouring(image, grad_out, k, s):
    return strided_by_loops(image, grad_out, k, 1)


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (lambda image, grad_out, k, s: correlate2d(image, grad_out, "valid"), "assumes stride 1"),
        (_neighbouring, "you used neighbouring windows"),
        (_flipped, "rotated by 180 degrees"),
        (lambda image, grad_out, k, s: strided_by_loops(image, grad_out, k, s) / grad_out.size, "you averaged"),
        (lambda image, grad_out, k, s: -strided_by_loops(image, grad_out, k, s), "the sign is wrong"),
        (lambda image, grad_out, k, s: np.zeros_like(image), "that is the input gradient's shape"),
        (lambda image, grad_out, k, s: 2 * strided_by_loops(image, grad_out, k, s), "wrong values"),
    ],
)
def test_wrong_strided_kernel_gradients_are_named(answer, match):
    with pytest.raises(ExerciseError, match=match):
        check_strided_kernel_gradient(answer)


# --------------------------------------------------------------------------- exercise 3: softmax cross-entropy


def test_right_softmax_cross_entropy_passes():
    assert check_softmax_cross_entropy(softmax_cross_entropy)

    def with_log_softmax(logits, labels):
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        grad = np.exp(log_p)
        grad[np.arange(len(labels)), labels] -= 1
        return -log_p[np.arange(len(labels)), labels].mean(), grad / len(labels)

    assert check_softmax_cross_entropy(with_log_softmax)


def naive(logits, labels):
    """No max subtraction: overflows at logits of 1000."""
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    grad = p.copy()
    grad[rows, labels] -= 1
    return -np.log(p[rows, labels]).mean(), grad / len(labels)


def summed(logits, labels):
    loss, grad = softmax_cross_entropy(logits, labels)
    return loss * len(labels), grad


def not_divided(logits, labels):
    loss, grad = softmax_cross_entropy(logits, labels)
    return loss, grad * len(labels)


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (naive, "NaN or infinity .* Subtract each row's maximum"),
        (summed, "that is the sum over the batch"),
        (lambda z, y: (-softmax_cross_entropy(z, y)[0], softmax_cross_entropy(z, y)[1]), "wrong loss .* sign"),
        (not_divided, "divide by the batch size"),
        (lambda z, y: (softmax_cross_entropy(z, y)[0], -softmax_cross_entropy(z, y)[1]), "softmax minus one-hot"),
        (lambda z, y: (softmax_cross_entropy(z, y)[0], np.zeros(3)), "grad must have the logits' shape"),
        (lambda z, y: softmax_cross_entropy(z, y)[0], r"return a pair \(loss, grad\)"),
    ],
)
def test_wrong_softmax_cross_entropy_is_named(answer, match):
    with pytest.raises(ExerciseError, match=match):
        check_softmax_cross_entropy(answer)


def test_the_overflowing_answer_emits_no_warning():
    # pytest turns warnings into errors here: the checker must silence numpy's overflow warnings itself
    with pytest.raises(ExerciseError, match="NaN or infinity"):
        check_softmax_cross_entropy(naive)

"""The checkers of notebook 05 accept right answers and name the typical wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from convlib.book.exercises.cnn import check_kernel_gradient, check_parameter_counts, check_softmax_cross_entropy
from convlib.book.exercises.core import ExerciseError
from convlib.convolution import convolve2d, correlate2d
from convlib.nn import softmax_cross_entropy
from convlib.nn.functional import conv2d_backward

CHECKERS = [check_parameter_counts, check_kernel_gradient, check_softmax_cross_entropy]


def stub(*args):
    raise NotImplementedError


def returns_none(*args):
    return None


@pytest.mark.parametrize("checker", CHECKERS)
@pytest.mark.parametrize("answer", [stub, returns_none])
def test_stubs_are_not_attempted(checker, answer, capsys):
    assert checker(answer) is False
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("checker", CHECKERS)
def test_an_answer_that_crashes_is_reported(checker):
    def crashes(*args):
        raise IndexError("index 9 is out of bounds")

    with pytest.raises(ExerciseError, match="raised IndexError: index 9 is out of bounds"):
        checker(crashes)


# --------------------------------------------------------------------------- exercise 1: parameter counts


def counts(h, w, c_in, c_out, k):
    inputs, outputs = c_in * h * w, c_out * h * w
    return inputs * outputs + outputs, c_out * c_in * k * k + c_out


def test_right_counts_pass(capsys):
    assert check_parameter_counts(counts) is True
    assert check_parameter_counts(lambda *a: list(counts(*a))) is True
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (
            lambda h, w, ci, co, k: (ci * h * w * co * h * w, counts(h, w, ci, co, k)[1]),
            "dense count .* forgot the biases",
        ),
        (
            lambda h, w, ci, co, k: (ci * h * w * co * h * w + co, counts(h, w, ci, co, k)[1]),
            r"one bias per output \*value\*",
        ),
        (lambda h, w, ci, co, k: ((h * w) ** 2 + h * w, counts(h, w, ci, co, k)[1]), "left out the channels"),
        (lambda h, w, ci, co, k: (counts(h, w, ci, co, k)[0], co * ci * k * k), "conv count .* forgot the biases"),
        (lambda h, w, ci, co, k: (counts(h, w, ci, co, k)[0], co * k * k + co), "spans all C_in input channels"),
        (
            lambda h, w, ci, co, k: (counts(h, w, ci, co, k)[0], co * h * w * ci * k * k + co),
            r"that is a \*local\* layer",
        ),
        (lambda h, w, ci, co, k: (counts(h, w, ci, co, k)[0], 7), "C_out filters of C_in\\*K\\*K weights"),
        (lambda h, w, ci, co, k: counts(h, w, ci, co, k)[0], r"return a pair \(dense, conv\)"),
    ],
)
def test_wrong_counts_are_named(answer, match):
    with pytest.raises(ExerciseError, match=match):
        check_parameter_counts(answer)


# --------------------------------------------------------------------------- exercise 2: kernel gradient


def test_right_kernel_gradients_pass():
    assert check_kernel_gradient(lambda image, grad_out: correlate2d(image, grad_out, "valid")) is True

    def via_backward(image, grad_out):
        kh, kw = image.shape[0] - grad_out.shape[0] + 1, image.shape[1] - grad_out.shape[1] + 1
        return conv2d_backward(grad_out[None, None], image[None, None], np.zeros((1, 1, kh, kw)))[1][0, 0]

    assert check_kernel_gradient(via_backward) is True

    def by_loops(image, grad_out):
        kh, kw = image.shape[0] - grad_out.shape[0] + 1, image.shape[1] - grad_out.shape[1] + 1
        grad = np.zeros((kh, kw))
        for a in range(kh):
            for b in range(kw):
                grad[a, b] = np.sum(grad_out * image[a : a + grad_out.shape[0], b : b + grad_out.shape[1]])
        return grad

    assert check_kernel_gradient(by_loops) is True


@pytest.mark.parametrize(
    ("answer", "match"),
    [
        (lambda image, grad_out: convolve2d(image, grad_out, "valid"), "you flipped something"),
        (lambda image, grad_out: -correlate2d(image, grad_out, "valid"), "the sign is wrong"),
        (lambda image, grad_out: correlate2d(image, grad_out, "same"), "that is the input gradient's shape"),
        (lambda image, grad_out: correlate2d(image, grad_out, "full"), "use mode 'valid'"),
        (lambda image, grad_out: 2 * correlate2d(image, grad_out, "valid"), "wrong values"),
    ],
)
def test_wrong_kernel_gradients_are_named(answer, match):
    with pytest.raises(ExerciseError, match=match):
        check_kernel_gradient(answer)


# --------------------------------------------------------------------------- exercise 3: softmax cross-entropy


def test_right_softmax_cross_entropy_passes():
    assert check_softmax_cross_entropy(softmax_cross_entropy) is True

    def with_log_softmax(logits, labels):
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        grad = np.exp(log_p)
        grad[np.arange(len(labels)), labels] -= 1
        return -log_p[np.arange(len(labels)), labels].mean(), grad / len(labels)

    assert check_softmax_cross_entropy(with_log_softmax) is True


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

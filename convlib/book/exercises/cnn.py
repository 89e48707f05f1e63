"""Checkers for notebook 05 (learned CNN filters)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.book.exercises.core import ExerciseError, call_answer, run_checks
from convlib.convolution import convolve2d, correlate2d
from convlib.nn import softmax_cross_entropy

__all__ = ["check_kernel_gradient", "check_parameter_counts", "check_softmax_cross_entropy"]


def _count_cases() -> list[tuple[int, int, int, int, int]]:
    """(height, width, in_channels, out_channels, kernel_size): small, rectangular, colour, deep."""
    return [
        (6, 6, 1, 1, 3),
        (8, 8, 1, 8, 3),
        (5, 7, 3, 4, 3),
        (28, 28, 1, 16, 5),
        (32, 32, 3, 64, 3),
        (10, 12, 16, 8, 1),
    ]


def check_parameter_counts(function: Callable[[int, int, int, int, int], object]) -> bool:
    """Check ``function(height, width, in_channels, out_channels, kernel_size) -> (dense, conv)``.

    ``dense``: the weights and biases of a fully connected layer from a ``(C_in, H, W)`` image to a
    ``(C_out, H, W)`` output (one bias per output value). ``conv``: those of a ``C_out``-filter
    convolution layer with ``K x K`` kernels over ``C_in`` channels ("same" padding, so the same
    output shape), one bias per filter.

    Examples
    --------
    >>> def counts(h, w, c_in, c_out, k):
    ...     return (c_in * h * w) * (c_out * h * w) + c_out * h * w, c_out * c_in * k * k + c_out
    >>> check_parameter_counts(counts)
    parameter counts: correct!
    True
    """

    def checks() -> None:
        for h, w, c_in, c_out, k in _count_cases():
            result = call_answer(function, h, w, c_in, c_out, k)
            where = f"for height={h}, width={w}, in_channels={c_in}, out_channels={c_out}, kernel_size={k}"
            if not (isinstance(result, (tuple, list)) and len(result) == 2):
                raise ExerciseError(f"return a pair (dense, conv) {where}; got {result!r}")
            dense, conv = result
            inputs, outputs = c_in * h * w, c_out * h * w
            expected_dense = inputs * outputs + outputs
            expected_conv = c_out * c_in * k * k + c_out
            if dense != expected_dense:
                if dense == inputs * outputs:
                    hint = "you forgot the biases: one per output value"
                elif dense == inputs * outputs + c_out:
                    hint = "a dense layer has one bias per output *value* (C_out*H*W), not one per channel"
                elif dense == (h * w) ** 2 + h * w:
                    hint = "you left out the channels: every input value (C_in*H*W) meets every output (C_out*H*W)"
                else:
                    hint = "count inputs x outputs weights (inputs = C_in*H*W, outputs = C_out*H*W), plus a bias each"
                raise ExerciseError(f"dense count {where}: expected {expected_dense}, got {dense!r}: {hint}")
            if conv != expected_conv:
                if conv == c_out * c_in * k * k:
                    hint = "you forgot the biases: one per filter"
                elif conv == c_out * k * k + c_out:
                    hint = "each filter spans all C_in input channels: it has C_in*K*K weights"
                elif conv == outputs * c_in * k * k + c_out or conv == outputs * c_in * k * k + outputs:
                    hint = "that is a *local* layer: weight sharing means one filter for every position"
                else:
                    hint = "C_out filters of C_in*K*K weights each, plus one bias per filter"
                raise ExerciseError(f"conv count {where}: expected {expected_conv}, got {conv!r}: {hint}")

    return run_checks("parameter counts", checks)


def _gradient_cases(seed: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """(image, grad_out) pairs for kernels of several shapes, including non-square ones."""
    rng = np.random.default_rng(seed)
    cases = []
    for (h, w), (kh, kw) in [((4, 4), (2, 2)), ((6, 5), (3, 3)), ((7, 8), (2, 3)), ((5, 5), (1, 1)), ((9, 6), (4, 2))]:
        image = rng.integers(-3, 4, (h, w)).astype(float)
        grad_out = rng.integers(-2, 3, (h - kh + 1, w - kw + 1)).astype(float)
        cases.append((image, grad_out))
    return cases


def check_kernel_gradient(function: Callable[[np.ndarray, np.ndarray], object]) -> bool:
    """Check ``function(image, grad_out)``: the gradient of a loss with respect to the kernel.

    The layer is ``out = correlate2d(image, kernel, "valid")`` and ``grad_out`` is dLoss/dOut;
    the answer is dLoss/dKernel, shaped like the kernel:
    ``grad[a, b] = sum over i, j of grad_out[i, j] * image[i + a, j + b]``.

    Examples
    --------
    >>> check_kernel_gradient(lambda image, grad_out: correlate2d(image, grad_out, "valid"))
    kernel gradient: correct!
    True
    """

    def checks() -> None:
        for image, grad_out in _gradient_cases():
            kernel_shape = (image.shape[0] - grad_out.shape[0] + 1, image.shape[1] - grad_out.shape[1] + 1)
            where = f"for an image of shape {image.shape} and grad_out of shape {grad_out.shape}"
            got = np.asarray(call_answer(function, image.copy(), grad_out.copy()), dtype=float)
            expected = correlate2d(image, grad_out, "valid")
            if got.shape != expected.shape:
                if got.shape == image.shape:
                    hint = " (that is the input gradient's shape; the kernel gradient is shaped like the kernel)"
                else:
                    hint = " (use mode 'valid': image shape minus grad_out shape plus one)"
                raise ExerciseError(
                    f"wrong shape {where}: expected the kernel's shape {kernel_shape}, got {got.shape}{hint}"
                )
            if np.allclose(got, expected):
                continue
            if np.allclose(got, convolve2d(image, grad_out, "valid")):
                raise ExerciseError(
                    f"you flipped something {where}: the layer correlates, so each kernel weight meets the "
                    "image pixel at the same offset, unflipped: correlate the image with grad_out"
                )
            if np.allclose(got, -expected):
                raise ExerciseError(f"the sign is wrong {where}")
            raise ExerciseError(f"wrong values {where}: expected\n{expected}\ngot\n{got}")

    return run_checks("kernel gradient", checks)


def check_softmax_cross_entropy(function: Callable[[np.ndarray, np.ndarray], object]) -> bool:
    """Check ``function(logits, labels) -> (loss, grad)``: mean cross-entropy and dLoss/dLogits.

    Compared with :func:`convlib.nn.softmax_cross_entropy`, including logits around 1000 (where
    ``exp`` overflows unless the row's maximum is subtracted first).

    Examples
    --------
    >>> from convlib.nn import softmax_cross_entropy
    >>> check_softmax_cross_entropy(softmax_cross_entropy)
    softmax cross-entropy: correct!
    True
    """
    rng = np.random.default_rng(7)
    cases = [
        (np.array([[0.0, 0.0]]), np.array([1])),
        (rng.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])),
        (rng.standard_normal((8, 10)) * 3, rng.integers(0, 10, 8)),
        (np.array([[1000.0, 999.0, 998.0], [-1000.0, 0.0, 5.0]]), np.array([0, 2])),
    ]

    def checks() -> None:
        for logits, labels in cases:
            where = f"for logits of shape {logits.shape} with values up to {np.abs(logits).max():.3g}"
            with np.errstate(all="ignore"):
                result = call_answer(function, logits.copy(), labels.copy())
            if not (isinstance(result, (tuple, list)) and len(result) == 2):
                raise ExerciseError(f"return a pair (loss, grad) {where}; got {type(result).__name__}")
            loss, grad = float(np.asarray(result[0])), np.asarray(result[1], dtype=float)
            expected_loss, expected_grad = softmax_cross_entropy(logits, labels)
            n = len(labels)
            if not np.isfinite(loss) or not np.all(np.isfinite(grad)):
                raise ExerciseError(
                    f"NaN or infinity {where}: exp(1000) overflows. Subtract each row's maximum from the "
                    "logits first: softmax does not change, and the largest exponent becomes exp(0) = 1"
                )
            if not np.isclose(loss, expected_loss):
                hint = ""
                if np.isclose(loss, expected_loss * n) and n > 1:
                    hint = ": that is the sum over the batch; take the mean"
                elif np.isclose(loss, -expected_loss):
                    hint = ": the sign is flipped (the loss is minus the log-probability of the true class)"
                raise ExerciseError(f"wrong loss {where}: expected {expected_loss:.6f}, got {loss:.6f}{hint}")
            if grad.shape != expected_grad.shape:
                raise ExerciseError(f"grad must have the logits' shape {expected_grad.shape} {where}; got {grad.shape}")
            if not np.allclose(grad, expected_grad):
                hint = ""
                if np.allclose(grad, expected_grad * n) and n > 1:
                    hint = ": divide by the batch size, since the loss is a mean"
                elif np.allclose(grad, -expected_grad):
                    hint = ": the sign is flipped: it is softmax minus one-hot"
                raise ExerciseError(f"wrong gradient {where}{hint}")

    return run_checks("softmax cross-entropy", checks)

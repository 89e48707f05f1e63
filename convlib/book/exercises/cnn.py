"""Checkers for notebook 06 (learned CNN filters)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.book.exercises.core import CheckResult, ExerciseError, call_answer, run_checks
from convlib.nn import softmax_cross_entropy

__all__ = [
    "check_parameter_counts",
    "check_softmax_cross_entropy",
    "check_strided_kernel_gradient",
]


def _count_cases() -> list[tuple[int, int, int]]:
    """(height, width, kernel_size): section 1's layer, rectangular, a 1x1 kernel, a photograph."""
    return [(6, 6, 3), (8, 8, 3), (5, 7, 3), (28, 28, 5), (10, 12, 1), (224, 224, 3)]


def check_parameter_counts(function: Callable[[int, int, int], object]) -> CheckResult:
    """Check ``function(height, width, kernel_size) -> (dense, local, shared)``: weights, no biases.

    One input and one output channel, ``"valid"`` output ``(H-K+1) x (W-K+1)`` as in notebook 06's
    section 1. ``dense``: every output pixel has its own weight for every input pixel. ``local``:
    each output pixel has its own ``K x K`` weights, for its window only. ``shared``: one ``K x K``
    kernel for every output pixel.

    Examples
    --------
    >>> def counts(h, w, k):
    ...     outputs = (h - k + 1) * (w - k + 1)
    ...     return outputs * h * w, outputs * k * k, k * k
    >>> check_parameter_counts(counts)
    parameter counts: correct!
    CheckResult(passed=True)
    """

    def checks() -> None:
        for h, w, k in _count_cases():
            result = call_answer(function, h, w, k)
            where = f"for height={h}, width={w}, kernel_size={k}"
            if not (isinstance(result, (tuple, list)) and len(result) == 3):
                raise ExerciseError(f"return three numbers (dense, local, shared) {where}; got {result!r}")
            dense, local, shared = result
            outputs = (h - k + 1) * (w - k + 1)
            expected = {"dense": outputs * h * w, "local": outputs * k * k, "shared": k * k}
            same_size = h * w  # outputs if the layer kept the image's size
            off_by_one = (h - k) * (w - k)
            for name, got in (("dense", dense), ("local", local), ("shared", shared)):
                want = expected[name]
                if got == want:
                    continue
                per_output = {"dense": h * w, "local": k * k}.get(name)
                if per_output and got == same_size * per_output and k > 1:
                    hint = f"that counts H*W = {same_size} output pixels; a 'valid' output has (H-K+1)*(W-K+1)"
                elif per_output and got == off_by_one * per_output and k > 1:
                    hint = "off by one: a window fits at H-K+1 positions down and W-K+1 across"
                elif name == "local" and got == k * k:
                    hint = "that is the shared count: without sharing, every output pixel has its own K*K weights"
                elif name == "shared" and got == outputs * k * k:
                    hint = "that is the local count: sharing means one kernel, used by every output pixel"
                elif name == "dense" and got == (h * w) ** 2:
                    hint = "the output is smaller than the input: outputs x inputs, with (H-K+1)*(W-K+1) outputs"
                else:
                    hint = {
                        "dense": "every output pixel has one weight for every input pixel",
                        "local": "every output pixel has its own K*K weights",
                        "shared": "one K*K kernel for the whole layer",
                    }[name]
                raise ExerciseError(f"{name} count {where}: expected {want}, got {got!r}: {hint}")

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


def _strided_reference(image: np.ndarray, grad_out: np.ndarray, kernel_size: int, stride: int) -> np.ndarray:
    grad = np.zeros((kernel_size, kernel_size))
    for i in range(grad_out.shape[0]):
        for j in range(grad_out.shape[1]):
            top, left = stride * i, stride * j
            grad += grad_out[i, j] * image[top : top + kernel_size, left : left + kernel_size]
    return grad


def check_strided_kernel_gradient(function: Callable[[np.ndarray, np.ndarray, int, int], object]) -> CheckResult:
    """Check ``function(image, grad_out, kernel_size, stride)``: dLoss/dKernel of a strided correlation.

    The layer is ``out[i, j] = sum over a, b of kernel[a, b] * image[stride*i + a, stride*j + b]``
    (no padding) and ``grad_out`` is dLoss/dOut; the answer, shaped like the kernel, is
    ``grad[a, b] = sum over i, j of grad_out[i, j] * image[stride*i + a, stride*j + b]``.

    Examples
    --------
    >>> check_strided_kernel_gradient(_strided_reference)
    strided kernel gradient: correct!
    CheckResult(passed=True)
    """
    rng = np.random.default_rng(17)
    cases = []
    for (h, w), k, s in [((6, 6), 3, 1), ((7, 7), 3, 2), ((8, 9), 2, 2), ((10, 8), 3, 3), ((9, 9), 1, 2)]:
        image = rng.integers(-3, 4, (h, w)).astype(float)
        grad_out = rng.integers(-2, 3, ((h - k) // s + 1, (w - k) // s + 1)).astype(float)
        cases.append((image, grad_out, k, s))

    def checks() -> None:
        for image, grad_out, k, s in cases:
            where = (
                f"for an image of shape {image.shape}, grad_out of shape {grad_out.shape}, kernel_size={k}, stride={s}"
            )
            got = np.asarray(call_answer(function, image.copy(), grad_out.copy(), k, s), dtype=float)
            expected = _strided_reference(image, grad_out, k, s)
            if got.shape != expected.shape:
                hint = ""
                if got.shape == image.shape:
                    hint = " (that is the input gradient's shape; the kernel gradient is shaped like the kernel)"
                elif s > 1 and got.shape == (
                    image.shape[0] - grad_out.shape[0] + 1,
                    image.shape[1] - grad_out.shape[1] + 1,
                ):
                    hint = (
                        " (correlating the image with grad_out assumes stride 1: output (i, j) read the window "
                        "whose top-left corner is (stride*i, stride*j))"
                    )
                raise ExerciseError(f"wrong shape {where}: expected ({k}, {k}), got {got.shape}{hint}")
            if np.allclose(got, expected):
                continue
            if s > 1 and np.allclose(got, _strided_reference(image, grad_out, k, 1)):
                raise ExerciseError(
                    f"you used neighbouring windows {where}: with stride {s}, output (i, j) read the window "
                    f"whose top-left corner is ({s}*i, {s}*j)"
                )
            if np.allclose(got, expected[::-1, ::-1]):
                raise ExerciseError(
                    f"the gradient is rotated by 180 degrees {where}: the layer correlates, so weight (a, b) "
                    "meets the pixel at offset (a, b) in each window, unflipped"
                )
            if np.allclose(got * grad_out.size, expected):
                raise ExerciseError(f"you averaged {where}: every window adds its share, so sum over i, j")
            if np.allclose(got, -expected):
                raise ExerciseError(f"the sign is wrong {where}")
            raise ExerciseError(f"wrong values {where}: expected\n{expected}\ngot\n{got}")

    return run_checks("strided kernel gradient", checks)


def check_softmax_cross_entropy(function: Callable[[np.ndarray, np.ndarray], object]) -> CheckResult:
    """Check ``function(logits, labels) -> (loss, grad)``: mean cross-entropy and dLoss/dLogits.

    Compared with :func:`convlib.nn.softmax_cross_entropy`, including logits around 1000 (where
    ``exp`` overflows unless the row's maximum is subtracted first).

    Examples
    --------
    >>> from convlib.nn import softmax_cross_entropy
    >>> check_softmax_cross_entropy(softmax_cross_entropy)
    softmax cross-entropy: correct!
    CheckResult(passed=True)
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

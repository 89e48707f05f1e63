"""Checkers for notebook 05 (inside a CNN layer).

Each ``check_*`` runs a learner's function on many cases, compares it with what convlib computes
(the weight count of a layer, the output shape of ``conv_transpose2d``, the support of an impulse
pushed back through a stack of layers) and, when the answer is wrong everywhere in the same way,
names the mistake: a forgotten bias or input channels, groups ignored, the ordinary convolution's
size formula used for the transposed one, the dilation or the ``output_padding`` left out, the
padding counted once, an off-by-one, kernel sizes added up, the strides ignored or applied one
layer too early, a dilated kernel's span left out or taken as d·k. It prints "correct!" and
returns a true :class:`CheckResult`, or prints "not attempted yet" for a stub; a wrong answer
raises :class:`~convlib.book.exercises.core.ExerciseError`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from convlib.book.exercises.core import CheckResult, ExerciseError, call_answer, run_checks
from convlib.nn.functional import conv2d, conv2d_backward, conv_transpose2d

__all__ = ["check_conv_parameters", "check_receptive_field", "check_transposed_output_size"]


def _as_int(value: object, what: str) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise ExerciseError(f"{what} must be a whole number; got {value!r}")
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return int(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    raise ExerciseError(f"{what} must be a whole number; got {value!r} ({type(value).__name__})")


def _diagnose(got: list[int], cases: Sequence[tuple], truth: list[int], mistakes: dict[str, Callable]) -> str | None:
    """The name of the mistake that gives the learner's answer on every case, if one does."""
    for hint, formula in mistakes.items():
        if all(g == formula(*case) for g, case in zip(got, cases)) and got != truth:
            return hint
    return None


def _first_wrong(name: str, got: list[int], cases: Sequence[tuple], truth: list[int], arguments: str) -> str:
    for g, case, t in zip(got, cases, truth):
        if g != t:
            values = ", ".join(f"{a}={v!r}" for a, v in zip(arguments.split(", "), case))
            return f"{name}({values}) returned {g}; the right answer is {t}"
    raise AssertionError("no wrong case")  # pragma: no cover


def _require_equal(
    name: str, got: list[int], cases: Sequence[tuple], truth: list[int], mistakes: dict[str, Callable], arguments: str
) -> None:
    """An ExerciseError unless ``got == truth``: the mistake that explains it, if any, and the first wrong case."""
    if got != truth:
        hint = _diagnose(got, cases, truth, mistakes)
        detail = _first_wrong(name, got, cases, truth, arguments)
        raise ExerciseError(f"{hint}. For example, {detail}" if hint else detail)


# ---------------------------------------------------------------------------------------------
# Exercise: the parameters of a convolution layer, with groups

_PARAMETER_CASES = [  # (c_in, c_out, k, groups): groups 1, some, depthwise; C_in != C_out; 1x1
    (3, 16, 3, 1),
    (16, 32, 5, 1),
    (32, 32, 3, 32),
    (64, 128, 1, 1),
    (8, 16, 3, 4),
    (12, 6, 3, 3),
    (128, 128, 3, 128),
    (4, 8, 1, 2),
]


def _parameters(c_in: int, c_out: int, k: int, groups: int) -> int:
    return c_out * (c_in // groups * k * k + 1)


def check_conv_parameters(function: Callable[[int, int, int, int], object]) -> CheckResult:
    """Check ``function(c_in, c_out, k, groups)``: the weights and biases of ``Conv2d(c_in, c_out, k, groups=groups)``.

    The right count is ``C_out · (C_in/groups · K² + 1)``: ``C_out`` filters, each with one ``K × K``
    kernel per input channel of its group, and one bias.

    Recognises: the bias forgotten; the input channels left out; ``groups`` ignored; the output
    channels divided by ``groups`` too; ``K`` where ``K²`` belongs.

    Examples
    --------
    >>> check_conv_parameters(lambda c_in, c_out, k, groups: c_out * (c_in // groups * k * k + 1))
    conv_parameters: correct!
    CheckResult(passed=True)
    >>> check_conv_parameters(lambda c_in, c_out, k, groups: c_out * c_in // groups * k * k)
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: you forgot the biases: each filter has one ...
    """
    mistakes = {
        "you forgot the biases: each filter has one (C_out of them in all)": lambda c, o, k, g: o * (c // g) * k * k,
        "each filter has one K × K kernel for every input channel it reads (C_in/groups of them); "
        "you left the input channels out": lambda c, o, k, g: o * (k * k + 1),
        "with groups, each filter reads only its own group's C_in/groups input channels; "
        "you counted all C_in": lambda c, o, k, g: o * (c * k * k + 1),
        "there are still C_out filters in all (C_out/groups in each of the groups); "
        "you divided C_out by groups too": lambda c, o, k, g: (o // g) * (c // g * k * k + 1),
        "a K × K kernel has K² weights, not K": lambda c, o, k, g: o * (c // g * k + 1),
    }

    def checks() -> None:
        got = [_as_int(call_answer(function, *case), "your count") for case in _PARAMETER_CASES]
        truth = [_parameters(*case) for case in _PARAMETER_CASES]
        _require_equal("conv_parameters", got, _PARAMETER_CASES, truth, mistakes, "c_in, c_out, k, groups")

    return run_checks("conv_parameters", checks)


# ---------------------------------------------------------------------------------------------
# Exercise: the output size of a transposed convolution

_TRANSPOSED_CASES = [  # (n, k, stride, padding, dilation, output_padding)
    (4, 3, 2, 0, 1, 0),
    (4, 3, 2, 1, 1, 1),
    (7, 4, 2, 1, 1, 0),
    (5, 3, 1, 1, 1, 0),
    (3, 3, 3, 0, 2, 1),
    (6, 5, 2, 2, 1, 1),
    (2, 3, 1, 0, 3, 0),
    (8, 2, 2, 0, 1, 0),
    (5, 3, 3, 1, 2, 2),
    (1, 4, 4, 0, 1, 3),
]


def _transposed_size(n: int, k: int, s: int, p: int, d: int, op: int) -> int:
    x = np.zeros((1, 1, n, 1))
    w = np.zeros((1, 1, k, 1))
    return int(conv_transpose2d(x, w, stride=(s, 1), padding=(p, 0), output_padding=(op, 0), dilation=(d, 1)).shape[2])


def check_transposed_output_size(function: Callable[[int, int, int, int, int, int], object]) -> CheckResult:
    """Check ``function(n, k, stride, padding, dilation, output_padding)``: the length ``conv_transpose2d`` gives.

    The truth is measured by running :func:`convlib.conv_transpose2d` on each case; the formula is
    ``(n − 1)·s − 2p + d·(k − 1) + output_padding + 1``.

    Recognises: the ordinary convolution's formula (the other direction); the dilation, the
    ``output_padding`` or the ``+ 1`` left out; the padding counted once or added; ``n·s`` for
    ``(n − 1)·s``.

    Examples
    --------
    >>> check_transposed_output_size(lambda n, k, s, p, d, op: (n - 1) * s - 2 * p + d * (k - 1) + op + 1)
    transposed_output_size: correct!
    CheckResult(passed=True)
    >>> check_transposed_output_size(lambda n, k, s, p, d, op: (n - 1) * s - 2 * p + (k - 1) + op + 1)
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: you left out the dilation: ...
    """

    def size(n: int, k: int, s: int, p: int, d: int, op: int, *, pads: int = -2, span: int = 1) -> int:
        return (n - 1) * s + pads * p + d * (k - 1) + op + span

    mistakes = {
        "that is the ordinary convolution's output size, floor((n + 2p − d(k − 1) − 1)/s) + 1, which makes "
        "images smaller; the transposed convolution goes the other way": (
            lambda n, k, s, p, d, op: (n + 2 * p - d * (k - 1) - 1) // s + 1
        ),
        "you left out the dilation: a dilated kernel spans d·(k − 1) + 1 samples": (
            lambda n, k, s, p, d, op: size(n, k, s, p, 1, op)
        ),
        "you left out output_padding: it adds that many samples at the end": (
            lambda n, k, s, p, d, op: size(n, k, s, p, d, 0)
        ),
        "off by one: n inputs spread out with stride s span (n − 1)·s + 1 samples, then the kernel adds "
        "d·(k − 1)": lambda n, k, s, p, d, op: size(n, k, s, p, d, op, span=0),
        "padding removes p samples from *each* end: subtract 2p": (
            lambda n, k, s, p, d, op: size(n, k, s, p, d, op, pads=-1)
        ),
        "in a transposed convolution, padding removes samples from the output (it is the padding of the "
        "convolution it transposes): subtract 2p, do not add it": (
            lambda n, k, s, p, d, op: size(n, k, s, p, d, op, pads=2)
        ),
        "n samples have n − 1 gaps between them: (n − 1)·s, not n·s": (
            lambda n, k, s, p, d, op: size(n, k, s, p, d, op) + s
        ),
    }

    def checks() -> None:
        got = [_as_int(call_answer(function, *case), "your output size") for case in _TRANSPOSED_CASES]
        truth = [_transposed_size(*case) for case in _TRANSPOSED_CASES]
        args = "n, k, stride, padding, dilation, output_padding"
        _require_equal("transposed_output_size", got, _TRANSPOSED_CASES, truth, mistakes, args)

    return run_checks("transposed_output_size", checks)


# ---------------------------------------------------------------------------------------------
# Exercise: the receptive field of a stack of layers, with dilation

_FIELD_CASES = [  # (kernel sizes, strides, dilations), first layer first
    ([3], [1], [1]),
    ([3, 3, 3], [1, 1, 1], [1, 1, 1]),
    ([3, 3, 3], [2, 2, 1], [1, 1, 1]),
    ([5, 3], [2, 1], [1, 1]),
    ([7, 3, 3, 3], [2, 2, 2, 1], [1, 1, 1, 1]),
    ([3, 3], [1, 2], [1, 1]),
    ([1, 3, 1], [1, 1, 1], [1, 1, 1]),
    ([2, 2, 2], [2, 2, 2], [1, 1, 1]),
    ([3, 3, 3], [1, 1, 1], [1, 2, 4]),
    ([3, 3], [2, 1], [2, 2]),
    ([3, 5], [2, 1], [1, 3]),
    ([2, 3], [1, 2], [3, 1]),
]


def receptive_field_by_impulse(
    kernels: Sequence[int], strides: Sequence[int], dilations: Sequence[int] | None = None
) -> int:
    """Measure the receptive field: push one output pixel's gradient back through all-ones 1-D layers.

    The field is the extent from the first to the last input sample the gradient reaches (with
    dilation it can have holes; they count in its width).

    Examples
    --------
    >>> receptive_field_by_impulse([3, 3, 3], [1, 1, 1])
    7
    >>> receptive_field_by_impulse([3, 3, 3], [1, 1, 1], [1, 2, 4])
    15
    """
    dilations = [1] * len(kernels) if dilations is None else list(dilations)
    spans = [d * (k - 1) for k, d in zip(kernels, dilations)]
    size = 1 + sum(spans) * int(np.prod(strides)) * 2 + 8  # room to spare
    layers = [(np.ones((1, 1, 1, k)), (1, s), (1, d)) for k, s, d in zip(kernels, strides, dilations)]
    activations = [np.zeros((1, 1, 1, size))]
    for w, s, d in layers:
        activations.append(conv2d(activations[-1], w, stride=s, dilation=d))
    grad = np.zeros_like(activations[-1])
    grad[..., activations[-1].shape[-1] // 2] = 1.0
    for x, (w, s, d) in zip(reversed(activations[:-1]), reversed(layers)):
        grad = conv2d_backward(grad, x, w, stride=s, dilation=d)[0]
    reached = np.flatnonzero(grad)
    return int(reached[-1] - reached[0] + 1)


def check_receptive_field(function: Callable[[list[int], list[int], list[int]], object]) -> CheckResult:
    """Check ``function(kernels, strides, dilations)``: the width of what one output sample of the stack sees.

    The truth is measured by pushing an impulse back through each stack
    (:func:`receptive_field_by_impulse`); the rule is
    ``r = 1 + Σ d_l · (k_l − 1) · (s_1 · … · s_(l−1))``.

    Recognises: the kernel sizes added up; the strides ignored; each layer's own stride applied to
    its own kernel (one layer too early); the ``1 +`` left out; the dilation ignored; a dilated
    kernel taken to span ``d·k`` samples.

    Examples
    --------
    >>> def field(kernels, strides, dilations):
    ...     r, jump = 1, 1
    ...     for k, s, d in zip(kernels, strides, dilations):
    ...         r, jump = r + d * (k - 1) * jump, jump * s
    ...     return r
    >>> check_receptive_field(field)
    receptive_field: correct!
    CheckResult(passed=True)
    >>> check_receptive_field(lambda kernels, strides, dilations: sum(kernels))
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: adding the kernel sizes counts the centre sample ...
    """

    def field(
        kernels: Sequence[int],
        strides: Sequence[int],
        dilations: Sequence[int],
        own: bool = False,
        plus: int = 1,
        span: Callable[[int, int], int] = lambda k, d: d * (k - 1),
    ) -> int:
        r, jump = plus, 1
        for k, s, d in zip(kernels, strides, dilations):
            if own:
                jump *= s
            r += span(k, d) * jump
            if not own:
                jump *= s
        return r

    mistakes = {
        "adding the kernel sizes counts the centre sample once per layer; each layer widens the field by "
        "its span minus 1 (times the stride so far)": lambda ks, ss, ds: sum(ks),
        "you ignored the strides: after a stride-s layer, one step of the next layer is s input samples, "
        "so its extra samples count s times": lambda ks, ss, ds: field(ks, [1] * len(ks), ds),
        "a layer's own stride does not widen its own window; it multiplies the steps of the layers *after* it": (
            lambda ks, ss, ds: field(ks, ss, ds, own=True)
        ),
        "off by one: a single 1 × 1 layer already sees 1 sample, so start from 1": (
            lambda ks, ss, ds: field(ks, ss, ds, plus=0)
        ),
        "you left out the dilation: k taps placed d apart span d·(k − 1) + 1 samples, so the layer widens "
        "the field by d·(k − 1) (times the stride so far)": lambda ks, ss, ds: field(ks, ss, [1] * len(ks)),
        "k taps placed d apart have k − 1 gaps of d: they span d·(k − 1) + 1 samples, not d·k": (
            lambda ks, ss, ds: field(ks, ss, ds, span=lambda k, d: d * k - 1)
        ),
    }

    def checks() -> None:
        got = [
            _as_int(call_answer(function, list(kernels), list(strides), list(dilations)), "your receptive field")
            for kernels, strides, dilations in _FIELD_CASES
        ]
        truth = [receptive_field_by_impulse(*case) for case in _FIELD_CASES]
        _require_equal("receptive_field", got, _FIELD_CASES, truth, mistakes, "kernels, strides, dilations")

    return run_checks("receptive_field", checks)

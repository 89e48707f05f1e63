"""The checkers of notebook 05: right answers pass, stubs are "not attempted", each typical mistake is named."""

from __future__ import annotations

import pytest

from convlib.book.exercises.core import ExerciseError
from convlib.book.exercises.layers import (
    check_conv_parameters,
    check_receptive_field,
    check_transposed_output_size,
    receptive_field_by_impulse,
)
from convlib.book.solutions import layers as answers

# ---------------------------------------------------------------------------------------------
# Right answers (stubs and crashing answers: tests/test_exercise_checkers.py)


@pytest.mark.parametrize(
    ("checker", "answer"),
    [
        (check_conv_parameters, answers.conv_parameters),
        (check_transposed_output_size, answers.transposed_output_size),
        (check_receptive_field, answers.receptive_field),
    ],
)
def test_right_answers_pass(checker, answer, capsys):
    assert checker(answer)
    assert "correct!" in capsys.readouterr().out


def test_a_float_that_is_whole_is_accepted_and_other_types_are_not():
    assert check_conv_parameters(lambda c_in, c_out, k, groups: float(answers.conv_parameters(c_in, c_out, k, groups)))
    with pytest.raises(ExerciseError, match="whole number"):
        check_conv_parameters(lambda c_in, c_out, k, groups: "many")
    with pytest.raises(ExerciseError, match="whole number"):
        check_receptive_field(lambda kernels, strides, dilations: True)


# ---------------------------------------------------------------------------------------------
# conv_parameters


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (lambda c, o, k, g: o * (c // g) * k * k, "forgot the biases"),
        (lambda c, o, k, g: o * (k * k + 1), "left the input channels out"),
        (lambda c, o, k, g: o * (c * k * k + 1), "you counted all C_in"),
        (lambda c, o, k, g: (o // g) * (c // g * k * k + 1), "divided C_out by groups too"),
        (lambda c, o, k, g: o * (c // g * k + 1), "K² weights, not K"),
    ],
)
def test_parameter_mistakes_are_named(answer, named):
    with pytest.raises(ExerciseError, match=named) as error:
        check_conv_parameters(answer)
    assert "For example, conv_parameters(c_in=" in str(error.value)


def test_parameters_wrong_in_another_way_show_a_case():
    with pytest.raises(
        ExerciseError, match=r"conv_parameters\(c_in=3, c_out=16, k=3, groups=1\) returned 1; the right"
    ):
        check_conv_parameters(lambda c_in, c_out, k, groups: 1)


def test_parameters_agree_with_torch():
    torch = pytest.importorskip("torch")
    for c_in, c_out, k, groups in [(3, 16, 3, 1), (32, 32, 3, 32), (8, 16, 3, 4), (12, 6, 5, 3)]:
        layer = torch.nn.Conv2d(c_in, c_out, k, groups=groups)
        assert sum(p.numel() for p in layer.parameters()) == answers.conv_parameters(c_in, c_out, k, groups)


# ---------------------------------------------------------------------------------------------
# transposed_output_size


def _size(n, k, s, p, d, op):
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (lambda n, k, s, p, d, op: (n + 2 * p - d * (k - 1) - 1) // s + 1, "ordinary convolution's output size"),
        (lambda n, k, s, p, d, op: _size(n, k, s, p, 1, op), "left out the dilation"),
        (lambda n, k, s, p, d, op: _size(n, k, s, p, d, 0), "left out output_padding"),
        (lambda n, k, s, p, d, op: _size(n, k, s, p, d, op) - 1, "off by one"),
        (lambda n, k, s, p, d, op: _size(n, k, s, p, d, op) + p, r"\*each\* end"),
        (lambda n, k, s, p, d, op: _size(n, k, s, p, d, op) + 4 * p, "do not add it"),
        (lambda n, k, s, p, d, op: _size(n, k, s, p, d, op) + s, "n − 1 gaps"),
    ],
)
def test_transposed_size_mistakes_are_named(answer, named):
    with pytest.raises(ExerciseError, match=named):
        check_transposed_output_size(answer)


def test_transposed_size_wrong_in_another_way_shows_a_case():
    with pytest.raises(ExerciseError, match=r"transposed_output_size\(n=4, k=3, stride=2, .*returned 0"):
        check_transposed_output_size(lambda n, k, s, p, d, op: 0)


# ---------------------------------------------------------------------------------------------
# receptive_field


def _field(kernels, strides, dilations, own=False, start=1, span=lambda k, d: d * (k - 1)):
    r, jump = start, 1
    for k, s, d in zip(kernels, strides, dilations):
        jump = jump * s if own else jump
        r += span(k, d) * jump
        jump = jump if own else jump * s
    return r


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (lambda ks, ss, ds: sum(ks), "adding the kernel sizes"),
        (lambda ks, ss, ds: _field(ks, [1] * len(ks), ds), "ignored the strides"),
        (lambda ks, ss, ds: _field(ks, ss, ds, own=True), "own stride does not widen"),
        (lambda ks, ss, ds: _field(ks, ss, ds, start=0), "start from 1"),
        (lambda ks, ss, ds: _field(ks, ss, [1] * len(ks)), "left out the dilation"),
        (lambda ks, ss, ds: _field(ks, ss, ds, span=lambda k, d: d * k - 1), "not d·k"),
    ],
)
def test_receptive_field_mistakes_are_named(answer, named):
    with pytest.raises(ExerciseError, match=named):
        check_receptive_field(answer)


def test_receptive_field_wrong_in_another_way_shows_a_case():
    with pytest.raises(
        ExerciseError, match=r"receptive_field\(kernels=\[3\], strides=\[1\], dilations=\[1\]\) returned 2"
    ):
        check_receptive_field(lambda kernels, strides, dilations: 2)


def test_the_old_two_argument_answer_is_reported():
    with pytest.raises(ExerciseError, match="raised TypeError"):
        check_receptive_field(lambda kernels, strides: 3)


def test_the_checker_does_not_hand_over_its_own_lists():
    def mutates(kernels, strides, dilations):
        kernels.append(99)
        return answers.receptive_field(kernels[:-1], strides, dilations)

    assert check_receptive_field(mutates)


@pytest.mark.parametrize(
    ("kernels", "strides", "dilations", "expected"),
    [
        ([3], [1], [1], 3),
        ([3, 3, 3], [1, 1, 1], [1, 1, 1], 7),
        ([3, 3, 3], [2, 2, 1], [1, 1, 1], 15),
        ([7, 3, 3, 3, 3], [2, 2, 1, 2, 1], [1] * 5, 43),
        ([3, 3, 3], [1, 1, 1], [1, 2, 4], 15),
        ([3, 3], [2, 1], [2, 2], 13),
    ],
)
def test_the_impulse_measures_the_field(kernels, strides, dilations, expected):
    assert receptive_field_by_impulse(kernels, strides, dilations) == expected
    assert answers.receptive_field(kernels, strides, dilations) == expected

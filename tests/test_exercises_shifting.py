"""The checkers of notebook 06 accept right answers and name the typical wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from convlib.book.exercises.core import ExerciseError
from convlib.book.exercises.shifting import check_delay_kernel, check_linear_by_fft, check_ntm_shift
from convlib.book.pitfalls import shift_noncircular, shift_reversed_labels, shift_wrong_axis
from convlib.shifting import circular_convolve


def stub(*args):
    raise NotImplementedError


def returns_none(*args):
    return None


@pytest.mark.parametrize("checker", [check_delay_kernel, check_ntm_shift, check_linear_by_fft])
@pytest.mark.parametrize("answer", [stub, returns_none])
def test_stubs_are_not_attempted(checker, answer, capsys):
    assert checker(answer) is False
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize("checker", [check_delay_kernel, check_ntm_shift, check_linear_by_fft])
def test_an_answer_that_crashes_is_reported(checker):
    def crashes(*args):
        raise IndexError("index 9 is out of bounds")

    with pytest.raises(ExerciseError, match="raised IndexError: index 9 is out of bounds"):
        checker(crashes)


# --------------------------------------------------------------------------- exercise 1: delay kernel


def spike(k, length):
    kernel = np.zeros(length)
    kernel[k] = 1.0
    return kernel


@pytest.mark.parametrize(
    "answer",
    [
        lambda k: spike(k, k + 1),
        lambda k: spike(k, k + 4),  # trailing zeros do no harm
        lambda k: [0] * k + [1],  # a list is fine
    ],
)
def test_delay_kernel_accepts_right_answers(answer, capsys):
    assert check_delay_kernel(answer) is True
    assert "delay kernel: correct!" in capsys.readouterr().out


def test_delay_kernel_checks_a_delay_of_zero():
    # The notebook's spec says "k zeros, then x[:len(x) - k]": for k = 0 that is x itself (x[:-0] would be empty),
    # so the checker must test k = 0 and want the identity kernel there.
    with pytest.raises(
        ExerciseError, match=r"delay_kernel\(0\) = \[0\.0, 1\.0\] delays the signal by 1 samples, not 0"
    ):
        check_delay_kernel(lambda k: spike(max(k, 1), max(k, 1) + 1))


@pytest.mark.parametrize(
    ("answer", "pattern"),
    [
        # the correlation picture: the spike counted from the end of the kernel
        (lambda k: spike(k, k + 1)[::-1], r"delay_kernel\(1\) = \[1.0, 0.0\] delays the signal by 0 samples, not 1\..*"
         r"Counting from the end of the kernel gives 1: that is how correlation reads"),
        (lambda k: spike(k + 1, k + 2), r"delay_kernel\(0\) = \[0.0, 1.0\] delays the signal by 1 samples, not 0"),
        (lambda k: 2 * spike(k, k + 1), r"spike of height 2.*must be 1"),
        (lambda k: np.full(k + 2, 1 / (k + 2)), r"has 2 non-zero weights.*a blur as well as a shift"),
        (lambda k: np.zeros(k + 1), r"all zeros"),
        (lambda k: np.zeros(0), r"is empty"),
        (lambda k: np.eye(k + 1), r"must be 1-D; got shape \(1, 1\)"),
        (lambda k: spike(k, k + 1) + 0j, r"is complex"),
    ],
)  # fmt: skip
def test_delay_kernel_names_the_mistake(answer, pattern):
    with pytest.raises(ExerciseError, match=pattern):
        check_delay_kernel(answer)


def test_delay_kernel_off_by_one_is_not_called_correlation():
    with pytest.raises(ExerciseError) as caught:
        check_delay_kernel(lambda k: spike(k + 1, k + 3))  # k = 0: [0, 1, 0]
    assert "delays the signal by 1 samples, not 0" in str(caught.value)
    assert "Counting from the end" not in str(caught.value)


# --------------------------------------------------------------------------- exercise 2: NTM shift


def shift_by_roll(w, s):
    return s[0] * np.roll(w, -1) + s[1] * w + s[2] * np.roll(w, 1)


def shift_by_loops(w, s):
    n = len(w)
    return np.array([sum(w[(i - shift) % n] * s[k] for k, shift in enumerate((-1, 0, 1))) for i in range(n)])


def shift_by_circular_convolution(w, s):
    kernel = np.zeros(len(w))
    np.add.at(kernel, np.mod([-1, 0, 1], len(w)), s)
    return circular_convolve(w, kernel)


def shift_by_padding(w, s):
    return np.convolve(np.pad(w, 1, mode="wrap"), s, mode="valid")


@pytest.mark.parametrize("answer", [shift_by_roll, shift_by_loops, shift_by_circular_convolution, shift_by_padding])
def test_ntm_shift_accepts_right_answers(answer, capsys):
    assert check_ntm_shift(answer) is True
    assert "NTM shift: correct!" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("answer", "pattern"),
    [
        (shift_noncircular, r"^not circular for weights=\[0\.0, 0\.0, 0\.0, 0\.0, 1\.0\].*lost.*sums to 0\.000"),
        (shift_wrong_axis, r"^nothing moved .*wrong axis"),
        (shift_reversed_labels, r"^wrong direction .*shift_weights\[2\] belongs to \+1"),
        (lambda w, s: shift_by_roll(w, s[::-1]), r"^wrong direction"),
        (lambda w, s: np.convolve(w, s, mode="same"), r"^not circular"),
        (lambda w, s: np.convolve(w, s, mode="full"), r"^wrong length .*one value per memory slot, 6; got 8"),
        (lambda w, s: s[2] * np.roll(w, 1), r"^your result is not a distribution .*sums to 0\.700"),
        (lambda w, s: shift_by_roll(w, s) + 0.001, r"^your result is not a distribution"),
        (lambda w, s: np.roll(shift_by_roll(w, s), 1), r"^wrong values .*expected \[0\.0, 0\.0, 0\.1, 0\.6, 0\.3"),
    ],
)
def test_ntm_shift_names_the_mistake(answer, pattern):
    with pytest.raises(ExerciseError, match=pattern):
        check_ntm_shift(answer)


def test_ntm_shift_checker_is_not_fooled_by_a_careless_test():
    """The non-circular shift is right in the interior: the checker must still reach a case at the ends."""
    weights, s = np.array([0.0, 0.1, 0.6, 0.3, 0.0, 0.0]), np.array([0.0, 0.0, 1.0])
    np.testing.assert_allclose(shift_noncircular(weights, s), shift_by_roll(weights, s))
    with pytest.raises(ExerciseError, match="not circular"):
        check_ntm_shift(shift_noncircular)


# --------------------------------------------------------------------------- exercise 3: linear via FFT


def fft_padded(signal, kernel):
    length = len(signal) + len(kernel) - 1
    return np.fft.irfft(np.fft.rfft(signal, length) * np.fft.rfft(kernel, length), length)


def fft_complex_then_real(signal, kernel):
    length = len(signal) + len(kernel) - 1
    return np.real(np.fft.ifft(np.fft.fft(signal, length) * np.fft.fft(kernel, length)))


def fft_power_of_two_then_cut(signal, kernel):
    length = len(signal) + len(kernel) - 1
    size = 1 << (length - 1).bit_length()
    return np.fft.irfft(np.fft.rfft(signal, size) * np.fft.rfft(kernel, size), size)[:length]


@pytest.mark.parametrize("answer", [fft_padded, fft_complex_then_real, fft_power_of_two_then_cut])
def test_linear_by_fft_accepts_right_answers(answer, capsys):
    assert check_linear_by_fft(answer) is True
    assert "linear convolution by FFT: correct!" in capsys.readouterr().out


def no_padding(signal, kernel):
    n = len(signal)
    return np.fft.irfft(np.fft.rfft(signal) * np.fft.rfft(kernel, n), n)


def one_too_short(signal, kernel):
    length = len(signal) + len(kernel) - 2
    return np.fft.irfft(np.fft.rfft(signal, length) * np.fft.rfft(kernel, length), length)


def forgot_the_real_part(signal, kernel):
    length = len(signal) + len(kernel) - 1
    return np.fft.ifft(np.fft.fft(signal, length) * np.fft.fft(kernel, length))


def forgot_to_cut(signal, kernel):
    length = len(signal) + len(kernel) - 1
    size = 1 << length.bit_length()  # always longer than needed
    return np.fft.irfft(np.fft.rfft(signal, size) * np.fft.rfft(kernel, size), size)


@pytest.mark.parametrize(
    ("answer", "pattern"),
    [
        (no_padding, r"^you computed the circular convolution .*N = 4.*K - 1 = 2.*N \+ K - 1 = 6"),
        (one_too_short, r"^your transforms are too short .*length 5 < N \+ K - 1 = 6.*aliasing"),
        (forgot_the_real_part, r"is complex .*imaginary parts of about 0"),
        (forgot_to_cut, r"^right values but 8 samples .*keep only the first N \+ K - 1 = 6"),
        (lambda x, k: np.correlate(x, k, mode="full"), r"^wrong values"),
        (lambda x, k: np.convolve(x, k, mode="full")[::-1], r"^your output is reversed"),
        (lambda x, k: np.convolve(x, k, mode="same"), r"^you computed the circular|^wrong length"),
        (lambda x, k: np.convolve(x, k, mode="valid"), r"^wrong length .*N \+ K - 1 = 6 samples; got 2"),
    ],
)
def test_linear_by_fft_names_the_mistake(answer, pattern):
    with pytest.raises(ExerciseError, match=pattern):
        check_linear_by_fft(answer)

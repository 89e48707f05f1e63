"""The checkers of notebook 07 accept right answers and name the typical wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from convlib.book.exercises.core import ExerciseError
from convlib.book.exercises.frequency import check_box_zeros, check_linear_by_fft
from convlib.book.solutions import frequency as answers


def test_the_worked_answers_pass(capsys):
    assert check_linear_by_fft(answers.linear_by_fft)
    assert check_box_zeros(answers.box_zeros)
    out = capsys.readouterr().out
    assert "linear convolution by FFT: correct!" in out and "what a box removes: correct!" in out


# --------------------------------------------------------------------------- exercise 1: linear via FFT


def fft_padded(signal, kernel):
    length = len(signal) + len(kernel) - 1
    return np.fft.irfft(np.fft.rfft(signal, length) * np.fft.rfft(kernel, length), length)


def fft_power_of_two_then_cut(signal, kernel):
    length = len(signal) + len(kernel) - 1
    size = 1 << (length - 1).bit_length()
    return np.fft.irfft(np.fft.rfft(signal, size) * np.fft.rfft(kernel, size), size)[:length]


@pytest.mark.parametrize("answer", [fft_padded, fft_power_of_two_then_cut, answers.linear_by_fft])
def test_linear_by_fft_accepts_right_answers(answer, capsys):
    assert check_linear_by_fft(answer)
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


# --------------------------------------------------------------------------- exercise 2: what a box removes


def zeros_by_reasoning(width, n):
    return [f for f in range(1, n) if f * width % n == 0]


def zeros_as_array_in_reverse(width, n):
    gain = np.abs(np.fft.fft(np.ones(width) / width, n))
    return np.flatnonzero(gain < 1e-9)[::-1]


def zeros_as_floats(width, n):
    return [float(f) for f in zeros_by_reasoning(width, n)]


@pytest.mark.parametrize("answer", [zeros_by_reasoning, zeros_as_array_in_reverse, zeros_as_floats, answers.box_zeros])
def test_box_zeros_accepts_right_answers(answer, capsys):
    assert check_box_zeros(answer)
    assert "what a box removes: correct!" in capsys.readouterr().out


def exact_zero_test(width, n):
    return np.flatnonzero(np.abs(np.fft.fft(np.ones(width) / width, n)) == 0).tolist()


def includes_the_mean(width, n):
    return [f for f in range(n) if f * width % n == 0]


def first_half_only(width, n):
    return np.flatnonzero(np.isclose(np.fft.rfft(np.ones(width) / width, n), 0, atol=1e-9)).tolist()


def box_not_padded(width, n):
    return np.flatnonzero(np.isclose(np.fft.fft(np.ones(width) / width), 0, atol=1e-9)).tolist()


def multiples_of_the_width(width, n):
    return list(range(width, n, width))


def cycles_per_sample(width, n):
    return [f / n for f in zeros_by_reasoning(width, n)]


def boolean_mask(width, n):
    return np.isclose(np.abs(np.fft.fft(np.ones(width) / width, n)), 0, atol=1e-9)


def only_when_the_width_divides(width, n):
    return list(range(n // width, n, n // width)) if n % width == 0 else []


def every_frequency(width, n):
    return list(range(1, n))


@pytest.mark.parametrize(
    ("answer", "pattern"),
    [
        (exact_zero_test, r"^box_zeros\(5, 20\) misses \[8, 12\], where the DFT is 0 up to round-off.*tolerance"),
        (includes_the_mean, r"^box_zeros\(4, 8\) includes f = 0.*keeps the mean"),
        (first_half_only, r"^box_zeros\(4, 8\) returned \[2, 4\], only frequencies up to n/2.*misses \[6\]"),
        (box_not_padded, r"^box_zeros\(4, 8\) returned \[1, 2, 3\].*pad the box to n"),
        (multiples_of_the_width, r"^box_zeros\(4, 8\) returned the multiples of the width, \[4\]"),
        (cycles_per_sample, r"cycles per sample.*times n = 8"),
        (boolean_mask, r"8 booleans \(a mask\).*np.flatnonzero"),
        (only_when_the_width_divides, r"^box_zeros\(4, 6\) returned \[\] and misses \[3\]"),
        (every_frequency, r"^box_zeros\(4, 8\) returned \[1, 2, 3, 4, 5, 6, 7\], but the box does not remove"),
        (lambda width, n: [[1, 2], [3, 4]], r"flat list"),
        (lambda width, n: [1.5], r"whole numbers"),
        (lambda width, n: [2, 2, 4, 6], r"name each frequency once"),
        (lambda width, n: [2, 4, 6, 8], r"run from 0 to n - 1 = 7"),
        (lambda width, n: ["2"], r"must return numbers"),
    ],
)
def test_box_zeros_names_the_mistake(answer, pattern):
    with pytest.raises(ExerciseError, match=pattern):
        check_box_zeros(answer)


def test_box_zero_cases_cover_the_traps():
    """Cases where n / width is not whole but zeros exist (gcd), where none exist, and round-off is not exact 0."""
    from convlib.book.exercises.frequency import _box_zero_cases, _expected_box_zeros

    cases = _box_zero_cases()
    assert any(n % w and _expected_box_zeros(w, n) for w, n in cases)  # e.g. (4, 6): f = 3
    assert any(not _expected_box_zeros(w, n) for w, n in cases)  # e.g. (3, 10): none
    assert exact_zero_test(5, 20) != _expected_box_zeros(5, 20)  # == 0 misses some: the trap is live
    for width, n in cases:
        gain = np.abs(np.fft.fft(np.ones(width) / width, n))
        assert np.flatnonzero(gain < 1e-9).tolist() == _expected_box_zeros(width, n)

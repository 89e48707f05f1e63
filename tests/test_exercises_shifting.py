"""The checkers of notebook 08 accept right answers and name the typical wrong ones."""

from __future__ import annotations

import numpy as np
import pytest

from convlib.book.exercises.core import ExerciseError
from convlib.book.exercises.shifting import (
    check_blur_downsample,
    check_delay_kernel,
    check_ntm_shift,
)
from convlib.book.pitfalls import shift_noncircular, shift_reversed_labels, shift_wrong_axis
from convlib.shifting import circular_convolve

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
    assert check_delay_kernel(answer)
    assert "delay kernel: correct!" in capsys.readouterr().out


def test_delay_kernel_checks_a_delay_of_zero():
    # The notebook's spec says "k zeros, then x[:len(x) - k]": for k = 0 that is x itself (x[:-0] would be empty),
    # so the checker must test k = 0 and want the identity kernel there.
    with pytest.raises(ExerciseError, match=r"delay_kernel\(0\) = \[0\.0, 1\.0\] delays the signal by 1 sample, not 0"):
        check_delay_kernel(lambda k: spike(max(k, 1), max(k, 1) + 1))


@pytest.mark.parametrize(
    ("answer", "pattern"),
    [
        # the correlation picture: the spike counted from the end of the kernel
        (lambda k: spike(k, k + 1)[::-1], r"delay_kernel\(1\) = \[1.0, 0.0\] delays the signal by 0 samples, not 1\..*"
         r"For every k, counting from the end of your kernel gives k: that is how correlation reads"),
        (lambda k: spike(k + 1, k + 2), r"delay_kernel\(0\) = \[0.0, 1.0\] delays the signal by 1 sample, not 0\. "
         r".*For every k your spike sits one place too far"),
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
    assert "delays the signal by 1 sample, not 0" in str(caught.value)
    assert "counting from the end" not in str(caught.value)


def test_delay_kernel_one_place_too_far_is_not_called_correlation():
    # np.eye(k + 2)[k + 1]: at k = 0 it is [0, 1], which read from the end is also [1, 0]
    with pytest.raises(ExerciseError) as caught:
        check_delay_kernel(lambda k: np.eye(k + 2)[k + 1])
    assert "one place too far" in str(caught.value)
    assert "correlation" not in str(caught.value)


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
    assert check_ntm_shift(answer)
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


# --------------------------------------------------------------------------- exercise 3: blur, then downsample


def blur_by_roll(x, kernel=(0.25, 0.5, 0.25)):
    r = len(kernel) // 2
    return sum(w * np.roll(x, r - m) for m, w in enumerate(kernel))[::2]


def blur_by_wrap_padding(x, kernel):
    r = len(kernel) // 2
    return np.convolve(np.pad(x, r, mode="wrap"), kernel, mode="valid")[::2]


def blur_by_circular_convolution(x, kernel):
    r = len(kernel) // 2
    laid_out = np.zeros(len(x))
    for m, w in enumerate(kernel):
        laid_out[(m - r) % len(x)] += w
    return circular_convolve(x, laid_out)[::2]


def blur_by_loops(x, kernel):
    n, r = len(x), len(kernel) // 2
    return np.array([sum(kernel[m] * x[(i + m - r) % n] for m in range(len(kernel))) for i in range(0, n, 2)])


@pytest.mark.parametrize("answer", [blur_by_roll, blur_by_wrap_padding, blur_by_circular_convolution, blur_by_loops])
def test_blur_downsample_accepts_right_answers(answer, capsys):
    assert check_blur_downsample(answer)
    assert "blur, then downsample: correct!" in capsys.readouterr().out


def uncentred(x, kernel):  # the first weight at offset 0: np.convolve's "full" output, wrapped round
    full = np.convolve(np.concatenate([x, x]), kernel)[len(x) : 2 * len(x)]
    return full[::2]


@pytest.mark.parametrize(
    ("answer", "pattern"),
    [
        (lambda x, k: x[::2], r"^no blur for x="),
        (lambda x, k: blur_by_roll(x), r"^you ignored the kernel .*\[1, 2, 1\] / 4"),
        (lambda x, k: sum(w * np.roll(x, len(k) // 2 - m) for m, w in enumerate(k))[1::2],
         r"^you kept the odd samples"),
        (lambda x, k: sum(w * np.roll(x[::2], len(k) // 2 - m) for m, w in enumerate(k)),
         r"^you subsampled before blurring"),
        (lambda x, k: np.convolve(x[::2], k, "same"), r"^you subsampled before blurring"),
        (lambda x, k: np.convolve(x, k, "same")[::2], r"^the ends are wrong .*np\.roll"),
        (uncentred, r"^the kernel is not centred .*moves the signal by 1 sample as well"),
        (lambda x, k: blur_by_roll(x, k)[:-1], r"^wrong length .*of 9 samples gives 5; got 4"),
        (lambda x, k: np.roll(blur_by_roll(x, k), 1), r"^wrong values"),
        (lambda x, k: blur_by_roll(x, k) + 0j, r"is complex"),
    ],
)  # fmt: skip
def test_blur_downsample_names_the_mistake(answer, pattern):
    with pytest.raises(ExerciseError, match=pattern):
        check_blur_downsample(answer)


def test_blur_downsample_is_checked_on_odd_lengths_too(capsys):
    """For odd N, keeping samples 0, 2, ... gives ceil(N / 2); an answer that drops the last one is caught."""
    with pytest.raises(ExerciseError, match=r"wrong length .*of 9 samples gives 5; got 4"):
        check_blur_downsample(lambda x, k: blur_by_roll(x, k)[: len(x) // 2])

"""Notebook 01's checkers accept right answers, report stubs, and name the typical mistakes."""

import numpy as np
import pytest

import convlib
from convlib.book.exercises.core import ExerciseError
from convlib.book.exercises.signals import check_convolve_1d, check_derivative_kernel, check_output_length


def loop_convolve(signal, kernel):
    out = np.zeros(len(signal) + len(kernel) - 1)
    for n in range(out.size):
        for m in range(len(signal)):
            if 0 <= n - m < len(kernel):
                out[n] += signal[m] * kernel[n - m]
    return out


def stub(*args):
    raise NotImplementedError


def test_convolve_checker_accepts_a_loop_and_numpy(capsys):
    assert check_convolve_1d(loop_convolve)
    assert check_convolve_1d(lambda x, k: list(np.convolve(x, k)))  # a list is fine too
    assert "correct" in capsys.readouterr().out


def test_convolve_checker_reports_a_stub(capsys):
    assert not check_convolve_1d(stub)
    assert not check_convolve_1d(lambda x, k: None)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "diagnosis"),
    [
        (lambda x, k: np.correlate(x, k, mode="full"), "cross-correlation, not convolution"),
        (lambda x, k: np.convolve(x, k)[:-1], "wrong length"),
        (lambda x, k: np.convolve(x, k, mode="valid") if len(k) <= len(x) else np.convolve(x, k), "'valid' length"),
        (lambda x, k: np.convolve(x, k)[::-1], "reversed"),
        (lambda x, k: 2 * np.convolve(x, k), "wrong values"),
        (lambda x, k: 1 / 0, "raised ZeroDivisionError"),
    ],
)
def test_convolve_checker_names_the_mistake(wrong, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_convolve_1d(wrong)


def test_output_length_checker():
    assert check_output_length(lambda n, k, mode: {"full": n + k - 1, "same": n, "valid": n - k + 1}[mode])
    assert check_output_length(lambda n, k, mode: convlib.convolve1d(np.ones(n), np.ones(k), mode=mode).size)
    assert not check_output_length(stub)
    with pytest.raises(ExerciseError, match=r"output_length\(1, 1, 'full'\) should be 1, got 2 \(off by \+1\)"):
        check_output_length(lambda n, k, mode: {"full": n + k, "same": n, "valid": n - k + 1}[mode])
    with pytest.raises(ExerciseError, match=r"'valid' means only positions where the whole kernel lies inside"):
        check_output_length(lambda n, k, mode: {"full": n + k - 1, "same": n, "valid": n - k}[mode])


def test_derivative_kernel_checker():
    assert check_derivative_kernel([1, -1])
    assert check_derivative_kernel([0.5, 0, -0.5])  # the central difference
    assert not check_derivative_kernel(None)
    with pytest.raises(ExerciseError, match=r"minus the derivative: convolution flips the kernel"):
        check_derivative_kernel([-1, 1])
    with pytest.raises(ExerciseError, match=r"sum to 1, not 0"):
        check_derivative_kernel([1, 0])
    with pytest.raises(ExerciseError, match=r"scale it by 0.5"):
        check_derivative_kernel([2, -2])
    with pytest.raises(ExerciseError, match=r"at least two weights"):
        check_derivative_kernel([1])


def numpy_length(n, k, mode):
    """What np.convolve returns: its 'same' has the length of the longer input."""
    return np.convolve(np.ones(n), np.ones(k), mode=mode).size


def test_output_length_checker_asks_about_kernels_longer_than_the_signal():
    with pytest.raises(
        ExerciseError, match=r"output_length\(1, 2, 'same'\) should be 1, got 2 .*np\.convolve's rule: its 'same' has"
    ):
        check_output_length(numpy_length)
    with pytest.raises(ExerciseError, match=r"output_length\(1, 2, 'same'\) should be 1, got 2"):
        check_output_length(lambda n, k, mode: {"full": n + k - 1, "same": max(n, k), "valid": n - k + 1}[mode])


def test_output_length_checker_does_not_ask_for_valid_with_a_longer_kernel():
    def refuses_a_longer_kernel(n, k, mode):
        if mode == "valid" and k > n:
            raise AssertionError("the checker asked for 'valid' with a kernel longer than the signal")
        return {"full": n + k - 1, "same": n, "valid": n - k + 1}[mode]

    assert check_output_length(refuses_a_longer_kernel)


def test_derivative_kernel_checker_names_a_curvature_kernel():
    with pytest.raises(ExerciseError, match=r"on a ramp your kernel gives 0: it is blind to slope .*curvature"):
        check_derivative_kernel([1, -2, 1])  # no RuntimeWarning (the suite turns warnings into errors)
    with pytest.raises(ExerciseError, match=r"blind to slope"):
        check_derivative_kernel([0, 0])


def test_derivative_kernel_stub_message_names_the_variable(capsys):
    assert not check_derivative_kernel(None)
    out = capsys.readouterr().out
    assert "not attempted yet (derivative_kernel is still None)" in out
    assert "<lambda>" not in out

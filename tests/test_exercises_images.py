"""Notebook 02's checkers accept right answers, report stubs, and name the typical mistakes."""

import numpy as np
import pytest

import convlib
from convlib.book.exercises import ExerciseError
from convlib.book.exercises.images import check_blur_kernel, check_correlate2d, check_to_display


def loops(image, kernel, rows_short=0):
    kh, kw = kernel.shape
    out = np.zeros((image.shape[0] - kh + 1 - rows_short, image.shape[1] - kw + 1 - rows_short))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = np.sum(image[i : i + kh, j : j + kw] * kernel)
    return out


def stub(*args):
    raise NotImplementedError


def test_correlate2d_checker():
    assert check_correlate2d(loops) is True
    assert check_correlate2d(stub) is False
    with pytest.raises(ExerciseError, match=r"one row and one column short.*range\(H - KH \+ 1\)"):
        check_correlate2d(lambda x, k: loops(x, k, rows_short=1))  # the seed blog post's loop bound
    with pytest.raises(ExerciseError, match=r"you computed a convolution"):
        check_correlate2d(lambda x, k: convlib.convolve2d(x, k, "valid"))
    with pytest.raises(ExerciseError, match=r"wrong shape .* \(3, 3\), got \(4, 4\)"):
        check_correlate2d(lambda x, k: convlib.correlate2d(x, k, "same"))
    with pytest.raises(ExerciseError, match=r"wrong values"):
        check_correlate2d(lambda x, k: loops(x, k) + 1)


def test_blur_kernel_checker():
    assert check_blur_kernel(convlib.kernels.gaussian(5, 1.0)) is True
    assert check_blur_kernel(None) is False
    with pytest.raises(ExerciseError, match=r"sum to 25, so a flat gray image comes out 25 times as bright"):
        check_blur_kernel(np.ones((5, 5)))
    with pytest.raises(ExerciseError, match=r"must be 5x5"):
        check_blur_kernel(np.ones((3, 3)) / 9)
    with pytest.raises(ExerciseError, match=r"negative weights"):
        check_blur_kernel(np.pad(convlib.kernels.sharpen(), 1))
    off_centre = np.zeros((5, 5))
    off_centre[0, 0] = 1
    with pytest.raises(ExerciseError, match=r"centre weight should be the largest"):
        check_blur_kernel(off_centre)


def test_to_display_checker():
    assert check_to_display(lambda r: convlib.to_uint8(r, scaling="rescale")) is True
    assert check_to_display(stub) is False
    with pytest.raises(ExerciseError, match=r"astype\(np.uint8\) wraps negative values"):
        check_to_display(lambda r: r.astype(np.uint8))
    with pytest.raises(ExerciseError, match=r"must be uint8"):
        check_to_display(lambda r: r)
    with pytest.raises(ExerciseError, match=r"only uses gray levels"):
        check_to_display(lambda r: np.round(50 * (r - r.min()) / np.ptp(r)).astype(np.uint8))
    with pytest.raises(ExerciseError, match=r"not monotonic"):
        check_to_display(lambda r: convlib.to_uint8(r, scaling="abs"))  # folds negatives onto positives


def test_blur_kernel_checker_rejects_a_kernel_that_does_not_blur():
    with pytest.raises(ExerciseError, match=r"barely mixes neighbours .*squared weights sum to 1\.00"):
        check_blur_kernel(np.pad(convlib.kernels.identity(), 1))  # the identity: no blur at all
    nearly_identity = np.full((5, 5), 0.01)
    nearly_identity[2, 2] = 0.76
    with pytest.raises(ExerciseError, match=r"barely mixes neighbours"):
        check_blur_kernel(nearly_identity)
    row = np.array([1.0, 4.0, 6.0, 4.0, 1.0])
    assert check_blur_kernel(np.outer(row, row) / 256) is True  # the notebook's solution
    assert check_blur_kernel(np.full((5, 5), 1 / 25)) is True


def test_blur_kernel_stub_message_names_the_variable(capsys):
    assert check_blur_kernel(None) is False
    out = capsys.readouterr().out
    assert "not attempted yet (my_blur is still None)" in out
    assert "<lambda>" not in out


def test_to_display_checker_rejects_clipping_the_negative_half():
    with pytest.raises(ExerciseError, match=r"every negative response got the same gray \(0\): you clipped away"):
        check_to_display(lambda r: np.round(255 * np.clip(r, 0, 1)).astype(np.uint8))
    with pytest.raises(ExerciseError, match=r"you clipped away the negative half"):
        check_to_display(lambda r: convlib.to_uint8(r, scaling="clip"))

    def rescale(response):  # the notebook's solution
        low, high = response.min(), response.max()
        return np.round(255 * (response - low) / (high - low)).astype(np.uint8)

    assert check_to_display(rescale) is True

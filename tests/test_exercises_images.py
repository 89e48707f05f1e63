"""Notebook 02's checkers accept right answers, report stubs, and name the typical mistakes; the worked answers pass."""

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
    assert check_correlate2d(loops)
    assert not check_correlate2d(stub)
    with pytest.raises(ExerciseError, match=r"one row and one column short.*range\(H - KH \+ 1\)"):
        check_correlate2d(lambda x, k: loops(x, k, rows_short=1))  # the classic loop bound range(H - KH)
    with pytest.raises(ExerciseError, match=r"you computed a convolution"):
        check_correlate2d(lambda x, k: convlib.convolve2d(x, k, "valid"))
    with pytest.raises(ExerciseError, match=r"wrong shape .* \(3, 3\), got \(4, 4\)"):
        check_correlate2d(lambda x, k: convlib.correlate2d(x, k, "same"))
    with pytest.raises(ExerciseError, match=r"wrong values"):
        check_correlate2d(lambda x, k: loops(x, k) + 1)


def test_blur_kernel_checker():
    assert check_blur_kernel(convlib.kernels.gaussian(5, 1.0))
    assert not check_blur_kernel(None)
    with pytest.raises(ExerciseError, match=r"sum to 25, so a flat gray image comes out 25 times as bright"):
        check_blur_kernel(np.ones((5, 5)))
    with pytest.raises(ExerciseError, match=r"must be 5x5"):
        check_blur_kernel(np.ones((3, 3)) / 9)
    with pytest.raises(ExerciseError, match=r"negative weights"):
        check_blur_kernel(np.pad(convlib.kernels.sharpen(), 1))
    off_centre = np.zeros((5, 5))
    off_centre[0, 0] = 1
    with pytest.raises(ExerciseError, match=r"centre weight \(0\) should be larger than every other"):
        check_blur_kernel(off_centre)


def test_to_display_checker():
    assert not check_to_display(stub)
    with pytest.raises(ExerciseError, match=r"astype\(np.uint8\) as they are: numpy leaves a cast .* undefined"):
        check_to_display(lambda r: r.astype(np.uint8))
    with pytest.raises(ExerciseError, match=r"must be uint8"):
        check_to_display(lambda r: r)
    with pytest.raises(ExerciseError, match=r"only uses gray levels"):
        check_to_display(lambda r: np.round(50 * (r - r.min()) / np.ptp(r)).astype(np.uint8))
    with pytest.raises(ExerciseError, match=r"\|value\|, which makes -3 as bright as \+3"):
        check_to_display(lambda r: np.round(255 * np.abs(r) / np.abs(r).max()).astype(np.uint8))
    with pytest.raises(ExerciseError, match=r"not monotonic"):
        check_to_display(lambda r: np.round(255 * (np.sin(r) + 1) / 2).astype(np.uint8))
    # a centred map (0 -> 127.5, the largest |value| -> 0 or 255) is a right answer too
    assert check_to_display(lambda r: np.round(127.5 + 127.5 * r / np.abs(r).max()).astype(np.uint8))


def test_to_display_checker_refuses_the_ready_made_conversion():
    import convlib.images
    from convlib import to_uint8
    from convlib.book.widgets.pictures import display_uint8

    original = convlib.to_uint8
    for answer in (
        lambda r: convlib.to_uint8(r, scaling="rescale"),
        lambda r: to_uint8(r, scaling="rescale"),  # imported by name
        lambda r: convlib.images.scale_to_uint8(r, "rescale"),
        lambda r: display_uint8(r, "rescale"),
    ):
        with pytest.raises(ExerciseError, match=r"calls convlib.to_uint8, which does the whole job"):
            check_to_display(answer)
    assert convlib.to_uint8 is original and to_uint8 is original  # put back afterwards
    assert convlib.to_uint8(np.array([[0.0, 1.0]]), scaling="clip").tolist() == [[0, 255]]


def test_to_display_checker_rejects_clipping_the_negative_half():
    with pytest.raises(ExerciseError, match=r"every negative response got the same gray \(0\): you clipped away"):
        check_to_display(lambda r: np.round(255 * np.clip(r, 0, 1)).astype(np.uint8))
    with pytest.raises(ExerciseError, match=r"you clipped away the negative half"):
        check_to_display(lambda r: np.round(255 * np.clip(r / np.abs(r).max(), 0, 1)).astype(np.uint8))

    def rescale(response):  # the worked answer
        low, high = response.min(), response.max()
        return np.round(255 * (response - low) / (high - low)).astype(np.uint8)

    assert check_to_display(rescale)


def test_the_worked_answers_pass_their_checkers():
    from convlib.book.solutions import images as answers

    for checker, name in answers.CHECKS:
        assert globals()[checker](getattr(answers, name)), name

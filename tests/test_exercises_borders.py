"""The checkers of notebook 03 accept right answers, say "not attempted" for stubs, and name typical mistakes."""

from __future__ import annotations

import math

import numpy as np
import pytest

import convlib
from convlib.book.exercises.borders import (
    NAME_QUESTIONS,
    check_numpy_names,
    check_output_size,
    check_pad_1d,
    check_same_convolve,
)
from convlib.book.exercises.core import ExerciseError
from convlib.sizes import output_size

np_pad = np.pad  # what "from numpy import pad" binds
ORIGINAL_NP_PAD, ORIGINAL_CONVLIB_PAD = np.pad, convlib.pad


def stub(*args):
    raise NotImplementedError


# --- check_same_convolve ----------------------------------------------------------------------------------


def same_by_loops(image, kernel):
    kh, kw = kernel.shape
    padded = np.pad(image, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode="symmetric")
    flipped = kernel[::-1, ::-1]
    out = np.zeros(image.shape)
    for i in range(image.shape[0]):
        for j in range(image.shape[1]):
            out[i, j] = np.sum(padded[i : i + kh, j : j + kw] * flipped)
    return out


def first_attempt(image, kernel):
    kernel = np.fliplr(np.flipud(kernel))
    out = np.zeros(image.shape)
    for i in range(image.shape[0] - kernel.shape[0]):
        for j in range(image.shape[1] - kernel.shape[1]):
            out[i][j] = np.sum(image[i : i + kernel.shape[0], j : j + kernel.shape[1]] * kernel)
    return out


def every_window_no_pad(image, kernel):
    out = np.zeros(image.shape)
    valid = convlib.convolve2d(image, kernel, "valid")
    out[: valid.shape[0], : valid.shape[1]] = valid
    return out


def padded_at_the_end(image, kernel):
    kh, kw = kernel.shape
    padded = np.pad(image, ((0, kh - 1), (0, kw - 1)), mode="symmetric")
    return convlib.convolve2d(padded, kernel, "valid")


def test_same_convolve_accepts_loops_and_the_library(capsys):
    assert check_same_convolve(same_by_loops)
    assert check_same_convolve(lambda image, kernel: convlib.convolve2d(image, kernel, "same", boundary="symmetric"))
    assert "same_convolve: correct!" in capsys.readouterr().out


def test_same_convolve_not_attempted(capsys):
    assert not check_same_convolve(stub)
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("answer", "diagnosis"),
    [
        (first_attempt, r"loop over range\(H - K\) .* one window short .* black frame"),
        (every_window_no_pad, r"did not pad .* up and left"),
        (lambda image, kernel: convlib.correlate2d(image, kernel, "same", boundary="symmetric"), r"cross-correlation"),
        (
            lambda image, kernel: convlib.convolve2d(image, kernel, "same"),
            r"'constant' padding .* asks for 'symmetric'",
        ),
        (lambda image, kernel: convlib.convolve2d(image, kernel, "same", boundary="reflect"), r"'reflect' padding"),
        (padded_at_the_end, r"shifted .* holds what belongs at \(i\+1, j\+1\)"),
        (lambda image, kernel: convlib.convolve2d(image, kernel, "valid"), r"wrong shape .* 'valid' size"),
        (lambda image, kernel: first_attempt(image, kernel)[:-3, :-3], r"one short even of 'valid'"),
        (lambda image, kernel: same_by_loops(image, kernel) + 1, r"wrong values"),
    ],
)
def test_same_convolve_names_the_mistake(answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_same_convolve(answer)


# --- check_pad_1d -----------------------------------------------------------------------------------------


def pad_by_indexing(row, width, mode):
    n = len(row)
    positions = np.arange(-width, n + width)
    if mode == "edge":
        index = np.clip(positions, 0, n - 1)
    elif mode == "wrap":
        index = positions % n
    elif mode == "symmetric":
        index = np.where(positions < 0, -positions - 1, np.where(positions >= n, 2 * n - 1 - positions, positions))
    else:  # reflect
        index = np.abs(positions)
        index = np.where(index >= n, 2 * (n - 1) - index, index)
    return np.asarray(row)[index]


def swapped_reflect(row, width, mode):
    other = {"reflect": "symmetric", "symmetric": "reflect"}.get(mode, mode)
    return pad_by_indexing(row, width, other)


def swapped_sides(row, width, mode):
    padded = pad_by_indexing(row, width, mode)
    return np.concatenate([padded[-width:], row, padded[:width]])


def reversed_left(row, width, mode):
    padded = pad_by_indexing(row, width, mode)
    padded[:width] = padded[:width][::-1]
    return padded


def test_pad_1d_accepts_indexing():
    assert check_pad_1d(pad_by_indexing)
    assert not check_pad_1d(stub)


def pad_imported(row, width, mode):
    return np_pad(row, width, mode=mode)


def pad_half_by_hand(row, width, mode):
    if mode == "wrap":
        return np.asarray(row)[np.arange(-width, len(row) + width) % len(row)]
    return convlib.pad(row, width, mode)


@pytest.mark.parametrize(
    "answer",
    [lambda row, width, mode: np.pad(row, width, mode=mode), pad_imported, pad_half_by_hand],
    ids=["np.pad", "from numpy import pad", "convlib.pad"],
)
def test_pad_1d_refuses_a_ready_made_pad_and_puts_it_back(answer):
    with pytest.raises(ExerciseError, match=r"calls np.pad \(or convlib.pad\), which does the whole job"):
        check_pad_1d(answer)
    assert np.pad is ORIGINAL_NP_PAD and np_pad is ORIGINAL_NP_PAD and convlib.pad is ORIGINAL_CONVLIB_PAD
    assert np.array_equal(np.pad([1, 2], 1, mode="edge"), [1, 1, 2, 2])


@pytest.mark.parametrize(
    ("answer", "diagnosis"),
    [
        (swapped_reflect, r"you computed 'symmetric' .* mode='reflect'.* edge sample, which is not repeated"),
        (swapped_sides, r"left and right pads are swapped"),
        (reversed_left, r"a pad is in reverse order"),
        (lambda row, width, mode: pad_by_indexing(row, width, "wrap"), r"the 'wrap' rule .* not 'edge'"),
        (lambda row, width, mode: np.zeros(len(row) + 2 * width), r"must sit unchanged in the middle"),
        (lambda row, width, mode: pad_by_indexing(row, width + 1, mode), r"wrong length"),
        (lambda row, width, mode: pad_by_indexing(row[::-1], width, mode), r"must sit unchanged in the middle"),
        (lambda row, width, mode: np.concatenate([[0] * width, row, [0] * width]), r"wrong values .* mode='edge'"),
    ],
)
def test_pad_1d_names_the_mistake(answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_pad_1d(answer)


def test_pad_1d_names_symmetric_taken_for_reflect_the_other_way_round():
    def symmetric_wrong(row, width, mode):
        return pad_by_indexing(row, width, "reflect" if mode == "symmetric" else mode)

    with pytest.raises(ExerciseError, match=r"you computed 'reflect' .*mode='symmetric'.* edge sample is repeated"):
        check_pad_1d(symmetric_wrong)


# --- check_output_size ------------------------------------------------------------------------------------


def size_right(n, k, s, p, d):
    if d * (k - 1) + 1 > n + 2 * p:
        raise ValueError("no window fits")
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def test_output_size_accepts_the_formula_and_convlib():
    assert check_output_size(size_right)
    assert check_output_size(lambda n, k, s, p, d: output_size(n, k, s, p, d))
    assert not check_output_size(stub)


@pytest.mark.parametrize(
    ("answer", "diagnosis"),
    [
        (lambda n, k, s, p, d: (n + 2 * p - (k - 1) - 1) // s + 1, r"left out the dilation"),
        (lambda n, k, s, p, d: math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1, r"rounded up"),
        (lambda n, k, s, p, d: (n + p - d * (k - 1) - 1) // s + 1, r"both ends, so it counts 2P"),
        (lambda n, k, s, p, d: (n + 2 * p - d * (k - 1) - 1) // s, r"off by -1 on every case"),
        (lambda n, k, s, p, d: (n + 2 * p - d * (k - 1) - 1) / s + 1, r"a size is a whole number"),
        (lambda n, k, s, p, d: (n + 2 * p - d * (k - 1) - 1) // s + 1, r"no window fits\. Raise ValueError"),
        (lambda n, k, s, p, d: n - k + 1, r"should be"),
    ],
)
def test_output_size_names_the_mistake(answer, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_output_size(answer)


# --- check_numpy_names ------------------------------------------------------------------------------------

RIGHT = {
    ("scipy.ndimage", "reflect"): "symmetric",
    ("scipy.ndimage", "mirror"): "reflect",
    ("scipy.ndimage", "nearest"): "edge",
    ("opencv", "BORDER_REFLECT"): "symmetric",
    ("opencv", "BORDER_REFLECT_101"): "reflect",
    ("torch", "circular"): "wrap",
    ("torch.Conv2d", "zeros"): "constant",
    ("scipy.signal", "symm"): "symmetric",
}


def test_numpy_names_accepts_the_right_answers_and_waits_for_the_stub(capsys):
    assert set(RIGHT) == set(NAME_QUESTIONS)
    assert check_numpy_names(RIGHT)
    assert not check_numpy_names(dict.fromkeys(NAME_QUESTIONS))
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("changes", "diagnosis"),
    [
        ({("scipy.ndimage", "reflect"): "reflect"}, r"numpy's 'symmetric', not 'reflect'.*same word does not mean"),
        ({("opencv", "BORDER_REFLECT"): "reflect"}, r"opencv 'BORDER_REFLECT' is numpy's 'symmetric'.*same word"),
        ({("scipy.ndimage", "mirror"): "mirror"}, r"numpy.pad has no mode 'mirror'"),
        ({("torch", "circular"): "edge"}, r"pads \[1, 2, 3, 4\] as 3 4 \| 1 2 3 4 \| 1 2"),
        ({("scipy.signal", "symm"): None}, r"no answer yet"),
    ],
)
def test_numpy_names_names_the_mistake(changes, diagnosis):
    with pytest.raises(ExerciseError, match=diagnosis):
        check_numpy_names({**RIGHT, **changes})


def test_numpy_names_needs_every_question():
    with pytest.raises(ExerciseError, match=r"missing the question"):
        check_numpy_names({("torch", "circular"): "wrap"})
    with pytest.raises(ExerciseError, match=r"must be a dict"):
        check_numpy_names(["wrap"])

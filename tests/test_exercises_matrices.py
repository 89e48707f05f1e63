"""The checkers of notebook 04: right answers pass, stubs are "not attempted", each typical mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from convlib.book.exercises.core import ExerciseError
from convlib.book.exercises.matrices import check_conv_output_shape, check_im2col, check_toeplitz_matrix

# ---------------------------------------------------------------------------------------------
# Toeplitz matrix: learners' answers written from scratch, not by calling convlib


def toeplitz_loops(kernel, n, mode, flip=True, same_start=None, valid_shift=0, transpose=False):
    """A learner's loop version, with switches for the classic mistakes."""
    k = len(kernel)
    full = np.zeros((n + k - 1, n))
    for i in range(n + k - 1):
        for j in range(n):
            if 0 <= i - j < k:
                full[i, j] = kernel[i - j] if flip else kernel[k - 1 - (i - j)]
    if mode == "full":
        out = full
    elif mode == "same":
        start = (k - 1) // 2 if same_start is None else same_start(k)
        out = full[start : start + n]
    else:
        out = full[k - 1 + valid_shift : n + valid_shift]
    return out.T if transpose else out


def test_toeplitz_right_answer_passes(capsys):
    assert check_toeplitz_matrix(toeplitz_loops) is True
    assert "correct!" in capsys.readouterr().out


@pytest.mark.parametrize(
    "stub", [lambda kernel, n, mode: None, lambda kernel, n, mode: (_ for _ in ()).throw(NotImplementedError)]
)
def test_toeplitz_stub_is_not_attempted(stub, capsys):
    assert check_toeplitz_matrix(stub) is False
    assert "not attempted yet" in capsys.readouterr().out


def test_toeplitz_unflipped_kernel_is_named():
    with pytest.raises(ExerciseError, match=r"cross-correlation.*not flipped"):
        check_toeplitz_matrix(lambda kernel, n, mode: toeplitz_loops(kernel, n, mode, flip=False))


def test_toeplitz_transposed_is_named():
    with pytest.raises(ExerciseError, match="transposed"):
        check_toeplitz_matrix(lambda kernel, n, mode: toeplitz_loops(kernel, n, mode, transpose=True))


def test_toeplitz_same_centred_like_ndimage_is_named():
    # Right for odd kernels; for an even one it keeps rows from K // 2.
    with pytest.raises(ExerciseError, match=r"even kernel.*\(K - 1\) // 2 = 0, not K // 2 = 1"):
        check_toeplitz_matrix(lambda kernel, n, mode: toeplitz_loops(kernel, n, mode, same_start=lambda k: k // 2))


def test_toeplitz_valid_rows_off_by_one_are_named():
    answer = lambda kernel, n, mode: toeplitz_loops(kernel, n, mode, valid_shift=-1)
    with pytest.raises(ExerciseError, match=r"'valid' keeps rows 2..3 .off by -1"):
        check_toeplitz_matrix(answer)


def test_toeplitz_full_size_for_every_mode_is_named():
    with pytest.raises(ExerciseError, match="that is the 'full' length"):
        check_toeplitz_matrix(lambda kernel, n, mode: toeplitz_loops(kernel, n, "full"))


def test_toeplitz_wrong_values_and_errors_are_reported():
    with pytest.raises(ExerciseError, match=r"wrong values.*entry"):
        check_toeplitz_matrix(lambda kernel, n, mode: toeplitz_loops(kernel, n, mode) * 2)
    with pytest.raises(ExerciseError, match="raised IndexError"):
        check_toeplitz_matrix(lambda kernel, n, mode: kernel[10])
    with pytest.raises(ExerciseError, match="2-D"):
        check_toeplitz_matrix(lambda kernel, n, mode: np.zeros(3))


# ---------------------------------------------------------------------------------------------
# im2col for one image


def im2col_loops(image, kernel_shape, stop=1, swap=False, windows_by_column=False, taps_by_column=False):
    """A learner's loop version, with switches for the classic mistakes."""
    kh, kw = kernel_shape[::-1] if swap else kernel_shape
    height, width = image.shape
    oh, ow = height - kh + stop, width - kw + stop
    columns = []
    order = [(oy, ox) for ox in range(ow) for oy in range(oh)] if windows_by_column else np.ndindex(oh, ow)
    for oy, ox in order:
        patch = image[oy : oy + kh, ox : ox + kw]
        columns.append(patch.T.ravel() if taps_by_column else patch.ravel())
    return np.stack(columns, axis=1)


def test_im2col_right_answer_passes(capsys):
    assert check_im2col(im2col_loops) is True
    assert "correct!" in capsys.readouterr().out


def test_im2col_stub_is_not_attempted(capsys):
    def stub(image, kernel_shape):
        raise NotImplementedError

    assert check_im2col(stub) is False
    assert "not attempted yet" in capsys.readouterr().out


def test_im2col_windows_as_rows_is_named():
    with pytest.raises(ExerciseError, match="each window in a row"):
        check_im2col(lambda image, shape: im2col_loops(image, shape).T)


def test_im2col_seed_post_off_by_one_is_named():
    with pytest.raises(ExerciseError, match=r"last row and column of windows are missing.*range\(H - KH \+ 1\)"):
        check_im2col(lambda image, shape: im2col_loops(image, shape, stop=0))


def test_im2col_swapped_kernel_axes_are_named():
    with pytest.raises(ExerciseError, match=r"swapped the kernel's height and width.*2×3 kernel"):
        check_im2col(lambda image, shape: im2col_loops(image, shape, swap=True))


def test_im2col_column_major_orders_are_named():
    with pytest.raises(ExerciseError, match=r"wrong order.*oy·OW \+ ox"):
        check_im2col(lambda image, shape: im2col_loops(image, shape, windows_by_column=True))
    with pytest.raises(ExerciseError, match=r"raveled row by row.*i·KW \+ j"):
        check_im2col(lambda image, shape: im2col_loops(image, shape, taps_by_column=True))


def test_im2col_height_used_for_width_gets_the_square_hint():
    def mixed_up(image, kernel_shape):
        kh, kw = kernel_shape
        height, width = image.shape
        oh, ow = height - kh + 1, width - kh + 1  # the classic: KH where KW is meant
        return np.stack([image[y : y + kh, x : x + kw].ravel() for y in range(oh) for x in range(ow)], axis=1)

    with pytest.raises(ExerciseError, match=r"passed the square cases.*KH for KW"):
        check_im2col(mixed_up)


# ---------------------------------------------------------------------------------------------
# conv2d output shape


def shape_formula(x_shape, weight_shape, stride, padding, dilation, mistake=None):
    """A learner's formula, with switches for the classic mistakes."""
    sizes = []
    for n, k, s, p, d in zip(x_shape[2:], weight_shape[2:], stride, padding, dilation):
        span = d * (k - 1) + 1
        if mistake == "no +1":
            sizes.append((n + 2 * p - span) // s)
        elif mistake == "no dilation":
            sizes.append((n + 2 * p - k) // s + 1)
        elif mistake == "padding once":
            sizes.append((n + p - span) // s + 1)
        elif mistake == "ceil":
            sizes.append(-(-(n + 2 * p - span) // s) + 1)
        elif mistake == "true division":
            sizes.append((n + 2 * p - span) / s + 1)
        else:
            sizes.append((n + 2 * p - span) // s + 1)
    channels = x_shape[1] if mistake == "channels" else weight_shape[0]
    if mistake == "swapped":
        sizes = sizes[::-1]
    return (x_shape[0], channels, *sizes)


def test_shape_right_answer_passes(capsys):
    assert check_conv_output_shape(shape_formula) is True
    assert "correct!" in capsys.readouterr().out


def test_shape_stub_is_not_attempted(capsys):
    assert check_conv_output_shape(lambda *args: None) is False
    assert "not attempted yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "mistake, message",
    [
        ("no +1", r"forgot the \+ 1"),
        ("no dilation", "forgot the dilation"),
        ("padding once", "counted the padding once"),
        ("ceil", "rounded up"),
        ("true division", "integer division"),
        ("channels", r"one channel per filter.*C_out = weight_shape\[0\] = .*\(that is C_in, the input channels\)"),
        ("swapped", "height and width are swapped"),
    ],
)
def test_shape_mistakes_are_named(mistake, message):
    with pytest.raises(ExerciseError, match=message):
        check_conv_output_shape(lambda *args: shape_formula(*args, mistake=mistake))


def test_shape_wrong_kind_of_answer_is_reported():
    with pytest.raises(ExerciseError, match=r"four numbers \(N, C_out, OH, OW\)"):  # notebook 04's names
        check_conv_output_shape(lambda *args: (1, 2, 3))
    with pytest.raises(ExerciseError, match=r"return a tuple \(N, C_out, OH, OW\)"):
        check_conv_output_shape(lambda *args: 5)
    with pytest.raises(ExerciseError, match="batch size N"):
        check_conv_output_shape(lambda *args: (0, *shape_formula(*args)[1:]))

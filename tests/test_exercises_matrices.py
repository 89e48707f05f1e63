"""The checkers of notebook 04: right answers pass, stubs are "not attempted", each typical mistake is named."""

from __future__ import annotations

import numpy as np
import pytest

from convlib.book.exercises.core import ExerciseError
from convlib.book.exercises.matrices import (
    check_im2col,
    check_toeplitz_matrix,
    check_winograd_f22,
)
from convlib.book.solutions import matrices as answers
from convlib.book.solutions import solution_source

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
    assert check_toeplitz_matrix(toeplitz_loops)
    assert "correct!" in capsys.readouterr().out


@pytest.mark.parametrize(
    "stub", [lambda kernel, n, mode: None, lambda kernel, n, mode: (_ for _ in ()).throw(NotImplementedError)]
)
def test_toeplitz_stub_is_not_attempted(stub, capsys):
    assert not check_toeplitz_matrix(stub)
    assert "not attempted yet" in capsys.readouterr().out


def test_toeplitz_unflipped_kernel_is_named():
    with pytest.raises(ExerciseError, match=r"cross-correlation.*not flipped"):
        check_toeplitz_matrix(lambda kernel, n, mode: toeplitz_loops(kernel, n, mode, flip=False))


def test_toeplitz_transposed_is_named():
    with pytest.raises(ExerciseError, match="transposed"):
        check_toeplitz_matrix(lambda kernel, n, mode: toeplitz_loops(kernel, n, mode, transpose=True))


def test_toeplitz_same_centred_like_ndimage_is_named():
    # Right for odd kernels; for an even one it keeps rows from K // 2.
    expected = r"\(an even kernel\): 'same' keeps the rows of 'full' from \(K - 1\) // 2 = 0, not K // 2 = 1"
    with pytest.raises(ExerciseError, match=r"for kernel=\[.*\], n=\d+, mode='same' " + expected):
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
    assert check_im2col(im2col_loops)
    assert "correct!" in capsys.readouterr().out


def test_im2col_stub_is_not_attempted(capsys):
    def stub(image, kernel_shape):
        raise NotImplementedError

    assert not check_im2col(stub)
    assert "not attempted yet" in capsys.readouterr().out


def test_im2col_windows_as_rows_is_named():
    with pytest.raises(ExerciseError, match="each window in a row"):
        check_im2col(lambda image, shape: im2col_loops(image, shape).T)


def test_im2col_loop_one_short_is_named():
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
# Winograd F(2, 2): the checker counts products of data by weights


def shared_product(d, g):
    m = d[1] * (g[0] + g[1])  # used by both outputs
    return [(d[0] - d[1]) * g[0] + m, m + (d[2] - d[1]) * g[1]]


def test_winograd_three_products_pass(capsys):
    assert check_winograd_f22(shared_product)
    assert "correct!" in capsys.readouterr().out


def test_winograd_with_numpy_arrays_and_weight_sums_precomputed_passes():
    def with_arrays(d, g):
        u = np.array([g[0], g[0] + g[1], g[1]])  # weights only: free
        v = np.array([d[0] - d[1], d[1], d[2] - d[1]])  # data only: no products
        m = u * v  # three products
        return np.array([m[0] + m[1], m[1] + m[2]])

    assert check_winograd_f22(with_arrays)


def test_winograd_stub_is_not_attempted(capsys):
    def stub(d, g):
        raise NotImplementedError

    assert not check_winograd_f22(stub)
    assert "not attempted yet" in capsys.readouterr().out


def test_winograd_direct_method_is_named():
    with pytest.raises(ExerciseError, match=r"right values, but 4 multiplications.*direct method.*share"):
        check_winograd_f22(lambda d, g: [d[0] * g[0] + d[1] * g[1], d[1] * g[0] + d[2] * g[1]])
    with pytest.raises(ExerciseError, match=r"right values, but 4 multiplications"):
        check_winograd_f22(lambda d, g: [d[:2] @ g, d[1:] @ g])  # a dot product multiplies too


def test_winograd_mistakes_are_named():
    with pytest.raises(ExerciseError, match=r"convolution.*taps reversed"):
        check_winograd_f22(lambda d, g: [d[0] * g[1] + d[1] * g[0], d[1] * g[1] + d[2] * g[0]])
    with pytest.raises(ExerciseError, match="swapped"):
        check_winograd_f22(lambda d, g: shared_product(d, g)[::-1])
    with pytest.raises(ExerciseError, match="return two outputs"):
        check_winograd_f22(lambda d, g: shared_product(d, g)[:1])
    with pytest.raises(ExerciseError, match="wrong values"):
        check_winograd_f22(lambda d, g: [d[0] * g[0], d[1] * g[0]])
    with pytest.raises(ExerciseError, match=r"keep d\[i\] and g\[i\] as they come"):
        check_winograd_f22(lambda d, g: list(np.convolve(np.asarray(d, dtype=float), np.asarray(g, dtype=float))))
    with pytest.raises(ExerciseError, match=r"return the two outputs"):
        check_winograd_f22(lambda d, g: 3.0)


# ---------------------------------------------------------------------------------------------
# The worked answers (shown only on request in the notebook) pass their checkers


def test_worked_answers_pass_and_can_be_shown(capsys):
    checkers = {
        "check_toeplitz_matrix": check_toeplitz_matrix,
        "check_im2col": check_im2col,
        "check_winograd_f22": check_winograd_f22,
    }
    for checker, answer in answers.CHECKS:
        assert checkers[checker](getattr(answers, answer)), capsys.readouterr().out
        assert solution_source(answer).startswith(f"def {answer}(")

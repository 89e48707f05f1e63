"""Notebook 04's figures draw what they claim: the numbers written on them come from the right computation."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from convlib.book.figures.matrices import (
    show_doubly_block_toeplitz,
    show_im2col,
    show_im2col_steps,
    show_pixel_trace,
    show_toeplitz,
)
from convlib.convolution import convolve2d


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title() for ax in fig.axes]


@pytest.mark.parametrize("kernel", [[[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [0.0, 1.0, 0.0]], [[1.0, 2.0], [3.0, -4.0]]])
def test_pixel_trace_every_way_gives_the_convolution(kernel):
    image = np.random.default_rng(0).integers(0, 10, (5, 6)).astype(float)
    pixel = (2, 4)
    expected = convolve2d(image, kernel, "same")[pixel]
    titles = [ax.get_title() for ax in show_pixel_trace(image, kernel, pixel).axes]
    values = [float(title.rsplit("= ", 1)[1]) for title in titles]
    np.testing.assert_allclose(values, expected, atol=1e-3)


def test_toeplitz_figure_writes_the_matrix_and_the_convolution():
    fig = show_toeplitz([1, 2, 3], 4, signal=[1, 0, -1, 2])
    written = texts(fig)
    for value in np.convolve([1, 0, -1, 2], [1, 2, 3]):  # y = T @ x is written beside the matrix
        assert f"{value:g}" in written
    assert any("6 × 4" in t for t in written)


def test_doubly_block_toeplitz_counts_its_blocks():
    fig = show_doubly_block_toeplitz([[1, 2], [3, 4]], (3, 4), mode="valid")
    assert "2 × 3 blocks of 3 × 4" in fig.axes[1].get_xlabel()
    fig = show_doubly_block_toeplitz([[1, 2], [3, 4]], (3, 3))  # the notebook's case
    assert "16 × 9: 4 × 3 blocks of 4 × 3" in fig.axes[1].get_xlabel()


def test_toeplitz_figure_outlines_a_row_and_checks_it():
    fig = show_toeplitz([1, 2, 3], 5, signal=[1, 0, -1, 2, 1], row=3)
    assert len(fig.axes[0].patches) == 2  # the row of T and the output it computes
    with pytest.raises(ValueError, match="row must be < 7"):
        show_toeplitz([1, 2, 3], 5, row=7)


def test_im2col_steps_fill_one_column_per_step():
    image = np.arange(1, 17).reshape(4, 4)
    fig = show_im2col_steps(image, 2, steps=(0, 1, 3, 8))
    assert [ax.get_title() for ax in fig.axes] == [
        "window (0, 0) → column 0",
        "window (0, 1) → column 1",
        "window (1, 0) → column 3",
        "window (2, 2) → column 8",
    ]
    # The first panel writes the 16 pixels and the 4 values of column 0 (= the first window) only.
    first = [t.get_text() for t in fig.axes[0].texts if t.get_text()]  # not the arrow
    assert first[16:] == ["1", "2", "5", "6"]
    last = [t.get_text() for t in fig.axes[3].texts if t.get_text()]
    assert len(last) == 16 + 36  # the whole matrix by the last window
    with pytest.raises(ValueError, match="below 9"):
        show_im2col_steps(image, 2, steps=(9,))


@pytest.mark.parametrize(
    "make",
    [
        lambda: show_toeplitz([1.0, 2.0, 3.0], 5, signal=[1, 0, -1, 2, 1], row=3),
        lambda: show_doubly_block_toeplitz([[1.0, 2.0], [3.0, 4.0]], (3, 3)),
        lambda: show_im2col_steps(np.arange(1, 17).reshape(4, 4), 2, steps=(0, 1, 3, 8)),
        lambda: show_pixel_trace(np.arange(42.0).reshape(6, 7) % 10, np.arange(9.0).reshape(3, 3) - 4, (2, 3)),
    ],
    ids=["toeplitz", "doubly_block", "im2col_steps", "pixel_trace"],
)
def test_notebook_figures_fit_a_projector(make):
    """At most 860 × 560 px at 100 dpi, and no text smaller than 9 pt (12.5 px)."""
    fig = make()
    width, height = fig.get_size_inches() * 100
    assert width <= 860 and height <= 560, (width, height)
    sizes = [t.get_fontsize() for ax in fig.axes for t in [*ax.texts, ax.title, *ax.get_xticklabels()]]
    assert min(sizes) >= 9, min(sizes)


def test_im2col_figure_outlines_the_chosen_window():
    fig = show_im2col(np.arange(20).reshape(4, 5), (2, 3), column=4)
    assert any("window 4: top-left tap at (1, 1)" in t for t in texts(fig))
    with pytest.raises(ValueError, match="column must be < 9"):
        show_im2col(np.arange(20).reshape(4, 5), (2, 3), column=9)

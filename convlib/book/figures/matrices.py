"""Figures for notebook 04 (convolution as matrix multiplication).

The Toeplitz matrix of a 1-D kernel, the doubly block Toeplitz matrix of a tiny image, im2col
stepped window by window, and one output pixel traced through the window, a matrix row and an
im2col column. Also kept here for the notebooks that teach them: the shape bookkeeping of a
batched layer, max pooling's gradient routing, circular against linear convolution, the speed plot.

Every function draws with matplotlib and returns the ``Figure``, so a notebook cell stays short.
Matrices use a diverging colour map centred on 0 (zero is white), so the sparsity shows at a
glance; small ones carry their numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convlib.book.style import SIGNED_CMAP
from convlib.matrices.im2col import im2col
from convlib.matrices.toeplitz import convolution_matrix
from convlib.sizes import as_pair, mode_padding, output_size
from convlib.validation import MODES, as_numeric_array, check_choice, check_positive_int

__all__ = [
    "show_doubly_block_toeplitz",
    "show_im2col",
    "show_im2col_steps",
    "show_pixel_trace",
    "show_toeplitz",
]

_HIGHLIGHT = "C1"  # orange: the one window / row / column / pixel a figure follows
_PAD_COLOUR = "#fde9c9"  # light orange: padding zeros


def _matrix_array(value: object, name: str, function: str, ndim: int) -> np.ndarray:
    array = as_numeric_array(value, name, function)
    if array.ndim != ndim or array.size == 0:
        raise ValueError(f"{function}: {name} must be a non-empty {ndim}-D array; got shape {array.shape}")
    return array.astype(np.float64)


def _cell_fontsize(rows: int, columns: int) -> float:
    """Points for the numbers in a matrix's cells: as large as the cells allow, never below 9 pt (12.5 px)."""
    largest = max(rows, columns)
    return 12 if largest <= 10 else 11 if largest <= 16 else 10 if largest <= 24 else 9


def _draw_matrix(
    ax: Axes,
    matrix: np.ndarray,
    annotate: bool = True,
    limit: float | None = None,
    origin: tuple[float, float] = (0.0, 0.0),
    zeros: bool = False,
    fontsize: float | None = None,
    picture: bool = False,
) -> None:
    """A matrix as an image: diverging colours centred on 0, a light cell grid, nonzero values written.

    ``picture=True`` draws non-negative pixel values in light grays instead (0 white, ``limit``
    a mid gray, so black numbers stay readable): a diverging map would use only its red half.

    ``origin`` is the (row, column) where cell ``[0, 0]`` is drawn, so several matrices can share
    one axes with the same cell size. ``zeros=True`` writes the zeros too (for an image, whose
    zeros are data; in a matrix, blank cells show the sparsity better). NaN cells stay blank
    (light gray): entries not computed yet.
    """
    matrix = np.asarray(matrix, dtype=float)
    finite = matrix[np.isfinite(matrix)]
    limit = limit or (float(np.max(np.abs(finite))) if finite.size else 0.0) or 1.0
    rows, columns = matrix.shape
    top, left = origin
    extent = (left - 0.5, left + columns - 0.5, top + rows - 0.5, top - 0.5)
    if np.isnan(matrix).any():
        ax.imshow(np.ones((rows, columns, 3)) * 0.94, interpolation="nearest", extent=extent)
    ax.imshow(
        np.ma.masked_invalid(matrix),
        cmap="Greys" if picture else SIGNED_CMAP,
        vmin=0.0 if picture else -1.6 * limit,
        vmax=2.5 * limit if picture else 1.6 * limit,
        interpolation="nearest",
        extent=extent,
    )
    ax.hlines(np.arange(rows + 1) + top - 0.5, left - 0.5, left + columns - 0.5, color="0.8", linewidth=0.6)
    ax.vlines(np.arange(columns + 1) + left - 0.5, top - 0.5, top + rows - 0.5, color="0.8", linewidth=0.6)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotate:
        size = fontsize or _cell_fontsize(rows, columns)
        for (row, column), value in np.ndenumerate(np.round(matrix, 9) + 0.0):  # + 0.0: no "-0"
            if np.isfinite(value) and (value or zeros):
                ax.text(
                    left + column, top + row, f"{value:g}", ha="center", va="center", fontsize=size, in_layout=False
                )


def _outline(ax: Axes, row: float, column: float, height: float = 1, width: float = 1, **style: object) -> None:
    """Outline cells ``[row, row + height) x [column, column + width)`` of an image axes."""
    options = {"fill": False, "edgecolor": _HIGHLIGHT, "linewidth": 3} | style
    ax.add_patch(Rectangle((column - 0.5, row - 0.5), width, height, **options))


def show_toeplitz(kernel: object, n: int, mode: str = "full", signal: object = None, row: int | None = None) -> Figure:
    """The Toeplitz matrix of a 1-D kernel, times a signal, equals the convolution: ``T @ x = y``.

    Parameters
    ----------
    kernel : array_like, shape (K,)
    n : int
        Length of the signal.
    mode : {"full", "same", "valid"}
    signal : array_like, shape (n,), optional
        The ``x`` drawn beside the matrix; default ``1, 2, ..., n``.
    row : int, optional
        A row of ``T`` to outline, with the output ``y[row]`` it computes: it holds the kernel
        flipped, placed over the samples of ``x`` that output sees.

    Examples
    --------
    >>> fig = show_toeplitz([1, 2, 3], 5, row=3)
    >>> plt.close(fig)
    """
    function = "show_toeplitz"
    kernel = _matrix_array(kernel, "kernel", function, 1)
    n = check_positive_int(n, "n", function)
    check_choice(mode, "mode", MODES, function)
    x = np.arange(1.0, n + 1) if signal is None else _matrix_array(signal, "signal", function, 1)
    if x.size != n:
        raise ValueError(f"{function}: signal must have n = {n} samples; got {x.size}")
    matrix = convolution_matrix(kernel, n, mode)
    y = matrix @ x
    rows = matrix.shape[0]
    if row is not None:
        row = check_positive_int(row, "row", function, minimum=0)
        if row >= rows:
            raise ValueError(f"{function}: row must be < {rows} (the number of outputs); got {row}")
    fig, ax = plt.subplots(figsize=(0.5 * (n + 6) + 0.8, 0.5 * max(rows, n) + 1.1))
    _draw_matrix(ax, matrix, limit=float(np.max(np.abs(kernel))) or 1.0)
    x_top = (rows - n) / 2
    _draw_matrix(ax, x[:, None], limit=float(np.max(np.abs(x))) or 1.0, origin=(x_top, n + 1.5), zeros=True)
    _draw_matrix(ax, y[:, None], limit=float(np.max(np.abs(y))) or 1.0, origin=(0, n + 4), zeros=True)
    if row is not None:
        _outline(ax, row, 0, width=n)
        _outline(ax, row, n + 4)
    middle = (rows - 1) / 2
    ax.text(n + 0.5, middle, "@", ha="center", va="center", fontsize=16)
    ax.text(n + 3, middle, "=", ha="center", va="center", fontsize=16)
    ax.text((n - 1) / 2, -1, f"T: {rows} × {n}", ha="center", fontsize=13)
    ax.text(n + 1.5, x_top - 1, "x", ha="center", fontsize=13)
    ax.text(n + 4, -1, "y", ha="center", fontsize=13)
    ax.set_xlim(-0.7, n + 4.7)
    ax.set_ylim(max(rows, n) - 0.3, -1.6)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_doubly_block_toeplitz(kernel: object, image_shape: tuple[int, int], mode: str = "full") -> Figure:
    """The doubly block Toeplitz matrix of a 2-D kernel for a tiny image, with its blocks outlined.

    Rows are output pixels and columns input pixels, both raveled row by row; the thick lines
    cut the matrix into blocks of one output row by one input row. Each nonzero block is the 1-D
    Toeplitz matrix of one kernel row, and the blocks repeat along the diagonals. The kernel is
    drawn on the left, its rows in the colours that mark their blocks' labels.

    Parameters
    ----------
    kernel : array_like, shape (KH, KW)
    image_shape : (int, int)
        (H, W) of the image; keep it tiny (the matrix has H*W columns).
    mode : {"full", "same", "valid"}

    Examples
    --------
    >>> fig = show_doubly_block_toeplitz([[1, 2], [3, 4]], (3, 3))
    >>> plt.close(fig)
    """
    function = "show_doubly_block_toeplitz"
    kernel = _matrix_array(kernel, "kernel", function, 2)
    height, width = as_pair(tuple(image_shape), "image_shape", function)
    check_choice(mode, "mode", MODES, function)
    matrix = convolution_matrix(kernel, (height, width), mode)
    out_height = output_size(height, kernel.shape[0], mode=mode)
    out_width = output_size(width, kernel.shape[1], mode=mode)
    cell = min(0.3, 4.3 / matrix.shape[0])  # inches per cell: the figure stays under 5.6 inches tall
    fig, (kernel_ax, ax) = plt.subplots(
        1,
        2,
        figsize=(cell * (matrix.shape[1] + kernel.shape[1]) + 3.6, cell * matrix.shape[0] + 1.3),
        gridspec_kw={"width_ratios": [kernel.shape[1] + 1.5, matrix.shape[1]]},
    )
    _draw_matrix(kernel_ax, kernel, limit=float(np.max(np.abs(kernel))) or 1.0, zeros=True)
    kernel_ax.set_title("kernel", fontsize=12)
    kernel_ax.set_xlim(-0.6, kernel.shape[1] - 0.4)
    kernel_ax.set_ylim(kernel.shape[0] - 0.4, -0.6)
    _draw_matrix(ax, matrix, limit=float(np.max(np.abs(kernel))) or 1.0)
    for row in range(1, out_height):
        ax.axhline(row * out_width - 0.5, color="0.2", linewidth=1.5)
    for column in range(1, height):
        ax.axvline(column * width - 0.5, color="0.2", linewidth=1.5)
    ax.set_xticks([(c + 0.5) * width - 0.5 for c in range(height)], [f"in row {c}" for c in range(height)])
    ax.set_yticks([(r + 0.5) * out_width - 0.5 for r in range(out_height)], [f"out row {r}" for r in range(out_height)])
    ax.tick_params(labelsize=11, length=0)
    ax.xaxis.set_ticks_position("top")
    ax.set_xlabel(
        f"{matrix.shape[0]} × {matrix.shape[1]}: {out_height} × {height} blocks of {out_width} × {width}", fontsize=12
    )
    fig.tight_layout()
    return fig


def show_im2col(
    image: object,
    kernel_size: int | tuple[int, int],
    column: int = 0,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> Figure:
    """One window of an image (left) and where im2col puts it: one column of the matrix (right).

    Parameters
    ----------
    image : array_like, shape (H, W)
        A tiny image; its values are written in the cells (whole numbers read best).
    kernel_size, stride, padding, dilation : int or (int, int)
        As for :func:`convlib.im2col`.
    column : int
        Which window (column of the matrix) to outline: window ``(oy, ox)`` is column
        ``oy * OW + ox``.

    Examples
    --------
    >>> fig = show_im2col(np.arange(20).reshape(4, 5), (2, 3), column=2)
    >>> plt.close(fig)
    """
    function = "show_im2col"
    picture = _matrix_array(image, "image", function, 2)
    kernel = as_pair(kernel_size, "kernel_size", function)
    step = as_pair(stride, "stride", function)
    pad = as_pair(padding, "padding", function, minimum=0)
    dil = as_pair(dilation, "dilation", function)
    cols = im2col(picture[None, None], kernel, step, pad, dil)[0]
    out_width = output_size(picture.shape[1], kernel[1], step[1], pad[1], dil[1])
    column = check_positive_int(column, "column", function, minimum=0)
    if column >= cols.shape[1]:
        raise ValueError(f"{function}: column must be < {cols.shape[1]} (the number of windows); got {column}")
    oy, ox = divmod(column, out_width)
    padded = np.pad(picture, ((pad[0], pad[0]), (pad[1], pad[1])))
    rows, columns = padded.shape
    gap = 2.5
    right = columns + gap  # where the matrix starts
    fig, ax = plt.subplots(
        figsize=(0.45 * (columns + gap + cols.shape[1]) + 1.0, 0.45 * max(rows, cols.shape[0]) + 1.4)
    )
    limit = float(np.max(np.abs(picture))) or 1.0
    gray = bool(np.min(picture) >= 0)  # pixel values: light grays; signed values: the diverging map
    _draw_matrix(ax, padded, limit=limit, picture=gray)
    for row, col in np.ndindex(*padded.shape):  # shade the padding zeros
        if not (pad[0] <= row < pad[0] + picture.shape[0] and pad[1] <= col < pad[1] + picture.shape[1]):
            ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, facecolor=_PAD_COLOUR, edgecolor="0.85", lw=0.5))
    top, first = oy * step[0], ox * step[1]
    if dil == (1, 1):
        _outline(ax, top, first, kernel[0], kernel[1])
    else:  # the taps, with gaps between them
        for i in range(kernel[0]):
            for j in range(kernel[1]):
                _outline(ax, top + i * dil[0], first + j * dil[1])
    _draw_matrix(ax, cols, limit=limit, origin=(0, right), picture=gray)
    _outline(ax, 0, right + column, height=cols.shape[0])
    ax.text((columns - 1) / 2, -1, f"window {column}: top-left tap at ({top}, {first})", ha="center", fontsize=12)
    ax.text(
        right + (cols.shape[1] - 1) / 2,
        -1,
        f"im2col: {cols.shape[0]} taps (rows) × {cols.shape[1]} windows",
        ha="center",
        fontsize=12,
    )
    ax.set_xlim(-0.7, right + cols.shape[1] - 0.3)
    ax.set_ylim(max(rows, cols.shape[0]) - 0.3, -1.6)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_im2col_steps(image: object, kernel_size: int | tuple[int, int], steps: Sequence[int] = (0, 1, 2, 3)) -> Figure:
    """im2col stepped: in each panel one more window is copied into its column of the matrix.

    Each panel shows the image with the current window outlined, and the im2col matrix with the
    columns filled so far (later columns gray and empty), the current one outlined. Stride 1,
    no padding.

    Parameters
    ----------
    image : array_like, shape (H, W)
        A tiny image of whole numbers (they are written in the cells).
    kernel_size : int or (int, int)
    steps : sequence of int
        The windows (columns) to show, one panel each, in two columns of panels; at most 6.

    Examples
    --------
    >>> fig = show_im2col_steps(np.arange(1, 17).reshape(4, 4), 2, steps=(0, 1, 3, 8))
    >>> [ax.get_title() for ax in fig.axes][:2]
    ['window (0, 0) → column 0', 'window (0, 1) → column 1']
    >>> plt.close(fig)
    """
    function = "show_im2col_steps"
    picture = _matrix_array(image, "image", function, 2)
    kernel = as_pair(kernel_size, "kernel_size", function)
    if kernel[0] > picture.shape[0] or kernel[1] > picture.shape[1]:
        raise ValueError(f"{function}: kernel_size {kernel} must fit in the image {picture.shape}")
    cols = im2col(picture[None, None], kernel)[0]
    out_width = picture.shape[1] - kernel[1] + 1
    steps = [check_positive_int(s, "steps", function, minimum=0) for s in steps]
    if not 1 <= len(steps) <= 6 or max(steps) >= cols.shape[1]:
        raise ValueError(f"{function}: steps must be 1 to 6 window numbers below {cols.shape[1]}; got {steps}")
    rows, columns = picture.shape
    gap = 1.5
    right = columns + gap
    span = right + cols.shape[1]
    panel_rows = -(-len(steps) // 2)
    panel_columns = min(2, len(steps))
    cell = min(0.3, 8.4 / (panel_columns * (span + 0.6)))
    fig, axes = plt.subplots(
        panel_rows,
        panel_columns,
        figsize=(panel_columns * cell * (span + 0.6), panel_rows * (cell * (max(rows, cols.shape[0]) + 0.4) + 0.55)),
        squeeze=False,
    )
    limit = float(np.max(np.abs(picture))) or 1.0
    gray = bool(np.min(picture) >= 0)  # pixel values: light grays; signed values: the diverging map
    for ax in axes.flat[len(steps) :]:
        ax.set_axis_off()
    for ax, step in zip(axes.flat, steps):
        oy, ox = divmod(step, out_width)
        filled = cols.copy()
        filled[:, step + 1 :] = np.nan  # not copied yet
        _draw_matrix(ax, picture, limit=limit, fontsize=11, picture=gray)
        _outline(ax, oy, ox, kernel[0], kernel[1])
        _draw_matrix(ax, filled, limit=limit, origin=(0, right), fontsize=11, picture=gray)
        _outline(ax, 0, right + step, height=cols.shape[0])
        ax.annotate(
            "",
            xy=(right + step, -0.55),
            xytext=(ox + (kernel[1] - 1) / 2, oy - 0.55),
            arrowprops={"arrowstyle": "->", "color": _HIGHLIGHT, "lw": 2, "connectionstyle": "arc3,rad=-0.25"},
        )
        ax.set_title(f"window ({oy}, {ox}) → column {step}", fontsize=12)
        ax.set_xlim(-0.6, span - 0.4)
        ax.set_ylim(max(rows, cols.shape[0]) - 0.4, -1.3)
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_pixel_trace(image: object, kernel: object, pixel: tuple[int, int]) -> Figure:
    """One output pixel of ``convolve2d(image, kernel, "same")``, found three ways.

    Panels: the window on the zero-padded image, with the flipped kernel's weights beside it;
    the row of the doubly block Toeplitz matrix for that pixel, reshaped to the image (it *is*
    the flipped kernel, placed around the pixel, zeros elsewhere); the im2col column of that
    window (in the same colours as the picture) beside the flipped kernel raveled. Each title
    ends with the value that way computes.

    Parameters
    ----------
    image : array_like, shape (H, W)
        A small image (its values are written in the cells).
    kernel : array_like, shape (KH, KW)
    pixel : (int, int)
        Row and column of the output pixel.

    Examples
    --------
    >>> fig = show_pixel_trace(np.arange(20.0).reshape(4, 5), [[1.0, 0.0], [0.0, -1.0]], (1, 2))
    >>> len(fig.axes)
    3
    >>> plt.close(fig)
    """
    function = "show_pixel_trace"
    picture = _matrix_array(image, "image", function, 2)
    weights = _matrix_array(kernel, "kernel", function, 2)
    height, width = picture.shape
    kh, kw = weights.shape
    row, col = (check_positive_int(v, "pixel", function, minimum=0) for v in pixel)
    if row >= height or col >= width:
        raise ValueError(f"{function}: pixel must lie inside the {height} × {width} image; got {tuple(pixel)}")
    flipped = weights[::-1, ::-1]
    widths = (mode_padding(kh, "same"), mode_padding(kw, "same"))  # "same" for the flipped kernel
    before = (widths[0][0], widths[1][0])
    padded = np.pad(picture, widths)
    window_value = float(np.sum(padded[row : row + kh, col : col + kw] * flipped))
    index = row * width + col
    toeplitz_row = convolution_matrix(weights, (height, width), "same")[index]
    patch = im2col(padded[None, None], (kh, kw))[0][:, index]
    values = [window_value, float(toeplitz_row @ picture.ravel()), float(flipped.ravel() @ patch)]

    fig, axes = plt.subplots(
        1, 3, figsize=(8.4, 5.0), gridspec_kw={"width_ratios": [padded.shape[1] + kw + 0.5, width, 2.4]}
    )
    limit = float(np.max(np.abs(picture))) or 1.0
    gray = bool(np.min(picture) >= 0)  # pixel values: light grays; signed values: the diverging map
    _draw_matrix(axes[0], padded, limit=limit, annotate=False, picture=gray)
    for r, c in np.ndindex(*padded.shape):  # shade the padding zeros
        if not (before[0] <= r < before[0] + height and before[1] <= c < before[1] + width):
            axes[0].add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=_PAD_COLOUR, edgecolor="0.85", lw=0.5))
    _draw_matrix(axes[0], picture, limit=limit, origin=before, zeros=True, picture=gray)  # padding: blank
    _outline(axes[0], row, col, kh, kw)
    beside = padded.shape[1] + 0.5  # the flipped kernel, drawn to the right of the image
    _draw_matrix(axes[0], flipped, limit=float(np.max(np.abs(flipped))) or 1.0, origin=(row, beside), zeros=True)
    _outline(axes[0], row, beside, kh, kw, edgecolor="0.2", linewidth=1.5)
    axes[0].text(beside + (kw - 1) / 2, row - 0.8, "flipped", ha="center", fontsize=12)
    axes[0].set_xlim(-0.6, beside + kw - 0.4)
    axes[0].set_ylim(padded.shape[0] - 0.4, -0.6)
    axes[0].set_title(f"window × flipped kernel,\nsummed = {values[0]:.4g}", fontsize=12)
    _draw_matrix(axes[1], toeplitz_row.reshape(height, width))
    top, left = row - before[0], col - before[1]  # where the flipped kernel lies on the image
    for r, c in np.ndindex(kh, kw):  # its zero taps, written too: all of the kernel shows
        y, x = top + r, left + c
        if 0 <= y < height and 0 <= x < width and flipped[r, c] == 0:
            axes[1].text(x, y, "0", ha="center", va="center", fontsize=_cell_fontsize(height, width), in_layout=False)
    y0, y1 = max(top, 0), min(top + kh, height)
    x0, x1 = max(left, 0), min(left + kw, width)
    _outline(axes[1], y0, x0, y1 - y0, x1 - x0, edgecolor="0.45", linewidth=1.5, linestyle="--")
    _outline(axes[1], row, col, edgecolor="k", linewidth=2)
    axes[1].set_title(f"row {index} of T as an image;\nrow @ image = {values[1]:.4g}", fontsize=12)
    axes[1].set_xlabel("black: the output pixel\ndashed: the flipped kernel", fontsize=12)
    readable = patch.size <= 25
    _draw_matrix(axes[2], patch[:, None], annotate=readable, limit=limit, zeros=True, picture=gray)  # as on the left
    _draw_matrix(axes[2], flipped.ravel()[:, None], annotate=readable, origin=(0, 1), zeros=True)
    axes[2].set_xlim(-0.5, 1.5)
    axes[2].set_ylim(patch.size - 0.5, -0.5)
    axes[2].set_xticks([0, 1], ["col", "flipped\nk"], fontsize=11)
    axes[2].tick_params(length=0)
    axes[2].set_title(f"im2col col. {index}\n· flipped k\n= {values[2]:.4g}", fontsize=12)
    fig.tight_layout()
    return fig

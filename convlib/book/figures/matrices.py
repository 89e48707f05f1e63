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

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from convlib.book.style import SIGNED_CMAP
from convlib.convolution import convolve1d
from convlib.matrices.im2col import im2col
from convlib.matrices.toeplitz import convolution_matrix
from convlib.nn.functional import max_pool2d, max_pool2d_backward
from convlib.sizes import as_pair, mode_padding, output_size
from convlib.validation import MODES, as_numeric_array, check_choice, check_positive_int

__all__ = [
    "show_circular_vs_linear",
    "show_conv_shapes",
    "show_doubly_block_toeplitz",
    "show_im2col",
    "show_im2col_steps",
    "show_max_pool_routing",
    "show_pixel_trace",
    "show_timings",
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


def _box(ax: Axes, x: float, y: float, width: float, height: float, copies: int, colour: str) -> None:
    """A matrix drawn as a rectangle, with up to three shadows behind it for a batch."""
    for k in range(min(copies, 3) - 1, 0, -1):
        ax.add_patch(Rectangle((x + 0.12 * k, y + 0.12 * k), width, height, facecolor=colour, alpha=0.35, ec="0.4"))
    ax.add_patch(Rectangle((x, y), width, height, facecolor=colour, alpha=0.9, edgecolor="0.2"))


def show_conv_shapes(
    x_shape: tuple[int, int, int, int],
    weight_shape: tuple[int, int, int, int],
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
) -> Figure:
    """The shape bookkeeping of a convolution layer as one matrix product.

    ``x (N, C_in, H, W)`` becomes ``cols (N, C_in*KH*KW, OH*OW)`` by im2col, ``weight (C_out, C_in,
    KH, KW)`` becomes ``W (C_out, C_in*KH*KW)`` by a reshape, ``W @ cols`` is ``(N, C_out, OH*OW)``,
    and a reshape gives ``out (N, C_out, OH, OW)``. Rectangles are drawn as in a textbook matrix product (``W`` left,
    ``cols`` above, the product where they meet); side lengths grow with the logarithm of the
    sizes, which are written on them. Shadows stand for the batch.

    Examples
    --------
    >>> fig = show_conv_shapes((8, 3, 16, 20), (4, 3, 3, 3), padding=1)
    >>> plt.close(fig)
    """
    function = "show_conv_shapes"
    if len(x_shape) != 4 or len(weight_shape) != 4:
        raise ValueError(f"{function}: x_shape and weight_shape must have 4 entries; got {x_shape}, {weight_shape}")
    n, c, height, width = (check_positive_int(v, "x_shape", function) for v in x_shape)
    f, c_weight, kh, kw = (check_positive_int(v, "weight_shape", function) for v in weight_shape)
    if c_weight != c:
        raise ValueError(f"{function}: weight_shape[1] must equal x_shape[1] (C_in = {c}); got {c_weight}")
    step = as_pair(stride, "stride", function)
    pad = as_pair(padding, "padding", function, minimum=0)
    dil = as_pair(dilation, "dilation", function)
    oh = output_size(height, kh, step[0], pad[0], dil[0])
    ow = output_size(width, kw, step[1], pad[1], dil[1])
    taps, pixels = c * kh * kw, oh * ow
    side = lambda v: 0.8 + 0.45 * np.log2(v)
    gap = 0.5
    w_width, w_height = side(taps), side(f)
    cols_width, cols_height = side(pixels), side(taps)
    fig, (ax, notes) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1.0, 1.0]})
    # W at the bottom left, cols above the product, product bottom right.
    _box(ax, 0, 0, w_width, w_height, 1, "#cfe2f3")
    _box(ax, w_width + gap, w_height + gap, cols_width, cols_height, n, "#d9ead3")
    _box(ax, w_width + gap, 0, cols_width, w_height, n, "#fde9c9")
    label = {"ha": "center", "va": "center", "fontsize": 12}
    ax.text(w_width / 2, w_height / 2, f"W\n{f} × {taps}", **label)
    ax.text(w_width / 2, -0.3, f"C_in·KH·KW = {taps}", **label)
    ax.text(-0.3, w_height / 2, f"C_out = {f}", rotation=90, **label)
    ax.text(w_width + gap + cols_width / 2, w_height + gap + cols_height / 2, f"cols\n{taps} × {pixels}", **label)
    ax.text(
        w_width + gap + cols_width / 2, w_height + gap + cols_height + 0.55, f"H'·W' = {oh}·{ow} = {pixels}", **label
    )
    ax.text(w_width + gap - 0.3, w_height + gap + cols_height / 2, f"{taps}", rotation=90, **label)
    ax.text(w_width + gap + cols_width / 2, w_height / 2, f"W @ cols\n{f} × {pixels}", **label)
    ax.text(w_width + gap + cols_width + 0.55, w_height + gap / 2, f"× N = {n}", ha="left", va="center", fontsize=12)
    story = (
        f"x  (N, C_in, H, W) = ({n}, {c}, {height}, {width})\n"
        f"   ↓ im2col: cols (N, C_in·KH·KW, H'·W') = ({n}, {taps}, {pixels})\n"
        f"weight  (C_out, C_in, KH, KW) = ({f}, {c}, {kh}, {kw})\n"
        f"   ↓ reshape: W (C_out, C_in·KH·KW) = ({f}, {taps})\n"
        f"W @ cols  (N, C_out, H'·W') = ({n}, {f}, {pixels})\n"
        f"   ↓ reshape: out (N, C_out, H', W') = ({n}, {f}, {oh}, {ow})"
    )
    notes.text(0.0, 0.5, story, ha="left", va="center", fontsize=12, family="monospace", transform=notes.transAxes)
    notes.set_axis_off()
    ax.set_xlim(-0.8, w_width + gap + cols_width + 2.0)
    ax.set_ylim(-0.7, w_height + gap + cols_height + 1.0)
    ax.set_aspect("equal")
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


def show_max_pool_routing(
    x: object, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None
) -> Figure:
    """Max pooling forward and backward on one small image: where the gradient goes.

    Panels: the input with the pooling windows drawn and each window's maximum circled; the
    pooled output; the gradient with respect to the input when every output receives gradient
    1 (:func:`convlib.max_pool2d_backward`): each window's 1 lands on its maximum only.

    Examples
    --------
    >>> fig = show_max_pool_routing(np.arange(16.0).reshape(4, 4), 2)
    >>> len(fig.axes)
    3
    >>> plt.close(fig)
    """
    function = "show_max_pool_routing"
    picture = _matrix_array(x, "x", function, 2)
    kernel = as_pair(kernel_size, "kernel_size", function)
    step = kernel if stride is None else as_pair(stride, "stride", function)
    batch = picture[None, None]
    pooled = max_pool2d(batch, kernel, step)[0, 0]
    grad = max_pool2d_backward(np.ones((1, 1, *pooled.shape)), batch, kernel, step)[0, 0]
    fig, axes = plt.subplots(
        1, 3, figsize=(9.5, 3.4), gridspec_kw={"width_ratios": [picture.shape[1], pooled.shape[1], picture.shape[1]]}
    )
    _draw_matrix(axes[0], picture, zeros=True)
    for oy in range(pooled.shape[0]):
        for ox in range(pooled.shape[1]):
            top, left = oy * step[0], ox * step[1]
            _outline(axes[0], top, left, kernel[0], kernel[1], edgecolor="0.3", linewidth=1.5)
            window = picture[top : top + kernel[0], left : left + kernel[1]]
            i, j = np.unravel_index(np.argmax(window), window.shape)
            axes[0].add_patch(Circle((left + j, top + i), 0.42, fill=False, edgecolor=_HIGHLIGHT, linewidth=2.5))
    axes[0].set_title(f"x, windows {kernel[0]}×{kernel[1]}, maxima circled", fontsize=12)
    _draw_matrix(axes[1], pooled, zeros=True)
    axes[1].set_title("max_pool2d(x)", fontsize=12)
    _draw_matrix(axes[2], grad)
    for oy in range(pooled.shape[0]):
        for ox in range(pooled.shape[1]):
            _outline(axes[2], oy * step[0], ox * step[1], kernel[0], kernel[1], edgecolor="0.3", linewidth=1.5)
    axes[2].set_title("gradient for x (all outputs get 1)", fontsize=12)
    fig.tight_layout()
    return fig


def show_circular_vs_linear(signal: object, kernel: object) -> Figure:
    """Linear convolution (length N + K − 1) against the FFT's circular one (length N), in stems.

    The circular result is the linear one with its last ``K − 1`` samples (red) wrapped around
    and added to its first ones.

    Examples
    --------
    >>> fig = show_circular_vs_linear([1.0, 2.0, 3.0, 4.0], [1.0, 1.0])
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    function = "show_circular_vs_linear"
    x = _matrix_array(signal, "signal", function, 1)
    k = _matrix_array(kernel, "kernel", function, 1)
    if k.size > x.size:
        raise ValueError(f"{function}: kernel must be no longer than signal ({x.size}); got {k.size}")
    linear = convolve1d(x, k)
    circular = np.real(np.fft.ifft(np.fft.fft(x) * np.fft.fft(k, x.size)))
    n, tail = x.size, linear[x.size :]
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 2.8), sharey=True)
    axes[0].bar(np.arange(n), linear[:n], color="C0", label="first N samples")
    axes[0].bar(np.arange(n, linear.size), tail, color="C3", label="the K − 1 that stick out")
    axes[0].set_title(f"linear: N + K − 1 = {linear.size} samples", fontsize=12)
    axes[0].legend(fontsize=12, loc="upper left")
    axes[1].bar(np.arange(n), linear[:n], color="C0")
    axes[1].bar(np.arange(tail.size), tail, bottom=linear[: tail.size], color="C3")
    axes[1].plot(np.arange(n), circular, "ko", ms=4, label="FFT, length N")
    axes[1].set_title(f"circular (FFT of length N = {n}): red wrapped to the start", fontsize=12)
    axes[1].legend(fontsize=12, loc="upper left")
    for ax in axes:
        ax.set_xlabel("index")
        ax.axhline(0, color="0.6", lw=0.8)
    fig.tight_layout()
    return fig


def show_timings(
    sizes: Sequence[int],
    timings: Mapping[str, Sequence[float]],
    crossover: float | None = None,
    crossover_label: str = "crossover",
    title: str = "",
) -> Figure:
    """Seconds per call against kernel size, on log axes, one line per method; the crossover marked.

    Parameters
    ----------
    sizes : sequence of int
        Kernel sizes ``K`` (the kernels are ``K × K``).
    timings : mapping of str to sequence of float
        Method name to seconds, one per size.
    crossover : number, optional
        Kernel size to mark with a vertical line.
    crossover_label : str
        Text beside that line.
    title : str

    Examples
    --------
    >>> fig = show_timings([3, 5, 7], {"a": [1e-3, 2e-3, 4e-3], "b": [3e-3, 3e-3, 3e-3]}, crossover=7)
    >>> plt.close(fig)
    """
    sizes = list(sizes)
    if not timings:
        raise ValueError("show_timings: timings must hold at least one method")
    fig, ax = plt.subplots(figsize=(8, 4.2))
    markers = "os^vDP*X"
    for index, (name, seconds) in enumerate(timings.items()):
        seconds = np.asarray(seconds, dtype=float)
        if seconds.shape != (len(sizes),):
            raise ValueError(f"show_timings: {name!r} has {seconds.size} timings for {len(sizes)} sizes")
        ax.plot(sizes, seconds * 1e3, marker=markers[index % len(markers)], label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    if crossover is not None:
        ax.axvline(crossover, color="k", linestyle=":", linewidth=1.2)
        bottom = ax.get_ylim()[0]
        ax.text(
            crossover * 1.04,
            bottom * 1.3,
            f"{crossover_label}\nK = {crossover:g}",
            fontsize=12,
            va="bottom",
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"},
        )
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel("kernel size K (a K × K kernel)")
    ax.set_ylabel("milliseconds per image")
    ax.grid(True, which="major", color="0.9")
    ax.legend(fontsize=12, loc="center left", bbox_to_anchor=(1.0, 0.5))
    ax.set_title(title, fontsize=12)
    fig.tight_layout()
    return fig

"""Figures for notebook 04 (convolution as matrix multiplication).

The Toeplitz matrix of a 1-D kernel, the doubly block Toeplitz matrix of a tiny image, im2col's
columns, the shape bookkeeping of a batched layer, one output pixel traced through every method,
max pooling's gradient routing, circular against linear convolution, and the speed plot.

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


def _draw_matrix(
    ax: Axes,
    matrix: np.ndarray,
    annotate: bool = True,
    limit: float | None = None,
    origin: tuple[float, float] = (0.0, 0.0),
    zeros: bool = False,
) -> None:
    """A matrix as an image: diverging colours centred on 0, a light cell grid, nonzero values written.

    ``origin`` is the (row, column) where cell ``[0, 0]`` is drawn, so several matrices can share
    one axes with the same cell size. ``zeros=True`` writes the zeros too (for an image, whose
    zeros are data; in a matrix, blank cells show the sparsity better).
    """
    matrix = np.asarray(matrix, dtype=float)
    limit = limit or float(np.max(np.abs(matrix))) or 1.0
    rows, columns = matrix.shape
    top, left = origin
    ax.imshow(
        matrix,
        cmap="RdBu_r",
        vmin=-1.6 * limit,
        vmax=1.6 * limit,
        interpolation="nearest",
        extent=(left - 0.5, left + columns - 0.5, top + rows - 0.5, top - 0.5),
    )
    ax.hlines(np.arange(rows + 1) + top - 0.5, left - 0.5, left + columns - 0.5, color="0.85", linewidth=0.5)
    ax.vlines(np.arange(columns + 1) + left - 0.5, top - 0.5, top + rows - 0.5, color="0.85", linewidth=0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if annotate:
        size = 9 if max(rows, columns) <= 12 else 7 if max(rows, columns) <= 24 else 5
        for (row, column), value in np.ndenumerate(np.round(matrix, 9) + 0.0):  # + 0.0: no "-0"
            if value or zeros:
                ax.text(left + column, top + row, f"{value:g}", ha="center", va="center", fontsize=size)


def _outline(ax: Axes, row: float, column: float, height: float = 1, width: float = 1, **style: object) -> None:
    """Outline cells ``[row, row + height) x [column, column + width)`` of an image axes."""
    options = {"fill": False, "edgecolor": _HIGHLIGHT, "linewidth": 2.5} | style
    ax.add_patch(Rectangle((column - 0.5, row - 0.5), width, height, **options))


def show_toeplitz(kernel: object, n: int, mode: str = "full", signal: object = None) -> Figure:
    """The Toeplitz matrix of a 1-D kernel, times a signal, equals the convolution: ``T @ x = y``.

    Parameters
    ----------
    kernel : array_like, shape (K,)
    n : int
        Length of the signal.
    mode : {"full", "same", "valid"}
    signal : array_like, shape (n,), optional
        The ``x`` drawn beside the matrix; default ``1, 2, ..., n``.

    Examples
    --------
    >>> fig = show_toeplitz([1, 2, 3], 5)
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
    fig, ax = plt.subplots(figsize=(0.45 * (n + 6) + 1.0, 0.45 * max(rows, n) + 1.2))
    _draw_matrix(ax, matrix, limit=float(np.max(np.abs(kernel))) or 1.0)
    _draw_matrix(ax, x[:, None], limit=float(np.max(np.abs(x))) or 1.0, origin=((rows - n) / 2, n + 1.5), zeros=True)
    _draw_matrix(ax, y[:, None], limit=float(np.max(np.abs(y))) or 1.0, origin=(0, n + 4), zeros=True)
    middle = (rows - 1) / 2
    ax.text(n + 0.5, middle, "@", ha="center", va="center", fontsize=14)
    ax.text(n + 3, middle, "=", ha="center", va="center", fontsize=14)
    ax.text((n - 1) / 2, -1, f"T: {rows} × {n}, T[i, j] = k[i − j]", ha="center", fontsize=10)
    ax.text(n + 1.5, (rows - n) / 2 - 1, "x", ha="center", fontsize=10)
    ax.text(n + 4, -1, "y", ha="center", fontsize=10)
    ax.set_xlim(-0.7, n + 4.7)
    ax.set_ylim(max(rows, n) - 0.3, -1.6)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_doubly_block_toeplitz(kernel: object, image_shape: tuple[int, int], mode: str = "full") -> Figure:
    """The doubly block Toeplitz matrix of a 2-D kernel for a tiny image, with its blocks outlined.

    Rows are output pixels and columns input pixels, both raveled row by row; the thick lines
    cut the matrix into blocks of one output row by one input row. Each nonzero block is the 1-D
    Toeplitz matrix of one kernel row, and the blocks repeat along the diagonals.

    Parameters
    ----------
    kernel : array_like, shape (KH, KW)
    image_shape : (int, int)
        (H, W) of the image; keep it tiny (the matrix has H*W columns).
    mode : {"full", "same", "valid"}

    Examples
    --------
    >>> fig = show_doubly_block_toeplitz([[1, 2], [3, 4]], (3, 4))
    >>> plt.close(fig)
    """
    function = "show_doubly_block_toeplitz"
    kernel = _matrix_array(kernel, "kernel", function, 2)
    height, width = as_pair(tuple(image_shape), "image_shape", function)
    check_choice(mode, "mode", MODES, function)
    matrix = convolution_matrix(kernel, (height, width), mode)
    out_height = output_size(height, kernel.shape[0], mode=mode)
    out_width = output_size(width, kernel.shape[1], mode=mode)
    fig, ax = plt.subplots(figsize=(0.3 * matrix.shape[1] + 2.2, 0.3 * matrix.shape[0] + 1.2))
    _draw_matrix(ax, matrix)
    for row in range(1, out_height):
        ax.axhline(row * out_width - 0.5, color="0.2", linewidth=1.5)
    for column in range(1, height):
        ax.axvline(column * width - 0.5, color="0.2", linewidth=1.5)
    ax.set_xticks([(c + 0.5) * width - 0.5 for c in range(height)], [f"in row {c}" for c in range(height)])
    ax.set_yticks([(r + 0.5) * out_width - 0.5 for r in range(out_height)], [f"out row {r}" for r in range(out_height)])
    ax.tick_params(labelsize=8)
    ax.xaxis.set_ticks_position("top")
    ax.set_title(
        f"{matrix.shape[0]} × {matrix.shape[1]}: {out_height} × {height} blocks of {out_width} × {width}",
        fontsize=10,
        pad=24,
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
    _draw_matrix(ax, padded, limit=limit)
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
    _draw_matrix(ax, cols, limit=limit, origin=(0, right))
    _outline(ax, 0, right + column, height=cols.shape[0])
    ax.text((columns - 1) / 2, -1, f"window {column}: top-left tap at ({top}, {first})", ha="center", fontsize=10)
    ax.text(
        right + (cols.shape[1] - 1) / 2,
        -1,
        f"im2col: {cols.shape[0]} taps (rows) × {cols.shape[1]} windows",
        ha="center",
        fontsize=10,
    )
    ax.text(right - 1.1, (cols.shape[0] - 1) / 2, "tap i·KW + j", rotation=90, ha="center", va="center", fontsize=9)
    ax.text(
        right + (cols.shape[1] - 1) / 2, cols.shape[0] + 0.2, "window oy·OW + ox", ha="center", va="top", fontsize=9
    )
    ax.set_xlim(-0.7, right + cols.shape[1] - 0.3)
    ax.set_ylim(max(rows, cols.shape[0] + 1) - 0.3, -1.6)
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
    label = {"ha": "center", "va": "center", "fontsize": 10}
    ax.text(w_width / 2, w_height / 2, f"W\n{f} × {taps}", **label)
    ax.text(w_width / 2, -0.3, f"C_in·KH·KW = {taps}", **label)
    ax.text(-0.3, w_height / 2, f"C_out = {f}", rotation=90, **label)
    ax.text(w_width + gap + cols_width / 2, w_height + gap + cols_height / 2, f"cols\n{taps} × {pixels}", **label)
    ax.text(
        w_width + gap + cols_width / 2, w_height + gap + cols_height + 0.55, f"H'·W' = {oh}·{ow} = {pixels}", **label
    )
    ax.text(w_width + gap - 0.3, w_height + gap + cols_height / 2, f"{taps}", rotation=90, **label)
    ax.text(w_width + gap + cols_width / 2, w_height / 2, f"W @ cols\n{f} × {pixels}", **label)
    ax.text(w_width + gap + cols_width + 0.55, w_height + gap / 2, f"× N = {n}", ha="left", va="center", fontsize=10)
    story = (
        f"x  (N, C_in, H, W) = ({n}, {c}, {height}, {width})\n"
        f"   ↓ im2col: cols (N, C_in·KH·KW, H'·W') = ({n}, {taps}, {pixels})\n"
        f"weight  (C_out, C_in, KH, KW) = ({f}, {c}, {kh}, {kw})\n"
        f"   ↓ reshape: W (C_out, C_in·KH·KW) = ({f}, {taps})\n"
        f"W @ cols  (N, C_out, H'·W') = ({n}, {f}, {pixels})\n"
        f"   ↓ reshape: out (N, C_out, H', W') = ({n}, {f}, {oh}, {ow})"
    )
    notes.text(0.0, 0.5, story, ha="left", va="center", fontsize=10, family="monospace", transform=notes.transAxes)
    notes.set_axis_off()
    ax.set_xlim(-0.8, w_width + gap + cols_width + 2.0)
    ax.set_ylim(-0.7, w_height + gap + cols_height + 1.0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_pixel_trace(image: object, kernel: object, pixel: tuple[int, int]) -> Figure:
    """One output pixel of ``convolve2d(image, kernel, "same")``, found four ways.

    Panels: the flipped kernel's window on the zero-padded image; the row of the doubly block
    Toeplitz matrix for that pixel, reshaped to the image (it *is* the flipped kernel, placed
    around the pixel); the im2col column of that window beside the flipped kernel's weights; the
    FFT result with the pixel outlined. Each title gives the value that way computes.

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
    4
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
    toeplitz_row = convolution_matrix(weights, (height, width), "same")[row * width + col]
    cols = im2col(padded[None, None], (kh, kw))[0]
    patch = cols[:, row * width + col]
    fft_shape = (height + kh - 1, width + kw - 1)
    full = np.fft.irfft2(np.fft.rfft2(picture, fft_shape) * np.fft.rfft2(weights, fft_shape), fft_shape)
    top, left = kh - 1 - before[0], kw - 1 - before[1]  # where "same" starts inside "full"
    fft_same = full[top : top + height, left : left + width]
    values = [window_value, float(toeplitz_row @ picture.ravel()), float(flipped.ravel() @ patch), fft_same[row, col]]

    fig, axes = plt.subplots(
        1, 4, figsize=(12.5, 3.8), gridspec_kw={"width_ratios": [padded.shape[1], width, 2.2, width]}
    )
    limit = float(np.max(np.abs(picture))) or 1.0
    _draw_matrix(axes[0], padded, limit=limit, zeros=True)
    for r, c in np.ndindex(*padded.shape):  # shade the padding zeros
        if not (before[0] <= r < before[0] + height and before[1] <= c < before[1] + width):
            axes[0].add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor=_PAD_COLOUR, edgecolor="0.85", lw=0.5))
    _outline(axes[0], row, col, kh, kw)
    for (i, j), weight in np.ndenumerate(flipped):  # the flipped kernel's weight in each cell's corner
        axes[0].text(col + j + 0.45, row + i - 0.45, f"×{weight:g}", ha="right", va="top", fontsize=6.5, color="C3")
    axes[0].set_title(f"window · flipped kernel\n= {values[0]:.4g}", fontsize=10)
    _draw_matrix(axes[1], toeplitz_row.reshape(height, width))
    _outline(axes[1], row, col, edgecolor="k", linewidth=1.5)
    axes[1].set_title(f"row {row * width + col} of T, as an image\n· image = {values[1]:.4g}", fontsize=10)
    strip = np.stack([patch, flipped.ravel()], axis=1)
    _draw_matrix(axes[2], strip, annotate=strip.shape[0] <= 25, zeros=True)
    axes[2].set_xticks([0, 1], ["col", "k"], fontsize=8)
    axes[2].set_title(f"im2col column {row * width + col}\n· flipped k = {values[2]:.4g}", fontsize=10)
    _draw_matrix(axes[3], fft_same, limit=float(np.max(np.abs(fft_same))) or 1.0, zeros=True)
    _outline(axes[3], row, col)
    axes[3].set_title(f"FFT result, pixel ({row}, {col})\n= {values[3]:.4g}", fontsize=10)
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
    axes[0].set_title(f"x, windows {kernel[0]}×{kernel[1]}, maxima circled", fontsize=10)
    _draw_matrix(axes[1], pooled, zeros=True)
    axes[1].set_title("max_pool2d(x)", fontsize=10)
    _draw_matrix(axes[2], grad)
    for oy in range(pooled.shape[0]):
        for ox in range(pooled.shape[1]):
            _outline(axes[2], oy * step[0], ox * step[1], kernel[0], kernel[1], edgecolor="0.3", linewidth=1.5)
    axes[2].set_title("gradient for x (all outputs get 1)", fontsize=10)
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
    axes[0].set_title(f"linear: N + K − 1 = {linear.size} samples", fontsize=10)
    axes[0].legend(fontsize=8, loc="upper left")
    axes[1].bar(np.arange(n), linear[:n], color="C0")
    axes[1].bar(np.arange(tail.size), tail, bottom=linear[: tail.size], color="C3")
    axes[1].plot(np.arange(n), circular, "ko", ms=4, label="FFT, length N")
    axes[1].set_title(f"circular (FFT of length N = {n}): red wrapped to the start", fontsize=10)
    axes[1].legend(fontsize=8, loc="upper left")
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
            fontsize=9,
            va="bottom",
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"},
        )
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel("kernel size K (a K × K kernel)")
    ax.set_ylabel("milliseconds per image")
    ax.grid(True, which="major", color="0.9")
    ax.legend(fontsize=9, loc="center left", bbox_to_anchor=(1.0, 0.5))
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig

"""Figures for notebook 05 (inside a CNN layer).

Small integer arrays drawn cell by cell with their numbers (channels summed, max pooling and its
gradient, the transposed convolution's zero insertion, the overlap pattern behind checkerboard
artefacts), which input channels each output channel sees for a given ``groups``, and the
receptive field of one output pixel of a stack of layers.

Every function draws with matplotlib and returns the ``Figure``, so a notebook cell stays one
line long. Sizes follow :mod:`convlib.book.style`: at most 8.6 × 5.6 inches, numbers on cells
at 11–12 pt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from convlib.book.style import MAGNITUDE_CMAP, PALETTE
from convlib.convolution import correlate2d
from convlib.nn.functional import max_pool2d, max_pool2d_backward
from convlib.sizes import as_pair

__all__ = [
    "show_channel_sum",
    "show_checkerboard",
    "show_group_connectivity",
    "show_max_pool_routing",
    "show_receptive_fields",
    "show_transposed_conv",
]

_PAD = "#fde9c9"  # light orange: padding
_EDGE = "0.55"


def _tint(colour: str, amount: float = 0.25) -> tuple[float, float, float]:
    """``colour`` mixed with white: ``amount`` of the colour, the rest white."""
    r, g, b = to_rgb(colour)
    return (1 - amount + amount * r, 1 - amount + amount * g, 1 - amount + amount * b)


def _number(value: float) -> str:
    value = float(np.round(value, 6)) + 0.0  # + 0.0: no "-0"
    return f"{value:g}"


def _cells(
    ax: Axes,
    values: object,
    facecolor: object = "white",
    fontsize: float = 12,
    textcolor: object = "black",
    title: str = "",
) -> None:
    """Draw a small 2-D array as a grid of cells with their numbers; ``facecolor`` one colour or one per cell."""
    values = np.asarray(values, dtype=float)
    rows, columns = values.shape
    faces = np.empty(values.shape, dtype=object)
    texts = np.empty(values.shape, dtype=object)
    for index in np.ndindex(values.shape):
        faces[index] = facecolor[index] if isinstance(facecolor, np.ndarray) else facecolor
        texts[index] = textcolor[index] if isinstance(textcolor, np.ndarray) else textcolor
    for (row, column), value in np.ndenumerate(values):
        ax.add_patch(Rectangle((column, row), 1, 1, facecolor=faces[row, column], edgecolor=_EDGE, linewidth=0.8))
        ax.text(
            column + 0.5,
            row + 0.5,
            _number(value),
            ha="center",
            va="center",
            fontsize=fontsize,
            color=texts[row, column],
        )
    ax.set_xlim(-0.05, columns + 0.05)
    ax.set_ylim(rows + 0.05, -0.05)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=12)


def _box(
    ax: Axes, row: float, column: float, height: float, width: float, colour: str = "black", lw: float = 3
) -> None:
    ax.add_patch(Rectangle((column, row), width, height, fill=False, edgecolor=colour, linewidth=lw))


def _operator(ax: Axes, symbol: str) -> None:
    size = 32 if symbol == "⋆" else 20  # the star is drawn small in most fonts
    ax.text(0.5, 0.5, symbol, ha="center", va="center", fontsize=size, transform=ax.transAxes)
    ax.set_axis_off()


def show_channel_sum(x: object, weight: object, bias: float = 0.0, pixel: tuple[int, int] = (0, 0)) -> Figure:
    """One filter over a two-channel input: each channel correlated with its own kernel, then summed.

    Rows: channel 0 and channel 1, each ``x[c] ⋆ weight[c] = partial[c]`` (``"valid"``
    cross-correlation), the window of output ``pixel`` outlined; right: ``partial[0] + partial[1] + bias``.

    Parameters
    ----------
    x : array_like, shape (2, H, W)
    weight : array_like, shape (2, KH, KW)
        The filter: one kernel per input channel.

    Examples
    --------
    >>> fig = show_channel_sum(np.ones((2, 4, 4)), np.ones((2, 3, 3)), bias=1.0)
    >>> len(fig.axes)
    12
    >>> plt.close(fig)
    """
    x = np.asarray(x, dtype=float)
    weight = np.asarray(weight, dtype=float)
    if x.ndim != 3 or weight.ndim != 3 or x.shape[0] != 2 or weight.shape[0] != 2:
        raise ValueError(
            f"show_channel_sum: x and weight must be (2, H, W) and (2, KH, KW); got {x.shape}, {weight.shape}"
        )
    partial = np.stack([correlate2d(x[c], weight[c], "valid") for c in range(2)])
    out = partial.sum(axis=0) + bias
    w, (kh, kw), ow = x.shape[2], weight.shape[1:], out.shape[1]
    widths = [w, 0.9, kw, 0.9, ow, 0.9, ow]
    fig = plt.figure(figsize=(8.6, 5.0))
    grid = fig.add_gridspec(2, len(widths), width_ratios=widths, wspace=0.08, hspace=0.35)
    py, px = pixel
    for c in range(2):
        colour = _tint(PALETTE[c])
        ax = fig.add_subplot(grid[c, 0])
        _cells(ax, x[c], colour, title=f"x, channel {c}")
        _box(ax, py, px, kh, kw)
        _operator(fig.add_subplot(grid[c, 1]), "⋆")
        _cells(fig.add_subplot(grid[c, 2]), weight[c], colour, title=f"kernel {c}")
        _operator(fig.add_subplot(grid[c, 3]), "=")
        ax = fig.add_subplot(grid[c, 4])
        _cells(ax, partial[c], colour, title=f"part {c}")
        _box(ax, py, px, 1, 1)
    ops = fig.add_subplot(grid[:, 5])
    _operator(ops, "Σ")
    ax = fig.add_subplot(grid[:, 6])
    _cells(ax, out, "white", title=f"sum + bias {_number(bias)}")
    _box(ax, py, px, 1, 1)
    return fig


def show_group_connectivity(channels: int, groups: Sequence[int], kernel_size: int = 3) -> Figure:
    """Which input channels each output channel sees, for ``channels`` in and out and each ``groups``.

    One panel per entry of ``groups``: a ``channels × channels`` grid, filled where output channel
    ``o`` (row) reads input channel ``c`` (column); the title counts the weights,
    ``C_out · (C_in / groups) · K²``.

    Examples
    --------
    >>> fig = show_group_connectivity(8, [1, 2, 8])
    >>> len(fig.axes)
    3
    >>> plt.close(fig)
    """
    fig, axes = plt.subplots(1, len(groups), figsize=(8.6, 3.6))
    for ax, g in zip(np.atleast_1d(axes), groups):
        if channels % g:
            raise ValueError(f"show_group_connectivity: groups must divide channels = {channels}; got {g}")
        per = channels // g
        seen = np.kron(np.eye(g), np.ones((per, per)))
        faces = np.where(seen[..., None] > 0, to_rgb(PALETTE[0]), (1.0, 1.0, 1.0))
        ax.imshow(faces, extent=(0, channels, channels, 0))
        ax.hlines(np.arange(channels + 1), 0, channels, color=_EDGE, linewidth=0.6)
        ax.vlines(np.arange(channels + 1), 0, channels, color=_EDGE, linewidth=0.6)
        ax.set_xticks(np.arange(channels) + 0.5, [str(i) if i % 2 == 0 else "" for i in range(channels)])
        ax.set_yticks(np.arange(channels) + 0.5, [str(i) if i % 2 == 0 else "" for i in range(channels)])
        ax.tick_params(length=0)
        count = channels * per * kernel_size**2
        name = " (depthwise)" if g == channels else " (full)" if g == 1 else ""
        ax.set_title(f"groups = {g}{name}\n{count:,} weights", fontsize=12)
        ax.set_xlabel("input channel")
    np.atleast_1d(axes)[0].set_ylabel("output channel")
    fig.tight_layout()
    return fig


def show_max_pool_routing(x: object, kernel_size: int = 2) -> Figure:
    """Max pooling forward and backward on one small image: where the gradient goes.

    Panels: the input with the pooling windows drawn and each window's maximum circled; the
    pooled output; the gradient with respect to the input when every output receives gradient 1
    (:func:`convlib.max_pool2d_backward`): each window's 1 lands on its maximum only.

    Examples
    --------
    >>> fig = show_max_pool_routing(np.arange(16.0).reshape(4, 4), 2)
    >>> len(fig.axes)
    3
    >>> plt.close(fig)
    """
    picture = np.asarray(x, dtype=float)
    k = as_pair(kernel_size, "kernel_size", "show_max_pool_routing")
    batch = picture[None, None]
    pooled = max_pool2d(batch, k)[0, 0]
    grad = max_pool2d_backward(np.ones((1, 1, *pooled.shape)), batch, k)[0, 0]
    fig, axes = plt.subplots(
        1, 3, figsize=(8.4, 3.5), gridspec_kw={"width_ratios": [picture.shape[1], pooled.shape[1], picture.shape[1]]}
    )
    winner = _tint(PALETTE[1], 0.45)
    faces = np.where(grad[..., None] > 0, winner, (1.0, 1.0, 1.0))
    faces_obj = np.empty(grad.shape, dtype=object)
    for index in np.ndindex(grad.shape):
        faces_obj[index] = tuple(faces[index])
    _cells(axes[0], picture, faces_obj, title="x: maxima circled")
    _cells(axes[1], pooled, winner, title="max_pool2d(x)")
    greys = np.where(grad > 0, "black", "0.6").astype(object)
    _cells(axes[2], grad, faces_obj, textcolor=greys, title="gradient for x")
    for oy in range(pooled.shape[0]):
        for ox in range(pooled.shape[1]):
            top, left = oy * k[0], ox * k[1]
            for ax in (axes[0], axes[2]):
                _box(ax, top, left, k[0], k[1], lw=2.5)
            window = picture[top : top + k[0], left : left + k[1]]
            i, j = np.unravel_index(np.argmax(window), window.shape)
            axes[0].add_patch(Circle((left + j + 0.5, top + i + 0.5), 0.4, fill=False, edgecolor=PALETTE[3], lw=2.5))
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.88, wspace=0.12)  # no tight_layout: one draw less
    return fig


def show_transposed_conv(x: object, weight: object, stride: int, padding: int = 0) -> Figure:
    """A transposed convolution as an ordinary one: zeros inserted, padding, the flipped kernel slid.

    Panels: the input; the input spread out with ``stride - 1`` zeros between samples (grey) and
    ``K - 1 - padding`` zeros of padding around (orange), the first window outlined; the kernel
    rotated by 180°; the output (``"valid"`` cross-correlation of the two), its first pixel outlined.

    Examples
    --------
    >>> fig = show_transposed_conv(np.array([[1.0, 2.0], [3.0, 4.0]]), np.ones((3, 3)), stride=2)
    >>> len(fig.axes)
    4
    >>> plt.close(fig)
    """
    x = np.asarray(x, dtype=float)
    weight = np.asarray(weight, dtype=float)
    k = weight.shape[0]
    border = k - 1 - padding
    if border < 0:
        raise ValueError(f"show_transposed_conv: padding must be at most K - 1 = {k - 1}; got {padding}")
    h, w = x.shape
    spread = np.zeros(((h - 1) * stride + 1, (w - 1) * stride + 1))
    spread[::stride, ::stride] = x
    canvas = np.pad(spread, border)
    flipped = weight[::-1, ::-1]
    out = correlate2d(canvas, flipped, "valid")
    faces = np.full(canvas.shape, None, dtype=object)
    texts = np.full(canvas.shape, "0.55", dtype=object)
    for index in np.ndindex(canvas.shape):
        faces[index] = _PAD
    for index in np.ndindex(spread.shape):
        faces[border + index[0], border + index[1]] = "white"
    for index in np.ndindex(x.shape):
        where = (border + index[0] * stride, border + index[1] * stride)
        faces[where] = _tint(PALETTE[0], 0.35)
        texts[where] = "black"
    widths = [w, canvas.shape[1], k, out.shape[1]]
    fig, axes = plt.subplots(1, 4, figsize=(8.4, 3.9), gridspec_kw={"width_ratios": widths})
    _cells(axes[0], x, _tint(PALETTE[0], 0.35), title="input")
    _cells(axes[1], canvas, faces, fontsize=11, textcolor=texts, title="zeros inserted, padded")
    _box(axes[1], 0, 0, k, k, colour=PALETTE[3])
    axes[1].text(
        canvas.shape[1] / 2,
        canvas.shape[0] + 0.5,
        "orange: padding; white: inserted zeros",
        ha="center",
        va="top",
        fontsize=12,
    )
    axes[1].set_ylim(canvas.shape[0] + 1.3, -0.05)
    _cells(axes[2], flipped, _tint(PALETTE[2], 0.3), title="kernel\nflipped")
    _cells(axes[3], out, "white", fontsize=11, title="output")
    _box(axes[3], 0, 0, 1, 1, colour=PALETTE[3])
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.88, wspace=0.12)  # no tight_layout: one draw less
    return fig


def show_checkerboard(outputs: Mapping[str, object]) -> Figure:
    """Outputs of upsampling layers fed a constant image, numbers on the cells (viridis, one scale per panel).

    Equal numbers everywhere inside mean an even overlap; a repeating pattern is a checkerboard.

    Examples
    --------
    >>> fig = show_checkerboard({"a": np.ones((4, 4)), "b": np.eye(4)})
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    fig, axes = plt.subplots(1, len(outputs), figsize=(8.4, 3.4))
    cmap = plt.get_cmap(MAGNITUDE_CMAP)
    for ax, (title, values) in zip(np.atleast_1d(axes), outputs.items()):
        values = np.asarray(values, dtype=float)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) / (high - low) if high > low else np.full(values.shape, 0.5)
        faces = np.empty(values.shape, dtype=object)
        texts = np.empty(values.shape, dtype=object)
        for index in np.ndindex(values.shape):
            faces[index] = cmap(0.15 + 0.8 * scaled[index])
            texts[index] = "black" if scaled[index] > 0.55 else "white"
        size = 11 if max(values.shape) <= 10 else 9
        _cells(ax, values, faces, fontsize=size, textcolor=texts, title=title)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.88, wspace=0.12)  # no tight_layout: one draw less
    return fig


def show_receptive_fields(maps: Mapping[str, object], sizes: Sequence[int]) -> Figure:
    """How many paths lead from one output pixel back to each input pixel, the field outlined.

    ``maps``: title → the input-gradient of one output pixel (all-ones kernels, so each value
    counts paths). The square around the nonzero values is outlined; ``sizes`` (what the rule
    predicts) go in the titles.

    Examples
    --------
    >>> fig = show_receptive_fields({"a": np.pad(np.ones((3, 3)), 4)}, [3])
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    fig, axes = plt.subplots(1, len(maps), figsize=(8.6, 4.2), squeeze=False)
    for ax, (title, values), size in zip(axes[0], maps.items(), sizes):
        values = np.asarray(values, dtype=float)
        shown = ax.imshow(values, cmap=MAGNITUDE_CMAP, extent=(0, values.shape[1], values.shape[0], 0))
        rows, columns = np.nonzero(values)
        top, left = rows.min(), columns.min()
        _box(ax, top, left, rows.max() - top + 1, columns.max() - left + 1, colour=PALETTE[1], lw=2.5)
        ax.set_title(f"{title}\nthe rule: {size} × {size}", fontsize=12)
        ax.set_xticks([])
        ax.set_yticks([])
        bar = fig.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
        bar.set_label("paths")
    fig.tight_layout()
    return fig

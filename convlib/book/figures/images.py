"""Figures for notebook 02: kernels drawn as small tables of numbers, and what each does to a photograph.

:func:`show_kernel` is the one kernel picture of the book: notebook 06's figures (:mod:`convlib.book.figures.cnn`)
draw their learned kernels with it too.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from convlib.book.figures.common import frame, show_image
from convlib.book.style import PALETTE, SIGNED_CMAP, signed_limit
from convlib.convolution import correlate2d
from convlib.validation import as_numeric_array, check_choice

#: The two ways :func:`show_kernel` writes the weights in: ``"learned"`` for trained kernels
#: (notebook 06), ``"gallery"`` for hand-made ones (notebook 02).
KERNEL_STYLES = ("learned", "gallery")


def show_kernel(
    ax: Axes,
    kernel: object,
    title: str = "",
    annotate: bool = True,
    limit: float | None = None,
    style: str = "learned",
) -> None:
    """Draw one 2-D kernel on ``ax``: ``RdBu_r`` centred on 0 (red positive, blue negative, white 0), values written in.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    kernel : array_like, shape (KH, KW)
    title : str
    annotate : bool
        Write each weight in its cell (white on dark cells, black elsewhere).
    limit : float, optional
        Colour scale ``±limit``; default ``max|kernel|`` (1 for an all-zero kernel).
    style : {"learned", "gallery"}
        How the weights are written. ``"learned"``: with 1 decimal when the colour scale reaches 0.5,
        else 2; a zero as ``0``; 8 pt up to 3x3, else 6 pt; a thin gray frame around the kernel.
        ``"gallery"``: 3 significant digits at 9 pt up to 3x3; larger kernels with up to 2 decimals
        (trailing zeros dropped) at 7 pt; no frame.

    Examples
    --------
    >>> fig, (left, right) = plt.subplots(1, 2)
    >>> show_kernel(left, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], "sobel x")
    >>> [text.get_text() for text in left.texts][:3]
    ['-1.0', '0', '1.0']
    >>> show_kernel(right, np.array([[0.0, -1.0], [1.0, 0.5]]), "k", style="gallery")
    >>> [text.get_text() for text in right.texts]
    ['0', '-1', '1', '0.5']
    >>> plt.close(fig)
    """
    check_choice(style, "style", KERNEL_STYLES, "show_kernel")
    weights = as_numeric_array(kernel, "kernel", "show_kernel").astype(np.float64)
    if weights.ndim != 2:
        raise ValueError(f"show_kernel: kernel must be 2-D (KH, KW); got shape {weights.shape}")
    scale = float(np.abs(weights).max()) if limit is None else float(limit)
    scale = scale or 1.0
    ax.imshow(weights, cmap="RdBu_r", vmin=-scale, vmax=scale)
    if annotate:
        small = max(weights.shape) <= 3
        if style == "learned":
            size = 8 if small else 6
            decimals = 1 if scale >= 0.5 else 2
        else:
            size = 12 if small else 9
        for (row, column), value in np.ndenumerate(weights):
            shade = "white" if abs(value) > 0.6 * scale else "black"  # readable on dark cells
            if style == "gallery":
                text = f"{value:.3g}" if small else f"{value:.2f}".rstrip("0").rstrip(".")
            else:
                text = f"{value + 0.0:.{decimals}f}"  # + 0.0 turns -0.0 into 0.0
                if float(text) == 0:
                    text = "0"
            ax.text(column, row, text, ha="center", va="center", fontsize=size, color=shade)
    ax.set_title(title, fontsize=10)
    if style == "learned":
        frame(ax)
    else:
        ax.set_xticks([])
        ax.set_yticks([])


def _common_denominator(kernel: np.ndarray) -> int:
    """The smallest n <= 256 with ``kernel * n`` all whole numbers (1 for whole weights), or 0 if none."""
    for n in range(1, 257):
        scaled = kernel * n
        if np.allclose(scaled, np.round(scaled), rtol=0, atol=1e-9):
            return n
    return 0


def show_kernel_gallery(image: np.ndarray, kernels: Mapping[str, np.ndarray], boundary: str = "symmetric") -> Figure:
    """Each kernel's weights beside ``correlate2d(image, kernel, "same")``, two kernels a row.

    Results of kernels whose weights do not sum to 0 are shown in gray on 0..1 (clipped); those of
    kernels summing to 0 (edge detectors) on the centred diverging map with percentile limits
    (:func:`~convlib.book.style.signed_limit`), because their values are signed. Each photograph is
    310 px wide at 100 dpi; weights with a common denominator are written as whole numbers with
    the factor under them (``x 1/9``).

    Examples
    --------
    >>> fig = show_kernel_gallery(np.eye(8), {"box": np.full((3, 3), 1 / 9)})
    >>> fig.axes[1].get_xlabel()  # the kernel's axes, after the photograph's
    'x 1/9'
    >>> plt.close(fig)
    """
    names = list(kernels)
    rows = -(-len(names) // 2)
    row_height, photo, box, width = 3.6, 3.1, 0.95, 8.4  # inches; 8.4 leaves room for the margins
    fig = plt.figure(figsize=(width, row_height * rows))
    for index, name in enumerate(names):
        kernel = np.asarray(kernels[name], dtype=float)
        top = 1 - (index // 2) * row_height / fig.get_figheight()
        left = (index % 2) * 4.25
        photo_ax = fig.add_axes([(left + box + 0.05) / width, top - (photo + 0.4) / fig.get_figheight(),
                                 photo / width, photo / fig.get_figheight()])  # fmt: skip
        kernel_ax = fig.add_axes([left / width, top - (0.4 + photo / 2 + box / 2) / fig.get_figheight(),
                                  box / width, box / fig.get_figheight()])  # fmt: skip
        denominator = _common_denominator(kernel)
        shown = kernel * denominator if denominator > 1 else kernel
        limit = float(np.abs(kernel).max()) or 1.0
        _number_grid(kernel_ax, shown, _signed_colours(kernel, limit), "", fontsize=12 if kernel.shape[0] <= 3 else 9)
        if denominator > 1:
            kernel_ax.set_xlabel(f"x 1/{denominator}", fontsize=12)
        result = correlate2d(image, kernel, mode="same", boundary=boundary)
        signed = abs(float(np.sum(kernel))) < 1e-9
        if signed:  # no colour bar: white is 0, red positive, blue negative (the text says so)
            limit = signed_limit(result)
            photo_ax.imshow(result, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
            photo_ax.set_title(f"{name} (signed)")
            photo_ax.set_axis_off()
        else:
            show_image(photo_ax, np.clip(result, 0, 1), name)
    return fig


def _number_grid(ax: Axes, values: np.ndarray, colours: np.ndarray, title: str, fontsize: float = 13) -> None:
    """A table of numbers: each cell coloured (RGBA), its value written in it, thin white lines between."""
    ax.imshow(colours, interpolation="nearest")
    for (row, column), value in np.ndenumerate(values):
        if np.isnan(value):
            continue
        text = f"{value:g}" if float(value).is_integer() else f"{value:.2f}".rstrip("0")
        ax.text(column, row, text, ha="center", va="center", fontsize=fontsize, color="#111")
    rows, columns = values.shape
    ax.set_xticks(np.arange(-0.5, columns, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, fontsize=13)


def _signed_colours(values: np.ndarray, limit: float) -> np.ndarray:
    """RGBA colours of signed values on the diverging map, pale (so that black numbers read on every cell)."""
    cmap = plt.get_cmap(SIGNED_CMAP)
    unit = 0.5 + 0.5 * np.clip(np.nan_to_num(values) / (limit or 1.0), -1, 1) * 0.6  # at most 60 % of the map
    colours = cmap(unit)
    colours[np.isnan(values)] = (0.94, 0.94, 0.94, 1.0)
    return colours


def show_window_step(image: object, kernel: object, row: int, column: int) -> Figure:
    """One step of the sliding window: the image with the window, the kernel, the products, the output so far.

    ``correlate2d(image, kernel, mode="valid")`` computed by hand: the window of the image under
    the kernel at output position (``row``, ``column``), the kernel, their element-by-element products
    (the sum written under them), and the output filled in up to this position in reading order
    (row by row), the current cell outlined.

    Examples
    --------
    >>> fig = show_window_step(np.arange(25).reshape(5, 5), np.ones((3, 3)), 1, 2)
    >>> [ax.get_title() for ax in fig.axes]
    ['image', 'kernel', 'window x kernel', 'output (valid)']
    >>> fig.axes[2].get_xlabel()
    'sum = 117'
    >>> plt.close(fig)
    """
    x = as_numeric_array(image, "image", "show_window_step").astype(np.float64)
    k = as_numeric_array(kernel, "kernel", "show_window_step").astype(np.float64)
    if x.ndim != 2 or k.ndim != 2:
        raise ValueError(f"show_window_step: image and kernel must be 2-D; got shapes {x.shape} and {k.shape}")
    out_rows, out_columns = x.shape[0] - k.shape[0] + 1, x.shape[1] - k.shape[1] + 1
    if out_rows < 1 or out_columns < 1:
        raise ValueError(f"show_window_step: the kernel {k.shape} must fit in the image {x.shape}")
    if not (0 <= row < out_rows and 0 <= column < out_columns):
        raise ValueError(
            f"show_window_step: (row, column) must be an output position in 0..{out_rows - 1}, "
            f"0..{out_columns - 1}; got {(row, column)}"
        )
    kh, kw = k.shape
    window = x[row : row + kh, column : column + kw]
    products = window * k
    output = correlate2d(x, k, mode="valid")
    so_far = np.full(output.shape, np.nan)
    done = row * out_columns + column + 1
    so_far.ravel()[:done] = output.ravel()[:done]

    fig, axes = plt.subplots(1, 4, figsize=(8.6, 3.0), width_ratios=[x.shape[1], kw, kw, out_columns])
    image_colours = np.ones((*x.shape, 4))
    image_colours[..., :3] = 0.97
    image_colours[row : row + kh, column : column + kw, :3] = (1.0, 0.88, 0.6)  # the window, pale orange
    _number_grid(axes[0], x, image_colours, "image")
    axes[0].add_patch(
        plt.Rectangle((column - 0.5, row - 0.5), kw, kh, fill=False, edgecolor=PALETTE[3], linewidth=3, clip_on=False)
    )
    _number_grid(axes[1], k, _signed_colours(k, float(np.abs(k).max())), "kernel")
    _number_grid(axes[2], products, _signed_colours(products, float(np.abs(products).max())), "window x kernel")
    total = float(products.sum())
    axes[2].set_xlabel(f"sum = {total:g}" if total.is_integer() else f"sum = {total:.3f}", fontsize=13)
    limit = float(np.nanmax(np.abs(output))) or 1.0
    _number_grid(axes[3], so_far, _signed_colours(so_far, limit), "output (valid)")
    axes[3].add_patch(
        plt.Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False, edgecolor=PALETTE[3], linewidth=3, clip_on=False)
    )
    fig.tight_layout(w_pad=1.5)
    return fig



"""Figures for notebook 02: kernels drawn as small tables of numbers, and what each does to a photograph.

:func:`show_kernel` is the one kernel picture of the book: notebook 05's figures (:mod:`convlib.book.figures.cnn`)
draw their learned kernels with it too.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from convlib.book.figures.common import frame, show_image
from convlib.convolution import correlate2d
from convlib.validation import as_numeric_array, check_choice

#: The two ways :func:`show_kernel` writes the weights in: ``"learned"`` for trained kernels
#: (notebook 05), ``"gallery"`` for hand-made ones (notebook 02).
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
            size = 9 if small else 7
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


def show_kernel_gallery(
    image: np.ndarray, kernels: Mapping[str, np.ndarray], boundary: str = "symmetric", size: float = 2.2
) -> Figure:
    """One column per kernel: the kernel's weights above, ``correlate2d(image, kernel, "same")`` below.

    Results of kernels that sum to 1 are shown in gray on 0..1; those of kernels summing to 0
    (edge detectors) on a diverging map centred on 0, because their values are signed.

    Examples
    --------
    >>> fig = show_kernel_gallery(np.eye(8), {"identity": np.array([[1.0]])})
    >>> plt.close(fig)
    """
    fig, axes = plt.subplots(2, len(kernels), figsize=(size * len(kernels), 2 * size), squeeze=False)
    for column, (name, kernel) in enumerate(kernels.items()):
        show_kernel(axes[0, column], kernel, name, annotate=max(np.shape(kernel)) <= 5, style="gallery")
        result = correlate2d(image, kernel, mode="same", boundary=boundary)
        signed = abs(float(np.sum(kernel))) < 1e-9
        show_image(axes[1, column], result if signed else np.clip(result, 0, 1), signed=signed)
    fig.tight_layout()
    return fig

"""Figures for notebook 02: kernels drawn as small tables of numbers, and what each does to a photograph."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from convlib.convolution import correlate2d
from convlib.plotting import show_image


def show_kernel(ax: Axes, kernel: np.ndarray, title: str = "") -> None:
    """Draw a kernel as a grid of its weights on a diverging colour map (white is 0).

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> show_kernel(ax, np.array([[0.0, -1.0], [1.0, 0.5]]), "k")
    >>> plt.close(fig)
    """
    kernel = np.asarray(kernel, dtype=float)
    limit = float(np.max(np.abs(kernel))) or 1.0
    ax.imshow(kernel, cmap="RdBu_r", vmin=-limit, vmax=limit)
    small = max(kernel.shape) > 3
    for (row, column), value in np.ndenumerate(kernel):
        if max(kernel.shape) > 5:
            break  # too many to label
        colour = "white" if abs(value) > 0.6 * limit else "black"  # readable on dark cells
        label = f"{value:.2f}".rstrip("0").rstrip(".") if small else f"{value:.3g}"
        ax.text(column, row, label, ha="center", va="center", fontsize=7 if small else 9, color=colour)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=10)


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
        show_kernel(axes[0, column], kernel, name)
        result = correlate2d(image, kernel, mode="same", boundary=boundary)
        signed = abs(float(np.sum(kernel))) < 1e-9
        show_image(axes[1, column], result if signed else np.clip(result, 0, 1), signed=signed)
    fig.tight_layout()
    return fig

"""Figures the notebooks share: signals as stems, images with honest colour scales.

Every function draws with matplotlib and returns the ``Figure`` (or draws on an ``Axes`` it is
given), so a notebook cell stays one line long.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from convlib.book.style import SIGNED_CMAP, signed_limit


def stem(ax: Axes, values: object, start: int = 0, label: str | None = None, color: str = "C0") -> None:
    """Draw samples as a stem plot (one lollipop per sample) starting at index ``start``.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> stem(ax, [1, 2, 3], label="x")
    >>> plt.close(fig)
    """
    values = np.asarray(values, dtype=float)
    positions = np.arange(start, start + values.size)
    markers, stems, _baseline = ax.stem(positions, values, label=label, basefmt=" ")
    plt.setp([markers, stems], color=color)
    ax.axhline(0, color="0.6", lw=0.8)


def frame(ax: Axes) -> None:
    """No ticks; a thin gray frame on all four sides (the notebook style hides only two).

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> frame(ax)
    >>> ax.get_xticks().size, ax.spines["top"].get_visible()
    (0, True)
    >>> plt.close(fig)
    """
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
        spine.set_color("0.75")


def show_image(ax: Axes, image: np.ndarray, title: str = "", signed: bool = False) -> None:
    """Show one image honestly: gray 0..1 for an image; a diverging map centred on 0 for a signed result.

    ``signed=True`` uses the diverging :data:`~convlib.book.style.SIGNED_CMAP` centred on zero, with
    limits at the 99th percentile of ``|image|`` (:func:`~convlib.book.style.signed_limit`), so zero is
    white, positive red and negative blue, and a few extreme pixels do not wash the rest out.
    Otherwise gray with ``vmin=0, vmax=1`` (values are not stretched).

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> show_image(ax, np.eye(3), "identity")
    >>> plt.close(fig)
    """
    if signed:
        limit = signed_limit(image)
        shown = ax.imshow(image, cmap=SIGNED_CMAP, vmin=-limit, vmax=limit)
        ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
    elif np.ndim(image) == 3:
        ax.imshow(np.clip(image, 0, 1))
    else:
        ax.imshow(image, cmap="gray", vmin=0, vmax=1)
    ax.set_title(title)
    ax.set_axis_off()


def show_images(images: Mapping[str, np.ndarray], columns: int = 3, size: float = 2.8, signed: bool = False) -> Figure:
    """A grid of titled images (see :func:`show_image`), at most 8.6 inches (860 px) wide.

    Examples
    --------
    >>> fig = show_images({"a": np.zeros((4, 4)), "b": np.ones((4, 4))})
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    rows = -(-len(images) // columns)
    columns = min(columns, len(images))
    size = min(size, 8.6 / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows), squeeze=False)
    for ax in axes.flat[len(images) :]:
        ax.set_axis_off()
    for ax, (title, image) in zip(axes.flat, images.items()):
        show_image(ax, image, title, signed=signed)
    fig.tight_layout()
    return fig

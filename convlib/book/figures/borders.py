"""Figures for notebook 03 (the border problem): padded rows and corners, impulse responses, profiles.

Every function draws with matplotlib and returns the ``Figure``, so a notebook cell stays short.
Pad cells are drawn so that they cannot be mistaken for the image: a dashed outline for a
padded row's extra samples, a coloured frame around the original image in a padded picture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convlib.padding import MODE_NAMES, PAD_MODES, pad
from convlib.validation import as_numeric_array, check_positive_int

__all__ = [
    "format_table",
    "markdown_table",
    "show_corners",
    "show_edge_profiles",
    "show_impulse_responses",
    "show_padded_corners",
    "show_padded_row",
]

_IMAGE_COLOUR = "#cfe2f3"  # light blue: the samples that are really there
_PAD_COLOUR = "#fde9c9"  # light orange: samples a border rule made up
_FRAME_COLOUR = "C1"


def _check_modes(modes: Sequence[str], function: str) -> list[str]:
    modes = list(modes)
    if not modes:
        raise ValueError(f"{function}: modes must name at least one of {PAD_MODES}; got an empty list")
    for mode in modes:
        if mode not in PAD_MODES:
            raise ValueError(f"{function}: modes must be among {PAD_MODES}; got {mode!r}")
    return modes


def show_padded_row(row: object, width: int, modes: Sequence[str] = PAD_MODES) -> Figure:
    """One row of numbers padded by ``width`` on each side in each mode, one line per mode.

    The original samples are blue, the made-up ones orange with a dashed outline. To the right
    of each line: what scipy.ndimage, PyTorch and OpenCV call that mode (from
    :data:`convlib.padding.MODE_NAMES`; "torch: none" where PyTorch has no such mode).

    Parameters
    ----------
    row : array_like, shape (N,)
        Short row of numbers (printed in the cells, so keep them small).
    width : int
        Samples added on each side (>= 1).
    modes : sequence of str
        Modes of :data:`convlib.padding.PAD_MODES`, top to bottom.

    Examples
    --------
    >>> fig = show_padded_row([1, 2, 3, 4], 2)
    >>> len(fig.axes)
    1
    >>> plt.close(fig)
    """
    values = as_numeric_array(row, "row", "show_padded_row")
    if values.ndim != 1 or values.size == 0:
        raise ValueError(f"show_padded_row: row must be 1-D and not empty; got shape {values.shape}")
    width = check_positive_int(width, "width", "show_padded_row")
    modes = _check_modes(modes, "show_padded_row")
    n = values.size
    fig, ax = plt.subplots(figsize=(0.5 * (n + 2 * width) + 5.2, 0.55 * len(modes) + 0.5))
    for line, mode in enumerate(modes):
        padded = pad(values, width, mode)
        for position, value in enumerate(padded):
            inside = width <= position < width + n
            ax.add_patch(
                Rectangle(
                    (position - width - 0.45, -line - 0.4), 0.9, 0.8,
                    facecolor=_IMAGE_COLOUR if inside else _PAD_COLOUR,
                    edgecolor="0.3", linestyle="-" if inside else "--", linewidth=1,
                )
            )  # fmt: skip
            ax.text(position - width, -line, f"{value:g}", ha="center", va="center", fontsize=10)
        names = MODE_NAMES[mode]
        torch_name = f"torch '{names['torch']}'" if names["torch"] else "torch: none"
        others = f"ndimage '{names['scipy.ndimage']}' · {torch_name} · {names['opencv']}"
        ax.text(-width - 0.8, -line, mode, ha="right", va="center", fontsize=11, fontweight="bold")
        ax.text(n + width - 0.3, -line, others, ha="left", va="center", fontsize=9, color="0.35")
    ax.set_xlim(-width - 3.2, n + width + 5.6)
    ax.set_ylim(-len(modes) + 0.4, 0.6)
    ax.set_axis_off()
    ax.set_title(f"padding {n} samples by {width} on each side (orange: made up by the border rule)", fontsize=10)
    fig.tight_layout()
    return fig


def show_padded_corners(image: object, width: int, corner: int = 12, modes: Sequence[str] = PAD_MODES) -> Figure:
    """The top-left corner of ``image``, padded by ``width`` in each mode and magnified.

    The whole image is padded (so ``"wrap"`` really brings in the bottom and right edges), then
    the top-left ``corner + width`` pixels are shown; the original image is framed in orange.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Grayscale, values in 0..1.
    width : int
        Pad width (>= 1).
    corner : int
        How many of the image's own rows and columns to show.
    modes : sequence of str

    Examples
    --------
    >>> fig = show_padded_corners(np.linspace(0, 1, 100).reshape(10, 10), 3, corner=4)
    >>> len(fig.axes)
    5
    >>> plt.close(fig)
    """
    picture = as_numeric_array(image, "image", "show_padded_corners")
    if picture.ndim != 2:
        raise ValueError(f"show_padded_corners: image must be 2-D (H, W); got shape {picture.shape}")
    width = check_positive_int(width, "width", "show_padded_corners")
    corner = check_positive_int(corner, "corner", "show_padded_corners")
    modes = _check_modes(modes, "show_padded_corners")
    fig, axes = plt.subplots(1, len(modes), figsize=(2.1 * len(modes), 2.5), squeeze=False)
    for ax, mode in zip(axes[0], modes):
        padded = pad(picture, width, mode)[: width + corner, : width + corner]
        ax.imshow(padded, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.add_patch(
            Rectangle((width - 0.5, width - 0.5), corner + 1, corner + 1, fill=False, edgecolor=_FRAME_COLOUR, lw=2)
        )
        ax.set_title(mode)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"top-left corner, padded by {width} (orange frame: the image's own pixels)", fontsize=10)
    fig.tight_layout()
    return fig


def show_corners(
    images: Mapping[str, np.ndarray], corner: int = 10, where: str = "bottom right", signed: bool = False
) -> Figure:
    """Each image (top row) and a magnified corner of it with a pixel grid (bottom row).

    Parameters
    ----------
    images : mapping of str to array (H, W)
        Titles and images; gray 0..1 unless ``signed``.
    corner : int
        Side of the magnified square, in pixels.
    where : {"bottom right", "top left", "top right", "bottom left"}
        Which corner to magnify; it is outlined on the full image.
    signed : bool
        Show with a diverging colour map centred on 0 instead of gray 0..1.

    Examples
    --------
    >>> fig = show_corners({"a": np.zeros((20, 20)), "b": np.ones((20, 20))}, corner=5)
    >>> len(fig.axes)
    4
    >>> plt.close(fig)
    """
    corners = ("bottom right", "top left", "top right", "bottom left")
    if where not in corners:
        raise ValueError(f"show_corners: where must be one of {corners}; got {where!r}")
    corner = check_positive_int(corner, "corner", "show_corners")
    if not images:
        raise ValueError("show_corners: images must hold at least one image")
    fig, axes = plt.subplots(2, len(images), figsize=(2.7 * len(images), 5.0), squeeze=False)
    for column, (title, image) in enumerate(images.items()):
        image = np.asarray(image, dtype=float)
        height, width = image.shape
        rows = slice(height - corner, height) if where.startswith("bottom") else slice(0, corner)
        columns = slice(width - corner, width) if where.endswith("right") else slice(0, corner)
        if signed:
            limit = float(np.abs(image).max()) or 1.0
            style = {"cmap": "RdBu_r", "vmin": -limit, "vmax": limit}
        else:
            style = {"cmap": "gray", "vmin": 0, "vmax": 1}
        top, bottom = axes[0, column], axes[1, column]
        top.imshow(image, interpolation="nearest", **style)
        top.add_patch(
            Rectangle((columns.start - 0.5, rows.start - 0.5), corner, corner, fill=False, edgecolor=_FRAME_COLOUR)
        )
        top.set_title(title, fontsize=10)
        bottom.imshow(image[rows, columns], interpolation="nearest", **style)
        bottom.set_xticks(np.arange(-0.5, corner, 1), minor=True)
        bottom.set_yticks(np.arange(-0.5, corner, 1), minor=True)
        bottom.grid(which="minor", color="0.5", linewidth=0.4)
        bottom.tick_params(which="both", length=0)
        bottom.set_xticks([])
        bottom.set_yticks([])
        bottom.set_title(f"{where} {corner}×{corner}", fontsize=9)
        top.set_axis_off()
    fig.tight_layout()
    return fig


def show_impulse_responses(responses: Mapping[str, np.ndarray], impulse: tuple[int, int]) -> Figure:
    """Small images of each function's response to one impulse, numbers in the cells.

    The impulse's position is outlined in red, so you can see which kernel weight lands on it
    and where each library put the rest.

    Parameters
    ----------
    responses : mapping of str to array (H, W)
        Titles and outputs (all the same shape).
    impulse : (int, int)
        Row and column of the input's single 1.

    Examples
    --------
    >>> fig = show_impulse_responses({"x": np.eye(4)}, (1, 1))
    >>> plt.close(fig)
    """
    if not responses:
        raise ValueError("show_impulse_responses: responses must hold at least one output")
    columns = min(len(responses), 3)
    rows = -(-len(responses) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.0 * columns, 3.1 * rows), squeeze=False)
    for ax in axes.flat[len(responses) :]:
        ax.set_axis_off()
    for ax, (title, response) in zip(axes.flat, responses.items()):
        response = np.asarray(response, dtype=float)
        limit = float(np.abs(response).max()) or 1.0
        ax.imshow(response, cmap="Blues", vmin=0, vmax=limit * 1.6)
        for (row, column), value in np.ndenumerate(response):
            if value:
                ax.text(column, row, f"{value:g}", ha="center", va="center", fontsize=8)
        ax.add_patch(Rectangle((impulse[1] - 0.5, impulse[0] - 0.5), 1, 1, fill=False, edgecolor="red", lw=2))
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def show_edge_profiles(
    profiles: Mapping[str, np.ndarray], reference: float | None = None, xlabel: str = "distance from the border"
) -> Figure:
    """Line plots of a quantity against the distance from the border, one line per mode.

    Parameters
    ----------
    profiles : mapping of str to array (M,)
        Label and values at distance 0, 1, ... from the border.
    reference : float, optional
        A dashed horizontal line (e.g. the true brightness).
    xlabel : str

    Examples
    --------
    >>> fig = show_edge_profiles({"constant": np.array([0.5, 0.8, 1.0])}, reference=1.0)
    >>> plt.close(fig)
    """
    fig, ax = plt.subplots(figsize=(7, 3))
    for label, values in profiles.items():
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(values.size), values, marker="o", ms=3, label=label)
    if reference is not None:
        ax.axhline(reference, color="k", linestyle=":", linewidth=1, label="true value")
    ax.set_xlabel(xlabel)
    ax.legend(fontsize=9, ncol=2)
    fig.tight_layout()
    return fig


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with aligned columns (what a notebook prints, so nbval can compare it).

    Examples
    --------
    >>> print(format_table(["a", "bb"], [[1, "x"], [22, None]]))
    a   bb
    --  --
    1   x
    22  —
    """
    cells = [[str(h) for h in header]] + [["—" if value is None else str(value) for value in row] for row in rows]
    if any(len(row) != len(header) for row in cells):
        raise ValueError("format_table: every row must have as many cells as the header")
    widths = [max(len(row[column]) for row in cells) for column in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table (for ``IPython.display.Markdown``); ``None`` cells show as a dash.

    Examples
    --------
    >>> print(markdown_table(["mode", "numpy"], [["wrap", "`wrap`"], ["x", None]]))
    | mode | numpy |
    |---|---|
    | wrap | `wrap` |
    | x | — |
    """
    if any(len(row) != len(header) for row in rows):
        raise ValueError("markdown_table: every row must have as many cells as the header")
    lines = ["| " + " | ".join(map(str, header)) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append("| " + " | ".join("—" if value is None else str(value) for value in row) + " |")
    return "\n".join(lines)

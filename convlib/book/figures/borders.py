"""Figures for notebook 03 (borders and output size) and appendix A1 (padding names across libraries).

Every function draws with matplotlib and returns the ``Figure``, so a notebook cell stays short.
Made-up samples are drawn so that they cannot be mistaken for the image: light orange with a
dashed outline in a row or grid of numbers, outside an orange frame in a padded picture. Sizes fit
a projector (at most 8.6 × 5.6 inches at 100 dpi; text at least 12 pt, index labels 11 pt).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convlib.convolution import correlate2d
from convlib.padding import PAD_MODES, pad
from convlib.sizes import output_size
from convlib.validation import as_numeric_array, check_positive_int

__all__ = [
    "format_table",
    "markdown_table",
    "show_border_problem",
    "show_edge_profiles",
    "show_first_attempt",
    "show_padded_corners",
    "show_padded_row",
    "show_same_slices",
    "show_windows_1d",
]

_IMAGE_COLOUR = "#cfe2f3"  # light blue: the samples that are really there
_PAD_COLOUR = "#fde9c9"  # light orange: samples a border rule made up
_OUTPUT_COLOUR = "#c2ebdf"  # light green: output samples
_FRAME_COLOUR = "#E69F00"  # orange (Okabe-Ito)
_TAP_COLOUR = "#0072B2"  # blue (Okabe-Ito)


def _check_modes(modes: Sequence[str], function: str) -> list[str]:
    modes = list(modes)
    if not modes:
        raise ValueError(f"{function}: modes must name at least one of {PAD_MODES}; got an empty list")
    for mode in modes:
        if mode not in PAD_MODES:
            raise ValueError(f"{function}: modes must be among {PAD_MODES}; got {mode!r}")
    return modes


def _cell(ax: Axes, x: float, y: float, text: str, face: str, dashed: bool = False, size: float = 0.9) -> None:
    """One square cell centred on (x, y) with ``text`` in it."""
    ax.add_patch(
        Rectangle((x - size / 2, y - size / 2), size, size, facecolor=face, edgecolor="0.3",
                  linestyle="--" if dashed else "-", linewidth=1)
    )  # fmt: skip
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=12)


def show_border_problem(image: object, kernel: object) -> Figure:
    """A small integer image with the kernel's window centred on its corner pixel, and its ``"valid"`` output.

    Left: the image, one ring of "?" cells around it (what the window needs and the image does
    not have) and the window centred on pixel (0, 0), framed. Right: the ``"valid"`` correlation
    drawn at the pixels it belongs to; the ring where no window fits is left empty.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Small whole numbers (they are printed in the cells).
    kernel : array_like, shape (K, K)
        An odd, square kernel.

    Examples
    --------
    >>> fig = show_border_problem(np.arange(25).reshape(5, 5), np.ones((3, 3)))
    >>> [ax.get_title() for ax in fig.axes]
    ['input 5×5: the window on pixel (0, 0)', "'valid' output 3×3"]
    >>> plt.close(fig)
    """
    picture = as_numeric_array(image, "image", "show_border_problem")
    weights = as_numeric_array(kernel, "kernel", "show_border_problem")
    if picture.ndim != 2 or weights.ndim != 2 or weights.shape[0] != weights.shape[1] or weights.shape[0] % 2 == 0:
        raise ValueError("show_border_problem: image must be 2-D and kernel square with an odd side")
    height, width = picture.shape
    r = weights.shape[0] // 2
    valid = correlate2d(picture, weights, "valid")
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.2, 4.3))
    for i in range(-r, height + r):
        for j in range(-r, width + r):
            inside = 0 <= i < height and 0 <= j < width
            _cell(left, j, i, f"{picture[i, j]:g}" if inside else "?", _IMAGE_COLOUR if inside else _PAD_COLOUR,
                  dashed=not inside)  # fmt: skip
    left.add_patch(Rectangle((-r - 0.5, -r - 0.5), 2 * r + 1, 2 * r + 1, fill=False, edgecolor=_TAP_COLOUR, lw=3))
    left.set_title(f"input {height}×{width}: the window on pixel (0, 0)")
    for i in range(height):
        for j in range(width):
            fits = r <= i < height - r and r <= j < width - r
            text = f"{valid[i - r, j - r]:g}" if fits else ""
            _cell(right, j, i, text, _OUTPUT_COLOUR if fits else "white", dashed=not fits)
    right.set_title(f"'valid' output {valid.shape[0]}×{valid.shape[1]}")
    for ax in (left, right):
        ax.set_xlim(-r - 0.6, width + r - 0.4)
        ax.set_ylim(height + r - 0.4, -r - 0.6)
        ax.set_aspect("equal")
        ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_first_attempt(result: object, corner: int = 12) -> Figure:
    """A loop's result on a photograph, and its bottom-right corner magnified (two panels in a row).

    Examples
    --------
    >>> fig = show_first_attempt(np.zeros((20, 20)), corner=5)
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    output = np.asarray(result, dtype=float)
    corner = check_positive_int(corner, "corner", "show_first_attempt")
    height, width = output.shape
    fig, axes = plt.subplots(1, 2, figsize=(8.6, 4.5))
    axes[0].imshow(output, cmap="gray", vmin=0, vmax=1)
    axes[0].add_patch(
        Rectangle((width - corner - 0.5, height - corner - 0.5), corner, corner, fill=False, edgecolor=_FRAME_COLOUR,
                  lw=2)
    )  # fmt: skip
    axes[0].set_title("the loop's output")
    axes[0].set_axis_off()
    axes[1].imshow(output[-corner:, -corner:], cmap="gray", vmin=0, vmax=1)
    axes[1].set_xticks(np.arange(-0.5, corner, 1), minor=True)
    axes[1].set_yticks(np.arange(-0.5, corner, 1), minor=True)
    axes[1].grid(which="minor", color="0.5", linewidth=0.5)
    axes[1].tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    for spine in axes[1].spines.values():
        spine.set_edgecolor(_FRAME_COLOUR)
        spine.set_linewidth(2)
    axes[1].set_title(f"its bottom-right {corner}×{corner}, magnified")
    fig.tight_layout(w_pad=1.5)
    return fig


def show_padded_row(row: object, width: int, modes: Sequence[str] = PAD_MODES) -> Figure:
    """One row of numbers padded by ``width`` on each side in each mode, one line per mode.

    The row's own samples are blue; the made-up ones orange with a dashed outline. The cell
    indices run along the top (negative to the left of the row), so each made-up sample can be
    traced to the sample it copies.

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
    fig, ax = plt.subplots(figsize=(min(0.62 * (n + 2 * width) + 2.2, 8.6), 0.62 * len(modes) + 0.9))
    for position in range(-width, n + width):
        ax.text(position, 0.85, str(position), ha="center", va="center", fontsize=11, color="0.35")
    for line, mode in enumerate(modes):
        padded = pad(values, width, mode)
        for position, value in enumerate(padded):
            inside = width <= position < width + n
            _cell(ax, position - width, -line, f"{value:g}", _IMAGE_COLOUR if inside else _PAD_COLOUR, not inside)
        ax.text(-width - 0.8, -line, mode, ha="right", va="center", fontsize=13, fontweight="bold")
    ax.text(-width - 0.8, 0.85, "index", ha="right", va="center", fontsize=11, color="0.35")
    ax.set_xlim(-width - 3.3, n + width - 0.4)
    ax.set_ylim(-len(modes) + 0.4, 1.2)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def show_padded_corners(
    image: object, width: int, corner: int | tuple[int, int] = 12,
    modes: Sequence[str] = ("constant", "edge", "symmetric", "wrap"),
) -> Figure:  # fmt: skip
    """The top-left corner of ``image``, padded by ``width`` in each mode and magnified, two panels a row.

    The whole image is padded (so ``"wrap"`` really brings in the bottom and right edges), then
    the top-left ``width + rows`` by ``width + columns`` pixels are shown; the image's own pixels
    are framed in orange.

    Parameters
    ----------
    image : array_like, shape (H, W)
        Grayscale, values in 0..1.
    width : int
        Pad width (>= 1).
    corner : int or (int, int)
        How many of the image's own rows and columns to show (one number: as many of each).
    modes : sequence of str
        At most four, two a row, so that each panel is large enough to read.

    Examples
    --------
    >>> fig = show_padded_corners(np.linspace(0, 1, 100).reshape(10, 10), 3, corner=(4, 6))
    >>> len(fig.axes)
    4
    >>> plt.close(fig)
    """
    picture = as_numeric_array(image, "image", "show_padded_corners")
    if picture.ndim != 2:
        raise ValueError(f"show_padded_corners: image must be 2-D (H, W); got shape {picture.shape}")
    width = check_positive_int(width, "width", "show_padded_corners")
    rows, columns = (corner, corner) if isinstance(corner, (int, np.integer)) else corner
    rows = check_positive_int(rows, "corner", "show_padded_corners")
    columns = check_positive_int(columns, "corner", "show_padded_corners")
    modes = _check_modes(modes, "show_padded_corners")
    if len(modes) > 4:
        raise ValueError(f"show_padded_corners: at most 4 modes fit (two a row); got {len(modes)}")
    grid_rows = -(-len(modes) // 2)
    grid_columns = min(len(modes), 2)
    panel_width = 4.1
    panel_height = panel_width * (width + rows) / (width + columns) + 0.35
    fig, axes = plt.subplots(
        grid_rows, grid_columns, figsize=(panel_width * grid_columns + 0.2, min(panel_height * grid_rows, 5.4)),
        squeeze=False, layout="constrained",
    )  # fmt: skip
    for ax in axes.flat[len(modes) :]:
        ax.set_axis_off()
    for ax, mode in zip(axes.flat, modes):
        padded = pad(picture, width, mode)[: width + rows, : width + columns]
        ax.imshow(padded, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
        ax.add_patch(
            Rectangle((width - 0.5, width - 0.5), columns + 1, rows + 1, fill=False, edgecolor=_FRAME_COLOUR, lw=3)
        )
        ax.set_title(mode)
        ax.set_axis_off()
    return fig


def show_edge_profiles(
    profiles: Mapping[str, np.ndarray], reference: float | None = None, xlabel: str = "distance from the border",
    ylabel: str = "",
) -> Figure:  # fmt: skip
    """Line plots of a quantity against the distance from the border, one line per mode.

    Parameters
    ----------
    profiles : mapping of str to array (M,)
        Label and values at distance 0, 1, ... from the border.
    reference : float, optional
        A dashed horizontal line (e.g. the true brightness).
    xlabel, ylabel : str

    Examples
    --------
    >>> fig = show_edge_profiles({"constant": np.array([0.5, 0.8, 1.0])}, reference=1.0)
    >>> plt.close(fig)
    """
    fig, ax = plt.subplots(figsize=(8.2, 3.8))
    styles = ["-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1))]
    for index, (label, values) in enumerate(profiles.items()):
        values = np.asarray(values, dtype=float)
        ax.plot(np.arange(values.size), values, marker="o", ms=4, linestyle=styles[index % len(styles)], label=label)
    if reference is not None:
        ax.axhline(reference, color="k", linestyle=":", linewidth=1, label="true value")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.tight_layout()
    return fig


def show_windows_1d(n: int, cases: Sequence[Mapping[str, int]]) -> Figure:
    """Every window position of a 1-D slide, stepped, for a few settings of kernel, stride, padding, dilation.

    Each panel draws the padded input, each cell labelled with its index (padding cells, which
    hold 0, orange and dashed), and below it one line per output sample: the taps it reads (dots)
    joined over the dilated kernel's span. Counting the lines gives the output size, which the
    panel's title states.

    Parameters
    ----------
    n : int
        Input samples.
    cases : sequence of mappings
        Each with ``kernel_size`` and optionally ``stride``, ``padding``, ``dilation`` (defaults
        1, 0, 1). Two to four cases.

    Examples
    --------
    >>> fig = show_windows_1d(5, [{"kernel_size": 3}, {"kernel_size": 3, "stride": 2}])
    >>> [ax.get_title() for ax in fig.axes]
    ['K = 3: 3 windows', 'K = 3, S = 2: 2 windows']
    >>> plt.close(fig)
    """
    n = check_positive_int(n, "n", "show_windows_1d")
    if not 1 <= len(cases) <= 4:
        raise ValueError(f"show_windows_1d: cases must hold 1 to 4 settings; got {len(cases)}")
    columns = min(len(cases), 2)
    rows = -(-len(cases) // columns)
    settings = []
    for case in cases:
        k = check_positive_int(case["kernel_size"], "kernel_size", "show_windows_1d")
        s, p, d = case.get("stride", 1), case.get("padding", 0), case.get("dilation", 1)
        settings.append((k, s, p, d, output_size(n, k, s, p, d)))
    heights = [max(size for *_, size in settings[r * columns : (r + 1) * columns]) + 1.8 for r in range(rows)]
    fig, axes = plt.subplots(
        rows, columns, figsize=(8.6, min(0.36 * sum(heights) + 0.45 * rows, 5.6)), squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )  # fmt: skip
    for ax in axes.flat[len(cases) :]:
        ax.set_axis_off()
    widest = max(n + 2 * p for _, _, p, _, _ in settings)
    left_end = -(widest - n) / 2
    for index, (ax, (k, s, p, d, size)) in enumerate(zip(axes.flat, settings)):
        for position in range(-p, n + p):
            inside = 0 <= position < n
            label = str(position).replace("-", "−")  # a padding cell shows its index too (it holds 0)
            _cell(ax, position, 0, label, _IMAGE_COLOUR if inside else _PAD_COLOUR, dashed=not inside, size=0.86)
        for o in range(size):
            y = 1.05 + 0.75 * o
            taps = o * s - p + d * np.arange(k)
            ax.plot([taps[0], taps[-1]], [y, y], color="0.55", lw=2, zorder=1)
            on_padding = (taps < 0) | (taps >= n)
            ax.scatter(taps[~on_padding], np.full((~on_padding).sum(), y), s=42, color=_TAP_COLOUR, zorder=2)
            ax.scatter(taps[on_padding], np.full(on_padding.sum(), y), s=42, color=_FRAME_COLOUR, zorder=2)
            ax.text(left_end - 0.8, y, f"y[{o}]", ha="right", va="center", fontsize=12)
        parts = [f"K = {k}"] + [f"{name} = {v}" for name, v, default in (("S", s, 1), ("P", p, 0), ("D", d, 1))
                                if v != default]  # fmt: skip
        ax.set_title(f"{', '.join(parts)}: {size} windows", fontsize=12)
        ax.set_xlim(left_end - 2.2, n - left_end - 0.3)
        ax.set_ylim(1.05 + 0.75 * (heights[index // columns] - 1.8) + 0.1, -0.6)
        ax.set_axis_off()
    fig.tight_layout(h_pad=0.4, w_pad=1.0)
    return fig


def show_same_slices(
    full: object, n: int, starts: Mapping[str, int], mark: int, notes: Mapping[str, str] | None = None
) -> Figure:
    """The ``"full"`` result as a row of cells, and below it which ``n`` of them each ``"same"`` keeps.

    Each kept row has its output indices ``0 … n-1`` printed above it, so the outlined cell
    (index ``mark``) can be found without counting.

    Parameters
    ----------
    full : array_like, shape (M,)
        The ``"full"`` result (small numbers: they are printed).
    n : int
        The input's length: how many samples ``"same"`` keeps.
    starts : mapping of str to int
        A label (e.g. a function's name) and the index of ``full`` where its ``"same"`` starts.
    mark : int
        An output index to outline in every ``"same"`` row (e.g. where the input's impulse was).
    notes : mapping of str to str, optional
        Text written to the right of a row (e.g. which kernel tap the outlined cell holds).

    Examples
    --------
    >>> fig = show_same_slices([0, 1, 2, 3, 4, 0, 0], 4, {"a": 1, "b": 2}, mark=1, notes={"a": "tap 1"})
    >>> plt.close(fig)
    """
    values = as_numeric_array(full, "full", "show_same_slices")
    n = check_positive_int(n, "n", "show_same_slices")
    notes = dict(notes or {})
    step = 1.6  # rows of cells are this far apart, leaving a line for the indices
    fig, ax = plt.subplots(figsize=(8.6, 0.62 * step * len(starts) + 1.3))
    for index, value in enumerate(values):
        _cell(ax, index, 0, f"{value:g}", _OUTPUT_COLOUR)
    ax.text(-0.8, 0, "'full'", ha="right", va="center", fontsize=12, fontweight="bold")
    for line, (label, start) in enumerate(starts.items(), start=1):
        y = -step * line
        ax.text(start - 0.8, y + 0.75, "index", ha="right", va="center", fontsize=11, color="0.35")
        for i in range(n):
            _cell(ax, start + i, y, f"{values[start + i]:g}", _IMAGE_COLOUR)
            ax.text(start + i, y + 0.75, str(i), ha="center", va="center", fontsize=11, color="0.35",
                    fontweight="bold" if i == mark else "normal")  # fmt: skip
        ax.add_patch(Rectangle((start + mark - 0.45, y - 0.45), 0.9, 0.9, fill=False, edgecolor=_FRAME_COLOUR,
                               lw=3))  # fmt: skip
        ax.text(-0.8, y, label, ha="right", va="center", fontsize=12)
        if label in notes:
            ax.text(start + n - 0.2, y, notes[label], ha="left", va="center", fontsize=12, color=_FRAME_COLOUR,
                    fontweight="bold")  # fmt: skip
    right_end = max(start + n for start in starts.values()) + (3.2 if notes else 0)
    ax.set_xlim(-6.6, max(values.size - 0.4, right_end))
    ax.set_ylim(-step * len(starts) - 0.6, 0.6)
    ax.set_axis_off()
    fig.tight_layout()
    return fig


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table with aligned columns (what a notebook prints, so a re-run can compare it).

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

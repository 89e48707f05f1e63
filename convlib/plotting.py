"""Figures the notebooks share: signals as stems, images with honest colour scales, the sliding kernel.

Every function draws with matplotlib and returns the ``Figure`` (or draws on an ``Axes`` it is
given), so a notebook cell stays one line long.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from convlib.convolution import convolve1d

#: Figures are stored in the notebooks: modest resolution keeps them small, large fonts keep them
#: readable on a projector.
NOTEBOOK_STYLE = {
    "figure.dpi": 72,
    "figure.figsize": (8.0, 3.0),
    "font.size": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "image.interpolation": "nearest",
}


def use_notebook_style() -> None:
    """Set matplotlib's defaults for the notebooks (resolution, size, fonts).

    Examples
    --------
    >>> use_notebook_style()
    >>> plt.rcParams["figure.dpi"]
    72.0
    """
    plt.rcParams.update(NOTEBOOK_STYLE)


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


def show_image(ax: Axes, image: np.ndarray, title: str = "", signed: bool = False) -> None:
    """Show one image honestly: gray 0..1 for an image; a diverging map centred on 0 for a signed result.

    ``signed=True`` uses the ``RdBu_r`` map with limits ``±max|image|``, so zero is white, positive
    red and negative blue. Otherwise gray with ``vmin=0, vmax=1`` (values are not stretched).

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> show_image(ax, np.eye(3), "identity")
    >>> plt.close(fig)
    """
    if signed:
        limit = float(np.max(np.abs(image))) or 1.0
        shown = ax.imshow(image, cmap="RdBu_r", vmin=-limit, vmax=limit)
        ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
    elif np.ndim(image) == 3:
        ax.imshow(np.clip(image, 0, 1))
    else:
        ax.imshow(image, cmap="gray", vmin=0, vmax=1)
    ax.set_title(title)
    ax.set_axis_off()


def show_images(images: Mapping[str, np.ndarray], columns: int = 4, size: float = 2.6, signed: bool = False) -> Figure:
    """A grid of titled images (see :func:`show_image`).

    Examples
    --------
    >>> fig = show_images({"a": np.zeros((4, 4)), "b": np.ones((4, 4))})
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    rows = -(-len(images) // columns)
    columns = min(columns, len(images))
    fig, axes = plt.subplots(rows, columns, figsize=(size * columns, size * rows), squeeze=False)
    for ax in axes.flat[len(images) :]:
        ax.set_axis_off()
    for ax, (title, image) in zip(axes.flat, images.items()):
        show_image(ax, image, title, signed=signed)
    fig.tight_layout()
    return fig


def show_flip_and_slide(signal: object, kernel: object, n: int) -> Figure:
    """Compute output sample ``n`` of the full convolution in four pictures: flip, slide, multiply, sum.

    Row 1: the signal ``x[m]``. Row 2: the kernel flipped and slid so that its first sample
    ``k[0]`` sits at ``m = n``: it shows ``k[n - m]``. Row 3: the products ``x[m] k[n - m]``.
    Row 4: the output so far, with ``y[n]``, the sum of row 3, highlighted. A dotted line marks
    ``m = n`` in rows 1 to 3 (where ``k[0]`` lands, even when it is 0 and its stem has no height).

    Examples
    --------
    >>> fig = show_flip_and_slide([1, 2, 3], [1, 0.5], 1)
    >>> plt.close(fig)
    """
    x = np.asarray(signal, dtype=float)
    k = np.asarray(kernel, dtype=float)
    y = convolve1d(x, k)
    lo, hi = -(k.size - 1), x.size + k.size - 1
    positions = np.arange(lo, hi)
    x_wide = np.array([x[m] if 0 <= m < x.size else 0.0 for m in positions])
    k_slid = np.array([k[n - m] if 0 <= n - m < k.size else 0.0 for m in positions])
    fig, axes = plt.subplots(4, 1, figsize=(8, 6.4), sharex=True)
    stem(axes[0], x_wide, lo)
    axes[0].set_ylabel("x[m]")
    stem(axes[1], k_slid, lo, color="C1")
    axes[1].set_ylabel(f"k[{n} − m]")
    stem(axes[2], x_wide * k_slid, lo, color="C2")
    axes[2].set_ylabel("product")
    for ax in axes[:3]:
        ax.axvline(n, color="0.5", linestyle=":", linewidth=1.2)
    axes[1].annotate(
        f"k[0] = {k[0]:g} at m = {n}", xy=(n, 1.0), xycoords=axes[1].get_xaxis_transform(),
        xytext=(4, -2), textcoords="offset points", ha="left", va="top", fontsize=9, color="0.35",
    )  # fmt: skip
    stem(axes[3], y[: n + 1], 0, color="C3")
    axes[3].plot([n], [y[n]], "o", ms=12, mfc="none", mec="k")
    axes[3].set_ylabel("y[n]")
    axes[3].set_xlabel("index")
    axes[3].set_xlim(lo - 0.5, hi - 0.5)
    fig.suptitle(f"y[{n}] = sum over m of x[m] · k[{n} − m] = {y[n]:g}")
    fig.tight_layout()
    return fig


def show_output_modes(signal_length: int, kernel_length: int) -> Figure:
    """Where ``"full"``, ``"same"`` and ``"valid"`` start and end, as bars over the full output's indices.

    Examples
    --------
    >>> fig = show_output_modes(8, 3)
    >>> plt.close(fig)
    """
    n, k = signal_length, kernel_length
    full = n + k - 1
    spans = {
        "full   (N + K − 1)": (0, full),
        "same   (N)": ((k - 1) // 2, (k - 1) // 2 + n),
        "valid  (N − K + 1)": (k - 1, n),
    }
    fig, ax = plt.subplots(figsize=(8, 2.2))
    for row, (name, (start, stop)) in enumerate(spans.items()):
        ax.barh(row, stop - start, left=start - 0.5, color=f"C{row}", alpha=0.7)
        ax.text(full + 0.2, row, f"{name}: {stop - start} samples", va="center")
    ax.set_yticks([])
    ax.invert_yaxis()
    ax.set_xticks(range(full))
    ax.set_xlim(-0.7, full + 6)
    ax.set_xlabel(f"index into the full output (N = {n}, K = {k})")
    fig.tight_layout()
    return fig

"""Figures for notebook 08 (shifting signals and the Neural Turing Machine's shift addressing).

The ``draw_*`` functions draw on an ``Axes`` they are given and return the artist a live view
can update (used by :class:`convlib.book.widgets.ntm_explorer.NTMShiftExplorer`); the ``show_*`` functions make
a whole ``Figure`` for a notebook cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.ticker import MaxNLocator

from convlib.book.figures.common import stem
from convlib.book.style import MAX_WIDTH_PX, PALETTE
from convlib.shifting import AddressingStages

__all__ = [
    "ATTENTION_CMAP",
    "draw_attention_map",
    "draw_weights",
    "show_addressing_stages",
    "show_attention_over_time",
    "show_shift_sensitivity",
    "show_spreading",
    "show_stems",
]

#: The width the wide figures here are drawn at, in inches at the notebooks' 100 dpi: 840 px, so that the
#: notebook's tight bounding box (which may add a few pixels) stays within :data:`MAX_WIDTH_PX`.
MAX_WIDTH_IN = (MAX_WIDTH_PX - 20) / 100

#: Colour map of the attention heat maps: 0 is dark, 1 is bright yellow.
ATTENTION_CMAP = "viridis"


def draw_weights(
    ax: Axes, weights: object, title: str | None = None, color: str = "C0", ylim: float = 1.0
) -> BarContainer:
    """Draw a weighting over memory slots as bars (slot ``i`` at x = ``i``); return the bars.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    weights : array_like, shape (N,)
    title : str, optional
    color : str
    ylim : float
        Top of the y axis (weightings are in ``[0, 1]``).

    Returns
    -------
    matplotlib.container.BarContainer
        Update it with ``bar.set_height(value)`` for each bar.

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> len(draw_weights(ax, [0.25, 0.5, 0.25], "w"))
    3
    >>> plt.close(fig)
    """
    values = np.asarray(weights, dtype=float)
    bars = ax.bar(np.arange(values.size), values, width=0.8, color=color)
    ax.set_ylim(0, ylim)
    ax.set_xlim(-0.7, values.size - 0.3)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))  # slots are whole numbers
    if title:
        ax.set_title(title)
    return bars


def draw_attention_map(ax: Axes, history: object, title: str | None = None) -> AxesImage:
    """Draw weightings over time as a heat map: row ``t`` is the weighting at step ``t``.

    Time runs down, memory slots across; the colour scale is fixed to ``[0, 1]``, so a focus that
    blurs fades as well as spreads.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    history : array_like, shape (T, N)
    title : str, optional

    Returns
    -------
    matplotlib.image.AxesImage
        Update it with ``image.set_data(new_history)`` (same shape).

    Examples
    --------
    >>> fig, ax = plt.subplots()
    >>> draw_attention_map(ax, np.eye(4)).get_array().shape
    (4, 4)
    >>> plt.close(fig)
    """
    values = np.asarray(history, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"draw_attention_map: history must be 2-D (steps, slots); got shape {values.shape}")
    image = ax.imshow(values, cmap=ATTENTION_CMAP, vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_xlabel("memory slot")
    ax.set_ylabel("step t")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if title:
        ax.set_title(title)
    return image


def show_attention_over_time(histories: Mapping[str, object], size: tuple[float, float] = (3.4, 3.4)) -> Figure:
    """Heat maps of attention over time, side by side, with one colour bar.

    Parameters
    ----------
    histories : mapping of title → array_like, shape (T, N)
    size : (float, float)
        Width and height of each panel, in inches.

    Examples
    --------
    >>> fig = show_attention_over_time({"a": np.eye(5), "b": np.eye(5)[::-1]})
    >>> len(fig.axes)  # two maps and the colour bar
    3
    >>> plt.close(fig)
    """
    count = len(histories)
    width = min(size[0], (MAX_WIDTH_IN - 0.9) / count)  # the whole figure fits a projector: at most 8.6 inches
    fig, axes = plt.subplots(1, count, figsize=(width * count + 0.9, size[1]), squeeze=False, layout="constrained")
    image = None
    for ax, (title, history) in zip(axes[0], histories.items()):
        image = draw_attention_map(ax, history, title)
    if image is not None:
        fig.colorbar(image, ax=axes[0].tolist(), label="weight", fraction=0.05)
    return fig


def show_addressing_stages(
    stages: AddressingStages, previous: object | None = None, title: str | None = None
) -> Figure:
    """One NTM addressing step as bars: (previous and) content, gated, shifted, sharpened.

    Parameters
    ----------
    stages : AddressingStages
        From ``ntm_address(..., return_stages=True)``.
    previous : array_like, shape (N,), optional
        The previous weighting, drawn as outlined bars beside the content weighting.
    title : str, optional

    Examples
    --------
    >>> from convlib.shifting import ntm_address
    >>> stages = ntm_address(np.eye(4), [0, 1, 0, 0], 20, 1, [0, 0, 1], 1, [1, 0, 0, 0], return_stages=True)
    >>> fig = show_addressing_stages(stages, previous=[1, 0, 0, 0])
    >>> len(fig.axes)
    4
    >>> plt.close(fig)
    """
    fig, axes = plt.subplots(1, 4, figsize=(MAX_WIDTH_IN, 3.0), sharey=True, layout="constrained")
    draw_weights(axes[0], stages.content, "(5)–(6) content $w^c$", color="C1")
    if previous is not None:
        values = np.asarray(previous, dtype=float)
        axes[0].bar(np.arange(values.size), values, width=0.8, fill=False, edgecolor="0.3", label="previous")
        axes[0].legend(loc="upper right")
    draw_weights(axes[1], stages.interpolated, "(7) gated $w^g$", color="C2")
    draw_weights(axes[2], stages.shifted, r"(8) shifted $\tilde w$", color="C0")
    draw_weights(axes[3], stages.sharpened, "(9) sharpened $w$", color="C3")
    for ax in axes:
        ax.set_xlabel("slot")
    if title:
        fig.suptitle(title)
    return fig


def show_stems(rows: Mapping[str, object], title: str | None = None, height: float = 1.3) -> Figure:
    """Signals stacked as stem plots, one row each, on a shared index axis.

    Examples
    --------
    >>> fig = show_stems({"x": [1, 2, 3], "y": [0, 1, 2, 3]})
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    fig, axes = plt.subplots(len(rows), 1, figsize=(8, height * len(rows) + 0.4), sharex=True, squeeze=False)
    longest = max(np.size(values) for values in rows.values())
    for index, (ax, (label, values)) in enumerate(zip(axes[:, 0], rows.items())):
        stem(ax, values, color=f"C{index}")
        ax.set_ylabel(label, rotation=0, ha="right", va="center")
        ax.set_xlim(-0.7, longest - 0.3)
    axes[-1, 0].set_xlabel("index n")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_spreading(spreads: Mapping[int, object], mean_per_step: float, variance_per_step: float) -> Figure:
    """A spike after ``T`` shifts by a fractional kernel, against the Gaussian the CLT predicts.

    Parameters
    ----------
    spreads : mapping of T → array_like
        The spike (started at index 0) after ``T`` convolutions with the kernel.
    mean_per_step, variance_per_step : float
        The kernel's mean and variance as a distribution over shifts; the Gaussian drawn for
        ``T`` has mean ``T * mean_per_step`` and variance ``T * variance_per_step``.

    Examples
    --------
    >>> fig = show_spreading({1: [0.7, 0.3], 2: [0.49, 0.42, 0.09]}, 0.3, 0.21)
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    width = min(2.4 * len(spreads) + 0.4, MAX_WIDTH_IN)
    fig, axes = plt.subplots(1, len(spreads), figsize=(width, 2.8), squeeze=False)
    for ax, (steps, values) in zip(axes[0], spreads.items()):
        values = np.asarray(values, dtype=float)
        positions = np.arange(values.size)
        mean, variance = steps * mean_per_step, steps * variance_per_step
        ax.bar(positions, values, width=0.8, color="C0", label="spike after T shifts")
        fine = np.linspace(positions[0] - 0.5, positions[-1] + 0.5, 400)
        gaussian = np.exp(-((fine - mean) ** 2) / (2 * variance)) / np.sqrt(2 * np.pi * variance)
        ax.plot(fine, gaussian, color="C3", lw=1.5, label="Gaussian")
        low, high = mean - 4 * np.sqrt(variance) - 1, mean + 4 * np.sqrt(variance) + 1
        ax.set_xlim(max(low, -0.7), min(high, values.size - 0.3))
        ax.set_title(f"T = {steps}")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))  # indices are whole numbers
        ax.set_xlabel("index n")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.86))
    return fig


def show_shift_sensitivity(shifts: Sequence[int], changes: Mapping[str, Mapping[str, object]]) -> Figure:
    """How much a layer's output changes when its input moves by ``shifts`` pixels, for several layers.

    Two panels, one line per layer: left, the change of the output map (``changes[label]["map"]``);
    right, the change of the globally pooled output (``changes[label]["pooled"]``). Both are relative
    changes in ``[0, 1]``-ish units; an equivariant (left) or invariant (right) layer stays at 0.

    Parameters
    ----------
    shifts : sequence of int
        The input shifts (pixels), the x axis.
    changes : mapping of label → {"map": array_like, "pooled": array_like}
        One value per shift for each panel.

    Examples
    --------
    >>> fig = show_shift_sensitivity([0, 1, 2], {"a": {"map": [0, 0.2, 0], "pooled": [0, 0.01, 0]}})
    >>> len(fig.axes)
    2
    >>> plt.close(fig)
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(MAX_WIDTH_IN, 3.6), layout="constrained")
    markers = ["o", "s", "^", "D"]
    for index, (label, values) in enumerate(changes.items()):
        # open markers, each smaller than the one before: where two lines coincide, both stay visible
        style = {
            "color": PALETTE[index % len(PALETTE)], "marker": markers[index % len(markers)], "label": label,
            "markerfacecolor": "none", "markeredgewidth": 1.8, "markersize": max(14 - 3.5 * index, 5),
        }  # fmt: skip
        left.plot(shifts, np.asarray(values["map"], dtype=float), **style)
        right.plot(shifts, 100 * np.asarray(values["pooled"], dtype=float), **style)
    left.set_title("output map: distance to a shifted copy")
    left.set_ylabel("relative change")
    right.set_title("pooled output: change")
    right.set_ylabel("change (%)")
    for ax in (left, right):
        ax.set_xlabel("input shift (pixels)")
        ax.set_xticks(list(shifts))
        ax.set_ylim(bottom=-0.04 * ax.get_ylim()[1])  # a little room below 0: markers at 0 are drawn whole
    fig.legend(*left.get_legend_handles_labels(), loc="outside lower center", ncol=len(changes))
    return fig

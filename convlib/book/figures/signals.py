"""Figures for notebook 01 (convolution in 1-D).

* :func:`flip_slide_terms`: the products ``x[m] k[n - m]`` behind one output sample, and their sum.
* :func:`draw_flip_and_slide` / :func:`show_flip_and_slide`: one output sample of the full convolution
  as a grid of numbered cells: the kernel and its flip side by side, the signal, the flipped kernel
  slid to ``n``, each product, and the output growing up to ``y[n]`` (the flip-slide view's picture).
* :func:`show_smoothing`: a noisy signal, the clean one and a moving average.
* :func:`show_superposition`: an input as a sum of impulses, each giving a shifted, scaled kernel.
* :func:`show_dice`: one die's distribution and the distribution of the sum of two.
* :func:`show_convolution_vs_correlation`: a spike convolved and correlated with one kernel.
* :func:`show_output_modes`: the spans of ``"full"``, ``"same"`` and ``"valid"`` over the full output.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from convlib.book.figures.common import stem
from convlib.book.style import PALETTE
from convlib.sizes import mode_padding

__all__ = [
    "CELL_COLOURS",
    "draw_flip_and_slide",
    "flip_slide_terms",
    "number_text",
    "show_convolution_vs_correlation",
    "show_dice",
    "show_flip_and_slide",
    "show_output_modes",
    "show_smoothing",
    "show_superposition",
]

#: Cell colours of the flip-slide pictures (Okabe-Ito), the same in ``js/flip_slide.js``.
CELL_COLOURS = {"signal": "#56B4E9", "kernel": "#E69F00", "product": "#009E73", "output": "#D55E00"}


def number_text(value: float) -> str:
    """A number as the flip-slide pictures write it: at most 3 significant digits (Python's ``:.3g``).

    Examples
    --------
    >>> number_text(2.5), number_text(-1.0), number_text(1 / 3)
    ('2.5', '-1', '0.333')
    """
    text = f"{float(value):.3g}"
    return "0" if text == "-0" else text


def flip_slide_terms(signal: object, kernel: object, n: int) -> tuple[np.ndarray, np.ndarray, float]:
    """The positions ``m``, the products ``x[m] k[n - m]`` there, and their sum ``y[n]`` of the full convolution.

    ``m`` runs over every position where both a signal sample and a kernel sample lie, in increasing
    order; the sum adds the products in that order, from 0 (as the flip-slide view adds them).

    Examples
    --------
    >>> m, products, total = flip_slide_terms([1, 2, 3, 4], [3, 2, 1], 2)
    >>> m.tolist(), products.tolist(), total
    ([0, 1, 2], [1.0, 4.0, 9.0], 14.0)
    """
    x = np.asarray(signal, dtype=float)
    k = np.asarray(kernel, dtype=float)
    if not 0 <= n < x.size + k.size - 1:
        raise ValueError(f"flip_slide_terms: n must be in 0..{x.size + k.size - 2}; got {n}")
    m = np.arange(max(0, n - k.size + 1), min(x.size, n + 1))
    products = x[m] * k[n - m]
    total = 0.0
    for product in products:
        total += float(product)
    return m, products, total


def _cell(ax, column: float, row: float, text: str, colour: str | None, bold: bool = False,
          faint: bool = False) -> None:  # fmt: skip
    """One numbered cell: ``colour`` at 35 % (None: white), a thick frame if ``bold``, gray text if ``faint``."""
    face = (1.0, 1.0, 1.0, 1.0) if colour is None else (*to_rgb(colour), 0.35)
    ax.add_patch(Rectangle((column - 0.45, row - 0.4), 0.9, 0.8, facecolor=face,
                           edgecolor="0.1" if bold else "0.6", linewidth=2.5 if bold else 0.8))  # fmt: skip
    ax.text(column, row, text, ha="center", va="center", fontsize=13, color="0.5" if faint else "0.05",
            fontweight="bold" if bold else "normal")  # fmt: skip


def draw_flip_and_slide(fig: Figure, signal: object, kernel: object, n: int) -> None:
    """Draw output sample ``n`` of the full convolution on ``fig``, as numbered cells.

    Top: the kernel ``k`` and its flip side by side. Then, over the positions ``m``: the signal
    ``x[m]`` (zeros beyond its ends in gray), the flipped kernel slid so that ``k[0]`` sits at
    ``m = n`` (it shows ``k[n - m]``), the products under the overlap, and the output ``y`` filled
    up to ``y[n]`` (framed), with the sum written out below.
    """
    x = np.asarray(signal, dtype=float)
    k = np.asarray(kernel, dtype=float)
    size = x.size + k.size - 1
    full = [flip_slide_terms(x, k, j)[2] for j in range(size)]
    m_used, products, total = flip_slide_terms(x, k, n)
    lo, hi = -(k.size - 1), size  # columns m = lo .. hi - 1
    flip_at = lo + k.size + 2.2  # where the flipped kernel starts, right of the kernel
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(lo - 3.0, max(hi, flip_at + k.size) - 0.4)
    ax.set_ylim(7.0, -1.0)
    ax.set_axis_off()
    label = {"ha": "right", "va": "center", "fontsize": 13}
    # the kernel and its flip, side by side
    ax.text(lo - 0.6, 0, "kernel k", **label)
    for j in range(k.size):
        _cell(ax, lo + j, 0, number_text(k[j]), CELL_COLOURS["kernel"])
        ax.text(lo + j, -0.66, f"k[{j}]", ha="center", va="center", fontsize=12, color="0.05")
    ax.text(flip_at - 0.6, 0, "flipped", **label)
    for j in range(k.size):
        _cell(ax, flip_at + j, 0, number_text(k[k.size - 1 - j]), CELL_COLOURS["kernel"])
        ax.text(flip_at + j, -0.66, f"k[{k.size - 1 - j}]", ha="center", va="center", fontsize=12,
                color="0.05")  # fmt: skip
    # positions m
    ax.text(lo - 0.6, 1.2, "m", **label)
    for m in range(lo, hi):
        ax.text(m, 1.2, str(m), ha="center", va="center", fontsize=12, color="0.3")
    ax.add_patch(Rectangle((n - 0.5, 0.75), 1.0, 4.95, facecolor="0.9", edgecolor="none", zorder=0))  # m = n
    # the signal, zeros beyond its ends
    ax.text(lo - 0.6, 2, "x[m]", **label)
    for m in range(lo, hi):
        inside = 0 <= m < x.size
        _cell(ax, m, 2, number_text(x[m]) if inside else "0", CELL_COLOURS["signal"] if inside else None,
              faint=not inside)  # fmt: skip
    # the flipped kernel, slid to n
    ax.text(lo - 0.6, 3, f"k[{n} − m]", **label)
    for m in range(n - k.size + 1, n + 1):
        _cell(ax, m, 3, number_text(k[n - m]), CELL_COLOURS["kernel"])
    # the products under the overlap
    ax.text(lo - 0.6, 4, "product", **label)
    for m, product in zip(m_used, products):
        _cell(ax, m, 4, number_text(product), CELL_COLOURS["product"])
    # the output so far
    ax.text(lo - 0.6, 5.2, "y[n]", **label)
    for j in range(size):
        if j <= n:
            _cell(ax, j, 5.2, number_text(full[j]), CELL_COLOURS["output"], bold=j == n)
        else:
            _cell(ax, j, 5.2, "", None)
    terms = " + ".join(f"{number_text(x[m])}·{number_text(k[n - m])}" for m in m_used)
    ax.text(lo - 2.9, 6.5, f"y[{n}] = {terms} = {number_text(total)}", ha="left", va="center", fontsize=13)


def show_flip_and_slide(signal: object, kernel: object, n: int) -> Figure:
    """Output sample ``n`` of the full convolution as flip, slide, multiply, sum (see :func:`draw_flip_and_slide`).

    Examples
    --------
    >>> fig = show_flip_and_slide([1, 2, 3, 4], [3, 2, 1], 2)
    >>> plt.close(fig)
    """
    fig = plt.figure(figsize=(8.4, 4.2))
    draw_flip_and_slide(fig, signal, kernel, n)
    return fig


def show_smoothing(t: object, noisy: object, clean: object, smoothed: object, width: int) -> Figure:
    """A noisy signal (dots), the clean one (line) and a moving average of it (thick line).

    Examples
    --------
    >>> t = np.linspace(0, 1, 20)
    >>> fig = show_smoothing(t, np.cos(t), np.cos(t), np.cos(t), 3)
    >>> plt.close(fig)
    """
    fig, ax = plt.subplots(figsize=(8.4, 3.6))
    ax.plot(t, noisy, ".", ms=4, color=PALETTE[5], label="noisy")
    ax.plot(t, clean, color=PALETTE[6], lw=1.5, ls="--", label="clean")
    ax.plot(t, smoothed, color=PALETTE[3], lw=2.5, label=f"moving average of {width}")
    ax.set_xlabel("time")
    ax.set_ylabel("value")
    ax.legend(ncol=3, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    fig.tight_layout()
    return fig


def show_superposition(signal: object, kernel: object) -> Figure:
    """Each input sample as a scaled, shifted impulse (left) and the scaled, shifted kernel it gives (right).

    The last row: the input (the sum of the impulses) and the output (the sum of the copies).

    Examples
    --------
    >>> fig = show_superposition([1.0, 0.5, -1.0], [1.0, 2.0, 1.0])
    >>> plt.close(fig)
    """
    x = np.asarray(signal, dtype=float)
    k = np.asarray(kernel, dtype=float)
    size = x.size + k.size - 1
    rows = x.size + 1
    fig, axes = plt.subplots(rows, 2, figsize=(8.4, min(5.5, 1.25 * rows + 0.5)), sharex=True, sharey=True)
    limit = 1.15 * max(np.abs(np.convolve(x, k)).max(), np.abs(x).max())
    for m in range(x.size):
        impulse = np.zeros(size)
        impulse[m] = x[m]
        stem(axes[m, 0], impulse, color=PALETTE[m % 5])
        stem(axes[m, 1], x[m] * np.pad(k, (m, size - k.size - m)), color=PALETTE[m % 5])
        axes[m, 0].set_ylabel(f"m = {m}", rotation=0, ha="right", va="center")
    stem(axes[-1, 0], np.pad(x, (0, k.size - 1)), color=PALETTE[6])
    stem(axes[-1, 1], np.convolve(x, k), color=PALETTE[6])
    axes[-1, 0].set_ylabel("sum", rotation=0, ha="right", va="center")
    axes[0, 0].set_title("input: x[m] at position m")
    axes[0, 1].set_title("response: x[m] · k, shifted by m")
    for ax in axes[-1]:
        ax.set_xticks(range(size))
        ax.set_xlabel("index")
    axes[0, 0].set_ylim(-limit, limit)
    fig.tight_layout(h_pad=0.3)
    return fig


def show_dice(one_die: object, total: object) -> Figure:
    """The distribution of one die (left) and of the sum of two (right), as bars labelled in 36ths.

    Examples
    --------
    >>> die = np.full(6, 1 / 6)
    >>> fig = show_dice(die, np.convolve(die, die))
    >>> plt.close(fig)
    """
    one = np.asarray(one_die, dtype=float)
    both = np.asarray(total, dtype=float)
    fig, axes = plt.subplots(1, 2, figsize=(8.4, 3.4), sharey=True, gridspec_kw={"width_ratios": [6, 11]})
    faces = np.arange(1, one.size + 1)
    sums = np.arange(2, both.size + 2)
    axes[0].bar(faces, one, color=PALETTE[0])
    axes[0].set_xticks(faces)
    axes[0].set_xlabel("one die: a")
    axes[0].set_ylabel("probability")
    axes[1].bar(sums, both, color=PALETTE[3])
    axes[1].set_xticks(sums)
    axes[1].set_xlabel("two dice: s = a + b")
    for value, p in zip(sums, both):
        axes[1].text(value, p, f"{round(p * 36)}", ha="center", va="bottom", fontsize=12)
    axes[1].set_title("counts out of 36 on top of the bars", fontsize=12)
    axes[0].set_ylim(0, 0.2)
    fig.tight_layout()
    return fig


def show_convolution_vs_correlation(convolved: object, correlated: object) -> Figure:
    """A spike convolved (left) and cross-correlated (right) with the same kernel, as stems.

    Examples
    --------
    >>> fig = show_convolution_vs_correlation([0, 1, 2, 3, 0], [0, 3, 2, 1, 0])
    >>> plt.close(fig)
    """
    fig, axes = plt.subplots(1, 2, figsize=(8.4, 2.8), sharey=True)
    stem(axes[0], convolved, color=PALETTE[0])
    axes[0].set_title("convolution: the kernel as it is")
    stem(axes[1], correlated, color=PALETTE[1])
    axes[1].set_title("cross-correlation: reversed")
    for ax in axes:
        ax.set_xlabel("index")
        ax.set_xticks(range(len(convolved)))
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
    same_start = k - 1 - mode_padding(k, "same")[0]  # "same" is the centre of "full"
    spans = {
        "full (N + K − 1)": (0, full),
        "same (N)": (same_start, same_start + n),
        "valid (N − K + 1)": (k - 1, n),
    }
    fig, ax = plt.subplots(figsize=(8.4, 2.4))
    for row, (name, (start, stop)) in enumerate(spans.items()):
        ax.barh(row, stop - start, left=start - 0.5, color=PALETTE[row], alpha=0.8)
        ax.text(full + 0.2, row, f"{name}: {stop - start}", va="center")
    ax.set_yticks([])
    ax.invert_yaxis()
    ax.set_xticks(range(full))
    ax.set_xlim(-0.7, full + 6.5)
    ax.set_xlabel(f"index into the full output (N = {n}, K = {k})")
    fig.tight_layout()
    return fig

"""Figures for notebook 01 (convolution in 1-D): the flip-and-slide picture and where the output modes lie.

* :func:`show_flip_and_slide`: one output sample of the full convolution as flip, slide, multiply, sum.
* :func:`show_output_modes`: the spans of ``"full"``, ``"same"`` and ``"valid"`` over the full output.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from convlib.book.figures.common import stem
from convlib.convolution import convolve1d
from convlib.sizes import mode_padding


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
    same_start = k - 1 - mode_padding(k, "same")[0]  # "same" is the centre of "full"
    spans = {
        "full   (N + K − 1)": (0, full),
        "same   (N)": (same_start, same_start + n),
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

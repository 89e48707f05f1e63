"""The notebooks' one plotting style, made for a projector: :data:`NOTEBOOK_STYLE`, :func:`use_notebook_style`.

Sizes in pixels are what a learner sees at 1280×720 with JupyterLab's sidebar open, where a
notebook's output area is about 850 px wide: a figure is at most :data:`MAX_WIDTH_PX` wide (so it
is shown at its own size, never scaled down) and :data:`MAX_HEIGHT_PX` tall (it fits the screen
with its code cell); the smallest text (tick labels) is 11 pt at 100 dpi, about 15 px.

Colour maps: :data:`MAGNITUDE_CMAP` (perceptually uniform) for sizes and counts, ``"gray"`` for
pictures, and :data:`SIGNED_CMAP` (diverging, centred on 0, limits from :func:`signed_limit`)
for responses that can be negative. None of them tells values apart by red against green only.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

DPI = 100
MAX_WIDTH_PX = 860
MAX_HEIGHT_PX = 560
MAGNITUDE_CMAP = "viridis"
SIGNED_CMAP = "RdBu_r"
#: A colour-blind-safe palette (Okabe & Ito) for lines and stems: blue, orange, green, vermilion, purple.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"]

NOTEBOOK_STYLE = {
    "figure.dpi": DPI,
    "figure.figsize": (8.4, 3.4),
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.framealpha": 0.9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "axes.prop_cycle": plt.cycler(color=PALETTE),
    "image.interpolation": "nearest",
    "image.cmap": MAGNITUDE_CMAP,
}


def use_notebook_style() -> None:
    """Set matplotlib's defaults for the notebooks (resolution, size, fonts, colours), and store figures compactly.

    In IPython, each figure is then stored as a compact PNG (8-bit gray where it is gray, else at
    most 256 colours), which keeps the stored notebooks small.

    Examples
    --------
    >>> use_notebook_style()
    >>> plt.rcParams["figure.dpi"], plt.rcParams["font.size"]
    (100.0, 12.0)
    """
    plt.rcParams.update(NOTEBOOK_STYLE)
    _store_compact_pngs()


def signed_limit(values: object, percentile: float = 99.0) -> float:
    """A symmetric colour limit for a signed response: the ``percentile`` of ``|values|`` (never 0).

    Limits at ``±max|values|`` let one bright pixel wash every other response out to white; a high
    percentile keeps the edges visible and clips only the few strongest.

    Examples
    --------
    >>> signed_limit([-1.0, 0.5, 0.25, 100.0], percentile=50)
    0.75
    >>> signed_limit(np.zeros(4))
    1.0
    """
    magnitudes = np.abs(np.asarray(values, dtype=float))
    finite = magnitudes[np.isfinite(magnitudes)]
    limit = float(np.percentile(finite, percentile)) if finite.size else 0.0
    return limit if limit > 0 else (float(finite.max()) if finite.size and finite.max() > 0 else 1.0)


def _store_compact_pngs() -> None:
    """Make IPython store each matplotlib figure as a compact PNG (gray where it is gray).

    Wraps the inline backend's PNG formatter for figures (making a figure first, if need be, so that
    the backend sets it); outside IPython, or with another backend, it does nothing.
    """
    import base64

    from convlib.book.widgets.pictures import compact_png  # the live views' pictures are made the same way

    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of the book
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    if Figure not in formatter.type_printers and "inline" in plt.get_backend():
        plt.close(plt.figure())  # the inline backend sets its formatter when the first figure is made
    original = formatter.type_printers.get(Figure)
    if original is None or getattr(original, "_compact", False):
        return

    def compact(figure: Figure, *args: object, **kwargs: object) -> str | None:
        encoded = original(figure, *args, **kwargs)
        if not encoded:
            return encoded
        raw = base64.b64decode(encoded) if isinstance(encoded, str) else encoded
        return base64.b64encode(compact_png(raw)).decode("ascii")

    compact._compact = True  # type: ignore[attr-defined]
    formatter.for_type(Figure, compact)

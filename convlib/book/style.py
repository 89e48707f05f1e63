"""The notebooks' one plotting style: :data:`NOTEBOOK_STYLE`, set by :func:`use_notebook_style`."""

from __future__ import annotations

import matplotlib.pyplot as plt

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

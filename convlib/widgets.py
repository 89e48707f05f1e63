"""Live views for the notebooks: drag a slider, watch the picture change.

Every view is a :class:`~convlib.live_view.LiveView`: a live ipywidgets view when a kernel runs,
and a static PNG plus a deterministic ``text/plain`` everywhere else (GitHub, nbviewer, HTML
export), which is also what nbval compares.

* :class:`KernelEditor` (:mod:`convlib.kernel_editor`): sliders for a 3x3 or 5x5 kernel over a
  photograph, notebook 02.
* :class:`MovingAverageExplorer` (:mod:`convlib.moving_average_explorer`): the width of a moving
  average, notebook 01.
* :func:`display_uint8` and :func:`encode_gray` (:mod:`convlib.pictures`): how their pictures are made.

The other notebooks' views live beside their figures: :mod:`convlib.padding_explorer`,
:mod:`convlib.ntm_explorer`, :mod:`convlib.plotting_cnn`.
"""

from convlib.kernel_editor import KERNEL_SIZES, OPERATIONS, SCALINGS, KernelEditor
from convlib.live_view import LiveView
from convlib.moving_average_explorer import MovingAverageExplorer
from convlib.pictures import ENCODINGS, display_uint8, encode_gray

__all__ = [
    "ENCODINGS",
    "KERNEL_SIZES",
    "OPERATIONS",
    "SCALINGS",
    "KernelEditor",
    "LiveView",
    "MovingAverageExplorer",
    "display_uint8",
    "encode_gray",
]

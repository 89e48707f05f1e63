"""Live views for the notebooks: drag a slider, watch the picture change.

Every view is a :class:`~convlib.book.widgets.live_view.LiveView`: a live ipywidgets view when a kernel runs,
and a static PNG plus a deterministic ``text/plain`` everywhere else (GitHub, nbviewer, HTML
export), which is also what nbval compares.

* :class:`KernelEditor` (:mod:`convlib.book.widgets.kernel_editor`): sliders for a 3x3 or 5x5 kernel over a
  photograph, notebook 02.
* :class:`MovingAverageExplorer` (:mod:`convlib.book.widgets.moving_average`): the width of a moving
  average, notebook 01.
* :func:`display_uint8` and :func:`encode_gray` (:mod:`convlib.book.widgets.pictures`): how their pictures are made.

The other notebooks' views live beside their figures: :mod:`convlib.book.widgets.padding_explorer`,
:mod:`convlib.book.widgets.ntm_explorer`, :mod:`convlib.book.figures.cnn`.
"""

from convlib.book.widgets.kernel_editor import KERNEL_SIZES, OPERATIONS, SCALINGS, KernelEditor
from convlib.book.widgets.live_view import LiveView
from convlib.book.widgets.moving_average import MovingAverageExplorer
from convlib.book.widgets.pictures import ENCODINGS, display_uint8, encode_gray

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

"""Live views for the notebooks: drag a slider, watch the picture change.

Every view is a :class:`~convlib.book.widgets.live_view.LiveView`: an anywidget whose ES module
(``js/``) computes in the browser while Python holds the state and stays the reference, and a
static PNG plus a deterministic ``text/plain`` everywhere else (GitHub, nbviewer), which is also
what nbval compares.

* :class:`MovingAverageExplorer` and :class:`FlipSlideView` (notebook 01): the width of a moving
  average; flip, slide, multiply and sum, stepped.
* :class:`WindowStepper` and :class:`KernelEditor` (notebook 02): a 3x3 window stepped over a 5x5
  image of small integers; a 3x3 or 5x5 kernel edited over a photograph.
* :func:`display_uint8` and :func:`encode_gray` (:mod:`convlib.book.widgets.pictures`): how their pictures are made.

The other notebooks' views: :mod:`convlib.book.widgets.padding_explorer` (03),
:mod:`convlib.book.figures.cnn` (06), :mod:`convlib.book.widgets.ntm_explorer` (08).
"""

from convlib.book.widgets.flip_slide import FlipSlideView
from convlib.book.widgets.kernel_editor import KERNEL_SIZES, OPERATIONS, SCALINGS, KernelEditor
from convlib.book.widgets.live_view import LiveView
from convlib.book.widgets.moving_average import MovingAverageExplorer
from convlib.book.widgets.pictures import ENCODINGS, display_uint8, encode_gray
from convlib.book.widgets.window_stepper import WindowStepper

__all__ = [
    "ENCODINGS",
    "KERNEL_SIZES",
    "OPERATIONS",
    "SCALINGS",
    "FlipSlideView",
    "KernelEditor",
    "LiveView",
    "MovingAverageExplorer",
    "WindowStepper",
    "display_uint8",
    "encode_gray",
]

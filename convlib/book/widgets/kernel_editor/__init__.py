"""KernelEditor: edit a 3x3 or 5x5 kernel and watch the photograph change as you drag, type or press keys.

* :mod:`~convlib.book.widgets.kernel_editor.inputs`: what it accepts (the :data:`OPERATIONS` and
  :data:`KERNEL_SIZES` it offers) and the checks that turn images and kernels into arrays;
* :mod:`~convlib.book.widgets.kernel_editor.rendering`: the filtered output and its 8-bit picture,
  computed in Python exactly as the browser computes them, and the static PNG;
* :mod:`~convlib.book.widgets.kernel_editor.editor`: :class:`KernelEditor`, the state (an anywidget
  model shared with the browser) and the Python API;
* ``convlib/book/widgets/js/kernel_editor.js``: the live view, which filters in the browser.

Speed: a drag never waits for Python. The photograph travels to the browser once; each change of a
weight is filtered there (a 3x3 kernel on a 512x512 image in a few milliseconds of plain JavaScript)
and painted on a canvas; the browser test records key press → painted latency.
"""

from convlib.book.widgets.kernel_editor.editor import KernelEditor
from convlib.book.widgets.kernel_editor.inputs import KERNEL_SIZES, OPERATIONS
from convlib.book.widgets.pictures import SCALINGS

__all__ = ["KERNEL_SIZES", "OPERATIONS", "SCALINGS", "KernelEditor"]

"""KernelEditor: edit a 3x3 or 5x5 kernel with sliders on a grayscale image and watch the output as you drag.

The editor is in four small modules, one idea each:

* :mod:`~convlib.book.widgets.kernel_editor.inputs`: what it accepts (the :data:`OPERATIONS` and
  :data:`KERNEL_SIZES` it offers) and the checks that turn images and kernels into arrays;
* :mod:`~convlib.book.widgets.kernel_editor.controls`: the ipywidgets (sliders, presets, choosers,
  pictures) and their layout;
* :mod:`~convlib.book.widgets.kernel_editor.rendering`: the filtered output, its 8-bit picture,
  the readouts and the static PNG;
* :mod:`~convlib.book.widgets.kernel_editor.editor`: :class:`KernelEditor`, which holds the state and
  connects the controls to the pictures.

Speed (KernelEditor)
--------------------
Most of the time between a key press and the new picture is the round trip browser → server →
kernel → server → browser and the browser's decoding and painting; the kernel's part is kept small
(a few milliseconds for a 512x512 image):

* the filter is convlib's own ``correlate2d``/``convolve2d`` (so ``editor.output`` *is* their
  result, bit for bit, whatever method they pick);
* the conversion to gray levels is :func:`convlib.images.to_uint8`'s arithmetic done in place
  (:func:`~convlib.book.widgets.pictures.display_uint8`: the same bytes, several times faster);
* the picture is an uncompressed 8-bit BMP (``encoding="bmp"``): about 0.1 ms to make, against
  4-8 ms for a zlib-compressed PNG. It is lossless, so the picture shown is exactly
  :meth:`KernelEditor.output_uint8`;
* it travels as a ``data:`` URL (``data_url=True``): Chromium shows it sooner than the
  ``blob:`` URL ipywidgets makes from raw bytes.

Updates are coalesced by ipywidgets itself: while the kernel is busy with one slider value,
the browser holds back the next ones and then sends only the latest.
"""

from convlib.book.widgets.kernel_editor.editor import KernelEditor
from convlib.book.widgets.kernel_editor.inputs import KERNEL_SIZES, OPERATIONS
from convlib.book.widgets.pictures import SCALINGS

__all__ = ["KERNEL_SIZES", "OPERATIONS", "SCALINGS", "KernelEditor"]

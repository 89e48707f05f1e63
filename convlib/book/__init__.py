"""The course's companion: what only the notebooks use. The library (``convlib``) never imports it.

Each notebook's helpers, by kind:

========================  ====================  ======================  ===========================
notebook                  figures               live views              exercises
========================  ====================  ======================  ===========================
01 convolution in 1-D     ``figures.signals``   ``widgets.moving_average``  ``exercises.signals``
02 image kernels          ``figures.images``    ``widgets.kernel_editor``   ``exercises.images``
03 borders and padding    ``figures.borders``   ``widgets.padding_explorer``  ``exercises.borders``
04 matrix multiplication  ``figures.matrices``  (none)                  ``exercises.matrices``
05 learned CNN filters    ``figures.cnn``       ``figures.cnn``          ``exercises.cnn``
06 shifting signals       ``figures.shifting``  ``widgets.ntm_explorer``  ``exercises.shifting``
========================  ====================  ======================  ===========================

Shared by all: :mod:`~.style` (one plotting style, ``use_notebook_style``), :mod:`~.figures.common`
(image panels, stems), :mod:`~.widgets.live_view` and :mod:`~.widgets.pictures` (how a live view
draws and falls back to a picture), :mod:`~.timing` (medians of repeated timings), and
:mod:`~.pitfalls` (deliberately wrong functions that the notebooks hold against the right ones).
"""

"""The course's companion: what only the notebooks use. The library (``convlib``) never imports it.

Each notebook's helpers, by kind (``exercises`` hold the checkers, ``solutions`` the worked answers):

==============================  ======================  ==================================  =========================
notebook                        figures                 live views                          exercises and solutions
==============================  ======================  ==================================  =========================
01 convolution in 1-D           ``figures.signals``     ``widgets.moving_average``,         ``signals``
                                                        ``widgets.flip_slide``
02 image kernels                ``figures.images``      ``widgets.window_stepper``,         ``images``
                                                        ``widgets.kernel_editor``
03 borders and output size      ``figures.borders``     ``widgets.padding_explorer``        ``borders``
04 matrix multiplication        ``figures.matrices``    (none)                              ``matrices``
05 inside a CNN layer           ``figures.layers``      (none)                              ``layers``
06 learned filters              ``figures.cnn``         ``figures.cnn``                     ``cnn``
07 frequency, circular          ``figures.frequency``   (none)                              ``frequency``
08 shifting signals             ``figures.shifting``    ``widgets.ntm_explorer``            ``shifting``
A1 padding names (appendix)     ``figures.borders``     (none)                              ``borders``
==============================  ======================  ==================================  =========================

Shared by all: :mod:`~.style` (one plotting style for a projector, ``use_notebook_style``),
:mod:`~.figures.common` (image panels, stems), :mod:`~.widgets.browser_view`,
:mod:`~.widgets.live_view` and :mod:`~.widgets.pictures` (how a live view runs in the browser and
falls back to a picture), :mod:`~.timing` (medians of repeated timings), :mod:`~.pitfalls`
(deliberately wrong functions that notebook 08 holds against the right ones), :mod:`~.export`
(HTML pages and slides whose live views run without a kernel) and :mod:`~.editions` (the teacher
edition).
"""

"""The three ways convlib slides a kernel, side by side. Each computes *valid* cross-correlation.

============================  =========================================  ==========================
module                        idea                                       cost for an N-pixel image
============================  =========================================  ==========================
:mod:`~.naive`                loops over output pixels: window, multiply,  ``N * K`` Python steps
                              sum (the definition, as written on paper)
:mod:`~.shift_add`            loops over the kernel's taps: add the        ``K`` whole-array passes
                              shifted image times one weight (``"direct"``)
:mod:`~.fft`                  the convolution theorem: multiply spectra    ``F log F``, ``F`` = padded size
============================  =========================================  ==========================

:mod:`convlib.convolution` flips the kernel (for convolution), pads the input as ``mode`` and
``boundary`` ask, and hands the padded input to one of these; :func:`convlib.choose_method` tells
which one ``method="auto"`` picks, and why. The BLAS strips and separable splitting that make
shift-and-add fast live in the private :mod:`~._blas_strips`.
"""

from convlib.engines import fft, naive, shift_add
from convlib.engines.shift_add import separable_factors

__all__ = ["fft", "naive", "separable_factors", "shift_add"]

"""convlib: convolution, taught. A small numpy library behind the notebooks.

The public names are re-exported here; see ``README.md`` for the contract. The library:

==========================  ==================================================================
module                      what it holds
==========================  ==================================================================
:mod:`~.convolution`        ``convolve1d/2d``, ``correlate1d/2d``, ``choose_method``
:mod:`~.engines`            the naive loops, shift-and-add and the FFT, side by side
:mod:`~.padding`            ``pad`` and the boundary names of numpy, scipy, PyTorch, OpenCV, Pillow
:mod:`~.sizes`              ``output_size`` with stride, padding and dilation
:mod:`~.kernels`            box, Gaussian, Sobel, Laplacian, ... (blurs sum to 1)
:mod:`~.images`             the sample photographs, and ``to_uint8`` for showing a result
:mod:`~.matrices`           Toeplitz matrices and im2col: convolution as matrix multiplication
:mod:`~.nn`                 CNN layers forward and backward, optimisers, gradient checks
:mod:`~.shifting`           circular convolution and the Neural Turing Machine's addressing
:mod:`~.validation`         the input checks and the dtype policy every function shares
==========================  ==================================================================

``convlib.book`` holds what only the course's notebooks use (figures, live views, exercises);
the library never imports it.
"""

from convlib import engines, kernels, matrices, nn
from convlib.convolution import choose_method, convolve1d, convolve2d, correlate1d, correlate2d
from convlib.images import IMAGES_DIR, available_images, image_manifest, load_image, to_uint8
from convlib.matrices.im2col import col2im, im2col, im2col_naive, sliding_windows
from convlib.matrices.toeplitz import convolution_matrix, linear_map_matrix
from convlib.nn.functional import (
    avg_pool2d,
    avg_pool2d_backward,
    conv2d,
    conv2d_backward,
    conv_transpose2d,
    conv_transpose2d_backward,
    max_pool2d,
    max_pool2d_backward,
)
from convlib.nn.gradcheck import gradient_check, numerical_gradient, relative_error
from convlib.padding import MODE_NAMES, PAD_MODES, pad, translate_mode
from convlib.shifting import (
    AddressingStages,
    circular_convolve,
    ntm_address,
    ntm_content_weights,
    ntm_interpolate,
    ntm_sharpen,
    ntm_shift,
)
from convlib.sizes import output_size

__version__ = "0.2.0"

__all__ = [
    "IMAGES_DIR",
    "MODE_NAMES",
    "PAD_MODES",
    "AddressingStages",
    "available_images",
    "avg_pool2d",
    "avg_pool2d_backward",
    "choose_method",
    "circular_convolve",
    "col2im",
    "conv2d",
    "conv2d_backward",
    "conv_transpose2d",
    "conv_transpose2d_backward",
    "convolution_matrix",
    "convolve1d",
    "convolve2d",
    "correlate1d",
    "correlate2d",
    "engines",
    "gradient_check",
    "im2col",
    "im2col_naive",
    "image_manifest",
    "kernels",
    "linear_map_matrix",
    "load_image",
    "matrices",
    "max_pool2d",
    "max_pool2d_backward",
    "nn",
    "ntm_address",
    "ntm_content_weights",
    "ntm_interpolate",
    "ntm_sharpen",
    "ntm_shift",
    "numerical_gradient",
    "output_size",
    "pad",
    "relative_error",
    "sliding_windows",
    "to_uint8",
    "translate_mode",
]

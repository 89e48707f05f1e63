"""convlib: convolution, taught. A small numpy library behind the notebooks.

The public names are re-exported here; see ``README.md`` for the contract.
"""

from convlib import kernels, naive, nn, shifting_pitfalls, training
from convlib.convolution import convolve1d, convolve2d, correlate1d, correlate2d
from convlib.gradients import gradient_check, numerical_gradient, relative_error
from convlib.images import IMAGES_DIR, available_images, image_manifest, load_image, to_uint8
from convlib.layers import (
    avg_pool2d,
    avg_pool2d_backward,
    conv2d,
    conv2d_backward,
    conv_transpose2d,
    max_pool2d,
    max_pool2d_backward,
)
from convlib.padding import MODE_NAMES, PAD_MODES, pad, translate_mode
from convlib.patches import col2im, im2col, im2col_naive, sliding_windows
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
from convlib.toeplitz import convolution_matrix, linear_map_matrix

__all__ = [
    "IMAGES_DIR",
    "MODE_NAMES",
    "PAD_MODES",
    "AddressingStages",
    "available_images",
    "avg_pool2d",
    "avg_pool2d_backward",
    "circular_convolve",
    "col2im",
    "conv2d",
    "conv2d_backward",
    "conv_transpose2d",
    "convolution_matrix",
    "convolve1d",
    "convolve2d",
    "correlate1d",
    "correlate2d",
    "gradient_check",
    "im2col",
    "im2col_naive",
    "image_manifest",
    "kernels",
    "linear_map_matrix",
    "load_image",
    "max_pool2d",
    "max_pool2d_backward",
    "naive",
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
    "shifting_pitfalls",
    "sliding_windows",
    "to_uint8",
    "training",
    "translate_mode",
]

"""convlib: convolution, taught. A small numpy library behind the notebooks.

The public names are re-exported here; see ``README.md`` for the contract.
"""

from convlib import kernels, naive, shifting_pitfalls
from convlib.convolution import convolve1d, convolve2d, correlate1d, correlate2d
from convlib.images import IMAGES_DIR, available_images, image_manifest, load_image, to_uint8
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

__all__ = [
    "IMAGES_DIR",
    "MODE_NAMES",
    "PAD_MODES",
    "AddressingStages",
    "available_images",
    "circular_convolve",
    "convolve1d",
    "convolve2d",
    "correlate1d",
    "correlate2d",
    "image_manifest",
    "kernels",
    "load_image",
    "naive",
    "ntm_address",
    "ntm_content_weights",
    "ntm_interpolate",
    "ntm_sharpen",
    "ntm_shift",
    "pad",
    "shifting_pitfalls",
    "to_uint8",
    "translate_mode",
]

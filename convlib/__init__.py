"""convlib: convolution, taught. A small numpy library behind the notebooks.

The public names are re-exported here; see ``README.md`` for the contract.
"""

from convlib import kernels
from convlib.convolution import convolve1d, convolve2d, correlate1d, correlate2d
from convlib.padding import MODE_NAMES, PAD_MODES, pad, translate_mode

__all__ = [
    "MODE_NAMES",
    "PAD_MODES",
    "convolve1d",
    "convolve2d",
    "correlate1d",
    "correlate2d",
    "kernels",
    "pad",
    "translate_mode",
]

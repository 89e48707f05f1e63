"""Self-checking exercises: each ``check_*`` runs a learner's answer against convlib on many cases.

A checker prints what it found and returns a :class:`CheckResult`: true for a right answer; false
(and it says "not attempted yet") when the answer is not written yet (it raises
``NotImplementedError`` or returns ``None``); a wrong one raises :class:`ExerciseError` naming the
mistake it recognises. One module per notebook (``signals`` for 01, ``images`` for 02, ...); the
worked answers are in :mod:`convlib.book.solutions`.
"""

from convlib.book.exercises.borders import check_numpy_names, check_output_size, check_pad_1d, check_same_convolve
from convlib.book.exercises.cnn import (
    check_parameter_counts,
    check_softmax_cross_entropy,
    check_strided_kernel_gradient,
)
from convlib.book.exercises.core import CheckResult, ExerciseError
from convlib.book.exercises.frequency import check_box_zeros, check_linear_by_fft
from convlib.book.exercises.images import check_blur_kernel, check_correlate2d, check_to_display
from convlib.book.exercises.layers import check_conv_parameters, check_receptive_field, check_transposed_output_size
from convlib.book.exercises.matrices import check_im2col, check_toeplitz_matrix, check_winograd_f22
from convlib.book.exercises.shifting import check_blur_downsample, check_delay_kernel, check_ntm_shift
from convlib.book.exercises.signals import check_convolve_1d, check_derivative_kernel, check_output_length

__all__ = [
    "CheckResult",
    "ExerciseError",
    "check_blur_downsample",
    "check_blur_kernel",
    "check_box_zeros",
    "check_conv_parameters",
    "check_convolve_1d",
    "check_correlate2d",
    "check_delay_kernel",
    "check_derivative_kernel",
    "check_im2col",
    "check_linear_by_fft",
    "check_ntm_shift",
    "check_numpy_names",
    "check_output_length",
    "check_output_size",
    "check_pad_1d",
    "check_parameter_counts",
    "check_receptive_field",
    "check_same_convolve",
    "check_softmax_cross_entropy",
    "check_strided_kernel_gradient",
    "check_to_display",
    "check_toeplitz_matrix",
    "check_transposed_output_size",
    "check_winograd_f22",
]

"""Self-checking exercises: each ``check_*`` runs a learner's answer against convlib on many cases.

A checker prints what it found and returns ``True`` for a right answer; it returns ``False``
(and says so) when the answer is not written yet (it raises ``NotImplementedError`` or returns
``None``); and it raises :class:`ExerciseError` naming the mistake it recognises for a wrong one.
"""

from convlib.book.exercises.borders import check_numpy_names, check_output_size, check_pad_1d, check_same_convolve
from convlib.book.exercises.cnn import check_kernel_gradient, check_parameter_counts, check_softmax_cross_entropy
from convlib.book.exercises.core import ExerciseError
from convlib.book.exercises.images import check_blur_kernel, check_correlate2d, check_to_display
from convlib.book.exercises.matrices import check_conv_output_shape, check_im2col, check_toeplitz_matrix
from convlib.book.exercises.shifting import check_delay_kernel, check_linear_by_fft, check_ntm_shift
from convlib.book.exercises.signals import check_convolve_1d, check_derivative_kernel, check_output_length

__all__ = [
    "ExerciseError",
    "check_blur_kernel",
    "check_conv_output_shape",
    "check_convolve_1d",
    "check_correlate2d",
    "check_delay_kernel",
    "check_derivative_kernel",
    "check_im2col",
    "check_kernel_gradient",
    "check_linear_by_fft",
    "check_ntm_shift",
    "check_numpy_names",
    "check_output_length",
    "check_output_size",
    "check_pad_1d",
    "check_parameter_counts",
    "check_same_convolve",
    "check_softmax_cross_entropy",
    "check_to_display",
    "check_toeplitz_matrix",
]

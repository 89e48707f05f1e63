"""Self-checking exercises: each ``check_*`` runs a learner's answer against convlib on many cases.

A checker prints what it found and returns ``True`` for a right answer; it returns ``False``
(and says so) when the answer is not written yet (it raises ``NotImplementedError`` or returns
``None``); and it raises :class:`ExerciseError` naming the mistake it recognises for a wrong one.
"""

from convlib.exercises.core import ExerciseError
from convlib.exercises.signals import check_convolve_1d, check_derivative_kernel, check_output_length

__all__ = ["ExerciseError", "check_convolve_1d", "check_derivative_kernel", "check_output_length"]

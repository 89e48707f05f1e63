"""What every exercise checker shares: calling the learner's code and reporting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


class ExerciseError(AssertionError):
    """A learner's answer is wrong; the message says how, and on which case."""


class NotAttempted(Exception):
    """The learner's answer is still the stub."""


def call_answer(function: Callable[..., Any], *args: Any) -> Any:
    """Call the learner's ``function``; a stub (NotImplementedError, or returning None) is :class:`NotAttempted`."""
    name = getattr(function, "__name__", "your function")
    try:
        result = function(*args)
    except NotImplementedError:
        raise NotAttempted(f"{name} raised NotImplementedError") from None
    except Exception as error:
        arguments = ", ".join(repr(a) for a in args)
        raise ExerciseError(f"{name}({arguments}) raised {type(error).__name__}: {error}") from error
    if result is None:
        raise NotAttempted(f"{name} returned None")
    return result


@dataclass(frozen=True)
class CheckResult:
    """What a checker found: true if the answer passed, false if it is not written yet.

    A wrong answer never gets here (the checker raises :class:`ExerciseError`). In a notebook the
    checker's printed sentence is the whole report: the result itself displays nothing, so an
    unattempted exercise shows "not attempted yet", never a bare ``False``.
    """

    title: str
    passed: bool

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        return f"CheckResult(passed={self.passed})"

    def _ipython_display_(self) -> None:
        """Display nothing: the checker has already printed what it found."""


def run_checks(title: str, checks: Callable[[], None]) -> CheckResult:
    """Run ``checks`` and report: passed, or not attempted; ExerciseError propagates."""
    try:
        checks()
    except NotAttempted as stub:
        print(f"{title}: not attempted yet ({stub}). Write your answer, then run this cell again.")
        return CheckResult(title, passed=False)
    print(f"{title}: correct!")
    return CheckResult(title, passed=True)


def as_real_vector(value: object, what: str) -> np.ndarray:
    """The learner's result as a 1-D float array, or an ExerciseError saying what is wrong with it."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ExerciseError(f"{what} must be a 1-D array of numbers; numpy could not convert it: {error}") from None
    if array.dtype.kind == "c":
        if np.allclose(array.imag, 0, atol=1e-9):
            raise ExerciseError(
                f"{what} is complex (dtype {array.dtype}), with imaginary parts of about 0: return real numbers, "
                "e.g. np.real(np.fft.ifft(...)), or use np.fft.irfft"
            )
        raise ExerciseError(f"{what} is complex with non-zero imaginary parts: it must be real")
    if array.dtype.kind not in "biuf":
        raise ExerciseError(f"{what} must hold numbers; got dtype {array.dtype}")
    if array.ndim != 1:
        raise ExerciseError(f"{what} must be 1-D; got shape {array.shape}")
    return array.astype(float)

"""What every exercise checker shares: calling the learner's code and reporting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


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


def run_checks(title: str, checks: Callable[[], None]) -> bool:
    """Run ``checks`` and report: True if it passed, False if not attempted; ExerciseError propagates."""
    try:
        checks()
    except NotAttempted as stub:
        print(f"{title}: not attempted yet ({stub}). Write your answer, then run this cell again.")
        return False
    print(f"{title}: correct!")
    return True

"""What every exercise checker whose answer is a function does with a stub and with an answer that crashes.

The checkers are those the modules of answers name in ``CHECKS`` (``convlib/book/solutions/``), so a new
exercise is covered as soon as its answer is listed. The right answers and the typical mistakes are
checked per notebook in ``tests/test_exercises_*.py``.
"""

from __future__ import annotations

import pytest

from convlib.book import exercises
from convlib.book.exercises.core import ExerciseError
from convlib.book.solutions import solution_modules

FUNCTION_CHECKERS = sorted(
    {checker for module in solution_modules() for checker, answer in module.CHECKS if callable(getattr(module, answer))}
)


def stub(*args):
    raise NotImplementedError


def returns_none(*args):
    return None


def test_every_notebook_with_function_answers_is_covered():
    assert len(FUNCTION_CHECKERS) >= 10, FUNCTION_CHECKERS


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS)
@pytest.mark.parametrize("answer", [stub, returns_none])
def test_stubs_are_not_attempted(checker, answer, capsys):
    result = getattr(exercises, checker)(answer)
    assert not result
    assert "not attempted yet" in capsys.readouterr().out
    assert repr(result) == "CheckResult(passed=False)"


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS)
def test_an_answer_that_crashes_is_reported(checker):
    def crashes(*args):
        raise IndexError("index 9 is out of bounds")

    with pytest.raises(ExerciseError, match="raised IndexError: index 9 is out of bounds"):
        getattr(exercises, checker)(crashes)

"""The two editions: the student's runs with every exercise "not attempted yet", the teacher's with every answer right.

The teacher edition (scripts/teacher_edition.py) is generated and executed in full: every notebook
runs with no error and every checker says "correct!". The class-checking script
(scripts/check_answers.py) gives each exercise of a notebook its verdict: "not attempted" on the
student edition as handed out, "correct" on the teacher edition, and "wrong", with the checker's
named mistake, on an answer that forgot the flip.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

from convlib.book.editions import lesson_plan, replace_stubs, teacher_edition
from convlib.book.solutions import solution_modules

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _script(name: str):
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_replace_stubs_puts_the_answer_in_place_and_keeps_the_checker():
    source = 'def my_convolve(signal, kernel):\n    raise NotImplementedError\n\n\ncheck_convolve_1d(my_convolve)\n'
    replaced, names = replace_stubs(source)
    assert names == ["my_convolve"]
    assert "NotImplementedError" not in replaced and replaced.rstrip().endswith("check_convolve_1d(my_convolve)")


def test_every_course_notebook_has_a_lesson_plan():
    for path in NOTEBOOKS:
        if path.name[:2].isdigit():
            plan = lesson_plan(path.name)
            assert plan and "Objectives" in plan and "misconception" in plan.lower(), path.name


def test_the_teacher_edition_answers_every_exercise_and_every_answer_is_right(tmp_path, capsys):
    answered = []
    for path in NOTEBOOKS:
        teacher, names = teacher_edition(nbformat.read(path, as_version=4), path.name)
        answered += names
        assert teacher.cells[1].metadata["slideshow"]["slide_type"] == "notes" or not path.name[:2].isdigit()
    expected = {answer for module in solution_modules() for _, answer in module.CHECKS}
    assert set(answered) == expected
    problems = _script("teacher_edition").build(tmp_path / "teacher-edition", run=True)
    assert not problems, problems
    printed = capsys.readouterr().out
    assert printed.count("checkers say correct") == len(NOTEBOOKS), printed


@pytest.fixture(scope="module")
def check_answers():
    return _script("check_answers")


def test_the_student_edition_runs_with_every_exercise_not_attempted(check_answers):
    found = check_answers.check(ROOT / "notebooks" / "01_convolution_1d.ipynb")
    assert found and all(entry["verdict"] == "not attempted" for entry in found), found


def test_a_wrong_answer_gets_the_checkers_named_mistake(check_answers, tmp_path):
    notebook = nbformat.read(ROOT / "notebooks" / "01_convolution_1d.ipynb", as_version=4)
    for cell in notebook.cells:
        if "exercise" in cell.metadata.get("tags", []) and "check_convolve_1d" in cell.source:
            forgot_the_flip = "return np.correlate(signal, kernel, 'full')"
            cell.source = cell.source.replace("raise NotImplementedError", forgot_the_flip)
    learner = tmp_path / "learner.ipynb"
    nbformat.write(notebook, learner)
    found = check_answers.check(learner)
    wrong = [entry for entry in found if entry["verdict"] == "wrong"]
    assert len(wrong) == 1 and "flip" in wrong[0]["said"], found

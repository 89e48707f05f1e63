"""The two editions of the course: the student's (the notebooks as stored) and the teacher's.

The student edition holds each exercise's stub and checker. :func:`teacher_edition` makes the
teacher's: every stub replaced by its worked answer from :mod:`convlib.book.solutions` (so each
checker prints "correct!" when the cell runs), and the notebook's lesson plan from
``docs/teacher-guide.md`` placed after the title as speaker notes (``slide_type: notes``: shown in
the notebook, and in the presenter view of the slides, never on the projected slide).

``scripts/teacher_edition.py`` is the command line.
"""

from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import nbformat

from convlib.book.solutions import defined_names, solution_source

__all__ = ["EXERCISE_TAG", "exercise_verdicts", "lesson_plan", "replace_stubs", "teacher_edition"]

EXERCISE_TAG = "exercise"
TEACHER_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "teacher-guide.md"


def replace_stubs(source: str) -> tuple[str, list[str]]:
    """``source`` with each top-level stub that has a worked answer replaced by that answer.

    Returns the new source and the names replaced. A stub is a top-level ``def name(...)`` or
    ``name = ...``; everything else in the cell (the checker call) stays as written.

    Examples
    --------
    >>> replace_stubs("x = 1\\nprint(x)")
    ('x = 1\\nprint(x)', [])
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    replaced: list[str] = []
    # Replace from the bottom up, so that earlier line numbers stay right.
    for node in reversed(tree.body):
        names = defined_names(node)
        if len(names) != 1:
            continue
        try:
            answer = solution_source(names[0])
        except KeyError:
            continue
        start = node.lineno - 1
        if getattr(node, "decorator_list", None):
            start = node.decorator_list[0].lineno - 1
        lines[start : node.end_lineno] = [answer.rstrip("\n") + "\n"]
        replaced.append(names[0])
    return "".join(lines), sorted(replaced)


def lesson_plan(notebook_name: str, guide: Path = TEACHER_GUIDE) -> str | None:
    """The teacher guide's section for ``notebook_name`` (the ``###`` heading that links to it), or None."""
    if not guide.is_file():  # an installed package has no docs/
        return None
    for section in re.split(r"(?m)^(?=### )", guide.read_text(encoding="utf-8")):
        heading, _, body = section.partition("\n")
        if heading.startswith("### ") and notebook_name in heading:
            return f"#### Teacher notes: {heading.removeprefix('### ').strip()}\n\n{body.strip()}\n"
    return None


def teacher_edition(notebook: nbformat.NotebookNode, notebook_name: str) -> tuple[nbformat.NotebookNode, list[str]]:
    """The teacher's edition of ``notebook``: answers in place of stubs, the lesson plan as notes.

    Returns the new notebook (outputs cleared: it is meant to be run) and the answers put in place.
    """
    teacher = copy.deepcopy(notebook)
    answered: list[str] = []
    for cell in teacher.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if EXERCISE_TAG in cell.metadata.get("tags", []):
                cell.source, names = replace_stubs(cell.source)
                answered.extend(names)
    plan = lesson_plan(notebook_name)
    if plan:
        notes = nbformat.v4.new_markdown_cell(plan, metadata={"slideshow": {"slide_type": "notes"}})
        notes.pop("id", None)
        teacher.cells.insert(1, notes)
    return teacher, answered


def exercise_verdicts(notebook: nbformat.NotebookNode) -> list[dict[str, str]]:
    """Each exercise cell's verdict in an executed ``notebook``: its first line, and what the checker said."""
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or EXERCISE_TAG not in cell.metadata.get("tags", []):
            continue
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors:
            verdict, said = "wrong", f"{errors[0].ename}: {errors[0].evalue}"
        elif "correct!" in printed:
            verdict, said = "correct", printed.strip()
        elif "not attempted yet" in printed:
            verdict, said = "not attempted", printed.strip()
        else:
            verdict, said = "unknown", printed.strip()[:300]
        first = next((line for line in cell.source.splitlines() if line.startswith(("def ", "class "))), "")
        found.append({"exercise": first or cell.source.splitlines()[0], "verdict": verdict, "said": said})
    return found

"""The course's notebooks follow its conventions (CONTRIBUTING.md, "Writing a notebook").

One session each (cells, words), words for the learner only, checks that teach (at most three
asserts a cell), exercises with a stub and a checker and no answer in sight, every answer run
through its checker, projector-sized figures with text alternatives, slide metadata, and a link
from each notebook to the next.
"""

from __future__ import annotations

import ast
import base64
import importlib
import io
import pkgutil
import re
from pathlib import Path

import nbformat
import pytest
from PIL import Image

from convlib.book import exercises
from convlib.book.editions import EXERCISE_TAG
from convlib.book.solutions import defined_names, solution_modules, solution_source
from convlib.book.style import MAX_HEIGHT_PX, MAX_WIDTH_PX
from convlib.book.widgets.browser_view import LIVE_MIMETYPE

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COURSE = [p for p in NOTEBOOKS if p.name[:2].isdigit()]
MAX_CELLS = 60
MAX_WORDS = 2500
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
#: Words about the project, its history or its checks, which mean nothing to a learner.
NOT_FOR_LEARNERS = re.compile(
    r"\b(seed|blog post|nbval|pytest|the tests?\b|test suite|\bCI\b|browser test|regression|first release)",
    re.IGNORECASE,
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return request.param, _read(request.param)


def _prose(nb: nbformat.NotebookNode) -> str:
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.DOTALL)  # display maths is not prose
    return re.sub(r"`[^`]*`", " code ", text)


def test_one_session_long(notebook):
    path, nb = notebook
    words = len(_prose(nb).split())
    assert len(nb.cells) <= MAX_CELLS, f"{path.name}: {len(nb.cells)} cells (at most {MAX_CELLS})"
    assert words <= MAX_WORDS, f"{path.name}: {words} words of prose (at most {MAX_WORDS})"


def test_words_for_the_learner_only(notebook):
    path, nb = notebook
    for cell in nb.cells:
        text = cell.source if cell.cell_type == "markdown" else "\n".join(
            line for line in cell.source.splitlines() if line.lstrip().startswith("#")
        )
        found = NOT_FOR_LEARNERS.search(text)
        assert not found, f"{path.name}: '{found.group(0)}' in: {text[:120]!r}"


def test_at_most_three_asserts_a_cell(notebook):
    path, nb = notebook
    for cell in nb.cells:
        if cell.cell_type == "code":
            asserts = sum(line.lstrip().startswith("assert ") for line in cell.source.splitlines())
            assert asserts <= 3, f"{path.name}: {asserts} asserts in one cell: {cell.source[:80]!r}"


def test_no_answer_in_sight(notebook):
    path, nb = notebook
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        assert "solution" not in tags, f"{path.name}: a solution cell: {cell.source[:80]!r}"
        assert not cell.source.lstrip().lower().startswith("# solution"), f"{path.name}: {cell.source[:80]!r}"
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
            assert "correct!" not in text, f"{path.name}: a stored 'correct!' under {cell.source[:80]!r}"
            bare = text.strip() in {"False", "True"}
            assert not bare, f"{path.name}: a bare {text.strip()} under {cell.source[:80]!r}"


def _defined_names(source: str) -> set[str]:
    return {name for node in ast.parse(source).body for name in defined_names(node)}


def _exercise_cells(nb: nbformat.NotebookNode) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and EXERCISE_TAG in c.metadata.get("tags", [])]


def test_exercises_are_stubs_with_checkers_and_answers_elsewhere(notebook):
    path, nb = notebook
    cells = _exercise_cells(nb)
    if path in COURSE:
        assert cells, f"{path.name} has no exercise cell (tag 'exercise')"
    for cell in cells:
        assert "check_" in cell.source, f"{path.name}: an exercise without its checker: {cell.source[:80]!r}"
        stubbed = [n for n in _defined_names(cell.source) if n.islower()]
        assert stubbed, f"{path.name}: an exercise cell defines nothing to answer: {cell.source[:80]!r}"
        for name in stubbed:
            solution_source(name)  # KeyError names the missing answer
        printed = "".join(o.get("text", "") for o in cell.outputs)
        assert "not attempted yet" in printed, f"{path.name}: a stub that does not say so: {cell.source[:80]!r}"


def _checker(name: str):
    """The checker ``name`` from whichever module of :mod:`convlib.book.exercises` defines it."""
    for info in pkgutil.iter_modules(exercises.__path__):
        module = importlib.import_module(f"{exercises.__name__}.{info.name}")
        if hasattr(module, name):
            return getattr(module, name)
    raise AssertionError(f"no checker named {name}")


def test_every_answer_passes_its_checker(capsys):
    modules = solution_modules()
    assert modules
    for module in modules:
        assert module.CHECKS, module.__name__
        for checker_name, answer_name in module.CHECKS:
            result = _checker(checker_name)(getattr(module, answer_name))
            assert result, f"{module.__name__}.{answer_name} does not pass {checker_name}: {capsys.readouterr().out}"


def test_every_answer_belongs_to_an_exercise_in_a_notebook():
    stubs = set()
    for path in NOTEBOOKS:
        for cell in _exercise_cells(_read(path)):
            stubs |= _defined_names(cell.source)
    for module in solution_modules():
        for _, answer_name in module.CHECKS:
            assert answer_name in stubs, f"{module.__name__}.{answer_name} answers no exercise cell"


def test_figures_fit_a_projector_and_say_what_they_show(notebook):
    path, nb = notebook
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            width, height = Image.open(io.BytesIO(base64.b64decode(data["image/png"]))).size
            where = f"{path.name}: {cell.source[:60]!r}"
            if not {WIDGET_VIEW, LIVE_MIMETYPE, "text/html"} & set(data):  # a live view's picture is its state
                assert width <= MAX_WIDTH_PX + 10 and height <= MAX_HEIGHT_PX + 10, f"{width}×{height} px, {where}"
                alt = cell.metadata.get("alt", "")
                assert isinstance(alt, str) and len(alt.split()) >= 5, f"no text alternative (metadata 'alt'), {where}"


def test_every_cell_has_a_slide_type(notebook):
    path, nb = notebook
    types = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert types[0] == "slide", f"{path.name}: the title cell starts a slide"
    for cell, kind in zip(nb.cells, types):
        assert kind in SLIDE_TYPES, f"{path.name}: slide_type {kind!r} on {cell.source[:60]!r}"
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            assert kind == "slide", f"{path.name}: a section starts a slide: {cell.source[:60]!r}"


@pytest.mark.parametrize("index", range(len(COURSE) - 1), ids=lambda i: COURSE[i].name)
def test_each_notebook_links_to_the_next(index):
    nb = _read(COURSE[index])
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and f"({COURSE[index + 1].name})" in last.source, (
        f"{COURSE[index].name}: its last cell links to {COURSE[index + 1].name}"
    )


def test_the_course_has_its_eight_notebooks_and_an_appendix():
    assert [p.name[:2] for p in COURSE] == ["01", "02", "03", "04", "05", "06", "07", "08"]
    assert any(p.name.startswith("A") for p in NOTEBOOKS)

"""Stored notebooks are in the normal form scripts/execute_notebooks.py writes.

nbval (run on every notebook by the same pytest command) checks that the stored text outputs
equal a fresh run; these tests check what nbval does not: that every code cell was executed in
order, that no widget state is stored, that each notebook stays small, and that it carries the
teaching structure (title, objectives, exercises, summary).
"""

import base64
import io
from pathlib import Path

import nbformat
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MAX_BYTES = 3_000_000
MAX_FIGURE_PIXELS = 1600  # figures at modest dpi


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return request.param, nbformat.read(request.param, as_version=4)


def test_there_are_notebooks():
    assert NOTEBOOKS


def test_executed_in_order_with_outputs_and_no_errors(notebook):
    path, nb = notebook
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code_cells] == list(range(1, len(code_cells) + 1)), (
        f"{path.name} is stale: re-run scripts/execute_notebooks.py"
    )
    for cell in code_cells:
        assert not any(o.output_type == "error" for o in cell.outputs), cell.source[:80]


def test_no_stored_widget_state_and_small(notebook):
    path, nb = notebook
    assert "widgets" not in nb.metadata, "stored widget state: re-run scripts/execute_notebooks.py"
    assert nb.metadata.kernelspec.name == "python3"
    assert path.stat().st_size < MAX_BYTES
    for cell in nb.cells:
        assert "execution" not in cell.metadata


def test_figures_are_modest_and_no_widget_view_is_stored(notebook):
    _, nb = notebook
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert "application/vnd.jupyter.widget-view+json" not in data, (
                f"a stored widget view (a widget without a static picture, or not normalised): {cell.source[:80]}"
            )
            if "image/png" in data:
                width, height = Image.open(io.BytesIO(base64.b64decode(data["image/png"]))).size
                assert max(width, height) <= MAX_FIGURE_PIXELS, cell.source[:80]


def test_teaching_structure(notebook):
    path, nb = notebook
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    for heading in ("Learning objectives", "Exercise", "Summary"):
        assert heading in markdown, f"{path.name} has no '{heading}' section"
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "assert " in sources, f"{path.name} asserts nothing it teaches"
    assert "check_" in sources, f"{path.name} has no self-checking exercise"


def test_ignored_outputs_are_justified(notebook):
    """An output nbval ignores checks nothing: the cell is tagged, and its metadata says why."""
    _, nb = notebook
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert "NBVAL" not in cell.source, f"nbval markers are cell tags, not comments: {cell.source[:80]}"
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            reason = cell.metadata.get("ignore_output_because", "")
            assert len(reason) > 20, f"an ignored output needs metadata 'ignore_output_because': {cell.source[:80]}"

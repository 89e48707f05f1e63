"""Where widgets cannot run (GitHub, nbviewer, an HTML export), every live view shows its picture.

The stored notebooks keep each live view's PNG and no widget state (scripts/execute_notebooks.py
drops the stale widget view), so ``jupyter nbconvert --to html`` embeds the picture as an ``<img>``.
"""

import base64
from pathlib import Path

import nbformat
import pytest
from nbconvert import HTMLExporter

from convlib.book.widgets.browser_view import LIVE_MIMETYPE

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def live_view_pictures(notebook, named: str = ""):
    """The PNG of every live view's output (it carries the view's module and state), whose text names ``named``."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data and LIVE_MIMETYPE in data and named in "".join(data.get("text/plain", "")):
                yield data["image/png"]


def test_every_live_view_of_the_course_is_found():
    found = {path.name[:2]: len(list(live_view_pictures(nbformat.read(path, as_version=4)))) for path in NOTEBOOKS}
    # 01 moving average + flip-slide; 02 window stepper + kernel editor; 03 two explorers;
    # 06 kernel convergence; 08 NTM explorer
    assert {k: v for k, v in found.items() if v} == {"01": 2, "02": 2, "03": 2, "06": 1, "08": 1}, found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_html_export_shows_every_live_view_as_a_picture(path):
    notebook = nbformat.read(path, as_version=4)
    html, _ = HTMLExporter().from_notebook_node(notebook)
    assert "Error displaying widget" not in html
    for picture in live_view_pictures(notebook):
        encoded = "".join(picture).replace("\n", "")
        assert f'src="data:image/png;base64,{encoded[:200]}' in html
        assert base64.b64decode(encoded)[:8] == b"\x89PNG\r\n\x1a\n"


def test_notebook_02_has_a_picture_of_its_kernel_editor():
    notebook = nbformat.read(ROOT / "notebooks" / "02_image_kernels.ipynb", as_version=4)
    assert len(list(live_view_pictures(notebook, named="KernelEditor("))) == 1
    html, _ = HTMLExporter().from_notebook_node(notebook)
    assert html.count("<img") >= sum(
        1 for cell in notebook.cells for output in cell.get("outputs", []) if "image/png" in output.get("data", {})
    )

"""Notebooks as HTML pages whose live views keep working without a kernel.

``jupyter nbconvert --to html`` shows each live view's PNG. :func:`export_html` goes further: every
output that carries a browser view's module and state (:data:`~convlib.book.widgets.browser_view.LIVE_MIMETYPE`)
becomes that view, running in the page from the embedded state (no kernel, no widget manager,
nothing fetched: the module is inlined), with the PNG shown until it starts and as its fallback.

``scripts/export_html.py`` is the command line.
"""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, SlidesExporter
from nbconvert.preprocessors import Preprocessor

from convlib.book.widgets.browser_view import LIVE_MIMETYPE, static_html

__all__ = ["FigureAltPreprocessor", "LiveViewPreprocessor", "export_html", "export_slides"]

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: On a slide, code longer than this is folded under "Code" below what it computes.
SLIDE_CODE_LINES = 12

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class LiveViewPreprocessor(Preprocessor):
    """Turn each output carrying :data:`LIVE_MIMETYPE` into HTML that runs the view from its state."""

    def preprocess(self, nb, resources):
        count = 0
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if LIVE_MIMETYPE not in data:
                    continue
                count += 1
                live = data[LIVE_MIMETYPE]
                picture = "".join(data.get("image/png", "")).replace("\n", "")
                alt = str(live.get("alt") or "".join(data.get("text/plain", "")))
                html = static_html(live, picture, alt, f"convlib-live-{count}")
                output["data"] = {"text/html": html, "text/plain": data.get("text/plain", "")}
        resources.setdefault("convlib", {})["live_views"] = count
        return nb, resources


class FigureAltPreprocessor(Preprocessor):
    """Give each figure its text alternative: the ``alt`` the notebook's author wrote in the cell's metadata.

    nbconvert writes a PNG output as an ``<img>`` with no ``alt`` (and warns "Alternative text is
    missing"); a figure cell carries ``metadata.alt``, so its PNG becomes an ``<img alt="...">``.
    """

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            alt = cell.get("metadata", {}).get("alt")
            if not alt:
                continue
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/png" in data and "text/html" not in data:
                    picture = "".join(data["image/png"]).replace("\n", "")
                    data["text/html"] = f'<img src="data:image/png;base64,{picture}" alt="{html.escape(str(alt))}">'
        return nb, resources


def export_html(path: str | Path) -> tuple[str, int]:
    """The notebook at ``path`` as one HTML page, and how many live views run in it.

    Examples
    --------
    >>> from pathlib import Path
    >>> page, live = export_html(Path(__file__).parents[2] / "notebooks" / "02_image_kernels.ipynb")
    >>> live >= 1 and 'type="module"' in page
    True
    """
    notebook = nbformat.read(Path(path), as_version=4)
    exporter = HTMLExporter()
    exporter.register_preprocessor(LiveViewPreprocessor(), enabled=True)
    exporter.register_preprocessor(FigureAltPreprocessor(), enabled=True)
    html, resources = exporter.from_notebook_node(notebook)
    return html, resources.get("convlib", {}).get("live_views", 0)


def export_slides(path: str | Path, static: str = "_static") -> tuple[str, int]:
    """The notebook at ``path`` as reveal.js slides, and how many live views run in them.

    The slides follow each cell's ``slideshow`` metadata; they are laid out for a 1280×720 screen.
    reveal.js and MathJax are loaded from ``{static}/reveal`` and ``{static}/mathjax`` beside the page
    (``scripts/export_slides.sh`` puts them there), so the slides open offline. A cell whose output is
    a figure or a live view, or whose code is longer than :data:`SLIDE_CODE_LINES` lines, shows its
    output with its code folded under "Code"; teacher notes (``slide_type: notes``) go to the speaker
    view.
    """
    notebook = nbformat.read(Path(path), as_version=4)
    for cell in notebook.cells:
        shows = {key for output in cell.get("outputs", []) for key in output.get("data", {})}
        long = len(cell.source.splitlines()) > SLIDE_CODE_LINES and bool(cell.get("outputs"))
        if cell.cell_type == "code" and (shows & {"image/png", LIVE_MIMETYPE} or long):
            cell.metadata["convlib_fold_input"] = True
    exporter = SlidesExporter(
        template_name="convlib_slides",
        extra_template_basedirs=[str(TEMPLATES)],
        reveal_url_prefix=f"{static}/reveal",
        reveal_width="1280",
        reveal_height="720",
        reveal_number="c/t",
        reveal_theme="white",  # its fonts ship with reveal.js (some themes fetch theirs from Google)
    )
    exporter.register_preprocessor(LiveViewPreprocessor(), enabled=True)
    exporter.register_preprocessor(FigureAltPreprocessor(), enabled=True)
    slides, resources = exporter.from_notebook_node(notebook, resources={"convlib_static": static})
    return slides, resources.get("convlib", {}).get("live_views", 0)

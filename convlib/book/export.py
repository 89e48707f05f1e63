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
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from convlib.book.widgets.browser_view import LIVE_MIMETYPE, static_html

__all__ = ["FigureAltPreprocessor", "LiveViewPreprocessor", "export_html"]


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


"""Notebook 01 exported as HTML keeps its flip-slide view live from disk, offline, with no kernel.

``convlib.book.export.export_html`` inlines the view's module and state. The page is opened from
``file://`` with every network request refused; the view must start, answer the arrow keys and the
buttons, and show Python's terms and sums for the position it shows.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pytest
from live_pages import drawn_view, fetched_by_views, latencies, open_offline, press_and_wait, redraws
from test_flip_slide_in_jupyterlab import SHOWN

from convlib.book.figures.signals import flip_slide_terms
from convlib.book.widgets.browser_view import LIVE_MIMETYPE

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = REPO / "notebooks" / "01_convolution_1d.ipynb"


def stored_state() -> dict:
    """The flip-slide view's state as stored in the notebook's output (what the exported page starts from)."""
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        for output in cell.get("outputs", []):
            live = output.get("data", {}).get(LIVE_MIMETYPE)
            if live and live["module"] == "flip_slide":
                return live["state"]
    raise AssertionError("notebook 01 stores no flip-slide view")


def test_exported_flip_slide_is_live_offline(chromium, tmp_path):
    state = stored_state()
    signal, kernel = np.array(state["signal"]), np.array(state["kernel"])
    last = signal.size + kernel.size - 2
    with open_offline(chromium, NOTEBOOK, tmp_path, live=2) as (page, errors, refused):
        view = drawn_view(page, ".convlib-fs")
        assert not errors, errors

        def shown_equals_python(what: str) -> int:
            shown = view.evaluate(SHOWN)
            m, products, total = flip_slide_terms(signal, kernel, shown["n"])
            assert shown["m"] == m.tolist() and shown["products"] == products.tolist(), what
            assert shown["sum"] == total and shown["slider"] == shown["n"], what
            return shown["n"]

        assert shown_equals_python("as exported") == state["n"]
        slider = view.get_by_label("output position n")
        slider.focus()
        for key, expected in (("ArrowRight", state["n"] + 1), ("ArrowLeft", state["n"]), ("End", last), ("Home", 0)):
            press_and_wait(page, view, key)
            assert shown_equals_python(f"after {key}") == expected
        with redraws(page, view):
            view.get_by_label("next output sample").click()
        assert shown_equals_python("after +") == 1
        assert len(latencies(page, 0, "flip_slide")) >= 5
        assert not errors, errors
        assert not fetched_by_views(refused)

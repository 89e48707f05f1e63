"""Notebook 01 exported as HTML keeps its MovingAverageExplorer live from disk, offline, with no kernel.

``convlib.book.export.export_html`` inlines the view's module and state. The page is opened from
``file://`` with every network request refused; the explorer must start, answer key presses, the
pointer and the boundary chooser, and show convlib's values for the state it shows.
"""

from __future__ import annotations

import base64
from pathlib import Path

import nbformat
import numpy as np
import pytest
from test_moving_average_in_jupyterlab import EPS, SHOWN, drawn, smoothed_as_browser_adds, wait_drawn

import convlib
from convlib.book.export import export_html
from convlib.book.widgets.browser_view import LIVE_MIMETYPE

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = REPO / "notebooks" / "01_convolution_1d.ipynb"


class _Page:  # what wait_drawn needs of a LabPage
    def __init__(self, page) -> None:
        self.page = page


def stored_signal() -> np.ndarray:
    """The explorer's signal as stored in the notebook's output (what the exported page starts from)."""
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        for output in cell.get("outputs", []):
            live = output.get("data", {}).get(LIVE_MIMETYPE)
            if live and live["module"] == "moving_average":
                return np.frombuffer(base64.b64decode(live["state"]["signal"]["base64"]), "<f8")
    raise AssertionError("notebook 01 stores no moving-average view")


def test_exported_moving_average_is_live_offline(chromium, tmp_path):
    page_html, live = export_html(NOTEBOOK)
    assert live == 1
    target = tmp_path / "01_convolution_1d.html"
    target.write_text(page_html, encoding="utf-8")
    signal = stored_signal()

    context = chromium.new_context(viewport={"width": 1280, "height": 720})
    refused = []

    def refuse_the_network(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", refuse_the_network)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(target.as_uri())
        view = page.locator(".convlib-ma")
        view.wait_for(state="visible", timeout=15_000)
        page.wait_for_function("(root) => Number(root.dataset.drawn) > 0", arg=view.element_handle())
        assert not errors, errors
        lab = _Page(page)

        def shown_equals_convlib(what: str) -> dict:
            shown = view.evaluate(SHOWN)
            width, boundary = shown["width"], shown["boundary"]
            values = np.array(shown["smoothed"])
            np.testing.assert_array_equal(values, smoothed_as_browser_adds(signal, width, boundary), err_msg=what)
            reference = convlib.convolve1d(signal, np.full(width, 1 / width), mode="same", boundary=boundary)
            np.testing.assert_allclose(values, reference, rtol=0, atol=4 * width * EPS * np.abs(signal).max())
            assert shown["slider"] == width and shown["select"] == boundary
            return shown

        assert shown_equals_convlib("as exported")["width"] == 9
        slider = view.get_by_label("moving average width (samples)")
        slider.focus()
        for key, expected in (("ArrowRight", 10), ("ArrowUp", 11), ("ArrowLeft", 10)):
            count = drawn(view)
            page.keyboard.press(key)
            wait_drawn(lab, view, count)
            assert shown_equals_convlib(f"after {key}")["width"] == expected
        count = drawn(view)
        box = slider.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
        wait_drawn(lab, view, count)
        assert shown_equals_convlib("after a click on the slider")["width"] > 35
        count = drawn(view)
        view.get_by_label("boundary", exact=True).select_option("reflect")
        wait_drawn(lab, view, count)
        assert shown_equals_convlib("after boundary reflect")["boundary"] == "reflect"
        records = page.evaluate("(window.__convlibLatency || []).filter((r) => r.view === 'moving_average')")
        assert sum(r["latency_ms"] is not None for r in records) >= 5
        assert not errors, errors
        # The live view itself fetched nothing (the page's own CDN scripts, if any, were refused).
        assert not [url for url in refused if "convlib" in url or url.startswith("blob:")]
    finally:
        context.close()

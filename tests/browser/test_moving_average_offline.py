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
from live_pages import drawn_view, fetched_by_views, latencies, open_offline, press_and_wait, redraws
from test_moving_average_in_jupyterlab import EPS, SHOWN, smoothed_as_browser_adds

import convlib
from convlib.book.widgets.browser_view import LIVE_MIMETYPE

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = REPO / "notebooks" / "01_convolution_1d.ipynb"


def stored_signal() -> np.ndarray:
    """The explorer's signal as stored in the notebook's output (what the exported page starts from)."""
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        for output in cell.get("outputs", []):
            live = output.get("data", {}).get(LIVE_MIMETYPE)
            if live and live["module"] == "moving_average":
                return np.frombuffer(base64.b64decode(live["state"]["signal"]["base64"]), "<f8")
    raise AssertionError("notebook 01 stores no moving-average view")


def test_exported_moving_average_is_live_offline(chromium, tmp_path):
    signal = stored_signal()
    with open_offline(chromium, NOTEBOOK, tmp_path, live=2) as (page, errors, refused):
        view = drawn_view(page, ".convlib-ma")
        assert not errors, errors

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
            press_and_wait(page, view, key)
            assert shown_equals_convlib(f"after {key}")["width"] == expected
        box = slider.bounding_box()
        with redraws(page, view):
            page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
        assert shown_equals_convlib("after a click on the slider")["width"] > 35
        with redraws(page, view):
            view.get_by_label("boundary", exact=True).select_option("reflect")
        assert shown_equals_convlib("after boundary reflect")["boundary"] == "reflect"
        assert len(latencies(page, 0, "moving_average")) >= 5
        assert not errors, errors
        # The live view itself fetched nothing (the page's own CDN scripts, if any, were refused).
        assert not fetched_by_views(refused)

"""Notebook 02 exported as HTML keeps its WindowStepper live from disk, offline, with no kernel.

``convlib.book.export.export_html`` inlines the view's module and state. The page is opened from
``file://`` with every network request refused; the stepper must start, move its window with the
slider's keys, the grid's arrow keys and the buttons, and show convlib's values for the position it shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from live_pages import drawn_view, fetched_by_views, latencies, open_offline, press_and_wait, redraws
from test_window_stepper_in_jupyterlab import SHOWN, stored_stepper

import convlib

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = REPO / "notebooks" / "02_image_kernels.ipynb"


def test_exported_window_stepper_is_live_offline(chromium, tmp_path):
    image, kernel = stored_stepper(NOTEBOOK)
    reference = convlib.correlate2d(image, kernel, mode="valid")
    with open_offline(chromium, NOTEBOOK, tmp_path, live=2) as (page, errors, refused):
        view = drawn_view(page, ".convlib-ws")
        assert not errors, errors

        def shown_equals_convlib(what: str) -> dict:
            shown = view.evaluate(SHOWN)
            row, column = divmod(shown["position"], reference.shape[1])
            assert (shown["row"], shown["column"]) == (row, column), what
            window = image[row : row + kernel.shape[0], column : column + kernel.shape[1]]
            np.testing.assert_array_equal(shown["products"], (window * kernel).ravel(), err_msg=what)
            assert shown["sum"] == reference[row, column], what
            np.testing.assert_array_equal(shown["output"], reference.ravel(), err_msg=what)
            assert shown["slider"] == shown["position"], what
            return shown

        assert shown_equals_convlib("as exported")["position"] == 0
        slider = view.get_by_label("output position")
        slider.focus()
        for key, expected in (("ArrowRight", 1), ("ArrowRight", 2), ("ArrowLeft", 1)):
            press_and_wait(page, view, key)
            assert shown_equals_convlib(f"after {key}")["position"] == expected
        view.locator("svg[data-role=grids]").focus()
        press_and_wait(page, view, "ArrowDown")
        assert shown_equals_convlib("after ArrowDown on the grid")["position"] == 1 + reference.shape[1]
        with redraws(page, view):
            view.get_by_label("next position").click()
        assert shown_equals_convlib("after next")["position"] == 2 + reference.shape[1]
        assert len(latencies(page, 0, "window_stepper")) >= 5
        assert not errors, errors
        assert not fetched_by_views(refused)

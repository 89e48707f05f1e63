"""A notebook exported as HTML keeps its live views working from disk, offline, with no kernel.

``convlib.book.export.export_html`` inlines each browser view's module and state. The page is opened
from ``file://`` with every network request refused; the kernel editor must start, answer a key
press, and show exactly convlib's picture for the state it shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from live_pages import canvas_pixels, drawn_view, fetched_by_views, open_offline, page_state, press_and_wait

from convlib.book.widgets.kernel_editor.rendering import render

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = REPO / "notebooks" / "02_image_kernels.ipynb"


def test_exported_kernel_editor_is_live_offline(chromium, tmp_path):
    with open_offline(chromium, NOTEBOOK, tmp_path, live=2) as (page, errors, refused):
        editor = drawn_view(page, ".convlib-ke")
        assert not errors, errors
        image = canvas_pixels(editor.locator("canvas.picture").first) / 255.0

        def shown_equals_convlib(what: str) -> dict:
            state = page_state(editor)
            expected = render(
                image, state["weights"], normalise=state["normalise"], operation=state["operation"],
                boundary=state["boundary"], scaling=state["scaling"],
            ).pixels  # fmt: skip
            shown = canvas_pixels(editor.locator("canvas[data-role=output]"))
            assert np.array_equal(shown, expected), f"{what}: {int((shown != expected).sum())} pixels differ"
            return state

        before = shown_equals_convlib("as exported")
        editor.locator("input.cell").nth(4).focus()
        press_and_wait(page, editor, "ArrowUp")
        after = shown_equals_convlib("after ArrowUp")
        assert after["weights"][1, 1] == before["weights"][1, 1] + 0.25
        assert editor.get_attribute("data-engine") == "wasm", "the page filtered without WebAssembly"
        # Hovering outlines the pixel's window on both pictures, large enough to see on a projector.
        output = editor.locator("canvas[data-role=output]").bounding_box()
        page.mouse.move(output["x"] + output["width"] * 0.4, output["y"] + output["height"] * 0.6)
        boxes = editor.locator(".window")
        assert boxes.count() == 2
        for index in range(2):
            box = boxes.nth(index).bounding_box()
            assert box is not None and box["width"] >= 12 and box["height"] >= 12, box
        assert "sum of weight x pixel" in editor.locator(".hover").inner_text()
        assert not errors, errors
        # The live view itself fetched nothing (the page's own CDN scripts, if any, were refused).
        assert not fetched_by_views(refused)

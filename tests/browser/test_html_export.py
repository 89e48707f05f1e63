"""A notebook exported as HTML keeps its live views working from disk, offline, with no kernel.

``convlib.book.export.export_html`` inlines each browser view's module and state. The page is opened
from ``file://`` with every network request refused; the kernel editor must start, answer a key
press, and show exactly convlib's picture for the state it shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from live_pages import canvas_pixels, drawn, page_state

from convlib.book.export import export_html
from convlib.book.widgets.kernel_editor.rendering import render

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent


def test_exported_kernel_editor_is_live_offline(chromium, tmp_path):
    page_html, live = export_html(REPO / "notebooks" / "02_image_kernels.ipynb")
    assert live == 1
    target = tmp_path / "02_image_kernels.html"
    target.write_text(page_html, encoding="utf-8")

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
        editor = page.locator(".convlib-ke")
        editor.wait_for(state="visible", timeout=15_000)
        page.wait_for_function("(root) => Number(root.dataset.drawn) > 0", arg=editor.element_handle())
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
        count = drawn(editor)
        editor.locator("input.cell").nth(4).focus()
        page.keyboard.press("ArrowUp")
        page.wait_for_function(
            "([root, count]) => Number(root.dataset.drawn) > count", arg=[editor.element_handle(), count]
        )
        after = shown_equals_convlib("after ArrowUp")
        assert after["weights"][1, 1] == before["weights"][1, 1] + 0.25
        assert not errors, errors
        # The live view itself fetched nothing (the page's own CDN scripts, if any, were refused).
        assert not [url for url in refused if "convlib" in url or url.startswith("blob:")]
    finally:
        context.close()

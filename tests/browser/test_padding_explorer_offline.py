"""Notebook 03 exported as HTML keeps both live views working from disk, offline, with no kernel.

``convlib.book.export.export_html`` inlines each view's module and state. The page is opened from
``file://`` with every network request refused; the output-size explorer must answer arrow keys and
the pointer with convlib's output size and taps, and the border-mode explorer must switch modes and
show exactly convlib's pictures.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from live_pages import canvas_pixels, fetched_by_views, open_offline, press_and_wait, redraws

import convlib
from convlib.book.widgets.padding_explorer import window_taps
from convlib.sizes import output_size

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = REPO / "notebooks" / "03_borders_and_output_size.ipynb"
SETTINGS = ("n", "kernel_size", "stride", "padding", "dilation", "row", "column")


def check_output_size(view) -> dict:
    s = {name: int(view.locator(f"input[data-setting={name}]").input_value()) for name in SETTINGS}
    size = output_size(s["n"], s["kernel_size"], s["stride"], s["padding"], s["dilation"])
    assert int(view.locator(".convlib-output-size").inner_text()) == size
    taps = view.locator("svg[data-role=input] rect[data-at][data-kind$=tap]").evaluate_all(
        "(nodes) => nodes.map((node) => node.dataset.at.split(',').map(Number))"
    )
    args = (s["n"], s["kernel_size"])
    rows = window_taps(*args, s["row"], s["stride"], s["padding"], s["dilation"])
    columns = window_taps(*args, s["column"], s["stride"], s["padding"], s["dilation"])
    assert sorted(map(tuple, taps)) == sorted((int(r), int(c)) for r in rows for c in columns)
    return s


def test_exported_padding_explorers_are_live_offline(chromium, tmp_path):
    with open_offline(chromium, NOTEBOOK, tmp_path, live=2) as (page, errors, refused):
        sizes, borders = page.locator(".convlib-os"), page.locator(".convlib-bm")
        sizes.wait_for(state="visible", timeout=15_000)
        borders.wait_for(state="visible", timeout=15_000)
        assert not errors, errors

        # --- output size: as exported, then arrow keys and the pointer ---
        before = check_output_size(sizes)
        assert [before[name] for name in ("n", "kernel_size", "stride", "row", "column")] == [6, 3, 2, 1, 1]
        sizes.locator("input[data-setting=padding]").focus()
        press_and_wait(page, sizes, "ArrowRight")
        after = check_output_size(sizes)
        assert after["padding"] == 1
        with redraws(page, sizes):
            sizes.locator("svg[data-role=output] rect[data-cell='2,0']").click()
        assert (check_output_size(sizes)["row"], check_output_size(sizes)["column"]) == (2, 0)

        # --- border mode: convlib's pictures for the mode chosen ---
        camera = np.asarray(convlib.load_image("camera", gray=True))[::4, ::4]
        box = convlib.kernels.box(9)
        for mode in ("constant", "wrap", "edge"):
            if mode != "constant":
                with redraws(page, borders):
                    borders.locator(f"button[data-mode={mode}]").click()
            assert borders.locator("button[aria-checked=true]").get_attribute("data-mode") == mode
            expected = convlib.to_uint8(convlib.correlate2d(camera, box, "same", boundary=mode), scaling="clip")
            assert np.array_equal(canvas_pixels(borders.locator("canvas[data-role=output]")), expected), mode
            padded = convlib.to_uint8(convlib.pad(camera, 4, mode), scaling="clip")
            assert np.array_equal(canvas_pixels(borders.locator("canvas[data-role=padded]")), padded), mode
        assert not errors, errors
        # The live views fetched nothing (the page's own CDN scripts, if any, were refused).
        assert not fetched_by_views(refused)

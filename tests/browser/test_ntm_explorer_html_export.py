"""Notebook 08 exported as HTML keeps the NTM explorer live from disk, offline, with no kernel.

``convlib.book.export.export_html`` inlines the explorer's module and state. The page is opened from
``file://`` with every network request refused; the explorer must start, answer key presses and a
pointer drag, and show convlib.shifting's values (within 1e-12) for the state it shows.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from live_pages import drawn, drawn_view, fetched_by_views, open_offline, press_and_wait
from test_ntm_explorer_in_jupyterlab import SHOWN

from convlib.book.widgets.ntm_explorer import SHIFTS, head_trajectory
from convlib.shifting import ntm_interpolate, ntm_sharpen, ntm_shift

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = REPO / "notebooks" / "08_shifting_signals.ipynb"


def shown_equals_convlib(view, what: str) -> dict:
    page = view.evaluate(SHOWN)
    sliders, bars = page["sliders"], page["bars"]
    raw = np.array([sliders["s(-1)"], sliders["s(0)"], sliders["s(+1)"]])
    s = np.full(3, 1 / 3) if raw.sum() == 0 else raw / raw.sum()
    previous, content = np.array(bars["previous"]), np.array(bars["content"])
    shifted = ntm_shift(ntm_interpolate(content, previous, sliders["gate"]), s, SHIFTS)
    rows = head_trajectory(previous, s, sliders["gamma"], len(page["rows"]) - 1, content, sliders["gate"])
    for name, browser, python in (
        ("shifted", bars["shifted"], shifted),
        ("sharpened", bars["sharpened"], ntm_sharpen(shifted, sliders["gamma"])),
        ("heat map", page["rows"], rows),
    ):
        difference = float(np.max(np.abs(np.asarray(browser) - python)))
        assert difference <= 1e-12, f"{what}: {name} differs from convlib by {difference:.3g}"
    return page


def test_exported_ntm_explorer_is_live_offline(chromium, tmp_path):
    with open_offline(chromium, NOTEBOOK, tmp_path, live=1) as (page, errors, refused):
        view = drawn_view(page, ".convlib-ntm")
        assert not errors, errors
        before = shown_equals_convlib(view, "as exported")
        assert before["sliders"] == {"s(-1)": 0.05, "s(0)": 0.15, "s(+1)": 0.8, "gamma": 1, "gate": 0}

        gamma = view.get_by_label("sharpening exponent gamma")
        gamma.focus()
        for _ in range(4):
            press_and_wait(page, view, "ArrowUp")
        after = shown_equals_convlib(view, "after 4 x ArrowUp")
        assert after["sliders"]["gamma"] == 2.0
        assert max(after["bars"]["sharpened"]) > max(before["bars"]["sharpened"])

        count = drawn(view)
        box = view.get_by_label("interpolation gate g").bounding_box()
        y = box["y"] + box["height"] / 2
        page.mouse.move(box["x"] + 8, y)
        page.mouse.down()
        for fraction in (0.3, 0.5, 0.7, 0.9):
            page.mouse.move(box["x"] + 8 + (box["width"] - 16) * fraction, y)
            page.wait_for_timeout(50)
        page.mouse.up()
        assert drawn(view) > count
        dragged = shown_equals_convlib(view, "after a pointer drag on the gate")
        assert dragged["sliders"]["gate"] >= 0.8
        assert not errors, errors
        # The live view itself fetched nothing (the page's own CDN scripts, if any, were refused).
        assert not fetched_by_views(refused)

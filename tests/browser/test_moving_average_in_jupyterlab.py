"""The MovingAverageExplorer in JupyterLab 4, in headless Chromium, as a learner uses it.

Opens notebook 01 in a private JupyterLab (``conftest.py``), runs all cells, finds the explorer and
changes its width with the keyboard (arrow keys on the slider), with the pointer (dragging the
slider, the − and + buttons) and its boundary with the chooser. After each change it checks that the
values the page shows (the smoothed curve drawn, and the values the view holds) are convlib's for the
state the page shows, and that Python's ``explorer`` received that state (the browser computes;
Python stays the reference).

It measures input → plot painted over LATENCY_MOVES key presses and as many pointer moves and writes
median and p95 to ``benchmarks/results/browser_latency_moving_average.json`` (a benchmark figure, not
a timed assertion); checks that the view fits a 1280x720 screen with JupyterLab's sidebar open with
its text at 12 px or more, and that the notebook shows no "Error displaying widget", also after it is
saved and reopened.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pytest
from live_pages import (
    assert_within,
    beside_the_sidebar,
    box_on_screen,
    environment,
    key_latencies,
    latencies,
    press_and_wait,
    record_count,
    redraws,
    save_and_reopen,
    smallest_text_px,
    summary,
    wait_drawn,
    write_results,
)

import convlib
from convlib.engines.shift_add import correlate2d_valid_readable
from convlib.sizes import mode_padding

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESULTS = REPO / "benchmarks" / "results" / "browser_latency_moving_average.json"
SCREENSHOT = REPO / "test-artifacts" / "moving_average.png"
NOTEBOOK = REPO / "notebooks" / "01_convolution_1d.ipynb"

VIEW = "moving_average"  # the view's name in the latency records
LATENCY_MOVES = 40
GAP_MS = 60  # time between inputs, so that each is measured alone
EPS = np.finfo(np.float64).eps
PLOT = {"width": 680, "height": 300, "left": 60, "right": 14, "top": 40, "bottom": 46}  # js/moving_average.js

# What the view shows: its state, the values it holds, the plot's y range and the smoothed curve's path.
SHOWN = """
(root) => ({
  width: Number(root.dataset.width), boundary: root.dataset.boundary,
  slider: Number(root.querySelector("input[data-role=width]").value),
  select: root.querySelector("select").value,
  readout: root.querySelector(".readout").textContent,
  smoothed: Array.from(root.convlibShown.smoothed),
  lo: Number(root.dataset.yLow), hi: Number(root.dataset.yHigh),
  path: root.querySelector("path[data-role=smoothed]").getAttribute("d"),
  drawn: Number(root.dataset.drawn),
})
"""


def smoothed_as_browser_adds(signal: np.ndarray, width: int, boundary: str) -> np.ndarray:
    """convlib's readable shift-and-add over the signal padded for mode="same": the browser's order exactly."""
    padded = np.pad(signal, mode_padding(width, "same"), mode=boundary)
    return correlate2d_valid_readable(padded[np.newaxis], np.full((1, width), 1 / width))[0]


def curve_points(path: str) -> np.ndarray:
    return np.array([float(y) for y in re.findall(r"[ML][-\d.]+ ([-\d.]+)", path)])


def check_shown(lab, view, signal: np.ndarray, what: str) -> dict:
    shown = view.evaluate(SHOWN)
    width, boundary = shown["width"], shown["boundary"]
    assert shown["slider"] == width and shown["select"] == boundary, f"{what}: controls disagree with {shown}"
    assert f"np.full({width}, 1/{width})" in shown["readout"] and f"boundary='{boundary}'" in shown["readout"]
    values = np.array(shown["smoothed"])
    np.testing.assert_array_equal(values, smoothed_as_browser_adds(signal, width, boundary), err_msg=what)
    reference = convlib.convolve1d(signal, np.full(width, 1 / width), mode="same", boundary=boundary)
    # convolve1d may add in another order (BLAS): rounding only (see test_moving_average_parity.py)
    np.testing.assert_allclose(values, reference, rtol=0, atol=4 * width * EPS * np.abs(signal).max(), err_msg=what)
    # the curve drawn is these values on the plot's scale (to the 0.1 px the path is written with)
    lo, hi = shown["lo"], shown["hi"]
    height = PLOT["height"] - PLOT["top"] - PLOT["bottom"]
    expected_y = PLOT["top"] + (1 - (reference - lo) / (hi - lo)) * height
    drawn_y = curve_points(shown["path"])
    assert drawn_y.shape == reference.shape, f"{what}: {drawn_y.size} points drawn for {reference.size} samples"
    assert np.abs(drawn_y - expected_y).max() <= 0.05 + 1e-6, f"{what}: the curve drawn is not convlib's values"
    # Python received the same state, and its reference values are the ones shown
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        in_python = lab.kernel_value("(explorer.width, explorer.boundary)")
        if in_python == repr((width, boundary)):
            break
        lab.page.wait_for_timeout(100)
    else:
        pytest.fail(f"{what}: Python's explorer has {in_python}, the page shows {(width, boundary)}")
    python_values = np.array(json.loads(lab.kernel_value("explorer.smoothed.tolist()")))
    np.testing.assert_array_equal(python_values, reference, err_msg=f"{what}: Python's smoothed")
    return shown


@pytest.mark.browser
def test_moving_average_in_jupyterlab(open_notebook, chromium):
    started = time.monotonic()
    lab = open_notebook(NOTEBOOK)
    page = lab.page
    lab.run_all()
    assert not lab.errors(), f"the notebook printed errors: {lab.errors()}"
    assert "Error displaying widget" not in lab.panel.inner_text()
    view = lab.panel.locator(".convlib-ma").first
    view.scroll_into_view_if_needed()
    wait_drawn(page, view, 0)
    signal = np.array(json.loads(lab.kernel_value("explorer.signal.tolist()")))
    np.testing.assert_array_equal(view.evaluate("(root) => Array.from(root.convlibShown.signal)"), signal)
    shown = check_shown(lab, view, signal, "after Run All")
    assert (shown["width"], shown["boundary"]) == (9, "constant")

    # --- keyboard: the arrow keys on the slider (JupyterLab must not take them) ---
    slider = view.get_by_label("moving average width (samples)")
    slider.focus()
    active_cell = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCellIndex")
    for key, expected in (("ArrowRight", 10), ("ArrowRight", 11), ("ArrowLeft", 10), ("End", 51), ("Home", 1)):
        press_and_wait(page, view, key)
        shown = check_shown(lab, view, signal, f"after {key}")
        assert shown["width"] == expected, f"{key} gave width {shown['width']}, expected {expected}"
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCellIndex") == active_cell
    assert page.evaluate("() => document.activeElement.dataset.role") == "width", "the slider lost the focus"

    # --- pointer: the buttons, then a drag along the slider ---
    with redraws(page, view):
        view.get_by_label("wider window").click()
    assert check_shown(lab, view, signal, "after +")["width"] == 2
    box = box_on_screen(slider)
    y = box["y"] + box["height"] / 2
    with redraws(page, view):
        page.mouse.move(box["x"] + box["width"] * 0.1, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=8)
        page.mouse.up()
    shown = check_shown(lab, view, signal, "after a drag")
    assert 25 <= shown["width"] <= 35, f"a drag to 60% of the slider gave width {shown['width']}"

    # --- the boundary chooser ---
    for boundary in ("edge", "reflect", "wrap", "symmetric", "constant"):
        with redraws(page, view):
            view.get_by_label("boundary", exact=True).select_option(boundary)
        assert check_shown(lab, view, signal, f"after boundary {boundary}")["boundary"] == boundary

    # --- latency: key presses -> plot painted ---
    keys, keys_compute = key_latencies(page, view, slider, ("ArrowRight", "ArrowLeft"), VIEW, LATENCY_MOVES, GAP_MS)
    check_shown(lab, view, signal, "after the key presses")

    # --- latency: pointer moves dragging the slider (each move a new width) ---
    first = record_count(page)
    box = box_on_screen(slider)
    y = box["y"] + box["height"] / 2
    fractions = [0.15 + 0.7 * (move % 10) / 9 for move in range(LATENCY_MOVES)]  # back and forth, ~23 px apart
    page.mouse.move(box["x"] + box["width"] * fractions[-1], y)
    page.mouse.down()
    for fraction in fractions:
        with redraws(page, view):
            page.mouse.move(box["x"] + box["width"] * fraction, y)
        page.wait_for_timeout(GAP_MS)
    page.mouse.up()
    pointer = latencies(page, first, VIEW)
    assert len(pointer) >= LATENCY_MOVES, f"only {len(pointer)} plots for {LATENCY_MOVES} pointer moves"
    check_shown(lab, view, signal, "after the pointer moves")

    # --- hovering the plot reads one sample's values ---
    plot = view.locator("svg[data-role=plot]")
    plot_box = box_on_screen(plot)
    scale = plot_box["width"] / PLOT["width"]
    sample = 100
    inner = PLOT["width"] - PLOT["left"] - PLOT["right"]
    x = plot_box["x"] + (PLOT["left"] + sample / (signal.size - 1) * inner) * scale
    page.mouse.move(x, plot_box["y"] + plot_box["height"] / 2)
    hover = view.locator(".hover").inner_text()
    shown = view.evaluate(SHOWN)
    assert hover.startswith(f"sample {sample}: noisy {signal[sample]:.3f}"), hover
    assert f"moving average {shown['smoothed'][sample]:.3f}" in hover, hover

    # --- fits 1280x720 with the sidebar open, text at 12 px or more ---
    with beside_the_sidebar(lab, view, SCREENSHOT) as panel_box:
        assert_within(view, ("svg[data-role=plot]", ".controls", ".readout", "select"), panel_box)
        smallest = smallest_text_px(view, "span, label, button, select, .readout, code")
        assert smallest >= 12, f"text as small as {smallest:.1f} px"

    # --- save and reopen: never "Error displaying widget" ---
    save_and_reopen(lab)
    assert "Error displaying widget" not in lab.panel.inner_text()

    results = {
        "what": "MovingAverageExplorer in JupyterLab, headless Chromium: input -> plot painted (computed in browser)",
        "notebook": NOTEBOOK.name,
        "signal_samples": int(signal.size),
        "gap_between_inputs_ms": GAP_MS,
        "key_press": summary(keys),
        "pointer_move": summary(pointer),
        "compute_and_draw": summary(keys_compute),
        "samples_key_ms": [round(value, 1) for value in keys],
        "samples_pointer_ms": [round(value, 1) for value in pointer],
        **environment(chromium),
    }
    write_results(RESULTS, results)
    print(
        f"\nMovingAverageExplorer key press -> painted: {results['key_press']}; pointer move -> painted: "
        f"{results['pointer_move']}; compute and draw: {results['compute_and_draw']}; "
        f"test took {time.monotonic() - started:.1f} s"
    )

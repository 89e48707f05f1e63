"""The flip-slide view in JupyterLab 4, in headless Chromium, as a learner uses it.

Opens notebook 01 in a private JupyterLab (``conftest.py``), runs all cells, finds the flip-slide
view and steps the output position with the keyboard (arrow keys, Home, End on the slider) and the
pointer (the − and + buttons, a drag along the slider). After each step it checks that what the page
shows (the overlap, each product, the sum, the output so far, the equation) is Python's for the
position shown, and that Python's ``stepper`` received that position.

It measures key press → picture painted over LATENCY_MOVES key presses (median and p95, target
median <= 16 ms and p95 <= 33 ms) and writes them to
``benchmarks/results/browser_latency_flip_slide.json`` (a benchmark figure, not a timed assertion);
checks that the view fits a 1280x720 screen with JupyterLab's sidebar open with its text at 12 px or
more, and that the notebook shows no "Error displaying widget", also after it is saved and reopened.
"""

from __future__ import annotations

import ast
import json
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
    press_and_wait,
    redraws,
    save_and_reopen,
    smallest_text_px,
    summary,
    wait_drawn,
    write_results,
)

from convlib.book.figures.signals import flip_slide_terms

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESULTS = REPO / "benchmarks" / "results" / "browser_latency_flip_slide.json"
SCREENSHOT = REPO / "test-artifacts" / "flip_slide.png"
NOTEBOOK = REPO / "notebooks" / "01_convolution_1d.ipynb"

VIEW = "flip_slide"  # the view's name in the latency records
LATENCY_MOVES = 40
GAP_MS = 60  # time between inputs, so that each is measured alone

# What the view shows: its position, the terms it holds, the slider and the equation written.
SHOWN = """
(root) => ({
  n: Number(root.dataset.n), m: root.convlibShown.m, products: root.convlibShown.products,
  sum: root.convlibShown.sum, output: root.convlibShown.output,
  slider: Number(root.querySelector("input[data-role=n]").value),
  equation: root.querySelector("text[data-role=sum]").textContent,
  filled: [...root.querySelectorAll("text[data-role=output-text]")].map((t) => t.textContent),
  drawn: Number(root.dataset.drawn),
})
"""


def check_shown(lab, view, signal: np.ndarray, kernel: np.ndarray, what: str) -> dict:
    shown = view.evaluate(SHOWN)
    n = shown["n"]
    m, products, total = flip_slide_terms(signal, kernel, n)
    assert shown["slider"] == n, f"{what}: the slider shows {shown['slider']}, the view n = {n}"
    assert shown["m"] == m.tolist() and shown["products"] == products.tolist() and shown["sum"] == total, what
    full = [flip_slide_terms(signal, kernel, j)[2] for j in range(signal.size + kernel.size - 1)]
    assert shown["output"] == full, what
    assert len(shown["filled"]) == n + 1, f"{what}: {len(shown['filled'])} output cells filled for n = {n}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        in_python = lab.kernel_value("stepper.n")
        if in_python == str(n):
            break
        lab.page.wait_for_timeout(100)
    else:
        pytest.fail(f"{what}: Python's stepper has n = {in_python}, the page shows {n}")
    assert shown["equation"] == ast.literal_eval(lab.kernel_value("stepper.equation()")), what
    return shown


@pytest.mark.browser
def test_flip_slide_in_jupyterlab(open_notebook, chromium):
    started = time.monotonic()
    lab = open_notebook(NOTEBOOK)
    page = lab.page
    lab.run_all()
    assert not lab.errors(), f"the notebook printed errors: {lab.errors()}"
    assert "Error displaying widget" not in lab.panel.inner_text()
    view = lab.panel.locator(".convlib-fs").first
    view.scroll_into_view_if_needed()
    wait_drawn(page, view, 0)
    signal = np.array(json.loads(lab.kernel_value("stepper.signal.tolist()")))
    kernel = np.array(json.loads(lab.kernel_value("stepper.kernel.tolist()")))
    last = signal.size + kernel.size - 2
    assert check_shown(lab, view, signal, kernel, "after Run All")["n"] == 2

    # --- keyboard: the arrow keys, Home and End on the slider (JupyterLab must not take them) ---
    slider = view.get_by_label("output position n")
    slider.focus()
    active_cell = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCellIndex")
    for key, expected in (("ArrowRight", 3), ("ArrowRight", 4), ("ArrowLeft", 3), ("End", last), ("Home", 0)):
        press_and_wait(page, view, key)
        shown = check_shown(lab, view, signal, kernel, f"after {key}")
        assert shown["n"] == expected, f"{key} gave n = {shown['n']}, expected {expected}"
    assert page.evaluate("() => window.jupyterapp.shell.currentWidget.content.activeCellIndex") == active_cell
    assert page.evaluate("() => document.activeElement.dataset.role") == "n", "the slider lost the focus"

    # --- pointer: the buttons, then a drag to the end of the slider ---
    with redraws(page, view):
        view.get_by_label("next output sample").click()
    assert check_shown(lab, view, signal, kernel, "after +")["n"] == 1
    with redraws(page, view):
        view.get_by_label("previous output sample").click()
    assert check_shown(lab, view, signal, kernel, "after −")["n"] == 0
    box = box_on_screen(slider)
    y = box["y"] + box["height"] / 2
    with redraws(page, view):
        page.mouse.move(box["x"] + 4, y)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] - 2, y, steps=8)
        page.mouse.up()
    assert check_shown(lab, view, signal, kernel, "after a drag")["n"] == last

    # --- latency: key presses -> picture painted ---
    keys, keys_compute = key_latencies(page, view, slider, ("ArrowLeft", "ArrowRight"), VIEW, LATENCY_MOVES, GAP_MS)
    check_shown(lab, view, signal, kernel, "after the key presses")

    # --- fits 1280x720 with the sidebar open, text at 12 px or more ---
    with beside_the_sidebar(lab, view, SCREENSHOT) as panel_box:
        assert_within(view, ("svg[data-role=picture]", ".controls"), panel_box)
        for part in ("svg[data-role=picture]", ".controls"):
            height = view.locator(part).first.bounding_box()["height"]
            assert height <= 560, f"{part} is {height:.0f} px tall"
        smallest = smallest_text_px(view, "span, label, button")
        assert smallest >= 12, f"text as small as {smallest:.1f} px"

    # --- save and reopen: never "Error displaying widget" ---
    save_and_reopen(lab)
    assert "Error displaying widget" not in lab.panel.inner_text()

    results = {
        "what": "FlipSlideView in JupyterLab, headless Chromium: key press -> picture painted (computed in browser)",
        "notebook": NOTEBOOK.name,
        "signal_samples": int(signal.size),
        "kernel_samples": int(kernel.size),
        "gap_between_inputs_ms": GAP_MS,
        "target": {"median_ms": 16, "p95_ms": 33},
        "key_press": summary(keys),
        "compute_and_draw": summary(keys_compute),
        "samples_key_ms": [round(value, 1) for value in keys],
        **environment(chromium),
    }
    write_results(RESULTS, results)
    print(
        f"\nFlipSlideView key press -> painted: {results['key_press']}; compute and draw: "
        f"{results['compute_and_draw']}; test took {time.monotonic() - started:.1f} s"
    )

"""Notebook 03's two live views in JupyterLab 4, in headless Chromium, as a learner uses them.

Opens ``notebooks/03_borders_and_output_size.ipynb`` in a private JupyterLab (``conftest.py``), runs all
cells, then drives the output-size explorer (its sliders with the arrow keys, its output grid with
the pointer) and the border-mode explorer (its mode buttons with the arrow keys and with clicks).
After interacting it checks that what the page shows equals what Python computes for the state the
page shows (output size, the chosen cell's taps; the padded and filtered pictures pixel for pixel),
and that Python's objects received that state.

It measures input → picture painted (``window.__convlibLatency``) over LATENCY_MOVES key presses and
as many pointer events per view, and writes median and p95 to
``benchmarks/results/browser_latency_padding_explorer.json`` (a benchmark figure, not a timed
assertion). It also checks that both views fit 1280x720 with JupyterLab's sidebar open, that no text
is smaller than 12 px or cut off, and that no "Error displaying widget" appears.
"""

from __future__ import annotations

import ast
import json
import time
from pathlib import Path

import numpy as np
import pytest
from live_pages import (
    box_on_screen,
    canvas_pixels,
    environment,
    latencies,
    press_and_wait,
    record_count,
    redraws,
    summary,
    wait_drawn,
    write_results,
)

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
NOTEBOOK = REPO / "notebooks" / "03_borders_and_output_size.ipynb"
RESULTS = REPO / "benchmarks" / "results" / "browser_latency_padding_explorer.json"
SCREENSHOT = REPO / "test-artifacts" / "padding_explorers.png"

LATENCY_MOVES = 40
GAP_MS = 40  # time between inputs, so that each is measured alone
SETTINGS = ("n", "kernel_size", "stride", "padding", "dilation", "row", "column")

# Smallest font size of any element with text, and every element whose text is cut off.
TEXT_CHECK = """
(root) => {
  let smallest = Infinity;
  const cut = [];
  for (const node of root.querySelectorAll("*")) {
    if (node.tagName === "STYLE" || !node.getClientRects().length) continue;
    const own = [...node.childNodes].some((child) => child.nodeType === 3 && child.textContent.trim());
    if (!own) continue;
    smallest = Math.min(smallest, parseFloat(getComputedStyle(node).fontSize));
    const clips = getComputedStyle(node).overflow !== "visible" || node.tagName === "BUTTON";
    if (clips && node.scrollWidth > node.clientWidth + 1) cut.push(node.outerHTML);
  }
  return [smallest, cut];
}
"""


def kernel_json(lab, expression: str) -> object:
    """``expression`` evaluated in the notebook's kernel, through JSON (``kernel_value`` gives the repr of a str)."""
    return json.loads(ast.literal_eval(lab.kernel_value(f"__import__('json').dumps({expression})")))


def python_value(lab, expression: str, expected: object, what: str) -> None:
    """Wait until ``expression`` in the kernel equals ``expected`` (the browser's message may be on its way)."""
    deadline = time.monotonic() + 10
    while True:
        value = kernel_json(lab, expression)
        if value == expected:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: Python's {expression} is {value!r}, the page shows {expected!r}")
        lab.page.wait_for_timeout(100)


def output_size_shown(view) -> dict:
    """The settings, output size and taps the output-size explorer shows."""
    state = {name: int(view.locator(f"input[data-setting={name}]").input_value()) for name in SETTINGS}
    readout = view.locator(".readout").inner_text()
    fits = "no window fits" not in readout
    state["output_size"] = int(view.locator(".convlib-output-size").inner_text()) if fits else None
    taps = view.locator("svg[data-role=input] rect[data-at][data-kind$=tap]").evaluate_all(
        "(nodes) => nodes.map((node) => node.dataset.at.split(',').map(Number))"
    )
    state["taps"] = sorted(map(tuple, taps))
    return state


def check_output_size(lab, view, what: str) -> dict:
    shown = output_size_shown(view)
    settings = {name: shown[name] for name in SETTINGS[:5]}
    python_value(lab, "explorer.settings()", settings, what)
    python_value(lab, "list(explorer.cell)", [shown["row"], shown["column"]], what)
    python_value(lab, "explorer.output_size", shown["output_size"], what)
    if shown["output_size"] is None:
        assert shown["taps"] == [], f"{what}: taps drawn although no window fits"
    else:
        rows = kernel_json(lab, "[t.tolist() for t in explorer.taps()]")
        expected = sorted((r, c) for r in rows[0] for c in rows[1])
        assert shown["taps"] == expected, f"{what}: the page shows taps {shown['taps']}, Python {expected}"
    return shown


def check_border_mode(lab, view, what: str) -> str:
    mode = view.locator("button[aria-checked=true]").get_attribute("data-mode")
    kernel = view.get_by_label("kernel", exact=True).input_value()
    python_value(lab, "[border_explorer.mode, border_explorer.kernel_name]", [mode, kernel], what)
    for role, method in (("output", "output_uint8"), ("padded", "padded_uint8")):
        shown = canvas_pixels(view.locator(f"canvas[data-role={role}]"))
        expected = np.array(kernel_json(lab, f"border_explorer.{method}().tolist()"), dtype=np.uint8)
        assert shown.shape == expected.shape, f"{what}: {role} picture {shown.shape}, Python {expected.shape}"
        differ = int(np.count_nonzero(shown != expected))
        assert differ == 0, f"{what}: {differ} pixels of the {role} picture differ from Python's for mode {mode!r}"
    return mode


def test_padding_explorers_in_jupyterlab(open_notebook, chromium):
    started = time.monotonic()
    lab = open_notebook(NOTEBOOK)
    page = lab.page
    lab.run_all()
    assert not lab.errors(), f"the notebook printed errors: {lab.errors()}"
    sizes = lab.panel.locator(".convlib-os")
    borders = lab.panel.locator(".convlib-bm")
    assert sizes.count() == 1 and borders.count() == 1, "expected one view of each kind"
    view = sizes.first
    view.scroll_into_view_if_needed()
    wait_drawn(page, view, 0)
    shown = check_output_size(lab, view, "after Run All")
    assert (shown["n"], shown["kernel_size"], shown["stride"], shown["row"], shown["column"]) == (6, 3, 2, 1, 1)

    # --- output-size explorer, keyboard: arrow keys on every slider, in turn ---
    first = record_count(page)
    for move in range(LATENCY_MOVES):
        for offset in range(len(SETTINGS)):
            slider = view.locator(f"input[data-setting={SETTINGS[(move + offset) % len(SETTINGS)]}]")
            if slider.is_enabled() and slider.get_attribute("max") != slider.get_attribute("min"):
                break
        value, high = int(slider.input_value()), int(slider.get_attribute("max"))
        slider.focus()
        press_and_wait(page, view, "ArrowRight" if value < high else "ArrowLeft")
        page.wait_for_timeout(GAP_MS)
        if move % 10 == 9:
            check_output_size(lab, view, f"after key press {move + 1}")
    size_keys = latencies(page, first, "output_size")
    assert len(size_keys) == LATENCY_MOVES, f"{len(size_keys)} pictures for {LATENCY_MOVES} key presses"
    assert lab.panel.locator(".jp-Notebook-cell.jp-mod-selected").count() <= 1  # keys did not move the notebook

    # --- output-size explorer, pointer: press and move over the output grid ---
    lab.kernel_value("explorer.set(n=8, kernel_size=3, stride=1, padding=1, dilation=1, row=0, column=0)")
    page.wait_for_function(
        "(root) => root.querySelectorAll('svg[data-role=output] rect[data-cell]').length === 64",
        arg=view.element_handle(),
    )
    check_output_size(lab, view, "after Python set the settings")
    cells = view.locator("svg[data-role=output] rect[data-cell]")
    centres = []
    for index in (0, 9, 18, 27, 36, 45, 54, 63):
        box = box_on_screen(cells.nth(index))
        centres.append((box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
    first = record_count(page)
    page.mouse.move(*centres[-1])
    page.mouse.down()
    for move in range(LATENCY_MOVES):
        with redraws(page, view):
            page.mouse.move(*centres[move % len(centres)])
        page.wait_for_timeout(GAP_MS)
    page.mouse.up()
    size_pointer = latencies(page, first, "output_size")
    assert len(size_pointer) >= LATENCY_MOVES, f"{len(size_pointer)} pictures for {LATENCY_MOVES} pointer moves"
    shown = check_output_size(lab, view, "after the pointer moves")
    assert (shown["row"], shown["column"]) == (7, 7)

    # --- a slider dragged with the pointer ---
    slider = view.locator("input[data-setting=n]")
    box = box_on_screen(slider)
    with redraws(page, view):
        page.mouse.move(box["x"] + box["width"] - 3, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + 3, box["y"] + box["height"] / 2, steps=8)
        page.mouse.up()
    shown = check_output_size(lab, view, "after dragging the N slider")
    assert shown["n"] == 1

    # --- border-mode explorer, keyboard: arrow keys move through the modes ---
    view = borders.first
    view.scroll_into_view_if_needed()
    wait_drawn(page, view, 0)
    assert check_border_mode(lab, view, "after Run All") == "constant"
    modes = view.locator("button[data-mode]").evaluate_all("(nodes) => nodes.map((node) => node.dataset.mode)")
    assert modes == ["constant", "edge", "reflect", "symmetric", "wrap"]
    view.locator("button[aria-checked=true]").focus()
    first = record_count(page)
    for move in range(LATENCY_MOVES):
        press_and_wait(page, view, "ArrowRight")
        page.wait_for_timeout(GAP_MS)
        if move % 10 == 6:
            check_border_mode(lab, view, f"after key press {move + 1}")
    border_keys = latencies(page, first, "border_mode")
    assert len(border_keys) == LATENCY_MOVES
    assert check_border_mode(lab, view, "after the key presses") == modes[LATENCY_MOVES % len(modes)]

    # --- border-mode explorer, pointer: click the mode buttons ---
    first = record_count(page)
    for move in range(LATENCY_MOVES):
        target = modes[(move * 2 + 1) % len(modes)]
        if target == view.locator("button[aria-checked=true]").get_attribute("data-mode"):
            target = modes[(move * 2 + 2) % len(modes)]
        box = box_on_screen(view.locator(f"button[data-mode={target}]"))
        with redraws(page, view):
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(GAP_MS)
        if move % 10 == 3:
            check_border_mode(lab, view, f"after click {move + 1}")
    border_pointer = latencies(page, first, "border_mode")
    assert len(border_pointer) == LATENCY_MOVES
    check_border_mode(lab, view, "after the clicks")

    # --- every kernel, chosen in the page ---
    for kernel in ("sobel x", "box 3×3", "gaussian 9×9 (σ = 2)"):
        with redraws(page, view):
            view.get_by_label("kernel", exact=True).select_option(kernel)
        check_border_mode(lab, view, f"after choosing kernel {kernel}")

    # --- Python drives the page too ---
    with redraws(page, view):
        lab.kernel_value("setattr(border_explorer, 'mode', 'symmetric')")
    assert check_border_mode(lab, view, "after Python set the mode") == "symmetric"

    # --- readable on a projector: 1280x720 with the sidebar open, nothing cut off, text >= 12 px ---
    page.evaluate("() => window.jupyterapp.shell.expandLeft()")
    page.wait_for_timeout(400)
    panel_box = lab.panel.bounding_box()
    for root, parts in ((sizes.first, ("div.panel", "svg[data-role=input]", "svg[data-role=output]", ".formula")),
                        (borders.first, ("div.modes", "select", "canvas[data-role=padded]",
                                         "canvas[data-role=output]"))):  # fmt: skip
        root.scroll_into_view_if_needed()
        for part in parts:
            box = root.locator(part).first.bounding_box()
            assert box["x"] >= panel_box["x"] - 1, f"{part} starts left of the notebook"
            assert box["x"] + box["width"] <= panel_box["x"] + panel_box["width"] + 1, f"{part} is cut off"
        smallest, cut = root.evaluate(TEXT_CHECK)
        assert smallest >= 12, f"text of {smallest} px"
        assert cut == [], f"text cut off: {cut}"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    borders.first.screenshot(path=str(SCREENSHOT.with_name("border_mode_explorer.png")))
    sizes.first.screenshot(path=str(SCREENSHOT.with_name("output_size_explorer.png")))
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    assert "Error displaying widget" not in lab.panel.inner_text()

    results = {
        "what": "notebook 03's live views in JupyterLab, headless Chromium: input -> new picture painted "
        "(computed in the browser)",
        "notebook": NOTEBOOK.name,
        "gap_between_inputs_ms": GAP_MS,
        "output_size": {"key_press": summary(size_keys), "pointer_move": summary(size_pointer)},
        "border_mode": {"key_press": summary(border_keys), "pointer_click": summary(border_pointer)},
        "samples_ms": {
            "output_size_key": [round(v, 1) for v in size_keys],
            "output_size_pointer": [round(v, 1) for v in size_pointer],
            "border_mode_key": [round(v, 1) for v in border_keys],
            "border_mode_pointer": [round(v, 1) for v in border_pointer],
        },
        **environment(chromium),
    }
    write_results(RESULTS, results)
    print(
        f"\noutput_size: keys {results['output_size']['key_press']}, pointer {results['output_size']['pointer_move']}"
        f"\nborder_mode: keys {results['border_mode']['key_press']}, pointer {results['border_mode']['pointer_click']}"
        f"\ntest took {time.monotonic() - started:.1f} s"
    )

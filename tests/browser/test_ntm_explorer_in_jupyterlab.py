"""The NTMShiftExplorer in JupyterLab 4, in headless Chromium, as a learner uses it.

Opens notebook 08, runs all cells, finds the explorer, then moves its sliders with the keyboard and
the pointer. After each round it reads the values the page shows (the sliders' read-outs and the
``data-value`` of every bar and heat-map cell) and asserts they equal convlib.shifting's values for
the state shown (within 1e-12), and that Python's ``explorer`` holds the same state and computes the
same values (the browser computes; Python stays the reference).

It measures input → picture painted over LATENCY_MOVES key presses and as many pointer moves, writes
median and p95 to ``benchmarks/results/browser_latency_ntm_explorer.json`` (a benchmark figure, not a
timed assertion), checks that no text is smaller than 12 px and nothing is cut off at 1280x720 with
JupyterLab's sidebar open, that a saved and reopened notebook shows no "Error displaying widget", and
saves a screenshot to ``test-artifacts/ntm_explorer.png``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from live_pages import (
    beside_the_sidebar,
    box_on_screen,
    drawn,
    environment,
    latencies,
    press_and_wait,
    record_count,
    save_and_reopen,
    summary,
    wait_drawn,
    write_results,
)

from convlib.book.widgets.ntm_explorer import SHIFTS, head_trajectory
from convlib.shifting import ntm_interpolate, ntm_sharpen, ntm_shift

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESULTS = REPO / "benchmarks" / "results" / "browser_latency_ntm_explorer.json"
SCREENSHOT = REPO / "test-artifacts" / "ntm_explorer.png"
NOTEBOOK = REPO / "notebooks" / "08_shifting_signals.ipynb"

VIEW = "ntm_explorer"  # the view's name in the latency records
LATENCY_MOVES = 40
GAP_MS = 60  # time between inputs, so that each is measured alone
TOLERANCE = 1e-12

# Everything the explorer shows, as numbers: the sliders' values and every bar and heat-map cell.
SHOWN = """
(root) => {
  const value = (node) => Number(node.getAttribute("data-value"));
  const sliders = {};
  for (const node of root.querySelectorAll("output[data-name]")) sliders[node.dataset.name] = value(node);
  const bars = {};
  for (const role of ["s", "previous", "content", "interpolated", "shifted", "sharpened"]) {
    bars[role] = Array.from(root.querySelectorAll(`rect[data-role="${role}"]`), value);
  }
  const rows = [];
  for (const node of root.querySelectorAll('rect[data-role="map"]')) {
    const t = Number(node.dataset.step);
    (rows[t] = rows[t] || [])[Number(node.dataset.index)] = value(node);
  }
  return {sliders, bars, rows};
}
"""


def shown(view) -> dict:
    return view.evaluate(SHOWN)


def close(what: str, browser: object, python: object) -> None:
    browser, python = np.asarray(browser, dtype=np.float64), np.asarray(python, dtype=np.float64)
    assert browser.shape == python.shape, f"{what}: shape {browser.shape}, expected {python.shape}"
    difference = float(np.max(np.abs(browser - python)))
    assert difference <= TOLERANCE, f"{what}: the page differs from convlib by {difference:.3g}"


def assert_view_matches(lab, view, what: str) -> dict:
    """The values shown equal convlib's for the state shown; Python's explorer holds that state."""
    page = shown(view)
    sliders, bars = page["sliders"], page["bars"]
    raw = np.array([sliders["s(-1)"], sliders["s(0)"], sliders["s(+1)"]])
    gamma, gate = sliders["gamma"], sliders["gate"]
    s = np.full(3, 1 / 3) if raw.sum() == 0 else raw / raw.sum()
    previous, content = np.array(bars["previous"]), np.array(bars["content"])
    gated = ntm_interpolate(content, previous, gate)
    shifted = ntm_shift(gated, s, SHIFTS)
    sharpened = ntm_sharpen(shifted, gamma)
    close(f"{what}: s", bars["s"], s)
    close(f"{what}: (7) gated", bars["interpolated"], gated)
    close(f"{what}: (8) shifted", bars["shifted"], shifted)
    close(f"{what}: (9) sharpened", bars["sharpened"], sharpened)
    steps = len(page["rows"]) - 1
    close(f"{what}: heat map", page["rows"], head_trajectory(previous, s, gamma, steps, content, gate))
    # Python received the same state, and its reference values are the ones shown.
    expected = [*raw.tolist(), gamma, gate]
    deadline = time.monotonic() + 10
    while True:
        in_python = json.loads(lab.kernel_value("[*explorer.shift_weights.tolist(), explorer.gamma, explorer.gate]"))
        if in_python == expected:
            break
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: Python's explorer holds {in_python}, the page shows {expected}")
        lab.page.wait_for_timeout(100)
    in_python = json.loads(lab.kernel_value("explorer.stages.sharpened.tolist()"))
    close(f"{what}: Python's stages", bars["sharpened"], in_python)
    in_python = json.loads(lab.kernel_value("explorer.trajectory.tolist()"))
    close(f"{what}: Python's trajectory", page["rows"], in_python)
    return page


# Every text of the view: its font size and whether it is cut off (by its own box or by the notebook's).
TEXTS = """
([root, panel]) => {
  const limit = panel.getBoundingClientRect();
  const problems = [];
  let smallest = Infinity;
  for (const node of root.querySelectorAll("text, span, output, .readout")) {
    if (!node.textContent.trim() || node.closest("style")) continue;
    const size = parseFloat(getComputedStyle(node).fontSize);
    smallest = Math.min(smallest, size);
    const box = node.getBoundingClientRect();
    const outside = box.left < limit.left - 1 || box.right > limit.right + 1;
    if (outside) problems.push(`outside the notebook: ${node.textContent}`);
    if (node instanceof SVGElement) {  // inside the picture's own box
      const picture = node.ownerSVGElement.getBoundingClientRect();
      const inside = box.left >= picture.left - 1 && box.right <= picture.right + 1 && box.top >= picture.top - 1
        && box.bottom <= picture.bottom + 1;
      if (!inside) problems.push(`outside the picture: ${node.textContent}`);
    } else if (node.scrollWidth > node.clientWidth + 1) {
      problems.push(`cut off: ${node.textContent}`);
    }
  }
  for (const node of root.querySelectorAll("input, svg")) {
    const box = node.getBoundingClientRect();
    const outside = box.left < limit.left - 1 || box.right > limit.right + 1;
    if (outside) problems.push(`outside the notebook: ${node.tagName}`);
  }
  return {smallest, problems};
}
"""


@pytest.mark.browser
def test_ntm_explorer_in_jupyterlab(open_notebook, chromium):
    started = time.monotonic()
    lab = open_notebook(NOTEBOOK)
    page = lab.page
    lab.run_all()
    assert not lab.errors(), f"the notebook printed errors: {lab.errors()}"
    assert "Error displaying widget" not in lab.panel.inner_text()
    view = lab.panel.locator(".convlib-ntm").first
    view.scroll_into_view_if_needed()
    wait_drawn(page, view, 0)
    first_state = assert_view_matches(lab, view, "after Run All")
    assert first_state["sliders"] == {"s(-1)": 0.05, "s(0)": 0.15, "s(+1)": 0.8, "gamma": 1, "gate": 0}

    # --- every control has a name and visible focus ---
    ranges = view.locator("input[type=range]")
    assert ranges.count() == 5
    for index in range(5):
        assert ranges.nth(index).get_attribute("aria-label")
    gamma = view.get_by_label("sharpening exponent gamma")
    gamma.focus()
    outline = gamma.evaluate("(node) => [getComputedStyle(node).outlineStyle, getComputedStyle(node).outlineWidth]")
    assert outline[0] == "solid" and outline[1] != "0px", f"no visible focus: {outline}"

    # --- keyboard: gamma up, gate up, shift -1 up; the notebook must not take the keys ---
    first = record_count(page)
    presses = [("sharpening exponent gamma", "ArrowUp")] * 20 + [("interpolation gate g", "ArrowRight")] * 10
    presses += [("weight of shift minus 1 (one slot back)", "ArrowUp")] * 10
    view.get_by_label(presses[0][0]).focus()
    active = page.evaluate(lab.current("widget.content.activeCellIndex"))
    focused = None
    for label, key in presses:
        if label != focused:
            view.get_by_label(label).focus()
            focused = label
        press_and_wait(page, view, key)
        page.wait_for_timeout(GAP_MS)
    keys, keys_compute = latencies(page, first, VIEW), latencies(page, first, VIEW, "compute_ms")
    state = assert_view_matches(lab, view, "after the key presses")
    assert state["sliders"] == {"s(-1)": 0.55, "s(0)": 0.15, "s(+1)": 0.8, "gamma": 6, "gate": 0.5}
    assert page.evaluate(lab.current("widget.content.activeCellIndex")) == active, "a key moved the active cell"
    page.keyboard.press("PageDown")  # five steps down on the focused slider, shift -1: 0.55 -> 0.3
    page.wait_for_timeout(100)
    assert shown(view)["sliders"]["s(-1)"] == 0.3

    # --- pointer: drag the gamma slider back and forth ---
    box = box_on_screen(gamma)
    y = box["y"] + box["height"] / 2
    left, width = box["x"] + 8, box["width"] - 16
    first = record_count(page)
    page.mouse.move(left + width * 0.5, y)
    page.mouse.down()
    for move in range(LATENCY_MOVES):
        fraction = 0.1 + 0.08 * (move % 10) if (move // 10) % 2 == 0 else 0.82 - 0.08 * (move % 10)
        page.mouse.move(left + width * fraction, y)
        page.wait_for_timeout(GAP_MS)
    page.mouse.up()
    page.wait_for_timeout(200)
    pointer = latencies(page, first, VIEW)
    assert len(keys) == len(presses), f"{len(keys)} pictures for {len(presses)} key presses"
    assert len(pointer) >= 30, f"only {len(pointer)} pictures for {LATENCY_MOVES} pointer moves"
    state = assert_view_matches(lab, view, "after the pointer drag")
    assert 1 <= state["sliders"]["gamma"] <= 10 and state["sliders"]["gamma"] % 0.25 == 0

    # --- Python sets the state: the view follows ---
    count = drawn(view)
    page.evaluate(
        """async () => {
            const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            await kernel.requestExecute({code: "explorer.shift_weights = (0, 0, 0); explorer.gate = 0.25",
                                         silent: true}).done;
        }"""
    )
    page.wait_for_function(
        "([root, count]) => Number(root.dataset.drawn) > count + 1", arg=[view.element_handle(), count]
    )
    state = assert_view_matches(lab, view, "after Python set the state")
    assert "uniform" in view.locator(".readout").inner_text()

    # --- readable and nothing cut off at 1280x720 with the sidebar open ---
    with beside_the_sidebar(lab, view, SCREENSHOT):
        texts = page.evaluate(TEXTS, [view.element_handle(), lab.panel.element_handle()])
        assert texts["smallest"] >= 12, f"text as small as {texts['smallest']} px"
        assert texts["problems"] == [], texts["problems"]

    # --- save and reopen: never "Error displaying widget" ---
    save_and_reopen(lab)
    assert "Error displaying widget" not in lab.panel.inner_text()
    assert lab.panel.locator(".convlib-ntm").count() >= 1, "the reopened notebook shows no explorer"

    results = {
        "what": "NTMShiftExplorer in JupyterLab, headless Chromium: input -> picture painted (computed in the browser)",
        "notebook": NOTEBOOK.name,
        "slots": len(first_state["bars"]["previous"]),
        "steps": len(first_state["rows"]) - 1,
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
        f"\nNTMShiftExplorer key press -> painted: {results['key_press']}; pointer move -> painted: "
        f"{results['pointer_move']}; compute and draw: {results['compute_and_draw']}; "
        f"test took {time.monotonic() - started:.1f} s"
    )

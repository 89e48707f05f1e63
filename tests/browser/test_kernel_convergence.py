"""The kernel-convergence viewer of notebook 05 in JupyterLab, in headless Chromium, and offline.

The browser holds every step of the fit; moving the step slider redraws there. After each key press
the readout's numbers must be Python's for that step, and Python must hold the same step. Latency
(key press → painted) goes to ``benchmarks/results/browser_latency_kernel_convergence.json``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from convlib.book.export import export_html

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = REPO / "notebooks" / "05_learned_cnn_filters.ipynb"
RESULTS = REPO / "benchmarks" / "results" / "browser_latency_kernel_convergence.json"
VIEWER = "[o for o in Out.values() if type(o).__name__ == 'KernelConvergenceViewer'][-1]"
MOVES = 30


def drawn(view) -> int:
    return int(view.get_attribute("data-drawn") or 0)


def press(page, view, key: str) -> None:
    count = drawn(view)
    page.keyboard.press(key)
    page.wait_for_function("([root, count]) => Number(root.dataset.drawn) > count", arg=[view.element_handle(), count])


def test_kernel_convergence_viewer_in_jupyterlab(open_notebook, chromium):
    lab = open_notebook(NOTEBOOK)
    page = lab.page
    lab.run_all()
    assert not lab.errors(), lab.errors()
    view = lab.panel.locator(".convlib-kc").first
    view.scroll_into_view_if_needed()
    page.wait_for_function("(root) => Number(root.dataset.drawn) > 0", arg=view.element_handle())
    slider = view.get_by_label("gradient step")
    assert slider.input_value() == "20"
    slider.focus()
    first = len(page.evaluate("window.__convlibLatency || []"))
    for move in range(MOVES):
        press(page, view, "ArrowLeft" if move < MOVES // 2 else "ArrowRight")
        page.wait_for_timeout(50)
        if move % 10 == 9:
            step = int(slider.input_value())
            readout = view.locator("[data-role=readout]")
            error = float(readout.get_attribute("data-error"))
            deadline = time.monotonic() + 10
            while int(lab.kernel_value(f"{VIEWER}.step")) != step and time.monotonic() < deadline:
                page.wait_for_timeout(100)
            assert int(lab.kernel_value(f"{VIEWER}.step")) == step, "Python did not receive the step"
            assert error == float(lab.kernel_value(f"{VIEWER}.largest_error")), f"step {step}: error differs"
            loss = float(readout.get_attribute("data-loss"))
            assert loss == float(lab.kernel_value(f"float({VIEWER}.fit.losses[{step}])"))
    records = page.evaluate("window.__convlibLatency || []")[first:]
    latency = [r["latency_ms"] for r in records if r["view"] == "kernel_convergence" and r["latency_ms"] is not None]
    assert len(latency) == MOVES
    assert "Error displaying widget" not in lab.panel.inner_text()
    results = {
        "what": "KernelConvergenceViewer in JupyterLab, headless Chromium: key press -> painted (in the browser)",
        "key_press": {
            "events": len(latency),
            "median_ms": round(float(np.median(latency)), 1),
            "p95_ms": round(float(np.percentile(latency, 95)), 1),
        },
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nKernelConvergenceViewer key press -> painted: {results['key_press']}")


def test_kernel_convergence_viewer_offline(chromium, tmp_path):
    page_html, live = export_html(NOTEBOOK)
    assert live >= 1
    target = tmp_path / "05.html"
    target.write_text(page_html, encoding="utf-8")
    context = chromium.new_context(viewport={"width": 1280, "height": 720})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(target.as_uri())
        view = page.locator(".convlib-kc")
        view.wait_for(state="visible", timeout=15_000)
        slider = view.get_by_label("gradient step")
        before = view.locator("[data-role=readout]").inner_text()
        slider.focus()
        press(page, view, "ArrowLeft")
        assert slider.input_value() == "19"
        assert view.locator("[data-role=readout]").inner_text() != before
        assert not errors, errors
    finally:
        context.close()

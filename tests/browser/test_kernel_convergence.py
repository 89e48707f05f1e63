"""The kernel-convergence viewer of notebook 06 in JupyterLab, in headless Chromium, and offline.

The browser holds every step of the fit; moving the step slider redraws there. After each key press
the readout's numbers must be Python's for that step, and Python must hold the same step. Latency
(key press → painted) goes to ``benchmarks/results/browser_latency_kernel_convergence.json``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from live_pages import latencies, open_offline, press_and_wait, record_count, summary, wait_drawn, write_results

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
NOTEBOOK = REPO / "notebooks" / "06_learned_filters.ipynb"
RESULTS = REPO / "benchmarks" / "results" / "browser_latency_kernel_convergence.json"
VIEWER = "[o for o in Out.values() if type(o).__name__ == 'KernelConvergenceViewer'][-1]"
MOVES = 30


def test_kernel_convergence_viewer_in_jupyterlab(open_notebook, chromium):
    lab = open_notebook(NOTEBOOK)
    page = lab.page
    lab.run_all()
    assert not lab.errors(), lab.errors()
    view = lab.panel.locator(".convlib-kc").first
    view.scroll_into_view_if_needed()
    wait_drawn(page, view, 0)
    slider = view.get_by_label("gradient step")
    assert slider.input_value() == "20"
    slider.focus()
    first = record_count(page)
    for move in range(MOVES):
        press_and_wait(page, view, "ArrowLeft" if move < MOVES // 2 else "ArrowRight")
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
    latency = latencies(page, first, "kernel_convergence")
    assert len(latency) == MOVES
    assert "Error displaying widget" not in lab.panel.inner_text()
    results = {
        "what": "KernelConvergenceViewer in JupyterLab, headless Chromium: key press -> painted (in the browser)",
        "key_press": summary(latency),
        "date": time.strftime("%Y-%m-%d"),
    }
    write_results(RESULTS, results)
    print(f"\nKernelConvergenceViewer key press -> painted: {results['key_press']}")


def test_kernel_convergence_viewer_offline(chromium, tmp_path):
    with open_offline(chromium, NOTEBOOK, tmp_path) as (page, errors, _refused):
        view = page.locator(".convlib-kc")
        view.wait_for(state="visible", timeout=15_000)
        slider = view.get_by_label("gradient step")
        before = view.locator("[data-role=readout]").inner_text()
        slider.focus()
        press_and_wait(page, view, "ArrowLeft")
        assert slider.input_value() == "19"
        assert view.locator("[data-role=readout]").inner_text() != before
        assert not errors, errors

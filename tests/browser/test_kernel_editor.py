"""The KernelEditor in JupyterLab 4, in headless Chromium, as a learner uses it.

Starts a private JupyterLab (``conftest.py``), checks that it refuses requests without the token,
opens notebook 02, runs all cells, then changes weights with the keyboard, by typing and with a
mouse drag. After each change it reads the picture the page shows (the output canvas) and asserts
it equals convlib's result for the state the page shows, and that Python's ``editor`` holds the
same weights (the browser computes; Python stays the reference).

It measures input → picture painted over LATENCY_MOVES key presses and as many pointer moves,
writes median and p95 to ``benchmarks/results/browser_latency.json`` (a benchmark figure, not a
timed assertion), checks that the editor fits a 1280x720 screen with JupyterLab's sidebar open, that
a saved and reopened notebook shows no "Error displaying widget", and saves a screenshot to
``test-artifacts/kernel_editor.png`` (copy it to ``docs/`` to refresh the README's picture).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from live_pages import (
    assert_within,
    beside_the_sidebar,
    box_on_screen,
    canvas_pixels,
    environment,
    key_latencies,
    latencies,
    page_state,
    press_and_wait,
    record_count,
    redraws,
    save_and_reopen,
    summary,
    wait_drawn,
    write_results,
)

from convlib.book.widgets.kernel_editor.rendering import render

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESULTS = REPO / "benchmarks" / "results" / "browser_latency.json"
SCREENSHOT = REPO / "test-artifacts" / "kernel_editor.png"
NOTEBOOK = REPO / "notebooks" / "02_image_kernels.ipynb"

VIEW = "kernel_editor"  # the view's name in the latency records
LATENCY_MOVES = 40
GAP_MS = 60  # time between inputs, so that each is measured alone


def assert_picture_matches(lab, editor, image: np.ndarray, what: str) -> dict:
    state = page_state(editor)
    shown = canvas_pixels(editor.locator("canvas[data-role=output]"))
    expected = render(
        image, state["weights"], normalise=state["normalise"], operation=state["operation"],
        boundary=state["boundary"], scaling=state["scaling"],
    ).pixels  # fmt: skip
    assert shown.shape == expected.shape, f"{what}: picture shape {shown.shape}, expected {expected.shape}"
    differ = int(np.count_nonzero(shown != expected))
    assert differ == 0, f"{what}: {differ} pixels differ from convlib's result for the state shown {state}"
    # Python received the same state: its reference picture is the one shown.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        in_python = lab.kernel_value("editor.weights.tolist()")
        if np.array_equal(np.array(json.loads(in_python)), state["weights"]):
            break
        lab.page.wait_for_timeout(100)
    else:
        pytest.fail(f"{what}: Python's editor.weights {in_python} is not the page's {state['weights'].tolist()}")
    assert lab.kernel_value("bool((editor.output_uint8() == editor.output_uint8()).all())") == "True"
    assert lab.kernel_value("editor.scaling_in_effect")
    return state


@pytest.mark.browser
def test_kernel_editor_in_jupyterlab(lab_server, open_notebook, chromium):
    started = time.monotonic()

    # --- the server refuses anyone without the token ---
    name = lab_server.add_notebook(NOTEBOOK)
    status, _ = lab_server.request(f"/api/contents/{name}")
    assert status in (401, 403), f"the contents API answered {status} without a token"
    status, _ = lab_server.request(f"/api/contents/{name}", token="not-the-token")
    assert status in (401, 403), f"the contents API answered {status} to a wrong token"
    status, headers = lab_server.request(f"/lab/tree/{name}")
    assert status in (401, 403) or (status in (302, 303) and "/login" in headers.get("location", "")), (
        f"the notebook page answered {status} {headers.get('location', '')} without a token"
    )
    assert lab_server.request(f"/api/contents/{name}", token=lab_server.token)[0] == 200

    # --- open, run all, find the editor ---
    lab = open_notebook(NOTEBOOK)
    page = lab.page
    lab.run_all()
    assert not lab.errors(), f"the notebook printed errors: {lab.errors()}"
    editor = lab.panel.locator(".convlib-ke").first
    editor.scroll_into_view_if_needed()
    wait_drawn(page, editor, 0)
    image = canvas_pixels(editor.locator("canvas.picture").first) / 255.0
    assert image.shape == (512, 512)
    state = assert_picture_matches(lab, editor, image, "after Run All")
    assert editor.get_attribute("data-engine") == "wasm", "JupyterLab's page filtered without WebAssembly"

    # --- keyboard: the centre weight, one step up ---
    size = state["weights"].shape[0]
    cells = editor.locator("input.cell")
    centre = cells.nth(size * size // 2)
    before = state["weights"][size // 2, size // 2]
    centre.focus()
    press_and_wait(page, editor, "ArrowUp")
    state = assert_picture_matches(lab, editor, image, "after ArrowUp")
    assert state["weights"][size // 2, size // 2] == before + 0.25, "ArrowUp did not add one step"

    # --- typing: a number and Enter in the top-left cell ---
    corner = cells.nth(0)
    with redraws(page, editor):
        corner.click()
        corner.fill("-2.5")
        corner.press("Enter")
    state = assert_picture_matches(lab, editor, image, "after typing -2.5")
    assert state["weights"][0, 0] == -2.5

    # --- mouse: drag the top-right cell upwards ---
    right = cells.nth(size - 1)
    before = state["weights"][0, size - 1]
    box = box_on_screen(right)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with redraws(page, editor):
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x, y - 30, steps=5)
        page.mouse.up()
    state = assert_picture_matches(lab, editor, image, "after a mouse drag")
    assert state["weights"][0, size - 1] > before, "the drag did not raise the weight"

    # --- latency: key presses and pointer moves -> picture painted ---
    centre = editor.locator("input.cell").nth(4)
    keys, keys_compute = key_latencies(page, editor, centre, ("ArrowUp", "ArrowDown"), VIEW, LATENCY_MOVES, GAP_MS)
    first = record_count(page)
    box = box_on_screen(centre)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for move in range(LATENCY_MOVES):
        page.mouse.move(x, y - 7 * (move % 4) - 7)  # up and down by whole steps: a new weight each time
        page.wait_for_timeout(GAP_MS)
    page.mouse.up()
    pointer = latencies(page, first, VIEW)
    assert len(pointer) >= LATENCY_MOVES // 2, f"only {len(pointer)} pictures for {LATENCY_MOVES} pointer moves"
    state = assert_picture_matches(lab, editor, image, "after the latency run")

    # --- every control: border, operation, gray levels, a preset, 5x5 ---
    for label, value in (("border", "wrap"), ("operation", "convolve2d"), ("gray levels", "rescale"),
                         ("preset", "laplacian"), ("size", "5")):  # fmt: skip
        with redraws(page, editor):
            editor.get_by_label(label, exact=True).select_option(value)
        state = assert_picture_matches(lab, editor, image, f"after choosing {label} = {value}")
    assert state["weights"].shape == (5, 5)
    # A weight in the outer ring: the kernel is a dense 5x5 (the preset's zero ring would be filtered as 3x3).
    editor.locator("input.cell").nth(0).focus()
    press_and_wait(page, editor, "ArrowUp")
    state = assert_picture_matches(lab, editor, image, "after a weight in the outer ring")
    assert state["weights"][0, 0] != 0
    middle = editor.locator("input.cell").nth(12)
    keys_5x5, keys_5x5_compute = key_latencies(
        page, editor, middle, ("ArrowUp", "ArrowDown"), VIEW, LATENCY_MOVES, GAP_MS
    )
    assert_picture_matches(lab, editor, image, "after the 5x5 latency run")

    # --- hovering a pixel shows its window and the sum ---
    output = editor.locator("canvas[data-role=output]")
    box = box_on_screen(output)
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = editor.locator(".hover").inner_text()
    assert "window" in hover and "sum of weight x pixel" in hover, hover
    for index in range(2):  # the window outlined on both pictures, at least 12 screen pixels wide
        window_box = editor.locator(".window").nth(index).bounding_box()
        assert window_box is not None and window_box["width"] >= 12, window_box

    # --- fits 1280x720 with the sidebar open ---
    with beside_the_sidebar(lab, editor, SCREENSHOT) as panel_box:
        assert_within(editor, ("canvas.picture", "canvas[data-role=output]", ".panel"), panel_box)
        page.wait_for_timeout(300)  # the pictures take the width there is
        output_box = box_on_screen(output)
        assert output_box["width"] >= 260, f"the output picture is only {output_box['width']} px wide"
        grid_box = editor.locator(".grid").bounding_box()
        assert grid_box["x"] > output_box["x"] + output_box["width"], "the kernel wrapped below the pictures"
        editor_box = editor.bounding_box()
        assert editor_box["height"] <= 560, f"the editor is {editor_box['height']} px tall: it does not fit 720 px"

    # --- save and reopen: the view comes back (live from saved state), never "Error displaying widget" ---
    save_and_reopen(lab)
    assert "Error displaying widget" not in lab.panel.inner_text()
    reopened = lab.panel.locator(".convlib-ke canvas[data-role=output]")
    assert reopened.count() >= 1, "the reopened notebook shows no kernel editor"

    results = {
        "what": "KernelEditor in JupyterLab, headless Chromium: input -> new picture painted (computed in the browser)",
        "notebook": NOTEBOOK.name,
        "image_shape": list(image.shape),
        "gap_between_inputs_ms": GAP_MS,
        "key_press_3x3": summary(keys),
        "pointer_move_3x3": summary(pointer),
        "key_press_dense_5x5": summary(keys_5x5),
        "dense_5x5_kernel": "the Laplacian preset in the 5x5 grid, its corner weight raised",
        "compute_and_draw_3x3": summary(keys_compute),
        "compute_and_draw_5x5": summary(keys_5x5_compute),
        "samples_key_ms": [round(value, 1) for value in keys],
        "samples_pointer_ms": [round(value, 1) for value in pointer],
        **environment(chromium),
    }
    write_results(RESULTS, results)
    print(
        f"\nKernelEditor (512x512, 3x3) key press -> painted: {results['key_press_3x3']}; pointer move -> painted: "
        f"{results['pointer_move_3x3']}; dense 5x5 key press: {results['key_press_dense_5x5']}; "
        f"compute and draw: 3x3 {results['compute_and_draw_3x3']}, 5x5 {results['compute_and_draw_5x5']}; "
        f"test took {time.monotonic() - started:.1f} s"
    )

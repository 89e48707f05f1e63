"""The KernelEditor in JupyterLab 4, in headless Chromium, as a learner uses it.

Starts a private JupyterLab (``conftest.py``), checks that it refuses requests without the token,
opens the notebook, runs all cells, then moves weight sliders with the keyboard and with a mouse
drag. After each change it decodes the picture the page shows (the output ``<img>``'s bytes) and
asserts it equals convlib's result for the kernel the page shows (the slider readouts),
converted as the widget says it converts (``convlib.images.to_uint8``).

It also measures the input-to-picture latency (keydown → new picture decoded and painted) over
24 moves, prints the median and p95 and writes them to ``benchmarks/results/browser_latency.json``
(a benchmark figure, not a timed assertion), and saves a screenshot of the editor to
``test-artifacts/kernel_editor.png`` (copy it to ``docs/`` to refresh the README's picture).
"""

from __future__ import annotations

import base64
import io
import json
import os
import platform
import re
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import convlib
from convlib.images import to_uint8

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RESULTS = REPO / "benchmarks" / "results" / "browser_latency.json"
SCREENSHOT = REPO / "test-artifacts" / "kernel_editor.png"

# The notebooks whose (first) KernelEditor is tested. Switch to, or add,
# REPO / "notebooks" / "02_image_kernels.ipynb" once notebook 02 exists.
NOTEBOOKS = [HERE.parent.parent / "notebooks" / "02_image_kernels.ipynb"]

LATENCY_MOVES = 24
GAP_MS = 150  # time between inputs, so that each measures one round trip

# Records, in the page, when a key goes down and when the output picture changes, is decoded and painted.
RECORDER = """
(img) => {
  const record = { keys: [], pictures: [] };
  window.__convlibLatency = record;
  document.addEventListener('keydown', (event) => { record.keys.push(event.timeStamp); }, true);
  let last = img.getAttribute('src');
  new MutationObserver(() => {
    const src = img.getAttribute('src');
    if (src === last) { return; }
    last = src;
    const entry = { changed: performance.now(), decoded: null, painted: null };
    record.pictures.push(entry);
    img.decode().catch(() => null).then(() => {
      entry.decoded = performance.now();
      // The frame after decoding paints the picture; a task queued in its rAF runs after the paint.
      requestAnimationFrame(() => setTimeout(() => { entry.painted = performance.now(); }, 0));
    });
  }).observe(img, { attributes: true, attributeFilter: ['src'] });
}
"""

PICTURE_BYTES = """
async (img) => {
  const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}
"""


def picture_of(img) -> np.ndarray:
    """The gray levels an ``<img>`` shows, decoded from the bytes of its ``src``."""
    data = base64.b64decode(img.evaluate(PICTURE_BYTES))
    with Image.open(io.BytesIO(data)) as picture:
        assert picture.mode in ("L", "P"), f"expected an 8-bit gray picture, got mode {picture.mode}"
        return np.asarray(picture.convert("L"))


def editor_state(editor) -> dict:
    """What the page shows: weights (slider readouts), normalise, operation, scaling, boundary."""
    readouts = editor.locator(".convlib-weights .widget-readout").all_inner_texts()
    size = round(len(readouts) ** 0.5)
    assert size * size == len(readouts) and size in (3, 5), f"unexpected number of weight sliders: {len(readouts)}"
    readout = editor.locator(".convlib-readout").inner_text()
    boundary = re.search(r"boundary='(\w+)'", readout)
    assert boundary, f"no boundary in the readout: {readout!r}"
    return {
        "weights": np.array([float(text.replace("\u2212", "-")) for text in readouts]).reshape(size, size),
        "normalise": editor.locator(".convlib-normalise input[type=checkbox]").is_checked(),
        "operation": editor.locator(".convlib-operation button.mod-active").inner_text().strip(),
        "scaling": editor.locator(".convlib-scaling select").input_value(),
        "boundary": boundary.group(1),
    }


def expected_picture(image: np.ndarray, state: dict) -> np.ndarray:
    """convlib's output for the state shown, converted as the widget documents."""
    weights = state["weights"]
    total = weights.sum()
    kernel = weights / total if state["normalise"] and total != 0 else weights
    function = {"correlate2d": convlib.correlate2d, "convolve2d": convlib.convolve2d}[state["operation"]]
    output = function(image, kernel, mode="same", boundary=state["boundary"])
    scaling = state["scaling"]
    if scaling == "auto":
        scaling = "abs" if total == 0 else "clip"
    return to_uint8(output, scaling=scaling)


def wait_settled(lab, img, quiet_ms: int = 300) -> None:
    """Wait until the kernel is idle and the picture has not changed for ``quiet_ms``."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        lab.wait_for_kernel_idle()
        before = img.get_attribute("src")
        lab.page.wait_for_timeout(quiet_ms)
        if img.get_attribute("src") == before and lab.page.evaluate(
            lab.current("widget.sessionContext.session.kernel.status === 'idle'")
        ):
            return
    pytest.fail("the output picture kept changing for 20 s")


def assert_picture_matches(lab, editor, img, image: np.ndarray, what: str) -> dict:
    wait_settled(lab, img)
    state = editor_state(editor)
    shown = picture_of(img)
    expected = expected_picture(image, state)
    assert shown.shape == expected.shape, f"{what}: picture shape {shown.shape}, expected {expected.shape}"
    differ = int(np.count_nonzero(shown != expected))
    assert differ == 0, f"{what}: {differ} pixels differ from convlib's result for the kernel shown {state}"
    return state


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


@pytest.mark.browser
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_kernel_editor_in_jupyterlab(lab_server, open_notebook, chromium, notebook: Path):
    started = time.monotonic()

    # --- the server refuses anyone without the token ---
    name = lab_server.add_notebook(notebook)
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
    lab = open_notebook(notebook)
    page = lab.page
    lab.run_all()
    assert not lab.errors(), f"the notebook printed errors: {lab.errors()}"
    editor = lab.panel.locator(".convlib-kernel-editor").first
    editor.scroll_into_view_if_needed()
    img = editor.locator("img.convlib-output")
    page.wait_for_function("(img) => /^(data|blob):/.test(img.src) && img.complete", arg=img.element_handle())
    # The input picture is the image as gray levels; sample images are multiples of 1/255, so this is exact.
    image = picture_of(editor.locator("img.convlib-input")) / 255.0
    state = assert_picture_matches(lab, editor, img, image, "after Run All")

    # --- layout: fits a 1280x720 screen, pictures beside the controls ---
    box = editor.bounding_box()
    assert box["width"] <= 1280 and box["height"] <= 600, f"the editor does not fit a 1280x720 screen: {box}"
    pictures_top = img.bounding_box()["y"]
    weights_top = editor.locator(".convlib-weights").bounding_box()["y"]
    assert abs(pictures_top - weights_top) < 200, "the sliders wrapped below the pictures"

    handles = editor.locator(".convlib-weights .noUi-handle")
    size = state["weights"].shape[0]
    centre = handles.nth(size * size // 2)

    # --- keyboard: focus the centre weight's handle, one step (towards the side with room) ---
    before = state["weights"][size // 2, size // 2]
    key, back = ("ArrowRight", "ArrowLeft") if before < 4 else ("ArrowLeft", "ArrowRight")
    centre.focus()
    page.keyboard.press(key)
    state = assert_picture_matches(lab, editor, img, image, f"after {key}")
    assert state["weights"][size // 2, size // 2] != before, f"{key} did not move the weight"

    # --- mouse: drag the top-right weight's handle (towards the side with room) ---
    corner = handles.nth(size - 1)
    corner.scroll_into_view_if_needed()
    before = state["weights"][0, size - 1]
    shift = 30 if before < 4 else -30
    handle_box = corner.bounding_box()
    x, y = handle_box["x"] + handle_box["width"] / 2, handle_box["y"] + handle_box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + shift, y, steps=6)
    page.mouse.up()
    state = assert_picture_matches(lab, editor, img, image, "after a mouse drag")
    assert state["weights"][0, size - 1] != before, "the drag did not move the weight"

    # --- latency: keydown -> new picture painted, LATENCY_MOVES moves GAP_MS apart ---
    img.evaluate(RECORDER)
    centre.focus()
    kernel_side = []
    for move in range(LATENCY_MOVES):
        count = page.evaluate("window.__convlibLatency.pictures.length")
        page.keyboard.press(back if move % 2 == 0 else key)  # back and forth between two values
        page.wait_for_function(
            f"(() => {{ const p = window.__convlibLatency.pictures;"
            f" return p.length > {count} && p[p.length - 1].painted !== null; }})()"
        )
        page.wait_for_timeout(GAP_MS)
        kernel_side.append(float(editor.locator(".convlib-update-ms").inner_text()))
    record = page.evaluate("window.__convlibLatency")
    keys, pictures = record["keys"], record["pictures"]
    assert len(pictures) == LATENCY_MOVES, f"{len(pictures)} pictures for {LATENCY_MOVES} key presses"
    painted, changed = [], []
    for picture in pictures:
        key = max(k for k in keys if k <= picture["changed"])
        painted.append(picture["painted"] - key)
        changed.append(picture["changed"] - key)
    assert_picture_matches(lab, editor, img, image, "after the latency run")

    # --- a preset from the dropdown, then the screenshot ---
    editor.locator(".convlib-preset select").select_option("sharpen")
    assert_picture_matches(lab, editor, img, image, "after choosing the 'sharpen' preset")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    editor.screenshot(path=str(SCREENSHOT))

    results = {
        "what": "KernelEditor latency in JupyterLab, headless Chromium: keydown -> new picture painted",
        "notebook": notebook.name,
        "image_shape": list(image.shape),
        "kernel_size": size,
        "moves": LATENCY_MOVES,
        "gap_between_inputs_ms": GAP_MS,
        "median_ms": round(float(np.median(painted)), 1),
        "p95_ms": round(percentile(painted, 95), 1),
        "max_ms": round(max(painted), 1),
        "to_src_change_median_ms": round(float(np.median(changed)), 1),
        "kernel_side_median_ms": round(float(np.median(kernel_side)), 2),
        "kernel_side_p95_ms": round(percentile(kernel_side, 95), 2),
        "samples_ms": [round(value, 1) for value in painted],
        "browser": f"Chromium {chromium.version} (headless)",
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {platform.system()}, {os.cpu_count()} CPUs",
        "load_average_1min": round(os.getloadavg()[0], 2),
        "date": time.strftime("%Y-%m-%d"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"\nKernelEditor latency over {LATENCY_MOVES} moves ({image.shape[0]}x{image.shape[1]}, {size}x{size}): "
        f"median {results['median_ms']} ms, p95 {results['p95_ms']} ms (to src change: median "
        f"{results['to_src_change_median_ms']} ms); kernel side median {results['kernel_side_median_ms']} ms, "
        f"p95 {results['kernel_side_p95_ms']} ms; test took {time.monotonic() - started:.1f} s"
    )

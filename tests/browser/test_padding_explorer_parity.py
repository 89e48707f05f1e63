"""The padding explorers' browser modules compute what convlib computes, exactly.

``js/output_size.js`` draws the convolution-arithmetic picture from its own integer arithmetic. Here
its exported functions run in headless Chromium over every setting the sliders offer (N 1..10,
K 1..5, S 1..3, P 0..3, D 1..3) and every output cell, and must equal
:func:`convlib.sizes.output_size`, :func:`~convlib.book.widgets.padding_explorer.window_taps` and
:func:`~convlib.book.widgets.padding_explorer.read_counts`, value for value.

``js/border_mode.js`` pads the 8-bit image itself; it must equal ``to_uint8(pad(image, widths, mode))``.
"""

from __future__ import annotations

import base64
import itertools

import numpy as np
import pytest
from live_pages import run_in_module

import convlib
from convlib.book.widgets.padding_explorer import read_counts, window_taps
from convlib.padding import PAD_MODES, pad
from convlib.sizes import output_size

pytestmark = pytest.mark.browser

RUN_GEOMETRY = """
(module, settings) => {
  return settings.map(([n, k, s, p, d]) => {
    const size = module.outputSize(n, k, s, p, d);
    const taps = [];
    for (let index = 0; index < (size ?? 0); index++) taps.push(module.windowTaps(n, k, index, s, p, d));
    const beyond = size === null ? null : module.windowTaps(n, k, size, s, p, d);
    const cells = [];
    for (const [row, column] of [[0, 0], [size ?? 0, 99], [3, 1]]) {
      cells.push(module.compute({n, kernel_size: k, stride: s, padding: p, dilation: d, row, column}));
    }
    return {size, taps, beyond, counts: module.readCounts(n, k, s, p, d), clamped: cells.map((c) => [c.row, c.column]),
             computed: cells.map((c) => [c.rowTaps, c.columnTaps, c.span, c.padded])};
  });
}
"""

RUN_PADDING = """
(module, cases) => {
  return cases.map((c) => {
    const raw = atob(c.pixels), pixels = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) pixels[i] = raw.charCodeAt(i);
    const out = module.paddedPicture(pixels, c.width, c.height, c.widths, c.mode);
    let text = "";
    for (let i = 0; i < out.pixels.length; i++) text += String.fromCharCode(out.pixels[i]);
    return {pixels: btoa(text), width: out.width, height: out.height};
  });
}
"""

SETTINGS = list(itertools.product(range(1, 11), range(1, 6), range(1, 4), range(0, 4), range(1, 4)))


def _python(n: int, k: int, s: int, p: int, d: int) -> dict:
    try:
        size = output_size(n, k, s, p, d)
    except ValueError:
        return {"size": None, "taps": [], "counts": None}
    return {
        "size": size,
        "taps": [window_taps(n, k, index, s, p, d).tolist() for index in range(size)],
        "counts": read_counts(n, k, s, p, d).tolist(),
    }


def test_output_size_module_equals_convlib_on_every_slider_setting(chromium):
    results = run_in_module(chromium, "output_size", RUN_GEOMETRY, SETTINGS)
    mismatches, taps_compared, fitting = [], 0, 0
    for setting, browser in zip(SETTINGS, results, strict=True):
        expected = _python(*setting)
        size = expected["size"]
        fitting += size is not None
        taps_compared += len(expected["taps"])
        last = max((size or 1) - 1, 0)
        clamped = [[0, 0], [min(size or 0, last), last], [min(3, last), min(1, last)]]
        problems = []
        if browser["size"] != size:
            problems.append(f"size {browser['size']} != {size}")
        if browser["taps"] != expected["taps"]:
            problems.append("window taps differ")
        if browser["counts"] != expected["counts"]:
            problems.append(f"read counts {browser['counts']} != {expected['counts']}")
        if browser["beyond"] is not None:
            problems.append("a tap list for an output that does not exist")
        if browser["clamped"] != clamped:
            problems.append(f"clamped cells {browser['clamped']} != {clamped}")
        for (row, column), (rows, columns, span, padded) in zip(clamped, browser["computed"], strict=True):
            n, k, _, p, d = setting
            want = ([], []) if size is None else (expected["taps"][row], expected["taps"][column])
            if (rows, columns) != want or span != d * (k - 1) + 1 or padded != n + 2 * p:
                problems.append(f"compute() at cell {(row, column)} differs")
        if problems:
            mismatches.append(f"N={setting[0]} K={setting[1]} S={setting[2]} P={setting[3]} D={setting[4]}: {problems}")
    assert len(SETTINGS) == 1800 and fitting == 1419 and taps_compared == 5858  # windows compared
    assert mismatches == [], f"{len(mismatches)} of {len(SETTINGS)} settings differ:\n" + "\n".join(mismatches[:20])


def test_border_mode_module_pads_as_convlib(chromium):
    rng = np.random.default_rng(5)
    camera = convlib.load_image("camera", gray=True)[::4, ::4]
    images = {
        "camera 128x128": convlib.to_uint8(camera, scaling="clip"),
        "random 7x11": rng.integers(0, 256, (7, 11), dtype=np.uint8),
        "one pixel": np.array([[77]], dtype=np.uint8),
        "2x5": rng.integers(0, 256, (2, 5), dtype=np.uint8),
    }
    widths_list = [((0, 0), (0, 1)), ((1, 1), (1, 1)), ((4, 4), (4, 4)), ((2, 3), (0, 1)), ((6, 6), (9, 9))]
    cases = [
        dict(name=name, image=image, widths=widths, mode=mode)
        for (name, image), widths, mode in itertools.product(images.items(), widths_list, PAD_MODES)
    ]
    payload = [
        dict(pixels=base64.b64encode(c["image"].tobytes()).decode("ascii"), width=int(c["image"].shape[1]),
             height=int(c["image"].shape[0]), widths=[list(w) for w in c["widths"]], mode=c["mode"])
        for c in cases
    ]  # fmt: skip
    results = run_in_module(chromium, "border_mode", RUN_PADDING, payload)
    mismatches = []
    for case, result in zip(cases, results, strict=True):
        expected = pad(case["image"] / 255.0, case["widths"], case["mode"])
        expected = convlib.to_uint8(expected, scaling="clip")
        shown = np.frombuffer(base64.b64decode(result["pixels"]), np.uint8).reshape(result["height"], result["width"])
        if shown.shape != expected.shape or not np.array_equal(shown, expected):
            mismatches.append(f"{case['name']} / {case['widths']} / {case['mode']}")
    assert len(cases) >= 80
    assert mismatches == [], f"{len(mismatches)} of {len(cases)} cases differ:\n" + "\n".join(mismatches)

"""The kernel editor's browser module computes what convlib computes, pixel for pixel.

``convlib/book/widgets/js/kernel_editor.js`` filters the photograph in the browser. Here the module
runs in headless Chromium on many cases (kernels 1x1 to 5x5, odd and even, every preset, random weights,
normalised or not, correlation and convolution, every boundary and scaling, tiny and large images)
and its 8-bit picture is compared with the editor's Python reference, which in turn equals
``convlib.correlate2d`` to rounding.
"""

from __future__ import annotations

import base64
import itertools

import numpy as np
import pytest
from live_pages import run_in_module

import convlib
from convlib import kernels
from convlib.book.widgets.kernel_editor.inputs import resolve_kernel
from convlib.book.widgets.kernel_editor.rendering import render
from convlib.padding import PAD_MODES

pytestmark = pytest.mark.browser

SCALINGS = ("auto", "clip", "rescale", "abs")
OPERATIONS = ("correlate2d", "convolve2d")

# Runs every case in the page; pictures come back as base64 so the transfer stays small.
RUN_CASES = """
(module, cases, engine) => {
  if (engine === "wasm" && !module.wasmFilters()) throw new Error("no WebAssembly SIMD in this Chromium");
  return cases.map((c) => {
    const raw = atob(c.pixels), pixels = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) pixels[i] = raw.charCodeAt(i);
    const state = {weights: c.weights, size: c.size, normalise: c.normalise, operation: c.operation,
                   boundary: c.boundary, scaling: c.scaling, image: {width: c.width, height: c.height, pixels}};
    const result = module.compute(state, {engine});
    let text = "";
    for (let i = 0; i < result.pixels.length; i++) text += String.fromCharCode(result.pixels[i]);
    return {pixels: btoa(text), scaling: result.scaling};
  });
}
"""


def _cases() -> list[dict]:
    rng = np.random.default_rng(7)
    camera = convlib.to_uint8(convlib.load_image("camera", gray=True), scaling="clip")
    images = {
        "random 23x31": rng.integers(0, 256, (23, 31), dtype=np.uint8),
        "ramp 9x6": (np.arange(54).reshape(9, 6) * 4).astype(np.uint8),
        "one pixel": np.array([[200]], dtype=np.uint8),
        "2x3": np.array([[0, 255, 17], [80, 3, 250]], dtype=np.uint8),
        "flat": np.full((7, 7), 128, np.uint8),
    }
    kernel_list = []
    for name in kernels.GALLERY:
        _, weights, normalise = resolve_kernel(name, 0.25, 8.0)
        kernel_list.append((name, weights, normalise))
    for size in (1, 2, 3, 4, 5):  # the editor offers 3 and 5; the module computes even sizes as convlib does
        for i in range(6):
            weights = rng.integers(-32, 33, (size, size)) * 0.25
            kernel_list.append((f"random {size}x{size} #{i}", weights, bool(i % 2)))
    kernel_list.append(("zeros 5x5", np.zeros((5, 5)), True))
    cases = []
    for (image_name, pixels), (kernel_name, weights, normalise), operation, boundary, scaling in itertools.product(
        images.items(), kernel_list, OPERATIONS, PAD_MODES, SCALINGS
    ):
        cases.append(dict(image_name=image_name, pixels=pixels, kernel_name=kernel_name, weights=weights,
                          normalise=normalise, operation=operation, boundary=boundary, scaling=scaling))  # fmt: skip
    for (kernel_name, weights, normalise), operation, scaling in itertools.product(
        kernel_list[:4] + kernel_list[-3:], OPERATIONS, SCALINGS
    ):  # the real photograph, 512 x 512, with a few kernels
        cases.append(dict(image_name="camera", pixels=camera, kernel_name=kernel_name, weights=weights,
                          normalise=normalise, operation=operation, boundary="symmetric", scaling=scaling))  # fmt: skip
    return cases


@pytest.mark.parametrize("engine", ["wasm", "js"])
def test_the_browser_module_equals_convlib_pixel_for_pixel(chromium, engine):
    """Both filters: WebAssembly (3x3 and 5x5, what Chromium runs) and the JavaScript loops (every size, and
    the fallback of a browser without WebAssembly SIMD)."""
    cases = _cases()
    payload = [
        dict(pixels=base64.b64encode(c["pixels"].tobytes()).decode("ascii"), width=int(c["pixels"].shape[1]),
             height=int(c["pixels"].shape[0]), weights=c["weights"].ravel().tolist(), size=int(c["weights"].shape[0]),
             normalise=c["normalise"], operation=c["operation"], boundary=c["boundary"], scaling=c["scaling"])
        for c in cases
    ]  # fmt: skip
    results = run_in_module(chromium, "kernel_editor", RUN_CASES, payload, engine)
    mismatches = []
    for case, result in zip(cases, results, strict=True):
        reference = render(
            case["pixels"] / 255.0, case["weights"], normalise=case["normalise"], operation=case["operation"],
            boundary=case["boundary"], scaling=case["scaling"],
        )  # fmt: skip
        browser = np.frombuffer(base64.b64decode(result["pixels"]), np.uint8).reshape(case["pixels"].shape)
        if result["scaling"] != reference.scaling or not np.array_equal(browser, reference.pixels):
            differ = int((browser != reference.pixels).sum())
            mismatches.append(f"{case['image_name']} / {case['kernel_name']} / {case['operation']} / "
                              f"{case['boundary']} / {case['scaling']}: {differ} pixels differ")  # fmt: skip
    assert len(cases) > 2000
    assert mismatches == [], f"{len(mismatches)} of {len(cases)} cases differ:\n" + "\n".join(mismatches[:20])


def test_the_python_reference_is_convlib_to_rounding():
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (40, 33)) / 255.0
    for size, operation, boundary in itertools.product((2, 3, 4, 5), OPERATIONS, PAD_MODES):
        weights = rng.integers(-32, 33, (size, size)) * 0.25
        reference = render(image, weights, normalise=False, operation=operation, boundary=boundary, scaling="clip")
        function = convlib.correlate2d if operation == "correlate2d" else convlib.convolve2d
        np.testing.assert_allclose(reference.output, function(image, weights, "same", boundary), rtol=0, atol=1e-12)


# Both filters in the page, on the same inputs: the float64 results and their extremes, bit for bit.
ENGINES_AGREE = """
(module, cases) => {
  if (!module.wasmFilters()) throw new Error("no WebAssembly SIMD in this Chromium");
  const problems = [];
  for (const c of cases) {
    const raw = atob(c.pixels), pixels = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) pixels[i] = raw.charCodeAt(i);
    const kernel = Float64Array.from(c.weights);
    const results = ["wasm", "js"].map((engine) => {
      const range = {};
      const out = module.filterImage(pixels, c.width, c.height, kernel, c.size, c.operation, c.boundary, null, range,
                                     engine);
      return { bits: new BigUint64Array(out.buffer), range };
    });
    const [wasm, js] = results;
    let differ = 0;
    for (let i = 0; i < js.bits.length; i++) if (wasm.bits[i] !== js.bits[i]) differ++;
    if (differ || wasm.range.engine !== "wasm" || js.range.engine !== "js"
        || !Object.is(wasm.range.low, js.range.low) || !Object.is(wasm.range.high, js.range.high)) {
      const ranges = JSON.stringify([wasm.range, js.range]);
      problems.push(`${c.name}: ${differ} values differ; ranges (wasm, js) ${ranges}`);
    }
  }
  return problems;
}
"""


def test_the_webassembly_and_javascript_filters_agree_to_the_last_bit(chromium):
    rng = np.random.default_rng(11)
    camera = convlib.to_uint8(convlib.load_image("camera", gray=True), scaling="clip")
    images = {
        "camera 512x512": camera,
        "odd 31x23": rng.integers(0, 256, (23, 31), dtype=np.uint8),
        "one pixel": np.array([[200]], dtype=np.uint8),
        "one column": rng.integers(0, 256, (9, 1), dtype=np.uint8),
    }
    cases = []
    for (image_name, pixels), size, operation, boundary in itertools.product(
        images.items(), (3, 5), OPERATIONS, PAD_MODES
    ):
        weights = rng.standard_normal((size, size))  # full float64 mantissas: every rounding shows
        cases.append(dict(name=f"{image_name} / {size}x{size} / {operation} / {boundary}", size=size,
                          pixels=base64.b64encode(pixels.tobytes()).decode("ascii"), width=int(pixels.shape[1]),
                          height=int(pixels.shape[0]), weights=weights.ravel().tolist(), operation=operation,
                          boundary=boundary))  # fmt: skip
    problems = run_in_module(chromium, "kernel_editor", ENGINES_AGREE, cases)
    assert len(cases) == 80
    assert problems == [], "\n".join(problems[:10])


def test_an_unknown_engine_is_refused(chromium):
    message = run_in_module(
        chromium, "kernel_editor",
        """(module) => {
          const [pixels, kernel] = [new Uint8Array(9), new Float64Array(9)];
          try { module.filterImage(pixels, 3, 3, kernel, 3, "correlate2d", "edge", null, null, "wams"); }
          catch (error) { return error.message; }
          return "no error";
        }""",
    )  # fmt: skip
    assert message == "filterImage: engine must be one of auto, wasm, js; got wams", message

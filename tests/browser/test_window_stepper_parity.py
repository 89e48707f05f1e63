"""The window stepper's browser module computes what convlib computes.

``convlib/book/widgets/js/window_stepper.js`` computes the window's products, their sum and the
``"valid"`` output in the browser. Here its exported functions run in headless Chromium on many
cases (integer and float images from 1x1 to 9x9, kernels from 1x1 to the image's size) and are
compared with Python: bit for bit with the same multiply-adds in the same order (row-major taps,
from 0), and to rounding with :func:`convlib.correlate2d` (``mode="valid"``), what
``WindowStepper.output`` is. Integer cases are exact either way.
"""

from __future__ import annotations

import base64

import numpy as np
import pytest
from live_pages import run_in_module

import convlib
from convlib.book.widgets.window_stepper import WindowStepper

pytestmark = pytest.mark.browser

# Runs every case in the page; float64 results come back as base64 bytes, so nothing is rounded on the way.
RUN_CASES = """
(module, cases) => {
  const encode = (values) => {
    const bytes = new Uint8Array(Float64Array.from(values).buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  };
  return cases.map((c) => {
    const [rows, columns] = module.validShape(c.height, c.width, c.kh, c.kw);
    const output = module.correlateValid(c.image, c.height, c.width, c.kernel, c.kh, c.kw);
    const steps = [];
    for (let r = 0; r < rows; r++) for (let col = 0; col < columns; col++) {
      const s = module.step(c.image, c.width, c.kernel, c.kh, c.kw, r, col);
      steps.push(encode([...s.products, s.sum]));
    }
    return { shape: [rows, columns], output: encode(output), steps,
             formatted: c.image.slice(0, 4).map((v) => module.formatNumber(v)) };
  });
}
"""


def _decode(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f8")


def _cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(17)
    cases = [(np.array([[1, 1, 2, 5, 5], [1, 2, 1, 6, 5], [2, 1, 1, 5, 6], [1, 1, 2, 6, 5], [2, 1, 1, 5, 5]]),
              np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]))]  # fmt: skip
    for height in range(1, 10, 2):
        for width in (1, 4, 9):
            for kh in range(1, height + 1, 2):
                for kw in range(1, width + 1, 3):
                    cases.append((rng.integers(-9, 10, (height, width)), rng.integers(-3, 4, (kh, kw))))
                    cases.append((rng.normal(size=(height, width)) * 7, rng.normal(size=(kh, kw))))
    return cases


def _readable(image: np.ndarray, kernel: np.ndarray, row: int, column: int) -> tuple[np.ndarray, float]:
    kh, kw = kernel.shape
    products = np.empty(kh * kw)
    total = 0.0
    for a in range(kh):
        for b in range(kw):
            products[a * kw + b] = kernel[a, b] * image[row + a, column + b]
            total += products[a * kw + b]
    return products, total


def test_the_browser_module_equals_convlib(chromium):
    cases = _cases()
    payload = [{"image": image.astype(float).ravel().tolist(), "height": image.shape[0], "width": image.shape[1],
                "kernel": kernel.astype(float).ravel().tolist(), "kh": kernel.shape[0], "kw": kernel.shape[1]}
               for image, kernel in cases]  # fmt: skip
    results = run_in_module(chromium, "window_stepper", RUN_CASES, payload)
    checked = 0
    for (image, kernel), result in zip(cases, results, strict=True):
        image, kernel = image.astype(float), kernel.astype(float)
        reference = convlib.correlate2d(image, kernel, mode="valid")
        label = f"image {image.shape}, kernel {kernel.shape}"
        assert tuple(result["shape"]) == reference.shape, label
        output = _decode(result["output"]).reshape(reference.shape)
        np.testing.assert_allclose(output, reference, rtol=0, atol=1e-12 * max(1.0, np.abs(image).max()), err_msg=label)
        for position, encoded in enumerate(result["steps"]):
            row, column = divmod(position, reference.shape[1])
            products, total = _readable(image, kernel, row, column)
            shown = _decode(encoded)
            np.testing.assert_array_equal(shown[:-1], products, err_msg=f"{label} at {row, column}")
            assert shown[-1] == total == output[row, column], f"{label} at {row, column}"
            checked += 1
        if np.all(image == np.round(image)):
            np.testing.assert_array_equal(output, reference, err_msg=f"{label}: integers are exact")
            assert result["formatted"] == [f"{v:g}" for v in image.ravel()[:4]], label
    assert checked > 300


def test_the_live_state_carries_the_numbers_exactly():
    rng = np.random.default_rng(5)
    image, kernel = rng.normal(size=(6, 7)), rng.normal(size=(3, 2))
    stepper = WindowStepper(image, kernel, position=4)
    state = stepper.widget.live_state()["state"]
    np.testing.assert_array_equal(np.array(state["image"]).reshape(6, 7), image)
    np.testing.assert_array_equal(np.array(state["kernel"]).reshape(3, 2), kernel)
    assert (state["height"], state["width"], state["kernel_height"], state["kernel_width"], state["position"]) == (
        6,
        7,
        3,
        2,
        4,
    )

"""The flip-slide view's browser module computes what Python computes.

``convlib/book/widgets/js/flip_slide.js`` steps through a full convolution in the browser. Here its
exported functions run in headless Chromium on many cases (signals of 1 to 12 samples, kernels of 1
to 6, integers and random floats, every output position) and are compared with Python:

* bit for bit with :func:`convlib.book.figures.signals.flip_slide_terms` (the overlap's positions,
  each product, and their sum added in the same order): what the view's Python side and its picture
  show;
* to rounding with :func:`convlib.convolve1d` (which may add the products in another order);
* the numbers as written: ``numberText`` equals Python's ``f"{x:.3g}"`` (``number_text``).
"""

from __future__ import annotations

import base64
import itertools

import numpy as np
import pytest
from live_pages import run_in_module

import convlib
from convlib.book.figures.signals import flip_slide_terms, number_text
from convlib.book.widgets.flip_slide import MAX_COLUMNS

pytestmark = pytest.mark.browser

EPS = np.finfo(np.float64).eps

RUN_CASES = """
(module, cases, numbers) => {
  const encode = (values) => {
    const bytes = new Uint8Array(Float64Array.from(values).buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  };
  const decode = (text) => new Float64Array(Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer);
  const results = cases.map(([signalText, kernelText]) => {
    const signal = decode(signalText), kernel = decode(kernelText);
    const steps = [];
    for (let n = 0; n < signal.length + kernel.length - 1; n++) {
      const t = module.terms(signal, kernel, n);
      steps.push({ m: t.m, products: encode(t.products), sum: encode([t.sum]) });
    }
    const cell = module.layout(signal.length, kernel.length).cell;
    return { steps, full: encode(module.fullConvolution(signal, kernel)), layout: cell };
  });
  return { results, texts: Array.from(decode(numbers), (x) => module.numberText(x)) };
}
"""


def _encode(values: np.ndarray) -> str:
    return base64.b64encode(np.asarray(values, "<f8").tobytes()).decode("ascii")


def _decode(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f8")


def _cases() -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(7)
    cases = [(np.array([1.0, 2.0, 3.0, 4.0]), np.array([3.0, 2.0, 1.0]))]
    for n_len, k_len in itertools.product(range(1, 13), range(1, 7)):
        if n_len + 2 * k_len - 2 > MAX_COLUMNS:
            continue
        cases.append((rng.integers(-9, 10, n_len).astype(float), rng.integers(-5, 6, k_len).astype(float)))
        cases.append((rng.normal(0, 3, n_len), rng.normal(0, 1, k_len)))
    cases.append((np.array([1e6, -2.5e-5, 0.1]), np.array([1 / 3, 1e-3])))
    return cases


def test_the_browser_module_equals_python(chromium):
    cases = _cases()
    rng = np.random.default_rng(8)
    numbers = np.concatenate([
        rng.normal(0, 1, 200), rng.normal(0, 1000, 100), rng.normal(0, 1e-4, 100), 10.0 ** rng.uniform(-6, 8, 100),
        [0.0, -0.0, 1.0, -1.0, 14.0, 2.5, 0.5, 100.0, 999.0, 1000.0, 0.0001, 0.00001],
    ])  # fmt: skip
    payload = [[_encode(x), _encode(k)] for x, k in cases]
    out = run_in_module(chromium, "flip_slide", RUN_CASES, payload, _encode(numbers))
    checked = 0
    for (x, k), result in zip(cases, out["results"], strict=True):
        label = f"x={x.tolist()}, k={k.tolist()}"
        full = convlib.convolve1d(x, k)
        browser_full = _decode(result["full"])
        for n, step in enumerate(result["steps"]):
            m, products, total = flip_slide_terms(x, k, n)
            assert step["m"] == m.tolist(), f"{label}, n={n}: overlap {step['m']} != {m.tolist()}"
            np.testing.assert_array_equal(_decode(step["products"]), products, err_msg=f"{label}, n={n}")
            assert _decode(step["sum"])[0] == total, f"{label}, n={n}: the sum differs from Python's"
            assert browser_full[n] == total
            bound = 4 * k.size * EPS * max(float(np.abs(x).max() * np.abs(k).max()), 1e-300)
            assert abs(total - full[n]) <= bound, f"{label}, n={n}: {total} vs convolve1d {full[n]}"
            checked += 1
        assert result["layout"] * 0.9 >= 30, f"{label}: cells {result['layout']:.0f} px wide, too narrow to read"
    assert checked > 500
    expected = [number_text(value) for value in numbers]
    mismatches = [(v, b, p) for v, b, p in zip(numbers, out["texts"], expected, strict=True) if b != p]
    assert not mismatches, mismatches[:10]

"""The moving-average explorer's browser module computes what convlib computes.

``convlib/book/widgets/js/moving_average.js`` smooths the signal in the browser. Here its exported
functions run in headless Chromium on many cases (signals of 2 to 1000 samples, every width from 1 to
beyond the signal's length, odd and even, every boundary) and are compared with Python:

* bit for bit with convlib's readable shift-and-add
  (:func:`convlib.engines.shift_add.correlate2d_valid_readable`) over the signal padded as
  ``convolve1d(mode="same")`` pads it: the browser adds the same products in the same order;
* to a tight tolerance with :func:`convlib.convolve1d`, what ``MovingAverageExplorer.smoothed`` is.
  convolve1d may add the same products in another order (through BLAS), so the two differ by
  rounding only: each sum of ``width`` products of at most ``max|signal| / width`` differs by at most
  about ``width * eps * max|signal|`` between any two orders (asserted with a factor 4 to spare).
"""

from __future__ import annotations

import base64

import numpy as np
import pytest
from live_pages import run_in_module

import convlib
from convlib.book.widgets import MovingAverageExplorer
from convlib.engines.shift_add import correlate2d_valid_readable
from convlib.padding import PAD_MODES
from convlib.sizes import mode_padding

pytestmark = pytest.mark.browser

EPS = np.finfo(np.float64).eps

# Runs every case in the page; results come back as float64 bytes in base64, so nothing is rounded on the way.
RUN_CASES = """
(module, signals, cases) => {
  const encode = (values) => {
    const bytes = new Uint8Array(Float64Array.from(values).buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  };
  const bytes = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const decoded = signals.map((s) => module.samplesOf(new DataView(bytes(s).buffer)));
  return cases.map(([which, width, boundary]) => {
    const signal = decoded[which];
    return {
      smoothed: encode(module.movingAverage(signal, width, boundary)),
      padded: encode(module.paddedSignal(signal, width, boundary)),
      edges: module.edgeSamples(width, signal.length),
    };
  });
}
"""


def _signals() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(11)
    t = np.linspace(0, 1, 200)
    clean = np.cos(2 * np.pi * 3 * t)
    spike = np.zeros(31)
    spike[15] = 1.0
    return {
        "notebook-like 200": clean + rng.normal(0, 0.3, t.size),
        "two samples": np.array([1.5, -2.25]),
        "three samples": np.array([0.1, 0.2, 0.7]),
        "seven integers": np.array([3, -1, 4, 1, -5, 9, 2], dtype=float),
        "spike 31": spike,
        "ramp 50": np.arange(50.0),
        "large values 64": rng.normal(1e6, 3e5, 64),
        "tiny values 40": rng.normal(0, 1e-9, 40),
        "long 1000": np.sin(np.linspace(0, 20, 1000)) + rng.normal(0, 0.5, 1000),
        "positive offset 120": 10 + rng.random(120),
    }


def _cases(signals: dict[str, np.ndarray]) -> list[tuple[int, int, str]]:
    cases = []
    for which, signal in enumerate(signals.values()):
        n = signal.size
        widths = sorted(set(range(1, min(n, 60) + 1)) | {n + 1, n + 2, 2 * n + 3} | set(range(1, 200, 37)))
        for width in widths:
            for boundary in PAD_MODES:
                cases.append((which, width, boundary))
    return cases


def _decode(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f8")


def test_the_browser_module_equals_convlib(chromium):
    signals = _signals()
    names = list(signals)
    cases = _cases(signals)
    payload = [base64.b64encode(s.astype("<f8").tobytes()).decode("ascii") for s in signals.values()]
    results = run_in_module(chromium, "moving_average", RUN_CASES, payload, [list(c) for c in cases])
    exact_mismatches, tolerance_mismatches, largest = [], [], 0.0
    for (which, width, boundary), result in zip(cases, results, strict=True):
        signal = signals[names[which]]
        kernel = np.full(width, 1 / width)
        padded = np.pad(signal, mode_padding(width, "same"), mode=boundary)  # constant: zeros
        readable = correlate2d_valid_readable(padded[np.newaxis], kernel[::-1][np.newaxis])[0]
        reference = convlib.convolve1d(signal, kernel, mode="same", boundary=boundary)
        browser, browser_padded = _decode(result["smoothed"]), _decode(result["padded"])
        label = f"{names[which]} / width {width} / {boundary}"
        assert result["edges"] == [min(signal.size, width // 2), min(signal.size, (width - 1) // 2)], label
        if not (np.array_equal(browser_padded, padded) and np.array_equal(browser, readable)):
            exact_mismatches.append(f"{label}: {int((browser != readable).sum())} samples differ")
        bound = 4 * width * EPS * float(np.abs(signal).max())
        difference = float(np.abs(browser - reference).max())
        largest = max(largest, difference / bound if bound else 0.0)
        if difference > bound:
            tolerance_mismatches.append(f"{label}: differs from convolve1d by {difference:.3g} > {bound:.3g}")
    assert len(cases) > 2000
    assert exact_mismatches == [], f"{len(exact_mismatches)} of {len(cases)}:\n" + "\n".join(exact_mismatches[:20])
    assert tolerance_mismatches == [], "\n".join(tolerance_mismatches[:20])
    print(f"\n{len(cases)} cases: bit for bit with the readable shift-and-add; "
          f"largest difference from convolve1d {largest:.3f} of the bound")  # fmt: skip


def test_the_explorers_python_values_are_convolve1d():
    signal = _signals()["notebook-like 200"]
    explorer = MovingAverageExplorer(signal, width=4, max_width=60)
    for width in (1, 2, 9, 21, 60):
        for boundary in PAD_MODES:
            explorer.width, explorer.boundary = width, boundary
            expected = convlib.convolve1d(signal, np.full(width, 1 / width), mode="same", boundary=boundary)
            np.testing.assert_array_equal(explorer.smoothed, expected)


def test_the_live_state_carries_the_signal_exactly():
    signals = _signals()
    signal = signals["large values 64"]
    explorer = MovingAverageExplorer(signal, width=3, clean=signals["tiny values 40"][:1].repeat(64))
    state = explorer.widget.live_state()["state"]
    np.testing.assert_array_equal(_decode(state["signal"]["base64"]), signal)
    assert _decode(state["clean"]["base64"]).shape == (64,)
    assert (state["width"], state["max_width"], state["boundary"]) == (3, 51, "constant")

"""The NTM explorer's browser module computes what convlib.shifting computes, within 1e-12.

``convlib/book/widgets/js/ntm_explorer.js`` computes the head's addressing in the browser. Here its
exported functions run in headless Chromium on many cases (memories of 1 to 300 slots, one-hot,
sparse and random weightings, shift sliders on their grid, random or all at zero, gamma from 1 to
10 including whole numbers, gates from 0 to 1, 1 to 20 repeated steps) and every value is compared
with Python: ``ntm_interpolate``, ``ntm_shift``, ``ntm_sharpen``, :func:`head_trajectory` and
``NTMShiftExplorer``'s properties, within 1e-12. The module follows numpy's operations and summation
order, so the values are normally equal to the last bit (the test prints how many); the tolerance
leaves room for a browser whose ``Math.pow`` rounds differently from the C library's.
"""

from __future__ import annotations

import numpy as np
import pytest
from live_pages import run_in_module

from convlib.book.widgets.ntm_explorer import GAMMA_STEP, SHIFT_STEP, SHIFTS, NTMShiftExplorer, head_trajectory
from convlib.shifting import ntm_interpolate, ntm_sharpen, ntm_shift

pytestmark = pytest.mark.browser

TOLERANCE = 1e-12

RUN_CASES = """
(m, steps, sums, explorers) => {
  const list = (a) => Array.from(a);
  return {
    steps: steps.map((c) => {
      const interpolated = m.interpolate(c.content, c.previous, c.gate);
      const shifted = m.shift(interpolated, c.s);
      return {interpolated: list(interpolated), shifted: list(shifted), sharpened: list(m.sharpen(shifted, c.gamma)),
              distribution: list(m.shiftDistribution(c.raw))};
    }),
    sums: sums.map((values) => m.numpySum(Float64Array.from(values))),
    explorers: explorers.map((state) => {
      const r = m.compute(state);
      return {s: list(r.s), uniform: r.uniform, interpolated: list(r.interpolated), shifted: list(r.shifted),
              sharpened: list(r.sharpened), rows: r.rows.map(list)};
    }),
    snapped: [m.stepValue(0.1, 0.05, 0.05, 0, 1), m.stepValue(0.95, 0.05, 0.05, 0, 1),
              m.stepValue(1, 0.05, 0.05, 0, 1), m.stepValue(1, -0.25, 0.25, 1, 10), m.stepValue(0.33, 0, 0.05, 0, 1)],
  };
}
"""


def _weighting(rng: np.random.Generator, n: int, kind: str) -> np.ndarray:
    if kind == "one-hot":
        w = np.zeros(n)
        w[rng.integers(n)] = 1.0
    elif kind == "sparse":
        w = np.where(rng.random(n) < 0.3, rng.random(n), 0.0)
        if not w.any():
            w[0] = 1.0
        w = w / w.sum()
    elif kind == "peaked":
        w = rng.dirichlet(np.full(n, 0.2))
    else:
        w = rng.dirichlet(np.ones(n))
    return w


KINDS = ("one-hot", "sparse", "peaked", "random")


def _raw_shift(rng: np.random.Generator) -> list[float]:
    choice = rng.integers(4)
    if choice == 0:  # on the sliders' grid, as a key press leaves them
        return [round(float(v) * SHIFT_STEP, 10) for v in rng.integers(0, 21, 3)]
    if choice == 1:
        return [0.0, 0.0, 0.0] if rng.random() < 0.5 else [0.0, 0.0, 1.0]
    return rng.random(3).tolist()


def _gamma(rng: np.random.Generator) -> float:
    choice = rng.integers(3)
    if choice == 0:
        return float(rng.integers(1, 11))  # whole numbers: numpy's fast paths for 1 and 2
    if choice == 1:
        return 1 + GAMMA_STEP * float(rng.integers(0, 37))
    return float(rng.uniform(1, 10))


def _gate(rng: np.random.Generator) -> float:
    return float(rng.choice([0.0, 1.0, 0.5, round(0.05 * int(rng.integers(21)), 10), float(rng.random())]))


def _step_cases(rng: np.random.Generator) -> list[dict]:
    cases = []
    for n in [1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 64, 127, 128, 129, 200, 300]:
        for kind_previous in KINDS:
            for kind_content in KINDS:
                for _ in range(3):
                    raw = _raw_shift(rng)
                    total = float(np.sum(raw))
                    s = np.full(3, 1 / 3) if total == 0 else np.array(raw) / total
                    cases.append(dict(
                        previous=_weighting(rng, n, kind_previous).tolist(),
                        content=_weighting(rng, n, kind_content).tolist(),
                        raw=raw, s=s.tolist(), gamma=_gamma(rng), gate=_gate(rng),
                    ))  # fmt: skip
    return cases


def _explorer_cases(rng: np.random.Generator) -> list[dict]:
    cases = []
    for n in [3, 5, 8, 16, 16, 16, 24, 40, 64]:
        for kind_previous in KINDS:
            for kind_content in KINDS:
                for _ in range(6):
                    cases.append(dict(
                        previous_weights=_weighting(rng, n, kind_previous).tolist(),
                        content_weights=_weighting(rng, n, kind_content).tolist(),
                        shift_weights=_raw_shift(rng), gamma=_gamma(rng), gate=_gate(rng),
                        steps=int(rng.integers(1, 21)),
                    ))  # fmt: skip
    return cases


def _difference(a: object, b: object) -> tuple[float, bool]:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, f"shapes differ: {a.shape} and {b.shape}"
    return float(np.max(np.abs(a - b))) if a.size else 0.0, bool(np.array_equal(a, b))


def test_the_browser_module_equals_convlib_shifting(chromium):
    rng = np.random.default_rng(2014)
    steps, explorers = _step_cases(rng), _explorer_cases(rng)
    sums = [(rng.random(int(n)) ** 3).tolist() for n in rng.integers(1, 400, 300)]
    results = run_in_module(chromium, "ntm_explorer", RUN_CASES, steps, sums, explorers)

    # numpy.sum's order, bit for bit (the sharpening divides by it)
    assert [float(np.sum(values)) for values in sums] == results["sums"]

    worst, values, exact = 0.0, 0, 0
    problems = []

    def compare(what: str, browser: object, python: object) -> None:
        nonlocal worst, values, exact
        difference, equal = _difference(browser, python)
        worst = max(worst, difference)
        size = np.asarray(python).size
        values += size
        exact += size if equal else int(np.sum(np.asarray(browser) == np.asarray(python)))
        if not difference <= TOLERANCE:
            problems.append(f"{what}: differs by {difference:.3g}")

    for index, (case, result) in enumerate(zip(steps, results["steps"], strict=True)):
        gated = ntm_interpolate(case["content"], case["previous"], case["gate"])
        shifted = ntm_shift(gated, case["s"], SHIFTS)
        compare(f"step case {index} gated", result["interpolated"], gated)
        compare(f"step case {index} shifted", result["shifted"], shifted)
        compare(f"step case {index} sharpened (gamma {case['gamma']})", result["sharpened"],
                ntm_sharpen(shifted, case["gamma"]))  # fmt: skip
        compare(f"step case {index} s", result["distribution"], case["s"])

    for index, (state, result) in enumerate(zip(explorers, results["explorers"], strict=True)):
        explorer = NTMShiftExplorer(
            state["previous_weights"], state["content_weights"], shift_weights=state["shift_weights"],
            gamma=state["gamma"], gate=state["gate"], steps=state["steps"],
        )  # fmt: skip
        try:
            stages = explorer.stages
            compare(f"explorer {index} s", result["s"], explorer.shift_distribution)
            assert result["uniform"] == (sum(state["shift_weights"]) == 0)
            for name in ("interpolated", "shifted", "sharpened"):
                compare(f"explorer {index} {name}", result[name], getattr(stages, name))
            compare(f"explorer {index} heat map", result["rows"], explorer.trajectory)
            reference = head_trajectory(
                state["previous_weights"], explorer.shift_distribution, state["gamma"], state["steps"],
                state["content_weights"], state["gate"],
            )  # fmt: skip
            compare(f"explorer {index} head_trajectory", result["rows"], reference)
        finally:
            explorer.close()

    assert results["snapped"] == [0.15, 1.0, 1.0, 1.0, 0.35]
    assert len(steps) >= 800 and len(explorers) >= 800
    print(
        f"\nNTM explorer parity: {len(steps)} step cases, {len(explorers)} explorer states, {len(sums)} sums; "
        f"{values} values, {exact} equal to the last bit, largest difference {worst:.3g}"
    )
    assert problems == [], f"{len(problems)} comparisons differ by more than {TOLERANCE}:\n" + "\n".join(problems[:20])

"""Print the live views' latencies (written by the browser tests) as a Markdown table for the README.

    .venv/bin/python scripts/latency_table.py

Reads benchmarks/results/browser_latency*.json: input (key press, pointer) -> new picture painted, in
JupyterLab in headless Chromium, the views computing in the browser.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES = {
    "browser_latency_moving_average.json": "moving-average explorer (01)",
    "browser_latency_flip_slide.json": "flip–slide view (01)",
    "browser_latency_window_stepper.json": "window stepper (02)",
    "browser_latency.json": "kernel editor (02), 512²",
    "browser_latency_padding_explorer.json": "output-size and border-mode explorers (03)",
    "browser_latency_kernel_convergence.json": "kernel-convergence viewer (06)",
    "browser_latency_ntm_explorer.json": "NTM explorer (08)",
}


def rows(name: str, data: dict, prefix: str = "") -> list[str]:
    found = []
    for key, value in data.items():
        if isinstance(value, dict) and "median_ms" in value:
            if "compute" in key or key == "target":
                continue
            what = f"{prefix}{key.replace('_', ' ')}".replace("3x3", "3×3").replace("5x5", "5×5")
            found.append(f"| {name} | {what} | {value['median_ms']:.1f} | {value['p95_ms']:.1f} | {value['events']} |")
        elif isinstance(value, dict):
            found += rows(name, value, f"{key.replace('_', ' ')}: ")
    return found


def main() -> None:
    print("| view | input | median ms | p95 ms | events |")
    print("|---|---|---|---|---|")
    for file, name in NAMES.items():
        path = ROOT / "benchmarks" / "results" / file
        if path.exists():
            print("\n".join(rows(name, json.loads(path.read_text()))))


if __name__ == "__main__":
    main()

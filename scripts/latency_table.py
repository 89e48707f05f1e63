"""Print the live views' latencies (written by the browser tests) as a Markdown table for the README.

    .venv/bin/python scripts/latency_table.py [RESULTS_DIR ...]

Reads RESULTS_DIR/browser_latency*.json (default: benchmarks/results): input (key press, pointer) -> new
picture painted, in JupyterLab in headless Chromium, the views computing in the browser. With several
directories (the results of several test runs, e.g. of CI runs on clean clones), each cell lists the
runs' values in order, separated by " · ".
"""

from __future__ import annotations

import json
import sys
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


def rows(data: dict, prefix: str = "") -> dict[str, dict]:
    """The measurements in one results file: what was measured (e.g. "key press") -> its summary."""
    found = {}
    for key, value in data.items():
        if isinstance(value, dict) and "median_ms" in value:
            if "compute" in key or key == "target":
                continue
            what = f"{prefix}{key.replace('_', ' ')}".replace("3x3", "3×3").replace("5x5", "5×5")
            found[what] = value
        elif isinstance(value, dict):
            found.update(rows(value, f"{key.replace('_', ' ')}: "))
    return found


def main(directories: list[Path]) -> None:
    print("| view | input | median ms | p95 ms | events |")
    print("|---|---|---|---|---|")
    for file, name in NAMES.items():
        runs = [rows(json.loads((d / file).read_text())) for d in directories if (d / file).exists()]
        for what in dict.fromkeys(what for run in runs for what in run):
            found = [run[what] for run in runs if what in run]
            median = " · ".join(f"{value['median_ms']:.1f}" for value in found)
            p95 = " · ".join(f"{value['p95_ms']:.1f}" for value in found)
            events = " · ".join(dict.fromkeys(str(value["events"]) for value in found))  # once if all alike
            print(f"| {name} | {what} | {median} | {p95} | {events} |")


if __name__ == "__main__":
    main([Path(arg) for arg in sys.argv[1:]] or [ROOT / "benchmarks" / "results"])

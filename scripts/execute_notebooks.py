"""Re-execute notebooks in place, so that their stored outputs are exactly what a fresh run gives.

    python scripts/execute_notebooks.py                 # every notebook in notebooks/
    python scripts/execute_notebooks.py notebooks/01_convolution_1d.ipynb

Each notebook runs top to bottom in a fresh kernel, in its own folder, with PYTHONHASHSEED=0.
The stored result is normalised: execution counts 1..n, no timing metadata, and no stored
widget state (stale widget state makes a reopened notebook and the HTML export show
"model not found" instead of the static picture every live view carries).
tests/test_notebooks.py checks that the stored notebooks are in this normal form, and nbval
checks that their outputs match a fresh run.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def normalise(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Strip what changes from run to run or breaks static views; keep the outputs.

    A live widget's stored view would name a model that no longer exists (a reopened notebook
    shows "model not found") and gets a new random id on every run; every convlib widget also
    carries a PNG of its state, so the view is dropped and the picture kept. Run the cell for
    the live widget.
    """
    notebook.metadata.pop("widgets", None)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.pop("id", None)
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW in data and "image/png" in data:
                del data[WIDGET_VIEW]
    notebook.nbformat, notebook.nbformat_minor = 4, 4  # no cell ids: diffs stay small
    return notebook


def _merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) chunks: how output is chunked depends on timing."""
    merged: list = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text = "".join(previous.text) + "".join(output.text)
        else:
            merged.append(output)
    return merged


def execute(path: Path, timeout: int = 600, cwd: Path | None = None, allow_errors: bool = False) -> float:
    """Run ``path`` in a fresh kernel (in ``cwd``, default its folder) and write it back; return the seconds.

    With ``allow_errors`` a cell that raises does not stop the run (its error is stored as its output).
    """
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd or path.parent)}},
        record_timing=False,
        allow_errors=allow_errors,
        store_widget_state=False,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nbformat.write(normalise(notebook), path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebooks/*.ipynb")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    os.environ["PYTHONHASHSEED"] = "0"
    total = 0.0
    for path in paths:
        seconds = execute(path.resolve())
        total += seconds
        size = path.stat().st_size / 1e6
        print(f"{path.name}: {seconds:.1f} s, {size:.2f} MB")
    print(f"total: {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Prepare the stored notebooks for the course website (called by ``scripts/build_site.sh``).

    python scripts/site_notebooks.py SOURCE_DIR

* copies ``notebooks/*.ipynb`` into ``SOURCE_DIR/notebooks/`` through
  :class:`convlib.book.export.LiveViewPreprocessor`, so each live view runs in its page (no kernel);
* gives every figure its text alternative: the one its author wrote in the cell's metadata (``alt``),
  which MyST-NB writes as the image's ``alt`` (a live view's picture carries its own);
* writes README.md's notebook table into ``SOURCE_DIR/index.md``, its links pointing at the pages.

Nothing is executed: the pages show the outputs as stored (and checked by nbval).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import nbformat

from convlib.book.export import LiveViewPreprocessor

ROOT = Path(__file__).resolve().parent.parent
TABLE_MARKER = "<!-- the notebook table of README.md goes here (scripts/build_site.sh) -->"


def prepare(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` for its page: live views that run, and each figure's text alternative."""
    notebook = nbformat.read(path, as_version=4)
    notebook, _ = LiveViewPreprocessor().preprocess(notebook, {})
    for cell in notebook.cells:
        if not any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            continue
        alt = cell.metadata.get("alt")  # the author's words: what the figure shows and what to notice
        if not alt:
            raise SystemExit(f"{path.name}: a figure without a text alternative (metadata 'alt'):\n{cell.source[:200]}")
        cell.metadata.setdefault("mystnb", {})["image"] = {"alt": str(alt)}
    return notebook


def _heading(markdown: str) -> str | None:
    for line in markdown.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return None


def notebook_table() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The notebooks", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    table = []
    for row in rows:
        # [`notebooks/01_x.ipynb`](notebooks/01_x.ipynb) -> the page, titled by the notebook's first heading
        match = re.match(r"\| \[`notebooks/([^`]+)\.ipynb`\]\(notebooks/[^)]+\) \|(.*)", row)
        if match:
            name, rest = match.groups()
            notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
            title = _heading(notebook.cells[0].source) or name
            row = f"| [{name[:2]}: {title}](notebooks/{name}.ipynb) |{rest}"
        table.append(row)
    return "\n".join(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the Sphinx source folder being built")
    arguments = parser.parse_args()
    target = arguments.source / "notebooks"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nbformat.write(prepare(path), target / path.name)
    index = arguments.source / "index.md"
    text = index.read_text(encoding="utf-8")
    assert TABLE_MARKER in text, f"{index} has no place for the notebook table"
    index.write_text(text.replace(TABLE_MARKER, notebook_table()), encoding="utf-8")


if __name__ == "__main__":
    main()

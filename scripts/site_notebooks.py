"""Prepare the stored notebooks for the course website (called by ``scripts/build_site.sh``).

    python scripts/site_notebooks.py SOURCE_DIR

* copies ``notebooks/*.ipynb`` into ``SOURCE_DIR/notebooks/`` through
  :class:`convlib.book.export.LiveViewPreprocessor`, so each live view runs in its page (no kernel);
* gives every figure a text alternative (the notebooks store none, and matplotlib's text/plain is
  ``<Figure size ... with 3 Axes>``): the cell's first comment line, else the titles the cell gives its
  panels, else the section the figure belongs to; MyST-NB writes it as the image's ``alt``;
* writes README.md's notebook table into ``SOURCE_DIR/index.md``, its links pointing at the pages.

Nothing is executed: the pages show the outputs as stored (and checked by nbval).
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import nbformat

from convlib.book.export import LiveViewPreprocessor

ROOT = Path(__file__).resolve().parent.parent
TABLE_MARKER = "<!-- the notebook table of README.md goes here (scripts/build_site.sh) -->"
TITLE_CALLS = {"set_title", "show_image", "suptitle", "set_xlabel"}


def _comment_line(source: str) -> str | None:
    for line in source.splitlines():
        text = line.strip()
        if text.startswith("#"):
            text = text.lstrip("# ").strip()
            if text and not text.startswith(("NBVAL", "noqa", "fmt:")):
                return text
    return None


def _titles(source: str) -> list[str]:
    """The string literals the cell passes as panel titles (``ax.set_title("...")``, ``show_image(ax, x, "...")``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    titles = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if name not in TITLE_CALLS:
            continue
        for argument in [*node.args, *(k.value for k in node.keywords if k.arg in ("title", "label"))]:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and argument.value.strip():
                titles.append(argument.value.strip())
            elif isinstance(argument, ast.JoinedStr):
                parts = [v.value for v in argument.values if isinstance(v, ast.Constant)]
                text = "…".join(parts).strip()
                if text:
                    titles.append(text)
    return list(dict.fromkeys(titles))


def _heading(markdown: str) -> str | None:
    for line in markdown.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return None


def figure_alt(source: str, section: str, plain: str) -> str:
    """A text alternative for a figure made by a cell with this ``source``, in this ``section``."""
    panels = re.search(r"with (\d+) Axes", plain)
    kind = "figure" if not panels or panels.group(1) == "1" else f"figure of {panels.group(1)} panels"
    comment = _comment_line(source)
    if comment:
        return f"{kind.capitalize()}: {comment}"
    titles = _titles(source)
    if titles:
        return f"{kind.capitalize()} ({section}): " + "; ".join(titles)
    return f"{kind.capitalize()} illustrating {section}"


def prepare(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(path, as_version=4)
    notebook, _ = LiveViewPreprocessor().preprocess(notebook, {})
    section = _heading(notebook.cells[0].source) if notebook.cells else path.stem
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            section = _heading(cell.source) or section
            continue
        if "solution" in cell.metadata.get("tags", []) or cell.metadata.get("jupyter", {}).get("source_hidden"):
            tags = cell.metadata.setdefault("tags", [])
            if "hide-cell" not in tags:
                tags.append("hide-cell")  # a solution stays folded until the reader clicks to see it
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if not images:
            continue
        plain = "".join(images[0]["data"].get("text/plain", ""))
        if plain and not plain.startswith("<Figure"):
            alt = plain
        else:
            alt = figure_alt(cell.source, section, plain)
        cell.metadata.setdefault("mystnb", {})["image"] = {"alt": alt}
    return notebook


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

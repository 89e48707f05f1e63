"""Split the notebooks' slides so that every slide fits a 1280×720 screen.

    python scripts/fit_slides.py                 # every notebook: measure, then rewrite slide metadata
    python scripts/fit_slides.py --check         # only report which slides would not fit

An author marks where a slide starts (``slide``, ``subslide``) and what continues it (``-``,
``fragment``). This script measures, in headless Chromium, how tall each cell is on an exported
slide (scripts/export_slides.sh's template, 1280×720) and, walking each author's slide cell by cell,
starts a new sub-slide (``subslide``) at a continuing cell that would push the slide past the
screen. It never merges slides and never changes a ``skip`` or ``notes`` cell. Run it after editing a
notebook's cells; tests/browser/test_slides.py checks that every slide fits.
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from convlib.book.export import export_slides

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CONVLIB_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
SLIDE_HEIGHT = 720
#: Room a slide's cells may take: the slide less reveal's margin and the gaps between cells.
BUDGET = 660
CONTINUING = {"-", "fragment", None, ""}

# The height, in slide pixels (unscaled), of what the current slide shows (reveal lays out only the
# slides near the current one, so each slide is shown in turn to be measured).
HEIGHT = """
() => {
  const cells = Array.from(Reveal.getCurrentSlide().querySelectorAll(".jp-Cell"));
  const boxes = cells.map((c) => c.getBoundingClientRect()).filter((b) => b.height > 0);
  if (!boxes.length) return 0;
  const top = Math.min(...boxes.map((b) => b.top)), bottom = Math.max(...boxes.map((b) => b.bottom));
  return (bottom - top) / Reveal.getScale();
}
"""


def slide_type(cell: nbformat.NotebookNode) -> str | None:
    return cell.metadata.get("slideshow", {}).get("slide_type")


def shown_cells(notebook: nbformat.NotebookNode) -> list[int]:
    """Indices of the cells that appear on a slide (not skipped, not speaker notes)."""
    return [i for i, cell in enumerate(notebook.cells) if slide_type(cell) not in ("skip", "notes")]


def measure(notebooks: list[Path], static: Path) -> dict[Path, list[float]]:
    """Each shown cell's height on a slide of its own, per notebook (one browser for all)."""
    from playwright.sync_api import sync_playwright

    heights: dict[Path, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": SLIDE_HEIGHT})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        for path in notebooks:
            alone = copy.deepcopy(nbformat.read(path, as_version=4))
            for index in shown_cells(alone):
                alone.cells[index].metadata.setdefault("slideshow", {})["slide_type"] = "subslide"
            alone.cells[shown_cells(alone)[0]].metadata["slideshow"]["slide_type"] = "slide"
            measured = Path(folder) / f"{path.stem}.ipynb"
            nbformat.write(alone, measured)
            deck = static.parent / f"{path.stem}.measure.html"
            deck.write_text(export_slides(measured)[0], encoding="utf-8")
            page.goto(deck.as_uri())
            page.wait_for_function("() => window.Reveal && Reveal.isReady()")
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("async () => { await MathJax.startup.promise; }")
            page.evaluate("() => Reveal.configure({transition: 'none'})")
            heights[path] = []
            for slide in page.evaluate("() => Reveal.getSlides().map((s) => Reveal.getIndices(s))"):
                page.evaluate("([h, v]) => Reveal.slide(h, v, -1)", [slide["h"], slide.get("v") or 0])
                page.wait_for_timeout(60)  # a live view on the slide draws itself
                heights[path].append(page.evaluate(HEIGHT))
            deck.unlink()
        browser.close()
    return heights


def split(notebook: nbformat.NotebookNode, heights: list[float]) -> list[str]:
    """Start a sub-slide where a continuing cell would overflow; returns what changed (and what cannot fit)."""
    shown = shown_cells(notebook)
    assert len(shown) == len(heights), f"{len(shown)} shown cells, {len(heights)} measured slides"
    changes, used = [], 0.0
    for index, height in zip(shown, heights):
        cell = notebook.cells[index]
        kind = slide_type(cell)
        if kind in CONTINUING and used > 0 and used + height > BUDGET:
            cell.metadata.setdefault("slideshow", {})["slide_type"] = "subslide"
            changes.append(f"cell {index}: new sub-slide ({used:.0f} + {height:.0f} px)")
            kind = "subslide"
        used = height if kind not in CONTINUING else used + height
        if height > BUDGET:
            changes.append(f"cell {index}: TOO TALL for one slide ({height:.0f} px): {cell.source[:60]!r}")
    return changes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="report only; change no notebook")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(["bash", str(ROOT / "scripts" / "export_slides.sh"), out], check=True, capture_output=True)
        heights = measure(paths, Path(out) / "_static")
    too_tall = 0
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        changes = split(notebook, heights[path])
        too_tall += sum("TOO TALL" in change for change in changes)
        print(f"{path.name}: {len(changes)} change(s)")
        for change in changes:
            print("   ", change)
        if changes and not args.check:
            nbformat.write(notebook, path)
    return 1 if too_tall else 0


if __name__ == "__main__":
    sys.exit(main())

"""Export notebooks as HTML pages whose live views work without a kernel.

    python scripts/export_html.py                      # every notebook -> build/html/
    python scripts/export_html.py notebooks/02_image_kernels.ipynb --out /tmp/pages

Each page is one file: open it from disk and drag the kernel editor's weights; nothing is
fetched for the live views (convlib.book.export).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from convlib.book.export import export_html

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "html", help="folder for the pages")
    arguments = parser.parse_args()
    paths = arguments.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    arguments.out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        page, live = export_html(path)
        target = arguments.out / (path.stem + ".html")
        target.write_text(page, encoding="utf-8")
        print(f"{target}: {len(page) / 1e6:.2f} MB, {live} live view(s)")


if __name__ == "__main__":
    main()

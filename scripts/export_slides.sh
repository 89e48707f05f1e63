#!/usr/bin/env bash
# Export every notebook as reveal.js slides that open offline: bash scripts/export_slides.sh [OUT]
# (default build/slides). reveal.js and MathJax are vendored from npm into OUT/_static; the live
# views run in the slides from their saved state; nothing is fetched from another site.
# A teacher presenting from the running notebook uses RISE in JupyterLab instead (README).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-build/slides}")
PYTHON=${PYTHON:-.venv/bin/python}
source scripts/web-assets.sh  # npm packages, pinned, into $CACHE (once)

rm -rf "$OUT"
mkdir -p "$OUT/_static"
copy_mathjax "$OUT/_static/mathjax"
copy_reveal "$OUT/_static/reveal"
"$PYTHON" - "$OUT" <<'PY'
import sys
from pathlib import Path

from convlib.book.export import export_slides

out = Path(sys.argv[1])
for notebook in sorted(Path("notebooks").glob("*.ipynb")):
    slides, live = export_slides(notebook)
    (out / f"{notebook.stem}.slides.html").write_text(slides, encoding="utf-8")
    print(f"{notebook.stem}.slides.html: {slides.count('<section')} sections, {live} live views")
PY
echo "slides: $OUT ($(du -sh "$OUT" | cut -f1))"

#!/usr/bin/env bash
# Build the course website: bash scripts/build_site.sh [OUT]   (default build/site)
# Sphinx + MyST-NB + sphinx-book-theme (the `site` extra) from the STORED notebooks, nothing executed;
# each live view runs in its page; MathJax 3 vendored from npm; nothing fetched from another site.
# npm packages (mathjax, axe-core for the site test) are installed into $CONVLIB_SITE_CACHE.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-build/site}")
PYTHON=${PYTHON:-.venv/bin/python}

if ! "$PYTHON" -c "import sphinx_book_theme, myst_nb" 2>/dev/null; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[site]"
fi

source scripts/web-assets.sh  # npm packages, pinned, into $CACHE (once)

# The Sphinx source: site/, the prepared notebooks, MathJax (its CHTML output, TeX input, menu and accessibility parts)
SRC=$(mktemp -d "${TMPDIR:-/tmp}/convlib-site-src.XXXXXX")
trap 'rm -rf "$SRC"' EXIT
cp -r site/. "$SRC/"
cp docs/teacher-guide.md "$SRC/teacher-guide.md"
"$PYTHON" scripts/site_notebooks.py "$SRC"
copy_mathjax "$SRC/_static/mathjax"

rm -rf "$OUT"
"$PYTHON" -m sphinx -b html -q -j 1 -d "$SRC/.doctrees" "$SRC" "$OUT"
rm -f "$OUT"/_static/*webpack-macros.html "$OUT/.buildinfo"  # the themes' template files, not pages
echo "site: $OUT/index.html ($(du -sh "$OUT" | cut -f1))"

#!/usr/bin/env bash
# Build the course website: bash scripts/build_site.sh [OUT]   (default build/site)
# Sphinx + MyST-NB + sphinx-book-theme (the `site` extra) from the STORED notebooks, nothing executed;
# each live view runs in its page; MathJax 3 vendored from npm; nothing fetched from another site.
# npm packages (mathjax, axe-core for the site test) are installed into $CONVLIB_SITE_CACHE.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$(realpath -m "${1:-build/site}")
CACHE=$(realpath -m "${CONVLIB_SITE_CACHE:-build/site-cache}")
PYTHON=${PYTHON:-.venv/bin/python}
MATHJAX_VERSION=3.2.2
AXE_VERSION=4.11.1

if ! "$PYTHON" -c "import sphinx_book_theme, myst_nb" 2>/dev/null; then
    "$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[site]"
fi

# npm packages, pinned, into the cache (once)
installed() { node -p "require('$CACHE/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(installed mathjax)" != "$MATHJAX_VERSION" ] || [ "$(installed axe-core)" != "$AXE_VERSION" ]; then
    mkdir -p "$CACHE"
    npm install --prefix "$CACHE" --no-audit --no-fund --no-package-lock --silent \
        "mathjax@$MATHJAX_VERSION" "axe-core@$AXE_VERSION"
fi

# The Sphinx source: site/, the prepared notebooks, MathJax (its CHTML output, TeX input, menu and accessibility parts)
SRC=$(mktemp -d "${TMPDIR:-/tmp}/convlib-site-src.XXXXXX")
trap 'rm -rf "$SRC"' EXIT
cp -r site/. "$SRC/"
"$PYTHON" scripts/site_notebooks.py "$SRC"
MJ="$CACHE/node_modules/mathjax/es5"
mkdir -p "$SRC/_static/mathjax/output"
cp "$MJ/tex-chtml.js" "$SRC/_static/mathjax/"
cp -r "$MJ/input" "$MJ/a11y" "$MJ/ui" "$MJ/adaptors" "$MJ/sre" "$SRC/_static/mathjax/"
cp -r "$MJ/output/chtml" "$MJ/output/chtml.js" "$SRC/_static/mathjax/output/"
cp "$CACHE/node_modules/mathjax/LICENSE" "$SRC/_static/mathjax/"

rm -rf "$OUT"
"$PYTHON" -m sphinx -b html -q -j 1 -d "$SRC/.doctrees" "$SRC" "$OUT"
rm -f "$OUT"/_static/*webpack-macros.html "$OUT/.buildinfo"  # the themes' template files, not pages
echo "site: $OUT/index.html ($(du -sh "$OUT" | cut -f1))"

# Front-end files the static pages use, vendored from npm (pinned) so that no page loads anything
# from a CDN: MathJax 3 (maths), reveal.js (slides), axe-core (the accessibility audit of the tests).
# Sourced by build_site.sh and export_slides.sh; installs once into $CACHE.
CACHE=$(realpath -m "${CONVLIB_SITE_CACHE:-build/site-cache}")
MATHJAX_VERSION=3.2.2
AXE_VERSION=4.11.1
REVEAL_VERSION=5.2.1

_installed() { node -p "require('$CACHE/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [ "$(_installed mathjax)" != "$MATHJAX_VERSION" ] || [ "$(_installed axe-core)" != "$AXE_VERSION" ] \
    || [ "$(_installed reveal.js)" != "$REVEAL_VERSION" ]; then
    mkdir -p "$CACHE"
    npm install --prefix "$CACHE" --no-audit --no-fund --no-package-lock --silent \
        "mathjax@$MATHJAX_VERSION" "axe-core@$AXE_VERSION" "reveal.js@$REVEAL_VERSION"
fi

# copy_mathjax DEST: MathJax's CHTML output, TeX input, menu and accessibility parts, and its licence
copy_mathjax() {
    local mj="$CACHE/node_modules/mathjax/es5"
    mkdir -p "$1/output"
    cp "$mj/tex-chtml.js" "$1/"
    cp -r "$mj/input" "$mj/a11y" "$mj/ui" "$mj/adaptors" "$mj/sre" "$1/"
    cp -r "$mj/output/chtml" "$mj/output/chtml.js" "$1/output/"
    cp "$CACHE/node_modules/mathjax/LICENSE" "$1/"
}

# copy_reveal DEST: reveal.js's script, styles, themes and speaker-notes plugin, and its licence
copy_reveal() {
    local rv="$CACHE/node_modules/reveal.js"
    mkdir -p "$1/plugin"
    cp -r "$rv/dist" "$1/"
    cp -r "$rv/plugin/notes" "$1/plugin/"
    cp "$rv/LICENSE" "$1/"
}

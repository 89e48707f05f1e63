# Sourced by scripts/lab.sh and scripts/test.sh: make .venv and install convlib into it.
# Usage: source scripts/setup-env.sh EXTRAS   (EXTRAS: "notebooks" for the lab, "test" for the tests; empty for the library alone)
set -euo pipefail
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
extras=${1:-}
target="."
[ -n "$extras" ] && target=".[$extras]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target"
# JupyterLab's defaults for this environment: saved notebooks keep their live views' state (a reopened
# notebook shows the view, not "Error displaying widget"), and no news pop-up.
mkdir -p .venv/share/jupyter/lab/settings
cp scripts/jupyterlab-overrides.json .venv/share/jupyter/lab/settings/overrides.json

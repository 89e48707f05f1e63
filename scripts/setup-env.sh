# Sourced by scripts/lab.sh and scripts/test.sh: make .venv and install convlib into it.
# Usage: source scripts/setup-env.sh [EXTRAS]   (EXTRAS e.g. "test"; empty for the notebooks only)
set -euo pipefail
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
extras=${1:-}
target="."
[ -n "$extras" ] && target=".[$extras]"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$target"

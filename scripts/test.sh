#!/usr/bin/env bash
# Install what the tests need (.venv with convlib[test]; Debian's Chromium for the browser test)
# and run the whole suite: unit, property and oracle tests, doctests, nbval on every notebook,
# ruff, and JupyterLab driven in headless Chromium. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh test
if [ ! -x /usr/bin/chromium ]; then
    sudo=()
    [ "$(id -u)" = 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq chromium >/dev/null
fi
export PYTHONHASHSEED=0
exec .venv/bin/python -m pytest "$@"

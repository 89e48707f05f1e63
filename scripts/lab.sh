#!/usr/bin/env bash
# Start JupyterLab on the notebooks: bound to 127.0.0.1, with token authentication (the URL it
# prints carries the token). First run installs everything into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh notebooks  # the library and what the notebooks import
as_root=()
[ "$(id -u)" = 0 ] && as_root=(--allow-root)
exec .venv/bin/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=notebooks "${as_root[@]}" "$@"

#!/usr/bin/env bash
# Start JupyterLab on the notebooks: bound to 127.0.0.1, with token authentication (the URL it
# prints carries the token). First run installs everything into .venv.
#   bash scripts/lab.sh               # for study: JupyterLab as usual
#   bash scripts/lab.sh --projector   # for a room: larger code, text and menus
# Every start uses a fresh workspace (no tabs left open from a previous session) and no news
# pop-up; RISE is installed, so any notebook can be presented as slides (the toolbar's slideshow
# button, or Alt+R). Other arguments go to `jupyter lab`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup-env.sh notebooks  # the library and what the notebooks import
session=$(mktemp -d "${TMPDIR:-/tmp}/convlib-lab.XXXXXX")
args=(--ip=127.0.0.1 --ServerApp.root_dir=notebooks --LabApp.workspaces_dir="$session/workspaces")
if [ "${1:-}" = "--projector" ]; then
    shift
    cp -r scripts/projector-settings "$session/settings"
    export JUPYTERLAB_SETTINGS_DIR="$session/settings"
fi
[ "$(id -u)" = 0 ] && args+=(--allow-root)
exec .venv/bin/jupyter lab "${args[@]}" "$@"

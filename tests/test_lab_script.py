"""The README's lab command, as a teacher starts it for a room: ``bash scripts/lab.sh --projector``.

Starts the real script (which installs into .venv if needed) on a free port with a known token, in
a private home, and asks the running server: token authentication is on (no token, no API), the
projector's larger fonts are the theme's settings, the news pop-up is off, saved notebooks keep
their live views, the slideshow extension (RISE) is installed, and the workspace is fresh.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, token: str | None) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}


def test_lab_for_a_projector(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "TMPDIR": str(tmp_path)}  # fmt: skip
    log = (tmp_path / "lab.log").open("w")
    process = subprocess.Popen(
        ["bash", "scripts/lab.sh", "--projector", "--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180  # the first start may install into .venv
        while _get_status(port, token) != 200:
            assert process.poll() is None, (tmp_path / "lab.log").read_text()[-3000:]
            assert time.monotonic() < deadline, (tmp_path / "lab.log").read_text()[-3000:]
            time.sleep(0.5)
        assert _get(port, "/api/contents", None)[0] == 403, "the server answers without its token"
        settings = "/lab/api/settings/@jupyterlab/apputils-extension:"
        themes = _get(port, settings + "themes", token)[1]
        overrides = themes["settings"]["overrides"]
        assert overrides["code-font-size"] == "18px" and overrides["content-font-size1"] == "19px", overrides
        # overrides.json changes the defaults the server gives every user
        notification = _get(port, settings + "notification", token)[1]["schema"]["properties"]
        assert notification["fetchNews"]["default"] == "false", notification["fetchNews"]
        widgets = _get(port, "/lab/api/settings/@jupyter-widgets/jupyterlab-manager:plugin", token)[1]
        assert widgets["schema"]["properties"]["saveState"]["default"] is True
        plugins = {entry["id"] for entry in _get(port, "/lab/api/settings", token)[1]["settings"]}
        assert any(plugin.startswith("jupyterlab-rise") for plugin in plugins), "RISE is not installed"
        workspaces = _get(port, "/lab/api/workspaces", token)[1]
        assert not workspaces.get("workspaces", {}).get("values"), workspaces
        assert "127.0.0.1" in (tmp_path / "lab.log").read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def _get_status(port: int, token: str) -> int:
    try:
        return _get(port, "/api/status", token)[0]
    except OSError:
        return 0

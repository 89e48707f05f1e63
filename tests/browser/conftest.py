"""Fixtures for the real-browser tests: a private JupyterLab server and headless Chromium.

* ``lab_server``: JupyterLab 4 on 127.0.0.1, a free port, a random token, and its own HOME,
  config, data, runtime, settings and workspaces directories in a temporary folder (so the test
  neither reads nor writes anyone's Jupyter state). Notebooks are *copied* into its root, and
  autosave is off, so the repository's files are never rewritten.
* ``chromium``: Debian's Chromium driven by Playwright (Playwright cannot download its own browsers
  here). Missing Chromium is a failure with instructions, never a skip.
* ``open_notebook``: opens a notebook in a fresh page at 1280x720, waits for its kernel and
  returns a :class:`LabPage` that can run all cells.

Pitfalls these fixtures avoid are in ``../shared/design/jupyter-notes.md``.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

# The stand-in notebook is opened by the browser test, not run by nbval.

CHROMIUM = os.environ.get("CONVLIB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
]
VIEWPORT = {"width": 1280, "height": 720}
VISIBLE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# JupyterLab settings for a quiet, deterministic session.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    # Saving a notebook keeps its widgets' state, so a reopened notebook shows live views, not
    # "Error displaying widget" (scripts/jupyterlab-overrides.json sets the same for the lab).
    "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True},
    # The notebook's windowing is JupyterLab's default, as in a learner's lab ("contentVisibility": every
    # cell in the DOM, those off screen not laid out or painted), so the latencies measured are theirs.
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    """A running JupyterLab server."""

    port: int
    token: str
    root: Path
    log: Path
    process: subprocess.Popen

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, path: str, token: str | None = None) -> tuple[int, dict[str, str]]:
        """GET ``path`` without following redirects; returns (status, headers)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Authorization": f"token {token}"} if token else {}
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, {key.lower(): value for key, value in response.getheaders()}
        finally:
            connection.close()

    def add_notebook(self, source: Path) -> str:
        """Copy a notebook into the server's root; return its path relative to the root."""
        target = self.root / source.name
        shutil.copyfile(source, target)
        return target.name

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("jupyterlab")
    dirs = {name: base / name for name in ("home", "config", "data", "runtime", "settings", "workspaces", "root")}
    for path in dirs.values():
        path.mkdir()
    for relative, values in LAB_SETTINGS.items():
        target = dirs["settings"] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    env = {
        **os.environ,
        "HOME": str(dirs["home"]),
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "IPYTHONDIR": str(dirs["home"] / ".ipython"),
    }
    port, token = _free_port(), secrets.token_hex(24)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={dirs['root']}",
        f"--LabApp.user_settings_dir={dirs['settings']}",
        f"--LabApp.workspaces_dir={dirs['workspaces']}",
        "--LabApp.expose_app_in_browser=True",
    ]  # fmt: skip
    log = base / "server.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=dirs["root"])
    server = LabServer(port=port, token=token, root=dirs["root"], log=log, process=process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with code {process.returncode}:\n{server.log_tail()}")
            try:
                if server.request("/api/status", token)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within 60 s:\n{server.log_tail()}")
            time.sleep(0.2)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # shuts the server and its kernels down cleanly
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: the browser tests need it (and must not be skipped). "
            "Install it with `apt-get install -y chromium`, or set CONVLIB_CHROMIUM to a Chromium binary."
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install playwright (its Python package; no browser download needed)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class LabPage:
    """A JupyterLab page showing one notebook."""

    def __init__(self, page, server: LabServer, notebook: str) -> None:
        self.page = page
        self.server = server
        self.notebook = notebook
        self.panel = page.locator(VISIBLE_PANEL)

    def current(self, expression: str) -> str:
        """A JavaScript expression about the current notebook panel, as ``widget``."""
        return f"(() => {{ const widget = window.jupyterapp.shell.currentWidget; return {expression}; }})()"

    def wait_for_kernel_idle(self, timeout: float = 60_000) -> None:
        self.page.wait_for_function(
            self.current(
                "!!widget && !!widget.sessionContext && !!widget.sessionContext.session"
                " && !!widget.sessionContext.session.kernel"
                " && widget.sessionContext.session.kernel.connectionStatus === 'connected'"
                " && widget.sessionContext.session.kernel.status === 'idle'"
            ),
            timeout=timeout,
        )

    def run_all(self) -> None:
        """Run every cell; return when all have finished (the command's promise) and the kernel is idle."""
        done = self.page.evaluate("async () => await window.jupyterapp.commands.execute('notebook:run-all-cells')")
        assert done is not False, f"Run All stopped at an error:\n{self.errors()}"
        self.wait_for_kernel_idle()

    def kernel_value(self, expression: str) -> str:
        """The ``text/plain`` of ``expression`` evaluated in the notebook's kernel (without a new cell)."""
        return self.page.evaluate(
            """async (expression) => {
                const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                const future = kernel.requestExecute({code: "", silent: true, user_expressions: {value: expression}});
                const reply = await future.done;
                const value = reply.content.user_expressions.value;
                if (value.status !== "ok") { throw new Error(value.ename + ": " + value.evalue); }
                return value.data["text/plain"];
            }""",
            expression,
        )

    def errors(self) -> list[str]:
        """Text of every error output in the notebook."""
        selector = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        return self.panel.locator(selector).all_inner_texts()


@pytest.fixture
def open_notebook(lab_server: LabServer, chromium):
    """``open_notebook(path, sidebar=False) -> LabPage``: copy, open, wait for the kernel.

    The left sidebar is collapsed (more room, as on a projector) unless ``sidebar``: then the file
    browser is open beside the notebook, as a learner first sees the lab.
    """
    contexts = []

    def _open(source: Path, sidebar: bool = False) -> LabPage:
        name = lab_server.add_notebook(source)
        context = chromium.new_context(viewport=VIEWPORT)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        workspace = uuid.uuid4().hex
        page.goto(f"{lab_server.base_url}/lab/workspaces/{workspace}/tree/{name}?reset&token={lab_server.token}")
        lab = LabPage(page, lab_server, name)
        lab.panel.wait_for(state="visible", timeout=60_000)
        page.wait_for_function("!!window.jupyterapp && !!window.jupyterapp.shell.currentWidget")
        if sidebar:
            page.evaluate("() => window.jupyterapp.commands.execute('filebrowser:activate')")
            page.wait_for_function("() => !window.jupyterapp.shell.leftCollapsed")
        else:  # more room for the notebook, as on a projector
            page.evaluate(
                "() => { const shell = window.jupyterapp.shell; if (!shell.leftCollapsed) { shell.collapseLeft(); } }"
            )
        lab.wait_for_kernel_idle()
        return lab

    yield _open
    for context in contexts:
        context.close()

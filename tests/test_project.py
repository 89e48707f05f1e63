"""The project's own promises: lint, dependency lists in step, the README's commands and notebook list."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


# conda-forge's names for packages that PyPI names otherwise
CONDA_NAMES = {"pytorch": "torch"}


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_environment_yml_lists_the_library_and_notebook_dependencies_of_pyproject():
    project = _pyproject()
    wanted = project["dependencies"] + project["optional-dependencies"]["notebooks"]
    from_pyproject = {str(Requirement(r)) for r in wanted}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    from_environment = set()
    for entry in environment["dependencies"]:
        entries = entry["pip"] if isinstance(entry, dict) else [entry]
        for requirement in entries:
            name = re.split(r"[<>=!~ ]", requirement)[0]
            if name in ("python", "pip", "-e"):
                continue
            if name in CONDA_NAMES:  # conda's "name==version=build": compare name and version
                requirement = CONDA_NAMES[name] + requirement.removeprefix(name).rsplit("=", 1)[0]
            from_environment.add(str(Requirement(requirement)))
    assert from_environment == from_pyproject
    python = next(e for e in environment["dependencies"] if isinstance(e, str) and e.startswith("python"))
    assert python.removeprefix("python") == project["requires-python"]
    assert "pytorch==2.13.0=cpu_*" in environment["dependencies"], "conda users get PyTorch's CPU build"


def test_the_library_needs_numpy_scipy_and_pillow_only():
    project = _pyproject()
    assert {Requirement(r).name for r in project["dependencies"]} == {"numpy", "scipy", "pillow"}
    heavy = {"jupyterlab", "torch", "matplotlib", "ipywidgets", "opencv-python-headless", "scikit-learn"}
    assert heavy <= {Requirement(r).name for r in project["optional-dependencies"]["notebooks"]}


def test_one_version_number_matching_the_changelog():
    import convlib

    assert "version" in _pyproject()["dynamic"]  # read from convlib.__version__, written nowhere else
    changelog = (ROOT / "README.md").read_text().split("## Changelog", 1)[1]
    newest = re.search(r"^- (\d+\.\d+\.\d+):", changelog, re.MULTILINE)
    assert newest is not None, "the changelog has no entry"
    assert newest.group(1) == convlib.__version__


def test_the_lab_keeps_widget_state_and_shows_no_news():
    overrides = json.loads((ROOT / "scripts" / "jupyterlab-overrides.json").read_text())
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"]["saveState"] is True
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    assert "jupyterlab-overrides.json" in (ROOT / "scripts" / "setup-env.sh").read_text()


def test_the_lab_installs_the_notebooks_extra_and_the_tests_the_test_extra():
    assert "setup-env.sh notebooks" in (ROOT / "scripts" / "lab.sh").read_text()
    assert "setup-env.sh test" in (ROOT / "scripts" / "test.sh").read_text()


def test_readme_gives_the_two_commands_that_ci_and_users_run():
    readme = (ROOT / "README.md").read_text()
    assert "bash scripts/lab.sh" in readme
    assert "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in (ROOT / ".ci" / "run").read_text()
    assert "--ip=127.0.0.1" in (ROOT / "scripts" / "lab.sh").read_text()


def test_readme_lists_every_notebook():
    readme = (ROOT / "README.md").read_text()
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks, "no notebooks found"
    for name in notebooks:
        assert f"notebooks/{name}" in readme, f"README.md does not list {name}"

"""The project's own promises: lint, dependency lists in step, the README's commands and notebook list."""

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


def test_environment_yml_lists_the_same_runtime_dependencies_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    from_pyproject = {str(Requirement(r)) for r in project["dependencies"]}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    from_environment = set()
    for entry in environment["dependencies"]:
        entries = entry["pip"] if isinstance(entry, dict) else [entry]
        for requirement in entries:
            name = re.split(r"[<>=!~ ]", requirement)[0]
            if name in ("python", "pip", "-e"):
                continue
            from_environment.add(str(Requirement(requirement)))
    assert from_environment == from_pyproject
    python = next(e for e in environment["dependencies"] if isinstance(e, str) and e.startswith("python"))
    assert python.removeprefix("python") == project["requires-python"]


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

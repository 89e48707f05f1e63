"""Check a class's answers: run each learner's notebook and report every exercise's verdict.

    python scripts/check_answers.py submissions/*.ipynb            # a table on the terminal
    python scripts/check_answers.py submissions/*.ipynb --json out.json

Each notebook is copied, run top to bottom in a fresh kernel (from notebooks/, so that paths resolve
as in the course) with errors allowed, and each exercise cell (tag "exercise") gets the verdict its
checker gave: "correct", "not attempted", or "wrong" with the checker's message (which names the
typical mistake it recognised). The learner's file is not changed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat

from convlib.book.editions import exercise_verdicts

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from execute_notebooks import execute  # noqa: E402


def check(path: Path, course: Path = ROOT / "notebooks") -> list[dict[str, str]]:
    """Run a copy of the learner's notebook at ``path``; the verdict of each of its exercises."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        execute(copy, cwd=course, allow_errors=True)
        return exercise_verdicts(nbformat.read(copy, as_version=4))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--json", type=Path, help="also write the verdicts as JSON")
    args = parser.parse_args(argv)
    report = {}
    for path in args.notebooks:
        report[str(path)] = found = check(path)
        print(f"{path}:")
        for entry in found:
            print(f"  {entry['verdict']:>13}  {entry['exercise'][:60]}")
            if entry["verdict"] == "wrong":
                print(f"{'':17}{entry['said'][:200]}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

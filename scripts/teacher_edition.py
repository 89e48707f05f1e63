"""Write the teacher edition of the course: every exercise answered, each lesson plan as speaker notes.

    python scripts/teacher_edition.py                       # into teacher-edition/ (beside notebooks/)
    python scripts/teacher_edition.py --out DIR --execute   # and run each notebook, storing outputs

The student edition is the notebooks as stored in notebooks/ (stubs and checkers, no answers).
The teacher edition is generated, never edited by hand: the answers come from
convlib/book/solutions/ and the notes from docs/teacher-guide.md (convlib.book.editions).
With --execute every notebook runs in notebooks/ (so relative paths resolve as in the student
edition) and the script fails if a checker does not print "correct!" or a cell raises.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from convlib.book.editions import exercise_verdicts, teacher_edition

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from execute_notebooks import execute  # noqa: E402


def build(out: Path, run: bool) -> list[str]:
    """Write the teacher edition into ``out``; with ``run``, execute it. Returns the problems found."""
    problems: list[str] = []
    out.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "notebooks").glob("*.ipynb")):
        student = nbformat.read(source, as_version=4)
        teacher, answered = teacher_edition(student, source.name)
        target = out / source.name
        nbformat.write(teacher, target)
        line = f"{source.name}: {len(answered)} answers in place"
        if run:
            seconds = execute(target, cwd=source.parent)
            found = exercise_verdicts(nbformat.read(target, as_version=4))
            passed = sum(entry["verdict"] == "correct" for entry in found)
            line += f", ran in {seconds:.1f} s, {passed}/{len(found)} checkers say correct"
            problems += [
                f"{source.name}: {e['verdict']}: {e['said'][:200]}" for e in found if e["verdict"] != "correct"
            ]
        print(line)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "teacher-edition")
    parser.add_argument("--execute", action="store_true", help="run every notebook and check every answer")
    args = parser.parse_args(argv)
    problems = build(args.out, args.execute)
    for problem in problems:
        print("NOT CORRECT:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""One worked answer to every exercise of the course, for a learner who chooses to look.

The notebooks hold each exercise's stub and checker, never its answer. The answers live here,
one module per notebook, each a top-level definition named exactly as the notebook's stub
(``def my_convolve(...)`` or ``derivative_kernel = ...``). A module lists what its answers must
pass in ``CHECKS``: pairs of (the checker's name in :mod:`convlib.book.exercises`, the answer's
name), and the tests run every answer through its checker.

In a notebook, ``show_solution("my_convolve")`` prints the answer's source; a teacher edition
puts every answer in place of its stub.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType


def solution_modules() -> list[ModuleType]:
    """Every module of answers, in the order of the notebooks."""
    return [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]


def solution_source(name: str) -> str:
    """The source of the top-level definition ``name`` (a function or an assignment) among the answers.

    Raises
    ------
    KeyError
        If no module of answers defines ``name``; the message lists the names there are.
    """
    if not isinstance(name, str):
        raise TypeError(f"solution_source: name must be a str (the stub's name), got {type(name).__name__}")
    known: list[str] = []
    for info in pkgutil.iter_modules(__path__):
        path = Path(__path__[0]) / f"{info.name}.py"
        source = path.read_text(encoding="utf-8")
        for node in ast.parse(source).body:
            names = defined_names(node)
            if name in names:
                return ast.get_source_segment(source, node, padded=False) or ""
            known.extend(names)
    raise KeyError(f"solution_source: no answer named {name!r}; answers exist for {sorted(set(known))}")


def show_solution(name: str) -> None:
    """Print one worked answer: the definition of ``name``, as a teacher would write it.

    Examples
    --------
    >>> show_solution("nothing_by_this_name")
    Traceback (most recent call last):
    ...
    KeyError: "solution_source: no answer named 'nothing_by_this_name'; ...
    """
    print(solution_source(name))


def defined_names(node: ast.stmt) -> list[str]:
    """The names a top-level statement defines: a function, a class, or assigned names."""
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []

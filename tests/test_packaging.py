"""The package as an engineer installs it: the library apart from the book, and a wheel that works anywhere."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "convlib"

# What only the notebooks need: importing the library must load none of it.
NOTEBOOK_ONLY = ("convlib.book", "matplotlib", "ipywidgets", "IPython", "torch", "cv2", "sklearn", "threadpoolctl")


def _imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a Python file under ``root`` imports, at the top or inside functions, absolute or relative."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}".rstrip(".")
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_the_library_never_imports_the_book():
    library_files = [p for p in LIBRARY.rglob("*.py") if "book" not in p.relative_to(LIBRARY).parts]
    assert len(library_files) > 10
    offenders = {
        str(p.relative_to(ROOT)): sorted(n for n in _imported_modules(p) if n.startswith("convlib.book"))
        for p in library_files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_import_checker_sees_imports_of_the_book(tmp_path):
    """The check above can fail: an import of the book, plain, from-style, relative or inside a function, is seen."""
    path = tmp_path / "convlib" / "engines" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text(
        "import convlib.book.figures\ndef f():\n    from convlib.book import timing\nfrom ..book import style\n"
    )
    found = {n for n in _imported_modules(path, tmp_path) if n.startswith("convlib.book")}
    assert found == {"convlib.book", "convlib.book.figures", "convlib.book.timing", "convlib.book.style"}


def test_import_convlib_loads_no_notebook_package():
    code = "import sys, convlib; print('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "convlib.nn" in loaded  # the check sees what was imported
    assert [m for m in loaded if m.split(".")[0] in NOTEBOOK_ONLY or m.startswith("convlib.book")] == []


def test_the_top_level_modules_are_the_library_and_one_book():
    import pkgutil

    import convlib

    modules = {m.name: m.ispkg for m in pkgutil.iter_modules(convlib.__path__)}
    assert modules["book"] is True
    assert {"convolution", "padding", "kernels", "images", "shifting", "sizes", "engines", "matrices", "nn"} <= set(
        modules
    )
    packages = {name for name, is_package in modules.items() if is_package}
    assert packages == {"book", "engines", "matrices", "nn"}


def test_the_book_is_out_of_the_public_names():
    import convlib

    assert "book" not in convlib.__all__
    assert not {"naive", "training", "shifting_pitfalls", "widgets", "exercises"} & set(convlib.__all__)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_the_wheel_installs_in_a_fresh_venv_and_loads_every_image(tmp_path):
    """`pip install convlib` outside the repository: numpy, scipy and Pillow only, and every photograph."""
    started = time.perf_counter()
    # Build from a copy: setuptools writes build/ beside the sources and would pack stale files left there.
    source = tmp_path / "source"
    leave_out = shutil.ignore_patterns(".*", "build", "*.egg-info", "__pycache__", "test-artifacts", "notebooks")
    shutil.copytree(ROOT, source, symlinks=True, ignore=leave_out)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(source)], tmp_path)
    (wheel,) = dist.glob("convlib-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    manifest = json.loads((ROOT / "images" / "manifest.json").read_text())
    for entry in manifest:
        assert f"convlib/sample_images/{entry['file']}" in names
    for shipped in [*ROOT.glob("convlib/book/widgets/js/*.js"), *ROOT.glob("convlib/book/templates/*/*")]:
        assert shipped.relative_to(ROOT).as_posix() in names, f"the wheel lacks {shipped.name}"
    requires = [line.split(":", 1)[1].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    plain = sorted(r.split(">")[0].split("=")[0].strip() for r in requires if "extra ==" not in r)
    assert plain == ["numpy", "pillow", "scipy"]
    built = time.perf_counter()

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    python = str(venv / "bin" / "python")
    _run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)], tmp_path)
    installed = time.perf_counter()
    check = (
        "import importlib.util, pathlib, convlib\n"
        "assert 'site-packages' in convlib.__file__, convlib.__file__\n"
        "for name in convlib.available_images():\n"
        "    image = convlib.load_image(name)\n"
        "    assert image.ndim in (2, 3) and image.dtype == 'float64' and 0 <= image.min() <= image.max() <= 1\n"
        "assert convlib.load_image('camera', gray=True).shape == (512, 512)\n"
        "for heavy in ('matplotlib', 'torch', 'jupyterlab', 'ipywidgets', 'cv2', 'sklearn'):\n"
        "    assert importlib.util.find_spec(heavy) is None, heavy\n"
        "print(len(convlib.available_images()))\n"
    )
    out = _run([python, "-c", check], tmp_path).stdout
    assert int(out) == len(manifest)
    print(
        f"wheel {wheel.stat().st_size / 1e6:.2f} MB built in {built - started:.1f} s, "
        f"installed in a fresh venv in {installed - built:.1f} s"
    )

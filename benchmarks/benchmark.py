"""convlib against its peers, in one process: ratios of medians, never absolute promises.

    python benchmarks/benchmark.py            # the full grid (several minutes on 2 cores)
    python benchmarks/benchmark.py --quick    # a small grid, to check that everything runs and agrees

For each case every peer's output is first checked equal to convlib's (a peer that disagrees
is a failure: exit code 1); then each is timed, the median of repeats after a warm-up. Ratios
are convlib's time over the peer's (below 1: convlib is faster), from calls made in alternation
so that a change in the machine's load affects both sides alike. Everything runs on one thread
(OpenCV, PyTorch and BLAS are set to one thread), so the ratios compare the algorithms.
Results go to ``benchmarks/results/latest.json`` (or ``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads BLAS
os.environ.setdefault("OMP_NUM_THREADS", "1")

import cv2
import numpy as np
import scipy
import scipy.ndimage
import scipy.signal
import torch
import torch.nn.functional as F

import convlib
from convlib.sizes import mode_padding

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SLOW_CALL_SECONDS = 1.0  # a call slower than this is timed once, without a warm-up
SKIP_AFTER_SECONDS = {"scipy.ndimage.convolve": 20.0}  # a peer whose smaller case took longer is skipped
DEFAULT_SKIP_AFTER = 3.0

cv2.setNumThreads(1)
torch.set_num_threads(1)


def median_seconds(function: Callable[[], object]) -> tuple[float, int]:
    """Median wall time of ``function`` and the number of timed calls (after one warm-up if quick)."""
    start = time.perf_counter()
    function()
    first = time.perf_counter() - start
    if first > SLOW_CALL_SECONDS:
        return first, 1
    repeats = 7 if first < 0.05 else 5 if first < 0.3 else 3
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), repeats


def paired_seconds(ours: Callable[[], object], theirs: Callable[[], object]) -> tuple[float, float, int]:
    """Median times of ``ours`` and ``theirs``, called in alternation (so drifting load hits both alike)."""
    start = time.perf_counter()
    theirs()
    first = time.perf_counter() - start
    if first > SLOW_CALL_SECONDS:
        ours_alone, _ = median_seconds(ours)
        return ours_alone, first, 1
    repeats = 7 if first < 0.05 else 5 if first < 0.3 else 3
    ours(), theirs()  # warm both
    ours_times, their_times = [], []
    for repeat in range(repeats):
        pair = ((ours, ours_times), (theirs, their_times))
        for function, times in pair if repeat % 2 == 0 else pair[::-1]:
            start = time.perf_counter()
            function()
            times.append(time.perf_counter() - start)
    return statistics.median(ours_times), statistics.median(their_times), repeats


def test_kernel(size: int, dtype: type, rng: np.random.Generator) -> tuple[str, np.ndarray]:
    """A random non-symmetric kernel, or for size 15 a Gaussian (separable), as the issue's grid says."""
    if size == 15:
        return "gaussian", convlib.kernels.gaussian(15, 2.5).astype(dtype)
    return "random", rng.normal(size=(size, size)).astype(dtype)


def peers(image: np.ndarray, kernel: np.ndarray, kind: str) -> dict[str, Callable[[], np.ndarray]]:
    """Each peer computing convlib.convolve2d(image, kernel, 'same') with zeros beyond the border."""
    size = kernel.shape[0]
    flipped = np.ascontiguousarray(kernel[::-1, ::-1])
    before, after = mode_padding(size, "same")  # a 'valid' correlation with the flipped kernel, padded so, is 'same'
    # ndimage centres an even kernel one sample away from scipy.signal (and convlib): origin moves it back.
    origin = -1 if size % 2 == 0 else 0
    # cv2.filter2D correlates; with the flipped kernel, its anchor is the `before`-th sample.
    anchor = (before, before)
    tensor = torch.from_numpy(image)[None, None]
    weight = torch.from_numpy(flipped)[None, None]
    functions = {
        "scipy.ndimage.convolve": lambda: scipy.ndimage.convolve(image, kernel, mode="constant", origin=origin),
        "scipy.signal.convolve2d": lambda: scipy.signal.convolve2d(image, kernel, mode="same"),
        "scipy.signal.fftconvolve": lambda: scipy.signal.fftconvolve(image, kernel, mode="same"),
        "scipy.signal.oaconvolve": lambda: scipy.signal.oaconvolve(image, kernel, mode="same"),
        "cv2.filter2D": lambda: cv2.filter2D(image, -1, flipped, anchor=anchor, borderType=cv2.BORDER_CONSTANT),
        "torch conv2d": lambda: F.conv2d(F.pad(tensor, (before, after, before, after)), weight)[0, 0].numpy(),
    }
    if kind == "gaussian":
        column, row = convlib.engines.shift_add.separable_factors(flipped)
        functions["cv2.sepFilter2D"] = lambda: cv2.sepFilter2D(
            image, -1, row, column, anchor=anchor, borderType=cv2.BORDER_CONSTANT
        )
    return functions


def agree(result: np.ndarray, expected: np.ndarray) -> bool:
    scale = float(np.max(np.abs(expected))) or 1.0
    tolerance = 1e-3 if expected.dtype == np.float32 else 1e-8
    return result.shape == expected.shape and bool(np.allclose(result, expected, rtol=0, atol=tolerance * scale))


def run_grid(sizes: list[int], kernel_sizes: list[int], dtypes: list[type]) -> tuple[list[dict], bool]:
    rng = np.random.default_rng(0)
    rows, all_agree = [], True
    slow: dict[tuple, float] = {}
    for dtype in dtypes:
        for kernel_size in kernel_sizes:
            for size in sizes:
                image = rng.random((size, size)).astype(dtype)
                kind, kernel = test_kernel(kernel_size, dtype, rng)
                expected = convlib.convolve2d(image, kernel, "same")
                ours, repeats = median_seconds(lambda x=image, k=kernel: convlib.convolve2d(x, k, "same"))
                row = {"dtype": np.dtype(dtype).name, "size": size, "kernel": kernel_size, "kind": kind,
                       "convlib_ms": ours * 1e3, "repeats": repeats, "peers": {}}  # fmt: skip
                for name, function in peers(image, kernel, kind).items():
                    key = (name, np.dtype(dtype).name, kernel_size)
                    limit = SKIP_AFTER_SECONDS.get(name, DEFAULT_SKIP_AFTER)
                    if slow.get(key, 0.0) > limit:
                        row["peers"][name] = {"skipped": f"a smaller image took over {limit:g} s"}
                        continue
                    result = np.asarray(function())
                    if not agree(result, expected):
                        all_agree = False
                        row["peers"][name] = {"mismatch": True}
                        continue
                    ours_paired, seconds, peer_repeats = paired_seconds(
                        lambda x=image, k=kernel: convlib.convolve2d(x, k, "same"), function
                    )
                    slow[key] = seconds
                    row["peers"][name] = {"ms": seconds * 1e3, "ratio": ours_paired / seconds,
                                          "convlib_ms": ours_paired * 1e3, "repeats": peer_repeats}  # fmt: skip
                rows.append(row)
                print(format_row(row), flush=True)
    return rows, all_agree


def format_row(row: dict) -> str:
    cells = []
    for name, peer in row["peers"].items():
        short = name.replace("scipy.signal.", "").replace("scipy.ndimage.", "nd.").replace("cv2.", "cv2.")
        if "ratio" in peer:
            cells.append(f"{short} {peer['ratio']:.2f}")
        elif "mismatch" in peer:
            cells.append(f"{short} MISMATCH")
        else:
            cells.append(f"{short} skipped")
    head = f"{row['dtype']:>7} {row['size']:>4}² K={row['kernel']:<2} convlib {row['convlib_ms']:8.2f} ms"
    return head + " | " + ", ".join(cells)


def summarise(rows: list[dict]) -> dict:
    """Median and worst ratio per peer, and against the fastest peer of each case."""
    summary: dict[str, dict] = {}
    names = {name for row in rows for name in row["peers"]}
    for name in sorted(names):
        ratios = [row["peers"][name]["ratio"] for row in rows if "ratio" in row["peers"].get(name, {})]
        if ratios:
            summary[name] = {"median": statistics.median(ratios), "worst": max(ratios), "cases": len(ratios)}
    fastest = []
    for row in rows:
        timed = [peer for peer in row["peers"].values() if "ms" in peer]
        if timed:
            fastest.append(min(timed, key=lambda peer: peer["ms"])["ratio"])
    summary["fastest peer of each case"] = {"median": statistics.median(fastest), "worst": max(fastest),
                                            "cases": len(fastest)}  # fmt: skip
    return summary


def markdown_table(rows: list[dict]) -> str:
    """The grid as a Markdown table: convlib's time, and its ratio to ndimage and to the fastest peer."""
    lines = [
        "| image | K | float32: convlib ms | ÷ ndimage | ÷ fastest peer "
        "| float64: convlib ms | ÷ ndimage | ÷ fastest peer |",
        "|---|---|---|---|---|---|---|---|",
    ]
    by_case: dict[tuple, dict] = {}
    for row in rows:
        by_case.setdefault((row["size"], row["kernel"]), {})[row["dtype"]] = row
    for (size, kernel), dtypes in by_case.items():
        cells = [f"{size}²", str(kernel)]
        for dtype in ("float32", "float64"):
            row = dtypes.get(dtype)
            if row is None:
                cells += ["", "", ""]
                continue
            ndimage = row["peers"].get("scipy.ndimage.convolve", {})
            timed = {name: peer for name, peer in row["peers"].items() if "ms" in peer}
            fastest = min(timed, key=lambda name: timed[name]["ms"])
            cells += [
                f"{row['convlib_ms']:.2f}",
                f"{ndimage['ratio']:.2f}" if "ratio" in ndimage else "skipped",
                f"{timed[fastest]['ratio']:.2f} ({fastest})",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def batched_conv2d() -> dict:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 3, 32, 32)).astype(np.float32)
    weight = rng.normal(size=(16, 3, 3, 3)).astype(np.float32)
    tx, tw = torch.from_numpy(x), torch.from_numpy(weight)
    results = {}
    for padding in (0, 1):
        ours = convlib.conv2d(x, weight, padding=padding)
        theirs = F.conv2d(tx, tw, padding=padding).numpy()
        assert np.allclose(ours, theirs, atol=1e-4), "convlib.conv2d disagrees with torch"
        convlib_seconds, _ = median_seconds(lambda p=padding: convlib.conv2d(x, weight, padding=p))
        torch_seconds, _ = median_seconds(lambda p=padding: F.conv2d(tx, tw, padding=p))
        results[f"padding={padding}"] = {"convlib_ms": convlib_seconds * 1e3, "torch_ms": torch_seconds * 1e3,
                                         "ratio": convlib_seconds / torch_seconds}  # fmt: skip
    return results


def separable_case() -> dict:
    rng = np.random.default_rng(2)
    image = rng.random((1024, 1024)).astype(np.float32)
    kernel = convlib.kernels.gaussian(15, 2.5).astype(np.float32)
    ours, _ = median_seconds(lambda: convlib.convolve2d(image, kernel, "same"))
    ndimage, _ = median_seconds(lambda: scipy.ndimage.convolve(image, kernel, mode="constant"))
    return {"convlib_ms": ours * 1e3, "ndimage_ms": ndimage * 1e3, "speedup": ndimage / ours}


def editor_update() -> dict | None:
    """Kernel-side time of one KernelEditor update at 512² (convolve, convert, encode), if the editor exists."""
    try:
        from convlib.book.widgets import KernelEditor
    except ImportError:
        return None
    image = convlib.load_image("camera", gray=True)
    editor = KernelEditor(image, kernel="sobel x")
    values = np.linspace(-2, 2, 21)
    times = []
    for value in values:
        start = time.perf_counter()
        editor.set_weight(0, 0, float(value))
        times.append(time.perf_counter() - start)
    return {"median_ms": statistics.median(times) * 1e3, "max_ms": max(times) * 1e3, "updates": len(times)}


def browser_latency() -> dict | None:
    path = RESULTS / "browser_latency.json"
    return json.loads(path.read_text()) if path.exists() else None


def notebook_times() -> dict:
    """Execute every notebook in a temporary copy (the stored ones are not touched) and time it."""
    import shutil
    import tempfile

    sys.path.insert(0, str(ROOT / "scripts"))
    from execute_notebooks import execute

    times = {}
    with tempfile.TemporaryDirectory() as folder:
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            copy = Path(folder) / path.name
            shutil.copy(path, copy)
            times[path.name] = execute(copy)
    return times


def check(label: str, value: float, limit: float, smaller_is_better: bool = True) -> bool:
    ok = value <= limit if smaller_is_better else value >= limit
    verdict = "met" if ok else f"MISSED by {value / limit:.2f}×" if smaller_is_better else f"MISSED ({value:.2f})"
    print(f"  {label}: {value:.2f} (target {'≤' if smaller_is_better else '≥'} {limit:g}) {verdict}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small grid that runs in seconds")
    parser.add_argument("--notebooks", action="store_true", help="also execute and time every notebook")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)

    if args.quick:
        sizes, kernel_sizes, dtypes = [64, 128], [3, 4, 15], [np.float32, np.float64]
    else:
        sizes, kernel_sizes, dtypes = [256, 512, 1024, 2048], [3, 5, 15, 31, 64], [np.float32, np.float64]
    print(f"numpy {np.__version__}, scipy {scipy.__version__}, opencv {cv2.__version__}, torch {torch.__version__}")
    print("2-D 'same' convolution, zero border; ratio = convlib time / peer time (below 1: convlib faster)")
    rows, all_agree = run_grid(sizes, kernel_sizes, dtypes)
    summary = summarise(rows)
    print("\nSummary of ratios over the grid:")
    for name, values in summary.items():
        print(f"  {name:>28}: median {values['median']:.2f}, worst {values['worst']:.2f} ({values['cases']} cases)")

    print("\n" + markdown_table(rows))
    results = {"platform": platform.platform(), "processor": platform.processor(), "quick": args.quick,
               "grid": rows, "summary": summary}  # fmt: skip
    if not args.quick:
        results["batched_conv2d"] = batched_conv2d()
        results["separable_gaussian_15_at_1024_float32"] = separable_case()
        results["kernel_editor_update"] = editor_update()
        results["browser_latency"] = browser_latency()
        print("\nTargets:")
        ndimage = summary.get("scipy.ndimage.convolve", {})
        check("worst ratio to scipy.ndimage.convolve", ndimage.get("worst", np.inf), 1.0)
        check("median ratio to scipy.ndimage.convolve", ndimage.get("median", np.inf), 0.5)
        check("median ratio to the fastest peer", summary["fastest peer of each case"]["median"], 3.0)
        large = [r["peers"]["scipy.signal.fftconvolve"]["ratio"] for r in rows
                 if r["kernel"] >= 31 and "ratio" in r["peers"].get("scipy.signal.fftconvolve", {})]  # fmt: skip
        check("worst ratio to fftconvolve for kernels ≥ 31", max(large), 1.2)
        check("separable 15×15 Gaussian at 1024² float32, speed-up over ndimage",
              results["separable_gaussian_15_at_1024_float32"]["speedup"], 10.0, smaller_is_better=False)  # fmt: skip
        for padding, values in results["batched_conv2d"].items():
            check(f"batched conv2d 64×3×32×32, 16 filters 3×3, {padding}, ratio to torch", values["ratio"], 2.0)
        if results["kernel_editor_update"]:
            check("KernelEditor update at 512², median ms", results["kernel_editor_update"]["median_ms"], 10.0)
        if results["browser_latency"]:
            latency = results["browser_latency"]
            check("browser input-to-picture latency, median ms", latency["median_ms"], 25.0)
            check("browser input-to-picture latency, p95 ms", latency["p95_ms"], 50.0)
    if args.notebooks:
        results["notebooks_seconds"] = notebook_times()
        for name, seconds in results["notebooks_seconds"].items():
            print(f"  {name}: {seconds:.1f} s")
        check("all notebooks, seconds", sum(results["notebooks_seconds"].values()), 90.0)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    if not all_agree:
        print("A PEER DISAGREED WITH convlib: see MISMATCH above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark script runs and every peer agrees with convlib (its timings are not asserted here)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_runs_and_peers_agree(tmp_path):
    out = tmp_path / "quick.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "benchmark.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    results = json.loads(out.read_text())
    assert results["quick"] is True
    peers = {name for row in results["grid"] for name in row["peers"]}
    assert {"scipy.ndimage.convolve", "cv2.filter2D", "torch conv2d", "scipy.signal.fftconvolve"} <= peers
    for row in results["grid"]:
        for name, peer in row["peers"].items():
            assert "mismatch" not in peer, (name, row["size"], row["kernel"], row["dtype"])
            assert peer.get("ratio", 1.0) > 0

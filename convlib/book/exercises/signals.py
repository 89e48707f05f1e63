"""Checkers for notebook 01 (1-D convolution)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.book.exercises.core import CheckResult, ExerciseError, NotAttempted, call_answer, run_checks
from convlib.convolution import convolve1d, correlate1d


def _cases(seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Signals and non-symmetric kernels of many lengths, including kernels longer than the signal."""
    rng = np.random.default_rng(seed)
    cases = [(np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5]))]
    for n, k in [(1, 1), (5, 2), (6, 3), (8, 4), (3, 5), (10, 1), (7, 7)]:
        cases.append((rng.integers(-4, 5, n).astype(float), rng.integers(-3, 4, k).astype(float)))
    return cases


def check_convolve_1d(function: Callable[[np.ndarray, np.ndarray], object]) -> CheckResult:
    """Check a learner's ``function(signal, kernel)`` that should return the ``"full"`` convolution.

    Recognises: cross-correlation instead of convolution (the kernel not flipped), an
    off-by-one or ``"valid"``/``"same"``-sized output, and a result cut from the wrong place.

    Examples
    --------
    >>> check_convolve_1d(lambda signal, kernel: np.convolve(signal, kernel))
    convolve_1d: correct!
    CheckResult(passed=True)
    """

    def checks() -> None:
        for signal, kernel in _cases():
            got = np.asarray(call_answer(function, signal.copy(), kernel.copy()), dtype=float)
            expected = convolve1d(signal, kernel)
            where = f"for signal={signal.tolist()}, kernel={kernel.tolist()}"
            if got.shape != expected.shape:
                n, k = len(signal), len(kernel)
                sizes = {n + k - 1: "full", n: "same", max(n - k + 1, 0): "valid"}
                named = sizes.get(got.size)
                hint = f" (that is the '{named}' length)" if named and named != "full" else ""
                raise ExerciseError(
                    f"wrong length {where}: expected len(signal) + len(kernel) - 1 = {expected.size}, "
                    f"got {got.size}{hint}. The 'full' output starts where the kernel first touches the "
                    "signal and ends where it last touches it."
                )
            if np.allclose(got, expected):
                continue
            if np.allclose(got, correlate1d(signal, kernel)):
                raise ExerciseError(
                    f"you computed cross-correlation, not convolution {where}: the kernel must be flipped "
                    "(use kernel[::-1], or index it as kernel[n - m])"
                )
            if np.allclose(got, expected[::-1]):
                raise ExerciseError(f"your output is reversed {where}")
            raise ExerciseError(f"wrong values {where}: expected {expected.tolist()}, got {got.tolist()}")

    return run_checks("convolve_1d", checks)


def check_output_length(function: Callable[[int, int, str], object]) -> CheckResult:
    """Check a learner's ``function(n, k, mode)`` giving the output length of a 1-D convolution.

    Kernels run up to three samples longer than the signal for ``"full"`` and ``"same"``, so
    ``np.convolve``'s rule (its ``"same"`` has the longer input's length) is caught. ``"valid"``
    is only asked for ``k <= n``: with a longer kernel no position fits and ``convolve1d`` raises
    ``ValueError``, so there is no length to predict.

    Examples
    --------
    >>> def length(n, k, mode):
    ...     return {"full": n + k - 1, "same": n, "valid": n - k + 1}[mode]
    >>> check_output_length(length)
    output_length: correct!
    CheckResult(passed=True)
    """

    def checks() -> None:
        for n in range(1, 12):
            for k in range(1, n + 4):
                for mode in ("full", "same", "valid") if k <= n else ("full", "same"):
                    got = call_answer(function, n, k, mode)
                    expected = convolve1d(np.ones(n), np.ones(k), mode=mode).size
                    if got == expected:
                        continue
                    advice = {
                        "full": "every position where the kernel overlaps the signal by at least one sample",
                        "same": "as long as the signal, whatever the kernel",
                        "valid": "only positions where the whole kernel lies inside the signal",
                    }[mode]
                    off_by = f" (off by {got - expected:+d})" if isinstance(got, int | np.integer) else ""
                    trap = (
                        ". That is np.convolve's rule: its 'same' has the longer input's length; convlib and "
                        "scipy.signal.convolve keep the signal's"
                        if mode == "same" and k > n and got == k
                        else ""
                    )
                    raise ExerciseError(
                        f"output_length({n}, {k}, {mode!r}) should be {expected}, got {got!r}{off_by}: "
                        f"'{mode}' means {advice}{trap}"
                    )

    return run_checks("output_length", checks)


def check_derivative_kernel(kernel: object) -> CheckResult:
    """Check a kernel that, *convolved* with samples of f, gives (approximately) the derivative f'.

    Examples
    --------
    >>> check_derivative_kernel([1, -1])
    derivative kernel: correct!
    CheckResult(passed=True)
    """

    def checks() -> None:
        if kernel is None:
            raise NotAttempted("derivative_kernel is still None")
        weights = np.asarray(kernel, dtype=float)
        if weights.ndim != 1 or weights.size < 2:
            raise ExerciseError(f"a derivative kernel needs at least two weights in a 1-D list; got {kernel!r}")
        if abs(weights.sum()) > 1e-9:
            raise ExerciseError(
                f"the weights sum to {weights.sum():g}, not 0: the derivative of a constant is 0, "
                "so a flat signal must give 0"
            )
        ramp = 3.0 * np.arange(20.0) + 2.0  # slope 3
        slope = convolve1d(ramp, weights, mode="valid")
        if np.allclose(slope, -3.0):
            raise ExerciseError(
                "your kernel gives minus the derivative: convolution flips the kernel, so the weight for the "
                f"newest sample comes first. Try {weights[::-1].tolist()}"
            )
        if np.allclose(slope, 0.0):
            raise ExerciseError(
                "on a ramp your kernel gives 0: it is blind to slope (a kernel like [1, -2, 1] measures "
                "curvature, the change of the slope)"
            )
        if not np.allclose(slope, 3.0):
            factor = slope[0] / 3.0
            raise ExerciseError(f"on a ramp of slope 3 your kernel gives {slope[0]:g}: scale it by {1 / factor:g}")

    return run_checks("derivative kernel", checks)

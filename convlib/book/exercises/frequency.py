"""Checkers for notebook 07 (frequency and circular convolution).

* :func:`check_linear_by_fft`: linear convolution through the FFT, by zero-padding.
* :func:`check_box_zeros`: the frequencies a box (moving average) removes from a periodic signal.

Each recognises the typical wrong answers and says which one it found.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.book.exercises.core import CheckResult, ExerciseError, as_real_vector, call_answer, run_checks
from convlib.convolution import convolve1d
from convlib.shifting import circular_convolve

__all__ = ["check_box_zeros", "check_linear_by_fft"]


# --------------------------------------------------------------------------- exercise 1: linear via FFT


def check_linear_by_fft(function: Callable[[np.ndarray, np.ndarray], object]) -> CheckResult:
    """Check ``function(signal, kernel)``: the linear (``"full"``) convolution, through the FFT.

    Must equal ``convolve1d(signal, kernel)``: ``N + K - 1`` real samples. Recognises the
    circular convolution (no zero-padding: the tail wraps round), padding that is too short
    (time-domain aliasing), and complex output.

    Examples
    --------
    >>> def linear_by_fft(signal, kernel):
    ...     length = len(signal) + len(kernel) - 1
    ...     return np.fft.irfft(np.fft.rfft(signal, length) * np.fft.rfft(kernel, length), length)
    >>> check_linear_by_fft(linear_by_fft)
    linear convolution by FFT: correct!
    CheckResult(passed=True)
    >>> check_linear_by_fft(lambda x, k: np.fft.irfft(np.fft.rfft(x) * np.fft.rfft(k, len(x)), len(x)))
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: you computed the circular convolution ...
    """
    rng = np.random.default_rng(7)
    cases = [(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 0.0, -1.0]))]
    for n, k in [(8, 3), (5, 5), (16, 4), (7, 2), (3, 6), (1, 1)]:
        cases.append((rng.integers(-4, 5, n).astype(float), rng.integers(-3, 4, k).astype(float)))

    def checks() -> None:
        for signal, kernel in cases:
            got = as_real_vector(call_answer(function, signal.copy(), kernel.copy()), "the convolution")
            expected = convolve1d(signal, kernel)
            n, k, full = signal.size, kernel.size, expected.size
            where = f"for signal={signal.tolist()}, kernel={kernel.tolist()}"
            if got.shape == expected.shape and np.allclose(got, expected, atol=1e-9):
                continue
            if n <= got.size < full and k <= got.size:
                # transforms of length L < N + K - 1: the circular convolution of x padded to L
                wrapped = circular_convolve(np.pad(signal, (0, got.size - n)), kernel)
                if np.allclose(got, wrapped, atol=1e-9) and got.size == n:
                    raise ExerciseError(
                        f"you computed the circular convolution {where}: with transforms of length N = {n} the "
                        f"last K - 1 = {k - 1} samples wrap round onto the first. Zero-pad both to N + K - 1 = "
                        f"{full} (np.fft.fft(x, {full}))"
                    )
                if np.allclose(got, wrapped, atol=1e-9):
                    raise ExerciseError(
                        f"your transforms are too short {where}: length {got.size} < N + K - 1 = {full}, so the end "
                        "of the result wraps round onto its start (time-domain aliasing). Pad both to N + K - 1"
                    )
            if got.size > full and np.allclose(got[:full], expected, atol=1e-9) and np.allclose(got[full:], 0):
                raise ExerciseError(
                    f"right values but {got.size} samples {where}: the transforms were longer than needed, which is "
                    f"fine, but then keep only the first N + K - 1 = {full}"
                )
            if got.size != full:
                raise ExerciseError(
                    f"wrong length {where}: the linear ('full') convolution has N + K - 1 = {full} samples; got "
                    f"{got.size}"
                )
            if np.allclose(got, expected[::-1], atol=1e-9):
                raise ExerciseError(f"your output is reversed {where}")
            raise ExerciseError(
                f"wrong values {where}: expected {np.round(expected, 6).tolist()}, got {np.round(got, 6).tolist()}"
            )

    return run_checks("linear convolution by FFT", checks)


# --------------------------------------------------------------------------- exercise 2: what a box removes


def _box_zero_cases() -> list[tuple[int, int]]:
    """(width, n): whole periods in the box, none, a box as long as the signal, and a case found by gcd only."""
    return [(4, 8), (5, 20), (3, 12), (2, 6), (6, 12), (3, 10), (4, 6), (1, 5), (8, 8), (6, 9)]


def _expected_box_zeros(width: int, n: int) -> list[int]:
    """The f in 1..n-1 for which a box of ``width`` taps spans a whole number of periods (n / f samples each)."""
    return [f for f in range(1, n) if (f * width) % n == 0]


def _as_frequency_indices(value: object, width: int, n: int) -> list[int]:
    """The learner's answer as a sorted list of ints, or an ExerciseError saying what it is instead."""
    name = f"box_zeros({width}, {n})"
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ExerciseError(
            f"{name} must return frequency indices (a list of ints); numpy could not read it: {error}"
        ) from None
    if array.ndim == 0:
        array = array.reshape(1)
    if array.ndim != 1:
        raise ExerciseError(f"{name} must return a flat list of frequency indices; got shape {array.shape}")
    if array.dtype.kind == "b":
        raise ExerciseError(
            f"{name} returned {array.size} booleans (a mask): return the indices where it is True instead, "
            "e.g. np.flatnonzero(mask).tolist()"
        )
    if array.size and array.dtype.kind not in "iuf":
        raise ExerciseError(f"{name} must return numbers (frequency indices); got dtype {array.dtype}")
    values = array.astype(float)
    if values.size and np.all((values > 0) & (values < 1)):
        raise ExerciseError(
            f"{name} returned {np.round(values, 3).tolist()}: frequencies in cycles per sample. Return the index f "
            f"(cycles in {n} samples), that is, those values times n = {n}"
        )
    if not np.allclose(values, np.round(values)):
        raise ExerciseError(f"{name} returned {np.round(values, 3).tolist()}: frequency indices are whole numbers")
    indices = sorted(int(v) for v in np.round(values))
    if len(set(indices)) != len(indices):
        raise ExerciseError(f"{name} returned {indices}: name each frequency once")
    return indices


def check_box_zeros(function: Callable[[int, int], object]) -> CheckResult:
    """Check ``function(width, n)``: the frequency indices ``f`` in ``0..n-1`` at which the DFT of length ``n`` of a
    box of ``width`` taps (each ``1 / width``) is zero: the cosines a moving average removes from a periodic signal.

    The answer is ``f`` with ``f * width / n`` a whole number, ``f != 0``, in any order.
    Recognises: ``f = 0`` included (the box keeps the mean), only the first half (``n - f`` is the
    same cosine), values missed because ``== 0`` was tested on round-off of about 1e-17, multiples
    of the width instead of ``n / width``, the box transformed without padding to ``n``, and a
    boolean mask or frequencies in cycles per sample returned instead of indices.

    Examples
    --------
    >>> check_box_zeros(lambda width, n: [f for f in range(1, n) if f * width % n == 0])
    what a box removes: correct!
    CheckResult(passed=True)
    >>> check_box_zeros(lambda width, n: [f for f in range(n) if f * width % n == 0])
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: box_zeros(4, 8) includes f = 0...
    """

    def checks() -> None:
        for width, n in _box_zero_cases():
            got = _as_frequency_indices(call_answer(function, width, n), width, n)
            expected = _expected_box_zeros(width, n)
            if got == expected:
                continue
            _diagnose_box_zeros(got, expected, width, n)

    return run_checks("what a box removes", checks)


def _diagnose_box_zeros(got: list[int], expected: list[int], width: int, n: int) -> None:
    """Say why ``got`` is not the list of zeros of a ``width``-tap box in ``n`` samples (it is not ``expected``)."""
    name = f"box_zeros({width}, {n})"
    response = np.abs(np.fft.fft(np.ones(width) / width, n))
    if 0 in got:
        raise ExerciseError(
            f"{name} includes f = 0, the constant part (the mean). The box's weights sum to 1, so its gain at f = 0 "
            "is 1: a moving average keeps the mean"
        )
    outside = [f for f in got if not 0 <= f < n]
    if outside:
        raise ExerciseError(f"{name} returned {outside}: frequency indices run from 0 to n - 1 = {n - 1}")
    if width < n and got == list(range(1, width)) and got != expected:
        raise ExerciseError(
            f"{name} returned {got}: those are the zeros of the box's DFT of its own length {width}. The signal has "
            f"{n} samples: pad the box to n first (np.fft.fft(box, {n}))"
        )
    multiples_of_width = list(range(width, n, width))
    if got == multiples_of_width:
        raise ExerciseError(
            f"{name} returned the multiples of the width, {got}. The box averages {width} samples; it removes a "
            f"cosine when those {width} samples hold a whole number of its periods: f * {width} / {n} must be a "
            "whole number"
        )
    missing = [f for f in expected if f not in got]
    if set(got) < set(expected):
        if all(f > n / 2 for f in missing):
            raise ExerciseError(
                f"{name} returned {got}, only frequencies up to n/2; it misses {missing}. For a real signal f and "
                f"n - f are the same cosine (the DFT is mirrored), so the box removes n - f as well"
            )
        if all(response[f] > 0 for f in missing):
            tiny = ", ".join(f"|H[{f}]| = {response[f]:.1e}" for f in missing[:2])
            raise ExerciseError(
                f"{name} misses {missing}, where the DFT is 0 up to round-off ({tiny}). A floating-point FFT seldom "
                "gives an exact 0: compare with a tolerance, e.g. np.isclose(value, 0, atol=1e-9), not == 0"
            )
        raise ExerciseError(
            f"{name} returned {got} and misses {missing}: the box removes f whenever its {width} samples hold a "
            f"whole number of periods of that cosine (f * {width} / {n} a whole number)"
        )
    extra = [f for f in got if f not in expected]
    if extra:
        gains = ", ".join(f"|H[{f}]| = {response[f]:.3f}" for f in extra[:3])
        raise ExerciseError(
            f"{name} returned {got}, but the box does not remove {extra} ({gains}); it removes {expected or 'none'}. "
            f"It removes f when its {width} samples hold a whole number of periods of that cosine"
        )
    raise ExerciseError(f"{name}: expected {expected}, got {got}")

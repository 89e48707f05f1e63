"""Checkers for notebook 06 (shifting signals, circular convolution, the NTM's shift).

* :func:`check_delay_kernel`: a kernel that delays a signal by ``k`` samples when *convolved*.
* :func:`check_ntm_shift`: equation (8) of Graves et al. 2014, the NTM's circular shift.
* :func:`check_linear_by_fft`: linear convolution through the FFT, by zero-padding.

Each recognises the typical wrong answers and says which one it found.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.book.exercises.core import ExerciseError, call_answer, run_checks
from convlib.convolution import convolve1d
from convlib.shifting import circular_convolve, ntm_shift

__all__ = ["check_delay_kernel", "check_linear_by_fft", "check_ntm_shift"]


def _as_real_vector(value: object, what: str) -> np.ndarray:
    """The learner's result as a 1-D float array, or an ExerciseError saying what is wrong with it."""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise ExerciseError(f"{what} must be a 1-D array of numbers; numpy could not convert it: {error}") from None
    if array.dtype.kind == "c":
        if np.allclose(array.imag, 0, atol=1e-9):
            raise ExerciseError(
                f"{what} is complex (dtype {array.dtype}), with imaginary parts of about 0: return real numbers, "
                "e.g. np.real(np.fft.ifft(...)), or use np.fft.irfft"
            )
        raise ExerciseError(f"{what} is complex with non-zero imaginary parts: it must be real")
    if array.dtype.kind not in "biuf":
        raise ExerciseError(f"{what} must hold numbers; got dtype {array.dtype}")
    if array.ndim != 1:
        raise ExerciseError(f"{what} must be 1-D; got shape {array.shape}")
    return array.astype(float)


# --------------------------------------------------------------------------- exercise 1: a delay kernel


def check_delay_kernel(function: Callable[[int], object]) -> bool:
    """Check ``function(k)``: a kernel that, convolved with a signal, delays it by ``k`` samples.

    The test: for ``k`` from 0 to 5 and several signals ``x``, the first ``len(x)`` samples of
    ``convolve1d(x, kernel)`` (``"full"``) must be ``x`` delayed: ``k`` zeros, then ``x[:len(x) - k]``
    (not ``x[:-k]``, which is empty for ``k = 0``).
    Recognises: the spike counted from the wrong end (the correlation picture), an off-by-one
    delay, a spike of the wrong height, and a kernel that blurs as well as shifts.

    Examples
    --------
    >>> def delay_kernel(k):
    ...     kernel = np.zeros(k + 1)
    ...     kernel[k] = 1.0
    ...     return kernel
    >>> check_delay_kernel(delay_kernel)
    delay kernel: correct!
    True
    >>> check_delay_kernel(lambda k: np.eye(k + 3)[2])  # spike at index 2: always delays by 2
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: delay_kernel(0) = [0.0, 0.0, 1.0] delays the signal by 2 samples...
    """
    rng = np.random.default_rng(6)
    signals = [np.arange(1.0, 9.0), rng.integers(-5, 6, 12).astype(float), np.array([3.0, -1.0, 2.0, 5.0, 4.0, 1.0])]

    def checks() -> None:
        for k in range(6):
            kernel = _as_real_vector(call_answer(function, k), f"delay_kernel({k})")
            name = f"delay_kernel({k}) = {kernel.tolist()}"
            if kernel.size == 0:
                raise ExerciseError(f"{name} is empty: a delay kernel needs at least one weight")
            for x in signals:
                delayed = np.concatenate([np.zeros(k), x])[: x.size]  # k zeros, then x[: x.size - k]
                if not np.allclose(convolve1d(x, kernel)[: x.size], delayed):
                    _diagnose_delay(kernel, k, name)

    return run_checks("delay kernel", checks)


def _diagnose_delay(kernel: np.ndarray, k: int, name: str) -> None:
    """Say why ``kernel`` does not delay by ``k`` (it has just failed the test)."""
    nonzero = np.flatnonzero(kernel)
    if nonzero.size == 0:
        raise ExerciseError(f"{name} is all zeros: it wipes the signal out instead of moving it")
    if nonzero.size > 1:
        raise ExerciseError(
            f"{name} has {nonzero.size} non-zero weights: the output is a mix of {nonzero.size} shifted "
            "copies (a blur as well as a shift). A pure delay is a single spike: a shifted delta"
        )
    where, height = int(nonzero[0]), float(kernel[nonzero[0]])
    if where != k:
        message = (
            f"{name} delays the signal by {where} samples, not {k}. Convolving with a spike at index j gives "
            f"y[n] = x[n - j], a delay of j: put the 1 at index {k}."
        )
        if kernel.size - 1 - where == k:
            message += (
                f" Counting from the end of the kernel gives {k}: that is how correlation reads a kernel. "
                "Convolution flips it."
            )
        raise ExerciseError(message)
    raise ExerciseError(
        f"{name} has a spike of height {height:g}: the output is the delayed signal times {height:g}. "
        "The spike must be 1"
    )


# --------------------------------------------------------------------------- exercise 2: the NTM shift


def _ntm_cases() -> list[tuple[np.ndarray, np.ndarray]]:
    """Weightings and shift distributions: interior and end-of-memory cases, never symmetric."""
    rng = np.random.default_rng(14)

    def one_hot(n: int, index: int) -> np.ndarray:
        w = np.zeros(n)
        w[index] = 1.0
        return w

    cases = [
        (np.array([0.0, 0.1, 0.6, 0.3, 0.0, 0.0]), np.array([0.0, 0.0, 1.0])),  # all on +1, in the interior
        (np.array([0.0, 0.2, 0.5, 0.3, 0.0, 0.0, 0.0]), np.array([0.1, 0.2, 0.7])),
        (one_hot(5, 4), np.array([0.0, 0.0, 1.0])),  # the last slot moves on: to slot 0
        (one_hot(5, 0), np.array([1.0, 0.0, 0.0])),  # the first slot moves back: to slot 4
        (one_hot(8, 7), np.array([0.2, 0.1, 0.7])),
    ]
    for n in (3, 4, 9, 12):
        cases.append((rng.dirichlet(np.ones(n)), rng.dirichlet(np.ones(3) * 0.7)))
    return cases


def check_ntm_shift(function: Callable[[np.ndarray, np.ndarray], object]) -> bool:
    """Check ``function(weights, shift_weights)``: equation (8) with shifts ``(-1, 0, +1)``.

    ``shift_weights[0]`` is the weight of shift -1, ``[1]`` of 0, ``[2]`` of +1; the result is
    ``w~(i) = sum over k of weights[(i - shift_k) mod N] * shift_weights[k]``, as
    :func:`convlib.ntm_shift`. Recognises the three mistakes of
    :mod:`convlib.book.pitfalls`: nothing moved (a roll or sum over the wrong axis), the
    shift labels reversed (+1 moves the focus back), and a non-circular shift (weight falls off
    the ends); and a result that is no longer a distribution.

    Examples
    --------
    >>> check_ntm_shift(lambda w, s: s[0] * np.roll(w, -1) + s[1] * w + s[2] * np.roll(w, 1))
    NTM shift: correct!
    True
    >>> from convlib.book.pitfalls import shift_reversed_labels
    >>> check_ntm_shift(shift_reversed_labels)
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: wrong direction for weights=[0.0, 0.1, 0.6, 0.3, 0.0, 0.0], ...
    """

    def checks() -> None:
        for weights, shift_weights in _ntm_cases():
            got = _as_real_vector(call_answer(function, weights.copy(), shift_weights.copy()), "the shifted weighting")
            expected = ntm_shift(weights, shift_weights)
            rounded = np.round(weights, 3).tolist()
            where = f"for weights={rounded}, shift_weights={np.round(shift_weights, 3).tolist()}"
            if got.shape != expected.shape:
                raise ExerciseError(
                    f"wrong length {where}: the shifted weighting has one value per memory slot, "
                    f"{expected.size}; got {got.size}. (np.convolve's 'full' mode adds 2 samples: wrap them round)"
                )
            if np.allclose(got, expected, atol=1e-9):
                continue
            if np.allclose(got, weights, atol=1e-9):
                raise ExerciseError(
                    f"nothing moved {where}: your result is the input weighting. Did you roll or sum along the "
                    "wrong axis? Each shift moves the weighting along the memory: np.roll(weights, shift)"
                )
            if np.allclose(got, ntm_shift(weights, shift_weights[::-1]), atol=1e-9):
                raise ExerciseError(
                    f"wrong direction {where}: weight on shift +1 moved the focus to slot i - 1. The weights are "
                    "labelled (-1, 0, +1) in that order: shift_weights[2] belongs to +1, and slot i receives "
                    "weights[i - shift] (np.roll(weights, shift))"
                )
            if np.allclose(got, convolve1d(weights, shift_weights, "same"), atol=1e-9):
                raise ExerciseError(
                    f"not circular {where}: weight that moves past either end of the memory is lost (your result "
                    f"sums to {got.sum():.3f}). Equation (8) takes indices mod N: the last slot's +1 neighbour is "
                    "slot 0. Use np.roll, or index with (i - shift) % N"
                )
            if not np.isclose(got.sum(), 1.0) or np.any(got < -1e-12):
                raise ExerciseError(
                    f"your result is not a distribution {where}: it sums to {got.sum():.3f}, min {got.min():.3f}. "
                    "A shift only moves weight around"
                )
            raise ExerciseError(
                f"wrong values {where}: expected {np.round(expected, 3).tolist()}, got {np.round(got, 3).tolist()}"
            )

    return run_checks("NTM shift", checks)


# --------------------------------------------------------------------------- exercise 3: linear via FFT


def check_linear_by_fft(function: Callable[[np.ndarray, np.ndarray], object]) -> bool:
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
    True
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
            got = _as_real_vector(call_answer(function, signal.copy(), kernel.copy()), "the convolution")
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

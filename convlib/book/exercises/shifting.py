"""Checkers for notebook 08 (shifting signals, circular convolution, the NTM's shift).

* :func:`check_delay_kernel`: a kernel that delays a signal by ``k`` samples when *convolved*.
* :func:`check_ntm_shift`: equation (8) of Graves et al. 2014, the NTM's circular shift.
* :func:`check_blur_downsample`: anti-aliased downsampling, a blur before keeping every second sample.

Each recognises the typical wrong answers and says which one it found.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from convlib.book.exercises.core import CheckResult, ExerciseError, as_real_vector, call_answer, run_checks

# Moved to notebook 07's checkers; re-exported only while convlib/book/exercises/__init__.py imports it from here.
from convlib.convolution import convolve1d
from convlib.shifting import ntm_shift

__all__ = ["check_blur_downsample", "check_delay_kernel", "check_ntm_shift"]


# --------------------------------------------------------------------------- exercise 1: a delay kernel


def check_delay_kernel(function: Callable[[int], object]) -> CheckResult:
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
    CheckResult(passed=True)
    >>> check_delay_kernel(lambda k: np.eye(k + 3)[2])  # spike at index 2: always delays by 2
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: delay_kernel(0) = [0.0, 0.0, 1.0] delays the signal by 2 samples...
    """
    rng = np.random.default_rng(6)
    signals = [np.arange(1.0, 9.0), rng.integers(-5, 6, 12).astype(float), np.array([3.0, -1.0, 2.0, 5.0, 4.0, 1.0])]

    def checks() -> None:
        kernels = [as_real_vector(call_answer(function, k), f"delay_kernel({k})") for k in range(6)]
        for k, kernel in enumerate(kernels):
            name = f"delay_kernel({k}) = {kernel.tolist()}"
            if kernel.size == 0:
                raise ExerciseError(f"{name} is empty: a delay kernel needs at least one weight")
            for x in signals:
                delayed = np.concatenate([np.zeros(k), x])[: x.size]  # k zeros, then x[: x.size - k]
                if not np.allclose(convolve1d(x, kernel)[: x.size], delayed):
                    _diagnose_delay(kernel, k, name, kernels)

    return run_checks("delay kernel", checks)


def _samples(count: int) -> str:
    return f"{count} sample" if count == 1 else f"{count} samples"


def _diagnose_delay(kernel: np.ndarray, k: int, name: str, kernels: list[np.ndarray]) -> None:
    """Say why ``kernel`` does not delay by ``k`` (it has just failed the test).

    ``kernels`` holds the answers for every ``k`` tried: a mistake is named from its pattern over all
    of them (at ``k = 0`` a spike one place too far and a kernel read from the end look the same).
    """
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
            f"{name} delays the signal by {_samples(where)}, not {k}. Convolving with a spike at index j gives "
            f"y[n] = x[n - j], a delay of j: put the 1 at index {k}."
        )
        spikes = [np.flatnonzero(each) for each in kernels]
        if all(found.size == 1 for found in spikes):
            places = [(int(found[0]), each.size) for found, each in zip(spikes, kernels)]
            if all(spot == j + 1 for j, (spot, _) in enumerate(places)):
                message += " For every k your spike sits one place too far: index 0 is offset 0, a delay of 0."
            elif all(size - 1 - spot == j for j, (spot, size) in enumerate(places)):
                message += (
                    " For every k, counting from the end of your kernel gives k: that is how correlation reads "
                    "a kernel. Convolution flips it, so count from the start."
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


def check_ntm_shift(function: Callable[[np.ndarray, np.ndarray], object]) -> CheckResult:
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
    CheckResult(passed=True)
    >>> from convlib.book.pitfalls import shift_reversed_labels
    >>> check_ntm_shift(shift_reversed_labels)
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: wrong direction for weights=[0.0, 0.1, 0.6, 0.3, 0.0, 0.0], ...
    """

    def checks() -> None:
        for weights, shift_weights in _ntm_cases():
            got = as_real_vector(call_answer(function, weights.copy(), shift_weights.copy()), "the shifted weighting")
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


# --------------------------------------------------------------------------- exercise 3: blur, then downsample

#: The kernels the checker tries: odd lengths, symmetric, each summing to 1, centred on the middle weight.
KERNELS = (
    np.array([1.0, 2.0, 1.0]) / 4,
    np.array([1.0, 4.0, 6.0, 4.0, 1.0]) / 16,
    np.array([1.0, 1.0, 1.0]) / 3,
)


def _circular_blur(x: np.ndarray, kernel: np.ndarray, offset: int | None = None) -> np.ndarray:
    """``x`` blurred circularly by ``kernel``, its weight ``m`` at offset ``m - offset`` (default: centred)."""
    offset = kernel.size // 2 if offset is None else offset
    return sum(weight * np.roll(x, offset - m) for m, weight in enumerate(kernel))


def _blur_downsample(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The reference: ``x`` blurred circularly by the centred ``kernel``, then every second sample from index 0."""
    return _circular_blur(x, kernel)[::2]


def check_blur_downsample(function: Callable[[np.ndarray, np.ndarray], object]) -> CheckResult:
    """Check ``function(x, kernel)``: anti-aliased downsampling of a periodic 1-D signal by 2.

    ``kernel`` is symmetric, of odd length ``2r + 1``, its middle weight at offset 0. The answer blurs
    ``x`` with it, wrapping round the ends (the signal is periodic), then keeps samples 0, 2, 4, ...:
    ``ceil(N / 2)`` of them. Recognises: no blur at all (plain ``x[::2]``), the kernel argument
    ignored (always ``[1, 2, 1] / 4``), subsampling before blurring, zeros at the ends instead of
    wrapping round, a kernel not centred (its first weight at offset 0), and the odd samples kept.

    Examples
    --------
    >>> check_blur_downsample(lambda x, k: sum(w * np.roll(x, len(k) // 2 - m) for m, w in enumerate(k))[::2])
    blur, then downsample: correct!
    CheckResult(passed=True)
    >>> check_blur_downsample(lambda x, k: x[::2])
    Traceback (most recent call last):
    ...
    convlib.book.exercises.core.ExerciseError: no blur for x=[...]: your result is x[::2]...
    """
    rng = np.random.default_rng(8)
    # irregular signals first: on them every typical mistake gives a different result, so the diagnosis is sure
    signals = [rng.integers(-5, 6, n).astype(float) for n in (9, 8, 12)]  # odd first: [1::2] is shorter
    signals += [np.array([3.0, -1.0, 4.0, 1.0, -5.0, 9.0, 2.0]), np.array([1.0, 0.0] * 4), np.arange(1.0, 11.0)]
    cases = [(x, kernel) for kernel in KERNELS for x in signals]

    def checks() -> None:
        for x, kernel in cases:
            got = as_real_vector(call_answer(function, x.copy(), kernel.copy()), "blur_downsample(x, kernel)")
            expected = _blur_downsample(x, kernel)
            where = f"for x={x.tolist()}, kernel={np.round(kernel, 4).tolist()}"
            same_shape = got.shape == expected.shape
            if same_shape and np.allclose(got, expected, atol=1e-9):
                continue
            if same_shape and np.allclose(got, x[::2]):
                raise ExerciseError(
                    f"no blur {where}: your result is x[::2]. Blur first with the kernel, then keep every "
                    "second sample: that is what removes the detail that subsampling would alias"
                )
            if same_shape and np.allclose(got, _blur_downsample(x, KERNELS[0])):
                raise ExerciseError(
                    f"you ignored the kernel {where}: your result is the [1, 2, 1] / 4 blur. Use the weights "
                    "you are given"
                )
            if same_shape and np.allclose(got, np.convolve(x, kernel, "same")[::2]):
                raise ExerciseError(
                    f"the ends are wrong {where}: you padded with zeros (np.convolve). The signal is periodic: "
                    "the neighbour before sample 0 is the last sample. Use np.roll"
                )
            shifts = (0, kernel.size - 1)  # first weight at offset 0, or last weight at offset 0
            if same_shape and any(np.allclose(got, _circular_blur(x, kernel, s)[::2]) for s in shifts):
                raise ExerciseError(
                    f"the kernel is not centred {where}: your blur moves the signal by {_samples(kernel.size // 2)} "
                    "as well. The middle weight belongs to offset 0, so a kernel of length 2r + 1 reaches r "
                    "samples each way"
                )
            if got.size == x[1::2].size and np.allclose(got, _circular_blur(x, kernel)[1::2]):
                raise ExerciseError(f"you kept the odd samples {where}: keep samples 0, 2, 4, ... ([::2])")
            coarse = x[::2]
            subsampled_first = (_circular_blur(coarse, kernel), np.convolve(coarse, kernel, "same"))
            if same_shape and any(np.allclose(got, wrong) for wrong in subsampled_first):
                raise ExerciseError(
                    f"you subsampled before blurring {where}: by then the fine detail has already been aliased "
                    "onto the coarse grid (section 6). Blur the full signal, then keep every second sample"
                )
            if not same_shape:
                raise ExerciseError(
                    f"wrong length {where}: keeping every second of {x.size} samples gives {expected.size}; "
                    f"got {got.size}"
                )
            raise ExerciseError(
                f"wrong values {where}: expected {np.round(expected, 3).tolist()}, got {np.round(got, 3).tolist()}"
            )

    return run_checks("blur, then downsample", checks)

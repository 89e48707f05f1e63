"""Circular convolution, and the Neural Turing Machine's addressing that is built on it.

A Neural Turing Machine (Graves, Wayne and Danihelka 2014, arXiv 1410.5401) reads and writes
an ``(N, M)`` memory through a *weighting*: a probability distribution over the ``N`` rows.
Each step computes a new weighting in four stages (the paper's equation numbers):

(5)-(6) content: cosine similarity of a key with every row, times a strength ``beta``, softmax;
(7)     interpolation: ``g * w_content + (1 - g) * w_previous``, a gate between new and old;
(8)     shift: circular convolution with ``s``, a distribution over integer shifts (e.g. -1, 0, +1);
(9)     sharpening: ``w**gamma / sum(w**gamma)``, ``gamma >= 1``, to undo the blur of the shift.

Direction: ``w~(i) = sum over k of w((i - shifts[k]) mod N) * s[k]``. All of ``s`` on shift
``+1`` moves the focus from row ``i`` to row ``i + 1``, i.e. ``numpy.roll(w, 1)``; the last row
wraps round to the first. Numbers (bool, int, float) follow convlib's dtype policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from convlib.engines import fft as fft_engine  # the FFT and its guards, shared with convolve1d/2d
from convlib.validation import (
    all_finite,
    as_numeric_array,
    as_real_number,
    check_bool,
    check_choice,
    check_finite,
    check_ndim,
    errors_named,
    result_dtype,
)

__all__ = [
    "AddressingStages",
    "circular_convolve",
    "ntm_address",
    "ntm_content_weights",
    "ntm_interpolate",
    "ntm_sharpen",
    "ntm_shift",
]

#: ``method="auto"`` uses the FFT for kernels longer than this (and finite inputs); a rough estimate.
FFT_MIN_TAPS = 32
#: A weighting must sum to 1 within this (or within ``N`` float epsilons, if that is larger: float32).
SUM_TOLERANCE = 1e-6
#: Cosine similarity divides by ``max(|u| |v|, COSINE_EPS)``: a zero row or key has similarity 0.
COSINE_EPS = 1e-8


# --------------------------------------------------------------------------- checks


def _real(value: object, name: str, function: str, ndim: int) -> np.ndarray:
    """A real, finite, non-empty array of ``ndim`` dimensions, or a clear error."""
    array = as_numeric_array(value, name, function)  # refuses complex data
    check_ndim(array, name, ndim, function)
    check_finite(array, name, function, "NTM addressing needs finite numbers")
    return array


def _non_negative(value: object, name: str, function: str, expected: str = "non-negative weights") -> np.ndarray:
    """A 1-D weighting that need not sum to 1: finite, non-negative entries, not all zero."""
    array = _real(value, name, function, 1)
    if np.any(array < 0):
        index = int(np.argmin(array))
        raise ValueError(f"{function}: {name} must be {expected}; got {float(array[index])!r} at index {index}")
    if not np.any(array > 0):
        raise ValueError(f"{function}: {name} must have at least one positive weight; got all zeros")
    return array


def _distribution(value: object, name: str, function: str) -> np.ndarray:
    """A 1-D weighting: non-negative entries that sum to 1."""
    array = _non_negative(value, name, function, "a probability distribution (non-negative, summing to 1)")
    total = float(np.sum(array, dtype=np.float64))
    eps = float(np.finfo(array.dtype).eps) if array.dtype.kind == "f" else 0.0
    if abs(total - 1.0) > max(SUM_TOLERANCE, array.size * eps):
        raise ValueError(
            f"{function}: {name} must be a probability distribution (non-negative, summing to 1); "
            f"got entries summing to {total!r}"
        )
    return array


def _shifts(value: object, count: int, function: str) -> list[int]:
    """Distinct integer shifts, one per entry of ``shift_weights``, as Python ints (exact, of any size).

    A list or tuple of Python or numpy integers is taken as it is, so shifts beyond 64 bits, or a mix of
    ``-1`` and ``2**63`` (which numpy would turn into float64), keep their exact value.
    """
    if (
        isinstance(value, (list, tuple))
        and value
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in value)
    ):
        shifts = [int(v) for v in value]
    else:
        array = as_numeric_array(value, "shifts", function)
        if array.ndim != 1 or array.size == 0:
            raise ValueError(
                f"{function}: shifts must be a non-empty 1-D sequence of integers; got shape {array.shape}"
            )
        if array.dtype.kind not in "iu":
            raise ValueError(f"{function}: shifts must be integers, such as (-1, 0, 1); got {array.tolist()}")
        shifts = [int(v) for v in array.tolist()]  # Python ints: no int64 wrap-around (nor uint64 to int64)
    if len(set(shifts)) != len(shifts):
        raise ValueError(f"{function}: shifts must be distinct integers; got {shifts}")
    if len(shifts) != count:
        raise ValueError(
            f"{function}: shift_weights must have one entry per shift; got {count} weights for "
            f"{len(shifts)} shifts {shifts}"
        )
    return shifts


# --------------------------------------------------------------------------- circular convolution


def circular_convolve(signal: object, kernel: object, method: str = "auto") -> np.ndarray:
    """Circular convolution: ``out[i] = sum over m of kernel[m] * signal[(i - m) mod N]``.

    Like :func:`convlib.convolve1d`, but the signal is periodic: what slides off the end comes
    back at the start, and the output has the signal's length. Equals
    ``numpy.real(numpy.fft.ifft(numpy.fft.fft(signal) * numpy.fft.fft(kernel, N)))`` for real
    inputs, and ``convolve1d(signal, kernel, "full", boundary="wrap")[:N]``.

    Parameters
    ----------
    signal : array_like, shape (N,)
        One period of the signal: numbers (bool, int, float or complex).
    kernel : array_like, shape (K,)
        The weights, ``K <= N``. (Zero-pad it to ``N`` to see it as one more period.)
    method : {"auto", "direct", "fft"}
        ``"direct"`` is the readable loop over taps with indices mod ``N``; ``"fft"`` multiplies
        spectra (it refuses NaN and infinity, which it would spread over the whole output);
        ``"auto"`` takes the FFT for long kernels and the direct loop otherwise. The FFT is used only
        where it is right: integers small enough for its result, rounded, to be exact, and sums that
        cannot overflow; ``"fft"`` refuses other inputs with a ``ValueError``, ``"auto"`` goes direct.
        ``float16`` is summed in ``float64``.

    Returns
    -------
    numpy.ndarray, shape (N,)
        float64 for bool and integer inputs, else the wider of the two inexact types.

    Raises
    ------
    ValueError
        Wrong ndim, empty input, ``K > N``, unknown ``method``; with ``method="fft"``: NaN or inf,
        integers too large for exact rounding, or values whose sums could overflow.
    TypeError
        Non-numeric data.

    Examples
    --------
    >>> circular_convolve([1, 2, 3, 4], [0, 1])  # a one-sample delay, wrapping round
    array([4., 1., 2., 3.])
    >>> circular_convolve([1, 0, 0, 0], [0.5, 0.25, 0.25], method="fft")
    array([0.5 , 0.25, 0.25, 0.  ])
    """
    function = "circular_convolve"
    signal = as_numeric_array(signal, "signal", function, allow_complex=True)
    kernel = as_numeric_array(kernel, "kernel", function, allow_complex=True)
    check_ndim(signal, "signal", 1, function)
    check_ndim(kernel, "kernel", 1, function)
    check_choice(method, "method", ("auto", "direct", "fft"), function)
    n, taps = signal.size, kernel.size
    if taps > n:
        raise ValueError(
            f"{function}: kernel must be no longer than signal (one period); got a kernel of length {taps} "
            f"for a signal of length {n}. Wrap the kernel yourself if you mean it: k.reshape(-1, {n}).sum(0)"
        )
    finite = all_finite(signal) and all_finite(kernel)
    if method == "fft":
        reason = "the FFT would spread it over the whole output; use method='direct'"
        check_finite(signal, "signal", function, reason)
        check_finite(kernel, "kernel", function, reason)

    dtype = result_dtype(signal, kernel)
    work = fft_engine.accumulation_dtype(dtype)  # float16 is summed in float64, rounded once at the end
    x, k = signal.astype(work, copy=False), kernel.astype(work, copy=False)
    integers = signal.dtype.kind in "biu" and kernel.dtype.kind in "biu"
    if method == "fft" or (method == "auto" and finite and taps > FFT_MIN_TAPS):
        largest = (fft_engine.largest_magnitude(x), fft_engine.largest_magnitude(k))
        problem = ""
        if integers and not fft_engine.integers_exact(*largest, n, taps):
            problem = (
                "is exact for integers only while max|signal| * max|kernel| * sqrt(N * K) < 2**45; got signal "
                f"values up to {float(largest[0]):.6g} and kernel values up to {float(largest[1]):.6g} "
                f"(N = {n}, K = {taps}), for which its rounding could change whole-number results"
            )
        elif not fft_engine.overflow_free(largest[0], np.sum(np.abs(k)), work):
            problem = (
                f"needs sums that cannot overflow {work}; got signal values up to {float(largest[0]):.6g} and a "
                f"kernel whose absolute values sum to {float(np.sum(np.abs(k))):.6g}: where a sum overflows, "
                "direct summation gives inf and the FFT cannot match it"
            )
        if problem and method == "fft":
            raise ValueError(f"{function}: method='fft' {problem}; use method='direct' (or 'auto')")
        method = "direct" if problem else "fft"
    if method == "fft":  # the convolution theorem, for one period, scaled by powers of two (exact) if need be
        shift_x, shift_k = (fft_engine.scale_exponent(value, work) for value in largest)
        xs, ks = fft_engine.times_power_of_two(x, -shift_x), fft_engine.times_power_of_two(k, -shift_k)
        if work.kind == "c":
            out = np.fft.ifft(np.fft.fft(xs) * np.fft.fft(ks, n))
        else:
            out = np.fft.irfft(np.fft.rfft(xs) * np.fft.rfft(ks, n), n)
        with np.errstate(over="ignore"):
            out = fft_engine.times_power_of_two(out, shift_x + shift_k)
        if integers:
            out = np.rint(out)  # whole numbers in, whole numbers out: remove the FFT's rounding error
        with np.errstate(over="ignore"):  # float16 summed in float64: a sum beyond float16's range is inf
            return out.astype(dtype, copy=False)
    out = np.zeros(n, work)
    positions = np.arange(n)
    # inf * 0 is NaN, and a sum beyond the range is inf, as in convolve1d: no warning for the expected NaN or inf
    with np.errstate(over="ignore", invalid="ignore"):
        for m in range(taps):  # tap m delays the signal by m samples, wrapping round
            out += k[m] * x[(positions - m) % n]
        return out.astype(dtype, copy=False)


# --------------------------------------------------------------------------- NTM addressing


def ntm_shift(weights: object, shift_weights: object, shifts: Sequence[int] = (-1, 0, 1)) -> np.ndarray:
    """Rotate a weighting by a distribution of shifts: equation (8) of Graves et al. 2014.

    ``w~(i) = sum over k of weights[(i - shifts[k]) mod N] * shift_weights[k]``, a circular
    convolution of ``weights`` with ``shift_weights`` laid out at indices ``shifts[k] mod N``.
    All the weight on shift ``+1`` gives ``numpy.roll(weights, 1)``: the focus moves one row on.

    Parameters
    ----------
    weights : array_like, shape (N,)
        A weighting over ``N`` memory rows: non-negative (usually, but not necessarily, summing to 1).
    shift_weights : array_like, shape (S,)
        A distribution over the shifts (``shift_weights[k]`` belongs to ``shifts[k]``).
    shifts : sequence of int, length S
        Distinct integer shifts; the paper's example is ``(-1, 0, 1)``. Any size: a shift is taken
        mod ``N`` exactly (with Python ints), so ``2**63 - 1`` rotates as ``(2**63 - 1) % N`` does.

    Returns
    -------
    numpy.ndarray, shape (N,)
        The shifted weighting (a distribution if ``weights`` is one); float64 for bool and integer inputs.

    Examples
    --------
    >>> ntm_shift([0.1, 0.7, 0.2, 0.0], [0, 0, 1])  # all on +1: np.roll(w, 1)
    array([0. , 0.1, 0.7, 0.2])
    >>> ntm_shift([0, 1, 0, 0], [0.25, 0.5, 0.25])  # a blur: part left, part right
    array([0.25, 0.5 , 0.25, 0.  ])
    """
    function = "ntm_shift"
    weights = _non_negative(weights, "weights", function)
    shift_weights = _distribution(shift_weights, "shift_weights", function)
    shifts = _shifts(shifts, shift_weights.size, function)
    dtype = result_dtype(weights, shift_weights)
    w, s = weights.astype(dtype, copy=False), shift_weights.astype(dtype, copy=False)
    rows = np.arange(w.size)
    out = np.zeros(w.size, dtype)
    for shift, weight in zip(shifts, s):  # row i receives what was at row i - shift
        offset = shift % w.size  # Python ints: exact for any shift, so rows - offset cannot wrap
        out += weight * w[(rows - offset) % w.size]
    return out


def ntm_sharpen(weights: object, gamma: float) -> np.ndarray:
    """Sharpen a weighting: equation (9), ``w**gamma / sum(w**gamma)`` with ``gamma >= 1``.

    Computed as ``(w / max(w))**gamma``, renormalised: the same value, but no underflow to
    ``0 / 0`` for a large ``gamma``. As ``gamma`` grows the weighting tends to one-hot on its
    largest entry (shared equally between ties).

    Parameters
    ----------
    weights : array_like, shape (N,)
        A weighting: non-negative, not all zero (it need not sum to 1).
    gamma : float
        The sharpening exponent, ``>= 1``; 1 leaves ``weights`` as they are.

    Returns
    -------
    numpy.ndarray, shape (N,)
        The sharpened weighting; float64 for bool and integer ``weights``.

    Examples
    --------
    >>> ntm_sharpen([0.25, 0.5, 0.25], 2)
    array([0.16666667, 0.66666667, 0.16666667])
    """
    function = "ntm_sharpen"
    weights = _non_negative(weights, "weights", function)
    blur = "(smaller values would blur, not sharpen)"
    gamma = as_real_number(gamma, "gamma", function, finite=True, low=1, array_like=True, note=blur)
    dtype = result_dtype(weights)
    w = weights.astype(dtype, copy=False)
    powered = (w / w.max()) ** dtype.type(gamma)  # the largest entry becomes 1, so the sum is >= 1
    return powered / powered.sum()


def ntm_interpolate(content_weights: object, previous_weights: object, gate: float) -> np.ndarray:
    """Gate between a new and the previous weighting: equation (7), ``g*w_c + (1-g)*w_prev``.

    Parameters
    ----------
    content_weights : array_like, shape (N,)
        The content weighting of this step (a distribution).
    previous_weights : array_like, shape (N,)
        The weighting of the previous step (a distribution).
    gate : float
        The interpolation gate ``g`` in ``[0, 1]``: 1 keeps the content weighting, 0 the previous.

    Returns
    -------
    numpy.ndarray, shape (N,)
        A distribution; float64 for bool and integer inputs.

    Examples
    --------
    >>> ntm_interpolate([1, 0, 0], [0, 0, 1], 0.75)
    array([0.75, 0.  , 0.25])
    """
    function = "ntm_interpolate"
    content = _distribution(content_weights, "content_weights", function)
    previous = _distribution(previous_weights, "previous_weights", function)
    if content.shape != previous.shape:
        raise ValueError(
            f"{function}: content_weights and previous_weights must have the same length; "
            f"got {content.size} and {previous.size}"
        )
    gate = as_real_number(gate, "gate", function, low=0, high=1, array_like=True)
    dtype = result_dtype(content, previous)
    g = dtype.type(gate)
    return g * content.astype(dtype, copy=False) + (1 - g) * previous.astype(dtype, copy=False)


def ntm_content_weights(memory: object, key: object, key_strength: float) -> np.ndarray:
    """Address memory by content: equations (5)-(6), a softmax of ``beta`` times cosine similarity.

    ``w(i) = exp(beta * K(key, memory[i])) / sum over j of exp(beta * K(key, memory[j]))`` with
    ``K(u, v) = u . v / max(|u| |v|, COSINE_EPS)``. A zero row or a zero key has similarity 0
    (as in implementations that add a small epsilon), so an all-zero memory gives a uniform
    weighting. The softmax subtracts its maximum first, so a large ``beta`` cannot overflow.

    Computed in float64 (the result then takes the inputs' dtype), with each row and the key
    divided by its largest absolute entry before the dot product and the norms: ``u / a`` and
    ``v / b`` have the same cosine as ``u`` and ``v``, and their norms cannot overflow or
    underflow, so memory and key of ``1e200`` (whose norms would overflow to ``inf``, and the
    similarity to ``inf / inf = NaN``) or of ``1e-200`` work, as do integers at int64's limits.

    Parameters
    ----------
    memory : array_like, shape (N, M)
        ``N`` rows (locations) of ``M`` numbers each.
    key : array_like, shape (M,)
        What to look for.
    key_strength : float
        ``beta >= 0``: 0 gives a uniform weighting, larger values focus on the most similar rows.

    Returns
    -------
    numpy.ndarray, shape (N,)
        A distribution over the rows; float64 for bool and integer inputs.

    Examples
    --------
    >>> memory = [[1, 0], [0, 1], [1, 1]]
    >>> ntm_content_weights(memory, [1, 0], key_strength=5).round(3)
    array([0.808, 0.005, 0.187])
    >>> ntm_content_weights(np.multiply(memory, 1e200), [1e200, 0], key_strength=5).round(3)  # same cosines
    array([0.808, 0.005, 0.187])
    """
    function = "ntm_content_weights"
    memory = _real(memory, "memory", function, 2)
    key = _real(key, "key", function, 1)
    if key.size != memory.shape[1]:
        raise ValueError(
            f"{function}: key must have one entry per memory column (M = {memory.shape[1]}); "
            f"got a key of length {key.size} for memory of shape {memory.shape}"
        )
    beta = as_real_number(key_strength, "key_strength", function, finite=True, low=0, array_like=True)
    dtype = result_dtype(memory, key)
    similarity = _cosine_similarity(memory.astype(np.float64), key.astype(np.float64))
    with np.errstate(over="ignore"):  # beta * K is finite (|K| <= 1); the difference may overflow to -inf: exp 0
        scores = beta * similarity
        exps = np.exp(scores - scores.max())  # the maximum gives exp(0) = 1, so the sum is >= 1
    return (exps / exps.sum()).astype(dtype, copy=False)


def _cosine_similarity(memory: np.ndarray, key: np.ndarray) -> np.ndarray:
    """``K(key, memory[i]) = u . v / max(|u| |v|, COSINE_EPS)`` for each row, in [-1, 1], without overflow.

    Each row ``u`` and the key ``v`` are divided by their largest absolute entries ``a`` and ``b``:
    the scaled vectors have entries in [-1, 1] (one of them +-1), so their dot product and norms are
    between 1 and ``M`` in size. Then ``|u| |v| = a b |u/a| |v/b|`` decides which side of
    ``COSINE_EPS`` the denominator is on: above it, ``K`` is the scaled vectors' cosine; below it
    (``a b`` is then small, so nothing overflows), ``K = a b (u/a . v/b) / COSINE_EPS``.
    """
    row_scale = np.max(np.abs(memory), axis=1)
    key_scale = float(np.max(np.abs(key)))
    rows = memory / np.where(row_scale > 0, row_scale, 1.0)[:, None]  # zero rows stay zero
    unit_key = key / (key_scale if key_scale > 0 else 1.0)
    dots = rows @ unit_key
    scaled_norms = np.linalg.norm(rows, axis=1) * np.linalg.norm(unit_key)  # 0, or between 1 and M
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # a b may overflow: only the cosine is used
        scale = row_scale * key_scale
        cosine = dots / np.where(scaled_norms > 0, scaled_norms, 1.0)
        below_eps = scale * dots / COSINE_EPS
        similarity = np.where(scale * scaled_norms >= COSINE_EPS, cosine, below_eps)
    return np.clip(similarity, -1.0, 1.0)  # rounding can give 1 + eps; beta * K must stay finite


class AddressingStages(NamedTuple):
    """Each stage of :func:`ntm_address`, all of shape (N,): a notebook can plot them side by side."""

    content: np.ndarray
    interpolated: np.ndarray
    shifted: np.ndarray
    sharpened: np.ndarray


def ntm_address(
    memory: object,
    key: object,
    key_strength: float,
    gate: float,
    shift_weights: object,
    gamma: float,
    previous_weights: object,
    shifts: Sequence[int] = (-1, 0, 1),
    *,
    return_stages: bool = False,
) -> np.ndarray | AddressingStages:
    """One NTM addressing step, equations (5)-(9): content, interpolate, shift, sharpen.

    Parameters
    ----------
    memory : array_like, shape (N, M)
        The memory matrix.
    key : array_like, shape (M,)
        The key for content addressing.
    key_strength : float
        ``beta >= 0``.
    gate : float
        ``g`` in ``[0, 1]``: 1 uses the content weighting, 0 keeps ``previous_weights``.
    shift_weights : array_like, shape (S,)
        A distribution over ``shifts``.
    gamma : float
        Sharpening exponent, ``>= 1``.
    previous_weights : array_like, shape (N,)
        The weighting of the previous step.
    shifts : sequence of int, length S
        Distinct integer shifts, default ``(-1, 0, 1)``.
    return_stages : bool
        Return an :class:`AddressingStages` with every stage instead of the final weighting.

    Returns
    -------
    numpy.ndarray, shape (N,), or AddressingStages
        The final weighting (the ``sharpened`` stage).

    Examples
    --------
    >>> memory = np.eye(4)
    >>> ntm_address(memory, [0, 1, 0, 0], key_strength=50, gate=1, shift_weights=[0, 0, 1],
    ...             gamma=1, previous_weights=[1, 0, 0, 0]).round(3)  # find row 1, move to row 2
    array([0., 0., 1., 0.])
    >>> stages = ntm_address(memory, [0, 1, 0, 0], 50, 0, [0, 0, 1], 1, [1, 0, 0, 0], return_stages=True)
    >>> stages.shifted  # gate 0 ignores the content and moves on from the previous row 0
    array([0., 1., 0., 0.])
    """
    function = "ntm_address"
    return_stages = check_bool(return_stages, "return_stages", function)
    previous = _distribution(previous_weights, "previous_weights", function)
    memory = _real(memory, "memory", function, 2)
    if previous.size != memory.shape[0]:
        raise ValueError(
            f"{function}: previous_weights must have one entry per memory row (N = {memory.shape[0]}); "
            f"got length {previous.size}"
        )
    with errors_named(function):  # a stage's message, after this function's name: "ntm_address: ntm_sharpen: ..."
        content = ntm_content_weights(memory, key, key_strength)
        interpolated = ntm_interpolate(content, previous, gate)
        shifted = ntm_shift(interpolated, shift_weights, shifts)
        sharpened = ntm_sharpen(shifted, gamma)
    if return_stages:
        return AddressingStages(content, interpolated, shifted, sharpened)
    return sharpened

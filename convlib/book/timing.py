"""Small, honest timers: the median of several repeats, and where one method starts to win.

A single timing on a shared machine can be off by a factor of ten (another process, a cache that
was cold, the garbage collector). The *median* of several repeats ignores a few slow outliers, and
running a quick function many times per repeat keeps the clock's resolution out of the result.
Timings still vary from run to run: show them, but assert only orderings that hold by a wide
margin.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from convlib.validation import as_numeric_array, as_real_number, check_positive_int


def median_time(
    function: Callable[..., Any], *args: Any, repeats: int = 5, min_seconds: float = 0.002, warmup: int = 0
) -> float:
    """Seconds one call of ``function(*args)`` takes: the median over ``repeats`` batches of calls.

    Each batch calls ``function`` ``number`` times, with ``number`` first doubled from 1 until
    a batch lasts at least ``min_seconds`` (as :mod:`timeit`'s ``autorange`` does); a batch's
    time divided by ``number`` is one sample, and the median of the samples is returned.

    Parameters
    ----------
    function : callable
        What to time; its result is discarded.
    *args
        Passed to ``function`` on every call.
    repeats : int
        Number of timed batches (>= 1); the median ignores up to ``(repeats - 1) // 2`` slow ones.
    min_seconds : float
        Shortest batch worth timing (>= 0): quick functions run many times per batch.
    warmup : int
        Extra untimed calls first (>= 0). The batches that size ``number`` are not kept either,
        so the first call, which often pays for allocation and cold caches, never counts.

    Returns
    -------
    float
        Median seconds per call.

    Raises
    ------
    TypeError
        If ``function`` is not callable, or a count is not an integer.
    ValueError
        If ``repeats`` < 1, ``warmup`` < 0 or ``min_seconds`` is negative or not finite.

    Examples
    --------
    >>> seconds = median_time(sum, range(1000), repeats=3)
    >>> 0 < seconds < 0.01
    True
    """
    name = "median_time"
    if not callable(function):
        raise TypeError(f"{name}: function must be callable; got {type(function).__name__}")
    repeats = check_positive_int(repeats, "repeats", name)
    warmup = check_positive_int(warmup, "warmup", name, minimum=0)
    min_seconds = _check_seconds(min_seconds, name)
    for _ in range(warmup):
        function(*args)
    number = _autorange(function, args, min_seconds)
    return float(np.median([_batch(function, args, number) / number for _ in range(repeats)]))


def compare_times(
    functions: Mapping[str, Callable[[], Any]], repeats: int = 5, min_seconds: float = 0.002, warmup: int = 0
) -> dict[str, float]:
    """Median seconds per call of several functions, timed in turns so that they share the noise.

    Like :func:`median_time` for each function, except that the batches are interleaved: repeat
    ``r`` times every function once before repeat ``r + 1`` starts. On a shared machine the load
    changes from second to second; interleaving lets a burst of it slow all the methods alike
    instead of one of them, which keeps their *ordering* more reliable than timing one method
    after the other.

    Parameters
    ----------
    functions : mapping of str to callable
        Name to a function of no arguments (wrap arguments in a ``lambda``).
    repeats, min_seconds, warmup
        As for :func:`median_time`.

    Returns
    -------
    dict of str to float
        Median seconds per call, in the order of ``functions``.

    Examples
    --------
    >>> times = compare_times({"short": lambda: sum(range(10)), "long": lambda: sum(range(10_000))}, repeats=3)
    >>> list(times), times["short"] < times["long"]
    (['short', 'long'], True)
    """
    name = "compare_times"
    if not isinstance(functions, Mapping) or not functions:
        raise TypeError(f"{name}: functions must be a non-empty mapping of names to callables; got {functions!r}")
    for label, function in functions.items():
        if not callable(function):
            raise TypeError(f"{name}: functions[{label!r}] must be callable; got {type(function).__name__}")
    repeats = check_positive_int(repeats, "repeats", name)
    warmup = check_positive_int(warmup, "warmup", name, minimum=0)
    min_seconds = _check_seconds(min_seconds, name)
    numbers, samples = {}, {label: [] for label in functions}
    for label, function in functions.items():
        for _ in range(warmup):
            function()
        numbers[label] = _autorange(function, (), min_seconds)
    for _ in range(repeats):
        for label, function in functions.items():
            samples[label].append(_batch(function, (), numbers[label]) / numbers[label])
    return {label: float(np.median(values)) for label, values in samples.items()}


def _check_seconds(min_seconds: object, name: str) -> float:
    """Seconds: a finite number >= 0 (see :func:`convlib.validation.as_real_number`)."""
    return as_real_number(min_seconds, "min_seconds", name, finite=True, low=0)


def _autorange(function: Callable[..., Any], args: tuple, min_seconds: float) -> int:
    """Calls per batch: doubled from 1 until a batch lasts ``min_seconds`` (that batch is not kept)."""
    number = 1
    while _batch(function, args, number) < min_seconds and number < 2**20:
        number *= 2
    return number


def _batch(function: Callable[..., Any], args: tuple, number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        function(*args)
    return time.perf_counter() - start


def crossover(sizes: Sequence[float], slower: Sequence[float], faster: Sequence[float]) -> float | None:
    """The first size from which ``faster`` beats ``slower`` at every larger size measured.

    With timings of two methods over increasing problem sizes, this is where the curves cross
    for good: a single lucky measurement below it does not count, because the method must keep
    winning at every size after.

    Parameters
    ----------
    sizes : sequence of numbers, strictly increasing
        The problem sizes (e.g. kernel widths).
    slower, faster : sequence of float
        Times of the method that wins at small sizes and of the one expected to win at large
        sizes, one per size.

    Returns
    -------
    number or None
        The size, or ``None`` if ``faster`` is not faster at the largest size.

    Raises
    ------
    ValueError
        If the three sequences differ in length, are empty, or ``sizes`` is not increasing.

    Examples
    --------
    >>> crossover([3, 5, 7, 9], [1.0, 2.0, 3.0, 4.0], [2.5, 2.5, 2.5, 2.5])
    7
    >>> crossover([3, 5, 7, 9], [1.0, 3.0, 2.0, 4.0], [2.5, 2.5, 2.5, 2.5])   # a dip at 7 does not count
    9
    >>> crossover([3, 5], [1.0, 2.0], [3.0, 3.0]) is None
    True
    """
    name = "crossover"
    sizes_array = as_numeric_array(sizes, "sizes", name)
    slow = as_numeric_array(slower, "slower", name)
    fast = as_numeric_array(faster, "faster", name)
    if not (sizes_array.ndim == slow.ndim == fast.ndim == 1):
        raise ValueError(f"{name}: sizes, slower and faster must be 1-D sequences")
    if not (sizes_array.size == slow.size == fast.size) or sizes_array.size == 0:
        raise ValueError(
            f"{name}: sizes, slower and faster must have the same non-zero length; "
            f"got {sizes_array.size}, {slow.size} and {fast.size}"
        )
    if np.any(np.diff(sizes_array) <= 0):
        raise ValueError(f"{name}: sizes must be strictly increasing; got {list(sizes)}")
    wins = fast < slow
    if not wins[-1]:
        return None
    losing = np.flatnonzero(~wins)
    first = 0 if losing.size == 0 else int(losing[-1]) + 1
    return sizes_array[first].item()

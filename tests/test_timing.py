"""The median-of-repeats timer and the crossover finder behind notebook 04's speed section."""

from __future__ import annotations

import time

import numpy as np
import pytest

from convlib.book.timing import compare_times, crossover, median_time


def test_median_time_measures_a_known_duration():
    seconds = median_time(time.sleep, 0.005, repeats=3, min_seconds=0.0)
    assert 0.004 < seconds < 0.2  # sleep never returns early; a loaded machine may add a lot


def test_median_ignores_a_slow_outlier():
    calls = []

    def sometimes_slow():
        calls.append(None)
        time.sleep(0.08 if len(calls) == 2 else 0.001)  # 1: sizing the batch, 2: the first sample

    seconds = median_time(sometimes_slow, repeats=5, min_seconds=0.0)
    assert len(calls) == 1 + 5
    assert seconds < 0.04  # the mean would be above 0.016, the slow call alone 0.08


def test_quick_functions_run_many_times_per_batch():
    calls = []
    seconds = median_time(lambda: calls.append(None), repeats=3, min_seconds=0.002)
    assert len(calls) > 100  # batches were doubled until they lasted 2 ms
    assert 0 < seconds < 1e-4


def test_arguments_are_passed_and_warmup_runs_first():
    seen = []
    median_time(seen.append, "x", repeats=2, min_seconds=0.0, warmup=3)
    assert seen == ["x"] * (3 + 1 + 2)  # warm-up, sizing the batch, two samples


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"function": 3}, TypeError, "function must be callable"),
        ({"repeats": 0}, ValueError, "repeats must be >= 1"),
        ({"repeats": 2.5}, TypeError, "repeats must be an integer"),
        ({"warmup": -1}, ValueError, "warmup must be >= 0"),
        ({"min_seconds": -1.0}, ValueError, "min_seconds must be finite and >= 0"),
        ({"min_seconds": float("nan")}, ValueError, "min_seconds"),
        ({"min_seconds": "1"}, TypeError, "min_seconds must be a real number"),
    ],
)
def test_median_time_errors_name_the_argument(kwargs, error, message):
    function = kwargs.pop("function", len)
    with pytest.raises(error, match=message):
        median_time(function, [1], **kwargs)


def test_compare_times_interleaves_the_methods():
    order = []
    functions = {name: (lambda name=name: order.append(name)) for name in ("a", "b")}
    times = compare_times(functions, repeats=3, min_seconds=0.0, warmup=0)
    assert list(times) == ["a", "b"]
    assert order == ["a", "b"] + ["a", "b"] * 3  # sizing each batch, then the repeats in turns


def test_compare_times_orders_a_clear_difference():
    times = compare_times({"quick": lambda: None, "slow": lambda: time.sleep(0.005)}, repeats=3)
    assert times["quick"] < times["slow"]


@pytest.mark.parametrize(
    "functions, kwargs, error, message",
    [
        ({}, {}, TypeError, "non-empty mapping"),
        ([len], {}, TypeError, "non-empty mapping"),
        ({"a": 3}, {}, TypeError, r"functions\['a'\] must be callable"),
        ({"a": list}, {"repeats": 0}, ValueError, "repeats must be >= 1"),
        ({"a": list}, {"min_seconds": -1}, ValueError, "min_seconds"),
    ],
)
def test_compare_times_errors(functions, kwargs, error, message):
    with pytest.raises(error, match=message):
        compare_times(functions, **kwargs)


def test_crossover_is_where_the_faster_method_wins_for_good():
    sizes = [3, 5, 7, 9, 11]
    direct = [1.0, 2.0, 4.0, 8.0, 16.0]
    assert crossover(sizes, direct, [3.0] * 5) == 7
    assert crossover(sizes, direct, [0.5] * 5) == 3  # wins everywhere
    assert crossover(sizes, direct, [3.0, 1.0, 5.0, 5.0, 5.0]) == 9  # an early lucky win does not count
    assert crossover(sizes, direct, [20.0] * 5) is None  # never wins at the end
    assert crossover(np.array(sizes), np.array(direct), np.full(5, 3.0)) == 7
    assert isinstance(crossover(np.array(sizes), direct, [3.0] * 5), int)


@pytest.mark.parametrize(
    "sizes, slower, faster, message",
    [
        ([3, 5], [1.0], [1.0, 2.0], "same non-zero length"),
        ([], [], [], "same non-zero length"),
        ([5, 3], [1.0, 2.0], [1.0, 2.0], "strictly increasing"),
        ([[3, 5]], [[1.0, 2.0]], [[1.0, 2.0]], "1-D"),
    ],
)
def test_crossover_errors(sizes, slower, faster, message):
    with pytest.raises(ValueError, match=message):
        crossover(sizes, slower, faster)

"""The harness for refusals of huge sizes, shared by the memory-guard tests.

:func:`refused` runs a call under :mod:`tracemalloc` (numpy reports its allocations to it): it must raise
``ValueError`` quickly, before allocating much, with a message naming what it was given.
"""

from __future__ import annotations

import re
import time
import tracemalloc
from collections.abc import Callable

import pytest

SIZE = re.compile(r"\b\d+(\.\d+)? (KiB|MiB|GiB|TiB|PiB|EiB|ZiB|YiB)\b")

PEAK_LIMIT = 100 * 2**20  # bytes allocated while refusing
SECONDS_LIMIT = 1.0


def refused(call: Callable[[], object], *fragments: str, size: bool = True) -> str:
    """Run ``call``: it must raise ``ValueError`` within a second, allocating under 100 MB. Returns the message.

    The message must contain every fragment and (with ``size``) a size in bytes with its unit.
    """
    tracemalloc.start()
    try:
        start = time.perf_counter()
        with pytest.raises(ValueError) as caught:
            call()
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert elapsed < SECONDS_LIMIT, f"refused after {elapsed:.2f} s: {message}"
    assert peak < PEAK_LIMIT, f"allocated {peak / 2**20:.0f} MiB before refusing: {message}"
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    if size:
        assert SIZE.search(message), f"no size in bytes in {message!r}"
    assert "limit" in message
    return message

"""The kernel editor's WebAssembly module, as bytes (its results are checked in Chromium by
``tests/browser/test_live_parity.py``, against convlib, pixel for pixel)."""

from __future__ import annotations

import base64
import re
import struct

import pytest

from convlib.book.widgets.browser_view import module_source
from convlib.book.widgets.kernel_editor import wasm


@pytest.mark.parametrize(
    ("value", "encoded"),
    [(0, b"\x00"), (127, b"\x7f"), (128, b"\x80\x01"), (624485, b"\xe5\x8e\x26")],  # the last: Wikipedia's example
)
def test_unsigned_leb128(value, encoded):
    assert wasm._uleb(value) == encoded


@pytest.mark.parametrize(
    ("value", "encoded"),
    [(0, b"\x00"), (63, b"\x3f"), (64, b"\xc0\x00"), (-1, b"\x7f"), (-64, b"\x40"), (-65, b"\xbf\x7f"),
     (-123456, b"\xc0\xbb\x78")],
)  # fmt: skip
def test_signed_leb128(value, encoded):
    assert wasm._sleb(value) == encoded


def _sections(module: bytes) -> dict[int, bytes]:
    """Section id -> content of a WebAssembly module (each id once)."""
    assert module[:8] == b"\0asm" + struct.pack("<I", 1)
    sections, at = {}, 8
    while at < len(module):
        section_id, at = module[at], at + 1
        size, shift = 0, 0
        while True:
            byte, at = module[at], at + 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        assert section_id not in sections
        sections[section_id] = module[at : at + size]
        at += size
    assert at == len(module), "the last section runs past the end"
    return sections


def test_the_module_is_small_and_exports_its_memory_and_two_filters():
    module = wasm.correlate_module()
    assert len(module) < 4096, "Chromium compiles modules over 4 KB on the main thread only asynchronously"
    sections = _sections(module)
    assert sorted(sections) == [1, 3, 5, 7, 10]  # types, functions, memory, exports, code
    exports = sections[7]
    for name, kind in ((b"memory", 2), (b"correlate3", 0), (b"correlate5", 0)):
        at = exports.index(bytes([len(name)]) + name)
        assert exports[at + 1 + len(name)] == kind, name
    assert sections[3] == b"\x02\x00\x00"  # two functions of the one type
    assert sections[1] == b"\x01\x60\x06" + b"\x7f" * 6 + b"\x00"  # (i32 x 6) -> ()


def test_the_module_is_the_same_every_time():
    first = wasm.correlate_module()
    wasm.correlate_module.cache_clear()
    assert wasm.correlate_module() == first


def test_only_the_kernel_editor_module_carries_the_bytes():
    source = module_source("kernel_editor")
    found = re.findall(r'const CORRELATE_WASM = "([A-Za-z0-9+/=]+)";', source)
    assert len(found) == 1 and base64.b64decode(found[0]) == wasm.correlate_module()
    assert source.index("CORRELATE_WASM") < source.index("export function filterImage")
    for other in ("moving_average", "ntm_explorer", "output_size", "border_mode", "window_stepper"):
        assert "CORRELATE_WASM" not in module_source(other), other

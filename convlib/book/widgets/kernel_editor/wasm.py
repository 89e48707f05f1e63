"""The kernel editor's 3x3 and 5x5 filters as a small WebAssembly module, written out byte by byte.

The browser module (``js/kernel_editor.js``) filters a 512x512 photograph on every drag. In JavaScript
that takes about 1.5 ms for a 3x3 kernel and 4.2 ms for a 5x5; this module takes two output pixels at a
time in 128-bit registers (WebAssembly's ``f64x2`` SIMD) and takes 0.4 and 1.7 ms, with the same arithmetic:
for each pixel, ``sum = 0``, then ``sum = sum + weight * pixel`` for the taps in row-major order, each
product and each sum rounded to float64 (WebAssembly has no fused multiply-add unless asked), which is
convlib's readable shift-and-add to the last bit. ``tests/browser/test_live_parity.py`` checks it.

The module is made here, not by a compiler: :func:`correlate_module` returns its bytes (about 1.9 KB),
and :func:`wasm_constant` the line of JavaScript that carries them (base64) into the editor's module
text (``convlib.book.widgets.browser_view.module_source``). Each filter is a straight list of
instructions (the taps unrolled), so this file is the whole source. The browser falls back to the
JavaScript loops where WebAssembly SIMD is missing.

The exported functions, ``correlate3`` and ``correlate5``, take byte addresses in the module's memory:

``(padded, width, height, taps, out, extremes)``
    ``padded``: the image padded by K // 2 before and (K - 1) // 2 after, float64, rows of
    ``width + K - 1``; ``taps``: the K x K weights, float64, row-major (already flipped for a
    convolution); ``out``: ``width x height`` float64 results; ``extremes``: six float64, the lowest
    and highest sums of the even columns and of the odd columns (two lanes each), then of the last
    column when the width is odd (then +inf and -inf otherwise).

Examples
--------
>>> data = correlate_module()
>>> data[:4] == b"\\0asm" and len(data) < 4096  # a browser compiles a module under 4 KB on its main thread
True
"""

from __future__ import annotations

import base64
import struct
from functools import cache
from itertools import pairwise

__all__ = ["correlate_module", "wasm_constant"]

# Value types and the opcodes used (WebAssembly core 2.0, with the fixed-width SIMD proposal).
I32, F64, V128 = 0x7F, 0x7C, 0x7B
BLOCK, LOOP, IF, END, BR, BR_IF, SELECT = 0x02, 0x03, 0x04, 0x0B, 0x0C, 0x0D, 0x1B
LOCAL_GET, LOCAL_SET = 0x20, 0x21
F64_LOAD, F64_STORE, I32_CONST, F64_CONST = 0x2B, 0x39, 0x41, 0x44
I32_EQZ, I32_GE_U, F64_LT = 0x45, 0x4F, 0x63
I32_ADD, I32_SUB, I32_MUL, I32_AND, I32_SHL, I32_SHR_U = 0x6A, 0x6B, 0x6C, 0x71, 0x74, 0x76
F64_ADD, F64_MUL = 0xA0, 0xA2
SIMD = 0xFD
V128_LOAD, V128_LOAD64_SPLAT, V128_STORE = 0x00, 0x0A, 0x0B
F64X2_SPLAT, F64X2_EXTRACT_LANE = 0x14, 0x21
F64X2_ADD, F64X2_MUL, F64X2_PMIN, F64X2_PMAX = 0xF0, 0xF2, 0xF6, 0xF7
EMPTY_BLOCK = 0x40


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        done = (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40)
        out.append(byte | (0 if done else 0x80))
        if done:
            return bytes(out)


def _vector(items: list[bytes]) -> bytes:
    return _uleb(len(items)) + b"".join(items)


def _section(section_id: int, content: bytes) -> bytes:
    return bytes([section_id]) + _uleb(len(content)) + content


class _Code:
    """Instructions of one function body, appended by name."""

    def __init__(self) -> None:
        self.bytes = bytearray()

    def op(self, *codes: int) -> _Code:
        self.bytes.extend(codes)
        return self

    def simd(self, code: int, *immediates: bytes) -> _Code:
        self.bytes.append(SIMD)
        self.bytes.extend(_uleb(code))
        for immediate in immediates:
            self.bytes.extend(immediate)
        return self

    def get(self, local: int) -> _Code:
        return self.op(LOCAL_GET, *_uleb(local))

    def set(self, local: int) -> _Code:
        return self.op(LOCAL_SET, *_uleb(local))

    def i32(self, value: int) -> _Code:
        return self.op(I32_CONST, *_sleb(value))

    def f64(self, value: float) -> _Code:
        return self.op(F64_CONST, *struct.pack("<d", value))

    @staticmethod
    def memarg(offset: int, align: int) -> bytes:
        return _uleb(align) + _uleb(offset)

    def add_to(self, local: int, amount: int) -> _Code:
        return self.get(local).i32(amount).op(I32_ADD).set(local)


def _correlate(size: int) -> tuple[list[int], bytes]:
    """The locals and body of ``correlate{size}`` (see the module docstring)."""
    padded, width, height, taps_at, out, extremes = range(6)  # the parameters
    count = size * size
    # i32 locals: y, pairs left in the row, the row stride in bytes, one pointer per kernel row.
    y, pairs, stride = 6, 7, 8
    rows = list(range(9, 9 + size))
    # v128 locals: the taps (each weight in both lanes), the sum, the lowest and highest so far.
    first_v128 = 9 + size
    taps = list(range(first_v128, first_v128 + count))
    total, low, high = first_v128 + count, first_v128 + count + 1, first_v128 + count + 2
    # f64 locals: the sum of a last odd column, its lowest and highest.
    first_f64 = high + 1
    single, single_low, single_high = first_f64, first_f64 + 1, first_f64 + 2
    locals_ = [(3 + size, I32), (count + 3, V128), (3, F64)]

    c = _Code()
    c.get(width).i32(size - 1).op(I32_ADD).i32(3).op(I32_SHL).set(stride)  # (width + K - 1) * 8 bytes
    for i, local in enumerate(taps):
        c.get(taps_at).simd(V128_LOAD64_SPLAT, c.memarg(8 * i, 3)).set(local)
    c.f64(float("inf")).simd(F64X2_SPLAT).set(low).f64(float("-inf")).simd(F64X2_SPLAT).set(high)
    c.f64(float("inf")).set(single_low).f64(float("-inf")).set(single_high)
    c.i32(0).set(y)
    c.op(BLOCK, EMPTY_BLOCK, LOOP, EMPTY_BLOCK)  # for each row y
    c.get(y).get(height).op(I32_GE_U, BR_IF, 1)
    c.get(padded).get(y).get(stride).op(I32_MUL, I32_ADD).set(rows[0])
    for previous, row in pairwise(rows):
        c.get(previous).get(stride).op(I32_ADD).set(row)
    c.get(width).i32(1).op(I32_SHR_U).set(pairs)
    c.op(BLOCK, EMPTY_BLOCK, LOOP, EMPTY_BLOCK)  # for each pair of columns
    c.get(pairs).op(I32_EQZ, BR_IF, 1)
    c.f64(0.0).simd(F64X2_SPLAT)  # sum = 0, then sum + weight x pixel, tap by tap in row-major order
    for a, row in enumerate(rows):
        for b in range(size):
            c.get(taps[a * size + b]).get(row).simd(V128_LOAD, c.memarg(8 * b, 3)).simd(F64X2_MUL).simd(F64X2_ADD)
    c.set(total)
    c.get(out).get(total).simd(V128_STORE, c.memarg(0, 3))
    c.get(low).get(total).simd(F64X2_PMIN).set(low)  # pmin(low, sum): sum < low ? sum : low, as JavaScript's `<`
    c.get(high).get(total).simd(F64X2_PMAX).set(high)  # pmax(high, sum): high < sum ? sum : high
    for row in rows:
        c.add_to(row, 16)
    c.add_to(out, 16)
    c.get(pairs).i32(1).op(I32_SUB).set(pairs)
    c.op(BR, 0, END, END)
    c.get(width).i32(1).op(I32_AND, IF, EMPTY_BLOCK)  # an odd width: its last column, one pixel
    c.f64(0.0)
    for a, row in enumerate(rows):
        for b in range(size):
            c.get(taps[a * size + b]).simd(F64X2_EXTRACT_LANE, bytes([0]))
            c.get(row).op(F64_LOAD, *c.memarg(8 * b, 3)).op(F64_MUL, F64_ADD)
    c.set(single)
    c.get(out).get(single).op(F64_STORE, *c.memarg(0, 3))
    c.get(single).get(single_low).get(single).get(single_low).op(F64_LT, SELECT).set(single_low)
    c.get(single).get(single_high).get(single_high).get(single).op(F64_LT, SELECT).set(single_high)
    c.add_to(out, 8)
    c.op(END)
    c.add_to(y, 1)
    c.op(BR, 0, END, END)
    c.get(extremes).get(low).simd(V128_STORE, c.memarg(0, 3))
    c.get(extremes).get(high).simd(V128_STORE, c.memarg(16, 3))
    c.get(extremes).get(single_low).op(F64_STORE, *c.memarg(32, 3))
    c.get(extremes).get(single_high).op(F64_STORE, *c.memarg(40, 3))
    c.op(END)
    return locals_, bytes(c.bytes)


@cache
def correlate_module() -> bytes:
    """The WebAssembly module: one memory (``memory``, 1 page to start) and ``correlate3``, ``correlate5``.

    Returns
    -------
    bytes
        The module's binary (WebAssembly 1.0 with fixed-width SIMD), the same every time.

    Examples
    --------
    >>> correlate_module()[:8]
    b'\\x00asm\\x01\\x00\\x00\\x00'
    """
    params = [I32] * 6
    function_type = bytes([0x60]) + _vector([bytes([t]) for t in params]) + _vector([])
    names = ("correlate3", "correlate5")
    bodies = []
    for size in (3, 5):
        locals_, body = _correlate(size)
        declared = _vector([_uleb(n) + bytes([t]) for n, t in locals_]) + body
        bodies.append(_uleb(len(declared)) + declared)
    exports = [_uleb(6) + b"memory" + bytes([0x02]) + _uleb(0)]
    exports += [_uleb(len(name)) + name.encode() + bytes([0x00]) + _uleb(i) for i, name in enumerate(names)]
    return b"".join([
        b"\0asm", struct.pack("<I", 1),
        _section(1, _vector([function_type])),
        _section(3, _vector([_uleb(0), _uleb(0)])),
        _section(5, _vector([bytes([0x00]) + _uleb(1)])),
        _section(7, _vector(exports)),
        _section(10, _vector(bodies)),
    ])  # fmt: skip


def wasm_constant() -> str:
    """The JavaScript line that gives the editor's module the WebAssembly bytes.

    Returns
    -------
    str
        ``const CORRELATE_WASM = "<the module in base64>";`` and a newline.

    Examples
    --------
    >>> wasm_constant().startswith('const CORRELATE_WASM = "AGFzbQEAAAA')
    True
    """
    return f'const CORRELATE_WASM = "{base64.b64encode(correlate_module()).decode("ascii")}";\n'

// The kernel editor's live view: filters the photograph in the browser, as convlib does in Python.
//
// The arithmetic follows convlib step by step, so the picture equals `KernelEditor.output_uint8`
// pixel for pixel (tests/browser/test_live_parity.py checks it on many cases):
//   weights -> kernel (divided by their sum when normalising) -> flipped for convolution ->
//   the image padded by K // 2 with numpy.pad's boundary rule -> one multiply-add per tap and pixel,
//   taps in row-major order (convlib.engines.shift_add.correlate2d_valid_readable) ->
//   gray levels as convlib.images.scale_to_uint8 (clip, rescale, abs; "auto" is abs for a kernel
//   summing to 0, else clip), rounded half to even as numpy.rint.
// The 3x3 and 5x5 filters run as WebAssembly (two pixels at a time, the same additions; written by
// convlib/book/widgets/kernel_editor/wasm.py), with JavaScript loops for other sizes and other browsers.
// The module works under anywidget (JupyterLab, VS Code) and under the static shim of an HTML export.

export const SIZES = [3, 5];
export const ENGINES = ["auto", "wasm", "js"];  // the filter's code: see filterImage
const MIN_BOX = 16;  // the hovered window's outline is at least this many screen pixels wide
// A drag follows "pointerrawupdate" where the browser has it (Chromium): it comes as the pointer moves, so
// the new picture is computed before the next frame starts, where "pointermove" waits for that frame and
// delays its paint by the computing time. Elsewhere, "pointermove".
const MOVE_EVENT = typeof window !== "undefined" && "onpointerrawupdate" in window ? "pointerrawupdate" : "pointermove";

// --- the arithmetic ------------------------------------------------------------------------------------------

// borderIndex(i, n, boundary), numpy.pad's rule, is in _shared.js (put before this module by module_source).
export { borderIndex };

/** The kernel applied: weights (row-major, size x size), divided by their sum when normalising. */
export function effectiveKernel(weights, normalise) {
  let total = 0;
  for (const w of weights) total += w;
  const kernel = Float64Array.from(weights, (w) => (normalise && total !== 0 ? w / total : w));
  return { kernel, total };
}

// The padded image (pixels / 255, padded with the boundary rule) is kept per picture, border and
// size: a drag changes only the kernel.
const paddedImages = new WeakMap();

/** pixels / 255 in float64, padded by `before` rows and columns in front and `after` behind, as numpy.pad pads. */
export function paddedImage(pixels, width, height, before, after, boundary) {
  let cache = paddedImages.get(pixels.buffer);
  if (!cache) paddedImages.set(pixels.buffer, (cache = new Map()));
  const key = `${pixels.byteOffset}:${width}x${height}:${before}:${after}:${boundary}`;
  let padded = cache.get(key);
  if (padded) return padded;
  const paddedWidth = width + before + after, paddedHeight = height + before + after;
  padded = new Float64Array(paddedWidth * paddedHeight);
  for (let y = 0; y < paddedHeight; y++) {
    const row = borderIndex(y - before, height, boundary);
    if (row < 0) continue;  // a row of the constant border: zeros
    for (let x = 0; x < paddedWidth; x++) {
      const column = borderIndex(x - before, width, boundary);
      if (column >= 0) padded[y * paddedWidth + x] = pixels[row * width + column] / 255;
    }
  }
  cache.set(key, padded);
  return padded;
}

/** "same"-mode correlation (or convolution) of 8-bit pixels / 255 with a square kernel, in float64.
 *
 * The padding is convlib.sizes.mode_padding's: K // 2 before, (K - 1) // 2 after (an even kernel has
 * the extra sample before). For each pixel, sum += weight x pixel over the taps in row-major order,
 * starting from 0: the very additions of convlib's readable shift-and-add (one whole-picture
 * multiply-add per tap), so the results are equal to the last bit. `out` (width x height float64),
 * if given, is filled and returned instead of a new array (the view reuses one per picture size);
 * `range`, if given, receives the lowest and highest result as range.low and range.high (found on the way),
 * and the code that ran as range.engine ("wasm" or "js").
 * `engine`: "auto" (WebAssembly for 3x3 and 5x5 where the browser has it, else JavaScript), "wasm" (the
 * same, but an error where the browser has no WebAssembly SIMD) or "js" (JavaScript for every size).
 */
export function filterImage(pixels, width, height, kernel, size, operation, boundary, out = null, range = null,
  engine = "auto") {
  let taps = operation === "convolve2d" ? Float64Array.from(kernel).reverse() : kernel;  // the flip
  if (!out || out.length !== width * height) out = new Float64Array(width * height);
  range = range || {};
  let before = Math.floor(size / 2), after = Math.floor((size - 1) / 2);
  if (size === 5 && ringIsZero(taps)) {
    // A 5x5 kernel whose outer ring is 0 (a 3x3 preset in the 5x5 grid) is its middle 3x3: the ring's
    // products are all ±0, and adding ±0 leaves the sum as it is (it starts at +0 and never becomes -0), so
    // the 3x3 additions in the same order give the same bits, at the cost of 9 taps instead of 25. The
    // middle taps read padded pixels y - 1 .. y + 1, x - 1 .. x + 1 either way: a padding of 1 serves.
    taps = Float64Array.of(taps[6], taps[7], taps[8], taps[11], taps[12], taps[13], taps[16], taps[17], taps[18]);
    size = 3;
    before = after = 1;
  }
  const padded = paddedImage(pixels, width, height, before, after, boundary);
  if (!ENGINES.includes(engine)) throw new Error(`filterImage: engine must be one of ${ENGINES.join(", ")}; got ${engine}`);
  const wasmSize = engine !== "js" && (size === 3 || size === 5);
  const wasm = wasmSize ? wasmFilters() : null;
  if (wasmSize && engine === "wasm" && !wasm) throw new Error("filterImage: no WebAssembly SIMD in this browser");
  range.engine = "wasm";
  if (wasm && correlateWasm(wasm, padded, width, height, taps, size, out, range)) return out;
  range.engine = "js";
  if (size === 3) return correlate3(padded, width, height, taps, out, range);
  if (size === 5) return correlate5(padded, width, height, taps, out, range);
  const paddedWidth = width + size - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let a = 0; a < size; a++) {
        const row = (y + a) * paddedWidth + x;
        for (let b = 0; b < size; b++) sum += taps[a * size + b] * padded[row + b];
      }
      out[y * width + x] = sum;
    }
  }
  [range.low, range.high] = extremes(out);
  return out;
}

// --- the 3x3 and 5x5 filters in WebAssembly ---------------------------------------------------------------------
// CORRELATE_WASM (base64) is put before this module by module_source: convlib/book/widgets/kernel_editor/wasm.py
// writes it, and says what its functions take. They add in the same order as the loops below, two pixels at a time.

let wasmEngine;  // undefined: not tried yet; null: no WebAssembly SIMD here; else {exports, resident}

/** The WebAssembly filters, made on first use, or null where the browser cannot run them. */
export function wasmFilters() {
  if (wasmEngine !== undefined) return wasmEngine;
  wasmEngine = null;
  try {
    const bytes = Uint8Array.from(atob(CORRELATE_WASM), (c) => c.charCodeAt(0));
    if (typeof WebAssembly === "object" && WebAssembly.validate(bytes)) {
      wasmEngine = { exports: new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports, resident: null };
    }
  } catch (error) {
    // A browser without WebAssembly, or a page that forbids compiling it: the JavaScript loops serve.
  }
  return wasmEngine;
}

// The module's memory: the taps at 0, the lowest and highest sums at 256, the padded image at 1024, the output after it.
const TAPS_AT = 0, EXTREMES_AT = 256, PADDED_AT = 1024;

/** Filters `padded` in WebAssembly into `out`, the lowest and highest into `range`; false if memory runs out. */
function correlateWasm(wasm, padded, width, height, taps, size, out, range) {
  const { memory, correlate3: filter3, correlate5: filter5 } = wasm.exports;
  const outAt = PADDED_AT + padded.byteLength;
  const needed = outAt + out.byteLength;
  if (memory.buffer.byteLength < needed) {
    try {
      memory.grow(Math.ceil((needed - memory.buffer.byteLength) / 65536));  // 64 KiB pages
    } catch (error) {
      return false;  // a picture too large for the module's memory: the JavaScript loops serve
    }
  }
  if (wasm.resident !== padded) {  // a drag changes only the taps: the padded image is copied in once
    new Float64Array(memory.buffer, PADDED_AT, padded.length).set(padded);
    wasm.resident = padded;
  }
  new Float64Array(memory.buffer, TAPS_AT, taps.length).set(taps);
  (size === 3 ? filter3 : filter5)(PADDED_AT, width, height, TAPS_AT, outAt, EXTREMES_AT);
  out.set(new Float64Array(memory.buffer, outAt, out.length));
  // Lowest and highest: of the even columns, the odd columns, and the last column of an odd width.
  const found = new Float64Array(memory.buffer, EXTREMES_AT, 6);
  let low = found[0], high = found[2];
  if (found[1] < low) low = found[1];
  if (found[4] < low) low = found[4];
  if (found[3] > high) high = found[3];
  if (found[5] > high) high = found[5];
  range.low = low;
  range.high = high;
  return true;
}

/** Whether the 16 outer taps of a 5x5 kernel (row-major) are all 0. */
function ringIsZero(taps) {
  for (let i = 0; i < 25; i++) {
    const row = Math.floor(i / 5), column = i % 5;
    if ((row === 0 || row === 4 || column === 0 || column === 4) && taps[i] !== 0) return false;
  }
  return true;
}

/** 3x3 taps written out: the same additions in the same order as the loop, several times faster.
 *
 * The window slides along a row: each step reads only its new column (3 values), the others move over.
 */
function correlate3(padded, width, height, taps, out, range) {
  const [k0, k1, k2, k3, k4, k5, k6, k7, k8] = taps;
  const paddedWidth = width + 2;
  let low = Infinity, high = -Infinity;
  for (let y = 0; y < height; y++) {
    let r0 = y * paddedWidth, r1 = r0 + paddedWidth, r2 = r1 + paddedWidth;
    let a0 = padded[r0], a1 = padded[r0 + 1], b0 = padded[r1], b1 = padded[r1 + 1], c0 = padded[r2], c1 = padded[r2 + 1];
    r0 += 2; r1 += 2; r2 += 2;
    for (let o = y * width, end = o + width; o < end; o++, r0++, r1++, r2++) {
      const a2 = padded[r0], b2 = padded[r1], c2 = padded[r2];
      let sum = 0;
      sum += k0 * a0; sum += k1 * a1; sum += k2 * a2;
      sum += k3 * b0; sum += k4 * b1; sum += k5 * b2;
      sum += k6 * c0; sum += k7 * c1; sum += k8 * c2;
      out[o] = sum;
      if (sum < low) low = sum;
      if (sum > high) high = sum;
      a0 = a1; a1 = a2; b0 = b1; b1 = b2; c0 = c1; c1 = c2;
    }
  }
  range.low = low;
  range.high = high;
  return out;
}

/** 5x5 taps written out: the same additions in the same order as the loop, several times faster.
 *
 * The window slides along a row: each step reads only its new column (5 values), the others move over.
 */
function correlate5(padded, width, height, taps, out, range) {
  const [k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, k12, k13, k14, k15, k16, k17, k18, k19, k20, k21, k22, k23, k24] = taps;
  const paddedWidth = width + 4;
  let low = Infinity, high = -Infinity;
  for (let y = 0; y < height; y++) {
    let r0 = y * paddedWidth, r1 = r0 + paddedWidth, r2 = r1 + paddedWidth, r3 = r2 + paddedWidth, r4 = r3 + paddedWidth;
    let a0 = padded[r0], a1 = padded[r0 + 1], a2 = padded[r0 + 2], a3 = padded[r0 + 3];
    let b0 = padded[r1], b1 = padded[r1 + 1], b2 = padded[r1 + 2], b3 = padded[r1 + 3];
    let c0 = padded[r2], c1 = padded[r2 + 1], c2 = padded[r2 + 2], c3 = padded[r2 + 3];
    let d0 = padded[r3], d1 = padded[r3 + 1], d2 = padded[r3 + 2], d3 = padded[r3 + 3];
    let e0 = padded[r4], e1 = padded[r4 + 1], e2 = padded[r4 + 2], e3 = padded[r4 + 3];
    r0 += 4; r1 += 4; r2 += 4; r3 += 4; r4 += 4;
    for (let o = y * width, end = o + width; o < end; o++, r0++, r1++, r2++, r3++, r4++) {
      const a4 = padded[r0], b4 = padded[r1], c4 = padded[r2], d4 = padded[r3], e4 = padded[r4];
      let sum = 0;
      sum += k0 * a0; sum += k1 * a1; sum += k2 * a2; sum += k3 * a3; sum += k4 * a4;
      sum += k5 * b0; sum += k6 * b1; sum += k7 * b2; sum += k8 * b3; sum += k9 * b4;
      sum += k10 * c0; sum += k11 * c1; sum += k12 * c2; sum += k13 * c3; sum += k14 * c4;
      sum += k15 * d0; sum += k16 * d1; sum += k17 * d2; sum += k18 * d3; sum += k19 * d4;
      sum += k20 * e0; sum += k21 * e1; sum += k22 * e2; sum += k23 * e3; sum += k24 * e4;
      out[o] = sum;
      if (sum < low) low = sum;
      if (sum > high) high = sum;
      a0 = a1; a1 = a2; a2 = a3; a3 = a4; b0 = b1; b1 = b2; b2 = b3; b3 = b4; c0 = c1; c1 = c2; c2 = c3; c3 = c4;
      d0 = d1; d1 = d2; d2 = d3; d3 = d4; e0 = e1; e1 = e2; e2 = e3; e3 = e4;
    }
  }
  range.low = low;
  range.high = high;
  return out;
}

/** The scaling in effect: "auto" is "abs" for a kernel summing to 0, else "clip". */
export function scalingInEffect(scaling, total) {
  if (scaling !== "auto") return scaling;
  return total === 0 ? "abs" : "clip";
}

/** The lowest and highest of `values` (in order, with < and >): [low, high]. */
function extremes(values) {
  let low = Infinity, high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}

/** Gray levels 0..255 of finite values, as convlib.images.scale_to_uint8. Returns {pixels, low, high}.
 *
 * Each value goes to unit = its place in 0..1 by the scaling's formula (the same operations as numpy's),
 * then to rint(unit * 255), rounding half to even. Options: `pixels` (a Uint8ClampedArray of values.length)
 * to fill instead of a new array; `words` (a Uint32Array over an ImageData's RGBA) to get the gray levels
 * as opaque pixels instead (then no pixels array: pixels is null); `range` ({low, high} of the values, as
 * filterImage finds them) so that they need not be looked for again.
 */
export function toUint8(values, scaling, { pixels = null, words = null, range = null } = {}) {
  const n = values.length;
  const out = words ? null : pixels && pixels.length === n ? pixels : new Uint8ClampedArray(n);
  const [low, high] = range ? [range.low, range.high] : extremes(values);  // clip too: it decides how to round
  let shift = 0, divisor = 1, mode = scaling;
  if (scaling === "rescale") {
    divisor = high - low;
    shift = low;
    if (high === low) mode = "zeros";  // no range: all zeros
    else if (!Number.isFinite(divisor)) mode = "rescale halved";  // the range overflows: halve everything first
  } else if (scaling === "abs") {
    divisor = Math.max(Math.abs(low), Math.abs(high));
    if (divisor === 0) mode = "zeros";  // all zeros stay zeros
  }
  if (mode === "zeros") {
    if (words) words.fill(0xff000000, 0, n);
    else out.fill(0);
  } else if (words) {
    grayLevels(values, mode, shift, divisor, low, high, words, 0x010101, 0xff000000);
  } else {
    grayLevels(values, mode, shift, divisor, low, high, out, 1, 0);
  }
  return { pixels: out, low, high };
}

// (x + ROUND) - ROUND is x rounded to a whole number, half to even as numpy.rint, for |x| < 2**51: the sum
// lands where float64 steps are exactly 1 apart, so the addition itself rounds (the default IEEE rounding,
// half to even; ROUND is even, so the parity is x's). No branch: a photograph's gray levels round half up
// or down at random, which a branch mispredicts about every other pixel (3 ms of 4 at 512x512).
const ROUND = 1.5 * 2 ** 52;

/** rint(unit * 255), half to even, as numpy.rint (unit in 0..1, so 0..255). */
function gray(unit) {
  return (unit * 255 + ROUND) - ROUND;
}

// Below this size, rint(v * 255) is a 32-bit integer: clipping can wait until after the rounding.
const WHOLE_LIMIT = 2 ** 31 / 255 - 1;

/** toUint8's loops: one per scaling, each doing numpy's operations in numpy's order; then `gray`.
 *
 * Into `target`: gray x times | plus (1 and 0 for gray levels, 0x010101 and 0xff000000 for opaque RGBA
 * words, little-endian: A B G R).
 */
function grayLevels(values, mode, shift, divisor, low, high, target, times, plus) {
  const n = values.length;
  if (mode === "clip" && low > -WHOLE_LIMIT && high < WHOLE_LIMIT) {
    // rint(clip(v, 0, 1) x 255) = rint(v x 255) clipped to 0..255 (equal in 0..1; above, both 255; below, both 0),
    // and an integer clips without a branch: r & ~(r >> 31) is 0 for r < 0; r | ((255 - r) >> 31) is -1 above 255.
    for (let i = 0; i < n; i++) {
      let r = gray(values[i]) | 0;
      r &= ~(r >> 31);
      r = (r | ((255 - r) >> 31)) & 255;
      target[i] = plus | (r * times);
    }
  } else if (mode === "clip") {  // values too large to round as integers first (rare): clip first
    for (let i = 0; i < n; i++) {
      const v = values[i];
      target[i] = plus | (gray(v < 0 ? 0 : v > 1 ? 1 : v) * times);
    }
  } else if (mode === "rescale") {
    for (let i = 0; i < n; i++) target[i] = plus | (gray((values[i] - shift) / divisor) * times);
  } else if (mode === "abs") {
    for (let i = 0; i < n; i++) target[i] = plus | (gray(Math.abs(values[i]) / divisor) * times);
  } else {
    const halfSpan = high / 2 - low / 2;
    for (let i = 0; i < n; i++) target[i] = plus | (gray((values[i] / 2 - low / 2) / halfSpan) * times);
  }
}

/** Everything the picture needs, from the model's state: {output, pixels, kernel, total, scaling, low, high, engine}.
 *
 * `reuse` ({output, words}, both optional): output, a float64 array to fill instead of a new one (see
 * filterImage); words, the output picture's ImageData as words, to get the gray levels (then pixels is
 * null: the gray level of pixel i is words[i] & 0xff). The view passes them, so a drag allocates nothing.
 * `engine` ("auto", "wasm" or "js"; "auto" if not given) chooses the filter's code (see filterImage); the
 * result's engine says which ran.
 */
export function compute(state, reuse = {}) {
  const { kernel, total } = effectiveKernel(state.weights, state.normalise);
  const image = state.image;
  const range = {};
  const output = filterImage(image.pixels, image.width, image.height, kernel, state.size,
    state.operation, state.boundary, reuse.output, range, reuse.engine);
  const scaling = scalingInEffect(state.scaling, total);
  const { pixels, low, high } = toUint8(output, scaling, { words: reuse.words, range });
  return { output, pixels, kernel, total, scaling, low, high, engine: range.engine };
}

// --- the view ------------------------------------------------------------------------------------------------

const STYLE = `
.convlib-ke { font: 14px/1.35 system-ui, sans-serif; color: #1b1b1b; display: flex; gap: 16px;
  align-items: flex-start; }
.convlib-ke .pictures { display: flex; flex-direction: column; gap: 6px; min-width: 0; }
.convlib-ke .pair { display: flex; gap: 12px; align-items: flex-end; }
.convlib-ke figure { margin: 0; padding: 0; position: relative; }
.convlib-ke figcaption { font-weight: 600; margin-bottom: 4px; }
.convlib-ke canvas.picture { image-rendering: pixelated; border: 1px solid #777; display: block; }
.convlib-ke .window { position: absolute; border: 3px solid #d55e00; box-shadow: 0 0 0 2px #fff, inset 0 0 0 1px #fff;
  pointer-events: none; display: none; box-sizing: border-box; }
.convlib-ke .panel { display: flex; flex-direction: column; gap: 5px; width: 236px; flex: none; }
.convlib-ke label { display: flex; justify-content: space-between; gap: 8px; align-items: center; }
.convlib-ke select, .convlib-ke button { font: inherit; padding: 1px 4px; }
.convlib-ke select:focus, .convlib-ke input[type=checkbox]:focus { outline: 3px solid #0072b2; outline-offset: 1px; }
.convlib-ke .grid { display: grid; gap: 3px; margin-bottom: 4px; }
.convlib-ke .cell { width: 44px; height: 34px; text-align: center; font: 600 15px/1 ui-monospace, monospace;
  border: 1px solid #555; border-radius: 3px; cursor: ns-resize; box-sizing: border-box; }
.convlib-ke .cell:focus { outline: 3px solid #0072b2; outline-offset: 1px; }
.convlib-ke .readout { font-size: 13px; }
.convlib-ke .readout code { font-size: 12px; }
.convlib-ke .hover { font: 12px/1.3 ui-monospace, monospace; white-space: pre; min-height: 6.5em; }
`;


/** Background and text colour of a kernel cell: red for positive, blue for negative, near-white for 0,
 * scaled by the largest |weight| shown, as in the still picture. */
function cellColour(w, limit) {
  return [signedColour(w, Math.max(limit, 1e-9)), "#111"];
}

function format(w) {
  return Number.isInteger(w) ? String(w) : String(+w.toFixed(3));
}

function imageOf(model) {
  const images = model.get("images");
  const name = model.get("image_name");
  const entry = images[name];
  const buffer = entry.pixels;
  const pixels = buffer instanceof DataView
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer);
  return { name, width: entry.width, height: entry.height, pixels };
}

function stateOf(model) {
  return {
    weights: model.get("weights"), size: model.get("size"), normalise: model.get("normalise"),
    operation: model.get("operation"), boundary: model.get("boundary"), scaling: model.get("scaling"),
    image: imageOf(model),
  };
}


function render({ model, el }) {
  const root = element("div", { class: "convlib-ke", role: "group", "aria-label": "Kernel editor" }, el);
  element("style", { text: STYLE }, root);
  // Changes made here are set together, then drawn once (modelChanges); the model's change events
  // redraw only for changes that come from elsewhere (Python, or the shim's state).
  const { commit, fromElsewhere } = modelChanges(paintFirst(model), (changes) => {
    if ("size" in changes) buildGrid();
    draw();
  });
  const displaySize = model.get("display_size");
  const step = model.get("step");
  const limit = model.get("limit");

  // Left: the two pictures side by side, the readout and the hovered window below them. Right: the kernel
  // and the controls. The pictures take the width there is (up to display_size each), so the whole editor
  // fits a 1280x720 screen with JupyterLab's sidebar open, and grows when it is closed.
  const pictures = element("div", { class: "pictures" }, root);
  const pair = element("div", { class: "pair" }, pictures);
  const inputFigure = element("figure", {}, pair);
  const inputCaption = element("figcaption", {}, inputFigure);
  const inputCanvas = element("canvas", { class: "picture", role: "img" }, inputFigure);
  const windowBox = element("div", { class: "window" }, inputFigure);
  const outputFigure = element("figure", {}, pair);
  const outputCaption = element("figcaption", {}, outputFigure);
  const outputCanvas = element("canvas", { class: "picture", role: "img", "data-role": "output" }, outputFigure);
  const outputBox = element("div", { class: "window", "data-role": "output-window" }, outputFigure);

  const panel = element("div", { class: "panel" }, root);
  const grid = element("div", { class: "grid", role: "group", "aria-label": "kernel weights" }, panel);
  const presets = model.get("presets");
  const presetBox = select(panel, "preset", [["custom", "custom"], ...Object.keys(presets).map((p) => [p, p])],
    { value: model.get("preset"), onChange: (value) => { if (value !== "custom") loadPreset(value); } });
  const sizeBox = select(panel, "size", SIZES.map((s) => [s, `${s} x ${s}`]),
    { value: model.get("size"), onChange: (value) => setSize(Number(value)) });
  const normaliseLabel = element("label", {}, panel);
  element("span", { text: "divide by the sum" }, normaliseLabel);
  const normaliseBox = element("input", { type: "checkbox", "aria-label": "divide the weights by their sum" },
    normaliseLabel);
  keepKeys(normaliseBox);
  normaliseBox.addEventListener("change", () => commit({ normalise: normaliseBox.checked }));
  const operationBox = select(panel, "operation", [["correlate2d", "correlate (CNN)"], ["convolve2d", "convolve (flip)"]],
    { value: model.get("operation"), onChange: (value) => commit({ operation: value }) });
  const boundaryBox = select(panel, "border", model.get("boundaries").map((b) => [b, b]),
    { value: model.get("boundary"), onChange: (value) => commit({ boundary: value }) });
  const scalingBox = select(panel, "gray levels", [["auto", "auto"], ["clip", "clip to 0..1"],
    ["rescale", "rescale min..max"], ["abs", "|value| / max"]],
    { value: model.get("scaling"), onChange: (value) => commit({ scaling: value }) });
  const imageNames = Object.keys(model.get("images"));
  const imageBox = select(panel, "image", imageNames.map((n) => [n, n]),
    { value: model.get("image_name"), onChange: (value) => commit({ image_name: value }) });
  if (imageNames.length < 2) imageBox.parentElement.style.display = "none";
  const readout = element("div", { class: "readout", "aria-live": "polite" }, pictures);
  const hover = element("div", { class: "hover", "aria-live": "off" }, pictures);
  hover.textContent = "Hover over a picture to see the window under a pixel and the sum it gives.";

  let pictureSize = displaySize;
  function fitPictures() {
    const available = root.clientWidth - panel.offsetWidth - 16 - 12 - 4;  // the gaps and borders
    const size = Math.max(200, Math.min(displaySize, Math.floor(available / 2)));
    if (size === pictureSize && inputCanvas.style.width) return;
    pictureSize = size;
    for (const canvas of [inputCanvas, outputCanvas]) {
      if (!canvas.width) continue;
      const scale = size / Math.max(canvas.width, canvas.height);
      canvas.style.width = `${Math.round(canvas.width * scale)}px`;
      canvas.style.height = `${Math.round(canvas.height * scale)}px`;
    }
    readout.style.maxWidth = hover.style.maxWidth = `${2 * size + 12}px`;
    inputCaption.style.maxWidth = outputCaption.style.maxWidth = `${size}px`;  // a long caption wraps
  }
  if (typeof ResizeObserver !== "undefined") new ResizeObserver(() => fitPictures()).observe(root);

  let cells = [];
  let latest = null;
  let inputDrawn = null;
  let inputAt = null;  // when the input behind the next picture happened (event.timeStamp), for the latency record

  function setWeights(weights, extra = {}) {
    commit({ weights, preset: "custom", ...extra });
  }

  function snap(value) {
    const snapped = Math.round(value / step) * step;
    return Math.min(limit, Math.max(-limit, snapped)) + 0;  // + 0 turns -0 into 0
  }

  function loadPreset(name) {
    const entry = presets[name];
    const size = Math.max(model.get("size"), entry.size);
    const weights = embed(entry.weights, entry.size, size);
    commit({ size, weights, normalise: entry.normalise, preset: name });
  }

  function embed(weights, from, to) {
    const out = new Array(to * to).fill(0);
    const offset = (to - from) / 2;
    for (let r = 0; r < from; r++) for (let c = 0; c < from; c++) out[(r + offset) * to + c + offset] = weights[r * from + c];
    return out;
  }

  function setSize(size) {
    const old = model.get("size");
    if (size === old) return;
    let weights = model.get("weights");
    if (size > old) weights = embed(weights, old, size);
    else {
      const offset = (old - size) / 2;
      weights = [];
      for (let r = 0; r < size; r++) for (let c = 0; c < size; c++) weights.push(model.get("weights")[(r + offset) * old + c + offset]);
    }
    commit({ size, weights, preset: model.get("preset") === "custom" || size < old ? "custom" : model.get("preset") });
  }

  function buildGrid() {
    grid.textContent = "";
    const size = model.get("size");
    grid.style.gridTemplateColumns = `repeat(${size}, 44px)`;
    cells = [];
    for (let i = 0; i < size * size; i++) {
      const cell = element("input", {
        class: "cell", inputmode: "decimal", "data-index": String(i),
        "aria-label": `weight row ${Math.floor(i / size) + 1} column ${(i % size) + 1}`,
      }, grid);
      keepKeys(cell, (event) => {
        inputAt = event.timeStamp;
        const big = event.shiftKey ? 1 : step;
        const change = { ArrowUp: big, ArrowDown: -big }[event.key];
        if (change !== undefined) {
          event.preventDefault();
          setWeight(i, model.get("weights")[i] + change);
        } else if (event.key === "Enter") {
          event.preventDefault();
          typed(cell, i);
        } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
          if (cell.selectionStart === (event.key === "ArrowLeft" ? 0 : cell.value.length)) {
            const next = cells[i + (event.key === "ArrowLeft" ? -1 : 1)];
            if (next) { event.preventDefault(); next.focus(); next.select(); }
          }
        }
      });
      cell.addEventListener("change", () => typed(cell, i));
      cell.addEventListener("pointerdown", (event) => {
        const startY = event.clientY;
        const startValue = model.get("weights")[i];
        let moved = false;
        // At most one picture between two frames: a step reached after it waits for the next frame
        // (pointerrawupdate is not paced by frames, and a fast mouse sends hundreds a second).
        let shownSteps = 0, waiting = null, drawnBeforeFrame = false;
        const show = (steps, timeStamp) => {
          inputAt = timeStamp;
          moved = true;
          shownSteps = steps;
          drawnBeforeFrame = true;
          requestAnimationFrame(() => {
            drawnBeforeFrame = false;
            if (waiting) { const { steps: next, timeStamp: at } = waiting; waiting = null; show(next, at); }
          });
          setWeight(i, startValue + steps * step);
        };
        const onMove = (moveEvent) => {
          const steps = Math.round((startY - moveEvent.clientY) / 6);
          if (steps === (waiting ? waiting.steps : shownSteps)) return;  // within the same step: nothing to draw
          if (drawnBeforeFrame) waiting = { steps, timeStamp: moveEvent.timeStamp };
          else show(steps, moveEvent.timeStamp);
        };
        const onUp = () => {
          window.removeEventListener(MOVE_EVENT, onMove);
          window.removeEventListener("pointerup", onUp);
          if (!moved) { cell.focus(); cell.select(); }
        };
        window.addEventListener(MOVE_EVENT, onMove);
        window.addEventListener("pointerup", onUp);
        event.preventDefault();
      });
      cells.push(cell);
    }
    paintCells();
  }

  function typed(cell, i) {
    const value = Number.parseFloat(cell.value);
    if (Number.isFinite(value)) setWeight(i, value);
    else repaintCell(i);
  }

  function repaintCell(i) {
    cells[i].shownValue = undefined;  // show the weight again (a typed text that was not taken is replaced)
    paintCells();
  }

  function setWeight(i, value) {
    const weights = model.get("weights").slice();
    const snapped = snap(value);
    if (weights[i] === snapped) { repaintCell(i); return; }
    weights[i] = snapped;
    setWeights(weights);
  }

  // A cell's weight and colour as last shown (cell.shownValue, cell.shownColour): only what changes is set again.
  // The colours first, the numbers last: a focused input's new number lays the page out at once, so
  // everything else is written before it and laid out in that one go.
  function paintCells() {
    const weights = model.get("weights");
    let largest = 0;  // colours are scaled by the largest |weight|, as in the still picture
    for (const w of weights) largest = Math.max(largest, Math.abs(w));
    cells.forEach((cell, i) => {
      const [background, colour] = cellColour(weights[i], largest);
      if (cell.shownColour === background) return;
      cell.style.background = background;
      cell.style.color = colour;
      cell.shownColour = background;
    });
    cells.forEach((cell, i) => {
      if (cell.shownValue === weights[i]) return;  // unchanged: leave the cell (and a half-typed number) alone
      cell.value = format(weights[i]);
      cell.shownValue = weights[i];
    });
  }

  /** Sizes `canvas` for a width x height picture (only when it changes: resizing clears and reallocates). */
  function fit(canvas, width, height) {
    if (canvas.width === width && canvas.height === height && canvas.picture) return;
    canvas.width = width;
    canvas.height = height;
    const scale = pictureSize / Math.max(width, height);
    canvas.style.width = `${Math.round(width * scale)}px`;
    canvas.style.height = `${Math.round(height * scale)}px`;
    canvas.picture = new ImageData(width, height);
    canvas.words = new Uint32Array(canvas.picture.data.buffer);  // one RGBA pixel a word
    canvas.context = canvas.getContext("2d");
  }

  function paint(canvas, pixels, width, height) {
    fit(canvas, width, height);
    putGray(canvas, canvas.picture, pixels);
  }

  function describe(result, state) {
    const k = state.size;
    const sum = format(result.total);
    const lines = [`<b>sum of the weights:</b> ${sum}` + (state.normalise && result.total !== 0 ? ` (divided by ${sum}, so the kernel sums to 1)` : "")];
    if (result.scaling === "clip") lines.push("<b>gray levels:</b> output clipped to 0..1: below 0 is black, above 1 white.");
    else if (result.scaling === "rescale") lines.push(`<b>gray levels:</b> rescaled: black is the lowest output (${result.low.toFixed(3)}), white the highest (${result.high.toFixed(3)}).`);
    else {
      let peak = Math.max(Math.abs(result.low), Math.abs(result.high));
      lines.push(`<b>gray levels:</b> |output| / ${peak.toFixed(3)} (the largest |output|): white is a strong response of either sign, black none.`);
    }
    if (state.scaling === "auto") lines.push(`(auto: ${result.scaling === "abs" ? "the weights sum to 0, so edges of either sign show" : "the weights do not sum to 0"})`);
    lines.push(`<code>${state.operation}(image, kernel, mode="same", boundary="${state.boundary}")</code>, ${k}x${k}`);
    return lines.join("<br>");
  }

  // The output's values, reused from one picture to the next (a drag allocates nothing).
  let output = null;

  function draw() {
    const state = stateOf(model);
    const started = performance.now();
    const { width, height, pixels, name } = state.image;
    fit(outputCanvas, width, height);
    const result = compute(state, { output, words: outputCanvas.words });  // gray levels straight into the ImageData
    output = result.output;
    latest = { state, result };
    if (inputDrawn !== name) {
      paint(inputCanvas, pixels, width, height);
      inputDrawn = name;
      inputCanvas.setAttribute("aria-label", `the input photograph '${name}', ${width} x ${height} pixels`);
    }
    outputCanvas.context.putImageData(outputCanvas.picture, 0, 0);
    put(root, "data-engine", result.engine, true);  // the filter's code: "wasm" or "js"
    put(outputCanvas, "aria-label", `the ${state.operation === "convolve2d" ? "convolved" : "correlated"} output, shown as ${result.scaling}`, true);
    put(inputCaption, "textContent", `input: ${name}`);
    put(outputCaption, "textContent", state.operation === "convolve2d" ? "output: convolved (kernel flipped)" : "output: correlated (as a CNN)");
    put(readout, "innerHTML", describe(result, state));
    put(presetBox, "value", model.get("preset"));
    put(sizeBox, "value", String(state.size));
    put(normaliseBox, "checked", state.normalise);
    put(operationBox, "value", state.operation);
    put(boundaryBox, "value", state.boundary);
    put(scalingBox, "value", state.scaling);
    put(imageBox, "value", name);
    paintCells();  // last (see paintCells)
    recordDrawn(root, "kernel_editor", performance.now() - started, inputAt);  // the latency record (read by the tests)
    inputAt = null;
  }

  function showWindow(event) {
    if (!latest) return;
    const { state, result } = latest;
    const { width, height, pixels } = state.image;
    const canvas = event.currentTarget;
    const box = canvas.getBoundingClientRect();
    const x = Math.floor(((event.clientX - box.left) / box.width) * width);
    const y = Math.floor(((event.clientY - box.top) / box.height) * height);
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const k = state.size, half = (k - 1) / 2;
    const rows = [];
    for (let a = 0; a < k; a++) {
      const values = [];
      for (let b = 0; b < k; b++) {
        const row = borderIndex(y + a - half, height, state.boundary);
        const column = borderIndex(x + b - half, width, state.boundary);
        const v = row < 0 || column < 0 ? 0 : pixels[row * width + column] / 255;
        values.push(v.toFixed(2).padStart(5));
      }
      rows.push(values.join(" "));
    }
    // The window, outlined on both pictures at the same place: k pixels wide as shown, but never under
    // MIN_BOX screen pixels (a 3x3 window of a 512-px photograph shown at 300 px would be a dot).
    const scale = inputCanvas.getBoundingClientRect().width / width;
    const side = Math.max(k * scale + 6, MIN_BOX);
    // Every place is read before any box moves: a read after a write would lay the page out again.
    const places = [[windowBox, inputCanvas], [outputBox, outputCanvas]].map(([box, canvas]) =>
      [box, canvas.offsetLeft + canvas.clientLeft, canvas.offsetTop + canvas.clientTop]);  // inside its 1-px border
    for (const [box, left, top] of places) {
      Object.assign(box.style, {  // the canvas's place in its figure
        display: "block", left: `${left + (x + 0.5) * scale - side / 2}px`,
        top: `${top + (y + 0.5) * scale - side / 2}px`, width: `${side}px`, height: `${side}px`,
      });
    }
    const value = result.output[y * width + x];
    hover.textContent = `pixel (row ${y}, column ${x}): its ${k}x${k} window\n${rows.join("\n")}\n` +
      `sum of weight x pixel = ${value.toFixed(4)} -> gray ${outputCanvas.words[y * width + x] & 0xff}`;
  }
  for (const canvas of [inputCanvas, outputCanvas]) {
    canvas.addEventListener("pointermove", showWindow);
    canvas.addEventListener("pointerleave", () => { windowBox.style.display = outputBox.style.display = "none"; });
  }

  model.on("change:size", fromElsewhere(() => { buildGrid(); draw(); }));
  for (const key of ["weights", "normalise", "operation", "boundary", "scaling", "image_name", "preset"]) {
    model.on(`change:${key}`, fromElsewhere(draw));
  }
  buildGrid();
  draw();
  fitPictures();
  return () => {};
}

export default { render };

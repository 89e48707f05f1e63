// The kernel editor's live view: filters the photograph in the browser, as convlib does in Python.
//
// The arithmetic follows convlib step by step, so the picture equals `KernelEditor.output_uint8`
// pixel for pixel (tests/browser/test_live_parity.py checks it on many cases):
//   weights -> kernel (divided by their sum when normalising) -> flipped for convolution ->
//   the image padded by K // 2 with numpy.pad's boundary rule -> one multiply-add per tap and pixel,
//   taps in row-major order (convlib.engines.shift_add.correlate2d_valid_readable) ->
//   gray levels as convlib.images.scale_to_uint8 (clip, rescale, abs; "auto" is abs for a kernel
//   summing to 0, else clip), rounded half to even as numpy.rint.
// The module works under anywidget (JupyterLab, VS Code) and under the static shim of an HTML export.

export const SIZES = [3, 5];

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
 * multiply-add per tap), so the results are equal to the last bit.
 */
export function filterImage(pixels, width, height, kernel, size, operation, boundary) {
  const taps = operation === "convolve2d" ? Float64Array.from(kernel).reverse() : kernel;  // the flip
  const before = Math.floor(size / 2), after = Math.floor((size - 1) / 2);
  const padded = paddedImage(pixels, width, height, before, after, boundary);
  const out = new Float64Array(width * height);
  if (size === 3) return correlate3(padded, width, height, taps, out);
  if (size === 5) return correlate5(padded, width, height, taps, out);
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
  return out;
}

/** 3x3 taps written out: the same additions in the same order as the loop, several times faster. */
function correlate3(padded, width, height, taps, out) {
  const [k0, k1, k2, k3, k4, k5, k6, k7, k8] = taps;
  const paddedWidth = width + 2;
  for (let y = 0; y < height; y++) {
    let r0 = y * paddedWidth, r1 = r0 + paddedWidth, r2 = r1 + paddedWidth;
    for (let x = 0, o = y * width; x < width; x++, o++, r0++, r1++, r2++) {
      let sum = 0;
      sum += k0 * padded[r0]; sum += k1 * padded[r0 + 1]; sum += k2 * padded[r0 + 2];
      sum += k3 * padded[r1]; sum += k4 * padded[r1 + 1]; sum += k5 * padded[r1 + 2];
      sum += k6 * padded[r2]; sum += k7 * padded[r2 + 1]; sum += k8 * padded[r2 + 2];
      out[o] = sum;
    }
  }
  return out;
}

/** 5x5 taps written out: the same additions in the same order as the loop, several times faster. */
function correlate5(padded, width, height, taps, out) {
  const [k0, k1, k2, k3, k4, k5, k6, k7, k8, k9, k10, k11, k12, k13, k14, k15, k16, k17, k18, k19, k20, k21, k22, k23, k24] = taps;
  const paddedWidth = width + 4;
  for (let y = 0; y < height; y++) {
    let r0 = y * paddedWidth, r1 = r0 + paddedWidth, r2 = r1 + paddedWidth, r3 = r2 + paddedWidth, r4 = r3 + paddedWidth;
    for (let x = 0, o = y * width; x < width; x++, o++, r0++, r1++, r2++, r3++, r4++) {
      let sum = 0;
      sum += k0 * padded[r0]; sum += k1 * padded[r0 + 1]; sum += k2 * padded[r0 + 2]; sum += k3 * padded[r0 + 3]; sum += k4 * padded[r0 + 4];
      sum += k5 * padded[r1]; sum += k6 * padded[r1 + 1]; sum += k7 * padded[r1 + 2]; sum += k8 * padded[r1 + 3]; sum += k9 * padded[r1 + 4];
      sum += k10 * padded[r2]; sum += k11 * padded[r2 + 1]; sum += k12 * padded[r2 + 2]; sum += k13 * padded[r2 + 3]; sum += k14 * padded[r2 + 4];
      sum += k15 * padded[r3]; sum += k16 * padded[r3 + 1]; sum += k17 * padded[r3 + 2]; sum += k18 * padded[r3 + 3]; sum += k19 * padded[r3 + 4];
      sum += k20 * padded[r4]; sum += k21 * padded[r4 + 1]; sum += k22 * padded[r4 + 2]; sum += k23 * padded[r4 + 3]; sum += k24 * padded[r4 + 4];
      out[o] = sum;
    }
  }
  return out;
}

/** numpy.rint: round half to even. */
export function rint(x) {
  const r = Math.round(x);  // rounds halves up
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The scaling in effect: "auto" is "abs" for a kernel summing to 0, else "clip". */
export function scalingInEffect(scaling, total) {
  if (scaling !== "auto") return scaling;
  return total === 0 ? "abs" : "clip";
}

/** Gray levels 0..255 of finite values, as convlib.images.scale_to_uint8. Returns {pixels, low, high}.
 *
 * Each value goes to unit = its place in 0..1 by the scaling's formula (the same operations as numpy's),
 * then to rint(unit * 255), rounding half to even.
 */
export function toUint8(values, scaling) {
  const n = values.length;
  const pixels = new Uint8ClampedArray(n);
  let low = NaN, high = NaN;  // the range, found only where the scaling needs it
  if (scaling !== "clip") {
    low = Infinity;
    high = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  let shift = 0, divisor = 1, mode = scaling;
  if (scaling === "rescale") {
    if (high === low) return { pixels, low, high };  // no range: all zeros
    divisor = high - low;
    shift = low;
    if (!Number.isFinite(divisor)) mode = "rescale halved";  // the range overflows: halve everything first
  } else if (scaling === "abs") {
    divisor = Math.max(Math.abs(low), Math.abs(high));
    if (divisor === 0) return { pixels, low, high };  // all zeros stay zeros
  }
  // One loop per scaling, each doing numpy's operations in numpy's order; round(unit * 255) half to even.
  const put = (i, unit) => {
    const scaled = unit * 255;
    let r = Math.round(scaled);
    if (r - scaled === 0.5 && (r & 1) === 1) r -= 1;
    pixels[i] = r;
  };
  if (mode === "clip") {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      put(i, v < 0 ? 0 : v > 1 ? 1 : v);
    }
  } else if (mode === "rescale") {
    for (let i = 0; i < n; i++) put(i, (values[i] - shift) / divisor);
  } else if (mode === "abs") {
    for (let i = 0; i < n; i++) put(i, Math.abs(values[i]) / divisor);
  } else {
    const halfSpan = high / 2 - low / 2;
    for (let i = 0; i < n; i++) put(i, (values[i] / 2 - low / 2) / halfSpan);
  }
  return { pixels, low, high };
}

/** Everything the picture needs, from the model's state: {output, pixels, kernel, total, scaling, low, high}. */
export function compute(state) {
  const { kernel, total } = effectiveKernel(state.weights, state.normalise);
  const image = state.image;
  const output = filterImage(image.pixels, image.width, image.height, kernel, state.size,
    state.operation, state.boundary);
  const scaling = scalingInEffect(state.scaling, total);
  const { pixels, low, high } = toUint8(output, scaling);
  return { output, pixels, kernel, total, scaling, low, high };
}

// --- the view ------------------------------------------------------------------------------------------------

const STYLE = `
.convlib-ke { font: 14px/1.35 system-ui, sans-serif; color: #1b1b1b; display: flex; gap: 16px;
  align-items: flex-start; }
.convlib-ke .pictures { display: flex; flex-direction: column; gap: 6px; min-width: 0; }
.convlib-ke .pair { display: flex; gap: 12px; }
.convlib-ke figure { margin: 0; position: relative; }
.convlib-ke figcaption { font-weight: 600; margin-bottom: 4px; }
.convlib-ke canvas.picture { image-rendering: pixelated; border: 1px solid #777; display: block; }
.convlib-ke .window { position: absolute; border: 2px solid #d55e00; pointer-events: none; display: none; }
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

/** Background and text colour of a kernel cell: orange for positive, blue for negative, white for 0. */
function cellColour(w, limit) {
  return w === 0 ? ["#fff", "#111"] : weightColour(w, Math.max(limit, 1e-9));
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
  const { commit, fromElsewhere } = modelChanges(model, (changes) => {
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
        const onMove = (moveEvent) => {
          inputAt = moveEvent.timeStamp;
          const steps = Math.round((startY - moveEvent.clientY) / 6);
          if (steps !== 0) moved = true;
          if (moved) setWeight(i, startValue + steps * step);
        };
        const onUp = () => {
          window.removeEventListener("pointermove", onMove);
          window.removeEventListener("pointerup", onUp);
          if (!moved) { cell.focus(); cell.select(); }
        };
        window.addEventListener("pointermove", onMove);
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
    cells[i].dataset.shown = "";  // show the weight again (a typed text that was not taken is replaced)
    paintCells();
  }

  function setWeight(i, value) {
    const weights = model.get("weights").slice();
    const snapped = snap(value);
    if (weights[i] === snapped) { repaintCell(i); return; }
    weights[i] = snapped;
    setWeights(weights);
  }

  function paintCells() {
    const weights = model.get("weights");
    cells.forEach((cell, i) => {
      const shown = String(weights[i]);
      if (cell.dataset.shown === shown) return;  // unchanged: leave the cell (and a half-typed number) alone
      const [background, colour] = cellColour(weights[i], limit);
      cell.style.background = background;
      cell.style.color = colour;
      cell.value = format(weights[i]);
      cell.dataset.shown = shown;
    });
  }

  function paint(canvas, pixels, width, height) {
    if (canvas.width !== width || canvas.height !== height) {  // resizing clears and reallocates: only when needed
      canvas.width = width;
      canvas.height = height;
      const scale = pictureSize / Math.max(width, height);
      canvas.style.width = `${Math.round(width * scale)}px`;
      canvas.style.height = `${Math.round(height * scale)}px`;
      canvas.picture = new ImageData(width, height);
    }
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

  function draw() {
    const state = stateOf(model);
    const started = performance.now();
    const result = compute(state);
    latest = { state, result };
    const { width, height, pixels, name } = state.image;
    if (inputDrawn !== name) {
      paint(inputCanvas, pixels, width, height);
      inputDrawn = name;
      inputCanvas.setAttribute("aria-label", `the input photograph '${name}', ${width} x ${height} pixels`);
    }
    paint(outputCanvas, result.pixels, width, height);
    outputCanvas.setAttribute("aria-label", `the ${state.operation === "convolve2d" ? "convolved" : "correlated"} output, shown as ${result.scaling}`);
    inputCaption.textContent = `input: ${name}`;
    outputCaption.textContent = state.operation === "convolve2d" ? "output: convolved (kernel flipped)" : "output: correlated (as a CNN)";
    readout.innerHTML = describe(result, state);
    presetBox.value = model.get("preset");
    sizeBox.value = String(state.size);
    normaliseBox.checked = state.normalise;
    operationBox.value = state.operation;
    boundaryBox.value = state.boundary;
    scalingBox.value = state.scaling;
    imageBox.value = name;
    paintCells();
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
    const scale = inputCanvas.getBoundingClientRect().width / width;
    Object.assign(windowBox.style, {
      display: "block", left: `${(x - half) * scale - 2}px`, top: `${inputCaption.offsetHeight + (y - half) * scale - 2}px`,
      width: `${k * scale}px`, height: `${k * scale}px`,
    });
    const value = result.output[y * width + x];
    hover.textContent = `pixel (row ${y}, column ${x}): its ${k}x${k} window\n${rows.join("\n")}\n` +
      `sum of weight x pixel = ${value.toFixed(4)} -> gray ${result.pixels[y * width + x]}`;
  }
  for (const canvas of [inputCanvas, outputCanvas]) {
    canvas.addEventListener("pointermove", showWindow);
    canvas.addEventListener("pointerleave", () => { windowBox.style.display = "none"; });
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

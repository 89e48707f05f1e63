// The moving-average explorer's live view: smooths the signal in the browser, as convlib does in Python.
//
// The arithmetic follows convlib step by step (tests/browser/test_moving_average_parity.py checks it):
//   kernel: `width` weights of 1 / width (the flip of convolution changes nothing: they are all equal) ->
//   the signal padded as convolve1d(mode="same") pads it: width // 2 samples before, (width - 1) // 2
//   after, by numpy.pad's rule for the boundary (zeros for "constant") ->
//   one multiply-add per tap, taps in order, from 0 (convlib.engines.shift_add.correlate2d_valid_readable).
// So the smoothed signal equals the readable shift-and-add bit for bit, and convlib.convolve1d (which may
// add in another order, through BLAS) to rounding.
// The module works under anywidget (JupyterLab, VS Code) and under the static shim of an HTML export.

// Okabe-Ito colours (_shared.js): distinguishable with every common colour-vision deficiency.
export const COLOURS = { noisy: SKY, clean: BLACK, smoothed: VERMILION, edge: ORANGE };

// --- the arithmetic ------------------------------------------------------------------------------------------

// borderIndex(i, n, boundary), numpy.pad's rule, is in _shared.js (put before this module by module_source).
export { borderIndex };

/** The signal padded for mode="same": width // 2 samples before, (width - 1) // 2 after (numpy.pad's rule). */
export function paddedSignal(signal, width, boundary) {
  const n = signal.length, before = Math.floor(width / 2);
  const padded = new Float64Array(n + width - 1);
  for (let i = 0; i < padded.length; i++) {
    const j = borderIndex(i - before, n, boundary);
    padded[i] = j < 0 ? 0 : signal[j];
  }
  return padded;
}

/** convolve1d(signal, np.full(width, 1 / width), mode="same", boundary=boundary), tap by tap. */
export function movingAverage(signal, width, boundary) {
  const n = signal.length, weight = 1 / width;
  const padded = paddedSignal(signal, width, boundary);
  const out = new Float64Array(n);  // zeros, as the readable shift-and-add starts
  for (let tap = 0; tap < width; tap++) {
    for (let i = 0; i < n; i++) out[i] += weight * padded[i + tap];
  }
  return out;
}

/** How many samples at each end the window reaches beyond: [before, after]. */
export function edgeSamples(width, n) {
  return [Math.min(n, Math.floor(width / 2)), Math.min(n, Math.floor((width - 1) / 2))];
}

/** Round tick positions covering lo..hi (about `count` of them). */
export function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count, power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Float64 samples from a model value: bytes (DataView or ArrayBuffer, little-endian) or a list of numbers. */
export function samplesOf(value) {
  if (value === null || value === undefined) return new Float64Array(0);
  if (Array.isArray(value)) return Float64Array.from(value);
  const view = value instanceof DataView ? value : new DataView(value.buffer || value, value.byteOffset || 0);
  const out = new Float64Array(Math.floor(view.byteLength / 8));
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

/** A number as Python's f"{x:.3g}" shows it, for the readout (1/9 -> 0.111, 1/1 -> 1). */
export function format3g(x) {
  return String(+x.toPrecision(3));
}

// --- the view ------------------------------------------------------------------------------------------------

const PLOT = { width: 680, height: 300, left: 60, right: 14, top: 40, bottom: 46 };

const STYLE = `
.convlib-ma { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; max-width: 680px; }
.convlib-ma .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin: 4px 0 6px; }
.convlib-ma label { display: inline-flex; align-items: center; gap: 6px; font-size: 14px; }
.convlib-ma input[type=range] { width: 300px; accent-color: #D55E00; }
.convlib-ma button, .convlib-ma select { font: inherit; font-size: 14px; padding: 2px 10px; min-height: 30px; }
.convlib-ma button { min-width: 34px; }
.convlib-ma .value { font-weight: 600; min-width: 2.5em; font-variant-numeric: tabular-nums; }
.convlib-ma :focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.convlib-ma .readout { font-size: 14px; margin: 2px 0 4px; }
.convlib-ma .readout code { display: block; font-size: 13px; }
.convlib-ma svg { display: block; width: 100%; max-width: ${PLOT.width}px; height: auto; }
.convlib-ma svg text { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; fill: #111; }
.convlib-ma .hover { font: 13px/1.3 ui-monospace, monospace; min-height: 1.3em; color: #333; }
`;

// Text widths from a canvas (an SVG not yet in the document measures every text as 0 wide).
let measure = null;
function textWidth(text, size) {
  if (!measure) measure = document.createElement("canvas").getContext("2d");
  measure.font = `${size}px system-ui, -apple-system, "Segoe UI", sans-serif`;
  return measure.measureText(text).width;
}

function pathOf(values, x, y) {
  let d = "";
  for (let i = 0; i < values.length; i++) d += `${i ? "L" : "M"}${x(i).toFixed(1)} ${y(values[i]).toFixed(1)}`;
  return d;
}

function render({ model, el }) {
  const root = element("div", { class: "convlib-ma", role: "group", "aria-label": "Moving average explorer" }, el);
  element("style", { text: STYLE }, root);

  const controls = element("div", { class: "controls" }, root);
  const widthLabel = element("label", {}, controls);
  element("span", { text: "width" }, widthLabel);
  const slider = element("input", {
    type: "range", min: "1", step: "1", "aria-label": "moving average width (samples)", "data-role": "width",
  }, widthLabel);
  const shown = element("span", { class: "value", "aria-hidden": "true" }, widthLabel);
  const narrower = element("button", { type: "button", "aria-label": "narrower window", text: "\u2212" }, controls);
  const wider = element("button", { type: "button", "aria-label": "wider window", text: "+" }, controls);
  const boundaryBox = select(controls, "boundary", model.get("boundaries").map((name) => [name, name]));
  const readout = element("div", { class: "readout", "aria-live": "polite" }, root);

  const svg = svgElement("svg", {
    viewBox: `0 0 ${PLOT.width} ${PLOT.height}`, width: PLOT.width, height: PLOT.height, role: "img",
    "data-role": "plot",
  }, root);
  const hover = element("div", { class: "hover", "aria-live": "off" }, root);
  for (const node of [slider, narrower, wider]) keepKeys(node);

  let signal = null, clean = null, signalSource = null, cleanSource = null;
  let latest = null;
  let inputAt = null;  // when the input behind the next picture happened (event.timeStamp), for the latency record
  let rawAt = null;  // the last key press or pointer event on a control (the range input's "input" comes later)

  // Changes made here are set together, then drawn once (modelChanges); the model's change events
  // redraw only for changes that come from elsewhere (Python, or the shim's state).
  const { commit, fromElsewhere } = modelChanges(model, () => draw());

  function since(event) {
    const raw = rawAt;
    rawAt = null;
    return raw !== null && event.timeStamp - raw < 1000 ? raw : event.timeStamp;
  }

  function setWidth(value, event) {
    const width = Math.min(model.get("max_width"), Math.max(1, Math.round(value)));
    if (event) inputAt = since(event);
    if (width === model.get("width")) { inputAt = null; slider.value = String(width); return; }
    commit({ width });
  }

  slider.addEventListener("keydown", (event) => { rawAt = event.timeStamp; });
  slider.addEventListener("pointerdown", (event) => { rawAt = event.timeStamp; });
  slider.addEventListener("pointermove", (event) => { if (event.buttons) rawAt = event.timeStamp; });
  slider.addEventListener("input", (event) => setWidth(Number(slider.value), event));
  narrower.addEventListener("click", (event) => setWidth(model.get("width") - 1, event));
  wider.addEventListener("click", (event) => setWidth(model.get("width") + 1, event));
  boundaryBox.addEventListener("change", (event) => {
    inputAt = event.timeStamp;
    commit({ boundary: boundaryBox.value });
  });

  function samples() {
    if (model.get("signal") !== signalSource) {
      signalSource = model.get("signal");
      signal = samplesOf(signalSource);
    }
    if (model.get("clean") !== cleanSource) {
      cleanSource = model.get("clean");
      const values = samplesOf(cleanSource);
      clean = values.length === signal.length ? values : null;
    }
  }

  function plot(width, boundary, smoothed) {
    const n = signal.length;
    let lo = Infinity, hi = -Infinity;
    for (const values of [signal, clean, smoothed]) {
      if (!values) continue;
      for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    if (!(hi > lo)) { lo -= 1; hi += 1; }
    const pad = (hi - lo) * 0.05;
    lo -= pad; hi += pad;
    const { left, right, top, bottom } = PLOT;
    const plotWidth = PLOT.width - left - right, plotHeight = PLOT.height - top - bottom;
    const x = (i) => left + (n === 1 ? 0 : (i / (n - 1)) * plotWidth);
    const y = (v) => top + (1 - (v - lo) / (hi - lo)) * plotHeight;
    svg.textContent = "";
    // the ends where the window reaches beyond the signal: there the boundary rule decides
    const [before, after] = edgeSamples(width, n);
    const shade = { fill: COLOURS.edge, "fill-opacity": 0.18, "data-role": "edge" };
    if (before > 0) svgElement("rect", { ...shade, x: left, y: top, width: x(before - 0.5) - left, height: plotHeight }, svg);
    if (after > 0) {
      const start = x(n - 1 - after + 0.5);
      svgElement("rect", { ...shade, x: start, y: top, width: left + plotWidth - start, height: plotHeight }, svg);
    }
    // axes, ticks and labels
    const axis = { stroke: "#333", "stroke-width": 1 };
    svgElement("line", { ...axis, x1: left, y1: top + plotHeight, x2: left + plotWidth, y2: top + plotHeight }, svg);
    svgElement("line", { ...axis, x1: left, y1: top, x2: left, y2: top + plotHeight }, svg);
    for (const t of ticks(0, n - 1, 8)) {
      const at = x(t);
      svgElement("line", { ...axis, x1: at, y1: top + plotHeight, x2: at, y2: top + plotHeight + 5 }, svg);
      svgElement("text", { x: at, y: top + plotHeight + 19, "text-anchor": "middle", "font-size": 13, text: String(t) }, svg);
    }
    for (const t of ticks(lo, hi, 5)) {
      const at = y(t);
      svgElement("line", { ...axis, x1: left - 5, y1: at, x2: left, y2: at }, svg);
      svgElement("line", { x1: left, y1: at, x2: left + plotWidth, y2: at, stroke: "#ddd", "stroke-width": 1 }, svg);
      svgElement("text", { x: left - 8, y: at + 4, "text-anchor": "end", "font-size": 13, text: String(+t.toPrecision(4)) }, svg);
    }
    svgElement("text", { x: left + plotWidth / 2, y: PLOT.height - 6, "text-anchor": "middle", "font-size": 14, text: "sample" }, svg);
    svgElement("text", {
      x: 0, y: 0, transform: `translate(16 ${top + plotHeight / 2}) rotate(-90)`, "text-anchor": "middle",
      "font-size": 14, text: "value",
    }, svg);
    // the curves: noisy thin, clean dashed, smoothed thick on top
    svgElement("path", { d: pathOf(signal, x, y), fill: "none", stroke: COLOURS.noisy, "stroke-width": 1.2, "data-role": "noisy" }, svg);
    if (clean) {
      svgElement("path", {
        d: pathOf(clean, x, y), fill: "none", stroke: COLOURS.clean, "stroke-width": 1.5, "stroke-dasharray": "6 4",
        "data-role": "clean",
      }, svg);
    }
    svgElement("path", { d: pathOf(smoothed, x, y), fill: "none", stroke: COLOURS.smoothed, "stroke-width": 2.5, "data-role": "smoothed" }, svg);
    // legend, above the plot
    const entries = [["noisy signal", COLOURS.noisy, null, 1.5]];
    if (clean) entries.push(["clean signal", COLOURS.clean, "6 4", 1.5]);
    entries.push([`moving average, width ${width}`, COLOURS.smoothed, null, 3]);
    entries.push(["window past the ends", COLOURS.edge, "box", 0]);
    let at = 8;
    for (const [label, colour, dash, strokeWidth] of entries) {
      if (dash === "box") svgElement("rect", { x: at, y: 12, width: 22, height: 14, fill: colour, "fill-opacity": 0.3 }, svg);
      else {
        const line = { x1: at, y1: 19, x2: at + 22, y2: 19, stroke: colour, "stroke-width": strokeWidth };
        if (dash) line["stroke-dasharray"] = dash;
        svgElement("line", line, svg);
      }
      svgElement("text", { x: at + 28, y: 24, "font-size": 13, text: label }, svg);
      at += 28 + textWidth(label, 13) + 16;
    }
    return { x, y, lo, hi };
  }

  function draw() {
    samples();
    const width = model.get("width"), boundary = model.get("boundary");
    const started = performance.now();
    const smoothed = movingAverage(signal, width, boundary);
    const geometry = plot(width, boundary, smoothed);
    latest = { width, boundary, smoothed, geometry };
    slider.max = String(model.get("max_width"));
    slider.value = String(width);
    slider.setAttribute("aria-valuetext", `${width} samples`);
    shown.textContent = String(width);
    narrower.disabled = width <= 1;
    wider.disabled = width >= model.get("max_width");
    boundaryBox.value = boundary;
    readout.innerHTML = `kernel: ${width} weights of 1/${width} = ${format3g(1 / width)}` +
      `<code>convolve1d(signal, np.full(${width}, 1/${width}), mode='same', boundary='${boundary}')</code>`;
    svg.setAttribute("aria-label", `The noisy signal (${signal.length} samples)` + (clean ? ", the clean signal" : "") +
      ` and its moving average of width ${width}, boundary '${boundary}'.`);
    // What is shown, for readers of the page (tests, screen readers' tools): the values and the plot's range.
    root.dataset.width = String(width);
    root.dataset.boundary = boundary;
    root.dataset.yLow = String(geometry.lo);
    root.dataset.yHigh = String(geometry.hi);
    root.convlibShown = { width, boundary, smoothed, signal, clean };
    recordDrawn(root, "moving_average", performance.now() - started, inputAt);  // the latency record (read by the tests)
    inputAt = null;
  }

  // Hovering the plot reads the values at one sample.
  svg.addEventListener("pointermove", (event) => {
    if (!latest) return;
    const box = svg.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * PLOT.width;
    const n = signal.length;
    const i = Math.round(((px - PLOT.left) / (PLOT.width - PLOT.left - PLOT.right)) * (n - 1));
    if (i < 0 || i >= n) { hover.textContent = ""; return; }
    hover.textContent = `sample ${i}: noisy ${signal[i].toFixed(3)}` + (clean ? `, clean ${clean[i].toFixed(3)}` : "") +
      `, moving average ${latest.smoothed[i].toFixed(3)}`;
  });
  svg.addEventListener("pointerleave", () => { hover.textContent = ""; });

  const redraw = fromElsewhere(draw);
  for (const key of ["width", "boundary", "signal", "clean", "max_width"]) model.on(`change:${key}`, redraw);
  draw();
  return () => {};
}

export default { render };

// The flip-slide view: one output sample of a full 1-D convolution at a time, computed in the browser.
//
// For the output position n (a slider, the arrow keys, or the - and + buttons) it shows the kernel and its
// flip side by side, the signal x[m] over the positions m (zeros beyond its ends), the flipped kernel slid
// so that k[0] lies at m = n (it shows k[n - m]), each product x[m] * k[n - m] under the overlap, and the
// output y growing up to y[n], with the sum written out.
//
// The arithmetic follows convlib.book.figures.signals.flip_slide_terms step by step (the parity test,
// tests/browser/test_flip_slide_parity.py, checks it): m runs over the overlap in increasing order, the
// products are added in that order from 0. So every number shown equals Python's bit for bit, and
// convlib.convolve1d (which may add in another order) to rounding.
// The module works under anywidget (JupyterLab, VS Code) and under the static shim of an HTML export.

// Okabe-Ito colours (_shared.js), as CELL_COLOURS in convlib/book/figures/signals.py.
export const COLOURS = { signal: SKY, kernel: ORANGE, product: GREEN, output: VERMILION };

// --- the arithmetic ------------------------------------------------------------------------------------------

/** The overlap's positions m, the products x[m] * k[n - m] there, and their sum (added in order, from 0). */
export function terms(signal, kernel, n) {
  const first = Math.max(0, n - kernel.length + 1), last = Math.min(signal.length - 1, n);
  const m = [], products = [];
  let sum = 0;
  for (let i = first; i <= last; i++) {
    const product = signal[i] * kernel[n - i];
    m.push(i);
    products.push(product);
    sum += product;
  }
  return { m, products, sum };
}

/** The full convolution, y[0 .. N + K - 2], each sample as `terms` adds it. */
export function fullConvolution(signal, kernel) {
  const out = new Float64Array(signal.length + kernel.length - 1);
  for (let n = 0; n < out.length; n++) out[n] = terms(signal, kernel, n).sum;
  return out;
}

/** A number as Python's f"{x:.3g}" writes it: 3 significant digits, trailing zeros dropped, no "-0".
 *
 * Fixed notation for exponents -4 .. 2, else "1.23e+06" as Python writes it. (An exact tie in the fourth
 * digit, such as 1.125, rounds up here and to even in Python; the course's numbers have none.)
 */
export function numberText(x) {
  if (x === 0) return "0";
  const [mantissa, power] = x.toExponential(2).split("e");
  const exponent = Number(power);
  const strip = (text) => (text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text);
  if (exponent >= -4 && exponent < 3) return strip(x.toFixed(2 - exponent));
  const sign = exponent < 0 ? "-" : "+";
  return `${strip(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

// --- the view ------------------------------------------------------------------------------------------------

const WIDTH = 680, LABELS = 104, ROW = { top: 24, m: 84, x: 96, k: 144, product: 192, y: 248, sum: 318 };
const HEIGHT = 336, CELL_HEIGHT = 38;

const STYLE = `
.convlib-fs { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; max-width: ${WIDTH}px; }
.convlib-fs .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin: 4px 0 6px; }
.convlib-fs label { display: inline-flex; align-items: center; gap: 6px; font-size: 14px; }
.convlib-fs input[type=range] { width: 260px; accent-color: #D55E00; }
.convlib-fs button { font: inherit; font-size: 14px; padding: 2px 10px; min-height: 30px; min-width: 34px; }
.convlib-fs .value { font-weight: 600; min-width: 2em; font-variant-numeric: tabular-nums; }
.convlib-fs :focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.convlib-fs svg { display: block; width: 100%; max-width: ${WIDTH}px; height: auto; }
.convlib-fs svg text { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; fill: #111; }
`;

/** Column geometry: cell width and the x of position m (m from -(K - 1)), and where the flipped kernel starts. */
export function layout(signalLength, kernelLength) {
  const columns = signalLength + 2 * kernelLength - 2;  // m = -(K - 1) .. N + K - 2
  const needed = Math.max(columns, 2 * kernelLength + 3);  // the kernel, a gap, the flipped kernel
  const cell = Math.min(60, (WIDTH - LABELS - 8) / needed);
  const lo = -(kernelLength - 1);
  return { cell, lo, columns, flipStart: kernelLength + 2, x: (column) => LABELS + (column + 0.5) * cell };
}


function render({ model, el }) {
  const root = element("div", { class: "convlib-fs", role: "group", "aria-label": "Flip and slide, step by step" }, el);
  element("style", { text: STYLE }, root);
  const controls = element("div", { class: "controls" }, root);
  const nLabel = element("label", {}, controls);
  element("span", { text: "output position n" }, nLabel);
  const slider = element("input", {
    type: "range", min: "0", step: "1", "aria-label": "output position n", "data-role": "n",
  }, nLabel);
  const shown = element("span", { class: "value", "aria-hidden": "true" }, nLabel);
  const back = element("button", { type: "button", "aria-label": "previous output sample", text: "\u2212" }, controls);
  const on = element("button", { type: "button", "aria-label": "next output sample", text: "+" }, controls);
  const svg = svgElement("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: "img", "data-role": "picture",
  }, root);
  for (const node of [slider, back, on]) keepKeys(node);

  let inputAt = null, rawAt = null;
  const { commit, fromElsewhere } = modelChanges(paintFirst(model), () => draw());

  function since(event) {
    const raw = rawAt;
    rawAt = null;
    return raw !== null && event.timeStamp - raw < 1000 ? raw : event.timeStamp;
  }

  function last() {
    return model.get("signal").length + model.get("kernel").length - 2;
  }

  function setN(value, event) {
    const n = Math.min(last(), Math.max(0, Math.round(value)));
    if (event) inputAt = since(event);
    if (n === model.get("n")) { inputAt = null; slider.value = String(n); return; }
    commit({ n });
  }

  slider.addEventListener("keydown", (event) => { rawAt = event.timeStamp; });
  slider.addEventListener("pointerdown", (event) => { rawAt = event.timeStamp; });
  slider.addEventListener("pointermove", (event) => { if (event.buttons) rawAt = event.timeStamp; });
  slider.addEventListener("input", (event) => setN(Number(slider.value), event));
  back.addEventListener("click", (event) => setN(model.get("n") - 1, event));
  on.addEventListener("click", (event) => setN(model.get("n") + 1, event));

  const picture = redrawnSvg(svg);

  // A cell of the grid: a rectangle and its number; `key` names it from one drawing to the next.
  function cell(key, column, row, text, colour, { bold = false, faint = false, geometry, role = null } = {}) {
    const { cell: size, x } = geometry;
    const attributes = {
      x: x(column) - size * 0.45, y: row, width: size * 0.9, height: CELL_HEIGHT, rx: 3,
      fill: colour || "#fff", "fill-opacity": colour ? 0.35 : 1, stroke: bold ? "#111" : "#999",
      "stroke-width": bold ? 2.5 : 1,
    };
    if (role) attributes["data-role"] = role;
    picture.node(`${key} box`, "rect", attributes);
    const label = {
      x: x(column), y: row + CELL_HEIGHT / 2 + 5, "text-anchor": "middle", "font-size": 15,
      "font-weight": bold ? 700 : 400, text,
    };
    if (faint) label.style = "fill: #666";
    if (role) label["data-role"] = `${role}-text`;
    picture.node(`${key} text`, "text", label);
  }

  function rowLabel(row, text) {
    picture.node(`row ${row}`, "text", { x: LABELS - 10, y: row + CELL_HEIGHT / 2 + 5, "text-anchor": "end", "font-size": 15, text });
  }

  function draw() {
    const started = performance.now();
    const signal = Float64Array.from(model.get("signal")), kernel = Float64Array.from(model.get("kernel"));
    const n = model.get("n"), N = signal.length, K = kernel.length;
    const output = fullConvolution(signal, kernel);
    const now = terms(signal, kernel, n);
    const geometry = layout(N, K);
    const { lo } = geometry;
    const col = (m) => m - lo;  // grid column of position m
    picture.begin();
    // the kernel and its flip, side by side
    rowLabel(ROW.top, "kernel k");
    for (let j = 0; j < K; j++) {
      cell(`kernel ${j}`, j, ROW.top, numberText(kernel[j]), COLOURS.kernel, { geometry, role: "kernel" });
      picture.node(`kernel ${j} name`, "text", { x: geometry.x(j), y: ROW.top - 6, "text-anchor": "middle", "font-size": 12, text: `k[${j}]`, style: "fill: #444" });
    }
    const flipAt = geometry.flipStart;
    picture.node("flipped", "text", { x: geometry.x(flipAt) - geometry.cell * 0.55, y: ROW.top + CELL_HEIGHT / 2 + 5, "text-anchor": "end", "font-size": 15, text: "flipped" });
    for (let j = 0; j < K; j++) {
      cell(`flipped ${j}`, flipAt + j, ROW.top, numberText(kernel[K - 1 - j]), COLOURS.kernel, { geometry, role: "flipped" });
      picture.node(`flipped ${j} name`, "text", { x: geometry.x(flipAt + j), y: ROW.top - 6, "text-anchor": "middle", "font-size": 12, text: `k[${K - 1 - j}]`, style: "fill: #444" });
    }
    // the column m = n, from the positions to the output
    picture.node("column", "rect", {
      x: geometry.x(col(n)) - geometry.cell / 2, y: ROW.m - 16, width: geometry.cell,
      height: ROW.y + CELL_HEIGHT + 6 - (ROW.m - 16), fill: "#e6e6e6", "data-role": "column",
    });
    rowLabel(ROW.m - CELL_HEIGHT / 2 - 4, "m");
    for (let m = lo; m < lo + geometry.columns; m++) {
      picture.node(`m ${m}`, "text", { x: geometry.x(col(m)), y: ROW.m, "text-anchor": "middle", "font-size": 13, text: String(m), style: "fill: #444" });
    }
    // the signal, zeros beyond its ends
    rowLabel(ROW.x, "x[m]");
    for (let m = lo; m < lo + geometry.columns; m++) {
      const inside = m >= 0 && m < N;
      cell(`signal ${m}`, col(m), ROW.x, inside ? numberText(signal[m]) : "0", inside ? COLOURS.signal : null,
        { faint: !inside, geometry, role: "signal" });
    }
    // the flipped kernel, slid so that k[0] lies at m = n (a cell per weight k[n - m], moving with n)
    rowLabel(ROW.k, `k[${n} \u2212 m]`);
    for (let m = n - K + 1; m <= n; m++) cell(`slid ${n - m}`, col(m), ROW.k, numberText(kernel[n - m]), COLOURS.kernel, { geometry, role: "slid" });
    // the products under the overlap
    rowLabel(ROW.product, "product");
    now.m.forEach((m, i) => cell(`product ${m}`, col(m), ROW.product, numberText(now.products[i]), COLOURS.product, { geometry, role: "product" }));
    // the output so far
    rowLabel(ROW.y, "y[n]");
    for (let j = 0; j < output.length; j++) {
      if (j <= n) cell(`output ${j}`, col(j), ROW.y, numberText(output[j]), COLOURS.output, { bold: j === n, geometry, role: "output" });
      else cell(`output ${j}`, col(j), ROW.y, "", null, { geometry, role: "later" });
    }
    const written = now.m.map((m, i) => `${numberText(signal[m])}\u00b7${numberText(kernel[n - m])}`).join(" + ");
    const equation = `y[${n}] = ${written} = ${numberText(now.sum)}`;
    picture.node("sum", "text", { x: 8, y: ROW.sum, "font-size": 16, text: equation, "data-role": "sum" });
    picture.end();

    put(slider, "max", String(last()));
    put(slider, "value", String(n));
    put(slider, "aria-valuetext", `n = ${n}: ${equation}`, true);
    put(shown, "textContent", String(n));
    put(back, "disabled", n <= 0);
    put(on, "disabled", n >= last());
    put(svg, "aria-label", `Output sample ${n} of the convolution: ${equation}.`, true);
    root.dataset.n = String(n);
    root.convlibShown = { n, m: now.m, products: now.products, sum: now.sum, output: Array.from(output), equation };
    recordDrawn(root, "flip_slide", performance.now() - started, inputAt);  // the latency record (read by the tests)
    inputAt = null;
  }

  const redraw = fromElsewhere(draw);
  for (const key of ["n", "signal", "kernel"]) model.on(`change:${key}`, redraw);
  draw();
  return () => {};
}

export default { render };

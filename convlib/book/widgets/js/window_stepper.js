// The window stepper's live view: a kernel's window stepped over a small image of numbers, by hand.
//
// At each output position (row by row) it shows the window of the image under the kernel, the kernel,
// their products, the sum, and the "valid" output filled in so far. The arithmetic is convlib's
// correlate2d(image, kernel, mode="valid") (tests/browser/test_window_stepper_parity.py checks it): for
// each position, sum += weight x pixel over the taps in row-major order, from 0.
// The module works under anywidget (JupyterLab, VS Code) and under the static shim of an HTML export.

// --- the arithmetic ------------------------------------------------------------------------------------------

/** The output's shape for mode="valid": [H - KH + 1, W - KW + 1]. */
export function validShape(height, width, kernelHeight, kernelWidth) {
  return [height - kernelHeight + 1, width - kernelWidth + 1];
}

/** The window's products (row-major) and their sum at output position (row, column), taps in row-major order. */
export function step(image, width, kernel, kernelHeight, kernelWidth, row, column) {
  const products = new Float64Array(kernelHeight * kernelWidth);
  let sum = 0;
  for (let a = 0; a < kernelHeight; a++) {
    for (let b = 0; b < kernelWidth; b++) {
      const p = kernel[a * kernelWidth + b] * image[(row + a) * width + column + b];
      products[a * kernelWidth + b] = p;
      sum += p;
    }
  }
  return { products, sum };
}

/** correlate2d(image, kernel, mode="valid"), row-major, each sum as `step` adds it. */
export function correlateValid(image, height, width, kernel, kernelHeight, kernelWidth) {
  const [rows, columns] = validShape(height, width, kernelHeight, kernelWidth);
  const out = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) out[r * columns + c] = step(image, width, kernel, kernelHeight, kernelWidth, r, c).sum;
  }
  return out;
}

/** A number as Python's f"{x:g}" shows it for the small values here (whole numbers without ".0"). */
export function formatNumber(x) {
  if (Object.is(x, -0)) return "0";
  if (Number.isInteger(x)) return String(x);
  return String(+x.toPrecision(6));
}

// --- the view ------------------------------------------------------------------------------------------------

const STYLE = `
.convlib-ws { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; max-width: 760px; }
.convlib-ws .controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin: 4px 0 6px; }
.convlib-ws label { display: inline-flex; align-items: center; gap: 6px; font-size: 14px; }
.convlib-ws input[type=range] { width: 240px; accent-color: #D55E00; }
.convlib-ws button { font: inherit; font-size: 14px; padding: 2px 10px; min-height: 30px; min-width: 34px; }
.convlib-ws .value { font-weight: 600; min-width: 5.5em; font-variant-numeric: tabular-nums; }
.convlib-ws :focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.convlib-ws svg { display: block; width: 100%; height: auto; }
.convlib-ws svg text { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; fill: #111; }
.convlib-ws .readout { font: 14px/1.5 ui-monospace, monospace; margin: 4px 0; white-space: pre-wrap; }
.convlib-ws .hint { font-size: 13px; color: #333; }
`;

const PALE_ORANGE = "#FFE0A0", EMPTY = "#EFEFEF", PAPER = "#F7F7F7";


function render({ model, el }) {
  const root = element("div", { class: "convlib-ws", role: "group", "aria-label": "Window stepper" }, el);
  element("style", { text: STYLE }, root);

  const controls = element("div", { class: "controls" }, root);
  const label = element("label", {}, controls);
  element("span", { text: "output position" }, label);
  const slider = element("input", { type: "range", min: "0", step: "1", "aria-label": "output position", "data-role": "position" }, label);
  const shown = element("span", { class: "value", "aria-hidden": "true" }, label);
  const previous = element("button", { type: "button", "aria-label": "previous position", text: "\u25C0" }, controls);
  const next = element("button", { type: "button", "aria-label": "next position", text: "\u25B6" }, controls);
  const svg = svgElement("svg", { role: "img", tabindex: "0", "data-role": "grids", "aria-label": "the window stepper" }, root);
  const readout = element("div", { class: "readout", "aria-live": "polite" }, root);
  element("div", { class: "hint", text: "Slider or \u25C0 \u25B6 move the window one position; click the grids and use the arrow keys (\u2190 \u2192 along a row, \u2191 \u2193 between rows)." }, root);

  let inputAt = null;  // when the input behind the next picture happened (event.timeStamp), for the latency record
  let rawAt = null;  // the last key press or pointer event on the slider (its "input" event comes later)
  const { commit, fromElsewhere } = modelChanges(paintFirst(model), () => draw());

  function geometry() {
    const height = model.get("height"), width = model.get("width");
    const kernelHeight = model.get("kernel_height"), kernelWidth = model.get("kernel_width");
    const [rows, columns] = validShape(height, width, kernelHeight, kernelWidth);
    return { height, width, kernelHeight, kernelWidth, rows, columns, count: rows * columns };
  }

  function setPosition(value, event) {
    const { count } = geometry();
    const position = Math.min(count - 1, Math.max(0, Math.round(value)));
    if (event) {
      const raw = rawAt;
      rawAt = null;
      inputAt = raw !== null && event.timeStamp - raw < 1000 ? raw : event.timeStamp;
    }
    if (position === model.get("position")) { inputAt = null; slider.value = String(position); return; }
    commit({ position });
  }

  for (const node of [slider, previous, next]) keepKeys(node);
  slider.addEventListener("keydown", (event) => { rawAt = event.timeStamp; });
  slider.addEventListener("pointerdown", (event) => { rawAt = event.timeStamp; });
  slider.addEventListener("input", (event) => setPosition(Number(slider.value), event));
  previous.addEventListener("click", (event) => setPosition(model.get("position") - 1, event));
  next.addEventListener("click", (event) => setPosition(model.get("position") + 1, event));
  keepKeys(svg, (event) => {
    const { columns, count } = geometry();
    const position = model.get("position");
    const row = Math.floor(position / columns), column = position % columns;
    const moves = {
      ArrowLeft: column > 0 ? position - 1 : position, ArrowRight: column < columns - 1 ? position + 1 : position,
      ArrowUp: position - columns, ArrowDown: position + columns, Home: 0, End: count - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const target = moves[event.key];
    if (target < 0 || target >= count || (event.key === "ArrowUp" && row === 0)) { inputAt = null; return; }
    inputAt = event.timeStamp;
    if (target === position) { inputAt = null; return; }
    commit({ position: target });
  });

  const picture = redrawnSvg(svg);

  // One table of numbers: cell size `cell`, top-left (x, y); fill(i) and text(i) for cell i (row-major).
  function grid(x, y, rows, columns, cell, fill, text, role) {
    const group = picture.node(`${role}`, "g", { "data-role": role });
    const inside = group.redrawn || (group.redrawn = redrawnSvg(group));
    inside.begin();
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const i = r * columns + c;
        inside.node(`rect ${i}`, "rect", { x: x + c * cell, y: y + r * cell, width: cell - 2, height: cell - 2, fill: fill(i), rx: 2 });
        const t = text(i);
        if (t !== "") {
          inside.node(`text ${i}`, "text", {
            x: x + c * cell + (cell - 2) / 2, y: y + r * cell + (cell - 2) / 2 + 5, "text-anchor": "middle",
            "font-size": t.length > 4 ? 12 : 15, "data-index": String(i), text: t,
          });
        }
      }
    }
    inside.end();
    return group;
  }

  function caption(x, y, text) {
    picture.node(`caption ${text}`, "text", { x, y, "font-size": 15, "font-weight": 600, text });
  }

  function draw() {
    const started = performance.now();
    const g = geometry();
    const image = model.get("image"), kernel = model.get("kernel"), position = model.get("position");
    const row = Math.floor(position / g.columns), column = position % g.columns;
    const { products, sum } = step(image, g.width, kernel, g.kernelHeight, g.kernelWidth, row, column);
    const output = correlateValid(image, g.height, g.width, kernel, g.kernelHeight, g.kernelWidth);

    // Sizes: cells of at most 44 px, the image at most 230 px, everything within 760 px.
    const cell = Math.max(26, Math.min(44, Math.floor(230 / Math.max(g.height, g.width))));
    const small = Math.max(26, Math.min(44, Math.floor(150 / Math.max(g.kernelHeight, g.kernelWidth, g.rows, g.columns))));
    const top = 28, gap = 34;
    const imageWidth = g.width * cell, kernelWidth = g.kernelWidth * small, outputWidth = g.columns * small;
    const xKernel = imageWidth + gap, xProducts = xKernel + kernelWidth + gap, xOutput = xProducts + kernelWidth + gap;
    const totalWidth = xOutput + outputWidth + 4;
    const totalHeight = top + Math.max(g.height * cell, g.kernelHeight * small + 34, g.rows * small) + 8;
    picture.begin();
    put(svg, "viewBox", `0 0 ${totalWidth} ${totalHeight}`, true);
    put(svg.style, "maxWidth", `${totalWidth}px`);

    const inWindow = (i) => {
      const r = Math.floor(i / g.width), c = i % g.width;
      return r >= row && r < row + g.kernelHeight && c >= column && c < column + g.kernelWidth;
    };
    caption(0, 18, "image");
    grid(0, top, g.height, g.width, cell, (i) => (inWindow(i) ? PALE_ORANGE : PAPER), (i) => formatNumber(image[i]), "image");
    picture.node("window", "rect", {
      x: column * cell - 2, y: top + row * cell - 2, width: g.kernelWidth * cell + 2, height: g.kernelHeight * cell + 2,
      fill: "none", stroke: VERMILION, "stroke-width": 3, rx: 3, "data-role": "window",
    });

    let kernelLimit = 0, productLimit = 0, outputLimit = 0;
    for (const w of kernel) kernelLimit = Math.max(kernelLimit, Math.abs(w));
    for (const p of products) productLimit = Math.max(productLimit, Math.abs(p));
    for (const v of output) outputLimit = Math.max(outputLimit, Math.abs(v));
    const pale = signedColour;  // red positive, blue negative, as in the still picture
    caption(xKernel, 18, "kernel");
    grid(xKernel, top, g.kernelHeight, g.kernelWidth, small, (i) => pale(kernel[i], kernelLimit), (i) => formatNumber(kernel[i]), "kernel");
    caption(xProducts, 18, "window \u00D7 kernel");
    grid(xProducts, top, g.kernelHeight, g.kernelWidth, small, (i) => pale(products[i], productLimit), (i) => formatNumber(products[i]), "products");
    picture.node("sum", "text", {
      x: xProducts, y: top + g.kernelHeight * small + 24, "font-size": 16, "font-weight": 600, "data-role": "sum",
      text: `sum = ${formatNumber(sum)}`,
    });
    caption(xOutput, 18, "output (valid)");
    grid(xOutput, top, g.rows, g.columns, small, (i) => (i <= position ? pale(output[i], outputLimit) : EMPTY),
      (i) => (i <= position ? formatNumber(output[i]) : ""), "output");
    picture.node("current", "rect", {
      x: xOutput + column * small - 2, y: top + row * small - 2, width: small + 2, height: small + 2,
      fill: "none", stroke: VERMILION, "stroke-width": 3, rx: 3, "data-role": "current",
    });
    picture.end();

    put(slider, "max", String(g.count - 1));
    put(slider, "value", String(position));
    put(slider, "aria-valuetext", `row ${row}, column ${column}`, true);
    put(shown, "textContent", `${position + 1} of ${g.count}`);
    put(previous, "disabled", position <= 0);
    put(next, "disabled", position >= g.count - 1);
    const terms = [];
    for (let i = 0; i < products.length; i++) {
      const pixel = image[(row + Math.floor(i / g.kernelWidth)) * g.width + column + (i % g.kernelWidth)];
      terms.push(`${formatNumber(kernel[i])}\u00B7${formatNumber(pixel)}`);
    }
    put(readout, "textContent", `output[${row}, ${column}] = ${terms.join(" + ")}\n               = ${formatNumber(sum)}`);
    put(svg, "aria-label", `The window at row ${row}, column ${column}: its ${products.length} products sum to ${formatNumber(sum)}.`, true);
    root.dataset.position = String(position);
    root.convlibShown = { position, row, column, products: Array.from(products), sum, output: Array.from(output) };
    recordDrawn(root, "window_stepper", performance.now() - started, inputAt);  // the latency record (read by the tests)
    inputAt = null;
  }

  const redraw = fromElsewhere(draw);
  for (const key of ["position", "image", "kernel", "height", "width", "kernel_height", "kernel_width"]) {
    model.on(`change:${key}`, redraw);
  }
  draw();
  return () => {};
}

export default { render };

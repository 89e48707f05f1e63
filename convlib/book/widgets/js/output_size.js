// The output-size explorer's live view: the convolution-arithmetic picture, drawn as SVG in the browser.
//
// The geometry is integer arithmetic, computed exactly as convlib computes it in Python
// (tests/browser/test_padding_explorer_parity.py compares them on every setting the sliders offer):
//   outputSize  = convlib.sizes.output_size: floor((N + 2P - D(K - 1) - 1) / S) + 1, none when the
//                 dilated kernel's span D(K - 1) + 1 is larger than the padded input N + 2P;
//   windowTaps  = convlib.book.widgets.padding_explorer.window_taps: o * S - P + D * j, j = 0 .. K - 1;
//   readCounts  = padding_explorer.read_counts: how many outputs read each position of the padded axis.
// The module works under anywidget (JupyterLab, VS Code) and under the static shim of an HTML export.

export const SETTINGS = ["n", "kernel_size", "stride", "padding", "dilation"];

// --- the arithmetic ------------------------------------------------------------------------------------------

/** The output's side, or null when no window fits (convlib.sizes.output_size raises ValueError there). */
export function outputSize(n, kernelSize, stride = 1, padding = 0, dilation = 1) {
  const span = dilation * (kernelSize - 1) + 1;
  const padded = n + 2 * padding;
  if (span > padded) return null;
  return Math.floor((padded - span) / stride) + 1;
}

/** Input positions (unpadded: -P .. -1 and N .. are padding) that output `index` reads; null if no such output. */
export function windowTaps(n, kernelSize, index, stride = 1, padding = 0, dilation = 1) {
  const size = outputSize(n, kernelSize, stride, padding, dilation);
  if (size === null || !Number.isInteger(index) || index < 0 || index >= size) return null;
  const taps = [];
  for (let j = 0; j < kernelSize; j++) taps.push(index * stride - padding + dilation * j);
  return taps;
}

/** How many outputs read each position of the padded axis (entry i: position i - P); null when no window fits. */
export function readCounts(n, kernelSize, stride = 1, padding = 0, dilation = 1) {
  const size = outputSize(n, kernelSize, stride, padding, dilation);
  if (size === null) return null;
  const counts = new Array(n + 2 * padding).fill(0);
  for (let index = 0; index < size; index++) {
    for (const tap of windowTaps(n, kernelSize, index, stride, padding, dilation)) counts[tap + padding] += 1;
  }
  return counts;
}

/** The output cell kept inside the output: [row, column], each clamped to 0 .. size - 1 (0 when none fits). */
export function clampCell(size, row, column) {
  const last = Math.max((size ?? 1) - 1, 0);
  return [Math.min(Math.max(row, 0), last), Math.min(Math.max(column, 0), last)];
}

/** Everything the picture needs: {size, span, padded, counts, rowTaps, columnTaps, row, column}. */
export function compute(state) {
  const { n, kernel_size: k, stride: s, padding: p, dilation: d } = state;
  const size = outputSize(n, k, s, p, d);
  const [row, column] = clampCell(size, state.row, state.column);
  return {
    size, row, column,
    span: d * (k - 1) + 1,
    padded: n + 2 * p,
    counts: size === null ? null : readCounts(n, k, s, p, d),
    rowTaps: size === null ? [] : windowTaps(n, k, row, s, p, d),
    columnTaps: size === null ? [] : windowTaps(n, k, column, s, p, d),
  };
}

// --- the view ------------------------------------------------------------------------------------------------

// The Okabe-Ito colours (BLUE, ORANGE, VERMILION, GREEN) and INK are in _shared.js.
const INPUT_FACE = "#d2ebf9", OUTPUT_FACE = "#c2ebdf";

const STYLE = `
.convlib-os { font: 14px/1.35 system-ui, sans-serif; color: ${INK}; display: flex; flex-wrap: wrap;
  gap: 16px; align-items: flex-start; max-width: 100%; }
.convlib-os .panel { display: flex; flex-direction: column; gap: 6px; width: 250px; flex: none; }
.convlib-os label { display: grid; grid-template-columns: 92px 1fr 26px; gap: 6px; align-items: center; }
.convlib-os label span { white-space: nowrap; }
.convlib-os input[type=range] { width: 100%; margin: 0; accent-color: ${BLUE}; }
.convlib-os input[type=range]:focus-visible, .convlib-os svg:focus-visible {
  outline: 3px solid ${VERMILION}; outline-offset: 2px; }
.convlib-os output { font: 600 15px/1 ui-monospace, monospace; text-align: right; }
.convlib-os .readout { font-size: 14px; margin-top: 4px; }
.convlib-os .readout b { font-size: 16px; }
.convlib-os figure { margin: 0; flex: none; }
.convlib-os figcaption { font-weight: 600; margin-bottom: 4px; white-space: nowrap; }
.convlib-os .formula { flex-basis: 100%; font: 14px/1.4 ui-monospace, monospace; overflow-wrap: anywhere; }
.convlib-os .legend { flex-basis: 100%; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; }
.convlib-os .legend i { display: inline-block; width: 14px; height: 14px; border: 1px solid #666;
  vertical-align: -2px; margin-right: 4px; }
`;

const LABELS = {
  n: ["N", "input size"], kernel_size: ["K", "kernel size"], stride: ["S", "stride"], padding: ["P", "padding"],
  dilation: ["D", "dilation"], row: ["out row", "output row"], column: ["out col", "output column"],
};

function render({ model, el }) {
  const root = element("div", { class: "convlib-os", role: "group", "aria-label": "Output-size explorer" }, el);
  element("style", { text: STYLE }, root);
  const ranges = model.get("ranges");
  const panel = element("div", { class: "panel" }, root);
  const sliders = {};
  const shown = {};
  let inputAt = null;  // when the input behind the next picture happened (event.timeStamp), for the latency record

  for (const name of [...SETTINGS, "row", "column"]) {
    const [short, long] = LABELS[name];
    const label = element("label", {}, panel);
    element("span", { text: short, title: long }, label);
    const [low, high] = name in ranges ? ranges[name] : [0, 0];
    const slider = element("input", {
      type: "range", min: String(low), max: String(high), step: "1", "aria-label": `${short}, ${long}`,
      "data-setting": name,
    }, label);
    shown[name] = element("output", { "aria-hidden": "true" }, label);
    keepKeys(slider, (event) => { inputAt = event.timeStamp; });
    slider.addEventListener("pointerdown", (event) => { inputAt = event.timeStamp; });
    slider.addEventListener("pointermove", (event) => { if (event.buttons) inputAt = event.timeStamp; });
    slider.addEventListener("input", (event) => {
      if (inputAt === null) inputAt = event.timeStamp;
      change(name, Number(slider.value));
    });
    sliders[name] = slider;
  }
  const readout = element("div", { class: "readout", "aria-live": "polite" }, panel);

  const inputFigure = element("figure", {}, root);
  const inputCaption = element("figcaption", {}, inputFigure);
  const inputSvg = svgElement("svg", { role: "img", "data-role": "input" }, inputFigure);
  const outputFigure = element("figure", {}, root);
  const outputCaption = element("figcaption", {}, outputFigure);
  const outputSvg = svgElement("svg", { role: "img", "data-role": "output" }, outputFigure);
  const formula = element("div", { class: "formula" }, root);
  const legend = element("div", { class: "legend", "aria-hidden": "true" }, root);
  for (const [colour, text, dashed] of [[INPUT_FACE, "input cell"], ["#fff", "padding", true],
    [BLUE, "read by the green output cell"], [ORANGE, "… a padding zero"], [null, "read by no output"],
    [GREEN, "chosen output cell"]]) {
    const item = element("span", {}, legend);
    const swatch = element("i", {}, item);
    if (colour) swatch.style.background = colour;
    else swatch.style.background = `repeating-linear-gradient(135deg, ${INPUT_FACE} 0 3px, #555 3px 4px)`;
    if (dashed) swatch.style.borderStyle = "dashed";
    item.append(text);
  }

  function state() {
    const values = {};
    for (const name of [...SETTINGS, "row", "column"]) values[name] = model.get(name);
    return values;
  }

  // Changes made here are set together, then drawn once (modelChanges); change events redraw only for
  // changes that come from elsewhere (Python, or the shim's state). They are sent to Python after the
  // picture is painted (paintFirst): the picture does not wait for the message.
  const { commit, fromElsewhere } = modelChanges(paintFirst(model), () => draw());

  function change(name, value) {
    const next = { ...state(), [name]: value };
    const size = outputSize(next.n, next.kernel_size, next.stride, next.padding, next.dilation);
    [next.row, next.column] = clampCell(size, next.row, next.column);
    const changes = {};
    for (const [key, v] of Object.entries(next)) if (model.get(key) !== v) changes[key] = v;
    if (Object.keys(changes).length) commit(changes);
    else { inputAt = null; draw(); }
  }

  // The output grid: press and move the pointer over it to choose the output cell.
  let choosing = false;
  function chooseAt(event) {
    const target = event.target.closest ? event.target.closest("[data-cell]") : null;
    if (!target) return;
    inputAt = event.timeStamp;
    const [row, column] = target.dataset.cell.split(",").map(Number);
    if (row !== model.get("row") || column !== model.get("column")) commit({ row, column });
    else inputAt = null;
  }
  outputSvg.addEventListener("pointerdown", (event) => { choosing = true; chooseAt(event); event.preventDefault(); });
  outputSvg.addEventListener("pointermove", (event) => { if (choosing && event.buttons) chooseAt(event); });
  const stopChoosing = () => { choosing = false; };
  window.addEventListener("pointerup", stopChoosing);

  function cellSize(count, room) {
    return Math.max(12, Math.min(34, Math.floor(room / Math.max(count, 1))));
  }

  // The pictures are drawn once and then updated in place: a key press changes a few attributes of the cells
  // that already exist (colour, kind, dash), and the cells are made anew only when the grid's size changes.
  // Re-creating every cell (and the hatch pattern) on each key press cost about as much as the rest together.
  // Each node's attributes as last set here are kept on it (node.convlibShown), so nothing is read back.
  function update(node, attributes) {
    const shown = node.convlibShown || (node.convlibShown = {});
    for (const key in attributes) {
      const value = attributes[key];
      if (shown[key] !== value) {
        node.setAttribute(key, value);
        shown[key] = value;
      }
    }
  }

  // Both figures keep the height of the tallest picture the sliders can make (min-height): a grid that grows
  // or shrinks then moves nothing below the view. Were the view's height to change, every notebook cell
  // below it would move and be painted again: that made a key press on N or P cost twice a pointer move.
  const paddedMost = (ranges.n ? ranges.n[1] : 10) + 2 * (ranges.padding ? ranges.padding[1] : 3);
  let tallest = 0;
  for (let count = 1; count <= paddedMost; count++) {
    tallest = Math.max(tallest, count * cellSize(count, 330) + 8, Math.max(count, 3) * cellSize(Math.max(count, 3), 220) + 8);
  }
  // the caption's line (14px x 1.35 and its 4-px margin), the picture, and the line box's room below an inline svg
  for (const figure of [inputFigure, outputFigure]) figure.style.minHeight = `calc(1.35em + 4px + ${tallest}px + 6px)`;

  function resize(svg, side) {
    update(svg, { width: String(side), height: String(side), viewBox: `0 0 ${side} ${side}` });
  }

  const hatchId = `convlib-hatch-${Math.random().toString(36).slice(2)}`;
  const defs = svgElement("defs", {}, inputSvg);
  const hatch = svgElement("pattern", { id: hatchId, patternUnits: "userSpaceOnUse", width: "6", height: "6",
    patternTransform: "rotate(45)" }, defs);
  svgElement("rect", { width: "6", height: "6", fill: INPUT_FACE }, hatch);
  svgElement("line", { x1: "0", y1: "0", x2: "0", y2: "6", stroke: "#555", "stroke-width": "2" }, hatch);
  const spanFrame = svgElement("rect", { fill: "none", stroke: INK, "stroke-width": "3", "data-role": "span" },
    inputSvg);
  let inputCells = { padded: -1, size: -1, cells: [] };

  function drawInput(values, result) {
    const { n, padding: p } = values;
    const c = cellSize(result.padded, 330), gap = 2, pad = 4;
    if (inputCells.padded !== result.padded || inputCells.size !== c) {
      // The cells there are are kept and moved (new ones only for a larger grid): cheaper than making all anew.
      const cells = inputCells.cells, count = result.padded * result.padded;
      while (cells.length > count) cells.pop().remove();
      while (cells.length < count) {
        const cell = svgElement("rect", { "stroke-width": "1" });
        inputSvg.insertBefore(cell, spanFrame);  // the frame stays on top of the cells
        cells.push(cell);
      }
      for (let i = 0; i < result.padded; i++) {
        for (let j = 0; j < result.padded; j++) {
          update(cells[i * result.padded + j], {
            x: String(pad + j * c + gap / 2), y: String(pad + i * c + gap / 2), width: String(c - gap),
            height: String(c - gap),
          });
        }
      }
      inputCells = { padded: result.padded, size: c, cells };
      resize(inputSvg, result.padded * c + 2 * pad);
    }
    const rows = new Set(result.rowTaps.map((t) => t + p)), columns = new Set(result.columnTaps.map((t) => t + p));
    let taps = 0, onPadding = 0, unread = 0;
    for (let i = 0; i < result.padded; i++) {
      for (let j = 0; j < result.padded; j++) {
        const inside = i >= p && i < p + n && j >= p && j < p + n;
        const tap = rows.has(i) && columns.has(j);
        const never = inside && result.size !== null && (result.counts[i] === 0 || result.counts[j] === 0);
        const fill = tap ? (inside ? BLUE : ORANGE) : never ? `url(#${hatchId})` : inside ? INPUT_FACE : "#fff";
        update(inputCells.cells[i * result.padded + j], {
          fill, stroke: inside ? "#555" : "#777", "stroke-dasharray": inside ? "none" : "3 2",
          "data-kind": tap ? (inside ? "tap" : "padding-tap") : never ? "unread" : inside ? "input" : "padding",
          "data-at": `${i - p},${j - p}`,  // unpadded coordinates, as window_taps gives them
        });
        if (tap) { taps += 1; if (!inside) onPadding += 1; }
        if (never) unread += 1;
      }
    }
    if (result.size !== null) {
      const top = result.row * values.stride, first = result.column * values.stride;
      update(spanFrame, { x: String(pad + first * c), y: String(pad + top * c), width: String(result.span * c),
        height: String(result.span * c), display: "inline" });
    } else {
      update(spanFrame, { display: "none" });
    }
    put(inputCaption, "textContent", `input ${n}×${n}, padding ${p}`);
    put(inputSvg, "aria-label", result.size === null
      ? `input ${n} by ${n} with padding ${p}: no window fits`
      : `input ${n} by ${n} with padding ${p}: output cell (${result.row}, ${result.column}) reads ${taps} cells, ` +
        `${onPadding} of them padding zeros; ${unread} input cells are read by no output`, true);
  }

  let outputCells = { count: -1, cells: [] };

  function drawOutput(result) {
    const size = result.size;
    const count = Math.max(size ?? 0, 3);
    const c = cellSize(count, 220), gap = 3, pad = 4;
    const side = count * c + 2 * pad;
    const wanted = size === null ? 0 : size;
    if (size === null || outputCells.count !== wanted || outputCells.size !== c) {
      outputSvg.replaceChildren();
      outputCells = { count: wanted, size: c, cells: [] };
      resize(outputSvg, side);
    }
    if (size === null) {
      const lines = ["no window fits:", "the dilated kernel", "is larger than the", "padded input"];
      lines.forEach((line, i) => svgElement("text", {
        x: String(side / 2), y: String(side / 2 + (i - 1.5) * 18), "text-anchor": "middle", "font-size": "14",
        fill: INK, text: line,
      }, outputSvg));
      outputCaption.textContent = "output: none";
      outputSvg.setAttribute("aria-label", "no output: the dilated kernel is larger than the padded input");
      return;
    }
    if (!outputCells.cells.length) {
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          outputCells.cells.push(svgElement("rect", {
            x: String(pad + j * c + gap / 2), y: String(pad + i * c + gap / 2), width: String(c - gap),
            height: String(c - gap), stroke: "#555", "stroke-width": "1", "data-cell": `${i},${j}`,
            style: "cursor: pointer",
          }, outputSvg));
        }
      }
    }
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        const chosen = i === result.row && j === result.column;
        update(outputCells.cells[i * size + j], { fill: chosen ? GREEN : OUTPUT_FACE });
      }
    }
    put(outputCaption, "textContent", `output ${size}×${size}, cell (${result.row}, ${result.column})`);
    put(outputSvg, "aria-label", `output ${size} by ${size}; the chosen cell is row ${result.row}, ` +
      `column ${result.column}`, true);
  }

  function draw() {
    const values = state();
    const started = performance.now();
    const result = compute(values);
    const { n, kernel_size: k, stride: s, padding: p, dilation: d } = values;
    for (const name of [...SETTINGS, "row", "column"]) {
      const slider = sliders[name];
      if (name === "row" || name === "column") {
        put(slider, "max", String(Math.max((result.size ?? 1) - 1, 0)));
        put(slider, "disabled", result.size === null);
      }
      const value = name === "row" ? result.row : name === "column" ? result.column : values[name];
      put(slider, "value", String(value));
      put(shown[name], "textContent", String(value));
    }
    drawInput(values, result);
    drawOutput(result);
    const worked = `⌊(N + 2P − D(K − 1) − 1) / S⌋ + 1 = ⌊(${n} + ${2 * p} − ${d * (k - 1)} − 1) / ${s}⌋ + 1`;
    put(formula, "textContent", result.size === null
      ? `span D(K − 1) + 1 = ${result.span} > N + 2P = ${result.padded}: no output`
      : `${worked} = ${result.size}`);
    put(readout, "innerHTML", result.size === null ? "<b>no window fits</b>"
      : `output size = <b class="convlib-output-size">${result.size}</b>`);
    recordDrawn(root, "output_size", performance.now() - started, inputAt);  // the latency record (read by the tests)
    inputAt = null;
  }

  const redraw = fromElsewhere(draw);
  for (const name of [...SETTINGS, "row", "column"]) model.on(`change:${name}`, redraw);
  draw();
  return () => {
    window.removeEventListener("pointerup", stopChoosing);
    for (const name of [...SETTINGS, "row", "column"]) model.off(`change:${name}`, redraw);
  };
}

export default { render };

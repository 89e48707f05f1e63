// The NTM shift explorer's live view: the head's location addressing computed in the browser, as convlib does.
//
// One addressing step of the Neural Turing Machine (Graves, Wayne and Danihelka 2014, equations (7)-(9)),
// in float64 with the very operations of convlib.shifting, so the values equal Python's to the last bit
// or within one rounding of Math.pow (tests/browser/test_ntm_explorer_parity.py checks them on many cases):
//   s        = the three shift sliders / their sum (numpy's summation order), uniform when all are 0;
//   (7) gated     = g * content + (1 - g) * previous                       (ntm_interpolate)
//   (8) shifted   = sum over k of s[k] * gated[(i - shift_k) mod N], shifts -1, 0, +1 in that order (ntm_shift)
//   (9) sharpened = (w / max w) ** gamma, divided by its sum               (ntm_sharpen)
// and the heat map repeats the step `steps` times from the previous weighting (head_trajectory).
// The module works under anywidget (JupyterLab, VS Code) and under the static shim of an HTML export.

export const SHIFTS = [-1, 0, 1];
export const SHIFT_STEP = 0.05;
export const GAMMA_STEP = 0.25;
export const GATE_STEP = 0.05;

// --- the arithmetic ------------------------------------------------------------------------------------------

/** numpy.sum of a float64 vector, in numpy's order: pairwise, with eight running sums in blocks of 128. */
export function numpySum(values, start = 0, n = values.length - start) {
  if (n < 8) {
    let sum = 0;
    for (let i = start; i < start + n; i++) sum += values[i];
    return sum;
  }
  if (n <= 128) {
    const r = [];
    for (let j = 0; j < 8; j++) r.push(values[start + j]);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    let sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) sum += values[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return numpySum(values, start, half) + numpySum(values, start + half, n - half);
}

/** The shift distribution s: the slider values divided by their sum, or uniform when they are all 0. */
export function shiftDistribution(raw) {
  const values = Float64Array.from(raw);
  const total = numpySum(values);
  if (total === 0) return Float64Array.from(values, () => 1 / 3);
  return Float64Array.from(values, (v) => v / total);
}

/** Equation (7), convlib.shifting.ntm_interpolate: g * content + (1 - g) * previous. */
export function interpolate(content, previous, gate) {
  const keep = 1 - gate;
  return Float64Array.from(content, (c, i) => gate * c + keep * previous[i]);
}

/** Equation (8), convlib.shifting.ntm_shift: slot i receives weights[(i - shift) mod N] x s[k], shift by shift. */
export function shift(weights, s, shifts = SHIFTS) {
  const n = weights.length;
  const out = new Float64Array(n);
  shifts.forEach((amount, k) => {
    const offset = ((amount % n) + n) % n;
    for (let i = 0; i < n; i++) out[i] += s[k] * weights[(i - offset + n) % n];
  });
  return out;
}

/** x ** gamma as numpy's power does it: exact for gamma 1, x * x for 2, else pow. */
function power(x, gamma) {
  if (gamma === 1) return x;
  if (gamma === 2) return x * x;
  return Math.pow(x, gamma);
}

/** Equation (9), convlib.shifting.ntm_sharpen: (w / max w) ** gamma, renormalised. */
export function sharpen(weights, gamma) {
  let largest = -Infinity;
  for (const w of weights) if (w > largest) largest = w;
  const powered = Float64Array.from(weights, (w) => power(w / largest, gamma));
  const total = numpySum(powered);
  return Float64Array.from(powered, (p) => p / total);
}

/** One addressing step from `previous`: {interpolated, shifted, sharpened}. */
export function addressingStep(previous, content, s, gamma, gate) {
  const interpolated = interpolate(content, previous, gate);
  const shifted = shift(interpolated, s);
  return { interpolated, shifted, sharpened: sharpen(shifted, gamma) };
}

/** head_trajectory: row 0 is `previous`, row t the step applied to row t - 1 (content held fixed). */
export function trajectory(previous, content, s, gamma, gate, steps) {
  const rows = [Float64Array.from(previous)];
  for (let t = 0; t < steps; t++) rows.push(addressingStep(rows[t], content, s, gamma, gate).sharpened);
  return rows;
}

/** Everything the view shows, from the state: {s, uniform, content, previous, interpolated, shifted, sharpened, rows}. */
export function compute(state) {
  const previous = Float64Array.from(state.previous_weights);
  const content = Float64Array.from(state.content_weights);
  const s = shiftDistribution(state.shift_weights);
  const uniform = numpySum(Float64Array.from(state.shift_weights)) === 0;
  const step = addressingStep(previous, content, s, state.gamma, state.gate);
  const rows = trajectory(previous, content, s, state.gamma, state.gate, state.steps);
  return { s, uniform, previous, content, ...step, rows };
}

/** A slider value moved by `change`, on the grid min + k * step, clipped to [min, max], with no float dust. */
export function stepValue(value, change, step, min, max) {
  const moved = Math.round((value + change - min) / step) * step + min;
  return Number(Math.min(max, Math.max(min, moved)).toFixed(10));
}

// --- the view ------------------------------------------------------------------------------------------------

// Okabe-Ito colours (_shared.js), and gray.
const COLOURS = { s: PURPLE, previous: "#999999", content: ORANGE, interpolated: GREEN, shifted: BLUE,
  sharpened: VERMILION };
// viridis, 11 stops from 0 to 1.
const VIRIDIS = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70",
  "#7ad151", "#bddf26", "#fde725"].map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));

/** The viridis colour of a weight in [0, 1] (the heat map's fixed scale). */
export function viridis(value) {
  const t = Math.min(1, Math.max(0, value)) * 10;
  const i = Math.min(9, Math.floor(t)), f = t - i;
  const [a, b] = [VIRIDIS[i], VIRIDIS[i + 1]];
  return `rgb(${a.map((c, k) => Math.round(c + (b[k] - c) * f)).join(",")})`;
}

const STYLE = `
.convlib-ntm { font: 14px/1.35 system-ui, sans-serif; color: #1b1b1b; display: flex; flex-direction: column;
  gap: 10px; max-width: 680px; }
.convlib-ntm .controls { display: grid; grid-template-columns: repeat(3, minmax(180px, 1fr)); gap: 8px 18px; }
.convlib-ntm .control { display: flex; flex-direction: column; gap: 2px; }
.convlib-ntm .control span { display: flex; justify-content: space-between; gap: 6px; white-space: nowrap; }
.convlib-ntm .control output { font: 600 14px/1.2 ui-monospace, monospace; }
.convlib-ntm input[type=range] { width: 100%; margin: 4px 0; accent-color: #0072b2; cursor: pointer; }
.convlib-ntm input[type=range]:focus { outline: 3px solid #0072b2; outline-offset: 2px; border-radius: 3px; }
.convlib-ntm .readout { font-size: 14px; }
.convlib-ntm svg { display: block; overflow: visible; }
.convlib-ntm svg text { font-family: system-ui, sans-serif; fill: #1b1b1b; }
`;

const fixed = (value, digits = 2) => value.toFixed(digits);

function stateOf(model) {
  return {
    previous_weights: model.get("previous_weights"), content_weights: model.get("content_weights"),
    shift_weights: model.get("shift_weights"), gamma: model.get("gamma"), gate: model.get("gate"),
    steps: model.get("steps"),
  };
}

// Geometry of the picture (CSS pixels; text 12-14 px).
const WIDTH = 660;
const LEFT = 44;            // room for the y ticks and the rotated axis label
const BAR_TOP = 40;         // below the two-line panel titles
const BAR_HEIGHT = 110;
const GAP = 14;
const S_WIDTH = 78;
const ROW_HEIGHT = 16;

function render({ model, el }) {
  const root = element("div", { class: "convlib-ntm", role: "group",
    "aria-label": "Neural Turing Machine shift addressing explorer" }, el);
  element("style", { text: STYLE }, root);
  const controls = element("div", { class: "controls" }, root);
  const maxGamma = model.get("max_gamma");
  const n = model.get("previous_weights").length;
  const steps = model.get("steps");

  let inputAt = null;  // when the input behind the next picture happened (event.timeStamp), for the latency record
  // Set changes together, draw, then tell Python (the picture does not wait for the message): modelChanges.
  const { commit, fromElsewhere } = modelChanges(model, () => draw());

  // --- the five sliders: keyboard (arrows, Page Up/Down, Home/End) and pointer ---
  const sliders = [];
  function slider(name, label, aria, min, max, step, get, set) {
    const box = element("label", { class: "control" }, controls);
    const head = element("span", {}, box);
    element("span", { text: label }, head);
    const readout = element("output", { "data-name": name }, head);
    const range = element("input", { type: "range", min: String(min), max: String(max), step: String(step),
      "aria-label": aria, "data-name": name }, box);
    keepKeys(range, (event) => {  // JupyterLab's notebook shortcuts must not take the arrow keys
      const big = 5 * step;
      const change = { ArrowUp: step, ArrowRight: step, ArrowDown: -step, ArrowLeft: -step, PageUp: big,
        PageDown: -big, Home: -Infinity, End: Infinity }[event.key];
      if (change === undefined) return;
      event.preventDefault();
      inputAt = event.timeStamp;
      const value = get();
      const next = Number.isFinite(change) ? stepValue(value, (event.shiftKey ? 5 : 1) * change, step, min, max)
        : change < 0 ? min : max;
      if (next !== value) set(next);
      else inputAt = null;
    });
    range.addEventListener("input", (event) => {  // a drag or a click on the track
      inputAt = event.timeStamp;
      const next = stepValue(Number(range.value), 0, step, min, max);
      if (next !== get()) set(next);
      else inputAt = null;
    });
    const entry = { name, range, readout, get };
    sliders.push(entry);
    return entry;
  }
  const labels = ["shift −1", "shift 0", "shift +1"];
  const arias = ["weight of shift minus 1 (one slot back)", "weight of shift 0 (stay)",
    "weight of shift plus 1 (one slot on)"];
  ["s(-1)", "s(0)", "s(+1)"].forEach((name, k) => {
    slider(name, labels[k], arias[k], 0, 1, SHIFT_STEP, () => model.get("shift_weights")[k], (value) => {
      const weights = model.get("shift_weights").slice();
      weights[k] = value;
      commit({ shift_weights: weights });
    });
  });
  slider("gamma", "sharpening γ", "sharpening exponent gamma", 1, maxGamma, GAMMA_STEP, () => model.get("gamma"),
    (value) => commit({ gamma: value }));
  slider("gate", "gate g", "interpolation gate g", 0, 1, GATE_STEP, () => model.get("gate"),
    (value) => commit({ gate: value }));
  const readout = element("div", { class: "readout", "aria-live": "polite" }, root);

  // --- the picture: one step as bars, then the heat map of the head repeating it ---
  const panelWidth = (WIDTH - LEFT - S_WIDTH - 4 * GAP - 12) / 4;  // 12: room for the last tick label
  const mapTop = BAR_TOP + BAR_HEIGHT + 64;
  const mapWidth = WIDTH - LEFT - 74;
  const mapHeight = (steps + 1) * ROW_HEIGHT;
  const height = mapTop + mapHeight + 46;
  const picture = svgElement("svg", { width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, role: "img" }, root);
  const yOf = (value) => BAR_TOP + BAR_HEIGHT * (1 - value);

  function axes(x, width, title) {
    const group = svgElement("g", {}, picture);
    const lines = [svgElement("text", { x: x + width / 2, y: 14, "text-anchor": "middle", "font-size": 13,
      "font-weight": 600, text: title }, group),
    svgElement("text", { x: x + width / 2, y: 30, "text-anchor": "middle", "font-size": 12 }, group)];
    svgElement("rect", { x, y: BAR_TOP, width, height: BAR_HEIGHT, fill: "none", stroke: "#666" }, group);
    for (const value of [0.5, 1]) {
      svgElement("line", { x1: x, x2: x + width, y1: yOf(value), y2: yOf(value), stroke: "#ddd" }, group);
    }
    return { group, subtitle: lines[1] };
  }

  function bars(group, x, width, count, attributes, role) {
    const slot = width / count;
    const list = [];
    for (let i = 0; i < count; i++) {
      list.push(svgElement("rect", { x: x + i * slot + slot * 0.1, width: slot * 0.8, y: yOf(0), height: 0,
        "data-role": role, "data-index": i, ...attributes }, group));
    }
    return list;
  }

  function setBars(list, values) {
    list.forEach((bar, i) => {
      const value = values[i];
      bar.setAttribute("y", yOf(Math.min(1, value)));
      bar.setAttribute("height", BAR_HEIGHT * Math.min(1, value));
      bar.setAttribute("data-value", String(value));
    });
  }

  // y axis of the bar row: 0, 0.5, 1 and "weight"
  for (const value of [0, 0.5, 1]) {
    svgElement("text", { x: LEFT - 6, y: yOf(value) + 4, "text-anchor": "end", "font-size": 12, text: String(value) },
      picture);
  }
  svgElement("text", { x: 12, y: BAR_TOP + BAR_HEIGHT / 2, "text-anchor": "middle", "font-size": 12,
    transform: `rotate(-90 12 ${BAR_TOP + BAR_HEIGHT / 2})`, text: "weight" }, picture);

  const sPanel = axes(LEFT, S_WIDTH, "shifts s");
  const sBars = bars(sPanel.group, LEFT, S_WIDTH, 3, { fill: COLOURS.s }, "s");
  SHIFTS.forEach((amount, k) => {
    svgElement("text", { x: LEFT + (k + 0.5) * (S_WIDTH / 3), y: BAR_TOP + BAR_HEIGHT + 15, "text-anchor": "middle",
      "font-size": 12, text: amount > 0 ? "+1" : amount < 0 ? "−1" : "0" }, picture);
  });
  svgElement("text", { x: LEFT + S_WIDTH / 2, y: BAR_TOP + BAR_HEIGHT + 31, "text-anchor": "middle", "font-size": 12,
    text: "shift" }, picture);
  sPanel.subtitle.textContent = "(normalised)";

  const panels = {};
  const names = ["previous", "interpolated", "shifted", "sharpened"];
  const titles = { previous: "previous", interpolated: "(7) gated", shifted: "(8) shifted",
    sharpened: "(9) sharpened" };
  names.forEach((name, p) => {
    const x = LEFT + S_WIDTH + GAP + p * (panelWidth + GAP);
    const panel = axes(x, panelWidth, titles[name]);
    panel.x = x;
    if (name === "previous") {
      panel.bars = bars(panel.group, x, panelWidth, n, { fill: COLOURS.previous }, "previous");
      panel.outline = bars(panel.group, x, panelWidth, n, { fill: "none", stroke: COLOURS.content,
        "stroke-width": 2 }, "content");
      panel.subtitle.textContent = "content: orange";
    } else {
      panel.bars = bars(panel.group, x, panelWidth, n, { fill: COLOURS[name] }, name);
    }
    const slot = panelWidth / n;
    for (const i of [0, Math.floor(n / 2), n - 1]) {
      svgElement("text", { x: x + (i + 0.5) * slot, y: BAR_TOP + BAR_HEIGHT + 15, "text-anchor": "middle",
        "font-size": 12, text: String(i) }, picture);
    }
    panels[name] = panel;
  });
  const slotsLeft = LEFT + S_WIDTH + GAP;
  svgElement("text", { x: (slotsLeft + WIDTH - 12) / 2, y: BAR_TOP + BAR_HEIGHT + 31, "text-anchor": "middle", "font-size": 12,
    text: "memory slot" }, picture);

  // the heat map: row t is the weighting after t steps
  const mapTitle = svgElement("text", { x: LEFT + mapWidth / 2, y: mapTop - 10, "text-anchor": "middle", "font-size": 13,
    "font-weight": 600, text: `the head repeating this step ${steps} times (row 0: previous)` }, picture);
  mapTitle.setAttribute("data-role", "map-title");
  const cellWidth = mapWidth / n;
  const cells = [];
  for (let t = 0; t <= steps; t++) {
    const row = [];
    for (let i = 0; i < n; i++) {
      row.push(svgElement("rect", { x: LEFT + i * cellWidth, y: mapTop + t * ROW_HEIGHT, width: cellWidth + 0.5,
        height: ROW_HEIGHT + 0.5, "data-role": "map", "data-step": t, "data-index": i }, picture));
    }
    cells.push(row);
  }
  svgElement("rect", { x: LEFT, y: mapTop, width: mapWidth, height: mapHeight, fill: "none", stroke: "#666" }, picture);
  const stepTick = Math.max(1, Math.ceil(steps / 12));
  for (let t = 0; t <= steps; t += stepTick) {
    svgElement("text", { x: LEFT - 6, y: mapTop + (t + 0.5) * ROW_HEIGHT + 4, "text-anchor": "end", "font-size": 12,
      text: String(t) }, picture);
  }
  svgElement("text", { x: 12, y: mapTop + mapHeight / 2, "text-anchor": "middle", "font-size": 12,
    transform: `rotate(-90 12 ${mapTop + mapHeight / 2})`, text: "step t" }, picture);
  const slotTick = Math.max(1, Math.ceil(n / 16));
  for (let i = 0; i < n; i += slotTick) {
    svgElement("text", { x: LEFT + (i + 0.5) * cellWidth, y: mapTop + mapHeight + 15, "text-anchor": "middle",
      "font-size": 12, text: String(i) }, picture);
  }
  svgElement("text", { x: LEFT + mapWidth / 2, y: mapTop + mapHeight + 33, "text-anchor": "middle", "font-size": 12,
    text: "memory slot" }, picture);
  // colour bar: the scale is fixed to [0, 1], so a focus that blurs fades as well as spreads
  const barX = LEFT + mapWidth + 14, barSteps = 20;
  for (let k = 0; k < barSteps; k++) {
    const value = 1 - (k + 0.5) / barSteps;
    svgElement("rect", { x: barX, y: mapTop + (k * mapHeight) / barSteps, width: 14, height: mapHeight / barSteps + 0.5,
      fill: viridis(value) }, picture);
  }
  svgElement("rect", { x: barX, y: mapTop, width: 14, height: mapHeight, fill: "none", stroke: "#666" }, picture);
  for (const value of [0, 0.5, 1]) {
    svgElement("text", { x: barX + 18, y: mapTop + mapHeight * (1 - value) + 4, "font-size": 12, text: String(value) },
      picture);
  }
  svgElement("text", { x: barX + 7, y: mapTop + mapHeight + 33, "text-anchor": "middle", "font-size": 12, text: "weight" },
    picture);

  function draw() {
    const state = stateOf(model);
    const started = performance.now();
    const result = compute(state);
    setBars(sBars, result.s);
    setBars(panels.previous.bars, result.previous);
    setBars(panels.previous.outline, result.content);
    for (const name of ["interpolated", "shifted", "sharpened"]) setBars(panels[name].bars, result[name]);
    const peak = (values) => Math.max(...values);
    panels.interpolated.subtitle.textContent = `g = ${fixed(state.gate)}`;
    panels.shifted.subtitle.textContent = `max ${fixed(peak(result.shifted))}`;
    panels.sharpened.subtitle.textContent = `γ = ${fixed(state.gamma)}, max ${fixed(peak(result.sharpened))}`;
    result.rows.forEach((row, t) => row.forEach((value, i) => {
      const cell = cells[t][i];
      cell.setAttribute("fill", viridis(value));
      cell.setAttribute("data-value", String(value));
    }));
    for (const entry of sliders) {
      const value = entry.get();
      entry.readout.textContent = fixed(value);
      entry.readout.setAttribute("data-value", String(value));
      if (document.activeElement !== entry.range || Number(entry.range.value) !== value) entry.range.value = String(value);
      entry.range.setAttribute("aria-valuetext", fixed(value));
    }
    const s = result.s;
    readout.textContent = `s(−1, 0, +1) = (${fixed(s[0])}, ${fixed(s[1])}, ${fixed(s[2])})` +
      `${result.uniform ? " (all shift sliders at 0: uniform)" : ""} · γ = ${fixed(state.gamma)} · ` +
      `g = ${fixed(state.gate)} · peak: shifted ${fixed(peak(result.shifted))} → sharpened ` +
      `${fixed(peak(result.sharpened))}`;
    picture.setAttribute("aria-label", `One addressing step over ${n} memory slots: ${readout.textContent}. ` +
      `Below, a heat map of the head repeating the step ${state.steps} times.`);
    recordDrawn(root, "ntm_explorer", performance.now() - started, inputAt);  // the latency record (read by the tests)
    inputAt = null;
  }

  const redraw = fromElsewhere(draw);
  for (const key of ["shift_weights", "gamma", "gate"]) model.on(`change:${key}`, redraw);
  draw();
  return () => {
    for (const key of ["shift_weights", "gamma", "gate"]) model.off(`change:${key}`, redraw);
  };
}

export default { render };

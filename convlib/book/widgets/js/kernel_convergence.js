// The kernel-convergence viewer: step through a gradient-descent fit of a kernel, in the browser.
//
// The state holds every step's kernel, the target and the losses (a few kilobytes), so moving the
// step slider only redraws. `largestError` is max |kernel - target|, as the Python viewer computes it.

/** max |kernel - target| over the weights. */
export function largestError(kernel, target) {
  let error = 0;
  for (let i = 0; i < kernel.length; i++) error = Math.max(error, Math.abs(kernel[i] - target[i]));
  return error;
}

const STYLE = `
.convlib-kc { font: 14px/1.35 system-ui, sans-serif; color: #1b1b1b; display: flex; flex-direction: column;
  gap: 8px; max-width: 900px; }
.convlib-kc .row { display: flex; gap: 18px; align-items: flex-end; flex-wrap: wrap; }
.convlib-kc figure { margin: 0; }
.convlib-kc figcaption { font-weight: 600; margin-bottom: 4px; text-align: center; }
.convlib-kc .grid { display: grid; gap: 2px; }
.convlib-kc .cell { width: 52px; height: 40px; display: flex; align-items: center; justify-content: center;
  font: 600 13px ui-monospace, monospace; border: 1px solid #666; border-radius: 3px; }
.convlib-kc input[type=range] { width: 420px; }
.convlib-kc input:focus { outline: 3px solid #0072b2; outline-offset: 2px; }
.convlib-kc svg text { font: 12px system-ui, sans-serif; fill: #1b1b1b; }
`;

function drawGrid(grid, values, rows, columns, limit) {
  grid.textContent = "";
  grid.style.gridTemplateColumns = `repeat(${columns}, 52px)`;
  const annotate = rows <= 3 && columns <= 3;
  values.forEach((value) => {
    const [background, text] = weightColour(value, limit);  // Okabe-Ito orange (positive), blue (negative)
    const cell = element("div", { class: "cell", text: annotate ? value.toFixed(2) : "" }, grid);
    cell.style.background = background;
    cell.style.color = text;
  });
}

function render({ model, el }) {
  const root = element("div", { class: "convlib-kc", role: "group", "aria-label": "kernel convergence viewer" }, el);
  element("style", { text: STYLE }, root);
  const kernels = model.get("kernels"), target = model.get("target"), losses = model.get("losses");
  const rows = model.get("rows"), columns = model.get("columns"), steps = kernels.length - 1;
  let limit = 0;
  for (const w of target) limit = Math.max(limit, Math.abs(w));
  limit = limit || 1;

  element("div", { text: `${model.get("title")}: gradient descent, step by step`, style: "font-weight:600" }, root);
  const control = element("label", { style: "display:flex; gap:10px; align-items:center" }, root);
  element("span", { text: "step" }, control);
  const slider = element("input", { type: "range", min: 0, max: steps, step: 1, "aria-label": "gradient step" }, control);
  const readout = element("span", { "aria-live": "polite", "data-role": "readout" }, root);
  const row = element("div", { class: "row" }, root);
  const kernelFigure = element("figure", {}, row);
  const kernelCaption = element("figcaption", {}, kernelFigure);
  const kernelGrid = element("div", { class: "grid", role: "img" }, kernelFigure);
  const targetFigure = element("figure", {}, row);
  element("figcaption", { text: "target" }, targetFigure);
  const targetGrid = element("div", { class: "grid", role: "img", "aria-label": "the target kernel" }, targetFigure);
  drawGrid(targetGrid, target, rows, columns, limit);

  // The loss curve, log scale, with the current step marked.
  const width = 360, height = 170, left = 52, bottom = 34, top = 12, right = 10;
  const svg = svgElement("svg", { width, height, role: "img", "aria-label": "loss per step, log scale" }, row);
  const floor = Number.MIN_VALUE;
  const logs = losses.map((loss) => Math.log10(Math.max(loss, floor)));
  const low = Math.min(...logs), high = Math.max(...logs), span = high - low || 1;
  const x = (step) => left + ((width - left - right) * step) / Math.max(steps, 1);
  const y = (log) => top + ((height - top - bottom) * (high - log)) / span;
  svgElement("path", { d: logs.map((v, s) => `${s ? "L" : "M"}${x(s).toFixed(1)},${y(v).toFixed(1)}`).join(""),
    fill: "none", stroke: BLUE, "stroke-width": 2 }, svg);
  svgElement("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, stroke: "#444" }, svg);
  svgElement("line", { x1: left, y1: top, x2: left, y2: height - bottom, stroke: "#444" }, svg);
  svgElement("text", { x: (left + width) / 2, y: height - 6, "text-anchor": "middle", text: "gradient step" }, svg);
  svgElement("text", { x: 4, y: top + 10, text: `1e${Math.round(high)}` }, svg);
  svgElement("text", { x: 4, y: height - bottom, text: `1e${Math.round(low)}` }, svg);
  svgElement("text", { x: left + 6, y: top + 12, text: "loss (log scale)" }, svg);
  const marker = svgElement("circle", { r: 6, fill: VERMILION, stroke: "#fff", "stroke-width": 1.5 }, svg);

  let inputAt = null;
  function draw() {
    const started = performance.now();
    const step = model.get("step");
    const kernel = kernels[step];
    const error = largestError(kernel, target);
    slider.value = String(step);
    kernelCaption.textContent = `step ${step}`;
    kernelGrid.setAttribute("aria-label", `the kernel after ${step} steps`);
    drawGrid(kernelGrid, kernel, rows, columns, limit);
    marker.setAttribute("cx", x(step));
    marker.setAttribute("cy", y(logs[step]));
    readout.textContent = `step ${step} of ${steps}: loss ${losses[step].toPrecision(3)}, largest weight error ${error.toPrecision(3)}`;
    readout.dataset.loss = String(losses[step]);
    readout.dataset.error = String(error);
    recordDrawn(root, "kernel_convergence", performance.now() - started, inputAt);  // the latency record (read by the tests)
    inputAt = null;
  }
  keepKeys(slider, (event) => { inputAt = event.timeStamp; });
  slider.addEventListener("pointerdown", (event) => { inputAt = event.timeStamp; });
  slider.addEventListener("pointermove", (event) => { if (event.buttons) inputAt = event.timeStamp; });
  slider.addEventListener("input", () => {
    model.set("step", Number(slider.value));
    draw();
    model.save_changes();
  });
  model.on("change:step", () => { if (Number(slider.value) !== model.get("step")) draw(); });
  draw();
}

export default { render };

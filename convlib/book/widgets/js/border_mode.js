// The border-mode explorer's live view: the image padded by a border rule, and the filtered result.
//
// Python computes correlate2d(image, kernel, "same", boundary=mode) once for every kernel and mode and
// sends the results as 8-bit pictures (convlib.images.to_uint8), so choosing a mode or a kernel only
// switches pictures here. The padded image is made here from the image's 8-bit gray levels with
// numpy.pad's rules (paddedPicture), which equals to_uint8(pad(image, widths, mode)) exactly: padding
// copies values (tests/browser/test_padding_explorer_parity.py checks it).
// The module works under anywidget (JupyterLab, VS Code) and under the static shim of an HTML export.

// borderIndex(i, n, mode), numpy.pad's rule, is in _shared.js (put before this module by module_source).
export { borderIndex };

/** 8-bit pixels (height x width, row-major) padded by widths [[top, bottom], [left, right]] as numpy.pad does. */
export function paddedPicture(pixels, width, height, widths, mode) {
  const [[top, bottom], [left, right]] = widths;
  const paddedWidth = width + left + right, paddedHeight = height + top + bottom;
  const out = new Uint8Array(paddedWidth * paddedHeight);
  for (let y = 0; y < paddedHeight; y++) {
    const row = borderIndex(y - top, height, mode);
    if (row < 0) continue;  // a row of the constant border: zeros
    for (let x = 0; x < paddedWidth; x++) {
      const column = borderIndex(x - left, width, mode);
      if (column >= 0) out[y * paddedWidth + x] = pixels[row * width + column];
    }
  }
  return { pixels: out, width: paddedWidth, height: paddedHeight };
}

/** Python's f"{x:.3g}" for ordinary numbers: three significant digits, no trailing zeros. */
export function threeDigits(x) {
  if (x === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(x)));
  if (exponent < -4 || exponent >= 3) {
    const [mantissa, power] = x.toExponential(2).split("e");
    const digits = String(Number(mantissa));
    const sign = power[0] === "-" ? "-" : "+";
    const magnitude = power.replace(/^[-+]/, "").padStart(2, "0");
    return `${digits}e${sign}${magnitude}`;
  }
  return String(Number(x.toPrecision(3)));
}

// --- the view ------------------------------------------------------------------------------------------------

// BLUE, ORANGE, VERMILION (Okabe-Ito) and INK are in _shared.js.
const STYLE = `
.convlib-bm { font: 14px/1.35 system-ui, sans-serif; color: ${INK}; display: flex; flex-direction: column;
  gap: 10px; max-width: 100%; }
.convlib-bm .controls { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: center; }
.convlib-bm .modes { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.convlib-bm .modes > span, .convlib-bm .kernel > span { font-weight: 600; margin-right: 4px; }
.convlib-bm button { font: 600 14px/1.2 system-ui, sans-serif; padding: 5px 10px; border: 2px solid ${BLUE};
  border-radius: 4px; background: #fff; color: ${BLUE}; cursor: pointer; white-space: nowrap; min-width: max-content; }
.convlib-bm button[aria-checked=true] { background: ${BLUE}; color: #fff; }
.convlib-bm button:focus-visible, .convlib-bm select:focus-visible { outline: 3px solid ${VERMILION}; outline-offset: 2px; }
.convlib-bm select { font: inherit; padding: 3px 4px; }
.convlib-bm .pictures { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.convlib-bm figure { margin: 0; position: relative; flex: none; }
.convlib-bm figcaption { font-size: 14px; margin-bottom: 4px; max-width: 320px; min-height: 4em; }
.convlib-bm figcaption code { font-size: 13px; }
.convlib-bm canvas { image-rendering: pixelated; display: block; border: 1px solid #777; }
.convlib-bm .frame { position: absolute; border: 2px solid ${ORANGE}; pointer-events: none; box-sizing: border-box; }
.convlib-bm .readout { font-size: 14px; }
.convlib-bm .readout code { font-size: 13px; }
`;

function bytesOf(buffer) {
  return buffer instanceof DataView
    ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
    : new Uint8Array(buffer.buffer || buffer);
}

function paint(canvas, pixels, width, height, scale) {
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = `${Math.round(width * scale)}px`;
  canvas.style.height = `${Math.round(height * scale)}px`;
  putGray(canvas, new ImageData(width, height), pixels);
}

function render({ model, el }) {
  const root = element("div", { class: "convlib-bm", role: "group", "aria-label": "Border-mode explorer" }, el);
  element("style", { text: STYLE }, root);
  const image = model.get("image");
  const pixels = bytesOf(image.pixels);
  const { width, height } = image;
  const kernels = model.get("kernels");
  const modes = model.get("modes");
  const displaySize = model.get("display_size");
  let inputAt = null;  // when the input behind the next picture happened (event.timeStamp), for the latency record

  const controls = element("div", { class: "controls" }, root);
  const modeGroup = element("div", { class: "modes", role: "radiogroup", "aria-label": "border mode" }, controls);
  element("span", { text: "mode", "aria-hidden": "true" }, modeGroup);
  const buttons = {};
  modes.forEach((mode, index) => {
    const button = element("button", { type: "button", role: "radio", "data-mode": mode, text: mode,
      "aria-label": `border mode ${mode}` }, modeGroup);
    keepKeys(button, (event) => {
      const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      let next = null;
      if (step !== undefined) next = modes[(index + step + modes.length) % modes.length];
      else if (event.key === "Home") next = modes[0];
      else if (event.key === "End") next = modes[modes.length - 1];
      else if (event.key === " " || event.key === "Enter") next = mode;
      if (next === null) return;
      event.preventDefault();
      inputAt = event.timeStamp;
      choose({ mode: next });
      buttons[next].focus();
    });
    button.addEventListener("pointerdown", (event) => { inputAt = event.timeStamp; });
    button.addEventListener("click", (event) => {
      if (inputAt === null) inputAt = event.timeStamp;
      choose({ mode });
    });
    buttons[mode] = button;
  });
  const kernelBox = select(controls, "kernel", Object.keys(kernels).map((name) => [name, name]), { labelClass: "kernel" });
  kernelBox.addEventListener("keydown", (event) => { inputAt = event.timeStamp; });
  kernelBox.addEventListener("pointerdown", (event) => { inputAt = event.timeStamp; });
  kernelBox.addEventListener("change", (event) => {
    if (inputAt === null) inputAt = event.timeStamp;
    choose({ kernel_name: kernelBox.value });
  });

  const pictures = element("div", { class: "pictures" }, root);
  const paddedFigure = element("figure", {}, pictures);
  const paddedCaption = element("figcaption", {}, paddedFigure);
  const paddedCanvas = element("canvas", { role: "img", "data-role": "padded" }, paddedFigure);
  const frame = element("div", { class: "frame", "aria-hidden": "true" }, paddedFigure);
  const outputFigure = element("figure", {}, pictures);
  const outputCaption = element("figcaption", {}, outputFigure);
  const outputCanvas = element("canvas", { role: "img", "data-role": "output" }, outputFigure);
  const readout = element("div", { class: "readout", "aria-live": "polite" }, root);

  // Changes made here are set together, then drawn once (modelChanges); change events redraw only for
  // changes that come from elsewhere (Python, or the shim's state).
  const { commit, fromElsewhere } = modelChanges(model, () => draw());
  function choose(changes) {
    const fresh = Object.entries(changes).filter(([key, value]) => model.get(key) !== value);
    if (!fresh.length) { inputAt = null; return; }
    commit(Object.fromEntries(fresh));
  }

  const paddedCache = new Map();
  function padded(kernelName, mode) {
    const key = `${JSON.stringify(kernels[kernelName].widths)}:${mode}`;
    if (!paddedCache.has(key)) paddedCache.set(key, paddedPicture(pixels, width, height, kernels[kernelName].widths, mode));
    return paddedCache.get(key);
  }

  function draw() {
    const started = performance.now();
    const mode = model.get("mode"), kernelName = model.get("kernel_name");
    const entry = kernels[kernelName];
    const picture = padded(kernelName, mode);
    const scale = displaySize / Math.max(picture.width, picture.height);
    paint(paddedCanvas, picture.pixels, picture.width, picture.height, scale);
    paint(outputCanvas, bytesOf(entry.pictures[mode]), width, height, scale);
    const [[top, bottom], [left, right]] = entry.widths;
    Object.assign(frame.style, {
      left: `${left * scale + 1}px`, top: `${paddedCanvas.offsetTop + top * scale + 1}px`,
      width: `${width * scale}px`, height: `${height * scale}px`,
    });
    const sides = new Set([top, bottom, left, right]);
    const side = sides.size === 1 ? `${top} px each side` : `${top}, ${bottom} px above and below; ${left}, ${right} px left and right`;
    paddedCaption.textContent = `padded with '${mode}', ${side} (orange frame: the image's own pixels)`;
    const shownAs = entry.scaling === "abs" ? "shown as |value| ÷ max" : "shown clipped to 0..1";
    outputCaption.innerHTML = "";
    element("code", { text: `correlate2d(image, kernel, 'same', boundary='${mode}')` }, outputCaption);
    outputCaption.append(`, ${shownAs}`);
    paddedCanvas.setAttribute("aria-label", `${model.get("image_name")} padded with mode ${mode}, ${side}`);
    outputCanvas.setAttribute("aria-label", `the ${kernelName} correlation with border mode ${mode}, ${shownAs}`);
    readout.innerHTML = "";
    element("code", { text: `correlate2d(image, kernel, 'same', boundary='${mode}')` }, readout);
    readout.append(` · output min ${threeDigits(entry.low[mode])}, max ${threeDigits(entry.high[mode])}`);
    for (const [name, button] of Object.entries(buttons)) {
      button.setAttribute("aria-checked", String(name === mode));
      button.tabIndex = name === mode ? 0 : -1;
    }
    kernelBox.value = kernelName;
    recordDrawn(root, "border_mode", performance.now() - started, inputAt);  // the latency record (read by the tests)
    inputAt = null;
  }

  const redraw = fromElsewhere(draw);
  model.on("change:mode", redraw);
  model.on("change:kernel_name", redraw);
  draw();
  return () => {
    model.off("change:mode", redraw);
    model.off("change:kernel_name", redraw);
  };
}

export default { render };

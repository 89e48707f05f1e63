// Helpers shared by the live views' ES modules (convlib/book/widgets/js/*.js).
//
// anywidget loads one module text per view, so the sharing happens when the text is made, not by an
// `import`: convlib.book.widgets.browser_view.module_source(name) returns this file followed by the
// view's module (`{name}.js`), and that one text is what anywidget, the offline HTML export
// (static_html) and the parity tests load. So everything here is a plain top-level function or
// constant of each module: a view's module uses them without importing them, must not declare the
// same names at its top level, and re-exports one with `export { name };` where its tests import it.
// A view's module alone is not a complete module: check one with the concatenation, e.g.
//   python -c "from convlib.book.widgets.browser_view import module_source as m; print(m('ntm_explorer'))" > /tmp/v.mjs
//   node --check /tmp/v.mjs

// --- colours ---------------------------------------------------------------------------------------------------

// Okabe-Ito colours: distinguishable with every common colour-vision deficiency.
const BLACK = "#000000", ORANGE = "#E69F00", SKY = "#56B4E9", GREEN = "#009E73", BLUE = "#0072B2",
  VERMILION = "#D55E00", PURPLE = "#CC79A7";
// The text colour of the views.
const INK = "#1b1b1b";

/** Background and text colour of a weight: orange for positive, blue for negative, stronger for larger |w|.
 *
 * The strength is t = min(|w| / limit, 1): the background goes from 15 % of the colour (t = 0) to all of it,
 * and the text turns white above t = 0.55. Returns [background, text].
 */
function weightColour(w, limit) {
  const t = Math.min(Math.abs(w) / limit, 1);
  const [r, g, b] = w >= 0 ? [230, 159, 0] : [0, 114, 178];  // ORANGE and BLUE
  const linear = (c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const colourAt = (strength) => {
    const rgb = [r, g, b].map((c) => Math.round(255 + (c - 255) * (0.15 + 0.85 * strength)));
    return [rgb, 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])];
  };
  let [rgb, luminance] = colourAt(t);
  // Near-black text needs a luminance above 0.23, white text one below 0.16 (WCAG contrast 4.5): a colour
  // in between is lightened until near-black text reads on it.
  for (let strength = t; luminance >= 0.16 && luminance < 0.23 && strength > 0; strength -= 0.02) {
    [rgb, luminance] = colourAt(Math.max(strength, 0));
  }
  return [`rgb(${rgb.join(",")})`, luminance >= 0.23 ? "#111" : "#fff"];
}

// --- the arithmetic --------------------------------------------------------------------------------------------

/** Index into 0..n-1 for position i outside it, by numpy.pad's rule for `boundary` (-1: the constant 0). */
function borderIndex(i, n, boundary) {
  if (i >= 0 && i < n) return i;
  if (boundary === "constant") return -1;
  if (boundary === "edge") return i < 0 ? 0 : n - 1;
  if (boundary === "wrap") return ((i % n) + n) % n;
  if (n === 1) return 0;
  if (boundary === "reflect") {  // d c b | a b c d | c b a: period 2(n - 1)
    const period = 2 * (n - 1);
    const j = ((i % period) + period) % period;
    return j < n ? j : period - j;
  }
  // "symmetric": b a | a b c d | d c: period 2n
  const period = 2 * n;
  const j = ((i % period) + period) % period;
  return j < n ? j : period - 1 - j;
}

// --- the page --------------------------------------------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";

/** A new element (in `namespace` if given) with attributes (`text`: its text), appended to `parent` if given. */
function element(tag, attributes = {}, parent = null, namespace = null) {
  const node = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  if (parent) parent.appendChild(node);
  return node;
}

/** A new SVG element: `element` in the SVG namespace. */
function svgElement(tag, attributes = {}, parent = null) {
  return element(tag, attributes, parent, SVG);
}

/** Keys must not reach JupyterLab's notebook shortcuts while a control has focus; `onKey(event)` sees them. */
function keepKeys(node, onKey = null) {
  node.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (onKey) onKey(event);
  });
}

/** A labelled <select> of `options` ([value, text] pairs) that keeps its keys (keepKeys), appended to `parent`.
 *
 * `value`: the option chosen at first; `onChange(value)`: called when the reader chooses another;
 * `labelClass`: a class for the label.
 */
function select(parent, labelText, options, { value = null, onChange = null, labelClass = null } = {}) {
  const label = element("label", labelClass ? { class: labelClass } : {}, parent);
  element("span", { text: labelText }, label);
  const box = element("select", { "aria-label": labelText }, label);
  for (const [optionValue, optionText] of options) element("option", { value: optionValue, text: optionText }, box);
  if (value !== null) box.value = String(value);
  keepKeys(box);
  if (onChange) box.addEventListener("change", () => onChange(box.value));
  return box;
}

/** Gray levels 0..255 into `picture` (an ImageData of the canvas's size), put on the canvas. */
function putGray(canvas, picture, pixels) {
  const words = new Uint32Array(picture.data.buffer);  // one RGBA pixel a word (little-endian: A B G R)
  for (let i = 0; i < pixels.length; i++) words[i] = 0xff000000 | (pixels[i] * 0x010101);
  canvas.getContext("2d").putImageData(picture, 0, 0);
}

// --- the model -------------------------------------------------------------------------------------------------

/** The view's own changes to the model, and the model's change events.
 *
 * `commit(changes)` sets the changes together, calls `redraw(changes)` once, then sends them to Python
 * (after drawing: the picture does not wait for the message). `fromElsewhere(handler)` wraps a change
 * event's handler so that it runs only for changes that come from elsewhere (Python, or the shim's state),
 * not for those `commit` is setting.
 */
function modelChanges(model, redraw) {
  let committing = false;
  function commit(changes) {
    committing = true;
    try {
      for (const [key, value] of Object.entries(changes)) model.set(key, value);
    } finally {
      committing = false;
    }
    redraw(changes);
    model.save_changes();
  }
  const fromElsewhere = (handler) => () => { if (!committing) handler(); };
  return { commit, fromElsewhere };
}

/** After a view has drawn: its latency record, and one more in `root.dataset.drawn`.
 *
 * The record (read by the browser tests) is pushed to window.__convlibLatency as {view, compute_ms,
 * latency_ms}: `computeMs` the computing time, latency_ms from `inputAt` (the event.timeStamp of the
 * input behind the picture, or null) to the picture painted. A task queued in the next animation frame
 * runs after that frame has been painted.
 */
function recordDrawn(root, view, computeMs, inputAt) {
  requestAnimationFrame(() => setTimeout(() => {
    const record = window.__convlibLatency || (window.__convlibLatency = []);
    record.push({ view, compute_ms: computeMs, latency_ms: inputAt === null ? null : performance.now() - inputAt });
  }, 0));
  root.dataset.drawn = String((Number(root.dataset.drawn) || 0) + 1);
}

// matplotlib's RdBu_r (ColorBrewer RdBu reversed), the diverging map of the still pictures: 11 colours, blue to red.
const RDBU_R = [[5, 48, 97], [33, 102, 172], [67, 147, 195], [146, 197, 222], [209, 229, 240], [247, 247, 247],
  [253, 219, 199], [244, 165, 130], [214, 96, 77], [178, 24, 43], [103, 0, 31]];

/** The colour of a signed value on RdBu_r, pale as in the still pictures: red positive, blue negative, near-white 0.
 *
 * As convlib.book.figures.images._signed_colours: at most 60 % of the map each way, so dark numbers read on every cell.
 */
function signedColour(value, limit) {
  const unit = 0.5 + 0.5 * Math.max(-1, Math.min(1, value / (limit || 1))) * 0.6;
  const at = unit * (RDBU_R.length - 1), i = Math.min(Math.floor(at), RDBU_R.length - 2), t = at - i;
  const rgb = RDBU_R[i].map((c, j) => Math.round(c + (RDBU_R[i + 1][j] - c) * t));
  return `rgb(${rgb.join(",")})`;
}

/** An SVG drawn again for every step with (mostly) the same nodes: only what changes is written.
 *
 * Each draw goes begin(), then node(key, tag, attributes) for every node in drawing order (attributes as
 * for `element`; `text`: its text), then end(). A node drawn before under the same key is kept and only
 * its changed attributes and text are set; a new one goes in its place in the order; one not drawn again
 * is removed. So the SVG is the one a fresh drawing would make, at the cost of the differences.
 */
function redrawnSvg(svg) {
  let nodes = new Map();  // key -> {node, tag, attributes}
  let drawn = null, last = null;
  return {
    begin() {
      drawn = new Map();
      last = null;
    },
    node(key, tag, attributes) {
      let entry = nodes.get(key);
      if (!entry || entry.tag !== tag) {
        entry = { node: svgElement(tag, attributes), tag, attributes };
        svg.insertBefore(entry.node, last ? last.nextSibling : svg.firstChild);
      } else {
        const { node, attributes: before } = entry;
        for (const [name, value] of Object.entries(attributes)) {
          if (before[name] === value) continue;
          if (name === "text") node.textContent = value;
          else node.setAttribute(name, value);
        }
        for (const name of Object.keys(before)) {
          if (name in attributes) continue;
          if (name === "text") node.textContent = "";
          else node.removeAttribute(name);
        }
        entry.attributes = attributes;
      }
      drawn.set(key, entry);
      last = entry.node;
      return entry.node;
    },
    end() {
      for (const [key, entry] of nodes) if (!drawn.has(key)) entry.node.remove();
      nodes = drawn;
    },
  };
}

/** Sets `node[key]` (or its attribute `key` when `attribute`) only when it differs: no needless DOM work.
 *
 * Values are compared with what the node holds (a control the reader changed is compared as it is now),
 * but innerHTML with the last one set here (reading it back would serialise the node).
 */
function put(node, key, value, attribute = false) {
  if (attribute) {
    if (node.getAttribute(key) !== value) node.setAttribute(key, value);
  } else if (key === "innerHTML") {
    if (node.convlibHTML !== value) node.innerHTML = node.convlibHTML = value;
  } else if (node[key] !== value) node[key] = value;
}

/** `model` for modelChanges, but sending the changes to Python waits until the picture is painted.
 *
 * save_changes runs in a task after the next animation frame (as recordDrawn's record): the picture does
 * not wait for the message, and Python gets the same changes a frame later (all of them, if more came).
 */
function paintFirst(model) {
  let pending = false;
  return {
    set: (key, value) => model.set(key, value),
    save_changes() {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => setTimeout(() => {
        pending = false;
        model.save_changes();
      }, 0));
    },
  };
}

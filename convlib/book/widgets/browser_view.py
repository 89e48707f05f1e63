"""Live views that compute in the browser: an anywidget model, its ES module, and a state to embed.

A browser view's ES module (in ``convlib/book/widgets/js/``) does the live work where the picture
is shown, so a drag costs no trip to Python. The same module runs in three places:

* JupyterLab, VS Code and other anywidget hosts, through :class:`BrowserView` (an
  ``anywidget.AnyWidget``): Python holds the state in traits and stays the reference;
* an HTML export or the course website, with no kernel and no widget manager: the view's output
  carries :data:`LIVE_MIMETYPE`, ``{"module": name, "state": {...}}``, and
  ``scripts/export_html.py`` turns it into the module plus a small stand-in for anywidget's model
  (:func:`static_html`);
* GitHub and nbviewer, which know neither, show the view's static PNG.

anywidget loads one module text per view, so the helpers the views share (numpy.pad's border rule,
building elements, keeping keys from JupyterLab, the latency record, Okabe-Ito colours, ...) are shared
when that text is made: ``js/_shared.js`` holds them once, as plain top-level functions and constants,
and :func:`module_source` returns it followed by the view's own module (the kernel editor's with its
WebAssembly filters between the two). Everything that loads a view
(:class:`BrowserView`, :func:`static_html`, the parity tests) goes through :func:`module_source`.
"""

from __future__ import annotations

import base64
import html
import json
from importlib import resources

import anywidget

__all__ = ["LIVE_MIMETYPE", "BrowserView", "module_source", "static_html"]

#: The output type that carries a browser view's module name and state (ignored by front ends that do
#: not know it; read by the HTML export).
LIVE_MIMETYPE = "application/vnd.convlib.live+json"


#: The helpers every view's module may use: put before the module's own text (see :func:`module_source`).
SHARED_MODULE = "_shared"


def _js_text(name: str) -> str:
    return resources.files("convlib.book.widgets").joinpath("js", f"{name}.js").read_text(encoding="utf-8")


def module_source(name: str) -> str:
    """The ES module of the view ``name``, as text: ``js/_shared.js`` followed by ``js/{name}.js``.

    The shared helpers become top-level functions and constants of the view's module, which uses them
    without importing them (and re-exports those its tests import). The kernel editor's module also
    gets its WebAssembly filters, as the constant ``CORRELATE_WASM`` (made by
    ``convlib.book.widgets.kernel_editor.wasm``), between the two.

    Examples
    --------
    >>> source = module_source("kernel_editor")
    >>> "export default" in source and source.startswith(module_source("_shared"))
    True
    """
    if name == SHARED_MODULE:
        return _js_text(name)
    generated = ""
    if name == "kernel_editor":
        # Imported here: the kernel_editor package imports this module (its widget is a BrowserView).
        from convlib.book.widgets.kernel_editor.wasm import wasm_constant

        generated = wasm_constant()
    return f"{_js_text(SHARED_MODULE)}\n{generated}{_js_text(name)}"


class BrowserView(anywidget.AnyWidget):
    """An anywidget whose module is one of ``convlib/book/widgets/js/*.js`` (set ``_module`` in a subclass)."""

    _module: str = ""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(_esm=module_source(self._module), **kwargs)

    def live_state(self, alt: str = "") -> dict[str, object]:
        """The module's name, the synced traits as JSON (bytes as ``{"base64": ...}``) and a text alternative.

        This is the :data:`LIVE_MIMETYPE` payload: ``{"module": ..., "state": {...}, "alt": ...}``.
        """
        state = {}
        for name in self.keys:
            if name.startswith("_") or name in ("layout", "tabbable", "tooltip", "comm", "keys", "log"):
                continue
            state[name] = _jsonable(getattr(self, name))
        return {"module": self._module, "state": state, "alt": alt}


def _jsonable(value: object) -> object:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


# A stand-in for anywidget's model: get/set/on/off/save_changes over a plain object. Bytes come back
# as DataView, as anywidget gives them.
_SHIM = """
function convlibModel(state) {
  const decode = (value) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      if (typeof value.base64 === "string" && Object.keys(value).length === 1) {
        const raw = atob(value.base64), bytes = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
        return new DataView(bytes.buffer);
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
    }
    return Array.isArray(value) ? value.map(decode) : value;
  };
  const values = decode(state), listeners = {};
  return {
    get: (key) => values[key],
    set: (key, value) => {
      const old = values[key];
      values[key] = value;
      if (old !== value) (listeners["change:" + key] || []).forEach((f) => f());
    },
    on: (event, callback) => { (listeners[event] = listeners[event] || []).push(callback); },
    off: (event, callback) => { listeners[event] = (listeners[event] || []).filter((f) => f !== callback); },
    save_changes: () => {},
    send: () => {},
  };
}
"""


def static_html(live: dict[str, object], picture_png: str, alt: str, element_id: str) -> str:
    """HTML that runs a browser view without a kernel: its module, its state, and the PNG until it starts.

    ``live`` is the :data:`LIVE_MIMETYPE` payload; ``picture_png`` the view's PNG (base64), shown
    until the module has drawn (and where scripts do not run); ``alt`` its text alternative.

    Examples
    --------
    >>> page = static_html({"module": "kernel_editor", "state": {}}, "iVBORw0KGgo=", "a picture", "view-1")
    >>> 'type="module"' in page and 'alt="a picture"' in page
    True
    """
    module = module_source(str(live["module"]))
    state = json.dumps(live["state"]).replace("</", "<\\/")
    code = json.dumps(module).replace("</", "<\\/")
    return (
        f'<div class="convlib-live" id="{element_id}">'
        f'<img src="data:image/png;base64,{picture_png}" alt="{html.escape(alt)}" class="convlib-live-picture"></div>\n'
        f'<script type="application/json" id="{element_id}-state">{state}</script>\n'
        '<script type="module">\n'
        f"{_SHIM}\n"
        f"const host = document.getElementById({json.dumps(element_id)});\n"
        f"const state = JSON.parse(document.getElementById({json.dumps(element_id + '-state')}).textContent);\n"
        f"const code = {code};\n"
        'const url = URL.createObjectURL(new Blob([code], {type: "text/javascript"}));\n'
        "const module = await import(url);\n"
        'const view = document.createElement("div");\n'
        "module.default.render({model: convlibModel(state), el: view});\n"
        "host.replaceChildren(view);\n"
        "</script>\n"
    )

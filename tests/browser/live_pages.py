"""Shared by the browser tests: reading a view's state and pictures, driving it, timing it, going offline.

* reading: :func:`canvas_pixels`, :func:`page_state` (the kernel editor), :func:`drawn`;
* driving: :func:`wait_drawn`, :func:`drawn_view`, :func:`redraws`, :func:`press_and_wait` (an input,
  then the view's next picture), :func:`box_on_screen` (where to point), :func:`save_and_reopen`
  (a JupyterLab notebook);
* fitting a projector: :func:`beside_the_sidebar`, :func:`assert_within`, :func:`smallest_text_px`;
* timing: :func:`record_count`, :func:`latencies`, :func:`summary` over ``window.__convlibLatency``
  (the records the views push, ``recordDrawn`` in ``convlib/book/widgets/js/_shared.js``),
  :func:`environment` and :func:`write_results` for the benchmark files;
* parity: :func:`run_in_module`, a view's module alone in a blank page;
* offline: :func:`open_offline`, a notebook exported as HTML opened from ``file://`` with no network,
  and :func:`fetched_by_views`.
"""

from __future__ import annotations

import base64
import json
import os
import platform
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from convlib.book.export import export_html
from convlib.book.widgets.browser_view import module_source

VIEWPORT = {"width": 1280, "height": 720}

# The gray levels a canvas shows (its red channel: the pictures are gray), as base64.
CANVAS_PIXELS = """
(canvas) => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let text = "";
  for (let i = 0; i < data.length; i += 4) text += String.fromCharCode(data[i]);
  return [canvas.width, canvas.height, btoa(text)];
}
"""


def canvas_pixels(canvas) -> np.ndarray:
    """The gray levels a canvas shows, as a (height, width) uint8 array."""
    width, height, data = canvas.evaluate(CANVAS_PIXELS)
    return np.frombuffer(base64.b64decode(data), np.uint8).reshape(height, width)


def page_state(editor) -> dict:
    """What the page shows: weights (the cells), normalise, operation, border, scaling."""
    texts = [cell.input_value() for cell in editor.locator("input.cell").all()]
    size = round(len(texts) ** 0.5)
    assert size * size == len(texts) and size in (3, 5), f"unexpected number of weight cells: {len(texts)}"
    return {
        "weights": np.array([float(text) for text in texts]).reshape(size, size),
        "normalise": editor.get_by_label("divide the weights by their sum").is_checked(),
        "operation": editor.get_by_label("operation").input_value(),
        "boundary": editor.get_by_label("border").input_value(),
        "scaling": editor.get_by_label("gray levels").input_value(),
    }


# --- driving a view ---------------------------------------------------------------------------------------------


def drawn(view) -> int:
    """How many pictures the view has drawn (its root's ``data-drawn``)."""
    return int(view.get_attribute("data-drawn") or 0)


def wait_drawn(page, view, count: int) -> None:
    """Wait until the view (a locator or an element handle) has drawn more than ``count`` pictures (0: its first)."""
    handle = view if hasattr(view, "as_element") else view.element_handle()
    page.wait_for_function("([root, count]) => Number(root.dataset.drawn) > count", arg=[handle, count])


def box_on_screen(locator) -> dict:
    """``locator``'s bounding box, once scrolled into view, for a pointer to aim at.

    JupyterLab lays out an off-screen cell only when it comes near the screen, so the cells above a view
    can change height while a test runs: a box measured earlier may be off the screen now.
    """
    locator.scroll_into_view_if_needed()
    return locator.bounding_box()


def drawn_view(page, selector: str):
    """The view ``selector`` (a locator), once it is visible (within 15 s) and has drawn its first picture."""
    view = page.locator(selector)
    view.wait_for(state="visible", timeout=15_000)
    wait_drawn(page, view, 0)
    return view


@contextmanager
def redraws(page, view) -> Iterator[None]:
    """``with redraws(page, view): <an input>``: wait for the view's next picture after the input.

    The view is looked up before the input: a locator's query walks JupyterLab's whole page (several ms
    of the page's main thread), and one made between the input and the picture would delay the picture
    by that much, a delay of the test, not of the view.
    """
    handle = view.element_handle()
    count = page.evaluate("root => Number(root.dataset.drawn) || 0", handle)
    yield
    wait_drawn(page, handle, count)


def press_and_wait(page, view, key: str) -> None:
    """Press ``key`` on the focused control as a person does: key down, the picture painted, key up.

    A person's key comes up some 100 ms after it went down. Playwright's ``keyboard.press`` sends the
    key-up at once, and the browser brings the page's layout up to date for it, before the frame that
    paints the key-down's picture: a delay of the test, not of the view.
    """
    records = record_count(page)
    try:
        with redraws(page, view):
            page.keyboard.down(key)
        # Painted: the view pushes its latency record in a task after the frame that paints the picture.
        page.wait_for_function("count => (window.__convlibLatency || []).length > count", arg=records)
    finally:
        page.keyboard.up(key)


def save_and_reopen(lab) -> None:
    """Save the notebook, reload JupyterLab's page and wait until the notebook shows again (3 s for its outputs)."""
    page = lab.page
    page.evaluate("async () => await window.jupyterapp.commands.execute('docmanager:save')")
    page.reload()
    lab.panel.wait_for(state="visible", timeout=60_000)
    page.wait_for_function("!!window.jupyterapp && !!window.jupyterapp.shell.currentWidget")
    page.wait_for_timeout(3000)


# --- fitting a projector: JupyterLab's file browser open beside the notebook ---------------------------------

# The smallest text a view shows, in CSS px: its SVG text as drawn (font size times the SVG's scale) and
# the elements ``selector`` names.
SMALLEST_TEXT = """
(root, selector) => {
  const sizes = [];
  for (const svg of root.querySelectorAll("svg[viewBox]")) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll("text")) sizes.push(Number(text.getAttribute("font-size")) * scale);
  }
  for (const node of root.querySelectorAll(selector)) sizes.push(parseFloat(getComputedStyle(node).fontSize));
  return Math.min(...sizes);
}
"""


@contextmanager
def beside_the_sidebar(lab, view, screenshot: Path) -> Iterator[dict]:
    """``with beside_the_sidebar(lab, view, path) as panel_box:``: the file browser open, as a learner first sees
    the lab, and the view scrolled into view; yields the notebook panel's box. Then a screenshot of the view
    to ``path``, and the sidebar closed again.
    """
    page = lab.page
    page.evaluate("() => window.jupyterapp.shell.expandLeft()")
    page.wait_for_timeout(300)  # the views lay themselves out again for the new width
    view.scroll_into_view_if_needed()
    yield lab.panel.bounding_box()
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    view.screenshot(path=str(screenshot))
    page.evaluate("() => window.jupyterapp.shell.collapseLeft()")


def assert_within(view, parts: tuple[str, ...], panel_box: dict) -> None:
    """Each of the view's ``parts`` (selectors; the first match) ends inside the notebook's width: nothing cut off."""
    for part in parts:
        box = view.locator(part).first.bounding_box()
        assert box["x"] + box["width"] <= panel_box["x"] + panel_box["width"] + 1, f"{part} is cut off"


def smallest_text_px(view, selector: str) -> float:
    """The smallest text of the view in CSS px (see :data:`SMALLEST_TEXT`)."""
    return view.evaluate(SMALLEST_TEXT, selector)


# --- timing: the views' latency records ----------------------------------------------------------------------


def record_count(page) -> int:
    """How many latency records the page holds (the start of the next measurement)."""
    return len(page.evaluate("window.__convlibLatency || []"))


def latencies(page, start: int, view: str, field: str = "latency_ms") -> list[float]:
    """``field`` of the latency records of ``view`` from record ``start`` on, those with a latency (an input)."""
    records = page.evaluate("window.__convlibLatency || []")[start:]
    return [r[field] for r in records if r["view"] == view and r["latency_ms"] is not None]


def key_latencies(page, view, control, keys: tuple[str, str], name: str, presses: int, gap_ms: int):
    """Press ``keys`` in turn on ``control``, ``presses`` times, each alone; the input → painted latencies and
    compute times of ``name``'s pictures. Asserts one new picture per key press.
    """
    first = record_count(page)
    control.focus()
    for press in range(presses):
        press_and_wait(page, view, keys[press % 2])
        page.wait_for_timeout(gap_ms)
    painted, compute = latencies(page, first, name), latencies(page, first, name, "compute_ms")
    assert len(painted) == presses, f"{len(painted)} pictures for {presses} key presses"
    return painted, compute


def summary(values: list[float]) -> dict:
    """events, median, p95 and max of times in ms (0.1 ms)."""
    return {
        "events": len(values),
        "median_ms": round(float(np.median(values)), 1),
        "p95_ms": round(float(np.percentile(values, 95)), 1),
        "max_ms": round(float(max(values)), 1),
    }


def environment(chromium) -> dict:
    """Where a benchmark ran: browser, Python, machine, load and date (the last entries of a results file)."""
    return {
        "browser": f"Chromium {chromium.version} (headless)",
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {platform.system()}, {os.cpu_count()} CPUs",
        "load_average_1min": round(os.getloadavg()[0], 2),
        "date": time.strftime("%Y-%m-%d"),
    }


def write_results(path: Path, results: dict) -> None:
    """Write a benchmark's results as JSON (``benchmarks/results/...``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


# --- a view's module alone, in a blank page (the parity tests) -------------------------------------------------

# Imports the module from its text (a data: URL), then awaits `run(module, ...args)`; `run` comes as text.
IN_MODULE = """
async ([code, run, args]) => {
  const module = await import("data:text/javascript;base64," + btoa(unescape(encodeURIComponent(code))));
  return await (0, eval)(`(${run})`)(module, ...args);
}
"""


def run_in_module(chromium, name: str, run: str, *args):
    """The result of ``run`` (JavaScript: a function of the module and ``args``) on view ``name``'s module.

    The module is :func:`~convlib.book.widgets.browser_view.module_source`'s text, imported in a blank page
    of ``chromium``; ``args`` go to the page as JSON, and so does the result.
    """
    page = chromium.new_page()
    try:
        page.goto("about:blank")
        return page.evaluate(IN_MODULE, [module_source(name), run, list(args)])
    finally:
        page.close()


# --- offline: an exported notebook from disk -------------------------------------------------------------------


@contextmanager
def open_offline(chromium, notebook: Path, tmp_path: Path, live: int | None = None) -> Iterator[tuple]:
    """A notebook exported as HTML (``convlib.book.export.export_html``), opened from ``file://`` with no network.

    Asserts the export inlined ``live`` views (None: at least one), writes the page into ``tmp_path``,
    opens it at 1280x720 in a new browser context that refuses every request but ``file:`` ones, and
    yields ``(page, errors, refused)``: the page, the page's errors (a list that grows) and the URLs
    refused. The context is closed at the end.
    """
    page_html, count = export_html(notebook)
    if live is None:
        assert count >= 1, f"{notebook.name}: no live view exported"
    else:
        assert count == live, f"{notebook.name}: {count} live views exported, expected {live}"
    target = tmp_path / f"{notebook.stem}.html"
    target.write_text(page_html, encoding="utf-8")

    context = chromium.new_context(viewport=VIEWPORT)
    refused = []

    def refuse_the_network(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", refuse_the_network)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(target.as_uri())
        yield page, errors, refused
    finally:
        context.close()


def open_url_offline(chromium, url: str):
    """A fresh page at ``url`` with every non-file request refused; returns (context, page, problems)."""
    context = chromium.new_context(viewport=VIEWPORT)
    problems: dict[str, list[str]] = {"refused": [], "failed": [], "console": []}

    def refuse_the_network(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            problems["refused"].append(route.request.url)
            route.abort()

    context.route("**/*", refuse_the_network)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.on("console", lambda m: m.type == "error" and problems["console"].append(m.text))
    page.on("pageerror", lambda error: problems["console"].append(f"page error: {error}"))
    page.on("requestfailed", lambda r: problems["failed"].append(f"{r.url[:120]}: {r.failure}"))
    page.goto(url, wait_until="load")
    return context, page, problems


def fetched_by_views(refused: list[str]) -> list[str]:
    """The refused URLs that the live views asked for (the page's own CDN scripts, if any, are not theirs)."""
    return [url for url in refused if "convlib" in url or url.startswith("blob:")]

"""Every figure and live view fits a 1280×720 screen in JupyterLab, with the file browser open, at 100 % and 150 % zoom.

Each notebook is opened in a private JupyterLab with the left sidebar (the file browser) open, and
run, so that its live views are alive. At 1280×720 (100 %) and then at 853×480 CSS pixels (what a
1280×720 screen shows at 150 % browser zoom), every figure and every live view is measured against
the notebook's visible area: nothing may reach past its right edge or scroll sideways (nothing cut);
at 100 % a figure must also fit the visible height (at 150 % the visible area is about 330 CSS px
tall, and a learner scrolls), and a live view's text must be at least 12 px (at 150 % every pixel is
larger). Every stored figure must have been measured. The measurements go to
test-artifacts/fit_in_jupyterlab.json.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convlib.book.widgets.browser_view import LIVE_MIMETYPE

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = REPO / "test-artifacts"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ZOOMS = {"100%": {"width": 1280, "height": 720}, "150%": {"width": 853, "height": 480}}

MEASURE = """
(whole) => {
  const panel = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer")
             || document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook");
  const area = panel.getBoundingClientRect();
  const found = {figures: 0, views: 0, problems: [], smallest_text_px: null};
  const describe = (element) => (element.closest(".jp-Cell")?.querySelector(".jp-InputArea-editor")?.textContent || "")
                                  .trim().slice(0, 50);
  for (const image of panel.querySelectorAll(".jp-RenderedImage img")) {
    if (image.closest(".convlib-live, [data-drawn]")) continue;
    found.figures += 1;
    const box = image.getBoundingClientRect();
    const figure = describe(image);
    if (box.right > area.right + 1) found.problems.push({figure, past_right_by: box.right - area.right});
    if (whole && box.height > area.height + 1) found.problems.push({figure, taller_by: box.height - area.height});
  }
  for (const view of panel.querySelectorAll("[data-drawn]")) {
    found.views += 1;
    const box = view.getBoundingClientRect();
    if (box.right > area.right + 1) found.problems.push({view: describe(view), past_right_by: box.right - area.right});
    for (const element of [view, ...view.querySelectorAll("*")]) {
      const clips = ["auto", "scroll", "hidden"].includes(getComputedStyle(element).overflowX);
      if (clips && element.clientWidth > 0 && element.scrollWidth > element.clientWidth + 2) {
        found.problems.push({view: describe(view), cut_or_scrolls: element.tagName + "." + element.className});
        break;
      }
    }
    for (const element of view.querySelectorAll("*")) {
      const own = Array.from(element.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || element.getBoundingClientRect().width === 0) continue;
      const size = parseFloat(getComputedStyle(element).fontSize);
      found.smallest_text_px = found.smallest_text_px === null ? size : Math.min(found.smallest_text_px, size);
    }
  }
  return found;
}
"""


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_and_live_views_fit_with_the_sidebar_open(open_notebook, notebook):
    lab = open_notebook(notebook, sidebar=True)
    if LIVE_MIMETYPE in notebook.read_text():
        lab.run_all()  # the live views come alive (the figures are stored)
    page = lab.page
    figures = sum(
        "image/png" in output.get("data", {}) and LIVE_MIMETYPE not in output.get("data", {})
        for cell in json.loads(notebook.read_text())["cells"]
        for output in cell.get("outputs", [])
    )
    report = {}
    for zoom, viewport in ZOOMS.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(300)  # the views lay themselves out again for the new width
        # Scroll through the notebook so that every output is rendered and laid out (again, a little
        # later, while a busy machine has not yet shown every figure a run made).
        for _ in range(20):
            page.evaluate("""async () => {
                const outer = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer");
                for (let y = 0; y < outer.scrollHeight; y += outer.clientHeight / 2) {
                  outer.scrollTop = y; await new Promise((r) => requestAnimationFrame(r));
                }
            }""")
            report[zoom] = page.evaluate(MEASURE, zoom == "100%")
            if report[zoom]["figures"] >= figures:
                break
            page.wait_for_timeout(500)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / "fit_in_jupyterlab.json"
    everything = json.loads(path.read_text()) if path.exists() else {}
    everything[notebook.stem] = report
    path.write_text(json.dumps(everything, indent=1))
    assert report["100%"]["figures"] == figures, f"{report['100%']['figures']} of {figures} figures measured"
    for zoom, found in report.items():
        assert not found["problems"], f"at {zoom}: {found['problems'][:5]}"
    smallest = report["100%"]["smallest_text_px"]
    assert smallest is None or smallest >= 12, f"live-view text of {smallest} px at 100 %"

"""The exported slides (scripts/export_slides.sh) open offline, fit a 1280×720 screen, and stay live.

Every notebook is exported as reveal.js slides into a temporary folder, with reveal.js and MathJax
vendored beside them. Each deck is opened from ``file://`` at 1280×720 with every non-file request
refused; every slide is shown in turn, and every visible element on it must lie inside the screen
(nothing clipped: element bounds against the viewport) and no text box may scroll. Maths must be
typeset; each live view must start, and answer a key press on its slide. The measurements go to
test-artifacts/slides_fit.json.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from live_pages import drawn, open_url_offline, wait_drawn

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = REPO / "test-artifacts"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))

# Every element of the current slide that is drawn outside the screen, or whose content scrolls.
OUT_OF_SCREEN = """
() => {
  const width = window.innerWidth, height = window.innerHeight, found = [];
  const slide = Reveal.getCurrentSlide();
  for (const element of slide.querySelectorAll("*")) {
    if (element.closest("aside.notes")) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.display === "none") continue;
    const where = (element.tagName + "." + String(element.className).slice(0, 40) + " "
                   + (element.textContent || "").trim().slice(0, 40));
    if (box.right > width + 1 || box.bottom > height + 1 || box.left < -1 || box.top < -1) {
      found.push({what: where, box: [box.left, box.top, box.right, box.bottom].map(Math.round)});
    } else if (element.tagName === "PRE" && element.scrollWidth > element.clientWidth + 2
               && ["auto", "scroll", "hidden"].includes(style.overflowX)) {  // a line of code or text cut
      found.push({what: where, scrolls: [element.scrollWidth, element.clientWidth]});
    }
  }
  return found;
}
"""


SHOWN = "([h, v]) => { const i = Reveal.getIndices(); return i.h === h && (i.v || 0) === v; }"


@pytest.fixture(scope="module")
def slides(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("slides")
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "export_slides.sh"), str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def _show_every_slide(page) -> list[dict]:
    """Visit every slide (horizontal and vertical) with no transition; what each shows out of the screen."""
    page.evaluate("() => Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    results = []
    for index, slide in enumerate(page.evaluate("() => Reveal.getSlides().map((s) => Reveal.getIndices(s))")):
        page.evaluate("([h, v]) => Reveal.slide(h, v, -1)", [slide["h"], slide.get("v") or 0])
        page.wait_for_function(
            "() => !document.querySelector('.reveal .slides section.present.stack:not(:has(.present))')"
        )
        outside = page.evaluate(OUT_OF_SCREEN)
        title = page.evaluate("() => (Reveal.getCurrentSlide().querySelector('h1,h2,h3,h4') || {}).textContent || ''")
        results.append({"slide": index + 1, "title": title.strip()[:60], "outside": outside})
    return results


def _live_views_answer(page) -> int:
    """On each slide with a live view: the view started, and a key press on its first control redraws it."""
    answered = 0
    for slide in page.evaluate("""() => Reveal.getSlides().filter((s) => s.querySelector('.convlib-live'))
                                    .map((s) => Reveal.getIndices(s))"""):
        page.evaluate("([h, v]) => Reveal.slide(h, v, -1)", [slide["h"], slide.get("v") or 0])
        view = page.locator("section.present .convlib-live [data-drawn]").first
        view.wait_for(state="visible", timeout=15_000)
        wait_drawn(page, view, 0)
        control = view.locator("input, [role=slider], select").first
        control.focus()
        count = drawn(view)
        page.keyboard.press("ArrowRight")
        if drawn(view) == count:
            page.keyboard.press("ArrowUp")
        wait_drawn(page, view, count)
        answered += 1
    return answered


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_slides_fit_the_screen_offline_and_stay_live(slides, chromium, notebook):
    deck = slides / f"{notebook.stem}.slides.html"
    assert deck.exists(), sorted(p.name for p in slides.iterdir())
    context, page, problems = open_url_offline(chromium, deck.as_uri())
    try:
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("async () => { await MathJax.startup.promise; }")
        markdown = "".join(
            c["source"] if isinstance(c["source"], str) else "".join(c["source"])
            for c in json.loads(notebook.read_text())["cells"]
            if c["cell_type"] == "markdown"
        )
        if "$" in markdown:
            assert page.locator("mjx-container").count() > 0, "maths in the notebook, none typeset on the slides"
        fit = _show_every_slide(page)
        live = _live_views_answer(page)
        ARTIFACTS.mkdir(exist_ok=True)
        report = ARTIFACTS / "slides_fit.json"
        everything = json.loads(report.read_text()) if report.exists() else {}
        everything[notebook.stem] = {
            "slides": len(fit),
            "live_views": live,
            "not_fitting": [s for s in fit if s["outside"]],
        }
        report.write_text(json.dumps(everything, indent=1))
        assert not any(problems.values()), problems
        clipped = [f"slide {s['slide']} ({s['title']}): {s['outside'][:3]}" for s in fit if s["outside"]]
        assert not clipped, f"{len(clipped)} of {len(fit)} slides do not fit 1280×720:\n" + "\n".join(clipped)
    finally:
        context.close()

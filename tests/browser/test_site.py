"""The course website (scripts/build_site.sh) works from disk with the network refused, and is accessible.

The site is built into a temporary folder from the stored notebooks. Every page is opened from
``file://`` in headless Chromium with every non-file request refused (and recorded). Each page must
show no console error and no failed request, typeset its maths with the vendored MathJax, give every
picture a real text alternative, start its live views, and pass an axe-core audit with no serious or
critical violation. On notebook 02's page the kernel editor answers a key press. The audit's counts
go to test-artifacts/site_audit.json, a screenshot to test-artifacts/site.png (the README's docs/site.png).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from live_pages import open_url_offline

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent.parent
ARTIFACTS = REPO / "test-artifacts"
CACHE = Path(os.environ.get("CONVLIB_SITE_CACHE", REPO / "build" / "site-cache"))
AXE = CACHE / "node_modules" / "axe-core" / "axe.min.js"
PLACEHOLDER_ALT = "No description has been provided"
# Serious violations let through, by (rule, page): none.
KNOWN_VIEW_VIOLATIONS: dict[tuple[str, str], str] = {}

# The text a reader sees, without code, scripts and typeset maths: raw TeX left there was not typeset.
VISIBLE_TEXT = """
() => {
  const root = (document.querySelector("main") || document.body).cloneNode(true);
  root.querySelectorAll("pre, code, script, style, mjx-container, .highlight, textarea").forEach((e) => e.remove());
  return root.textContent;
}
"""
RAW_TEX = re.compile(r"\\\(|\\\[|\$[^$\s][^$\n]*\$|\$\$")

LIVE_VIEWS_STARTED = """
() => Array.from(document.querySelectorAll(".convlib-live")).every((h) => !h.querySelector("img.convlib-live-picture"))
"""

IMAGES = """
() => Array.from(document.images).map((img) => ({src: img.getAttribute("src") || "", alt: img.getAttribute("alt")}))
"""

AUDIT = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"], preload: false});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                        target: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}));
}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("site") / "site"
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "build_site.sh"), str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (out / "index.html").exists()
    assert AXE.exists(), f"the build script should have installed axe-core into {CACHE}"
    return out, seconds


def _known(violation: dict, page: str) -> bool:
    selector = KNOWN_VIEW_VIOLATIONS.get((violation["id"], page))
    return selector is not None and all(selector in target for target in violation["target"])


def _settle(page) -> bool:
    """Wait for MathJax (if the page has maths) and for every live view; returns whether there are maths."""
    has_maths = page.evaluate("() => document.querySelectorAll('.math').length > 0")
    if has_maths:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        page.evaluate("async () => { await MathJax.startup.promise; }")
    # A live view has started when its module replaced the stored picture with the view.
    page.wait_for_function(LIVE_VIEWS_STARTED, timeout=20_000)
    return has_maths


def test_every_page_works_offline_and_passes_the_audit(site, chromium):
    root, build_seconds = site
    pages = sorted(root.rglob("*.html"))
    assert len(pages) >= 1 + 9 + 10, [str(p) for p in pages]
    report, failures = {}, []
    for path in pages:
        name = str(path.relative_to(root))
        context, page, problems = open_url_offline(chromium, path.as_uri())
        try:
            has_maths = _settle(page)
            entry: dict[str, object] = {}
            if has_maths:
                entry["maths"] = page.locator("mjx-container").count()
                if not entry["maths"]:
                    failures.append(f"{name}: maths on the page but no MathJax container")
            raw = RAW_TEX.findall(page.evaluate(VISIBLE_TEXT))
            if raw:
                failures.append(f"{name}: raw TeX left in the text: {raw[:5]}")
            images = page.evaluate(IMAGES)
            entry["images"] = len(images)
            for image in images:
                alt = (image["alt"] or "").strip()
                src = image["src"]
                if not alt or PLACEHOLDER_ALT in alt or alt == src or alt.endswith((".png", ".jpg", ".svg")):
                    failures.append(f"{name}: image without a text alternative: {src[:80]} alt={alt!r}")
            entry["live_views"] = page.locator(".convlib-live").count()
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(AUDIT)
            counts: dict[str, int] = {}
            for violation in violations:
                counts[violation["impact"]] = counts.get(violation["impact"], 0) + 1
            entry["axe"] = counts
            entry["axe_violations"] = violations
            serious = [
                v for v in violations
                if v["impact"] in ("serious", "critical") and not _known(v, name)
            ]  # fmt: skip
            if serious:
                failures.append(f"{name}: axe serious/critical: {json.dumps(serious)[:600]}")
            for kind, found in problems.items():
                if found:
                    failures.append(f"{name}: {kind}: {found[:5]}")
            entry.update({kind: found for kind, found in problems.items()})
            report[name] = entry
        finally:
            context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    size = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
    summary = {"build_seconds": round(build_seconds, 1), "bytes": size, "pages": report}
    (ARTIFACTS / "site_audit.json").write_text(json.dumps(summary, indent=1))
    assert not failures, "\n".join(failures)


def test_kernel_editor_is_live_on_its_page(site, chromium):
    root, _ = site
    context, page, problems = open_url_offline(chromium, (root / "notebooks" / "02_image_kernels.html").as_uri())
    try:
        editor = page.locator(".convlib-ke")
        editor.wait_for(state="visible", timeout=15_000)
        page.wait_for_function("(root) => Number(root.dataset.drawn) > 0", arg=editor.element_handle())
        editor.scroll_into_view_if_needed()
        count = int(editor.get_attribute("data-drawn"))
        cell = editor.locator("input.cell").nth(4)
        before = cell.input_value()
        cell.focus()
        page.keyboard.press("ArrowUp")
        page.wait_for_function(
            "([root, count]) => Number(root.dataset.drawn) > count", arg=[editor.element_handle(), count]
        )
        assert cell.input_value() != before
        # In the page's narrow column the pictures stay clear of the weights and controls beside them.
        boxes = [canvas.bounding_box() for canvas in editor.locator("canvas").all()]
        picture_right = max(box["x"] + box["width"] for box in boxes)
        assert picture_right + 8 <= editor.locator(".panel").bounding_box()["x"], "the pictures run into the controls"
        # No exercise's answer is on the page: each exercise is a stub that says "not attempted yet".
        text = page.evaluate("() => document.querySelector('main').textContent")
        assert "not attempted yet" in text and "correct!" not in text
        ARTIFACTS.mkdir(exist_ok=True)
        page.evaluate("(root) => root.scrollIntoView({block: 'center'})", editor.element_handle())
        page.screenshot(path=str(ARTIFACTS / "site.png"))
        assert not any(problems.values()), problems
    finally:
        context.close()

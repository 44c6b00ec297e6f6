"""The study guide page of the bundled column in Chromium, at desktop and phone widths (issue 16).

The argument map used to be an SVG tree: 5,490 px tall at 1280 px (9,177 px with its text
version), a word per line, and at 390 px the page scrolled sideways (scrollWidth 445). It is now
boxes of text that wrap and reflow: these tests measure what a reader gets in a real browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from test_axe import axe_violations

from studygen.course import Course
from studygen.sources.banks import load_banks
from studygen.targets.html import HtmlRenderer

REAL_BANK = REPO / "question_banks" / "seoul-moscow.yaml"
# Measured when the map became boxes: 4,005 px at 1280 and 6,653 px at 390 for 60 boxes; the bounds
# leave room for a bank that grows a little, and are far below the old drawing.
MAX_MAP_PX = {1280: 5000, 390: 8000}
MIN_BOX_PX = {1280: 300, 390: 260}  # boxes as wide as the column allows, never a word per line

MEASURE = """() => {
  const root = document.documentElement;
  const map = document.querySelector('section[aria-labelledby="argument-map"] .argmap');
  const boxes = [...map.querySelectorAll('.am-box')].map(b => b.getBoundingClientRect());
  return {
    scroll: root.scrollWidth, client: root.clientWidth,
    map: Math.round(map.getBoundingClientRect().height),
    boxes: boxes.length,
    narrowest: Math.round(Math.min(...boxes.map(r => r.width))),
    outside: boxes.filter(r => r.left < -0.5 || r.right > root.clientWidth + 0.5).length,
  };
}"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not REAL_BANK.exists():
        pytest.skip("real bank not present")
    result = load_banks([REAL_BANK])
    if not result.ok:
        pytest.skip("the real bank does not load cleanly right now")
    folder = tmp_path_factory.mktemp("study-guide-page")
    r = HtmlRenderer(Course(root=REPO))
    out = {}
    for name, handout in (("guide", False), ("handout", True)):
        out[name] = folder / f"{name}.html"
        out[name].write_bytes(r.study_guide(result.banks[0], handout=handout))
    return out


@pytest.mark.parametrize("width", [1280, 390])
def test_argument_map_reads_at_both_widths_without_sideways_scroll(
    browser: Any, pages: dict[str, Path], width: int
) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = ctx.new_page()
        for name, path in pages.items():
            page.goto(path.as_uri())
            m = page.evaluate(MEASURE)
            assert m["scroll"] <= m["client"], f"{name} at {width} px scrolls sideways: {m}"
            assert m["outside"] == 0, f"{name} at {width} px: boxes outside the page: {m}"
            assert m["boxes"] >= 10
            assert m["narrowest"] >= MIN_BOX_PX[width], f"{name} at {width} px: a box too narrow for its text: {m}"
            assert m["map"] <= MAX_MAP_PX[width], f"{name} at {width} px: the map is {m['map']} px tall"
    finally:
        ctx.close()


def test_the_handout_map_is_the_short_one(browser: Any, pages: dict[str, Path]) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = ctx.new_page()
        heights = {}
        for name, path in pages.items():
            page.goto(path.as_uri())
            heights[name] = page.evaluate(MEASURE)["map"]
        assert heights["handout"] * 2 < heights["guide"], heights
    finally:
        ctx.close()


def test_guide_and_handout_pass_axe_on_a_phone(browser: Any, axe_path: Path, pages: dict[str, Path]) -> None:
    """At 390 px the stakeholders table is one card per row: it must stay accessible there too."""
    ctx = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = ctx.new_page()
        found = {}
        for name, path in pages.items():
            page.goto(path.as_uri())
            found[name] = axe_violations(page, axe_path)
        assert found == {"guide": [], "handout": []}
    finally:
        ctx.close()


def test_a_reminder_links_to_the_box_shown_in_full(browser: Any, pages: dict[str, Path]) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 900})
    try:
        page = ctx.new_page()
        page.goto(pages["guide"].as_uri())
        links = page.evaluate(
            """() => [...document.querySelectorAll('.am-repeat a')].map(a => {
                 const target = document.getElementById(a.getAttribute('href').slice(1));
                 return [a.title, target ? target.textContent : null];
               })"""
        )
        assert links, "the real bank's map repeats some boxes"
        for title, target in links:
            assert target is not None and " ".join(title.split())[:40] in " ".join(target.split()), title
    finally:
        ctx.close()

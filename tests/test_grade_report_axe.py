"""The HTML grading report passes axe-core's WCAG 2.1 A/AA rules in Debian's Chromium (a real consumer).

Skips when Chromium, playwright or axe-core is missing (axe is injected from
node_modules, never fetched).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studygen.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "grade"
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def test_report_html_has_no_axe_violations(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists() or not AXE.exists():
        pytest.skip("needs /usr/bin/chromium and node_modules/axe-core")
    for name in ("manifest.json", "responses.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    main(["grade", str(tmp_path / "manifest.json"), str(tmp_path / "responses.csv"), "--out", str(tmp_path / "out")])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto((tmp_path / "out" / "report.html").as_uri())
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "() => axe.run({runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
            )
            assert page.evaluate("() => document.querySelectorAll('script:not([src])').length") <= 1  # axe only
        finally:
            browser.close()
    violations = [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]]
    assert violations == []
    assert dialogs == []  # the hostile <script>alert(1)</script> option text never ran

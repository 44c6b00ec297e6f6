"""Every page studygen writes passes the Nu Html Checker (vnu.jar from npm's `vnu-jar`, run by Debian's Java).

One JVM start checks all pages of one course build (index, quizzes, keys,
study guide, discussion, self-test) plus a grading report: the checker is the
W3C's own, independent of the html5lib parse the renderer tests use, and it
also reads the CSS and the inline SVG.  Skips with a reason where Java or
node_modules is missing, except under STUDYGEN_REQUIRE_BROWSER=1 (CI), where
that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from studygen.cli import main

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
GRADE = REPO / "tests" / "fixtures" / "grade"


def _checker_missing() -> str | None:
    if shutil.which("java") is None:
        return "java is not installed (apt-get install default-jre-headless)"
    if not VNU.is_file():
        return f"{VNU.relative_to(REPO)} is missing (run `npm ci`)"
    return None


def test_every_built_page_is_valid_html(tmp_path: Path) -> None:
    missing = _checker_missing()
    if missing:
        if os.environ.get("STUDYGEN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{missing} (STUDYGEN_REQUIRE_BROWSER=1: the HTML checker must run in CI)", pytrace=False)
        pytest.skip(missing)
    site = tmp_path / "site"
    assert main(["build", "--config", str(REPO / "studygen.yaml"), "--out", str(site)]) == 0
    for name in ("manifest.json", "responses.csv"):
        shutil.copy(GRADE / name, tmp_path / name)
    graded = tmp_path / "graded"
    main(["grade", str(tmp_path / "manifest.json"), str(tmp_path / "responses.csv"), "--out", str(graded)])
    pages = sorted([*site.rglob("*.html"), *graded.rglob("*.html")])
    sheets = sorted([*site.rglob("*.css"), *graded.rglob("*.css")])
    kinds = {p.relative_to(site).parts[0] if p.is_relative_to(site) else "grade" for p in pages}
    assert {"index.html", "quizzes", "study-guide", "discussion", "self-test", "grade"} <= kinds, kinds
    run = subprocess.run(
        ["java", "-Xss4m", "-jar", str(VNU), "--errors-only", "--format", "json", "--also-check-css"]
        + [str(p) for p in pages + sheets],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').rsplit('/', 2)[-1]}:{m.get('lastLine', '?')}: {m.get('message')}"
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == [], f"{len(errors)} validator error(s):\n" + "\n".join(errors[:40])
    assert run.returncode == 0, run.stderr[-2000:]

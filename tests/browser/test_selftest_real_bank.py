"""The real bank through the real page: every question answered right must be graded right.

This is the consumer check for the bank's answer data (accepted answers, matching
pairs, orderings, blanks) against the page's grading; it skips only while the
bank is absent or does not load yet.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from selftest_driving import open_watched, practice_goto, sort_by_clicks

REPO = Path(__file__).resolve().parents[2]
REAL_BANK = REPO / "question_banks" / "seoul-moscow.yaml"
DATA_DEPENDENT = {"short_answer", "fill_blank", "matching"}


@pytest.fixture(scope="module")
def real_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not REAL_BANK.exists():
        pytest.skip(f"{REAL_BANK.relative_to(REPO)} does not exist yet")
    from studygen.course import Course
    from studygen.sources.banks import load_banks
    from studygen.targets.selftest import render_selftest

    result = load_banks([REAL_BANK])
    if not result.ok:
        pytest.skip(f"{REAL_BANK.name} does not load yet: {result.diagnostics[0].format_text()}")
    folder = tmp_path_factory.mktemp("real-self-test")
    for rel, data in render_selftest(Course(root=REPO, title="Real bank"), result.banks).items():
        (folder / rel).write_bytes(data)
    return folder / "index.html"


def answer(page: Any, q: dict[str, Any]) -> None:
    scope = page.locator("#practice-question")
    t = q["type"]
    if t in ("single_choice", "multiple_response"):
        for option in q["options"]:
            if option["correct"]:
                scope.get_by_label(option["text"], exact=True).check()
    elif t == "true_false":
        scope.get_by_label("True" if q["answer"] else "False", exact=True).check()
    elif t == "short_answer":
        scope.get_by_label("Your answer").fill(q["accepted"][-1])
    elif t == "matching":
        for i, (_, right) in enumerate(q["pairs"]):
            scope.locator(".match-row select").nth(i).select_option(label=right)
    elif t == "ordering":
        sort_by_clicks(page, "#practice-question", q["items"])
    elif t == "fill_blank":
        for i, accepted in enumerate(q["blanks"]):
            scope.get_by_label(f"Blank {i + 1}", exact=True).fill(accepted[-1])


def test_every_real_question_answered_right_is_graded_right(context: Any, real_page: Path) -> None:
    html = real_page.read_text(encoding="utf-8")
    data = json.loads(html.split('id="bank-data">', 1)[1].split("</script>", 1)[0])
    w = open_watched(context, real_page)
    page = w.page
    wrongly_graded = []
    seen: dict[str, int] = {}
    for number, q in enumerate(data["questions"], start=1):
        # Grading of these depends on the bank's own answer data, so every one is tried; for the
        # fixed-choice types two of each are enough to keep the browser suite fast.
        seen[q["type"]] = seen.get(q["type"], 0) + 1
        if q["type"] not in DATA_DEPENDENT and seen[q["type"]] > 2:
            continue
        practice_goto(page, number)
        answer(page, q)
        page.click("#practice-check")
        verdict = page.locator("#practice-feedback .verdict").inner_text()
        expected = "Compare your answer" if q["type"] == "essay" else "Correct."
        if not verdict.startswith(expected):
            wrongly_graded.append((q["id"], verdict))
        text = page.locator("#practice-feedback").inner_text()
        assert q["explanation"].split("\n")[0][:40] in text, q["id"]
    assert wrongly_graded == []
    assert w.errors == [] and w.outside_requests() == []

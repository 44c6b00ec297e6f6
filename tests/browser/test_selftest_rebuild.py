"""Students keep their self-test progress when next week's reading is added, and upgrading loses nothing.

The course gains a second bank (an example written for the tests, not course content); the page
is rebuilt into the same folder and reloaded in the same browser profile, as a student would.
Also: the one-file page works alone (an LMS upload of index.html only), the reading filter, and
the practice fixes from the student review (no spoiler highlight, no stale status, Enter goes on).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from conftest import FIXTURES, REPO, write_files
from selftest_driving import open_watched, practice_goto, sort_by_clicks
from test_selftest_page import Q, answer_right, answer_wrong, check

from studygen.course import Course
from studygen.sources.banks import load_banks
from studygen.targets.selftest import render_selftest

EXAMPLE = REPO / "tests" / "fixtures" / "example" / "concert-example.yaml"
COURSE = Course(root=REPO, title="IR 204: Korea & Russia")


def build(folder: Path, *banks: Path) -> Path:
    result = load_banks(list(banks))
    assert result.ok, result.diagnostics
    return write_files(folder, render_selftest(COURSE, result.banks))


def stored(page: Any) -> dict[str, Any]:
    values = json.loads(page.evaluate("() => JSON.stringify(localStorage)"))
    assert len(values) == 1, values
    return dict(json.loads(next(iter(values.values()))))


def test_progress_survives_adding_a_reading(context: Any, tmp_path: Path) -> None:
    index = build(tmp_path / "st", FIXTURES / "seoul.yaml")
    w = open_watched(context, index)
    page = w.page
    answer_wrong(page, "single")
    check(page)
    page.click(".tab[data-view=cards]")
    page.click("#card-flip")
    page.click("#card-right")
    # An answer to a question a later edit removes: dropped quietly, never shown or counted.
    page.evaluate(
        "() => { const k = Object.keys(localStorage)[0]; const p = JSON.parse(localStorage.getItem(k));"
        " p.answers['Q-removed'] = {right: 1, wrong: 0, last: true}; localStorage.setItem(k, JSON.stringify(p)); }"
    )

    build(tmp_path / "st", FIXTURES / "seoul.yaml", EXAMPLE)
    page.reload()
    page.click(".tab[data-view=progress]")
    summary = page.locator("#progress-summary").inner_text()
    assert re.search(r"Questions answered\s+1 of 10", summary), summary
    assert re.search(r"Missed at the last attempt\s+1", summary), summary
    assert "Learning: 1" in summary
    page.click(".tab[data-view=cards]")  # a new session: progress is saved again
    saved = stored(page)
    assert set(saved["answers"]) == {"Q-single"}
    assert saved["answers"]["Q-single"] == {"right": 0, "wrong": 1, "last": False}

    # The reading (week) filter: practise only next week's reading.
    page.click(".tab[data-view=practice]")
    page.select_option("#filter-reading", label="The Concert of Europe and the limits of great-power management")
    assert page.locator("#filter-count").inner_text() == "2 questions match."
    assert page.locator("#practice-question .question-heading").inner_text() == "Question 1 of 2"
    assert "Concert" in page.locator("#practice-question legend").inner_text()
    page.select_option("#filter-type", "true_false")
    assert page.locator("#filter-count").inner_text() == "1 question matches."
    assert w.errors == [] and set(w.requests) == {index.as_uri()}


def test_progress_saved_under_the_old_key_moves_over_once(context: Any, tmp_path: Path) -> None:
    index = build(tmp_path / "st", FIXTURES / "seoul.yaml")
    html = index.read_text(encoding="utf-8")
    data = json.loads(html.split('id="bank-data">', 1)[1].split("</script>", 1)[0])
    (old,) = data["legacyStorageKeys"]
    saved = {"v": 1, "answers": {"Q-tf": {"right": 2, "wrong": 1, "last": True}}, "quizzes": [], "boxes": {}}
    context.add_init_script(
        f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
        f" localStorage.setItem({json.dumps(old)}, {json.dumps(json.dumps(saved))}); }}"
    )
    w = open_watched(context, index)
    page = w.page
    page.click(".tab[data-view=progress]")
    assert re.search(r"Right at the last attempt\s+1", page.locator("#progress-summary").inner_text())
    keys = json.loads(page.evaluate("() => JSON.stringify(Object.keys(localStorage))"))
    assert keys == [data["storageKey"]]
    page.reload()
    page.click(".tab[data-view=progress]")
    assert re.search(r"Right at the last attempt\s+1", page.locator("#progress-summary").inner_text())
    assert w.errors == []


def test_index_html_alone_is_the_whole_page(context: Any, tmp_path: Path) -> None:
    """What an instructor uploading only index.html to Moodle or Canvas gives students."""
    built = build(tmp_path / "built", FIXTURES / "seoul.yaml")
    alone = tmp_path / "lms" / "selftest.html"
    alone.parent.mkdir()
    shutil.copy(built, alone)
    w = open_watched(context, alone)
    page = w.page
    assert page.locator("#practice-question .question-heading").inner_text() == "Question 1 of 9"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.tabs')).display") == "flex"
    assert w.requests == [alone.as_uri()], w.requests  # not one request beyond the page itself
    assert w.errors == []


def test_practice_no_spoiler_no_stale_status_and_enter_goes_on(context: Any, selftest_page: Path) -> None:
    w = open_watched(context, selftest_page)
    page = w.page
    # The Reading tab before answering highlights nothing (it would show the answer).
    page.click(".tab[data-view=reading]")
    assert page.locator(".column mark").count() == 0
    assert page.locator("#reading-context").is_hidden()
    page.click(".tab[data-view=practice]")
    answer_right(page, "single")
    check(page)
    page.click(".tab[data-view=reading]")
    assert page.locator(".column mark").count() >= 1
    page.click(".tab[data-view=practice]")
    # After checking, Next is the primary button and Enter goes on.
    assert "primary" in (page.locator("#practice-next").get_attribute("class") or "")
    assert "primary" not in (page.locator("#practice-check").get_attribute("class") or "")
    # Enter in a typed answer checks it, and Enter again goes on to the next question.
    practice_goto(page, Q["short"])
    assert "primary" in (page.locator("#practice-check").get_attribute("class") or "")
    box = page.locator("#practice-question").get_by_label("Your answer")
    box.fill("Chang Ho-jin")
    box.press("Enter")
    assert page.locator("#practice-feedback .verdict").inner_text() == "Correct."
    box.press("Enter")
    assert page.locator("#practice-question .question-heading").inner_text() == f"Question {Q['short'] + 1} of 9"
    # An ordering move's status does not follow the student to the next question.
    practice_goto(page, Q["order"])
    sort_by_clicks(page, "#practice-question", ["Lethal weapons", "Ties with North Korea", "Sanctions regimes"])
    page.wait_for_function("() => document.getElementById('practice-live').textContent.indexOf('moved') >= 0")
    page.click("#practice-next")
    assert page.locator("#practice-live").inner_text() == ""
    assert w.errors == []


def test_quiz_empty_submit_says_so_on_screen(context: Any, selftest_page: Path) -> None:
    w = open_watched(context, selftest_page)
    page = w.page
    page.select_option("#filter-type", "single_choice")  # an ordering question is never unanswered
    page.click(".tab[data-view=quiz]")
    page.click("#quiz-start")
    page.click("#quiz-submit")
    message = page.locator("#quiz-message")
    assert message.is_visible() and message.inner_text() == "Answer the question before submitting."
    assert w.errors == []

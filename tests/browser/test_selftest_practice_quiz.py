"""Practice order and resume, "I was right", and quiz skip / flag / resume / retry / results by topic (issue 16).

Every check waits for its condition (playwright's `expect`), never for a fixed time, so the tests
hold on a loaded two-core machine.  The fixture bank has nine questions in this order: single choice,
multiple response, true/false, short answer, matching, ordering, fill in the blank, essay, single choice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from selftest_driving import Watched, open_watched, practice_goto, tab_to

BANK_ORDER = ["Q-single", "Q-multi", "Q-tf", "Q-short", "Q-match", "Q-order", "Q-fill", "Q-essay", "Q-remark"]


@pytest.fixture(scope="module")
def stems(selftest_page: Path) -> dict[str, str]:
    return {q["id"]: q["stem"] for q in payload(selftest_page)["questions"]}


def payload(index: Path) -> dict[str, Any]:
    html = index.read_text(encoding="utf-8")
    return dict(json.loads(html.split('id="bank-data">', 1)[1].split("</script>", 1)[0]))


def saved(page: Any) -> dict[str, Any]:
    """The progress object the page keeps in localStorage (one key per course)."""
    raw = page.evaluate("() => Object.values(localStorage)[0] || '{}'")
    return dict(json.loads(raw))


def heading(page: Any, scope: str = "#practice-question") -> Any:
    return page.locator(f"{scope} .question-heading")


def stem(page: Any, scope: str = "#practice-question") -> str:
    return str(page.locator(f"{scope} legend").inner_text())


def check(page: Any) -> None:
    page.click("#practice-check")
    expect(page.locator("#practice-feedback .verdict")).to_be_visible()


def verdict(page: Any) -> Any:
    return page.locator("#practice-feedback .verdict")


# ------------------------------------------------------------------ practice


def test_practice_resumes_where_the_student_was(st: Watched) -> None:
    page = st.page
    practice_goto(page, 3)
    page.locator("#practice-question").get_by_label("True", exact=True).check()
    check(page)
    page.reload()
    # the checked question is done: the page goes on to the next one and says so
    expect(heading(page)).to_have_text("Question 4 of 9")
    expect(page.locator("#practice-status")).to_have_text(
        "Welcome back: you are at question 4 of 9, where you left off."
    )
    page.click("#practice-prev")
    expect(page.locator("#practice-question .last-result")).to_have_text("Last time: wrong")
    expect(page.locator("#practice-status")).to_have_text("")
    # an unchecked question is shown again as it was left, with the filters that made the round
    page.select_option("#filter-topic", label="Russia's conditions")
    page.click("#practice-next")
    expect(heading(page)).to_have_text("Question 2 of 3")
    page.reload()
    expect(heading(page)).to_have_text("Question 2 of 3")
    expect(page.locator("#filter-topic")).to_have_value("conditions")
    expect(page.locator("#filter-count")).to_have_text("3 questions match.")
    assert stem(page) == "Match each condition to its number in the column."


def test_shuffle_is_reproducible_within_a_session(st: Watched, stems: dict[str, str]) -> None:
    page = st.page
    assert saved(page)["practice"]["ids"] == BANK_ORDER
    page.check("#practice-shuffle")
    first = saved(page)["practice"]["ids"]
    assert sorted(first) == sorted(BANK_ORDER) and first != BANK_ORDER
    # the page shows exactly that order
    shown = []
    for n in range(1, 10):
        expect(heading(page)).to_have_text(f"Question {n} of 9")
        shown.append(stem(page))
        page.click("#practice-next")
    assert shown == [stems[i] for i in first]
    practice_goto(page, 3)
    page.reload()
    expect(heading(page)).to_have_text("Question 3 of 9")
    assert page.locator("#practice-shuffle").is_checked()
    assert stem(page) == stems[first[2]] and saved(page)["practice"]["ids"] == first
    # off gives the reading's order, on again the same shuffled order: one seed per session
    page.uncheck("#practice-shuffle")
    assert saved(page)["practice"]["ids"] == BANK_ORDER
    page.check("#practice-shuffle")
    assert saved(page)["practice"]["ids"] == first
    seed = saved(page)["practice"]["seed"]
    # "Start over" asks for another order, which the session then keeps
    page.click("#practice-restart")
    expect(page.locator("#practice-status")).to_have_text("Started over: question 1 of 9.")
    second = saved(page)["practice"]["ids"]
    assert second != first and saved(page)["practice"]["seed"] != seed
    page.reload()
    assert saved(page)["practice"]["ids"] == second
    # a new browser session (sessionStorage gone) gets a new seed, but resumes the saved round first
    page.evaluate("() => sessionStorage.clear()")
    page.reload()
    expect(heading(page)).to_have_text("Question 1 of 9")
    assert saved(page)["practice"]["ids"] == second
    page.uncheck("#practice-shuffle")
    page.check("#practice-shuffle")
    assert saved(page)["practice"]["seed"] not in (seed, 0)


def test_missed_and_unanswered_first(st: Watched, stems: dict[str, str]) -> None:
    page = st.page
    scope = page.locator("#practice-question")
    scope.get_by_label("Extending the sanctions expert panel's mandate", exact=True).check()  # Q-single right
    check(page)
    practice_goto(page, 3)
    scope.get_by_label("True", exact=True).check()  # Q-tf wrong
    check(page)
    practice_goto(page, 7)
    scope.get_by_label("Blank 1").fill("April 27")  # Q-fill wrong
    scope.get_by_label("Blank 2").fill("2024")
    check(page)
    page.check("#practice-missed-first")
    # misses first, then never tried, then right last time; the reading's order inside each group
    order = ["Q-tf", "Q-fill", "Q-multi", "Q-short", "Q-match", "Q-order", "Q-essay", "Q-remark", "Q-single"]
    assert saved(page)["practice"]["ids"] == order
    expect(heading(page)).to_have_text("Question 1 of 9")
    assert stem(page) == stems["Q-tf"]
    expect(scope.locator(".last-result")).to_have_text("Last time: wrong")
    # answering does not re-sort the round under the student
    scope.get_by_label("False", exact=True).check()
    check(page)
    page.click("#practice-next")
    assert stem(page) == stems["Q-fill"]
    page.click("#practice-next")
    expect(scope.locator(".last-result")).to_have_text("Not tried yet")
    practice_goto(page, 9)
    expect(scope.locator(".last-result")).to_have_text("Last time: right")
    practice_goto(page, 7)  # essays are never graded: no last result
    assert stem(page) == stems["Q-essay"] and scope.locator(".last-result").count() == 0
    # with Shuffle too, the groups hold and the order inside them is shuffled
    page.check("#practice-shuffle")
    # (Q-tf is right now: the one miss left, then the six never tried, then the two right)
    ids = saved(page)["practice"]["ids"]
    assert ids[0] == "Q-fill" and set(ids[1:7]) == set(order[2:8]) and set(ids[7:]) == {"Q-single", "Q-tf"}


def test_i_was_right_counts_as_right_and_can_be_undone(st: Watched) -> None:
    page = st.page
    practice_goto(page, 4)
    scope = page.locator("#practice-question")
    scope.get_by_label("Your answer").fill("Ho-jin Chang")  # the name in the other order: the rule says no
    check(page)
    expect(verdict(page)).to_have_text("Not quite.")
    override = page.locator("#practice-override")
    expect(override).to_have_text("I was right: count it as correct")
    assert "You decide" in page.locator("#practice-feedback .override").inner_text()
    # it sits under the accepted answers, so the student compares before deciding
    feedback = page.locator("#practice-feedback").inner_text()
    assert feedback.index("Chang Ho-jin") < feedback.index("I was right")
    assert saved(page)["answers"]["Q-short"] == {"right": 0, "wrong": 1, "last": False}
    # reachable by keyboard: Tab to it, Enter
    tab_to(page, "I was right: count it as correct")
    page.keyboard.press("Enter")
    expect(verdict(page)).to_have_text("Counted as right, because you said so.")
    note = page.locator("#practice-feedback .mine-note")
    expect(note).to_contain_text("That was your call")
    expect(page.locator("#practice-feedback")).to_have_class(re.compile(r"\bright\b"))
    assert saved(page)["answers"]["Q-short"] == {"right": 1, "wrong": 0, "last": True, "mine": True}
    page.click(".tab[data-view=progress]")
    summary = page.locator("#progress-summary").inner_text()
    assert re.search(r"Right at the last attempt\s+1", summary) and re.search(
        r"Missed at the last attempt\s+0", summary
    )
    # Undo puts the miss back
    page.click(".tab[data-view=practice]")
    page.click("#practice-undo")
    expect(verdict(page)).to_have_text("Not quite.")
    assert saved(page)["answers"]["Q-short"] == {"right": 0, "wrong": 1, "last": False}
    page.click("#practice-override")
    page.reload()
    practice_goto(page, 4)
    expect(scope.locator(".last-result")).to_have_text("Last time: right (your own call)")
    # a new attempt is judged by the rule again, and the override is no longer the last word
    scope.get_by_label("Your answer").fill("Lavrov")
    check(page)
    assert saved(page)["answers"]["Q-short"] == {"right": 1, "wrong": 1, "last": False}


def test_i_was_right_is_offered_only_for_typed_answers_marked_wrong(st: Watched) -> None:
    page = st.page
    scope = page.locator("#practice-question")
    scope.get_by_label("A resolution on Ukraine", exact=True).check()
    check(page)
    expect(verdict(page)).to_have_text("Not quite.")
    assert page.locator("#practice-override").count() == 0
    practice_goto(page, 4)
    scope.get_by_label("Your answer").fill("Chang")
    check(page)
    expect(verdict(page)).to_have_text("Correct.")
    assert page.locator("#practice-override").count() == 0
    practice_goto(page, 7)
    scope.get_by_label("Blank 1").fill("March 29")
    scope.get_by_label("Blank 2").fill("2024")
    check(page)
    expect(page.locator("#practice-override")).to_be_visible()


def test_enter_checks_then_advances(st: Watched) -> None:
    page = st.page
    practice_goto(page, 4)
    box = page.locator("#practice-question").get_by_label("Your answer")
    box.fill("Chang")
    box.press("Enter")
    expect(verdict(page)).to_have_text("Correct.")
    expect(page.locator("#practice-next")).to_have_class(re.compile(r"\bprimary\b"))
    page.keyboard.press("Enter")
    expect(heading(page)).to_have_text("Question 5 of 9")


# ------------------------------------------------------------------ quiz


def answer_quiz(page: Any, right: bool) -> str:
    """Answer the quiz's current question (difficulty 1: Q-single, Q-tf, Q-remark); return its stem."""
    scope = page.locator("#quiz-question")
    text = stem(page, "#quiz-question")
    if text.startswith("What did Russia veto"):
        label = "Extending the sanctions expert panel's mandate" if right else "A resolution on Ukraine"
    elif text.startswith("True or false"):
        label = "False" if right else "True"
    else:
        label = "A preemptive nuclear strike" if right else "A nuclear freeze"
    scope.get_by_label(label, exact=True).check()
    page.click("#quiz-submit")
    return text


def start_quiz(page: Any, size: int) -> None:
    page.click(".tab[data-view=quiz]")
    page.select_option("#filter-difficulty", "1")
    page.fill("#quiz-size", str(size))
    page.click("#quiz-start")
    expect(heading(page, "#quiz-question")).to_have_text(f"Question 1 of {size}")


def test_quiz_skip_flag_resume_list_retry_and_topics(st: Watched, stems: dict[str, str]) -> None:
    page = st.page
    start_quiz(page, 3)
    progress_text = page.locator("#quiz-progress-text")
    expect(progress_text).to_have_text("0 of 3 answered · 0 flagged")
    # an empty submit says so on screen
    page.click("#quiz-submit")
    expect(page.locator("#quiz-message")).to_have_text("Answer the question before submitting.")
    first = stem(page, "#quiz-question")
    page.click("#quiz-flag")
    expect(progress_text).to_have_text("0 of 3 answered · 1 flagged")
    expect(page.locator("#quiz-flag")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#quiz-question .flag-badge")).to_be_visible()
    page.click("#quiz-skip")
    expect(heading(page, "#quiz-question")).to_have_text("Question 2 of 3")
    expect(page.locator("#quiz-question .flag-badge")).to_be_hidden()
    second = answer_quiz(page, right=False)
    expect(heading(page, "#quiz-question")).to_have_text("Question 3 of 3")
    expect(progress_text).to_have_text("1 of 3 answered · 1 flagged")
    assert page.evaluate("() => document.getElementById('quiz-progress-bar').value") == 1
    third = stem(page, "#quiz-question")

    # a reload comes back to the quiz, at the same question, with what was answered and flagged
    page.reload()
    expect(page.locator("#view-quiz")).to_be_visible()
    expect(heading(page, "#quiz-question")).to_have_text("Question 3 of 3")
    expect(page.locator("#quiz-status")).to_have_text("Your quiz in progress is back: 1 of 3 answered.")
    expect(progress_text).to_have_text("1 of 3 answered · 1 flagged")
    assert stem(page, "#quiz-question") == third

    # skipping the last question opens the list of what is still open
    page.click("#quiz-skip")
    pending = page.locator("#quiz-pending")
    expect(pending).to_be_visible()
    expect(page.locator("#quiz-pending-intro")).to_have_text(
        "You answered 1 of 3 questions. Questions left unanswered count as missed."
    )
    items = page.locator("#quiz-pending-list li")
    expect(items).to_have_count(2)
    assert items.nth(0).inner_text() == f"Question 1 (flagged, not answered): {first}"
    assert items.nth(1).inner_text() == f"Question 3 (not answered): {third}"
    page.reload()
    expect(pending).to_be_visible()
    expect(items).to_have_count(2)
    # go back to the flagged one from the list, answer it right; the next open one follows
    page.get_by_role("button", name=f"Question 1 (flagged, not answered): {first}").click()
    expect(heading(page, "#quiz-question")).to_have_text("Question 1 of 3")
    answer_quiz(page, right=True)
    expect(heading(page, "#quiz-question")).to_have_text("Question 3 of 3")
    expect(page.locator("#quiz-submit")).to_have_text("Submit and see the score")
    answer_quiz(page, right=True)

    # results: score, by topic, the mistake and the flagged question, and "retry these"
    expect(page.locator("#quiz-score")).to_have_text("You scored 2 out of 3 points (67%).")
    topics = {
        r.locator("th").inner_text(): r.locator("td").inner_text() for r in page.locator("#quiz-topics tbody tr").all()
    }
    topic_of = {stems["Q-single"]: "United Nations & sanctions", stems["Q-tf"]: "The author's thesis"}
    expected = {label: "1 of 1 (100%)" for s, label in topic_of.items()}
    if second in topic_of:
        expected[topic_of[second]] = "0 of 1 (0%)"
    assert topics == expected
    review = page.locator("#quiz-review > li")
    expect(review).to_have_count(2)
    assert second in review.nth(0).inner_text() or second in review.nth(1).inner_text()
    flagged = review.filter(has_text="You flagged this question.")
    expect(flagged).to_have_count(1)
    assert first in flagged.inner_text() and "Correct." in flagged.inner_text()
    retry = page.locator("#quiz-retry")
    expect(retry).to_have_text("Retry the one I missed")
    # the results survive a reload too (before the student moves on)
    page.reload()
    expect(page.locator("#quiz-score")).to_have_text("You scored 2 out of 3 points (67%).")
    assert len(saved(page)["quizzes"]) == 1  # shown again, not counted twice
    retry.click()
    expect(heading(page, "#quiz-question")).to_have_text("Question 1 of 1")
    assert stem(page, "#quiz-question") == second
    answer_quiz(page, right=True)
    expect(page.locator("#quiz-score")).to_have_text("You scored 1 out of 1 points (100%).")
    expect(page.locator("#quiz-no-mistakes")).to_be_visible()
    expect(retry).to_be_hidden()
    page.click(".tab[data-view=progress]")
    expect(page.locator("#quiz-history li")).to_have_count(2)


def test_quiz_submitted_with_open_questions_counts_them_missed(st: Watched) -> None:
    page = st.page
    start_quiz(page, 3)
    answered = answer_quiz(page, right=True)
    page.click("#quiz-finish")
    expect(page.locator("#quiz-pending-list li")).to_have_count(2)
    # back to the questions goes to the first open one
    page.click("#quiz-back")
    expect(heading(page, "#quiz-question")).to_have_text("Question 2 of 3")
    page.click("#quiz-finish")
    page.click("#quiz-submit-all")
    expect(page.locator("#quiz-score")).to_have_text("You scored 1 out of 3 points (33%).")
    review = page.locator("#quiz-review > li")
    expect(review).to_have_count(2)
    for i in range(2):
        assert "Not answered" in review.nth(i).inner_text() and answered not in review.nth(i).inner_text()
    expect(page.locator("#quiz-retry")).to_have_text("Retry the 2 I missed")
    # open questions were not tried: they are not recorded as answers
    assert len(saved(page)["answers"]) == 1
    page.click("#quiz-retry")
    expect(heading(page, "#quiz-question")).to_have_text("Question 1 of 2")
    page.click("#quiz-skip")
    page.click(".tab[data-view=practice]")
    page.reload()
    # the quiz waits in its tab; the page reopens where the student was
    expect(page.locator("#view-practice")).to_be_visible()
    page.click(".tab[data-view=quiz]")
    expect(heading(page, "#quiz-question")).to_have_text("Question 2 of 2")


def test_quiz_by_keyboard(st: Watched) -> None:
    page = st.page
    start_quiz(page, 3)
    kb = page.keyboard
    tab_to(page, "Flag for later")
    kb.press("Space")
    expect(page.locator("#quiz-progress-text")).to_have_text("0 of 3 answered · 1 flagged")
    expect(page.locator("#quiz-flag")).to_have_text("Remove the flag")
    tab_to(page, "Skip for now")
    kb.press("Enter")
    expect(heading(page, "#quiz-question")).to_have_text("Question 2 of 3")
    tab_to(page, "Review and submit")
    kb.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'quiz-pending-heading'")
    kb.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent").startswith("Question 1 (flagged, not answered)")
    kb.press("Enter")
    expect(heading(page, "#quiz-question")).to_have_text("Question 1 of 3")


def test_old_progress_without_rounds_still_loads(context: Any, selftest_page: Path) -> None:
    """Progress saved by the page before rounds and quiz runs existed keeps every answer."""
    key = payload(selftest_page)["storageKey"]
    old = {
        "v": 1,
        "answers": {"Q-tf": {"right": 0, "wrong": 1, "last": False}},
        "quizzes": [],
        "boxes": {},
        "session": 0,
    }
    broken_round = {**old, "practice": {"ids": ["Q-gone", 5], "pos": 99}, "quiz": {"ids": "x"}}
    for stored in (old, broken_round):
        script = f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(stored))});"
        w = open_watched(context, selftest_page)
        w.page.evaluate(script)
        w.page.reload()
        page = w.page
        expect(heading(page)).to_have_text("Question 1 of 9")
        practice_goto(page, 3)
        expect(page.locator("#practice-question .last-result")).to_have_text("Last time: wrong")
        assert page.locator("#notice").is_hidden()
        assert w.errors == []
        page.close()


def test_phone_folds_the_filters_so_the_question_is_in_view(browser: Any, selftest_page: Path) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    try:
        page = ctx.new_page()
        page.goto(selftest_page.as_uri())
        panel = page.locator("#filter-panel")
        expect(heading(page)).to_have_text("Question 1 of 9")
        assert page.evaluate("() => document.getElementById('filter-panel').open") is False
        expect(panel.locator("summary")).to_have_text("Filters · 9 questions match.")
        first_option = page.locator("#practice-question input").first.bounding_box()
        assert first_option is not None and first_option["y"] + first_option["height"] < 844, first_option
        # one tap opens them; the folded line keeps saying what they leave
        panel.locator("summary").click()
        page.select_option("#filter-topic", label="Russia's conditions")
        panel.locator("summary").click()
        expect(panel.locator("summary")).to_have_text("Filters · 3 questions match.")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        ctx.close()
    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = wide.new_page()
        page.goto(selftest_page.as_uri())
        expect(page.locator("#filter-topic")).to_be_visible()
    finally:
        wide.close()


def test_i_was_right_in_the_quiz_review_changes_the_score_and_history(st: Watched) -> None:
    page = st.page
    page.click(".tab[data-view=quiz]")
    page.select_option("#filter-type", "short_answer")
    page.fill("#quiz-size", "1")
    page.click("#quiz-start")
    page.locator("#quiz-question").get_by_label("Your answer").fill("Ho-jin Chang")
    page.click("#quiz-submit")
    score = page.locator("#quiz-score")
    expect(score).to_have_text("You scored 0 out of 1 points (0%).")
    page.locator("#quiz-review .quiz-override").click()
    expect(score).to_have_text("You scored 1 out of 1 points (100%).")
    item = page.locator("#quiz-review > li")
    expect(item.locator(".verdict")).to_have_text("Counted as right, because you said so.")
    expect(page.locator("#quiz-retry")).to_be_hidden()
    expect(page.locator("#quiz-review .quiz-undo")).to_be_focused()
    stored = saved(page)
    assert stored["answers"]["Q-short"] == {"right": 1, "wrong": 0, "last": True, "mine": True}
    assert [(q["score"], q["missed"]) for q in stored["quizzes"]] == [(1, [])]
    page.reload()
    expect(score).to_have_text("You scored 1 out of 1 points (100%).")
    page.locator("#quiz-review .quiz-undo").click()
    expect(score).to_have_text("You scored 0 out of 1 points (0%).")
    assert [(q["score"], q["missed"]) for q in saved(page)["quizzes"]] == [(0, ["Q-short"])]
    expect(page.locator("#quiz-retry")).to_have_text("Retry the one I missed")


def test_reset_progress_also_ends_the_quiz_in_progress(st: Watched) -> None:
    page = st.page
    start_quiz(page, 3)
    answer_quiz(page, right=True)
    page.click(".tab[data-view=progress]")
    page.click("#reset-progress")
    page.click(".tab[data-view=quiz]")
    expect(page.locator("#quiz-setup")).to_be_visible()
    expect(page.locator("#quiz-run")).to_be_hidden()
    page.reload()
    assert "quiz" not in saved(page)
    expect(page.locator("#view-practice")).to_be_visible()


def test_a_quiz_saved_on_an_answered_question_goes_on_to_an_open_one(context: Any, selftest_page: Path) -> None:
    """A reload between saving an answer and showing the next question must not let it be answered twice."""
    key = payload(selftest_page)["storageKey"]
    answer = {"correct": True, "yours": ["False"], "expected": ["False"], "ordered": False}
    run = {"ids": ["Q-single", "Q-tf", "Q-remark"], "answers": {"Q-tf": answer}, "flags": [], "pos": 1, "open": True}
    stored = {"v": 1, "answers": {}, "quizzes": [], "boxes": {}, "session": 0, "quiz": run}
    w = open_watched(context, selftest_page)
    w.page.evaluate(f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(stored))})")
    w.page.reload()
    page = w.page
    expect(heading(page, "#quiz-question")).to_have_text("Question 3 of 3")
    expect(page.locator("#quiz-progress-text")).to_have_text("1 of 3 answered · 0 flagged")
    # all answered: the results, counted once
    stored["quiz"] = {**run, "answers": {i: answer for i in run["ids"]}}
    w.page.evaluate(f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(stored))})")
    page.reload()
    expect(page.locator("#quiz-score")).to_have_text("You scored 3 out of 3 points (100%).")
    page.reload()
    assert len(saved(page)["quizzes"]) == 1
    assert w.errors == []

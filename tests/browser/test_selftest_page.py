"""The self-test page in a real Chromium: every question type right and wrong, quiz, cards, storage.

Each test gets a fresh browser profile; the `st` fixture fails the test on any
console error, any request outside the self-test folder and any alert.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from selftest_driving import Watched, focused_label, open_watched, order_items, practice_goto, sort_by_clicks, tab_to

ORDER = ["Lethal weapons", "Ties with North Korea", "Sanctions regimes"]
Q = {"single": 1, "multi": 2, "tf": 3, "short": 4, "match": 5, "order": 6, "fill": 7, "essay": 8, "remark": 9}


def check(page: Any) -> str:
    page.click("#practice-check")
    return str(page.locator("#practice-feedback").inner_text())


def feedback_verdict(page: Any) -> str:
    return str(page.locator("#practice-feedback .verdict").inner_text())


def answer_right(page: Any, kind: str) -> None:
    scope = page.locator("#practice-question")
    if kind == "single":
        scope.get_by_label("Extending the sanctions expert panel's mandate", exact=True).check()
    elif kind == "multi":
        scope.get_by_label("No lethal weapons to Ukraine", exact=True).check()
        scope.get_by_label("No interference in Russia–North Korea ties", exact=True).check()
    elif kind == "tf":
        scope.get_by_label("False", exact=True).check()
    elif kind == "short":
        # case, whitespace and a typographic dash must not matter
        scope.get_by_label("Your answer").fill("  chang   HO\u2013JIN ")
    elif kind == "match":
        scope.get_by_label("No lethal weapons to Ukraine").select_option(label="First condition")
        scope.get_by_label("No interference with Russia's ties to North Korea").select_option(label="Second condition")
        scope.get_by_label("No joining sanctions regimes").select_option(label="Third condition")
    elif kind == "order":
        sort_by_clicks(page, "#practice-question", ORDER)
    elif kind == "fill":
        scope.get_by_label("Blank 1").fill("28 MARCH")
        scope.get_by_label("Blank 2").fill("2024")


def answer_wrong(page: Any, kind: str) -> None:
    scope = page.locator("#practice-question")
    if kind == "single":
        scope.get_by_label("New sanctions <script>alert('x')</script>", exact=True).check()
    elif kind == "multi":
        scope.get_by_label("No lethal weapons to Ukraine", exact=True).check()
    elif kind == "tf":
        scope.get_by_label("True", exact=True).check()
    elif kind == "short":
        scope.get_by_label("Your answer").fill("Sergei Lavrov")
    elif kind == "match":
        scope.get_by_label("No lethal weapons to Ukraine").select_option(label="Second condition")
        scope.get_by_label("No interference with Russia's ties to North Korea").select_option(label="First condition")
        scope.get_by_label("No joining sanctions regimes").select_option(label="Fourth condition <i>")
    elif kind == "order":
        sort_by_clicks(page, "#practice-question", [ORDER[1], ORDER[0], ORDER[2]])
    elif kind == "fill":
        scope.get_by_label("Blank 1").fill("April 27")
        scope.get_by_label("Blank 2").fill("2024")


EXPECTED = {
    "single": ("Russia vetoed a motion to extend the expert panel's mandate", "Russia also vetoed a motion"),
    "multi": ("among the minimum conditions", "First, South Korea must not provide lethal weapons"),
    "tf": ("too optimistic", "it's too optimistic to expect"),
    "short": ("Chang Ho-jin expressly rejected that", "national security adviser Chang Ho-jin"),
    "match": ("first, second and third", "Third, if South Korea joins any sanctions regimes"),
    "order": ("in this order", "Second, South Korea must not interfere"),
    "fill": ("March 28, 2024", "Russia also vetoed a motion"),
}


def test_every_type_right_then_wrong_with_feedback(st: Watched) -> None:
    page = st.page
    for kind, number in Q.items():
        if kind in ("essay", "remark"):
            continue
        explanation, passage = EXPECTED[kind]
        practice_goto(page, number)
        answer_right(page, kind)
        text = check(page)
        assert feedback_verdict(page) == "Correct.", (kind, text)
        assert explanation in text and passage in text, (kind, text)
        assert "Show this passage in the reading (paragraph" in text
        # the same question, answered wrong after moving away and back
        page.click("#practice-next")
        page.click("#practice-prev")
        answer_wrong(page, kind)
        text = check(page)
        assert feedback_verdict(page) == "Not quite.", (kind, text)
        assert "Correct answer" in text or "Accepted answers" in text, (kind, text)
        assert explanation in text and passage in text, (kind, text)
    summary = json.loads(page.evaluate("() => JSON.stringify(localStorage)"))
    progress = json.loads(next(iter(summary.values())))
    assert {k: (v["right"], v["wrong"]) for k, v in progress["answers"].items()} == {
        qid: (1, 1) for qid in ("Q-single", "Q-multi", "Q-tf", "Q-short", "Q-match", "Q-order", "Q-fill")
    }


def test_wrong_answer_feedback_details(st: Watched) -> None:
    page = st.page
    answer_wrong(page, "single")
    text = check(page)
    assert "No: the veto was about the panel ]]> not sanctions." in text  # the chosen option's own feedback
    assert "Extending the sanctions expert panel's mandate" in text
    # the options themselves say, in words, which was right and which was chosen
    badges = page.locator("#practice-question .option").all_inner_texts()
    assert "New sanctions <script>alert('x')</script>\n✗ your answer" in badges
    assert "Extending the sanctions expert panel's mandate\n✓ correct answer" in badges
    assert "Background (beyond the reading)" in text and "{background ~ = # : \\ }" in text
    practice_goto(page, Q["order"])
    answer_wrong(page, "order")
    check(page)
    shown = page.locator("#practice-feedback ol.answer-list li").all_inner_texts()
    assert shown == ORDER
    practice_goto(page, Q["short"])
    answer_wrong(page, "short")
    text = check(page)
    assert "Accepted answers" in text and "Chang Ho-jin" in text


def test_short_answers_are_marked_by_the_grading_rule(st: Watched) -> None:
    """The page and `studygen grade` give a typed answer the same verdict (accents, punctuation, one typo)."""
    from studygen.text.answers import matches

    accepted = ["Chang Ho-jin", "Chang"]
    typed = {"chang hojin": True, "Chang Hojn": True, "Cháng Ho jin": True, "Chng": False, "Chang Lavrov": False}
    page = st.page
    for answer, right in typed.items():
        assert matches(answer, accepted) is right, answer
        practice_goto(page, Q["short"])
        page.locator("#practice-question").get_by_label("Your answer").fill(answer)
        check(page)
        assert feedback_verdict(page) == ("Correct." if right else "Not quite."), answer
        page.click("#practice-next")


def test_unanswered_and_essay(st: Watched) -> None:
    page = st.page
    check(page)
    assert feedback_verdict(page) == "Answer the question first, then check it."
    practice_goto(page, Q["essay"])
    page.locator("#practice-question").get_by_label(re.compile("Your answer")).fill("Not on their own.")
    text = check(page)
    assert text.startswith("Compare your answer with the guidance")
    assert "A strong answer cites the author's thesis" in text
    stored = json.loads(page.evaluate("() => Object.values(localStorage).join('')"))
    assert "Q-essay" not in stored["answers"]  # essays are never graded or recorded (the round lists them)


def test_passage_link_opens_reading_with_highlight(st: Watched) -> None:
    page = st.page
    practice_goto(page, Q["remark"])
    page.locator("#practice-question").get_by_label("A preemptive nuclear strike").check()
    check(page)
    page.locator("#practice-feedback a").first.click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'p-10'")
    assert page.locator("#view-reading").is_visible()
    assert page.url.endswith("#p-10")
    marks = page.locator("#p-10 mark").all_inner_texts()
    # the quote uses straight quotes; the column has curly ones: still found and highlighted
    assert marks == [
        "After Yoon Suk-yeol remarked that North Korea is “the world’s only country to have codified "
        "a preemptive nuclear strike in law,”"
    ]
    assert "Highlighted: the passages behind" in page.locator("#reading-context").inner_text()
    # the column's own text survives highlighting untouched
    assert "said that Yoon’s remarks were “blatantly biased”" in page.locator("#p-10").inner_text()
    page.click("#reading-back")
    assert page.locator("#view-practice").is_visible()
    assert "#" not in page.url  # a reload reopens practice, not the passage
    # the Reading tab shows the current question's passage too
    page.click(".tab[data-view=reading]")
    assert page.locator("mark").count() == 1
    # navigation chrome is gone but the column's text is all there
    assert page.locator("#p-1").inner_text().startswith("This column by PCI Board Member")
    assert page.locator("#p-2").inner_text() == "all > Editorial & Opinion"  # navigation line, set apart
    assert page.locator("#p-2").get_attribute("class") == "para chrome"
    assert (
        page.locator("#reading-0 .para").last.inner_text()
        == "Please direct questions or comments to [english@hani.co.kr]"
    )


def test_deep_link_to_paragraph(context: Any, selftest_page: Path) -> None:
    page = context.new_page()
    page.goto(selftest_page.as_uri() + "#p-17")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'p-17'")
    assert page.locator("#view-reading").is_visible()
    assert page.locator("mark").count() == 0 and page.locator("#reading-context").is_hidden()
    # the Reading tab highlights nothing for a question not yet answered (it would give the answer)
    page.click(".tab[data-view=practice]")
    page.click(".tab[data-view=reading]")
    assert page.locator("mark").count() == 0


def test_quiz_score_and_review_then_persistence(st: Watched) -> None:
    page = st.page
    page.click(".tab[data-view=quiz]")
    page.select_option("#filter-difficulty", "1")  # Q-single, Q-tf, Q-remark
    page.fill("#quiz-size", "3")
    page.click("#quiz-start")
    wrong_stem = ""
    for i in range(3):
        assert page.locator("#quiz-question .question-heading").inner_text() == f"Question {i + 1} of 3"
        stem = page.locator("#quiz-question legend").inner_text()
        scope = page.locator("#quiz-question")
        if stem.startswith("What did Russia veto"):
            scope.get_by_label("A resolution on Ukraine", exact=True).check()
            wrong_stem = stem
        elif stem.startswith("True or false"):
            scope.get_by_label("False", exact=True).check()
        else:
            scope.get_by_label("A preemptive nuclear strike", exact=True).check()
        page.click("#quiz-submit")
    assert page.locator("#quiz-score").inner_text() == "You scored 2 out of 3 points (67%)."
    review = page.locator("#quiz-review").inner_text()
    assert wrong_stem in review
    assert "A resolution on Ukraine" in review and "Extending the sanctions expert panel's mandate" in review
    assert "Russia also vetoed a motion to extend the mandate of an expert panel" in review
    assert page.locator("#quiz-review > li").count() == 1
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'quiz-result-heading'")

    page.reload()
    page.click(".tab[data-view=progress]")
    summary = page.locator("#progress-summary").inner_text()
    assert re.search(r"Questions answered\s+3 of 8", summary), summary
    assert re.search(r"Missed at the last attempt\s+1", summary), summary
    assert "2 of 3 points (67%), 1 missed" in page.locator("#quiz-history").inner_text()
    page.click("#review-misses")
    assert page.locator("#view-practice").is_visible()
    assert page.locator("#misses-only").is_checked()
    assert page.locator("#practice-question .question-heading").inner_text() == "Question 1 of 1"
    assert page.locator("#practice-question legend").inner_text() == wrong_stem
    # answering the miss right clears it from the misses
    answer_right(page, "single")
    check(page)
    page.uncheck("#misses-only")
    page.check("#misses-only")
    assert "No missed questions" in page.locator("#practice-question").inner_text()


def test_filters(st: Watched) -> None:
    page = st.page
    page.select_option("#filter-topic", label="Russia's conditions")
    assert page.locator("#filter-count").inner_text() == "3 questions match."
    assert page.locator("#practice-question legend").inner_text().startswith("Which were minimum conditions")
    page.select_option("#filter-bloom", "analyze")
    assert page.locator("#filter-count").inner_text() == "1 question matches."
    page.select_option("#filter-difficulty", "1")
    assert page.locator("#filter-count").inner_text() == "0 questions match."
    assert page.locator("#practice-check").is_disabled()
    # filters belong to practice and quiz only
    page.click(".tab[data-view=cards]")
    assert page.locator("#filters").is_hidden() and page.locator("#view-practice").is_hidden()
    page.click(".tab[data-view=quiz]")
    assert page.locator("#filters").is_visible()


def test_reading_works_without_javascript(browser: Any, selftest_page: Path) -> None:
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(selftest_page.as_uri())
        assert page.locator("#view-reading").is_visible()
        assert page.locator("#p-10").is_visible()
        assert page.locator("#view-practice").is_hidden()
    finally:
        ctx.close()


def test_flashcards_leitner_boxes_persist(st: Watched) -> None:
    page = st.page
    page.click(".tab[data-view=cards]")
    assert page.locator("#cards-status").inner_text().startswith("Session 1: 9 cards due.")
    front = page.locator("#card-front").inner_text()
    page.click("#card-flip")
    assert page.locator("#card-back").is_visible()
    page.click("#card-right")
    page.wait_for_function("() => document.getElementById('cards-live').textContent.startsWith('Well known')")
    second = page.locator("#card-front").inner_text()
    assert second != front
    page.click("#card-flip")
    page.click("#card-wrong")
    assert page.locator("#box-counts").inner_text().split("\n") == [
        "New or not known yet: 8",
        "Learning: 1",
        "Known: 0",
        "Mastered: 0",
    ]
    page.reload()
    page.click(".tab[data-view=cards]")
    # session 2: the box-2 card waits for session 3; the other eight are due
    assert page.locator("#cards-status").inner_text().startswith("Session 2: 8 cards due.")
    seen_fronts = []
    for _ in range(8):
        seen_fronts.append(page.locator("#card-front").inner_text())
        page.click("#card-flip")
        page.click("#card-right")
    assert front not in seen_fronts
    assert "no more cards are due" in page.locator("#cards-status").inner_text()
    page.click("#cards-next-session")
    assert page.locator("#cards-status").inner_text().startswith("Session 3: 1 card due.")
    assert page.locator("#card-front").inner_text() == front


def test_flashcards_show_background_and_quotes(st: Watched) -> None:
    page = st.page
    page.click(".tab[data-view=cards]")
    kinds = []
    for _ in range(9):
        kinds.append((page.locator("#card-kind").inner_text(), page.locator("#card-front").inner_text()))
        page.click("#card-flip")
        back = page.locator("#card-back").inner_text()
        if page.locator("#card-front").inner_text() == "Expert panel <b>":
            assert "The UN panel whose mandate Russia vetoed extending & more." in back
        if page.locator("#card-front").inner_text().startswith("Russia vetoed extending"):
            assert "Russia also vetoed a motion to extend the mandate of an expert panel" in back
        page.click("#card-right")
    assert ("GLOSSARY TERM · BACKGROUND (BEYOND THE READING)", "Veto") in [(k.upper(), f) for k, f in kinds]


def test_reset_progress(st: Watched) -> None:
    page = st.page
    answer_wrong(page, "single")
    check(page)
    page.click(".tab[data-view=progress]")
    assert re.search(r"Missed at the last attempt\s+1", page.locator("#progress-summary").inner_text())
    page.click("#reset-progress")
    assert any(d.startswith("confirm: Reset all progress?") for d in st.dialogs)
    assert re.search(r"Questions answered\s+0 of 8", page.locator("#progress-summary").inner_text())
    page.reload()
    page.click(".tab[data-view=progress]")
    assert re.search(r"Missed at the last attempt\s+0", page.locator("#progress-summary").inner_text())


def test_reset_can_be_cancelled(context: Any, selftest_page: Path) -> None:
    w = open_watched(context, selftest_page, accept_confirms=False)
    page = w.page
    answer_wrong(page, "single")
    check(page)
    page.click(".tab[data-view=progress]")
    page.click("#reset-progress")
    assert re.search(r"Missed at the last attempt\s+1", page.locator("#progress-summary").inner_text())


def test_corrupt_storage_starts_afresh(context: Any, selftest_page: Path) -> None:
    key = storage_key(selftest_page)
    context.add_init_script(
        f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
        f" localStorage.setItem({json.dumps(key)}, '{{not json'); }}"
    )
    w = open_watched(context, selftest_page)
    page = w.page
    assert "could not be read" in page.locator("#notice").inner_text()
    answer_right(page, "single")
    check(page)
    stored = json.loads(page.evaluate(f"() => localStorage.getItem({json.dumps(key)})"))
    assert stored["answers"]["Q-single"] == {"right": 1, "wrong": 0, "last": True}
    assert w.errors == []


def test_malformed_entries_are_dropped_not_fatal(context: Any, selftest_page: Path) -> None:
    key = storage_key(selftest_page)
    saved = {
        "v": 1,
        "answers": {"Q-single": {"right": "x"}, "Q-tf": {"right": 0, "wrong": 2, "last": False}},
        "quizzes": [None, {"at": 5, "score": 1, "total": 2, "missed": ["Q-tf"]}],
        "boxes": {"c": {"box": 9}},
        "session": -3,
    }
    context.add_init_script(f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(saved))});")
    w = open_watched(context, selftest_page)
    page = w.page
    assert page.locator("#notice").is_hidden()
    page.click(".tab[data-view=progress]")
    summary = page.locator("#progress-summary").inner_text()
    assert re.search(r"Questions answered\s+1 of 8", summary) and re.search(r"Quizzes taken\s+1", summary)


def test_blocked_storage_keeps_working(context: Any, selftest_page: Path) -> None:
    context.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('denied', 'SecurityError'); }});"
    )
    w = open_watched(context, selftest_page)
    page = w.page
    assert "does not let the page save progress" in page.locator("#notice").inner_text()
    practice_goto(page, Q["tf"])
    answer_wrong(page, "tf")
    check(page)
    page.click(".tab[data-view=progress]")
    assert re.search(r"Missed at the last attempt\s+1", page.locator("#progress-summary").inner_text())
    page.click(".tab[data-view=cards]")
    page.click("#card-flip")
    page.click("#card-right")
    assert w.errors == []


def test_keyboard_only(st: Watched) -> None:
    page = st.page
    kb = page.keyboard
    # single choice: Tab into the radio group, arrows select, Enter submits the form
    for _ in range(40):
        kb.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "radio":
            break
    for _ in range(6):
        if focused_label(page) == "Extending the sanctions expert panel's mandate":
            break
        kb.press("ArrowDown")
    assert focused_label(page) == "Extending the sanctions expert panel's mandate"
    kb.press("Space")  # Tab into a group focuses its first radio without checking it; Space checks
    assert page.evaluate("() => document.activeElement.checked")
    kb.press("Enter")
    assert feedback_verdict(page) == "Correct."
    # follow the passage link with Enter
    tab_to(page, "Show this passage in the reading (paragraph 11)")
    kb.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'p-11'")
    # back to practice through the nav, then the ordering question with Move buttons and Space
    tab_to(page, "Back to the question")
    kb.press("Enter")
    assert page.locator("#view-practice").is_visible()
    for _ in range(Q["order"] - 1):
        tab_to(page, "Next question")
        kb.press("Enter")
    assert page.locator("#practice-question .question-heading").inner_text() == "Question 6 of 9"
    for target, text in enumerate(ORDER):
        position = order_items(page, "#practice-question").index(text)
        if position > target:
            tab_to(page, f"Move up: {text}")
            for _ in range(position - target):
                kb.press("Space")
                assert focused_label(page) == f"Move up: {text}"  # focus follows the moved item
    assert order_items(page, "#practice-question") == ORDER
    tab_to(page, "Check answer")
    kb.press("Space")
    assert feedback_verdict(page) == "Correct."
    # fill-in-the-blank: typing and Tab between blanks, Enter submits
    tab_to(page, "Next question")
    kb.press("Enter")
    tab_to(page, "Blank 1")
    kb.type("March 28")
    kb.press("Tab")
    kb.type("2024")
    assert page.locator("#practice-question").get_by_label("Blank 1").input_value() == "March 28"
    assert focused_label(page) == "Blank 2"
    kb.press("Enter")
    assert feedback_verdict(page) == "Correct."
    # matching: arrows change a focused <select>
    for _ in range(Q["match"] + 9 - Q["fill"]):
        tab_to(page, "Next question")
        kb.press("Enter")
    assert page.locator("#practice-question .question-heading").inner_text() == "Question 5 of 9"
    pairs = {
        "No lethal weapons to Ukraine": "First condition",
        "No interference with Russia's ties to North Korea": "Second condition",
        "No joining sanctions regimes": "Third condition",
    }
    selected = "() => { const s = document.activeElement; return s.options[s.selectedIndex].text; }"
    for left, right in pairs.items():
        tab_to(page, left)
        for _ in range(8):
            if page.evaluate(selected) == right:
                break
            kb.press("ArrowDown")
        assert page.evaluate(selected) == right, left
    tab_to(page, "Check answer")
    kb.press("Enter")
    assert feedback_verdict(page) == "Correct."
    # flashcards by keyboard
    tab_to(page, "Flashcards")
    kb.press("Enter")
    tab_to(page, "Show answer")
    kb.press("Space")
    # focus moves to the answer (a second Space must not grade by accident); 3 means "I knew it"
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'card-back'")
    kb.press("3")
    assert page.locator("#box-counts li").nth(1).inner_text() == "Learning: 1"


def test_hostile_text_stays_text(context: Any, two_bank_page: Path) -> None:
    w = open_watched(context, two_bank_page)
    page = w.page
    assert page.title() == "Self-test · </title><script>alert(9)</script>"
    assert page.evaluate("() => document.scripts.length") == 2
    injected = "() => document.querySelectorAll('img, svg, b, i, iframe, object, embed, [onerror], [onload]').length"
    assert page.evaluate(injected) == 0
    practice_goto(page, 10)
    assert (
        "</script><!-- <script>alert('stem')</script> 한국어?" in page.locator("#practice-question legend").inner_text()
    )
    page.locator("#practice-question").get_by_label("True", exact=True).check()
    text = check(page)
    assert "{~ = # } \\ ]]>" in text
    assert '</script><script>alert("reading")</script> & <b>bold</b>' in text
    # short answers: curly vs straight quotes, case and Hangul in decomposed (NFD) form all match
    practice_goto(page, 11)
    typed = unicodedata.normalize("NFD", "KOREA\u2019S  \u201codious\u201d 한국어")
    assert typed != 'Korea\'s "odious" 한국어'.upper()
    page.locator("#practice-question").get_by_label("Your answer").fill(typed)
    check(page)
    assert feedback_verdict(page) == "Correct."
    practice_goto(page, 10)
    page.locator("#practice-question").get_by_label("True", exact=True).check()
    check(page)
    page.locator("#practice-feedback a").first.click()
    page.locator("#reading-1").wait_for(state="visible")
    assert page.locator("#reading-0").is_hidden()
    link = page.locator("#reading-1 .byline a")  # a web URL with & and ' in it, linked intact
    assert link.get_attribute("href") == "https://example.invalid/column?a=1&b='2'"
    marks = page.locator("#reading-1 mark").all_inner_texts()
    assert marks == [
        '</script><script>alert("reading")</script> & <b>bold</b>',
        'the "quoted words" with —dashes—',
        "Third paragraph continues on a new line",
        "has a non-breaking space and runs of spaces.",
    ]
    page.click(".tab[data-view=cards]")
    for _ in range(6):
        page.click("#card-flip")
        page.click("#card-wrong")
    assert page.evaluate(injected) == 0
    assert w.errors == [] and w.dialogs == [] and w.outside_requests() == []


def test_phone_width_has_no_horizontal_scroll(browser: Any, selftest_page: Path) -> None:
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, reduced_motion="reduce")
    try:
        page = ctx.new_page()
        page.goto(selftest_page.as_uri())
        for view in ("practice", "quiz", "cards", "reading", "progress"):
            page.click(f".tab[data-view={view}]")
            if view == "practice":
                practice_goto(page, Q["match"])
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 360, (view, width)
        duration = page.evaluate("() => getComputedStyle(document.querySelector('.card-back')).animationName")
        assert duration == "none"
    finally:
        ctx.close()


def storage_key(index: Path) -> str:
    html = index.read_text(encoding="utf-8")
    data = html.split('<script type="application/json" id="bank-data">', 1)[1].split("</script>", 1)[0]
    return str(json.loads(data)["storageKey"])

"""Flashcards that ask for recall, the reading's Back button, matching marks, short feedback and the
Progress page, in a real Chromium.

Every wait is for a condition (a focused element, a visible view, a text), never a fixed sleep:
the suite runs on a loaded 2-core machine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from selftest_driving import Watched, open_watched, practice_goto

REPO = Path(__file__).resolve().parents[2]
REAL_BANK = REPO / "question_banks" / "seoul-moscow.yaml"
Q = {"single": 1, "multi": 2, "match": 5, "remark": 9}


def payload(index: Path) -> dict[str, Any]:
    html = index.read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(html.split('id="bank-data">', 1)[1].split("</script>", 1)[0])
    return data


def focused_id(page: Any, wanted: str) -> None:
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === {wanted!r}")


def live_says(page: Any, region: str, start: str) -> None:
    page.wait_for_function(
        "([id, start]) => document.getElementById(id).textContent.startsWith(start)", arg=[region, start]
    )


def card_id(page: Any, data: dict[str, Any]) -> str:
    """The card on screen, identified by its front as the page shows it."""
    front = page.locator("#card-front").text_content()
    for c in data["cards"]:
        # the gap is "_____" on screen and "(blank)" for screen readers
        shown = c["front"] if c["kind"] == "term" else c["cloze"][0] + "_____(blank)" + c["cloze"][2]
        if shown == front:
            return str(c["id"])
    raise AssertionError(f"no card shows {front!r}")


# ------------------------------------------------------------------ flashcards


def test_fact_cards_hide_the_detail_and_the_back_gives_it(st: Watched, selftest_page: Path) -> None:
    data = payload(selftest_page)
    page = st.page
    page.click(".tab[data-view=cards]")
    assert "Space or Enter shows the answer" in page.locator("#cards-keys").inner_text()
    facts = 0
    for _ in range(len(data["cards"])):
        card = next(c for c in data["cards"] if c["id"] == card_id(page, data))
        front = page.locator("#card-front").inner_text()
        if card["kind"] == "fact":
            facts += 1
            # the front never states what the card asks for; the back gives it and the statement
            assert not re.search(rf"(?<!\w){re.escape(card['back'])}(?!\w)", front), front
            assert page.locator("#card-ask").inner_text().endswith("?")
        page.keyboard.press("Space")
        focused_id(page, "card-back")
        back = page.locator("#card-back").inner_text()
        assert card["back"] in back
        live_says(page, "cards-live", "Answer: ")
        if card["kind"] == "fact":
            assert page.locator("#card-back mark").inner_text() == card["back"]
            assert card["statement"].replace(card["back"], "") in back.replace(card["back"], "")
            assert page.locator("#card-back .passage-link a").count() == len(card["passages"])
        page.keyboard.press("ArrowRight")  # I knew it
        page.wait_for_function("() => document.getElementById('card-back').hidden")
    assert facts == 7
    assert "no more cards are due" in page.locator("#cards-status").inner_text()


def test_a_card_not_known_comes_back_a_few_cards_later(st: Watched, selftest_page: Path) -> None:
    data = payload(selftest_page)
    page = st.page
    page.click(".tab[data-view=cards]")
    first = card_id(page, data)
    page.keyboard.press("Enter")
    focused_id(page, "card-back")
    page.keyboard.press("1")  # I did not know it
    live_says(page, "cards-live", "It comes back after a few more cards.")
    focused_id(page, "card-flip")
    assert "1 of them for a second look" in page.locator("#cards-status").inner_text()
    order = []
    for _ in range(4):
        order.append(card_id(page, data))
        page.keyboard.press("Space")  # focus is on "Show answer": Space presses it
        focused_id(page, "card-back")
        page.keyboard.press("3")
        page.wait_for_function("() => document.getElementById('card-back').hidden")
    assert first not in order and len(set(order)) == 4
    # after four other cards, the card comes back, marked as a second look
    assert card_id(page, data) == first
    assert "Second look" in page.locator("#card-kind").text_content()
    page.keyboard.press("Space")
    page.keyboard.press("2")  # almost: it stays in its box, due next session
    live_says(page, "cards-live", "Almost: it comes back next session.")
    stored = page.evaluate("() => JSON.parse(Object.values(localStorage)[0])")
    assert stored["boxes"][first]["box"] == 1
    assert sum(1 for b in stored["boxes"].values() if b["box"] == 2) == 4


def test_keys_do_nothing_while_typing_or_outside_the_cards(st: Watched) -> None:
    page = st.page
    page.locator("#practice-question").get_by_label("Extending the sanctions expert panel's mandate").focus()
    page.keyboard.press("3")
    page.click(".tab[data-view=cards]")
    assert page.locator("#card-back").is_hidden()
    page.focus("#cards-reverse")
    page.keyboard.press("Space")  # toggles the checkbox, does not flip
    assert page.locator("#cards-reverse").is_checked()
    assert page.locator("#card-back").is_hidden()
    # reversed: a term card asks for the term from its definition
    assert page.locator("#card-ask").inner_text() in ("What does the reading say about this?", "Which term is this?")


def test_reading_from_a_card_and_back_keeps_the_card(st: Watched, selftest_page: Path) -> None:
    data = payload(selftest_page)
    page = st.page
    page.click(".tab[data-view=cards]")
    first = card_id(page, data)
    page.click("#card-flip")
    page.locator("#card-back .passage-link a").first.click()
    page.locator("#view-reading").wait_for(state="visible")
    assert page.locator("#reading-context").inner_text().startswith("Highlighted")
    page.go_back()
    page.locator("#view-cards").wait_for(state="visible")
    # the same card, still turned over, and the session queue untouched
    assert card_id(page, data) == first and page.locator("#card-back").is_visible()
    assert page.locator("#card-right").is_visible()


# ------------------------------------------------------------------ reading: browser Back, phone


def test_browser_back_leaves_the_reading_and_returns_to_the_link(st: Watched) -> None:
    page = st.page
    practice_goto(page, Q["remark"])
    page.locator("#practice-question").get_by_label("A preemptive nuclear strike").check()
    page.click("#practice-check")
    link = page.locator("#practice-feedback .passage-link a").first
    link.click()
    focused_id(page, "p-10")
    assert page.url.endswith("#p-10") and page.locator("#p-10 mark").count() == 1
    page.go_back()
    page.locator("#view-practice").wait_for(state="visible")
    assert page.locator("#view-reading").is_hidden() and "#" not in page.url
    # the feedback is still there and the student is back at the link they followed
    assert page.locator("#practice-feedback .verdict").inner_text()
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('.passage-link')")
    # Forward opens the passage again
    page.go_forward()
    focused_id(page, "p-10")
    # "Back to the question" goes through history too: the browser's Back then leaves the page's first entry
    page.click("#reading-back")
    page.locator("#view-practice").wait_for(state="visible")
    assert "#" not in page.url
    # the Reading tab gets an entry as well: Back returns to practice
    page.click(".tab[data-view=reading]")
    page.locator("#view-reading").wait_for(state="visible")
    page.go_back()
    page.locator("#view-practice").wait_for(state="visible")


def test_back_to_the_question_stays_on_screen_on_a_phone(browser: Any, selftest_page: Path) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    try:
        w = open_watched(ctx, selftest_page)
        page = w.page
        practice_goto(page, Q["multi"])
        page.locator("#practice-question").get_by_label("No lethal weapons to Ukraine", exact=True).check()
        page.click("#practice-check")
        page.locator("#practice-feedback .passage-link a").last.click()
        focused_id(page, "p-18")
        page.wait_for_function("() => document.getElementById('p-18').getBoundingClientRect().top < 400")
        box = page.locator("#reading-back").bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844, box
        # nothing covers it, and the highlighted paragraph is not hidden under it
        hit = page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).id", [box["x"] + box["width"] / 2, box["y"] + 5]
        )
        assert hit == "reading-back"
        para_top = page.evaluate("() => document.getElementById('p-18').getBoundingClientRect().top")
        assert para_top >= box["y"] + box["height"], (para_top, box)
        page.click("#reading-back")
        page.locator("#view-practice").wait_for(state="visible")
        assert w.errors == []
    finally:
        ctx.close()


# ------------------------------------------------------------------ matching


@pytest.mark.parametrize("width", [1000, 390])
def test_matching_rows_say_right_or_wrong_and_show_whole_choices(browser: Any, selftest_page: Path, width: int) -> None:
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    try:
        w = open_watched(ctx, selftest_page)
        page = w.page
        practice_goto(page, Q["match"])
        scope = page.locator("#practice-question")
        scope.get_by_label("No lethal weapons to Ukraine").select_option(label="First condition")
        scope.get_by_label("No interference with Russia's ties to North Korea").select_option(label="Third condition")
        scope.get_by_label("No joining sanctions regimes").select_option(label="Fourth condition <i>")
        page.click("#practice-check")
        rows = scope.locator(".match-row")
        rows.first.locator(".badge").wait_for()
        assert [rows.nth(i).locator(".badge").inner_text() for i in range(3)] == [
            "✓ right match",
            "✗ wrong match; the right one is: Second condition",
            "✗ wrong match; the right one is: Third condition",
        ]
        assert scope.locator(".match-chosen").all_inner_texts() == [
            "First condition",
            "Third condition",
            "Fourth condition <i>",
        ]
        assert scope.locator(".match-row select:visible").count() == 0
        cut = page.evaluate(
            "() => [...document.querySelectorAll('.match-chosen')].filter(e => e.scrollWidth > e.clientWidth).length"
        )
        assert cut == 0
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
        assert w.errors == []
    finally:
        ctx.close()


# ------------------------------------------------------------------ feedback length (real bank)


@pytest.fixture(scope="module")
def real_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not REAL_BANK.exists():
        pytest.skip(f"{REAL_BANK.relative_to(REPO)} does not exist")
    from studygen.course import Course
    from studygen.sources.banks import load_banks
    from studygen.targets.selftest import render_selftest

    result = load_banks([REAL_BANK])
    assert result.ok, result.diagnostics
    folder = tmp_path_factory.mktemp("real-self-test-cards")
    for rel, data in render_selftest(Course(root=REPO, title="Real bank"), result.banks).items():
        (folder / rel).write_bytes(data)
    return folder / "index.html"


def test_long_feedback_shows_two_passages_then_more(browser: Any, real_page: Path) -> None:
    """The item the review measured (11 quotes): each paragraph once, two shown, the rest on request."""
    data = payload(real_page)
    number = next(i for i, q in enumerate(data["questions"], 1) if q["id"] == "Q-sm-es-conditions")
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, reduced_motion="reduce")
    try:
        w = open_watched(ctx, real_page)
        page = w.page
        practice_goto(page, number)
        page.click("#practice-check")
        feedback = page.locator("#practice-feedback")
        feedback.locator(".more-passages summary").wait_for()
        assert feedback.locator("blockquote:visible").count() == 2
        assert feedback.locator(".more-passages summary").inner_text() == "Show 5 more passages"
        links = feedback.locator(".passage-link a").all_text_contents()
        assert len(links) == len(set(links)) == 7  # each paragraph once
        assert links[0] == "Show this passage in the reading (paragraph 16)"  # the key passage first
        feedback.locator(".more-passages summary").click()
        page.wait_for_function("() => document.querySelectorAll('#practice-feedback blockquote').length === 7")
        assert feedback.locator("blockquote:visible").count() == 7
        assert w.errors == []
    finally:
        ctx.close()


# ------------------------------------------------------------------ progress by topic


def test_progress_by_topic_in_a_students_words(st: Watched) -> None:
    page = st.page
    practice_goto(page, Q["single"])  # topic: United Nations & sanctions
    page.locator("#practice-question").get_by_label("Extending the sanctions expert panel's mandate").check()
    page.click("#practice-check")
    page.click("#practice-next")  # Q-multi, Russia's conditions: wrong
    page.locator("#practice-question").get_by_label("No lethal weapons to Ukraine", exact=True).check()
    page.click("#practice-check")
    page.locator("#practice-feedback .verdict").wait_for()
    page.click(".tab[data-view=progress]")
    due = page.locator("#progress-due").inner_text()
    assert "9 flashcards are due now." in due
    assert "1 question you missed last time is waiting for another try." in due
    assert "6 questions are not tried yet." in due
    rows = {
        row.locator(".topic-name").inner_text(): row.inner_text()
        for row in page.locator("#progress-topics .topic").all()
    }
    assert set(rows) == {"Russia's conditions", "The author's thesis", "United Nations & sanctions"}
    assert "Needs practice" in rows["Russia's conditions"] and "1 to try again" in rows["Russia's conditions"]
    assert "Not started yet" in rows["The author's thesis"]
    assert "Flashcards: 0 of" in rows["United Nations & sanctions"]
    text = page.locator("#view-progress").inner_text()
    for jargon in ("box 1", "Box 1", "Bloom", "not graded", "Leitner"):
        assert jargon not in text, jargon
    # a topic's button opens Practice on that topic only
    page.get_by_role("button", name="Practise: Russia's conditions").click()
    page.locator("#view-practice").wait_for(state="visible")
    assert page.locator("#filter-topic option:checked").inner_text() == "Russia's conditions"
    assert re.match(r"\d+ questions? match", page.locator("#filter-count").inner_text())
    # studying cards changes what is due
    page.click(".tab[data-view=cards]")
    page.keyboard.press("Space")
    focused_id(page, "card-back")
    page.keyboard.press("3")
    page.wait_for_function("() => document.getElementById('card-back').hidden")
    page.click(".tab[data-view=progress]")
    assert "8 flashcards are due now." in page.locator("#progress-due").inner_text()
    un = page.locator('#progress-topics .topic[data-topic="un"]').inner_text()
    assert "Flashcards: 0 of 3 known, 1 learning" in un


# ------------------------------------------------------------------ accessibility of the new states


def test_new_states_pass_axe(context: Any, real_page: Path, axe_path: Path, serve: Any) -> None:
    """axe on what these changes added: checked matching rows, the passages' "show more", a card's
    cloze and back, a progress page with data."""
    from test_axe import assert_accessible

    data = payload(real_page)
    w = open_watched(context, real_page, url=serve(real_page.parent) + "index.html")
    page = w.page
    matching = next(i for i, q in enumerate(data["questions"], 1) if q["type"] == "matching")
    practice_goto(page, matching)
    selects = page.locator("#practice-question .match-row select")
    for i in range(selects.count()):
        selects.nth(i).select_option(index=1)
    page.click("#practice-check")
    page.locator("#practice-question .match-result").first.wait_for()
    assert_accessible(page, axe_path, "matching checked")
    essay = next(i for i, q in enumerate(data["questions"], 1) if q["id"] == "Q-sm-es-conditions")
    practice_goto(page, essay)
    page.click("#practice-check")
    page.locator("#practice-feedback .more-passages summary").click()
    assert_accessible(page, axe_path, "feedback with more passages open")
    page.click(".tab[data-view=cards]")
    assert_accessible(page, axe_path, "cloze card")
    page.keyboard.press("Space")
    focused_id(page, "card-back")
    assert_accessible(page, axe_path, "card back")
    page.keyboard.press("1")
    page.click(".tab[data-view=progress]")
    assert_accessible(page, axe_path, "progress by topic")

"""Date labels and timeline order (studygen.dates), and that the PDF, HTML and self-test show the same labels."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from studygen.course import DEFAULT_LABELS, Course
from studygen.dates import any_inferred, chronological, date_label, parse
from studygen.model import Bank, Fact
from studygen.sources.banks import load_banks

REPO = Path(__file__).resolve().parents[1]
REAL_BANK = REPO / "question_banks" / "seoul-moscow.yaml"


def fact(date: str, date_text: str = "", fid: str = "F-x") -> Fact:
    return Fact(id=fid, statement="Something happened.", quotes=("q",), date=date, date_text=date_text)


@pytest.mark.parametrize(
    ("date", "text", "label"),
    [
        ("2023-09-13", 'Sept. 13, 2023 (photo caption); "last September" (text)', "13 Sept. 2023"),
        ("2024-05-13", "Monday, May 13, 2024", "13 May 2024"),
        ("2024-02", "early February", "early Feb. [2024]"),
        ("2024-03-28", "March 28", "28 Mar. [2024]"),
        ("2024-03-28", "28th of March", "28 Mar. [2024]"),
        ("2024", '2024 Moscow Nonproliferation Conference, "around the time of Chang\'s comments"', "2024"),
        ("2024-04-27", "", "27 Apr. 2024"),  # no wording: the ISO date is what the bank states
        ("2023-09", "last September", "Sept. [2023]"),
        ("2024-12", "late 2024", "late [Dec.] 2024"),
        ("2024", "", "2024"),
    ],
)
def test_each_date_once_with_the_inferred_part_marked(date: str, text: str, label: str) -> None:
    assert date_label(fact(date, text), DEFAULT_LABELS) == label
    assert any_inferred((fact(date, text),)) == ("[" in label)


def test_undated_fact_shows_the_readings_wording_or_nothing() -> None:
    assert date_label(fact("", "some weeks later"), DEFAULT_LABELS) == "some weeks later"
    assert date_label(fact(""), DEFAULT_LABELS) == ""


def test_labels_follow_the_course_format() -> None:
    korean = {
        **DEFAULT_LABELS,
        "date_day": "{year}년 {month} {day}일",
        "date_month": "{year}년 {month}",
        "months": " ".join(f"{m}월" for m in range(1, 13)),
        "date_inferred": "({part})",
    }
    assert date_label(fact("2024-03-28", "March 28"), korean) == "(2024)년 3월 28일"
    assert date_label(fact("2023-09-13", "Sept. 13, 2023"), korean) == "2023년 9월 13일"


def test_a_year_only_date_is_placed_by_the_text_not_before_february() -> None:
    """Issue 16: '2024' (the conference, "around the time of Chang's comments") sorted before February."""
    facts = (
        fact("2024-05-13", "May 13, 2024", "F-pub"),  # published: first in the bank, last in time
        fact("2023-09-13", "Sept. 13, 2023", "F-summit"),
        fact("2024-02", "early February", "F-spat"),
        fact("2024-03-28", "March 28", "F-veto"),
        fact("2024-04-27", "April 27", "F-chang"),
        fact("2024", "2024 conference, around the time of Chang's comments", "F-conf"),
        fact("", "", "F-undated"),
    )
    assert [f.id for f in chronological(facts)] == ["F-summit", "F-spat", "F-veto", "F-chang", "F-conf", "F-pub"]


def test_a_vague_date_first_in_the_bank_goes_before_what_it_contains() -> None:
    facts = (fact("2024", "", "F-year"), fact("2023-05-01", "", "F-old"), fact("2024-03", "", "F-march"))
    assert [f.id for f in chronological(facts)] == ["F-old", "F-year", "F-march"]


ISO = st.builds(
    lambda y, m, d, p: f"{y}" if p == 0 else (f"{y}-{m:02d}" if p == 1 else f"{y}-{m:02d}-{d:02d}"),
    st.integers(2020, 2025),
    st.integers(1, 12),
    st.integers(1, 28),
    st.integers(0, 2),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(ISO, st.just("")), max_size=12))
def test_chronological_is_a_stable_consistent_order(dates: list[str]) -> None:
    facts = tuple(fact(d, "", f"F-{i}") for i, d in enumerate(dates))
    order = chronological(facts)
    assert sorted(f.id for f in order) == sorted(f.id for f in facts if f.date)  # every dated fact, once
    assert chronological(facts) == order  # deterministic
    full = [f.date for f in order if len(f.date) == 10]
    assert full == sorted(full)  # exact days never go backwards
    for i, a in enumerate(order):  # nothing is placed against what is known: no later span before an earlier one
        for b in order[i + 1 :]:
            assert not (a.date[:4] > b.date[:4]), (a.date, b.date)


@settings(max_examples=200, deadline=None)
@given(ISO, st.text(max_size=40))
def test_any_wording_gives_one_short_label(date: str, text: str) -> None:
    label = date_label(fact(date, text), DEFAULT_LABELS)
    assert str(int(date[:4])) in label and len(label) <= 40
    parts = parse(date, text)
    assert parts is not None and parts.inferred == ("[" in label)


# ---- parity: PDF study guide, HTML study guide and self-test show the same label for every dated fact ----


@pytest.fixture(scope="module")
def real_bank() -> Bank:
    result = load_banks([str(REAL_BANK)])
    if not result.ok:
        pytest.skip("the real bank does not load cleanly right now")
    return result.banks[0]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_pdf_html_and_selftest_show_the_same_date_labels(real_bank: Bank) -> None:
    from studygen.targets.html import render_study_guide_html
    from studygen.targets.pdf import render_study_guide_pdf
    from studygen.targets.selftest.payload import build_payload, reading_view

    course = Course(root=REPO)
    dated = [f for f in real_bank.facts if f.date]
    labels = {f.id: date_label(f, course.labels) for f in dated}
    assert labels and all(labels.values())

    pdf = render_study_guide_pdf(course, real_bank)
    pdf_text = _squash("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages))
    page = render_study_guide_html(course, real_bank).decode("utf-8")
    payload = build_payload(course, [real_bank], [reading_view(0, real_bank, True)])
    cards = {c["id"].rsplit("/", 1)[-1]: c for c in payload["cards"] if c["kind"] == "fact"}

    for f in dated:
        label = labels[f.id]
        # PDF: in the key facts and on the timeline
        assert pdf_text.count(_squash(label)) >= 2, (f.id, label)
        # HTML: the key-facts tag, the SVG timeline and the figure as text
        assert page.count(f"({label})") >= 1 and page.count(f"<strong>{label}:</strong>") == 1, (f.id, label)
        # self-test: the flashcard's date
        assert cards[f.id]["date"] == label
    # and the clutter of old is gone: no "ISO (wording)" pair anywhere
    for f in dated:
        if f.date_text:
            assert f"{f.date} ({f.date_text})" not in page
            assert _squash(f"{f.date} ({f.date_text})") not in pdf_text
    legend = course.label("dates_legend")
    assert any_inferred(real_bank.facts) and legend in page and _squash(legend) in pdf_text
    assert payload["labels"]["dates_legend"] == legend
    assert json.dumps(payload)  # the payload stays JSON

"""The build fingerprint and lazily made versions: what is printed on paper identifies its manifest."""

from __future__ import annotations

import dataclasses
import io
import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from test_pdf_support import REAL_BANK, course, load
from test_select import bank as bank_strategy

from studygen.cli import main
from studygen.course import DEFAULT_LABELS, Blueprint
from studygen.grade.manifest import load_manifest
from studygen.model import Bank
from studygen.select import (
    CHECKPOINT,
    LazyVersions,
    make_quiz,
    make_version,
    opening,
    select_questions,
    version_label,
)
from studygen.targets.html import HtmlRenderer
from studygen.targets.pdf import render_quiz_pdfs
from studygen.versions import Quiz, Version

FINGERPRINT = re.compile(r"^[0-9a-f]{10}$")


def quiz_of(banks: list[Bank], versions: int = 3, seed: int = 5, questions: int = 8, title: str = "Q") -> Quiz:
    return make_quiz("q", title, banks, Blueprint(questions=questions), versions, seed, random.Random(seed))


@pytest.fixture(scope="module")
def real() -> Bank:
    return load(REAL_BANK)


def eager(b: Bank, n_questions: int, versions: int, seed: int) -> tuple[object, ...]:
    """The versions as the selection made them before they became lazy: all at once from one stream."""
    rng = random.Random(seed)
    selected = select_questions([b], Blueprint(questions=n_questions), rng)
    made: list[Version] = []
    for v in range(versions):
        made.append(make_version(version_label(v), selected, rng, avoid_first=opening(made[-1]) if made else None))
    return tuple(made)


@settings(max_examples=25, deadline=None)
@given(bank_strategy(), st.integers(0, 2**32 - 1), st.integers(1, 3 * CHECKPOINT + 5))
def test_lazy_versions_are_exactly_the_versions_made_at_once(b: Bank, seed: int, versions: int) -> None:
    n = max(1, len(b.questions) // 2)
    quiz = make_quiz("q", "Q", [b], Blueprint(questions=n), versions, seed, random.Random(seed))
    assert isinstance(quiz.versions, LazyVersions)
    want = eager(b, n, versions, seed)
    assert len(quiz.versions) == versions
    assert tuple(quiz.versions) == want
    for i in {0, versions - 1, versions // 2, min(versions - 1, CHECKPOINT)}:
        assert quiz.versions[i] == want[i] and quiz.versions[i - versions] == want[i]
    assert quiz.versions[3:70] == want[3:70]
    with pytest.raises(IndexError):
        quiz.versions[versions]


@settings(max_examples=25, deadline=None)
@given(bank_strategy(), st.integers(0, 2**32 - 1), st.integers(1, 4))
def test_the_fingerprint_is_ten_hex_chars_and_the_same_for_the_same_quiz(b: Bank, seed: int, versions: int) -> None:
    n = max(1, len(b.questions) // 2)
    one = make_quiz("q", "Q", [b], Blueprint(questions=n), versions, seed, random.Random(seed))
    two = make_quiz("q", "Q", [b], Blueprint(questions=n), versions, seed, random.Random(seed))
    assert FINGERPRINT.match(one.fingerprint) and one.fingerprint == two.fingerprint
    # the same content handed over eagerly (tests, other callers) gets the same fingerprint
    same = Quiz("q", "Q", seed, tuple(one.versions), one.banks)
    assert same.fingerprint == one.fingerprint


def test_anything_a_student_or_grader_could_notice_changes_the_fingerprint(real: Bank) -> None:
    base = quiz_of([real]).fingerprint
    assert quiz_of([real], seed=6).fingerprint != base
    assert quiz_of([real], versions=4).fingerprint != base
    assert quiz_of([real], questions=7).fingerprint != base
    assert quiz_of([real], title="Midterm").fingerprint != base
    picked = {i.question.id for i in quiz_of([real]).versions[0].items}
    for field, value in (("explanation", "Another explanation."), ("points", 2.0), ("stem", "Changed stem?")):
        changed = tuple(
            dataclasses.replace(q, **{field: value}) if q.id in picked else q  # type: ignore[arg-type]
            for q in real.questions
        )
        other = dataclasses.replace(real, questions=changed)
        assert quiz_of([other]).fingerprint != base, f"a changed {field} must change the fingerprint"


def test_where_a_question_was_written_is_not_content(real: Bank) -> None:
    moved = dataclasses.replace(
        real, path="elsewhere.yaml", marks={("questions", i): (99 + i, 9) for i in range(len(real.questions))}
    )
    assert moved.where("questions", 0) == (99, 9)
    assert quiz_of([moved]).fingerprint == quiz_of([real]).fingerprint


def test_every_pdf_page_of_quiz_and_key_carries_the_fingerprint(real: Bank) -> None:
    quiz = quiz_of([real], questions=12)
    docs = render_quiz_pdfs(course(), quiz)
    for label, (quiz_pdf, key_pdf) in docs.items():
        for pdf in (quiz_pdf, key_pdf):
            pages = PdfReader(io.BytesIO(pdf)).pages
            assert len(pages) >= 1
            for page in pages:
                assert f"build {quiz.fingerprint}" in page.extract_text(), label


def test_every_html_quiz_and_key_page_carries_the_fingerprint_on_screen_and_on_paper(real: Bank) -> None:
    quiz = quiz_of([real])
    renderer = HtmlRenderer(course(labels={**DEFAULT_LABELS, "build": "Build-Nr."}))
    for version in quiz.versions:
        for page in (renderer.quiz(quiz, version).decode(), renderer.key(quiz, version).decode()):
            assert (
                f'<footer class="build-fingerprint"><p>Build-Nr. <span class="fingerprint">{quiz.fingerprint}' in page
            )
            assert f'@bottom-right {{ content: "Build-Nr. {quiz.fingerprint}"' in page


def test_manifest_and_grade_show_the_fingerprint_it_graded_against(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "quiz"
    bank_file = Path(__file__).resolve().parents[1] / "question_banks" / "seoul-moscow.yaml"
    assert main(["quiz", str(bank_file), "--questions", "4", "--versions", "2", "--out", str(out)]) == 0
    data = json.loads((out / "manifest.json").read_text("utf-8"))
    fingerprint = data["fingerprint"]
    assert FINGERPRINT.match(fingerprint) and list(data)[:4] == ["quiz", "seed", "fingerprint", "versions"]
    assert f"build {fingerprint}" in PdfReader(out / "quiz-B-key.pdf").pages[0].extract_text()
    assert load_manifest(out / "manifest.json").fingerprint == fingerprint
    v = data["versions"][0]
    sheet = tmp_path / "responses.csv"
    sheet.write_text(
        "student_id,version," + ",".join(str(i["number"]) for i in v["items"]) + "\n"
        "s1,A," + ",".join("".join(i["correct"]) if i["type"] != "essay" else "" for i in v["items"]) + "\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    main(["grade", str(out / "manifest.json"), str(sheet), "--out", str(tmp_path / "graded")])
    assert f"grading against build {fingerprint}" in capsys.readouterr().err
    report = (tmp_path / "graded" / "report.html").read_text("utf-8")
    assert f'build <strong class="fingerprint">{fingerprint}</strong>' in report
    assert f"build {fingerprint}" in " ".join(
        PdfReader(tmp_path / "graded" / "report.pdf").pages[0].extract_text().split()
    )

"""HTML vs PDF parity for quizzes and keys: same items, same order, same points, same key answers.

Both formats draw one `QuizContent` per version (`studygen.documents.quiz`).  These tests read
what each format *shows* — the HTML through an HTML parser, the PDF through pypdf's text
extraction with the running header and footer cut away — and compare the two, so a format that
decides on its own what a quiz or key says fails here.  Before the content layer they failed on
three drifts: the HTML key's fill-in answers had no "Accepted answers" heading, the PDF key did
not cite the reading, and the PDF quiz left out the questions' background notes.
"""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader

from studygen.course import Blueprint, Course
from studygen.model import Bank
from studygen.select import make_quiz
from studygen.sources.banks import load_banks
from studygen.targets.html import HtmlRenderer
from studygen.targets.pdf.quiz import QuizLayout
from studygen.versions import Quiz

FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"


def squash(text: str) -> str:
    """Text without whitespace: where lines wrap differs by format, what they say must not."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def bank() -> Bank:
    result = load_banks([FIXTURES / "hostile.yaml"])
    assert result.ok, result.diagnostics
    return result.banks[0]


@pytest.fixture(scope="module")
def course() -> Course:
    return Course(root=FIXTURES, title="IR 210", instructor="Dr. Park")


@pytest.fixture(scope="module")
def quiz(bank: Bank) -> Quiz:
    n = len(bank.questions)
    return make_quiz("parity", "Parity quiz", [bank], Blueprint(questions=n), 3, 5, random.Random(5))


def pdf_body(pdf: bytes, layout: QuizLayout) -> list[str]:
    """Per page, the text inside the frame (no running header or footer), in drawing order."""
    bottom = layout.frame.top - layout.frame.height - 1
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        parts: list[str] = []

        def keep(
            text: str, cm: list[float], tm: list[float], font: object, size: float, parts: list[str] = parts
        ) -> None:
            y = cm[5] + tm[5] * cm[3] if cm else tm[5]
            if bottom <= y <= layout.frame.top + 1:
                parts.append(text)

        page.extract_text(visitor_text=keep)
        pages.append("".join(parts))
    return pages


def having(tag: str, cls: str) -> str:
    """An XPath step for `tag.cls` (no cssselect needed)."""
    return f"{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]"


def find(el: lxml.html.HtmlElement, *steps: str) -> list[lxml.html.HtmlElement]:
    found: list[lxml.html.HtmlElement] = el.xpath(".//" + "//".join(steps))
    return found


def html_items(page: bytes) -> list[lxml.html.HtmlElement]:
    return find(lxml.html.fromstring(page), having("li", "question"))


def test_quiz_items_numbers_stems_points_and_notes_agree(course: Course, quiz: Quiz) -> None:
    html = HtmlRenderer(course)
    layout = QuizLayout(course, quiz, large_print=False)
    layout.learn()
    for version in quiz.versions:
        items = html_items(html.quiz(quiz, version))
        assert [int(li.get("id")[1:]) for li in items] == [i.number for i in version.items]
        pdf = squash("".join(pdf_body(layout.quiz_pdf(version), layout)))
        at = 0
        for li in items:
            stem = find(li, having("p", "stem"))[0]
            number = find(stem, having("*", "num"))[0].text_content()
            points = find(stem, having("*", "points"))[0].text_content()
            words = squash(stem.text_content().replace(number, "", 1).replace(points, ""))
            shown = [squash(number + words), squash(points)]
            shown += [
                squash(p.text_content()) for p in li.xpath(f"./{having('p', 'hint')} | ./{having('p', 'background')}")
            ]
            for text in shown:
                found = pdf.find(text, at)
                assert found >= 0, f"version {version.label}: the PDF quiz lacks {text!r} after offset {at}"
                at = found + len(text)


def test_key_says_the_same_in_both_formats(course: Course, quiz: Quiz) -> None:
    """Grid and full answers: the PDF key's body is exactly the HTML key's text, in the same order."""
    html = HtmlRenderer(course)
    layout = QuizLayout(course, quiz, large_print=False)
    layout.learn()
    for version in quiz.versions:
        tree = lxml.html.fromstring(html.key(quiz, version))
        grid = [squash(li.text_content()) for li in find(tree, having("ol", "key-grid"), "li")]
        answers = [squash(li.text_content()) for li in find(tree, having("li", "answer"))]
        assert len(grid) == len(answers) == len(version.items)
        pages = pdf_body(layout.key_pdf(version), layout)
        body = squash("".join(pages))
        # The grid comes first (column by column in the PDF), then every answer in item order.
        tail = body[body.index(answers[0]) :]
        assert tail == "".join(answers), f"version {version.label}: the PDF and HTML keys say different things"
        head = body[: body.index(answers[0])]
        for cell in grid:
            assert cell in head, f"version {version.label}: grid cell {cell!r} missing from the PDF key's grid"


def test_points_and_total_agree(course: Course, quiz: Quiz) -> None:
    html = HtmlRenderer(course)
    version = quiz.versions[0]
    tree = lxml.html.fromstring(html.key(quiz, version))
    shown = [p.text_content() for p in find(tree, having("li", "answer"), "h3", having("span", "points"))]
    assert shown == [f"({i.points:g} point{'s' if i.points != 1 else ''})" for i in version.items]

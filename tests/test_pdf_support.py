"""Shared helpers for the PDF tests: fixture banks, hand-built quizzes, text extraction.

Quizzes come from `studygen.select` with a blueprint that takes every question,
so the PDFs are tested on exactly what a build renders.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from pypdf import PdfReader

from studygen import select
from studygen.course import Blueprint, Course
from studygen.model import Bank
from studygen.sources.banks import load_banks
from studygen.versions import Quiz

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
HOSTILE = FIXTURES / "hostile.yaml"
REAL_BANK = Path(__file__).parents[1] / "question_banks" / "seoul-moscow.yaml"


def load(path: Path = HOSTILE) -> Bank:
    result = load_banks([path])
    assert result.ok, [d.format_text() for d in result.diagnostics]
    return result.banks[0]


def course(**kw: object) -> Course:
    defaults: dict[str, object] = {
        "root": FIXTURES,
        "title": "IR 101 <Intro> & 국제관계",
        "instructor": "Dr. Test",
        "institution": "Test University",
        "term": "Fall 2024",
    }
    defaults.update(kw)
    return Course(**defaults)  # type: ignore[arg-type]


def make_quiz(
    banks: list[Bank],
    versions: int = 2,
    seed: int = 1,
    quiz_id: str = "q1",
    title: str = "Quiz 1 <b>Seoul</b> & Moscow",
) -> Quiz:
    """Every question of the banks, in `versions` shuffled versions, through the real selection code.

    Alternatives (`excludes`) never meet in one quiz, so one question of each such pair stays out.
    """
    every = Blueprint(questions=sum(len(b.questions) - sum(1 for q in b.questions if q.excludes) for b in banks))
    return select.make_quiz(quiz_id, title, banks, every, versions, seed, random.Random(seed))


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Whitespace-insensitive text, since extraction breaks lines where the layout wrapped them."""
    return " ".join(text.split())

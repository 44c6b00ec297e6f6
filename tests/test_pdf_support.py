"""Shared helpers for the PDF tests: fixture banks, hand-built quizzes, text extraction.

Quizzes are built here by hand (plain dataclasses) so these tests do not depend
on the selection module: each version is a seeded permutation of questions
and options, as selection would produce.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from pypdf import PdfReader

from studygen.course import Course
from studygen.model import Bank, Question, QuestionType
from studygen.sources.banks import load_banks
from studygen.versions import LETTERS, Item, Quiz, Version

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


def make_item(number: int, bank: Bank, q: Question, rng: random.Random) -> Item:
    quotes = bank.quotes_for(q.refs)
    t = q.type
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        free = [i for i, o in enumerate(q.options) if not o.pinned]
        shuffled = free[:]
        rng.shuffle(shuffled)
        order = [shuffled.pop(0) if not o.pinned else i for i, o in enumerate(q.options)]
        choices = tuple(q.options[i].text for i in order)
        correct = tuple(LETTERS[pos] for pos, i in enumerate(order) if q.options[i].correct)
        return Item(number, q, bank.id, choices=choices, correct=correct, source_quotes=quotes)
    if t is QuestionType.TRUE_FALSE:
        return Item(
            number, q, bank.id, choices=("True", "False"), correct=("A" if q.answer else "B",), source_quotes=quotes
        )
    if t is QuestionType.MATCHING:
        rights = [p.right for p in q.pairs] + list(q.distractors)
        rng.shuffle(rights)
        correct = tuple(LETTERS[rights.index(p.right)] for p in q.pairs)
        return Item(
            number,
            q,
            bank.id,
            choices=tuple(rights),
            prompts=tuple(p.left for p in q.pairs),
            correct=correct,
            source_quotes=quotes,
        )
    if t is QuestionType.ORDERING:
        shown = list(q.items)
        rng.shuffle(shown)
        correct = tuple(LETTERS[shown.index(x)] for x in q.items)
        return Item(number, q, bank.id, choices=tuple(shown), correct=correct, source_quotes=quotes)
    if t is QuestionType.SHORT_ANSWER:
        return Item(number, q, bank.id, correct=q.accepted, source_quotes=quotes)
    if t is QuestionType.FILL_BLANK:
        blanks = tuple(b.accepted for b in q.blanks)
        return Item(
            number, q, bank.id, correct=tuple(" | ".join(b) for b in blanks), blanks=blanks, source_quotes=quotes
        )
    return Item(number, q, bank.id, source_quotes=quotes)


def make_quiz(
    banks: list[Bank],
    versions: int = 2,
    seed: int = 1,
    quiz_id: str = "q1",
    title: str = "Quiz 1 <b>Seoul</b> & Moscow",
) -> Quiz:
    rng = random.Random(seed)
    pool = [(b, q) for b in banks for q in b.questions]
    made = []
    for v in range(versions):
        order = pool[:]
        rng.shuffle(order)
        items = tuple(make_item(n, b, q, rng) for n, (b, q) in enumerate(order, start=1))
        made.append(Version(LETTERS[v % 26] * (v // 26 + 1), items))
    return Quiz(quiz_id, title, seed, tuple(made), tuple(banks))


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Whitespace-insensitive text, since extraction breaks lines where the layout wrapped them."""
    return " ".join(text.split())

"""Turning one response cell into a typed answer, or saying exactly why it cannot be read.

A cell that cannot mean anything for its item (a letter the item does not
have, three answers for two blanks, 5 points on a 4-point essay) is an error,
never a guess: the caller skips the row and reports it, so a typing slip can
never silently become a wrong answer on a student's record.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from studygen.grade.manifest import ManifestItem
from studygen.model import QuestionType
from studygen.text.letters import LETTERS, letter_index

_SEPARATORS = re.compile(r"[\s,;/]+")
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_NO_PART = "-_?"
_TRUE_WORDS = {"T", "TRUE"}
_FALSE_WORDS = {"F", "FALSE"}


class AnswerError(ValueError):
    """The cell cannot be an answer to its item; the message says what to write instead."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What a student wrote for one item.

    - choice and true/false: `letters` marked, sorted, without repeats;
    - matching and ordering: `letters` in the order written, "" for a part left empty;
    - short answer: `text`; fill-in-the-blank: `parts`, one per blank;
    - essay: `points` awarded by the marker.
    `blank` is True when the cell was empty (the item was omitted).
    """

    blank: bool = False
    letters: tuple[str, ...] = ()
    text: str = ""
    parts: tuple[str, ...] = ()
    points: float = 0.0


OMITTED = Answer(blank=True)


def parse_answer(item: ManifestItem, cell: str) -> Answer:
    raw = cell.strip()
    if not raw:
        return OMITTED
    t = item.type
    if t is QuestionType.TRUE_FALSE:
        word = raw.upper()
        if word in _TRUE_WORDS:
            return Answer(letters=(LETTERS[0],))
        if word in _FALSE_WORDS:
            return Answer(letters=(LETTERS[1],))
        return Answer(letters=tuple(sorted(set(_letters(item, raw, len(item.options))))))
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        return Answer(letters=tuple(sorted(set(_letters(item, raw, len(item.options))))))
    if t in (QuestionType.MATCHING, QuestionType.ORDERING):
        want = len(item.prompts) if t is QuestionType.MATCHING else len(item.options)
        seq = _sequence(item, raw, len(item.options))
        if len(seq) != want:
            what = "prompt" if t is QuestionType.MATCHING else "item to order"
            raise AnswerError(
                f"{_show(raw)} gives {len(seq)} letter(s) but item {item.number} needs {want}, one per {what} "
                f"in order (e.g. {''.join(LETTERS[:want])}; write - for a part left empty)"
            )
        return Answer(letters=seq)
    if t is QuestionType.SHORT_ANSWER:
        return Answer(text=raw)
    if t is QuestionType.FILL_BLANK:
        n = len(item.blanks)
        if n == 1:
            return Answer(parts=(raw,))
        sep = "|" if "|" in raw else ";"
        parts = tuple(p.strip() for p in raw.split(sep))
        if len(parts) != n:
            raise AnswerError(
                f"{_show(raw)} gives {len(parts)} answer(s) but item {item.number} has {n} blanks; separate them "
                f"with | (leave an empty part for a blank left empty, e.g. 'first||third')"
            )
        return Answer(parts=parts)
    # essay: the marker's points
    text = raw.replace(" ", "")
    if not _NUMBER.match(text):
        raise AnswerError(
            f"{_show(raw)} is not a number of points for essay item {item.number} (0 to {_num(item.points)})"
        )
    value = float(text.replace(",", "."))
    if not math.isfinite(value) or value > item.points:
        raise AnswerError(f"{_show(raw)} points is more than essay item {item.number} is worth ({_num(item.points)})")
    return Answer(points=value)


def _letters(item: ManifestItem, raw: str, n: int) -> list[str]:
    out = []
    for chunk in _SEPARATORS.split(raw):
        for ch in chunk:
            out.append(_letter(item, raw, ch, n))
    return out


def _sequence(item: ManifestItem, raw: str, n: int) -> tuple[str, ...]:
    out = []
    for chunk in _SEPARATORS.split(raw):
        for ch in chunk:
            out.append("" if ch in _NO_PART else _letter(item, raw, ch, n))
    return tuple(out)


def _letter(item: ManifestItem, raw: str, ch: str, n: int) -> str:
    index = letter_index(ch)
    if index < 0:
        raise AnswerError(f"{_show(raw)}: {ch!r} is not a letter; item {item.number} takes letters {_range(n)}")
    up = LETTERS[index]
    if index >= n:
        raise AnswerError(f"{_show(raw)}: item {item.number} has no option {up} (its options are {_range(n)})")
    return up


def _range(n: int) -> str:
    return f"A–{LETTERS[n - 1]}" if n > 1 else "A"


def _show(raw: str) -> str:
    shown = raw if len(raw) <= 40 else raw[:37] + "..."
    return repr(shown)


def _num(x: float) -> str:
    return f"{x:g}"

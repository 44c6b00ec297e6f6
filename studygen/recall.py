"""Fact → recall prompt: which detail of a fact a flashcard asks for.

A flashcard that shows a whole fact on the front and nothing on the back tests
nothing.  This picks the one detail of the statement a student should be able
to recall — the reading's own date wording, a quoted phrase, a number, a name —
and splits the statement around it, so a card can hide that span (a cloze).
Every piece comes from the statement itself, so the card says nothing the
bank does not.  Pure and deterministic: the Anki export and the self-test's
flashcards call this one function, so a student sees the same prompt in both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from studygen import inline
from studygen.model import Fact


class Detail(Enum):
    """What kind of span the prompt hides, most telling first (the order they are tried in)."""

    DATE = "date"
    QUOTE = "quote"
    NUMBER = "number"
    NAME = "name"
    CLAUSE = "clause"


@dataclass(frozen=True, slots=True)
class RecallPrompt:
    """`before + answer + after` is the fact's statement as plain text; `answer` is the span to recall."""

    before: str
    answer: str
    after: str
    detail: Detail

    @property
    def statement(self) -> str:
        return self.before + self.answer + self.after


_QUOTED = re.compile(r"[\"“]([^\"“”]{3,160}?)[\"”]")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,.]*\d(?:\s?%)?(?![\w])|(?<![\w.])\d(?:\s?%)?(?![\w])")
# A run of capitalised words (hyphenated parts and "of"/"de"/"the" inside allowed): a name or title.
_NAME = re.compile(r"(?<![\w'’-])[A-Z][\w’'-]*(?:\s+(?:(?:of|the|de|von|al)\s+)?[A-Z][\w’'-]*)*")
# Capitalised only because they open the sentence: dropped from the front of a name there.
_OPENERS = (
    "a an the this that these those his her its their our in on at by for from with of to into since "
    "despite after before during when while although though because if as unlike under over first "
    "second third both each every some many most all and but or so yet then"
)
_SENTENCE_OPENERS = frozenset(_OPENERS.split())
_PUNCT_BREAK = re.compile(r"[,;:]\s+")
_WORD_BREAK = re.compile(r"\s+(?:that|because|since|while|after|before|when|as)\s+")
_MIN_ANSWER = 2


def _date_spans(date_text: str) -> list[str]:
    """The reading's date wording and its parts: `Sept. 13, 2023 (photo caption); "last September" (text)`
    gives the whole, then `Sept. 13, 2023` and `last September`."""
    parts = [date_text]
    for piece in re.split(r";", date_text):
        piece = re.sub(r"\([^)]*\)", "", piece).strip().strip('"“”').strip()
        if piece and piece not in parts:
            parts.append(piece)
    return [p for p in parts if len(p) >= _MIN_ANSWER]


def _split(text: str, start: int, end: int, detail: Detail) -> RecallPrompt:
    return RecallPrompt(text[:start], text[start:end], text[end:], detail)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def _name(text: str, actors: tuple[str, ...]) -> tuple[int, int] | None:
    """The name to hide: one said once and not already the fact's subject (its actors) first, then the longest.

    A sentence's first word is capitalised anyway, so it is not taken for a name on its own, and
    an opener such as "The" or "Since" is not part of the name ("The Lotte Hotel" gives "Lotte
    Hotel", while "South Korea must..." keeps "South Korea"); a possessive "'s" stays outside.
    """
    best: tuple[tuple[bool, bool, int], int, int] | None = None
    for m in _NAME.finditer(text):
        start, end = m.span()
        words = m.group(0).split()
        if start == 0 or re.search(r"[.!?]\s*$", text[:start]):
            if len(words) == 1:
                continue
            if words[0].casefold() in _SENTENCE_OPENERS:
                words = words[1:]
                # "Since the Putin-Kim summit": the name is "Putin-Kim", not "the Putin-Kim".
                while len(words) > 1 and words[0].islower():
                    words = words[1:]
                start = m.start() + m.group(0).index(words[0], len(m.group(0).split()[0]))
        for suffix in ("'s", "’s"):
            if text[start:end].endswith(suffix):
                end -= len(suffix)
        slug = _slug(text[start:end])
        subject = any(slug.startswith(actor) for actor in actors)  # "Russians", "South Korean" too
        # A name the statement says twice would still be on the card's front: take it last.
        said_twice = len(re.findall(rf"(?<!\w){re.escape(text[start:end])}(?!\w)", text, re.I)) > 1
        score = (not said_twice, not subject, len(words))
        if best is None or score > best[0]:
            best = (score, start, end)
    return (best[1], best[2]) if best else None


def recall_prompt(fact: Fact) -> RecallPrompt:
    """The recall prompt for one fact (see the module docstring); the statement is read as plain text."""
    text = " ".join(inline.plain(fact.statement).split())
    folded = text.casefold()
    if fact.date_text:
        for span in _date_spans(fact.date_text):
            at = folded.find(span.casefold())
            if at >= 0:
                return _split(text, at, at + len(span), Detail.DATE)
    for m in _QUOTED.finditer(text):
        if len(m.group(1).split()) >= 2:
            return _split(text, m.start(1), m.end(1), Detail.QUOTE)
    number = _NUMBER.search(text)
    if number:
        return _split(text, number.start(), number.end(), Detail.NUMBER)
    name = _name(text, fact.actors)
    if name:
        return _split(text, *name, Detail.NAME)
    return _clause(text)


def _clause(text: str) -> RecallPrompt:
    """No date, quote, number or name: hide the last clause (after a comma, else after "because",
    "that"...) that starts past the first third, else the second half."""
    body = text.rstrip(".!? ")
    if not body.strip():  # nothing but punctuation: hide all of it rather than nothing
        return _split(text, 0, len(text), Detail.CLAUSE)
    breaks = [m for m in _PUNCT_BREAK.finditer(body) if m.end() >= len(body) // 3]
    breaks = breaks or [m for m in _WORD_BREAK.finditer(body) if m.end() >= len(body) // 3]
    start = breaks[-1].end() if breaks else len(body) // 2
    if not breaks:
        start = body.rfind(" ", 0, start) + 1 if " " in body[:start] else 0
    end = len(body)
    if end - start < _MIN_ANSWER:
        start = 0
    return _split(text, start, end, Detail.CLAUSE)

"""The data the self-test page runs on, and its safe embedding in HTML.

Everything the page needs is computed here at build time (paragraph anchors,
quote offsets, card lists) so the browser script only presents it; the
script reads this JSON and inserts every bank string with `textContent`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from studygen import dates, inline
from studygen.course import DEFAULT_LABELS, Course
from studygen.model import BLOOM_LEVELS, Bank, Question, QuestionType
from studygen.paragraphs import QuoteLocator, split_paragraphs
from studygen.recall import recall_prompt
from studygen.text import blanks
from studygen.text.answers import page_rule

PAYLOAD_VERSION = 1

# Labels the page shows, with the course's wording where the course defines one.
PAGE_LABEL_KEYS = (
    "true", "false", "explanation", "source", "beyond_reading", "accepted_answers", "guidance", "dates_legend",
)  # fmt: skip
SELFTEST_LABEL_KEYS = tuple(key for key in DEFAULT_LABELS if key.startswith("st_"))

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
# Also C1 controls and DEL, which HTML forbids raw in a page (the answer rule's fold table holds them).
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029\u007f-\u009f]")


def script_json(data: Any) -> str:
    """JSON that cannot end its `<script>` element or open a comment, whatever the bank says.

    `<`, `>` and `&` only ever occur inside JSON strings, where `\\u003c` means the
    same character, so the escaped text parses to exactly the same value.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES.get(m.group(0)) or f"\\u{ord(m.group(0)):04x}", text)


@dataclass(frozen=True, slots=True)
class Paragraph:
    anchor: str
    number: int
    text: str
    chrome: bool = False


@dataclass(frozen=True, slots=True)
class ReadingView:
    """One bank's reading, ready for the template."""

    bank_index: int
    bank_id: str
    title: str
    author: str
    author_affiliation: str
    publication: str
    date: str
    url: str
    paragraphs: tuple[Paragraph, ...]


def anchor_prefix(bank: Bank, single: bool) -> str:
    """`p-12` when the page has one reading (the URL students share); bank-qualified otherwise."""
    return "p-" if single else f"{bank.id}-p-"


def reading_view(bank_index: int, bank: Bank, single: bool) -> ReadingView:
    r = bank.reading
    prefix = anchor_prefix(bank, single)
    paras = tuple(
        Paragraph(f"{prefix}{n}", n, block.text, block.chrome)
        for n, block in enumerate(split_paragraphs(r.text), start=1)
    )
    # Only web links: a `javascript:` URL in a bank must never become a clickable link.
    url = r.url if r.url.startswith(("https://", "http://")) else ""
    return ReadingView(bank_index, bank.id, r.title, r.author, r.author_affiliation, r.publication, r.date, url, paras)


# The page inserts bank text with textContent only, so the `**bold**`/`*italic*` markers are
# removed here rather than shown as asterisks (answers students type are compared as written).
_p = inline.plain


def _answer(q: Question) -> dict[str, Any]:
    t = q.type
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        return {
            "options": [
                {"text": _p(o.text), "correct": o.correct, "pinned": o.pinned, "feedback": _p(o.feedback)}
                for o in q.options
            ]
        }
    if t is QuestionType.TRUE_FALSE:
        return {"answer": bool(q.answer)}
    if t is QuestionType.SHORT_ANSWER:
        return {"accepted": list(q.accepted), "caseSensitive": q.case_sensitive}
    if t is QuestionType.MATCHING:
        return {"pairs": [[_p(p.left), _p(p.right)] for p in q.pairs], "distractors": [_p(d) for d in q.distractors]}
    if t is QuestionType.ORDERING:
        return {"items": [_p(i) for i in q.items]}
    if t is QuestionType.FILL_BLANK:
        # Text and 0-based blank indexes, alternating: the page places one input per index.
        return {"segments": blanks.pieces(_p(q.text)), "blanks": [list(b.accepted) for b in q.blanks]}
    return {"guidance": _p(q.guidance)}


def _sources(bank: Bank, refs: tuple[str, ...], locator: QuoteLocator, view: ReadingView) -> list[dict[str, Any]]:
    out = []
    for quote in bank.quotes_for(refs):
        segments = locator.locate(quote)
        out.append(
            {
                "text": quote,
                "anchor": view.paragraphs[segments[0].para].anchor if segments else "",
                "marks": [[view.paragraphs[s.para].anchor, s.start, s.end] for s in segments],
            }
        )
    return out


# Two quoted stretches of one paragraph closer than this (only spaces or punctuation between) read as one.
_JOINABLE_GAP = re.compile(r"[\s,;:.!?'\"“”‘’()\-–—]{0,3}")


def passages(sources: Sequence[dict[str, Any]], view: ReadingView, gap: str) -> list[dict[str, Any]]:
    """The passages feedback shows: each paragraph once, the key one first, page chrome last.

    A question's quotes come in ref order (its key fact first) but often repeat a paragraph:
    three quotes of ¶22 used to be three blockquotes with three identical links. Here every
    paragraph the quotes touch becomes one passage, its quoted stretches merged and cut from
    the reading's own text (what the reading view highlights), in reading order within the
    paragraph; a quote that cannot be located stays as written, after the located ones.
    """
    index = {p.anchor: i for i, p in enumerate(view.paragraphs)}
    ranges: dict[str, list[list[int]]] = {}
    unlocated: list[str] = []
    for s in sources:
        if not s["marks"]:
            if s["text"] not in unlocated:
                unlocated.append(s["text"])
            continue
        for anchor, start, end in s["marks"]:
            ranges.setdefault(anchor, []).append([start, end])
    ordered = sorted(ranges, key=lambda a: view.paragraphs[index[a]].chrome)  # stable: ref order otherwise
    out: list[dict[str, Any]] = []
    for anchor in ordered:
        para = view.paragraphs[index[anchor]]
        merged: list[list[int]] = []
        for start, end in sorted(ranges[anchor]):
            if merged and (start <= merged[-1][1] or _JOINABLE_GAP.fullmatch(para.text[merged[-1][1] : start])):
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        text = gap.join(para.text[a:b].strip() for a, b in merged)
        out.append({"anchor": anchor, "n": para.number, "text": text})
    out.extend({"anchor": "", "n": 0, "text": text} for text in unlocated)
    return out


def storage_key(course: Course) -> str:
    """One localStorage key per course (pages opened from file:// share one origin).

    It depends on the course alone, so adding next week's reading or editing a bank keeps every
    student's progress: entries are keyed by question and card id inside it.
    """
    digest = hashlib.sha256(course.title.encode("utf-8")).hexdigest()[:12]
    return f"studygen-selftest/course/{digest}"


def legacy_storage_key(course: Course, banks: Sequence[Bank]) -> str:
    """The key pages used before progress was keyed by course: it also hashed the bank ids.

    The page moves what it finds there to `storage_key` once, so upgrading loses nothing.
    """
    ident = "\n".join([course.title, *(b.id for b in banks)])
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12]
    return f"studygen-selftest/v{PAYLOAD_VERSION}/{digest}"


def build_payload(course: Course, banks: Sequence[Bank], views: Sequence[ReadingView]) -> dict[str, Any]:
    questions: list[dict[str, Any]] = []
    cards: list[dict[str, Any]] = []
    topics: dict[str, str] = {}
    gap, blank = course.label("st_passage_gap"), course.label("st_card_blank_mark")
    for b_index, (bank, view) in enumerate(zip(banks, views, strict=True)):
        locator = QuoteLocator([p.text for p in view.paragraphs])
        for t in bank.topics:
            topics.setdefault(t.id, t.label)
        for q in bank.questions:
            for tid in q.topics:
                topics.setdefault(tid, bank.topic_label(tid))
            sources = _sources(bank, q.refs, locator, view)
            questions.append(
                {
                    "id": q.id,
                    "bank": b_index,
                    "type": q.type.value,
                    "stem": _p(q.stem),
                    **_answer(q),
                    "explanation": _p(q.explanation),
                    "background": _p(q.background),
                    "topics": list(q.topics),
                    "difficulty": q.difficulty,
                    "bloom": q.bloom,
                    "points": q.points,
                    "sources": sources,
                    "passages": passages(sources, view, gap),
                }
            )
        fact_topics = {f.id: f.topics for f in bank.facts}
        for f in bank.facts:
            # The recall prompt the Anki deck asks too (studygen.recall): the front hides one detail.
            prompt = recall_prompt(f)
            sources = _sources(bank, (f.id,), locator, view)
            cards.append(
                {
                    "id": f"{bank.id}/fact/{f.id}",
                    "bank": b_index,
                    "kind": "fact",
                    "front": prompt.before + blank + prompt.after,
                    "back": prompt.answer,
                    "cloze": [prompt.before, prompt.answer, prompt.after],
                    "detail": prompt.detail.value,
                    "statement": prompt.statement,
                    "topics": list(f.topics),
                    # the same date label as the study guide's (studygen.dates), and whether it marks a guess
                    "date": dates.date_label(f, course.labels),
                    "dateInferred": dates.any_inferred((f,)),
                    "background": False,
                    "sources": sources,
                    "passages": passages(sources, view, gap),
                }
            )
        for g in bank.glossary:
            sources = _sources(bank, g.refs, locator, view)
            # A term belongs to the topics of the facts it rests on (the Progress page counts it there).
            term_topics = dict.fromkeys(t for ref in g.refs for t in fact_topics.get(ref, ()))
            cards.append(
                {
                    "id": f"{bank.id}/term/{g.term}",
                    "bank": b_index,
                    "kind": "term",
                    "front": _p(g.term),
                    "back": _p(g.definition),
                    "topics": list(term_topics),
                    "date": "",
                    "dateInferred": False,
                    "background": g.background,
                    "sources": sources,
                    "passages": passages(sources, view, gap),
                }
            )
    return {
        "version": PAYLOAD_VERSION,
        "storageKey": storage_key(course),
        "legacyStorageKeys": [legacy_storage_key(course, banks)],
        "banks": [{"id": b.id, "title": b.title, "reading": b.reading.title} for b in banks],
        "topics": [[tid, label] for tid, label in sorted(topics.items(), key=lambda kv: kv[1].casefold())],
        "blooms": [level for level in BLOOM_LEVELS if any(q["bloom"] == level for q in questions)],
        # Every word the page shows: the handout labels it shares, and the self-test's own (`st_*`).
        "labels": {key: course.label(key) for key in (*PAGE_LABEL_KEYS, *SELFTEST_LABEL_KEYS)},
        # The answer rule grading uses, as data: the page's script holds no fold table of its own.
        "answerRule": page_rule(),
        "questions": questions,
        "cards": cards,
    }

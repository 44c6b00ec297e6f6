"""What the live preview (`studygen serve`) shows: diagnostics, coverage of the reading, questions.

Built from the same validated model and the same quote matching as `studygen check` and the
self-test (`QuoteLocator`, `normalize_passage`), so a sentence the preview shades as quoted is
exactly one the checker accepts a quote from.  Pure: loading and watching files is the server's
job (`studygen/serve.py`); this module only turns banks and diagnostics into content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from studygen.errors import Diagnostic
from studygen.model import Bank
from studygen.paragraphs import QuoteLocator, split_paragraphs
from studygen.passages import sentence_spans
from studygen.versions import Item


@dataclass(frozen=True)
class Mark:
    """Something in the bank that quotes a sentence: a fact, an argument or a question."""

    kind: str  # "fact", "argument" or "question"
    id: str
    text: str  # its statement, claim or stem, for the list shown when pointing at the sentence


@dataclass(frozen=True)
class Sentence:
    text: str
    marks: tuple[str, ...]  # ids of what quotes it (facts and arguments directly, questions through refs)


@dataclass(frozen=True)
class Paragraph:
    number: int  # from 1, as the self-test numbers paragraphs
    sentences: tuple[Sentence, ...]
    chrome: bool = False  # a navigation line of the saved page


@dataclass(frozen=True)
class QuestionView:
    item: Item
    line: int
    passages: tuple[str, ...]


@dataclass(frozen=True)
class BankPreview:
    id: str
    title: str
    path: str
    paragraphs: tuple[Paragraph, ...]
    marks: dict[str, Mark]
    questions: tuple[QuestionView, ...]
    covered: int  # sentences quoted by at least one fact or argument
    total: int

    @property
    def uncovered(self) -> int:
        return self.total - self.covered


@dataclass(frozen=True)
class Unloaded:
    """A bank that does not load yet (a YAML error mid-edit): its reading, unshaded, if it can be found."""

    path: str
    paragraphs: tuple[Paragraph, ...] = ()


@dataclass(frozen=True)
class Preview:
    diagnostics: tuple[Diagnostic, ...]
    banks: tuple[BankPreview, ...]
    unloaded: tuple[Unloaded, ...] = ()
    problems: tuple[str, ...] = ()  # problems that have no file position (e.g. no course file)
    cues: tuple[str, ...] = field(default=())  # the cue report's lines, where the check provides one


def paragraphs_of(text: str) -> list[tuple[str, bool]]:
    """The reading's paragraphs as the self-test shows them (display text, navigation flag)."""
    return [(b.text, b.chrome) for b in split_paragraphs(text)]


def plain_paragraphs(text: str) -> tuple[Paragraph, ...]:
    return tuple(
        Paragraph(n, tuple(Sentence(para[a:b], ()) for a, b in sentence_spans(para)), chrome)
        for n, (para, chrome) in enumerate(paragraphs_of(text), start=1)
    )


def bank_preview(bank: Bank, items: Sequence[Item]) -> BankPreview:
    """One bank's coverage and questions; `items` are its questions as a student sees them (one version)."""
    paras = paragraphs_of(bank.reading.text)
    locator = QuoteLocator([p for p, _ in paras])
    marks: dict[str, Mark] = {}
    # (paragraph index, start, end, id) for everything that quotes the reading.
    spans: list[tuple[int, int, int, str]] = []
    segments_of: dict[str, list[tuple[int, int, int]]] = {}
    for kind, entries in (("fact", bank.facts), ("argument", bank.arguments)):
        for entry in entries:
            marks[entry.id] = Mark(kind, entry.id, getattr(entry, "statement", "") or getattr(entry, "claim", ""))
            for quote in entry.quotes:
                for seg in locator.locate(quote):
                    segments_of.setdefault(entry.id, []).append((seg.para, seg.start, seg.end))
                    spans.append((seg.para, seg.start, seg.end, entry.id))
    direct = set(segments_of)
    for q in bank.questions:
        marks[q.id] = Mark("question", q.id, q.stem)
        for ref in q.refs:
            for para, start, end in segments_of.get(ref, ()):
                spans.append((para, start, end, q.id))
    out: list[Paragraph] = []
    covered = total = 0
    for index, (text, chrome) in enumerate(paras):
        here = [s for s in spans if s[0] == index]
        sentences = []
        for a, b in sentence_spans(text):
            ids = tuple(dict.fromkeys(i for _, start, end, i in here if start < b and end > a))
            sentences.append(Sentence(text[a:b], ids))
            total += 1
            covered += any(i in direct for i in ids)
        out.append(Paragraph(index + 1, tuple(sentences), chrome))
    order = {q.id: n for n, q in enumerate(bank.questions)}
    shown = sorted((it for it in items if it.question.id in order), key=lambda it: order[it.question.id])
    questions = tuple(
        QuestionView(it, bank.where("questions", order[it.question.id])[0], bank.quotes_for(it.question.refs))
        for it in shown
    )
    return BankPreview(bank.id, bank.title, bank.path, tuple(out), marks, questions, covered, total)


def build_preview(
    banks: Sequence[Bank],
    diagnostics: Sequence[Diagnostic],
    unloaded: Sequence[Unloaded] = (),
    problems: Sequence[str] = (),
    items: Mapping[str, Sequence[Item]] | None = None,
    cues: Sequence[str] = (),
) -> Preview:
    """The whole page's content; `items` maps a bank id to its questions as one student version."""
    items = items or {}
    return Preview(
        tuple(sorted(diagnostics)),
        tuple(bank_preview(b, items.get(b.id, ())) for b in banks),
        tuple(unloaded),
        tuple(problems),
        tuple(cues),
    )

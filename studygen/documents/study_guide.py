"""The study guide: one per bank, in PDF and HTML, and what it says (built once for both formats)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from studygen.course import Course
from studygen.documents.base import BankSubject, DocumentKind, IndexEntry, Project, Scope, Subject, fmt_rank
from studygen.documents.outline import ROLE_LABELS, Outline, argument_outline, holder_name
from studygen.inline import plain
from studygen.model import Bank, Fact, Term
from studygen.registry import FORMATS


class StudyGuideDocument(DocumentKind):
    """Summary, key facts, timeline, argument map, stakeholders, glossary and key quotes of one bank."""

    name: ClassVar[str] = "study_guide"
    scope: ClassVar[Scope] = "bank"

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        assert isinstance(subject, BankSubject)
        return f"study-guide/{project.banks[subject.bank].id}{FORMATS[fmt].suffix}"

    def index_entry(self, project: Project, subject: Subject, fmt: str) -> IndexEntry:
        assert isinstance(subject, BankSubject)
        bank = project.banks[subject.bank]
        return IndexEntry("study_guide", "", plain(bank.title), fmt.upper(), rank=(fmt_rank(fmt),), row_id=bank.id)


@dataclass(frozen=True)
class KeyQuote:
    """A verbatim passage, who said it, and the attribution line both formats print under it."""

    text: str
    holder: str
    cite: str


@dataclass(frozen=True)
class StudyGuide:
    """What a bank's study guide says, whatever the format: the renderers only lay it out."""

    bank: Bank
    facts_by_topic: tuple[tuple[str, tuple[Fact, ...]], ...]
    timeline: tuple[Fact, ...]
    outline: Outline
    glossary: tuple[Term, ...]
    key_quotes: tuple[KeyQuote, ...]


def facts_by_topic(bank: Bank, course: Course) -> tuple[tuple[str, tuple[Fact, ...]], ...]:
    """Facts under their first topic, in the bank's topic order (then first use); untagged facts last."""
    groups: dict[str, list[Fact]] = {t.id: [] for t in bank.topics}
    loose: list[Fact] = []
    for f in bank.facts:
        if f.topics:
            groups.setdefault(f.topics[0], []).append(f)
        else:
            loose.append(f)
    out = [(bank.topic_label(tid), tuple(facts)) for tid, facts in groups.items() if facts]
    if loose:
        out.append((course.label("general"), tuple(loose)))
    return tuple(out)


_ROLE_RANK = {role: i for i, role in enumerate(ROLE_LABELS)}


def key_quotes(bank: Bank, course: Course) -> tuple[KeyQuote, ...]:
    """The passages the arguments rest on, thesis first (roles in the bank format's order), without repeats.

    A bank without arguments still has grounded passages: its facts' quotes,
    attributed to the reading's author, so the section never goes empty while
    the reading has quotable lines.
    """
    author = bank.reading.author
    seen: dict[str, str] = {}
    for a in sorted(bank.arguments, key=lambda a: _ROLE_RANK.get(a.role, len(_ROLE_RANK))):
        for q in a.quotes:
            seen.setdefault(q, holder_name(a.holder, bank))
    if not bank.arguments:
        for f in bank.facts:
            for q in f.quotes:
                seen.setdefault(q, author)

    def cite(who: str) -> str:
        # Someone the author quotes or reports: "— Chang Ho-jin, as reported by Chung-in Moon, “…”".
        said = f", {course.label('said_by')} {author}" if who != author else ""
        return f"— {who}{said}, “{bank.reading.title}”"

    return tuple(KeyQuote(q, who, cite(who)) for q, who in seen.items())


def study_guide(bank: Bank, course: Course) -> StudyGuide:
    return StudyGuide(
        bank=bank,
        facts_by_topic=facts_by_topic(bank, course),
        timeline=bank.timeline(),
        outline=argument_outline(bank),
        glossary=tuple(sorted(bank.glossary, key=lambda t: (t.term.casefold(), t.term))),
        key_quotes=key_quotes(bank, course),
    )

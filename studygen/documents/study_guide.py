"""The study guide and its short handout: one each per bank, in PDF and HTML, and what they say.

What a guide says is built once here for both formats, including which of its
sections it prints and in what order (`StudyGuide.sections`: the course's
choice, less the sections the bank has nothing for), so the HTML page and the
PDF cannot disagree about their contents.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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

    # The label key of the link text; the full guide and the handout share one index row per bank.
    link_label: ClassVar[str] = "study_guide"
    link_rank: ClassVar[int] = 0

    def index_entry(self, project: Project, subject: Subject, fmt: str) -> IndexEntry:
        assert isinstance(subject, BankSubject)
        bank = project.banks[subject.bank]
        text = f"{project.course.label(self.link_label)} ({fmt.upper()})"
        return IndexEntry(
            "study_guide", "", plain(bank.title), text, rank=(self.link_rank, fmt_rank(fmt)), row_id=bank.id
        )


class StudyHandoutDocument(StudyGuideDocument):
    """The short handout: the few sections an instructor hands out in class (the course's `study_handout`)."""

    name: ClassVar[str] = "study_handout"
    link_label: ClassVar[str] = "study_handout"
    link_rank: ClassVar[int] = 1

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        assert isinstance(subject, BankSubject)
        return f"study-guide/{project.banks[subject.bank].id}-handout{FORMATS[fmt].suffix}"


@dataclass(frozen=True)
class KeyQuote:
    """A verbatim passage, who said it, and the attribution line both formats print under it."""

    text: str
    holder: str
    cite: str


@dataclass(frozen=True)
class StudyGuide:
    """What a bank's study guide (or its handout) says, whatever the format: the renderers only lay it out.

    `sections` are the names (`studygen.course.STUDY_GUIDE_SECTIONS`) both formats print, in order:
    those the course chose that the bank has content for.  A handout's argument map leaves the
    evidence out (`Outline.main_claims`), so the whole handout stays a couple of pages.
    """

    bank: Bank
    heading: str  # label key of the title: "study_guide" or "study_handout"
    sections: tuple[str, ...]
    handout: bool
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


def study_guide(bank: Bank, course: Course, *, handout: bool = False) -> StudyGuide:
    """The full guide (the course's `study_guide` sections) or the short handout (`study_handout`)."""
    outline = argument_outline(bank)
    if handout:
        outline = outline.main_claims()
    guide = StudyGuide(
        bank=bank,
        heading="study_handout" if handout else "study_guide",
        sections=(),
        handout=handout,
        facts_by_topic=facts_by_topic(bank, course),
        timeline=bank.timeline(),
        outline=outline,
        glossary=tuple(sorted(bank.glossary, key=lambda t: (t.term.casefold(), t.term))),
        key_quotes=key_quotes(bank, course),
    )
    chosen = course.handout_sections if handout else course.guide_sections
    present = {
        "summary": bool(bank.summary),
        "key_facts": bool(guide.facts_by_topic),
        "timeline": bool(guide.timeline),
        "argument_map": bool(guide.outline),
        "stakeholders": bool(bank.stakeholders),
        "glossary": bool(guide.glossary),
        "key_quotes": bool(guide.key_quotes),
    }
    return replace(guide, sections=tuple(s for s in chosen if present.get(s)))

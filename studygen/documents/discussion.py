"""Discussion handouts: per bank with prompts, a student handout and a facilitator guide, and what they say."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from studygen.documents.base import BankSubject, DocumentKind, IndexEntry, Project, Scope, Subject, fmt_rank
from studygen.inline import plain
from studygen.model import Bank
from studygen.registry import FORMATS

VARIANTS = ("student", "facilitator")
_VARIANT_LABEL = {"student": "student_handout", "facilitator": "facilitator"}


class DiscussionDocument(DocumentKind):
    """The bank's discussion prompts; a bank without prompts has no handouts (and no index entry)."""

    name: ClassVar[str] = "discussion"
    scope: ClassVar[Scope] = "bank"

    def subjects(self, project: Project) -> Iterator[BankSubject]:
        if not project.course_wide:
            return
        for bi, bank in enumerate(project.banks):
            if bank.prompts:
                yield from (BankSubject(bi, who) for who in VARIANTS)

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        assert isinstance(subject, BankSubject)
        return f"discussion/{project.banks[subject.bank].id}-{subject.variant}{FORMATS[fmt].suffix}"

    def index_entry(self, project: Project, subject: Subject, fmt: str) -> IndexEntry:
        assert isinstance(subject, BankSubject)
        bank = project.banks[subject.bank]
        word = project.course.label(_VARIANT_LABEL[subject.variant])
        return IndexEntry(
            "discussion",
            "",
            plain(bank.title),
            f"{word} ({fmt.upper()})",
            rank=(VARIANTS.index(subject.variant), fmt_rank(fmt)),
            row_id=bank.id,
        )


@dataclass(frozen=True)
class PromptView:
    number: int
    id: str
    prompt: str
    guidance: str  # shown to facilitators only
    quotes: tuple[str, ...]  # the passages its refs rest on; facilitators only


@dataclass(frozen=True)
class Discussion:
    """What a discussion handout says; the student version leaves room for notes instead of guidance."""

    bank: Bank
    facilitator: bool
    heading_key: str  # label of the handout's heading
    prompts: tuple[PromptView, ...]


def discussion(bank: Bank, *, facilitator: bool) -> Discussion:
    prompts = tuple(
        PromptView(n, p.id, p.prompt, p.guidance, bank.quotes_for(p.refs)) for n, p in enumerate(bank.prompts, 1)
    )
    return Discussion(bank, facilitator, "facilitator" if facilitator else "discussion", prompts)

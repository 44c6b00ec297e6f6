"""Discussion handouts: per bank with prompts, a student handout and a facilitator guide."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from studygen.documents import FORMATS
from studygen.documents.base import BankSubject, DocumentKind, IndexEntry, Project, Scope, Subject, fmt_rank
from studygen.inline import plain

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

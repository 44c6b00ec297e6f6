"""The study guide: one per bank, in PDF and HTML."""

from __future__ import annotations

from typing import ClassVar

from studygen.documents import FORMATS
from studygen.documents.base import BankSubject, DocumentKind, IndexEntry, Project, Scope, Subject, fmt_rank
from studygen.inline import plain


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

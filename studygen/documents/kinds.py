"""The per-quiz document kinds (quiz, key, manifest, responses template) and the course-wide ones.

Each kind's `path` is the only place its file name is spelled; the manifest's
`files`, the index and the renderers read the inventory built from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import ClassVar

from studygen.documents.base import (
    DocumentKind,
    IndexEntry,
    Project,
    QuizSubject,
    Scope,
    Subject,
    VersionSubject,
    fmt_rank,
    version_stem,
)
from studygen.registry import FORMATS


class VersionDocument(DocumentKind):
    """A document per quiz version (and per print size): `<folder><quiz>-<V><tail>[-large]<suffix>`."""

    scope: ClassVar[Scope] = "version"
    large_print: ClassVar[bool] = True
    in_manifest: ClassVar[bool] = True
    tail: ClassVar[str] = ""  # what follows the version letter in the file name
    label_key: ClassVar[str]  # the link text's label
    link_rank: ClassVar[int] = 0  # order among the version's documents in the index row

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        assert isinstance(subject, VersionSubject)
        folder, stem = version_stem(project, subject)
        large = "-large" if subject.large else ""
        return f"{folder}{stem}{self.tail}{large}{FORMATS[fmt].suffix}"

    def index_entry(self, project: Project, subject: Subject, fmt: str) -> IndexEntry:
        assert isinstance(subject, VersionSubject)
        label = project.course.label
        planned, version_label = project.quizzes[subject.quiz], project.version_label(subject)
        tail = f", {label('large_print')}" if subject.large else ""
        row = f"{label('version')} {version_label}"
        if planned.quiz.students:  # versions: per_student: whose paper this is (the ID; names stay on the sheets)
            row += f" · {label('student_id')} {planned.quiz.students[subject.version].student_id}"
        return IndexEntry(
            "quizzes",
            planned.quiz.title,
            row,
            f"{label(self.label_key)} ({fmt.upper()}{tail})",
            rank=(int(subject.large), self.link_rank, fmt_rank(fmt)),
            group_id=planned.quiz.id,
            row_id=version_label,
        )


class QuizDocument(VersionDocument):
    """What students answer: one per version."""

    name: ClassVar[str] = "quiz"
    batch: ClassVar[str] = "quiz"
    label_key: ClassVar[str] = "quiz"


class KeyDocument(VersionDocument):
    """The version's answer key; drawn in the quiz's batch so the PDF shares its layout work."""

    name: ClassVar[str] = "key"
    batch: ClassVar[str] = "quiz"
    tail: ClassVar[str] = "-key"
    label_key: ClassVar[str] = "answer_key"
    link_rank: ClassVar[int] = 1


class _QuizFile(DocumentKind):
    """A grading file of a whole quiz, beside its versions; always built (grading needs it)."""

    scope: ClassVar[Scope] = "quiz"
    selectable: ClassVar[bool] = False
    file_name: ClassVar[str]
    link_rank: ClassVar[int] = 0

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        assert isinstance(subject, QuizSubject)
        return project.quizzes[subject.quiz].folder + self.file_name

    def link_text(self, project: Project) -> str:
        return self.file_name

    def index_entry(self, project: Project, subject: Subject, fmt: str) -> IndexEntry:
        assert isinstance(subject, QuizSubject)
        quiz = project.quizzes[subject.quiz].quiz
        return IndexEntry(
            "quizzes",
            quiz.title,
            project.course.label("manifest"),
            self.link_text(project),
            rank=(self.link_rank,),
            group_id=quiz.id,
            row_id="manifest",
        )


class ManifestDocument(_QuizFile):
    """manifest.json: every version's items and keys, read by `studygen grade`."""

    name: ClassVar[str] = "manifest"
    file_name: ClassVar[str] = "manifest.json"


class ResponsesTemplateDocument(_QuizFile):
    """The CSV header a class's answers are typed into."""

    name: ClassVar[str] = "responses_template"
    file_name: ClassVar[str] = "responses-template.csv"
    link_rank: ClassVar[int] = 1

    def link_text(self, project: Project) -> str:
        return project.course.label("responses_template")


class SelfTestDocument(DocumentKind):
    """The offline self-test page over every bank (with its own CSS and JS beside it)."""

    name: ClassVar[str] = "self_test"
    scope: ClassVar[Scope] = "course"

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        return "self-test/index.html"

    def index_entry(self, project: Project, subject: Subject, fmt: str) -> IndexEntry:
        label = project.course.label
        return IndexEntry("self_test", "", label("self_test"), fmt.upper())


class IndexDocument(DocumentKind):
    """index.html: a link to every other output, drawn from the inventory."""

    name: ClassVar[str] = "index"
    scope: ClassVar[Scope] = "course"
    selectable: ClassVar[bool] = False

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        return "index.html"


class AnswerSheetDocument(VersionDocument):
    """`<quiz>-<V>-sheet.pdf`: the scannable answer sheet of a version, for quizzes with `answer_sheets`.

    Always PDF (a sheet is printed, whatever formats the quiz's documents come in), never large
    print (the scanner reads the layout the manifest records), and not a `documents:` choice: the
    quiz's own `answer_sheets` asks for it.
    """

    name: ClassVar[str] = "answer_sheet"
    batch: ClassVar[str] = "answer_sheet"
    tail: ClassVar[str] = "-sheet"
    label_key: ClassVar[str] = "answer_sheet"
    link_rank: ClassVar[int] = 2
    large_print: ClassVar[bool] = False
    in_manifest: ClassVar[bool] = False
    selectable: ClassVar[bool] = False

    def subjects(self, project: Project) -> Iterable[Subject]:
        for s in super().subjects(project):
            if isinstance(s, VersionSubject) and project.quizzes[s.quiz].answer_sheets:
                yield s

    def formats_for(self, project: Project, subject: Subject) -> tuple[str, ...]:
        return self.formats


class RosterSheetsDocument(_QuizFile):
    """`<quiz>-roster-sheets.pdf`: one personalised answer sheet per roster student, in roster order."""

    name: ClassVar[str] = "roster_sheets"
    file_name: ClassVar[str] = "roster-sheets.pdf"
    link_rank: ClassVar[int] = 2

    def subjects(self, project: Project) -> Iterable[Subject]:
        yield from (QuizSubject(qi) for qi, planned in enumerate(project.quizzes) if planned.roster)

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        assert isinstance(subject, QuizSubject)
        planned = project.quizzes[subject.quiz]
        return f"{planned.folder}{planned.quiz.id}-{self.file_name}"

    def link_text(self, project: Project) -> str:
        return project.course.label("roster_sheets")


class MarkingGridDocument(_QuizFile):
    """`<quiz>-marking-grid`: every version's answers on one sheet (question number × version).

    A marker with a mixed stack of versions reads the column of each paper's version; in the
    formats the quiz asks for, like its keys.
    """

    name: ClassVar[str] = "marking_grid"
    selectable: ClassVar[bool] = True
    file_name: ClassVar[str] = "marking-grid"
    link_rank: ClassVar[int] = 3

    def formats_for(self, project: Project, subject: Subject) -> tuple[str, ...]:
        assert isinstance(subject, QuizSubject)
        return tuple(f for f in project.quizzes[subject.quiz].formats if f in self.formats)

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        assert isinstance(subject, QuizSubject)
        planned = project.quizzes[subject.quiz]
        return f"{planned.folder}{planned.quiz.id}-{self.file_name}{FORMATS[fmt].suffix}"

    def link_text(self, project: Project) -> str:
        return project.course.label("marking_grid")

    def index_entry(self, project: Project, subject: Subject, fmt: str) -> IndexEntry:
        entry = super().index_entry(project, subject, fmt)
        return replace(entry, text=f"{entry.text} ({fmt.upper()})", rank=(self.link_rank, fmt_rank(fmt)))


class PrintPackDocument(_QuizFile):
    """`<quiz>-print-pack.pdf`: every version's quiz in one PDF, for the copy shop (quiz `print_pack`).

    Each version starts on a fresh sheet when printed double-sided (a version with an odd
    number of pages is followed by a blank page), and keeps its own "page x of y".
    """

    name: ClassVar[str] = "print_pack"
    batch: ClassVar[str] = "print_pack"
    file_name: ClassVar[str] = "print-pack.pdf"
    label_key: ClassVar[str] = "print_pack"
    link_rank: ClassVar[int] = 4
    wants: ClassVar[tuple[str, ...]] = ("quizzes", "quizzes_and_keys")

    def subjects(self, project: Project) -> Iterable[Subject]:
        yield from (QuizSubject(qi) for qi, planned in enumerate(project.quizzes) if planned.print_pack in self.wants)

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        assert isinstance(subject, QuizSubject)
        planned = project.quizzes[subject.quiz]
        return f"{planned.folder}{planned.quiz.id}-{self.file_name}"

    def link_text(self, project: Project) -> str:
        return project.course.label(self.label_key)


class KeysPackDocument(PrintPackDocument):
    """`<quiz>-keys-pack.pdf`: the marking grid, then every version's key (`print_pack: quizzes_and_keys`)."""

    name: ClassVar[str] = "print_pack_keys"
    file_name: ClassVar[str] = "keys-pack.pdf"
    label_key: ClassVar[str] = "print_pack_keys"
    link_rank: ClassVar[int] = 5
    wants: ClassVar[tuple[str, ...]] = ("quizzes_and_keys",)

"""What every document kind declares, and the output inventory the build plans from them.

A kind says what it is about (`subjects`), in which formats it exists, where
each output goes (`path`: the ONE place a document's file name is made) and how
the index lists it.  `plan_outputs` walks the registry once and produces the
inventory, a list of `Output` rows; the renderers, the index, the manifest's
file names and the build's duplicate-path check all read that list, so no
output path is spelled twice.

Subjects are small index records (not the objects themselves) so a batch of
outputs pickles cheaply to a worker process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from studygen.course import Course
from studygen.errors import StudygenError
from studygen.model import Bank
from studygen.versions import Quiz, Version

Scope = Literal["version", "quiz", "bank", "course"]
# Versions per rendering batch: big enough that per-batch setup (and PDF layout reuse) pays off,
# small enough that two workers share the load and the progress bar moves.
MAX_VERSIONS_PER_BATCH = 64


@dataclass(frozen=True)
class VersionSubject:
    """One version of one planned quiz, in regular or large print."""

    quiz: int
    version: int
    large: bool = False


@dataclass(frozen=True)
class QuizSubject:
    quiz: int


@dataclass(frozen=True)
class BankSubject:
    """One bank; `variant` names a kind's flavour (the discussion's student or facilitator handout)."""

    bank: int
    variant: str = ""


@dataclass(frozen=True)
class CourseSubject:
    pass


Subject = VersionSubject | QuizSubject | BankSubject | CourseSubject


@dataclass(frozen=True)
class PlannedQuiz:
    """A selected quiz, the folder its files go to, and the formats and print sizes asked for."""

    quiz: Quiz
    folder: str  # "quizzes/<id>/" in a course build, "" for a one-off quiz
    formats: tuple[str, ...]
    large_print: bool
    answer_sheets: bool = False  # answer sheets per version (PDF, whatever `formats` says)
    id_digits: int = 8
    roster: tuple[tuple[str, str], ...] = ()  # personalised sheets, in roster order
    lines_per_point: float | None = None  # essay writing lines per point (None: the default rule)
    answer_column: bool = False  # an answer grid on the quiz, cell for cell like the key's
    print_pack: str = ""  # "quizzes" or "quizzes_and_keys": one PDF of every version for the copy shop


@dataclass(frozen=True)
class IndexEntry:
    """Where an output is linked from index.html: section (a label key), group, row and link text.

    Entries are grouped in inventory order; `rank` orders the links of one row.
    `group_id`/`row_id` keep two quizzes or banks with the same title apart.
    """

    section: str
    group: str
    row: str
    text: str
    rank: tuple[int, ...] = ()
    group_id: str = ""
    row_id: str = ""


@dataclass(frozen=True)
class Output:
    """One planned file: which kind, in which format, about what, where, and its index entry."""

    kind: str
    fmt: str
    subject: Subject
    path: str
    index: IndexEntry | None = None


@dataclass
class Project:
    """Everything documents are made from: the course, its checked banks and its selected quizzes."""

    course: Course
    banks: list[Bank]
    quizzes: list[PlannedQuiz] = field(default_factory=list)
    course_wide: bool = True  # False for a one-off quiz: no bank or course documents, no index
    exports: tuple[str, ...] = ()

    def version(self, s: VersionSubject) -> tuple[PlannedQuiz, Version]:
        planned = self.quizzes[s.quiz]
        return planned, planned.quiz.versions[s.version]


class DocumentKind:
    """A document kind.  Subclasses set the class variables and override `path` (and usually `index_entry`)."""

    name: ClassVar[str]
    scope: ClassVar[Scope]
    selectable: ClassVar[bool] = True  # may be listed under `documents:`; False: always built
    default: ClassVar[bool] = True  # built when the course file has no `documents:` list
    batch: ClassVar[str] = ""  # kinds with the same batch are drawn by one renderer (quiz and key); "" = own name
    large_print: ClassVar[bool] = False  # per-version kinds: also a large-print output when the quiz asks
    in_manifest: ClassVar[bool] = False  # per-version kinds: named in manifest.json's `files`

    @property
    def batch_name(self) -> str:
        return self.batch or self.name

    @property
    def formats(self) -> tuple[str, ...]:
        """The formats it exists in: those a renderer is registered for (so adding a format adds no line here)."""
        from studygen.registry import FORMATS, RENDERERS

        return tuple(f for f in FORMATS if (self.batch_name, f) in RENDERERS)

    def subjects(self, project: Project) -> Iterable[Subject]:
        """What this kind makes one document about; the default walks its scope."""
        if self.scope == "version":
            for qi, planned in enumerate(project.quizzes):
                for large in (False, True) if (planned.large_print and self.large_print) else (False,):
                    for vi in range(len(planned.quiz.versions)):
                        yield VersionSubject(qi, vi, large)
        elif self.scope == "quiz":
            yield from (QuizSubject(qi) for qi in range(len(project.quizzes)))
        elif self.scope == "bank":
            if project.course_wide:
                yield from (BankSubject(bi) for bi in range(len(project.banks)))
        elif project.course_wide:
            yield CourseSubject()

    def formats_for(self, project: Project, subject: Subject) -> tuple[str, ...]:
        """Per-version documents come in the formats their quiz asks for; the rest in all of theirs."""
        if isinstance(subject, VersionSubject):
            wanted = project.quizzes[subject.quiz].formats
            return tuple(f for f in wanted if f in self.formats)
        return self.formats

    def path(self, project: Project, subject: Subject, fmt: str) -> str:
        raise NotImplementedError

    def index_entry(self, project: Project, subject: Subject, fmt: str) -> IndexEntry | None:
        return None

    def per_batch(self, subjects: int, jobs: int) -> int:
        """How many subjects one rendering batch holds (per-version kinds share layout work)."""
        if self.scope == "version":
            return max(1, min(MAX_VERSIONS_PER_BATCH, math.ceil(subjects / max(1, jobs))))
        return 1


def version_stem(project: Project, s: VersionSubject) -> tuple[str, str]:
    """(folder, `<quiz>-<V>`) of a version: per-version file names start with this."""
    planned, version = project.version(s)
    return planned.folder, f"{planned.quiz.id}-{version.label}"


FORMAT_LINK_ORDER = ("html", "pdf")  # the index offers the page before the printout


def fmt_rank(fmt: str) -> int:
    return FORMAT_LINK_ORDER.index(fmt) if fmt in FORMAT_LINK_ORDER else len(FORMAT_LINK_ORDER)


@dataclass(frozen=True)
class Batch:
    """Outputs one renderer draws in one call (many versions of one quiz, or one bank document)."""

    renderer: str
    fmt: str
    outputs: tuple[Output, ...]


@dataclass
class Plan:
    """A project and its output inventory."""

    project: Project
    outputs: list[Output]

    @property
    def course(self) -> Course:
        return self.project.course

    def find(self, kind: str, fmt: str, subject: Subject) -> Output | None:
        return self._by_key().get((kind, fmt, subject))

    def _by_key(self) -> dict[tuple[str, str, Subject], Output]:
        cache: dict[tuple[str, str, Subject], Output] | None = getattr(self, "_keys", None)
        if cache is None:
            cache = {(o.kind, o.fmt, o.subject): o for o in self.outputs}
            self._keys = cache
        return cache

    def batches(self, jobs: int) -> list[Batch]:
        """The inventory cut into rendering batches: per renderer and format, consecutive subjects together."""
        from studygen.registry import get_document

        groups: dict[tuple[str, str, object], list[Output]] = {}
        kinds = {}
        for o in self.outputs:
            if o.kind not in kinds:
                kinds[o.kind] = get_document(o.kind) if o.kind != "export" else None
            kind = kinds[o.kind]
            if kind is None:
                continue
            s = o.subject
            shared = (s.quiz, s.large) if isinstance(s, VersionSubject) else None
            groups.setdefault((kind.batch_name, o.fmt, shared), []).append(o)
        out: list[Batch] = []
        for (renderer, fmt, _), outputs in groups.items():
            subjects = list(dict.fromkeys(o.subject for o in outputs))
            kind = kinds[outputs[0].kind]
            assert kind is not None
            size = kind.per_batch(len(subjects), jobs)
            for start in range(0, len(subjects), size):
                chunk = set(subjects[start : start + size])
                out.append(Batch(renderer, fmt, tuple(o for o in outputs if o.subject in chunk)))
        return out


def plan_outputs(project: Project, kinds: Sequence[str], extra: Sequence[Output] = ()) -> Plan:
    """The output inventory of a project: every selected kind's subjects × formats, in registry order.

    `extra` are files made outside the document registry (the bank exports);
    they are listed just before the index so the index can link them.
    """
    from studygen.registry import DOCUMENTS, get_document

    selected = set(kinds)
    outputs: list[Output] = []
    for name in DOCUMENTS:
        kind = get_document(name)
        if kind.selectable and name not in selected:
            continue
        if name == "index":
            outputs.extend(extra)
        for subject in kind.subjects(project):
            for fmt in kind.formats_for(project, subject):
                outputs.append(
                    Output(
                        name, fmt, subject, kind.path(project, subject, fmt), kind.index_entry(project, subject, fmt)
                    )
                )
    _refuse_collisions(outputs)
    return Plan(project, outputs)


def _refuse_collisions(outputs: Sequence[Output]) -> None:
    seen: dict[str, Output] = {}
    for o in outputs:
        first = seen.setdefault(o.path, o)
        if first is not o:
            raise StudygenError(
                f"two outputs would be written to {o.path!r} ({first.kind} and {o.kind}); "
                "give the quizzes or banks distinct ids"
            )

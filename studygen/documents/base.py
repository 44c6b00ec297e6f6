"""What every document kind declares, and the output inventory the build plans from them.

A kind says what it is about (`subjects`), in which formats it exists, where
each output goes (`path`: the ONE place a document's file name is made) and how
the index lists it.  `plan_outputs` walks the registry and produces the
inventory of `Output` rows; the renderers, the index, the manifest's file names
and the build's duplicate-path check all read it, so no output path is spelled
twice.  The inventory is made when read, never held: a 10,000-version quiz has
40,000 rows, and keeping them (with their index entries) would make the build's
memory grow with its versions.  `Plan.outputs` walks it, `Plan.find` makes one
row, and `Plan.batches` holds only the subjects of each batch until it is drawn.

Subjects are small index records (not the objects themselves) so a batch of
outputs pickles cheaply to a worker process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from studygen.course import Course
from studygen.errors import StudygenError
from studygen.model import Bank
from studygen.versions import Quiz, Version, version_label_at

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
    # bank id -> fingerprint of its file's bytes as loaded (`bank_fingerprints`), recorded in manifests
    bank_files: dict[str, str] = field(default_factory=dict)

    def version(self, s: VersionSubject) -> tuple[PlannedQuiz, Version]:
        planned = self.quizzes[s.quiz]
        return planned, planned.quiz.versions[s.version]

    def version_label(self, s: VersionSubject) -> str:
        """A version's letter, without making the version (planning 10,000 paths must not draw them all)."""
        return version_label_at(self.quizzes[s.quiz].quiz.versions, s.version)


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
    planned = project.quizzes[s.quiz]
    return planned.folder, f"{planned.quiz.id}-{project.version_label(s)}"


FORMAT_LINK_ORDER = ("html", "pdf")  # the index offers the page before the printout


def fmt_rank(fmt: str) -> int:
    return FORMAT_LINK_ORDER.index(fmt) if fmt in FORMAT_LINK_ORDER else len(FORMAT_LINK_ORDER)


@dataclass(frozen=True)
class Batch:
    """Outputs one renderer draws in one call (many versions of one quiz, or one bank document)."""

    renderer: str
    fmt: str
    outputs: tuple[Output, ...]


class Plan:
    """A project and its output inventory, made when read (see the module doc).

    `kinds` are the selected document kinds' names; `extra` the rows made outside the
    registry (the bank exports), listed just before the index.
    """

    def __init__(self, project: Project, kinds: Sequence[str], extra: Sequence[Output] = ()) -> None:
        self.project = project
        self.kinds = tuple(kinds)
        self.extra = tuple(extra)

    @property
    def course(self) -> Course:
        return self.project.course

    def _kinds(self) -> tuple[DocumentKind, ...]:
        """The kinds this plan builds, in registry order (the order of the index and the inventory)."""
        made: tuple[DocumentKind, ...] | None = getattr(self, "_made_kinds", None)
        if made is None:
            from studygen.registry import DOCUMENTS, get_document

            selected = set(self.kinds)
            every = (get_document(name) for name in DOCUMENTS)
            made = tuple(k for k in every if not k.selectable or k.name in selected)
            self._made_kinds = made
        return made

    def _row(self, kind: DocumentKind, fmt: str, subject: Subject) -> Output:
        p = self.project
        return Output(kind.name, fmt, subject, kind.path(p, subject, fmt), kind.index_entry(p, subject, fmt))

    @property
    def outputs(self) -> Iterator[Output]:
        """Every planned file, in registry order; a fresh walk each time it is read, nothing kept."""
        for kind in self._kinds():
            if kind.name == "index":
                yield from self.extra
            for subject in kind.subjects(self.project):
                for fmt in kind.formats_for(self.project, subject):
                    yield self._row(kind, fmt, subject)

    def find(self, kind: str, fmt: str, subject: Subject) -> Output | None:
        """The row of one planned file, or None when the plan does not make it (made, not looked up)."""
        for o in self.extra:
            if (o.kind, o.fmt, o.subject) == (kind, fmt, subject):
                return o
        found = next((k for k in self._kinds() if k.name == kind), None)  # a handful of kinds
        if found is None or not _has_subject(found, self.project, subject):
            return None
        if fmt not in found.formats_for(self.project, subject):
            return None
        return self._row(found, fmt, subject)

    def batches(self, jobs: int) -> Batches:
        """The inventory cut into rendering batches: per renderer and format, consecutive subjects together."""
        return Batches(self, jobs)


def _has_subject(kind: DocumentKind, project: Project, subject: Subject) -> bool:
    """Whether `kind` makes a document about `subject`; per-version kinds answer without walking 10,000 versions."""
    if isinstance(subject, VersionSubject) and kind.scope == "version" and type(kind).subjects is DocumentKind.subjects:
        if not 0 <= subject.quiz < len(project.quizzes):
            return False
        planned = project.quizzes[subject.quiz]
        return 0 <= subject.version < len(planned.quiz.versions) and (
            not subject.large or (planned.large_print and kind.large_print)
        )
    return any(s == subject for s in kind.subjects(project))


class Batches:
    """A plan's rendering batches: counted up front, each `Batch` (its `Output` rows) made only when drawn.

    What is held meanwhile is, per renderer, format and (quiz, print size), the ordered
    subjects and which kinds make a document about each: a few bytes per version.
    Batches come in inventory order, and a batch's rows too (kind by kind, subject by subject).
    """

    def __init__(self, plan: Plan, jobs: int) -> None:
        self.plan = plan
        project = plan.project
        # renderer -> its kinds in registry order; (renderer, fmt, shared) -> {subject: kinds making it}
        self._kinds: dict[str, list[DocumentKind]] = {}
        self._groups: dict[tuple[str, str, object], dict[Subject, tuple[DocumentKind, ...]]] = {}
        interned: dict[tuple[DocumentKind, ...], tuple[DocumentKind, ...]] = {}
        for kind in plan._kinds():
            self._kinds.setdefault(kind.batch_name, []).append(kind)
            for s in kind.subjects(project):
                shared = (s.quiz, s.large) if isinstance(s, VersionSubject) else None
                for fmt in kind.formats_for(project, s):
                    group = self._groups.setdefault((kind.batch_name, fmt, shared), {})
                    members = (*group.get(s, ()), kind)
                    group[s] = interned.setdefault(members, members)  # one tuple shared by 10,000 versions
        self._sizes = {key: self._kinds[key[0]][0].per_batch(len(group), jobs) for key, group in self._groups.items()}

    def __len__(self) -> int:
        return sum(math.ceil(len(group) / self._sizes[key]) for key, group in self._groups.items())

    def __iter__(self) -> Iterator[Batch]:
        for key, group in self._groups.items():
            renderer, fmt, _ = key
            subjects = list(group)
            size = self._sizes[key]
            for start in range(0, len(subjects), size):
                chunk = subjects[start : start + size]
                rows = tuple(
                    self.plan._row(kind, fmt, s) for kind in self._kinds[renderer] for s in chunk if kind in group[s]
                )
                yield Batch(renderer, fmt, rows)


def plan_outputs(project: Project, kinds: Sequence[str], extra: Sequence[Output] = ()) -> Plan:
    """The output inventory of a project: every selected kind's subjects × formats, in registry order.

    `extra` are files made outside the document registry (the bank exports);
    they are listed just before the index so the index can link them.  Two
    outputs with one path are refused here, before anything renders.
    """
    plan = Plan(project, kinds, extra)
    _refuse_collisions(plan)
    return plan


def _refuse_collisions(plan: Plan) -> None:
    """One walk over the planned paths (not the rows: index entries are not needed to find a clash)."""
    seen: dict[str, str] = {}
    project = plan.project

    def paths() -> Iterator[tuple[str, str]]:
        for kind in plan._kinds():
            if kind.name == "index":
                yield from ((o.kind, o.path) for o in plan.extra)
            for subject in kind.subjects(project):
                for fmt in kind.formats_for(project, subject):
                    yield kind.name, kind.path(project, subject, fmt)

    for kind, path in paths():
        if path in seen:
            raise StudygenError(
                f"two outputs would be written to {path!r} ({seen[path]} and {kind}); "
                "give the quizzes or banks distinct ids"
            )
        seen[path] = kind

"""The build pipeline: load → check → select → render → one writer commit.

Nothing is written until every document has rendered, so a failing render
leaves the output folder as it was.  Rendering is split into tasks of many
versions each (not one process per file) so compiled templates and reused
PDF layout pay off, and tasks run on `--jobs` worker processes.  Every
document is a pure function of the course, banks and seed, so the output is
byte-identical whatever the number of jobs.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from studygen.course import Course, QuizSpec
from studygen.errors import BankError, Severity, StudygenError
from studygen.manifest import file_names, manifest_bytes, responses_template
from studygen.model import Bank
from studygen.select import make_quiz
from studygen.versions import Quiz
from studygen.writer import Writer

DOC_FORMATS = ("pdf", "html")
# Versions per rendering task: big enough that per-task setup (and PDF layout reuse) pays off,
# small enough that two workers share the load and the progress bar moves.
MAX_VERSIONS_PER_TASK = 64


class BuildRefused(BankError):
    """The banks have errors; building from them would put wrong keys in front of a class."""

    exit_code = 1


@dataclass(frozen=True)
class Task:
    kind: str  # "quiz", "study_guide", "discussion"
    fmt: str
    quiz: int = 0
    start: int = 0
    stop: int = 0
    large: bool = False
    bank: int = 0
    facilitator: bool = False


@dataclass
class Plan:
    """What one build renders: quizzes (with their folder and formats) and per-bank documents."""

    course: Course
    banks: list[Bank]
    quizzes: list[tuple[Quiz, str, tuple[str, ...], bool]] = field(default_factory=list)  # quiz, folder, fmts, large
    bank_docs: bool = True

    def tasks(self, jobs: int) -> list[Task]:
        out: list[Task] = []
        for qi, (quiz, _, formats, large) in enumerate(self.quizzes):
            n = len(quiz.versions)
            size = max(1, min(MAX_VERSIONS_PER_TASK, math.ceil(n / max(1, jobs))))
            for fmt in formats:
                for variant in (False, True) if large else (False,):
                    out.extend(Task("quiz", fmt, qi, s, min(n, s + size), variant) for s in range(0, n, size))
        if self.bank_docs:
            for fmt in DOC_FORMATS:
                for bi in range(len(self.banks)):
                    if self.course.study_guide:
                        out.append(Task("study_guide", fmt, bank=bi))
                    if self.course.discussion:
                        out.append(Task("discussion", fmt, bank=bi, facilitator=False))
                        out.append(Task("discussion", fmt, bank=bi, facilitator=True))
        return out


_PLAN: Plan | None = None


def _init_worker(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


Rendered = tuple[list[tuple[str, bytes]], list[str]]


def _run_task(task: Task) -> Rendered:
    plan = _PLAN
    assert plan is not None, "worker used before _init_worker"
    return render_task_collecting(plan, task)


def render_task_collecting(plan: Plan, task: Task) -> Rendered:
    """Render a task and capture renderer warnings (e.g. text no font can draw) as messages.

    Warnings are returned rather than printed so that worker processes do not
    write to the terminal themselves: the build prints them once, in its own format.
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = render_task(plan, task)
    return docs, [str(w.message) for w in caught]


def render_task(plan: Plan, task: Task) -> list[tuple[str, bytes]]:
    """Render one task's documents: (path under the output folder, bytes)."""
    course = plan.course
    if task.kind == "quiz":
        quiz, folder, _, _ = plan.quizzes[task.quiz]
        part = replace(quiz, versions=quiz.versions[task.start : task.stop])
        if task.fmt == "html":
            from studygen.targets.html import render_quiz_html

            docs = render_quiz_html(course, part, large_print=task.large)
        else:
            from studygen.targets import pdf

            docs = pdf.render_quiz_pdfs(course, part, large_print=task.large)
        out = []
        for v in part.versions:
            names = file_names(quiz.id, v.label, large=task.large)
            quiz_doc, key_doc = docs[v.label]
            out.append((folder + names[f"quiz_{task.fmt}"], quiz_doc))
            out.append((folder + names[f"key_{task.fmt}"], key_doc))
        return out
    bank = plan.banks[task.bank]
    if task.fmt == "html":
        from studygen.targets import html

        if task.kind == "study_guide":
            return [(f"study-guide/{bank.id}.html", html.render_study_guide_html(course, bank))]
        who = "facilitator" if task.facilitator else "student"
        return [
            (
                f"discussion/{bank.id}-{who}.html",
                html.render_discussion_html(course, bank, facilitator=task.facilitator),
            )
        ]
    from studygen.targets import pdf

    if task.kind == "study_guide":
        return [(f"study-guide/{bank.id}.pdf", pdf.render_study_guide_pdf(course, bank))]
    who = "facilitator" if task.facilitator else "student"
    return [(f"discussion/{bank.id}-{who}.pdf", pdf.render_discussion_pdf(course, bank, facilitator=task.facilitator))]


def run_tasks(plan: Plan, tasks: Sequence[Task], jobs: int, log: TextIO) -> Iterator[Rendered]:
    """Render every task, on `jobs` processes when that helps; a tqdm bar only on a terminal."""
    from tqdm import tqdm

    bar = tqdm(total=len(tasks), unit="task", file=log, disable=not log.isatty(), leave=False)
    try:
        if jobs <= 1 or len(tasks) <= 1:
            for t in tasks:
                yield render_task_collecting(plan, t)
                bar.update()
            return
        import multiprocessing as mp

        methods = mp.get_all_start_methods()
        ctx = mp.get_context("fork" if "fork" in methods else None)
        with ctx.Pool(min(jobs, len(tasks)), initializer=_init_worker, initargs=(plan,)) as pool:
            for result in pool.imap(_run_task, tasks):
                yield result
                bar.update()
    finally:
        bar.close()


def load_checked(paths: Sequence[str | Path], log: TextIO) -> list[Bank]:
    """Load banks and run every check rule; refuse (with all diagnostics) if any is an error."""
    from studygen.check import run_checks
    from studygen.check.report import render
    from studygen.sources.banks import load_banks

    result = load_banks(list(paths))
    diagnostics = sorted(result.diagnostics + (run_checks(result.banks) if result.ok else []))
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise BuildRefused(
            f"{len(errors)} error(s) in the banks; nothing was built (fix them; `studygen check` lists them too)",
            errors,
        )
    warnings = [d for d in diagnostics if d.severity is Severity.WARNING]
    if warnings:
        log.write(render(warnings, "text"))
        print(f"studygen: {len(warnings)} warning(s) in the banks; building anyway", file=log)
    return result.banks


def quiz_from_spec(spec: QuizSpec, banks: Sequence[Bank], course: Course) -> Quiz:
    try:
        return make_quiz(
            spec.id,
            spec.title,
            banks,
            spec.blueprint,
            spec.versions,
            spec.seed,
            random.Random(spec.seed),
            true_false=(course.label("true"), course.label("false")),
        )
    except StudygenError as exc:
        raise StudygenError(f"quiz {spec.id!r}: {exc.message}", exc.diagnostics) from exc


@dataclass
class Built:
    written: list[Path]
    warnings: list[str]


def _render_all(plan: Plan, writer: Writer, jobs: int, log: TextIO, warnings: list[str]) -> None:
    for docs, messages in run_tasks(plan, plan.tasks(jobs), jobs, log):
        for path, data in docs:
            writer.add(path, data)
        warnings.extend(m for m in messages if m not in warnings)
    for quiz, folder, formats, _ in plan.quizzes:
        built = tuple(formats)
        writer.add(folder + "manifest.json", manifest_bytes(quiz, built))
        writer.add(folder + "responses-template.csv", responses_template(quiz))


def build_course(course: Course, out: Path, jobs: int = 1, log: TextIO | None = None) -> Built:
    """Render everything the course file asks for into `out`, all or nothing.

    `log` defaults to the standard error stream *at call time* (a default bound at import
    time would keep writing to whatever stream was current then, e.g. a closed capture).
    """
    log = log or sys.stderr
    from studygen.targets.html import render_index_html

    warnings: list[str] = []
    banks = load_checked(course.banks, log)
    plan = Plan(course, banks)
    for spec in course.quizzes:
        plan.quizzes.append(
            (quiz_from_spec(spec, banks, course), f"quizzes/{spec.id}/", spec.formats, spec.large_print)
        )
    writer = Writer(out)
    _render_all(plan, writer, jobs, log, warnings)
    extra = _self_test(course, banks, writer, warnings) + _exports(course, banks, writer, warnings)
    writer.add("index.html", render_index_html(course, index_sections(plan, extra)))
    for w in warnings:
        print(f"studygen build: warning: {w}", file=log)
    return Built(writer.commit(), warnings)


def build_quiz(
    course: Course, banks: Sequence[Bank], spec: QuizSpec, out: Path, jobs: int = 1, log: TextIO | None = None
) -> Built:
    """A one-off quiz: its versions, keys, manifest and responses template directly in `out`."""
    log = log or sys.stderr
    warnings: list[str] = []
    plan = Plan(course, list(banks), bank_docs=False)
    plan.quizzes.append((quiz_from_spec(spec, banks, course), "", spec.formats, spec.large_print))
    writer = Writer(out)
    _render_all(plan, writer, jobs, log, warnings)
    for w in warnings:
        print(f"studygen quiz: warning: {w}", file=log)
    return Built(writer.commit(), warnings)


def _self_test(course: Course, banks: Sequence[Bank], writer: Writer, warnings: list[str]) -> list[tuple[str, str]]:
    if not course.self_test:
        return []
    from studygen.targets.selftest import render_selftest

    for rel, data in sorted(render_selftest(course, banks).items()):
        writer.add(f"self-test/{rel}", data)
    return [("self_test", "self-test/index.html")]


def _exports(course: Course, banks: Sequence[Bank], writer: Writer, warnings: list[str]) -> list[tuple[str, str]]:
    from studygen.targets import get_exporter

    done = []
    stem = "-".join(b.id for b in banks)
    for name in course.exports:  # names were validated against the registry when the course was loaded
        exporter = get_exporter(name)
        result = exporter.export(banks)
        warnings.extend(f"{name}: {w}" for w in result.warnings)
        path = f"exports/{stem}{exporter.suffix}"
        writer.add(path, result.data)
        done.append((name, path))
    return done


def index_sections(plan: Plan, extra: Sequence[tuple[str, str]]) -> list[Any]:
    """Everything the build wrote, as index sections of links (relative to the output folder)."""
    from studygen.targets.html import IndexRow, IndexSection, Link
    from studygen.targets.html.inline import plain

    course = plan.course
    label = course.label
    sections = []
    groups = []
    for quiz, folder, formats, large in plan.quizzes:
        built = list(formats)
        rows = []
        for v in quiz.versions:
            links = []
            for variant in (False, True) if large else (False,):
                names = file_names(quiz.id, v.label, large=variant)
                tail = f", {label('large_print')}" if variant else ""
                for kind, word in (("quiz", label("quiz")), ("key", label("answer_key"))):
                    for fmt in ("html", "pdf"):
                        if fmt in built:
                            links.append(Link(f"{word} ({fmt.upper()}{tail})", folder + names[f"{kind}_{fmt}"]))
            rows.append(IndexRow(f"{label('version')} {v.label}", tuple(links)))
        rows.append(
            IndexRow(
                label("manifest"),
                (
                    Link("manifest.json", folder + "manifest.json"),
                    Link(label("responses_template"), folder + "responses-template.csv"),
                ),
            )
        )
        groups.append((quiz.title, tuple(rows)))
    if groups:
        sections.append(IndexSection(label("quizzes"), tuple(groups)))
    doc_formats = list(DOC_FORMATS[::-1])
    if plan.bank_docs and course.study_guide and plan.banks:
        rows = [
            IndexRow(plain(b.title), tuple(Link(f.upper(), f"study-guide/{b.id}.{f}") for f in doc_formats))
            for b in plan.banks
        ]
        sections.append(IndexSection(label("study_guide"), (("", tuple(rows)),)))
    if plan.bank_docs and course.discussion and plan.banks:
        rows = []
        for b in plan.banks:
            links = [
                Link(f"{word} ({f.upper()})", f"discussion/{b.id}-{who}.{f}")
                for who, word in (("student", label("student_handout")), ("facilitator", label("facilitator")))
                for f in doc_formats
            ]
            rows.append(IndexRow(plain(b.title), tuple(links)))
        sections.append(IndexSection(label("discussion"), (("", tuple(rows)),)))
    for name, path in extra:
        if name == "self_test":
            sections.append(
                IndexSection(label("self_test"), (("", (IndexRow(label("self_test"), (Link("HTML", path),)),)),))
            )
    exports = [IndexRow(name, (Link(Path(path).name, path),)) for name, path in extra if name != "self_test"]
    if exports:
        sections.append(IndexSection(label("exports"), (("", tuple(exports)),)))
    return sections

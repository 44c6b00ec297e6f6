"""The build pipeline: load → check → select → render → one writer commit.

The build plans an output inventory from the document registry
(`studygen.documents`): every file's kind, format, subject, path and index
entry, made once.  The inventory is cut into batches of many versions each
(not one process per file) so compiled templates and reused PDF layout pay
off; each batch is drawn by the renderer the registry names for it, on
`--jobs` worker processes.  Nothing is written until every document has
rendered, so a failing render leaves the output folder as it was.  Every
document is a pure function of the course, banks and seed, so the output is
byte-identical whatever the number of jobs.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from studygen.course import Course, QuizSpec
from studygen.documents.base import Batch, CourseSubject, IndexEntry, Output, Plan, PlannedQuiz, Project, plan_outputs
from studygen.errors import EXIT_PROBLEMS, BankError, Severity, StudygenError
from studygen.model import Bank
from studygen.registry import default_documents, get_renderer
from studygen.repro import BuildTime
from studygen.select import make_quiz
from studygen.versions import Quiz
from studygen.writer import Writer


class BuildRefused(BankError):
    """The banks have errors; building from them would put wrong keys in front of a class."""

    exit_code = EXIT_PROBLEMS


_PLAN: Plan | None = None


def _init_worker(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


Rendered = tuple[list[tuple[str, bytes]], list[str]]


def _run_batch(batch: Batch) -> Rendered:
    plan = _PLAN
    assert plan is not None, "worker used before _init_worker"
    return render_batch_collecting(plan, batch)


def render_batch_collecting(plan: Plan, batch: Batch) -> Rendered:
    """Render a batch and capture renderer warnings (e.g. text no font can draw) as messages.

    Warnings are returned rather than printed so that worker processes do not
    write to the terminal themselves: the build prints them once, in its own format.
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = render_batch(plan, batch)
    return docs, [str(w.message) for w in caught]


def render_batch(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    """Draw one batch with the renderer the registry names for its kind and format: (path, bytes)."""
    return list(get_renderer(batch.renderer, batch.fmt)(plan, batch))


def run_batches(plan: Plan, batches: Sequence[Batch], jobs: int, log: TextIO) -> Iterator[Rendered]:
    """Render every batch, on `jobs` processes when that helps; a tqdm bar only on a terminal."""
    from tqdm import tqdm

    bar = tqdm(total=len(batches), unit="batch", file=log, disable=not log.isatty(), leave=False)
    try:
        if jobs <= 1 or len(batches) <= 1:
            for b in batches:
                yield render_batch_collecting(plan, b)
                bar.update()
            return
        import multiprocessing as mp

        methods = mp.get_all_start_methods()
        ctx = mp.get_context("fork" if "fork" in methods else None)
        with ctx.Pool(min(jobs, len(batches)), initializer=_init_worker, initargs=(plan,)) as pool:
            for result in pool.imap(_run_batch, batches):
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


def selected_documents(course: Course) -> tuple[str, ...]:
    """The course's `documents:` (or the registry's defaults when the course file names none)."""
    return course.documents if course.documents is not None else default_documents()


def export_outputs(project: Project) -> list[Output]:
    """The bank exports as inventory rows, so the index links them like every other file."""
    from studygen.targets import get_exporter

    if not project.course_wide:
        return []
    stem = "-".join(b.id for b in project.banks)
    out = []
    for name in project.exports:  # names were validated against the exporter registry when the course was loaded
        path = f"exports/{stem}{get_exporter(name).suffix}"
        out.append(Output("export", name, CourseSubject(), path, IndexEntry("exports", "", name, Path(path).name)))
    return out


def _render_all(plan: Plan, writer: Writer, jobs: int, log: TextIO, warnings: list[str], build_time: BuildTime) -> None:
    for docs, messages in run_batches(plan, plan.batches(jobs), jobs, log):
        for path, data in docs:
            writer.add(path, data)
        warnings.extend(m for m in messages if m not in warnings)
    from studygen.targets import ExportContext, get_exporter

    banks = plan.project.banks
    context = ExportContext(plan.project.course, build_time)
    for o in plan.outputs:
        if o.kind == "export":
            result = get_exporter(o.fmt).export(banks, context)
            warnings.extend(f"{o.fmt}: {w}" for w in result.warnings)
            writer.add(o.path, result.data)


def plan_course(course: Course, banks: list[Bank]) -> Plan:
    """The course's output inventory: its quizzes (selected now), documents and exports."""
    quizzes = [
        PlannedQuiz(quiz_from_spec(spec, banks, course), f"quizzes/{spec.id}/", spec.formats, spec.large_print)
        for spec in course.quizzes
    ]
    project = Project(course, banks, quizzes, exports=course.exports)
    return plan_outputs(project, selected_documents(course), extra=export_outputs(project))


def build_course(
    course: Course, out: Path, jobs: int = 1, log: TextIO | None = None, build_time: BuildTime | None = None
) -> Built:
    """Render everything the course file asks for into `out`, all or nothing.

    `log` defaults to the standard error stream *at call time* (a default bound at import
    time would keep writing to whatever stream was current then, e.g. a closed capture).
    `build_time` defaults to SOURCE_DATE_EPOCH, read (and refused if malformed) before anything renders.
    """
    log = log or sys.stderr
    build_time = build_time or BuildTime.from_environ()
    warnings: list[str] = []
    plan = plan_course(course, load_checked(course.banks, log))
    writer = Writer(out)
    _render_all(plan, writer, jobs, log, warnings, build_time)
    for w in warnings:
        print(f"studygen build: warning: {w}", file=log)
    return Built(writer.commit(), warnings)


def build_quiz(
    course: Course, banks: Sequence[Bank], spec: QuizSpec, out: Path, jobs: int = 1, log: TextIO | None = None
) -> Built:
    """A one-off quiz: its versions, keys, manifest and responses template directly in `out`."""
    log = log or sys.stderr
    build_time = BuildTime.from_environ()  # a malformed SOURCE_DATE_EPOCH stops the run before anything renders
    warnings: list[str] = []
    quiz = PlannedQuiz(quiz_from_spec(spec, banks, course), "", spec.formats, spec.large_print)
    project = Project(course, list(banks), [quiz], course_wide=False)
    plan = plan_outputs(project, selected_documents(course))
    writer = Writer(out)
    _render_all(plan, writer, jobs, log, warnings, build_time)
    for w in warnings:
        print(f"studygen quiz: warning: {w}", file=log)
    return Built(writer.commit(), warnings)

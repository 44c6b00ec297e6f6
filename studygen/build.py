"""The build pipeline: load → check → select → render → one writer commit.

The build plans an output inventory from the document registry
(`studygen.documents`): every file's kind, format, subject, path and index
entry, made once.  The inventory is cut into batches of many versions each
(not one process per file) so compiled templates and reused PDF layout pay
off; each batch is drawn by the renderer the registry names for it, on
`--jobs` worker processes.  Documents stream into the writer's hidden staging
folder as they render (workers write there themselves) and the output folder
is swapped in whole at the end, so a failing render leaves it as it was (see
`studygen.writer`).  Every
document is a pure function of the course, banks and seed, so the output is
byte-identical whatever the number of jobs.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from studygen.course import Course, QuizSpec
from studygen.documents.base import (
    BankSubject,
    Batch,
    Batches,
    IndexEntry,
    Output,
    Plan,
    PlannedQuiz,
    Project,
    plan_outputs,
)
from studygen.errors import EXIT_PROBLEMS, BankError, Diagnostic, Severity, StudygenError
from studygen.model import Bank
from studygen.registry import default_documents, get_renderer
from studygen.repro import BuildTime
from studygen.select import arrangement, make_quiz
from studygen.versions import Quiz
from studygen.writer import Writer


class BuildRefused(BankError):
    """The banks have errors; building from them would put wrong keys in front of a class."""

    exit_code = EXIT_PROBLEMS


_PLAN: Plan | None = None
_STAGING: Path | None = None


def _init_worker(plan: Plan, staging: Path | None = None) -> None:
    global _PLAN, _STAGING
    _PLAN, _STAGING = plan, staging
    if staging is not None:
        from studygen.writer import die_with_parent

        die_with_parent()


# A document's content: bytes, or pieces of it in order (a 10,000-version manifest is never one block).
Data = bytes | Iterable[bytes]
Rendered = tuple[list[tuple[str, Any]], list[str]]  # data, or what the sink returned for it
# With a staging folder: the file names only (data None), the files already written there.
Staged = tuple[list[tuple[str, bytes | None]], list[str]]


def _run_batch(batch: Batch) -> Staged:
    """In a worker: render, and write straight into the writer's staging folder when there is one.

    Only the file names go back to the parent, so the parent's memory stays
    flat however far ahead of it the workers are.
    """
    plan = _PLAN
    assert plan is not None, "worker used before _init_worker"
    return render_batch_staged(plan, batch, _STAGING)


def render_batch_staged(plan: Plan, batch: Batch, staging: Path | None) -> Staged:
    """Render a batch; with `staging`, write each document there as soon as it is made (data None).

    Without a staging folder the documents come back whole (pieces joined).
    """
    from studygen.writer import write_staged

    def stage(path: str, data: Data) -> bytes | None:
        if staging is None:
            return data if isinstance(data, bytes) else b"".join(data)
        write_staged(staging, path, data)
        return None

    docs, messages = render_batch_collecting(plan, batch, stage)
    return docs, messages


def render_batch_collecting(plan: Plan, batch: Batch, sink: Callable[[str, Data], object] | None = None) -> Rendered:
    """Render a batch and capture renderer warnings (e.g. text no font can draw) as messages.

    Warnings are returned rather than printed so that worker processes do not
    write to the terminal themselves: the build prints them once, in its own format.
    With `sink`, each document goes to it as soon as it is drawn (still inside the
    capture, so a renderer that warns while its pieces are made is heard), and what
    the sink returns stands for its data.
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs: list[tuple[str, Any]] = []
        for path, data in render_batch(plan, batch):
            docs.append((path, data if sink is None else sink(path, data)))
    return docs, [str(w.message) for w in caught]


def render_batch(plan: Plan, batch: Batch) -> Iterable[tuple[str, Data]]:
    """Draw one batch with the renderer the registry names for its kind and format: (path, data)."""
    rendered: Iterable[tuple[str, Data]] = get_renderer(batch.renderer, batch.fmt)(plan, batch)
    return rendered


def run_batches(
    plan: Plan, batches: Collection[Batch] | Batches, jobs: int, log: TextIO, staging: Path | None = None
) -> Iterator[Staged]:
    """Render every batch, on `jobs` processes when that helps; a tqdm bar only on a terminal.

    With `staging`, documents are written there as they are drawn, by the worker
    processes themselves (see `_run_batch`); batches are handed out one by one,
    so only those in flight exist as `Output` rows.
    """
    from tqdm import tqdm

    count = len(batches)
    bar = tqdm(total=count, unit="batch", file=log, disable=not log.isatty(), leave=False)
    try:
        if jobs <= 1 or count <= 1:
            for b in batches:
                yield render_batch_staged(plan, b, staging)
                bar.update()
            return
        import multiprocessing as mp

        methods = mp.get_all_start_methods()
        ctx = mp.get_context("fork" if "fork" in methods else None)
        with ctx.Pool(min(jobs, count), initializer=_init_worker, initargs=(plan, staging)) as pool:
            for result in pool.imap(_run_batch, iter(batches)):
                yield result
                bar.update()
    finally:
        bar.close()


def load_checked(paths: Sequence[str | Path], log: TextIO, max_bytes: int | None = None) -> list[Bank]:
    """Load banks and run every check rule; refuse (with all diagnostics) if any is an error."""
    from studygen.check import run_checks
    from studygen.check.report import render
    from studygen.sources.banks import load_banks

    result = load_banks(list(paths), max_bytes)
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


def _spec_error(spec: QuizSpec, key: str, message: str) -> StudygenError:
    """An error about a quiz, pointing into the course file where the quiz came from one."""
    if not spec.origin:
        return StudygenError(f"quiz {spec.id!r}: {message}")
    line, col = spec.where(key)
    return StudygenError(
        f"quiz {spec.id!r} cannot be drawn; fix the course file and build again",
        [Diagnostic(spec.origin, line, col, Severity.ERROR, "course", f"quiz {spec.id!r}: {message}")],
    )


def quiz_banks(spec: QuizSpec, banks: Sequence[Bank], course: Course) -> list[Bank]:
    """The banks a course-file quiz draws from: those its `banks:` names, in the course's order.

    A quiz that names none may draw from the course's only bank; with several banks it must say
    which, so that adding a reading to the course never changes a quiz that does not name it.
    """
    if not spec.banks:
        if len(banks) > 1:
            ids = ", ".join(b.id for b in banks)
            raise _spec_error(
                spec,
                "id",
                f"the course has {len(banks)} banks ({ids}) and the quiz does not say which it draws from; "
                f"add `banks: [{banks[0].id}]` (bank ids or paths) to it, so that adding a reading never changes it",
            )
        return list(banks)
    chosen: set[int] = set()
    for j, entry in enumerate(spec.banks):
        found = [i for i, b in enumerate(banks) if b.id == entry]
        if not found:
            target = (course.root / entry).resolve()
            for i, b in enumerate(banks):
                where = Path(b.path).resolve()
                if where == target or (target.is_dir() and where.is_relative_to(target)):
                    found.append(i)
        if not found:
            raise _spec_error(
                spec,
                f"banks.{j}",
                f"banks[{j}] {entry!r} is neither the id nor the path of one of the course's banks "
                f"({', '.join(b.id for b in banks)}); add it to the course's `banks:` or fix the name",
            )
        chosen.update(found)
    return [b for i, b in enumerate(banks) if i in chosen]


def quiz_from_spec(spec: QuizSpec, banks: Sequence[Bank], course: Course) -> Quiz:
    from studygen.pools import DrawError

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
            arrangement=arrangement(spec),
            students=spec.roster if spec.per_student else (),
        )
    except DrawError as exc:
        raise _spec_error(spec, exc.key, exc.message) from exc
    except StudygenError as exc:
        if exc.diagnostics:
            raise StudygenError(f"quiz {spec.id!r}: {exc.message}", exc.diagnostics) from exc
        raise _spec_error(spec, "blueprint", exc.message) from exc


def describe_balance(quiz: Quiz) -> str:
    """One line on how equally hard versions with their own questions are expected to be."""
    b = quiz.balance
    if b is None:
        return ""
    means = [(v.label, v.expected_mean) for v in b.versions]
    if len(means) <= 8:
        shown = ", ".join(f"{label} {m:.1f} %" for label, m in means)
    else:
        shown = f"{min(m for _, m in means):.1f} % to {max(m for _, m in means):.1f} % over {len(means)} versions"
    uses = "; ".join(f"{e.slot}: {e.questions} questions, each used {e.fewest}–{e.most} times" for e in b.exposure)
    basis = f"{b.measured} measured, {b.authored} authored" if b.measured else "authored difficulty"
    each = "each student's version" if quiz.students else "each version"
    return (
        f"quiz {quiz.id!r}: {each} drew its own questions; expected mean score {shown} "
        f"(spread {b.spread:.1f} percentage points, tolerance {b.tolerance:g}; from {basis}); {uses}"
    )


@dataclass
class Built:
    written: Sequence[Path]
    warnings: list[str]


def selected_documents(course: Course) -> tuple[str, ...]:
    """The course's `documents:` (or the registry's defaults when the course file names none)."""
    return course.documents if course.documents is not None else default_documents()


def export_outputs(project: Project) -> list[Output]:
    """The exports as inventory rows, one file per bank and target, so the index links them like every other file.

    One file per bank (`exports/<bank id><suffix>`), because an instructor imports a week's reading
    into its own Moodle category, Anki deck or Canvas quiz bank, and adding a reading must not
    change the file of one already imported.
    """
    from studygen.inline import plain
    from studygen.targets import get_exporter

    if not project.course_wide:
        return []
    out = []
    for bi, bank in enumerate(project.banks):
        for name in project.exports:  # names were validated against the exporter registry when the course was loaded
            path = f"exports/{bank.id}{get_exporter(name).suffix}"
            entry = IndexEntry("exports", "", plain(bank.title), f"{name}: {Path(path).name}", row_id=bank.id)
            out.append(Output("export", name, BankSubject(bi), path, entry))
    return out


def _render_all(plan: Plan, writer: Writer, jobs: int, log: TextIO, warnings: list[str], build_time: BuildTime) -> None:
    for docs, messages in run_batches(plan, plan.batches(jobs), jobs, log, writer.staging()):
        for path, data in docs:
            if data is None:
                writer.adopt(path)  # a worker wrote it into the staging folder
            else:
                writer.add(path, data)
        warnings.extend(m for m in messages if m not in warnings)
    from studygen.targets import ExportContext, get_exporter

    banks = plan.project.banks
    context = ExportContext(plan.project.course, build_time)
    for o in plan.extra:
        if o.kind == "export":
            assert isinstance(o.subject, BankSubject)
            result = get_exporter(o.fmt).export([banks[o.subject.bank]], context)
            warnings.extend(f"{o.fmt}: {w}" for w in result.warnings)
            writer.add(o.path, result.data)


FILE_FINGERPRINT_CHARS = 10


def bank_fingerprints(banks: Sequence[Bank]) -> dict[str, str]:
    """Bank id -> the first 10 hex digits of the SHA-256 of its file, as `sha256sum` prints them.

    The manifest records them (`bank_fingerprints`) so a reader can tell which bank files a quiz
    was drawn from, and whether a bank changed since, with nothing but `sha256sum`.  They name the
    file's bytes, not where it lies, so the manifest stays the same wherever a build is written.
    A bank whose file cannot be read again (it vanished meanwhile) is left out.
    """
    return bank_fingerprints_of_files({bank.id: Path(bank.path) for bank in banks})


def bank_fingerprints_of_files(files: Mapping[str, Path]) -> dict[str, str]:
    """`bank_fingerprints` of bank files by id: one definition for the build and for `grade`."""
    import hashlib

    out: dict[str, str] = {}
    for bank_id, path in files.items():
        try:
            data = path.read_bytes()
        except OSError:
            continue
        out[bank_id] = hashlib.sha256(data).hexdigest()[:FILE_FINGERPRINT_CHARS]
    return out


def _planned(quiz: Quiz, folder: str, spec: QuizSpec) -> PlannedQuiz:
    return PlannedQuiz(
        quiz,
        folder,
        spec.formats,
        spec.large_print,
        spec.answer_sheets or bool(spec.roster),
        spec.id_digits,
        spec.roster,
        lines_per_point=spec.lines_per_point,
        answer_column=spec.answer_column,
        print_pack=spec.print_pack,
    )


def plan_course(course: Course, banks: list[Bank], log: TextIO | None = None) -> Plan:
    """The course's output inventory: its quizzes (selected now), documents and exports.

    Each quiz draws from the banks it names (`quiz_banks`); for versions that drew their own
    questions, the expected balance is printed to `log`.
    """
    quizzes = []
    for spec in course.quizzes:
        quiz = quiz_from_spec(spec, quiz_banks(spec, banks, course), course)
        if quiz.balance is not None and log is not None:
            print(f"studygen build: {describe_balance(quiz)}", file=log)
        quizzes.append(_planned(quiz, f"quizzes/{spec.id}/", spec))
    project = Project(course, banks, quizzes, exports=course.exports, bank_files=bank_fingerprints(banks))
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
    plan = plan_course(course, load_checked(course.banks, log, course.max_bank_size), log)
    with Writer(out) as writer:
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
    drawn = quiz_from_spec(spec, banks, course)
    if drawn.balance is not None:
        print(f"studygen quiz: {describe_balance(drawn)}", file=log)
    quiz = _planned(drawn, "", spec)
    project = Project(course, list(banks), [quiz], course_wide=False, bank_files=bank_fingerprints(banks))
    plan = plan_outputs(project, selected_documents(course))
    with Writer(out) as writer:
        _render_all(plan, writer, jobs, log, warnings, build_time)
        for w in warnings:
            print(f"studygen quiz: warning: {w}", file=log)
        return Built(writer.commit(), warnings)

"""`studygen grade`: score a class's responses and analyse how each question and version worked."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from studygen.course import Course
from studygen.errors import EXIT_OK, EXIT_PROBLEMS, Diagnostic, Severity, StudygenError
from studygen.grade import unmatched
from studygen.grade.analysis import Analysis, analyse, grade
from studygen.grade.csvout import distractors_csv, grades_csv, item_analysis_csv, question_text
from studygen.grade.manifest import Manifest, load_manifest
from studygen.grade.report import ReportMeta, reliability_warnings, report_context
from studygen.grade.responses import Response, read_responses
from studygen.grade.scoring import MultipleResponseRule, near_misses
from studygen.repro import BuildTime
from studygen.sources import DEFAULT_BANKS, DEFAULT_CONFIG, statsfile
from studygen.writer import FileBatch, write_atomic


def _near_miss_notes(responses: Sequence[Response], path: str) -> list[Diagnostic]:
    """One note per typed answer accepted despite a typo, so no such credit is given silently."""
    notes = []
    for resp in responses:
        for item in resp.version.items:
            for typed, verdict in near_misses(item, resp.answers[item.number]):
                edits = "1 letter differs" if verdict.edits == 1 else f"{verdict.edits} letters differ"
                notes.append(
                    Diagnostic(
                        path,
                        resp.line,
                        1,
                        Severity.WARNING,
                        "answer-near-miss",
                        f"student {resp.student_id!r}, item {item.number}: {typed.strip()!r} was accepted as "
                        f"{verdict.nearest!r} ({edits}); check it if the spelling matters here",
                    )
                )
    return notes


def run(args: argparse.Namespace) -> int:
    BuildTime.from_environ()  # a malformed SOURCE_DATE_EPOCH stops the run before anything is read or drawn
    manifest_path, responses_path = Path(args.manifest), Path(args.responses)
    manifest = load_manifest(manifest_path)
    sheet = read_responses(responses_path, manifest, str(responses_path))
    for d in sheet.notices + sheet.skipped:
        print(d.format_text(), file=sys.stderr)
    if not sheet.responses:
        print(f"studygen grade: error: no gradable rows in {responses_path}; nothing was written", file=sys.stderr)
        return EXIT_PROBLEMS
    if manifest.fingerprint:
        print(
            f"studygen grade: grading against build {manifest.fingerprint} (check it matches the foot of the papers)",
            file=sys.stderr,
        )
    rule = MultipleResponseRule(args.multiple_response)
    for d in _near_miss_notes(sheet.responses, str(responses_path)):
        print(d.format_text(), file=sys.stderr)
    accept_path = Path(args.accept) if args.accept else None
    decisions = unmatched.read_decisions(accept_path, manifest) if accept_path is not None else []
    before = grade(sheet.responses, rule)
    widened = unmatched.accept(manifest, decisions)
    results = grade(unmatched.rebind(sheet.responses, widened), rule) if widened is not manifest else before
    analysis = analyse(manifest, results)
    still, accepted = unmatched.table(before, results, decisions)
    for a in accepted:
        blank = f" blank {a.blank}" if a.blank else ""
        print(
            f"studygen grade: accepted for this run ({accept_path}): {a.question_id}{blank} {a.answer!r} "
            f"({a.count} answer(s) now credited)",
            file=sys.stderr,
        )
    for warning in reliability_warnings(analysis):
        print(f"studygen grade: warning: {warning}", file=sys.stderr)
    meta = ReportMeta(
        manifest,
        rule,
        responses_path.name,
        tuple(sheet.skipped),
        sheet.has_names,
        tuple(still),
        tuple(accepted),
        accept_path.name if accept_path is not None else "",
    )
    course = _course(args.config)
    context = report_context(analysis, meta, course.label)
    out = Path(args.out) if args.out else responses_path.parent
    writer = FileBatch(out)
    writer.add("grades.csv", grades_csv(analysis, sheet.has_names))
    writer.add("item-analysis.csv", item_analysis_csv(analysis, manifest))
    writer.add("distractors.csv", distractors_csv(analysis, manifest))
    texts = {q.question_id: question_text(manifest, q.question_id) for q in analysis.questions}
    writer.add(unmatched.FILE_NAME, unmatched.unmatched_csv(unmatched.in_order([*accepted, *still]), manifest, texts))
    html, pdf = _reports(course, context)
    writer.add("report.html", html)
    writer.add("report.pdf", pdf)
    stats_files = _stats_updates(manifest, analysis, manifest_path, responses_path) if args.update_stats else {}

    written = writer.commit()
    for path, data in sorted(stats_files.items()):
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise StudygenError(f"cannot write {path}: {exc.strerror or exc}") from exc
        written.append(path)
    for path in written:
        print(path)
    mean = analysis.mean_percent or 0.0
    if still:
        print(
            f"studygen grade: {sum(a.count for a in still)} typed answer(s) matched no accepted answer; to give "
            f"credit, write yes in the accept column of {out / unmatched.FILE_NAME} and grade again with "
            f"--accept {out / unmatched.FILE_NAME}",
            file=sys.stderr,
        )
    print(
        f"graded {len(analysis.students)} student(s), mean {mean:.1f}%; {len(sheet.skipped)} row problem(s) skipped",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if sheet.skipped else EXIT_OK


def _course(config: str | None) -> Course:
    """The course whose paper, fonts and language the reports use: --config, else ./studygen.yaml if present."""
    from studygen.sources.coursefile import load_course

    if config is not None:
        return load_course(Path(config))
    if Path(DEFAULT_CONFIG).is_file():
        return load_course(Path(DEFAULT_CONFIG))
    return Course(root=Path.cwd())


def _reports(course: Course, context: dict[str, object]) -> tuple[bytes, bytes]:
    """The HTML and PDF reports, drawn like the course's documents; font warnings printed once, as messages."""
    import warnings

    from studygen.targets.html import renderer_for
    from studygen.targets.pdf.report import render_report_pdf

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        html = renderer_for(course).report(context)
        pdf = render_report_pdf(course, context)
    for w in caught:
        print(f"studygen grade: warning: {w.message}", file=sys.stderr)
    return html, pdf


def _stats_updates(
    manifest: Manifest, analysis: Analysis, manifest_path: Path, responses_path: Path
) -> dict[Path, bytes]:
    """New stats-file contents per bank, computed before anything is written."""
    bank_files = _bank_files(manifest, {q.bank for q in analysis.questions})
    _note_changed_banks(manifest, bank_files)
    run = statsfile.run_id(manifest_path.read_bytes(), responses_path.read_bytes())
    date = BuildTime.from_environ().date()
    out: dict[Path, bytes] = {}
    for bank_id, bank_path in sorted(bank_files.items()):
        new = {
            q.question_id: statsfile.Run(run, date, q.n, q.difficulty, q.discrimination, q.upper_lower, manifest.quiz)
            for q in analysis.questions
            if q.bank == bank_id and q.n > 0
        }
        path = statsfile.stats_path(bank_path)
        merged = statsfile.merge(statsfile.load_stats(path), new)
        out[path] = statsfile.dump(bank_id, merged)
    return out


def _note_changed_banks(manifest: Manifest, bank_files: dict[str, Path]) -> None:
    """Say when a bank file is not the one the quiz was drawn from (its fingerprint differs).

    The statistics are still recorded, by question id, which outlives edits to other questions;
    but the instructor should know that the file was edited since the build, since an edited
    question's measured difficulty may no longer describe it.
    """
    from studygen.build import bank_fingerprints_of_files

    now = bank_fingerprints_of_files(bank_files)
    for bank_id, path in sorted(bank_files.items()):
        then = manifest.bank_fingerprints.get(bank_id)
        if then and now.get(bank_id) and now[bank_id] != then:
            print(
                f"studygen grade: note: {path} changed since the quiz was built (bank fingerprint {then} in "
                f"the manifest, {now[bank_id]} now); statistics are recorded by question id, so check that "
                "the questions this quiz asked were not rewritten",
                file=sys.stderr,
            )


def _bank_files(manifest: Manifest, bank_ids: set[str]) -> dict[str, Path]:
    """Bank id -> bank file: from the manifest's `banks` map (relative to it), else found in question_banks/."""
    found: dict[str, Path] = {}
    for bank_id in bank_ids:
        rel = manifest.banks.get(bank_id)
        if rel is not None:
            path = (manifest.path.parent / rel).resolve()
            if not path.is_file():
                raise StudygenError(f"{manifest.path}: banks.{bank_id} names {rel!r}, but {path} does not exist")
            found[bank_id] = path
    missing = sorted(bank_ids - found.keys())
    if missing:
        from studygen.sources.banks import load_banks

        if Path(DEFAULT_BANKS).is_dir():
            result = load_banks([DEFAULT_BANKS])
            for bank in result.banks:
                if bank.id in missing:
                    found[bank.id] = Path(bank.path)
        still = sorted(bank_ids - found.keys())
        if still:
            raise StudygenError(
                f"--update-stats: cannot find the bank file for {', '.join(repr(b) for b in still)}: the manifest "
                f'has no "banks" entry for it and no valid bank in {DEFAULT_BANKS}/ has that id; nothing was written',
                diagnostics=[],
            )
    return found

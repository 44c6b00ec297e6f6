"""`studygen check`: load banks, run the rules, report every problem at once.

With `--config`, the course file's quizzes are checked too (the cue rules
judge what each quiz's blueprint can draw); with `--cues`, the command prints
the cue report instead of the diagnostics.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from studygen.check import RULES, run_checks
from studygen.check.report import render, summary
from studygen.course import Course, QuizSpec
from studygen.errors import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, Diagnostic, Severity
from studygen.model import Bank
from studygen.sources import DEFAULT_BANKS, DEFAULT_CONFIG
from studygen.sources.banks import discover, load_banks
from studygen.sources.coursefile import course_bank_size


def _shown(path: Path) -> str:
    """A course bank's path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def run(args: argparse.Namespace) -> int:
    course: Course | None = None
    if args.config:
        from studygen.sources.coursefile import load_course

        course = load_course(Path(args.config))
    paths = args.paths or ([_shown(b) for b in course.banks] if course else [DEFAULT_BANKS])
    unknown = [r for r in args.disable if r not in RULES]
    if unknown:
        print(f"studygen check: error: unknown rule(s) {', '.join(unknown)}; see `studygen rules`", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.cues and args.format == "github":
        print("studygen check: error: --cues prints text or json, not github annotations", file=sys.stderr)
        return EXIT_CANNOT_RUN
    files, missing = discover(paths)
    if missing or not files:
        for d in missing:
            print(f"studygen check: error: {d.path}: {d.message}", file=sys.stderr)
        if not missing:
            print(f"studygen check: error: no bank files (*.yaml, *.yml) in {', '.join(paths)}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    result = load_banks(files, args.max_bank_size or course_bank_size(Path(args.config or DEFAULT_CONFIG)))
    quizzes = course.quizzes if course else ()
    if args.cues:
        return _cues(result.banks, result.diagnostics, quizzes, args)
    diagnostics = sorted(result.diagnostics + run_checks(result.banks, args.disable, quizzes))
    sys.stdout.write(render(diagnostics, args.format))
    if args.format == "text":
        print(summary(diagnostics, len(files)), file=sys.stderr)
    failing = [d for d in diagnostics if d.severity is Severity.ERROR or args.strict]
    return EXIT_PROBLEMS if failing else EXIT_OK


def _cues(
    banks: Sequence[Bank], problems: Sequence[Diagnostic], quizzes: Sequence[QuizSpec], args: argparse.Namespace
) -> int:
    from studygen.check import cues

    errors = [d for d in problems if d.severity is Severity.ERROR]
    if errors:
        sys.stderr.write(render(errors, "text"))
        print("studygen check: error: fix the bank problems above before measuring cues", file=sys.stderr)
        return EXIT_PROBLEMS
    reports = cues.cue_reports(banks, quizzes)
    sys.stdout.write(cues.as_json(reports) if args.format == "json" else cues.as_text(reports))
    over = [(r, s) for r in reports for s in r.problems()]
    if args.format == "text":
        print(
            f"{len(reports)} scope(s) measured: {len(over)} strategy score(s) more than "
            f"{cues.REPORT_MARGIN:g} points above chance",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if over and args.strict else EXIT_OK

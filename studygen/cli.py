"""Command-line shell: parse arguments, call library functions, map outcomes to exit codes.

Exit codes: 0 success, 1 problems found in the input, 2 cannot run (bad
arguments, missing files).  Heavy modules (reportlab, jinja2, jsonschema) are
imported inside the command that needs them so `--help` and `--version` stay
fast in shells and CI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from studygen import __version__
from studygen.course import EXPORTERS
from studygen.errors import EXIT_CANNOT_RUN, EXIT_OK, REPORT_FORMATS, StudygenError
from studygen.sources import DEFAULT_BANKS, DEFAULT_CONFIG


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_CANNOT_RUN, f"{self.prog}: error: {message}\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _versions(text: str) -> int | str:
    """`--versions`: a count, or `per_student` (one version per student of `--roster`)."""
    if text.strip().casefold() in ("per_student", "per-student"):
        return "per_student"
    try:
        return _positive(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is neither a number of versions nor per_student (one version per --roster student)"
        ) from None


def _tolerance(text: str) -> float:
    """`--tolerance`: percentage points, 0 to 100 (as the course file's `tolerance`)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of percentage points") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text} must be between 0 and 100 percentage points")
    return value


def _nonneg(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} must not be negative")
    return value


def _size(text: str) -> int:
    from studygen.sources.coursefile import bank_size_problem
    from studygen.sources.files import parse_size

    problem = bank_size_problem(text)
    if problem:
        raise argparse.ArgumentTypeError(problem.removeprefix("max_bank_size: "))
    return parse_size(text)


_SIZE_HELP = "largest bank file accepted, e.g. 64MiB (default: the course file's max_bank_size, else 32MiB)"


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="studygen", description="Source-grounded quizzes, keys, study guides and LMS exports.")
    p.add_argument("--version", action="version", version=f"studygen {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    c = sub.add_parser("check", help="validate banks and report every problem as file:line:col")
    c.add_argument("paths", nargs="*", metavar="PATH", help=f"bank files or folders (default: {DEFAULT_BANKS}/)")
    c.add_argument("--format", choices=REPORT_FORMATS, default="text", help="report format")
    c.add_argument("--strict", action="store_true", help="fail on warnings too")
    c.add_argument("--disable", action="append", default=[], metavar="RULE", help="skip a rule (repeatable)")
    c.add_argument("--max-bank-size", type=_size, metavar="SIZE", help=_SIZE_HELP)
    c.add_argument(
        "--config", metavar="FILE", help="course file: also check what each configured quiz can draw (and its banks)"
    )
    c.add_argument(
        "--cues",
        action="store_true",
        help="print the cue report: what guessing by surface cues scores, beside chance (text or json)",
    )

    r = sub.add_parser("rules", help="list the check rules with their ids, severities and reasons")
    r.add_argument("--markdown", action="store_true", help="print the rule reference as Markdown")

    s = sub.add_parser("schema", help="print the JSON Schema of the bank format (for editors)")
    s.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")

    e = sub.add_parser("export", help="export banks to JSON, Moodle XML, GIFT, QTI 1.2, Anki or CSV")
    e.add_argument("banks", nargs="*", metavar="BANK", help="bank files or folders (default: the course's banks)")
    targets = list(EXPORTERS)
    e.add_argument("--to", required=True, metavar="TARGET", help=f"{', '.join(targets[:-1])} or {targets[-1]}")
    e.add_argument(
        "--out",
        metavar="FILE",
        help="output file, or a folder for the default name ('-' for standard output, text formats only)",
    )
    e.add_argument("--config", metavar="FILE", help=f"course file for the default banks (default: {DEFAULT_CONFIG})")
    e.add_argument("--max-bank-size", type=_size, metavar="SIZE", help=_SIZE_HELP)

    b = sub.add_parser("build", help="render the course: quizzes, keys, study guide, handouts, self-test")
    b.add_argument("--config", metavar="FILE", default=DEFAULT_CONFIG, help=f"course file (default: {DEFAULT_CONFIG})")
    b.add_argument("--out", metavar="DIR", help="output folder (default: the course's, or output/)")
    b.add_argument("--jobs", type=_positive, default=1, metavar="N", help="worker processes (default: 1)")
    b.add_argument("--max-bank-size", type=_size, metavar="SIZE", help=_SIZE_HELP)

    q = sub.add_parser("quiz", help="make a one-off randomized quiz in several versions")
    q.add_argument("banks", nargs="+", metavar="BANK", help="bank files or folders")
    q.add_argument("--questions", type=_positive, default=10, metavar="N", help="questions per quiz (default: 10)")
    q.add_argument(
        "--versions",
        type=_versions,
        default=2,
        metavar="K",
        help="versions A, B, ... (default: 2), or per_student: one per --roster student",
    )
    q.add_argument(
        "--draw",
        choices=("same", "per_version"),
        default="same",
        help="same: every version asks the same questions (default); per_version: each its own, equally hard",
    )
    q.add_argument(
        "--tolerance",
        type=_tolerance,
        metavar="PP",
        help="with --draw per_version: most percentage points the expected mean scores may differ (default 2)",
    )
    q.add_argument("--seed", type=_nonneg, default=0, metavar="S", help="random seed (default: 0)")
    q.add_argument("--format", default="pdf,html", metavar="FMT", help="pdf, html or pdf,html (default)")
    q.add_argument("--jobs", type=_positive, default=1, metavar="N", help="worker processes (default: 1)")
    q.add_argument("--out", metavar="DIR", default="quiz-output", help="output folder (default: quiz-output)")
    q.add_argument("--title", default="Quiz", help="quiz title")
    q.add_argument("--large-print", action="store_true", help="also write a large-print variant")
    q.add_argument("--sheets", action="store_true", help="also write a scannable answer sheet per version")
    q.add_argument("--roster", metavar="FILE", help="roster CSV (student_id,name): a personalised sheet per student")
    q.add_argument(
        "--id-digits", type=_positive, default=8, metavar="N", help="digits of the sheets' student-ID grid (default 8)"
    )
    q.add_argument("--max-bank-size", type=_size, metavar="SIZE", help=_SIZE_HELP)
    q.add_argument("--sections", action="store_true", help="questions in parts by type, essays last")
    q.add_argument("--answer-column", action="store_true", help="answer boxes on page 1, like the key's grid")
    q.add_argument(
        "--print-pack",
        choices=("quizzes", "quizzes_and_keys"),
        help="also one PDF with every version (and one with every key) for the copy shop",
    )

    n = sub.add_parser("new", help="start a bank for a new reading (.txt, .md, saved .html or .pdf)")
    n.add_argument("source", metavar="SOURCE", help="the reading: a .txt/.md file, a saved web page or a PDF")
    n.add_argument("--id", required=True, help="the reading's id: names seeds/ID.txt and question_banks/ID.yaml")
    n.add_argument("--title", required=True, help="the reading's title")
    n.add_argument("--author", required=True, help="its author")
    n.add_argument("--publication", required=True, help="where it appeared")
    n.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="publication date")
    n.add_argument("--url", default="", help="where it can be found (http or https)")
    n.add_argument("--suggest", action="store_true", help="list likely facts (with exact quotes) as comments")
    n.add_argument(
        "--config", default=DEFAULT_CONFIG, metavar="FILE", help=f"course file to add the bank to ({DEFAULT_CONFIG})"
    )

    v = sub.add_parser("serve", help="preview the banks live on 127.0.0.1 while you curate them")
    v.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE", help=f"course file (default: {DEFAULT_CONFIG})")
    v.add_argument("--port", type=_nonneg, default=8000, metavar="N", help="port on 127.0.0.1 (default: 8000; 0: any)")
    v.add_argument(
        "--editor",
        metavar="URL",
        help="editor link for file:line:col, e.g. 'vscode://file/{path}:{line}:{col}' (or set STUDYGEN_EDITOR)",
    )

    g = sub.add_parser("grade", help="score responses against a quiz manifest and analyse the items")
    g.add_argument("manifest", metavar="MANIFEST", help="manifest.json written by build or quiz")
    g.add_argument("responses", metavar="RESPONSES.csv", help="one row per student")
    g.add_argument("--out", metavar="DIR", help="output folder (default: beside the responses)")
    g.add_argument(
        "--multiple-response",
        choices=("all-or-nothing", "partial", "penalty"),
        default="all-or-nothing",
        help="scoring rule for multiple-response items (default: all-or-nothing)",
    )
    g.add_argument("--update-stats", action="store_true", help="record measured item statistics beside the bank")
    g.add_argument(
        "--accept",
        metavar="FILE",
        help="unmatched-answers.csv with yes in its accept column: accept those typed answers for this run",
    )
    g.add_argument(
        "--config",
        metavar="FILE",
        help=f"course file whose paper, fonts and language the reports use (default: {DEFAULT_CONFIG} if present)",
    )

    sc = sub.add_parser("scan", help="read scanned answer sheets into responses.csv (unsure marks go to review)")
    sc.add_argument("manifest", metavar="MANIFEST", help="manifest.json of the build the sheets were printed from")
    sc.add_argument("scans", nargs="+", metavar="SCAN", help="scanned pages: PDF, PNG, JPEG or TIFF files, any order")
    sc.add_argument("--out", required=True, metavar="DIR", help="folder for responses.csv, needs-review.csv, report")
    sc.add_argument("--overrides", metavar="FILE", help="a person's decisions: CSV sheet,item,answer")
    sc.add_argument("--roster", metavar="FILE", help="class roster (student_id,name): IDs not on it go to review")
    sc.add_argument("--jobs", type=_positive, default=1, metavar="N", help="worker processes (default: 1)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_CANNOT_RUN
    try:
        import importlib

        module = importlib.import_module(f"studygen.commands.{args.command}")
        return int(module.run(args))
    except StudygenError as exc:
        from studygen.check.report import render

        if exc.diagnostics:
            sys.stderr.write(render(exc.diagnostics, "text"))
        print(f"studygen: error: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("studygen: interrupted; nothing was half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK

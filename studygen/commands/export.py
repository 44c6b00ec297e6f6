"""`studygen export`: validated banks → one file in the chosen target format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studygen.cli import DEFAULT_BANKS, EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS
from studygen.course import Course
from studygen.errors import StudygenError
from studygen.sources.banks import load_banks
from studygen.targets import get_exporter
from studygen.writer import write_atomic


def course_file(config: str | None) -> Course | None:
    """The course file (`--config`, else ./studygen.yaml when there is one): default banks, export options."""
    from studygen.sources.coursefile import load_course

    path = Path(config) if config else Path("studygen.yaml")
    if path.exists():
        return load_course(path)
    if config:
        raise StudygenError(f"course file {config} does not exist")
    return None


def run(args: argparse.Namespace) -> int:
    # Banks named on the command line need no course file; --config still brings its export options.
    course = course_file(args.config) if args.config or not args.banks else None
    exporter = get_exporter(args.to, course)
    banks = args.banks or ([str(b) for b in course.banks] if course else [DEFAULT_BANKS])
    result = load_banks(banks)
    if not result.ok:
        from studygen.check.report import render

        sys.stderr.write(render(result.diagnostics, "text"))
        print("studygen export: error: fix the bank problems above (see `studygen check`)", file=sys.stderr)
        return EXIT_PROBLEMS
    out = exporter.export(result.banks)
    for warning in out.warnings:
        print(f"studygen export: warning: {warning}", file=sys.stderr)
    target = args.out or f"output/export/{'-'.join(b.id for b in result.banks)}{exporter.suffix}"
    if target == "-":
        if exporter.binary:
            print(f"studygen export: error: {args.to} is binary; give --out FILE", file=sys.stderr)
            return EXIT_CANNOT_RUN
        sys.stdout.write(out.data.decode("utf-8"))
    else:
        try:
            write_atomic(Path(target), out.data)
        except OSError as exc:
            raise StudygenError(f"cannot write {target}: {exc.strerror or exc}") from exc
        print(f"wrote {target}", file=sys.stderr)
    return EXIT_OK

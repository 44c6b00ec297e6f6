"""`studygen export`: validated banks → one file in the chosen target format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studygen.course import Course
from studygen.errors import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, StudygenError
from studygen.repro import BuildTime
from studygen.sources import DEFAULT_BANKS, DEFAULT_CONFIG
from studygen.sources.banks import load_banks
from studygen.targets import ExportContext, get_exporter
from studygen.writer import write_atomic


def course_for(config: str | None, banks: list[str]) -> Course | None:
    """The course whose banks and wording to use: `--config`, or studygen.yaml when no banks are named."""
    from studygen.sources.coursefile import load_course

    path = Path(config) if config else Path(DEFAULT_CONFIG)
    if config and not path.exists():
        raise StudygenError(f"course file {config} does not exist")
    if config or (not banks and path.exists()):
        return load_course(path)
    return None


def run(args: argparse.Namespace) -> int:
    exporter = get_exporter(args.to)
    build_time = BuildTime.from_environ()
    course = course_for(args.config, args.banks)
    paths = args.banks or ([str(b) for b in course.banks] if course else [DEFAULT_BANKS])
    context = ExportContext(course or Course(root=Path.cwd()), build_time)
    result = load_banks(paths)
    if not result.ok:
        from studygen.check.report import render

        sys.stderr.write(render(result.diagnostics, "text"))
        print("studygen export: error: fix the bank problems above (see `studygen check`)", file=sys.stderr)
        return EXIT_PROBLEMS
    out = exporter.export(result.banks, context)
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

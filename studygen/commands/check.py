"""`studygen check`: load banks, run the rules, report every problem at once."""

from __future__ import annotations

import argparse
import sys

from studygen.check import RULES, run_checks
from studygen.check.report import render, summary
from studygen.errors import EXIT_CANNOT_RUN, EXIT_OK, EXIT_PROBLEMS, Severity
from studygen.sources import DEFAULT_BANKS
from studygen.sources.banks import discover, load_banks


def run(args: argparse.Namespace) -> int:
    paths = args.paths or [DEFAULT_BANKS]
    unknown = [r for r in args.disable if r not in RULES]
    if unknown:
        print(f"studygen check: error: unknown rule(s) {', '.join(unknown)}; see `studygen rules`", file=sys.stderr)
        return EXIT_CANNOT_RUN
    files, missing = discover(paths)
    if missing or not files:
        for d in missing:
            print(f"studygen check: error: {d.path}: {d.message}", file=sys.stderr)
        if not missing:
            print(f"studygen check: error: no bank files (*.yaml, *.yml) in {', '.join(paths)}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    result = load_banks(files)
    diagnostics = sorted(result.diagnostics + run_checks(result.banks, args.disable))
    sys.stdout.write(render(diagnostics, args.format))
    if args.format == "text":
        print(summary(diagnostics, len(files)), file=sys.stderr)
    failing = [d for d in diagnostics if d.severity is Severity.ERROR or args.strict]
    return EXIT_PROBLEMS if failing else EXIT_OK

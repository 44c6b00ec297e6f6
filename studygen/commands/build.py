"""`studygen build`: render the course file's quizzes, keys, study guides, handouts, self-test and exports."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studygen.build import build_course
from studygen.errors import EXIT_OK
from studygen.sources.coursefile import load_course


def run(args: argparse.Namespace) -> int:
    course = load_course(Path(args.config))
    out = Path(args.out) if args.out else course.output
    built = build_course(course, out, jobs=args.jobs, log=sys.stderr)
    print(f"studygen build: wrote {len(built.written)} file(s) to {out}/ (open {out / 'index.html'})", file=sys.stderr)
    return EXIT_OK

"""`studygen quiz`: a one-off randomized quiz from banks named on the command line."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from studygen.build import build_quiz, load_checked
from studygen.course import Blueprint, Course, QuizSpec
from studygen.errors import EXIT_OK, StudygenError


def _formats(text: str) -> tuple[str, ...]:
    from studygen.registry import quiz_formats

    known = quiz_formats()
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    bad = [f for f in formats if f not in known]
    if bad or not formats:
        raise StudygenError(f"--format {text!r}: choose {', '.join(known)} or {','.join(known)}")
    return formats


def _slug(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()
    return slug or "quiz"


def run(args: argparse.Namespace) -> int:
    formats = _formats(args.format)
    banks = load_checked(args.banks, sys.stderr)
    spec = QuizSpec(
        id=_slug(args.title),
        title=args.title,
        versions=args.versions,
        seed=args.seed,
        blueprint=Blueprint(questions=args.questions),
        formats=formats,
        large_print=args.large_print,
    )
    out = Path(args.out)
    course = Course(root=Path.cwd(), title=args.title)
    built = build_quiz(course, banks, spec, out, jobs=args.jobs)
    print(f"studygen quiz: wrote {len(built.written)} file(s) to {out}/", file=sys.stderr)
    return EXIT_OK

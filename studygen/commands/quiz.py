"""`studygen quiz`: a one-off randomized quiz from banks named on the command line."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from studygen.build import build_quiz, load_checked
from studygen.course import Blueprint, Course, QuizSpec, section_order
from studygen.errors import EXIT_OK, StudygenError
from studygen.sources import DEFAULT_CONFIG
from studygen.sources.coursefile import course_bank_size


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


def _roster(path: str | None) -> tuple[tuple[str, str], ...]:
    if not path:
        return ()
    from studygen.sources.roster import read_roster

    return tuple((s.student_id, s.name) for s in read_roster(Path(path), path).students)


def run(args: argparse.Namespace) -> int:
    formats = _formats(args.format)
    if args.id_digits > 16:
        raise StudygenError(f"--id-digits {args.id_digits}: at most 16 digits fit on a sheet")
    per_student = args.versions == "per_student"
    if per_student and not args.roster:
        raise StudygenError(
            "--versions per_student gives every student on a roster their own version; "
            "add --roster FILE (a student_id,name CSV) or give a number of versions"
        )
    if args.tolerance is not None and args.draw != "per_version":
        raise StudygenError(
            "--tolerance applies only to --draw per_version (with --draw same every version asks the same "
            "questions, so they are equally hard by construction)"
        )
    roster = _roster(args.roster)
    limit = args.max_bank_size or course_bank_size(Path(DEFAULT_CONFIG))
    banks = load_checked(args.banks, sys.stderr, limit)
    spec = QuizSpec(
        id=_slug(args.title),
        title=args.title,
        versions=len(roster) if per_student else args.versions,
        per_student=per_student,
        seed=args.seed,
        blueprint=Blueprint(
            questions=args.questions,
            draw=args.draw,
            tolerance=Blueprint.tolerance if args.tolerance is None else args.tolerance,
        ),
        formats=formats,
        large_print=args.large_print,
        answer_sheets=args.sheets or bool(args.roster),
        id_digits=args.id_digits,
        roster=roster,
        sections=tuple(t.value for t in section_order(())) if args.sections else (),
        answer_column=args.answer_column,
        print_pack=args.print_pack or "",
    )
    out = Path(args.out)
    course = Course(root=Path.cwd(), title=args.title)
    built = build_quiz(course, banks, spec, out, jobs=args.jobs, log=sys.stderr)
    print(f"studygen quiz: wrote {len(built.written)} file(s) to {out}/", file=sys.stderr)
    return EXIT_OK

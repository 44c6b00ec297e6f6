"""grades.csv, item-analysis.csv and distractors.csv: plain UTF-8 CSV for gradebooks and spreadsheets.

Text that came from students or banks can start like a formula; such cells go
through the one guard in `studygen.text.cells` (the CSV export uses it too).
Numbers we compute are written bare.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from studygen.grade.analysis import Analysis
from studygen.grade.manifest import Manifest
from studygen.inline import plain
from studygen.text.cells import safe_cell


def num(x: float | None, places: int = 2) -> str:
    """A fixed, locale-free rendering: rounded, no trailing zeros, empty for 'undefined'."""
    if x is None:
        return ""
    text = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def question_text(manifest: Manifest, question_id: str) -> str:
    """The question's text as a reader sees it (bank markup dropped, spaces collapsed); "" if the manifest lacks it."""
    return " ".join(plain(manifest.info(question_id).text).split())


def grades_csv(analysis: Analysis, names: bool = False) -> bytes:
    """One row per student; a `name` column after `student_id` when the responses had one."""
    header = ["student_id", *(["name"] if names else []), "version", "score", "max", "percent"]
    rows = (
        [
            safe_cell(s.student_id),
            *([safe_cell(s.name)] if names else []),
            safe_cell(s.version),
            num(s.score),
            num(s.max),
            num(s.percent),
        ]
        for s in analysis.students
    )
    return _csv(header, rows)


def item_analysis_csv(analysis: Analysis, manifest: Manifest) -> bytes:
    header = [
        "question_id",
        "question",
        "topics",
        "bank",
        "type",
        "items",
        "points",
        "n",
        "omitted",
        "difficulty",
        "discrimination",
        "upper_lower",
        "flags",
    ]
    rows = (
        [
            safe_cell(q.question_id),
            safe_cell(question_text(manifest, q.question_id)),
            safe_cell("; ".join(manifest.info(q.question_id).topics)),
            safe_cell(q.bank),
            q.type.value,
            safe_cell(" ".join(f"{label}:{number}" for label, number in q.placements)),
            num(q.points),
            str(q.n),
            str(q.omitted),
            num(q.difficulty, 3),
            num(q.discrimination, 3),
            num(q.upper_lower, 3),
            "; ".join(q.flags),
        ]
        for q in analysis.questions
    )
    return _csv(header, rows)


def distractors_csv(analysis: Analysis, manifest: Manifest) -> bytes:
    header = [
        "question_id",
        "question",
        "option",
        "correct",
        "chosen",
        "n",
        "chosen_fraction",
        "upper_fraction",
        "lower_fraction",
        "flags",
    ]
    rows = (
        [
            safe_cell(q.question_id),
            safe_cell(question_text(manifest, q.question_id)),
            safe_cell(o.text),
            "yes" if o.correct else "no",
            str(o.chosen),
            str(o.n),
            num(o.fraction, 3),
            num(o.upper, 3),
            num(o.lower, 3),
            "; ".join(o.flags),
        ]
        for q in analysis.questions
        for o in q.options
    )
    return _csv(header, rows)

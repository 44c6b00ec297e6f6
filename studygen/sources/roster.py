"""Reading a class roster (`student_id,name`): strict CSV, every problem at its line.

A roster decides who gets which printed sheet and which scanned IDs are
accepted, so it is read exactly or refused: a repeated ID, an empty cell or a
broken quote is reported as `file:line:col` with how to fix it, never
repaired by guessing.  Columns other than `student_id` and `name` (an LMS
export's `email`, `section`, ...) are ignored, so such exports work as they are.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from studygen.errors import Diagnostic, Severity, StudygenError
from studygen.sources.files import FileProblem, TextProblem, csv_delimiter, read_bounded, utf8_text

MAX_ROSTER_BYTES = 8 * 1024 * 1024
MAX_STUDENTS = 20000
MAX_ID_CHARS = 64
MAX_NAME_CHARS = 200
_ID_NAMES = {"student_id", "student id", "studentid"}
_NAME_NAMES = {"name", "student_name", "student name"}


class RosterError(StudygenError):
    """The roster cannot be used; `diagnostics` lists every problem found."""


@dataclass(frozen=True, slots=True)
class Student:
    student_id: str
    name: str
    line: int  # where the student's row is, for later messages ("roster.csv:7: ...")


@dataclass(frozen=True, slots=True)
class Roster:
    path: str
    students: tuple[Student, ...]

    def find(self, student_id: str) -> Student | None:
        key = fold_id(student_id)
        for s in self.students:
            if fold_id(s.student_id) == key:
                return s
        return None

    def ids(self) -> set[str]:
        return {fold_id(s.student_id) for s in self.students}


def fold_id(student_id: str) -> str:
    """IDs compare without case or surrounding space: `s001` and `S001 ` are one student."""
    return unicodedata.normalize("NFC", student_id.strip()).casefold()


def read_roster(path: Path, shown: str | None = None) -> Roster:
    shown = shown or str(path)
    try:
        raw = read_bounded(path, MAX_ROSTER_BYTES)
    except FileProblem as problem:
        hint = " (a CSV file with the header student_id,name)" if problem.kind in ("missing", "directory") else ""
        raise RosterError(f"roster {shown}: {problem.reason}{hint}") from None
    return parse_roster(_decode(raw, shown), shown)


def _decode(raw: bytes, shown: str) -> str:
    """UTF-8, with or without a byte-order mark (`utf8_text`); anything else is refused with a way to fix it."""
    try:
        return utf8_text(raw)
    except TextProblem as p:
        if p.kind == "utf16":
            raise RosterError(
                f"{shown}: the roster is UTF-16; save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')"
            ) from None
        if p.kind == "nul":
            raise RosterError(f"{shown}: contains NUL bytes; a roster is a text CSV file") from None
        raise RosterError(
            f"{shown}:{p.line}:{p.col}: not UTF-8 (byte 0x{p.byte:02x}); save the roster as UTF-8 "
            "(in Excel: 'CSV UTF-8 (Comma delimited)')"
        ) from None


def _diag(shown: str, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic(shown, line, col, Severity.ERROR, "roster", message)


def _bad_text(text: str) -> str | None:
    for ch in text:
        if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
            return f"U+{ord(ch):04X}"
    return None


def parse_roster(text: str, shown: str) -> Roster:
    """Parse roster text; raises `RosterError` listing every problem, or returns the students in file order."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text), strict=True)
    rows: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if any(c.strip() for c in row):
                rows.append((start, row))
            if len(rows) > MAX_STUDENTS + 1:
                raise RosterError(f"{shown}: more than {MAX_STUDENTS} students; split the roster")
    except csv.Error as exc:
        raise RosterError(f"{shown}:{reader.line_num}: not a well-formed CSV file: {exc}") from None
    if not rows:
        raise RosterError(f"{shown}: the roster is empty; its first row must be student_id,name")
    header_line, header = rows[0]
    names = [h.strip().casefold() for h in header]
    id_cols = [i for i, n in enumerate(names) if n in _ID_NAMES]
    name_cols = [i for i, n in enumerate(names) if n in _NAME_NAMES]
    if len(id_cols) != 1 or len(name_cols) != 1:
        what = "student_id" if len(id_cols) != 1 else "name"
        count = "no" if not (id_cols if what == "student_id" else name_cols) else "more than one"
        raise RosterError(
            f"{shown}:{header_line}: the header has {count} {what} column; the first row must be student_id,name",
            [_diag(shown, header_line, 1, f"expected the header student_id,name, found {','.join(header)[:80]!r}")],
        )
    id_col, name_col = id_cols[0], name_cols[0]
    problems: list[Diagnostic] = []
    students: list[Student] = []
    first_seen: dict[str, int] = {}
    for line, row in rows[1:]:
        cells = row + [""] * (len(header) - len(row))
        if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
            problems.append(
                _diag(shown, line, 1, f"the row has {len(row)} cells but the header has {len(header)} columns")
            )
            continue
        sid, name = cells[id_col].strip(), " ".join(cells[name_col].split())
        id_at, name_at = id_col + 1, name_col + 1
        if not sid:
            problems.append(_diag(shown, line, id_at, "no student_id; every student needs one"))
            continue
        if len(sid) > MAX_ID_CHARS or _bad_text(sid):
            why = f"is longer than {MAX_ID_CHARS} characters" if len(sid) > MAX_ID_CHARS else "has a control character"
            problems.append(_diag(shown, line, id_at, f"student_id {sid[:20]!r} {why}"))
            continue
        if not name:
            problems.append(_diag(shown, line, name_at, f"student {sid!r} has no name; sheets print it"))
            continue
        if len(name) > MAX_NAME_CHARS or _bad_text(name):
            why = (
                f"is longer than {MAX_NAME_CHARS} characters"
                if len(name) > MAX_NAME_CHARS
                else "has a control character"
            )
            problems.append(_diag(shown, line, name_at, f"the name of student {sid!r} {why}"))
            continue
        key = fold_id(sid)
        if key in first_seen:
            problems.append(
                _diag(
                    shown,
                    line,
                    id_at,
                    f"student_id {sid!r} is already on line {first_seen[key]}; each student appears once",
                )
            )
            continue
        first_seen[key] = line
        students.append(Student(sid, name, line))
    if problems:
        raise RosterError(f"roster {shown} has {len(problems)} problem(s); fix them and run again", problems)
    if not students:
        raise RosterError(f"{shown}: the roster has a header but no students")
    return Roster(shown, tuple(students))

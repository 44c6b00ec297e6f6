"""Reading the responses CSV: one row per student, one column per item number.

Whatever produced the file (hand typing, a form, an LMS export), a row is
either read exactly or skipped with its CSV line and the reason; nothing is
repaired by guessing.  Cells are data only: a cell such as `=cmd|' /C calc'!A0`
is an (invalid or wrong) answer, never a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from studygen.errors import Diagnostic, Severity, StudygenError
from studygen.grade.answers import Answer, AnswerError, parse_answer
from studygen.grade.manifest import Manifest, ManifestVersion
from studygen.sources.files import FileProblem, TextProblem, csv_delimiter, read_bounded, utf8_text

MAX_RESPONSES_BYTES = 32 * 1024 * 1024
_ITEM_COLUMN = re.compile(r"^\d+$")
_ID_NAMES = {"student_id", "student id", "studentid"}
_VERSION_NAMES = {"version"}
# A name column is carried through to grades.csv and the report, so nobody joins it back by hand.
_NAME_NAMES = {"name", "student_name", "student name"}


class ResponsesError(StudygenError):
    """The responses file as a whole cannot be read (encoding, header); nothing is graded."""


@dataclass(frozen=True, slots=True)
class Response:
    line: int
    student_id: str
    version: ManifestVersion
    answers: dict[int, Answer]
    name: str = ""


@dataclass
class ResponseSheet:
    path: str
    responses: list[Response] = field(default_factory=list)
    skipped: list[Diagnostic] = field(default_factory=list)
    notices: list[Diagnostic] = field(default_factory=list)
    has_names: bool = False  # the header had a name column


def read_responses(path: Path, manifest: Manifest, shown: str | None = None) -> ResponseSheet:
    shown = shown or str(path)
    try:
        raw = read_bounded(path, MAX_RESPONSES_BYTES)
    except FileProblem as problem:
        if problem.kind == "missing":
            raise ResponsesError(f"{shown}: no such responses file") from None
        if problem.kind == "directory":
            raise ResponsesError(f"{shown}: is a folder, not a CSV file") from None
        if problem.kind == "too-large":
            raise ResponsesError(f"{shown}: {problem.size} bytes; at most {MAX_RESPONSES_BYTES} are accepted") from None
        raise ResponsesError(f"{shown}: {problem.reason}") from None
    return parse_responses(decode(raw, shown), manifest, shown)


def decode(raw: bytes, shown: str) -> str:
    """UTF-8, with or without a byte-order mark; anything else is refused with a way to fix it."""
    try:
        return utf8_text(raw)
    except TextProblem as p:
        if p.kind == "utf16":
            raise ResponsesError(
                f"{shown}: the file is UTF-16; save it as UTF-8 (in Excel: 'CSV UTF-8 (Comma delimited)')"
            ) from None
        if p.kind == "nul":
            raise ResponsesError(f"{shown}: contains NUL bytes; this is not a text CSV file") from None
        raise ResponsesError(
            f"{shown}:{p.line}:{p.col}: not UTF-8 (byte 0x{p.byte:02x}); save the file as UTF-8 "
            "(in Excel: 'CSV UTF-8 (Comma delimited)'; in LibreOffice: character set 'Unicode (UTF-8)')"
        ) from None


def parse_responses(text: str, manifest: Manifest, shown: str) -> ResponseSheet:
    sheet = ResponseSheet(shown)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text), strict=True)
    rows: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for row in reader:
            start, last = last + 1, reader.line_num
            if any(c.strip() for c in row):
                rows.append((start, row))
    except csv.Error as exc:
        raise ResponsesError(f"{shown}:{reader.line_num}: not a well-formed CSV file: {exc}") from None
    if not rows:
        raise ResponsesError(f"{shown}: empty; expected a header row {_expected(manifest)} and one row per student")
    header_line, header = rows[0]
    id_col, version_col, name_col, item_cols = _header(header, manifest, shown, header_line, sheet)
    sheet.has_names = name_col >= 0 or bool(manifest.students)  # a per-student manifest knows the names
    seen = Counter(row[id_col].strip() for _, row in rows[1:] if id_col < len(row) and row[id_col].strip())
    for line, row in rows[1:]:
        resp, problems = _row(line, row, len(header), id_col, version_col, item_cols, manifest)
        if resp is not None and not problems and manifest.students and manifest.assigned(resp.student_id) is None:
            sheet.notices.append(
                Diagnostic(
                    shown,
                    line,
                    1,
                    Severity.WARNING,
                    "not-on-roster",
                    f"student {resp.student_id!r} is not on the roster this per-student quiz was made for; "
                    f"graded against version {resp.version.label}, as the row says",
                )
            )
        student = row[id_col].strip() if id_col < len(row) else ""
        if seen[student] > 1:
            problems.insert(
                0,
                f"student {student!r} has {seen[student]} rows; keep exactly one "
                "(every row of a repeated student is skipped rather than picking one)",
            )
        if problems:
            sheet.skipped += [_skip(shown, line, p) for p in problems]
        elif resp is not None:
            name = row[name_col].strip() if 0 <= name_col < len(row) else ""
            assigned = manifest.assigned(resp.student_id)
            name = name or (assigned.name if assigned is not None else "")
            sheet.responses.append(Response(resp.line, resp.student_id, resp.version, resp.answers, name))
    return sheet


def _header(
    header: list[str], manifest: Manifest, shown: str, line: int, sheet: ResponseSheet
) -> tuple[int, int, int, dict[int, int]]:
    names = [h.strip().casefold() for h in header]
    ids = [i for i, n in enumerate(names) if n in _ID_NAMES]
    versions = [i for i, n in enumerate(names) if n in _VERSION_NAMES]
    name_cols = [i for i, n in enumerate(names) if n in _NAME_NAMES]
    # A per-student manifest knows each student's version: the version column may be left out.
    missing = ([] if ids else ["student_id"]) + ([] if versions or manifest.students else ["version"])
    if missing:
        raise ResponsesError(
            f"{shown}:{line}: the header has no {' or '.join(missing)} column; "
            f"the first row must be {_expected(manifest)}"
        )
    if len(ids) > 1 or len(versions) > 1 or len(name_cols) > 1:
        raise ResponsesError(f"{shown}:{line}: the header names student_id, version or name more than once")
    name_col = name_cols[0] if name_cols else -1
    version_col = versions[0] if versions else -1
    item_cols: dict[int, int] = {}
    for i, name in enumerate(names):
        if _ITEM_COLUMN.match(name):
            number = int(name)
            if number in item_cols:
                raise ResponsesError(f"{shown}:{line}: the header has two columns for item {number}")
            item_cols[number] = i
        elif i not in (ids[0], version_col, name_col):
            sheet.notices.append(
                Diagnostic(
                    shown,
                    line,
                    1,
                    Severity.WARNING,
                    "ignored-column",
                    f"column {header[i].strip()!r} is not student_id, name, version or an item number; ignored",
                )
            )
    needed = manifest.item_numbers
    absent = [n for n in needed if n not in item_cols]
    if absent:
        raise ResponsesError(
            f"{shown}:{line}: the header has no column for item(s) {_ranges(absent)}; "
            f"the first row must be {_expected(manifest)}"
        )
    return ids[0], version_col, name_col, item_cols


def _row(
    line: int, row: list[str], width: int, id_col: int, version_col: int, item_cols: dict[int, int], manifest: Manifest
) -> tuple[Response | None, list[str]]:
    cells = row + [""] * (width - len(row))
    if len(row) > width and any(c.strip() for c in row[width:]):
        return None, [f"the row has {len(row)} cells but the header has {width} columns"]
    student = cells[id_col].strip()
    label = cells[version_col].strip() if version_col >= 0 else ""
    if not student:
        return None, ["no student_id"]
    who = f"student {student!r}"
    assigned = manifest.assigned(student)
    if assigned is not None:
        if label and label.casefold() != assigned.version.casefold():
            return None, [
                f"{who} was given version {assigned.version} (`versions: per_student`) but the row says "
                f"{label!r}; correct the version (or leave it empty) or the student_id"
            ]
        label = assigned.version
    elif manifest.students and not label:
        return None, [
            f"{who} is not on the roster this per-student quiz was made for and the row gives no version; "
            "write the version of the paper they answered, or correct the student_id"
        ]
    version = _version(manifest, label)
    if version is None:
        known = ", ".join(v.label for v in manifest.versions)
        return None, [f"{who}: version {label!r} is not in the manifest (versions: {known})"]
    problems: list[str] = []
    answers: dict[int, Answer] = {}
    for number, col in sorted(item_cols.items()):
        cell = cells[col]
        item = version.item(number)
        if item is None:
            if cell.strip():
                problems.append(
                    f"{who}: version {version.label} has no item {number}, "
                    f"but column {number} holds {cell.strip()[:40]!r}"
                )
            continue
        try:
            answers[number] = parse_answer(item, cell)
        except AnswerError as exc:
            problems.append(f"{who}, item {number}: {exc}")
    if problems:
        return None, problems
    return Response(line, student, version, answers), []


def _version(manifest: Manifest, label: str) -> ManifestVersion | None:
    exact = manifest.version(label)
    if exact is not None:
        return exact
    folded = [v for v in manifest.versions if v.label.casefold() == label.casefold()]
    return folded[0] if len(folded) == 1 else None


def _skip(shown: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(shown, line, 1, Severity.ERROR, "bad-row", f"{message}; row skipped")


def _expected(manifest: Manifest) -> str:
    numbers = manifest.item_numbers
    return "student_id,version," + ",".join(str(n) for n in numbers)


def _ranges(numbers: list[int]) -> str:
    return (
        ", ".join(str(n) for n in numbers)
        if len(numbers) <= 8
        else f"{numbers[0]}..{numbers[-1]} ({len(numbers)} columns)"
    )

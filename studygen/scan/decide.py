"""Read pages → one sheet per student → a responses row, or review rows saying why.

A sheet's row reaches responses.csv only when every item on every one of its
pages was read with certainty (or decided by a person in the overrides file),
its student is known, on the roster if there is one, and on no other sheet.
Everything else is a review row naming the scanned page, what was seen, and
why a person must decide; the person's decision goes in the overrides file.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from studygen.errors import StudygenError
from studygen.grade.answers import AnswerError, parse_answer
from studygen.grade.manifest import Manifest, ManifestItem, ManifestVersion
from studygen.grade.scoring import matches
from studygen.model import QuestionType
from studygen.scan.reader import EMPTY, FILLED, UNSURE, BoxRead, PageRead
from studygen.sources.files import FileProblem, read_bounded
from studygen.sources.roster import fold_id

WRONG = "✗"  # a written answer the marker ticked wrong: never an accepted answer (checked per item)
MAX_OVERRIDES_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Reading:
    """One item (or the student ID) as read: `cell` is what responses.csv gets, None if a person must decide."""

    item: int  # 0 for the student ID
    cell: str | None
    seen: str
    why: str = ""
    confidence: float = 1.0
    crop: str = ""
    decided: bool = False  # by an override


@dataclass
class Sheet:
    """One student's sheet: its pages (by sheet page number) and the verdict."""

    version: ManifestVersion
    student: str
    name: str = ""
    pages: dict[int, list[PageRead]] = field(default_factory=dict)
    readings: dict[int, Reading] = field(default_factory=dict)
    problems: list[tuple[str, str, str, str]] = field(default_factory=list)  # source, item, seen, why

    @property
    def read(self) -> bool:
        return not self.problems and all(r.cell is not None for r in self.readings.values())

    @property
    def key(self) -> str:
        first = min(self.pages) if self.pages else 1
        return self.pages[first][0].source if self.pages else ""


@dataclass
class Overrides:
    items: dict[tuple[str, int], str] = field(default_factory=dict)
    student: dict[str, str] = field(default_factory=dict)
    ignore: set[str] = field(default_factory=set)


def read_overrides(path: Path, shown: str) -> Overrides:
    """`sheet,item,answer`: a person's decisions, keyed by the scanned page named in needs-review.csv."""
    try:
        raw = read_bounded(path, MAX_OVERRIDES_BYTES)
    except FileProblem as problem:
        raise StudygenError(f"--overrides {shown}: {problem.reason}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudygenError(f"{shown}: not UTF-8 (byte {exc.start}); save the overrides file as UTF-8") from None
    out = Overrides()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [(reader.line_num, r) for r in reader]
    except csv.Error as exc:
        raise StudygenError(f"{shown}:{reader.line_num}: not a well-formed CSV file: {exc}") from None
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows or [c.strip().casefold() for c in rows[0][1][:3]] != ["sheet", "item", "answer"]:
        raise StudygenError(f"{shown}:1: the first row must be sheet,item,answer")
    for line, row in rows[1:]:
        if len(row) < 3:
            raise StudygenError(f"{shown}:{line}: expected sheet,item,answer (3 cells), found {len(row)}")
        sheet, item, answer = row[0].strip(), row[1].strip().casefold(), row[2].strip()
        if not sheet:
            raise StudygenError(f"{shown}:{line}:1: no sheet; copy it from needs-review.csv")
        if item == "student_id":
            if not answer:
                raise StudygenError(f"{shown}:{line}:3: an empty student_id; write the ID the student meant")
            out.student[sheet] = answer
        elif item == "page":
            if answer.casefold() != "ignore":
                raise StudygenError(f"{shown}:{line}:3: for item 'page' the only answer is 'ignore'")
            out.ignore.add(sheet)
        elif item.isdigit() and len(item) < 6:
            key = (sheet, int(item))
            if key in out.items:
                raise StudygenError(f"{shown}:{line}: sheet {sheet!r} item {item} is decided twice")
            out.items[key] = answer
        else:
            raise StudygenError(f"{shown}:{line}:2: item {row[1]!r} is not an item number, student_id or page")
    return out


def _states(boxes: list[BoxRead]) -> str:
    parts = []
    for b in boxes:
        if b.state != EMPTY:
            parts.append(f"{b.box.label} {b.state}")
    return ", ".join(parts) or "nothing marked"


def _written_cell(item: ManifestItem, right: list[bool]) -> str:
    """A marker's right/wrong ticks, as the responses CSV states a written answer grade will score the same way."""
    if item.type is QuestionType.SHORT_ANSWER:
        return _accepted(item.correct) if right[0] else _wrong(item.correct, item.case_sensitive)
    parts = [_accepted(b) if ok else _wrong(b, item.case_sensitive) for b, ok in zip(item.blanks, right, strict=False)]
    return "|".join(parts)


def _accepted(accepted: tuple[str, ...]) -> str:
    for a in accepted:
        if "|" not in a and ";" not in a:
            return a
    return accepted[0]


def _wrong(accepted: tuple[str, ...], case_sensitive: bool) -> str:
    text = WRONG
    while matches(text, accepted, case_sensitive):
        text += WRONG
    return text


def decide_item(item: ManifestItem, boxes: list[BoxRead]) -> Reading:
    """What the boxes of one item say, or why a person must decide."""
    seen = _states(boxes)
    conf = min((b.confidence for b in boxes), default=1.0)
    unsure = [b for b in boxes if b.state == UNSURE]
    if unsure:
        return Reading(
            item.number,
            None,
            seen,
            f"unclear mark (erased, faint or partial) in {', '.join(b.box.label for b in unsure)}",
            0.0,
        )
    filled = [b for b in boxes if b.state == FILLED]
    t = item.type
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.TRUE_FALSE):
        if len(filled) > 1:
            return Reading(item.number, None, seen, "two or more marks on a one-answer row", conf)
        return Reading(item.number, filled[0].box.letter if filled else "", seen, confidence=conf)
    if t is QuestionType.MULTIPLE_RESPONSE:
        return Reading(item.number, "".join(sorted(b.box.letter for b in filled)), seen, confidence=conf)
    if t in (QuestionType.MATCHING, QuestionType.ORDERING):
        rows = len(item.prompts) if t is QuestionType.MATCHING else len(item.options)
        by_part: dict[int, list[str]] = defaultdict(list)
        for b in filled:
            by_part[b.box.part].append(b.box.letter)
        double = [p for p, letters in by_part.items() if len(letters) > 1]
        if double:
            return Reading(item.number, None, seen, f"two or more marks in row {', '.join(map(str, double))}", conf)
        if not filled:
            return Reading(item.number, "", seen, confidence=conf)
        return Reading(
            item.number,
            "".join(by_part[p][0] if p in by_part else "-" for p in range(1, rows + 1)),
            seen,
            confidence=conf,
        )
    # written items: the marker's score boxes
    if t is QuestionType.ESSAY:
        if len(filled) != 1:
            why = "the marker ticked no score" if not filled else "the marker ticked more than one score"
            return Reading(item.number, None, seen, why, conf)
        return Reading(item.number, f"{filled[0].box.score:g}", seen, confidence=conf)
    parts = len(item.blanks) if t is QuestionType.FILL_BLANK else 1
    right: list[bool] = []
    for k in range(1, parts + 1):
        ticks = [b for b in filled if (b.box.part or 1) == k]
        if len(ticks) != 1:
            what = f"blank {k}" if t is QuestionType.FILL_BLANK else "the answer"
            why = f"the marker ticked neither ✓ nor ✗ for {what}" if not ticks else f"both ✓ and ✗ ticked for {what}"
            return Reading(item.number, None, seen, why, conf)
        right.append(ticks[0].box.score > 0)
    return Reading(item.number, _written_cell(item, right), seen, confidence=conf)


def decide_id(boxes: list[BoxRead], digits: int) -> Reading:
    columns: dict[int, list[BoxRead]] = defaultdict(list)
    for b in boxes:
        columns[b.box.id_digit].append(b)
    out = []
    conf = min((b.confidence for b in boxes), default=1.0)
    for k in range(1, digits + 1):
        col = columns.get(k, [])
        unsure = [b for b in col if b.state == UNSURE]
        filled = [b for b in col if b.state == FILLED]
        if unsure:
            return Reading(0, None, _id_seen(columns, digits), f"unclear mark in student-ID column {k}", 0.0)
        if len(filled) > 1:
            return Reading(0, None, _id_seen(columns, digits), f"two digits filled in student-ID column {k}", conf)
        out.append(str(filled[0].box.value) if filled else "")
    text = "".join(out).rstrip()
    joined = "".join(d or " " for d in out).rstrip()
    if not text:
        return Reading(0, None, "no digit filled", "no student ID filled in", conf)
    if " " in joined:
        return Reading(0, None, _id_seen(columns, digits), "a student-ID column inside the ID is empty", conf)
    return Reading(0, text, text, confidence=conf)


def _id_seen(columns: dict[int, list[BoxRead]], digits: int) -> str:
    out = []
    for k in range(1, digits + 1):
        col = [b for b in columns.get(k, []) if b.state != EMPTY]
        out.append("/".join(f"{b.box.value}{'?' if b.state == UNSURE else ''}" for b in col) or "_")
    return " ".join(out)


@dataclass
class Outcome:
    sheets: list[Sheet]
    pages: list[PageRead]
    review: list[tuple[str, str, str, str, str, str, str]]  # sheet, page, item, seen, why, student, version
    responses: bytes
    skipped_blank: int = 0
    rejected: int = 0

    @property
    def complete(self) -> bool:
        return not self.review and not self.rejected


def _crop_for(page: PageRead, boxes: list[BoxRead]) -> str:
    if not boxes:
        return ""
    x0 = min(b.box.rect[0] for b in boxes)
    y0 = min(b.box.rect[1] for b in boxes)
    x1 = max(b.box.rect[0] + b.box.rect[2] for b in boxes)
    y1 = max(b.box.rect[1] + b.box.rect[3] for b in boxes)
    return page.crop((x0 - 24, y0 - 8, x1 - x0 + 24, y1 - y0 + 8))  # with row tags and column letters


def page_readings(page: PageRead, manifest_version: ManifestVersion, id_digits: int) -> dict[int, Reading]:
    """Readings of the items on one page (item number → Reading; 0 = the student ID), crops where undecided."""
    by_item: dict[int, list[BoxRead]] = defaultdict(list)
    ids: list[BoxRead] = []
    for b in page.boxes:
        if b.box.kind == "id":
            ids.append(b)
        else:
            by_item[b.box.item].append(b)
    out: dict[int, Reading] = {}
    for number, boxes in sorted(by_item.items()):
        item = manifest_version.item(number)
        if item is None:
            continue
        r = decide_item(item, boxes)
        if r.cell is None:
            r = Reading(r.item, None, r.seen, r.why, r.confidence, _crop_for(page, boxes))
        out[number] = r
    if ids:
        r = decide_id(ids, id_digits)
        if r.cell is None:
            r = Reading(0, None, r.seen, r.why, r.confidence, _crop_for(page, ids))
        out[0] = r
    return out


def prepare(page: PageRead, manifest: Manifest, id_digits: int) -> None:
    """Read the page's items now (crops included) and let its pixels go: a class's scans need not fit in memory."""
    if page.status == "ok" and page.payload is not None:
        version = manifest.version(page.payload.version)
        if version is not None:
            page.readings = page_readings(page, version, id_digits)
    page.release()


def _override_cell(item: ManifestItem, answer: str) -> str:
    """A person's decision, checked like a responses cell; written items take right/wrong (or points for essays)."""
    t = item.type
    if t in (QuestionType.SHORT_ANSWER, QuestionType.FILL_BLANK):
        words = [w.strip().casefold() for w in answer.split("|")] if answer else []
        parts = len(item.blanks) if t is QuestionType.FILL_BLANK else 1
        if len(words) != parts or any(w not in ("right", "wrong", "1", "0") for w in words):
            raise AnswerError(
                f"{answer!r}: write right or wrong"
                + (f" for each of the {parts} blanks, separated by |" if parts > 1 else "")
            )
        return _written_cell(item, [w in ("right", "1") for w in words])
    parse_answer(item, answer)  # raises AnswerError with the reason
    return answer


ReviewRow = tuple[str, str, str, str, str, str, str]  # source, page, item, seen, why, student, version


def decide(
    manifest: Manifest,
    pages: list[PageRead],
    id_digits: int,
    roster: dict[str, tuple[str, str]],
    overrides: Overrides,
    overrides_shown: str = "",
) -> Outcome:
    """Pages into sheets, sheets checked, then one review row per problem, in three steps.

    Pages are grouped first because a sheet's checks (complete, scanned
    once, one sheet per student) need all its pages; review rows come last
    so they follow the sheets' sorted order.
    """
    review: list[ReviewRow] = []
    blank = sum(1 for p in pages if p.status == "blank")
    groups, rejected = _group_pages(manifest, pages, id_digits, overrides, overrides_shown, review)
    # Sheet-level checks: who, complete, scanned once, on one sheet only.
    by_student: dict[str, list[Sheet]] = defaultdict(list)
    for (sid, _), sheet in groups.items():
        if not sid.startswith("?"):
            by_student[sid].append(sheet)
    for sheet in groups.values():
        _check_sheet(sheet, by_student, roster, overrides)
    sheets = sorted(groups.values(), key=lambda s: (s.key.split("#")[0], _page_no(s.key), s.student))
    _review_problems(sheets, review)
    return Outcome(sheets, pages, review, _responses(manifest, sheets), blank, rejected)


def _group_pages(
    manifest: Manifest,
    pages: list[PageRead],
    id_digits: int,
    overrides: Overrides,
    overrides_shown: str,
    review: list[ReviewRow],
) -> tuple[dict[tuple[str, str], Sheet], int]:
    """Each readable page's readings (overrides applied) filed under its sheet: (folded student ID, version).

    Unreadable pages and unknown versions go to `review` and are counted as
    rejected; a page with no student ID is filed alone under its file name,
    so it never merges with another student's sheet.
    """
    rejected = 0
    groups: dict[tuple[str, str], Sheet] = {}
    for p in pages:
        if p.status == "blank":
            continue
        if p.source in overrides.ignore:
            continue
        if p.status != "ok" or p.payload is None or p.layout is None:
            rejected += 1
            where = f"{p.payload.page}/{p.payload.pages}" if p.payload else ""
            review.append(
                (
                    p.source,
                    where,
                    "page",
                    "",
                    p.why,
                    p.payload.student if p.payload else "",
                    p.payload.version if p.payload else "",
                )
            )
            continue
        version = manifest.version(p.payload.version)
        if version is None:
            rejected += 1
            review.append((p.source, "", "page", "", f"version {p.payload.version} is not in the manifest", "", ""))
            continue
        readings = dict(p.readings) if p.readings else page_readings(p, version, id_digits)
        for (src, number), answer in overrides.items.items():
            if src == p.source and number in readings:
                item = version.item(number)
                assert item is not None
                try:
                    cell = _override_cell(item, answer)
                except AnswerError as exc:
                    raise StudygenError(f"{overrides_shown}: sheet {src!r} item {number}: {exc}") from None
                old = readings[number]
                readings[number] = Reading(number, cell, old.seen, old.why, 1.0, old.crop, decided=True)
        student = p.payload.student
        if p.source in overrides.student:
            student = overrides.student[p.source]
            readings[0] = Reading(0, student, readings.get(0, Reading(0, student, student)).seen, "", 1.0, decided=True)
        elif not student:
            idr = readings.get(0)
            student = idr.cell if idr is not None and idr.cell else ""
        key = (fold_id(student), version.label) if student else (f"?{p.source}", version.label)
        sheet = groups.get(key)
        if sheet is None:
            sheet = groups[key] = Sheet(version, student)
        sheet.pages.setdefault(p.payload.page, []).append(p)
        p.readings = readings
    return groups, rejected


def _check_sheet(
    sheet: Sheet, by_student: dict[str, list[Sheet]], roster: dict[str, tuple[str, str]], overrides: Overrides
) -> None:
    """One sheet's verdict: its readings gathered, and a problem for each way it cannot be graded as is.

    Undecided items, a page scanned twice, missing pages, an ID not on the
    roster or on several sheets, no ID at all; the roster also names the student.
    """
    first = sheet.pages[min(sheet.pages)][0]
    n_pages = first.payload.pages if first.payload else 1
    _join_split_items(sheet)
    for number, copies in sorted(sheet.pages.items()):
        for p in copies:
            for r in p.readings.values():
                if r.item and r.cell is None:
                    sheet.problems.append((p.source, str(r.item), r.seen, r.why))
                elif r.item:
                    sheet.readings[r.item] = r
            if 0 in p.readings and p.readings[0].cell is None:
                r0 = p.readings[0]
                sheet.problems.append((p.source, "student_id", r0.seen, r0.why))
        if len(copies) > 1:
            names = " and ".join(c.source for c in copies)
            for c in copies:
                sheet.problems.append(
                    (
                        c.source,
                        "page",
                        "",
                        f"page {number} of this sheet is in the scans twice ({names}): scanned twice, or two "
                        "students filled in the same ID; ignore a repeated copy (item page, answer ignore) or "
                        "correct the ID (item student_id)",
                    )
                )
    missing = [n for n in range(1, n_pages + 1) if n not in sheet.pages]
    if missing:
        sheet.problems.append(
            (
                first.source,
                "page",
                "",
                f"page(s) {', '.join(map(str, missing))} of {n_pages} of this sheet were not in the scans",
            )
        )
    sid = fold_id(sheet.student) if sheet.student else ""
    decided = any(c.source in overrides.student for copies in sheet.pages.values() for c in copies)
    if sid and roster and sid not in roster and not decided:
        sheet.problems.append((first.source, "student_id", sheet.student, "this student ID is not on the roster"))
    if sid and len(by_student.get(sid, [])) > 1:
        others = [s.version.label for s in by_student[sid]]
        sheet.problems.append(
            (
                first.source,
                "student_id",
                sheet.student,
                f"this student ID is on {len(others)} sheets (versions {', '.join(others)})",
            )
        )
    if sid and sid in roster:
        sheet.name = roster[sid][1]
    if not sheet.student and not any(p[1] == "student_id" for p in sheet.problems):
        sheet.problems.append((first.source, "student_id", "", "no student ID could be read"))


def _review_problems(sheets: list[Sheet], review: list[ReviewRow]) -> None:
    """Each sheet's problems as review rows, with the page ("2/3") of the scan each was found on."""
    for sheet in sheets:
        for source, what, seen, why in sheet.problems:
            page = ""
            for number, copies in sheet.pages.items():
                if any(c.source == source for c in copies):
                    page = f"{number}/{copies[0].payload.pages}" if copies[0].payload else str(number)
            review.append((source, page, what, seen, why, sheet.student, sheet.version.label))


def _join_split_items(sheet: Sheet) -> None:
    """An item whose boxes run onto the next page (a very wide grid) is decided from all its boxes at once."""
    where: dict[int, list[PageRead]] = defaultdict(list)
    for copies in sheet.pages.values():
        if len(copies) == 1:
            for number in copies[0].readings:
                if number:
                    where[number].append(copies[0])
    for number, pages in where.items():
        if len(pages) < 2 or any(p.readings[number].decided for p in pages):
            continue
        item = sheet.version.item(number)
        if item is None:
            continue
        joined = decide_item(item, [b for p in pages for b in p.boxes if b.box.kind != "id" and b.box.item == number])
        crops = [p.readings[number].crop for p in pages if p.readings[number].crop]
        for i, p in enumerate(pages):  # the first page carries the decision; the others defer to it
            if i == 0:
                p.readings[number] = Reading(
                    number,
                    joined.cell,
                    joined.seen,
                    joined.why,
                    joined.confidence,
                    crops[0] if crops and joined.cell is None else "",
                )
            else:
                del p.readings[number]


def _page_no(source: str) -> int:
    tail = source.rsplit("#", 1)[-1]
    return int(tail) if "#" in source and tail.isdigit() else 0


def _responses(manifest: Manifest, sheets: list[Sheet]) -> bytes:
    numbers = manifest.item_numbers
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["student_id", "version", *map(str, numbers)])
    rows = []
    for s in sheets:
        if not s.read:
            continue
        cells = [s.readings[n].cell if n in s.readings else "" for n in numbers]
        rows.append([s.student, s.version.label, *(c or "" for c in cells)])
    for row in sorted(rows, key=lambda r: (r[0], r[1])):
        w.writerow(row)
    return out.getvalue().encode("utf-8")


def review_csv(outcome: Outcome) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["sheet", "page", "item", "seen", "why", "student_id", "version"])
    for row in outcome.review:
        w.writerow([_cell(c) for c in row])
    return out.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a student ID from a scan is only text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text

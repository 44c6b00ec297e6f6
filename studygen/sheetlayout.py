"""Where every box of an answer sheet is: the layout as data, shared by the PDF, the manifest and the scanner.

The sheet renderer draws exactly these rectangles, the manifest records them,
and `studygen scan` reads marks at them; computing them once here (plain
arithmetic, no fonts, no reportlab) is what keeps the three from drifting.
Coordinates are PDF points from the page's top-left corner, y downwards, as
a scanned image is read.

A page carries four solid corner marks (alignment), a QR code naming quiz,
version, page and build fingerprint (and the student, on personalised
sheets), a header, a student-ID grid on blank sheets, and item rows flowed
down three columns.  Every page repeats the header, code and ID grid, so a
stack scanned in any order can be put back together by student.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from studygen.model import QuestionType
from studygen.text.letters import LETTERS
from studygen.versions import Item, Quiz, Version

A4 = (595.2755905511812, 841.8897637795277)
LETTER = (612.0, 792.0)

MARK = 14.0  # corner-mark side
MARK_INSET = 22.0  # distance of a corner mark from the paper's edge
MARGIN = 46.0
QR = 72.0
BOX = 11.0
PITCH = 23.0  # one option cell: its letter, then its box, then a gap before the next letter
NUM_W = 22.0
ROW_H = 17.0
GRID = 15.0  # matching / ordering / ID grid pitch
COLUMNS = 3
COL_GAP = 10.0
HEADER_H = 160.0  # beside the ID grid, the instructions wrap narrower
HEADER_H_PERSONAL = 136.0
ID_LABEL_W = 12.0
DEFAULT_ID_DIGITS = 8
MAX_ID_DIGITS = 16
MAX_SCORE_BOXES = 21
PAYLOAD_MAGIC = "SG1"

OBJECTIVE = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE)
GRIDDED = (QuestionType.MATCHING, QuestionType.ORDERING)
WRITTEN = (QuestionType.SHORT_ANSWER, QuestionType.FILL_BLANK, QuestionType.ESSAY)


def paper_size(paper: str) -> tuple[float, float]:
    return LETTER if paper.strip().lower() == "letter" else A4


Rect = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Box:
    """One box to mark.  `kind` is "choice" (item + letter, + part for a grid row), "id" or "score"."""

    page: int
    rect: Rect
    kind: str
    item: int = 0
    letter: str = ""
    part: int = 0
    id_digit: int = 0
    value: int = 0
    score: float = 0.0

    def meaning(self) -> dict[str, Any]:
        if self.kind == "id":
            return {"id_digit": self.id_digit, "value": self.value}
        out: dict[str, Any] = {"item": self.item}
        if self.part:
            out["part"] = self.part
        if self.kind == "score":
            out["score"] = self.score
        else:
            out["letter"] = self.letter
        return out

    def to_json(self) -> dict[str, Any]:
        return {"page": self.page, "rect": [round(v, 2) for v in self.rect], **self.meaning()}


@dataclass(frozen=True, slots=True)
class Text:
    """A short label the renderer draws at a baseline (item numbers, letters, digits, score values)."""

    x: float
    y: float  # baseline, from the top
    text: str
    size: float = 8.0
    bold: bool = False
    muted: bool = False
    align: str = "left"  # "left" | "center" | "right"


@dataclass
class SheetPage:
    number: int
    size: tuple[float, float]
    marks: tuple[Rect, ...]
    qr: Rect
    header: Rect  # title, version, name line, instructions: drawn (and wrapped) by the renderer
    id_grid: Rect | None
    boxes: list[Box] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)  # x1, y1, x2, y2 rules

    def to_json(self) -> dict[str, Any]:
        return {
            "page": self.number,
            "size": [round(v, 2) for v in self.size],
            "marks": [[round(v, 2) for v in r] for r in self.marks],
            "qr": [round(v, 2) for v in self.qr],
            "boxes": [b.to_json() for b in self.boxes],
        }


@dataclass
class SheetLayout:
    """One version's sheet, blank (with an ID grid) or personalised (student printed and encoded)."""

    version: str
    personal: bool
    id_digits: int
    pages: list[SheetPage]

    @property
    def key(self) -> str:
        return layout_key(self.version, self.personal)


def layout_key(version: str, personal: bool) -> str:
    return f"{version}+roster" if personal else version


def fingerprint(quiz: Quiz) -> str:
    """The build fingerprint printed and encoded on every sheet.

    `Quiz.fingerprint` (computed in selection) when the model has it; until
    then a hash of every version's manifest entries, which changes whenever a
    key, an option order or a point value does.
    """
    own = getattr(quiz, "fingerprint", "")
    if isinstance(own, str) and own:
        return own
    data = [[v.label, [i.manifest_entry() for i in v.items]] for v in quiz.versions]
    blob = json.dumps([quiz.id, quiz.seed, data], ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:10]


def payload(quiz_id: str, version: str, page: int, pages: int, fp: str, student: str = "") -> str:
    """What the QR code says: `SG1|quiz|version|page|pages|fingerprint|student`, each field %-escaped."""
    fields = [PAYLOAD_MAGIC, quote(quiz_id, safe=""), quote(version, safe=""), str(page), str(pages), fp]
    fields.append(quote(student, safe=""))
    return "|".join(fields)


@dataclass(frozen=True, slots=True)
class Payload:
    quiz: str
    version: str
    page: int
    pages: int
    fingerprint: str
    student: str


def parse_payload(text: str) -> Payload | None:
    """The fields of a sheet's QR code, or None when the code is not a studygen sheet's."""
    parts = text.split("|")
    if len(parts) != 7 or parts[0] != PAYLOAD_MAGIC:
        return None
    if not (parts[3].isdigit() and parts[4].isdigit()) or len(parts[3]) > 4 or len(parts[4]) > 4:
        return None
    page, pages = int(parts[3]), int(parts[4])
    if not 1 <= page <= pages:
        return None
    try:
        quiz, version, student = (unquote(p, errors="strict") for p in (parts[1], parts[2], parts[6]))
    except UnicodeDecodeError:
        return None
    return Payload(quiz, version, page, pages, parts[5], student)


def score_values(points: float) -> list[float]:
    """The values an essay's score boxes offer: whole points, else halves, else tenths of the item's points."""
    if points <= 0:
        return [0.0]
    if float(points).is_integer() and points < MAX_SCORE_BOXES:
        return [float(v) for v in range(int(points) + 1)]
    if float(points * 2).is_integer() and points * 2 < MAX_SCORE_BOXES:
        return [v / 2 for v in range(int(points * 2) + 1)]
    return [round(points * k / 10, 2) for k in range(10)] + [points]


def value_text(v: float) -> str:
    return f"{v:g}"


@dataclass
class _Block:
    """One item's share of a column: its boxes and labels relative to the block's top-left."""

    height: float
    boxes: list[Box]
    texts: list[Text]
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)


class _Builder:
    def __init__(self, col_w: float, marker: str) -> None:
        self.col_w = col_w
        self.marker = marker

    def per_line(self, start: float, pitch: float) -> int:
        return max(1, int((self.col_w - start) // pitch))

    def blocks(self, item: Item) -> list[_Block]:
        t = item.type
        if t in OBJECTIVE:
            return [self.choice_block(item)]
        if t in GRIDDED:
            return self.grid_blocks(item)
        return [self.score_block(item)]

    def number(self, item: Item, y: float = 0.0) -> Text:
        return Text(0, y + 9.5, f"{item.number}.", 9.0, bold=True)

    def choice_block(self, item: Item) -> _Block:
        per = self.per_line(NUM_W, PITCH)
        boxes, texts = [], [self.number(item)]
        for i, _ in enumerate(item.choices):
            row, col = divmod(i, per)
            x = NUM_W + col * PITCH
            y = row * ROW_H
            texts.append(Text(x + 4.5, y + 9.0, LETTERS[i], 8.0, align="center"))
            boxes.append(Box(0, (x + 9, y + 1, BOX, BOX), "choice", item.number, LETTERS[i]))
        rows = max(1, math.ceil(len(item.choices) / per))
        return _Block(rows * ROW_H + 2, boxes, texts)

    def grid_blocks(self, item: Item) -> list[_Block]:
        """Matching: a row per prompt (a, b, ...); ordering: a row per position (1, 2, ...); a column per letter."""
        n = len(item.choices)
        rows = len(item.prompts) if item.type is QuestionType.MATCHING else n
        start = NUM_W + ID_LABEL_W
        per = self.per_line(start, GRID)
        out = []
        for chunk in range(0, n, per):
            letters = range(chunk, min(n, chunk + per))
            boxes, texts = [], [self.number(item)]
            for j, li in enumerate(letters):
                texts.append(Text(start + j * GRID + BOX / 2, 9.0, LETTERS[li], 7.5, align="center", muted=True))
            for r in range(rows):
                y = 12 + r * GRID
                tag = LETTERS[r].lower() if item.type is QuestionType.MATCHING else str(r + 1)
                texts.append(Text(start - 3, y + 9.0, tag, 8.0, align="right"))
                for j, li in enumerate(letters):
                    rect = (start + j * GRID, y + 1, BOX, BOX)
                    boxes.append(Box(0, rect, "choice", item.number, LETTERS[li], part=r + 1))
            out.append(_Block(12 + rows * GRID + 4, boxes, texts))
        return out

    def score_block(self, item: Item) -> _Block:
        """Boxes for the marker: a score per essay, right/wrong per short answer and per blank."""
        texts = [self.number(item), Text(NUM_W, 9.0, self.marker, 7.0, muted=True)]
        boxes: list[Box] = []
        start = NUM_W + 40
        if item.type is QuestionType.ESSAY:
            values = score_values(item.points)
            wide = max(len(value_text(v)) for v in values)
            pitch = PITCH + max(0, wide - 2) * 4.0
            per = self.per_line(start, pitch)
            for i, v in enumerate(values):
                row, col = divmod(i, per)
                x, y = start + col * pitch, row * ROW_H
                texts.append(Text(x + pitch - BOX - 2, y + 9.0, value_text(v), 7.0, align="right"))
                boxes.append(Box(0, (x + pitch - BOX, y + 1, BOX, BOX), "score", item.number, score=v))
            lines = max(1, math.ceil(len(values) / per))
            return _Block(lines * ROW_H + 2, boxes, texts)
        parts = len(item.blanks) if item.type is QuestionType.FILL_BLANK else 1
        share = item.points / parts if parts else 0.0
        per = max(1, int((self.col_w - start) // (2 * PITCH + 16)))
        for k in range(parts):
            row, col = divmod(k, per)
            x, y = start + col * (2 * PITCH + 16), row * ROW_H
            part = k + 1 if item.type is QuestionType.FILL_BLANK else 0
            if part:
                texts.append(Text(x - 2, y + 9.0, f"({part})", 7.0, muted=True, align="right"))
            for j, (sign, value) in enumerate((("✗", 0.0), ("✓", share))):
                bx = x + 8 + j * PITCH
                texts.append(Text(bx - 4, y + 9.0, sign, 8.0, align="center"))
                boxes.append(Box(0, (bx, y + 1, BOX, BOX), "score", item.number, part=part, score=round(value, 4)))
        lines = max(1, math.ceil(parts / per))
        return _Block(lines * ROW_H + 2, boxes, texts)


def _page_frame(number: int, size: tuple[float, float], id_digits: int) -> tuple[SheetPage, float]:
    """A page's fixed furniture and the y where item columns start."""
    w, h = size
    marks = (
        (MARK_INSET, MARK_INSET, MARK, MARK),
        (w - MARK_INSET - MARK, MARK_INSET, MARK, MARK),
        (MARK_INSET, h - MARK_INSET - MARK, MARK, MARK),
        (w - MARK_INSET - MARK, h - MARK_INSET - MARK, MARK, MARK),
    )
    qr = (w - MARGIN - QR, MARGIN, QR, QR)
    grid: Rect | None = None
    right_w = QR
    bottom = MARGIN + QR
    if id_digits:
        gw = ID_LABEL_W + id_digits * GRID
        gh = 12 + GRID + 10 * GRID + 2
        grid = (w - MARGIN - gw, MARGIN + QR + 8, gw, gh)
        right_w = max(QR, gw)
        bottom = grid[1] + gh
    header_h = HEADER_H if id_digits else HEADER_H_PERSONAL
    header = (MARGIN, MARGIN, w - 2 * MARGIN - right_w - 14, header_h)
    page = SheetPage(number, size, marks, qr, header, grid)
    if grid is not None:
        _id_grid(page, grid, id_digits)
    top = max(MARGIN + header_h, bottom) + 12
    page.lines.append((MARGIN, top - 6, w - MARGIN, top - 6))
    return page, top


def _id_grid(page: SheetPage, grid: Rect, digits: int) -> None:
    gx, gy, _, _ = grid
    x0 = gx + ID_LABEL_W
    for k in range(digits):
        x = x0 + k * GRID
        page.lines.extend(  # the write-in box above each column: not read, drawn as four rules
            [
                (x - 1, gy + 12, x + BOX + 1, gy + 12),
                (x - 1, gy + 12 + GRID - 1, x + BOX + 1, gy + 12 + GRID - 1),
                (x - 1, gy + 12, x - 1, gy + 12 + GRID - 1),
                (x + BOX + 1, gy + 12, x + BOX + 1, gy + 12 + GRID - 1),
            ]
        )
        for d in range(10):
            y = gy + 12 + GRID + 2 + d * GRID
            page.boxes.append(Box(page.number, (x, y + 1, BOX, BOX), "id", id_digit=k + 1, value=d))
    for d in range(10):
        y = gy + 12 + GRID + 2 + d * GRID
        page.texts.append(Text(gx + ID_LABEL_W - 3, y + 9.5, str(d), 7.5, align="right", muted=True))


def sheet_layout(
    version: Version,
    paper: str = "A4",
    *,
    id_digits: int = DEFAULT_ID_DIGITS,
    personal: bool = False,
    marker: str = "✎",
) -> SheetLayout:
    """Flow one version's items down three columns, page after page; a block never splits."""
    size = paper_size(paper)
    w, h = size
    digits = 0 if personal else id_digits
    col_w = (w - 2 * MARGIN - (COLUMNS - 1) * COL_GAP) / COLUMNS
    builder = _Builder(col_w, marker)
    bottom = h - MARGIN - 14
    pages: list[SheetPage] = []
    page, top = _page_frame(1, size, digits)
    pages.append(page)
    col, y = 0, top
    for item in version.items:
        for block in builder.blocks(item):
            if y + block.height > bottom and y > top:
                col, y = col + 1, top
                if col == COLUMNS:
                    page, top = _page_frame(len(pages) + 1, size, digits)
                    pages.append(page)
                    col, y = 0, top
            x = MARGIN + col * (col_w + COL_GAP)
            page.boxes.extend(
                Box(page.number, (x + b.rect[0], y + b.rect[1], b.rect[2], b.rect[3]), *_rest(b)) for b in block.boxes
            )
            page.texts.extend(Text(x + t.x, y + t.y, t.text, t.size, t.bold, t.muted, t.align) for t in block.texts)
            y += block.height
    return SheetLayout(version.label, personal, digits, pages)


def _rest(b: Box) -> tuple[Any, ...]:
    return (b.kind, b.item, b.letter, b.part, b.id_digit, b.value, b.score)


def version_for(index: int, quiz: Quiz) -> Version:
    """Roster students get versions in turn (A, B, C, A, ...), so neighbours on the list differ.

    With `versions: per_student` there is one version per student, so the turn is the student's
    own version (the one `Quiz.students` records).
    """
    if quiz.students:
        assert quiz.versions[index].label == quiz.students[index].version
    return quiz.versions[index % len(quiz.versions)]


@dataclass
class QuizSheets:
    """Every sheet layout of one quiz: blank per version, personalised per version, and who gets which."""

    fingerprint: str
    id_digits: int
    blank: list[SheetLayout]
    personal: dict[str, SheetLayout]
    roster: list[tuple[str, str, str]]  # student_id, name, version label, in roster order

    @property
    def layouts(self) -> list[SheetLayout]:
        return self.blank + list(self.personal.values())


def quiz_sheets(
    quiz: Quiz, paper: str, id_digits: int, roster: tuple[tuple[str, str], ...] = (), marker: str = "✎"
) -> QuizSheets:
    """The layouts the renderer draws and the manifest records: computed the same way by both."""
    blank = [sheet_layout(v, paper, id_digits=id_digits, marker=marker) for v in quiz.versions]
    personal: dict[str, SheetLayout] = {}
    students = []
    if roster:
        personal = {
            v.label: sheet_layout(v, paper, id_digits=id_digits, personal=True, marker=marker) for v in quiz.versions
        }
        students = [(sid, name, version_for(i, quiz).label) for i, (sid, name) in enumerate(roster)]
    return QuizSheets(fingerprint(quiz), id_digits, blank, personal, students)

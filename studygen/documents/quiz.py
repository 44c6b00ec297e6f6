"""What a quiz version and its answer key say, built once per version and drawn by every format.

The HTML templates and the PDF layout used to decide, each on its own, which hint a
question carries, how many lines an essay gets, what a key's full answer reads like
per question type, and how points are worded; the copies drifted (the HTML key had no
"Accepted answers" heading for blanks, the PDF quiz left out background notes, only the
HTML key cited the reading).  Here each of those is decided once:

- `ItemView`: one question as a student sees it (stem, hint, lettered choices, prompts,
  blanks, writing lines, points, section);
- `KeyEntry`: the same question in the key (grid text, the full answer as `AnswerLine`s
  from one per-type table, explanation, passages, citation);
- `QuizContent`: a version's title block, sections, items and key entries.

The batch renderers build one `QuizContent` per version and draw both the quiz and the
key from it (see `studygen.targets.pdf.batches` / `html.batches`); nothing here depends on
fonts, pages or markup, so the PDF's layout reuse is untouched.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from studygen.course import Course
from studygen.documents.base import PlannedQuiz
from studygen.model import CHOICE_LIKE_TYPES, Bank, QuestionType
from studygen.text import blanks
from studygen.text.letters import LETTERS, letter_index
from studygen.versions import Item, Quiz, StudentVersion, Version

# Ruled writing lines when the quiz sets no `lines_per_point`: today's rule, so printed quizzes
# keep their look (an essay gets 6 lines, 2 more per point above one, at most 16).
SHORT_ANSWER_LINES = 2


def essay_lines(points: float, lines_per_point: float | None) -> int:
    """Writing lines for an essay worth `points`: proportional when the quiz sets `lines_per_point`."""
    if lines_per_point is None:
        return int(min(16, max(6, 4 + 2 * points)))
    return max(2, math.ceil(points * lines_per_point))


def points_text(course: Course, points: float) -> str:
    """`1 point`, `2 points`, `1.5 points`: in the course's own words."""
    return f"{points:g} {course.label('point' if points == 1 else 'points')}"


@dataclass(frozen=True, slots=True)
class AnswerLine:
    """One line of a key's full answer.

    `lead` is fixed text (`1.`, `(2)`, `a.`, or a label when `strong`), `prompt` the matched
    left-hand text (matching), `letter` the shown option it points to, `text` bank text.  A line
    with only `letter` and `text` is an option as the quiz printed it (`B. Moscow`).
    """

    text: str
    lead: str = ""
    letter: str = ""
    prompt: str = ""
    strong: bool = False


def _choices(item: Item, course: Course) -> tuple[AnswerLine, ...]:
    return tuple(AnswerLine(item.choices[letter_index(c)], letter=c) for c in item.correct)


def _matching(item: Item, course: Course) -> tuple[AnswerLine, ...]:
    return tuple(
        AnswerLine(item.choices[letter_index(c)], lead=f"{LETTERS[i].lower()}.", letter=c, prompt=item.prompts[i])
        for i, c in enumerate(item.correct)
    )


def _ordering(item: Item, course: Course) -> tuple[AnswerLine, ...]:
    return tuple(
        AnswerLine(item.choices[letter_index(c)], lead=f"{n}.", letter=c) for n, c in enumerate(item.correct, 1)
    )


def _short(item: Item, course: Course) -> tuple[AnswerLine, ...]:
    return (AnswerLine(" | ".join(item.correct), lead=f"{course.label('accepted_answers')}:", strong=True),)


def _fill(item: Item, course: Course) -> tuple[AnswerLine, ...]:
    return (
        AnswerLine("", lead=f"{course.label('accepted_answers')}:", strong=True),
        *(AnswerLine(" | ".join(b), lead=f"({n})") for n, b in enumerate(item.blanks, 1)),
    )


def _essay(item: Item, course: Course) -> tuple[AnswerLine, ...]:
    return (AnswerLine(item.question.guidance, lead=f"{course.label('guidance')}:", strong=True),)


# The one table of what a key's full answer is, per question type (HTML and PDF draw these lines).
ANSWER_LINES: Mapping[QuestionType, Callable[[Item, Course], tuple[AnswerLine, ...]]] = {
    **dict.fromkeys(CHOICE_LIKE_TYPES, _choices),
    QuestionType.MATCHING: _matching,
    QuestionType.ORDERING: _ordering,
    QuestionType.SHORT_ANSWER: _short,
    QuestionType.FILL_BLANK: _fill,
    QuestionType.ESSAY: _essay,
}

# Marked by a person reading what the student wrote (the answer column shows these as score boxes).
HAND_MARKED = frozenset({QuestionType.SHORT_ANSWER, QuestionType.FILL_BLANK, QuestionType.ESSAY})

# Per question type: the instruction under the stem (a label key), or none.
HINTS: Mapping[QuestionType, str] = {
    QuestionType.MULTIPLE_RESPONSE: "select_all",
    QuestionType.MATCHING: "match_instruction",
    QuestionType.ORDERING: "order_instruction",
}


def answer_lines(item: Item, course: Course) -> tuple[AnswerLine, ...]:
    return ANSWER_LINES[item.type](item, course)


@dataclass(frozen=True, slots=True)
class ItemView:
    """One numbered question as a student sees it, in any format."""

    item: Item
    points_text: str
    hint: str  # the instruction under the stem, in the course's words ("" for none)
    choices: tuple[tuple[str, str], ...]  # (letter, option text) in shown order
    prompts: tuple[tuple[str, str], ...]  # matching: (a, b, ... , left-hand text)
    fill: tuple[str | int, ...]  # fill-in: text and 1-based blank numbers, alternating (blanks.pieces)
    lines: int  # ruled writing lines (short answer, essay); 0 for none
    section: int = 0  # index into `QuizContent.sections`

    @property
    def number(self) -> int:
        return self.item.number

    @property
    def type(self) -> QuestionType:
        return self.item.type

    @property
    def stem(self) -> str:
        return self.item.question.stem

    @property
    def points(self) -> float:
        return self.item.points

    @property
    def background(self) -> str:
        return self.item.question.background


@dataclass(frozen=True, slots=True)
class Citation:
    """Where the key's passages come from: `before` + *publication* (italic) + `after`."""

    before: str
    publication: str
    after: str


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """One question in the answer key: the grid cell, the full answer and its grounds."""

    item: Item
    grid: str  # the compact answer (`B`, `a-C b-A`), or the course's `essay_key` for hand-graded items
    points_text: str
    lines: tuple[AnswerLine, ...]
    citation: Citation | None

    @property
    def number(self) -> int:
        return self.item.number

    @property
    def stem(self) -> str:
        return self.item.question.stem

    @property
    def explanation(self) -> str:
        return self.item.question.explanation

    @property
    def background(self) -> str:
        return self.item.question.background

    @property
    def quotes(self) -> tuple[str, ...]:
        return self.item.source_quotes


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a sectioned quiz: its heading and the item numbers it holds (first, last)."""

    title: str
    first: int
    last: int
    points: float
    points_text: str


@dataclass(frozen=True)
class QuizContent:
    """What one version's quiz and key say; both formats draw exactly this."""

    title: str
    version: str
    total_points: float
    items: tuple[ItemView, ...]
    key: tuple[KeyEntry, ...]
    sections: tuple[Section, ...] = ()
    answer_sheets: bool = False  # the quiz tells students to mark the separate answer sheet
    answer_column: bool = False  # an answer grid on the quiz, laid out cell for cell like the key's grid
    # `versions: per_student`: the one student this version is for, printed in the name and ID fields
    # so each booklet finds its student (and the sheet with the same version) without a list.
    student: StudentVersion | None = None

    @property
    def hand_marked(self) -> bool:
        """Whether some item is marked by reading what was written (its answer box holds `/ points`)."""
        return any(i.type in HAND_MARKED for i in self.items)

    def parts(self) -> list[tuple[Section | None, tuple[ItemView, ...]]]:
        """The items part by part (one unnamed part when the quiz is not sectioned)."""
        if not self.sections:
            return [(None, self.items)]
        return [(sec, tuple(i for i in self.items if i.section == k)) for k, sec in enumerate(self.sections)]


def _citation(bank: Bank | None) -> Citation | None:
    if bank is None:
        return None
    r = bank.reading
    return Citation(f"{r.author}, “{r.title}”, ", r.publication, f", {r.date}")


def fill_pieces(text: str) -> tuple[str | int, ...]:
    """A fill-in stem as text and 1-based blank numbers, alternating: the numbers the page prints."""
    return tuple(p if isinstance(p, str) else p + 1 for p in blanks.pieces(text))


def item_view(item: Item, course: Course, lines_per_point: float | None = None, section: int = 0) -> ItemView:
    t = item.type
    hint = HINTS.get(t)
    lines = 0
    if t is QuestionType.SHORT_ANSWER:
        lines = SHORT_ANSWER_LINES
    elif t is QuestionType.ESSAY:
        lines = essay_lines(item.points, lines_per_point)
    fill: tuple[str | int, ...] = ()
    if t is QuestionType.FILL_BLANK:
        fill = fill_pieces(item.question.text)
    return ItemView(
        item,
        points_text(course, item.points),
        course.label(hint) if hint else "",
        tuple((LETTERS[i], c) for i, c in enumerate(item.choices)),
        tuple((LETTERS[i].lower(), p) for i, p in enumerate(item.prompts)),
        fill,
        lines,
        section,
    )


def grid_text(item: Item, course: Course) -> str:
    """An item's cell in the key's grid and the marking grid: the compact answer, or the hand-graded label."""
    return item.key_text or course.label("essay_key")


def key_entry(item: Item, course: Course, banks: Mapping[str, Bank]) -> KeyEntry:
    return KeyEntry(
        item,
        grid_text(item, course),
        points_text(course, item.points),
        answer_lines(item, course),
        _citation(banks.get(item.bank_id)) if item.source_quotes else None,
    )


def quiz_content(
    course: Course,
    quiz: Quiz,
    version: Version,
    *,
    answer_sheets: bool = False,
    answer_column: bool = False,
    lines_per_point: float | None = None,
) -> QuizContent:
    """Everything the quiz and the key of `version` say (built once; the quiz and key pages share it)."""
    banks = {b.id: b for b in quiz.banks}
    sections = _sections(course, quiz, version)
    where = {n: k for k, sec in enumerate(sections) for n in range(sec.first, sec.last + 1)}
    return QuizContent(
        quiz.title,
        version.label,
        version.total_points,
        tuple(item_view(i, course, lines_per_point, where.get(i.number, 0)) for i in version.items),
        tuple(key_entry(i, course, banks) for i in version.items),
        sections=sections,
        answer_sheets=answer_sheets,
        answer_column=answer_column,
        student=quiz.student_for(version.label),
    )


def part_letter(index: int) -> str:
    return LETTERS[index] if index < len(LETTERS) else str(index + 1)


def _sections(course: Course, quiz: Quiz, version: Version) -> tuple[Section, ...]:
    """A sectioned quiz's parts: consecutive items of one type (selection grouped them), lettered A, B, ..."""
    if not quiz.sections:
        return ()
    runs: list[list[Item]] = []
    for item in version.items:
        if runs and runs[-1][0].type is item.type:
            runs[-1].append(item)
        else:
            runs.append([item])
    out = []
    for k, run in enumerate(runs):
        points = sum(i.points for i in run)
        name = course.label(f"type_{run[0].type.value}")
        out.append(
            Section(
                course.label("section_title", part=part_letter(k), name=name),
                run[0].number,
                run[-1].number,
                points,
                points_text(course, points),
            )
        )
    return tuple(out)


def planned_content(course: Course, planned: PlannedQuiz, quiz: Quiz, version: Version) -> QuizContent:
    """`quiz_content` with the options the course file set for this quiz (what its batches draw)."""
    return quiz_content(
        course,
        quiz,
        version,
        answer_sheets=planned.answer_sheets,
        answer_column=planned.answer_column,
        lines_per_point=planned.lines_per_point,
    )


@dataclass(frozen=True)
class MarkingGrid:
    """Every version's answers on one sheet: `rows[n - 1][v]` is item n's answer in version v.

    Versions that drew their own questions (`draw: per_version`) ask different questions under
    one number; the grid still reads by number and version, as a marker holds the paper.
    """

    title: str
    versions: tuple[str, ...]
    numbers: tuple[int, ...]
    rows: tuple[tuple[str, ...], ...]
    points: tuple[tuple[str, ...], ...]  # the same shape: each cell's points as printed (`1`, `6`)


def marking_grid(course: Course, quiz: Quiz) -> MarkingGrid:
    """The quiz's marking grid, walking its versions once (lazy versions stay lazy)."""
    labels: list[str] = []
    columns: list[tuple[str, ...]] = []
    points: list[tuple[str, ...]] = []
    for v in quiz.versions:
        labels.append(v.label)
        columns.append(tuple(grid_text(i, course) for i in v.items))
        points.append(tuple(f"{i.points:g}" for i in v.items))
    n = max((len(c) for c in columns), default=0)
    rows = tuple(tuple(c[r] if r < len(c) else "" for c in columns) for r in range(n))
    pts = tuple(tuple(c[r] if r < len(c) else "" for c in points) for r in range(n))
    return MarkingGrid(quiz.title, tuple(labels), tuple(range(1, n + 1)), rows, pts)

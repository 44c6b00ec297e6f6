"""The course file (`studygen.yaml`): what to build, and the course's own look and wording.

These types are the shared contract between the build pipeline and the
renderers (fields may be added with defaults, never renamed).  They do no
I/O: `studygen.sources.coursefile.load_course` reads and validates the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

from studygen.model import NO_SPAN, Question, Span

K = TypeVar("K")

# Every fixed word a handout prints comes from here, so a course can run in Korean or Russian
# by overriding `labels:` in studygen.yaml.
DEFAULT_LABELS: dict[str, str] = {
    "name": "Name",
    "student_id": "Student ID",
    "version": "Version",
    "quiz": "Quiz",
    "answer_key": "Answer key",
    "instructions": "Answer every question. For multiple-choice questions circle the letter of the one best answer; "
    "where a question says 'select all that apply', circle every correct letter.",
    "page_x_of_y": "Page {page} of {pages}",
    "points": "points",
    "point": "point",
    "total_points": "Total points",
    "select_all": "Select all that apply.",
    "true": "True",
    "false": "False",
    "explanation": "Explanation",
    "source": "Source passage",
    "background": "Background (not graded)",
    "accepted_answers": "Accepted answers",
    "guidance": "What a strong answer covers",
    "essay_key": "(graded by hand)",
    "match_instruction": "Write the letter of the matching answer next to each item.",
    "order_instruction": "Write the letters in the correct order.",
    "study_guide": "Study guide",
    "summary": "Summary",
    "key_facts": "Key facts",
    "timeline": "Timeline",
    # Dates (studygen.dates): day/month/year order, month names (12, space-separated), inferred parts.
    "date_day": "{day} {month} {year}",
    "date_month": "{month} {year}",
    "months": "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec.",
    "date_inferred": "[{part}]",
    "dates_legend": "Dates: [ ] marks a part the reading does not state, inferred from its context.",
    "argument_map": "Argument map",
    "stakeholders": "Stakeholders",
    "position": "Position",
    "interests": "Interests",
    "glossary": "Glossary",
    "key_quotes": "Key quotes",
    "discussion": "Discussion questions",
    "facilitator": "Facilitator guide",
    "contents": "Contents",
    "large_print": "Large print",
    "general": "General",
    "reading": "Reading",
    "thesis": "Thesis",
    "premises": "Premises",
    "premise": "Premise",
    "evidence": "Evidence",
    "counter_view": "Counter-view",
    "contingent": "Contingent",
    "recommendation": "Recommendation",
    "counters": "argues against",
    "quizzes": "Quizzes",
    "versions": "Versions",
    "self_test": "Self-test",
    "exports": "Exports",
    "manifest": "Manifest (keys for grading)",
    "responses_template": "Responses template (CSV)",
    "student_handout": "Student handout",
    "notes": "Notes",
    "your_answer": "Answer",
    "said_by": "as reported by",
    "figure_text": "The figure as text",
    "instructor": "Instructor",
    "term": "Term",
    "build": "build",
    # Fixed wording of the LMS and flashcard exports (Moodle, GIFT, QTI, Anki, CSV).
    "strong_answer": "A strong answer covers",
    "beyond_reading": "Background (beyond the reading)",
    "export_source": "Source",
    "order_position": "Position {n}",
    "feedback_correct": "Your answer is correct.",
    "feedback_partial": "Your answer is partially correct.",
    "feedback_incorrect": "Your answer is incorrect.",
    "true_or_false": "True or false?",
    "choose_from": "Choose from",
    "also_accepted": "Also accepted",
    # Answer sheets (`answer_sheets: true`) and the quiz's pointer to them.
    "answer_sheet": "Answer sheet",
    "sheet_instructions": "Use a dark pen or a soft pencil and fill each box completely. One-answer questions: fill "
    "one box; 'select all that apply': fill every correct box; matching and ordering: one box in each row. To change "
    "an answer, erase it completely or ask for a new sheet: a half-erased or unclear mark is checked by a person. "
    "Boxes marked ✎ are for the marker. Do not fold the sheet or write near the black corner squares.",
    "sheet_id_instructions": "Write your student ID in the top boxes, one digit per column, then fill the box of "
    "that digit below it.",
    "sheet_marker": "✎",
    "sheet_footer": "print at actual size (100%), not 'fit to page'",
    "sheet_note": "Mark your answers on the separate answer sheet, not on this paper.",
    "roster_sheets": "Answer sheets of the roster",
}

# Export targets a course may list under `exports:`: name -> "module:attribute" of its exporter,
# imported only when used (`studygen.targets.get_exporter`).  The course schema, the CLI help and
# the registry all read this one table.
EXPORTERS: dict[str, str] = {
    "json": "studygen.targets.jsonexport:JsonExporter",
    "moodle": "studygen.targets.moodle:MoodleExporter",
    "gift": "studygen.targets.gift:GiftExporter",
    "qti": "studygen.targets.qti:QtiExporter",
    "anki": "studygen.targets.anki:AnkiExporter",
    "csv": "studygen.targets.csvexport:CsvExporter",
}

# Labels that take placeholders, and the only ones they may use; every other label takes none.
LABEL_FIELDS: dict[str, frozenset[str]] = {
    "page_x_of_y": frozenset({"page", "pages"}),
    "order_position": frozenset({"n"}),
    "date_day": frozenset({"day", "month", "year"}),
    "date_month": frozenset({"month", "year"}),
    "date_inferred": frozenset({"part"}),
}


DRAW_MODES = ("same", "per_version")
# Versions' expected mean scores may differ by at most this many percentage points (per_version draws).
DEFAULT_TOLERANCE = 2.0


@dataclass(frozen=True)
class Pool:
    """One blueprint slot: `questions` drawn from the questions that pass every filter given.

    Within a filter any listed value matches; across filters all must hold.
    `ids` lists the questions explicitly (the other filters still apply).
    """

    questions: int
    name: str = ""
    ids: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    difficulty: tuple[int, ...] = ()
    bloom: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    banks: tuple[str, ...] = ()

    def describe(self, index: int) -> str:
        """How messages name the slot: `pools[1] "analysis"`."""
        return f"pools[{index}]" + (f" {self.name!r}" if self.name else "")


@dataclass(frozen=True)
class Blueprint:
    """How many questions to pick, and from what (empty filters mean 'any').

    Either the quota keys (one pool of `questions`, with `per_*` counts) or
    `pools` (slots, each its own filter and count).  `draw` says whether all
    versions share one draw (`same`, the default) or each version draws its own
    (`per_version`), balanced to within `tolerance` percentage points of
    expected mean score.
    """

    questions: int = 10
    per_type: dict[str, int] = field(default_factory=dict)
    topics: tuple[str, ...] = ()
    difficulty: tuple[int, ...] = ()
    bloom: tuple[str, ...] = ()
    per_topic: dict[str, int] = field(default_factory=dict)
    per_difficulty: dict[int, int] = field(default_factory=dict)
    per_bloom: dict[str, int] = field(default_factory=dict)
    pools: tuple[Pool, ...] = ()
    draw: str = "same"
    tolerance: float = DEFAULT_TOLERANCE

    def admits(self, q: Question) -> bool:
        """Whether the filters (topics, difficulty, bloom) let the quiz draw this question."""
        if self.topics and not set(q.topics) & set(self.topics):
            return False
        if self.difficulty and q.difficulty not in self.difficulty:
            return False
        return not (self.bloom and q.bloom not in self.bloom)


@dataclass(frozen=True)
class QuizSpec:
    id: str
    title: str
    versions: int = 2
    seed: int = 0
    blueprint: Blueprint = field(default_factory=Blueprint)
    formats: tuple[str, ...] = ("pdf", "html")
    large_print: bool = False
    answer_sheets: bool = False  # a scannable answer sheet per version (and per roster student)
    id_digits: int = 8  # length of the student-ID grid on blank answer sheets
    roster: tuple[tuple[str, str], ...] = ()  # (student_id, name): personalised sheets, in this order
    banks: tuple[str, ...] = ()  # bank ids or paths (relative to the course file) the quiz draws from
    # Where the quiz was written, for messages: the course file as shown, and (line, col) by key such as
    # "id", "banks", "blueprint", "blueprint.tolerance", "blueprint.pools.1".
    origin: str = field(default="", compare=False)
    marks: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def where(self, key: str) -> tuple[int, int]:
        """(line, col) of `key`, or of its nearest written parent; (1, 1) when nothing was recorded."""
        while key:
            if key in self.marks:
                return self.marks[key]
            key = key.rpartition(".")[0]
        return self.marks.get("id", (1, 1))

    span: Span = NO_SPAN  # where the quiz's id is written in the course file, for diagnostics


@dataclass(frozen=True)
class Course:
    root: Path
    title: str = "Course"
    instructor: str = ""
    institution: str = ""
    term: str = ""
    paper: str = "A4"  # "A4" or "Letter"
    logo: Path | None = None
    logo_data: bytes = b""  # read by the course loader: renderers never open files
    templates: Path | None = None
    hangul_font: Path | None = None
    language: str = "en"
    labels: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_LABELS))
    banks: tuple[Path, ...] = ()
    output: Path = Path("output")
    quizzes: tuple[QuizSpec, ...] = ()
    # Document kinds to build (names in `studygen.documents.DOCUMENTS`); None: the registry's defaults.
    documents: tuple[str, ...] | None = None
    exports: tuple[str, ...] = ()
    max_bank_size: int | None = None  # bytes a bank file may have; None: the loader's default (32 MiB)
    # How Moodle XML writes ordering questions: "ordering" (core qtype_ordering, Moodle 4.4+) or
    # "matching" (item -> position, for older Moodle without the ordering plugin).
    moodle_ordering: str = "ordering"

    def label(self, key: str, **values: object) -> str:
        text = self.labels.get(key, DEFAULT_LABELS.get(key, key))
        return text.format(**values) if values else text


def largest_remainder(shares: dict[K, Fraction], total: int) -> dict[K, int]:
    """Whole counts in proportion to `shares` (which sum to 1) that always add up to exactly `total`.

    Each key first gets the whole part of its share of `total`; the questions
    left over go one each to the largest remainders, ties to the key written
    first.  So `{a: 40%, b: 40%, c: 20%}` of 15 is 6, 6, 3, and of 12 is 5, 5, 2.
    """
    keys = list(shares)
    exact = [shares[k] * total for k in keys]
    counts = [int(e) for e in exact]  # shares are >= 0, so int() is the floor
    left = total - sum(counts)
    for i in sorted(range(len(keys)), key=lambda i: (counts[i] - exact[i], i))[:left]:
        counts[i] += 1
    return dict(zip(keys, counts, strict=True))

"""What a quiz version *is*, independent of how it was chosen or how it is drawn.

`studygen.select` produces these; the PDF/HTML renderers and the manifest
consume them (grading reads the manifest, never an `Item`).  Keeping them
format-free means the key can never disagree with the quiz: both are drawn
from the same `Item`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from studygen.model import Bank, Question, QuestionType
from studygen.text.letters import LETTERS


@dataclass(frozen=True, slots=True)
class Item:
    """One numbered question as shown in one version.

    - choice types and true/false: `choices` are the option texts in shown
      order (true/false shows "True", "False"); `correct` are their letters.
    - matching: `prompts` are the left-hand texts (numbered a, b, c...),
      `choices` the shuffled right-hand texts (incl. distractors);
      `correct[i]` is the letter matching `prompts[i]`.
    - ordering: `choices` are the items shuffled; `correct` the letters in
      the right order.
    - short answer: `correct` are the accepted answers.
    - fill-in-the-blank: `correct` has one entry per blank: its accepted
      answers joined with " | " (see `blanks` for the unjoined lists).
    - essay: `correct` is empty; graded by hand with `question.guidance`.
    """

    number: int
    question: Question
    bank_id: str
    choices: tuple[str, ...] = ()
    prompts: tuple[str, ...] = ()
    correct: tuple[str, ...] = ()
    blanks: tuple[tuple[str, ...], ...] = ()
    source_quotes: tuple[str, ...] = ()
    weight: float | None = None  # the blueprint's points for this type, over the question's own

    @property
    def type(self) -> QuestionType:
        return self.question.type

    @property
    def points(self) -> float:
        return self.question.points if self.weight is None else self.weight

    @property
    def key_text(self) -> str:
        """The compact key entry: `B`, `AC`, `a-C b-A`, `B D A C`, the first accepted answer, or "" for an essay."""
        t = self.question.type
        if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE):
            return "".join(self.correct)
        if t is QuestionType.MATCHING:
            return " ".join(f"{LETTERS[i].lower()}-{c}" for i, c in enumerate(self.correct))
        if t is QuestionType.ORDERING:
            return " ".join(self.correct)
        if t is QuestionType.SHORT_ANSWER:
            return self.correct[0] if self.correct else ""
        if t is QuestionType.FILL_BLANK:
            return "; ".join(f"({i + 1}) {b[0]}" for i, b in enumerate(self.blanks) if b)
        return ""  # graded by hand: renderers print the course's `essay_key` label

    def manifest_entry(self) -> dict[str, Any]:
        correct: Any = list(self.correct)
        if self.question.type is QuestionType.FILL_BLANK:
            correct = [list(b) for b in self.blanks]
        entry: dict[str, Any] = {
            "number": self.number,
            "question_id": self.question.id,
            "bank": self.bank_id,
            "type": self.question.type.value,
            "options": list(self.choices),
            "correct": correct,
            "points": self.points,
        }
        if self.prompts:
            entry["prompts"] = list(self.prompts)
        if self.question.case_sensitive and self.question.type is QuestionType.SHORT_ANSWER:
            entry["case_sensitive"] = True  # grading must not accept another case
        return entry


@dataclass(frozen=True, slots=True)
class Version:
    label: str
    items: tuple[Item, ...]

    @property
    def total_points(self) -> float:
        return sum(i.points for i in self.items)


@dataclass(frozen=True, slots=True)
class VersionBalance:
    """How hard one version is expected to be, and what it is made of."""

    label: str
    expected_mean: float  # expected mean score, percent of the version's points
    points: float
    bloom: tuple[tuple[str, int], ...]  # (level, count) in Bloom order, levels present only


@dataclass(frozen=True, slots=True)
class SlotExposure:
    """How often the questions of one pool were used across the versions (fewest, most)."""

    slot: str
    questions: int  # questions in the pool
    fewest: int
    most: int


@dataclass(frozen=True, slots=True)
class Balance:
    """The difficulty balance of versions that each drew their own questions (`draw: per_version`)."""

    tolerance: float  # percentage points
    versions: tuple[VersionBalance, ...]
    exposure: tuple[SlotExposure, ...]
    measured: int  # drawn questions whose expected score comes from a bank's measured statistics
    authored: int  # ... from the authored difficulty

    @property
    def spread(self) -> float:
        means = [v.expected_mean for v in self.versions]
        return max(means) - min(means) if means else 0.0

    def manifest_entry(self) -> dict[str, Any]:
        return {
            "draw": "per_version",
            "tolerance": self.tolerance,
            "spread": round(self.spread, 2),
            "basis": {"measured": self.measured, "authored": self.authored},
            "versions": [
                {
                    "label": v.label,
                    "expected_mean": round(v.expected_mean, 2),
                    "points": v.points,
                    "bloom": dict(v.bloom),
                }
                for v in self.versions
            ],
            "exposure": [
                {"pool": e.slot, "questions": e.questions, "fewest": e.fewest, "most": e.most} for e in self.exposure
            ],
        }


@dataclass(frozen=True, slots=True)
class StudentVersion:
    """Who answers which version, for `versions: per_student` (one version per roster student)."""

    student_id: str
    name: str
    version: str  # the version's label: A, B, ..., Z, AA, ... in roster order


@dataclass(frozen=True, slots=True)
class Quiz:
    """A quiz in all its versions, plus what it was made from (for the manifest).

    `versions` is any sequence: selection hands out a lazy one that makes each
    version when asked (10,000 versions are never all in memory at once).
    `fingerprint` is computed from the full content when not given; a part of
    a quiz (`replace(quiz, versions=quiz.versions[a:b])`) keeps the whole
    quiz's fingerprint, so every page of every version prints the same one.
    """

    id: str
    title: str
    seed: int
    versions: Sequence[Version]
    banks: tuple[Bank, ...]
    balance: Balance | None = None  # only when versions drew their own questions
    fingerprint: str = ""
    sections: tuple[QuestionType, ...] = ()  # the type order items are grouped in; () = not sectioned
    # `versions: per_student`: each roster student's version, in roster order (empty otherwise).
    students: tuple[StudentVersion, ...] = ()
    # version label -> its student, derived from `students` (one lookup per version, not a scan)
    _student_of: dict[str, StudentVersion] = dataclasses.field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_student_of", {s.version: s for s in self.students})
        if not self.fingerprint:
            fp = Fingerprint(self.id, self.title, self.seed)
            for v in self.versions:
                fp.add(v)
            if self.students:
                fp.add_students(self.students)
            object.__setattr__(self, "fingerprint", fp.hexdigest())

    def student_for(self, label: str) -> StudentVersion | None:
        """The roster student version `label` was made for (`versions: per_student`), else None."""
        return self._student_of.get(label)


def version_label_at(versions: Sequence[Version], index: int) -> str:
    """The label of `versions[index]`; a lazy sequence answers without making the version (`label_of`)."""
    label_of = getattr(versions, "label_of", None)
    return str(label_of(index)) if label_of is not None else versions[index].label


FINGERPRINT_CHARS = 10


def _content(value: Any) -> Any:
    """A JSON-able canonical form of model values (where a value was written is not in them: see `Bank.marks`)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _content(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_content(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _content(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    return value


class Fingerprint:
    """A short build fingerprint: a hash of everything a printed quiz and key show and grading uses.

    It covers the quiz id, title and seed, and per version (in order) every
    item's number, question (its full bank text: stem, options, answers,
    explanation, points, ...), shown order of choices and prompts, key and
    source passages.  Any change a student or grader could notice changes it,
    so a stack of paper can be matched to its manifest by eye.
    """

    def __init__(self, quiz_id: str, title: str, seed: int) -> None:
        self._hash = hashlib.blake2b(digest_size=FINGERPRINT_CHARS // 2)
        self._questions: dict[int, tuple[Question, str]] = {}
        self._feed(["studygen-quiz-1", quiz_id, title, seed])

    def _feed(self, value: Any) -> None:
        self._hash.update(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        self._hash.update(b"\n")

    def _question(self, q: Question) -> str:
        hit = self._questions.get(id(q))
        if hit is None or hit[0] is not q:
            text = json.dumps(_content(q), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            hit = (q, hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest())
            self._questions[id(q)] = hit
        return hit[1]

    def add(self, version: Version) -> None:
        items = [
            [
                i.number,
                i.bank_id,
                self._question(i.question),
                i.choices,
                i.prompts,
                i.correct,
                i.blanks,
                i.source_quotes,
                i.points,
            ]
            for i in version.items
        ]
        self._feed([version.label, items])

    def add_students(self, students: Sequence[StudentVersion]) -> None:
        """Who answers which version: grading a per-student quiz uses it, so a reordered roster changes it.

        Names are left out: correcting a spelling on the roster changes no key.
        """
        self._feed(["students", [[s.student_id, s.version] for s in students]])

    def hexdigest(self) -> str:
        return self._hash.hexdigest()

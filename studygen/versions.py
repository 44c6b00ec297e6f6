"""What a quiz version *is*, independent of how it was chosen or how it is drawn.

`studygen.select` produces these; the PDF/HTML renderers and the manifest
consume them (grading reads the manifest, never an `Item`).  Keeping them
format-free means the key can never disagree with the quiz: both are drawn
from the same `Item`.
"""

from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def type(self) -> QuestionType:
        return self.question.type

    @property
    def points(self) -> float:
        return self.question.points

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
class Quiz:
    """A quiz in all its versions, plus what it was made from (for the manifest)."""

    id: str
    title: str
    seed: int
    versions: tuple[Version, ...]
    banks: tuple[Bank, ...]
    balance: Balance | None = None  # only when versions drew their own questions

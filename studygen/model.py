"""The validated domain model: frozen, I/O-free types every later stage reads.

Everything downstream (selection, renderers, exporters, grading) works on these
types only, so a renderer can never see a half-validated bank.  The model
imports nothing else from the package; `studygen.sources.schema` builds it from raw
YAML data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from studygen.dates import chronological


class QuestionType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_RESPONSE = "multiple_response"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    MATCHING = "matching"
    ORDERING = "ordering"
    FILL_BLANK = "fill_blank"
    ESSAY = "essay"


BLOOM_LEVELS: tuple[str, ...] = ("remember", "understand", "apply", "analyze", "evaluate", "create")
# Every id a bank or course file names (facts, questions, topics, banks, quizzes): safe in file names,
# URLs and LMS identifiers.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
# Types whose bank entry lists `options` (one or several of them correct).
CHOICE_TYPES = frozenset({QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE})
# Types a student answers by marking lettered choices (true/false shows True and False as A and B):
# drawn as lettered options, keyed by letters, analysed option by option.
CHOICE_LIKE_TYPES = CHOICE_TYPES | {QuestionType.TRUE_FALSE}


@dataclass(frozen=True, slots=True)
class Span:
    """Where a value was written, so diagnostics and editors can point at it."""

    path: str
    line: int
    col: int


NO_SPAN = Span("", 0, 0)


@dataclass(frozen=True, slots=True)
class Reading:
    title: str
    author: str
    publication: str
    date: str
    text_path: str
    text: str
    author_affiliation: str = ""
    url: str = ""
    subtitle: str = ""  # the standfirst under the headline, as printed
    display_title: str = ""  # the headline exactly as printed (e.g. with a "[Column]" tag)


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    statement: str
    quotes: tuple[str, ...]
    date: str = ""
    date_text: str = ""
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Argument:
    id: str
    claim: str
    holder: str
    role: str
    quotes: tuple[str, ...]
    supported_by: tuple[str, ...] = ()
    counters: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Stakeholder:
    id: str
    name: str
    position: str
    interests: tuple[str, ...]
    refs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Option:
    text: str
    correct: bool
    pinned: bool = False
    feedback: str = ""


@dataclass(frozen=True, slots=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class Blank:
    accepted: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Question:
    """One authored question.  Only the answer fields of its `type` are filled.

    A single class (rather than one per type) keeps JSON export a plain field
    walk and lets every consumer branch on `type` in one place per format
    (today an `if`/`elif` ladder in each exporter and renderer).
    """

    id: str
    type: QuestionType
    stem: str
    explanation: str
    refs: tuple[str, ...]
    topics: tuple[str, ...]
    difficulty: int
    bloom: str
    points: float = 1.0
    options: tuple[Option, ...] = ()
    answer: bool | None = None
    accepted: tuple[str, ...] = ()
    case_sensitive: bool = False
    pairs: tuple[Pair, ...] = ()
    distractors: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    text: str = ""
    blanks: tuple[Blank, ...] = ()
    guidance: str = ""
    background: str = ""
    tags: tuple[str, ...] = ()  # free labels a blueprint pool can select by (e.g. week-3, map-reading)
    excludes: tuple[str, ...] = ()  # ids of alternatives: never drawn into one version with this question

    @property
    def correct_indexes(self) -> tuple[int, ...]:
        return tuple(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    prompt: str
    guidance: str
    refs: tuple[str, ...]
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    term: str
    definition: str
    refs: tuple[str, ...] = ()
    background: bool = False


@dataclass(frozen=True, slots=True)
class MeasuredStats:
    """A question's statistics measured by grading real classes (pooled over every recorded run)."""

    n: int
    difficulty: float
    discrimination: float | None
    date: str


@dataclass(frozen=True, slots=True)
class Bank:
    id: str
    title: str
    path: str
    reading: Reading
    summary: str = ""
    summary_refs: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()
    facts: tuple[Fact, ...] = ()
    arguments: tuple[Argument, ...] = ()
    stakeholders: tuple[Stakeholder, ...] = ()
    questions: tuple[Question, ...] = ()
    prompts: tuple[Prompt, ...] = ()
    glossary: tuple[Term, ...] = ()
    # Line and column of each value in the bank file, by path (the loader finds them when first asked).
    marks: Mapping[tuple[str | int, ...], tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)
    stats: dict[str, MeasuredStats] = field(default_factory=dict, compare=False, repr=False)
    _index: dict[str, Fact | Argument] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, Fact | Argument] = {f.id: f for f in self.facts}
        index.update({a.id: a for a in self.arguments})
        object.__setattr__(self, "_index", index)

    def where(self, *key: str | int) -> tuple[int, int]:
        """Line and column (1-based) of a value in the bank file, or of its nearest parent."""
        k = tuple(key)
        while k and k not in self.marks:
            k = k[:-1]
        return self.marks.get(k, (1, 1))

    def source(self, ref: str) -> Fact | Argument | None:
        """The fact or argument an id refers to, or None if it is dangling."""
        return self._index.get(ref)

    def quotes_for(self, refs: tuple[str, ...]) -> tuple[str, ...]:
        """The verbatim passages behind a list of refs, in ref order, without repeats."""
        seen: dict[str, None] = {}
        for ref in refs:
            item = self._index.get(ref)
            if item is not None:
                for q in item.quotes:
                    seen.setdefault(q, None)
        return tuple(seen)

    def topic_label(self, topic_id: str) -> str:
        for t in self.topics:
            if t.id == topic_id:
                return t.label
        return topic_id.replace("-", " ").replace("_", " ").capitalize()

    def timeline(self) -> tuple[Fact, ...]:
        """Dated facts in time order, each placed by what is known of its date (see `dates.chronological`)."""
        return chronological(self.facts)

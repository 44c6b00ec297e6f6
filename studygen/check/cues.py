"""Surface cues: what a test-wise student who never opened the reading can still use to score.

Item-writing research (Haladyna, Downing & Rodriguez, 2002) lists the cues that
let students pick the key without knowing the content: the longest option, the
option repeating the stem's words, the option the others converge on, absolute
words in distractors, grammatical mismatch between stem and options, keys that
are mostly "false", a correct-option count that is always the same.

This module is pure (no I/O, no printing): it measures those features on the
validated model, runs the exact tests behind the `cue-*` rules of `studygen
check`, and computes the cue report (`studygen check --cues`) so that every
consumer, including a live preview, shows the same figures.

Scoring is all-or-nothing, as `studygen grade` scores by default: a
multiple-response item earns its points only when exactly the correct options
are marked.  Chance is the expected score of a student guessing uniformly:
1/n for a single-choice item with n options, 1/2 for true/false, and one of the
2**n - 1 non-empty selections for a multiple-response item.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from studygen.course import Blueprint, QuizSpec
from studygen.inline import plain
from studygen.model import CHOICE_TYPES, Bank, Question, QuestionType

OBJECTIVE_TYPES = frozenset(
    {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE},
)

# The rules' thresholds: a skew is reported only if chance alone would produce it less than
# ALPHA of the time AND it is large enough to matter (MIN_EXCESS above the chance rate).
ALPHA = 0.05
MIN_EXCESS = 0.10
# The cue report calls a strategy a problem when it beats chance by more than this many percentage points.
REPORT_MARGIN = 10.0

# Specific determiners (Haladyna et al. 2002, guideline 28: "avoid specific determiners").
ABSOLUTE_WORDS = frozenset(
    {
        "always",
        "never",
        "all",
        "none",
        "only",
        "every",
        "everyone",
        "everybody",
        "everything",
        "nobody",
        "nothing",
        "entirely",
        "completely",
        "totally",
        "solely",
        "wholly",
        "absolutely",
        "invariably",
        "unconditional",
        "unconditionally",
    }
)

# English function words (and the words every stem uses to point at the reading): repeating them is no cue.
_STOPWORDS_TEXT = """a an the and or nor but if then than so as of to in on at by for from with without into onto
    over under about after before between during through against among upon via per is are was were be been being
    am do does
    did done have has had having will would shall should can could may might must not no yes this that these those
    it its it's they them their theirs he him his she her hers we us our you your i me my who whom whose which what
    when where why how there here also very more most less least much many some any each other another such own same
    just too both either neither one two three four five s t according column author reading says said say yet still
    already even now ever again well often"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_DATE_MDY = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2}),?(?:\s+(\d{4}))?\b")
_DATE_DMY = re.compile(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?(?:,?\s+(\d{4}))?\b")
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_LIST_MARK = re.compile(r",|;|&|\band\b|\bas well as\b|\bplus\b", re.I)
_WHICH_N = re.compile(r"\b(?:which|what|name|identify|select|choose)\s+(two|three|four|five|2|3|4|5)\b", re.I)
_ARTICLE_END = re.compile(r"\b(an?)\s*(?:_+|…|\.\.\.)?\s*[:?]?\s*$", re.I)
# Word beginnings whose sound contradicts their first letter (a university, an hour).
_VOWEL_LETTER_CONSONANT_SOUND = ("uni", "use", "usu", "uti", "ura", "ure", "euro", "eu", "ewe", "one", "once", "uk")
_CONSONANT_LETTER_VOWEL_SOUND = ("hour", "honest", "honor", "honour", "heir")


@lru_cache(maxsize=65536)
def text_of(text: str) -> str:
    """What a student sees: bank text without **bold**/*italic* markers, trimmed."""
    return (plain(text) if "*" in text else text).strip()


def stem_text(q: Question) -> str:
    return text_of(q.stem + (" " + q.text if q.text else ""))


@lru_cache(maxsize=65536)
def all_words(text: str) -> frozenset[str]:
    """The words of a text, casefolded; a plural -s is dropped ('sanctions' and 'sanction' are one cue to a reader)."""
    return frozenset(
        w[:-1] if len(w) > 4 and w[-1] == "s" and w[-2] != "s" else w for w in _WORD.findall(text_of(text).casefold())
    )


@lru_cache(maxsize=65536)
def content_words(text: str) -> frozenset[str]:
    """Words that carry content: what a test-wise student matches between stem and options."""
    return frozenset(w for w in all_words(text) - STOPWORDS if len(w) > 1 or not w.isalpha())


# Just the absolute words, each a whole run of word characters, in one regex pass: the same words as
# listing every word of the text and keeping those in ABSOLUTE_WORDS, without the list (it runs on
# every option of a bank).
_ABSOLUTE = re.compile(r"(?<!\w)(?:" + "|".join(sorted(ABSOLUTE_WORDS, key=lambda w: (-len(w), w))) + r")(?!\w)")


def absolute_words(text: str) -> list[str]:
    return sorted(set(_ABSOLUTE.findall(text_of(text).casefold())))


def is_all_none(text: str) -> bool:
    """'All of the above' / 'None of these': judged by their own rule, never an absolute-word cue."""
    return re.match(r"^\s*(all|none|both|neither)\s+(of\s+)?(the\s+)?(above|these|of these)\b", text, re.I) is not None


# --- per-option features --------------------------------------------------------------------------------------


def lengths(q: Question) -> list[int]:
    return [len(text_of(o.text)) for o in q.options]


@lru_cache(maxsize=65536)
def distinctive_words(text: str) -> frozenset[str]:
    """Content words of three characters or more: a shared '1' or 'UN' is too common to point at a key."""
    return frozenset(w for w in content_words(text) if len(w) >= 3)


def stem_overlap(q: Question) -> list[int]:
    """For each option, how many distinctive stem words it repeats."""
    stem = distinctive_words(stem_text(q))
    return [len(distinctive_words(o.text) & stem) for o in q.options]


def convergence(q: Question) -> list[int]:
    """For each option, how many (word, other option) pairs it shares: the key is often where the others meet."""
    sets = [content_words(o.text) for o in q.options]
    options_with = Counter(w for s in sets for w in s)
    return [sum(options_with[w] - 1 for w in s) for s in sets]


def absolutes(q: Question) -> list[bool]:
    return [bool(absolute_words(o.text)) and not is_all_none(o.text) for o in q.options]


def unique_max(values: Sequence[float]) -> int | None:
    """Index of the one strictly largest value, or None when the largest is shared."""
    if not values:
        return None
    top = max(values)
    at = [i for i, v in enumerate(values) if v == top]
    return at[0] if len(at) == 1 else None


def _vowel_sound(word: str) -> bool | None:
    """Whether 'an' (True) or 'a' (False) goes before the word; None when the letters cannot tell."""
    w = word.casefold()
    if not w or not w[0].isalpha() or not w.isascii():
        return None
    if len(word) > 1 and word.isupper():
        return None  # an acronym is read letter by letter ("an FBI", "a UN"): too unsure to judge
    if w.startswith(_CONSONANT_LETTER_VOWEL_SOUND):
        return True
    if w.startswith(_VOWEL_LETTER_CONSONANT_SOUND):
        return False
    return w[0] in "aeiou"


def grammar_mismatches(q: Question) -> tuple[str, list[int]]:
    """The grammatical cue of an item: (what the stem asks for, options that do not fit it).

    Two mismatches can be told reliably from the words alone: a stem ending in
    'a'/'an' before an option that needs the other article, and a single-choice
    stem asking for 'which two/three ...' things before an option that names one
    thing.  Options are only reported when at least one other option does fit,
    so a stem that fits none of its options is left to a person.
    """
    stem = stem_text(q)
    fits: list[bool | None] = []
    what = ""
    m = _ARTICLE_END.search(stem)
    if m:
        article = m.group(1).casefold()
        what = f"the stem ends with {m.group(1)!r}"
        for o in q.options:
            first = _WORD.findall(text_of(o.text).lstrip("\"'“‘("))
            sound = _vowel_sound(first[0]) if first else None
            fits.append(None if sound is None else sound == (article == "an"))
    else:
        m = _WHICH_N.search(stem)
        if not m or q.type is not QuestionType.SINGLE_CHOICE:
            return "", []
        what = f"the stem asks for {m.group(1)} things"
        fits = [_LIST_MARK.search(text_of(o.text)) is not None for o in q.options]
    if True not in fits:
        return what, []
    return what, [i for i, f in enumerate(fits) if f is False]


def supersets(q: Question) -> list[tuple[int, int]]:
    """(i, j) pairs where option i repeats every word of option j and adds more."""
    sets = [all_words(o.text) for o in q.options]
    out = []
    for i, a in enumerate(sets):
        for j, b in enumerate(sets):
            if i != j and b < a and content_words(q.options[j].text) and not is_all_none(q.options[i].text):
                out.append((i, j))
    return out


def _date_key(text: str) -> tuple[int, int, int] | None:
    t = text_of(text)
    m = _DATE_ISO.search(t)
    if m:
        return int(m.group(1)), int(m.group(2)), int(m.group(3))
    m = _DATE_MDY.search(t)
    if m and m.group(1).casefold() in _MONTHS:
        return int(m.group(3) or 0), _MONTHS[m.group(1).casefold()], int(m.group(2))
    m = _DATE_DMY.search(t)
    if m and m.group(2).casefold() in _MONTHS:
        return int(m.group(3) or 0), _MONTHS[m.group(2).casefold()], int(m.group(1))
    return None


def numeric_order(q: Question) -> list[int] | None:
    """Option indexes from smallest to largest value, when every option is a distinct number or date."""
    if q.type is not QuestionType.SINGLE_CHOICE or len(q.options) < 3:
        return None
    dates = [_date_key(o.text) for o in q.options]
    keys: list[tuple[float, ...]]
    if all(d is not None for d in dates):
        keys = [tuple(float(x) for x in d) for d in dates if d is not None]
    else:
        nums = [_NUMBER.search(text_of(o.text)) for o in q.options]
        if not all(nums):
            return None
        keys = [(float(n.group().replace(",", "")),) for n in nums if n]
    if len(set(keys)) != len(keys):
        return None
    return sorted(range(len(keys)), key=lambda i: keys[i])


# --- chance and strategies ------------------------------------------------------------------------------------


def chance(q: Question) -> float:
    """Expected credit (0..1) of a uniform random guess."""
    if q.type is QuestionType.TRUE_FALSE:
        return 0.5
    n = len(q.options)
    if q.type is QuestionType.SINGLE_CHOICE:
        return 1 / n if n else 0.0
    return 1 / (2**n - 1) if n else 0.0


def _top_k_credit(q: Question, prefer: Sequence[float], k: int) -> float:
    """Credit of marking the k most preferred options, drawing at random among ties at the cut."""
    n = len(prefer)
    correct = set(q.correct_indexes)
    if not 1 <= k <= n or len(correct) != k:
        return 0.0
    ranked = sorted(set(prefer), reverse=True)
    above: set[int] = set()
    for value in ranked:
        tied = {i for i, v in enumerate(prefer) if v == value}
        if len(above) + len(tied) <= k:
            above |= tied
            if len(above) == k:
                return 1.0 if above == correct else 0.0
            continue
        need = k - len(above)
        if not above <= correct or not correct - above <= tied:
            return 0.0
        return 1 / math.comb(len(tied), need)
    return 1.0 if above == correct else 0.0


def _by_preference(q: Question, prefer: Sequence[float], facts: ScopeFacts) -> float:
    """Credit of a student who follows one per-option preference and guesses among ties.

    Single choice: pick the most preferred option (uniformly among ties).
    Multiple response: mark the k most preferred options, where k is the
    number of correct options the scope usually has (a test-wise student
    learns it); with no usual count, mark those preferred above the average.
    Where the preference cannot tell the options apart, the student guesses.
    """
    correct = set(q.correct_indexes)
    if q.type is QuestionType.SINGLE_CHOICE:
        top = max(prefer)
        best = [i for i, v in enumerate(prefer) if v == top]
        return sum(1 for i in best if i in correct) / len(best)
    if len(set(prefer)) == 1:
        return chance(q)  # the preference tells these options apart not at all
    if facts.usual_counts:
        return math.fsum(_top_k_credit(q, prefer, k) for k in facts.usual_counts) / len(facts.usual_counts)
    mean = sum(prefer) / len(prefer)
    marked = {i for i, v in enumerate(prefer) if v > mean}
    if not marked:
        return chance(q)
    return 1.0 if marked == correct else 0.0


@dataclass(frozen=True)
class ScopeFacts:
    """What a test-wise student has learnt from the other items of a bank or quiz (e.g. their usual count).

    It is learnt from the *other* items only (leave one out): an item's own key
    is exactly what the student does not know.
    """

    usual_counts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Strategy:
    id: str
    label: str
    description: str
    types: frozenset[QuestionType]
    credit: Callable[[Question, ScopeFacts], float]


def _choice(pref: Callable[[Question], Sequence[float]]) -> Callable[[Question, ScopeFacts], float]:
    def credit(q: Question, facts: ScopeFacts) -> float:
        if q.type not in CHOICE_TYPES or not q.options:
            return chance(q)
        return _by_preference(q, pref(q), facts)

    return credit


def _always(answer: bool) -> Callable[[Question, ScopeFacts], float]:
    def credit(q: Question, facts: ScopeFacts) -> float:
        if q.type is not QuestionType.TRUE_FALSE:
            return chance(q)
        return 1.0 if q.answer is answer else 0.0

    return credit


def _avoid_absolutes(q: Question, facts: ScopeFacts) -> float:
    if q.type is QuestionType.TRUE_FALSE:
        if absolute_words(stem_text(q)):
            return 1.0 if q.answer is False else 0.0
        return chance(q)
    if q.type not in CHOICE_TYPES or not q.options:
        return chance(q)
    return _by_preference(q, [0.0 if a else 1.0 for a in absolutes(q)], facts)


def _grammar(q: Question, facts: ScopeFacts) -> float:
    if q.type not in CHOICE_TYPES or not q.options:
        return chance(q)
    _, bad = grammar_mismatches(q)
    return _by_preference(q, [0.0 if i in bad else 1.0 for i in range(len(q.options))], facts)


def _middle(q: Question, facts: ScopeFacts) -> float:
    order = numeric_order(q)
    if order is None:
        return chance(q)
    n = len(order)
    middle = [order[n // 2]] if n % 2 else [order[n // 2 - 1], order[n // 2]]
    return sum(1 for i in middle if q.options[i].correct) / len(middle)


def _usual_count(q: Question, facts: ScopeFacts) -> float:
    if q.type is not QuestionType.MULTIPLE_RESPONSE or not facts.usual_counts or not q.options:
        return chance(q)
    zeros = [0.0] * len(q.options)
    return math.fsum(_top_k_credit(q, zeros, k) for k in facts.usual_counts) / len(facts.usual_counts)


_SC, _MR, _TF = QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE
_CHOICE = frozenset({_SC, _MR})


STRATEGIES: tuple[Strategy, ...] = (
    Strategy(
        "longest",
        "pick the longest option",
        "Single choice: the longest option. Multiple response: the longest options, as many as the other "
        "multiple-response items usually have correct.",
        _CHOICE,
        _choice(lengths),
    ),
    Strategy(
        "stem-words",
        "pick the option repeating the stem's words",
        "The option(s) repeating the most distinctive (non-function) words of the stem.",
        _CHOICE,
        _choice(stem_overlap),
    ),
    Strategy(
        "convergence",
        "pick the option the others converge on",
        "The option(s) sharing the most words with the other options.",
        _CHOICE,
        _choice(convergence),
    ),
    Strategy(
        "no-absolutes",
        "avoid absolute words",
        "Avoid options with always/never/all/none/only...; answer 'false' to a statement that has one.",
        frozenset({_SC, _MR, _TF}),
        _avoid_absolutes,
    ),
    Strategy(
        "grammar",
        "drop options that do not fit the stem's grammar",
        "Avoid options that do not follow the stem's 'a'/'an' or its 'which two ...'.",
        _CHOICE,
        _grammar,
    ),
    Strategy(
        "middle-value",
        "pick the middle value",
        "When every option is a number or a date, the middle one (of the two middle ones, either).",
        frozenset({_SC}),
        _middle,
    ),
    Strategy("always-true", "answer 'true'", "Every true/false item answered 'true'.", frozenset({_TF}), _always(True)),
    Strategy(
        "always-false", "answer 'false'", "Every true/false item answered 'false'.", frozenset({_TF}), _always(False)
    ),
    Strategy(
        "usual-count",
        "mark the usual number of options",
        "Multiple response: mark, at random, as many options as are most often correct in the other "
        "multiple-response items of the bank or quiz (never learnt from the item's own key).",
        frozenset({_MR}),
        _usual_count,
    ),
)


def _count_weights(questions: Iterable[tuple[Question, float]]) -> dict[int, float]:
    counts: defaultdict[int, float] = defaultdict(float)
    for q, weight in questions:
        if q.type is QuestionType.MULTIPLE_RESPONSE and q.options:
            counts[len(q.correct_indexes)] += weight
    return dict(counts)


def _modes(counts: dict[int, float]) -> tuple[int, ...]:
    live = {k: v for k, v in counts.items() if v > 1e-9}
    if not live:
        return ()
    top = max(live.values())
    return tuple(sorted(k for k, v in live.items() if v > top - 1e-9))


def usual_counts(questions: Iterable[tuple[Question, float]]) -> tuple[int, ...]:
    """The most common number of correct options among multiple-response items (all, if tied)."""
    return _modes(_count_weights(questions))


def facts_for(q: Question, weight: float, counts: dict[int, float]) -> ScopeFacts:
    """What the student knows when answering q: the usual count of the scope's other multiple-response items."""
    if q.type is not QuestionType.MULTIPLE_RESPONSE:
        return ScopeFacts()
    others = dict(counts)
    others[len(q.correct_indexes)] = others.get(len(q.correct_indexes), 0.0) - weight
    return ScopeFacts(_modes(others))


# --- the cue report -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """Expected points of a strategy and of random guessing on a set of items."""

    items: float  # items (expected items asked, for a quiz)
    points: float
    chance: float
    max_points: float

    @property
    def percent(self) -> float:
        return 100 * self.points / self.max_points if self.max_points else 0.0

    @property
    def chance_percent(self) -> float:
        return 100 * self.chance / self.max_points if self.max_points else 0.0

    @property
    def gain(self) -> float:
        return self.points - self.chance

    @property
    def gain_percent(self) -> float:
        """The gain in percentage points of the maximum score."""
        return self.percent - self.chance_percent


@dataclass(frozen=True)
class Score:
    """A strategy's expected score, on the items it can be used on and on all objective items."""

    strategy: Strategy
    own: Tally  # the item types the strategy is for (e.g. true/false for 'always false')
    overall: Tally  # every objective item; elsewhere the strategy guesses at random
    differs: float  # items on which the strategy does better or worse than guessing


@dataclass(frozen=True)
class CueReport:
    """The cue report for one scope: a bank's objective items, or what one configured quiz can draw."""

    kind: str  # "bank" or "quiz"
    id: str
    title: str
    path: str
    line: int
    col: int
    by_type: dict[str, float]  # objective items per type (expected per quiz, for a quiz)
    overall: Tally  # random guessing on every objective item
    scores: tuple[Score, ...]

    def problems(self, margin: float = REPORT_MARGIN) -> list[Score]:
        """Strategies that beat chance by more than `margin` percentage points on their own items."""
        return [s for s in self.scores if s.own.items and s.own.gain_percent > margin + 1e-9]


def _tally(rows: Sequence[tuple[Question, float, float]]) -> Tally:
    """rows: (question, weight, credit)."""
    return Tally(
        math.fsum(w for _, w, _ in rows),
        math.fsum(c * q.points * w for q, w, c in rows),
        math.fsum(chance(q) * q.points * w for q, w, _ in rows),
        math.fsum(q.points * w for q, w, _ in rows),
    )


def cue_report(
    kind: str,
    ident: str,
    title: str,
    where: tuple[str, int, int],
    questions: Sequence[tuple[Question, float]],
) -> CueReport:
    """Score every strategy on weighted questions (weight: expected number of times the item is asked).

    A bank weighs every item 1; a quiz weighs each item by its chance of being
    drawn, so the figures are the expected score on one drawn quiz.  Items
    that are not objective (short answer, essay, ...) are left out.
    """
    items = [(q, w) for q, w in questions if q.type in OBJECTIVE_TYPES and w > 0]
    counts = _count_weights(items)
    known = [facts_for(q, w, counts) for q, w in items]
    by_type: defaultdict[str, float] = defaultdict(float)
    for q, w in items:
        by_type[q.type.value] += w
    scores = []
    for s in STRATEGIES:
        rows = [(q, w, s.credit(q, facts)) for (q, w), facts in zip(items, known, strict=True)]
        differs = math.fsum(w for q, w, c in rows if abs(c - chance(q)) > 1e-12)
        own = [r for r in rows if r[0].type in s.types]
        scores.append(Score(s, _tally(own), _tally(rows), differs))
    overall = _tally([(q, w, chance(q)) for q, w in items])
    return CueReport(
        kind, ident, title, where[0], where[1], where[2], dict(sorted(by_type.items())), overall, tuple(scores)
    )


# --- exact tests behind the aggregate rules -------------------------------------------------------------------


# Probabilities below this share of the largest are dropped from a distribution: far below any p-value that matters,
# and it keeps a 10,000-question bank's tail a short convolution instead of a quadratic one.
_NEGLIGIBLE_LOG = -92.0  # e**-92 ~ 1e-40


def _binomial_pmf(n: int, p: float) -> tuple[list[float], int]:
    """Binomial(n, p) probabilities from their log (no overflow for large n), trimmed: (values, first count)."""
    if p <= 0.0:
        return [1.0], 0
    if p >= 1.0:
        return [1.0], n
    lp, lq, lf = math.log(p), math.log1p(-p), math.lgamma(n + 1)
    logs = [lf - math.lgamma(j + 1) - math.lgamma(n - j + 1) + j * lp + (n - j) * lq for j in range(n + 1)]
    top = max(logs)
    keep = [j for j, v in enumerate(logs) if v - top >= _NEGLIGIBLE_LOG]
    lo, hi = keep[0], keep[-1]
    return [math.exp(v) for v in logs[lo : hi + 1]], lo


def _convolve(a: list[float], a_lo: int, b: list[float], b_lo: int) -> tuple[list[float], int]:
    out = [0.0] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        if x:
            for j, y in enumerate(b):
                out[i + j] += x * y
    top = max(out)
    lo = next(i for i, v in enumerate(out) if v and math.log(v / top) >= _NEGLIGIBLE_LOG)
    hi = max(i for i, v in enumerate(out) if v and math.log(v / top) >= _NEGLIGIBLE_LOG)
    return out[lo : hi + 1], a_lo + b_lo + lo


def poisson_binomial_sf(ps: Sequence[float], k: int) -> float:
    """P(X >= k) where X counts successes of independent trials with probabilities `ps`.

    The exact distribution: trials with the same probability form a binomial,
    and the binomials are convolved.  With equal probabilities this is the
    one-sided exact binomial test; items with different option counts have
    different chance rates, which is why the general form is used.
    """
    if k <= 0:
        return 1.0
    dist, lo = [1.0], 0
    for p, n in sorted(Counter(ps).items()):
        pmf, p_lo = _binomial_pmf(n, p)
        dist, lo = _convolve(dist, lo, pmf, p_lo)
    start = k - lo
    if start <= 0:
        return 1.0
    return min(1.0, max(0.0, math.fsum(dist[start:])))


def binomial_sf(n: int, k: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), summed exactly term by term (the reference the tests compare with)."""
    if k <= 0:
        return 1.0
    return min(1.0, math.fsum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1)))


@dataclass(frozen=True)
class Skew:
    """A count of 'hits' (e.g. keys that are the longest option) set against what chance would give."""

    hits: int
    n: int
    chances: tuple[float, ...]  # each hit's chance probability
    tests: int = 1  # > 1 corrects for a side or value picked after looking

    @property
    def expected(self) -> float:
        """Hits expected by chance."""
        return math.fsum(self.chances)

    @cached_property
    def p_value(self) -> float:
        """One-sided exact p: the chance of at least this many hits, times `tests` (at most 1)."""
        return min(1.0, poisson_binomial_sf(self.chances, self.hits) * self.tests) if self.hits else 1.0

    @property
    def share(self) -> float:
        return self.hits / self.n if self.n else 0.0

    @property
    def chance_share(self) -> float:
        return self.expected / self.n if self.n else 0.0

    @property
    def flagged(self) -> bool:
        # the effect first: the exact tail is only computed when the skew is large enough to matter
        return self.n > 0 and self.share - self.chance_share >= MIN_EXCESS - 1e-12 and self.p_value < ALPHA

    def describe(self) -> str:
        return (
            f"{self.hits} of {self.n} ({100 * self.share:.0f}%; chance {100 * self.chance_share:.0f}%, "
            f"exact {_p(self.p_value)})"
        )


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def skew(hits: Sequence[bool], chances: Sequence[float], tests: int = 1) -> Skew:
    """One-sided exact test of 'more hits than chance'; `tests` > 1 corrects for a side or value picked afterwards."""
    return Skew(sum(hits), len(hits), tuple(chances), tests)


def longest_key_skew(questions: Sequence[Question]) -> Skew:
    """Single choice: the key is the one longest option (chance 1/n).
    Multiple response: the one longest option is correct (chance: the share of correct options)."""
    hits, chances = [], []
    for q in questions:
        n = len(q.options)
        if n < 2 or not q.correct_indexes:
            continue
        top = unique_max(lengths(q))
        hits.append(top is not None and q.options[top].correct)
        chances.append(1 / n if q.type is QuestionType.SINGLE_CHOICE else len(q.correct_indexes) / n)
    return skew(hits, chances)


def convergence_skew(questions: Sequence[Question]) -> Skew:
    """Single choice: the key is the one option sharing most words with the others (chance 1/n)."""
    hits, chances = [], []
    for q in questions:
        if q.type is not QuestionType.SINGLE_CHOICE or len(q.options) < 3 or len(q.correct_indexes) != 1:
            continue
        score = convergence(q)
        top = unique_max(score)
        hits.append(top is not None and score[top] > 0 and q.options[top].correct)
        chances.append(1 / len(q.options))
    return skew(hits, chances)


def true_false_skew(questions: Sequence[Question]) -> tuple[bool, Skew]:
    """(majority answer, its skew): the side is picked after looking, so the p-value is doubled."""
    answers = [q.answer for q in questions if q.type is QuestionType.TRUE_FALSE and q.answer is not None]
    trues = sum(1 for a in answers if a)
    majority = trues * 2 > len(answers)
    hits = [a is majority for a in answers]
    return majority, skew(hits, [0.5] * len(hits), tests=2)


def absolute_false_skew(questions: Sequence[Question]) -> Skew:
    """True/false statements with an absolute word: how many are false (one-sided: the cue's direction is known)."""
    hits = [
        q.answer is False
        for q in questions
        if q.type is QuestionType.TRUE_FALSE and q.answer is not None and absolute_words(stem_text(q))
    ]
    return skew(hits, [0.5] * len(hits))


def correct_count_skew(questions: Sequence[Question]) -> tuple[int, int, Skew]:
    """(usual count, options, skew): how many multiple-response items have the most common number of correct options.

    Chance: an item with n options has 1..n-1 correct options with equal
    probability.  The count is picked after looking, so the p-value is
    multiplied by the number of counts that could have been picked.
    """
    items = [
        q for q in questions if q.type is QuestionType.MULTIPLE_RESPONSE and len(q.options) >= 3 and q.correct_indexes
    ]
    if not items:
        return 0, 0, Skew(0, 0, ())
    counts = Counter(len(q.correct_indexes) for q in items)
    k = max(sorted(counts), key=lambda c: counts[c])
    hits = [len(q.correct_indexes) == k for q in items]
    chances = [1 / (len(q.options) - 1) if 1 <= k <= len(q.options) - 1 else 0.0 for q in items]
    candidates = max(len(q.options) for q in items) - 1
    sizes = Counter(len(q.options) for q in items)
    return k, sizes.most_common(1)[0][0], skew(hits, chances, tests=candidates)


# --- what a configured quiz can draw --------------------------------------------------------------------------


def quiz_draws(banks: Sequence[Bank], bp: Blueprint) -> list[tuple[Bank, Question, float]]:
    """Every question a quiz's blueprint can draw, with its chance of being drawn into one quiz.

    Within each question type the draw is taken as uniform over the eligible
    questions: a type the blueprint names gets its count, the types it does
    not name share the remaining places.  Quotas on topic, difficulty or Bloom
    level (which `studygen.select` also meets) are not modelled, so figures for
    such quizzes are an approximation of the expected quiz, not of one build.
    """
    pool = [(b, q) for b in banks for q in b.questions if bp.admits(q)]
    if not pool:
        return []
    named = dict(bp.per_type)
    if not named:
        share = min(1.0, bp.questions / len(pool))
        return [(b, q, share) for b, q in pool]
    per_type = Counter(q.type.value for _, q in pool)
    rest = max(0, bp.questions - sum(named.values()))
    others = sum(n for t, n in per_type.items() if t not in named)
    out = []
    for b, q in pool:
        t = q.type.value
        if t in named:
            weight = min(1.0, named[t] / per_type[t]) if named[t] else 0.0
        else:
            weight = min(1.0, rest / others) if others else 0.0
        if weight > 0:
            out.append((b, q, weight))
    return out


# --- every scope, and the report as text and JSON -------------------------------------------------------------


def cue_reports(banks: Sequence[Bank], quizzes: Sequence[QuizSpec] = ()) -> list[CueReport]:
    """One report per bank (its objective items) and one per configured quiz (what it can draw)."""
    out = [
        cue_report(
            "bank",
            b.id,
            b.title,
            (b.path, *b.where("questions")),
            [(q, 1.0) for q in b.questions],
        )
        for b in banks
    ]
    for quiz in quizzes:
        draws = [(q, w) for _, q, w in quiz_draws(banks, quiz.blueprint)]
        out.append(cue_report("quiz", quiz.id, quiz.title, (quiz.span.path, quiz.span.line, quiz.span.col), draws))
    return out


_TYPE_NAMES = {"single_choice": "single choice", "multiple_response": "multiple response", "true_false": "true/false"}


def _n(x: float) -> str:
    """Counts are whole for a bank and expected (fractional) for a quiz."""
    return f"{x:.0f}" if abs(x - round(x)) < 1e-9 else f"{x:.1f}"


def _tally_json(t: Tally) -> dict[str, float]:
    return {
        "items": round(t.items, 4),
        "points": round(t.points, 4),
        "max_points": round(t.max_points, 4),
        "percent": round(t.percent, 2),
        "chance_points": round(t.chance, 4),
        "chance_percent": round(t.chance_percent, 2),
        "gain_points": round(t.gain, 4),
        "gain_percent": round(t.gain_percent, 2),
    }


def as_data(reports: Sequence[CueReport], margin: float = REPORT_MARGIN) -> dict[str, object]:
    """The report as plain data (what `--format json` prints and a preview page can show)."""
    scopes = []
    for r in reports:
        over = {s.strategy.id for s in r.problems(margin)}
        scopes.append(
            {
                "kind": r.kind,
                "id": r.id,
                "title": r.title,
                "path": r.path,
                "line": r.line,
                "column": r.col,
                "objective_items": {t: round(n, 4) for t, n in r.by_type.items()},
                "chance": _tally_json(r.overall),
                "strategies": [
                    {
                        "id": s.strategy.id,
                        "label": s.strategy.label,
                        "description": s.strategy.description,
                        "types": sorted(t.value for t in s.strategy.types),
                        "own": _tally_json(s.own),
                        "overall": _tally_json(s.overall),
                        "differs_on": round(s.differs, 4),
                        "over_margin": s.strategy.id in over,
                    }
                    for s in r.scores
                ],
            }
        )
    return {"scoring": "all-or-nothing", "margin_percent": margin, "scopes": scopes}


def as_json(reports: Sequence[CueReport], margin: float = REPORT_MARGIN) -> str:
    import json

    return json.dumps(as_data(reports, margin), indent=2, ensure_ascii=False) + "\n"


def as_text(reports: Sequence[CueReport], margin: float = REPORT_MARGIN) -> str:
    """A table per scope: each strategy's expected score on the items it is for, beside chance."""
    lines = [
        "Cue report: what a student who has not read the reading scores by surface cues alone",
        "(expected points, all-or-nothing scoring; chance = guessing at random; "
        f"! = more than {margin:g} percentage points above chance)",
    ]
    for r in reports:
        where = f"{r.path}:{r.line}:{r.col}"
        what = "bank" if r.kind == "bank" else "quiz"
        types = ", ".join(f"{_n(n)} {_TYPE_NAMES.get(t, t)}" for t, n in r.by_type.items())
        count = r.overall.items
        lines += ["", f"{what} {r.id!r} ({where}): {r.title}"]
        if not count:
            lines.append("  no objective items (single choice, multiple response, true/false)")
            continue
        per = " expected per quiz" if r.kind == "quiz" else ""
        lines.append(
            f"  {_n(count)} objective items{per} ({types}), {r.overall.max_points:.1f} points; "
            f"guessing at random scores {r.overall.points:.1f} ({r.overall.chance_percent:.1f}%)"
        )
        lines.append(f"  {'strategy':<48} {'items':>5}  {'score':>14}  {'chance':>14}  {'gain':>20}")
        over = {s.strategy.id for s in r.problems(margin)}
        for s in r.scores:
            t = s.own
            if not t.items:
                continue
            mark = "  !" if s.strategy.id in over else ""
            lines.append(
                f"  {s.strategy.label:<48} {_n(t.items):>5}  {t.points:6.1f} ({t.percent:5.1f}%)  "
                f"{t.chance:6.1f} ({t.chance_percent:5.1f}%)  {t.gain:+6.1f} ({t.gain_percent:+5.1f} pp){mark}"
            )
        best = max(r.scores, key=lambda s: (s.overall.gain, s.strategy.id))
        lines.append(
            f"  on all objective items the best strategy ({best.strategy.label}) scores {best.overall.points:.1f} "
            f"({best.overall.percent:.1f}%): {best.overall.gain_percent:+.1f} percentage points over chance"
        )
    return "\n".join(lines) + "\n"

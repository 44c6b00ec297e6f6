"""The `cue-*` rules: surface cues that let a student who never read the reading beat chance.

Each cue is measured in `studygen.check.cues` (pure, shared with the cue
report); this module only turns measurements into findings.  Per-item cues
are reported on the item's option or stem.  Aggregate cues (the key is the
longest too often, true/false keys unbalanced, ...) are reported on the bank's
`questions:` key and, when `studygen check --config` gives the course, on each
configured quiz whose blueprint draws from a different set of questions than
a whole bank; aggregate rules report only what an exact test says chance
would rarely produce (see `cues.ALPHA`, `cues.MIN_EXCESS`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from studygen.check import cues
from studygen.check.registry import Finding, at, rule
from studygen.course import QuizSpec
from studygen.errors import Severity
from studygen.model import Bank, Question, QuestionType

W = Severity.WARNING
_SC, _MR, _TF = QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE
_NAMES = {_SC: "single-choice", _MR: "multiple-response", _TF: "true/false"}
_NOUN = {_SC: "questions", _MR: "questions", _TF: "statements"}
_STATS = (
    f"Reported when an exact one-sided test gives p < {cues.ALPHA} and the observed rate exceeds the chance rate "
    f"by at least {cues.MIN_EXCESS * 100:.0f} percentage points, so a small bank is not blamed for luck."
)


@dataclass(frozen=True)
class _Scope:
    """A set of questions an aggregate rule judges, and where its finding goes."""

    questions: tuple[Question, ...]
    subject: str  # "single-choice questions" (a bank), or "the 7 single-choice questions quiz 'x' can draw"
    anchor: Callable[[str], Finding]


def _scopes(banks: Sequence[Bank], quizzes: Sequence[QuizSpec], qtype: QuestionType) -> Iterator[_Scope]:
    """Each bank's questions of one type, or (with quizzes) what each quiz can draw of that type."""
    if not quizzes:
        for bank in banks:

            def on_bank(message: str, bank: Bank = bank) -> Finding:
                return at(bank, ("questions",), message)

            yield _Scope(
                tuple(q for q in bank.questions if q.type is qtype), f"{_NAMES[qtype]} {_NOUN[qtype]}", on_bank
            )
        return
    if not banks:
        return
    whole = [frozenset(q.id for q in b.questions if q.type is qtype) for b in banks]
    for quiz in quizzes:
        qs = tuple(q for _, q, _ in cues.quiz_draws(banks, quiz.blueprint) if q.type is qtype)
        if not qs or frozenset(q.id for q in qs) in whole:
            continue  # nothing of this type, or exactly one bank's: the bank's own finding says it
        subject = f"the {len(qs)} {_NAMES[qtype]} {_NOUN[qtype]} quiz {quiz.id!r} can draw"

        def anchor(message: str, quiz: QuizSpec = quiz) -> Finding:
            return Finding(banks[0], quiz.span.line, quiz.span.col, message, quiz.span.path)

        yield _Scope(qs, subject, anchor)


# What an aggregate rule says about one scope: given its questions and how they are named, the
# finding's message when the cue is flagged there, else None.
Judge = Callable[[Sequence[Question], str], str | None]


def _aggregate(
    banks: Sequence[Bank], quizzes: Sequence[QuizSpec], qtype: QuestionType, judge: Judge
) -> Iterator[Finding]:
    """Every aggregate cue rule's loop: judge each bank's (or quiz's) questions of a type, report where flagged."""
    for scope in _scopes(banks, quizzes, qtype):
        message = judge(scope.questions, scope.subject)
        if message is not None:
            yield scope.anchor(message)


def _longest(banks: Sequence[Bank], quizzes: Sequence[QuizSpec] = ()) -> Iterator[Finding]:
    for qtype, what in (
        (_SC, "the correct option is the longest one"),
        (_MR, "the longest option is a correct one"),
    ):

        def judge(qs: Sequence[Question], subject: str, what: str = what) -> str | None:
            s = cues.longest_key_skew(qs)
            if not s.flagged:
                return None
            return (
                f"{subject}: {what} in {s.describe()}; a test-wise student "
                "picks the longest option: make distractors as long and as specific as the key"
            )

        yield from _aggregate(banks, quizzes, qtype, judge)


@rule(
    "cue-longest-key",
    W,
    "Test-wise students pick the longest option (Haladyna, Downing & Rodriguez 2002: keep options similar in "
    "length); when the key is the longest more often than chance, length scores points without the reading.",
    per_quiz=_longest,
    doc="Single choice: counts questions whose correct option is the one strictly longest (characters of the "
    "visible text); chance is 1/n for n options. Multiple response: counts questions whose one longest option is "
    "correct; chance is the share of correct options. Exact Poisson-binomial tail (the binomial test when every "
    "question has the same number of options). " + _STATS,
)
def longest_key(banks: Sequence[Bank]) -> Iterator[Finding]:
    yield from _longest(banks)


def _true_false(banks: Sequence[Bank], quizzes: Sequence[QuizSpec] = ()) -> Iterator[Finding]:
    def judge(qs: Sequence[Question], subject: str) -> str | None:
        majority, s = cues.true_false_skew(qs)
        if not s.flagged:
            return None
        word, other = ("true", "false") if majority else ("false", "true")
        return (
            f"{subject}: {s.describe()} are {word}; answering {word!r} to every one scores {100 * s.share:.0f}%: "
            f"rewrite some {word} statements as {other} ones, keeping them faithful to the reading"
        )

    return _aggregate(banks, quizzes, _TF, judge)


@rule(
    "cue-true-false-balance",
    W,
    "When most true/false statements are false (or true), answering that way to every one beats chance; "
    "the key should be about half true, half false.",
    per_quiz=_true_false,
    doc="Counts the statements with the more common answer; chance is 1/2 each. Exact binomial tail, doubled "
    "because the side is picked after looking (so 11 of 16 false, p = 0.21, is within what chance gives one "
    "bank in five). " + _STATS,
)
def true_false_balance(banks: Sequence[Bank]) -> Iterator[Finding]:
    yield from _true_false(banks)


def _count(banks: Sequence[Bank], quizzes: Sequence[QuizSpec] = ()) -> Iterator[Finding]:
    def judge(qs: Sequence[Question], subject: str) -> str | None:
        k, _, s = cues.correct_count_skew(qs)
        if not s.flagged:
            return None
        return (
            f"{subject}: {s.describe()} have exactly {k} correct options; "
            f"a student who marks {k} options learns the count, not the content: vary how many are correct"
        )

    return _aggregate(banks, quizzes, _MR, judge)


@rule(
    "cue-correct-count",
    W,
    "When multiple-response questions (almost) always have the same number of correct options, students learn "
    "the number and mark that many; the count should vary from question to question.",
    per_quiz=_count,
    doc="Counts the questions with the most common number of correct options; chance is 1/(n-1) for n options "
    "(any count from 1 to n-1 equally likely). Exact Poisson-binomial tail, multiplied by the number of counts "
    "that could have been the most common (the count is picked after looking). " + _STATS,
)
def correct_count(banks: Sequence[Bank]) -> Iterator[Finding]:
    yield from _count(banks)


def _convergence(banks: Sequence[Bank], quizzes: Sequence[QuizSpec] = ()) -> Iterator[Finding]:
    def judge(qs: Sequence[Question], subject: str) -> str | None:
        s = cues.convergence_skew(qs)
        if not s.flagged:
            return None
        return (
            f"{subject}: the correct option is the one sharing the most words with the other options in "
            f"{s.describe()}; distractors built as variations of the key point at it: vary them independently"
        )

    return _aggregate(banks, quizzes, _SC, judge)


@rule(
    "cue-convergence",
    W,
    "Distractors written as variations of the key share its words, so the option the others converge on is the "
    "key; a student who never read the reading picks it.",
    per_quiz=_convergence,
    doc="Single choice with 3 or more options: counts questions whose correct option is the one strictly highest "
    "in (content word, other option) pairs shared with the other options; chance is 1/n. Exact Poisson-binomial "
    "tail. " + _STATS,
)
def convergence(banks: Sequence[Bank]) -> Iterator[Finding]:
    yield from _convergence(banks)


def _choice_questions(banks: Sequence[Bank]) -> Iterator[tuple[Bank, int, Question]]:
    for bank in banks:
        for i, q in enumerate(bank.questions):
            if q.type in (_SC, _MR) and len(q.options) >= 2 and q.correct_indexes:
                yield bank, i, q


def _on_option(bank: Bank, i: int, q: Question, j: int, message: str) -> Finding:
    """A per-question cue, reported on option j of the bank's question i and naming the question."""
    return at(bank, ("questions", i, "options", j), f"question {q.id!r}: {message}")


@rule(
    "cue-stem-words",
    W,
    "When only the key repeats a distinctive word of the stem (a 'clang association'), the stem points at the "
    "answer; distractors should be as close to the stem as the key.",
    doc="Per question (single choice and multiple response): every correct option repeats at least one content "
    "word of three or more characters of the stem (function words and words such as 'column' and 'author' left "
    "out; plural -s ignored) and no distractor repeats any. Reported on the first correct option.",
)
def stem_words(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank, i, q in _choice_questions(banks):
        overlap = cues.stem_overlap(q)
        distractors = [j for j in range(len(q.options)) if not q.options[j].correct]
        if not distractors or any(overlap[j] for j in distractors):
            continue
        if all(overlap[j] for j in q.correct_indexes):
            stem = cues.distinctive_words(cues.stem_text(q))
            j = q.correct_indexes[0]
            shared = sorted(cues.distinctive_words(q.options[j].text) & stem)
            yield _on_option(
                bank,
                i,
                q,
                j,
                f"only the correct option(s) repeat words of the stem "
                f"({', '.join(repr(w) for w in shared)}); use those words in a distractor too, or in none",
            )


def _absolute_tf(banks: Sequence[Bank], quizzes: Sequence[QuizSpec] = ()) -> Iterator[Finding]:
    def judge(qs: Sequence[Question], subject: str) -> str | None:
        s = cues.absolute_false_skew(qs)
        if not s.flagged:
            return None
        return (
            f"{subject} with an absolute word (always, never, only, entirely ...): "
            f"{s.describe()} are false; students answer 'false' to any such statement: write true ones too"
        )

    return _aggregate(banks, quizzes, _TF, judge)


@rule(
    "cue-absolute-words",
    W,
    "Absolute words (always, never, all, none, only, entirely ...) mark an option as wrong to test-wise "
    "students (Haladyna et al. 2002: avoid specific determiners); they must not appear only in distractors, nor "
    "only in false statements.",
    per_quiz=_absolute_tf,
    doc="Per question (single choice and multiple response): at least one distractor has an absolute word and no "
    "correct option has one ('All/None of the above' are left to `unpinned-all-none`); reported on the first such "
    "distractor. True/false, aggregate: counts false statements among those with an absolute word; chance 1/2, "
    "exact one-sided binomial tail (the cue's direction is known beforehand). " + _STATS,
)
def absolute_words(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank, i, q in _choice_questions(banks):
        flags = cues.absolutes(q)
        if any(flags[j] for j in q.correct_indexes):
            continue
        for j, o in enumerate(q.options):
            if flags[j] and not o.correct:
                found = ", ".join(repr(w) for w in cues.absolute_words(o.text))
                yield _on_option(
                    bank,
                    i,
                    q,
                    j,
                    f"absolute word(s) {found} appear only in distractors, which marks them "
                    "wrong; reword the distractor, or qualify a correct option as strongly",
                )
                break
    yield from _absolute_tf(banks)


@rule(
    "cue-grammar",
    W,
    "An option that does not fit the stem's grammar ('an' before a consonant, one thing where the stem asks "
    "'which two') is eliminated without knowing the content; every option must read on from the stem.",
    doc="Per question: a stem ending in 'a'/'an' (optionally followed by a blank) and an option whose first word "
    "needs the other article (from its spelling, with exceptions such as 'university' and 'hour'; acronyms are "
    "skipped); or a single-choice stem asking 'which two/three ...' and an option listing nothing ('and', comma, "
    "semicolon). Reported on each such option, only when another option does fit.",
)
def grammar(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank, i, q in _choice_questions(banks):
        what, bad = cues.grammar_mismatches(q)
        for j in bad:
            yield _on_option(
                bank,
                i,
                q,
                j,
                f"{what}, but {cues.text_of(q.options[j].text)!r} does not fit it; "
                "rephrase the stem or the option so every option reads on from the stem",
            )


@rule(
    "cue-superset",
    W,
    "When one option says everything another says and more, the two overlap: either both are right or the "
    "longer one gives itself away; options should be distinct alternatives.",
    doc="Per question: the words of one option (plural -s ignored) are a strict subset of another's, and the "
    "smaller has at least one content word. Reported on the larger option.",
)
def superset(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank, i, q in _choice_questions(banks):
        done: set[int] = set()
        for big, small in cues.supersets(q):
            if big in done:
                continue
            done.add(big)
            yield _on_option(
                bank,
                i,
                q,
                big,
                f"{cues.text_of(q.options[big].text)!r} contains every word of "
                f"{cues.text_of(q.options[small].text)!r}; make the options distinct alternatives",
            )

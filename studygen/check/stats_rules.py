"""Rule `item-stats`: warn about questions whose measured statistics say they do not work.

`studygen grade --update-stats` writes `<bank-stem>.stats.json` beside a bank;
loading the bank puts those figures in `Bank.stats`; the rule reads only that
(it does no I/O and knows nothing of the stats file or of grading).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from studygen.check.registry import Finding, at, rule
from studygen.errors import Severity
from studygen.model import Bank, MeasuredStats

RULE_ID = "item-stats"
MIN_N_DISCRIMINATION = 10
MIN_N_DIFFICULTY = 20
TOO_HARD, TOO_EASY = 0.2, 0.95


def findings(bank: Bank, stats: Mapping[str, MeasuredStats]) -> Iterator[Finding]:
    for i, q in enumerate(bank.questions):
        s = stats.get(q.id)
        if s is None:
            continue
        measured = f"(measured on {s.n} students, last {s.date})"
        r = s.discrimination
        if r is not None and r < 0 and s.n >= MIN_N_DISCRIMINATION:
            yield at(
                bank,
                ("questions", i, "id"),
                f"question {q.id!r} has negative discrimination r = {r:.2f} {measured}: stronger students "
                "did worse on it than weaker ones; check the key and look for an ambiguous stem or option",
            )
        if s.n >= MIN_N_DIFFICULTY and s.difficulty < TOO_HARD:
            yield at(
                bank,
                ("questions", i, "id"),
                f"question {q.id!r} is very hard: p = {s.difficulty:.2f} {measured}; check the key, "
                "or whether the reading really supports the answer",
            )
        if s.n >= MIN_N_DIFFICULTY and s.difficulty > TOO_EASY:
            yield at(
                bank,
                ("questions", i, "id"),
                f"question {q.id!r} is very easy: p = {s.difficulty:.2f} {measured}; it tells students apart "
                "hardly at all — make the distractors plausible or retire it",
            )


@rule(
    RULE_ID,
    Severity.WARNING,
    "Measured statistics from graded quizzes (recorded by `studygen grade "
    "--update-stats`) show when a question misleads the strongest students (negative discrimination), or "
    "is so hard or so easy that it measures nothing; such a question needs its key or wording checked.",
)
def item_stats(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        yield from findings(bank, bank.stats)

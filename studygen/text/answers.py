"""When a typed answer counts as an accepted one: the one rule for grading, the self-test page and exports.

A student should be marked the same way on the practice page and on the graded quiz, so
the rule exists once, here.  Python applies it directly; the self-test page receives
`page_rule()` — the fold tables and the typo thresholds as *data* — and its script runs
only the generic steps below with them (tests/js/ proves both give the same verdict).

The rule, in order (docs/grading.md states it for students and instructors):

1. Unicode NFC, so a letter typed as base + combining accent equals the precomposed one.
2. Each character is replaced through a fold table: case folded (unless the question is
   `case_sensitive`), accents and other combining marks removed, compatibility forms
   (full-width letters, ligatures) made plain, typographic quotes and dashes made ASCII,
   and every punctuation mark, space and control character removed — except `.` and `,`
   standing between two digits, which are kept so `1.5` never equals `15`.
3. A typed answer is right if it equals an accepted answer after steps 1–2; or, unless
   the question is case-sensitive, if it is at most `k` edits (insert, delete, replace,
   swap two neighbours) from one, where `k` is 1 for an accepted answer of 6 or more
   letters and 2 for 12 or more, and 0 for any answer holding a digit.  A near miss is
   never accepted when it is as close to a *rival* (another blank's answer, a listed
   wrong answer) as the tolerance allows: then it is not clearly the right one.

The tables cover Latin, Greek and Cyrillic letters (with their extensions), combining
marks, full-width forms and all punctuation and spaces of the Basic Multilingual Plane;
other characters (Hangul, CJK, …) are compared as they are, after NFC.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

# Blocks whose letters are case-folded and stripped of accents.
_LETTER_BLOCKS = (
    (0x0000, 0x036F),  # Basic Latin … IPA, spacing modifiers, combining diacritical marks
    (0x0370, 0x052F),  # Greek, Cyrillic (+ supplement)
    (0x1AB0, 0x1AFF),  # combining diacritical marks extended
    (0x1DC0, 0x1FFF),  # combining supplement, Latin extended additional, Greek extended
    (0x20D0, 0x20FF),  # combining marks for symbols
    (0x2C60, 0x2C7F),  # Latin extended-C
    (0xA720, 0xA7FF),  # Latin extended-D
    (0xFB00, 0xFB06),  # Latin ligatures (ﬁ, ﬂ, …)
    (0xFE20, 0xFE2F),  # combining half marks
    (0xFF00, 0xFFEF),  # half-width and full-width forms
)
# Kept only between two digits (decimal and thousands separators); removed elsewhere.
DIGIT_SEPARATORS = ".,"
DIGITS = "0123456789"
# (minimum letters in the accepted answer, edits allowed): the larger tolerance wins.
TYPO_STEPS = ((6, 1), (12, 2))


def _dropped(c: str) -> bool:
    cat = unicodedata.category(c)
    return cat[0] in "PZ" or cat in ("Cc", "Cf")


def _fold_one(c: str, fold_case: bool) -> str:
    s = c.casefold() if fold_case else c
    s = unicodedata.normalize("NFKD", s)
    out = []
    for ch in s:
        if unicodedata.category(ch)[0] == "M":
            continue
        if ch in DIGIT_SEPARATORS:
            out.append(ch)
        elif _dropped(ch):
            continue
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


@cache
def fold_table(fold_case: bool) -> dict[str, str]:
    """Every character the rule changes, mapped to what it becomes ("" = removed)."""
    table: dict[str, str] = {}
    codes = {cp for lo, hi in _LETTER_BLOCKS for cp in range(lo, hi + 1)}
    codes |= {cp for cp in range(0x10000) if _dropped(chr(cp))}
    for cp in sorted(codes):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or unicodedata.category(c) == "Cn":
            continue  # surrogates and unassigned code points are left as they are
        folded = _fold_one(c, fold_case)
        if folded != c:
            table[c] = folded
    return table


def answer_key(text: str, case_sensitive: bool = False) -> str:
    """The form two answers are compared in (steps 1–2 of the rule)."""
    return _fold(text, fold_table(not case_sensitive), keep_spaces=False)


def _fold(text: str, table: Mapping[str, str], keep_spaces: bool) -> str:
    nfc = unicodedata.normalize("NFC", text)
    folded = "".join(" " if keep_spaces and c.isspace() else table.get(c, c) for c in nfc)
    last = len(folded) - 1
    return "".join(
        c
        for i, c in enumerate(folded)
        if c not in DIGIT_SEPARATORS or (0 < i < last and folded[i - 1] in DIGITS and folded[i + 1] in DIGITS)
    )


def typo_allowance(key: str) -> int:
    """Edits tolerated against an accepted answer whose key is `key` (0 for any answer holding a digit)."""
    if any(c in DIGITS for c in key):
        return 0
    allowed = 0
    for letters, edits in TYPO_STEPS:
        if len(key) >= letters:
            allowed = edits
    return allowed


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of neighbours is one edit), or `limit + 1` once it exceeds it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[len(b)], limit + 1)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a typed answer counts, and how: exactly, or as a near miss of `nearest`."""

    right: bool
    exact: bool = False
    nearest: str = ""
    edits: int = 0


WRONG = Verdict(False)


def judge(given: str, accepted: Iterable[str], case_sensitive: bool = False, rivals: Iterable[str] = ()) -> Verdict:
    """Apply the whole rule: exact after folding, else a near miss that no rival shares."""
    g = answer_key(given, case_sensitive)
    if not g:
        return WRONG
    keys = [(a, answer_key(a, case_sensitive)) for a in accepted]
    for a, k in keys:
        if k == g:
            return Verdict(True, exact=True, nearest=a)
    if case_sensitive:
        return WRONG
    best: Verdict = WRONG
    for a, k in keys:
        allowed = typo_allowance(k)
        if allowed and (d := edit_distance(g, k, allowed)) <= allowed and (not best.right or d < best.edits):
            best = Verdict(True, nearest=a, edits=d)
    if not best.right:
        return WRONG
    accepted_keys = {k for _, k in keys}
    for r in rivals:
        rk = answer_key(r, case_sensitive)
        if rk in accepted_keys:
            continue  # a rival that is also accepted here is no rival
        if rk == g or ((allowed := typo_allowance(rk)) and edit_distance(g, rk, allowed) <= allowed):
            return WRONG
    return best


def matches(given: str, accepted: Iterable[str], case_sensitive: bool = False, rivals: Iterable[str] = ()) -> bool:
    return judge(given, accepted, case_sensitive, rivals).right


def blank_rivals(blanks: Iterable[Iterable[str]], index: int) -> tuple[str, ...]:
    """For blank `index` of a fill-in question: the other blanks' answers (a near miss of one is not clearly right)."""
    return tuple(a for j, accepted in enumerate(blanks) if j != index for a in accepted)


def page_rule() -> dict[str, Any]:
    """The rule as data for the self-test page (its script holds no table of its own).

    Compact: `drop` lists every character removed, `fold` what the others become with
    case folded, and `keepCase` the entries that differ for a case-sensitive answer.
    """
    folded, kept = fold_table(True), fold_table(False)
    return {
        "drop": "".join(c for c, r in folded.items() if not r),
        "fold": {c: r for c, r in folded.items() if r},
        "keepCase": {
            c: kept.get(c, c) for c in sorted(folded.keys() | kept.keys()) if kept.get(c, c) != folded.get(c, c)
        },
        "digitSeparators": DIGIT_SEPARATORS,
        "digits": DIGITS,
        "typoSteps": [list(step) for step in TYPO_STEPS],
    }


def lms_variants(accepted: Iterable[str], case_sensitive: bool = False) -> tuple[str, ...]:
    """Accepted answers for an LMS that compares strings as typed (Moodle, GIFT, Canvas).

    Each answer is followed by its plain form — accents, typographic quotes and
    punctuation removed, spaces kept — when that differs, so `Moon’s` also accepts
    `Moon's` and `Moons` there.  LMSs cannot express the typo tolerance.
    """
    out: dict[str, None] = {}
    seen: set[str] = set()

    def add(a: str) -> None:
        norm = a if case_sensitive else a.casefold()
        if a and norm not in seen:
            seen.add(norm)
            out[a] = None

    for a in accepted:
        add(a)
        add(_plain(a, quotes_only=True))
        add(_plain(a, quotes_only=False))
    return tuple(out)


_TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u00a0": " ",
    }
)


def _plain(a: str, quotes_only: bool) -> str:
    """`a` with ASCII quotes and dashes; unless `quotes_only`, also without accents and punctuation (case kept)."""
    s = unicodedata.normalize("NFC", a).translate(_TYPOGRAPHIC)
    if not quotes_only:
        s = _fold(s.replace("-", " ").replace("/", " "), fold_table(False), keep_spaces=True)
    return " ".join(s.split())

"""The built-in rules.  Each is small, has an id, a default severity and a reason.

The reason string is the rule's documentation (`studygen rules` prints it):
it says why a person should care, not how the rule is computed.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from studygen.check.registry import Finding, at, iter_refs, rule
from studygen.check.text import closest_passage, normalize_option, normalize_passage, words
from studygen.errors import Severity
from studygen.model import CHOICE_TYPES, Bank, QuestionType
from studygen.text import blanks
from studygen.text.letters import LETTERS

E, W = Severity.ERROR, Severity.WARNING
_ALL_NONE = re.compile(r"^\s*(all|none|both|neither)\s+(of\s+)?(the\s+)?(above|these|of these)\b", re.I)
_ITEM_WORD = {
    "options": "option",
    "items": "item",
    "accepted": "accepted answer",
    "distractors": "right-hand answer",
    "pairs": "left-hand prompt",
}


@rule(
    "duplicate-id",
    E,
    "Ids link questions to keys, manifests and LMS imports; two things with one id make every later lookup ambiguous.",
)
def duplicate_id(banks: Sequence[Bank]) -> Iterator[Finding]:
    first_bank: dict[str, Bank] = {}
    for bank in banks:
        if bank.id in first_bank:
            other = first_bank[bank.id]
            yield at(bank, ("id",), f"bank id {bank.id!r} is already used by {other.path}; bank ids must be unique")
        first_bank.setdefault(bank.id, bank)
    first: dict[str, tuple[Bank, tuple[str | int, ...]]] = {}
    for bank in banks:
        items: list[tuple[tuple[str | int, ...], str]] = []
        for section in ("facts", "arguments", "questions", "prompts"):
            items += [((section, i, "id"), x.id) for i, x in enumerate(getattr(bank, section))]
        for key, ident in items:
            if ident in first:
                other_bank, other_key = first[ident]
                line = other_bank.where(*other_key)[0]
                yield at(
                    bank,
                    key,
                    f"id {ident!r} is already used at {other_bank.path}:{line}; ids must be unique across all banks",
                )
            else:
                first[ident] = (bank, key)
    for bank in banks:
        for section in ("stakeholders", "topics"):
            seen: set[str] = set()
            for i, x in enumerate(getattr(bank, section)):
                if x.id in seen:
                    yield at(bank, (section, i, "id"), f"{section[:-1]} id {x.id!r} is defined twice in this bank")
                seen.add(x.id)


@rule("dangling-ref", E, "A ref that names nothing leaves an answer without its source passage.")
def dangling_ref(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        known = sorted({f.id for f in bank.facts} | {a.id for a in bank.arguments})
        for key, ref in iter_refs(bank):
            if bank.source(ref) is None:
                yield at(bank, key, f"ref {ref!r} names no fact or argument in this bank{_near(ref, known)}")
        args = {a.id for a in bank.arguments}
        for i, a in enumerate(bank.arguments):
            for j, ref in enumerate(a.counters):
                if ref not in args:
                    yield at(
                        bank,
                        ("arguments", i, "counters", j),
                        f"counters {ref!r} names no argument in this bank{_near(ref, sorted(args))}",
                    )
        actors = sorted(s.id for s in bank.stakeholders)
        for i, f in enumerate(bank.facts):
            for j, actor in enumerate(f.actors):
                if actor not in actors:
                    yield at(
                        bank,
                        ("facts", i, "actors", j),
                        f"actor {actor!r} is not a stakeholder id{_near(actor, actors)}",
                    )


@rule(
    "unknown-topic",
    E,
    "Blueprints and filters select by topic; an undeclared topic is usually a typo "
    "that silently drops questions from quizzes.",
)
def unknown_topic(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        declared = sorted(t.id for t in bank.topics)
        if not declared:
            continue
        for section in ("facts", "arguments", "questions", "prompts"):
            for i, x in enumerate(getattr(bank, section)):
                for j, topic in enumerate(x.topics):
                    if topic not in declared:
                        yield at(
                            bank,
                            (section, i, "topics", j),
                            f"topic {topic!r} is not declared in the bank's topics{_near(topic, declared)}",
                        )


def _near(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


@rule(
    "missing-ref",
    E,
    "Every answer must be traceable to the reading; a question or prompt without refs "
    "has no source passage to show students.",
)
def missing_ref(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        for i, q in enumerate(bank.questions):
            if not q.refs:
                yield at(
                    bank,
                    ("questions", i, "id"),
                    f"question {q.id!r} has no refs; add the facts or arguments it rests on",
                )
        for i, p in enumerate(bank.prompts):
            if not p.refs:
                yield at(bank, ("prompts", i, "id"), f"prompt {p.id!r} has no refs; add the passages it discusses")


@rule(
    "unknown-exclude",
    E,
    "`excludes` keeps alternative questions (two items on one fact) out of the same quiz version; an id that "
    "names no question of the bank protects nothing, and is usually a typo.",
)
def unknown_exclude(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        ids = sorted(q.id for q in bank.questions)
        known = set(ids)
        for i, q in enumerate(bank.questions):
            for j, other in enumerate(q.excludes):
                key = ("questions", i, "excludes", j)
                if other == q.id:
                    yield at(bank, key, f"question {q.id!r} excludes itself; list the ids of its alternatives")
                elif other not in known:
                    yield at(
                        bank,
                        key,
                        f"excludes {other!r} names no question in this bank (alternatives must be questions "
                        f"of the same bank){_near(other, ids)}",
                    )


@rule(
    "ungrounded-term",
    E,
    "A glossary definition is either grounded in the reading (refs) or openly marked "
    "as background; anything else passes outside knowledge off as the reading's.",
)
def ungrounded_term(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        for i, g in enumerate(bank.glossary):
            if not g.refs and not g.background:
                yield at(
                    bank,
                    ("glossary", i, "term"),
                    f"term {g.term!r} has no refs; add refs or mark it background: true",
                )


@rule(
    "quote-not-found",
    E,
    "Quotes are the evidence behind every answer; one that is not verbatim in the "
    "reading means the bank claims something the reading does not say.",
)
def quote_not_found(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        reading = normalize_passage(bank.reading.text)
        for section in ("facts", "arguments"):
            for i, item in enumerate(getattr(bank, section)):
                for j, quote in enumerate(item.quotes):
                    norm = normalize_passage(quote)
                    if not norm or norm not in reading:
                        near = closest_passage(quote, reading)
                        hint = f'; closest passage: "{near}"' if near else ""
                        yield at(
                            bank,
                            (section, i, "quotes", j),
                            f"quote is not verbatim in {bank.reading.text_path}{hint}",
                        )
        subtitle = bank.reading.subtitle
        if subtitle and normalize_passage(subtitle) not in reading:
            yield at(bank, ("reading", "subtitle"), f"reading.subtitle is not verbatim in {bank.reading.text_path}")


@rule("single-choice-correct", E, "A single-choice question must have exactly one right answer, or the key is wrong.")
def single_choice_correct(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        for i, q in enumerate(bank.questions):
            if q.type is QuestionType.SINGLE_CHOICE and len(q.correct_indexes) != 1:
                n = len(q.correct_indexes)
                yield at(
                    bank,
                    ("questions", i, "options"),
                    f"single_choice question {q.id!r} has {n} correct options; it needs exactly "
                    "1 (or make it multiple_response)",
                )


@rule("multiple-response-correct", E, "A multiple-response question with no correct option cannot be answered right.")
def multiple_response_correct(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        for i, q in enumerate(bank.questions):
            if q.type is QuestionType.MULTIPLE_RESPONSE and not q.correct_indexes:
                yield at(
                    bank,
                    ("questions", i, "options"),
                    f"multiple_response question {q.id!r} has no correct option; mark at least one correct: true",
                )


@rule("duplicate-option", E, "Two options that read the same confuse students and make the key ambiguous.")
def duplicate_option(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        for i, q in enumerate(bank.questions):
            lists: list[tuple[str, list[str]]] = [
                ("options", [o.text for o in q.options]),
                ("items", list(q.items)),
                ("accepted", list(q.accepted)),
                ("distractors", [p.right for p in q.pairs] + list(q.distractors)),
            ]
            if q.pairs:
                lists.append(("pairs", [p.left for p in q.pairs]))
            for field, texts in lists:
                seen: dict[str, int] = {}
                for j, text in enumerate(texts):
                    norm = normalize_option(text) or text
                    if norm in seen:
                        key: tuple[str | int, ...] = ("questions", i, field, j)
                        if field == "distractors":
                            key = ("questions", i, "pairs")
                        yield at(bank, key, f"question {q.id!r}: {text!r} repeats an earlier {_ITEM_WORD[field]}")
                    seen.setdefault(norm, j)


@rule(
    "giveaway-length",
    W,
    "Test-wise students pick the longest option; a correct option much longer than its siblings gives the answer away.",
)
def giveaway_length(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        for i, q in enumerate(bank.questions):
            if q.type not in CHOICE_TYPES or len(q.options) < 3:
                continue
            others = [len(o.text) for o in q.options if not o.correct and not o.pinned]
            for j, o in enumerate(q.options):
                if o.correct and others:
                    mean = sum(others) / len(others)
                    if len(o.text) > 1.6 * mean and len(o.text) - mean > 15:
                        yield at(
                            bank,
                            ("questions", i, "options", j),
                            f"question {q.id!r}: the correct option is {len(o.text)} characters, its "
                            f"siblings {mean:.0f} on average; shorten it or lengthen the distractors",
                        )


@rule("unpinned-all-none", W, "'All/None of the above' only makes sense last; shuffling would move it.")
def unpinned_all_none(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        for i, q in enumerate(bank.questions):
            for j, o in enumerate(q.options):
                if _ALL_NONE.match(o.text) and not o.pinned:
                    yield at(
                        bank,
                        ("questions", i, "options", j),
                        f"question {q.id!r}: {o.text!r} should keep its place; add pinned: true",
                    )


def _similar(sm: difflib.SequenceMatcher[str]) -> bool:
    """`ratio() >= 0.9`, asking its cheap upper bounds first (same formula, so the answer is the same)."""
    return sm.real_quick_ratio() >= 0.9 and sm.quick_ratio() >= 0.9 and sm.ratio() >= 0.9


@rule("near-duplicate-stem", W, "Two near-identical questions in one quiz give each other away and waste a slot.")
def near_duplicate_stem(banks: Sequence[Bank]) -> Iterator[Finding]:
    entries = []
    for bank in banks:
        for i, q in enumerate(bank.questions):
            tokens = words(q.stem + " " + q.text)
            entries.append((bank, i, q.id, " ".join(tokens), frozenset(tokens)))
    # Candidates share a bucket of their two rarest words, so this stays near-linear for big banks.
    # Words are ranked once by (frequency, word); an entry's rarest words are then its smallest ranks,
    # found by sorting integers instead of calling a key function per word (the hot spot on 10,000 stems).
    freq = Counter(w for e in entries for w in e[4])
    rank = {w: n for n, w in enumerate(sorted(freq, key=lambda w: (freq[w], w)))}
    get_rank = rank.__getitem__
    buckets: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for n, e in enumerate(entries):
        rare = tuple(sorted(map(get_rank, e[4]))[:3])
        if len(rare) == 3:
            a_, b_, c_ = rare
            buckets[(b_, c_)].append(n)
            buckets[(a_, c_)].append(n)
            buckets[(a_, b_)].append(n)
        elif len(rare) == 2:
            buckets[rare[1:]].append(n)
            buckets[rare[:1]].append(n)
        elif rare:
            buckets[rare].append(n)
    # Questions marked as alternatives (`excludes`, either way) are never drawn together: no warning.
    apart = {(q.id, o) for bank in banks for q in bank.questions for o in q.excludes}
    reported: set[tuple[int, int]] = set()
    for members in buckets.values():
        if len(members) < 2 or len(members) > 200:
            continue
        for x in range(len(members)):
            mx = members[x]
            a = entries[mx]
            if not a[3]:
                continue
            a_set = a[4]
            a_len = len(a_set)
            for y in range(x + 1, len(members)):
                my = members[y]
                b = entries[my]
                if not b[3]:
                    continue
                b_len = len(b[4])
                # The Jaccard index is at most the smaller set's size over the larger's: skip cheaply
                # when even that is below the threshold (float division is monotone, so no pair it
                # would have kept is lost).
                if (a_len / b_len if a_len < b_len else b_len / a_len) < 0.7:
                    continue
                pair = (mx, my)
                if pair in reported or (a[2], b[2]) in apart or (b[2], a[2]) in apart:
                    continue
                inter = len(a_set & b[4])
                jacc = inter / (a_len + b_len - inter)
                if jacc < 0.7:
                    continue
                if a[3] == b[3] or _similar(difflib.SequenceMatcher(None, a[3], b[3])):
                    reported.add(pair)
                    first_line = a[0].where("questions", a[1], "stem")[0]
                    yield at(
                        b[0],
                        ("questions", b[1], "stem"),
                        f"question {b[2]!r} has nearly the same stem as {a[2]!r} ({a[0].path}:{first_line}); "
                        f"reword or drop one, or mark them alternatives (excludes: [{a[2]}]) so no version has both",
                    )


@rule("uncovered-fact", W, "A fact no question asks about is coverage the quiz silently lacks.")
def uncovered_fact(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        covered = {r for q in bank.questions for r in q.refs}
        for a in bank.arguments:
            if a.id in covered:
                covered.update(a.supported_by)
        for i, f in enumerate(bank.facts):
            if f.id not in covered:
                yield at(bank, ("facts", i, "id"), f"fact {f.id!r} is not covered by any question's refs")


@rule(
    "answer-position-skew",
    W,
    "If the right answer is usually in the same place, students learn the place, "
    "not the content (this matters wherever options are not shuffled, e.g. LMS imports).",
)
def answer_position_skew(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        by_count: dict[int, Counter[int]] = defaultdict(Counter)
        for q in bank.questions:
            if q.type is QuestionType.SINGLE_CHOICE and len(q.correct_indexes) == 1:
                by_count[len(q.options)][q.correct_indexes[0]] += 1
        for n_options, positions in sorted(by_count.items()):
            total = sum(positions.values())
            if total < 8:
                continue
            pos, count = positions.most_common(1)[0]
            if count / total > 1 / n_options + 0.25:
                letter = LETTERS[pos]
                yield at(
                    bank,
                    ("questions",),
                    f"{count} of {total} single-choice questions with {n_options} options have "
                    f"the correct answer at {letter}; spread correct answers over positions",
                )


@rule(
    "missing-guidance",
    E,
    "Essays and discussion prompts are only gradable and facilitatable with guidance on what a strong answer covers.",
)
def missing_guidance(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        for i, q in enumerate(bank.questions):
            if q.type is QuestionType.ESSAY and not q.guidance.strip():
                yield at(
                    bank,
                    ("questions", i, "id"),
                    f"essay {q.id!r} has no guidance; say what a strong answer covers",
                )
        for i, p in enumerate(bank.prompts):
            if not p.guidance.strip():
                yield at(
                    bank,
                    ("prompts", i, "id"),
                    f"prompt {p.id!r} has no guidance; say what a strong answer covers",
                )


@rule(
    "blank-mismatch",
    E,
    "Each [[n]] blank needs exactly one entry in blanks, numbered 1..n in order, or "
    "students get a blank with no answer.",
)
def blank_mismatch(banks: Sequence[Bank]) -> Iterator[Finding]:
    for bank in banks:
        for i, q in enumerate(bank.questions):
            if q.type is not QuestionType.FILL_BLANK:
                continue
            numbers = blanks.numbers(q.text)
            expected = list(range(1, len(q.blanks) + 1))
            if numbers != expected:
                yield at(
                    bank,
                    ("questions", i, "text"),
                    f"question {q.id!r}: the text has blanks {numbers or 'none'} but blanks lists "
                    f"{len(q.blanks)}; write [[1]]..[[{len(q.blanks)}]] in order",
                )

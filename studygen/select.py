"""Blueprint sampling and version shuffling: from validated banks to a `Quiz`.

With quotas (the classic blueprint) every version holds the same questions,
so versions are equally hard by construction; only question order, option
order and the order of matching and ordering parts differ.  Blueprints with
`pools` are drawn by `studygen.pools` (per version, balanced on difficulty).
All randomness comes from the `random.Random` the caller passes in, so the
same seed and banks always give the same quiz.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from studygen.course import Blueprint, QuizSpec
from studygen.errors import StudygenError
from studygen.model import Bank, Question, QuestionType
from studygen.text.letters import letter, version_label
from studygen.versions import Fingerprint, Item, Quiz, StudentVersion, Version

# Exact-quota sampling is a small constraint search; this bounds it so an impossible blueprint
# fails in well under a second instead of exploring every subset.
SEARCH_BUDGET = 200_000


@dataclass(frozen=True)
class _Candidate:
    bank: Bank
    question: Question

    def value(self, dimension: str) -> object:
        q = self.question
        if dimension == "per_type":
            return q.type.value
        if dimension == "per_topic":
            return q.topics[0] if q.topics else ""
        if dimension == "per_difficulty":
            return q.difficulty
        return q.bloom


_DIMENSIONS = ("per_type", "per_topic", "per_difficulty", "per_bloom")
_OTHER = object()  # stands for every value a quota dimension does not name


def _describe_filters(bp: Blueprint) -> str:
    parts = []
    if bp.topics:
        parts.append(f"topics {', '.join(bp.topics)}")
    if bp.difficulty:
        parts.append(f"difficulty {', '.join(map(str, bp.difficulty))}")
    if bp.bloom:
        parts.append(f"bloom {', '.join(bp.bloom)}")
    return " and ".join(parts) if parts else "no filters"


def select_questions(banks: Sequence[Bank], bp: Blueprint, rng: random.Random) -> list[tuple[Bank, Question]]:
    """Sample `bp.questions` distinct questions meeting every quota exactly.

    In each quota dimension (type, first topic, difficulty, Bloom level) the
    named values get exactly their count and the remaining questions come
    from values the dimension does not name.  The search walks the pool in a
    seeded random order and backtracks, so any satisfiable blueprint is met.
    """
    keep = bp.admits
    pool = [_Candidate(b, q) for b in banks for q in b.questions if keep(q)]
    n = bp.questions
    if len(pool) < n:
        raise StudygenError(
            f"the blueprint asks for {n} questions but only {len(pool)} match ({_describe_filters(bp)}); "
            "lower `questions`, widen the filters or add questions to the banks"
        )
    quotas: dict[str, dict[object, int]] = {}
    for dim in _DIMENSIONS:
        raw = getattr(bp, dim)
        if raw:
            quotas[dim] = dict(raw)
    for dim, quota in quotas.items():
        if sum(quota.values()) > n:
            raise StudygenError(
                f"the blueprint's {dim} asks for {sum(quota.values())} questions but the quiz has only {n}; "
                "raise `questions` or lower the counts"
            )
        have = Counter(c.value(dim) for c in pool)
        for value, want in quota.items():
            if have[value] < want:
                raise StudygenError(
                    f"the blueprint's {dim} asks for {want} question(s) of {value!r} but only {have[value]} "
                    f"match ({_describe_filters(bp)}); lower that count or add questions"
                )
        rest = n - sum(quota.values())
        others = sum(1 for c in pool if c.value(dim) not in quota)
        if others < rest:
            raise StudygenError(
                f"the blueprint's {dim} leaves {rest} question(s) for values it does not name, but only "
                f"{others} such questions match; name more values in {dim} or add questions"
            )
    rng.shuffle(pool)
    chosen = _search(pool, n, quotas)
    if chosen is None:
        alternatives = " and no two alternatives (`excludes`) together" if _conflicts(pool) else ""
        raise StudygenError(
            f"no set of {n} questions meets every quota of the blueprint at once ({', '.join(quotas) or 'count'})"
            f"{alternatives}; the quotas conflict for these banks: loosen one of them"
        )
    return [(c.bank, c.question) for c in chosen]


def _conflicts(pool: list[_Candidate]) -> list[frozenset[int]]:
    """Per candidate, the candidates it may not share a quiz with (`excludes`, both ways); [] if none do."""
    where = {c.question.id: i for i, c in enumerate(pool)}
    sets: list[set[int]] = [set() for _ in pool]
    for i, c in enumerate(pool):
        for other in c.question.excludes:
            j = where.get(other)
            if j is not None and j != i:
                sets[i].add(j)
                sets[j].add(i)
    return [frozenset(x) for x in sets] if any(sets) else []


def _search(pool: list[_Candidate], n: int, quotas: dict[str, dict[object, int]]) -> list[_Candidate] | None:
    """Depth-first over 'take or skip' per candidate, pruned by what is still reachable (iterative).

    A candidate whose alternative (`excludes`) is already taken is skipped like one over its quota.
    """
    conflicts = _conflicts(pool)
    blocked: Counter[int] = Counter()  # candidate -> how many taken candidates exclude it
    rest = {dim: n - sum(q.values()) for dim, q in quotas.items()}
    counts: dict[str, Counter[object]] = {dim: Counter() for dim in quotas}
    values = [{dim: (c.value(dim) if c.value(dim) in quotas[dim] else _OTHER) for dim in quotas} for c in pool]
    # suffix[i][dim][value]: how many candidates at index >= i carry that value (for pruning).
    suffix: list[dict[str, Counter[object]]] = [{dim: Counter() for dim in quotas}]
    for i in range(len(pool) - 1, -1, -1):
        nxt = {dim: suffix[-1][dim].copy() for dim in quotas}
        for dim in quotas:
            nxt[dim][values[i][dim]] += 1
        suffix.append(nxt)
    suffix.reverse()
    wants = {dim: {**quota, _OTHER: rest[dim]} for dim, quota in quotas.items()}

    def fits(i: int) -> bool:
        if conflicts and blocked[i]:
            return False
        return all(counts[dim][values[i][dim]] < wants[dim][values[i][dim]] for dim in quotas)

    def feasible(i: int) -> bool:
        if len(pool) - i < n - taken:
            return False
        left = suffix[i]
        return all(left[d][v] >= want - counts[d][v] for d, want_map in wants.items() for v, want in want_map.items())

    def step(i: int, delta: int) -> None:
        for dim in quotas:
            counts[dim][values[i][dim]] += delta
        if conflicts:
            for j in conflicts[i]:
                blocked[j] += delta

    decisions: list[tuple[int, bool]] = []
    taken, i, budget = 0, 0, SEARCH_BUDGET
    while taken < n:
        budget -= 1
        if budget < 0:
            return None
        if i < len(pool) and feasible(i):
            took = fits(i)
            if took:
                step(i, 1)
                taken += 1
            decisions.append((i, took))
            i += 1
            continue
        while decisions:  # backtrack to the latest 'take' and skip it instead
            j, took = decisions.pop()
            if took:
                step(j, -1)
                taken -= 1
                decisions.append((j, False))
                i = j + 1
                break
        else:
            return None
    return [pool[j] for j, took in decisions if took]


def _balanced_targets(questions: Sequence[tuple[int, tuple[int, ...]]], rng: random.Random) -> dict[int, int]:
    """Give each single-choice question a position for its correct option, spreading them evenly.

    `questions` are (index, feasible positions).  Questions with the fewest
    choices go first; each takes its least-used feasible position (ties broken
    at random), so the positions end up within one of each other whenever
    the option counts allow it.
    """
    used: Counter[int] = Counter()
    order = list(questions)
    rng.shuffle(order)
    order.sort(key=lambda q: len(q[1]))
    targets: dict[int, int] = {}
    for index, feasible in order:
        least = min(used[p] for p in feasible)
        pick = rng.choice([p for p in feasible if used[p] == least])
        used[pick] += 1
        targets[index] = pick
    return targets


def _shuffle_options(q: Question, rng: random.Random, correct_at: int | None) -> list[int]:
    """A permutation of option indexes: pinned options keep their place, the rest are shuffled.

    With `correct_at`, the (single, unpinned) correct option lands at that position.
    """
    n = len(q.options)
    free = [i for i in range(n) if not q.options[i].pinned]
    order: list[int] = list(range(n))
    movable = list(free)
    rng.shuffle(movable)
    if correct_at is not None:
        right = q.correct_indexes[0]
        movable.remove(right)
        slots = [p for p in free if p != correct_at]
        order[correct_at] = right
        for slot, src in zip(slots, movable, strict=True):
            order[slot] = src
    else:
        for slot, src in zip(free, movable, strict=True):
            order[slot] = src
    return order


def _derangement(n: int, rng: random.Random) -> list[int]:
    """A shuffled order of n parts that is never the original order (when n > 1), so it gives nothing away."""
    order = list(range(n))
    if n < 2:
        return order
    while order == sorted(order):
        rng.shuffle(order)
    return order


def _item(
    number: int,
    bank: Bank,
    q: Question,
    rng: random.Random,
    correct_at: int | None,
    true_false: tuple[str, str],
    weight: float | None = None,
) -> Item:
    item = _shown_item(number, bank, q, rng, correct_at, true_false)
    return item if weight is None else dataclasses.replace(item, weight=weight)


def _shown_item(
    number: int,
    bank: Bank,
    q: Question,
    rng: random.Random,
    correct_at: int | None,
    true_false: tuple[str, str],
) -> Item:
    quotes = bank.quotes_for(q.refs)
    t = q.type
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        order = _shuffle_options(q, rng, correct_at)
        choices = tuple(q.options[i].text for i in order)
        correct = tuple(letter(pos) for pos, i in enumerate(order) if q.options[i].correct)
        return Item(number, q, bank.id, choices=choices, correct=correct, source_quotes=quotes)
    if t is QuestionType.TRUE_FALSE:
        return Item(number, q, bank.id, choices=true_false, correct=("A" if q.answer else "B",), source_quotes=quotes)
    if t is QuestionType.MATCHING:
        lefts = [p.left for p in q.pairs]
        rights = [p.right for p in q.pairs] + list(q.distractors)
        left_order = list(range(len(lefts)))
        rng.shuffle(left_order)
        right_order = _derangement(len(rights), rng)
        shown_right = {src: pos for pos, src in enumerate(right_order)}
        return Item(
            number,
            q,
            bank.id,
            choices=tuple(rights[i] for i in right_order),
            prompts=tuple(lefts[i] for i in left_order),
            correct=tuple(letter(shown_right[i]) for i in left_order),
            source_quotes=quotes,
        )
    if t is QuestionType.ORDERING:
        order = _derangement(len(q.items), rng)
        shown = {src: pos for pos, src in enumerate(order)}
        return Item(
            number,
            q,
            bank.id,
            choices=tuple(q.items[i] for i in order),
            correct=tuple(letter(shown[i]) for i in range(len(q.items))),
            source_quotes=quotes,
        )
    if t is QuestionType.SHORT_ANSWER:
        return Item(number, q, bank.id, correct=q.accepted, source_quotes=quotes)
    if t is QuestionType.FILL_BLANK:
        blanks = tuple(b.accepted for b in q.blanks)
        return Item(
            number, q, bank.id, correct=tuple(" | ".join(b) for b in blanks), blanks=blanks, source_quotes=quotes
        )
    return Item(number, q, bank.id, source_quotes=quotes)


@dataclass(frozen=True)
class Arrangement:
    """How a version's questions are laid out, beyond the shuffle: sections by type, points by type."""

    sections: tuple[QuestionType, ...] = ()  # type order of the parts; () = one shuffled run (the default)
    points: tuple[tuple[QuestionType, float], ...] = ()  # the blueprint's points per type, over the bank's


NO_ARRANGEMENT = Arrangement()


def arrangement(spec: QuizSpec) -> Arrangement:
    """A course file quiz's sections and blueprint points, as selection uses them."""
    points = tuple((QuestionType(t), p) for t, p in spec.blueprint.points.items())
    return Arrangement(tuple(QuestionType(t) for t in spec.sections), points)


def _opening_swap(shown: list[tuple[Bank, Question]], avoid: str | None, rank: dict[QuestionType, int]) -> None:
    """Neighbours must not open with the same question: swap the first for another of its section, if any."""
    if avoid is None or not shown or shown[0][1].id != avoid:
        return
    first = rank.get(shown[0][1].type, 0)
    for j in range(1, len(shown)):
        if rank.get(shown[j][1].type, 0) != first:
            break  # past the first section: no question may take the opening place
        if shown[j][1].id != avoid:
            shown[0], shown[j] = shown[j], shown[0]
            return


def make_version(
    label: str,
    selected: Sequence[tuple[Bank, Question]],
    rng: random.Random,
    *,
    true_false: tuple[str, str] = ("True", "False"),
    arrangement: Arrangement = NO_ARRANGEMENT,
    avoid_first: str | None = None,
) -> Version:
    """One version: the selected questions in a fresh order, each with its parts shuffled.

    With `arrangement.sections` the shuffled questions are grouped by type in that order
    (a stable sort, so each part keeps its shuffle).  `avoid_first` is the question the previous
    version opened with: this one opens with another from its first part whenever there is one
    (the random stream is the same either way, so only the two places change).
    """
    order = list(range(len(selected)))
    rng.shuffle(order)
    shown = [selected[i] for i in order]
    rank = {t: i for i, t in enumerate(arrangement.sections)}
    if rank:
        shown.sort(key=lambda bq: rank.get(bq[1].type, len(rank)))
    _opening_swap(shown, avoid_first, rank)
    singles = []
    for index, (_, q) in enumerate(shown):
        if q.type is QuestionType.SINGLE_CHOICE:
            right = q.correct_indexes[0]
            if q.options[right].pinned:
                continue  # a pinned correct option cannot move; it does not take part in balancing
            singles.append((index, tuple(i for i, o in enumerate(q.options) if not o.pinned)))
    targets = _balanced_targets(singles, rng)
    weights = dict(arrangement.points)
    items = tuple(
        _item(index + 1, bank, q, rng, targets.get(index), true_false, weights.get(q.type))
        for index, (bank, q) in enumerate(shown)
    )
    return Version(label, items)


def opening(version: Version) -> str | None:
    """The id of the question a version opens with (what the next version must not open with)."""
    return version.items[0].question.id if version.items else None


# A lazy quiz keeps the random state before every CHECKPOINT-th version, so any version can be
# remade by replaying at most CHECKPOINT - 1 others (about 5 KB of state per checkpoint).
CHECKPOINT = 64


class LazyVersions(Sequence[Version]):
    """A quiz's versions, made when asked rather than all held in memory.

    Versions are made one after another from one random stream, exactly as if
    they were all made at once (same seed, same versions); `make_quiz` records
    the stream's state every `CHECKPOINT` versions, so `versions[i]` and
    slices replay from the nearest checkpoint.  Memory stays flat whether a
    quiz has 10 versions or 10,000: renderers take slices, the manifest
    iterates, and nothing keeps them all.
    """

    def __init__(
        self,
        selected: Sequence[tuple[Bank, Question]] | Sequence[Sequence[tuple[Bank, Question]]],
        count: int,
        checkpoints: Sequence[tuple[Any, str | None]],
        true_false: tuple[str, str],
        arrangement: Arrangement = NO_ARRANGEMENT,
        *,
        per_version: bool = False,
    ) -> None:
        """`selected` is the questions every version asks, or with `per_version` each version's own."""
        self._each: tuple[tuple[tuple[Bank, Question], ...], ...] | None = None
        self._selected: tuple[tuple[Bank, Question], ...] = ()
        if per_version:
            self._each = tuple(tuple(s) for s in selected)  # type: ignore[arg-type]
        else:
            self._selected = tuple(selected)  # type: ignore[arg-type]
        self._count = count
        self._checkpoints = tuple(checkpoints)  # (random state, the opening question of the version before)
        self._true_false = true_false
        self._arrangement = arrangement
        self._block: tuple[int, tuple[Version, ...]] | None = None  # the last block made, for repeated access

    def __len__(self) -> int:
        return self._count

    def label_of(self, index: int) -> str:
        """`self[index].label` without making the version (file names are planned from labels alone)."""
        if not 0 <= index < self._count:
            raise IndexError("version index out of range")
        return version_label(index)

    def _selection(self, version: int) -> Sequence[tuple[Bank, Question]]:
        return self._selected if self._each is None else self._each[version]

    def _make_block(self, block: int) -> tuple[Version, ...]:
        if self._block is not None and self._block[0] == block:
            return self._block[1]
        rng = random.Random()
        state, before = self._checkpoints[block]
        rng.setstate(state)
        start = block * CHECKPOINT
        made_list = []
        for v in range(start, min(self._count, start + CHECKPOINT)):
            version = make_version(
                version_label(v),
                self._selection(v),
                rng,
                true_false=self._true_false,
                arrangement=self._arrangement,
                avoid_first=before,
            )
            before = opening(version)
            made_list.append(version)
        made = tuple(made_list)
        self._block = (block, made)
        return made

    @overload
    def __getitem__(self, index: int) -> Version: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Version, ...]: ...

    def __getitem__(self, index: int | slice) -> Version | tuple[Version, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._count)))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("version index out of range")
        return self._make_block(index // CHECKPOINT)[index % CHECKPOINT]

    def __iter__(self) -> Iterator[Version]:
        for block in range(len(self._checkpoints)):
            yield from self._make_block(block)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{self._count} versions of {len(self._selection(0)) if self._count else 0} questions>"


# A per-student version that comes out identical to an earlier one is shuffled again up to this many times;
# only a quiz too small to have that many arrangements (two true/false questions for 30 students) runs out.
UNIQUE_RETRIES = 50


def _signature(version: Version) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """What a student sees of a version: its questions in order, with their options and prompts in order."""
    return tuple((i.question.id, i.choices, i.prompts) for i in version.items)


def _distinct_versions(
    labels: Sequence[str],
    draws: Sequence[Sequence[tuple[Bank, Question]]],
    rng: random.Random,
    true_false: tuple[str, str],
    students: Sequence[tuple[str, str]],
    arrangement: Arrangement = NO_ARRANGEMENT,
) -> tuple[Version, ...]:
    """One version per student, no two alike: a version equal to an earlier one is shuffled again.

    The retries come from the same seeded stream, so the result is still reproducible.
    """
    seen: dict[tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...], int] = {}
    made = []
    before: str | None = None  # neighbours in the roster do not open with the same question either
    for v, (label, selected) in enumerate(zip(labels, draws, strict=True)):
        version = make_version(label, selected, rng, true_false=true_false, arrangement=arrangement, avoid_first=before)
        tries = 0
        while _signature(version) in seen:
            tries += 1
            if tries > UNIQUE_RETRIES:
                from studygen.pools import DrawError

                twin = seen[_signature(version)]
                raise DrawError(
                    f"`versions: per_student` needs a different version for each of the roster's {len(labels)} "
                    f"students, but version {label} (student {students[v][0]!r}) keeps coming out the same as "
                    f"version {labels[twin]} (student {students[twin][0]!r}): both ask the same {len(selected)} "
                    f"question(s), which cannot be put in enough different orders for {len(labels)} students; "
                    "ask more questions, or draw from bigger pools with `draw: per_version`",
                    "versions",
                )
            version = make_version(
                label, selected, rng, true_false=true_false, arrangement=arrangement, avoid_first=before
            )
        seen[_signature(version)] = v
        before = opening(version)
        made.append(version)
    return tuple(made)


def make_quiz(
    quiz_id: str,
    title: str,
    banks: Sequence[Bank],
    blueprint: Blueprint,
    versions: int,
    seed: int,
    rng: random.Random,
    *,
    true_false: tuple[str, str] = ("True", "False"),
    arrangement: Arrangement = NO_ARRANGEMENT,
    students: Sequence[tuple[str, str]] = (),
) -> Quiz:
    """Draw the questions, then shuffle each version (grouped into sections as `arrangement` says).

    With quotas and `draw: same` (the default) the questions are selected once and every version asks
    them; the versions are made once here, in order, to compute the quiz's fingerprint and record
    checkpoints, and not kept (see `LazyVersions`), so memory does not grow with the versions.  With
    `pools`, or `draw: per_version`, `studygen.pools` draws each slot, once for all versions or once
    per version, the versions balanced on expected score; only each version's choice of questions
    is kept (references into the banks), its shuffled items are remade when asked, the same way.

    `students` (roster order: (student_id, name)) asks for `versions: per_student`: one version per
    student, labelled A, B, ..., Z, AA, ... in roster order, no two alike, and recorded in
    `Quiz.students`; `versions` must then be the number of students.
    """
    if versions < 1:
        raise StudygenError(f"a quiz needs at least one version, not {versions}")
    if students and len(students) != versions:
        raise StudygenError(f"`versions: per_student` makes one version per student: {len(students)}, not {versions}")
    per_version = blueprint.draw == "per_version"
    if blueprint.pools or per_version or students:
        labels = [version_label(v) for v in range(versions)]
        if blueprint.pools or per_version:
            from studygen.pools import draw_pools

            ids = [sid for sid, _ in students]
            drawn = draw_pools(banks, blueprint, labels, rng, per_version=per_version, students=ids)
            draws, balance = drawn.versions, drawn.balance
        else:
            selected = select_questions(banks, blueprint, rng)
            draws, balance = [selected] * versions, None
        used = {b.id for selected in draws for b, _ in selected}
        if students:  # kept whole: whether a version is shuffled again depends on every version before it
            made = _distinct_versions(labels, draws, rng, true_false, students, arrangement)
            who = tuple(StudentVersion(sid, name, label) for (sid, name), label in zip(students, labels, strict=False))
            return Quiz(
                quiz_id,
                title,
                seed,
                made,
                tuple(b for b in banks if b.id in used),
                balance=balance,
                sections=arrangement.sections,
                students=who,
            )
        fingerprint, checkpoints = _shuffle_once(quiz_id, title, seed, draws, rng, true_false, arrangement)
        lazy = LazyVersions(draws, versions, checkpoints, true_false, arrangement, per_version=True)
        return Quiz(
            quiz_id,
            title,
            seed,
            lazy,
            tuple(b for b in banks if b.id in used),
            balance=balance,
            fingerprint=fingerprint,
            sections=arrangement.sections,
        )
    selected = select_questions(banks, blueprint, rng)
    fingerprint, checkpoints = _shuffle_once(quiz_id, title, seed, [selected] * versions, rng, true_false, arrangement)
    lazy = LazyVersions(selected, versions, checkpoints, true_false, arrangement)
    asked = {b.id for b, _ in selected}
    return Quiz(
        quiz_id,
        title,
        seed,
        lazy,
        tuple(b for b in banks if b.id in asked),
        fingerprint=fingerprint,
        sections=arrangement.sections,
    )


def _shuffle_once(
    quiz_id: str,
    title: str,
    seed: int,
    selections: Sequence[Sequence[tuple[Bank, Question]]],
    rng: random.Random,
    true_false: tuple[str, str],
    arrangement: Arrangement,
) -> tuple[str, list[tuple[Any, str | None]]]:
    """Make every version once, in order, for the quiz's fingerprint and the state at each checkpoint.

    The versions themselves are not kept (`LazyVersions` remakes them from the checkpoints: the
    random state and the question the version before opened with).
    """
    fingerprint = Fingerprint(quiz_id, title, seed)
    checkpoints: list[tuple[Any, str | None]] = []
    before: str | None = None
    for v, selected in enumerate(selections):
        if v % CHECKPOINT == 0:
            checkpoints.append((rng.getstate(), before))
        version = make_version(
            version_label(v), selected, rng, true_false=true_false, arrangement=arrangement, avoid_first=before
        )
        fingerprint.add(version)
        before = opening(version)
    return fingerprint.hexdigest(), checkpoints

"""Drawing blueprint pools: each version its own questions, and the versions equally hard.

A blueprint with `pools` names slots ("4 questions from these", "1 essay from
those").  With `draw: per_version` every version draws its own questions from
each slot, which in a lecture hall makes a neighbour's paper useless; the hard
part, which R/exams and auto-multiple-choice leave to luck, is making those
draws equally hard.  Here that holds by construction:

1. Every question gets an expected score: the proportion correct measured by
   grading (the bank's stats file), shrunk towards the authored difficulty by
   its sample size, or the authored difficulty alone (`expected_p`).
2. Each slot's pool is used round after round in a seeded order, so across
   versions every question is used equally often (counts differ by at most
   one); those copies are dealt largest expected points first, each to the
   version lowest so far that has room and does not hold it yet (the classic
   rule for balanced partitions).
3. A local search then exchanges questions between versions (or swaps a
   most-used question for a least-used one) to bring every version's expected
   mean score, total points and Bloom profile to the average, while keeping
   questions distinct across slots and alternatives (`excludes`) apart; it
   stops once the versions are as even as they can get.

Only exchanges within a slot are made, so every version keeps its blueprint
and exposure stays balanced.  All randomness comes from the caller's
`random.Random`, so the same seed and banks give the same versions.
"""

from __future__ import annotations

import bisect
import heapq
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from studygen.course import Blueprint, Pool
from studygen.errors import StudygenError
from studygen.model import BLOOM_LEVELS, Bank, Question
from studygen.versions import Balance, SlotExposure, VersionBalance

# The expected proportion correct read from an authored difficulty (1 easy .. 3 hard).
AUTHORED_P: dict[int, float] = {1: 0.85, 2: 0.65, 3: 0.45}
# A measured proportion correct counts as this many students' worth of the authored guess, so a figure
# measured on a handful of students moves the estimate only a little and one from a whole class dominates it.
PRIOR_N = 10
# Search effort, in improving exchanges per version; bounded so an unbalanceable blueprint fails quickly.
MOVES_PER_VERSION = 30
PARTNERS = 4  # versions tried as exchange partners for the worst version before it counts as settled
MIN_GAIN = 1e-3  # smallest cost reduction worth a move (a thirtieth of a percentage point, squared)
GOOD_SPREAD = 0.0005  # expected means within 0.05 percentage points: nothing left to gain
CHECK_EVERY = 16  # steps between checks whether the versions are already as even as they can get
NEAR = 4  # per Bloom level: candidates of nearest expected score tried for one question
EXHAUSTIVE = 8  # slots of at most this many questions per version try every exchange

# Weights of the balancing cost: a version 1 percentage point off the average expected mean costs 1;
# a point of total points off the average costs 4 (unequal maxima look unfair on paper); one question
# more or fewer than the average at a Bloom level costs 0.25.  A repeated question or two alternatives
# in one version cost so much that any exchange removing one is taken first.
_W_PCT = 1.0 / 0.01**2
_W_PTS = 4.0
_W_BLOOM = 0.25
_PENALTY = 1e9
_BLOOM_INDEX = {b: i for i, b in enumerate(BLOOM_LEVELS)}


class DrawError(StudygenError):
    """The pools cannot give the versions the blueprint asks for; `key` says where (see `QuizSpec.where`)."""

    def __init__(self, message: str, key: str = "blueprint") -> None:
        super().__init__(message)
        self.key = key


def expected_p(bank: Bank, q: Question) -> float:
    """The expected proportion of `q`'s points a student earns: measured where possible, authored otherwise."""
    prior = AUTHORED_P.get(q.difficulty, AUTHORED_P[2])
    measured = bank.stats.get(q.id)
    if measured is None or measured.n <= 0:
        return prior
    return (measured.n * measured.difficulty + PRIOR_N * prior) / (measured.n + PRIOR_N)


def _slot_name(pool: Pool | None, index: int) -> str:
    return "the blueprint" if pool is None else pool.describe(index)


def _slot_key(pool: Pool | None, index: int) -> str:
    return "blueprint" if pool is None else f"blueprint.pools.{index}"


def _filters(pool: Pool) -> str:
    parts = [
        f"{key} {', '.join(map(str, values))}"
        for key, values in (
            ("ids", pool.ids),
            ("types", pool.types),
            ("topics", pool.topics),
            ("difficulty", pool.difficulty),
            ("bloom", pool.bloom),
            ("tags", pool.tags),
            ("banks", pool.banks),
        )
        if values
    ]
    return " and ".join(parts) if parts else "no filters"


def blueprint_pools(bp: Blueprint) -> tuple[tuple[Pool, ...], bool]:
    """The slots of a blueprint, and whether they were written as `pools` (else one slot of its filters)."""
    if bp.pools:
        return bp.pools, True
    return (Pool(bp.questions, topics=bp.topics, difficulty=bp.difficulty, bloom=bp.bloom),), False


def pool_members(banks: Sequence[Bank], pool: Pool, index: int, written: bool) -> list[tuple[Bank, Question]]:
    """The questions of `banks` a pool admits, in bank order; names that match nothing are errors."""
    known_banks = {b.id for b in banks}
    key = _slot_key(pool if written else None, index)
    for j, bank_id in enumerate(pool.banks):
        if bank_id not in known_banks:
            raise DrawError(
                f"{pool.describe(index)} names bank {bank_id!r}, which is not among the quiz's banks "
                f"({', '.join(sorted(known_banks))}); name one of those, or add it to the quiz's `banks`",
                f"{key}.banks.{j}",
            )
    if pool.ids:
        by_id = {q.id: (b, q) for b in banks for q in b.questions}
        for j, qid in enumerate(pool.ids):
            if qid not in by_id:
                raise DrawError(
                    f"{pool.describe(index)} names question {qid!r}, which is in none of the quiz's banks "
                    f"({', '.join(sorted(known_banks))})",
                    f"{key}.ids.{j}",
                )
    ids, types, topics, tags = set(pool.ids), set(pool.types), set(pool.topics), set(pool.tags)
    chosen = set(pool.banks)
    out = []
    for b in banks:
        if chosen and b.id not in chosen:
            continue
        for q in b.questions:
            if ids and q.id not in ids:
                continue
            if types and q.type.value not in types:
                continue
            if topics and not topics & set(q.topics):
                continue
            if tags and not tags & set(q.tags):
                continue
            if pool.difficulty and q.difficulty not in pool.difficulty:
                continue
            if pool.bloom and q.bloom not in pool.bloom:
                continue
            out.append((b, q))
    return out


@dataclass(frozen=True)
class Drawn:
    """Each version's questions (slot by slot), and the balance achieved when versions differ."""

    versions: list[list[tuple[Bank, Question]]]
    balance: Balance | None


def draw_pools(
    banks: Sequence[Bank],
    bp: Blueprint,
    labels: Sequence[str],
    rng: random.Random,
    *,
    per_version: bool,
    students: Sequence[str] = (),
) -> Drawn:
    """Draw the blueprint's slots once for all versions (`per_version=False`) or once per version.

    `students` (one roster id per version, for `versions: per_student`) only changes the messages:
    a version is named with its student, and counts are of students, which is what the instructor set.
    """
    pools, written = blueprint_pools(bp)
    members: list[list[tuple[Bank, Question]]] = []
    for k, pool in enumerate(pools):
        found = pool_members(banks, pool, k, written)
        if len(found) < pool.questions:
            name = _slot_name(pool if written else None, k)
            raise DrawError(
                f"{name} asks for {pool.questions} question(s) but only {len(found)} match ({_filters(pool)}); "
                "lower its `questions`, widen its filters or add questions to the banks",
                f"{_slot_key(pool if written else None, k)}.questions" if written else "blueprint.questions",
            )
        members.append(found)
    # One index per distinct question, so overlapping pools share it and "no question twice" is one check.
    index: dict[str, int] = {}
    items: list[tuple[Bank, Question]] = []
    for found in members:
        for b, q in found:
            if q.id not in index:
                index[q.id] = len(items)
                items.append((b, q))
    need = sum(p.questions for p in pools)
    if len(items) < need:
        raise DrawError(
            f"the pools ask for {need} different questions per version but together hold only {len(items)}; "
            "pools that overlap share their questions: widen them or add questions",
            "blueprint.pools" if written else "blueprint",
        )
    excludes = _exclusions(items, index)
    drawer = _Drawer(
        values=[expected_p(b, q) * q.points for b, q in items],
        points=[q.points for _, q in items],
        bloom=[_BLOOM_INDEX.get(q.bloom, 0) for _, q in items],
        excludes=excludes,
        slots=[[index[q.id] for _, q in found] for found in members],
        counts=[p.questions for p in pools],
        versions=len(labels) if per_version else 1,
        rng=rng,
    )
    drawer.search()
    names = [_slot_name(p if written else None, k) for k, p in enumerate(pools)]
    keys = [_slot_key(p if written else None, k) for k, p in enumerate(pools)]
    version_labels = list(labels) if per_version else ["(all versions)"]
    if per_version and students:
        version_labels = [f"{label} (student {sid!r})" for label, sid in zip(labels, students, strict=True)]
    drawer.unit = f"{drawer.V} students (one version each)" if per_version and students else f"{drawer.V} version(s)"
    problem = drawer.problem(items, names, version_labels)
    if problem is not None:
        message, slot = problem
        raise DrawError(message, keys[slot])
    chosen = [[items[i] for slot in drawer.assign[v] for i in slot] for v in range(drawer.V)]
    if not per_version:
        return Drawn([chosen[0] for _ in labels], None)
    balance = _balance(drawer, items, labels, names, bp.tolerance)
    if balance.spread > bp.tolerance + 1e-9:
        message, slot = drawer.explain_spread(items, names, version_labels, bp.tolerance)
        raise DrawError(message, keys[slot] if written else "blueprint.tolerance")
    return Drawn(chosen, balance)


def _exclusions(items: Sequence[tuple[Bank, Question]], index: dict[str, int]) -> list[frozenset[int]]:
    """Symmetric 'never together' sets between drawable questions (an exclude outside the pools is moot)."""
    sets: list[set[int]] = [set() for _ in items]
    for i, (_, q) in enumerate(items):
        for other in q.excludes:
            j = index.get(other)
            if j is not None and j != i:
                sets[i].add(j)
                sets[j].add(i)
    return [frozenset(s) for s in sets]


def _balance(
    drawer: _Drawer, items: Sequence[tuple[Bank, Question]], labels: Sequence[str], names: list[str], tolerance: float
) -> Balance:
    versions = []
    measured = authored = 0
    for v, label in enumerate(labels):
        drawn = [i for slot in drawer.assign[v] for i in slot]
        bloom = Counter(items[i][1].bloom for i in drawn)
        for i in drawn:
            bank, q = items[i]
            if bank.stats.get(q.id) is not None and bank.stats[q.id].n > 0:
                measured += 1
            else:
                authored += 1
        versions.append(
            VersionBalance(
                label=label,
                expected_mean=100.0 * drawer.pct(v),
                points=drawer.pts[v],
                bloom=tuple((b, bloom[b]) for b in BLOOM_LEVELS if bloom[b]),
            )
        )
    exposure = tuple(
        SlotExposure(names[k], len(members), min(drawer.use[k][i] for i in members), max(drawer.use[k].values()))
        for k, members in enumerate(drawer.slots)
    )
    return Balance(tolerance, tuple(versions), exposure, measured, authored)


class _Drawer:
    """The assignment of questions to versions, with the aggregates the exchange search keeps up to date.

    Questions are plain indexes here: `values[i]` is question i's expected points, `points[i]` its
    points, `bloom[i]` its Bloom level index, `excludes[i]` its alternatives.  `assign[v][k]` lists the
    questions slot k gives version v; `use[k][i]` counts how many versions slot k gave question i.
    """

    def __init__(
        self,
        *,
        values: list[float],
        points: list[float],
        bloom: list[int],
        excludes: list[frozenset[int]],
        slots: list[list[int]],
        counts: list[int],
        versions: int,
        rng: random.Random,
    ) -> None:
        self.values, self.points, self.bloom_of, self.excludes = values, points, bloom, excludes
        self.slots, self.counts, self.V, self.rng = slots, counts, versions, rng
        self.unit = f"{versions} version(s)"  # how messages count the versions ("300 students ...")
        self.assign: list[list[list[int]]] = [[] for _ in range(versions)]
        self.use: list[Counter[int]] = []
        # A most-used/least-used swap exists only where the uses are not all equal.
        self.can_replace = [(versions * counts[k]) % len(m) != 0 for k, m in enumerate(slots)]
        copies: list[tuple[int, int]] = []  # (slot, question), one per place to fill
        for k, members in enumerate(slots):
            order = list(members)
            rng.shuffle(order)
            total = versions * counts[k]
            # Use the shuffled pool round after round, so uses differ by at most one.
            dealt = (order * (total // len(order) + 1))[:total]
            copies += [(k, i) for i in dealt]
            self.use.append(Counter(dealt))
            for i in members:
                self.use[k].setdefault(i, 0)
        self._deal(copies)
        # Members of each slot by Bloom level, sorted by expected points, for finding a question of a
        # wanted value at every level (so a swap can also even out the Bloom profile).
        self.by_value = [self._groups(m) for m in slots]
        steps = sorted({abs(a - b) for a in set(points) for b in set(points) if a != b})
        self.point_step = steps[0] if steps else 0.0  # the smallest unevenness of total points that can remain
        self.count: list[Counter[int]] = []
        self.exp: list[float] = []
        self.pts: list[float] = []
        self.blooms: list[list[int]] = []
        self.viol: list[int] = []
        for v in range(versions):
            drawn = [i for slot in self.assign[v] for i in slot]
            self.count.append(Counter(drawn))
            self.exp.append(sum(values[i] for i in drawn))
            self.pts.append(sum(points[i] for i in drawn))
            b = [0] * len(BLOOM_LEVELS)
            for i in drawn:
                b[bloom[i]] += 1
            self.blooms.append(b)
            self.viol.append(self._violations(self.count[v]))
        self._targets()

    def _deal(self, copies: list[tuple[int, int]]) -> None:
        """A good first assignment: largest expected points first, each to the version lowest so far.

        This is the classic longest-processing-time rule for balanced partitions, with a version
        taking a question only while it has room in that slot and does not hold the question yet
        (when no version can, the search repairs it).  Ties go to fewer points, then fewer questions
        of that Bloom level, so those start even too.
        """
        V = self.V
        room = [[self.counts[k]] * V for k in range(len(self.slots))]
        exp, pts = [0.0] * V, [0.0] * V
        held: list[set[int]] = [set() for _ in range(V)]
        blooms = [[0] * len(BLOOM_LEVELS) for _ in range(V)]
        for v in range(V):
            self.assign[v] = [[] for _ in self.slots]
        # Stable sort of the shuffled copies: equal values keep a seeded random order.
        order = sorted(copies, key=lambda c: (-self.values[c[1]], -self.points[c[1]]))

        def put(v: int, k: int, i: int, sign: int) -> None:
            if sign > 0:
                self.assign[v][k].append(i)
                held[v].add(i)
            else:
                self.assign[v][k].remove(i)
                held[v].discard(i)
            room[k][v] -= sign
            exp[v] += sign * self.values[i]
            pts[v] += sign * self.points[i]
            blooms[v][self.bloom_of[i]] += sign

        for k, i in order:
            level = self.bloom_of[i]
            open_ = [v for v in range(V) if room[k][v]]
            fresh = [v for v in open_ if i not in held[v]]
            if fresh:
                put(min(fresh, key=lambda x: (exp[x], pts[x], blooms[x][level], x)), k, i, 1)
                continue
            # Every version with room holds i already: hand i to a full version u that lacks it, and
            # give one of u's questions of this slot (one v lacks) to v instead.
            v = open_[0]
            swap = next(
                ((u, j) for u in range(V) if i not in held[u] for j in self.assign[u][k] if j not in held[v]), None
            )
            if swap is None:
                put(v, k, i, 1)  # left for the search to repair, or to report
                continue
            u, j = swap
            put(u, k, j, -1)
            put(u, k, i, 1)
            put(v, k, j, 1)

    # -- aggregates -------------------------------------------------------------------------------

    def _violations(self, count: Counter[int]) -> int:
        dup = sum(c - 1 for c in count.values() if c > 1)
        pairs = sum(count[i] * count[j] for i in count if count[i] for j in self.excludes[i] if j > i)
        return dup + pairs

    def pct(self, v: int) -> float:
        return self.exp[v] / self.pts[v] if self.pts[v] else 0.0

    def _targets(self) -> None:
        """The averages every version is steered to (exchanges keep them; a swap for a less-used one moves them)."""
        V = self.V
        self.t_pct = sum(self.pct(v) for v in range(V)) / V
        self.t_pts = sum(self.pts) / V
        self.t_bloom = [sum(b[level] for b in self.blooms) / V for level in range(len(BLOOM_LEVELS))]
        self.costs = [self.cost(v) for v in range(V)]

    def cost(self, v: int) -> float:
        pct = self.pct(v)
        c = _PENALTY * self.viol[v] + _W_PCT * (pct - self.t_pct) ** 2 + _W_PTS * (self.pts[v] - self.t_pts) ** 2
        return c + _W_BLOOM * sum((x - t) ** 2 for x, t in zip(self.blooms[v], self.t_bloom, strict=True))

    def _viol_delta(self, v: int, out: int, into: int) -> int:
        count = self.count[v]
        d = -1 if count[out] > 1 else 0
        for j in self.excludes[out]:
            d -= count[j]
        if count[into] - (into == out) > 0:
            d += 1
        for j in self.excludes[into]:
            d += count[j] - (j == out)
        return d

    def delta(self, v: int, out: int, into: int) -> float:
        """How version v's cost changes if question `out` is replaced by `into` (nothing is changed)."""
        exp = self.exp[v] - self.values[out] + self.values[into]
        pts = self.pts[v] - self.points[out] + self.points[into]
        old_pct = self.exp[v] / self.pts[v] if self.pts[v] else 0.0
        new_pct = exp / pts if pts else 0.0
        t = self.t_pct
        d = _W_PCT * ((new_pct - t) ** 2 - (old_pct - t) ** 2)
        d += _W_PTS * ((pts - self.t_pts) ** 2 - (self.pts[v] - self.t_pts) ** 2)
        lo, li = self.bloom_of[out], self.bloom_of[into]
        if lo != li:
            b, tb = self.blooms[v], self.t_bloom
            d += _W_BLOOM * (2.0 + 2.0 * ((b[li] - tb[li]) - (b[lo] - tb[lo])))
        count = self.count[v]
        if self.excludes[out] or self.excludes[into] or count.get(into) or count[out] > 1:
            d += _PENALTY * self._viol_delta(v, out, into)
        return d

    def _moved_mean(self, v: int, out: int, into: int) -> float:
        """What a one-version change saves beyond `delta`: it also moves the averages towards the version.

        The cost is a variance, Σ(x - mean)²; changing one x by d changes it by 2d(x - mean) + d²(1 - 1/V).
        `delta` (exact for exchanges, which keep the averages) counts d², so this returns the d²/V part.
        """
        pts = self.pts[v] - self.points[out] + self.points[into]
        d_pct = ((self.exp[v] - self.values[out] + self.values[into]) / pts if pts else 0.0) - self.pct(v)
        d_pts = pts - self.pts[v]
        saved = _W_PCT * d_pct**2 + _W_PTS * d_pts**2
        if self.bloom_of[out] != self.bloom_of[into]:
            saved += _W_BLOOM * 2.0
        return saved / self.V

    def _apply(self, v: int, k: int, pos: int, into: int) -> None:
        out = self.assign[v][k][pos]
        self.viol[v] += self._viol_delta(v, out, into)
        self.exp[v] += self.values[into] - self.values[out]
        self.pts[v] += self.points[into] - self.points[out]
        self.blooms[v][self.bloom_of[out]] -= 1
        self.blooms[v][self.bloom_of[into]] += 1
        self.assign[v][k][pos] = into
        self.count[v][out] -= 1
        if not self.count[v][out]:
            del self.count[v][out]
        self.count[v][into] += 1
        self.costs[v] = self.cost(v)

    # -- moves ------------------------------------------------------------------------------------

    def _groups(self, questions: Sequence[int]) -> list[tuple[list[int], list[float]]]:
        """`questions` split by Bloom level, each sorted by expected points: (questions, their values)."""
        levels: dict[int, list[int]] = {}
        for i in questions:
            levels.setdefault(self.bloom_of[i], []).append(i)
        out = []
        for level in sorted(levels):
            order = sorted(levels[level], key=lambda i: (self.values[i], i))
            out.append((order, [self.values[i] for i in order]))
        return out

    @staticmethod
    def _nearest(groups: list[tuple[list[int], list[float]]], want: float, per_level: int) -> list[int]:
        """At each Bloom level, the `per_level` questions whose expected points are nearest to `want`."""
        out: list[int] = []
        for order, vals in groups:
            at = bisect.bisect_left(vals, want)
            lo, hi, taken = at - 1, at, 0
            while taken < per_level and (lo >= 0 or hi < len(vals)):
                if hi < len(vals) and (lo < 0 or vals[hi] - want <= want - vals[lo]):
                    out.append(order[hi])
                    hi += 1
                else:
                    out.append(order[lo])
                    lo -= 1
                taken += 1
        return out

    def _best_exchange(self, v: int, w: int) -> tuple[float, int, int, int] | None:
        """The exchange of one question of v with one of w (same slot) lowering the pair's cost most.

        For each question of v only w's questions nearest in value to the ideal partner are tried:
        the ideal exchange moves half the two versions' gap in expected points.
        """
        best: tuple[float, int, int, int] | None = None
        gap = (self.pct(w) - self.pct(v)) * (self.pts[v] + self.pts[w]) / 4.0
        for k in range(len(self.slots)):
            mine, theirs = self.assign[v][k], self.assign[w][k]
            if len(theirs) <= EXHAUSTIVE:
                pairs = [(p, r) for p in range(len(mine)) for r in range(len(theirs))]
            else:
                position = {b: r for r, b in enumerate(theirs)}
                groups = self._groups(list(position))
                pairs = [
                    (p, position[b]) for p, a in enumerate(mine) for b in self._nearest(groups, self.values[a] + gap, 2)
                ]
            values, points, bloom = self.values, self.points, self.bloom_of
            for p, r in pairs:
                a, b = mine[p], theirs[r]
                if a == b or (values[a] == values[b] and points[a] == points[b] and bloom[a] == bloom[b]):
                    continue  # changes nothing but which of two like questions each version has
                d = self.delta(v, a, b) + self.delta(w, b, a)
                if d < -1e-9 and (best is None or d < best[0]):
                    best = (d, k, p, r)
        return best

    def _best_replacement(self, v: int) -> tuple[float, int, int, int] | None:
        """Swapping one of v's questions for a less-used one of its slot (exposure stays within one).

        A version holding a repeated question or two alternatives may take any question instead:
        where pools overlap, keeping questions distinct can need uneven exposure.
        """
        best: tuple[float, int, int, int] | None = None
        shift = (self.pct(v) - self.t_pct) * self.pts[v]
        repair = self.viol[v] > 0
        for k in range(len(self.slots)):
            if not (repair or self.can_replace[k]):
                continue
            use = self.use[k]
            held = self.count[v]
            for p, a in enumerate(self.assign[v][k]):
                if repair:  # any question the version does not hold yet (repairs are rare; pools can be big)
                    near = [b for order, _ in self.by_value[k] for b in order if not held.get(b)]
                else:
                    near = self._nearest(self.by_value[k], self.values[a] - shift, NEAR)
                for b in near:
                    if b != a and (repair or use[b] < use[a]):
                        d = self.delta(v, a, b) - self._moved_mean(v, a, b)
                        if d < -1e-9 and (best is None or d < best[0]):
                            best = (d, k, p, b)
        return best

    def even_enough(self) -> bool:
        """Nothing left worth searching for: no conflicts, and means, points and Bloom counts all but equal."""
        V = self.V
        if any(self.viol):
            return False
        pcts = [self.pct(v) for v in range(V)]
        if max(pcts) - min(pcts) > GOOD_SPREAD:
            return False
        if max(self.pts) - min(self.pts) > self.point_step + 1e-9:
            return False
        return all(max(b[lv] for b in self.blooms) - min(b[lv] for b in self.blooms) <= 1 for lv in range(6))

    def search(self) -> None:
        """Lower the total cost by exchanges until the versions are even, no tried move helps, or the budget ends.

        The worst version is improved first: by swapping a question for a less-used one, or by an
        exchange with one of the versions most unlike it (the first that offers a real gain).
        """
        V = self.V
        settled = [False] * V
        budget = MOVES_PER_VERSION * V + 100
        for step in range(budget):
            if step % CHECK_EVERY == 0 and self.even_enough():
                return
            v = max(range(V), key=lambda x: -1.0 if settled[x] else self.costs[x])
            if settled[v] or self.costs[v] < MIN_GAIN:
                return
            replacement = self._best_replacement(v)
            exchange = None
            if V > 1:
                pct = [self.pct(w) for w in range(V)]
                pick = heapq.nsmallest if pct[v] >= self.t_pct else heapq.nlargest
                partners = [w for w in pick(PARTNERS, range(V), key=pct.__getitem__) if w != v]
                partners += [w for w in self.rng.sample(range(V), min(2, V)) if w != v and w not in partners]
                for w in partners:
                    found = self._best_exchange(v, w)
                    if found is not None and (exchange is None or found[0] < exchange[0][0]):
                        exchange = (found, w)
                    if exchange is not None and exchange[0][0] < -MIN_GAIN:
                        break
            gain_x = exchange[0][0] if exchange is not None else 0.0
            gain_r = replacement[0] if replacement is not None else 0.0
            if min(gain_x, gain_r) > -MIN_GAIN:
                settled[v] = True
            elif exchange is not None and gain_x <= gain_r:
                (_, k, p, r), w = exchange
                a, b = self.assign[v][k][p], self.assign[w][k][r]
                self._apply(v, k, p, b)
                self._apply(w, k, r, a)
                settled[w] = False
            elif replacement is not None:
                _, k, p, b = replacement
                a = self.assign[v][k][p]
                self._apply(v, k, p, b)
                self.use[k][a] -= 1
                self.use[k][b] += 1
                self._targets()

    # -- diagnosis --------------------------------------------------------------------------------

    def problem(
        self, items: Sequence[tuple[Bank, Question]], names: list[str], labels: list[str]
    ) -> tuple[str, int] | None:
        """A repeated question or two alternatives left in some version, as a message and its slot."""
        for v in range(self.V):
            if not self.viol[v]:
                continue
            where = {i: k for k in range(len(self.slots)) for i in self.assign[v][k]}
            for k in range(len(self.slots)):
                for i in self.assign[v][k]:
                    qid = items[i][1].id
                    if self.count[v][i] > 1:
                        other = next((j for j in range(len(self.slots)) if j != k and i in self.assign[v][j]), k)
                        return (
                            f"version {labels[v]} would ask question {qid!r} twice: it is in {names[k]} and "
                            f"{names[other]}, and those pools are too small to avoid it; widen one of them or "
                            "keep them apart with filters",
                            other,
                        )
                    for j in self.excludes[i]:
                        if self.count[v][j]:
                            return (
                                f"version {labels[v]} would hold alternatives {qid!r} and {items[j][1].id!r} "
                                f"(`excludes`) together: {names[where[j]]} cannot avoid them for "
                                f"{self.unit}; add questions to it or lower its `questions`",
                                where[j],
                            )
        return None

    def explain_spread(
        self, items: Sequence[tuple[Bank, Question]], names: list[str], labels: list[str], tolerance: float
    ) -> tuple[str, int]:
        """Name the slot most to blame when the expected means cannot be brought within the tolerance."""
        hi = max(range(self.V), key=lambda v: (self.pct(v), -v))
        lo = min(range(self.V), key=lambda v: (self.pct(v), v))
        spread = 100.0 * (self.pct(hi) - self.pct(lo))

        def share(v: int, k: int) -> float:
            return 100.0 * sum(self.values[i] for i in self.assign[v][k]) / self.pts[v] if self.pts[v] else 0.0

        slot = max(range(len(self.slots)), key=lambda k: (share(hi, k) - share(lo, k), -k))
        members = sorted(set(self.slots[slot]))
        ps = [self.values[i] / self.points[i] * 100.0 for i in members if self.points[i]]
        return (
            f"the versions' expected mean scores differ by {spread:.1f} percentage points ({labels[hi]} "
            f"{100 * self.pct(hi):.1f} %, {labels[lo]} {100 * self.pct(lo):.1f} %), more than the tolerance of "
            f"{tolerance:g}; {names[slot]} accounts for {share(hi, slot) - share(lo, slot):.1f} of them: its "
            f"{len(members)} question(s) range from {min(ps):.0f} % to {max(ps):.0f} % expected, too few of "
            f"like difficulty for {self.unit}. Add questions of similar difficulty to it, narrow its "
            "`difficulty`, or raise `tolerance`",
            slot,
        )

"""Question pools: per-version draws that satisfy the blueprint, keep alternatives apart and are equally hard."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.course import Blueprint, Pool
from studygen.model import BLOOM_LEVELS, Bank, MeasuredStats, Question, QuestionType, Reading
from studygen.pools import AUTHORED_P, PRIOR_N, DrawError, draw_pools, expected_p, pool_members
from studygen.select import make_quiz, version_label

READING = Reading("T", "A", "P", "2024-01-01", "r.txt", "text")


def _q(qid: str, **kw: object) -> Question:
    base: dict[str, object] = {
        "id": qid,
        "type": QuestionType.TRUE_FALSE,
        "stem": f"stem {qid}",
        "explanation": "e",
        "refs": (),
        "topics": (),
        "difficulty": 2,
        "bloom": "remember",
        "answer": True,
    }
    base.update(kw)
    return Question(**base)  # type: ignore[arg-type]


@st.composite
def pooled_bank(draw: st.DrawFn) -> tuple[Bank, Blueprint, int]:
    """A bank, a blueprint of 1-3 pools it can fill, and a number of versions."""
    tags = ["a", "b", "c"]
    questions = []
    for i in range(draw(st.integers(4, 40))):
        questions.append(
            _q(
                f"q{i}",
                difficulty=draw(st.integers(1, 3)),
                bloom=draw(st.sampled_from(BLOOM_LEVELS[:3])),
                points=float(draw(st.sampled_from([1, 1, 2]))),
                tags=(draw(st.sampled_from(tags)),),
            )
        )
    # Some pairs of alternatives (both ways written, or one way: excludes are symmetric).
    ids = [q.id for q in questions]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=6))
    extra: dict[str, list[str]] = {}
    for a, b in pairs:
        if a != b:
            extra.setdefault(a, []).append(b)
    questions = [
        Question(**{**{f: getattr(q, f) for f in q.__slots__}, "excludes": tuple(extra.get(q.id, ()))})  # type: ignore[arg-type]
        for q in questions
    ]
    bank = Bank("b", "B", "b.yaml", READING, questions=tuple(questions))
    pools = []
    for tag in draw(st.lists(st.sampled_from(tags), min_size=1, max_size=3, unique=True)):
        size = sum(tag in q.tags for q in questions)
        if size >= 2:
            pools.append(Pool(draw(st.integers(1, max(1, size // 3))), name=f"tag-{tag}", tags=(tag,)))
    if not pools:
        pools.append(Pool(1))
    bp = Blueprint(questions=sum(p.questions for p in pools), pools=tuple(pools), draw="per_version", tolerance=100)
    return bank, bp, draw(st.integers(1, 7))


def _slots(bp: Blueprint, version: list[tuple[Bank, Question]]) -> list[list[Question]]:
    out, at = [], 0
    for p in bp.pools:
        out.append([q for _, q in version[at : at + p.questions]])
        at += p.questions
    return out


@settings(max_examples=80, deadline=None)
@given(pooled_bank(), st.integers(0, 2**32 - 1))
def test_every_version_meets_its_blueprint_without_repeats_or_alternatives(
    case: tuple[Bank, Blueprint, int], seed: int
) -> None:
    bank, bp, n = case
    labels = [version_label(v) for v in range(n)]
    try:
        drawn = draw_pools([bank], bp, labels, random.Random(seed), per_version=True)
    except DrawError as exc:
        # Only a true impossibility may be refused: alternatives or overlaps the pools cannot avoid.
        assert "alternatives" in exc.message or "twice" in exc.message, exc.message
        return
    assert len(drawn.versions) == n
    for version in drawn.versions:
        ids = [q.id for _, q in version]
        assert len(ids) == len(set(ids)), "a question twice in one version"
        for _, q in version:
            assert not set(q.excludes) & set(ids), f"{q.id} met its alternative"
        for pool, slot in zip(bp.pools, _slots(bp, version), strict=True):
            assert len(slot) == pool.questions
            assert all(not pool.tags or set(pool.tags) & set(q.tags) for q in slot), "a question outside its pool"
    if not any(q.excludes for q in bank.questions):  # disjoint pools (one tag each): exposure even per pool
        for k, pool in enumerate(bp.pools):
            uses = Counter(q.id for v in drawn.versions for q in _slots(bp, v)[k])
            counts = [uses[q.id] for q in bank.questions if not pool.tags or set(pool.tags) & set(q.tags)]
            assert max(counts) - min(counts) <= 1, (pool, counts)
    again = draw_pools([bank], bp, labels, random.Random(seed), per_version=True)
    assert [[q.id for _, q in v] for v in again.versions] == [[q.id for _, q in v] for v in drawn.versions]
    assert drawn.balance is not None and again.balance == drawn.balance


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12), st.integers(1, 5), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_exposure_is_even_without_alternatives(pool_size: int, per_version: int, versions: int, seed: int) -> None:
    """Each question of a pool is used by as many versions as every other, give or take one."""
    per_version = min(per_version, pool_size)
    rnd = random.Random(seed)
    bank = Bank(
        "b",
        "B",
        "b.yaml",
        READING,
        questions=tuple(_q(f"q{i}", difficulty=rnd.randint(1, 3)) for i in range(pool_size)),
    )
    bp = Blueprint(pools=(Pool(per_version),), draw="per_version", tolerance=100)
    drawn = draw_pools([bank], bp, [version_label(v) for v in range(versions)], random.Random(seed), per_version=True)
    uses = Counter(q.id for v in drawn.versions for _, q in v)
    counts = [uses[q.id] for q in bank.questions]
    assert max(counts) - min(counts) <= 1
    assert drawn.balance is not None
    (exposure,) = drawn.balance.exposure
    assert (exposure.fewest, exposure.most) == (min(counts), max(counts))


@st.composite
def planted(draw: st.DrawFn) -> tuple[Bank, Blueprint, int]:
    """Pools in which a perfectly balanced draw exists: each version could take one copy of one profile.

    Every version's questions are copies of the same difficulty/points/Bloom profile, so the best
    spread is 0; the search must find a draw within the (tight) tolerance.
    """
    versions = draw(st.integers(2, 8))
    pools, questions = [], []
    for k in range(draw(st.integers(1, 3))):
        profile = draw(
            st.lists(st.tuples(st.integers(1, 3), st.sampled_from(BLOOM_LEVELS[:2])), min_size=1, max_size=5)
        )
        for v in range(versions):
            for j, (difficulty, bloom) in enumerate(profile):
                questions.append(_q(f"p{k}-v{v}-{j}", difficulty=difficulty, bloom=bloom, tags=(f"pool{k}",)))
        pools.append(Pool(len(profile), name=f"pool{k}", tags=(f"pool{k}",)))
    rnd = random.Random(draw(st.integers(0, 1000)))
    rnd.shuffle(questions)
    bank = Bank("b", "B", "b.yaml", READING, questions=tuple(questions))
    return bank, Blueprint(pools=tuple(pools), draw="per_version", tolerance=0.5), versions


@settings(max_examples=80, deadline=None)
@given(planted(), st.integers(0, 2**32 - 1))
def test_the_spread_is_within_tolerance_when_the_pools_allow_it(case: tuple[Bank, Blueprint, int], seed: int) -> None:
    bank, bp, versions = case
    drawn = draw_pools([bank], bp, [version_label(v) for v in range(versions)], random.Random(seed), per_version=True)
    assert drawn.balance is not None
    assert drawn.balance.spread <= bp.tolerance
    assert len({v.points for v in drawn.balance.versions}) == 1


def test_a_plain_random_draw_would_be_less_even() -> None:
    """The balancing does work: on a mixed pool the balanced spread is far below a random draw's."""
    rnd = random.Random(7)
    bank = Bank(
        "b", "B", "b.yaml", READING, questions=tuple(_q(f"q{i}", difficulty=rnd.randint(1, 3)) for i in range(60))
    )
    bp = Blueprint(pools=(Pool(10),), draw="per_version", tolerance=100)
    labels = [version_label(v) for v in range(12)]
    drawn = draw_pools([bank], bp, labels, random.Random(1), per_version=True)
    assert drawn.balance is not None
    random_means = []
    for _ in labels:
        picked = rnd.sample(bank.questions, 10)
        random_means.append(100 * sum(AUTHORED_P[q.difficulty] for q in picked) / 10)
    assert drawn.balance.spread <= 2.0 < max(random_means) - min(random_means)


def test_expected_score_uses_measured_p_weighted_by_its_n() -> None:
    q = _q("q", difficulty=1)
    plain = Bank("b", "B", "b.yaml", READING, questions=(q,))
    assert expected_p(plain, q) == AUTHORED_P[1]
    few = Bank("b", "B", "b.yaml", READING, questions=(q,), stats={"q": MeasuredStats(2, 0.25, None, "2024-05-01")})
    many = Bank("b", "B", "b.yaml", READING, questions=(q,), stats={"q": MeasuredStats(400, 0.25, None, "2024-05-01")})
    assert expected_p(few, q) == pytest.approx((2 * 0.25 + PRIOR_N * 0.85) / (2 + PRIOR_N))
    assert abs(expected_p(many, q) - 0.25) < 0.02 < abs(expected_p(few, q) - 0.25)


def test_measured_difficulty_steers_the_balance() -> None:
    """Two questions authored alike but measured very differently are not treated as equals."""
    qs = tuple(_q(f"q{i}") for i in range(4))
    stats = {
        "q0": MeasuredStats(200, 0.9, 0.3, "d"),
        "q1": MeasuredStats(200, 0.9, 0.3, "d"),
        "q2": MeasuredStats(200, 0.3, 0.3, "d"),
        "q3": MeasuredStats(200, 0.3, 0.3, "d"),
    }
    bank = Bank("b", "B", "b.yaml", READING, questions=qs, stats=stats)
    bp = Blueprint(pools=(Pool(2),), draw="per_version", tolerance=1)
    for seed in range(20):
        drawn = draw_pools([bank], bp, ["A", "B"], random.Random(seed), per_version=True)
        for version in drawn.versions:  # each version must take one easy and one hard question
            assert sorted(bank.stats[q.id].difficulty for _, q in version) == [0.3, 0.9]
        assert drawn.balance is not None and drawn.balance.measured == 4


def test_a_pool_too_small_names_the_slot() -> None:
    bank = Bank("b", "B", "b.yaml", READING, questions=tuple(_q(f"q{i}", tags=("x",)) for i in range(3)))
    bp = Blueprint(pools=(Pool(1), Pool(4, name="tagged", tags=("x",))), draw="per_version")
    with pytest.raises(DrawError) as info:
        draw_pools([bank], bp, ["A", "B"], random.Random(1), per_version=True)
    assert info.value.key == "blueprint.pools.1.questions"
    assert "pools[1] 'tagged' asks for 4 question(s) but only 3 match (tags x)" in info.value.message


def test_an_impossible_tolerance_names_the_slot() -> None:
    easy, hard = _q("easy", difficulty=1), _q("hard", difficulty=3)
    same = tuple(_q(f"m{i}") for i in range(4))
    bank = Bank("b", "B", "b.yaml", READING, questions=(easy, hard, *same))
    bp = Blueprint(
        pools=(Pool(2, name="middle", ids=tuple(q.id for q in same)), Pool(1, name="mixed", ids=("easy", "hard"))),
        draw="per_version",
        tolerance=1,
    )
    with pytest.raises(DrawError) as info:
        draw_pools([bank], bp, ["A", "B"], random.Random(1), per_version=True)
    assert info.value.key == "blueprint.pools.1"
    assert "pools[1] 'mixed' accounts for" in info.value.message and "raise `tolerance`" in info.value.message


def test_alternatives_that_cannot_be_kept_apart_are_refused() -> None:
    a, b = _q("a", excludes=("b",)), _q("b")
    bank = Bank("b", "B", "b.yaml", READING, questions=(a, b))
    bp = Blueprint(pools=(Pool(2),), draw="per_version")
    with pytest.raises(DrawError) as info:
        draw_pools([bank], bp, ["A"], random.Random(1), per_version=True)
    assert "alternatives 'a' and 'b'" in info.value.message or "alternatives 'b' and 'a'" in info.value.message


def test_overlapping_pools_never_repeat_a_question() -> None:
    qs = tuple(_q(f"q{i}", tags=("x",) if i < 3 else ()) for i in range(6))
    bank = Bank("b", "B", "b.yaml", READING, questions=qs)
    bp = Blueprint(pools=(Pool(2, tags=("x",)), Pool(4)), draw="per_version")
    for seed in range(30):
        drawn = draw_pools([bank], bp, ["A", "B", "C"], random.Random(seed), per_version=True)
        for version in drawn.versions:
            assert len({q.id for _, q in version}) == 6


def test_explicit_ids_and_unknown_names_are_errors() -> None:
    bank = Bank("b", "B", "b.yaml", READING, questions=(_q("q1"), _q("q2")))
    assert [q.id for _, q in pool_members([bank], Pool(1, ids=("q2",)), 0, True)] == ["q2"]
    with pytest.raises(DrawError) as info:
        pool_members([bank], Pool(1, ids=("q2", "q9")), 3, True)
    assert info.value.key == "blueprint.pools.3.ids.1" and "'q9'" in info.value.message
    with pytest.raises(DrawError) as info:
        pool_members([bank], Pool(1, banks=("other",)), 0, True)
    assert info.value.key == "blueprint.pools.0.banks.0"


def test_filters_combine() -> None:
    qs = (
        _q("a", type=QuestionType.ESSAY, answer=None, guidance="g", bloom="evaluate", difficulty=3),
        _q("b", topics=("un",), tags=("week1",)),
        _q("c", topics=("un",), tags=("week2",), difficulty=1),
    )
    bank = Bank("b", "B", "b.yaml", READING, questions=qs)

    def ids(pool: Pool) -> list[str]:
        return [q.id for _, q in pool_members([bank], pool, 0, True)]

    assert ids(Pool(1, types=("essay",))) == ["a"]
    assert ids(Pool(1, topics=("un",), tags=("week2",))) == ["c"]
    assert ids(Pool(1, topics=("un",), difficulty=(2,))) == ["b"]
    assert ids(Pool(1, bloom=("evaluate", "remember"))) == ["a", "b", "c"]
    assert ids(Pool(1, banks=("b",))) == ["a", "b", "c"]


def test_same_draw_with_pools_gives_every_version_the_same_questions() -> None:
    bank = Bank("b", "B", "b.yaml", READING, questions=tuple(_q(f"q{i}", tags=("x",) * (i % 2)) for i in range(10)))
    bp = Blueprint(pools=(Pool(2, tags=("x",)), Pool(3)))
    quiz = make_quiz("q", "Q", [bank], bp, 3, 5, random.Random(5))
    sets = [sorted(i.question.id for i in v.items) for v in quiz.versions]
    assert sets[0] == sets[1] == sets[2] and len(set(sets[0])) == 5
    assert quiz.balance is None


def test_per_version_quiz_differs_between_versions_and_records_its_balance() -> None:
    rnd = random.Random(3)
    bank = Bank(
        "b", "B", "b.yaml", READING, questions=tuple(_q(f"q{i}", difficulty=rnd.randint(1, 3)) for i in range(40))
    )
    bp = Blueprint(pools=(Pool(8),), draw="per_version")
    quiz = make_quiz("q", "Q", [bank], bp, 4, 9, random.Random(9))
    sets = {tuple(sorted(i.question.id for i in v.items)) for v in quiz.versions}
    assert len(sets) == 4
    assert quiz.balance is not None and [v.label for v in quiz.balance.versions] == ["A", "B", "C", "D"]
    assert quiz.balance.spread <= bp.tolerance
    entry = quiz.balance.manifest_entry()
    assert entry["draw"] == "per_version" and entry["spread"] == round(quiz.balance.spread, 2)


def test_the_classic_same_draw_respects_excludes() -> None:
    qs = (_q("a", excludes=("b",)), _q("b"), _q("c"))
    bank = Bank("b", "B", "b.yaml", READING, questions=qs)
    for seed in range(40):
        quiz = make_quiz("q", "Q", [bank], Blueprint(questions=2), 2, seed, random.Random(seed))
        assert {i.question.id for i in quiz.versions[0].items} != {"a", "b"}

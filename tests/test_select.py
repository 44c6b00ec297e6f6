"""Selection and version shuffling: permutations, pinned options, keys that match the bank, balance."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.course import Blueprint
from studygen.errors import StudygenError
from studygen.model import Bank, Option, Pair, Question, QuestionType, Reading
from studygen.select import make_quiz, make_version, select_questions
from studygen.sources.banks import load_banks
from studygen.text.letters import version_label
from studygen.versions import LETTERS, Item, Quiz

FIXTURE = Path(__file__).parent / "fixtures" / "pipeline" / "hostile.yaml"
HOSTILE = ["<b>x</b>", "&", "<img src=x>", "<script>", "]]>", "~=#{}:\\", "한국어", "русский"]
READING = Reading("T", "A", "P", "2024-01-01", "r.txt", "text")


def _q(qid: str, qtype: QuestionType, **kw: object) -> Question:
    base: dict[str, object] = {
        "id": qid,
        "type": qtype,
        "stem": f"stem {qid}",
        "explanation": "e",
        "refs": (),
        "topics": (),
        "difficulty": 1,
        "bloom": "remember",
    }
    base.update(kw)
    return Question(**base)  # type: ignore[arg-type]


@st.composite
def choice_question(draw: st.DrawFn, qid: str) -> Question:
    n = draw(st.integers(2, 6))
    multi = draw(st.booleans())
    correct = (
        set(draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True)))
        if multi
        else {draw(st.integers(0, n - 1))}
    )
    pinned = set(draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True)))
    options = tuple(Option(f"{qid}-opt{i} {HOSTILE[i % len(HOSTILE)]}", i in correct, i in pinned) for i in range(n))
    qtype = QuestionType.MULTIPLE_RESPONSE if multi else QuestionType.SINGLE_CHOICE
    return _q(qid, qtype, options=options, difficulty=draw(st.integers(1, 3)))


@st.composite
def bank(draw: st.DrawFn) -> Bank:
    questions: list[Question] = []
    for i in range(draw(st.integers(1, 12))):
        questions.append(draw(choice_question(f"c{i}")))
    for i in range(draw(st.integers(0, 3))):
        k = draw(st.integers(2, 5))
        distractors = tuple(f"m{i}-d{j}" for j in range(draw(st.integers(0, 2))))
        pairs = tuple(Pair(f"m{i}-l{j}", f"m{i}-r{j}") for j in range(k))
        questions.append(_q(f"m{i}", QuestionType.MATCHING, pairs=pairs, distractors=distractors))
    for i in range(draw(st.integers(0, 3))):
        items = tuple(f"o{i}-{j}" for j in range(draw(st.integers(2, 6))))
        questions.append(_q(f"o{i}", QuestionType.ORDERING, items=items))
    for i in range(draw(st.integers(0, 2))):
        questions.append(_q(f"t{i}", QuestionType.TRUE_FALSE, answer=draw(st.booleans())))
    return Bank("b", "B", "b.yaml", READING, questions=tuple(questions))


def check_item_against_bank(item: Item) -> None:
    """The key of one shown item points at exactly what the bank marks correct."""
    q = item.question
    if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        assert sorted(item.choices) == sorted(o.text for o in q.options)  # a permutation
        for i, o in enumerate(q.options):
            if o.pinned:
                assert item.choices[i] == o.text, "a pinned option moved"
        shown_correct = {item.choices[LETTERS.index(c)] for c in item.correct}
        assert shown_correct == {o.text for o in q.options if o.correct}
        assert list(item.correct) == sorted(item.correct)
    elif q.type is QuestionType.MATCHING:
        assert sorted(item.prompts) == sorted(p.left for p in q.pairs)
        assert sorted(item.choices) == sorted([p.right for p in q.pairs] + list(q.distractors))
        right_of = {p.left: p.right for p in q.pairs}
        for prompt, letter in zip(item.prompts, item.correct, strict=True):
            assert item.choices[LETTERS.index(letter)] == right_of[prompt]
    elif q.type is QuestionType.ORDERING:
        assert sorted(item.choices) == sorted(q.items)
        assert [item.choices[LETTERS.index(c)] for c in item.correct] == list(q.items)
        assert list(item.choices) != list(q.items), "an ordering item was shown already in order"
    elif q.type is QuestionType.TRUE_FALSE:
        assert item.choices == ("True", "False")
        assert item.correct == (("A",) if q.answer else ("B",))


@settings(max_examples=60, deadline=None)
@given(bank(), st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_versions_are_permutations_and_keys_point_at_correct_text(b: Bank, seed: int, versions: int) -> None:
    n = len(b.questions)
    quiz = make_quiz("q", "Q", [b], Blueprint(questions=n), versions, seed, random.Random(seed))
    assert [v.label for v in quiz.versions] == [version_label(i) for i in range(versions)]
    for v in quiz.versions:
        assert sorted(i.question.id for i in v.items) == sorted(q.id for q in b.questions)
        assert [i.number for i in v.items] == list(range(1, n + 1))
        for item in v.items:
            check_item_against_bank(item)


@settings(max_examples=40, deadline=None)
@given(bank(), st.integers(0, 2**32 - 1))
def test_same_seed_same_quiz(b: Bank, seed: int) -> None:
    n = len(b.questions)
    one = make_quiz("q", "Q", [b], Blueprint(questions=max(1, n // 2)), 3, seed, random.Random(seed))
    two = make_quiz("q", "Q", [b], Blueprint(questions=max(1, n // 2)), 3, seed, random.Random(seed))
    assert one == two


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 6), st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_correct_positions_are_balanced_within_a_version(k: int, n: int, seed: int) -> None:
    questions = tuple(
        _q(f"q{i}", QuestionType.SINGLE_CHOICE, options=tuple(Option(f"o{j}", j == i % k) for j in range(k)))
        for i in range(n)
    )
    b = Bank("b", "B", "b.yaml", READING, questions=questions)
    rng = random.Random(seed)
    version = make_version("A", [(b, q) for q in questions], rng)
    counts = Counter(item.correct[0] for item in version.items)
    per_position = [counts[LETTERS[p]] for p in range(k)]
    assert max(per_position) - min(per_position) <= 1, per_position


def test_balance_with_a_pinned_last_option() -> None:
    """'None of the above' pinned last: the correct answers spread over the other positions only."""
    questions = tuple(
        _q(
            f"q{i}",
            QuestionType.SINGLE_CHOICE,
            options=(*(Option(f"o{j}", j == 0) for j in range(3)), Option("None of the above", False, True)),
        )
        for i in range(12)
    )
    b = Bank("b", "B", "b.yaml", READING, questions=questions)
    version = make_version("A", [(b, q) for q in questions], random.Random(5))
    assert Counter(i.correct[0] for i in version.items) == {"A": 4, "B": 4, "C": 4}
    assert all(i.choices[3] == "None of the above" for i in version.items)


@st.composite
def typed_bank(draw: st.DrawFn) -> Bank:
    types = [QuestionType.SINGLE_CHOICE, QuestionType.TRUE_FALSE, QuestionType.ESSAY]
    questions = []
    for i in range(draw(st.integers(5, 30))):
        t = draw(st.sampled_from(types))
        extra: dict[str, object] = {}
        if t is QuestionType.SINGLE_CHOICE:
            extra["options"] = (Option("a", True), Option("b", False))
        elif t is QuestionType.TRUE_FALSE:
            extra["answer"] = True
        else:
            extra["guidance"] = "g"
        questions.append(
            _q(
                f"q{i}",
                t,
                difficulty=draw(st.integers(1, 3)),
                bloom=draw(st.sampled_from(["remember", "analyze"])),
                topics=(draw(st.sampled_from(["x", "y"])),),
                **extra,
            )
        )
    return Bank("b", "B", "b.yaml", READING, questions=tuple(questions))


@settings(max_examples=80, deadline=None)
@given(typed_bank(), st.data())
def test_blueprint_quotas_are_met_exactly_or_refused(b: Bank, data: st.DataObject) -> None:
    n = data.draw(st.integers(1, len(b.questions)))
    per_type = data.draw(st.dictionaries(st.sampled_from(["single_choice", "essay"]), st.integers(0, 4)))
    per_difficulty = data.draw(st.dictionaries(st.integers(1, 3), st.integers(0, 3)))
    per_topic = data.draw(st.dictionaries(st.sampled_from(["x"]), st.integers(0, 5)))
    bp = Blueprint(questions=n, per_type=per_type, per_difficulty=per_difficulty, per_topic=per_topic)
    try:
        chosen = select_questions([b], bp, random.Random(data.draw(st.integers(0, 1000))))
    except StudygenError as exc:
        assert "blueprint" in exc.message
        return
    picked = [q for _, q in chosen]
    assert len({q.id for q in picked}) == n, "sampled with replacement"
    types = Counter(q.type.value for q in picked)
    for t, want in per_type.items():
        assert types[t] == want
    if per_type:
        assert sum(c for t, c in types.items() if t not in per_type) == n - sum(per_type.values())
    diffs = Counter(q.difficulty for q in picked)
    for d, want in per_difficulty.items():
        assert diffs[d] == want
    topics = Counter(q.topics[0] for q in picked)
    for t, want in per_topic.items():
        assert topics[t] == want


def test_blueprint_that_is_satisfiable_is_always_met() -> None:
    """Quotas that interact (type x difficulty) need the search, not a greedy pass."""
    qs = [
        _q("e1", QuestionType.ESSAY, difficulty=3, guidance="g"),
        _q("e2", QuestionType.ESSAY, difficulty=1, guidance="g"),
        *(_q(f"s{i}", QuestionType.TRUE_FALSE, difficulty=3, answer=True) for i in range(5)),
    ]
    b = Bank("b", "B", "b.yaml", READING, questions=tuple(qs))
    bp = Blueprint(questions=3, per_type={"essay": 1}, per_difficulty={3: 3})
    for seed in range(30):
        ids = {q.id for _, q in select_questions([b], bp, random.Random(seed))}
        assert "e1" in ids and "e2" not in ids


def test_filters_and_clear_refusals() -> None:
    qs = tuple(_q(f"q{i}", QuestionType.TRUE_FALSE, answer=True, difficulty=1 + i % 3) for i in range(6))
    b = Bank("b", "B", "b.yaml", READING, questions=qs)
    chosen = select_questions([b], Blueprint(questions=2, difficulty=(3,)), random.Random(1))
    assert {q.difficulty for _, q in chosen} == {3}
    with pytest.raises(StudygenError, match=r"asks for 3 questions but only 2 match \(difficulty 3\)"):
        select_questions([b], Blueprint(questions=3, difficulty=(3,)), random.Random(1))
    with pytest.raises(StudygenError, match="per_type asks for 1 question"):
        select_questions([b], Blueprint(questions=2, per_type={"essay": 1}), random.Random(1))


def test_version_labels_go_past_z() -> None:
    assert [version_label(i) for i in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip


def test_every_version_has_the_same_questions_on_the_fixture_bank() -> None:
    result = load_banks([FIXTURE])
    assert result.ok, result.diagnostics
    quiz: Quiz = make_quiz("q", "Q", result.banks, Blueprint(questions=10), 4, 9, random.Random(9))
    sets = {frozenset(i.question.id for i in v.items) for v in quiz.versions}
    assert len(sets) == 1
    orders = {tuple(i.question.id for i in v.items) for v in quiz.versions}
    assert len(orders) > 1, "versions should differ in order"
    for v in quiz.versions:
        for item in v.items:
            check_item_against_bank(item)
            assert item.source_quotes, f"{item.question.id} has no source passage"

"""Cue measurement, the exact tests behind the cue-* rules, the cue report and `studygen check --cues/--config`.

Small hand-made banks have answers worked out by hand; hypothesis properties
check the statistics against chance: randomly keyed banks rarely trip an
aggregate rule, banks whose keys always carry the cue always do, and no
strategy's score depends on the order options are written in.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.check import cues, run_checks
from studygen.cli import main
from studygen.course import Blueprint, QuizSpec
from studygen.model import Bank, Option, Question, QuestionType, Reading
from studygen.sources.banks import load_banks

REPO = Path(__file__).resolve().parent.parent
FIX = Path("tests/fixtures/check")
SC, MR, TF = QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE
READING = Reading("R", "A", "P", "2024-01-01", "r.txt", "text")
PROPS = settings(max_examples=25, deadline=None)


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def choice(
    qid: str,
    options: list[str],
    correct: set[int],
    stem: str = "Which one?",
    *,
    multi: bool = False,
    difficulty: int = 1,
) -> Question:
    qtype = SC if len(correct) == 1 and not multi else MR
    opts = tuple(Option(t, i in correct) for i, t in enumerate(options))
    return Question(qid, qtype, stem, "", ("F",), (), difficulty, "remember", options=opts)


def tf(qid: str, answer: bool, stem: str = "A statement.") -> Question:
    return Question(qid, TF, stem, "", ("F",), (), 1, "remember", answer=answer)


def bank(*questions: Question) -> Bank:
    return Bank("b", "B", "b.yaml", READING, questions=tuple(questions))


def report(*questions: Question) -> dict[str, cues.Score]:
    r = cues.cue_report("bank", "b", "B", ("b.yaml", 1, 1), [(q, 1.0) for q in questions])
    return {s.strategy.id: s for s in r.scores}


# --- exact tests --------------------------------------------------------------------------------------------


def test_binomial_tails_match_known_values() -> None:
    assert cues.binomial_sf(8, 4, 0.25) == pytest.approx(0.1138, abs=1e-4)  # 4 longest keys of 8: luck
    assert cues.binomial_sf(16, 11, 0.5) == pytest.approx(6885 / 65536)
    assert cues.binomial_sf(5, 0, 0.3) == 1.0
    for n, k, p in [(8, 4, 0.25), (16, 11, 0.5), (35, 16, 0.25), (12, 10, 0.25)]:
        assert cues.poisson_binomial_sf([p] * n, k) == pytest.approx(cues.binomial_sf(n, k, p), rel=1e-12)


def test_small_banks_are_not_blamed_for_luck() -> None:
    lucky = [
        choice(f"q{i}", ["long key!!", "a", "b", "c"] if i < 4 else ["k", "aa", "bb", "cc"], {0}) for i in range(8)
    ]
    s = cues.longest_key_skew(lucky)
    assert (s.hits, s.n, round(s.p_value, 4), s.flagged) == (4, 8, 0.1138, False)
    assert [d.rule for d in run_checks([bank(*lucky)]) if d.rule.startswith("cue-")] == []


def test_true_false_side_is_picked_after_looking() -> None:
    majority, s = cues.true_false_skew([tf(f"t{i}", i >= 11) for i in range(16)])
    assert majority is False and s.hits == 11
    assert s.p_value == pytest.approx(2 * 6885 / 65536)
    assert not s.flagged
    majority, s = cues.true_false_skew([tf(f"t{i}", i >= 14) for i in range(16)])
    assert s.flagged and s.p_value == pytest.approx(2 * 137 / 65536)


def test_correct_count_corrects_for_the_count_picked() -> None:
    same = [choice(f"m{i}", list("abcde"), {0, 1, 2}, multi=True) for i in range(4)]
    k, n, s = cues.correct_count_skew(same)
    assert (k, n, s.hits) == (3, 5, 4)
    assert s.p_value == pytest.approx(4 * 0.25**4)
    assert s.flagged


# --- per-item cues ------------------------------------------------------------------------------------------


def test_grammar_article_and_which_two() -> None:
    q = choice("g", ["expert body", "monitoring unit", "panel report", "FBI file", "hourly review"], {0})
    q = Question(q.id, q.type, "The panel is an", "", ("F",), (), 1, "remember", options=q.options)
    assert cues.grammar_mismatches(q) == ("the stem ends with 'an'", [1, 2])  # 'an hourly' fits; FBI skipped
    two = choice("w", ["Seoul and Moscow", "Tokyo", "Paris, Rome"], {0}, stem="Which two capitals met?")
    assert cues.grammar_mismatches(two) == ("the stem asks for two things", [1])
    none_fit = choice("n", ["one", "two"], {0}, stem="Which two capitals met?")
    assert cues.grammar_mismatches(none_fit)[1] == []  # a stem that fits nothing is left to a person


def test_superset_absolutes_overlap() -> None:
    q = choice("s", ["The mayor", "The mayor and the governor", "The banker"], {0})
    assert cues.supersets(q) == [(1, 0)]
    q = choice("a", ["It never began", "A deal", "None of the above"], {1})
    assert cues.absolutes(q) == [True, False, False]
    q = choice("o", ["The Vienna accord", "The Paris accord"], {0}, stem="Which treaties were signed in Vienna?")
    assert cues.stem_overlap(q) == [1, 0]


def test_numeric_order_reads_numbers_and_dates() -> None:
    q = choice("d", ["March 28, 2024", "Sept. 13, 2023", "April 27, 2024", "13 May 2024"], {1})
    assert cues.numeric_order(q) == [1, 0, 2, 3]
    q = choice("n", ["1,500", "20", "300"], {2})
    assert cues.numeric_order(q) == [1, 2, 0]
    assert cues.numeric_order(choice("x", ["one", "2", "3"], {0})) is None


# --- the report on hand-made banks ---------------------------------------------------------------------------


def test_report_on_a_hand_made_bank() -> None:
    qs = [
        choice("q1", ["the longest option here", "short", "tiny", "small"], {0}),  # longest: right
        choice("q2", ["a long distractor here", "key", "b", "c"], {1}),  # longest: wrong
        choice("q3", ["same", "size", "four", "word"], {2}),  # all tied: 1/4
        choice("m1", ["long correct one", "long correct two", "x", "y"], {0, 1}, multi=True),
        choice("m2", ["p", "q", "r", "s"], {2, 3}, multi=True),  # one length: 'longest' can only guess
        tf("t1", False),
        tf("t2", False),
        tf("t3", True, stem="The vote always passes."),
    ]
    r = report(*qs)
    longest = r["longest"]
    # single choice: 1 + 0 + 1/4; m1: the other item has 2 correct, and the two longest are exactly the key
    assert longest.own.points == pytest.approx(1.25 + 1 + 1 / 15)
    assert longest.own.chance == pytest.approx(3 / 4 + 2 / 15)
    assert longest.own.items == 5
    assert r["always-false"].own.points == 2 and r["always-true"].own.points == 1
    assert r["always-false"].own.chance == 1.5
    # 'no absolutes': t3 has 'always' but is true, so the student answering 'false' loses it
    assert r["no-absolutes"].own.points == pytest.approx(0.75 + 2 / 15 + 0.5 + 0.5 + 0)
    # usual count, learnt from the other item: mark 2 of 4 at random, 1 / C(4, 2) each
    assert r["usual-count"].own.points == pytest.approx(2 / 6)
    overall = r["longest"].overall
    assert overall.max_points == 8 and overall.chance == pytest.approx(3 / 4 + 2 / 15 + 1.5)


def test_an_items_own_key_is_not_known() -> None:
    """With one multiple-response item there is no 'usual count' to learn: the strategy scores chance."""
    r = report(choice("m", list("abcde"), {0, 1, 2}, multi=True))["usual-count"]
    assert r.own.points == pytest.approx(r.own.chance) == pytest.approx(1 / 31)


def test_middle_value_and_points() -> None:
    q = choice("d", ["1990", "2005", "2024"], {1})
    q = Question(q.id, q.type, q.stem, "", ("F",), (), 1, "remember", options=q.options, points=2.0)
    r = report(q)["middle-value"]
    assert (r.own.points, r.own.max_points, r.own.chance) == (2.0, 2.0, pytest.approx(2 / 3))
    assert r.own.gain_percent == pytest.approx(100 - 100 / 3)


def test_report_json_and_text_agree(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(FIX / "bad" / "cue-longest-key.yaml")
    assert main(["check", "--cues", "--format", "json", path]) == 0
    data = json.loads(capsys.readouterr().out)
    (scope,) = data["scopes"]
    assert (scope["kind"], scope["id"], scope["line"]) == ("bank", "good", 55)
    longest = next(s for s in scope["strategies"] if s["id"] == "longest")
    # 6 of 7 single-choice keys are the longest; the multiple-response item has no usual count to learn beyond 2
    assert longest["own"]["items"] == 8 and longest["over_margin"] is True
    assert main(["check", "--cues", path]) == 0
    text = capsys.readouterr().out
    line = next(x for x in text.splitlines() if x.strip().startswith("pick the longest option"))
    own = longest["own"]
    assert f"{own['points']:.1f} ({own['percent']:5.1f}%)" in line and line.endswith("!")
    assert main(["check", "--cues", "--strict", path]) == 1
    capsys.readouterr()
    assert main(["check", "--cues", "--format", "github", path]) == 2
    assert main(["check", "--cues", str(FIX / "load" / "syntax.yaml")]) == 1
    assert "fix the bank problems above" in capsys.readouterr().err


# --- quizzes: what a blueprint can draw ---------------------------------------------------------------------


def test_quiz_draws_weigh_each_type_by_its_quota() -> None:
    qs = [choice(f"s{i}", ["a", "b"], {0}) for i in range(4)] + [tf(f"t{i}", True) for i in range(2)]
    easy = Question("e", QuestionType.ESSAY, "Why?", "", ("F",), (), 3, "evaluate", guidance="g")
    b = bank(*qs, easy)
    draws = {q.id: w for _, q, w in cues.quiz_draws([b], Blueprint(questions=4, per_type={"single_choice": 2}))}
    assert draws == {"s0": 0.5, "s1": 0.5, "s2": 0.5, "s3": 0.5, "t0": 2 / 3, "t1": 2 / 3, "e": 2 / 3}
    only = cues.quiz_draws([b], Blueprint(questions=3, difficulty=(1,)))
    assert sum(w for *_, w in only) == pytest.approx(3) and "e" not in {q.id for _, q, _ in only}


def _course_with_quiz(tmp_path: Path) -> Path:
    """A bank whose easy questions all have the longest key (the bank as a whole does not trip), and a quiz on them."""
    text = (FIX / "bad" / "cue-longest-key.yaml").read_text(encoding="utf-8")
    text = text.replace("text: ../reading.txt", f"text: {(REPO / FIX / 'reading.txt').as_posix()}")
    text = text.replace("    difficulty: 2\n", "    difficulty: 1\n")
    extra = "".join(
        f"  - id: Q-hard-{i}\n    type: single_choice\n    stem: Hard question {word}?\n    options:\n"
        f"      - {{text: {word[:2]}, correct: true}}\n      - {{text: {word}s one, correct: false}}\n"
        f"      - {{text: {word} two, correct: false}}\n      - {{text: {word} three, correct: false}}\n"
        "    explanation: Fixture item.\n    refs: [F-veto]\n    difficulty: 3\n    bloom: remember\n"
        for i, word in enumerate(["alpha", "bravo", "delta", "gamma", "kilo", "lima", "oscar", "romeo", "sierra"])
    )
    text = text.replace("\nprompts:\n", "\n" + extra + "prompts:\n")
    (tmp_path / "bank.yaml").write_text(text, encoding="utf-8")
    course = tmp_path / "course.yaml"
    course.write_text(
        "course: Test course\nbanks: [bank.yaml]\nquizzes:\n"
        "  - id: easy\n    title: Easy\n    blueprint: {questions: 5, difficulty: [1]}\n"
        "  - id: all\n    title: All\n    blueprint: {questions: 5}\n",
        encoding="utf-8",
    )
    return course


def test_quiz_finding_is_on_the_course_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    course = _course_with_quiz(tmp_path)
    bank_path = str(tmp_path / "bank.yaml")
    assert main(["check", bank_path, "--disable", "cue-convergence"]) == 0
    plain = capsys.readouterr().out
    assert "cue-longest-key" not in plain  # 6 of 16 longest keys over the whole bank: p = 0.19
    assert main(["check", "--config", str(course), "--disable", "cue-convergence"]) == 0
    out = capsys.readouterr().out.splitlines()
    quiz = [line for line in out if "cue-longest-key" in line]
    assert quiz == [
        f"{course}:4:9: warning cue-longest-key the 7 single-choice questions quiz 'easy' can draw: the correct "
        "option is the longest one in 6 of 7 (86%; chance 25%, exact p = 0.001); a test-wise student picks the "
        "longest option: make distractors as long and as specific as the key"
    ]
    assert main(["check", "--cues", "--format", "json", "--config", str(course)]) == 0
    scopes = json.loads(capsys.readouterr().out)["scopes"]
    assert [(s["kind"], s["id"], s["line"]) for s in scopes] == [
        ("bank", "good", 55),
        ("quiz", "easy", 4),
        ("quiz", "all", 7),
    ]
    easy = {s["id"]: s for s in scopes[1]["strategies"]}
    assert easy["longest"]["own"]["percent"] > scopes[0]["strategies"][0]["own"]["percent"]


def test_quiz_rules_need_the_course() -> None:
    b = bank(*[choice(f"q{i}", ["longer key", "a", "b", "c"], {0}) for i in range(6)])
    spec = QuizSpec("qz", "Q", blueprint=Blueprint(questions=2, difficulty=(2,)))
    assert [d.rule for d in run_checks([b], quizzes=[spec]) if d.rule == "cue-longest-key"] == ["cue-longest-key"]


# --- properties ---------------------------------------------------------------------------------------------


def _random_choice(rng: random.Random, qid: str, *, key_longest: bool = False, multi: bool = False) -> Question:
    n = rng.randint(3, 5)
    texts = [
        " ".join(rng.choice(["oil", "grain", "port", "envoy", "panel", "treaty"]) for _ in range(rng.randint(1, 6)))
        + f" {qid}{j}"
        for j in range(n)
    ]
    if multi:
        correct = set(rng.sample(range(n), rng.randint(1, n - 1)))
    else:
        correct = {rng.randrange(n)}
        if key_longest:
            (k,) = correct
            texts[k] = max(texts, key=len) + " and more"
    return choice(qid, texts, correct, multi=multi)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32))
def test_randomly_keyed_banks_rarely_trip_the_aggregate_rules(seed: int) -> None:
    """Under chance every aggregate rule fires at most about ALPHA of the time (the tests are conservative)."""
    rng = random.Random(seed)
    trips = {"longest-sc": 0, "longest-mr": 0, "convergence": 0, "tf": 0, "count": 0}
    banks = 60
    for _ in range(banks):
        sc = [_random_choice(rng, f"s{i}") for i in range(rng.randint(4, 30))]
        mr = [_random_choice(rng, f"m{i}", multi=True) for i in range(rng.randint(4, 15))]
        tfs = [tf(f"t{i}", rng.random() < 0.5) for i in range(rng.randint(4, 20))]
        trips["longest-sc"] += cues.longest_key_skew(sc).flagged
        trips["longest-mr"] += cues.longest_key_skew(mr).flagged
        trips["convergence"] += cues.convergence_skew(sc).flagged
        trips["tf"] += cues.true_false_skew(tfs)[1].flagged
        trips["count"] += cues.correct_count_skew(mr)[2].flagged
    # P(Binomial(60, 0.05) >= 10) < 0.003: a rule at its nominal level essentially never reaches this
    assert all(t < 10 for t in trips.values()), trips


@PROPS
@given(st.integers(0, 2**32), st.integers(5, 30))
def test_a_key_that_is_always_longest_always_trips(seed: int, n: int) -> None:
    rng = random.Random(seed)
    qs = [_random_choice(rng, f"s{i}", key_longest=True) for i in range(n)]
    assert cues.longest_key_skew(qs).flagged
    assert "cue-longest-key" in {d.rule for d in run_checks([bank(*qs)])}
    longest = report(*qs)["longest"]
    assert longest.own.points == pytest.approx(n) and longest.own.gain_percent > 50


@PROPS
@given(st.integers(6, 40), st.booleans())
def test_one_sided_true_false_keys_always_trip(n: int, answer: bool) -> None:
    majority, s = cues.true_false_skew([tf(f"t{i}", answer) for i in range(n)])
    assert majority is answer and s.flagged


@PROPS
@given(st.integers(0, 2**32), st.integers(5, 20))
def test_the_same_correct_count_always_trips(seed: int, n: int) -> None:
    rng = random.Random(seed)
    qs = [choice(f"m{i}", list("abcde"), set(rng.sample(range(5), 3)), multi=True) for i in range(n)]
    assert cues.correct_count_skew(qs)[2].flagged


@PROPS
@given(st.integers(0, 2**32))
def test_scores_do_not_depend_on_option_order(seed: int) -> None:
    rng = random.Random(seed)
    qs = [_random_choice(rng, f"s{i}", multi=i % 3 == 0) for i in range(12)] + [tf("t", True)]
    shuffled = []
    for q in qs:
        opts = list(q.options)
        rng.shuffle(opts)
        shuffled.append(
            Question(q.id, q.type, q.stem, "", q.refs, (), 1, "remember", options=tuple(opts), answer=q.answer)
        )
    a, b = report(*qs), report(*shuffled)
    for sid in a:
        assert a[sid].own.points == pytest.approx(b[sid].own.points), sid
        assert a[sid].overall.points == pytest.approx(b[sid].overall.points), sid
        assert 0 <= a[sid].overall.points <= a[sid].overall.max_points + 1e-9


@PROPS
@given(st.integers(2, 6), st.integers(1, 5))
def test_a_preference_that_says_nothing_scores_chance(n: int, k: int) -> None:
    """Options of one length: 'longest' is a random guess, so it scores exactly chance."""
    k = min(k, n - 1) or 1
    sc = choice("s", ["same"] * n, {0})
    mr = choice("m", ["same"] * n, set(range(k)), multi=True)
    r = report(sc, mr)["longest"]
    assert r.own.points == pytest.approx(r.own.chance)
    assert math.isclose(r.own.chance, 1 / n + 1 / (2**n - 1))


def test_bundled_bank_report_runs() -> None:
    """The real bank loads and is measured; its figures change as the curator revises it."""
    result = load_banks([REPO / "question_banks"])
    reports = cues.cue_reports(result.banks)
    assert reports and all(r.overall.max_points > 0 for r in reports)


_VOWELISH = ["apple", "envoy", "island", "orchard", "ember", "atlas"]
_CONSONANTISH = ["panel", "treaty", "border", "grain", "summit", "mandate"]
_PLAIN = st.sampled_from(["grain", "port", "envoy", "panel", "treaty", "summit", "border", "mandate", "harbour"])


@PROPS
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 5)), min_size=2, max_size=6, unique_by=lambda t: t))
def test_an_flags_exactly_the_consonant_options(spec: list[tuple[bool, int]]) -> None:
    texts = [(_VOWELISH if vowel else _CONSONANTISH)[i] + " plan" for vowel, i in spec]
    q = choice("g", texts, {0}, stem="The column calls it an")
    expected = [j for j, (vowel, _) in enumerate(spec) if not vowel] if any(v for v, _ in spec) else []
    assert cues.grammar_mismatches(q)[1] == expected


@PROPS
@given(st.lists(st.frozensets(_PLAIN, min_size=1, max_size=4), min_size=2, max_size=5, unique=True))
def test_superset_pairs_are_exactly_strict_word_subsets(word_sets: list[frozenset[str]]) -> None:
    q = choice("s", [" ".join(sorted(ws)) for ws in word_sets], {0})
    expected = [(i, j) for i, a in enumerate(word_sets) for j, b in enumerate(word_sets) if i != j and b < a]
    assert cues.supersets(q) == expected


@PROPS
@given(st.integers(0, 2**32), st.sampled_from(sorted(cues.ABSOLUTE_WORDS)))
def test_an_absolute_word_in_a_distractor_only_always_trips(seed: int, word: str) -> None:
    rng = random.Random(seed)
    q = _random_choice(rng, "a")
    distractor = next(j for j, o in enumerate(q.options) if not o.correct)
    opts = tuple(Option(f"{o.text} {word}" if j == distractor else o.text, o.correct) for j, o in enumerate(q.options))
    q = Question(q.id, q.type, q.stem, "", q.refs, (), 1, "remember", options=opts)
    found = [d for d in run_checks([bank(q)]) if d.rule == "cue-absolute-words"]
    assert len(found) == 1 and repr(word) in found[0].message
    both = tuple(Option(f"{o.text} {word}", o.correct) for o in opts)
    q = Question(q.id, q.type, q.stem, "", q.refs, (), 1, "remember", options=both)
    assert [d for d in run_checks([bank(q)]) if d.rule == "cue-absolute-words"] == []


@PROPS
@given(st.integers(0, 2**32))
def test_a_stem_word_only_in_the_key_always_trips(seed: int) -> None:
    rng = random.Random(seed)
    q = _random_choice(rng, "w")
    (key,) = q.correct_indexes
    with_key = tuple(Option(f"{o.text} vienna" if o.correct else o.text, o.correct) for o in q.options)
    stem = "Which accord was signed in Vienna?"
    q1 = Question(q.id, q.type, stem, "", q.refs, (), 1, "remember", options=with_key)
    assert [d.rule for d in run_checks([bank(q1)]) if d.rule == "cue-stem-words"] == ["cue-stem-words"]
    other = (key + 1) % len(q.options)
    also = tuple(Option(f"{o.text} vienna" if j == other else o.text, o.correct) for j, o in enumerate(with_key))
    q2 = Question(q.id, q.type, stem, "", q.refs, (), 1, "remember", options=also)
    assert [d for d in run_checks([bank(q2)]) if d.rule == "cue-stem-words"] == []


def test_the_live_preview_shows_the_same_report(tmp_path: Path) -> None:
    """`studygen serve` draws the cue report from the same module, quizzes included, escaped like every page."""
    import html
    import io

    from studygen.check.cues import cue_reports
    from studygen.serve import Preview, load_project

    course = _course_with_quiz(tmp_path)
    preview = Preview(course, "", io.StringIO())
    preview.rebuild()
    page = preview.page.decode("utf-8")
    assert '<section id="cues"' in page
    loaded = load_project(course)
    reports = cue_reports(loaded.banks, loaded.course.quizzes)
    assert [f'id="cues-{r.kind}-{r.id}"' in page for r in reports] == [True, True, True]
    text = html.unescape(page)
    for r in reports:
        for sc in r.scores:
            if sc.own.items:  # the same figures as the text report, row by row
                row = (
                    f'<th scope="row">{sc.strategy.label}</th><td>{cues._n(sc.own.items)}</td>'
                    f"<td>{sc.own.points:.1f} ({sc.own.percent:.1f}%)</td>"
                )
                assert row in text, row
    assert text.count('<tr class="over">') == sum(len(r.problems()) for r in reports) > 0
    assert "Good bank: &lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
    assert any(d.rule == "cue-longest-key" and d.path == str(course) for d in loaded.diagnostics)

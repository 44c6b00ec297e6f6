"""Property tests: the key scores full marks on every version; scores stay in [0, max];
relabelling and reshuffling versions does not change any question's pooled statistics."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.grade.analysis import analyse, grade
from studygen.grade.manifest import Manifest, ManifestItem, ManifestVersion
from studygen.grade.responses import parse_responses
from studygen.grade.scoring import MultipleResponseRule
from studygen.model import QuestionType as T
from studygen.text.letters import LETTERS

RULES = list(MultipleResponseRule)
HOSTILE = ["<b>&</b>", "=cmd|' /C calc'!A0", "한국어", "русский", "~ = # { } :", "]]>", "a\\b"]


def _question(rng: random.Random, j: int, qtype: T) -> dict:
    n = rng.randint(2, 5)
    texts = [f"{rng.choice(HOSTILE)} q{j} option {i}" for i in range(n)]
    q = {"id": f"Q{j}", "type": qtype, "texts": texts, "points": rng.choice([1.0, 2.0, 0.5, 3.0])}
    if qtype is T.SINGLE_CHOICE:
        q["correct"] = {rng.randrange(n)}
    elif qtype is T.MULTIPLE_RESPONSE:
        q["correct"] = set(rng.sample(range(n), rng.randint(1, n)))
    elif qtype is T.TRUE_FALSE:
        q["texts"], q["correct"] = ["True", "False"], {rng.randrange(2)}
    elif qtype is T.MATCHING:
        q["prompts"] = [f"left {i}" for i in range(n - rng.randint(0, 1) if n > 2 else n)]
    elif qtype is T.SHORT_ANSWER:
        q["accepted"] = [f"Answer {j} 한국어", f"alt {j}"]
    elif qtype is T.FILL_BLANK:
        q["blanks"] = [[f"blank {j}-{b}", f"other {b}"] for b in range(rng.randint(1, 3))]
    return q


def _item(number: int, q: dict, rng: random.Random) -> tuple[ManifestItem, list[int]]:
    """The item as one version shows it; `perm[i]` is the bank index of shown option i."""
    t = q["type"]
    perm = list(range(len(q["texts"])))
    if t is not T.TRUE_FALSE:
        rng.shuffle(perm)
    opts = tuple(q["texts"][i] for i in perm)
    common = {"number": number, "question_id": q["id"], "bank": "b", "type": t, "points": q["points"]}
    if t in (T.SINGLE_CHOICE, T.MULTIPLE_RESPONSE, T.TRUE_FALSE):
        correct = tuple(sorted(LETTERS[perm.index(i)] for i in q["correct"]))
        return ManifestItem(**common, options=opts, correct=correct), perm
    if t is T.MATCHING:
        correct = tuple(LETTERS[perm.index(i)] for i in range(len(q["prompts"])))
        return ManifestItem(**common, options=opts, prompts=tuple(q["prompts"]), correct=correct), perm
    if t is T.ORDERING:
        return ManifestItem(
            **common, options=opts, correct=tuple(LETTERS[perm.index(i)] for i in range(len(perm)))
        ), perm
    if t is T.SHORT_ANSWER:
        return ManifestItem(**common, correct=tuple(q["accepted"])), perm
    if t is T.FILL_BLANK:
        return ManifestItem(**common, blanks=tuple(tuple(b) for b in q["blanks"])), perm
    return ManifestItem(**common), perm


def _manifest(questions: list[dict], labels: list[str], seed: int) -> tuple[Manifest, dict[str, dict[str, list[int]]]]:
    rng = random.Random(seed)
    versions, perms = [], {}
    for label in labels:
        order = list(range(len(questions)))
        rng.shuffle(order)
        items, perms[label] = [], {}
        for number, j in enumerate(order, 1):
            item, perm = _item(number, questions[j], rng)
            items.append(item)
            perms[label][questions[j]["id"]] = perm
        versions.append(ManifestVersion(label, tuple(items)))
    return Manifest(path=__import__("pathlib").Path("m.json"), quiz="q", seed=seed, versions=tuple(versions)), perms


def _key_cell(item: ManifestItem) -> str:
    if item.type in (T.MATCHING, T.ORDERING):
        return " ".join(item.correct)
    if item.type in (T.SINGLE_CHOICE, T.MULTIPLE_RESPONSE, T.TRUE_FALSE):
        return "".join(item.correct).lower()
    if item.type is T.SHORT_ANSWER:
        return f"  {item.correct[-1].upper()} "
    if item.type is T.FILL_BLANK:
        return " | ".join(b[0] for b in item.blanks)
    return f"{item.points:g}"


def _csv(manifest: Manifest, rows: list[tuple[str, str, dict[int, str]]]) -> str:
    import csv
    import io

    numbers = manifest.item_numbers
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["student_id", "version", *map(str, numbers)])
    for sid, label, cells in rows:
        w.writerow([sid, label, *(cells.get(n, "") for n in numbers)])
    return buf.getvalue()


ALL_TYPES = list(T)


@settings(max_examples=40, deadline=None)
@given(
    types=st.lists(st.sampled_from(ALL_TYPES), min_size=1, max_size=8),
    n_versions=st.integers(1, 4),
    seed=st.integers(0, 2**32),
    rule=st.sampled_from(RULES),
)
def test_the_key_scores_full_marks_on_every_version(types: list[T], n_versions: int, seed: int, rule) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    questions = [_question(rng, j, t) for j, t in enumerate(types)]
    manifest, _ = _manifest(questions, [LETTERS[i] for i in range(n_versions)], seed)
    rows = [(f"s{v.label}", v.label, {it.number: _key_cell(it) for it in v.items}) for v in manifest.versions]
    sheet = parse_responses(_csv(manifest, rows), manifest, "r.csv")
    assert not sheet.skipped, sheet.skipped
    for s in grade(sheet.responses, rule):
        assert s.score == pytest.approx(s.max) and s.percent == pytest.approx(100.0)


@settings(max_examples=40, deadline=None)
@given(
    types=st.lists(
        st.sampled_from([T.SINGLE_CHOICE, T.MULTIPLE_RESPONSE, T.TRUE_FALSE, T.ORDERING, T.MATCHING]),
        min_size=1,
        max_size=6,
    ),
    seed=st.integers(0, 2**32),
    rule=st.sampled_from(RULES),
)
def test_scores_stay_between_zero_and_max(types: list[T], seed: int, rule) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    questions = [_question(rng, j, t) for j, t in enumerate(types)]
    manifest, _ = _manifest(questions, ["A", "B"], seed)
    rows = []
    for k in range(8):
        v = rng.choice(manifest.versions)
        cells = {}
        for it in v.items:
            n = len(it.options)
            if it.type in (T.MATCHING, T.ORDERING):
                length = len(it.prompts) if it.type is T.MATCHING else n
                cells[it.number] = "".join(rng.choice(LETTERS[:n] + "-") for _ in range(length))
            else:
                cells[it.number] = "".join(rng.sample(LETTERS[:n], rng.randint(0, n)))
        rows.append((f"s{k}", v.label, cells))
    sheet = parse_responses(_csv(manifest, rows), manifest, "r.csv")
    assert not sheet.skipped
    for s in grade(sheet.responses, rule):
        assert 0.0 <= s.score <= s.max + 1e-9
        for r in s.items:
            assert 0.0 <= r.credit <= 1.0


@settings(max_examples=30, deadline=None)
@given(
    types=st.lists(
        st.sampled_from([T.SINGLE_CHOICE, T.MULTIPLE_RESPONSE, T.TRUE_FALSE, T.ORDERING]), min_size=2, max_size=5
    ),
    n_versions=st.integers(1, 3),
    n_students=st.integers(2, 14),
    seed=st.integers(0, 2**32),
    seed2=st.integers(0, 2**32),
)
def test_relabelling_and_reshuffling_versions_keeps_pooled_statistics(
    types: list[T], n_versions: int, n_students: int, seed: int, seed2: int
) -> None:
    rng = random.Random(seed)
    questions = [_question(rng, j, t) for j, t in enumerate(types)]
    # what each student marked, in the bank's own option order (independent of any version)
    students = []
    for k in range(n_students):
        marks = {}
        for q in questions:
            n = len(q["texts"])
            if q["type"] is T.ORDERING:
                marks[q["id"]] = rng.sample(range(n), n)
            else:
                marks[q["id"]] = rng.sample(range(n), rng.randint(0, min(n, 2)))
        students.append((f"st{k:02d}", rng.randrange(n_versions), marks))

    def run(labels: list[str], shuffle_seed: int):  # type: ignore[no-untyped-def]
        manifest, perms = _manifest(questions, labels, shuffle_seed)
        rows = []
        for sid, vi, marks in students:
            v = manifest.versions[vi]
            cells = {}
            for it in v.items:
                perm = perms[v.label][it.question_id]
                shown = [LETTERS[perm.index(i)] for i in marks[it.question_id]]
                cells[it.number] = "".join(shown if it.type is T.ORDERING else sorted(shown))
            rows.append((sid, v.label, cells))
        sheet = parse_responses(_csv(manifest, rows), manifest, "r.csv")
        assert not sheet.skipped
        return analyse(manifest, grade(sheet.responses, MultipleResponseRule.PARTIAL))

    first = run([LETTERS[i] for i in range(n_versions)], seed)
    second = run([f"v{n_versions - i}" for i in range(n_versions)], seed2)
    assert len(first.questions) == len(second.questions)
    for a, b in zip(first.questions, second.questions, strict=True):
        assert a.question_id == b.question_id and a.n == b.n and a.omitted == b.omitted
        assert a.difficulty == pytest.approx(b.difficulty)
        assert (a.discrimination is None) == (b.discrimination is None)
        if a.discrimination is not None:
            assert a.discrimination == pytest.approx(b.discrimination)
        assert a.upper_lower == pytest.approx(b.upper_lower)
        opts_a = {(o.text, o.correct): (o.chosen, o.upper, o.lower) for o in a.options}
        opts_b = {(o.text, o.correct): (o.chosen, o.upper, o.lower) for o in b.options}
        assert opts_a == opts_b
    assert [s.percent for s in first.students] == pytest.approx([s.percent for s in second.students])


FIXTURE_MANIFEST = __import__("pathlib").Path(__file__).parent / "fixtures" / "grade" / "manifest.json"


@settings(max_examples=150, deadline=None)
@given(cell=st.text(max_size=30))
def test_any_cell_is_an_answer_or_a_clear_error(cell: str) -> None:
    from studygen.grade.answers import AnswerError, parse_answer
    from studygen.grade.manifest import load_manifest
    from studygen.grade.scoring import credit

    manifest = load_manifest(FIXTURE_MANIFEST)
    for item in manifest.versions[0].items:
        try:
            answer = parse_answer(item, cell)
        except AnswerError as exc:
            assert str(exc)
            continue
        for rule in RULES:
            assert 0.0 <= credit(item, answer, rule) <= 1.0


@settings(max_examples=150, deadline=None)
@given(
    body=st.lists(
        st.lists(
            st.sampled_from(["", "A", "ab", "=1+1", "s1", "B", "x|y", '"', "\n", ",", "한", "4", "-"]), max_size=12
        ),
        max_size=6,
    )
)
def test_any_csv_text_is_read_or_refused_with_a_message(body: list[list[str]]) -> None:
    from studygen.grade.manifest import load_manifest
    from studygen.grade.responses import ResponsesError

    manifest = load_manifest(FIXTURE_MANIFEST)
    text = "student_id,version,1,2,3,4,5,6,7,8\n" + "\n".join(",".join(row) for row in body)
    try:
        sheet = parse_responses(text, manifest, "r.csv")
    except ResponsesError as exc:
        assert exc.message.startswith("r.csv")
        return
    ids = [r.student_id for r in sheet.responses]
    assert len(ids) == len(set(ids)) and all(ids)
    assert all(d.message.endswith("row skipped") for d in sheet.skipped)

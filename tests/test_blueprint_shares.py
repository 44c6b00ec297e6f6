"""Blueprint shares (`per_type: {single_choice: 40%}`): counts that follow `questions`, always summing exactly."""

from __future__ import annotations

import json
import re
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studygen.cli import main
from studygen.course import largest_remainder
from studygen.errors import StudygenError
from studygen.sources.coursefile import load_course

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "course-file.md"


def test_largest_remainder_examples() -> None:
    forty = {"a": Fraction(2, 5), "b": Fraction(2, 5), "c": Fraction(1, 5)}
    assert largest_remainder(forty, 15) == {"a": 6, "b": 6, "c": 3}
    assert largest_remainder(forty, 12) == {"a": 5, "b": 5, "c": 2}
    thirds = {"x": Fraction(1, 3), "y": Fraction(1, 3), "z": Fraction(1, 3)}
    assert largest_remainder(thirds, 10) == {"x": 4, "y": 3, "z": 3}  # the tie goes to the first written


@st.composite
def shares(draw: st.DrawFn) -> dict[str, Fraction]:
    weights = draw(st.lists(st.integers(0, 50), min_size=1, max_size=8).filter(lambda w: sum(w) > 0))
    total = sum(weights)
    return {f"k{i}": Fraction(w, total) for i, w in enumerate(weights)}


@given(shares(), st.integers(1, 500))
def test_counts_sum_exactly_and_stay_within_one_of_the_share(s: dict[str, Fraction], n: int) -> None:
    counts = largest_remainder(s, n)
    assert sum(counts.values()) == n and list(counts) == list(s)
    for k, share in s.items():
        assert abs(counts[k] - share * n) < 1


def course(tmp_path: Path, blueprint: str) -> Path:
    path = tmp_path / "studygen.yaml"
    head = f"course: IR\nbanks: [{ROOT / 'question_banks'}]\nquizzes:\n  - id: q\n    title: Q\n"
    path.write_text(f"{head}    blueprint:\n{blueprint}", "utf-8")
    return path


def test_shares_become_counts_in_the_loaded_course(tmp_path: Path) -> None:
    path = course(
        tmp_path,
        "      questions: 15\n      per_type: {single_choice: 40%, multiple_response: 0.2, true_false: 20%, "
        "short_answer: 20%}\n      per_difficulty: {1: 5, 2: 5}\n"
        "      per_bloom: {remember: '50 %', understand: 0.5}\n",
    )
    bp = load_course(path).quizzes[0].blueprint
    assert bp.per_type == {"single_choice": 6, "multiple_response": 3, "true_false": 3, "short_answer": 3}
    assert bp.per_difficulty == {1: 5, 2: 5}  # counts as written, beside a map of shares
    assert bp.per_bloom == {"remember": 8, "understand": 7}


@pytest.mark.parametrize(
    "blueprint,where,needle",
    [
        ("      per_type: {single_choice: 40%, essay: 50%}\n", ":8:17:", "shares add up to 90%, not 100%"),
        ("      per_type: {essay: 2, single_choice: 40%}\n", ":8:17:", "mixes counts (essay: 2) with shares"),
        ("      per_difficulty: {1: 1.5}\n", ":8:27:", "1: 1.5 is neither a count nor a share"),
        ("      per_bloom: {remember: 40 percent}\n", ":8:29:", "'40 percent' is not a count or a share"),
        ("      per_bloom: {remember: 140%}\n", ":8:29:", "140% is more than 100%"),
    ],
)
def test_bad_shares_are_refused_at_their_line_and_column(
    tmp_path: Path, blueprint: str, where: str, needle: str
) -> None:
    path = course(tmp_path, "      questions: 10\n" + blueprint)
    with pytest.raises(StudygenError) as info:
        load_course(path)
    shown = [d.format_text() for d in info.value.diagnostics]
    assert any(where in d and needle in d for d in shown), shown


def test_the_documented_example_builds_the_counts_the_doc_promises(tmp_path: Path) -> None:
    text = DOC.read_text("utf-8")
    block = re.search(r"<!-- example: blueprint-shares .*?-->\n```yaml\n(.*?)```", text, re.S)
    assert block is not None
    (tmp_path / "studygen.yaml").write_text(
        block.group(1).replace("[question_banks]", f"[{ROOT / 'question_banks'}]"), "utf-8"
    )
    args = ["build", "--config", str(tmp_path / "studygen.yaml"), "--out", str(tmp_path / "out")]
    assert main(args) == 0
    manifest = json.loads((tmp_path / "out" / "quizzes" / "quiz-short" / "manifest.json").read_text("utf-8"))
    for version in manifest["versions"]:
        types = Counter(i["type"] for i in version["items"])
        assert types == {"single_choice": 6, "multiple_response": 3, "true_false": 3, "short_answer": 3}
    assert "6 single-choice, 3 multiple-response, 3 true/false and 3 short-answer" in text

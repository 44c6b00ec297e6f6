"""Scoring per item type and reading answer cells, including the documented multiple-response rules."""

from __future__ import annotations

import pytest

from studygen.grade.answers import OMITTED, AnswerError, parse_answer
from studygen.grade.manifest import ManifestItem
from studygen.grade.scoring import MultipleResponseRule as R
from studygen.grade.scoring import credit, matches, multiple_response_credit
from studygen.model import QuestionType as T

SC = ManifestItem(1, "Q-sc", "b", T.SINGLE_CHOICE, 1.0, options=("a", "b", "c", "d"), correct=("B",))
MR = ManifestItem(2, "Q-mr", "b", T.MULTIPLE_RESPONSE, 2.0, options=("a", "b", "c", "d", "e"), correct=("A", "C"))
TF = ManifestItem(3, "Q-tf", "b", T.TRUE_FALSE, 1.0, options=("True", "False"), correct=("B",))
SA = ManifestItem(4, "Q-sa", "b", T.SHORT_ANSWER, 1.0, correct=("Security Council", "한국어 답"))
MA = ManifestItem(
    5, "Q-ma", "b", T.MATCHING, 1.0, options=("x", "y", "z", "w"), prompts=("p", "q", "r"), correct=("C", "A", "B")
)
OR = ManifestItem(6, "Q-or", "b", T.ORDERING, 1.0, options=("x", "y", "z"), correct=("B", "C", "A"))
FB = ManifestItem(7, "Q-fb", "b", T.FILL_BLANK, 2.0, blanks=(("March 28", "28 March"), ("expert panel",)))
ES = ManifestItem(8, "Q-es", "b", T.ESSAY, 4.0)


def score(item: ManifestItem, cell: str, rule: R = R.ALL_OR_NOTHING) -> float:
    return credit(item, parse_answer(item, cell), rule) * item.points


def test_single_choice() -> None:
    assert score(SC, "B") == 1 and score(SC, " b ") == 1
    assert score(SC, "A") == 0
    assert score(SC, "AB") == 0  # two letters circled on a one-answer item is wrong, not a guess
    assert score(SC, "") == 0 and parse_answer(SC, "  ") == OMITTED


def test_true_false_accepts_letters_and_words() -> None:
    for cell in ("B", "b", "F", "false", "FALSE"):
        assert score(TF, cell) == 1, cell
    for cell in ("A", "T", "True"):
        assert score(TF, cell) == 0, cell
    with pytest.raises(AnswerError, match="no option C"):
        parse_answer(TF, "C")


@pytest.mark.parametrize(
    "cell,aon,partial,penalty",
    [
        ("AC", 2, 2, 2),
        ("CA", 2, 2, 2),
        ("A, c", 2, 2, 2),
        ("A", 0, 1, 1),  # right 1/2
        ("AB", 0, 2 * (1 / 2 - 1 / 3), 0),  # partial: 1/2 - 1/3 ; penalty: (1-1)/2
        ("ABC", 0, 2 * (1 - 1 / 3), 1),  # partial: 1 - 1/3 ; penalty: (2-1)/2
        ("ABCDE", 0, 0, 0),  # marking everything earns nothing
        ("BDE", 0, 0, 0),  # never below zero
        ("", 0, 0, 0),
    ],
)
def test_multiple_response_rules(cell: str, aon: float, partial: float, penalty: float) -> None:
    assert score(MR, cell, R.ALL_OR_NOTHING) == pytest.approx(aon)
    assert score(MR, cell, R.PARTIAL) == pytest.approx(partial)
    assert score(MR, cell, R.PENALTY) == pytest.approx(penalty)


def test_multiple_response_all_correct_options() -> None:
    # no wrong options at all: partial has no penalty term
    assert multiple_response_credit({"A", "B"}, {"A"}, 2, R.PARTIAL) == 0.5


def test_short_answer_is_case_and_whitespace_insensitive() -> None:
    assert score(SA, "  security   COUNCIL ") == 1
    assert score(SA, "한국어  답") == 1
    assert score(SA, "Security") == 0
    cs = ManifestItem(4, "Q", "b", T.SHORT_ANSWER, 1.0, correct=("UNSC",), case_sensitive=True)
    assert score(cs, "UNSC") == 1 and score(cs, "unsc") == 0


def test_unicode_normalization_in_answers() -> None:
    composed, decomposed = "café", "cafe\u0301"
    assert matches(decomposed, (composed,))


def test_matching_and_ordering_are_all_or_nothing() -> None:
    assert score(MA, "CAB") == 1 and score(MA, "c a b") == 1 and score(MA, "C,A,B") == 1
    assert score(MA, "CAD") == 0 and score(MA, "C-B") == 0
    assert score(OR, "BCA") == 1 and score(OR, "ABC") == 0
    with pytest.raises(AnswerError, match="needs 3"):
        parse_answer(MA, "CA")
    with pytest.raises(AnswerError, match="no option E"):
        parse_answer(MA, "CAE")
    with pytest.raises(AnswerError, match="needs 3"):
        parse_answer(OR, "BCAA")


def test_fill_blank_scores_each_blank() -> None:
    assert score(FB, "28 march | Expert Panel") == 2
    assert score(FB, "March 28;wrong") == 1
    assert score(FB, "|expert panel") == 1
    assert score(FB, "") == 0
    with pytest.raises(AnswerError, match="2 blanks"):
        parse_answer(FB, "March 28")
    with pytest.raises(AnswerError, match="2 blanks"):
        parse_answer(FB, "a|b|c")


def test_essay_points_are_validated() -> None:
    assert score(ES, "3") == 3 and score(ES, "2.5") == 2.5 and score(ES, "2,5") == 2.5
    for bad in ("5", "4.5", "-1", "nan", "inf", "three", "=1+1"):
        with pytest.raises(AnswerError):
            parse_answer(ES, bad)


@pytest.mark.parametrize("cell", ["E", "1", "A1", "=cmd|' /C calc'!A0", "한", "Ж", "@SUM(A1)"])
def test_impossible_letters_are_errors_not_guesses(cell: str) -> None:
    with pytest.raises(AnswerError):
        parse_answer(SC, cell)

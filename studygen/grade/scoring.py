"""Scoring rules per item type: an answer earns a fraction of the item's points.

Every rule returns a credit in [0, 1]; the score is credit x points from the
manifest, so no rule can ever give less than zero or more than the item is
worth.  Typed answers are compared by the one answer rule in
`studygen.text.answers` (the self-test page runs the same rule from data).
The rules are documented for students and instructors in docs/grading.md;
keep the two in step.
"""

from __future__ import annotations

from enum import StrEnum

from studygen.grade.answers import Answer
from studygen.grade.manifest import ManifestItem
from studygen.model import QuestionType
from studygen.text.answers import Verdict, blank_rivals, judge, matches


class MultipleResponseRule(StrEnum):
    ALL_OR_NOTHING = "all-or-nothing"
    PARTIAL = "partial"
    PENALTY = "penalty"


def credit(
    item: ManifestItem, answer: Answer, rule: MultipleResponseRule = MultipleResponseRule.ALL_OR_NOTHING
) -> float:
    """The fraction of the item's points this answer earns."""
    if answer.blank:
        return 0.0
    t = item.type
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.TRUE_FALSE):
        # Two letters circled on a one-answer item is a wrong answer, not a choice between them.
        return 1.0 if answer.letters == item.correct else 0.0
    if t is QuestionType.MULTIPLE_RESPONSE:
        return multiple_response_credit(set(item.correct), set(answer.letters), len(item.options), rule)
    if t in (QuestionType.MATCHING, QuestionType.ORDERING):
        return 1.0 if answer.letters == item.correct else 0.0
    if t is QuestionType.SHORT_ANSWER:
        return 1.0 if matches(answer.text, item.correct, item.case_sensitive) else 0.0
    if t is QuestionType.FILL_BLANK:
        right = sum(
            matches(part, accepted, item.case_sensitive, blank_rivals(item.blanks, i))
            for i, (part, accepted) in enumerate(zip(answer.parts, item.blanks, strict=False))
        )
        return right / len(item.blanks)
    if item.points <= 0:
        return 0.0
    return min(1.0, answer.points / item.points)


def multiple_response_credit(correct: set[str], marked: set[str], n_options: int, rule: MultipleResponseRule) -> float:
    """Credit for a select-all-that-apply item.

    - all-or-nothing: 1 if exactly the correct options are marked, else 0;
    - partial: right/|C| - wrong/|W| (C = correct options, W = the others), so
      marking every option earns 0;
    - penalty: (right - wrong)/|C|: each wrong mark cancels one right mark.
    Both fractional rules are floored at 0.
    """
    right = len(marked & correct)
    wrong = len(marked - correct)
    if rule is MultipleResponseRule.ALL_OR_NOTHING:
        return 1.0 if marked == correct else 0.0
    if rule is MultipleResponseRule.PARTIAL:
        n_wrong_options = n_options - len(correct)
        value = right / len(correct) - (wrong / n_wrong_options if n_wrong_options else 0.0)
    else:
        value = (right - wrong) / len(correct)
    return max(0.0, min(1.0, value))


def near_misses(item: ManifestItem, answer: Answer) -> list[tuple[str, Verdict]]:
    """Typed answers accepted as a near miss (not an exact match), each with its verdict.

    The answer rule forgives one typo; grading says where it did, so an instructor can
    look at those answers rather than trust a silent guess.
    """
    if answer.blank:
        return []
    if item.type is QuestionType.SHORT_ANSWER:
        typed: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [(answer.text, item.correct, ())]
    elif item.type is QuestionType.FILL_BLANK:
        typed = [
            (part, accepted, blank_rivals(item.blanks, i))
            for i, (part, accepted) in enumerate(zip(answer.parts, item.blanks, strict=False))
        ]
    else:
        return []
    out = []
    for text, accepted, rivals in typed:
        verdict = judge(text, accepted, item.case_sensitive, rivals)
        if verdict.right and not verdict.exact:
            out.append((text, verdict))
    return out


def typed_parts(item: ManifestItem, answer: Answer) -> list[tuple[int, str, bool]]:
    """(blank, text as typed, accepted?) for each non-empty typed answer; blank 0 is a short answer's only part.

    The same comparison `credit` makes, so the unmatched-answers table lists
    exactly the typed answers that earned nothing (tests hold the two together).
    """
    if answer.blank:
        return []
    if item.type is QuestionType.SHORT_ANSWER:
        text = answer.text.strip()
        return [(0, text, matches(text, item.correct, item.case_sensitive))] if text else []
    if item.type is QuestionType.FILL_BLANK:
        return [
            (i + 1, part.strip(), matches(part, accepted, item.case_sensitive, blank_rivals(item.blanks, i)))
            for i, (part, accepted) in enumerate(zip(answer.parts, item.blanks, strict=False))
            if part.strip()
        ]
    return []


__all__ = ["MultipleResponseRule", "credit", "matches", "multiple_response_credit", "near_misses", "typed_parts"]

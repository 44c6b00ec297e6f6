"""Fact → recall prompt (studygen.recall): the detail a flashcard hides, always a span of the statement."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.model import Fact
from studygen.recall import Detail, recall_prompt
from studygen.sources.banks import load_banks

REAL_BANK = Path(__file__).resolve().parents[1] / "question_banks" / "seoul-moscow.yaml"


def fact(statement: str, date: str = "", date_text: str = "", actors: tuple[str, ...] = ()) -> Fact:
    return Fact(id="F-x", statement=statement, quotes=("q",), date=date, date_text=date_text, actors=actors)


@pytest.mark.parametrize(
    ("f", "answer", "detail"),
    [
        (fact("In early February, the spokespeople traded words.", "2024-02", "early February"), "early February",
         Detail.DATE),
        (fact("They met on Sept. 13, 2023.", "2023-09-13", 'Sept. 13, 2023 (photo caption); "last September"'),
         "Sept. 13, 2023", Detail.DATE),
        (fact('Russia called the remarks "blatantly biased" and odious.'), "blatantly biased", Detail.QUOTE),
        (fact("Samsung suspended work on 10 out of 15 tankers."), "10", Detail.NUMBER),
        (fact("Relations worsened since Yoon Suk-yeol became president.", actors=("russia",)), "Yoon Suk-yeol",
         Detail.NAME),
        (fact("The Lotte Hotel was full.", actors=()), "Lotte Hotel", Detail.NAME),
        # after a sentence's first word, a leading "the" is not part of the name
        (fact("Since the Putin-Kim summit, ties grew.", actors=()), "Putin-Kim", Detail.NAME),
        # a sentence's first word that is part of the name stays in it
        (fact("South Korea must not provide lethal weapons to Ukraine.", actors=()), "South Korea", Detail.NAME),
        # a name said twice would still show on the front
        (fact("Despite listing South Korea, Russians like South Korea.", actors=()), "Russians", Detail.NAME),
        (fact("Russia tends to regard sanctions against North Korea as aimed at itself.", actors=("north-korea",)),
         "North Korea", Detail.NAME),  # only names that are the fact's subject: the longest
        (fact("Ties have been going from bad to worse, partly because of the war."),
         "partly because of the war", Detail.CLAUSE),
    ],
)  # fmt: skip
def test_the_key_detail_is_hidden(f: Fact, answer: str, detail: Detail) -> None:
    p = recall_prompt(f)
    assert (p.answer, p.detail) == (answer, detail)
    assert p.statement == " ".join(f.statement.split())


def test_a_name_that_is_not_the_subject_wins() -> None:
    f = fact("South Korea's envoy met Chang Ho-jin.", actors=("south-korea",))
    assert recall_prompt(f).answer == "Chang Ho-jin"


def test_possessive_stays_outside_the_answer() -> None:
    p = recall_prompt(fact("Observers doubted South Korea's sanctions."))
    assert p.answer == "South Korea" and p.after.startswith("'s")


def test_a_statement_of_punctuation_still_hides_something() -> None:
    assert recall_prompt(fact(".")).answer == "."


def test_markup_is_read_as_plain_text() -> None:
    p = recall_prompt(fact("The **veto** came on March 28.", "2024-03-28", "March 28"))
    assert p.before == "The veto came on " and p.answer == "March 28"


WORDS = st.lists(
    st.one_of(
        st.sampled_from(
            ["Russia", "South Korea", "the", "ties", "said", '"a quoted phrase"', "10", "2024", "**bold**"]
        ),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC.,;:'’-“”\" 0123456789", min_size=1, max_size=12),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(WORDS, st.sampled_from(["", "early February", "2024", "March 28; last spring"]))
def test_any_statement_splits_into_itself(words: list[str], date_text: str) -> None:
    statement = " ".join(words)
    f = fact(statement, "2024-02" if date_text else "", date_text)
    p = recall_prompt(f)
    from studygen import inline

    assert p.statement == " ".join(inline.plain(statement).split())
    assert recall_prompt(f) == p  # deterministic
    if p.statement.strip():
        assert p.answer.strip(), (statement, p)


@pytest.mark.skipif(not REAL_BANK.exists(), reason="the real bank is not there")
def test_every_fact_of_the_real_bank_gets_a_real_prompt() -> None:
    result = load_banks([str(REAL_BANK)])
    if not result.ok:
        pytest.skip("the real bank does not load cleanly right now")
    for f in result.banks[0].facts:
        p = recall_prompt(f)
        assert len(p.answer) >= 2 and p.answer != p.statement, (f.id, p)
        assert p.before.strip() or p.after.strip(), f.id  # something is left to cue the answer

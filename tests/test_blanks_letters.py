"""`[[n]]` blanks and option letters: one parser and one alphabet for every consumer."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from studygen.targets.html import _fill_blank_parts
from studygen.text import blanks
from studygen.text.letters import LETTERS, letter, letter_index, version_label


def test_pieces_alternate_text_and_indexes() -> None:
    assert blanks.pieces("on [[1]].") == ["on ", 0, "."]
    assert blanks.pieces("[[1]][[2]]") == ["", 0, "", 1, ""]
    assert blanks.segments("[[1]][[2]] x") == [0, 1, " x"]
    assert blanks.numbers("a [[2]] b [[1]]") == [2, 1]


def test_only_ascii_digits_make_a_blank() -> None:
    """Python's `\\d` took `[[١]]` (Arabic-Indic one) for blank 1 where the page's JavaScript did not."""
    text = "x [[١]] y [[ 1 ]] z [[1]]"
    assert blanks.numbers(text) == [1]
    assert blanks.pieces(text) == ["x [[١]] y [[ 1 ]] z ", 0, ""]
    assert _fill_blank_parts(text) == [("x [[١]] y [[ 1 ]] z ", None), ("", 1), ("", None)]


@given(st.text(alphabet=st.sampled_from(list("ab[]12٣ ")), max_size=30))
def test_pieces_lose_nothing_but_the_markers(text: str) -> None:
    parts = blanks.pieces(text)
    assert all(isinstance(p, str) for p in parts[::2]) and all(isinstance(p, int) for p in parts[1::2])
    assert "".join(p for p in parts if isinstance(p, str)) == re.sub(r"\[\[[0-9]+\]\]", "", text)


def test_letters() -> None:
    assert LETTERS == "ABCDEFGHIJKLMNOPQRSTUVWXYZ" and letter(2) == "C"
    assert [letter_index(c) for c in ("a", "Z", "é", "1", "AB", "")] == [0, 25, -1, -1, -1, -1]
    assert [version_label(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]

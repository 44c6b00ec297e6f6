"""`[[n]]` blanks and option letters: one parser and one alphabet for every consumer."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from studygen.documents.quiz import fill_pieces
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
    assert fill_pieces(text) == ("x [[١]] y [[ 1 ]] z ", 1, ""), "what the quiz and key pages print"


@given(st.text(alphabet=st.sampled_from(list("ab[]12٣ ")), max_size=30))
def test_pieces_lose_nothing_but_the_markers(text: str) -> None:
    parts = blanks.pieces(text)
    assert all(isinstance(p, str) for p in parts[::2]) and all(isinstance(p, int) for p in parts[1::2])
    assert "".join(p for p in parts if isinstance(p, str)) == re.sub(r"\[\[[0-9]+\]\]", "", text)


def test_letters() -> None:
    assert LETTERS == "ABCDEFGHIJKLMNOPQRSTUVWXYZ" and letter(2) == "C"
    assert [letter_index(c) for c in ("a", "Z", "é", "1", "AB", "")] == [0, 25, -1, -1, -1, -1]
    assert [version_label(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_vocabularies_come_from_one_place() -> None:
    """Bloom levels, question types, the id pattern and export names are declared once and read everywhere."""
    from studygen.course import EXPORTERS
    from studygen.model import BLOOM_LEVELS, ID_PATTERN, QuestionType
    from studygen.sources import bankschema, coursefile
    from studygen.targets import EXPORTERS as REGISTRY

    assert list(BLOOM_LEVELS) == bankschema.BLOOM
    assert [t.value for t in QuestionType] == bankschema.QUESTION_TYPES
    schema = coursefile.course_schema()
    assert schema["properties"]["exports"]["items"]["enum"] == list(EXPORTERS) and REGISTRY is EXPORTERS
    assert ID_PATTERN in _strings(schema) and ID_PATTERN in _strings(bankschema.bank_schema())
    export_help = subprocess.run(
        [sys.executable, "-m", "studygen", "export", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert all(name in export_help for name in EXPORTERS)


def _strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()

"""`cues.absolute_words` (one regex for just the absolute words) finds what listing every word finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.check.cues import ABSOLUTE_WORDS, absolute_words, text_of


def reference_absolute_words(text: str) -> list[str]:
    """The original implementation: every \\w+ word of the text, kept if it is an absolute word."""
    return sorted({w for w in re.findall(r"\w+", text_of(text).casefold()) if w in ABSOLUTE_WORDS})


_PIECES = [*sorted(ABSOLUTE_WORDS), "ALL", "Never", "every1", "_only", "allé", "nonetheless", "ßolely", "ﬁ"]
_GLUE = [" ", "", "-", "'", "_", "é", "1", "**", "*", ".", "\u00a0", "\n", "İ"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GLUE)), max_size=8))
def test_absolute_words_are_the_reference_ones(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + glue for word, glue in parts)
    assert absolute_words(text) == reference_absolute_words(text)


@given(st.text(max_size=60))
def test_absolute_words_on_any_text(text: str) -> None:
    assert absolute_words(text) == reference_absolute_words(text)


def test_absolute_words_examples() -> None:
    assert absolute_words("It is ALWAYS the case, for everyone; everything-only") == [
        "always",
        "everyone",
        "everything",
        "only",
    ]
    assert absolute_words("allowed nonetheless every1 _only") == []

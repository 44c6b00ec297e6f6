"""Text normalisation shared by rules: what counts as 'the same' passage or option."""

from __future__ import annotations

import difflib
import re

from studygen.passages import normalize_passage

__all__ = ["closest_passage", "normalize_option", "normalize_passage", "words"]

_WORD = re.compile(r"\w+")


def normalize_option(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def closest_passage(quote: str, reading_norm: str) -> str:
    """The stretch of the reading most like `quote`, to show the author what they meant."""
    q = normalize_passage(quote)
    if not q:
        return ""
    sm = difflib.SequenceMatcher(None, reading_norm, q, autojunk=False)
    best = max(sm.get_matching_blocks(), key=lambda b: b.size)
    start = max(0, best.a - best.b)
    end = min(len(reading_norm), start + len(q))
    candidate = reading_norm[start:end]
    # widen to word boundaries so the excerpt reads naturally
    while start > 0 and reading_norm[start - 1] != " ":
        start -= 1
    while end < len(reading_norm) and reading_norm[end] not in " .,;":
        end += 1
    return reading_norm[start:end] if candidate else ""


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())

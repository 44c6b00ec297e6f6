"""Fill-in-the-blank text: `[[1]]`, `[[2]]`, … mark where the blanks go.

The checker, every renderer and exporter, and the self-test page (which receives the
pieces as data) split the text here, so they agree on what a blank is: two brackets
around ASCII digits, nothing else (`[[١]]` or `[[ 1 ]]` is text).
"""

from __future__ import annotations

import re

_BLANK = re.compile(r"\[\[([0-9]+)\]\]")


def pieces(text: str) -> list[str | int]:
    """Text and blank indexes (0-based) strictly alternating, starting and ending with text.

    `"on [[1]]."` → `["on ", 0, "."]`; `"[[1]][[2]]"` → `["", 0, "", 1, ""]`.
    """
    parts = _BLANK.split(text)
    return [p if i % 2 == 0 else int(p) - 1 for i, p in enumerate(parts)]


def segments(text: str) -> list[str | int]:
    """`pieces` without the empty texts: what an exporter writes, in order."""
    return [p for p in pieces(text) if p != ""]


def numbers(text: str) -> list[int]:
    """The blank numbers as written (1-based), in order of appearance."""
    return [p + 1 for p in pieces(text) if isinstance(p, int)]

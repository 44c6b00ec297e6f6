"""The safe inline subset of bank text, parsed once for every output format.

Bank text may ask for `**bold**` and `*italic*` and nothing else: a literal
`<b>`, `<img src=x>` or `<script>` is text to be shown, in every format.
This module only splits text into styled runs; each renderer escapes the runs
for its own format (HTML, reportlab markup, XML, GIFT), so no format can drift
into honouring a construct another one prints literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])", re.S)


class Run(NamedTuple):
    text: str
    bold: bool = False
    italic: bool = False


def _italics(segment: str, bold: bool) -> list[Run]:
    out: list[Run] = []
    pos = 0
    for m in _ITALIC.finditer(segment):
        if m.start() > pos:
            out.append(Run(segment[pos : m.start()], bold, False))
        out.append(Run(m.group(1), bold, True))
        pos = m.end()
    if pos < len(segment):
        out.append(Run(segment[pos:], bold, False))
    return out


@lru_cache(maxsize=65536)
def runs(text: str) -> tuple[Run, ...]:
    """Split text into runs; bold spans are found first, italics within and between them.

    Cached because a build renders the same stems and options once per version.
    """
    out: list[Run] = []
    pos = 0
    for m in _BOLD.finditer(text):
        out.extend(_italics(text[pos : m.start()], False))
        out.extend(_italics(m.group(1), True))
        pos = m.end()
    out.extend(_italics(text[pos:], False))
    return tuple(out)


def plain(text: str) -> str:
    """The text a reader sees, without the markers (for plain-text targets, SVG, titles)."""
    return "".join(r.text for r in runs(text))


def has_markup(text: str) -> bool:
    """True if the text asks for bold or italic anywhere."""
    return any(r.bold or r.italic for r in runs(text))


def render(text: str, esc: Callable[[str], str], *, bold: tuple[str, str], italic: tuple[str, str]) -> str:
    """Escape each run with `esc` and wrap styled runs in the format's open/close tags."""
    parts = []
    for r in runs(text):
        piece = esc(r.text)
        if r.italic:
            piece = italic[0] + piece + italic[1]
        if r.bold:
            piece = bold[0] + piece + bold[1]
        parts.append(piece)
    return "".join(parts)

"""The reading as students see it: paragraphs with stable anchors, and where each quote sits.

Quotes are verified by `studygen check` against the whole reading with
`normalize_passage`; the self-test must find them with the very same notion
of "the same text", or a quote that passes the check would silently lose its
link.  Offsets are computed here, once, in the paragraph's *displayed* text,
so the browser only splits text nodes and never re-implements normalisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studygen.passages import normalize_passage

_BLANK_LINES = re.compile(r"\n[ \t\r\f\v\u00a0]*\n")
_WS = re.compile(r"\s+")
_MD_LINK = re.compile(r"\[([^\]\n]*)\]\(([^)\s]*)\)")
# What is left of a navigation line ("[all](#) > [Opinion](#)") once its links are gone.
_SEPARATORS = re.compile(r"[\s>|/»·•:,\-–—]*")
_SENTENCE_END = re.compile(r"[.!?:;\"'”’)\]…]$")


@dataclass(frozen=True, slots=True)
class Segment:
    """A highlighted stretch of one paragraph: `text[start:end]` of paragraph `para` (0-based)."""

    para: int
    start: int
    end: int


def display_text(raw: str) -> str:
    """One paragraph as shown: whitespace runs collapsed, markdown links reduced to their text."""
    text = _MD_LINK.sub(lambda m: m.group(1), raw.replace("\u00a0", " "))
    return _WS.sub(" ", text).strip()


def _is_navigation(raw: str) -> bool:
    """A paragraph made only of markdown links and separators is site chrome, not the column."""
    if not _MD_LINK.search(raw):
        return False
    return _SEPARATORS.fullmatch(_MD_LINK.sub("", raw)) is not None


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph as shown; `chrome` marks a navigation line, set apart but kept (banks quote them)."""

    text: str
    chrome: bool = False


def split_paragraphs(text: str) -> list[Block]:
    """The reading's paragraphs in display form.

    Blank lines separate paragraphs, except where a blank line falls inside a
    sentence (the previous chunk does not end a sentence and the next starts in
    lower case): scraped columns often break there, and a quote spanning that
    break must still be found in one paragraph.
    """
    blocks: list[Block] = []
    for chunk in _BLANK_LINES.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        shown = display_text(chunk)
        if not shown:
            continue
        prev = blocks[-1] if blocks else None
        if prev and not prev.chrome and not _SENTENCE_END.search(prev.text) and shown[0].islower():
            blocks[-1] = Block(f"{prev.text} {shown}")
        else:
            blocks.append(Block(shown, _is_navigation(chunk)))
    return blocks


def _normalized_with_map(paragraphs: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """All paragraphs normalised and joined by single spaces, with each character's origin.

    `origin[i]` is `(paragraph, offset)` of normalised character `i` in the
    display text; the joining spaces point at `(-1, -1)`.
    """
    out: list[str] = []
    origin: list[tuple[int, int]] = []
    for p_index, para in enumerate(paragraphs):
        norm = normalize_passage(para)
        if not norm:
            continue
        if out:
            out.append(" ")
            origin.append((-1, -1))
        # Display text has no whitespace runs and no NBSP, and the translation in
        # normalize_passage maps one character to one character, so offsets line up.
        if len(norm) != len(para):  # pragma: no cover - guarded by a property test
            raise AssertionError("display text and its normalisation differ in length")
        out.append(norm)
        origin.extend((p_index, i) for i in range(len(para)))
    return "".join(out), origin


class QuoteLocator:
    """Finds verbatim quotes in a reading's paragraphs, tolerating what the checker tolerates."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.paragraphs = paragraphs
        self._norm, self._origin = _normalized_with_map(paragraphs)

    def locate(self, quote: str) -> tuple[Segment, ...]:
        """Per-paragraph segments of the first occurrence of `quote`, or () if it is not in the reading."""
        needle = normalize_passage(quote)
        if not needle:
            return ()
        at = self._norm.find(needle)
        if at < 0:
            return ()
        segments: list[Segment] = []
        for para, offset in self._origin[at : at + len(needle)]:
            if para < 0:
                continue
            if segments and segments[-1].para == para and segments[-1].end == offset:
                last = segments[-1]
                segments[-1] = Segment(para, last.start, offset + 1)
            else:
                segments.append(Segment(para, offset, offset + 1))
        return tuple(segments)

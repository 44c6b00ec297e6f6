"""What counts as the same passage of a reading, wherever a quote is matched against it.

Shared by the checker (is a quote verbatim?) and the self-test reading view
(which paragraph holds it?), so both agree exactly: only whitespace, line
breaks and typographic quote/dash variants are tolerated.
"""

from __future__ import annotations

import re

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
    }
)
_WS = re.compile(r"\s+")


def normalize_passage(text: str) -> str:
    """Tolerate only whitespace/line breaks and typographic quote and dash variants."""
    return _WS.sub(" ", text.translate(_TRANSLATE)).strip()


# Abbreviations (and initials) whose full stop does not end a sentence.
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Gen|Col|Lt|Gov|Sen|Rep|Pres|vs|etc|e\.g|i\.e|No|Vol|pp|Inc|Ltd|Co"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|[A-Z])\.$"
)
_SENTENCE_STOP = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")


def sentence_spans(flat: str) -> list[tuple[int, int]]:
    """`(start, end)` of each sentence of one paragraph whose whitespace is already folded.

    Sentence ends are full stops, question and exclamation marks (with any closing quote or
    bracket) followed by a space and a capital, a digit or an opening quote; abbreviations such
    as "Dr." or "Sept." and initials do not end a sentence.  Shared by `studygen new --suggest`
    (which sentences to offer as facts) and the live preview (which sentences a bank covers).
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_STOP.finditer(flat):
        if m.group(0).startswith(".") and _ABBREV.search(flat[max(start, m.start() - 6) : m.start() + 1]):
            continue
        if flat[start : m.end()].strip():
            spans.append((start, m.end()))
        start = m.end()
        while start < len(flat) and flat[start] == " ":
            start += 1
    if flat[start:].strip():
        spans.append((start, len(flat.rstrip())))
    return spans

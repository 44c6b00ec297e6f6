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

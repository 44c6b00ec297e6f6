"""Spreadsheet cells that stay data: the one CSV formula guard (grading outputs and the CSV export).

A cell that begins with `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed —
or with the full-width `＝ ＋ － ＠`, which spreadsheets in East Asian locales also
evaluate — would run as a formula; such a cell gets a leading apostrophe (the OWASP
CSV-injection rule), which spreadsheets hide and which removing restores the text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def safe_cell(text: str) -> str:
    """Text as data: a cell a spreadsheet would evaluate is prefixed with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text

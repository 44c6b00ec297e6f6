"""Option letters and version labels: A–Z for choices, A … Z, AA, AB … for versions.

Quizzes, keys, exports, the checker and grading all name options by these letters;
one definition keeps "option 3" = "C" everywhere (a bank has at most 26 options).
"""

from __future__ import annotations

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def letter(index: int) -> str:
    """The letter of option `index` (0-based): 0 → A."""
    return LETTERS[index]


def letter_index(ch: str) -> int:
    """The 0-based option index of a letter in either case (`b` → 1); -1 for anything else."""
    return LETTERS.find(ch.upper()) if len(ch) == 1 else -1


def version_label(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... (spreadsheet columns), so 500 versions still get short labels."""
    label = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        label = LETTERS[rem] + label
    return label

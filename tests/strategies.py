"""Hypothesis strategies for valid banks, shared by every test that needs random banks.

`banks()` draws a bank dict (the YAML data, ready for `yaml.safe_dump`) with
its reading text, such that `studygen check` finds no errors: every quote is
in the reading, every ref resolves, choice questions have the right number of
correct options, essays and prompts have guidance.  Text fields include
hostile and YAML-1.1-looking values, Hangul and Cyrillic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

HOSTILE = [
    "<b>bold</b>",
    "A & B",
    "<img src=x>",
    "<script>alert(1)</script>",
    "]]>",
    "~ = # { } : \\",
    "한국어",
    "русский",
    "NO",
    "yes",
    "on",
    "2024-05-13",
    "1:20",
    "017",
    "null",
    "=1+2",
    "@SUM(A1)",
    "'quoted'",
    '"dq"',
]

# Words that never collide with one another's stems; each drawn text gets a unique tag so stems stay distinct.
_WORD = st.sampled_from(
    [
        "veto",
        "panel",
        "mandate",
        "summit",
        "sanction",
        "treaty",
        "envoy",
        "border",
        "한국",
        "москва",
        "ally",
        "trade",
        "grain",
        "oil",
        "port",
    ]
)
_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\ufeff")
_FREE = st.text(_ALPHABET, min_size=1, max_size=20).filter(lambda s: s.strip() == s and s.strip() != "")


def text() -> st.SearchStrategy[str]:
    """Non-empty text: hostile samples, arbitrary unicode, or words."""
    return st.one_of(st.sampled_from(HOSTILE), _FREE, st.lists(_WORD, min_size=1, max_size=6).map(" ".join))


@st.composite
def banks(draw: st.DrawFn, min_questions: int = 1, max_questions: int = 8) -> tuple[dict[str, Any], str]:
    n_facts = draw(st.integers(1, 4))
    fact_quotes = [f"Passage {i}: " + draw(text()) for i in range(n_facts)]
    facts = [{"id": f"F{i}", "statement": draw(text()), "quotes": [fact_quotes[i]]} for i in range(n_facts)]
    arguments = [
        {
            "id": "A0",
            "claim": draw(text()),
            "holder": "the author",
            "role": "thesis",
            "quotes": ["Argument passage: " + draw(text())],
            "supported_by": ["F0"],
        }
    ]
    reading = "\n\n".join(fact_quotes + arguments[0]["quotes"]) + "\n"
    kinds = [
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "matching",
        "ordering",
        "fill_blank",
        "essay",
    ]
    n_questions = draw(st.integers(min_questions, max_questions))
    questions = []
    for i in range(n_questions):
        kind = draw(st.sampled_from(kinds))
        q: dict[str, Any] = {
            "id": f"Q{i}",
            "type": kind,
            "stem": f"Stem {i} " + "x" * i + ": " + draw(text()),
            "explanation": draw(text()),
            "refs": [f"F{i % n_facts}"] + (["A0"] if draw(st.booleans()) else []),
            "difficulty": draw(st.integers(1, 3)),
            "bloom": draw(st.sampled_from(["remember", "understand", "analyze"])),
        }
        if draw(st.booleans()):
            q["points"] = draw(st.sampled_from([1, 2, 0.5]))
        if kind in ("single_choice", "multiple_response"):
            n = draw(st.integers(2, 4))
            right = draw(st.integers(0, n - 1))
            q["options"] = [
                {
                    "text": f"{chr(65 + j)}) {draw(text())}"[:24],
                    "correct": j == right or (kind == "multiple_response" and draw(st.booleans())),
                }
                for j in range(n)
            ]
        elif kind == "true_false":
            q["answer"] = draw(st.booleans())
        elif kind == "short_answer":
            q["accepted"] = [f"{j}. {draw(text())}" for j in range(draw(st.integers(1, 3)))]
        elif kind == "matching":
            q["pairs"] = [{"left": f"L{j} {draw(text())}", "right": f"R{j} {draw(text())}"} for j in range(2)]
        elif kind == "ordering":
            q["items"] = [f"{j}. {draw(text())}" for j in range(draw(st.integers(2, 4)))]
        elif kind == "fill_blank":
            q["text"] = draw(text().filter(lambda t: "[[" not in t)) + " [[1]]."
            q["blanks"] = [{"accepted": [draw(text())]}]
        else:
            q["guidance"] = draw(text())
        questions.append(q)
    for i in range(n_questions, n_facts):  # every fact is covered
        questions[i % n_questions]["refs"].append(f"F{i}")
    bank = {
        "format": 1,
        "id": "prop",
        "title": draw(text()),
        "reading": {
            "title": draw(text()),
            "author": draw(text()),
            "publication": draw(text()),
            "date": "2024-05-13",
            "text": "reading.txt",
        },
        "facts": facts,
        "arguments": arguments,
        "questions": questions,
        "prompts": [{"id": "P0", "prompt": draw(text()), "guidance": draw(text()), "refs": ["A0"]}],
        "glossary": [{"term": draw(text()), "definition": draw(text()), "refs": ["F0"]}],
    }
    return bank, reading


def write_bank(folder: Path, bank: dict[str, Any], reading: str, name: str = "bank.yaml") -> Path:
    """Write a drawn bank and its reading; returns the bank file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / bank["reading"]["text"]).write_text(reading, encoding="utf-8")
    path = folder / name
    path.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path

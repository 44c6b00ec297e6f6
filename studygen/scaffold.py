"""What `studygen new` writes for a fresh reading: its metadata file and a bank skeleton.

Pure text in, text out (no I/O), so the command stays a thin shell and the tests can read
exactly what an instructor will open in an editor.  The skeleton is a bank `studygen check`
accepts as it stands; with `--suggest` it also lists, as YAML comments, the sentences that usually
become facts (dates, numbers, quoted speech, named people and institutions), each with its exact
quote, so the curator edits rather than copies.  Every string is written through a YAML emitter,
so a title with a quote or a colon stays one valid scalar.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from studygen.passages import normalize_passage, sentence_spans

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
)
_DATE = re.compile(rf"\b(?:{_MONTHS})(?:\s+\d{{1,2}})?|\b(?:1[5-9]|20)\d\d\b|\b\d{{4}}-\d\d-\d\d\b")
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion)\b", re.I
)
_QUOTED = re.compile(r"[\"“][^\"”]{3,}[\"”]")
# A run of capitalised words (with hyphens and "of/the/for/and" inside), the usual shape of a name.
_NAME = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:(?:of|the|for|de|von|van)\s+)?[A-Z][\w'’.-]*)+")


@dataclass(frozen=True)
class Suggestion:
    """A sentence worth making into a fact, and why it was picked."""

    quote: str
    reasons: tuple[str, ...]


def sentences(text: str) -> Iterator[str]:
    """The reading's sentences, whitespace folded, never across a paragraph break."""
    for paragraph in re.split(r"\n\s*\n", text):
        flat = " ".join(paragraph.split())
        for start, end in sentence_spans(flat):
            yield flat[start:end]


def suggest(text: str, limit: int = 60) -> list[Suggestion]:
    """Sentences with dates, numbers, quoted speech or names, in reading order."""
    out: list[Suggestion] = []
    for sentence in sentences(text):
        if len(sentence) < 25 or len(sentence) > 600:
            continue
        reasons: list[str] = []
        if _DATE.search(sentence):
            reasons.append("date")
        if _NUMBER.search(_DATE.sub("", sentence)):
            reasons.append("number")
        if _QUOTED.search(sentence):
            reasons.append("quoted speech")
        names = []
        for m in _NAME.finditer(sentence):
            name = m.group(0).rstrip(".")
            if m.start() == 0:  # a sentence's first word is capitalised anyway
                name = name.partition(" ")[2]
                if not name[:1].isupper():
                    continue
            names.append(name)
        if names:
            shown = ", ".join(dict.fromkeys(names[:4]))
            reasons.append(f"names: {shown}")
        if reasons:
            out.append(Suggestion(sentence, tuple(reasons)))
        if len(out) >= limit:
            break
    return out


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of YAML's)."""
    return json.dumps(text, ensure_ascii=False)


@dataclass(frozen=True)
class ReadingInfo:
    id: str
    title: str
    author: str
    publication: str
    date: str
    url: str = ""
    source_name: str = ""  # the file the text was extracted from, for the header comment


def meta_yaml(info: ReadingInfo) -> str:
    """`seeds/ID.meta.yaml`: the reading's publication metadata, its one source."""
    lines = [
        f"# Publication metadata for seeds/{info.id}.txt: the one place the bank reads it from.",
        f"title: {_q(info.title)}",
        f"author: {_q(info.author)}",
        f"publication: {_q(info.publication)}",
        f"date: {_q(info.date)}",
    ]
    if info.url:
        lines.append(f"url: {_q(info.url)}")
    return "\n".join(lines) + "\n"


def bank_yaml(info: ReadingInfo, text: str, with_suggestions: bool) -> str:
    """A bank skeleton that `studygen check` accepts, with the curation steps as comments."""
    ident = info.id
    title = f"{info.title} ({info.author}, {info.publication}, {info.date})"
    out = [
        "# yaml-language-server: $schema=../docs/bank.schema.json",
        f"# Bank for {_q(info.title)}, made by `studygen new`"
        + (f" from {info.source_name}." if info.source_name else "."),
        "# Next: add topics, then facts and arguments whose quotes are copied verbatim from the",
        f"# reading (seeds/{ident}.txt), then questions that point at them through refs.",
        "# `studygen check` verifies every quote; `studygen serve` shows what the bank covers.",
        "# The format is documented in docs/bank-format.md.",
        "format: 1",
        f"id: {_q(ident)}",
        f"title: {_q(title)}",
        "reading:",
        f"  text: {_q(f'../seeds/{ident}.txt')}",
        f"  meta: {_q(f'../seeds/{ident}.meta.yaml')}",
        "topics: []",
        "facts: []",
    ]
    if with_suggestions:
        found = suggest(text)
        if found:
            out += [
                "# Suggested facts (`studygen new --suggest`): sentences with dates, numbers, quoted speech",
                "# or names, each quoted exactly. To use one, move it under `facts:` (drop the `[]`),",
                "# uncomment it (delete the leading `#`), give it a topic, write the statement in your",
                "# own words and trim the quote to the words the fact rests on.",
            ]
            for n, s in enumerate(found, start=1):
                assert normalize_passage(s.quote) in normalize_passage(text)
                out.append(f"#  - id: F-{ident}-{n}  # {'; '.join(s.reasons)}")
                out.append('#    statement: ""')
                out.append("#    quotes:")
                out.append(f"#      - {_q(s.quote)}")
    out += ["arguments: []", "questions: []", ""]
    return "\n".join(out)

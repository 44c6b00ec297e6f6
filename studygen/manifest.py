"""manifest.json and the responses template: the single source of truth for keys and grading.

The manifest is written from the same `Item`s the quiz and key are drawn
from, so grading can never disagree with what students saw.  Its shape is
`{"quiz", "seed", "fingerprint", "versions": [{"label", "files", "items"}]}`
(the fingerprint is also printed on every page of the quiz and key); file
names are relative to the manifest's folder, `null` when that format was not
built.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from studygen.versions import Quiz, Version

FILE_KINDS = ("quiz_pdf", "key_pdf", "quiz_html", "key_html")


def file_names(quiz_id: str, label: str, *, large: bool = False) -> dict[str, str]:
    """Output names of one version's documents; the build and the index use the same ones."""
    tail = "-large" if large else ""
    return {
        "quiz_pdf": f"{quiz_id}-{label}{tail}.pdf",
        "key_pdf": f"{quiz_id}-{label}-key{tail}.pdf",
        "quiz_html": f"{quiz_id}-{label}{tail}.html",
        "key_html": f"{quiz_id}-{label}-key{tail}.html",
    }


def _version_entry(quiz: Quiz, v: Version, formats: tuple[str, ...]) -> dict[str, Any]:
    names = file_names(quiz.id, v.label)
    files = {kind: (names[kind] if kind.rsplit("_", 1)[1] in formats else None) for kind in FILE_KINDS}
    return {"label": v.label, "files": files, "items": [i.manifest_entry() for i in v.items]}


def manifest(quiz: Quiz, formats: tuple[str, ...]) -> dict[str, Any]:
    versions = [_version_entry(quiz, v, formats) for v in quiz.versions]
    return {"quiz": quiz.id, "seed": quiz.seed, "fingerprint": quiz.fingerprint, "versions": versions}


def manifest_chunks(quiz: Quiz, formats: tuple[str, ...]) -> Iterator[str]:
    """The manifest text version by version: a 10,000-version manifest is never one string in memory.

    Indented down to the items, one item per line: readable, diffable, and fast.
    """

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    yield "\n".join(
        [
            "{",
            f'  "quiz": {dump(quiz.id)},',
            f'  "seed": {dump(quiz.seed)},',
            f'  "fingerprint": {dump(quiz.fingerprint)},',
            '  "versions": [',
        ]
    )
    yield "\n"
    last = len(quiz.versions) - 1
    for vi, version in enumerate(quiz.versions):
        v = _version_entry(quiz, version, formats)
        lines = [
            "    {",
            f'      "label": {dump(v["label"])},',
            f'      "files": {dump(v["files"])},',
            '      "items": [',
        ]
        items = v["items"]
        lines.extend(f"        {dump(item)}{',' if i < len(items) - 1 else ''}" for i, item in enumerate(items))
        lines.append("      ]")
        lines.append("    }" + ("," if vi < last else ""))
        yield "\n".join(lines) + "\n"
    yield "  ]\n}\n"


def manifest_bytes(quiz: Quiz, formats: tuple[str, ...]) -> bytes:
    """The whole manifest at once (tests, small quizzes); builds stream `manifest_chunks`."""
    return "".join(manifest_chunks(quiz, formats)).encode("utf-8")


def responses_template(quiz: Quiz) -> bytes:
    """`student_id,version,1,2,...,N`: one row per student, answers as letters (e.g. `AC`) or text."""
    n = len(quiz.versions[0].items) if quiz.versions else 0
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(["student_id", "version", *map(str, range(1, n + 1))])
    return out.getvalue().encode("utf-8")

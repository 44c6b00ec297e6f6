"""manifest.json and the responses template: the single source of truth for keys and grading.

The manifest is written from the same `Item`s the quiz and key are drawn
from, so grading can never disagree with what students saw.  Its shape is
`{"quiz", "seed", "versions": [{"label", "files", "items"}]}` (new keys are only
ever added at the top level); each item is `Item.manifest_entry()`.
File names are relative to the manifest's folder, `null` when that format was
not built.  The reader, with its JSON Schema, is `studygen.grade.manifest`.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from studygen.versions import Quiz

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


def manifest(quiz: Quiz, formats: tuple[str, ...]) -> dict[str, Any]:
    versions = []
    for v in quiz.versions:
        names = file_names(quiz.id, v.label)
        files = {kind: (names[kind] if kind.rsplit("_", 1)[1] in formats else None) for kind in FILE_KINDS}
        versions.append({"label": v.label, "files": files, "items": [i.manifest_entry() for i in v.items]})
    return {"quiz": quiz.id, "seed": quiz.seed, "versions": versions}


def manifest_bytes(quiz: Quiz, formats: tuple[str, ...]) -> bytes:
    """Indented down to the items, one item per line: readable, diffable, and fast for 500 versions."""
    data = manifest(quiz, formats)

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f'  "quiz": {dump(data["quiz"])},', f'  "seed": {dump(data["seed"])},', '  "versions": [']
    for vi, v in enumerate(data["versions"]):
        lines.append("    {")
        lines.append(f'      "label": {dump(v["label"])},')
        lines.append(f'      "files": {dump(v["files"])},')
        lines.append('      "items": [')
        items = v["items"]
        lines.extend(f"        {dump(item)}{',' if i < len(items) - 1 else ''}" for i, item in enumerate(items))
        lines.append("      ]")
        lines.append("    }" + ("," if vi < len(data["versions"]) - 1 else ""))
    lines.append("  ]")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def responses_template(quiz: Quiz) -> bytes:
    """`student_id,version,1,2,...,N`: one row per student, answers as letters (e.g. `AC`) or text."""
    n = len(quiz.versions[0].items) if quiz.versions else 0
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(["student_id", "version", *map(str, range(1, n + 1))])
    return out.getvalue().encode("utf-8")

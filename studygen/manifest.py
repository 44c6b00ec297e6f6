"""manifest.json and the responses template: the single source of truth for keys and grading.

The manifest is written from the same `Item`s the quiz and key are drawn
from, so grading can never disagree with what students saw.  Its shape is
`{"quiz", "seed", "versions": [{"label", "files", "items"}]}` (new keys are only
ever added at the top level); each item is `Item.manifest_entry()`.  File names
come from the build's output inventory, relative to the manifest's folder, `null`
when that format was not built.  The reader, with its JSON Schema, is
`studygen.grade.manifest`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from studygen.documents.base import Batch, Plan, QuizSubject, VersionSubject
from studygen.versions import Quiz


def manifest_kinds() -> list[tuple[str, str]]:
    """(kind, format) pairs named in a manifest's `files`, in order: per format, per kind in registry order."""
    from studygen.registry import DOCUMENTS, FORMATS, get_document

    kinds = [get_document(name) for name in DOCUMENTS]
    return [
        (kind.name, fmt)
        for fmt in FORMATS
        for kind in kinds
        if kind.scope == "version" and kind.in_manifest and fmt in kind.formats
    ]


def version_files(
    plan: Plan, quiz: int, version: int, kinds: Sequence[tuple[str, str]] | None = None
) -> dict[str, str | None]:
    """`{"<kind>_<fmt>": name}` of one version's documents, read from the build's output inventory.

    Every per-version kind that goes into the manifest gets a key for each
    format it exists in (`quiz_pdf, key_pdf, quiz_html, key_html` today), with
    the file's name relative to the manifest's folder, or `null` when that
    format was not built.
    """
    folder = plan.project.quizzes[quiz].folder
    subject = VersionSubject(quiz, version)
    files: dict[str, str | None] = {}
    for kind, fmt in manifest_kinds() if kinds is None else kinds:
        out = plan.find(kind, fmt, subject)
        files[f"{kind}_{fmt}"] = out.path[len(folder) :] if out is not None else None
    return files


def manifest(quiz: Quiz, files: Sequence[Mapping[str, str | None]]) -> dict[str, Any]:
    versions = [
        {"label": v.label, "files": dict(names), "items": [i.manifest_entry() for i in v.items]}
        for v, names in zip(quiz.versions, files, strict=True)
    ]
    return {"quiz": quiz.id, "seed": quiz.seed, "versions": versions}


def manifest_bytes(quiz: Quiz, files: Sequence[Mapping[str, str | None]]) -> bytes:
    """Indented down to the items, one item per line: readable, diffable, and fast for 500 versions.

    `files` holds each version's document names (see `version_files`).
    """
    data = manifest(quiz, files)

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


def render_manifests(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    """The `manifest` kind's renderer: one manifest.json per quiz."""
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, QuizSubject)
        quiz = plan.project.quizzes[o.subject.quiz].quiz
        kinds = manifest_kinds()
        files = [version_files(plan, o.subject.quiz, vi, kinds) for vi in range(len(quiz.versions))]
        out.append((o.path, manifest_bytes(quiz, files)))
    return out


def render_responses_templates(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, QuizSubject)
        out.append((o.path, responses_template(plan.project.quizzes[o.subject.quiz].quiz)))
    return out

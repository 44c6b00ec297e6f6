"""manifest.json and the responses template: the single source of truth for keys and grading.

The manifest is written from the same `Item`s the quiz and key are drawn
from, so grading can never disagree with what students saw.  Its shape is
`{"quiz", "seed", "fingerprint", "versions": [{"label", "files", "items"}], "questions"}`
(plus `"balance"` for versions that drew their own questions and `"students"` for `versions: per_student`)
(new keys are only ever added at the top level; the fingerprint is also printed on
every page of the quiz and key); each item is `Item.manifest_entry()`.  File names
come from the build's output inventory, relative to the manifest's folder, `null`
when that format was not built.  `questions` maps each question id to what the grade
report names it by: its text as authored and its topics' labels (once per question,
not per version).  The reader, with its JSON Schema, is
`studygen.grade.manifest`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

from studygen.documents.base import Batch, Plan, QuizSubject, VersionSubject
from studygen.model import Question, QuestionType
from studygen.text.blanks import pieces
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
    data: dict[str, Any] = {"quiz": quiz.id, "seed": quiz.seed, "fingerprint": quiz.fingerprint}
    if quiz.balance is not None:  # versions drew their own questions: how hard each is expected to be
        data["balance"] = quiz.balance.manifest_entry()
    if quiz.students:  # versions: per_student: whose version is whose, so grading needs no version column
        data["students"] = [{"student_id": s.student_id, "name": s.name, "version": s.version} for s in quiz.students]
    data["versions"] = versions
    data["questions"] = question_entries(quiz)
    return data


def question_text(q: Question) -> str:
    """What a person recognises a question by: its stem, or for a fill-in the sentence with its gaps.

    A fill-in's stem is often only an instruction ("Complete the sentence"), so
    its text with each `[[n]]` shown as `___` names it better.
    """
    if q.type is QuestionType.FILL_BLANK and q.text:
        return "".join("___" if isinstance(p, int) else p for p in pieces(q.text))
    return q.stem


def question_entries(quiz: Quiz) -> dict[str, dict[str, Any]]:
    """`{question_id: {"text", "topics"}}` for every question any version asks, sorted by id."""
    labels = {b.id: b for b in quiz.banks}
    out: dict[str, dict[str, Any]] = {}
    for v in quiz.versions:
        for item in v.items:
            q = item.question
            if q.id not in out:
                bank = labels.get(item.bank_id)
                topics = [bank.topic_label(t) if bank is not None else t for t in q.topics]
                out[q.id] = {"text": question_text(q), "topics": topics}
    return dict(sorted(out.items()))


def manifest_bytes(
    quiz: Quiz, files: Sequence[Mapping[str, str | None]], sheets: dict[str, Any] | None = None
) -> bytes:
    """Indented down to the items, one item per line: readable, diffable, and fast for 500 versions.

    `files` holds each version's document names (see `version_files`); `sheets` (see
    `sheets_entry`) is written after the versions, one sheet page per line.
    """
    data = manifest(quiz, files)

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    lines = ["{", f'  "quiz": {dump(data["quiz"])},', f'  "seed": {dump(data["seed"])},']
    lines.append(f'  "fingerprint": {dump(data["fingerprint"])},')
    if "balance" in data:
        lines.append(f'  "balance": {dump(data["balance"])},')
    if "students" in data:
        lines.append('  "students": [')
        students = data["students"]
        lines.extend(f"    {dump(st)}{',' if i < len(students) - 1 else ''}" for i, st in enumerate(students))
        lines.append("  ],")
    lines.append('  "versions": [')
    for vi, v in enumerate(data["versions"]):
        lines.append("    {")
        lines.append(f'      "label": {dump(v["label"])},')
        lines.append(f'      "files": {dump(v["files"])},')
        lines.append('      "items": [')
        items = v["items"]
        lines.extend(f"        {dump(item)}{',' if i < len(items) - 1 else ''}" for i, item in enumerate(items))
        lines.append("      ]")
        lines.append("    }" + ("," if vi < len(data["versions"]) - 1 else ""))
    lines.append("  ],")
    lines.append('  "questions": {')
    questions = list(data["questions"].items())
    lines.extend(
        f"    {dump(qid)}: {dump(entry)}{',' if i < len(questions) - 1 else ''}"
        for i, (qid, entry) in enumerate(questions)
    )
    lines.append("  }" + ("," if sheets else ""))
    if sheets:
        lines.append('  "sheets": {')
        head = {k: v for k, v in sheets.items() if k not in ("layouts", "roster")}
        lines.extend(f"    {dump(k)}: {dump(v)}," for k, v in head.items())
        lines.append('    "layouts": {')
        layouts = list(sheets["layouts"].items())
        for li, (key, lay) in enumerate(layouts):
            lines.append(f"      {dump(key)}: {{")
            lines.extend(f"        {dump(k)}: {dump(v)}," for k, v in lay.items() if k != "pages")
            lines.append('        "pages": [')
            pages = lay["pages"]
            lines.extend(f"          {dump(p)}{',' if i < len(pages) - 1 else ''}" for i, p in enumerate(pages))
            lines.append("        ]")
            lines.append("      }" + ("," if li < len(layouts) - 1 else ""))
        lines.append("    }" + ("," if "roster" in sheets else ""))
        if "roster" in sheets:
            lines.append('    "roster": [')
            roster = sheets["roster"]
            lines.extend(f"      {dump(r)}{',' if i < len(roster) - 1 else ''}" for i, r in enumerate(roster))
            lines.append("    ]")
        lines.append("  }")
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
        out.append((o.path, manifest_bytes(quiz, files, sheets_entry(plan, o.subject.quiz))))
    return out


def render_responses_templates(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, QuizSubject)
        out.append((o.path, responses_template(plan.project.quizzes[o.subject.quiz].quiz)))
    return out


def sheets_entry(plan: Plan, quiz_index: int) -> dict[str, Any] | None:
    """The manifest's `"sheets"`: every layout's pages and boxes, its file, and each roster student's version."""
    planned = plan.project.quizzes[quiz_index]
    if not planned.answer_sheets:
        return None
    from studygen.sheetlayout import quiz_sheets

    course = plan.course
    sheets = quiz_sheets(planned.quiz, course.paper, planned.id_digits, planned.roster, course.label("sheet_marker"))
    entry: dict[str, Any] = {"fingerprint": sheets.fingerprint, "id_digits": sheets.id_digits, "layouts": {}}
    for lay in sheets.layouts:
        kind = "roster_sheets" if lay.personal else "answer_sheet"
        if lay.personal:
            found = plan.find(kind, "pdf", QuizSubject(quiz_index))
        else:
            vi = next(i for i, v in enumerate(planned.quiz.versions) if v.label == lay.version)
            found = plan.find(kind, "pdf", VersionSubject(quiz_index, vi))
        entry["layouts"][lay.key] = {
            "version": lay.version,
            "personal": lay.personal,
            "file": found.path[len(planned.folder) :] if found else None,
            "pages": [p.to_json() for p in lay.pages],
        }
    if sheets.roster:
        entry["roster"] = [{"student_id": sid, "name": name, "version": v} for sid, name, v in sheets.roster]
    return entry

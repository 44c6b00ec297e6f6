"""manifest.json and the responses template: the single source of truth for keys and grading.

The manifest is written from the same `Item`s the quiz and key are drawn
from, so grading can never disagree with what students saw.  Its shape is
`{"quiz", "seed", "fingerprint", "versions": [{"label", "files", "items"}], "questions", "bank_fingerprints"}`
(plus `"balance"` for versions that drew their own questions and `"students"` for `versions: per_student`)
(new keys are only ever added at the top level; the fingerprint is also printed on
every page of the quiz and key); `bank_fingerprints` maps each bank the quiz drew from
to its file's fingerprint (`studygen.build.bank_fingerprints`: the start of its SHA-256, the same
wherever the build is written); each item is `Item.manifest_entry()`.  File names
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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from studygen.documents.base import Batch, Plan, QuizSubject, VersionSubject
from studygen.model import Question, QuestionType
from studygen.text.blanks import pieces
from studygen.versions import Item, Quiz


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


def manifest(
    quiz: Quiz, files: Iterable[Mapping[str, str | None]], banks: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The manifest as one value (for small quizzes and tests; a build streams `manifest_chunks`)."""
    loaded: dict[str, Any] = json.loads(b"".join(manifest_chunks(quiz, files, banks=banks)))
    return loaded


def question_text(q: Question) -> str:
    """What a person recognises a question by: its stem, or for a fill-in the sentence with its gaps.

    A fill-in's stem is often only an instruction ("Complete the sentence"), so
    its text with each `[[n]]` shown as `___` names it better.
    """
    if q.type is QuestionType.FILL_BLANK and q.text:
        return "".join("___" if isinstance(p, int) else p for p in pieces(q.text))
    return q.stem


class _Questions:
    """`{question_id: {"text", "topics"}}` gathered while the versions stream by, sorted by id at the end."""

    def __init__(self, quiz: Quiz) -> None:
        self._labels = {b.id: b for b in quiz.banks}
        self.entries: dict[str, dict[str, Any]] = {}

    def add(self, item: Item) -> None:
        q = item.question
        if q.id not in self.entries:
            bank = self._labels.get(item.bank_id)
            topics = [bank.topic_label(t) if bank is not None else t for t in q.topics]
            self.entries[q.id] = {"text": question_text(q), "topics": topics}

    def sorted(self) -> dict[str, dict[str, Any]]:
        return dict(sorted(self.entries.items()))


def question_entries(quiz: Quiz) -> dict[str, dict[str, Any]]:
    """`{question_id: {"text", "topics"}}` for every question any version asks, sorted by id."""
    found = _Questions(quiz)
    for v in quiz.versions:
        for item in v.items:
            found.add(item)
    return found.sorted()


def bank_files(quiz: Quiz, fingerprints: Mapping[str, str]) -> dict[str, str]:
    """The manifest's `bank_fingerprints`: each bank the quiz drew from, by id, with its file's fingerprint."""
    return {b.id: fingerprints[b.id] for b in quiz.banks if b.id in fingerprints}


def manifest_chunks(
    quiz: Quiz,
    files: Iterable[Mapping[str, str | None]],
    sheets: dict[str, Any] | None = None,
    banks: Mapping[str, str] | None = None,
) -> Iterator[bytes]:
    """The manifest's bytes, one version at a time: indented down to the items, one item per line.

    Readable, diffable, and never one block: a 10,000-version manifest is about 150 MB of JSON
    (and several times that as Python values), so each version is made, written out and
    forgotten before the next (`quiz.versions` may be lazy, `files` a generator).  `files` holds
    each version's document names (see `version_files`); `banks` (see `bank_files`) is written
    after the questions when not empty, and `sheets` (see `sheets_entry`) last, one sheet page
    per line.
    """

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    head = ["{", f'  "quiz": {dump(quiz.id)},', f'  "seed": {dump(quiz.seed)},']
    head.append(f'  "fingerprint": {dump(quiz.fingerprint)},')
    if quiz.balance is not None:  # versions drew their own questions: how hard each is expected to be
        head.append(f'  "balance": {dump(quiz.balance.manifest_entry())},')
    if quiz.students:  # versions: per_student: whose version is whose, so grading needs no version column
        head.append('  "students": [')
        students = [{"student_id": s.student_id, "name": s.name, "version": s.version} for s in quiz.students]
        head.extend(f"    {dump(st)}{',' if i < len(students) - 1 else ''}" for i, st in enumerate(students))
        head.append("  ],")
    head.append('  "versions": [')
    yield ("\n".join(head) + "\n").encode("utf-8")
    questions = _Questions(quiz)
    for vi, (v, names) in enumerate(zip(quiz.versions, files, strict=True)):
        block = [",\n    {" if vi else "    {", f'      "label": {dump(v.label)},']
        block.append(f'      "files": {dump(dict(names))},')
        block.append('      "items": [')
        items = v.items
        for i, item in enumerate(items):
            questions.add(item)
            block.append(f"        {dump(item.manifest_entry())}{',' if i < len(items) - 1 else ''}")
        block.append("      ]")
        block.append("    }")
        yield "\n".join(block).encode("utf-8")
    lines: list[str | None] = ["" if quiz.versions else None, "  ],", '  "questions": {']
    entries = list(questions.sorted().items())
    lines.extend(
        f"    {dump(qid)}: {dump(entry)}{',' if i < len(entries) - 1 else ''}" for i, (qid, entry) in enumerate(entries)
    )
    lines.append("  }" + ("," if banks or sheets else ""))
    if banks:
        lines.append(f'  "bank_fingerprints": {dump(dict(banks))}' + ("," if sheets else ""))
    if sheets:
        lines.append('  "sheets": {')
        rest = {k: v for k, v in sheets.items() if k not in ("layouts", "roster")}
        lines.extend(f"    {dump(k)}: {dump(v)}," for k, v in rest.items())
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
    yield ("\n".join(line for line in lines if line is not None) + "\n").encode("utf-8")


def manifest_bytes(
    quiz: Quiz,
    files: Iterable[Mapping[str, str | None]],
    sheets: dict[str, Any] | None = None,
    banks: Mapping[str, str] | None = None,
) -> bytes:
    """`manifest_chunks` joined (small quizzes, tests and benchmarks)."""
    return b"".join(manifest_chunks(quiz, files, sheets, banks))


def responses_template(quiz: Quiz) -> bytes:
    """`student_id,version,1,2,...,N`: one row per student, answers as letters (e.g. `AC`) or text."""
    n = len(quiz.versions[0].items) if quiz.versions else 0
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(["student_id", "version", *map(str, range(1, n + 1))])
    return out.getvalue().encode("utf-8")


def render_manifests(plan: Plan, batch: Batch) -> Iterator[tuple[str, Iterator[bytes]]]:
    """The `manifest` kind's renderer: one manifest.json per quiz, in pieces (see `manifest_chunks`)."""
    for o in batch.outputs:
        assert isinstance(o.subject, QuizSubject)
        qi = o.subject.quiz
        quiz = plan.project.quizzes[qi].quiz
        kinds = manifest_kinds()
        files = (version_files(plan, qi, vi, kinds) for vi in range(len(quiz.versions)))
        banks = bank_files(quiz, plan.project.bank_files)
        yield o.path, manifest_chunks(quiz, files, sheets_entry(plan, qi), banks)


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

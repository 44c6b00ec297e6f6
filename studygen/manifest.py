"""manifest.json and the responses template: the single source of truth for keys and grading.

The manifest is written from the same `Item`s the quiz and key are drawn
from, so grading can never disagree with what students saw.  Its shape is
the issue's, exactly: `{"quiz", "seed", "versions": [{"label", "files",
"items"}]}`; file names are relative to the manifest's folder, `null` when
that format was not built.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from studygen.sheetlayout import SheetLayout
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


def manifest_bytes(quiz: Quiz, formats: tuple[str, ...], sheets: dict[str, Any] | None = None) -> bytes:
    """Indented down to the items, one item per line: readable, diffable, and fast for 500 versions.

    `sheets` (see `sheets_entry`) is written after the versions, one sheet page per line.
    """
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
    lines.append("  ]" + ("," if sheets else ""))
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


def sheet_file_names(quiz_id: str, label: str) -> str:
    """The blank answer sheet of one version, beside its quiz."""
    return f"{quiz_id}-{label}-sheet.pdf"


def roster_sheets_name(quiz_id: str) -> str:
    """All personalised answer sheets of a roster, in roster order, in one PDF."""
    return f"{quiz_id}-roster-sheets.pdf"


def sheets_entry(
    quiz: Quiz,
    layouts: Sequence[SheetLayout],
    fp: str,
    id_digits: int,
    roster: Sequence[tuple[str, str, str]] = (),
) -> dict[str, Any]:
    """The manifest's `"sheets"`: every layout's pages and boxes, and which version each roster student got."""
    entry: dict[str, Any] = {"fingerprint": fp, "id_digits": id_digits, "layouts": {}}
    for lay in layouts:
        file = roster_sheets_name(quiz.id) if lay.personal else sheet_file_names(quiz.id, lay.version)
        entry["layouts"][lay.key] = {
            "version": lay.version,
            "personal": lay.personal,
            "file": file,
            "pages": [p.to_json() for p in lay.pages],
        }
    if roster:
        entry["roster"] = [{"student_id": sid, "name": name, "version": v} for sid, name, v in roster]
    return entry

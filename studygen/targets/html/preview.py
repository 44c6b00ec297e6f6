"""The live preview page (`studygen serve`), drawn from `studygen.preview` content.

Uses the course's HTML environment (autoescape, StrictUndefined, the `inline` filter), so bank
text reaches the page escaped exactly as on every other page; the id → statement table the page
script reads is JSON with `<`, `>` and `&` escaped, so no bank text can end its `<script>`.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from studygen.course import Course
from studygen.errors import Diagnostic, Severity
from studygen.preview import BankPreview, Preview
from studygen.targets.html import renderer_for
from studygen.targets.html.inline import plain
from studygen.text.letters import LETTERS


def _script_json(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def editor_url(template: str, path: str, line: int, col: int) -> str:
    """An editor link from a template such as `vscode://file/{path}:{line}:{col}`; "" without one."""
    if not template:
        return ""
    return template.replace("{path}", quote(path)).replace("{line}", str(line)).replace("{col}", str(col))


def shade(count: int) -> int:
    """Shading level 1-4 for how many things quote a sentence: 1, 2-3, 4-7, 8 or more."""
    return 1 if count <= 1 else 2 if count <= 3 else 3 if count <= 7 else 4


def render_preview_html(course: Course, preview: Preview, *, version: int, watched: str, editor: str = "") -> bytes:
    env = renderer_for(course).env
    template = env.get_template("preview.html.j2")

    def marks_json(bank: BankPreview) -> str:
        return _script_json({k: {"kind": m.kind, "text": plain(m.text)} for k, m in bank.marks.items()})

    def editor_at(path: str, line: int, col: int) -> str:
        return editor_url(editor, str((course.root / path).resolve()), line, col) or f"#{path}:{line}"

    def editor_link(d: Diagnostic) -> str:
        return editor_at(d.path, d.line, d.col)

    html = template.render(
        course=course,
        preview=preview,
        version=version,
        watched=watched,
        errors=sum(d.severity is Severity.ERROR for d in preview.diagnostics) + len(preview.problems),
        warnings=sum(d.severity is Severity.WARNING for d in preview.diagnostics),
        marks_json=marks_json,
        editor_link=editor_link,
        editor_at=editor_at,
        letters=LETTERS,
        shade=shade,
    )
    return html.encode("utf-8")

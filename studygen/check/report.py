"""Diagnostics as text, JSON or GitHub workflow annotations (`errors.REPORT_FORMATS` names them)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from studygen.errors import Diagnostic, Severity


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    if fmt == "json":
        return (
            json.dumps(
                [
                    {
                        "path": d.path,
                        "line": d.line,
                        "column": d.col,
                        "severity": d.severity.value,
                        "rule": d.rule,
                        "message": d.message,
                    }
                    for d in diagnostics
                ],
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if fmt == "github":
        lines = []
        for d in diagnostics:
            level = "error" if d.severity is Severity.ERROR else "warning"
            lines.append(
                f"::{level} file={_gh_escape(d.path, True)},line={d.line},col={d.col},"
                f"title={_gh_escape(d.rule, True)}::{_gh_escape(d.message)}"
            )
        return "".join(line + "\n" for line in lines)
    return "".join(d.format_text() + "\n" for d in diagnostics)


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{files} bank file(s) checked: {errors} error(s), {warnings} warning(s)"

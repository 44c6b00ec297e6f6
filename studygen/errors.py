"""One diagnostic type and one error base class for the whole package.

Every problem a user can cause is reported as a `Diagnostic` with a file,
line and column, so the CLI can print it in any format and CI can annotate
the exact line.  Exceptions derived from `StudygenError` are the only ones the
CLI turns into messages; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str

    def format_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity.value} {self.rule} {self.message}"


class StudygenError(Exception):
    """A user-facing failure: carries diagnostics, never needs a traceback."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []


class BankError(StudygenError):
    """Banks failed to load or validate; `diagnostics` lists every problem found."""

"""One diagnostic type and one error base class for the whole package.

Every problem a user can cause is reported as a `Diagnostic` with a file,
line and column, so the CLI can print it in any format and CI can annotate
the exact line.  Exceptions derived from `StudygenError` are the only ones the
CLI turns into messages; anything else is a bug and keeps its traceback.  The
process exit codes live here too, so commands return them without importing the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

# How `studygen check` can print diagnostics (studygen.check.report renders each).
REPORT_FORMATS = ("text", "json", "github")
# Exit codes: 0 success, 1 problems found in the input, 2 cannot run (bad arguments, missing files).
EXIT_OK, EXIT_PROBLEMS, EXIT_CANNOT_RUN = 0, 1, 2


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
    """A user-facing failure: carries diagnostics, never needs a traceback.

    `exit_code` is the status the CLI exits with; a subclass for "the input has
    problems" (rather than "cannot run") sets it to `EXIT_PROBLEMS`.
    """

    exit_code: ClassVar[int] = EXIT_CANNOT_RUN

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []


class BankError(StudygenError):
    """Banks failed to load or validate; `diagnostics` lists every problem found."""

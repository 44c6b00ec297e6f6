"""Output targets.  Exporters: a registry from name to an exporter, imported only when used.

(Documents, HTML and PDF, have their own registries in `studygen.documents`;
their renderers live in `targets/html` and `targets/pdf`.)

Each exporter turns validated banks into bytes; none reads files or
re-validates, and none writes: the caller hands the bytes to the writer.  An
exporter sees the course through `ExportContext` (its wording, so a Korean
course gets Korean feedback lines) and the build time (for archive timestamps).
The document renderers (html, pdf, selftest) are separate modules under this
package, called by the build.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from studygen.course import EXPORTERS, Course
from studygen.errors import StudygenError
from studygen.model import Bank
from studygen.repro import BuildTime


@dataclass
class ExportResult:
    """The exported bytes, and every question a target could not express (never dropped silently)."""

    data: bytes
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExportContext:
    """What an exporter knows besides the banks: the course (for its wording) and the build time."""

    course: Course = field(default_factory=lambda: Course(root=Path(".")))
    build_time: BuildTime = field(default_factory=BuildTime)

    def label(self, key: str, **values: object) -> str:
        return self.course.label(key, **values)


class Exporter(Protocol):
    name: str
    suffix: str
    binary: bool

    def export(self, banks: Sequence[Bank], context: ExportContext | None = None) -> ExportResult: ...


__all__ = ["EXPORTERS", "ExportContext", "ExportResult", "Exporter", "get_exporter"]


def get_exporter(name: str) -> Exporter:
    if name not in EXPORTERS:
        known = ", ".join(sorted(EXPORTERS))
        raise StudygenError(f"unknown export target {name!r}; choose one of: {known}")
    module, _, attr = EXPORTERS[name].partition(":")
    cls = getattr(importlib.import_module(module), attr)
    exporter: Exporter = cls()
    return exporter

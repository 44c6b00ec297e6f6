"""Output targets: a registry from name to an exporter, imported only when used.

(Documents, HTML and PDF, have their own registries in `studygen.documents`;
their renderers live in `targets/html` and `targets/pdf`.)

Each exporter turns validated banks into bytes; none reads files or
re-validates, and none writes: the caller hands the bytes to the writer.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from studygen.errors import StudygenError
from studygen.model import Bank


@dataclass
class ExportResult:
    """The exported bytes, and every question a target could not express (never dropped silently)."""

    data: bytes
    warnings: list[str] = field(default_factory=list)


class Exporter(Protocol):
    name: str
    suffix: str
    binary: bool

    def export(self, banks: Sequence[Bank]) -> ExportResult: ...


# name -> "module:attribute"; modules are imported lazily so unused targets cost nothing.
EXPORTERS: dict[str, str] = {
    "json": "studygen.targets.jsonexport:JsonExporter",
    "moodle": "studygen.targets.moodle:MoodleExporter",
    "gift": "studygen.targets.gift:GiftExporter",
    "qti": "studygen.targets.qti:QtiExporter",
    "anki": "studygen.targets.anki:AnkiExporter",
    "csv": "studygen.targets.csvexport:CsvExporter",
}


def register(name: str, spec: str) -> None:
    if name in EXPORTERS:
        raise ValueError(f"export target {name!r} registered twice")
    EXPORTERS[name] = spec


def get_exporter(name: str) -> Exporter:
    if name not in EXPORTERS:
        known = ", ".join(sorted(EXPORTERS))
        raise StudygenError(f"unknown export target {name!r}; choose one of: {known}")
    module, _, attr = EXPORTERS[name].partition(":")
    cls = getattr(importlib.import_module(module), attr)
    exporter: Exporter = cls()
    return exporter

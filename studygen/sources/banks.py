"""Finding bank files and turning them into validated `Bank` models.

This is the only place that reads banks and readings from disk; everything
after it receives `Bank` objects with the reading's text already inside.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studygen.errors import Diagnostic, Severity
from studygen.model import Bank
from studygen.sources.schema import build_bank, validate
from studygen.sources.statsfile import StatsFileError, load_stats, measured, stats_path
from studygen.sources.yamlload import Document, gc_paused, load_file, read_text

BANK_SUFFIXES = (".yaml", ".yml")


@dataclass
class LoadResult:
    banks: list[Bank] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def discover(paths: Iterable[str | Path]) -> tuple[list[Path], list[Diagnostic]]:
    """Bank files named directly, or found (sorted, recursively) under directories."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found.extend(sorted(f for f in p.rglob("*") if f.suffix in BANK_SUFFIXES and f.is_file()))
        elif p.exists():
            found.append(p)
        else:
            problems.append(Diagnostic(str(p), 1, 1, Severity.ERROR, "file-unreadable", "no such file or directory"))
    unique = list(dict.fromkeys(found))
    return unique, problems


def _outside_project(bank_path: Path, rel: str) -> str:
    """Why a reading path may not be used, or "" if it may.

    The reading's text ends up in handouts and on the self-test page, so a bank
    must not be able to pull in any file of the machine (`../../etc/passwd`):
    the path (relative to the bank) must stay inside the project, that is the
    folder holding the bank's folder, or the folder studygen runs in.
    """
    target = (bank_path.parent / rel).resolve()
    roots = (bank_path.resolve().parent.parent, Path.cwd().resolve())
    if not any(target.is_relative_to(root) for root in roots):
        return (
            f"reading text {rel!r} leads outside the project (to {target}); "
            "keep readings in the project's seeds/ folder"
        )
    return ""


def load_bank(path: Path) -> tuple[Bank | None, list[Diagnostic]]:
    """Load, validate and build one bank; on failure return every problem found."""
    with gc_paused():
        return _load_bank(path)


def _load_bank(path: Path) -> tuple[Bank | None, list[Diagnostic]]:
    shown = _display(path)
    doc, problems = load_file(path, shown)
    if doc is None:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, [
            Diagnostic(
                shown, 1, 1, Severity.ERROR, "schema", "a bank must be a mapping of keys (format, id, title, ...)"
            )
        ]
    data, problems = validate(doc)
    problems += _missing_reading_fields(doc, shown)
    if problems:
        return None, sorted(problems)
    data, problems = _with_meta(data, doc, path, shown)
    if problems:
        return None, problems
    rel = data["reading"]["text"]
    text_path = path.parent / rel
    outside = _outside_project(path, rel)
    if outside:
        line, col = doc.mark(("reading", "text"))
        return None, [Diagnostic(shown, line, col, Severity.ERROR, "reading-outside", outside)]
    text, read_problems = read_text(text_path, _display(text_path))
    if text is None:
        line, col = doc.mark(("reading", "text"))
        why = read_problems[0].message if read_problems else "cannot read"
        return None, [
            Diagnostic(
                shown,
                line,
                col,
                Severity.ERROR,
                "reading-missing",
                f"reading text {rel!r} ({_display(text_path)}): {why}; the path is relative to the bank file",
            )
        ]
    bank = build_bank(data, doc, text)
    return _with_stats(bank, path)


def _missing_reading_fields(doc: Document, shown: str) -> list[Diagnostic]:
    """Without a `meta` file, the bank itself must give the reading's title, author, publication, date."""
    from studygen.sources.readingmeta import REQUIRED

    reading = doc.data.get("reading")
    if not isinstance(reading, dict) or "meta" in reading:
        return []
    line, col = doc.mark(("reading",), of_key=True)
    return [
        Diagnostic(
            shown,
            line,
            col,
            Severity.ERROR,
            "schema",
            f"reading is missing required key '{key}' (or name the reading's metadata file with `meta:`)",
        )
        for key in REQUIRED
        if key not in reading
    ]


def _with_meta(data: dict[str, Any], doc: Document, path: Path, shown: str) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Fill the reading's metadata from its `meta` file, which must then be its only source."""
    from studygen.sources.readingmeta import load_meta

    reading = data["reading"]

    def at(key: str, rule: str, message: str) -> Diagnostic:
        line, col = doc.mark(("reading", key))
        return Diagnostic(shown, line, col, Severity.ERROR, rule, message)

    rel = reading.get("meta")
    if rel is None:
        return data, []
    outside = _outside_project(path, rel)
    if outside:
        return data, [at("meta", "reading-outside", outside.replace("reading text", "reading metadata"))]
    meta_path = path.parent / rel
    meta, problems = load_meta(meta_path, _display(meta_path))
    if meta is None:
        if problems and problems[0].rule == "file-unreadable":
            return data, [at("meta", "reading-missing", f"reading metadata {rel!r}: {problems[0].message}")]
        return data, problems
    twice = [
        at(k, "reading-meta", f"reading.{k} is also in {rel}; keep it in one place (the metadata file)")
        for k in reading
        if k in meta
    ]
    if twice:
        return data, twice
    return {**data, "reading": {**meta, **reading}}, []


def _with_stats(bank: Bank, path: Path) -> tuple[Bank, list[Diagnostic]]:
    """Attach the statistics `studygen grade --update-stats` measured, if the bank has a stats file.

    A broken stats file is a warning, not an error: the bank itself is fine and
    only the measured-statistics check is lost until the file is repaired.
    """
    try:
        stats = load_stats(stats_path(path))
    except StatsFileError as exc:
        message = f"cannot use the measured statistics: {exc.message}"
        return bank, [Diagnostic(bank.path, 1, 1, Severity.WARNING, "item-stats", message)]
    return (replace(bank, stats=measured(stats)) if stats else bank), []


def load_banks(paths: Sequence[str | Path]) -> LoadResult:
    """Load every bank under `paths`, collecting all problems rather than stopping at the first."""
    result = LoadResult()
    files, problems = discover(paths)
    result.diagnostics.extend(problems)
    if not files and not problems:
        shown = ", ".join(str(p) for p in paths)
        result.diagnostics.append(
            Diagnostic(shown, 1, 1, Severity.ERROR, "no-banks", "no bank files (*.yaml, *.yml) found")
        )
    for f in files:
        bank, problems = load_bank(f)
        result.diagnostics.extend(problems)
        if bank is not None:
            result.banks.append(bank)
    return result

"""The document registries: which documents exist, which formats draw them, and who draws each.

Like the exporter registry (`studygen.targets.EXPORTERS`) and Sphinx's
builders, every entry is a lazily imported `"module:attr"` string, so an
unused document or format costs nothing, and registering a name twice is
refused instead of silently replacing a document.

- `DOCUMENTS`: kind name -> a `DocumentKind` class (`studygen.documents.base`):
  what a document is about (its subjects), where it goes (its path) and how the
  index lists it.  The build plans its whole output inventory from these.
- `FORMATS`: format name -> what a format is (suffix, binary or text).
- `RENDERERS`: (batch, format) -> a function `render(plan, batch)` that draws a
  batch of outputs.  A kind's batch is its own name unless it shares a
  renderer with another kind (the key is drawn with the quiz, sharing its PDF
  layout), so adding a kind in a format is one line here.

This module imports nothing of the package but `errors` at run time (kinds and renderers are
loaded lazily by name), so it sits at the bottom of the layers: the course-file loader reads
the names from it to validate `documents:` and quiz `formats:`.
"""

from __future__ import annotations

import difflib
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studygen.errors import StudygenError

if TYPE_CHECKING:
    from studygen.documents.base import DocumentKind

# Registry order is the order of the index and of the output inventory.
DOCUMENTS: dict[str, str] = {
    "quiz": "studygen.documents.kinds:QuizDocument",
    "key": "studygen.documents.kinds:KeyDocument",
    "manifest": "studygen.documents.kinds:ManifestDocument",
    "responses_template": "studygen.documents.kinds:ResponsesTemplateDocument",
    "study_guide": "studygen.documents.study_guide:StudyGuideDocument",
    "study_handout": "studygen.documents.study_guide:StudyHandoutDocument",
    "discussion": "studygen.documents.discussion:DiscussionDocument",
    "self_test": "studygen.documents.kinds:SelfTestDocument",
    "index": "studygen.documents.kinds:IndexDocument",
    "answer_sheet": "studygen.documents.kinds:AnswerSheetDocument",
    "roster_sheets": "studygen.documents.kinds:RosterSheetsDocument",
    "marking_grid": "studygen.documents.kinds:MarkingGridDocument",
    "print_pack": "studygen.documents.kinds:PrintPackDocument",
    "print_pack_keys": "studygen.documents.kinds:KeysPackDocument",
}


@dataclass(frozen=True)
class Format:
    """An output format: file suffix, and whether its bytes are binary."""

    name: str
    suffix: str
    binary: bool
    choosable: bool = True  # offered to quizzes' `formats:` (data files are not)


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", ".pdf", True),
    "html": Format("html", ".html", False),
    "json": Format("json", ".json", False, choosable=False),
    "csv": Format("csv", ".csv", False, choosable=False),
}

RENDERERS: dict[tuple[str, str], str] = {
    ("quiz", "pdf"): "studygen.targets.pdf.batches:render_versions",
    ("quiz", "html"): "studygen.targets.html.batches:render_versions",
    ("manifest", "json"): "studygen.manifest:render_manifests",
    ("responses_template", "csv"): "studygen.manifest:render_responses_templates",
    ("study_guide", "pdf"): "studygen.targets.pdf.batches:render_study_guides",
    ("study_guide", "html"): "studygen.targets.html.batches:render_study_guides",
    ("study_handout", "pdf"): "studygen.targets.pdf.batches:render_study_guides",
    ("study_handout", "html"): "studygen.targets.html.batches:render_study_guides",
    ("discussion", "pdf"): "studygen.targets.pdf.batches:render_discussions",
    ("discussion", "html"): "studygen.targets.html.batches:render_discussions",
    ("self_test", "html"): "studygen.targets.html.batches:render_self_test",
    ("index", "html"): "studygen.targets.html.batches:render_index",
    ("answer_sheet", "pdf"): "studygen.targets.pdf.sheet:render_answer_sheets",
    ("roster_sheets", "pdf"): "studygen.targets.pdf.sheet:render_roster_sheets",
    ("marking_grid", "pdf"): "studygen.targets.pdf.marking:render_marking_grids",
    ("marking_grid", "html"): "studygen.targets.html.batches:render_marking_grids",
    ("print_pack", "pdf"): "studygen.targets.pdf.marking:render_print_packs",
}


def _refuse_twice(registry: dict[Any, Any], key: object, what: str) -> None:
    if key in registry:
        raise ValueError(f"{what} {key!r} registered twice")


def register_document(name: str, spec: str) -> None:
    """Add a document kind (`"package.module:Class"`); a name already taken is refused."""
    _refuse_twice(DOCUMENTS, name, "document kind")
    DOCUMENTS[name] = spec


def register_format(fmt: Format) -> None:
    _refuse_twice(FORMATS, fmt.name, "format")
    FORMATS[fmt.name] = fmt


def register_renderer(batch: str, fmt: str, spec: str) -> None:
    """Say who draws a batch of one kind in one format (`"package.module:function"`)."""
    _refuse_twice(RENDERERS, (batch, fmt), "renderer")
    RENDERERS[(batch, fmt)] = spec


def _load(spec: str) -> Any:
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def unknown(what: str, name: str, known: list[str]) -> StudygenError:
    near = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {near[0]!r}?" if near else ""
    return StudygenError(f"unknown {what} {name!r}; choose one of: {', '.join(known)}{hint}")


def get_document(name: str) -> DocumentKind:
    if name not in DOCUMENTS:
        raise unknown("document", name, list(DOCUMENTS))
    kind: DocumentKind = _load(DOCUMENTS[name])()
    return kind


def get_renderer(batch: str, fmt: str) -> Any:
    if (batch, fmt) not in RENDERERS:
        raise StudygenError(f"no renderer draws {batch!r} documents as {fmt}")
    return _load(RENDERERS[(batch, fmt)])


def selectable_documents() -> list[str]:
    """Kinds a course may list under `documents:` (the rest, e.g. the manifest, are always built)."""
    return [name for name in DOCUMENTS if get_document(name).selectable]


def default_documents() -> tuple[str, ...]:
    """What a course file without `documents:` builds."""
    return tuple(name for name in DOCUMENTS if get_document(name).selectable and get_document(name).default)


def quiz_formats() -> list[str]:
    """Formats a quiz may ask for: every choosable format some per-version kind is drawn in."""
    drawn = {fmt for name in DOCUMENTS for fmt in get_document(name).formats if get_document(name).scope == "version"}
    return [f for f, spec in FORMATS.items() if spec.choosable and f in drawn]

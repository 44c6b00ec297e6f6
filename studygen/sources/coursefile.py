"""Reading `studygen.yaml`: strict YAML, a JSON Schema, and checks the schema cannot express.

The file goes through the same strict loader as banks and is validated
against a JSON Schema, so a typo in a course file is reported at its line
with the nearest known key instead of silently building the wrong quiz.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

from studygen.course import DEFAULT_LABELS, EXPORTERS, LABEL_FIELDS, Blueprint, Course, QuizSpec
from studygen.errors import Diagnostic, Severity, StudygenError
from studygen.model import ID_PATTERN
from studygen.sources.files import FileProblem, read_bounded
from studygen.sources.yamlload import Document

PAPER_SIZES = ("A4", "Letter")
# Version labels run A..Z, AA..ZZ, ...; the cap only keeps a typo (versions: 50000) from filling the disk.
MAX_VERSIONS = 2000


# Booleans older course files use for `documents:` entries; they keep meaning what they meant.
DOCUMENT_ALIASES = ("study_guide", "discussion", "self_test")

MAX_LOGO_BYTES = 4 * 1024 * 1024  # embedded in every handout: a logo larger than this is a mistake


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "description": description}


def _obj(properties: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        "description": description,
    }


def _counts(keys: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "type": "object",
        "propertyNames": keys,
        "additionalProperties": {"type": "integer", "minimum": 0},
        "description": description,
    }


def course_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `studygen.yaml`; document and format names come from the registry."""
    from studygen.registry import default_documents, quiz_formats, selectable_documents
    from studygen.sources.bankschema import BLOOM, QUESTION_TYPES

    formats = quiz_formats()
    kinds = selectable_documents()
    defaults = ", ".join(default_documents())

    blueprint = _obj(
        {
            "questions": {"type": "integer", "minimum": 1, "description": "How many questions each version has."},
            "per_type": _counts({"enum": QUESTION_TYPES}, "Exactly this many questions of each named type."),
            "per_topic": _counts(
                {"pattern": ID_PATTERN}, "Exactly this many questions whose first topic is the named one."
            ),
            "per_difficulty": _counts({"enum": ["1", "2", "3"]}, "Exactly this many questions of each difficulty."),
            "per_bloom": _counts({"enum": BLOOM}, "Exactly this many questions at each Bloom level."),
            "topics": {
                "type": "array",
                "items": {"type": "string", "pattern": ID_PATTERN},
                "description": "Only these.",
            },
            "difficulty": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": 3},
                "description": "Only these difficulties.",
            },
            "bloom": {"type": "array", "items": {"enum": BLOOM}, "description": "Only these Bloom levels."},
        },
        [],
        "Which questions to pick.",
    )
    quiz = _obj(
        {
            "id": {"type": "string", "pattern": ID_PATTERN, "description": "Quiz id; names its output folder."},
            "title": _text("Shown on the quiz and key."),
            "versions": {"type": "integer", "minimum": 1, "maximum": MAX_VERSIONS, "description": "A, B, C, ..."},
            "seed": {"type": "integer", "minimum": 0, "description": "Same seed, same quiz."},
            "formats": {
                "type": "array",
                "items": {"enum": formats},
                "minItems": 1,
                "description": f"Formats of its versions' documents: {', '.join(formats)}.",
            },
            "large_print": {"type": "boolean", "description": "Also render large-print quizzes and keys."},
            "blueprint": blueprint,
        },
        ["id", "title"],
        "One quiz, rendered in several versions.",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://studygen.invalid/course.schema.json",
        "title": "studygen course file",
        **_obj(
            {
                "course": _text("The course title shown on every handout."),
                "instructor": _text("Instructor name."),
                "institution": _text("Institution name."),
                "term": _text("Term, e.g. Fall 2024."),
                "paper": {"enum": list(PAPER_SIZES), "description": "Paper size of PDFs and print CSS."},
                "logo": _text("Logo image (PNG or JPEG), relative to the course file."),
                "templates": _text("Folder of HTML templates overriding the built-in ones, file by file."),
                "hangul_font": _text("A Hangul TrueType font for PDFs, relative to the course file."),
                "language": {
                    "type": "string",
                    "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                    "description": "Language tag of the handouts (HTML lang), e.g. en, ko, ru.",
                },
                "labels": {
                    "type": "object",
                    "properties": {k: {"type": "string"} for k in DEFAULT_LABELS},
                    "additionalProperties": False,
                    "description": "Fixed wording, overriding the English defaults key by key.",
                },
                "banks": {
                    "type": "array",
                    "items": _text("A bank file or folder, relative to the course file."),
                    "minItems": 1,
                    "description": "Question banks.",
                },
                "output": _text("Output folder, relative to the course file (default: output)."),
                "quizzes": {"type": "array", "items": quiz, "description": "Quizzes to build."},
                "documents": {
                    "type": "array",
                    "items": {"enum": kinds},
                    "description": f"Documents to build ({', '.join(kinds)}; default: {defaults}). "
                    "Manifests, responses templates and the index are always built.",
                },
                **{
                    alias: {
                        "type": "boolean",
                        "description": f"Older spelling: true/false adds/removes {alias} from `documents`.",
                    }
                    for alias in DOCUMENT_ALIASES
                },
                "exports": {
                    "type": "array",
                    "items": {"enum": list(EXPORTERS)},
                    "description": f"Export targets ({', '.join(EXPORTERS)}).",
                },
            },
            ["course", "banks"],
            "What to build, and the course's own look and wording.",
        ),
    }


def _validator() -> Any:
    """The course-file validator for the registries as they are now (a kind registered later is known)."""
    from studygen.registry import DOCUMENTS, FORMATS

    return _validator_for(tuple(DOCUMENTS.items()), tuple(FORMATS))


@lru_cache(maxsize=4)
def _validator_for(documents: tuple[tuple[str, str], ...], formats: tuple[str, ...]) -> Any:
    import jsonschema

    schema = course_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _diag(shown: str, where: tuple[int, int], message: str, rule: str = "course") -> Diagnostic:
    return Diagnostic(shown, where[0], where[1], Severity.ERROR, rule, message)


def _placeholders(text: str) -> set[str] | None:
    """Field names used in a format string, or None if it is not a valid one."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def _check_semantics(data: dict[str, Any], doc: Document, root: Path, shown: str) -> list[Diagnostic]:
    """What a schema cannot say: files exist, ids are unique, quotas add up, labels format."""
    problems: list[Diagnostic] = []

    def exists(key: tuple[str | int, ...], rel: str, what: str, want_dir: bool | None) -> None:
        p = root / rel
        if not p.exists():
            problems.append(
                _diag(
                    shown, doc.mark(key), f"{what} {rel!r} does not exist ({p}); paths are relative to the course file"
                )
            )
        elif want_dir is True and not p.is_dir():
            problems.append(_diag(shown, doc.mark(key), f"{what} {rel!r} must be a folder"))
        elif want_dir is False and not p.is_file():
            problems.append(_diag(shown, doc.mark(key), f"{what} {rel!r} must be a file"))

    for i, rel in enumerate(data.get("banks", ())):
        exists(("banks", i), rel, "bank", None)
    for key, what, want_dir in (
        ("logo", "logo", False),
        ("templates", "templates folder", True),
        ("hangul_font", "Hangul font", False),
    ):
        if key in data:
            exists((key,), data[key], what, want_dir)
    if "logo" in data and Path(data["logo"]).suffix.lower() not in (".png", ".jpg", ".jpeg"):
        problems.append(_diag(shown, doc.mark(("logo",)), f"logo {data['logo']!r} must be a .png or .jpg image"))
    for key, text in (data.get("labels") or {}).items():
        fields = _placeholders(text)
        allowed = LABEL_FIELDS.get(key, frozenset())
        if fields is None or not fields <= allowed:
            named = " and ".join(f"{{{f}}}" for f in sorted(allowed))
            hint = f"use {named}" if allowed else "write {{ and }} for literal braces"
            problems.append(_diag(shown, doc.mark(("labels", key)), f"label {key!r} has invalid braces; {hint}"))
    problems += _check_documents(data, doc, shown)
    seen: dict[str, int] = {}
    for i, q in enumerate(data.get("quizzes") or ()):
        qid = q.get("id")
        if qid in seen:
            problems.append(
                _diag(
                    shown,
                    doc.mark(("quizzes", i, "id")),
                    f"quiz id {qid!r} is used twice (first in quizzes[{seen[qid]}]); ids name folders",
                )
            )
        else:
            seen[qid] = i
        bp = q.get("blueprint") or {}
        n = bp.get("questions", Blueprint.questions)
        for quota in ("per_type", "per_topic", "per_difficulty", "per_bloom"):
            total = sum((bp.get(quota) or {}).values())
            if total > n:
                problems.append(
                    _diag(
                        shown,
                        doc.mark(("quizzes", i, "blueprint", quota)),
                        f"quizzes[{i}] ({qid}).blueprint.{quota} asks for {total} questions but the "
                        f"quiz has only {n}; raise `questions` or lower the counts",
                    )
                )
        formats = q.get("formats") or ()
        if len(set(formats)) != len(formats):
            problems.append(
                _diag(shown, doc.mark(("quizzes", i, "formats")), f"quizzes[{i}] ({qid}).formats names a format twice")
            )
    return problems


def _check_documents(data: dict[str, Any], doc: Document, shown: str) -> list[Diagnostic]:
    """`documents:` names each kind once, and an old boolean alias may not contradict it."""
    problems: list[Diagnostic] = []
    listed = data.get("documents")
    if listed is None:
        return problems
    firsts: dict[str, int] = {}
    for i, name in enumerate(listed):
        if name in firsts:
            problems.append(
                _diag(
                    shown,
                    doc.mark(("documents", i)),
                    f"documents[{i}] names {name!r} twice (first at [{firsts[name]}])",
                )
            )
        firsts.setdefault(name, i)
    for alias in DOCUMENT_ALIASES:
        if alias in data and bool(data[alias]) != (alias in listed):
            said = "true" if data[alias] else "false"
            problems.append(
                _diag(
                    shown,
                    doc.mark((alias,)),
                    f"{alias}: {said} contradicts documents: [{', '.join(listed)}]; `{alias}` is the older "
                    f"spelling of listing it under documents, so remove it",
                )
            )
    return problems


def _documents(data: dict[str, Any]) -> tuple[str, ...] | None:
    """The kinds to build: `documents:` as listed, else the defaults adjusted by the old booleans."""
    from studygen.registry import DOCUMENTS, default_documents

    if "documents" in data:
        return tuple(dict.fromkeys(data["documents"]))
    aliases = {a: bool(data[a]) for a in DOCUMENT_ALIASES if a in data}
    if not aliases:
        return None
    chosen = set(default_documents())
    chosen |= {a for a, on in aliases.items() if on}
    chosen -= {a for a, on in aliases.items() if not on}
    return tuple(name for name in DOCUMENTS if name in chosen)


def _coerce(value: Any, schema: dict[str, Any]) -> Any:
    """`studygen.sources.schema.coerce`, extended to maps of counts (`per_type: {essay: 1}`)."""
    from studygen.sources.schema import coerce

    if isinstance(value, dict):
        props, extra = schema.get("properties", {}), schema.get("additionalProperties")
        out = {}
        for k, v in value.items():
            sub = props.get(k, extra)
            out[k] = _coerce(v, sub) if isinstance(sub, dict) else v
        return out
    if isinstance(value, list):
        items = schema.get("items")
        return [_coerce(v, items) for v in value] if isinstance(items, dict) else value
    return coerce(value, schema)


def _blueprint(bp: dict[str, Any]) -> Blueprint:
    return Blueprint(
        questions=bp.get("questions", Blueprint.questions),
        per_type=dict(bp.get("per_type") or {}),
        topics=tuple(bp.get("topics") or ()),
        difficulty=tuple(bp.get("difficulty") or ()),
        bloom=tuple(bp.get("bloom") or ()),
        per_topic=dict(bp.get("per_topic") or {}),
        per_difficulty={int(k): v for k, v in (bp.get("per_difficulty") or {}).items()},
        per_bloom=dict(bp.get("per_bloom") or {}),
    )


def load_course(path: Path) -> Course:
    """Read and validate a course file; every problem is reported at once as file:line:col."""
    from studygen.sources.schema import describe_error
    from studygen.sources.yamlload import load_file

    path = Path(path)
    shown = str(path)
    doc, problems = load_file(path, shown)
    if doc is None:
        if problems and problems[0].rule == "file-unreadable":
            raise StudygenError(
                f"cannot read course file {shown}: {problems[0].message} (give another with --config FILE)"
            )
        raise StudygenError(f"course file {shown} is not valid; fix the problems above", problems)
    if not isinstance(doc.data, dict):
        raise StudygenError(
            f"course file {shown} must be a mapping of keys (course, banks, quizzes, ...)",
            [_diag(shown, (1, 1), "expected keys such as course:, banks:, quizzes:")],
        )
    data = _coerce(doc.data, course_schema())
    seen: set[tuple[int, int, str]] = set()
    for err in _validator().iter_errors(data):
        for key, at_key, raw in describe_error(err, doc):
            message = raw.replace("in the bank;", "in the course file;").replace("the bank is", "the course file is")
            where = doc.mark(key, of_key=at_key)
            if (where[0], where[1], message) not in seen:
                seen.add((where[0], where[1], message))
                problems.append(_diag(shown, where, message))
    root = path.resolve().parent
    if not problems:
        problems = _check_semantics(data, doc, root, shown)
    if problems:
        raise StudygenError(
            f"course file {shown} has {len(problems)} problem(s); fix them and build again", sorted(problems)
        )

    def rel(key: str) -> Path | None:
        return root / data[key] if key in data else None

    logo = rel("logo")
    logo_data = b""
    if logo is not None:
        try:
            logo_data = read_bounded(logo, MAX_LOGO_BYTES)
        except FileProblem as problem:
            raise StudygenError(
                f"course file {shown}: logo {data['logo']!r}: {problem.reason}",
                [_diag(shown, doc.mark(("logo",)), f"logo {data['logo']!r}: {problem.reason}")],
            ) from None

    quizzes = tuple(
        QuizSpec(
            id=q["id"],
            title=q["title"],
            versions=q.get("versions", QuizSpec.versions),
            seed=q.get("seed", QuizSpec.seed),
            blueprint=_blueprint(q.get("blueprint") or {}),
            formats=tuple(q.get("formats") or QuizSpec.formats),
            large_print=q.get("large_print", False),
        )
        for q in data.get("quizzes") or ()
    )
    return Course(
        root=root,
        title=data["course"],
        instructor=data.get("instructor", ""),
        institution=data.get("institution", ""),
        term=data.get("term", ""),
        paper=data.get("paper", "A4"),
        logo=logo,
        logo_data=logo_data,
        templates=rel("templates"),
        hangul_font=rel("hangul_font"),
        language=data.get("language", "en"),
        labels={**DEFAULT_LABELS, **(data.get("labels") or {})},
        banks=tuple(root / b for b in data["banks"]),
        output=root / data.get("output", "output"),
        quizzes=quizzes,
        documents=_documents(data),
        exports=tuple(data.get("exports") or ()),
    )

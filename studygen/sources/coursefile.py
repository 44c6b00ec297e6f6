"""Reading `studygen.yaml`: strict YAML, a JSON Schema, and checks the schema cannot express.

The file goes through the same strict loader as banks and is validated
against a JSON Schema, so a typo in a course file is reported at its line
with the nearest known key instead of silently building the wrong quiz.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import string
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from studygen.course import (
    DEFAULT_LABELS,
    DRAW_MODES,
    EXPORTERS,
    HANDOUT_SECTIONS,
    LABEL_FIELDS,
    STUDY_GUIDE_SECTIONS,
    Blueprint,
    Course,
    Pool,
    QuizSpec,
    largest_remainder,
    section_order,
)
from studygen.errors import Diagnostic, Severity, StudygenError
from studygen.model import ID_PATTERN, Span
from studygen.sources.files import SIZE_PATTERN, FileProblem, format_size, parse_size, read_bounded
from studygen.sources.yamlload import Document

PAPER_SIZES = ("A4", "Letter")
# Version labels run A..Z, AA..ZZ, ...; the cap only keeps a typo (versions: 50000) from filling the disk.
MAX_VERSIONS = 2000
# `versions: per_student`: one version per roster student (as many as the roster has, whatever MAX_VERSIONS says).
PER_STUDENT = "per_student"


# Booleans older course files use for `documents:` entries; they keep meaning what they meant.
# `study_guide` and `study_handout` may instead be a mapping (`{sections: [...]}`), which also turns
# the document on.
DOCUMENT_ALIASES = ("study_guide", "discussion", "self_test", "study_handout")
# Documents whose sections a course chooses, and the sections each prints when it does not.
SECTIONED = {"study_guide": STUDY_GUIDE_SECTIONS, "study_handout": HANDOUT_SECTIONS}


def _alias_on(value: Any) -> bool:
    """What a `documents:` alias asks for: a boolean as written; a mapping of settings means "build it"."""
    return value if isinstance(value, bool) else True


def _sectioned(name: str, default: tuple[str, ...]) -> dict[str, Any]:
    what = "the study guide" if name == "study_guide" else "the short study handout"
    return {
        # Properties apply only when the value is a mapping, so `study_guide: false` stays valid.
        "type": ["boolean", "object"],
        "properties": {
            "sections": {
                "type": "array",
                "items": {"enum": list(STUDY_GUIDE_SECTIONS)},
                "minItems": 1,
                "description": f"The sections of {what}, in the order they print "
                f"({', '.join(STUDY_GUIDE_SECTIONS)}; default: {', '.join(default)}).",
            },
        },
        "additionalProperties": False,
        "description": f"true/false adds/removes {name} from `documents`; a mapping `{{sections: [...]}}` "
        f"chooses the sections of {what} (and builds it).",
    }


MAX_LOGO_BYTES = 4 * 1024 * 1024  # embedded in every handout: a logo larger than this is a mistake
# A bank is read whole into memory; above this a `max_bank_size` is surely a typo (32GiB for 32MiB).
MAX_BANK_SIZE_CAP = 1024**3


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
        "additionalProperties": {
            "type": ["integer", "number", "string"],
            "description": "A count (6), or a share of `questions`: 0.4 or 40% (shares add up to 100%).",
        },
        "description": description + " Counts, or shares of `questions` (0.4 or 40%) that add up to 100%.",
    }


QUOTAS = ("per_type", "per_topic", "per_difficulty", "per_bloom")
_PERCENT = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$")


class _QuotaProblem(Exception):
    def __init__(self, key: str | None, message: str) -> None:
        super().__init__(message)
        self.key, self.message = key, message


def _share(key: str, value: Any) -> int | Fraction:
    """A count (an int), or a share of the quiz (a Fraction in [0, 1]) from 0.4 or "40%"."""
    how = "write a count (6), a share between 0 and 1 (0.4) or a percentage (40%)"
    if isinstance(value, bool):
        raise _QuotaProblem(key, f"{key}: {value} is not a count or a share; {how}")
    if isinstance(value, int):
        if value < 0:
            raise _QuotaProblem(key, f"{key}: {value} is negative; {how}")
        return value
    if isinstance(value, float):
        if not 0 <= value <= 1:
            raise _QuotaProblem(key, f"{key}: {value} is neither a count nor a share; {how}")
        return Fraction(repr(value))
    m = _PERCENT.match(str(value))
    if m is None:
        raise _QuotaProblem(key, f"{key}: {str(value)!r} is not a count or a share; {how}")
    share = Fraction(m.group(1)) / 100
    if share > 1:
        raise _QuotaProblem(key, f"{key}: {value} is more than 100%")
    return share


def resolve_quota(values: dict[str, Any], n: int) -> dict[str, int]:
    """Counts as written, or shares of `n` turned into counts that add up to exactly `n` (largest remainder)."""
    parsed = {k: _share(k, v) for k, v in values.items()}
    shares = {k: v for k, v in parsed.items() if isinstance(v, Fraction)}
    if not shares:
        return {k: int(v) for k, v in parsed.items()}
    counts = [f"{k}: {v}" for k, v in parsed.items() if not isinstance(v, Fraction)]
    if counts:
        raise _QuotaProblem(
            None,
            f"mixes counts ({', '.join(counts)}) with shares; write every value as a count, or every one as a "
            "share (0.4 or 40%)",
        )
    total = sum(shares.values(), Fraction(0))
    if total != 1:
        pct = float(total * 100)
        raise _QuotaProblem(
            None,
            f"shares add up to {pct:g}%, not 100%; make them add up to 100% (the counts are the shares of "
            f"`questions`, {n})",
        )
    return largest_remainder(shares, n)


def course_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `studygen.yaml`; document and format names come from the registry."""
    from studygen.registry import default_documents, quiz_formats, selectable_documents
    from studygen.sources.bankschema import BLOOM, QUESTION_TYPES

    formats = quiz_formats()
    kinds = selectable_documents()
    defaults = ", ".join(default_documents())

    ids = {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}, "minItems": 1}
    pool = _obj(
        {
            "name": _text("A name for the slot, used in messages."),
            "questions": {"type": "integer", "minimum": 1, "description": "How many questions to draw from the pool."},
            "ids": {**ids, "description": "Only these questions (by id)."},
            "types": {"type": "array", "items": {"enum": QUESTION_TYPES}, "minItems": 1, "description": "Only these."},
            "topics": {**ids, "description": "Only questions with one of these topics."},
            "difficulty": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": 3},
                "minItems": 1,
                "description": "Only these difficulties.",
            },
            "bloom": {"type": "array", "items": {"enum": BLOOM}, "minItems": 1, "description": "Only these levels."},
            "tags": {**ids, "description": "Only questions with one of these tags."},
            "banks": {**ids, "description": "Only questions of these banks (ids), among the quiz's banks."},
        },
        ["questions"],
        "One slot of the blueprint: N questions from the questions passing every filter.",
    )
    blueprint = _obj(
        {
            "pools": {"type": "array", "items": pool, "minItems": 1, "description": "Slots, each its own pool."},
            "draw": {"enum": list(DRAW_MODES), "description": "same: one draw for all versions; per_version."},
            "tolerance": {
                "type": "number",
                "minimum": 0,
                "maximum": 100,
                "description": "per_version: most percentage points the versions' expected mean scores may differ.",
            },
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
            "points": {
                "type": "object",
                "propertyNames": {"enum": QUESTION_TYPES},
                "additionalProperties": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000},
                "description": "Points per question of each named type (e.g. essay: 6), over the banks' own.",
            },
        },
        [],
        "Which questions to pick.",
    )
    quiz = _obj(
        {
            "id": {"type": "string", "pattern": ID_PATTERN, "description": "Quiz id; names its output folder."},
            "title": _text("Shown on the quiz and key."),
            "versions": {
                # A number, or the word per_student (checked in `_check_semantics`, which can say what it means).
                "type": ["integer", "string"],
                "minimum": 1,
                "maximum": MAX_VERSIONS,
                "description": f"A, B, C, ...; or {PER_STUDENT}: one version per roster student.",
            },
            "seed": {"type": "integer", "minimum": 0, "description": "Same seed, same quiz."},
            "formats": {
                "type": "array",
                "items": {"enum": formats},
                "minItems": 1,
                "description": f"Formats of its versions' documents: {', '.join(formats)}.",
            },
            "large_print": {"type": "boolean", "description": "Also render large-print quizzes and keys."},
            "answer_sheets": {"type": "boolean", "description": "Also write a scannable answer sheet per version."},
            "student_id_digits": {
                "type": "integer",
                "minimum": 1,
                "maximum": 16,
                "description": "Digits of the student-ID grid on answer sheets (default 8).",
            },
            "roster": _text("A roster CSV (student_id,name): one personalised answer sheet per student."),
            # Printed quizzes for marking (docs/course-file.md, "Printed quizzes").
            "sections": {
                "enum": ["none", "by_type"],
                "description": "by_type: questions grouped in parts by type, essays last; none (default): one run.",
            },
            "section_order": {
                "type": "array",
                "items": {"enum": QUESTION_TYPES},
                "uniqueItems": True,
                "minItems": 1,
                "description": "The parts' order (implies sections: by_type); types not named follow.",
            },
            "lines_per_point": {
                "type": "number",
                "exclusiveMinimum": 0,
                "maximum": 20,
                "description": "Writing lines per point for essays (default: 4 + 2 per point, 6 to 16 lines).",
            },
            "answer_column": {
                "type": "boolean",
                "description": "An answer grid on the quiz's first page, cell for cell like the key's grid.",
            },
            "print_pack": {
                "enum": ["quizzes", "quizzes_and_keys"],
                "description": "One PDF with every version (and one with every key), for the copy shop.",
            },
            "blueprint": blueprint,
            "banks": {
                "type": "array",
                "items": _text("A bank id, or a bank file or folder relative to the course file."),
                "minItems": 1,
                "description": "The banks this quiz draws from (required when the course has several banks).",
            },
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
                "max_bank_size": {
                    "type": "string",
                    "pattern": SIZE_PATTERN,
                    "description": "Largest bank file accepted, e.g. 32MiB (the default), 64MiB or 50MB.",
                },
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
                    if alias not in SECTIONED
                },
                **{name: _sectioned(name, default) for name, default in SECTIONED.items()},
                "exports": {
                    "type": "array",
                    "items": {"enum": list(EXPORTERS)},
                    "description": f"Export targets ({', '.join(EXPORTERS)}).",
                },
                "moodle": _obj(
                    {
                        "ordering": {
                            "enum": ["ordering", "matching"],
                            "description": "Ordering questions in Moodle XML: as Moodle 4.4+'s ordering type "
                            "(default), or as matching (item -> position) for older Moodle.",
                        },
                    },
                    [],
                    "Options of the Moodle XML export.",
                ),
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
        if key == "months" and len(text.split()) != 12:
            problems.append(
                _diag(shown, doc.mark(("labels", key)), "label 'months' needs 12 month names separated by spaces")
            )
    if "max_bank_size" in data:
        problem = bank_size_problem(data["max_bank_size"])
        if problem:
            problems.append(_diag(shown, doc.mark(("max_bank_size",)), problem))
    problems += _check_documents(data, doc, shown)
    problems += _check_sections(data, doc, shown)
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
        for quota in QUOTAS:
            try:
                total = sum(resolve_quota(bp.get(quota) or {}, n).values())
            except _QuotaProblem as problem:
                where: tuple[str | int, ...] = ("quizzes", i, "blueprint", quota)
                if problem.key is not None:
                    where += (problem.key,)
                text = f"quizzes[{i}] ({qid}).blueprint.{quota}" + ("." if problem.key else " ") + problem.message
                problems.append(_diag(shown, doc.mark(where), text))
                continue
            if total > n:
                problems.append(
                    _diag(
                        shown,
                        doc.mark(("quizzes", i, "blueprint", quota)),
                        f"quizzes[{i}] ({qid}).blueprint.{quota} asks for {total} questions but the "
                        f"quiz has only {n}; raise `questions` or lower the counts",
                    )
                )
        problems += _check_blueprint(q, i, doc, shown)
        quiz_banks = q.get("banks") or ()
        for j, entry in enumerate(quiz_banks):
            if entry in quiz_banks[:j]:
                problems.append(
                    _diag(
                        shown, doc.mark(("quizzes", i, "banks", j)), f"quizzes[{i}] ({qid}).banks names {entry!r} twice"
                    )
                )
        formats = q.get("formats") or ()
        if len(set(formats)) != len(formats):
            problems.append(
                _diag(shown, doc.mark(("quizzes", i, "formats")), f"quizzes[{i}] ({qid}).formats names a format twice")
            )
    return problems


def _check_versions(q: dict[str, Any], i: int, doc: Document, shown: str) -> list[Diagnostic]:
    """`versions` is a count or `per_student`, and `per_student` needs the roster it counts."""
    versions = q.get("versions")
    if not isinstance(versions, str):
        return []
    name = f"quizzes[{i}] ({q.get('id')}).versions"
    where = doc.mark(("quizzes", i, "versions"))
    if versions != PER_STUDENT:
        close = difflib.get_close_matches(versions, [PER_STUDENT], n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return [
            _diag(
                shown,
                where,
                f"{name} must be a whole number of versions (2, 4, ...) or {PER_STUDENT} (one version per "
                f"roster student), not text {versions!r}{hint}",
            )
        ]
    if "roster" not in q:
        return [
            _diag(
                shown,
                where,
                f"{name} is {PER_STUDENT}, which gives every student on the roster their own version, but the "
                "quiz has no roster; add `roster: roster.csv` (a student_id,name CSV) or give a number of versions",
            )
        ]
    return []


_QUOTA_KEYS = ("per_type", "per_topic", "per_difficulty", "per_bloom", "topics", "difficulty", "bloom")


def _check_blueprint(q: dict[str, Any], i: int, doc: Document, shown: str) -> list[Diagnostic]:
    """Pools and quotas are two ways of writing a blueprint; a mix of them is refused, not guessed at."""
    problems: list[Diagnostic] = []
    bp = q.get("blueprint") or {}
    name = f"quizzes[{i}] ({q.get('id')}).blueprint"

    def at(*key: str | int) -> tuple[int, int]:
        return doc.mark(("quizzes", i, "blueprint", *key))

    pools = bp.get("pools") or ()
    if pools:
        for key in _QUOTA_KEYS:
            if key in bp:
                problems.append(
                    _diag(
                        shown,
                        at(key),
                        f"{name}.{key} cannot be combined with pools; give each pool its own filter "
                        f"(a pool takes ids, types, topics, difficulty, bloom, tags and banks)",
                    )
                )
        total = sum(p["questions"] for p in pools)
        if "questions" in bp and bp["questions"] != total:
            problems.append(
                _diag(
                    shown,
                    at("questions"),
                    f"{name}.questions is {bp['questions']} but its pools add up to {total}; "
                    "drop `questions` (the pools' counts decide) or make them agree",
                )
            )
        names: dict[str, int] = {}
        for k, p in enumerate(pools):
            if "name" in p and p["name"] in names:
                problems.append(
                    _diag(
                        shown,
                        at("pools", k, "name"),
                        f"{name}.pools[{k}] has the name {p['name']!r} of pools[{names[p['name']]}]; "
                        "names tell slots apart in messages",
                    )
                )
            names.setdefault(p.get("name", ""), k)
            for key in ("ids", "types", "topics", "difficulty", "bloom", "tags", "banks"):
                values = p.get(key) or ()
                for j, v in enumerate(values):
                    if v in values[:j]:
                        problems.append(
                            _diag(shown, at("pools", k, key, j), f"{name}.pools[{k}].{key} names {v!r} twice")
                        )
    draw = bp.get("draw", "same")
    if draw == "per_version" and not pools:
        for key in ("per_type", "per_topic", "per_difficulty", "per_bloom"):
            if key in bp:
                problems.append(
                    _diag(
                        shown,
                        at(key),
                        f"{name}.{key} cannot be used with `draw: per_version`; write each count as a pool "
                        f"(e.g. `pools: [{{questions: 2, types: [essay]}}, ...]`)",
                    )
                )
    if "tolerance" in bp and draw != "per_version":
        problems.append(
            _diag(
                shown,
                at("tolerance"),
                f"{name}.tolerance applies only to `draw: per_version` (with `draw: same` every version "
                "asks the same questions, so they are equally hard already)",
            )
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
        if alias in data and _alias_on(data[alias]) != (alias in listed):
            if isinstance(data[alias], bool):
                said = "true" if data[alias] else "false"
                fix = f"`{alias}` is the older spelling of listing it under documents, so remove it"
            else:
                said = "{sections: ...}"
                fix = f"add {alias} to documents, or remove the `{alias}` settings"
            problems.append(
                _diag(shown, doc.mark((alias,)), f"{alias}: {said} contradicts documents: [{', '.join(listed)}]; {fix}")
            )
    return problems


def _check_sections(data: dict[str, Any], doc: Document, shown: str) -> list[Diagnostic]:
    """A section listed twice would print twice (or leave the reader guessing which place wins): refused."""
    problems: list[Diagnostic] = []
    for name in SECTIONED:
        settings = data.get(name)
        if not isinstance(settings, dict):
            continue
        listed = settings.get("sections") or ()
        for i, section in enumerate(listed):
            if section in listed[:i]:
                problems.append(
                    _diag(
                        shown,
                        doc.mark((name, "sections", i)),
                        f"{name}.sections[{i}] names {section!r} twice (first at [{listed.index(section)}]); "
                        "list each section once, in the order it should print",
                    )
                )
    return problems


def _sections(data: dict[str, Any], name: str) -> tuple[str, ...]:
    settings = data.get(name)
    listed = settings.get("sections") if isinstance(settings, dict) else None
    return tuple(listed) if listed else SECTIONED[name]


def _documents(data: dict[str, Any]) -> tuple[str, ...] | None:
    """The kinds to build: `documents:` as listed, else the defaults adjusted by the old booleans."""
    from studygen.registry import DOCUMENTS, default_documents

    if "documents" in data:
        return tuple(dict.fromkeys(data["documents"]))
    aliases = {a: _alias_on(data[a]) for a in DOCUMENT_ALIASES if a in data}
    if not aliases:
        return None
    if aliases.get("study_guide") is False:
        # A course that turned the study guide off before the handout existed wants neither.
        aliases.setdefault("study_handout", False)
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


def _pool(p: dict[str, Any]) -> Pool:
    return Pool(
        questions=p["questions"],
        name=p.get("name", ""),
        ids=tuple(p.get("ids") or ()),
        types=tuple(p.get("types") or ()),
        topics=tuple(p.get("topics") or ()),
        difficulty=tuple(p.get("difficulty") or ()),
        bloom=tuple(p.get("bloom") or ()),
        tags=tuple(p.get("tags") or ()),
        banks=tuple(p.get("banks") or ()),
    )


def _blueprint(bp: dict[str, Any]) -> Blueprint:
    """The blueprint with shares already turned into counts: selection and pools only ever see counts."""
    pools = tuple(_pool(p) for p in bp.get("pools") or ())
    n = sum(p.questions for p in pools) if pools else bp.get("questions", Blueprint.questions)
    counts = {quota: resolve_quota(bp.get(quota) or {}, n) for quota in QUOTAS}
    return Blueprint(
        questions=n,
        pools=pools,
        draw=bp.get("draw", Blueprint.draw),
        tolerance=float(bp.get("tolerance", Blueprint.tolerance)),
        per_type=counts["per_type"],
        topics=tuple(bp.get("topics") or ()),
        difficulty=tuple(bp.get("difficulty") or ()),
        bloom=tuple(bp.get("bloom") or ()),
        per_topic=counts["per_topic"],
        per_difficulty={int(k): v for k, v in counts["per_difficulty"].items()},
        per_bloom=counts["per_bloom"],
        points={k: float(v) for k, v in (bp.get("points") or {}).items()},
    )


def _quiz_parts(q: dict[str, Any]) -> tuple[str, ...]:
    """The quiz's part order as type names: () for one shuffled run (no `sections`, or `sections: none`)."""
    if "section_order" in q or q.get("sections") == "by_type":
        return tuple(t.value for t in section_order(q.get("section_order") or ()))
    return ()


def _quiz_marks(doc: Document, i: int, q: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Positions of the keys selection may need to point at (see `QuizSpec.where`)."""
    keys: list[tuple[str | int, ...]] = [("id",), ("banks",), ("blueprint",), ("versions",)]
    keys += [("banks", j) for j in range(len(q.get("banks") or ()))]
    bp = q.get("blueprint") or {}
    keys += [("blueprint", k) for k in bp]
    for k, p in enumerate(bp.get("pools") or ()):
        keys.append(("blueprint", "pools", k))
        for key, value in p.items():
            keys.append(("blueprint", "pools", k, key))
            if isinstance(value, list):
                keys += [("blueprint", "pools", k, key, j) for j in range(len(value))]
    marks = {}
    for key in keys:
        full = ("quizzes", i, *key)
        if key[0] not in q:
            continue
        marks[".".join(map(str, key))] = doc.mark(full)
    return marks


def _roster(root: Path, rel: str | None, shown: str, where: tuple[int, int]) -> tuple[tuple[str, str], ...]:
    """A quiz's roster, read now so that renderers never open files."""
    if rel is None:
        return ()
    from studygen.sources.roster import RosterError, read_roster

    try:
        roster = read_roster(root / rel, rel)
    except RosterError as exc:
        raise StudygenError(
            f"course file {shown}: roster {rel!r}: {exc.message}",
            [_diag(shown, where, f"roster {rel!r}: {exc.message}"), *exc.diagnostics],
        ) from None
    return tuple((s.student_id, s.name) for s in roster.students)


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
    # `versions` takes a count or one word; a wrong word is reported with the schema's problems.
    quiz_list = data.get("quizzes") if isinstance(data, dict) else None
    for i, q in enumerate(quiz_list if isinstance(quiz_list, list) else ()):
        if isinstance(q, dict):
            problems += _check_versions(q, i, doc, shown)
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
            per_student=q.get("versions") == PER_STUDENT,
            seed=q.get("seed", QuizSpec.seed),
            blueprint=_blueprint(q.get("blueprint") or {}),
            formats=tuple(q.get("formats") or QuizSpec.formats),
            large_print=q.get("large_print", False),
            banks=tuple(q.get("banks") or ()),
            origin=shown,
            marks=_quiz_marks(doc, i, q),
            answer_sheets=q.get("answer_sheets", False) or "roster" in q,
            id_digits=q.get("student_id_digits", QuizSpec.id_digits),
            roster=_roster(root, q.get("roster"), shown, doc.mark(("quizzes", i, "roster"))),
            sections=_quiz_parts(q),
            lines_per_point=float(q["lines_per_point"]) if "lines_per_point" in q else None,
            answer_column=q.get("answer_column", False),
            print_pack=q.get("print_pack", ""),
            span=Span(shown, *doc.mark(("quizzes", i, "id"))),
        )
        for i, q in enumerate(data.get("quizzes") or ())
    )
    # per_student: as many versions as the roster has students (the roster was read just above).
    quizzes = tuple(dataclasses.replace(q, versions=len(q.roster)) if q.per_student else q for q in quizzes)
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
        guide_sections=_sections(data, "study_guide"),
        handout_sections=_sections(data, "study_handout"),
        exports=tuple(data.get("exports") or ()),
        max_bank_size=parse_size(data["max_bank_size"]) if "max_bank_size" in data else None,
        moodle_ordering=(data.get("moodle") or {}).get("ordering", Course.moodle_ordering),
    )


def bank_size_problem(text: str) -> str:
    """Why a `max_bank_size` value cannot be used, or ""."""
    try:
        size = parse_size(text)
    except ValueError as exc:
        return f"max_bank_size: {exc}"
    if size < 1024:
        return f"max_bank_size {text!r} is {format_size(size)}; no bank fits in that (write e.g. 32MiB)"
    if size > MAX_BANK_SIZE_CAP:
        return f"max_bank_size {text!r} is over {format_size(MAX_BANK_SIZE_CAP)}; split the bank instead"
    return ""


def course_bank_size(path: Path) -> int | None:
    """Just the course file's `max_bank_size`, for commands that do not otherwise read the course file.

    `check`, `quiz` and `export` honour the setting of the `studygen.yaml`
    beside them without failing on unrelated problems in the rest of the file.
    """
    from studygen.sources.yamlload import load_file

    if not path.is_file():
        return None
    doc, _ = load_file(path, str(path))
    if doc is None or not isinstance(doc.data, dict) or "max_bank_size" not in doc.data:
        return None
    value = doc.data["max_bank_size"]
    problem = bank_size_problem(value) if isinstance(value, str) else "max_bank_size must be a size such as 32MiB"
    if problem:
        line, col = doc.mark(("max_bank_size",))
        raise StudygenError(f"{path}:{line}:{col}: {problem}")
    return parse_size(value)

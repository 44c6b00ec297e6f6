"""Reading a quiz manifest (`manifest.json`) into frozen types grading can trust.

The manifest is the only link between a printed version and the bank: it says,
per version and item number, which question was shown, its options in shown
order and the key.  It is validated here (JSON Schema for shape, then the
cross-field rules a schema cannot express) so scoring never meets a key letter
that points at no option.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studygen.errors import StudygenError
from studygen.model import QuestionType
from studygen.sources.files import FileProblem, read_bounded
from studygen.text.letters import LETTERS

# A manifest holds every version's items and, with answer sheets, every layout's boxes: about 30 KB per
# student of a 20-question `versions: per_student` quiz (9 MB for 300), so 128 MiB admits a class of
# 4,000 while still refusing a file that is surely not a manifest before reading it whole.
MAX_MANIFEST_BYTES = 128 * 1024 * 1024

_TYPES = [t.value for t in QuestionType]
_ITEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["number", "question_id", "bank", "type", "options", "correct", "points"],
    "properties": {
        "number": {"type": "integer", "minimum": 1},
        "question_id": {"type": "string", "minLength": 1},
        "bank": {"type": "string", "minLength": 1},
        "type": {"enum": _TYPES},
        "options": {"type": "array", "items": {"type": "string"}, "maxItems": len(LETTERS)},
        "correct": {"type": "array", "items": {"type": ["string", "array"], "items": {"type": "string"}}},
        "points": {"type": "number", "minimum": 0, "maximum": 1000},
        "prompts": {"type": "array", "items": {"type": "string"}},
        "case_sensitive": {"type": "boolean"},
    },
}
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["versions"],
    "properties": {
        "quiz": {"type": "string"},
        "seed": {"type": "integer"},
        "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{1,64}$"},
        "banks": {"type": "object", "additionalProperties": {"type": "string", "minLength": 1}},
        # Which bank files the quiz was drawn from: id -> start of the file's SHA-256 (studygen.build).
        "bank_fingerprints": {
            "type": "object",
            "additionalProperties": {"type": "string", "pattern": "^[0-9a-f]{1,64}$"},
        },
        # What the report names each question by (manifests before it was written lack it: ids are shown).
        "questions": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "topics": {"type": "array", "items": {"type": "string", "minLength": 1}},
                },
            },
        },
        # Written for `draw: per_version` quizzes: what the build expected each version's mean to be.
        "balance": {
            "type": "object",
            "properties": {
                "versions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["label", "expected_mean"],
                        "properties": {
                            "label": {"type": "string"},
                            "expected_mean": {"type": "number", "minimum": 0, "maximum": 100},
                        },
                    },
                }
            },
        },
        # Written for `versions: per_student` quizzes: each roster student's own version.
        "students": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["student_id", "version"],
                "properties": {
                    "student_id": {"type": "string", "minLength": 1},
                    "name": {"type": "string"},
                    "version": {"type": "string", "minLength": 1},
                },
            },
        },
        "versions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["label", "items"],
                "properties": {
                    "label": {"type": "string", "minLength": 1},
                    "files": {"type": "object"},
                    "items": {"type": "array", "minItems": 1, "items": _ITEM_SCHEMA},
                },
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class ManifestItem:
    """One numbered item of one version, as the student saw it.

    `correct` holds key letters (choice, true/false, matching, ordering) or
    accepted answers (short answer); `blanks` holds the accepted answers per
    blank for fill-in-the-blank; essays have neither.
    """

    number: int
    question_id: str
    bank: str
    type: QuestionType
    points: float
    options: tuple[str, ...] = ()
    correct: tuple[str, ...] = ()
    blanks: tuple[tuple[str, ...], ...] = ()
    prompts: tuple[str, ...] = ()
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class ManifestVersion:
    label: str
    items: tuple[ManifestItem, ...]

    @property
    def max_points(self) -> float:
        return math.fsum(i.points for i in self.items)

    def item(self, number: int) -> ManifestItem | None:
        for it in self.items:
            if it.number == number:
                return it
        return None


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    """What a person knows a question by: its text as authored (bank markup kept) and its topics' labels."""

    text: str = ""
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AssignedStudent:
    """A roster student of a `versions: per_student` quiz and the label of the version made for them."""

    student_id: str
    name: str
    version: str


@dataclass(frozen=True, slots=True)
class Manifest:
    path: Path
    quiz: str
    seed: int | None
    versions: tuple[ManifestVersion, ...]
    banks: dict[str, str] = field(default_factory=dict)
    expected: dict[str, float] = field(default_factory=dict)  # version label -> expected mean %, per_version
    fingerprint: str = ""  # the build's, as printed on every quiz and key page ("" from older manifests)
    questions: dict[str, QuestionInfo] = field(default_factory=dict)  # {} from manifests written before it
    # versions: per_student: each student's version, by folded student ID (`fold_id`); {} otherwise.
    students: dict[str, AssignedStudent] = field(default_factory=dict)
    # bank id -> fingerprint of the bank file the quiz was drawn from ({} from older manifests)
    bank_fingerprints: dict[str, str] = field(default_factory=dict)

    def assigned(self, student_id: str) -> AssignedStudent | None:
        """The version made for this student (`versions: per_student`), or None."""
        from studygen.sources.roster import fold_id

        return self.students.get(fold_id(student_id)) if self.students else None

    def info(self, question_id: str) -> QuestionInfo:
        return self.questions.get(question_id, QuestionInfo())

    def version(self, label: str) -> ManifestVersion | None:
        for v in self.versions:
            if v.label == label:
                return v
        return None

    @property
    def item_numbers(self) -> list[int]:
        return sorted({i.number for v in self.versions for i in v.items})


class ManifestError(StudygenError):
    """The manifest cannot be used; the quiz must be rebuilt or the file repaired."""


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest; every problem found is listed in one error."""
    try:
        raw = read_bounded(path, MAX_MANIFEST_BYTES)
    except FileProblem as problem:
        if problem.kind == "missing":
            raise ManifestError(
                f"{path}: no such manifest; `studygen build` or `studygen quiz` writes manifest.json"
            ) from None
        if problem.kind == "directory":
            raise ManifestError(f"{path}: is a folder; give the manifest.json inside it") from None
        if problem.kind == "too-large":
            raise ManifestError(
                f"{path}: manifest is {problem.size} bytes; at most {MAX_MANIFEST_BYTES} are accepted"
            ) from None
        raise ManifestError(f"{path}: cannot read the manifest: {problem.reason}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManifestError(
            f"{path}: not UTF-8 (byte {exc.start}); the manifest is written by studygen as UTF-8"
        ) from None
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except ValueError as exc:  # from the two hooks above: numbers no manifest contains
        raise ManifestError(f"{path}: not a studygen manifest: {exc}") from None
    except RecursionError:
        raise ManifestError(f"{path}: not a studygen manifest: values are nested absurdly deep") from None
    return parse_manifest(data, path)


def _bounded_int(text: str) -> int:
    """Manifest numbers are small; refuse huge ones before Python's int() does so with a traceback."""
    if len(text) > 20:
        raise ValueError(f"the number {text[:12]}... has {len(text)} digits")
    return int(text)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a valid number")


def parse_manifest(data: Any, path: Path) -> Manifest:
    import jsonschema

    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if errors:
        lines = [f"  {_where(list(e.absolute_path))}: {e.message}" for e in errors[:20]]
        more = f"\n  ... and {len(errors) - 20} more" if len(errors) > 20 else ""
        raise ManifestError(f"{path}: the manifest does not have the expected shape:\n" + "\n".join(lines) + more)
    problems: list[str] = []
    versions: list[ManifestVersion] = []
    labels: set[str] = set()
    for vi, v in enumerate(data["versions"]):
        label = v["label"].strip()
        if label.casefold() in labels:
            problems.append(f"versions[{vi}].label: version {label!r} appears twice")
        labels.add(label.casefold())
        numbers: set[int] = set()
        items = []
        for ii, raw_item in enumerate(v["items"]):
            where = f"versions[{vi}].items[{ii}]"
            if raw_item["number"] in numbers:
                problems.append(f"{where}.number: item {raw_item['number']} appears twice in version {label!r}")
            numbers.add(raw_item["number"])
            item, item_problems = _item(raw_item)
            problems += [f"{where}.{p}" for p in item_problems]
            items.append(item)
        versions.append(ManifestVersion(label, tuple(sorted(items, key=lambda i: i.number))))
    students = _students(data.get("students") or [], {v.label for v in versions}, problems)
    if problems:
        raise ManifestError(f"{path}: the manifest is inconsistent:\n" + "\n".join(f"  {p}" for p in problems))
    questions = {
        qid: QuestionInfo(entry.get("text", ""), tuple(entry.get("topics", ())))
        for qid, entry in (data.get("questions") or {}).items()
    }
    expected = {v["label"].strip(): float(v["expected_mean"]) for v in data.get("balance", {}).get("versions", [])}
    return Manifest(
        path,
        data.get("quiz", ""),
        data.get("seed"),
        tuple(versions),
        dict(data.get("banks", {})),
        expected,
        data.get("fingerprint", ""),
        questions,
        students,
        dict(data.get("bank_fingerprints", {})),
    )


def _students(raw: list[dict[str, Any]], labels: set[str], problems: list[str]) -> dict[str, AssignedStudent]:
    """The per-student map, refusing what would grade a student against the wrong key."""
    from studygen.sources.roster import fold_id

    out: dict[str, AssignedStudent] = {}
    for k, entry in enumerate(raw):
        sid, version = entry["student_id"].strip(), entry["version"].strip()
        key = fold_id(sid)
        if key in out:
            problems.append(f"students[{k}].student_id: student {sid!r} appears twice")
        elif version not in labels:
            problems.append(f"students[{k}].version: student {sid!r} has version {version!r}, which is not in versions")
        else:
            out[key] = AssignedStudent(sid, entry.get("name", ""), version)
    return out


def _where(parts: list[str | int]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top level)"


def _item(raw: dict[str, Any]) -> tuple[ManifestItem, list[str]]:
    qtype = QuestionType(raw["type"])
    options = tuple(raw["options"])
    correct_raw: list[Any] = raw["correct"]
    prompts = tuple(raw.get("prompts", ()))
    problems: list[str] = []
    n = len(options)
    flat = [c for c in correct_raw if isinstance(c, str)]
    nested = [c for c in correct_raw if isinstance(c, list)]
    if qtype is QuestionType.FILL_BLANK:
        if flat or not nested:
            problems.append("correct: fill_blank needs one list of accepted answers per blank")
    elif nested:
        problems.append(f"correct: {qtype.value} takes a list of texts, not lists")
    letters_ok = all(len(c) == 1 and c in LETTERS[:n] for c in flat)
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE):
        if n < 2:
            problems.append(f"options: a {qtype.value} item needs at least two options")
        if not flat or not letters_ok or len(set(flat)) != len(flat):
            problems.append(f"correct: {flat} must be distinct letters among {LETTERS[:n] or 'the options'}")
        if qtype is not QuestionType.MULTIPLE_RESPONSE and len(flat) != 1:
            problems.append(f"correct: a {qtype.value} item has exactly one key letter")
        if qtype is QuestionType.TRUE_FALSE and n != 2:
            problems.append('options: a true_false item shows exactly two options ("True", "False")')
    elif qtype is QuestionType.MATCHING:
        if len(prompts) < 2 or len(flat) != len(prompts) or not letters_ok:
            problems.append(
                f"correct: matching needs one letter among {LETTERS[:n]} per prompt ({len(prompts)} prompts)"
            )
    elif qtype is QuestionType.ORDERING:
        if n < 2 or sorted(flat) != list(LETTERS[:n]):
            problems.append(f"correct: ordering needs each of the letters {LETTERS[:n]} exactly once")
    elif qtype is QuestionType.SHORT_ANSWER:
        if not flat or not all(c.strip() for c in flat):
            problems.append("correct: short_answer needs at least one non-empty accepted answer")
    elif qtype is QuestionType.FILL_BLANK:
        if not all(b and all(isinstance(a, str) and a.strip() for a in b) for b in nested):
            problems.append("correct: every blank needs at least one non-empty accepted answer")
    elif qtype is QuestionType.ESSAY and correct_raw:
        problems.append("correct: an essay item has no key (use [])")
    points = float(raw["points"])
    if not math.isfinite(points):
        problems.append("points: must be a finite number")
    item = ManifestItem(
        number=raw["number"],
        question_id=raw["question_id"],
        bank=raw["bank"],
        type=qtype,
        points=points,
        options=options,
        correct=tuple(flat),
        blanks=tuple(tuple(b) for b in nested),
        prompts=prompts,
        case_sensitive=bool(raw.get("case_sensitive", False)),
    )
    return item, problems

"""The answer-sheet layouts recorded in a manifest's `"sheets"` entry, validated before any pixel is read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studygen.errors import StudygenError

_RECT = {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}
_BOX = {
    "type": "object",
    "required": ["page", "rect"],
    "properties": {
        "page": {"type": "integer", "minimum": 1},
        "rect": _RECT,
        "item": {"type": "integer", "minimum": 1},
        "letter": {"type": "string", "pattern": "^[A-Z]$"},
        "part": {"type": "integer", "minimum": 1},
        "id_digit": {"type": "integer", "minimum": 1},
        "value": {"type": "integer", "minimum": 0, "maximum": 9},
        "score": {"type": "number", "minimum": 0},
    },
}
_PAGE = {
    "type": "object",
    "required": ["page", "size", "marks", "qr", "boxes"],
    "properties": {
        "page": {"type": "integer", "minimum": 1},
        "size": {
            "type": "array",
            "items": {"type": "number", "minimum": 72, "maximum": 2000},
            "minItems": 2,
            "maxItems": 2,
        },
        "marks": {"type": "array", "items": _RECT, "minItems": 4, "maxItems": 4},
        "qr": _RECT,
        "boxes": {"type": "array", "items": _BOX},
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["fingerprint", "layouts"],
    "properties": {
        "fingerprint": {"type": "string", "minLength": 1},
        "id_digits": {"type": "integer", "minimum": 0},
        "layouts": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["version", "personal", "pages"],
                "properties": {
                    "version": {"type": "string", "minLength": 1},
                    "personal": {"type": "boolean"},
                    "file": {"type": ["string", "null"]},
                    "pages": {"type": "array", "items": _PAGE, "minItems": 1},
                },
            },
        },
        "roster": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["student_id", "version"],
                "properties": {
                    "student_id": {"type": "string"},
                    "name": {"type": "string"},
                    "version": {"type": "string"},
                },
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class LBox:
    rect: tuple[float, float, float, float]
    kind: str  # "choice" | "id" | "score"
    item: int = 0
    letter: str = ""
    part: int = 0
    id_digit: int = 0
    value: int = 0
    score: float = 0.0

    @property
    def label(self) -> str:
        """How the box is named to a person: `B`, `b-C`, `ID digit 3 = 7`, `score 2`."""
        if self.kind == "id":
            return f"ID digit {self.id_digit} = {self.value}"
        if self.kind == "score":
            return (f"blank {self.part}: " if self.part else "") + f"score {self.score:g}"
        return f"{self.part}:{self.letter}" if self.part else self.letter


@dataclass(frozen=True, slots=True)
class LPage:
    number: int
    size: tuple[float, float]
    marks: tuple[tuple[float, float, float, float], ...]
    qr: tuple[float, float, float, float]
    boxes: tuple[LBox, ...]


@dataclass(frozen=True, slots=True)
class Layout:
    key: str
    version: str
    personal: bool
    pages: tuple[LPage, ...]


@dataclass(frozen=True, slots=True)
class SheetSet:
    fingerprint: str
    id_digits: int
    layouts: dict[str, Layout]
    roster: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded id -> (id, name)


def parse_sheets(data: Any, where: str) -> SheetSet:
    """The `"sheets"` entry of a manifest; a manifest written without sheets cannot be scanned."""
    import jsonschema

    from studygen.sources.roster import fold_id

    if not isinstance(data, dict) or "sheets" not in data:
        raise StudygenError(
            f"{where}: this quiz was built without answer sheets; build it with `answer_sheets: true` "
            "(studygen.yaml) or `studygen quiz --sheets`, print those sheets, and scan them"
        )
    raw = data["sheets"]
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(raw))
    if errors:
        first = errors[0]
        path = ".".join(str(p) for p in first.absolute_path) or "(top)"
        raise StudygenError(f"{where}: sheets.{path}: {first.message}; rebuild the quiz to repair the manifest")
    layouts: dict[str, Layout] = {}
    for key, lay in raw["layouts"].items():
        pages = []
        for i, p in enumerate(lay["pages"]):
            if p["page"] != i + 1:
                raise StudygenError(f"{where}: sheets.layouts.{key}: pages are not numbered 1, 2, ...")
            boxes = []
            for b in p["boxes"]:
                if "id_digit" in b:
                    boxes.append(LBox(tuple(b["rect"]), "id", id_digit=b["id_digit"], value=b.get("value", 0)))
                elif "score" in b:
                    boxes.append(
                        LBox(tuple(b["rect"]), "score", b.get("item", 0), part=b.get("part", 0), score=b["score"])
                    )
                elif "letter" in b and "item" in b:
                    boxes.append(LBox(tuple(b["rect"]), "choice", b["item"], b["letter"], b.get("part", 0)))
                else:
                    raise StudygenError(
                        f"{where}: sheets.layouts.{key}: a box has no meaning (item/letter, id_digit or score)"
                    )
            pages.append(
                LPage(p["page"], tuple(p["size"]), tuple(tuple(m) for m in p["marks"]), tuple(p["qr"]), tuple(boxes))
            )
        layouts[key] = Layout(key, lay["version"], lay["personal"], tuple(pages))
    roster = {fold_id(s["student_id"]): (s["student_id"], s.get("name", "")) for s in raw.get("roster", [])}
    return SheetSet(raw["fingerprint"], raw.get("id_digits", 0), layouts, roster)

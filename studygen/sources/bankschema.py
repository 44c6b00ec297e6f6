"""The bank format as a JSON Schema: one declaration serves validation and editors.

`studygen schema` publishes this so the YAML language server can validate and
autocomplete banks; the loader validates against the very same object, so the
editor and `studygen check` can never disagree about what a bank may contain.
"""

from __future__ import annotations

from typing import Any

from studygen.model import BLOOM_LEVELS, ID_PATTERN, QuestionType

URL_PATTERN = r"^https?://[^\s<>\"]+$"
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
# The vocabularies are the model's, so the schema cannot drift from what the code handles.
BLOOM = list(BLOOM_LEVELS)
QUESTION_TYPES = [t.value for t in QuestionType]
ARGUMENT_ROLES = ["thesis", "premise", "evidence", "counter", "contingent", "recommendation"]


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "description": description}


def _texts(description: str, min_items: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "description": description,
    }
    if min_items:
        schema["minItems"] = min_items
    return schema


def _ids(description: str, min_items: int = 0) -> dict[str, Any]:
    schema = _texts(description, min_items)
    schema["items"] = {"type": "string", "pattern": ID_PATTERN}
    return schema


def _id(description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": ID_PATTERN, "description": description}


def _object(properties: dict[str, Any], required: list[str], description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


_OPTION = _object(
    {
        "text": _text("What the student sees."),
        "correct": {"type": "boolean", "description": "Whether choosing this option is right."},
        "pinned": {"type": "boolean", "description": "Keep this option's position when shuffling."},
        "feedback": _text("Shown when a student picks this option."),
    },
    ["text", "correct"],
)

# Which answer keys each question type takes; the rest are refused for that type.
ANSWER_KEYS: dict[str, tuple[list[str], list[str]]] = {
    "single_choice": (["options"], []),
    "multiple_response": (["options"], []),
    "true_false": (["answer"], []),
    "short_answer": (["accepted"], ["case_sensitive"]),
    "matching": (["pairs"], ["distractors"]),
    "ordering": (["items"], []),
    "fill_blank": (["text", "blanks"], []),
    "essay": ([], ["guidance"]),
}
_ALL_ANSWER_KEYS = sorted({k for req, opt in ANSWER_KEYS.values() for k in req + opt})

_QUESTION_PROPS: dict[str, Any] = {
    "id": _id("Unique across all banks."),
    "type": {"enum": QUESTION_TYPES, "description": "The question type."},
    "stem": _text("The question text (for fill_blank: the instruction)."),
    "explanation": _text("Why the answer is right, in terms of the reading."),
    "refs": _ids("Facts/arguments whose quotes ground the answer (at least one)."),
    "topics": _ids("Topic ids."),
    "difficulty": {"type": "integer", "minimum": 1, "maximum": 3, "description": "1 (easy) to 3 (hard)."},
    "bloom": {"enum": BLOOM, "description": "Bloom's taxonomy level."},
    "points": {"type": "number", "exclusiveMinimum": 0, "maximum": 1000, "description": "Points; default 1."},
    "background": _text("Background beyond the reading: shown, marked, never graded."),
    "tags": _ids("Free labels that quiz pools can select by (e.g. week-3)."),
    "excludes": _ids("Ids of alternative questions (e.g. on the same fact) never drawn into one version with it."),
    "options": {"type": "array", "items": _OPTION, "minItems": 2, "description": "Choices."},
    "answer": {"type": "boolean", "description": "true_false: the right answer."},
    "accepted": _texts("short_answer: accepted answers.", 1),
    "case_sensitive": {"type": "boolean", "description": "short_answer: compare case exactly."},
    "pairs": {
        "type": "array",
        "minItems": 2,
        "items": _object({"left": _text("Prompt side."), "right": _text("Answer side.")}, ["left", "right"]),
        "description": "matching: left/right pairs.",
    },
    "distractors": _texts("matching: extra right-hand answers that match nothing."),
    "items": _texts("ordering: items in the correct order.", 2),
    "text": _text("fill_blank: the text, with blanks written [[1]], [[2]], ..."),
    "blanks": {
        "type": "array",
        "minItems": 1,
        "items": _object({"accepted": _texts("Accepted answers.", 1)}, ["accepted"]),
        "description": "fill_blank: one entry per blank.",
    },
    "guidance": _text("essay: what a strong answer covers."),
}


def _NOT_FOR(qtype: str) -> dict[str, Any]:
    # `{"not": {}}` rather than `false`: jsonschema reports a `false` subschema without the key's path.
    return {"not": {}, "description": f"Not used by {qtype} questions."}


def _question_schema() -> dict[str, Any]:
    schema = _object(
        _QUESTION_PROPS,
        ["id", "type", "stem", "explanation", "difficulty", "bloom"],
        "A question; the answer keys depend on its type.",
    )
    branches = []
    for qtype, (required, optional) in ANSWER_KEYS.items():
        forbidden = [k for k in _ALL_ANSWER_KEYS if k not in required and k not in optional]
        branches.append(
            {
                "if": {"properties": {"type": {"const": qtype}}, "required": ["type"]},
                "then": {"required": required, "properties": {k: _NOT_FOR(qtype) for k in forbidden}},
            }
        )
    schema["allOf"] = branches
    return schema


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a bank file."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://studygen.invalid/bank.schema.json",
        "title": "studygen question bank",
        **_object(
            {
                "format": {"const": 1, "description": "Bank format version; always 1."},
                "id": _id("Bank id."),
                "title": _text("The bank's title as shown on handouts."),
                "reading": _object(
                    {
                        "title": _text("The reading's title."),
                        "author": _text("Its author."),
                        "author_affiliation": _text("The author's role as the reading states it."),
                        "publication": _text("Where it appeared."),
                        "date": {"type": "string", "pattern": DATE_PATTERN, "description": "ISO date."},
                        "text": _text("Path of the reading's text, relative to the bank file."),
                        "url": {
                            "type": "string",
                            "pattern": URL_PATTERN,
                            "description": "Where the reading can be found (an http or https address).",
                        },
                        "meta": _text(
                            "Path of the reading's metadata file (seeds/ID.meta.yaml), relative to the bank file; "
                            "when given, title, author, publication and date come from it and are not repeated here."
                        ),
                    },
                    ["text"],
                    "The source reading: its text, and its metadata here or in a `meta` file.",
                ),
                "summary": _text("A short summary of the reading for the study guide."),
                "summary_refs": _ids("Facts/arguments the summary rests on."),
                "topics": {
                    "type": "array",
                    "items": _object({"id": _id("Topic id."), "label": _text("Display label.")}, ["id", "label"]),
                },
                "facts": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": _id("Unique across all banks."),
                            "statement": _text("The fact in one sentence."),
                            "quotes": _texts("Verbatim passages of the reading.", 1),
                            "date": {"type": "string", "pattern": DATE_PATTERN, "description": "YYYY[-MM[-DD]]."},
                            "date_text": _text("The reading's own wording of the date."),
                            "actors": _ids("Stakeholder ids."),
                            "topics": _ids("Topic ids."),
                        },
                        ["id", "statement", "quotes"],
                    ),
                },
                "arguments": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": _id("Unique across all banks."),
                            "claim": _text("The claim."),
                            "holder": _text("Who holds it."),
                            "role": {"enum": ARGUMENT_ROLES, "description": "Its place in the argument."},
                            "quotes": _texts("Verbatim passages of the reading.", 1),
                            "supported_by": _ids("Facts/arguments supporting it."),
                            "counters": _ids("Arguments it argues against."),
                            "topics": _ids("Topic ids."),
                        },
                        ["id", "claim", "holder", "role", "quotes"],
                    ),
                },
                "stakeholders": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": _id("Stakeholder id."),
                            "name": _text("Display name."),
                            "position": _text("Its position as the reading describes it."),
                            "interests": _texts("Its interests as the reading describes them."),
                            "refs": _ids("Facts/arguments."),
                        },
                        ["id", "name", "position", "refs"],
                    ),
                },
                "questions": {"type": "array", "items": _question_schema()},
                "prompts": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": _id("Unique across all banks."),
                            "prompt": _text("The discussion prompt."),
                            "guidance": _text("What a strong answer covers."),
                            "refs": _ids("Facts/arguments (at least one)."),
                            "topics": _ids("Topic ids."),
                        },
                        ["id", "prompt"],
                    ),
                },
                "glossary": {
                    "type": "array",
                    "items": _object(
                        {
                            "term": _text("The term."),
                            "definition": _text("Its definition."),
                            "refs": _ids("Facts/arguments grounding the definition."),
                            "background": {"type": "boolean", "description": "Goes beyond the reading."},
                        },
                        ["term", "definition"],
                    ),
                },
            },
            ["format", "id", "title", "reading"],
        ),
    }

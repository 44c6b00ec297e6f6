"""Raw YAML data → validated model, or diagnostics that point at the line.

Validation is declarative (the JSON Schema in `bankschema`, run by the
`jsonschema` library) so editors and the checker share one definition; this
module only turns the library's errors into messages a person can act on and
builds the frozen model once the data is known to be well-formed.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from studygen.errors import Diagnostic, Severity
from studygen.model import (
    Argument,
    Bank,
    Blank,
    Fact,
    Option,
    Pair,
    Prompt,
    Question,
    QuestionType,
    Reading,
    Stakeholder,
    Term,
    Topic,
)
from studygen.sources.bankschema import URL_PATTERN, bank_schema
from studygen.sources.yamlload import Document, Plain

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:(?:0|[1-9][0-9]*)(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return bank_schema()


@lru_cache(maxsize=1)
def _fast_check() -> Any:
    """The compiled yes/no validity test (see `schemafast`), or None if the schema outgrew it."""
    from studygen.sources.schemafast import Unsupported, compile_schema

    try:
        return compile_schema(_schema())
    except Unsupported:  # pragma: no cover - the bank schema only uses supported keywords
        return None


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    schema = _schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _wants(schema: dict[str, Any], kind: str) -> bool:
    t = schema.get("type")
    if isinstance(t, list):
        return kind in t
    if t == kind:
        return True
    return kind == "integer" and isinstance(schema.get("const"), int)


# No number field needs more digits; longer ones stay text and are reported as "not a number"
# (Python refuses to convert integers of over 4300 digits, and 1e999 would become infinity).
_MAX_NUMBER_CHARS = 32


def _parse_scalar(value: Any, integer: bool, number: bool, boolean: bool) -> Any:
    if isinstance(value, Plain):
        if (integer or number) and len(value) <= _MAX_NUMBER_CHARS and _INT.fullmatch(value):
            return int(value)
        if number and len(value) <= _MAX_NUMBER_CHARS and _FLOAT.fullmatch(value):
            parsed = float(value)
            return parsed if math.isfinite(parsed) else value
        if boolean and value in ("true", "false"):
            return value == "true"
    return value


Coercer = Callable[[Any], Any]


def compile_coercer(schema: Any, in_place: bool = False) -> Coercer | None:
    """A function that parses the plain scalars of number and yes/no fields, or None if there are none.

    Subtrees without such fields are never visited, which keeps this cheap on
    big banks; everywhere else a scalar stays the exact text the author typed,
    so `NO`, `017` or `1:20` in a stem can never turn into something else.
    `in_place` changes the given mappings and lists instead of copying them (for
    data that is the caller's own, as a freshly loaded bank: no copy to make and free).
    """
    if not isinstance(schema, dict):
        return None
    integer, number, boolean = _wants(schema, "integer"), _wants(schema, "number"), _wants(schema, "boolean")
    if integer or number or boolean:
        return lambda v: _parse_scalar(v, integer, number, boolean)
    props = {
        k: c for k, sub in schema.get("properties", {}).items() if (c := compile_coercer(sub, in_place)) is not None
    }
    if props:

        def mapping(v: Any) -> Any:
            if type(v) is not dict:
                return v
            out = v if in_place else dict(v)
            for k, c in props.items():
                if k in out:
                    out[k] = c(out[k])
            return out

        return mapping
    item = compile_coercer(schema.get("items"), in_place)
    if item is not None:
        each = item
        if in_place:

            def items(v: Any) -> Any:
                if type(v) is list:
                    for i, x in enumerate(v):
                        v[i] = each(x)
                return v

            return items
        return lambda v: [each(x) for x in v] if type(v) is list else v
    return None


def coerce(value: Any, schema: dict[str, Any]) -> Any:
    """Parse plain scalars only where `schema` asks for a number or yes/no; see `compile_coercer`."""
    coercer = compile_coercer(schema)
    return value if coercer is None else coercer(value)


@lru_cache(maxsize=1)
def _bank_coercer() -> Coercer:
    return compile_coercer(_schema(), in_place=True) or (lambda v: v)


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value or null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return f"text {value!r}" if len(value) < 40 else "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


_BOUNDS = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than"}
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys",
}


def _where(path: tuple[str | int, ...], data: Any) -> str:
    """A readable location such as `questions[3] (Q-veto).options[0].correct`."""
    out = ""
    node = data
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
            try:
                node = node[p]
            except (IndexError, KeyError, TypeError):
                node = None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                out += f" ({node['id']})"
        else:
            out += f".{p}" if out else p
            node = node.get(p) if isinstance(node, dict) else None
    return out or "the bank"


def describe_error(err: Any, doc: Document) -> list[tuple[tuple[str | int, ...], bool, str]]:
    """(path, point at key?, message) for one jsonschema error."""
    path = tuple(err.absolute_path)
    where = _where(path, doc.data)
    v = err.validator
    if v == "additionalProperties":
        known = sorted(err.schema.get("properties", {}))
        out = []
        for extra in sorted(set(err.instance) - set(known)):
            close = difflib.get_close_matches(extra, known, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
            out.append(((*path, extra), True, f"unknown key {extra!r} in {where}{hint}"))
        return out
    if v == "required":
        absent = [k for k in err.validator_value if k not in err.instance]
        # point at the mapping's own key (`reading:`), or at the list item (`- id: ...`)
        at_key = bool(path) and isinstance(path[-1], str)
        return [(path, at_key, f"{where} is missing required key {k!r}") for k in absent]
    if v == "type":
        want = err.validator_value
        wanted: list[str] = want if isinstance(want, list) else [want]
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        extra = ""
        if want in ("integer", "number", "boolean") and isinstance(err.instance, str):
            quoted = not isinstance(err.instance, Plain)
            parses = _INT.fullmatch(err.instance) or _FLOAT.fullmatch(err.instance) or err.instance in ("true", "false")
            if quoted and parses:
                extra = " (write it without quotes)"
            elif want == "integer":
                extra = " (write 1, 2 or 3 without leading zeros)" if path[-1:] == ("difficulty",) else ""
        return [(path, False, f"{where} must be {words}, not {_kind(err.instance)}{extra}")]
    if v == "enum":
        choices = [str(c) for c in err.validator_value]
        close = difflib.get_close_matches(str(err.instance), choices, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return [(path, False, f"{where} is {_kind(err.instance)}; expected one of: {', '.join(choices)}{hint}")]
    if v == "const":
        got = repr(err.instance) if isinstance(err.instance, (int, float)) else _kind(err.instance)
        return [(path, False, f"{where} must be {err.validator_value!r}, not {got}")]
    if v in _BOUNDS:
        bound = err.validator_value
        return [(path, False, f"{where} is {err.instance}; it must be {_BOUNDS[v]} {bound}")]
    if v == "minItems":
        return [(path, False, f"{where} needs at least {err.validator_value} item(s)")]
    if v == "minLength":
        return [(path, False, f"{where} must not be empty")]
    if v == "pattern":
        if "[0-9]{4}" in err.validator_value:
            return [(path, False, f"{where} is {err.instance!r}; write an ISO date YYYY, YYYY-MM or YYYY-MM-DD")]
        if err.validator_value == URL_PATTERN:
            return [(path, False, f"{where} is {err.instance!r}; write a web address starting with https://")]
        return [
            (
                path,
                False,
                f"{where} is {err.instance!r}; ids start with a letter or digit "
                "and use only letters, digits, '-', '_' and '.'",
            )
        ]
    if v == "not":
        owner = _where(path[:-1], doc.data)
        node = doc.data
        for p in path[:-1]:
            node = node[p]
        qtype = node.get("type") if isinstance(node, dict) else None
        return [(path, True, f"key {path[-1]!r} does not belong to a {qtype} question ({owner}); remove it")]
    return [(path, False, f"{where}: {err.message}")]


def validate(doc: Document) -> tuple[Any, list[Diagnostic]]:
    """Coerce (in place: `doc.data` is the loader's own) and validate a document; returns the data and every problem."""
    data = _bank_coercer()(doc.data)
    fast = _fast_check()
    if fast is not None and fast(data):
        return data, []
    problems: list[Diagnostic] = []
    seen: set[tuple[Any, ...]] = set()
    for err in _validator().iter_errors(data):
        for path, at_key, message in describe_error(err, doc):
            line, col = doc.mark(path, of_key=at_key)
            key = (line, col, message)
            if key in seen:
                continue
            seen.add(key)
            problems.append(Diagnostic(doc.path, line, col, Severity.ERROR, "schema", message))
    problems.sort()
    return data, problems


def _t(values: Any) -> tuple[str, ...]:
    return tuple(values or ())


def build_bank(data: dict[str, Any], doc: Document, reading_text: str) -> Bank:
    """Build the frozen model from data that `validate` accepted."""

    r = data["reading"]
    reading = Reading(
        title=r["title"],
        author=r["author"],
        publication=r["publication"],
        date=r["date"],
        text_path=r["text"],
        text=reading_text,
        author_affiliation=r.get("author_affiliation", ""),
        url=r.get("url", ""),
        subtitle=r.get("subtitle", ""),
        display_title=r.get("display_title", ""),
    )
    facts = tuple(
        Fact(
            id=f["id"],
            statement=f["statement"],
            quotes=_t(f["quotes"]),
            date=f.get("date", ""),
            date_text=f.get("date_text", ""),
            actors=_t(f.get("actors")),
            topics=_t(f.get("topics")),
        )
        for f in data.get("facts") or ()
    )
    arguments = tuple(
        Argument(
            id=a["id"],
            claim=a["claim"],
            holder=a["holder"],
            role=a["role"],
            quotes=_t(a["quotes"]),
            supported_by=_t(a.get("supported_by")),
            counters=_t(a.get("counters")),
            topics=_t(a.get("topics")),
        )
        for a in data.get("arguments") or ()
    )
    stakeholders = tuple(
        Stakeholder(
            id=s["id"],
            name=s["name"],
            position=s["position"],
            interests=_t(s.get("interests")),
            refs=_t(s.get("refs")),
        )
        for s in data.get("stakeholders") or ()
    )
    questions = tuple(
        Question(
            id=q["id"],
            type=QuestionType(q["type"]),
            stem=q["stem"],
            explanation=q["explanation"],
            refs=_t(q.get("refs")),
            topics=_t(q.get("topics")),
            difficulty=q["difficulty"],
            bloom=q["bloom"],
            points=float(q.get("points", 1)),
            options=tuple(
                Option(o["text"], o["correct"], o.get("pinned", False), o.get("feedback", ""))
                for o in q.get("options") or ()
            ),
            answer=q.get("answer"),
            accepted=_t(q.get("accepted")),
            case_sensitive=q.get("case_sensitive", False),
            pairs=tuple(Pair(p["left"], p["right"]) for p in q.get("pairs") or ()),
            distractors=_t(q.get("distractors")),
            items=_t(q.get("items")),
            text=q.get("text", ""),
            blanks=tuple(Blank(_t(b["accepted"])) for b in q.get("blanks") or ()),
            guidance=q.get("guidance", ""),
            background=q.get("background", ""),
            tags=_t(q.get("tags")),
            excludes=_t(q.get("excludes")),
        )
        for q in data.get("questions") or ()
    )
    prompts = tuple(
        Prompt(p["id"], p["prompt"], p.get("guidance", ""), _t(p.get("refs")), _t(p.get("topics")))
        for p in data.get("prompts") or ()
    )
    glossary = tuple(
        Term(g["term"], g["definition"], _t(g.get("refs")), g.get("background", False))
        for g in data.get("glossary") or ()
    )
    return Bank(
        id=data["id"],
        title=data["title"],
        path=doc.path,
        reading=reading,
        summary=data.get("summary", ""),
        summary_refs=_t(data.get("summary_refs")),
        topics=tuple(Topic(t["id"], t["label"]) for t in data.get("topics") or ()),
        facts=facts,
        arguments=arguments,
        stakeholders=stakeholders,
        questions=questions,
        prompts=prompts,
        glossary=glossary,
        marks=doc.marks,
    )

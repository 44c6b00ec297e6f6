"""A fast yes/no answer to "is this data valid against the bank JSON Schema?".

`jsonschema` is the authority, and the only source of error messages, but it
walks a 10,000-question bank in seconds.  Nearly every bank that is checked
is valid, so `schema.validate` first asks this compiled predicate and calls
`jsonschema` only when the answer is no.  The predicate is compiled from the
very same schema object (no second definition to drift), supports only the
keywords the bank schema uses, and refuses to compile anything else.  It may
be stricter than jsonschema (then jsonschema runs and decides) but never
looser; tests/test_schema.py checks that over generated and mutated banks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Predicate = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description"})


class Unsupported(ValueError):
    """The schema uses a keyword this compiler does not know; use jsonschema alone."""


def _is_number(v: Any) -> bool:
    return (type(v) is int or type(v) is float) and v == v


_TYPES: dict[str, Predicate] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: type(v) is int,
    "number": _is_number,
    "boolean": lambda v: type(v) is bool,
    "array": lambda v: type(v) is list,
    "object": lambda v: type(v) is dict,
    "null": lambda v: v is None,
}


def _always(v: Any) -> bool:
    return True


def _never(v: Any) -> bool:
    return False


def compile_schema(schema: Any) -> Predicate:
    """A predicate that is True only for data jsonschema would also accept."""
    if schema is True:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, dict):
        raise Unsupported(f"schema {schema!r}")
    unknown = set(schema) - _ANNOTATIONS - _KEYWORDS
    if unknown:
        raise Unsupported(", ".join(sorted(unknown)))
    if schema.get("type") == "object" or "properties" in schema:
        return _object(schema)
    checks = [_KEYWORD_COMPILERS[k](schema[k], schema) for k in schema if k in _KEYWORD_COMPILERS]
    checks = [c for c in checks if c is not _always]
    if not checks:
        return _always
    return _conjunction(checks)


def _conjunction(preds: list[Predicate]) -> Predicate:
    """All of `preds`, as one call: no generator per value (this runs once per scalar of a bank)."""
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        first, second = preds
        return lambda v: first(v) and second(v)
    if len(preds) == 3:
        p1, p2, p3 = preds
        return lambda v: p1(v) and p2(v) and p3(v)

    def check(v: Any) -> bool:
        for p in preds:  # noqa: SIM110 - a loop, not all(genexpr): no generator per value
            if not p(v):
                return False
        return True

    return check


def _type(value: Any, schema: dict[str, Any]) -> Predicate:
    if isinstance(value, list):
        preds = [_TYPES[t] for t in value]
        return lambda v: any(p(v) for p in preds)
    return _TYPES[value]


def _const(value: Any, schema: dict[str, Any]) -> Predicate:
    kind = type(value)
    if kind not in (str, int):
        raise Unsupported(f"const {value!r}")
    if kind is str:
        return lambda v: isinstance(v, str) and v == value
    return lambda v: type(v) is int and v == value


def _enum(value: Any, schema: dict[str, Any]) -> Predicate:
    if not all(type(x) is str for x in value):
        raise Unsupported(f"enum {value!r}")
    allowed = frozenset(value)
    return lambda v: isinstance(v, str) and v in allowed


def _min_length(value: Any, schema: dict[str, Any]) -> Predicate:
    return lambda v: not isinstance(v, str) or len(v) >= value


def _pattern(value: Any, schema: dict[str, Any]) -> Predicate:
    search = re.compile(value).search
    return lambda v: not isinstance(v, str) or search(v) is not None


def _bound(op: Callable[[Any, Any], bool]) -> Callable[[Any, dict[str, Any]], Predicate]:
    def make(value: Any, schema: dict[str, Any]) -> Predicate:
        return lambda v: not _is_number(v) or op(v, value)

    return make


def _min_items(value: Any, schema: dict[str, Any]) -> Predicate:
    return lambda v: type(v) is not list or len(v) >= value


def _items(value: Any, schema: dict[str, Any]) -> Predicate:
    item = compile_schema(value)
    return lambda v: type(v) is not list or all(map(item, v))


def _not(value: Any, schema: dict[str, Any]) -> Predicate:
    inner = compile_schema(value)
    if inner is _always:  # `not: {}`, the schema's way of saying "this key does not belong here"
        return _never
    return lambda v: not inner(v)


def _all_of(value: Any, schema: dict[str, Any]) -> Predicate:
    preds = [p for p in (compile_schema(s) for s in value) if p is not _always]
    return _conjunction(preds) if preds else _always


def _if(value: Any, schema: dict[str, Any]) -> Predicate:
    if "else" in schema:
        raise Unsupported("else")
    cond = compile_schema(value)
    then = compile_schema(schema.get("then", True))
    return lambda v: not cond(v) or then(v)


def _ignored(value: Any, schema: dict[str, Any]) -> Predicate:
    return _always  # compiled together with the keyword it belongs to


_KEYWORD_COMPILERS: dict[str, Callable[[Any, dict[str, Any]], Predicate]] = {
    "type": _type,
    "const": _const,
    "enum": _enum,
    "minLength": _min_length,
    "pattern": _pattern,
    "minimum": _bound(lambda v, m: v >= m),
    "maximum": _bound(lambda v, m: v <= m),
    "exclusiveMinimum": _bound(lambda v, m: v > m),
    "minItems": _min_items,
    "items": _items,
    "not": _not,
    "allOf": _all_of,
    "if": _if,
    "then": _ignored,
}
_KEYWORDS = frozenset(_KEYWORD_COMPILERS) | {"properties", "required", "additionalProperties"}


def _object(schema: dict[str, Any]) -> Predicate:
    """Objects are the hot path: one loop over the keys, with the other keywords after it."""
    props = {k: compile_schema(s) for k, s in schema.get("properties", {}).items()}
    required = tuple(schema.get("required", ()))
    extra = schema.get("additionalProperties", True)
    if extra not in (True, False):
        raise Unsupported("additionalProperties with a schema")
    closed = extra is False
    rest = {k: v for k, v in schema.items() if k not in ("type", "properties", "required", "additionalProperties")}
    others = compile_schema(rest) if set(rest) - _ANNOTATIONS else _always
    strict_type = schema.get("type") == "object"

    def check(v: Any) -> bool:
        if type(v) is not dict:
            return not strict_type and others(v)
        for k in required:
            if k not in v:
                return False
        for k, x in v.items():
            p = props.get(k)
            if p is None:
                if closed:
                    return False
            elif not p(x):
                return False
        return others is _always or others(v)

    if closed:
        return check
    # Open objects (the `if` and `then` parts of each question type) constrain only their own
    # properties: look those up instead of walking every key of the value.
    prop_items = tuple(props.items())

    def check_open(v: Any) -> bool:
        if type(v) is not dict:
            return not strict_type and others(v)
        for k in required:
            if k not in v:
                return False
        for k, p in prop_items:
            if k in v and not p(v[k]):
                return False
        return others is _always or others(v)

    return check_open

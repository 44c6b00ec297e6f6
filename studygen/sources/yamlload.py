"""Strict YAML: text stays text, and nothing in a file can silently change meaning.

PyYAML's `safe_load` keeps the last of two duplicate keys, turns `NO` into
False and `2024-05-13` into a date.  A bank that loads the wrong thing puts a
wrong key in front of a class, so we compose the node tree (libyaml when
available) and convert it ourselves: every scalar is text, plain (unquoted)
scalars are marked `Plain` so that numeric and yes/no fields may parse them
later, and every value keeps its line and column for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from studygen.errors import Diagnostic, Severity

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader

MAX_BYTES = 8 * 1024 * 1024

_TAG = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_NULLS = {"", "~", "null", "Null", "NULL"}

PathKey = tuple[str | int, ...]


class Plain(str):
    """An unquoted scalar: text, which a numeric or yes/no field may still parse."""

    __slots__ = ()


@dataclass
class Document:
    """A loaded YAML file: plain data plus where each value and key was written."""

    path: str
    data: Any
    marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def mark(self, key: PathKey, *, of_key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of a value, or of the nearest enclosing one."""
        table = self.key_marks if of_key else self.marks
        k = tuple(key)
        while k:
            if k in table:
                return table[k]
            if not of_key and k in self.key_marks:
                return self.key_marks[k]
            k = k[:-1]
        return self.marks.get((), (1, 1))


def _diag(path: str, line: int, col: int, rule: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, Severity.ERROR, rule, message)


def read_text(path: Path, display: str, max_bytes: int = MAX_BYTES) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file, or explain exactly why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [
                _diag(display, 1, 1, "file-too-large",
                      f"file is {size} bytes; the limit is {max_bytes} bytes (split the bank into several files)")
            ]
        raw = path.read_bytes()
    except IsADirectoryError:
        return None, [_diag(display, 1, 1, "file-unreadable", "is a directory, not a file")]
    except FileNotFoundError:
        return None, [_diag(display, 1, 1, "file-unreadable", "no such file")]
    except OSError as exc:
        return None, [_diag(display, 1, 1, "file-unreadable", f"cannot read file: {exc.strerror or exc}")]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, [_diag(display, line, 1, "file-binary", "file contains NUL bytes; it looks binary, not UTF-8 text")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [
            _diag(display, line, col, "file-encoding",
                  f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def _scan_anchors(text: str, path: str) -> list[Diagnostic]:
    """Anchors and aliases make one edit change two places; refuse them with their position."""
    problems: list[Diagnostic] = []
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            problems.append(_diag(path, mark.line + 1, mark.column + 1, "yaml-alias",
                                  f"alias *{event.anchor} is not allowed; write the value out in full"))
        elif getattr(event, "anchor", None):
            problems.append(_diag(path, mark.line + 1, mark.column + 1, "yaml-anchor",
                                  f"anchor &{event.anchor} is not allowed; write values out in full"))
    return problems


class _Converter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.marks: dict[PathKey, tuple[int, int]] = {}
        self.key_marks: dict[PathKey, tuple[int, int]] = {}
        self.problems: list[Diagnostic] = []

    def convert(self, node: yaml.Node, key: PathKey) -> Any:
        mark = node.start_mark
        self.marks[key] = (mark.line + 1, mark.column + 1)
        tag = node.tag
        if tag not in _ALLOWED_TAGS and tag != _TAG + "merge":
            self.problems.append(_diag(self.path, mark.line + 1, mark.column + 1, "yaml-tag",
                                       f"tag {tag!r} is not allowed; remove it"))
            return None
        if isinstance(node, yaml.ScalarNode):
            value: str = node.value
            if node.style is None or node.style == "":
                if value in _NULLS and tag != _TAG + "str":
                    return None
                return Plain(value)
            return value
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, key + (i,)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for knode, vnode in node.value:
                kmark = knode.start_mark
                kpos = (kmark.line + 1, kmark.column + 1)
                if knode.tag == _TAG + "merge":
                    self.problems.append(_diag(self.path, *kpos, "yaml-merge-key",
                                               "merge keys (<<) are not allowed; write the keys out"))
                    continue
                if not isinstance(knode, yaml.ScalarNode):
                    self.problems.append(_diag(self.path, *kpos, "yaml-complex-key", "keys must be plain text"))
                    continue
                name = str(knode.value)
                sub = key + (name,)
                if name in result:
                    first = self.key_marks[sub]
                    self.problems.append(_diag(self.path, *kpos, "yaml-duplicate-key",
                                               f"duplicate key {name!r} (first defined at line {first[0]}); "
                                               "remove one of them"))
                    continue
                self.key_marks[sub] = kpos
                result[name] = self.convert(vnode, sub)
            return result
        raise TypeError(f"unexpected node {node!r}")  # pragma: no cover


def load_text(text: str, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Compose and convert one YAML document; every problem found is returned."""
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        return None, [_diag(path, 1, 1, "file-empty", "file is empty; a bank needs at least format, id, title, reading")]
    try:
        problems = _scan_anchors(text, path) if ("&" in text or "*" in text) else []
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        return None, [_diag(path, line, col, "yaml-syntax", f"invalid YAML: {what}")]
    except yaml.YAMLError as exc:
        return None, [_diag(path, 1, 1, "yaml-syntax", f"invalid YAML: {exc}")]
    if problems:
        return None, problems
    if node is None:
        return None, [_diag(path, 1, 1, "file-empty", "file is empty")]
    conv = _Converter(path)
    data = conv.convert(node, ())
    if conv.problems:
        return None, conv.problems
    return Document(path, data, conv.marks, conv.key_marks), []


def load_file(path: Path, display: str | None = None, max_bytes: int = MAX_BYTES) -> tuple[Document | None, list[Diagnostic]]:
    shown = display if display is not None else str(path)
    text, problems = read_text(path, shown, max_bytes)
    if text is None:
        return None, problems
    return load_text(text, shown)

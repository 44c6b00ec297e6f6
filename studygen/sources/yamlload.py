"""Strict YAML: text stays text, and nothing in a file can silently change meaning.

PyYAML's `safe_load` keeps the last of two duplicate keys, turns `NO` into
False and `2024-05-13` into a date.  A bank that loads the wrong thing puts a
wrong key in front of a class, so we read libyaml's event stream (when
available) and build the data ourselves: every scalar is text, plain (unquoted)
scalars are marked `Plain` so that numeric and yes/no fields may parse them
later, and every value keeps its line and column for diagnostics.
"""

from __future__ import annotations

import bisect
import gc
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from studygen.errors import Diagnostic, Severity
from studygen.sources.files import FileProblem, read_bounded

try:
    _Loader: type = yaml.CSafeLoader
    _C_LOADER = True
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader
    _C_LOADER = False

# The default limit on a bank file (and its reading).  A 10,000-question bank of questions like the
# bundled ones is about 8.4 MiB; 32 MiB leaves room for four times that with longer explanations,
# while still refusing a file that is plainly not a bank (a video renamed .yaml) before parsing it.
# Courses raise it with `max_bank_size:` in the course file or `--max-bank-size`.
MAX_BYTES = 32 * 1024 * 1024

_TAG = "tag:yaml.org,2002:"
_NULLS = {"", "~", "null", "Null", "NULL"}

PathKey = tuple[str | int, ...]


class Plain(str):
    """An unquoted scalar: text, which a numeric or yes/no field may still parse."""

    __slots__ = ()


class Positions:
    """Where each value and key of a loaded file was written (line, column; 1-based), found when asked.

    Positions are needed only to point at a problem, and most of a bank never has one:
    recording a position for each of the 300,000 values of a 10,000-question bank costs a
    quarter of its load, and the positions outweigh the bank in memory.  So the loader records
    only the top of the tree (each question, fact, ... and the keys above them), and the first
    question about a place inside, say, question 4,512 reads just that question's lines again
    (from its first line to where the next recorded value or key begins) with positions, placed
    at their lines in the file.  Same parser, same characters, same columns: the same positions
    as one eager read.  Should such a part not read back cleanly as the same kind of value
    (flow style over several items on one line, say), the whole file is read again with positions.
    The text is kept for this while the positions are.
    """

    __slots__ = ("_complete", "_filled", "_keys", "_lock", "_path", "_starts", "_text", "_tops", "_values")

    def __init__(self, text: str, path: str, builder: _Builder) -> None:
        """The positions a `_Builder` without `track` recorded in `text`."""
        self._path = path
        self._text = text
        self._values = builder.marks
        self._keys = _key_positions(builder.key_tables)
        self._starts = builder.starts  # where each recorded value begins in the text (an index)
        self._tops = builder.tops  # where each recorded value or key begins, in order
        self._filled: set[PathKey] = set()
        self._complete = False
        self._lock = threading.RLock()  # `serve` answers requests on threads

    def value(self, key: PathKey) -> tuple[int, int] | None:
        """Where the value at `key` was written, or None if the file has no value there."""
        if len(key) > 2 and not self._complete:
            self._fill(key[:2])
        return self._values.get(key)

    def key(self, key: PathKey) -> tuple[int, int] | None:
        """Where the key of the value at `key` was written, or None."""
        if len(key) > 2 and not self._complete:
            self._fill(key[:2])
        return self._keys.get(key)

    @property
    def read_whole(self) -> bool:
        """Whether a look-up had to read the whole file again (a part did not read back cleanly)."""
        return self._complete

    @property
    def values(self) -> Mapping[PathKey, tuple[int, int]]:
        return _View(self, self.value)

    @property
    def keys(self) -> Mapping[PathKey, tuple[int, int]]:
        return _View(self, self.key)

    def complete(self) -> tuple[dict[PathKey, tuple[int, int]], dict[PathKey, tuple[int, int]]]:
        """Every position: the whole file read again with positions (for listing them all)."""
        with self._lock:
            if not self._complete:
                builder = _Builder(self._path)
                with gc_paused():
                    builder.run(self._text)
                self._values, self._keys = builder.marks, _key_positions(builder.key_tables)
                self._complete = True
            return self._values, self._keys

    def _fill(self, top: PathKey) -> None:
        """Record the positions inside the value at `top` (a question, a fact, ...), read from its lines."""
        with self._lock:  # one reader at a time: a half-filled part must not look like "no such value"
            if top not in self._filled and not self._complete:
                self._fill_part(top)
                self._filled.add(top)

    def _fill_part(self, top: PathKey) -> None:
        start = self._values.get(top)
        begin = self._starts.get(top)
        if start is None or begin is None:
            return
        text = self._text
        later = bisect.bisect_right(self._tops, begin)
        if later < len(self._tops):
            # Up to the line where the next recorded value or key begins, and on it up to the
            # first non-space: the part then ends where the whole file's next token is, which
            # is where libyaml places a value left empty at the end (`? key` with no value).
            following = self._tops[later]
            end = max(text.rfind(c, begin, following) for c in _LINE_BREAKS) + 1
            if end == 0:  # that is on this value's line (flow style)
                self.complete()
                return
            while text[end] == " ":
                end += 1
        else:
            end = len(text)
        line, col = start
        # The value's own lines, the text before it on its first line (a key, "- ") blanked so
        # that every character keeps its column.
        part = " " * (col - 1) + text[begin:end]
        builder = _Builder(self._path, root_path=top, line_offset=line - 1)
        with gc_paused():
            clean = builder.reads_clean(part)
        if not clean or builder.marks.get(top) != start or not isinstance(builder.root, (dict, list)):
            # e.g. a dash alone on the line before the next item, which this part would end with
            self.complete()
            return
        self._values.update(builder.marks)
        self._keys.update(_key_positions(builder.key_tables))


class _View(Mapping[PathKey, tuple[int, int]]):
    """Values' or keys' positions as a read-only mapping (what `Bank.where` and tests look up)."""

    __slots__ = ("_get", "_positions")

    def __init__(self, positions: Positions, get: Any) -> None:
        self._positions = positions
        self._get = get

    def __getitem__(self, key: PathKey) -> tuple[int, int]:
        pos: tuple[int, int] | None = self._get(tuple(key))
        if pos is None:
            raise KeyError(key)
        return pos

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and self._get(key) is not None

    def _all(self) -> dict[PathKey, tuple[int, int]]:
        values, keys = self._positions.complete()
        return values if self._get == self._positions.value else keys

    def __iter__(self) -> Iterator[PathKey]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _key_positions(tables: list[tuple[PathKey, dict[str, tuple[int, int]]]]) -> dict[PathKey, tuple[int, int]]:
    return {(*path, name): pos for path, table in tables for name, pos in table.items()}


# What libyaml counts as a line break (YAML 1.1).
_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")


@dataclass
class Document:
    """A loaded YAML file: plain data plus where each value and key was written."""

    path: str
    data: Any
    positions: Positions

    @property
    def marks(self) -> Mapping[PathKey, tuple[int, int]]:
        """Line and column (1-based) of each value, by its path."""
        return self.positions.values

    @property
    def key_marks(self) -> Mapping[PathKey, tuple[int, int]]:
        """Line and column (1-based) of each key, by the path of its value."""
        return self.positions.keys

    def mark(self, key: PathKey, *, of_key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of a value, or of the nearest enclosing one."""
        positions = self.positions
        k = tuple(key)
        while k:
            pos = positions.key(k) if of_key else positions.value(k) or positions.key(k)
            if pos is not None:
                return pos
            k = k[:-1]
        return positions.value(()) or (1, 1)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building big acyclic trees (bank data, models, diagnostics).

    Allocating a few hundred thousand containers otherwise triggers repeated
    full collections that cost more than the loading itself; nothing built
    here forms reference cycles, so plain reference counting frees it all.

    Pausing alone only defers the cost: every object made meanwhile is still "young", so the
    first allocation after `gc.enable()` would traverse the whole new tree (0.5 s for a
    10,000-question bank), and again as it ages through the generations.  So the outermost
    pause ends by moving everything to the oldest generation, as a tree this size would end up
    anyway: `gc.freeze()` moves all tracked objects aside and resets the young count, and
    `gc.unfreeze()` puts them in the oldest generation, where only a full collection looks.
    Garbage among them (a cycle made just before the pause, by any thread) is collected by the
    next full collection rather than a young one; nothing is kept from the collector for good.
    (It also unfreezes whatever else was frozen; studygen freezes nothing else.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _diag(path: str, line: int, col: int, rule: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, Severity.ERROR, rule, message)


def read_text(path: Path, display: str, max_bytes: int | None = None) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file, or explain exactly why it cannot be read."""
    if max_bytes is None:
        max_bytes = MAX_BYTES  # looked up per call, so tests can lower the limit
    try:
        raw = read_bounded(path, max_bytes)
    except FileProblem as problem:
        if problem.kind == "too-large":
            from studygen.sources.files import format_size

            exact = f" ({problem.size} bytes)" if problem.size >= 1024 else ""
            message = (
                f"file is {format_size(problem.size)}{exact}; the limit is {format_size(max_bytes)}: "
                "split the bank into several files, or raise `max_bank_size` in the course file "
                "(or --max-bank-size)"
            )
            return None, [_diag(display, 1, 1, "file-too-large", message)]
        return None, [_diag(display, 1, 1, "file-unreadable", problem.reason)]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [_diag(display, 1, 1, "file-encoding", "file is UTF-16 encoded; save it as UTF-8")]
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, [
            _diag(display, line, 1, "file-binary", "file contains NUL bytes; it looks binary, not UTF-8 text")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return None, [
            _diag(
                display,
                line,
                col,
                "file-encoding",
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
            )
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


MAX_DEPTH = 32
_TOO_DEEP = f"values are nested more than {MAX_DEPTH} levels deep; a bank never needs that"
_SKIP = object()  # a mapping slot whose value is read (to stay in step) but dropped
_UNRECORDED = (0, 0)  # the position of a value below the recorded top (see `_Builder`)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _syntax_error(exc: yaml.YAMLError, text: str, path: str) -> Diagnostic:
    """A parser error as a diagnostic at its line and column, without PyYAML's internal wording."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if "maximum nesting depth" in (exc.problem or ""):
            # libyaml >= 0.2.5 scans a long line of brackets ahead and stops at its own limit
            # before we see the events that would pass MAX_DEPTH: same problem, same message.
            return _diag(path, line, col, "yaml-too-deep", _TOO_DEEP)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        return _diag(path, line, col, "yaml-syntax", f"invalid YAML: {what}")
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml counts bytes of the UTF-8 encoding; the pure-Python reader counts characters.
        before = text.encode("utf-8")[: exc.position].decode("utf-8", "replace") if _C_LOADER else text[: exc.position]
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        return _diag(
            path,
            line,
            col,
            "yaml-syntax",
            f"invalid YAML: character U+{char:04X} is not allowed ({exc.reason}); remove it",
        )
    return _diag(path, 1, 1, "yaml-syntax", f"invalid YAML: {exc}")


class _Builder:
    """Turns the parser's event stream straight into plain data, iteratively.

    Working from events (not `yaml.compose`) skips PyYAML's Python-level tag
    resolver, which would guess types we then throw away and dominates load
    time on big banks, and it cannot overflow the C stack on absurdly deep
    nesting.  Every problem is collected; any problem rejects the document.
    The loop is written out flat because it runs once per scalar of the bank.

    With `track` it records where every value and key was written.  Without, only the
    top of the tree (values at most two levels down, such as each question, and the keys
    above them), which `Positions` needs to find the rest when asked; its problems are then
    only a yes/no, and `load_text` reads such a file again with `track` for exact messages.
    `root_path` and `line_offset` place a part of a file (see `Positions`) where it is in the whole.
    """

    def __init__(self, path: str, *, track: bool = True, root_path: PathKey = (), line_offset: int = 0) -> None:
        self.path = path
        self.track = track
        self.root_path = root_path
        self.line_offset = line_offset
        self.marks: dict[PathKey, tuple[int, int]] = {}
        # Without `track`: where each recorded list or mapping begins (a character index in the text),
        # and where each recorded value or key does, in order; `Positions` reads a part between them.
        self.starts: dict[PathKey, int] = {}
        self.tops: list[int] = []
        self.key_tables: list[tuple[PathKey, dict[str, tuple[int, int]]]] = []
        self.problems: list[Diagnostic] = []
        self.root: Any = None

    def problem(self, pos: tuple[int, int], rule: str, message: str) -> None:
        self.problems.append(_diag(self.path, pos[0], pos[1], rule, message))

    def _key(self, container: Any, cpath: PathKey | None, keys: Any, ev: yaml.ScalarEvent, pos: tuple[int, int]) -> Any:
        """The slow path for a mapping key that is tagged, a merge key or a duplicate: the pending key."""
        name: str = ev.value
        if ev.tag is not None:
            self.problem(pos, "yaml-tag", f"tag {_short_tag(ev.tag)} is not allowed on a key; remove it")
            return _SKIP
        if not ev.style and name == "<<":
            self.problem(pos, "yaml-merge-key", "merge keys (<<) are not allowed; write the keys out")
            return _SKIP
        if name in container:
            first = keys.get(name) if keys is not None else None
            where = f" (first defined at line {first[0]})" if first else ""
            self.problem(pos, "yaml-duplicate-key", f"duplicate key {name!r}{where}; remove one of them")
            return _SKIP
        if keys is not None:
            keys[name] = pos
        return name

    def reads_clean(self, text: str) -> bool:
        """`run`, answering only whether `text` is a document with no problem at all."""
        try:
            self.run(text)
        except yaml.YAMLError:
            return False
        return not self.problems

    def run(self, text: str) -> None:
        marks = self.marks
        key_tables = self.key_tables
        track = self.track
        line1 = 1 + self.line_offset
        starts, tops = self.starts, self.tops
        # The open container is held in locals (its value, its path or None while a dropped value
        # is read, whether it is a mapping, the key waiting for its value: None when the next
        # node is a key, or _SKIP, a mapping's key positions, and whether its children's positions
        # are recorded); `stack` saves the enclosing ones.  Below the recorded top, a container's
        # "path" is its nearest recorded ancestor's (never None for a kept value).
        # Locals, not a list per frame, because this loop runs once per event of the bank (300,000
        # for 10,000 questions).
        stack: list[tuple[Any, PathKey | None, bool, Any, Any, bool]] = []
        rec = True  # the root's position is always recorded
        in_frame = False
        container: Any = None
        cpath: PathKey | None = None
        is_map = False
        pending: Any = None
        keys: Any = None  # {key: position} of the open mapping, where its path is kept
        documents = 0
        scalar_cls, map_cls, seq_cls = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        nulls, plain, skip = _NULLS, Plain, _SKIP
        loader = _Loader(text)
        get_event = loader.get_event
        try:
            while True:
                ev = get_event()
                cls = ev.__class__
                if cls is scalar_cls or cls is map_cls or cls is seq_cls:
                    if rec:
                        mark = ev.start_mark
                        pos = (mark.line + line1, mark.column + 1)
                        if not track:
                            tops.append(mark.index)
                    else:
                        pos = _UNRECORDED
                    if ev.anchor is not None:
                        self.problem(
                            pos, "yaml-anchor", f"anchor &{ev.anchor} is not allowed; write values out in full"
                        )
                    if is_map and pending is None:  # this node is a mapping key
                        if cls is scalar_cls:
                            name = ev.value
                            if ev.tag is None and name not in container and (ev.style or name != "<<"):
                                pending = name
                                if keys is not None:
                                    keys[name] = pos
                            else:
                                pending = self._key(container, cpath, keys, ev, pos)
                            continue
                        self.problem(pos, "yaml-complex-key", "keys must be plain text, not a list or mapping")
                        # the value that follows this key is read and dropped
                        stack.append((container, cpath, is_map, skip, keys, rec))
                        container, cpath, is_map, pending = ({} if cls is map_cls else []), None, cls is map_cls, None
                        keys = None
                        continue
                    value: Any
                    if cls is scalar_cls:
                        if ev.tag is not None:
                            self.problem(
                                pos,
                                "yaml-tag",
                                f"tag {_short_tag(ev.tag)} is not allowed; remove it "
                                "(a value is text unless its field takes a number or true/false)",
                            )
                        value = ev.value
                        if not ev.style:
                            value = None if value in nulls else plain(value)
                    else:
                        if ev.tag is not None:
                            self.problem(pos, "yaml-tag", f"tag {_short_tag(ev.tag)} is not allowed; remove it")
                        if len(stack) + in_frame >= MAX_DEPTH:
                            self.problem(
                                pos,
                                "yaml-too-deep",
                                _TOO_DEEP,
                            )
                            return
                        value = {} if cls is map_cls else []
                    # place the value where the parser is
                    path: PathKey | None
                    if not in_frame:
                        self.root = value
                        path = self.root_path
                    elif is_map:
                        if pending is skip or cpath is None:
                            path = None
                        else:
                            container[pending] = value
                            path = (*cpath, pending) if rec else cpath
                        pending = None
                    else:
                        container.append(value)
                        path = None if cpath is None else (*cpath, len(container) - 1) if rec else cpath
                    if rec and path is not None:
                        marks[path] = pos
                        if not track and cls is not scalar_cls:
                            starts[path] = mark.index
                    if cls is not scalar_cls:
                        if in_frame:
                            stack.append((container, cpath, is_map, pending, keys, rec))
                        rec = rec and (track or len(path or ()) < 2)  # `path or ()`: a dropped value's children
                        container, cpath, is_map, pending, in_frame = value, path, cls is map_cls, None, True
                        keys = None
                        if rec and path is not None and cls is map_cls:
                            keys = {}
                            key_tables.append((path, keys))
                elif cls is map_end or cls is seq_end:
                    if stack:
                        container, cpath, is_map, pending, keys, rec = stack.pop()
                    else:
                        container, cpath, is_map, pending, in_frame, keys = None, None, False, None, False, None
                        rec = True
                elif cls is yaml.AliasEvent:
                    mark = ev.start_mark
                    pos = (mark.line + 1, mark.column + 1)
                    self.problem(pos, "yaml-alias", f"alias *{ev.anchor} is not allowed; write the value out in full")
                    if in_frame:
                        if is_map and pending is None:
                            pending = skip
                        elif is_map:
                            pending = None
                        else:
                            container.append(None)
                elif cls is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        mark = ev.start_mark
                        self.problem(
                            (mark.line + 1, mark.column + 1),
                            "yaml-multiple-documents",
                            "the file holds more than one YAML document; keep one bank per file "
                            "(remove this --- and what follows, or move it to its own file)",
                        )
                        return
                elif cls is yaml.StreamEndEvent:
                    return
        finally:
            loader.dispose()


def load_text(text: str, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse and convert one YAML document; every problem found is returned.

    A clean file is read once, recording only the top of its positions (see `Positions`); a file
    with a problem is read again recording them all, so that each problem says where it is.
    """
    builder = _Builder(path, track=False)
    if not builder.reads_clean(text):
        builder = _Builder(path)
        try:
            builder.run(text)
        except yaml.YAMLError as exc:
            return None, [*builder.problems, _syntax_error(exc, text, path)]
    if builder.problems:
        return None, builder.problems
    if builder.root is None:
        return None, [
            _diag(path, 1, 1, "file-empty", "file is empty; a bank needs at least format, id, title, reading")
        ]
    return Document(path, builder.root, Positions(text, path, builder)), []


def load_file(
    path: Path, display: str | None = None, max_bytes: int | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    shown = display if display is not None else str(path)
    text, problems = read_text(path, shown, max_bytes)
    if text is None:
        return None, problems
    return load_text(text, shown)

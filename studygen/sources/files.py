"""Reading one input file safely: regular files only, never more than a limit.

Banks, course files, manifests, response sheets and stats files all come from
users; `stat()` sizes lie for devices (`/dev/zero` says 0 bytes and never
ends) and a FIFO blocks forever, so every reader goes through `read_bounded`.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

_UNITS = {"": 1, "b": 1, "kb": 1000, "kib": 1024, "mb": 1000**2, "mib": 1024**2, "gb": 1000**3, "gib": 1024**3}
SIZE_PATTERN = r"^\s*[0-9]+(\.[0-9]+)?\s*([KMG]i?B|[kmg]i?b|B|b)?\s*$"


def parse_size(text: str) -> int:
    """`32MiB`, `40 MB`, `8388608` → bytes; ValueError with a hint for anything else."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", text)
    unit = m.group(2).lower() if m else ""
    if not m or unit not in _UNITS:
        raise ValueError(f"{text!r} is not a size; write e.g. 32MiB, 40MB or a number of bytes")
    return int(float(m.group(1)) * _UNITS[unit])


def format_size(n: int) -> str:
    """Bytes for people: `8.4 MiB`, `512 KiB`, `900 bytes`."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} bytes"


class FileProblem(Exception):
    """Why a file cannot be read; `kind` lets each caller word it for its own users."""

    def __init__(self, kind: str, reason: str, size: int = 0) -> None:
        super().__init__(reason)
        self.kind = kind  # "missing", "directory", "special", "too-large" or "unreadable"
        self.reason = reason
        self.size = size


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, or a `FileProblem`; reads at most `max_bytes + 1` bytes whatever stat() says."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileProblem("missing", "no such file") from None
    except OSError as exc:
        raise FileProblem("unreadable", f"cannot read file: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem("directory", "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem("special", "is not a regular file (a device or pipe?)")
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except IsADirectoryError:
        raise FileProblem("directory", "is a directory, not a file") from None
    except FileNotFoundError:
        raise FileProblem("missing", "no such file") from None
    except OSError as exc:
        raise FileProblem("unreadable", f"cannot read file: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        size = max(info.st_size, len(raw))
        raise FileProblem("too-large", f"file is {size} bytes; the limit is {max_bytes} bytes", size)
    return raw


class TextProblem(Exception):
    """Why bytes are not UTF-8 text: `kind` is "utf16", "not-utf8" (at `line`:`col`, byte `byte`) or "nul"."""

    def __init__(self, kind: str, line: int = 0, col: int = 0, byte: int = 0) -> None:
        super().__init__(kind)
        self.kind, self.line, self.col, self.byte = kind, line, col, byte


def utf8_text(raw: bytes) -> str:
    """A spreadsheet's CSV as text: UTF-8 with or without a byte-order mark, or a `TextProblem`.

    Shared by every CSV reader (response sheets, rosters) so they refuse the same files;
    each words the problem for its own users.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TextProblem("utf16")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        raise TextProblem("not-utf8", line, exc.start - (before.rfind(b"\n") + 1) + 1, raw[exc.start]) from None
    if "\x00" in text:
        raise TextProblem("nul")
    return text


def csv_delimiter(text: str) -> str:
    """Comma, unless the header line has none and uses semicolons or tabs (spreadsheets in many locales)."""
    header = text.lstrip("\r\n").split("\n", 1)[0]
    if "," not in header:
        for d in (";", "\t"):
            if d in header:
                return d
    return ","

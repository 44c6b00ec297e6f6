"""Reading one input file safely: regular files only, never more than a limit.

Banks, course files, manifests, response sheets and stats files all come from
users; `stat()` sizes lie for devices (`/dev/zero` says 0 bytes and never
ends) and a FIFO blocks forever, so every reader goes through `read_bounded`.
"""

from __future__ import annotations

import stat
from pathlib import Path


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

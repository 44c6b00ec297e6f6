"""The one place that writes files: gather everything first, then write atomically.

Renderers return bytes; the writer refuses to write one path twice (two
targets fighting over a file is a bug) and replaces each file in a single
`os.replace`, so a failed or interrupted run never leaves a half-written
quiz or key behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from studygen.errors import StudygenError


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers see either the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class Writer:
    """Collects output files in memory, then writes them all in `commit`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.files: dict[str, bytes] = {}

    def add(self, relpath: str, data: bytes | str) -> None:
        rel = Path(relpath)
        if rel.is_absolute() or ".." in rel.parts:
            raise StudygenError(f"refusing to write outside the output folder: {relpath}")
        key = rel.as_posix()
        if key in self.files:
            raise StudygenError(f"two outputs want the same file: {key}")
        self.files[key] = data.encode("utf-8") if isinstance(data, str) else data

    def commit(self) -> list[Path]:
        """Write every gathered file; returns their paths in a stable order."""
        written = []
        try:
            for key in sorted(self.files):
                path = self.root / key
                write_atomic(path, self.files[key])
                written.append(path)
        except OSError as exc:
            raise StudygenError(f"cannot write {exc.filename or self.root}: {exc.strerror or exc}") from exc
        return written

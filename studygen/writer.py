"""The one place that writes files: gather everything first, then write atomically.

Renderers return bytes; the writer refuses to write one path twice (two
targets fighting over a file is a bug) and replaces each file in a single
`os.replace`, so a failed or interrupted run never leaves a half-written
quiz or key behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from studygen.errors import StudygenError


def _write_temp(path: Path, data: bytes, sync: bool) -> str:
    """Write `data` to a temporary file beside `path`; the caller renames it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if sync:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        _discard([tmp])
        raise
    return tmp


def _discard(temps: list[str]) -> None:
    for tmp in temps:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers see either the old file or the whole new one."""
    tmp = _write_temp(path, data, sync=True)
    try:
        os.replace(tmp, path)
    except BaseException:
        _discard([tmp])
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
        """Write every gathered file; returns their paths in a stable order.

        All files are first written to temporaries beside their targets and
        flushed to disk with one `os.sync()` (one fsync per file dominated large
        builds); only then is each renamed into place.  If any write fails, the
        temporaries are removed and no existing file has been touched.  A failure
        during the renames (rare: same folder, same file system) leaves every file
        whole, but the earlier ones already replaced.
        """
        keys = sorted(self.files)
        paths = [self.root / key for key in keys]
        temps: list[str] = []
        try:
            for path, key in zip(paths, keys, strict=True):
                temps.append(_write_temp(path, self.files[key], sync=False))
            os.sync()
            for tmp, path in zip(temps, paths, strict=True):
                os.replace(tmp, path)
        except OSError as exc:
            _discard(temps)
            raise StudygenError(f"cannot write {exc.filename or self.root}: {exc.strerror or exc}") from exc
        except BaseException:
            _discard(temps)
            raise
        return paths

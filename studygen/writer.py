"""The one place that writes files: a build replaces its output folder whole, or not at all.

A quiz, its key and its manifest must always belong together: a folder where
some files are from one build and some from another gets a class graded
wrong, silently.  So a build folder is never updated file by file:

1. `Writer(root)` first refuses a `root` holding anything studygen did not
   write (no marker, or files the marker does not list: `--out ~` by mistake
   must not be wiped), takes a lock, and cleans what a killed earlier run left
   beside it.
2. `add` streams each file into a hidden staging folder beside `root`
   (`.NAME.studygen-staging-PID`), so memory stays flat however many versions
   a build has.  Nothing a user would take for a document is ever visible.
3. `commit` writes the marker (`.studygen-build.json`, every file this build
   wrote), flushes the file system, and swaps the staging folder with `root`
   in one `renameat2(RENAME_EXCHANGE)` (Linux ≥ 3.15; a plain rename on the
   first build).  Then the old tree, now under the hidden name, is deleted —
   only the files its marker lists.

At every instant, and after `kill -9` at any moment, `root` is entirely the
previous build or entirely the new one.  Where the OS or file system cannot
exchange two folders (not Linux, or EINVAL from the file system), the swap is
two renames with a short gap in which `root` is missing; the next run puts the
previous build back if it finds that gap, so even then a reader never sees a
mixture.

`FileBatch` is the small sibling for commands that write a few files into a
folder shared with the user's own files (`studygen grade` writes beside the
responses sheet): each file is replaced atomically, nothing else is touched.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import overload

from studygen.errors import StudygenError

MARKER = ".studygen-build.json"
_KINDS = ("staging", "old")
# How many foreign files a refusal names: enough to recognise the folder, few enough to read.
_SHOWN = 5
# Test hook: `STUDYGEN_TEST_PAUSE=point[,point]` announces `studygen-test-pause POINT` on stderr
# and sleeps there, so the kill test can SIGKILL a build at an exact moment of the commit.
PAUSE_ENV = "STUDYGEN_TEST_PAUSE"
PAUSE_POINTS = ("file", "commit", "swap", "gap", "swapped", "delete")


class ForeignFiles(StudygenError):
    """The output folder holds files studygen did not write; it is left exactly as it is."""

    exit_code = 2


def _pause(point: str) -> None:
    wanted = os.environ.get(PAUSE_ENV)
    if wanted and point in wanted.split(","):
        print(f"studygen-test-pause {point}", file=sys.stderr, flush=True)
        time.sleep(60)


def _check_relpath(relpath: str) -> str:
    rel = Path(relpath)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise StudygenError(f"refusing to write outside the output folder: {relpath}")
    key = rel.as_posix()
    if key == MARKER:
        raise StudygenError(f"{MARKER} is studygen's own record of a build; no document may use that name")
    return key


# -- swapping two folders ------------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


def _renameat2() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.renameat2
    except (OSError, AttributeError):  # glibc < 2.28 or another libc without the wrapper
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_RENAMEAT2 = _renameat2()


def _rename2(src: Path, dst: Path, flags: int) -> bool:
    """renameat2(src, dst, flags); False where the OS or file system does not offer it."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(_AT_FDCWD, os.fsencode(src), _AT_FDCWD, os.fsencode(dst), flags) == 0:  # type: ignore[operator]
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(dst))


def exchange(a: Path, b: Path, spare: Path) -> None:
    """Swap folders `a` and `b` atomically; without RENAME_EXCHANGE, via `spare` (see module doc)."""
    if _rename2(a, b, _RENAME_EXCHANGE):
        return
    os.rename(b, spare)
    _pause("gap")
    os.rename(a, b)
    os.rename(spare, a)


def move_new(src: Path, dst: Path) -> None:
    """Rename `src` to `dst`, never replacing a `dst` that appeared meanwhile."""
    if _rename2(src, dst, _RENAME_NOREPLACE):
        return
    if dst.exists() or dst.is_symlink():
        raise FileExistsError(errno.EEXIST, "appeared while the build ran", str(dst))
    os.rename(src, dst)


def _sync(folder: Path) -> None:
    """Flush the file system holding `folder` (syncfs: one call, not one fsync per file)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        syncfs = (
            getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None) if sys.platform.startswith("linux") else None
        )
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- what studygen wrote ---------------------------------------------------------------------------


def read_marker(folder: Path) -> dict[str, object] | None:
    """The marker of a folder studygen built, or None (no marker, or not one studygen wrote)."""
    try:
        with (folder / MARKER).open("rb") as fh:
            data = json.loads(fh.read(64 * 1024 * 1024))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("studygen") != 1:
        return None
    return data


def _listed(marker: dict[str, object]) -> set[str]:
    files = marker.get("files")
    if not isinstance(files, list):
        return set()
    ok = set()
    for name in files:
        if isinstance(name, str) and name and not name.startswith("/") and ".." not in name.split("/"):
            ok.add(name)
    return ok


def foreign_entries(root: Path) -> list[str]:
    """Files and folders under `root` that no studygen build wrote ([] if `root` is ours or empty)."""
    if not root.is_dir() or root.is_symlink():
        return []
    marker = read_marker(root)
    listed = _listed(marker) if marker else set()
    needed_dirs = {str(Path(n).parent.as_posix()) for n in listed}
    needed_dirs |= {p.as_posix() for n in listed for p in Path(n).parents}
    foreign: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath).relative_to(root)
        for name in sorted(dirnames):
            rel = (base / name).as_posix()
            if (Path(dirpath) / name).is_symlink():
                if rel not in listed:
                    foreign.append(rel)
            elif rel not in needed_dirs:
                foreign.append(rel + "/")
        dirnames[:] = sorted(d for d in dirnames if (base / d).as_posix() in needed_dirs)
        for name in sorted(filenames):
            rel = (base / name).as_posix()
            if rel == MARKER and base == Path("."):
                continue
            if rel not in listed:
                foreign.append(rel)
    return foreign


def _inside(tree: Path, path: Path) -> bool:
    """True if `path`'s folder is really inside `tree` (no symlinked folder leads elsewhere)."""
    return Path(os.path.realpath(path.parent)).is_relative_to(os.path.realpath(tree))


def delete_build(tree: Path) -> list[str]:
    """Delete a studygen-built folder: only the files its marker lists, marker last; returns what stays."""
    marker = read_marker(tree)
    if marker is None:
        with contextlib.suppress(OSError):
            tree.rmdir()  # an empty folder (a first build replaced an empty --out)
        return foreign_entries(tree) if tree.exists() else []
    for name in sorted(_listed(marker)):
        path = tree / name
        if _inside(tree, path):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, NotADirectoryError):
                path.unlink()
        _pause("delete")
    for dirpath, _, _ in sorted(os.walk(tree), key=lambda entry: -len(Path(entry[0]).parts)):
        if Path(dirpath) != tree:
            with contextlib.suppress(OSError):
                os.rmdir(dirpath)
    left = foreign_entries(tree)
    if not left:
        (tree / MARKER).unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            tree.rmdir()
    return left


def _hidden(root: Path, kind: str, pid: int) -> Path:
    return root.parent / f".{root.name}.studygen-{kind}-{pid}"


def _leftovers(root: Path) -> Iterator[tuple[str, Path]]:
    pattern = re.compile(rf"^\.{re.escape(root.name)}\.studygen-({'|'.join(_KINDS)})-\d+$")
    with contextlib.suppress(OSError):
        for entry in sorted(root.parent.iterdir()):
            m = pattern.match(entry.name)
            if m and entry.is_dir() and not entry.is_symlink():
                yield m.group(1), entry


# -- the build writer ------------------------------------------------------------------------------


class Written(Sequence[Path]):
    """The paths a build wrote, made when asked (40,000 `Path` objects would cost more than the build's text)."""

    def __init__(self, root: Path, keys: Sequence[str]) -> None:
        self._root = root
        self._keys = tuple(keys)

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...

    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        if isinstance(index, slice):
            return [self._root / k for k in self._keys[index]]
        return self._root / self._keys[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


class Writer:
    """Streams a build into a hidden staging folder; `commit` swaps it in whole.

    Use it as a context manager: leaving the block without `commit` (an
    error, Ctrl-C) removes the staging folder and leaves `root` untouched.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(os.path.realpath(root))
        if self.root.parent == self.root:
            raise StudygenError(f"{root}: cannot write a build over the file system root; choose a folder")
        self._lock_fd: int | None = None
        self._keys: set[str] = set()
        self._staging: Path | None = None
        self._done = False
        try:
            self.root.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StudygenError(f"cannot create {self.root.parent}: {exc.strerror or exc}") from exc
        self._lock()
        try:
            self._clean_leftovers()
            self._refuse_foreign()
        except BaseException:
            self._unlock()
            raise

    # -- set-up ------------------------------------------------------------------------------

    def _lock(self) -> None:
        """One writer per output folder at a time (the lock is on the parent folder, released at exit)."""
        import fcntl

        try:
            fd = os.open(self.root.parent, os.O_RDONLY)
        except OSError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StudygenError(
                f"another studygen run is writing into {self.root.parent} right now; wait for it to finish"
            ) from None
        except OSError:
            os.close(fd)
            return
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def _clean_leftovers(self) -> None:
        """Finish what a killed run left beside `root` (we hold the lock, so nobody else is writing)."""
        found = list(_leftovers(self.root))
        if not self.root.exists():
            # The two-rename fallback was killed between its renames: put the previous build back.
            previous = [p for kind, p in found if kind == "old" and read_marker(p) is not None]
            if previous:
                os.rename(previous[0], self.root)
                found = [(k, p) for k, p in found if p != previous[0]]
        for _, path in found:
            marker = read_marker(path)
            if marker is not None and marker.get("state") == "staging":
                shutil.rmtree(path, ignore_errors=True)  # every file in it came from that run's `add`
            else:
                delete_build(path)

    def _refuse_foreign(self) -> None:
        if (self.root.exists() or self.root.is_symlink()) and not self.root.is_dir():
            raise ForeignFiles(
                f"{self.root} is a file, not a folder; give a folder for the output. Nothing was changed."
            )
        foreign = foreign_entries(self.root)
        if not foreign:
            return
        nested = [f.rstrip("/") for f in foreign if f.endswith("/") and read_marker(self.root / f) is not None]
        shown = ", ".join(foreign[:_SHOWN]) + (f" and {len(foreign) - _SHOWN} more" if len(foreign) > _SHOWN else "")
        hint = (
            f" ({', '.join(nested)} is another studygen output: give one of them another --out)"
            if nested
            else " (if this is a build from a studygen older than its marker file, delete the folder once)"
            if read_marker(self.root) is None
            else ""
        )
        raise ForeignFiles(
            f"{self.root} holds {len(foreign)} file(s) studygen did not write: {shown}{hint}. studygen replaces "
            "its output folder as a whole and never deletes what it did not write; choose a new or empty folder "
            "(--out) or move those files away. Nothing was changed."
        )

    # -- adding files ------------------------------------------------------------------------

    def _stage(self) -> Path:
        if self._done:
            raise StudygenError("this build was already committed")
        if self._staging is None:
            staging = _hidden(self.root, "staging", os.getpid())
            if staging.exists():
                shutil.rmtree(staging)
            staging.mkdir()
            (staging / MARKER).write_text(json.dumps({"studygen": 1, "state": "staging"}), encoding="utf-8")
            self._staging = staging
        return self._staging

    def _open(self, relpath: str) -> tuple[str, Path]:
        key = _check_relpath(relpath)
        if key in self._keys:
            raise StudygenError(f"two outputs want the same file: {key}")
        path = self._stage() / key
        path.parent.mkdir(parents=True, exist_ok=True)
        self._keys.add(key)
        return key, path

    def staging(self) -> Path:
        """The hidden folder this build stages into, for worker processes that write there themselves."""
        return self._stage()

    def adopt(self, relpath: str) -> None:
        """Count a file a worker already wrote into `staging()` (with `write_staged`) as part of the build."""
        key = _check_relpath(relpath)
        if key in self._keys:
            raise StudygenError(f"two outputs want the same file: {key}")
        if not (self._stage() / key).is_file():
            raise StudygenError(f"internal error: {key} was not staged")
        self._keys.add(key)

    def add(self, relpath: str, data: bytes | str) -> None:
        """Write one file of the build (into staging: nothing is visible until `commit`)."""
        self.add_chunks(relpath, (data,))

    def add_chunks(self, relpath: str, chunks: Iterable[bytes | str]) -> None:
        """Like `add`, for a file produced piece by piece (a 10,000-version manifest is never one string)."""
        key, path = self._open(relpath)
        try:
            with path.open("xb") as fh:
                for chunk in chunks:
                    fh.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        except OSError as exc:
            raise StudygenError(f"cannot write {self.root / key}: {exc.strerror or exc}") from exc
        _pause("file")

    # -- commit / abort ----------------------------------------------------------------------

    def commit(self) -> Written:
        """Swap the staged build in as `root`; returns the written files' paths in a stable order."""
        staging = self._stage()
        keys = sorted(self._keys)
        try:
            marker = {"studygen": 1, "state": "complete", "files": keys}
            (staging / MARKER).write_text(json.dumps(marker, indent=0) + "\n", encoding="utf-8")
            _pause("commit")
            _sync(staging)
            self._refuse_foreign()  # someone may have put files into root while we rendered
            _pause("swap")
            if self.root.exists() or self.root.is_symlink():
                exchange(staging, self.root, _hidden(self.root, "old", os.getpid()))
            else:
                move_new(staging, self.root)
            _fsync_dir(self.root.parent)
        except OSError as exc:
            self.abort()
            raise StudygenError(f"cannot write {exc.filename or self.root}: {exc.strerror or exc}") from exc
        except BaseException:
            self.abort()
            raise
        self._done = True
        _pause("swapped")
        try:
            if staging.exists():
                left = delete_build(staging)  # the previous build, now under the hidden name
                if left:
                    print(
                        f"studygen: warning: kept {len(left)} file(s) that appeared in {self.root} during the build "
                        f"in {staging} (studygen did not write them)",
                        file=sys.stderr,
                    )
        finally:
            self._staging = None
            self._unlock()
        return Written(self.root, keys)

    def abort(self) -> None:
        """Forget the staged files; `root` stays as it was."""
        if self._staging is not None and not self._done:
            shutil.rmtree(self._staging, ignore_errors=True)
        self._staging = None
        self._done = True
        self._unlock()

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if not self._done:
            self.abort()


def die_with_parent() -> None:
    """In a worker process: be killed when the parent dies (Linux), so a `kill -9` stops the whole build.

    An orphaned worker would keep writing into a staging folder the next run is
    cleaning, and keep the output folder's lock (an inherited descriptor) held.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)


def write_staged(staging: Path, relpath: str, data: bytes | Iterable[bytes]) -> None:
    """A worker process's half of `Writer.adopt`: write one file straight into the staging folder.

    Rendered documents then never travel back to the parent through a pipe, so
    the parent's memory does not depend on how far the workers are ahead of it.
    `data` may come in pieces (a generator), each written as it is made, so a
    document as large as a 10,000-version manifest never exists as one block.
    """
    key = _check_relpath(relpath)
    path = staging / key
    if not staging.is_dir():  # the parent was killed and the next run cleaned up: stop, never recreate it
        raise StudygenError(f"the staging folder {staging} is gone; the build was stopped")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as fh:
            if isinstance(data, bytes | bytearray):
                fh.write(data)
            else:
                for chunk in data:
                    fh.write(chunk)
    except FileExistsError:
        raise StudygenError(f"two outputs want the same file: {key}") from None
    except OSError as exc:
        raise StudygenError(f"cannot write {key}: {exc.strerror or exc}") from exc
    _pause("file")


# -- single files ------------------------------------------------------------------------------


def _write_temp(path: Path, data: bytes, sync: bool) -> str:
    """Write `data` to a hidden temporary file beside `path`; the caller renames it into place."""
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


class FileBatch:
    """A few files for a folder the user shares with studygen: each replaced atomically, nothing else touched.

    All files are written to hidden temporaries first (one file-system flush),
    so a failed write replaces none of them.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.files: dict[str, bytes] = {}

    def add(self, relpath: str, data: bytes | str) -> None:
        key = _check_relpath(relpath)
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

"""`studygen serve`: a local preview that rebuilds when a bank, a reading or the course file is saved.

Like `mkdocs serve`, but for curating a bank: the page shows the check's diagnostics first, the
reading shaded by how much of it the bank quotes, and every question with its key.  It binds to
127.0.0.1 only, answers only requests addressed to that host (a web page elsewhere cannot read it
through DNS rebinding), and the page it serves may talk to nothing but its own origin (a
Content-Security-Policy says so to the browser).

A save can leave a file half-edited: whatever fails to load is reported on the page and in the
terminal, and the rest still previews.  No exception ends the server; Ctrl-C does.
File watching is watchfiles' (inotify on Linux, a well-kept library): polling every bank and
reading by hand would either lag or burn a core.
"""

from __future__ import annotations

import errno
import json
import re
import sys
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import parse_qs, urlsplit

from studygen.course import Course
from studygen.errors import Diagnostic, Severity, StudygenError
from studygen.model import Bank
from studygen.passages import normalize_passage
from studygen.preview import Unloaded, build_preview, plain_paragraphs
from studygen.versions import Item

WATCHED_SUFFIXES = (".yaml", ".yml", ".txt", ".md", ".json")
_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'"
)


@dataclass
class Loaded:
    course: Course
    banks: list[Bank] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    unloaded: list[Unloaded] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


_READING_TEXT_LINE = re.compile(
    r"^reading:[ \t]*\n(?:[ \t]+.*\n)*?[ \t]+text:[ \t]*[\"']?([^\"'\n#]+?)[\"']?[ \t]*(?:#.*)?$", re.M
)


def _reading_of_broken_bank(path: Path) -> str | None:
    """The reading text a bank names, even when the bank itself does not load (best effort).

    A bank that is not YAML at the moment (a save mid-edit) still has its `text:` line under
    `reading:`; showing the reading keeps the curator's place while they fix the file.
    """
    from studygen.sources.banks import _outside_project
    from studygen.sources.yamlload import load_file, read_text

    doc, _ = load_file(path, str(path))
    data: Any = doc.data if doc is not None else None
    reading = data.get("reading") if isinstance(data, dict) else None
    rel = reading.get("text") if isinstance(reading, dict) else None
    if rel is None and doc is None:
        try:
            m = _READING_TEXT_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            return None
        rel = m.group(1) if m else None
    if not isinstance(rel, str) or _outside_project(path, rel):
        return None
    text, _ = read_text(path.parent / rel, rel)
    return text


def load_project(config: Path) -> Loaded:
    """Course, banks and every diagnostic, collecting problems instead of stopping at the first."""
    from studygen.check import run_checks
    from studygen.sources.banks import discover, load_bank
    from studygen.sources.coursefile import load_course

    root = config.resolve().parent if config.exists() else Path.cwd()
    loaded = Loaded(Course(root=root, title=f"{root.name} (no course file)"))
    bank_paths: Iterable[str | Path] = [root / "question_banks"]
    if config.exists():
        try:
            loaded.course = load_course(config)
            bank_paths = loaded.course.banks
        except StudygenError as exc:
            loaded.diagnostics.extend(exc.diagnostics)
            loaded.problems.append(f"{exc.message} (previewing the banks in question_banks/ meanwhile)")
    else:
        loaded.problems.append(f"no course file {config}: previewing the banks in question_banks/")
    files, problems = discover(list(bank_paths))
    loaded.diagnostics.extend(problems)
    for path in files:
        bank, problems = load_bank(path)
        loaded.diagnostics.extend(problems)
        if bank is not None:
            loaded.banks.append(bank)
        else:
            text = _reading_of_broken_bank(path)
            loaded.unloaded.append(Unloaded(str(path), plain_paragraphs(text) if text else ()))
    if loaded.banks:
        loaded.diagnostics.extend(run_checks(loaded.banks))
    return loaded


def _student_view(banks: Iterable[Bank], course: Course) -> dict[str, list[Item]]:
    """Each bank's questions as one version shows them (seeded, so a rebuild does not reshuffle)."""
    import random

    from studygen.select import make_version

    tf = (course.label("true"), course.label("false"))
    return {
        b.id: list(make_version("A", [(b, q) for q in b.questions], random.Random(0), true_false=tf).items)
        for b in banks
    }


class Preview:
    """The current page, rebuilt on demand; thread-safe for the request handlers."""

    def __init__(self, config: Path, editor: str, log: TextIO) -> None:
        self.config = config
        self.editor = editor
        self.log = log
        self.version = 0
        self.page = b""
        self.readings: dict[str, str] = {}  # bank id -> normalised reading text, for /verify
        self.output = preview_root(config) / "output"  # the course's output folder: never watched
        self.lock = threading.Lock()

    def rebuild(self, reason: str = "") -> None:
        from studygen.check.report import render
        from studygen.targets.html.preview import render_preview_html

        try:
            loaded = load_project(self.config)
            course = loaded.course
            preview = build_preview(
                loaded.banks,
                loaded.diagnostics,
                loaded.unloaded,
                loaded.problems,
                items=_student_view(loaded.banks, course),
            )
            with self.lock:
                version = self.version + 1
            page = render_preview_html(course, preview, version=version, watched=str(course.root), editor=self.editor)
            readings = {b.id: normalize_passage(b.reading.text) for b in loaded.banks}
            self.output = course.output
        except Exception as exc:  # never let one bad save end the preview
            with self.lock:
                version = self.version + 1
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            page = _error_page(version, detail)
            readings = {}
            print(f"studygen serve: could not build the preview: {detail}", file=self.log)
        else:
            errors = [d for d in preview.diagnostics if d.severity is Severity.ERROR]
            warnings = [d for d in preview.diagnostics if d.severity is Severity.WARNING]
            if preview.diagnostics:
                self.log.write(render(list(preview.diagnostics), "text"))
            for problem in preview.problems:
                print(f"studygen serve: {problem}", file=self.log)
            print(
                f"studygen serve: {'rebuilt after ' + reason if reason else 'built'}: {len(preview.banks)} bank(s), "
                f"{len(errors) + len(preview.problems)} error(s), {len(warnings)} warning(s)",
                file=self.log,
            )
        with self.lock:
            self.version, self.page, self.readings = version, page, readings

    def verify(self, bank: str, quote: str) -> bool:
        with self.lock:
            text = self.readings.get(bank)
        needle = normalize_passage(quote)
        return bool(text and needle and needle in text)


def _error_page(version: int, detail: str) -> bytes:
    from html import escape

    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>studygen preview: error</title></head>"
        f'<body><main id="app" data-version="{version}"><h1>The preview could not be built</h1>'
        f"<pre>{escape(detail)}</pre><p>Fix the file and save again; this page updates by itself.</p></main>"
        "<script>setInterval(function(){fetch('/version').then(function(r){return r.json()})"
        f".then(function(j){{if(j.version!=={version})location.reload()}}).catch(function(){{}})}},500)</script>"
        "</body></html>"
    ).encode()


def _handler(preview: Preview, allowed_hosts: set[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "studygen-serve"

        def log_message(self, format: str, *args: Any) -> None:
            return  # the terminal shows rebuilds and diagnostics, not every poll

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Security-Policy", _CSP)
            self.send_header("Referrer-Policy", "no-referrer")
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.headers.get("Host", "") not in allowed_hosts:
                self._send(403, b"studygen serve answers only requests to 127.0.0.1\n", "text/plain; charset=utf-8")
                return
            url = urlsplit(self.path)
            if url.path == "/":
                with preview.lock:
                    page = preview.page
                self._send(200, page, "text/html; charset=utf-8")
            elif url.path == "/version":
                with preview.lock:
                    version = preview.version
                self._send(200, json.dumps({"version": version}).encode(), "application/json")
            elif url.path == "/verify":
                query = parse_qs(url.query)
                ok = preview.verify(query.get("bank", [""])[0], query.get("q", [""])[0])
                self._send(200, json.dumps({"verbatim": ok}).encode(), "application/json")
            else:
                self._send(404, b"not found\n", "text/plain; charset=utf-8")

    return Handler


def _watch(root: Path, output: Path, stop: threading.Event, on_change: Any, log: TextIO) -> None:
    try:
        import watchfiles
    except ImportError:  # pragma: no cover - a dependency of the package; reinstall fixes it
        print("studygen serve: watchfiles is not installed (pip install -e .); the page will not update", file=log)
        return
    out = output.resolve()

    def wanted(change: watchfiles.Change, path: str) -> bool:
        p = Path(path)
        if not p.name.endswith(WATCHED_SUFFIXES) or p.name.startswith("."):
            return False
        return out not in p.resolve().parents

    try:
        for changes in watchfiles.watch(
            root,
            watch_filter=lambda change, path: watchfiles.DefaultFilter()(change, path) and wanted(change, path),
            debounce=150,
            step=50,
            stop_event=stop,
            raise_interrupt=False,
        ):
            names = sorted({Path(p).name for _, p in changes})
            on_change(", ".join(names[:3]) + (" ..." if len(names) > 3 else ""))
    except Exception as exc:  # pragma: no cover - the watcher itself failing (inotify limits)
        print(f"studygen serve: stopped watching files ({exc}); restart to resume live updates", file=log)


def serve(config: Path, port: int, editor: str = "", log: TextIO | None = None) -> int:
    """Serve the preview on 127.0.0.1:`port` until Ctrl-C; returns the exit status."""
    log = log or sys.stderr
    preview = Preview(config, editor, log)
    try:
        httpd = ThreadingHTTPServer(("127.0.0.1", port), BaseHTTPRequestHandler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise StudygenError(
                f"port {port} on 127.0.0.1 is already in use (another `studygen serve`?); choose one with --port N"
            ) from None
        raise StudygenError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}") from None
    actual = httpd.server_address[1]
    httpd.RequestHandlerClass = _handler(preview, {f"127.0.0.1:{actual}", f"localhost:{actual}"})
    httpd.daemon_threads = True
    preview.rebuild()
    stop = threading.Event()
    watcher = threading.Thread(
        target=_watch, args=(preview_root(config), preview.output, stop, preview.rebuild, log), daemon=True
    )
    watcher.start()
    print(f"studygen serve: previewing on http://127.0.0.1:{actual}/ (Ctrl-C stops)", file=log, flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        print("studygen serve: stopped", file=log)
    finally:
        stop.set()
        httpd.server_close()
        watcher.join(timeout=2)
    return 0


def preview_root(config: Path) -> Path:
    return config.resolve().parent if config.exists() else Path.cwd()

"""One real Chromium (Debian's, never a download) for every browser test, plus page helpers.

Where the browser or axe-core is missing the tests skip with the reason, except
in CI (STUDYGEN_REQUIRE_BROWSER=1), where a missing browser is a failure: a
green CI run must mean the page really was exercised.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from selftest_driving import Watched, open_watched

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("STUDYGEN_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
FIXTURES = REPO / "tests" / "fixtures" / "selftest"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str) -> None:
    if os.environ.get("STUDYGEN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (STUDYGEN_REQUIRE_BROWSER=1: browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


class _SharedBrowser:
    """One Chromium for a whole run of consecutive browser tests.

    It is closed as soon as the run leaves tests/browser (see the hook below):
    a sync Playwright left running would make any later test that starts its
    own `sync_playwright()` fail with "Sync API inside the asyncio loop".
    """

    def __init__(self) -> None:
        self.playwright: Any = None
        self.browser: Any = None

    def get(self) -> Any:
        if self.browser is None:
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:
                _unavailable("the Python 'playwright' package is not installed (pip install -e '.[test]')")
            if not CHROMIUM.exists():
                _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
            self.playwright = sync_playwright().start()
            try:
                self.browser = self.playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            except BaseException:
                self.stop()
                raise
        return self.browser

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None


_SHARED = _SharedBrowser()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After the last consecutive test of this folder (its fixtures torn down first), close Chromium."""
    try:
        return (yield)
    finally:
        here = Path(__file__).parent
        if nextitem is None or here not in Path(nextitem.path).parents:
            _SHARED.stop()


@pytest.fixture
def browser() -> Any:
    """The shared Chromium (started on first use; see `_SharedBrowser`)."""
    return _SHARED.get()


@pytest.fixture(scope="session")
def axe_path() -> Path:
    if not AXE.exists():
        _unavailable(f"axe-core is missing at {AXE} (npm install)")
    return AXE


def write_files(folder: Path, files: dict[str, bytes]) -> Path:
    """What the build does with render_selftest's result, without needing the build."""
    for rel, data in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return folder / "index.html"


@pytest.fixture(scope="session")
def selftest_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The self-test of the single-bank fixture, rendered once for the session."""
    from studygen.course import Course
    from studygen.sources.banks import load_banks
    from studygen.targets.selftest import render_selftest

    result = load_banks([FIXTURES / "seoul.yaml"])
    assert result.ok, result.diagnostics
    folder = tmp_path_factory.mktemp("self-test")
    return write_files(folder, render_selftest(Course(root=REPO, title="IR 204: Korea & Russia"), result.banks))


@pytest.fixture(scope="session")
def two_bank_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two readings, one of them hostile through and through."""
    from studygen.course import Course
    from studygen.sources.banks import load_banks
    from studygen.targets.selftest import render_selftest

    result = load_banks([FIXTURES / "seoul.yaml", FIXTURES / "hostile.yaml"])
    assert result.ok, result.diagnostics
    folder = tmp_path_factory.mktemp("self-test-two")
    return write_files(
        folder, render_selftest(Course(root=REPO, title="</title><script>alert(9)</script>"), result.banks)
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[Path], str]]:
    """Serve a folder on 127.0.0.1 ("any static host"): axe reads the page's CSS by XHR,
    which Chromium refuses on file:// pages, so accessibility runs over local HTTP."""
    servers: list[ThreadingHTTPServer] = []

    def start(folder: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh profile per test, so localStorage never leaks between tests."""
    ctx = browser.new_context(viewport={"width": 1000, "height": 900})
    ctx.set_default_timeout(5000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def st(context: Any, selftest_page: Path) -> Iterator[Watched]:
    """The single-bank self-test, checked after the test for errors, requests and stray dialogs."""
    watched = open_watched(context, selftest_page)
    yield watched
    assert watched.errors == [], f"console errors: {watched.errors}"
    assert watched.outside_requests() == [], f"requests outside the self-test folder: {watched.outside_requests()}"
    assert not [d for d in watched.dialogs if not d.startswith("confirm")], f"unexpected dialogs: {watched.dialogs}"

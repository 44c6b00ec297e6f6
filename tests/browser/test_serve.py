"""`studygen serve` in real Chromium: edit a bank, see the diagnostic appear; fix it, see it go.

The server runs as a real subprocess (so Ctrl-C, a busy port and a half-saved file are what a
user would meet), on an ephemeral port of 127.0.0.1; every request the page makes is recorded
and must go to that origin.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
BANK = "question_banks/seoul-moscow.yaml"
# The page polls every 0.5 s and a rebuild of the bundled bank takes well under a second on an idle
# machine; the wait allows for a loaded CI machine (this is a behaviour test, not a timing test).
UPDATE_MS = 15000
GOOD_QUOTE = '"Russia also vetoed a motion to extend the mandate of an expert panel'


@dataclass
class Served:
    proc: subprocess.Popen[str]
    url: str
    root: Path
    log: list[str]

    def edit(self, old: str, new: str) -> None:
        bank = self.root / BANK
        text = bank.read_text(encoding="utf-8")
        assert old in text
        bank.write_text(text.replace(old, new, 1), encoding="utf-8")


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "studygen", "serve", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def _wait_for_url(proc: subprocess.Popen[str], log: list[str]) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        log.append(line)
        m = re.search(r"previewing on (http://127\.0\.0\.1:\d+/)", line)
        if m:
            return m.group(1)
    raise AssertionError("serve did not start: " + "".join(log))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    for folder in ("seeds", "question_banks"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    shutil.copy(REPO / "studygen.yaml", tmp_path / "studygen.yaml")
    proc = _start(tmp_path, "--port", "0")
    log: list[str] = []
    try:
        url = _wait_for_url(proc, log)
        # Keep reading what the server prints, so a full pipe can never block it.
        reader = threading.Thread(target=lambda: log.extend(iter(proc.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
        reader.start()
        yield Served(proc, url, tmp_path, log)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - a hung server fails the test below
                proc.kill()


def _open(context: Any, served: Served) -> tuple[Any, list[str]]:
    requests: list[str] = []
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(served.url)
    return page, requests


def test_a_bad_quote_appears_within_two_seconds_and_goes_when_fixed(context: Any, served: Served) -> None:
    page, requests = _open(context, served)
    diag = page.locator("#diagnostics")
    assert "Check: 0 error(s)" in diag.inner_text()
    served.edit(GOOD_QUOTE, '"Russia also vetoed a motion to prolong the mandate of an expert panel')
    item = page.locator("li.diag", has_text="quote-not-found")
    item.wait_for(timeout=UPDATE_MS)
    text = item.inner_text()
    assert re.search(r"question_banks/seoul-moscow\.yaml:\d+:\d+ error quote-not-found", text), text
    served.edit('"Russia also vetoed a motion to prolong the mandate of an expert panel', GOOD_QUOTE)
    page.locator("text=No problems").wait_for(timeout=UPDATE_MS)
    assert page.locator("li.diag").count() == 0
    assert requests and all(u.startswith(served.url) for u in requests), requests


def test_a_half_saved_file_is_shown_and_the_server_carries_on(context: Any, served: Served) -> None:
    page, _ = _open(context, served)
    served.edit("facts:\n", "facts: [\n")  # a YAML syntax error, as a save mid-edit leaves it
    page.locator("li.diag", has_text="yaml").first.wait_for(timeout=UPDATE_MS)
    unloaded = page.locator("section.unloaded")
    assert "does not load yet" in unloaded.inner_text()
    assert "Chung-in Moon" in unloaded.inner_text()  # its reading still previews
    served.edit("facts: [\n", "facts:\n")
    page.locator("text=No problems").wait_for(timeout=UPDATE_MS)
    assert served.proc.poll() is None


def test_pointing_lists_what_quotes_a_sentence_and_selection_gives_a_fact(context: Any, served: Served) -> None:
    page, requests = _open(context, served)
    sentence = page.locator("#bank-seoul-moscow .reading .s", has_text="Russia also vetoed a motion").first
    sentence.focus()
    panel = page.locator("#bank-seoul-moscow .pointing")
    assert "fact F-sm-veto" in panel.inner_text()
    assert "question" in panel.inner_text()
    # Select a few words exactly as a user drags over them, then release the mouse.
    page.evaluate(
        """() => {
        const s = [...document.querySelectorAll('#bank-seoul-moscow .reading .s')]
          .find(e => e.textContent.includes('Russia also vetoed a motion'));
        const text = s.firstChild; const start = text.data.indexOf('vetoed');
        const range = document.createRange(); range.setStart(text, start); range.setEnd(text, start + 29);
        const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      }"""
    )
    box = page.locator("#bank-seoul-moscow .snippet")
    box.locator(".verbatim", has_text="Verbatim").wait_for(timeout=UPDATE_MS)
    snippet = box.locator("textarea").input_value()
    assert '      - "vetoed a motion to extend the"\n' in snippet
    assert snippet.startswith("  - id: F-seoul-moscow-new")
    assert all(u.startswith(served.url) for u in requests), requests


def test_selection_snippet_escapes_quotes_for_yaml(context: Any, served: Served) -> None:
    page, _ = _open(context, served)
    page.evaluate(
        """() => {
        const s = [...document.querySelectorAll('#bank-seoul-moscow .reading .s')]
          .find(e => e.textContent.includes('blatantly biased'));
        const text = s.firstChild; const start = text.data.indexOf('“blatantly');
        const range = document.createRange(); range.setStart(text, start); range.setEnd(text, start + 19);
        window.getSelection().removeAllRanges(); window.getSelection().addRange(range);
        document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      }"""
    )
    snippet = page.locator("#bank-seoul-moscow .snippet textarea").input_value()
    import yaml

    parsed = yaml.safe_load(snippet)
    assert parsed[0]["quotes"] == ["“blatantly biased”"]


def test_ctrl_c_stops_cleanly_and_a_busy_port_is_a_clear_error(served: Served) -> None:
    port = served.url.rsplit(":", 1)[1].strip("/")
    second = _start(served.root, "--port", port)
    out, _ = second.communicate(timeout=30)
    assert second.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in out and "Traceback" not in out
    served.proc.send_signal(signal.SIGINT)
    assert served.proc.wait(timeout=10) == 0
    time.sleep(0.2)  # the reader thread drains the last lines
    printed = "".join(served.log)
    assert "studygen serve: stopped" in printed and "Traceback" not in printed


def test_requests_for_another_host_are_refused(served: Served) -> None:
    import http.client

    host, port = served.url[len("http://") :].strip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", "/", headers={"Host": "attacker.example"})
    assert conn.getresponse().status == 403

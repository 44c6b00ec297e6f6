"""Small driving helpers shared by the browser tests (keyboard walking, practice navigation)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FOCUSED_LABEL = """() => {
  const a = document.activeElement;
  if (!a) return '';
  if (a.getAttribute('aria-label')) return a.getAttribute('aria-label');
  if (a.labels && a.labels.length) return a.labels[0].textContent;
  return (a.textContent || '').trim();
}"""


def focused_label(page: Any) -> str:
    return str(page.evaluate(FOCUSED_LABEL))


def tab_to(page: Any, label: str, limit: int = 80) -> None:
    """Press Tab until the focused control's accessible label is `label` (keyboard only)."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused_label(page)
        if now == label:
            return
        seen.append(now)
    raise AssertionError(f"Tab never reached {label!r}; focus went through {seen}")


def practice_goto(page: Any, number: int) -> None:
    """Show practice question `number` (1-based) by pressing Next as often as needed, in one round trip."""
    heading = page.locator("#practice-question .question-heading")
    match = re.match(r"Question (\d+) of (\d+)", heading.inner_text())
    assert match, heading.inner_text()
    current, total = int(match.group(1)), int(match.group(2))
    assert 1 <= number <= total, (number, total)
    page.evaluate(
        "n => { for (let i = 0; i < n; i += 1) document.getElementById('practice-next').click(); }",
        (number - current) % total,
    )
    assert heading.inner_text().startswith(f"Question {number} of "), heading.inner_text()


def order_items(page: Any, scope: str) -> list[str]:
    return [t.strip() for t in page.locator(f"{scope} .order-text").all_inner_texts()]


def sort_by_clicks(page: Any, scope: str, wanted: list[str]) -> None:
    for target, text in enumerate(wanted):
        while order_items(page, scope).index(text) > target:
            page.locator(scope).get_by_role("button", name=f"Move up: {text}", exact=True).click()


@dataclass
class Watched:
    """A page plus everything it did that a test must be able to object to."""

    page: Any
    folder: Path
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    base: str = ""

    def outside_requests(self) -> list[str]:
        inside = self.base or self.folder.resolve().as_uri() + "/"
        return [u for u in self.requests if not u.startswith(inside)]


def open_watched(context: Any, index: Path, accept_confirms: bool = True, url: str = "") -> Watched:
    page = context.new_page()
    page.set_default_timeout(5000)
    watched = Watched(page, index.parent)
    page.on("console", lambda m: watched.errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: watched.errors.append(str(e)))
    page.on("request", lambda r: watched.requests.append(r.url))

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        if dialog.type == "confirm" and accept_confirms:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", on_dialog)
    if url:
        watched.base = url.rsplit("/", 1)[0] + "/"
    page.goto(url or index.as_uri())
    return watched

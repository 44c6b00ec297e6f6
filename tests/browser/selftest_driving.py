"""Small driving helpers shared by the browser tests (keyboard walking, practice navigation)."""

from __future__ import annotations

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
    """Show practice question `number` (1-based) by clicking Next."""
    heading = page.locator("#practice-question .question-heading")
    for _ in range(80):
        if heading.inner_text().startswith(f"Question {number} of"):
            return
        page.click("#practice-next")
    raise AssertionError(f"practice never reached question {number}")


def order_items(page: Any, scope: str) -> list[str]:
    return [t.strip() for t in page.locator(f"{scope} .order-text").all_inner_texts()]


def sort_by_clicks(page: Any, scope: str, wanted: list[str]) -> None:
    for target, text in enumerate(wanted):
        while order_items(page, scope).index(text) > target:
            page.locator(scope).get_by_role("button", name=f"Move up: {text}", exact=True).click()

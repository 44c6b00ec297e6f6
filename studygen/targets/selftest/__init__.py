"""The student self-test: one offline, self-contained HTML page built from the banks.

`render_selftest` returns the folder's files as bytes; the build writes them
to `<out>/self-test/`.  The page's CSS and script are inlined, so the one file
`index.html` is the whole self-test: an instructor who uploads only that file
to an LMS gives students a working page.  It makes no request at all, so it
works from `file://` and any static host.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from studygen.course import Course
from studygen.model import Bank
from studygen.targets.selftest.payload import build_payload, reading_view, script_json

__all__ = ["page_script", "render_selftest"]

# The page script's parts, in the order they run.  They share one function scope (the
# wrapper below), so a part may call what another defines; each holds one concern a
# reader can keep in mind.  answers.js comes first and stands alone: node runs it
# beside the Python answer rule (tests/js/answer_rule.js).
PAGE_PARTS = (
    "00-dom.js",
    "10-storage.js",
    "15-filters.js",
    "20-widgets.js",
    "25-feedback.js",
    "28-views.js",
    "30-practice.js",
    "40-quiz.js",
    "50-cards.js",
    "60-reading.js",
    "70-progress.js",
    "90-start.js",
)
_SCRIPT_HEAD = b"""/* studygen self-test: practice, quiz, flashcards, reading view and progress, all offline.
 *
 * Built from studygen/targets/selftest/static/js/*.js, concatenated in order into one
 * classic script: module scripts are blocked on file:// pages.
 * - Bank text is untrusted: it only ever reaches the page through textContent and
 *   DOM construction, never innerHTML, so a stem like "<img src=x onerror=...>" stays text.
 * - Paragraph anchors and quote offsets were computed at build time with the same
 *   normalisation the checker uses; this script only splits text nodes.
 * - Progress lives under one versioned localStorage key per course; storage that is
 *   missing, blocked (some file:// setups throw) or corrupt degrades to in-memory progress.
 */
(function () {
'use strict';

"""
_SCRIPT_TAIL = b"}());\n"


def _package_file(*parts: str) -> bytes:
    return resources.files(__package__).joinpath(*parts).read_bytes()


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:

    env = jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("index.html.j2")


@lru_cache(maxsize=1)
def page_script() -> bytes:
    """answers.js, then the page's parts inside one function scope: one classic script."""
    parts = [_package_file("static", "js", name) for name in PAGE_PARTS]
    return _package_file("static", "answers.js") + b"\n" + _SCRIPT_HEAD + b"\n".join(parts) + _SCRIPT_TAIL


def _inline(text: bytes, closer: bytes) -> Markup:
    """Text for an inline element, refused if it could end that element early (it is our own code)."""
    if closer in text.lower() or b"<!--" in text:
        raise ValueError(f"the self-test's own code contains {closer!r}; it cannot be inlined")
    return Markup(text.decode("utf-8"))


def render_selftest(course: Course, banks: Sequence[Bank]) -> dict[str, bytes]:
    """The self-test folder (one self-contained index.html), identical for identical inputs."""
    single = len(banks) == 1
    views = [reading_view(i, bank, single) for i, bank in enumerate(banks)]
    payload = build_payload(course, banks, views)
    script = page_script()
    # The page allows exactly its own inline script: an injected one would have another hash.
    script_hash = base64.b64encode(hashlib.sha256(script).digest()).decode("ascii")
    html = _template().render(
        course=course,
        banks=banks,
        readings=views,
        labels=payload["labels"],
        footer=course.label("st_footer", questions=len(payload["questions"]), cards=len(payload["cards"])),
        data=Markup(script_json(payload)),
        css=_inline(_package_file("static", "selftest.css"), b"</style"),
        script=_inline(script, b"</script"),
        script_hash=script_hash,
    )
    return {"index.html": html.encode("utf-8")}

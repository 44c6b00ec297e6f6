"""The student self-test: one offline page (HTML + its own CSS and JS) built from the banks.

`render_selftest` returns the folder's files as bytes; the build writes them
to `<out>/self-test/`.  The page makes no request outside that folder, so it
works from `file://` and any static host.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from studygen.course import Course
from studygen.model import Bank
from studygen.targets.selftest.payload import build_payload, reading_view, script_json

__all__ = ["STATIC_FILES", "render_selftest"]

STATIC_FILES = ("selftest.css", "selftest.js")
# `selftest.js` as written to the page: these parts, in order, in one classic script
# (file:// pages cannot load modules); each part is a self-contained script.
SCRIPT_PARTS = ("answers.js", "selftest.js")


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


def render_selftest(course: Course, banks: Sequence[Bank]) -> dict[str, bytes]:
    """The self-test folder: relative path -> bytes, identical for identical inputs."""
    single = len(banks) == 1
    views = [reading_view(i, bank, single) for i, bank in enumerate(banks)]
    payload = build_payload(course, banks, views)
    html = _template().render(
        course=course,
        banks=banks,
        readings=views,
        labels=payload["labels"],
        question_count=len(payload["questions"]),
        card_count=len(payload["cards"]),
        data=Markup(script_json(payload)),
    )
    files = {"index.html": html.encode("utf-8")}
    files["selftest.css"] = _package_file("static", "selftest.css")
    files["selftest.js"] = b"\n".join(_package_file("static", name) for name in SCRIPT_PARTS)
    return files

"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, nothing fetched).

Jinja2 autoescaping is on for every value, so option texts and question ids
from banks are shown as text, never as markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(context: dict[str, Any]) -> bytes:
    return _env().get_template("report.html.j2").render(**context).encode("utf-8")

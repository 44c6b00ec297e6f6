"""The safe inline subset: bank text may ask for bold or italic, and nothing else gets through.

Text is escaped first; only then are `**bold**`, `*italic*` and balanced
`<b>`, `<i>`, `<strong>`, `<em>` pairs turned back into those four tags.
Constructs may not nest or overlap (their content may hold no tag), so the
output is always well-formed and an `<img>` or `<script>` can only ever
appear as text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

_TAG = re.compile(r"&lt;(b|i|strong|em)&gt;((?:(?!&lt;|<).)+?)&lt;/\1&gt;", re.S)
_BOLD = re.compile(r"\*\*(?=\S)([^<*]+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])([^<*]+?)(?<=[^\s*])\*(?![*\w])")
_TAG_NAMES = {"b": "strong", "strong": "strong", "i": "em", "em": "em"}


@lru_cache(maxsize=65536)
def inline(text: str) -> Markup:
    """Escape `text` for HTML, keeping only flat bold and italic.

    Cached: a build renders the same bank text once per version.
    """
    html = str(escape(text))
    html = _TAG.sub(lambda m: f"<{_TAG_NAMES[m[1]]}>{m[2]}</{_TAG_NAMES[m[1]]}>", html)
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\1</em>", html)
    return Markup(html)


def plain(text: str) -> str:
    """The same text with the inline markup removed (for SVG text, titles and attributes)."""
    text = re.sub(r"<(b|i|strong|em)>((?:(?!<).)+?)</\1>", r"\2", text, flags=re.S)
    text = _BOLD.sub(r"\1", text)
    return _ITALIC.sub(r"\1", text)

"""The safe inline subset in HTML: bank text may ask for bold or italic, and nothing else gets through.

Parsing lives in `studygen.inline` so HTML, PDF and the exports agree: a
literal `<b>` or `<script>` in bank text is shown as typed, everywhere.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from studygen import inline as _inline

plain = _inline.plain


def _esc(text: str) -> str:
    return str(escape(text))


@lru_cache(maxsize=65536)
def inline(text: str) -> Markup:
    """Escape `text` for HTML, keeping only flat bold and italic.

    Cached: a build renders the same bank text once per version.
    """
    return Markup(_inline.render(text, _esc, bold=("<strong>", "</strong>"), italic=("<em>", "</em>")))

"""The safe inline subset of bank text (`**bold**`, `*italic*`) and its HTML form.

Bank text is untrusted: everything except these two markers is literal and is
escaped before any tag is added, so `<script>` in a stem can only ever be shown,
never run.  Exporters that emit HTML use `to_html`; plain-text targets keep the
author's text as written (`studygen.inline.plain` and `has_markup` serve them).
"""

from __future__ import annotations

import html

from studygen import inline

_STRONG, _EM = ("<strong>", "</strong>"), ("<em>", "</em>")


def escape(text: str) -> str:
    """HTML-escape text content (`&`, `<`, `>`); quotes only matter inside attributes, which bank text never fills."""
    return html.escape(text, quote=False)


def to_html(text: str) -> str:
    """Escaped HTML with the inline subset applied and line breaks kept as `<br>`."""
    out = inline.render(text, escape, bold=_STRONG, italic=_EM)
    return out.replace("\r\n", "\n").replace("\n", "<br>")

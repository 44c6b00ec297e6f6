"""Bank text → reportlab paragraph markup: escaped, with a tiny safe inline subset and font runs.

Bank text is untrusted: a literal `<b>`, `<img src=x>` or an unbalanced tag must
print as the characters typed, never as markup and never as a parser error.
So everything is escaped first-class, and the only formatting that passes is
the markdown-ish subset the HTML renderer also honours: `**bold**` and
`*italic*`.  The same pass splits text into runs by which embedded font has
glyphs for it, so Hangul is drawn with the Hangul font instead of as boxes.

Conversions are cached per text, because a quiz repeats the same stems and
options across hundreds of versions.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

from studygen import inline
from studygen.course import DEFAULT_LABELS
from studygen.targets.pdf.fonts import FontSet, covered

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})

DEFAULT_MISSING = DEFAULT_LABELS["missing_font"]  # the course label's default, for callers without a course


def escape(text: str) -> str:
    """Escape text for a reportlab Paragraph (no markup survives)."""
    return _CONTROL.sub(" ", text).translate(_ESCAPES)


_SCRIPTS = frozenset(
    [
        "HANGUL",
        "CJK",
        "HIRAGANA",
        "KATAKANA",
        "ARABIC",
        "HEBREW",
        "THAI",
        "DEVANAGARI",
        "BENGALI",
        "TAMIL",
        "ETHIOPIC",
        "KHMER",
        "TIBETAN",
    ]
)


def _script(ch: str) -> str:
    """A readable name for the writing system of `ch`, for the marker and the warning."""
    word = unicodedata.name(ch, "").split(" ", 1)[0]
    if word not in _SCRIPTS:
        return "Symbol"
    return "CJK" if word == "CJK" else word.capitalize()


@dataclass(frozen=True, slots=True)
class Converted:
    """Paragraph markup, plus the runs no embedded font could draw (replaced by a marker)."""

    markup: str
    missing: tuple[str, ...] = ()


def _runs(text: str, fonts: FontSet, marker: str) -> Converted:
    """Escape `text` and wrap the characters only the fallback font has in `<font name=...>`."""
    base = covered(fonts.body)
    fallback = covered(fonts.fallback) if fonts.fallback else frozenset()
    if all(ord(c) in base or c.isspace() for c in text):
        return Converted(escape(text))
    out: list[str] = []
    missing: list[str] = []
    run: list[str] = []
    kind = "base"  # "base" | "fallback" | "missing"

    def flush() -> None:
        if not run:
            return
        chunk = "".join(run)
        if kind == "base":
            out.append(escape(chunk))
        elif kind == "fallback":
            out.append(f'<font name="{fonts.fallback}">{escape(chunk)}</font>')
        else:
            stripped = chunk.strip()
            missing.append(stripped)
            lead = chunk[: len(chunk) - len(chunk.lstrip())]
            trail = chunk[len(chunk.rstrip()) :]
            shown = lead + marker.format(script=_script(stripped[0])) + trail
            # A course's own marker (Korean, say) is drawn in the fonts that have its letters, like any text.
            out.append(escape(shown) if marker == DEFAULT_MISSING else _runs(shown, fonts, DEFAULT_MISSING).markup)
        run.clear()

    for ch in text:
        cp = ord(ch)
        if ch.isspace() or (kind == "fallback" and cp in fallback and not ch.isalpha() and cp in base):
            run.append(ch)  # spaces and punctuation stay in the current run, so words are not torn apart
            continue
        want = "base" if cp in base else "fallback" if cp in fallback else "missing"
        if want != kind:
            flush()
            kind = want
        run.append(ch)
    flush()
    return Converted("".join(out), tuple(missing))


@lru_cache(maxsize=65536)
def convert(text: str, fonts: FontSet, marker: str = DEFAULT_MISSING) -> Converted:
    """Bank text → markup with `**bold**`/`*italic*` honoured (parsed by `studygen.inline`), the rest literal."""
    parts: list[str] = []
    missing: list[str] = []
    for run in inline.runs(text):
        c = _runs(run.text, fonts, marker)
        missing.extend(c.missing)
        piece = f"<i>{c.markup}</i>" if run.italic else c.markup
        parts.append(f"<b>{piece}</b>" if run.bold else piece)
    return Converted("".join(parts), tuple(missing))


@dataclass
class MarkupContext:
    """Per-document converter that remembers what could not be drawn, so it is reported once per document."""

    fonts: FontSet
    marker: str = DEFAULT_MISSING
    missing: dict[str, None] = field(default_factory=dict)

    def __call__(self, text: str) -> str:
        c = convert(text, self.fonts, self.marker)
        for run in c.missing:
            self.missing.setdefault(run, None)
        return c.markup


class MissingGlyphWarning(UserWarning):
    """Text that no embedded font can draw; the PDF shows a marker in its place instead of boxes."""


def warn_missing(ctx: MarkupContext, document: str) -> None:
    """One warning per undrawable run per document, naming the text and how to fix it."""
    for run in ctx.missing:
        warnings.warn(
            MissingGlyphWarning(
                f"{document}: no font studygen uses can draw {run!r}; it is printed as a marker. Set hangul_font "
                "in studygen.yaml to a TrueType (.ttf) font that has these characters (the bundled fallback "
                "covers Hangul only)"
            ),
            stacklevel=3,
        )

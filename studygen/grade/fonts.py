"""Embedded TrueType fonts for the PDF report (never base-14 Helvetica, which has no Cyrillic or Hangul).

The package ships DejaVu Sans under studygen/fonts/ once the PDF work lands;
until then the Debian copy is used.  Hangul, which DejaVu lacks, falls back to
the bundled Studygen Hangul Gothic (a NanumGothic subset) run by run, so Korean
option texts print instead of boxes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from studygen.errors import StudygenError

SANS, SANS_BOLD, FALLBACK = "StudygenGradeSans", "StudygenGradeSans-Bold", "StudygenGradeHangul"
_PACKAGED = Path(__file__).resolve().parent.parent / "fonts"
_SYSTEM = Path("/usr/share/fonts/truetype")
_CANDIDATES = {
    SANS: [_PACKAGED / "DejaVuSans.ttf", _SYSTEM / "dejavu" / "DejaVuSans.ttf"],
    SANS_BOLD: [_PACKAGED / "DejaVuSans-Bold.ttf", _SYSTEM / "dejavu" / "DejaVuSans-Bold.ttf"],
    FALLBACK: [_PACKAGED / "StudygenHangul-Regular.ttf"],  # bundled: no system font, same bytes everywhere
}


def font_file(name: str) -> Path | None:
    return next((p for p in _CANDIDATES[name] if p.is_file()), None)


@cache
def register() -> bool:
    """Register the report fonts with reportlab; True if the Hangul fallback is available."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in (SANS, SANS_BOLD):
        path = font_file(name)
        if path is None:
            raise StudygenError(
                f"no DejaVu Sans font for the PDF report (looked in {', '.join(str(p) for p in _CANDIDATES[name])}); "
                "install fonts-dejavu-core"
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS)
    addMapping(SANS, 1, 1, SANS_BOLD)
    fallback = font_file(FALLBACK)
    if fallback is not None:
        pdfmetrics.registerFont(TTFont(FALLBACK, str(fallback)))
    return fallback is not None


@cache
def _covered(name: str) -> frozenset[int]:
    from reportlab.pdfbase import pdfmetrics

    font = pdfmetrics.getFont(name)
    return frozenset(font.face.charToGlyph)


def markup(text: str) -> str:
    """Escape text for reportlab paragraph markup, switching to the fallback font for glyphs DejaVu lacks."""
    has_fallback = register()
    main = _covered(SANS)
    extra = _covered(FALLBACK) if has_fallback else frozenset()
    out: list[str] = []
    run: list[str] = []
    in_fallback = False
    for ch in text:
        use_fallback = ord(ch) not in main and ord(ch) in extra
        if use_fallback != in_fallback and run:
            out.append(_run("".join(run), in_fallback))
            run = []
        in_fallback = use_fallback
        run.append(ch)
    if run:
        out.append(_run("".join(run), in_fallback))
    return "".join(out)


def _run(text: str, fallback: bool) -> str:
    body = escape(text, {'"': "&quot;"})
    return f'<font name="{FALLBACK}">{body}</font>' if fallback else body

"""Embedded fonts for every PDF, and the per-character fallback that keeps Hangul off tofu.

reportlab's base-14 fonts are never embedded and cover Latin-1 only, so every
style and every canvas uses the DejaVu Sans TTFs shipped in `studygen/fonts`
(Latin, Cyrillic, Greek).  DejaVu has no Hangul, so a Hangul TrueType font is
used for the characters DejaVu lacks when the course names one or one is
installed; characters no font covers are replaced by a visible marker and
reported, because a box glyph on a printed exam looks like a typo.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFError, TTFont

from studygen.errors import StudygenError

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"

BODY = "StudygenSans"
BOLD = "StudygenSans-Bold"
ITALIC = "StudygenSans-Oblique"
BOLD_ITALIC = "StudygenSans-BoldOblique"

_FACES = {
    BODY: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

# Looked for in order when the course names no Hangul font (Debian fonts-nanum, then common others).
HANGUL_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf"),
    Path("/usr/share/fonts/truetype/nanum/NanumBarunGothic.ttf"),
    Path("/usr/share/fonts/truetype/unfonts-core/UnDotum.ttf"),
    Path("/usr/share/fonts/truetype/baekmuk/gulim.ttf"),
)

_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class FontSet:
    """The registered font names one document uses; `fallback` is the Hangul font, if any."""

    body: str = BODY
    bold: str = BOLD
    italic: str = ITALIC
    bold_italic: str = BOLD_ITALIC
    fallback: str | None = None


def _memoize_subsets(font: TTFont) -> None:
    """Build and compress each distinct glyph subset once per process, not once per document.

    Every version of a quiz embeds exactly the same subsets (see
    `layout.ParaCache.prepare`), and subsetting plus compressing a 700 KB font
    is a large share of a small PDF's cost.  Only fonts studygen registered
    itself are patched, on the instance.
    """
    face = font.face
    make_subset = face.makeSubset
    memo: OrderedDict[tuple[int, ...], tuple[bytes, int]] = OrderedDict()

    def add_subset_objects(doc: pdfdoc.PDFDocument, fontname: str, subset: list[int]) -> object:
        key = tuple(subset)
        packed = memo.get(key)
        if packed is None:
            raw = make_subset(subset)
            packed = memo[key] = (zlib.compress(raw), len(raw))
            if len(memo) > 64:
                memo.popitem(last=False)
        font_file = pdfdoc.PDFStream()
        font_file.content = packed[0]
        font_file.dictionary["Length1"] = packed[1]
        font_file.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
        ref = doc.Reference(font_file, f"fontFile:{face.filename}({fontname})")
        flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": "/FontDescriptor",
                "Ascent": face.ascent,
                "CapHeight": face.capHeight,
                "Descent": face.descent,
                "Flags": flags,
                "FontBBox": pdfdoc.PDFArray(face.bbox),
                "FontName": pdfdoc.PDFName(fontname),
                "ItalicAngle": face.italicAngle,
                "StemV": face.stemV,
                "FontFile2": ref,
                "MissingWidth": face.defaultWidth,
            }
        )
        return doc.Reference(descriptor, "fontDescriptor:" + fontname)

    face.addSubsetObjects = add_subset_objects


def _register(name: str, path: Path) -> None:
    if name in pdfmetrics.getRegisteredFontNames():
        return
    try:
        font = TTFont(name, str(path))
        _memoize_subsets(font)
        pdfmetrics.registerFont(font)
    except (OSError, TTFError) as exc:
        raise StudygenError(
            f"{path}: cannot use this font ({exc}); give a TrueType (.ttf) font file, "
            "or remove the setting to use the bundled fonts"
        ) from None


def register_base() -> FontSet:
    """Register the bundled DejaVu family once per process (idempotent, thread-safe)."""
    with _lock:
        for name, file in _FACES.items():
            _register(name, FONT_DIR / file)
        pdfmetrics.registerFontFamily(BODY, normal=BODY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return FontSet()


def find_hangul_font(configured: Path | None) -> Path | None:
    """The course's Hangul font, or the first installed candidate; a configured but missing file is an error."""
    if configured is not None:
        if not configured.is_file():
            raise StudygenError(
                f"hangul_font: {configured}: no such font file; fix the path in studygen.yaml "
                "(e.g. /usr/share/fonts/truetype/nanum/NanumGothic.ttf) or remove the setting"
            )
        return configured
    for candidate in HANGUL_CANDIDATES:
        if candidate.is_file():
            return candidate
    return None


def _bold_sibling(path: Path) -> Path | None:
    for name in (path.stem + "Bold", path.stem + "-Bold"):
        sibling = path.with_name(name + path.suffix)
        if sibling.is_file():
            return sibling
    return None


@cache
def _register_fallback(path: Path) -> str:
    name = f"StudygenHangul-{path.stem}"
    bold = name + "-Bold"
    with _lock:
        _register(name, path)
        sibling = _bold_sibling(path)
        _register(bold, sibling if sibling else path)
        # Oblique Hangul faces are rare; Korean typography does not slant, so italic maps to upright.
        pdfmetrics.registerFontFamily(name, normal=name, bold=bold, italic=name, boldItalic=bold)
    return name


def font_set(hangul_font: Path | None) -> FontSet:
    """Register everything a document needs and name it; `hangul_font` as in `Course.hangul_font`."""
    base = register_base()
    path = find_hangul_font(hangul_font)
    if path is None:
        return base
    return FontSet(fallback=_register_fallback(path.resolve()))


@cache
def covered(font_name: str) -> frozenset[int]:
    """Code points the font has a glyph for (reportlab's parsed cmap)."""
    face = pdfmetrics.getFont(font_name).face
    return frozenset(face.charToGlyph)

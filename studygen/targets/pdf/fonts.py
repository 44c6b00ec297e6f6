"""Embedded fonts for every PDF, and the per-character fallback that keeps Hangul off tofu.

reportlab's base-14 fonts are never embedded and cover Latin-1 only, so every
style and every canvas uses the DejaVu Sans TTFs shipped in `studygen/fonts`
(Latin, Cyrillic, Greek).  DejaVu has no Hangul, so the characters it lacks
are drawn with the bundled Studygen Hangul Gothic (a renamed NanumGothic
subset, SIL OFL) or the course's own `hangul_font`.  Never a system font: a
bare machine must print Korean, and the same inputs must give the same bytes
whichever fonts a machine has.  Characters no font covers are replaced by a
visible marker and reported, because a box glyph on a printed exam looks like
a typo.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
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

# Used when the course names no Hangul font; its bold face is the "-Bold" sibling.  None only in tests
# that exercise the marker path for text no font can draw.
HANGUL_DEFAULT: Path | None = FONT_DIR / "StudygenHangul-Regular.ttf"

_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class FontSet:
    """The registered font names one document uses; `fallback` is the Hangul font, if any."""

    body: str = BODY
    bold: str = BOLD
    italic: str = ITALIC
    bold_italic: str = BOLD_ITALIC
    fallback: str | None = None


class _Preformatted(pdfdoc.PDFObject):
    """A PDF value formatted once (a font's width array), emitted as-is in every document."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: object, IND: bytes = b"") -> bytes:
        return self.data


def _flate_stream(content: bytes, **entries: object) -> pdfdoc.PDFStream:
    stream = pdfdoc.PDFStream()
    stream.content = content
    for key, value in entries.items():
        stream.dictionary[key] = value
    stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    return stream


def _memoize_subsets(font: TTFont) -> None:
    """Build, format and compress each distinct glyph subset once per process, not once per document.

    Every version of a quiz embeds exactly the same subsets (see
    `layout.ParaCache.prepare`), and subsetting a 700 KB font, compressing it
    and formatting its width table number by number is most of a small PDF's
    cost.  This mirrors reportlab's `TTFont.addObjects` with the results
    memoized; only fonts studygen registered itself are patched, on the
    instance, so the output is the same PDF objects reportlab would write.
    """
    face = font.face
    memo: OrderedDict[tuple[int, tuple[int, ...]], tuple[str, bytes, bytes, bytes, int]] = OrderedDict()

    def packed(n: int, subset: list[int]) -> tuple[str, bytes, bytes, bytes, int]:
        key = (n, tuple(subset))
        hit = memo.get(key)
        if hit is None:
            base = b"".join((ttfonts.SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            widths = pdfdoc.PDFArray(list(map(face.getCharWidth, subset))).format(None)
            cmap = zlib.compress(ttfonts.makeToUnicodeCMap(base, subset).encode("utf8"))
            raw = face.makeSubset(subset)
            hit = memo[key] = (base, widths, cmap, zlib.compress(raw), len(raw))
            if len(memo) > 64:
                memo.popitem(last=False)
        return hit

    def add_objects(doc: pdfdoc.PDFDocument) -> None:
        state = font.state.get(doc) or font.State(font._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal = font.getSubsetInternalName(n, doc)[1:]
            base, widths, cmap, glyphs, length = packed(n, subset)
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.Name = internal
            pdf_font.BaseFont = base
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = _Preformatted(widths)
            pdf_font.ToUnicode = doc.Reference(_flate_stream(cmap), "toUnicodeCMap:" + base)
            glyph_ref = doc.Reference(_flate_stream(glyphs, Length1=length), f"fontFile:{face.filename}({base})")
            descriptor = pdfdoc.PDFDictionary(
                {
                    "Type": "/FontDescriptor",
                    "Ascent": face.ascent,
                    "CapHeight": face.capHeight,
                    "Descent": face.descent,
                    "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                    "FontBBox": pdfdoc.PDFArray(face.bbox),
                    "FontName": pdfdoc.PDFName(base),
                    "ItalicAngle": face.italicAngle,
                    "StemV": face.stemV,
                    "FontFile2": glyph_ref,
                    "MissingWidth": face.defaultWidth,
                }
            )
            pdf_font.FontDescriptor = doc.Reference(descriptor, "fontDescriptor:" + base)
            doc.Reference(pdf_font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = pdf_font
        font.state.pop(doc, None)

    if all(hasattr(ttfonts, n) for n in ("SUBSETN", "makeToUnicodeCMap")) and hasattr(font, "State"):
        font.addObjects = add_objects  # otherwise reportlab changed inside: keep its own (slower) path


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
    """The course's Hangul font, else the bundled one; a configured but missing file is an error."""
    if configured is not None:
        if not configured.is_file():
            raise StudygenError(
                f"hangul_font: {configured}: no such font file; fix the path in studygen.yaml "
                "(e.g. /usr/share/fonts/truetype/nanum/NanumGothic.ttf) or remove the setting"
            )
        return configured
    return HANGUL_DEFAULT


def _bold_sibling(path: Path) -> Path | None:
    stem = path.stem.removesuffix("-Regular")
    for name in (stem + "Bold", stem + "-Bold"):
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

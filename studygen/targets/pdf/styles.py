"""Paragraph styles and page geometry, in one place so regular and large print stay in proportion.

Every style names an embedded font explicitly: a style left on reportlab's
default would pull in non-embedded Helvetica.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from studygen.errors import StudygenError
from studygen.targets.pdf.fonts import FontSet

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
ACCENT = colors.HexColor("#1f4e79")
SHADE = colors.HexColor("#eef2f7")


def page_size(paper: str) -> tuple[float, float]:
    sizes: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
    try:
        return sizes[paper.strip().lower()]
    except KeyError:
        raise StudygenError(f"paper: {paper!r} is not a known paper size; use A4 or Letter") from None


@dataclass(frozen=True)
class Styles:
    """A coherent set of styles for one type scale (`scale` 1.0 regular, larger for large print)."""

    fonts: FontSet
    scale: float
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    quote: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    gap: float  # vertical space between questions / blocks
    margin: float

    @property
    def body_size(self) -> float:
        return float(self.body.fontSize)


def make_styles(fonts: FontSet, *, large_print: bool = False) -> Styles:
    """Regular print is 10.5 pt body; large print is 16 pt body with looser leading and spacing."""
    s = 16 / 10.5 if large_print else 1.0
    lead = 1.45 if large_print else 1.3

    def style(
        name: str, size: float, font: str | None = None, color: colors.Color = INK, **kw: object
    ) -> ParagraphStyle:
        pt = round(size * s, 2)
        return ParagraphStyle(
            f"{name}{'-lp' if large_print else ''}",
            fontName=font or fonts.body,
            fontSize=pt,
            leading=round(pt * lead, 2),
            textColor=color,
            **kw,
        )

    return Styles(
        fonts=fonts,
        scale=s,
        body=style("body", 10.5),
        small=style("small", 9),
        muted=style("muted", 9, color=MUTED),
        title=style("title", 17, fonts.bold, ACCENT, spaceAfter=2 * s),
        subtitle=style("subtitle", 11.5, color=MUTED),
        heading=style("heading", 13.5, fonts.bold, ACCENT, spaceBefore=10 * s, spaceAfter=4 * s),
        subheading=style("subheading", 11, fonts.bold, spaceBefore=6 * s, spaceAfter=2 * s),
        quote=style("quote", 9.5, fonts.italic, MUTED, leftIndent=10 * s),
        cell=style("cell", 9),
        cell_head=style("cell-head", 9, fonts.bold),
        gap=(12 if large_print else 8) * s,
        margin=18 * mm,
    )

"""The study guide's figures: a timeline and an argument map, as reportlab graphics Drawings.

Figures draw single-font strings, so each label picks the embedded font that
covers it (DejaVu, or the Hangul font) and text is wrapped by measured width;
`String` shapes are literal text, so bank text cannot inject markup here.
A figure taller than the page is split (timeline) or scaled to fit (map).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit

from studygen.course import Course
from studygen.model import Argument, Bank, Fact
from studygen.targets.pdf.fonts import covered
from studygen.targets.pdf.markup import MarkupContext, plain_text
from studygen.targets.pdf.styles import ACCENT, INK, MUTED, RULE, SHADE

COUNTER_FILL = colors.HexColor("#fbeaea")
COUNTER_INK = colors.HexColor("#9b1c1c")


def label_font(text: str, ctx: MarkupContext, bold: bool = False) -> tuple[str, str]:
    """The font that can draw `text`, and the text itself (undrawable runs become the marker)."""
    fonts = ctx.fonts
    base = fonts.bold if bold else fonts.body
    if all(ord(c) in covered(base) or c.isspace() for c in text):
        return base, text
    if fonts.fallback:
        fb = fonts.fallback + "-Bold" if bold else fonts.fallback
        if all(ord(c) in covered(fb) or c.isspace() for c in text):
            return fb, text
    out: list[str] = []
    run: list[str] = []
    for c in text:
        if ord(c) in covered(base) or c.isspace():
            if run:
                ctx.missing.setdefault("".join(run), None)
                out.append(ctx.marker.format(script="Unsupported"))
                run.clear()
            out.append(c)
        else:
            run.append(c)
    if run:
        ctx.missing.setdefault("".join(run), None)
        out.append(ctx.marker.format(script="Unsupported"))
    return base, "".join(out)


def wrapped(text: str, ctx: MarkupContext, size: float, width: float, bold: bool = False) -> tuple[str, list[str]]:
    font, shown = label_font(plain_text(text), ctx, bold)
    return font, simpleSplit(shown, font, size, width) or [""]


def _text_lines(
    g: Group,
    x: float,
    y_top: float,
    lines: list[str],
    font: str,
    size: float,
    color: colors.Color = INK,
    anchor: str = "start",
) -> float:
    """Draw lines downward from `y_top`; returns the height used."""
    leading = size * 1.25
    for i, line in enumerate(lines):
        g.add(
            String(
                x, y_top - size - i * leading, line, fontName=font, fontSize=size, fillColor=color, textAnchor=anchor
            )
        )
    return len(lines) * leading


def _drawing(width: float, height: float, font: str) -> Drawing:
    """A Drawing whose initial font is embedded (renderPDF otherwise starts it in Helvetica)."""
    d = Drawing(width, height)
    d.initialFontName = font
    return d


def date_label(fact: Fact) -> str:
    """The ISO date as precise as the bank gives it, with the reading's own wording when there is one."""
    return f"{fact.date} ({fact.date_text})" if fact.date_text else fact.date


def timeline_drawings(
    bank: Bank, ctx: MarkupContext, width: float, max_height: float, scale: float = 1.0
) -> list[Drawing]:
    """A vertical axis with a dated tick per fact; split into several drawings if it outgrows a page."""
    size = 8.5 * scale
    axis_x = min(130 * scale, width * 0.3)
    text_x = axis_x + 14
    entries = []
    for fact in bank.timeline():
        dfont, dlines = wrapped(date_label(fact), ctx, size, axis_x - 16, bold=True)
        tfont, tlines = wrapped(fact.statement, ctx, size, width - text_x)
        h = max(len(dlines), len(tlines)) * size * 1.25 + 8 * scale
        entries.append((dfont, dlines, tfont, tlines, h))
    drawings: list[Drawing] = []
    chunk: list[tuple[str, list[str], str, list[str], float]] = []
    for entry in entries:
        if chunk and sum(e[4] for e in chunk) + entry[4] + 12 > max_height:
            drawings.append(_timeline_chunk(chunk, width, axis_x, text_x, size))
            chunk = []
        chunk.append(entry)
    if chunk:
        drawings.append(_timeline_chunk(chunk, width, axis_x, text_x, size))
    return drawings


def _timeline_chunk(
    entries: list[tuple[str, list[str], str, list[str], float]], width: float, axis_x: float, text_x: float, size: float
) -> Drawing:
    height = sum(e[4] for e in entries) + 12
    d = _drawing(width, height, entries[0][0])
    g = Group()
    g.add(Line(axis_x, 4, axis_x, height - 4, strokeColor=RULE, strokeWidth=2))
    y = height - 6
    for dfont, dlines, tfont, tlines, h in entries:
        tick_y = y - size * 0.8
        g.add(Line(axis_x - 5, tick_y, axis_x + 5, tick_y, strokeColor=ACCENT, strokeWidth=1))
        g.add(Circle(axis_x, tick_y, 3, fillColor=ACCENT, strokeColor=ACCENT))
        _text_lines(g, axis_x - 10, y, dlines, dfont, size, ACCENT, anchor="end")
        _text_lines(g, text_x, y, tlines, tfont, size)
        y -= h
    d.add(g)
    return d


@dataclass
class _Box:
    key: str
    role_label: str
    text: str
    fill: colors.Color
    ink: colors.Color = INK
    x: float = 0.0
    y: float = 0.0  # top
    w: float = 0.0
    h: float = 0.0
    lines: list[str] = field(default_factory=list)
    font: str = ""


def _map_rows(bank: Bank, course: Course) -> list[list[_Box]]:
    """Thesis → premises → evidence, then the counter-views, as rows of boxes."""
    lab = course.label
    args = list(bank.arguments)
    theses = [a for a in args if a.role == "thesis"]
    counters = [a for a in args if a.role == "counter"]
    middle = [a for a in args if a.role not in ("thesis", "counter", "evidence")]
    evidence_ids: dict[str, None] = {a.id: None for a in args if a.role == "evidence"}
    for a in theses + middle:
        for ref in a.supported_by:
            src = bank.source(ref)
            if isinstance(src, Fact) or (isinstance(src, Argument) and src.role == "evidence"):
                evidence_ids.setdefault(ref, None)

    def box(item: Fact | Argument, role: str, fill: colors.Color, ink: colors.Color = INK) -> _Box:
        text = item.statement if isinstance(item, Fact) else item.claim
        if isinstance(item, Argument) and item.holder and item.holder != "the author":
            text = f"{text} ({item.holder})"
        return _Box(item.id, role, text, fill, ink)

    # Counter-views sit beside what they argue against, so their dashed arrows never cross other boxes.
    rows = [
        [box(a, lab("thesis"), SHADE) for a in theses]
        + [box(a, lab("counter_view"), COUNTER_FILL, COUNTER_INK) for a in counters],
        [box(a, lab("premises") if a.role == "premise" else a.role.capitalize(), colors.white) for a in middle],
        [box(src, lab("evidence"), colors.white) for ref in evidence_ids if (src := bank.source(ref)) is not None],
    ]
    return [r for r in rows if r]


def argument_map(
    bank: Bank, course: Course, ctx: MarkupContext, width: float, max_height: float, scale: float = 1.0
) -> Drawing | None:
    """Boxes for thesis, premises, evidence and counter-views, with support and counter arrows."""
    rows = _map_rows(bank, course)
    if not rows:
        return None
    size, gap, pad, min_w = 7.5 * scale, 10.0, 4.0, 110 * scale
    per_row = max(1, int((width + gap) // (min_w + gap)))
    laid: list[list[_Box]] = []
    for row in rows:
        for i in range(0, len(row), per_row):
            laid.append(row[i : i + per_row])
    y = 0.0
    placed: dict[str, _Box] = {}
    for row in laid:
        n = len(row)
        space = 3 * gap if any(b.fill is COUNTER_FILL for b in row) else gap  # room for the counter arrow
        w = (width - space * (n - 1)) / n if n > 1 else min(width, max(width * 0.6, min_w))
        x0 = 0.0 if n > 1 else (width - w) / 2
        for i, b in enumerate(row):
            b.font, b.lines = wrapped(b.text, ctx, size, w - 2 * pad)
            b.w, b.x = w, x0 + i * (w + space)
            b.h = (len(b.lines) + 1) * size * 1.25 + 2 * pad
        row_h = max(b.h for b in row)
        for b in row:
            b.y, b.h = y, row_h
            placed.setdefault(b.key, b)
        y += row_h + 26 * scale
    height = y - 26 * scale + 4
    g = Group()
    for b in (b for row in laid for b in row):
        top = height - b.y
        g.add(Rect(b.x, top - b.h, b.w, b.h, rx=3, ry=3, fillColor=b.fill, strokeColor=b.ink, strokeWidth=0.7))
        rfont, role = label_font(b.role_label, ctx, bold=True)
        g.add(
            String(
                b.x + pad,
                top - pad - size,
                role.upper(),
                fontName=rfont,
                fontSize=size * 0.85,
                fillColor=b.ink if b.ink is not INK else MUTED,
            )
        )
        _text_lines(g, b.x + pad, top - pad - size * 1.25, b.lines, b.font, size, b.ink)
    for b in placed.values():
        item = bank.source(b.key)
        if not isinstance(item, Argument):
            continue
        for ref in item.supported_by:
            if ref in placed and ref != b.key:
                _arrow(g, placed[ref], b, height, ACCENT, dashed=False)
        for ref in item.counters:
            if ref in placed and ref != b.key:
                _arrow(g, b, placed[ref], height, COUNTER_INK, dashed=True)
    d = _drawing(width, height, ctx.fonts.body)
    if height > max_height:
        s = max_height / height
        g.transform = (s, 0, 0, s, (width - width * s) / 2, 0)
        d.height = max_height
    d.add(g)
    return d


def _arrow(g: Group, src: _Box, dst: _Box, height: float, color: colors.Color, dashed: bool) -> None:
    """From the edge of `src` facing `dst` to the facing edge of `dst`, with an arrowhead at `dst`."""
    sx, dx = src.x + src.w / 2, dst.x + dst.w / 2
    if src.y > dst.y:  # src below dst: go up
        sy, dy = height - src.y, height - dst.y - dst.h
    elif src.y < dst.y:
        sy, dy = height - src.y - src.h, height - dst.y
    else:  # same row: side to side
        sy = dy = height - src.y - src.h / 2
        sx, dx = (src.x + src.w, dst.x) if src.x < dst.x else (src.x, dst.x + dst.w)
    g.add(Line(sx, sy, dx, dy, strokeColor=color, strokeWidth=0.9, strokeDashArray=[3, 2] if dashed else None))
    vx, vy = dx - sx, dy - sy
    length = max((vx * vx + vy * vy) ** 0.5, 1e-6)
    ux, uy = vx / length, vy / length
    head, half = 6.0, 3.0
    bx, by = dx - ux * head, dy - uy * head
    g.add(
        Polygon(
            [dx, dy, bx - uy * half, by + ux * half, bx + uy * half, by - ux * half],
            fillColor=color,
            strokeColor=color,
            strokeWidth=0.5,
        )
    )

"""The study guide's figures: a timeline and an argument map, as reportlab graphics Drawings.

Figures draw single-font strings, so each label picks the embedded font that
covers it (DejaVu, or the Hangul font) and text is wrapped by measured width;
`String` shapes are literal text, so bank text cannot inject markup here.
A figure taller than the page is split (timeline) or scaled to fit (map).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth

from studygen import inline
from studygen.course import DEFAULT_LABELS, Course
from studygen.dates import date_label
from studygen.documents.outline import Node, Outline, argument_outline
from studygen.model import Bank
from studygen.targets.pdf.fonts import covered
from studygen.targets.pdf.markup import MarkupContext
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
    font, shown = label_font(inline.plain(text), ctx, bold)
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


def timeline_drawings(
    bank: Bank,
    ctx: MarkupContext,
    width: float,
    max_height: float,
    scale: float = 1.0,
    labels: Mapping[str, str] = DEFAULT_LABELS,
) -> list[Drawing]:
    """A vertical axis with a dated tick per fact; split into several drawings if it outgrows a page."""
    size = 8.5 * scale
    axis_x = min(130 * scale, width * 0.3)
    text_x = axis_x + 14
    entries = []
    for fact in bank.timeline():
        dfont, dlines = wrapped(date_label(fact, labels), ctx, size, axis_x - 16, bold=True)
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
    level: int = 0  # 0 thesis, 1 premise (on the spine), 2 evidence, -1 off-spine argument
    size: float = 7.5
    repeat: bool = False  # shown in full further up: one line only
    x: float = 0.0
    y: float = 0.0  # top, measured down from the top of the whole map
    w: float = 0.0
    h: float = 0.0
    lines: list[str] = field(default_factory=list)
    font: str = ""
    parent: _Box | None = None


def counter_label(outline: Outline, counter: Node, course: Course) -> str:
    """ "Counter-view · argues against thesis": the box says what its arrow points at (the HTML map says it too),
    so the relation survives where the arrow cannot be drawn (its target on another page)."""
    target = outline.target(counter)
    lab = course.label
    return f"{lab('counter_view')} · {lab('counters')} {lab(target.role)}" if target else lab("counter_view")


def _boxes(outline: Outline, course: Course, scale: float) -> tuple[list[list[_Box]], list[_Box], list[_Box]]:
    """The outline's groups and counter-views as boxes to lay out (and the tree's boxes by node index)."""
    lab = course.label
    boxes: list[_Box] = []
    groups: list[list[_Box]] = []
    for group in outline.groups():
        groups.append([])
        for n in group:
            b = _Box(
                n.id,
                lab(n.role),
                n.text,
                SHADE if n.role == "thesis" else colors.white,
                level=n.level,
                parent=boxes[n.parent] if n.parent is not None else None,
                repeat=n.repeat,
                size=(7.5 if n.level < 2 else 7.0) * scale,
            )
            boxes.append(b)
            groups[-1].append(b)
    counters = [
        _Box(c.id, counter_label(outline, c, course), c.text, COUNTER_FILL, COUNTER_INK, size=7.5 * scale)
        for c in outline.counters
    ]
    return groups, counters, boxes


def argument_map(
    bank: Bank, course: Course, ctx: MarkupContext, width: float, max_height: float, scale: float = 1.0
) -> list[Drawing]:
    """The bank's argument map (see `outline_drawings`)."""
    return outline_drawings(argument_outline(bank), course, ctx, width, max_height, scale)


def outline_drawings(
    outline: Outline,
    course: Course,
    ctx: MarkupContext,
    width: float,
    max_height: float,
    scale: float = 1.0,
    cut: float | None = None,
) -> list[Drawing]:
    """Thesis → premises → evidence as a tree, counter-views beside what they argue against.

    Draws `studygen.documents.outline` (the structure the HTML map draws too).
    Arrows run along a spine at the left and across an empty gutter to the
    counter-view column, so no arrow crosses a box; a map taller than a page
    is cut between groups into several drawings (pieces of about `cut`
    points when given, so a map can begin under other text on a page); only a
    single group taller than `max_height` is shrunk to fit.
    """
    groups, counters, boxes = _boxes(outline, course, scale)
    if not groups and not counters:
        return []
    pad, indent, vgap = 4.0, 18.0 * scale, 5.0 * scale
    left_w = width * (0.6 if counters else 1.0)
    right_x = left_w + 30 * scale
    right_w = width - right_x

    def measure(b: _Box, w: float) -> None:
        b.w = w
        if b.repeat:
            b.font, lines = wrapped("↑ " + b.text, ctx, b.size, w - 2 * pad)
            b.lines = [lines[0] + (" …" if len(lines) > 1 else "")]
            b.h = b.size * 1.25 + 2 * pad
        else:
            b.font, b.lines = wrapped(b.text, ctx, b.size, w - 2 * pad)
            b.h = (len(b.lines) + 1) * b.size * 1.25 + 2 * pad

    y = 0.0
    for group in groups:
        for b in group:
            b.x = {0: 0.0, 1: indent, 2: 2 * indent, -1: 0.0}[b.level]
            measure(b, left_w - b.x)
            b.y = y
            y += b.h + vgap
        y += vgap
    # Counter-views: beside their target when it is in the tree, else below the others.
    for c in counters:
        measure(c, right_w)
    nodes = outline.counters

    def target_of(i: int) -> _Box | None:
        against = nodes[i].against
        return boxes[against] if against is not None else None

    # A counter-view never straddles a cut between pieces: it would stretch the piece above and leave
    # a blank band beside it, so it starts in the piece below instead.
    tops = _cut_tops(groups, cut or max_height, max_height)
    ry = 0.0
    for i in sorted(range(len(counters)), key=lambda i: t.y if (t := target_of(i)) else float("inf")):
        c, t = counters[i], target_of(i)
        c.x = right_x
        c.y = max(ry, t.y if t else ry)
        c.y = next((top for top in tops if c.y < top < c.y + c.h), c.y)
        c.parent = t
        ry = c.y + c.h + vgap
    for i, c in enumerate(counters):
        other = nodes[i].against_counter
        if c.parent is None and other is not None:
            c.parent = counters[other]
    return _map_chunks(groups, counters, width, max_height, ctx, tops)


def _cut_tops(groups: list[list[_Box]], cut: float, max_height: float) -> list[float]:
    """Where pieces of the map begin (group tops): a piece ends before a group that would take it past `cut`."""
    tops: list[float] = []
    start = 0.0
    for group in groups:
        top, bottom = group[0].y, group[-1].y + group[-1].h
        if bottom - start > min(cut, max_height) and top > start:
            tops.append(top)
            start = top
    return tops


def _map_chunks(
    groups: list[list[_Box]],
    counters: list[_Box],
    width: float,
    max_height: float,
    ctx: MarkupContext,
    tops: list[float],
) -> list[Drawing]:
    """Cut the laid-out map at `tops` (between groups) into drawings; one taller than a page is shrunk."""
    cuts: list[tuple[float, float]] = []
    start = 0.0
    end = 0.0
    for group in groups:
        top, bottom = group[0].y, group[-1].y + group[-1].h
        if top in tops and top > start:
            cuts.append((start, end))
            start = top
        end = bottom
    total = max([end] + [c.y + c.h for c in counters])
    cuts.append((start, max(end, total) if not cuts else total))
    boxes = [b for g in groups for b in g] + counters
    drawings = []
    for i, (top, bottom) in enumerate(cuts):
        last = i == len(cuts) - 1
        inside = [b for b in boxes if top <= b.y < bottom or (last and b.y >= bottom)]
        bottom = max([bottom] + [b.y + b.h for b in inside])
        height = bottom - top + 4
        g = Group()
        for b in inside:  # arrows first, so boxes sit on top of them
            p = b.parent
            if p is None or not (top <= p.y < bottom or p in inside):
                continue
            if b in counters:
                _counter_arrow(g, b, p, top, height)
            else:
                _spine_arrow(g, b, p, top, height)
        for b in inside:
            _draw_box(g, b, ctx, height - (b.y - top))
        d = _drawing(width, height, ctx.fonts.body)
        if height > max_height:
            s = max_height / height
            g.transform = (s, 0, 0, s, 0, 0)
            d.height = max_height
        d.add(g)
        drawings.append(d)
    return drawings


def _draw_box(g: Group, b: _Box, ctx: MarkupContext, top: float) -> None:
    pad = 4.0
    g.add(
        Rect(
            b.x,
            top - b.h,
            b.w,
            b.h,
            rx=3,
            ry=3,
            fillColor=b.fill,
            strokeColor=b.ink if not b.repeat else RULE,
            strokeWidth=0.7,
            strokeDashArray=[2, 2] if b.repeat else None,
        )
    )
    if b.repeat:
        _text_lines(g, b.x + pad, top - pad + b.size * 0.15, b.lines, b.font, b.size, MUTED)
        return
    rfont, role = label_font(b.role_label, ctx, bold=True)
    role = role.upper()
    if stringWidth(role, rfont, b.size * 0.85) > b.w - 2 * pad:  # "counter-view · argues against …" too wide
        role = role.split(" · ")[0]
    g.add(
        String(
            b.x + pad,
            top - pad - b.size,
            role,
            fontName=rfont,
            fontSize=b.size * 0.85,
            fillColor=b.ink if b.ink is not INK else MUTED,
        )
    )
    _text_lines(g, b.x + pad, top - pad - b.size * 1.25, b.lines, b.font, b.size, b.ink)


def _spine_arrow(g: Group, child: _Box, parent: _Box, top: float, height: float) -> None:
    """An elbow from the parent's left spine into the child's left edge: 'supports'."""
    x = parent.x + 8
    y0 = height - (parent.y + parent.h - top)
    y1 = height - (child.y + min(child.h / 2, 12) - top)
    g.add(Line(x, y0, x, y1, strokeColor=ACCENT, strokeWidth=0.8))
    g.add(Line(x, y1, child.x, y1, strokeColor=ACCENT, strokeWidth=0.8))
    g.add(Polygon([x, y0, x - 2.5, y0 - 5, x + 2.5, y0 - 5], fillColor=ACCENT, strokeColor=ACCENT, strokeWidth=0.3))


def _counter_arrow(g: Group, counter: _Box, target: _Box, top: float, height: float) -> None:
    """A dashed arrow from a counter-view into what it argues against."""
    if target.x >= counter.x:  # another counter-view in the same column: run down its left side
        x = counter.x - 6
        y0 = height - (counter.y + counter.h / 2 - top)
        y1 = height - (target.y + target.h / 2 - top)
        g.add(Line(counter.x, y0, x, y0, strokeColor=COUNTER_INK, strokeWidth=0.8, strokeDashArray=[3, 2]))
        g.add(Line(x, y0, x, y1, strokeColor=COUNTER_INK, strokeWidth=0.8, strokeDashArray=[3, 2]))
        g.add(Line(x, y1, target.x, y1, strokeColor=COUNTER_INK, strokeWidth=0.8, strokeDashArray=[3, 2]))
        return
    sx, sy = counter.x, height - (counter.y + min(counter.h / 2, 14) - top)
    dx, dy = target.x + target.w, height - (target.y + min(target.h / 2, 14) - top)
    g.add(Line(sx, sy, dx + 5, dy, strokeColor=COUNTER_INK, strokeWidth=0.9, strokeDashArray=[3, 2]))
    g.add(
        Polygon(
            [dx, dy, dx + 6, dy + 3, dx + 6, dy - 3], fillColor=COUNTER_INK, strokeColor=COUNTER_INK, strokeWidth=0.3
        )
    )

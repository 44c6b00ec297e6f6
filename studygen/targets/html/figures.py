"""Geometry of the study guide's figures (timeline, argument map), drawn by the SVG templates.

Layout is computed here, in plain Python, and the templates only draw the
shapes, so bank text always passes through the templates' autoescaping and a
course can restyle the figures without redoing the geometry.  SVG has no text
wrapping, so text is wrapped by an estimate of its width (wide East Asian
characters count double).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from studygen.course import Course
from studygen.documents.outline import Node, Outline
from studygen.model import Bank
from studygen.targets.html.inline import plain

FONT_PX = 13
LINE_PX = 17
_NARROW_EM = 0.56  # average advance of a Latin/Cyrillic character in a sans-serif face, in em


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline of the first line
    lines: tuple[str, ...]
    cls: str = ""
    anchor: str = "start"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    cls: str
    label: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Link:
    x1: float
    y1: float
    x2: float
    y2: float
    cls: str = ""


@dataclass(frozen=True)
class Dot:
    cx: float
    cy: float
    r: float = 5


@dataclass
class Figure:
    width: float
    height: float
    boxes: list[Box] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    dots: list[Dot] = field(default_factory=list)


def text_width(text: str, font_px: float = FONT_PX) -> float:
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in ("W", "F"))
    return (wide + (len(text) - wide) * _NARROW_EM) * font_px


def wrap(text: str, max_px: float, font_px: float = FONT_PX) -> tuple[str, ...]:
    """Greedy word wrap by estimated width; a word longer than a line is split."""
    lines: list[str] = []
    current = ""
    for word in plain(text).split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, font_px) <= max_px:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current, font_px) > max_px and len(current) > 1:
            cut = len(current)
            while cut > 1 and text_width(current[:cut], font_px) > max_px:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return tuple(lines) or ("",)


def timeline(bank: Bank, width: float = 720) -> Figure | None:
    """A vertical timeline: dates left of the axis, events right of it, earliest at the top."""
    events = bank.timeline()
    if not events:
        return None
    axis = 150.0
    text_x = axis + 22
    y = 28.0
    fig = Figure(width, 0)
    for fact in events:
        lines = wrap(fact.statement, width - text_x - 12)
        date_lines = (fact.date, fact.date_text) if fact.date_text else (fact.date,)
        fig.dots.append(Dot(axis, y - 5))
        fig.texts.append(Text(axis - 14, y, tuple(date_lines), "tl-date", "end"))
        fig.texts.append(Text(text_x, y, lines, "tl-event"))
        y += max(len(lines), len(date_lines)) * LINE_PX + 16
    fig.links.append(Link(axis, 12, axis, y - 16, "tl-axis"))
    fig.height = y
    return fig


def _box(x: float, y: float, w: float, cls: str, label: str, text: str) -> Box:
    lines = wrap(text, w - 16)
    return Box(x, y, w, 12 + LINE_PX * (len(lines) + 1) + 4, cls, label, lines)


def _reminder(x: float, y: float, w: float, text: str) -> Box:
    """A box shown in full further up: one line, no title, dashed."""
    lines = wrap("↑ " + text, w - 16)
    line = lines[0] + (" …" if len(lines) > 1 else "")
    return Box(x, y, w, 12 + LINE_PX + 4, "am-repeat", "", (line,))


def _node_box(x: float, y: float, w: float, node: Node, course: Course) -> Box:
    if node.repeat:
        return _reminder(x, y, w, node.text)
    cls = {"thesis": "am-thesis", "evidence": "am-evidence", "counter_view": "am-counter"}.get(node.role, "am-premise")
    return _box(x, y, w, cls, course.label(node.role), node.text)


def argument_map(outline: Outline, course: Course, width: float = 720) -> Figure | None:
    """Theses on top with counter-views beside them; every other tree in columns below, its support under it.

    Draws `studygen.documents.outline` (the structure the PDF map draws too):
    premises of a thesis hang from one line under it; arguments outside any
    thesis's tree stand in the same columns without that line; a counter-view
    of something in a column hangs under that column's tree.
    """
    if not outline:
        return None
    nodes = outline.nodes
    tops = [i for i, n in enumerate(nodes) if n.level == 0]
    trees = [g for g in outline.groups() if g[0].level != 0]
    column_of: dict[int, int] = {}  # node index -> tree index
    index = {id(n): i for i, n in enumerate(nodes)}
    for t, g in enumerate(trees):
        for n in g:
            column_of[index[id(n)]] = t
    beside = [c for c in outline.counters if c.against is None or c.against not in column_of]
    under: dict[int, list[Node]] = {}
    for c in outline.counters:
        if c.against is not None and c.against in column_of:
            under.setdefault(column_of[c.against], []).append(c)
    fig = Figure(width, 0)
    gap = 16.0
    left_w = width * (0.62 if beside else 1.0) - (gap / 2 if beside else 0)
    y = 8.0
    top_boxes: dict[int, Box] = {}
    for i in tops:
        box = _node_box(0.5, y, left_w - 1, nodes[i], course)
        top_boxes[i] = box
        y += box.h + 8
    counter_boxes: dict[int, Box] = {}
    cy = 8.0
    for c in beside:
        box = _box(left_w + gap, cy, width - left_w - gap - 0.5, "am-counter", course.label("counter_view"), c.text)
        counter_boxes[outline.counters.index(c)] = box
        fig.boxes.append(box)
        cy += box.h + 8
    for c in beside:
        box = counter_boxes[outline.counters.index(c)]
        target = top_boxes.get(c.against) if c.against is not None else None
        if target is not None:
            fig.links.append(
                Link(box.x, box.y + 18, target.x + target.w, min(box.y + 18, target.y + target.h - 6), "am-counters")
            )
        elif c.against_counter is not None and c.against_counter in counter_boxes:
            other = counter_boxes[c.against_counter]
            x = box.x - 6
            fig.links.append(Link(box.x, box.y + 18, x, box.y + 18, "am-counters"))
            fig.links.append(Link(x, box.y + 18, x, other.y + 18, "am-counters"))
            fig.links.append(Link(x, other.y + 18, other.x, other.y + 18, "am-counters"))
    fig.boxes.extend(top_boxes.values())
    top = max(y, cy) + (36 if tops else 0)
    bus = top - 18  # premises of a thesis hang from one horizontal line under it
    columns = max(1, min(len(trees), 5))
    col_w = (width - gap * (columns - 1)) / columns
    bottom = top
    row_top = top
    above: dict[int, float] = {}
    centres: list[float] = []
    for t, tree in enumerate(trees):
        col = t % columns
        if t and col == 0:
            row_top = bottom + 24
        x = col * (col_w + gap)
        head = _node_box(x + 0.5, row_top, col_w - 1, tree[0], course)
        fig.boxes.append(head)
        cx = head.x + head.w / 2
        if tree[0].level == 1 and tops:
            fig.links.append(Link(cx, head.y, cx, above.get(col, bus), "am-supports"))
            if col not in above:
                centres.append(cx)
        ey = head.y + head.h + 10
        spine = head.x + 10
        hanging = [(n, "am-supports") for n in tree[1:]] + [(c, "am-counters") for c in under.get(t, ())]
        for node, cls in hanging:
            box = _node_box(spine + 12, ey, col_w - 23, node, course)
            fig.boxes.append(box)
            fig.links.append(Link(spine, ey + 16, box.x, ey + 16, cls))
            fig.links.append(Link(spine, head.y + head.h, spine, ey + 16, cls))
            ey += box.h + 10
        above[col] = ey - 10
        bottom = max(bottom, ey)
    if centres and tops:
        last = top_boxes[tops[-1]]
        first = top_boxes[tops[0]]
        mid = first.x + first.w / 2
        fig.links.append(Link(mid, last.y + last.h, mid, bus, "am-supports"))
        fig.links.append(Link(min([mid, *centres]), bus, max([mid, *centres]), bus, "am-supports"))
    fig.height = max(bottom, top) + 4
    return fig

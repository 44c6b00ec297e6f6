"""Geometry of the study guide's figures (timeline, argument map), drawn by the SVG templates.

Layout is computed here, in plain Python, and the templates only draw the
shapes, so bank text always passes through the templates' autoescaping and a
course can restyle the figures without redoing the geometry.  SVG has no text
wrapping, so text is wrapped by an estimate of its width (wide East Asian
characters count double).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from studygen.course import Course
from studygen.dates import date_label
from studygen.model import Argument, Bank, Fact
from studygen.targets.html.inline import plain

FONT_PX = 13
LINE_PX = 17
_BOLD_WIDER = 1.12  # bold glyphs (the timeline's dates) are about this much wider than regular ones
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


def timeline(bank: Bank, labels: Mapping[str, str], width: float = 720) -> Figure | None:
    """A vertical timeline: dates left of the axis, events right of it, earliest at the top.

    A date label is wrapped to the room left of the axis (it is drawn right-aligned against
    the axis, so a line wider than that room would run off the figure's left edge).
    """
    events = bank.timeline()
    if not events:
        return None
    axis = 170.0
    text_x = axis + 22
    y = 28.0
    fig = Figure(width, 0)
    for fact in events:
        lines = wrap(fact.statement, width - text_x - 12)
        date_lines = wrap(date_label(fact, labels), (axis - 18) / _BOLD_WIDER)
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


def _statement(item: Fact | Argument) -> str:
    return item.statement if isinstance(item, Fact) else item.claim


@dataclass(frozen=True)
class MapOutline:
    """The argument map as a tree, shared by the SVG and its text version."""

    theses: tuple[Argument, ...]
    premises: tuple[tuple[Argument | Fact, tuple[Fact | Argument, ...]], ...]
    counters: tuple[Argument, ...]


def argument_outline(bank: Bank) -> MapOutline | None:
    theses = tuple(a for a in bank.arguments if a.role == "thesis")
    if not theses:
        return None
    placed = {t.id for t in theses}
    premise_ids: list[str] = []
    for t in theses:
        premise_ids.extend(r for r in t.supported_by if r not in placed and r not in premise_ids)
    premise_ids.extend(a.id for a in bank.arguments if a.role == "premise" and a.id not in premise_ids)
    counters = tuple(a for a in bank.arguments if a.role == "counter")
    placed |= {a.id for a in counters}
    premises = []
    for pid in premise_ids:
        item = bank.source(pid)
        if item is None or pid in placed:
            continue
        placed.add(pid)
        support = []
        if isinstance(item, Argument):
            for ref in item.supported_by:
                evidence = bank.source(ref)
                if evidence is not None:
                    support.append(evidence)
        premises.append((item, tuple(support)))
    return MapOutline(theses, tuple(premises), counters)


def argument_map(bank: Bank, course: Course, width: float = 720) -> Figure | None:
    """Thesis on top with the counter-view beside it, premises below, each premise's evidence under it."""
    outline = argument_outline(bank)
    if outline is None:
        return None
    fig = Figure(width, 0)
    gap = 16.0
    left_w = width * (0.62 if outline.counters else 1.0) - (gap / 2 if outline.counters else 0)
    y = 8.0
    thesis_boxes = []
    for t in outline.theses:
        box = _box(0.5, y, left_w - 1, "am-thesis", course.label("thesis"), t.claim)
        thesis_boxes.append(box)
        y += box.h + 8
    cy = 8.0
    for c in outline.counters:
        box = _box(
            left_w + gap,
            cy,
            width - left_w - gap - 0.5,
            "am-counter",
            f"{course.label('counter_view')}: {c.holder}",
            c.claim,
        )
        fig.boxes.append(box)
        target = thesis_boxes[0]
        fig.links.append(
            Link(box.x, box.y + 18, target.x + target.w, min(box.y + 18, target.y + target.h - 6), "am-counters")
        )
        cy += box.h + 8
    fig.boxes.extend(thesis_boxes)
    top = max(y, cy) + 36
    bus = top - 18  # premises hang from one horizontal line under the thesis
    columns = max(1, min(len(outline.premises), 5))
    col_w = (width - gap * (columns - 1)) / columns
    bottom = top
    row_top = top
    above: dict[int, float] = {}
    centres = [thesis_boxes[0].x + thesis_boxes[0].w / 2]
    for index, (premise, evidence) in enumerate(outline.premises):
        col = index % columns
        if index and col == 0:
            row_top = bottom + 24
        x = col * (col_w + gap)
        kind = "am-premise" if isinstance(premise, Argument) else "am-evidence"
        label = course.label("premise") if isinstance(premise, Argument) else course.label("evidence")
        box = _box(x + 0.5, row_top, col_w - 1, kind, label, _statement(premise))
        fig.boxes.append(box)
        cx = box.x + box.w / 2
        fig.links.append(Link(cx, box.y, cx, above.get(col, bus), "am-supports"))
        if col not in above:
            centres.append(cx)
        ey = box.y + box.h + 10
        spine = box.x + 10
        for ev in evidence:
            ebox = _box(spine + 12, ey, col_w - 23, "am-evidence", course.label("evidence"), _statement(ev))
            fig.boxes.append(ebox)
            fig.links.append(Link(spine, ey + 16, ebox.x, ey + 16, "am-supports"))
            fig.links.append(Link(spine, box.y + box.h, spine, ey + 16, "am-supports"))
            ey += ebox.h + 10
        above[col] = ey - 10
        bottom = max(bottom, ey)
    if outline.premises:
        last = thesis_boxes[-1]
        fig.links.append(Link(centres[0], last.y + last.h, centres[0], bus, "am-supports"))
        fig.links.append(Link(min(centres), bus, max(centres), bus, "am-supports"))
    fig.height = max(bottom, top) + 4
    return fig

"""The study guide's figures: the timeline's SVG geometry and the argument map's nested boxes.

Layout is computed here, in plain Python, and the templates only draw it, so
bank text always passes through the templates' autoescaping and a course can
restyle the figures without redoing the layout.  SVG has no text wrapping, so
the timeline's text is wrapped by an estimate of its width (wide East Asian
characters count double).  The argument map is HTML boxes instead: an SVG tree
wide enough for its text does not fit a phone, and boxes of text reflow.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from studygen.dates import date_label
from studygen.documents.outline import Node, Outline
from studygen.model import Bank
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


@dataclass(frozen=True)
class MapCounter:
    """A counter-view's box, and what it argues against (a box of the map, by anchor)."""

    node: Node
    anchor: str
    target: Node | None
    target_anchor: str


@dataclass(frozen=True)
class MapItem:
    """A box of the map, the counter-views beside it and the boxes that support it (nested under it)."""

    node: Node
    anchor: str  # the box's id; a one-line reminder has none and links to `ref`, the box shown in full
    ref: str
    counters: tuple[MapCounter, ...]
    children: tuple[MapItem, ...]

    @property
    def evidence_grid(self) -> bool:
        """Its support is evidence only (no deeper tree): wide screens lay those boxes out side by side."""
        return bool(self.children) and all(c.node.level == 2 and not c.children for c in self.children)


@dataclass(frozen=True)
class ArgumentMap:
    """The argument map as nested boxes (HTML and CSS, not SVG), so its text wraps and reflows on a phone.

    `loose` are counter-views with no box to stand beside (they argue against
    each other and there is no tree to put them in).
    """

    items: tuple[MapItem, ...]
    loose: tuple[MapCounter, ...]

    def boxes(self) -> int:
        def count(item: MapItem) -> int:
            return 1 + len(item.counters) + sum(count(c) for c in item.children)

        return sum(count(i) for i in self.items) + len(self.loose)


def argument_map(outline: Outline) -> ArgumentMap | None:
    """Draws `studygen.documents.outline` (the structure the PDF map draws too) as nested items.

    Every node and counter-view is one box, as in the PDF.  A counter-view stands
    beside what it argues against; one that argues against another counter-view
    stands beside that one's box, and the rest beside the first tree's top box.
    """
    if not outline:
        return None
    nodes = outline.nodes
    full: dict[str, str] = {}
    for i, n in enumerate(nodes):
        if not n.repeat:
            full.setdefault(n.id, f"am-n{i}")
    beside: dict[int, list[int]] = {}  # node index -> counter indexes
    placed: dict[int, int] = {}  # counter index -> node index it stands beside
    for ci, c in enumerate(outline.counters):
        if c.against is not None:
            beside.setdefault(c.against, []).append(ci)
            placed[ci] = c.against
    roots = [i for i, n in enumerate(nodes) if n.parent is None]
    pending = [ci for ci in range(len(outline.counters)) if ci not in placed]
    while pending:  # against another counter-view: beside that one, once it has a place
        ready = [ci for ci in pending if outline.counters[ci].against_counter in placed]
        if not ready:
            break
        for ci in ready:
            at = placed[outline.counters[ci].against_counter]  # type: ignore[index]
            beside.setdefault(at, []).append(ci)
            placed[ci] = at
            pending.remove(ci)
    if pending and roots:
        beside.setdefault(roots[0], []).extend(pending)
        pending = []

    def counter(ci: int) -> MapCounter:
        c = outline.counters[ci]
        target, anchor = None, ""
        if c.against is not None:
            target, anchor = nodes[c.against], f"am-n{c.against}"
        elif c.against_counter is not None:
            target, anchor = outline.counters[c.against_counter], f"am-c{c.against_counter}"
        return MapCounter(c, f"am-c{ci}", target, anchor)

    kids: dict[int | None, list[int]] = {}
    for i, n in enumerate(nodes):
        kids.setdefault(n.parent, []).append(i)

    def item(i: int) -> MapItem:
        n = nodes[i]
        # One-line reminders after the boxes shown in full, so a grid of evidence has no half-empty rows.
        children = sorted(kids.get(i, ()), key=lambda k: nodes[k].repeat)
        return MapItem(
            n,
            "" if n.repeat else f"am-n{i}",
            full.get(n.id, "") if n.repeat else "",
            tuple(counter(ci) for ci in beside.get(i, ())),
            tuple(item(k) for k in children),
        )

    return ArgumentMap(tuple(item(i) for i in roots), tuple(counter(ci) for ci in pending))

"""A small pre-measured layout engine for documents drawn in many versions.

A quiz's versions differ only in question order and option letters, so the
expensive part of platypus (parsing markup and wrapping text) is done once per
(text, style, width) and the wrapped paragraphs are drawn straight onto each
version's canvas.  Documents are lists of `Block`s (a question: never split
across pages when it fits on one) made of `Row`s (the unit a too-tall block is
split at); pagination is plain arithmetic on known heights, so "page x of y"
is known before anything is drawn.
"""

from __future__ import annotations

import io
import string
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from studygen.repro import BuildTime
from studygen.targets.pdf.fonts import FontSet
from studygen.targets.pdf.markup import MarkupContext

_LETTERING = frozenset(string.ascii_letters + string.digits + " .,;:-()|")


def check_source_date_epoch() -> None:
    """reportlab reads SOURCE_DATE_EPOCH itself; refuse a malformed one (by the one policy) before it does."""
    BuildTime.from_environ()


def new_canvas(buf: io.BytesIO, pagesize: tuple[float, float], fonts: FontSet, *, title: str, subject: str) -> Canvas:
    """A canvas that is byte-reproducible and never starts a page in (non-embedded) Helvetica."""
    c = Canvas(
        buf,
        pagesize=pagesize,
        invariant=1,  # fixed document ID; the date comes from SOURCE_DATE_EPOCH or a fixed epoch
        pageCompression=1,
        initialFontName=fonts.body,
        initialFontSize=10,
    )
    c.setTitle(title)
    c.setSubject(subject)
    c.setCreator("studygen")
    c.setAuthor("studygen")
    return c


@lru_cache(maxsize=8192)
def _translate(x: float, y: float) -> str:
    """What `canvas.translate(x, y)` writes; positions repeat across versions, so format each once."""
    return f"1 0 0 1 {fp_str(x, y)} cm"


@lru_cache(maxsize=8192)
def _line(width: float, x1: float, y1: float, x2: float, y2: float) -> str:
    return f"{fp_str(width)} w\nn {fp_str(x1, y1)} m {fp_str(x2, y2)} l S"


def _replay(canvas: Canvas, x: float, y: float, frag: list[str]) -> None:
    code = canvas._code
    code.append("q")  # exactly what saveState() + translate() write, so replays are byte-identical
    code.append(_translate(x, y))
    code.extend(frag)
    code.append("Q")


class Para:
    """A paragraph wrapped once; after its first drawing, drawing it again replays the recorded operators."""

    __slots__ = ("frag", "height", "owner", "para", "width")

    def __init__(self, para: Paragraph, width: float, height: float, owner: ParaCache) -> None:
        self.para, self.width, self.height, self.owner = para, width, height, owner
        self.frag: list[str] | None = None

    def draw(self, canvas: Canvas, x: float, top: float) -> None:
        y = top - self.height
        if self.frag is not None:
            _replay(canvas, x, y, self.frag)
            return
        before = self.owner.signature(canvas)
        canvas.saveState()
        canvas.translate(x, y)
        start = len(canvas._code)
        self.para.canv = canvas
        self.para.draw()
        del self.para.canv
        if before is not None and self.owner.signature(canvas) == before:
            self.frag = canvas._code[start:]
        canvas.restoreState()


class ParaCache:
    """Wrapped paragraphs keyed by (text, style, width), shared by every version of a document.

    Replaying recorded PDF operators is only valid if every document encodes
    text identically.  TrueType text is encoded through per-document subsets
    assigned in order of first use, so `prepare` assigns, in one fixed order,
    every character each font drew in a trial run (`learn`), before anything
    is drawn.  Operators are recorded only if drawing them assigned nothing
    new (see `signature`), so text outside the prepared set is always drawn
    afresh and a replay can never carry another document's codes.
    """

    def __init__(self, ctx: MarkupContext) -> None:
        self.ctx = ctx
        self._paras: dict[tuple[str, str, float, bool], list[Para]] = {}
        self._stamps: dict[tuple[str, str, float, bool, str | None], list[str]] = {}
        names = [ctx.fonts.body, ctx.fonts.bold, ctx.fonts.italic, ctx.fonts.bold_italic]
        if ctx.fonts.fallback:
            names += [ctx.fonts.fallback, ctx.fonts.fallback + "-Bold"]
        self._fonts = [pdfmetrics.getFont(n) for n in names]
        self._lettering = {ctx.fonts.body, ctx.fonts.bold}
        self._order: list[tuple[str, str]] | None = None  # (font, characters) to prepare; None until learned

    def learn(self, canvas: Canvas) -> None:
        """Take each font's characters from a trial document (plus what other versions' letters may need)."""
        doc = canvas._doc
        order = []
        for font in self._fonts:
            state = font.state.get(doc)
            if state is None:
                continue
            chars = {chr(c) for c in state.assignments}
            if font.fontName in self._lettering:  # other versions' numbers, letters and labels
                chars |= _LETTERING
            order.append((font.fontName, "".join(sorted(chars))))
        self._order = order

    def prepare(self, canvas: Canvas) -> None:
        """Fix font names and character codes for a new document (same order for every document)."""
        if self._order is None:
            return
        doc = canvas._doc
        for name, chars in self._order:
            font = pdfmetrics.getFont(name)
            font.splitString(chars, doc)
            font.getSubsetInternalName(0, doc)
        canvas._studygen_fonts = len(doc.fontMapping)

    def signature(self, canvas: Canvas) -> tuple[int, ...] | None:
        """Codes assigned so far in this document, or None if its encoding is not the prepared one."""
        doc = canvas._doc
        if getattr(canvas, "_studygen_fonts", None) != len(doc.fontMapping):
            return None  # not prepared, or a font outside the prepared set is in use
        out = []
        for font in self._fonts:
            state = font.state.get(doc)
            out.append(state.nextCode if state is not None else -1)
        return tuple(out)

    def pieces(
        self, text: str, style: ParagraphStyle, width: float, max_height: float, *, raw: bool = False
    ) -> list[Para]:
        """`text` wrapped to `width`, split into pieces no taller than `max_height` (one piece almost always).

        `raw=True` means `text` is already markup built by this package from escaped parts.
        """
        key = (text, style.name, width, raw)
        hit = self._paras.get(key)
        if hit is not None:
            return hit
        markup = text if raw else self.ctx(text)
        p = Paragraph(markup, style)
        _, h = p.wrap(width, max_height)
        out: list[Para] = []
        while h > max_height:
            parts = p.split(width, max_height)
            if len(parts) < 2:
                break
            head, p = parts[0], parts[1]
            _, hh = head.wrap(width, max_height)
            out.append(Para(head, width, hh, self))
            _, h = p.wrap(width, max_height)
        out.append(Para(p, width, h, self))
        self._paras[key] = out
        return out

    def stamp(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        text: str,
        font: str,
        size: float,
        right: bool,
        color: Color | None = None,
    ) -> None:
        """A one-line string (numbers, letters), recorded once and replayed like a paragraph.

        `color` lets a one-line answer match the colour its wrapped neighbours get from their paragraph
        style (the marking grid draws both kinds side by side).
        """
        key = (text, font, size, right, None if color is None else str(color.hexval()))
        frag = self._stamps.get(key)
        if frag is not None:
            _replay(canvas, x, y, frag)
            return
        before = self.signature(canvas)
        canvas.saveState()
        canvas.translate(x, y)
        start = len(canvas._code)
        canvas.setFont(font, size)
        if color is not None:
            canvas.setFillColor(color)
        if right:
            canvas.drawRightString(0, 0, text)
        else:
            canvas.drawString(0, 0, text)
        if before is not None and self.signature(canvas) == before:
            self._stamps[key] = canvas._code[start:]
        canvas.restoreState()


# A drawing operation relative to a row's top-left corner.
Op = Callable[[Canvas, float, float], None]


@dataclass(slots=True)
class Row:
    height: float
    ops: list[Op] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    """Rows that stay on one page together whenever they fit on one page."""

    rows: list[Row]
    space_after: float = 0.0

    @property
    def height(self) -> float:
        return sum(r.height for r in self.rows)


@dataclass(slots=True)
class Placed:
    y: float  # top of the row, measured down from the top of the frame
    row: Row


def paginate(blocks: Sequence[Block], frame_height: float) -> list[list[Placed]]:
    """Greedy pagination: a block moves to a fresh page rather than split, unless it is taller than a page."""
    pages: list[list[Placed]] = [[]]
    y = 0.0
    for block in blocks:
        h = block.height
        if y > 0 and y + h > frame_height and h <= frame_height:
            pages.append([])
            y = 0.0
        for row in block.rows:
            if y > 0 and y + row.height > frame_height:
                pages.append([])
                y = 0.0
            pages[-1].append(Placed(y, row))
            y += row.height
        y += block.space_after
    return pages


@dataclass(frozen=True, slots=True)
class Frame:
    x: float
    top: float
    width: float
    height: float


def draw_document(
    canvas: Canvas,
    pages: list[list[Placed]],
    frame: Frame,
    furniture: Callable[[Canvas, int, int], None],
    font: str,
) -> None:
    """Draw paginated rows; the font is set before furniture so no page ever begins in a default font."""
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        canvas.setFont(font, 9)
        furniture(canvas, number, total)
        for placed in page:
            top = frame.top - placed.y
            for op in placed.row.ops:
                op(canvas, frame.x, top)
        canvas.showPage()


def text_op(
    cache: ParaCache,
    dx: float,
    dy: float,
    text: str,
    font: str,
    size: float,
    *,
    right: bool = False,
    color: Color | None = None,
) -> Op:
    """A single-line string (numbers, letters): no paragraph machinery at all."""

    def op(c: Canvas, x: float, top: float) -> None:
        cache.stamp(c, x + dx, top - dy, text, font, size, right, color)

    return op


def para_op(dx: float, dy: float, para: Para) -> Op:
    def op(c: Canvas, x: float, top: float) -> None:
        para.draw(c, x + dx, top - dy)

    return op


def line_op(dx1: float, dy1: float, dx2: float, dy2: float, width: float = 0.6) -> Op:
    """A rule, written as the same operators `setLineWidth` + `line` would write (formatting cached)."""

    def op(c: Canvas, x: float, top: float) -> None:
        c._code.append(_line(width, x + dx1, top - dy1, x + dx2, top - dy2))

    return op


@contextmanager
def binary_streams() -> Iterator[None]:
    """Flate without the ASCII85 layer: smaller files and no slow pure-Python encoding."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def render(
    draw: Callable[[Canvas], None],
    pagesize: tuple[float, float],
    fonts: FontSet,
    *,
    title: str,
    subject: str,
    cache: ParaCache | None = None,
) -> bytes:
    buf = io.BytesIO()
    with binary_streams():
        canvas = new_canvas(buf, pagesize, fonts, title=title, subject=subject)
        if cache is not None:
            cache.prepare(canvas)
        draw(canvas)
        canvas.save()
    return buf.getvalue()

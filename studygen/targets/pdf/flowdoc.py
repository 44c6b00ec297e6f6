"""Single-copy documents (study guide, discussion handouts) laid out with platypus.

These are drawn once per bank, so platypus's flexibility (tables, figures,
flowing text) is worth more than speed here.  "Page x of y" needs the page
count before the furniture is drawn, so pages are kept until `save` and
furnished then; the canvas's font is set first on every page, so no page
ever starts in (non-embedded) Helvetica.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from studygen.course import Course
from studygen.targets.pdf.layout import binary_streams, check_source_date_epoch
from studygen.targets.pdf.markup import MarkupContext
from studygen.targets.pdf.styles import RULE, Styles, page_size


def _one_line(text: str, style: ParagraphStyle, width: float, ctx: MarkupContext) -> tuple[Paragraph, float]:
    """A running-header paragraph shortened with an ellipsis until it fits on one line."""
    words = text.split()
    p = Paragraph(ctx(text), style)
    _, h = p.wrap(width, 200)
    while h > style.leading * 1.5 and len(words) > 1:
        words.pop()
        p = Paragraph(ctx(" ".join(words) + " …"), style)
        _, h = p.wrap(width, 200)
    return p, h


def _furnished_canvas(
    course: Course, st: Styles, ctx: MarkupContext, left: str, right: str, header: float
) -> type[Canvas]:
    left_style = ParagraphStyle("furn-left", parent=st.muted)
    right_style = ParagraphStyle("furn-right", parent=st.muted, alignment=TA_RIGHT)
    foot_style = ParagraphStyle("furn-foot", parent=st.muted, alignment=TA_CENTER)

    class FurnishedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furnish(self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _furnish(self, page: int, pages: int) -> None:
            pw, ph = self._pagesize
            m = st.margin
            width = pw - 2 * m
            self.setFont(st.fonts.body, 9)
            for text, style, x, w in (
                (left, left_style, m, width * 0.68),
                (right, right_style, m + width * 0.68, width * 0.32),
            ):
                p, h = _one_line(text, style, w, ctx)
                p.drawOn(self, x, ph - m + 2 - h)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(m, ph - m - header + 7, m + width, ph - m - header + 7)
            foot = Paragraph(ctx(course.label("page_x_of_y", page=page, pages=pages)), foot_style)
            _, h = foot.wrap(width, 40)
            foot.drawOn(self, m, m - 4)

    return FurnishedCanvas


def build_flow_pdf(
    course: Course,
    st: Styles,
    ctx: MarkupContext,
    story: list[Flowable],
    *,
    title: str,
    header_left: str,
    header_right: str,
) -> bytes:
    """Lay out `story` on the course's paper with running header and "page x of y" footer."""
    check_source_date_epoch()
    buf = io.BytesIO()
    pagesize = page_size(course.paper)
    m = st.margin
    header = 10 * st.scale + 14
    footer = 10 * st.scale + 6
    frame = Frame(
        m,
        m + footer,
        pagesize[0] - 2 * m,
        pagesize[1] - 2 * m - header - footer,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        pageTemplates=[PageTemplate("page", [frame])],
        title=title,
        subject=header_right,
        author="studygen",
        creator="studygen",
        invariant=1,
        pageCompression=1,
        initialFontName=st.fonts.body,
        leftMargin=m,
        rightMargin=m,
        topMargin=m,
        bottomMargin=m,
    )
    with binary_streams():
        doc.build(story, canvasmaker=_furnished_canvas(course, st, ctx, header_left, header_right, header))
    return buf.getvalue()

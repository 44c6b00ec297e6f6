"""Answer-sheet PDFs: the layout from `studygen.sheetlayout`, drawn box for box.

Nothing is positioned here that the layout does not say, except the header
text, which is wrapped inside the header rectangle the layout reserves.  So
the manifest (which records the layout) and the printed page cannot disagree,
and the scanner reads marks exactly where they were printed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from studygen.course import Course
from studygen.documents.base import Batch, Plan, QuizSubject, VersionSubject
from studygen.sheetlayout import SheetLayout, SheetPage, payload, quiz_sheets
from studygen.targets.pdf.fonts import FontSet, font_set
from studygen.targets.pdf.layout import binary_streams, check_source_date_epoch, new_canvas
from studygen.targets.pdf.markup import DEFAULT_MISSING, MarkupContext, warn_missing
from studygen.versions import Quiz

BLACK = colors.black
MUTED = colors.HexColor("#444444")


@dataclass(frozen=True, slots=True)
class SheetStudent:
    """A personalised sheet's student: printed in the header and encoded in every page's code."""

    student_id: str
    name: str
    version: str


class _SheetPainter:
    def __init__(self, course: Course, quiz: Quiz, fp: str) -> None:
        self.course = course
        self.quiz = quiz
        self.fp = fp
        self.fonts: FontSet = font_set(course.hangul_font)
        self.ctx = MarkupContext(self.fonts, course.labels.get("missing_font", DEFAULT_MISSING))
        f = self.fonts
        self.small = ParagraphStyle("sheet-small", fontName=f.body, fontSize=7.5, leading=9.4, textColor=MUTED)
        self.title = ParagraphStyle("sheet-title", fontName=f.bold, fontSize=12, leading=14.5)
        self.sub = ParagraphStyle("sheet-sub", fontName=f.bold, fontSize=10, leading=12.5)
        self.body = ParagraphStyle("sheet-body", fontName=f.body, fontSize=9.5, leading=12)
        self.foot = ParagraphStyle("sheet-foot", parent=self.small, alignment=TA_CENTER, fontSize=7, leading=8.5)

    @property
    def course_line(self) -> str:
        c = self.course
        return " · ".join(x for x in (c.title, c.institution, c.term, c.instructor) if x)

    def para(self, c: Canvas, text: str, style: ParagraphStyle, x: float, top: float, width: float, ph: float) -> float:
        """Draw wrapped text with its top at `top` (from the page top); returns the height used."""
        p = Paragraph(text, style)
        _, h = p.wrap(width, 1000)
        p.drawOn(c, x, ph - top - h)
        return float(h)

    def page(self, c: Canvas, layout: SheetLayout, page: SheetPage, student: SheetStudent | None) -> None:
        lab = self.course.label
        w, ph = page.size
        pages = len(layout.pages)
        c.setFillColor(BLACK)
        c.setStrokeColor(BLACK)
        for x, y, mw, mh in page.marks:
            c.rect(x, ph - y - mh, mw, mh, stroke=0, fill=1)
        code = payload(self.quiz.id, layout.version, page.number, pages, self.fp, student.student_id if student else "")
        self.qr(c, code, page.qr, ph)

        hx, hy, hw, _ = page.header
        top = hy
        if self.course_line:
            top += self.para(c, self.ctx(self.course_line), self.small, hx, top, hw, ph) + 2
        top += self.para(c, self.ctx(self.quiz.title), self.title, hx, top, hw, ph) + 2
        sub = f"{lab('answer_sheet')} · {lab('version')} {layout.version} · " + lab(
            "page_x_of_y", page=page.number, pages=pages
        )
        top += self.para(c, self.ctx(sub), self.sub, hx, top, hw, ph) + 8
        if student is None:
            name = self.ctx(f"{lab('name')}:")
            used = self.para(c, name, self.body, hx, top, hw, ph)
            c.setLineWidth(0.6)
            c.line(hx + 44, ph - top - used + 2, hx + hw, ph - top - used + 2)
            top += used + 10
        else:
            text = f"<b>{self.ctx(lab('name'))}:</b> {self.ctx(student.name)}"
            top += self.para(c, text, self.body, hx, top, hw, ph) + 2
            text = f"<b>{self.ctx(lab('student_id'))}:</b> {self.ctx(student.student_id)}"
            top += self.para(c, text, self.body, hx, top, hw, ph) + 6
        how = self.ctx(lab("sheet_instructions") + ("" if student else " " + lab("sheet_id_instructions")))
        room = page.header[1] + page.header[3] - top
        style = self.small
        for size in (7.5, 7.0, 6.5, 6.0):  # long wording (another language) gets smaller type, never overlaps boxes
            style = ParagraphStyle(f"sheet-how-{size}", parent=self.small, fontSize=size, leading=size * 1.25)
            if Paragraph(how, style).wrap(hw, 1000)[1] <= room:
                break
        self.para(c, how, style, hx, top, hw, ph)

        if page.id_grid is not None:
            gx, gy, gw, _ = page.id_grid
            self.para(c, f"<b>{self.ctx(lab('student_id'))}</b>", self.small, gx, gy - 1, gw + 30, ph)
        c.setLineWidth(0.5)
        c.setStrokeColor(MUTED)
        for x1, y1, x2, y2 in page.lines:
            c.line(x1, ph - y1, x2, ph - y2)
        c.setStrokeColor(BLACK)
        c.setLineWidth(0.8)
        for b in page.boxes:
            x, y, bw, bh = b.rect
            c.rect(x, ph - y - bh, bw, bh, stroke=1, fill=0)
        for t in page.texts:
            font = self.fonts.bold if t.bold else self.fonts.body
            c.setFillColor(MUTED if t.muted else BLACK)
            c.setFont(font, t.size)
            draw = {"center": c.drawCentredString, "right": c.drawRightString}.get(t.align, c.drawString)
            draw(t.x, ph - t.y, t.text)
        c.setFillColor(BLACK)
        foot = f"{self.quiz.id} · {lab('version')} {layout.version} · {page.number}/{pages} · {self.fp}"
        if student is not None:
            foot += f" · {student.student_id}"
        foot += f" · {lab('sheet_footer')}"
        self.para(c, self.ctx(foot), self.foot, 60, ph - 40, w - 120, ph)

    def qr(self, c: Canvas, value: str, rect: tuple[float, float, float, float], ph: float) -> None:
        x, y, size, _ = rect
        widget = QrCodeWidget(value, barLevel="M", barBorder=0)
        bx0, by0, bx1, by1 = widget.getBounds()
        d = Drawing(size, size, transform=[size / (bx1 - bx0), 0, 0, size / (by1 - by0), 0, 0])
        d.add(widget)
        renderPDF.draw(d, c, x, ph - y - size)


def _render(painter: _SheetPainter, pages: Sequence[tuple[SheetLayout, SheetStudent | None]], title: str) -> bytes:
    buf = io.BytesIO()
    first = pages[0][0].pages[0].size
    with binary_streams():
        c = new_canvas(buf, first, painter.fonts, title=title, subject=title)
        for layout, student in pages:
            for page in layout.pages:
                c.setPageSize(page.size)
                painter.page(c, layout, page, student)
                c.showPage()
        c.save()
    return buf.getvalue()


def render_sheet_pdfs(
    course: Course,
    quiz: Quiz,
    layouts: Sequence[SheetLayout],
    fp: str,
    roster: Sequence[tuple[SheetStudent, SheetLayout]] = (),
) -> tuple[dict[str, bytes], bytes | None]:
    """Blank sheets per version label, and the personalised sheets of a roster in roster order (or None)."""
    check_source_date_epoch()
    painter = _SheetPainter(course, quiz, fp)
    lab = course.label
    blank = {
        lay.version: _render(painter, [(lay, None)], f"{quiz.title} — {lab('answer_sheet')} {lay.version}")
        for lay in layouts
    }  # (per version: a printer needs one file to print 30 copies of)
    personal = None
    if roster:
        personal = _render(painter, [(lay, s) for s, lay in roster], f"{quiz.title} — {lab('answer_sheet')}")
    warn_missing(painter.ctx, f"answer sheets of quiz {quiz.id!r}")
    return blank, personal


def render_answer_sheets(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    """The `answer_sheet` kind's renderer: blank sheets of consecutive versions of one quiz."""
    first = batch.outputs[0].subject
    assert isinstance(first, VersionSubject)
    planned = plan.project.quizzes[first.quiz]
    course = plan.course
    sheets = quiz_sheets(planned.quiz, course.paper, planned.id_digits, marker=course.label("sheet_marker"))
    wanted = [sheets.blank[o.subject.version] for o in batch.outputs if isinstance(o.subject, VersionSubject)]
    pdfs, _ = render_sheet_pdfs(course, planned.quiz, wanted, sheets.fingerprint)
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, VersionSubject)
        out.append((o.path, pdfs[planned.quiz.versions[o.subject.version].label]))
    return out


def render_roster_sheets(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    """The `roster_sheets` kind's renderer: every roster student's sheet, in roster order, in one PDF."""
    out = []
    course = plan.course
    for o in batch.outputs:
        assert isinstance(o.subject, QuizSubject)
        planned = plan.project.quizzes[o.subject.quiz]
        sheets = quiz_sheets(
            planned.quiz, course.paper, planned.id_digits, planned.roster, marker=course.label("sheet_marker")
        )
        students = [(SheetStudent(sid, name, v), sheets.personal[v]) for sid, name, v in sheets.roster]
        _, personal = render_sheet_pdfs(course, planned.quiz, [], sheets.fingerprint, students)
        assert personal is not None
        out.append((o.path, personal))
    return out

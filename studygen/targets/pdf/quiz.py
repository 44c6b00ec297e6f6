"""Quiz and answer-key PDFs for every version of a quiz, sharing one layout cache.

Versions differ only in order and letters, so letters, numbers and points are
drawn as plain strings beside paragraphs that were wrapped once for the whole
quiz (see `layout`).  What the quiz and the key say comes from one `QuizContent` per version
(`studygen.documents.quiz`), the same the HTML pages draw, so no format decides it alone.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from studygen.course import Course
from studygen.documents.quiz import ItemView, QuizContent, points_text, quiz_content
from studygen.errors import StudygenError
from studygen.model import CHOICE_LIKE_TYPES, QuestionType
from studygen.targets.pdf.fonts import FontSet, font_set
from studygen.targets.pdf.key import answer_column_block, key_blocks
from studygen.targets.pdf.layout import (
    Block,
    Frame,
    Op,
    Para,
    ParaCache,
    Row,
    check_source_date_epoch,
    draw_document,
    line_op,
    new_canvas,
    paginate,
    para_op,
    render,
    text_op,
)
from studygen.targets.pdf.markup import DEFAULT_MISSING, MarkupContext, warn_missing
from studygen.targets.pdf.styles import ACCENT, MUTED, RULE, Styles, make_styles, page_size
from studygen.versions import Quiz, StudentVersion, Version


@dataclass
class Logo:
    """The course logo, read once per quiz; drawn at a fixed height, keeping its proportions."""

    image: ImageReader
    width: float
    height: float

    @classmethod
    def load(cls, path: Path | None, data: bytes, height: float) -> Logo | None:
        if path is None or not data:
            return None
        try:
            image = ImageReader(io.BytesIO(data))
            w, h = image.getSize()
        except Exception as exc:  # reportlab/PIL raise many types for unreadable images
            raise StudygenError(f"logo: {path}: cannot read this image ({exc}); use a PNG or JPEG file") from None
        return cls(image, height * w / h, height)


class QuizLayout:
    """Everything shared by all versions of one quiz: fonts, styles, geometry and wrapped paragraphs."""

    def __init__(
        self,
        course: Course,
        quiz: Quiz,
        *,
        large_print: bool,
        answer_sheets: bool = False,
        answer_column: bool = False,
        lines_per_point: float | None = None,
    ) -> None:
        self.course = course
        self.answer_sheets = answer_sheets
        self.answer_column = answer_column  # used when a caller lets the layout build the content
        self.lines_per_point = lines_per_point
        self.quiz = quiz
        self.large_print = large_print
        self.fonts: FontSet = font_set(course.hangul_font)
        self.st: Styles = make_styles(self.fonts, large_print=large_print)
        self.ctx = MarkupContext(self.fonts, course.labels.get("missing_font", DEFAULT_MISSING))
        self.cache = ParaCache(self.ctx)
        # Rows are immutable once built and placed by reference, so versions share them too.
        self.rows: dict[tuple[object, ...], list[Row]] = {}
        self.pagesize = page_size(course.paper)
        pw, ph = self.pagesize
        m = self.st.margin
        self.header_h = 10 * self.st.scale + 14
        self.footer_h = 10 * self.st.scale + 6
        self.frame = Frame(m, ph - m - self.header_h, pw - 2 * m, ph - 2 * m - self.header_h - self.footer_h)
        self.W = self.frame.width
        size = self.st.body_size
        self.size = size
        self.gutter = stringWidth("00.", self.fonts.bold, size) + 5 * self.st.scale
        self.letter_w = stringWidth("W.", self.fonts.body, size) + 5 * self.st.scale
        widest = max((points_text(course, i.points) for v in quiz.versions for i in v.items), key=len, default="")
        self.points_w = stringWidth(f"({widest})", self.fonts.body, self.st.small.fontSize) + 8
        self.pad = 2.5 * self.st.scale
        self.logo = Logo.load(course.logo, course.logo_data, 14 * self.st.scale * 2.2)
        self.right = ParagraphStyle("right", parent=self.st.muted, alignment=TA_RIGHT)
        self.center = ParagraphStyle("center", parent=self.st.muted, alignment=TA_CENTER)
        small = self.st.muted.fontSize * (1 if large_print else 0.8)  # large print keeps every text large
        self.build_style = ParagraphStyle("build", parent=self.right, fontSize=small, leading=small * 1.2)
        self.grid: tuple[int, float, float] | None = None  # answer-key grid geometry, fixed per quiz
        self.key_style = ParagraphStyle("key", parent=self.st.body, fontName=self.fonts.bold, textColor=ACCENT)
        self.filled = ParagraphStyle("filled", parent=self.st.body, fontName=self.fonts.bold)

    # -- building blocks -------------------------------------------------------------------

    def para(self, text: str, style: ParagraphStyle, width: float, *, raw: bool = False) -> list[Para]:
        return self.cache.pieces(text, style, width, self.frame.height, raw=raw)

    def para_rows(self, text: str, style: ParagraphStyle, dx: float, *, raw: bool = False, gap: float = 0) -> list[Row]:
        key = ("para", text, style.name, dx, raw, gap)
        rows = self.rows.get(key)
        if rows is None:
            rows = [Row(p.height + gap, [para_op(dx, 0, p)]) for p in self.para(text, style, self.W - dx, raw=raw)]
            self.rows[key] = rows
        return rows

    def lettered(self, letter: str, text: str, dx: float, width: float) -> list[Row]:
        """`A.` drawn as a string beside the option's cached paragraph: re-lettering costs nothing."""
        key = ("lettered", letter, text, dx, width)
        cached = self.rows.get(key)
        if cached is not None:
            return cached
        pieces = self.para(text, self.st.body, width - self.letter_w)
        first = self.size  # baseline of the first line, below the row top
        rows = [
            Row(
                pieces[0].height + self.pad,
                [
                    text_op(self.cache, dx, first, f"{letter}.", self.fonts.body, self.size),
                    para_op(dx + self.letter_w, 0, pieces[0]),
                ],
            )
        ]
        rows += [Row(p.height + self.pad, [para_op(dx + self.letter_w, 0, p)]) for p in pieces[1:]]
        self.rows[key] = rows
        return rows

    @cached_property
    def title_line(self) -> str:
        c = self.course
        return " · ".join(x for x in (c.title, c.institution, c.term, c.instructor) if x)

    # -- page furniture --------------------------------------------------------------------

    def furniture(self, left: str, right: str) -> Callable[[Canvas, int, int], None]:
        st, fr = self.st, self.frame
        ph = self.pagesize[1]
        left_p = self.one_line(left, st.muted, fr.width * 0.68)
        right_p = self.para(right, self.right, fr.width * 0.3)[0]
        # The build fingerprint (also in manifest.json) tells which manifest grades this stack of paper.
        build = f"{self.course.label('build')} {self.quiz.fingerprint}"
        build_p = self.para(build, self.build_style, fr.width * 0.3)[0]
        top = ph - st.margin + 2

        def draw(c: Canvas, page: int, pages: int) -> None:
            left_p.draw(c, fr.x, top)
            right_p.draw(c, fr.x + fr.width * 0.7, top)
            c.setStrokeColor(RULE)
            c.setLineWidth(0.5)
            c.line(fr.x, fr.top + 7, fr.x + fr.width, fr.top + 7)
            foot = self.para(self.course.label("page_x_of_y", page=page, pages=pages), self.center, fr.width)[0]
            foot.draw(c, fr.x, st.margin - 4 + foot.height)
            lift = self.center.fontSize - self.build_style.fontSize  # same baseline as "page x of y"
            build_p.draw(c, fr.x + fr.width * 0.7, st.margin - 4 + foot.height - lift)
            c.setStrokeColor(MUTED)

        return draw

    def one_line(self, text: str, style: ParagraphStyle, width: float) -> Para:
        """`text` on one line, shortened with an ellipsis if it is too long (running headers)."""
        words = text.split()
        p = self.para(text, style, width)[0]
        while p.height > style.leading * 1.5 and len(words) > 1:
            words.pop()
            p = self.para(" ".join(words) + " …", style, width)[0]
        return p

    # -- title block -----------------------------------------------------------------------

    def title_block(self, heading: str, version: Version, *, key: bool, student: StudentVersion | None = None) -> Block:
        st, lab = self.st, self.course.label
        rows: list[Row] = []
        text_w = self.W - (self.logo.width + 10 if self.logo else 0)
        if self.logo:
            logo = self.logo
            rows.append(
                Row(
                    0,
                    [
                        lambda c, x, top: c.drawImage(
                            logo.image, x + self.W - logo.width, top - logo.height, logo.width, logo.height, mask="auto"
                        )
                    ],
                )
            )
        for text, style in ((self.title_line, st.subtitle), (heading, st.title)):
            for p in self.para(text, style, text_w):
                rows.append(Row(p.height + 2, [para_op(0, 0, p)]))
        sub = f"{lab('answer_key')} · " if key else ""
        sub += f"{lab('version')} {version.label}"
        if self.large_print:
            sub += f" · {lab('large_print')}"
        rows += self.para_rows(sub, st.subheading, 0, gap=4)
        if self.logo and sum(r.height for r in rows) < self.logo.height:
            rows.append(Row(self.logo.height - sum(r.height for r in rows)))
        if not key:
            rows.append(self.fields_row(student))
            rows += self.para_rows(lab("instructions"), st.body, 0, gap=4)
            if self.answer_sheets:
                rows += self.para_rows(f"<b>{self.ctx(lab('sheet_note'))}</b>", st.body, 0, raw=True, gap=4)
        total = f"<b>{self.ctx(lab('total_points'))}:</b> {version.total_points:g}"
        rows += self.para_rows(total, st.body, 0, raw=True, gap=2)
        rows.append(Row(st.gap, [line_op(0, st.gap / 2, self.W, st.gap / 2, 0.8)]))
        return Block(rows, st.gap)

    def fields_row(self, student: StudentVersion | None = None) -> Row:
        """Name and student-ID fields: a label and a ruled line each, on one row.

        A per-student booklet (`versions: per_student`) has the student's name and ID written on
        the lines, so the copy shop's stack is handed out by name.
        """
        lab, st = self.course.label, self.st
        name = self.para(f"{lab('name')}:", st.body, self.W * 0.3)[0]
        sid = self.para(f"{lab('student_id')}:", st.body, self.W * 0.3)[0]
        h = max(name.height, sid.height) + 10 * st.scale
        base = self.size * 1.05
        name_w = stringWidth(f"{lab('name')}:", self.fonts.body, self.size) + 6
        sid_w = stringWidth(f"{lab('student_id')}:", self.fonts.body, self.size) + 6
        split = self.W * 0.62
        ops = [
            para_op(0, 6, name),
            line_op(name_w, base + 6, split - 14, base + 6),
            para_op(split, 6, sid),
            line_op(split + sid_w, base + 6, self.W, base + 6),
        ]
        if student is not None:
            for x, width, text in (
                (name_w + 2, split - 16 - name_w, student.name),
                (split + sid_w + 2, self.W - split - sid_w - 2, student.student_id),
            ):
                ops.append(para_op(x, 6, self.one_line(text, self.filled, width)))
        return Row(h, ops)

    # -- questions -------------------------------------------------------------------------

    def stem_rows(self, item: ItemView) -> list[Row]:
        st = self.st
        pieces = self.para(item.stem, st.body, self.W - self.gutter - self.points_w)
        first = self.size
        pts = f"({item.points_text})"
        rows = [
            Row(
                pieces[0].height + self.pad,
                [
                    text_op(self.cache, 0, first, f"{item.number}.", self.fonts.bold, self.size),
                    para_op(self.gutter, 0, pieces[0]),
                    para_op(self.W - self.points_w, 0, self.para(pts, self.right, self.points_w)[0]),
                ],
            )
        ]
        rows += [Row(p.height + self.pad, [para_op(self.gutter, 0, p)]) for p in pieces[1:]]
        return rows

    def note_rows(self, text: str) -> list[Row]:
        return self.note_rows_at(text, self.gutter)

    def column_note(self, doc: QuizContent) -> str:
        lab = self.course.label
        return (
            f"{lab('answer_column_note')} {lab('marker_boxes_note')}" if doc.hand_marked else lab("answer_column_note")
        )

    def note_rows_at(self, text: str, dx: float) -> list[Row]:
        return self.para_rows(f"<i>{self.ctx(text)}</i>", self.st.muted, dx, raw=True, gap=self.pad)

    def question_block(self, item: ItemView) -> Block:
        """One question as its content says (`ItemView`): hint, choices, prompts, blanks, writing lines."""
        rows = self.stem_rows(item)
        t, g = item.type, self.gutter
        if item.hint:
            rows += self.note_rows(item.hint)
        if t is QuestionType.TRUE_FALSE:
            rows.append(self.side_by_side(item))
        elif t in CHOICE_LIKE_TYPES:
            for letter, choice in item.choices:
                rows += self.lettered(letter, choice, g, self.W - g)
        elif t is QuestionType.MATCHING:
            rows += self.matching_rows(item)
        elif t is QuestionType.ORDERING:
            for letter, choice in item.choices:
                rows += self.lettered(letter, choice, g, self.W - g)
            rows.append(self.slots_row(len(item.choices)))
        elif t is QuestionType.FILL_BLANK:
            rows += self.para_rows(self.fill_markup(item.fill), self.st.body, g, raw=True, gap=self.pad)
        rows += self.ruled_rows(item.lines)
        if item.background:
            text = f"<b>{self.ctx(self.course.label('background'))}:</b> {self.ctx(item.background)}"
            rows += self.para_rows(text, self.st.muted, g, raw=True, gap=self.pad)
        return Block(rows, self.st.gap)

    def side_by_side(self, item: ItemView) -> Row:
        half = (self.W - self.gutter) / 2
        ops: list[Op] = []
        h = 0.0
        for i, (letter, choice) in enumerate(item.choices):
            r = self.lettered(letter, choice, self.gutter + i * half, half)[0]
            ops += r.ops
            h = max(h, r.height)
        return Row(h, ops)

    def matching_rows(self, item: ItemView) -> list[Row]:
        """Numbered prompts (a, b, c) with a blank each on the left, lettered answers on the right."""
        g, size = self.gutter, self.size
        col = (self.W - g) / 2
        blank = stringWidth("MM", self.fonts.body, size) + 6
        lw = stringWidth("w.", self.fonts.body, size) + 4
        first = size
        rows: list[Row] = []
        for i in range(max(len(item.prompts), len(item.choices))):
            ops: list[Op] = []
            h = 0.0
            if i < len(item.prompts):
                tag, prompt = item.prompts[i]
                p = self.para(prompt, self.st.body, col - blank - lw - 8)[0]
                ops += [
                    line_op(g, first + 2, g + blank - 4, first + 2),
                    text_op(self.cache, g + blank, first, f"{tag}.", self.fonts.body, size),
                    para_op(g + blank + lw, 0, p),
                ]
                h = p.height
            if i < len(item.choices):
                r = self.lettered(*item.choices[i], g + col, col)[0]
                ops += r.ops
                h = max(h, r.height - self.pad)
            rows.append(Row(h + self.pad * 2, ops))
        return rows

    def slots_row(self, n: int) -> Row:
        """Answer slots for an ordering question: `1 ___  2 ___ ...`, wrapping to more lines if needed."""
        g, size = self.gutter, self.size
        slot = stringWidth("00", self.fonts.body, size) + 30 * self.st.scale
        per_line = max(1, int((self.W - g) // slot))
        line_h = size * 2.2
        ops: list[Op] = []
        for i in range(n):
            x = g + (i % per_line) * slot
            y = (i // per_line) * line_h + size * 1.6
            ops += [
                text_op(self.cache, x, y, str(i + 1), self.fonts.body, size * 0.8),
                line_op(x + size, y + 2, x + slot - 8, y + 2),
            ]
        return Row(((n - 1) // per_line + 1) * line_h + self.pad, ops)

    def fill_markup(self, pieces: tuple[str | int, ...]) -> str:
        """The fill-in text with each blank (its 1-based number) drawn as a numbered underline."""
        blank = "<u>" + "\u00a0" * 22 + "</u>"
        return "".join(
            self.ctx(p) if isinstance(p, str) else f'<font size="{self.st.small.fontSize}">({p})</font>\u00a0{blank}'
            for p in pieces
        )

    def ruled_rows(self, n: int) -> list[Row]:
        step = self.size * (2.3 if self.large_print else 2.0)
        return [Row(step, [line_op(self.gutter, step - 2, self.W, step - 2, 0.4)]) for _ in range(n)]

    # -- documents -------------------------------------------------------------------------

    def content(self, version: Version) -> QuizContent:
        return quiz_content(
            self.course,
            self.quiz,
            version,
            answer_sheets=self.answer_sheets,
            answer_column=self.answer_column,
            lines_per_point=self.lines_per_point,
        )

    def quiz_blocks(self, version: Version, doc: QuizContent) -> list[Block]:
        blocks = [self.title_block(self.quiz.title, version, key=False, student=doc.student)]
        if doc.answer_column:
            lab = self.course.label
            heading = [  # new list: cached rows are shared and never mutated
                *self.para_rows(lab("answer_column"), self.st.subheading, 0, gap=2),
                *self.note_rows_at(self.column_note(doc), 0),
            ]
            blocks.append(answer_column_block(self, doc, heading))
        for section, items in doc.parts():
            part = [self.question_block(i) for i in items]
            if section is not None and part:
                size = self.st.small.fontSize
                title = f'{self.ctx(section.title)} <font size="{size}">({self.ctx(section.points_text)})</font>'
                head = self.para_rows(title, self.st.subheading, 0, raw=True, gap=4)
                part[0] = Block(
                    head + part[0].rows, part[0].space_after
                )  # a part's heading stays with its first question
            blocks += part
        return blocks

    def key_blocks(self, version: Version, doc: QuizContent) -> list[Block]:
        return [self.title_block(self.quiz.title, version, key=True), *key_blocks(self, doc)]

    def quiz_pdf(self, version: Version, doc: QuizContent | None = None) -> bytes:
        lab = self.course.label
        blocks = self.quiz_blocks(version, doc or self.content(version))
        right = f"{lab('version')} {version.label}"
        return self.draw(blocks, f"{self.quiz.title}", right, f"{lab('quiz')} {version.label}")

    def key_pdf(self, version: Version, doc: QuizContent | None = None) -> bytes:
        lab = self.course.label
        blocks = self.key_blocks(version, doc or self.content(version))
        right = f"{lab('answer_key')} · {lab('version')} {version.label}"
        return self.draw(blocks, self.quiz.title, right, f"{lab('answer_key')} {version.label}")

    def learn(self, doc: QuizContent | None = None) -> None:
        """Draw the first version's quiz and key once, unsaved, to learn which characters each font draws.

        Every version shows the same texts, so this fixes the font encoding all
        versions share (see `ParaCache`); it also wraps every paragraph once.
        `doc` is the first version's content when the caller has built it already.
        """
        if not self.quiz.versions:
            return
        version = self.quiz.versions[0]
        doc = doc or self.content(version)
        lab = self.course.label
        trial = new_canvas(io.BytesIO(), self.pagesize, self.fonts, title="", subject="")
        for blocks, right in (
            (self.quiz_blocks(version, doc), f"{lab('version')} {version.label}"),
            (self.key_blocks(version, doc), f"{lab('answer_key')} · {lab('version')} {version.label}"),
        ):
            pages = paginate(blocks, self.frame.height)
            draw_document(trial, pages, self.frame, self.furniture(self.quiz.title, right), self.fonts.body)
        self.cache.learn(trial)

    def draw(self, blocks: list[Block], left: str, right: str, subject: str) -> bytes:
        pages = paginate(blocks, self.frame.height)
        furniture = self.furniture(left, right)
        return render(
            lambda c: draw_document(c, pages, self.frame, furniture, self.fonts.body),
            self.pagesize,
            self.fonts,
            title=f"{self.quiz.title} — {subject}",
            subject=subject,
            cache=self.cache,
        )


def render_quiz_pdfs(
    course: Course, quiz: Quiz, *, large_print: bool = False, answer_sheets: bool = False
) -> dict[str, tuple[bytes, bytes]]:
    """Version label → (quiz PDF, answer-key PDF); layout work is shared by all versions.

    With `answer_sheets`, the quiz tells students to mark the separate answer sheet.
    """
    check_source_date_epoch()
    layout = QuizLayout(course, quiz, large_print=large_print, answer_sheets=answer_sheets)
    layout.learn()
    out = {}
    for v in quiz.versions:
        doc = layout.content(v)  # built once per version, drawn by its quiz and its key
        out[v.label] = (layout.quiz_pdf(v, doc), layout.key_pdf(v, doc))
    warn_missing(layout.ctx, f"quiz {quiz.id!r}")
    return out

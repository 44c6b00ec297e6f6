"""Discussion handouts: prompts for students; prompts with guidance and source passages for facilitators.

The student version leaves ruled space for notes; the facilitator version
replaces it with what a strong answer covers and the verbatim passages the
discussion should return to.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from studygen.course import Course
from studygen.documents.discussion import discussion
from studygen.model import Bank
from studygen.targets.pdf.flowdoc import build_flow_pdf
from studygen.targets.pdf.fonts import font_set
from studygen.targets.pdf.guide import title_flowables
from studygen.targets.pdf.markup import DEFAULT_MISSING, MarkupContext, warn_missing
from studygen.targets.pdf.styles import RULE, Styles, make_styles, page_size


def _ruled(width: float, lines: int, st: Styles) -> Table:
    """Blank ruled lines for notes: a table of empty rows with bottom borders."""
    t = Table([[""] for _ in range(lines)], colWidths=[width], rowHeights=[st.body_size * 2.1] * lines)
    # Even empty cells set the cell font: name an embedded one, or Helvetica is pulled in.
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE), ("FONT", (0, 0), (-1, -1), st.fonts.body)]))
    return t


def render_discussion_pdf(course: Course, bank: Bank, *, facilitator: bool) -> bytes:
    """The student handout (`facilitator=False`) or the facilitator guide for one bank's prompts."""
    fonts = font_set(course.hangul_font)
    st = make_styles(fonts)
    ctx = MarkupContext(fonts, course.labels.get("missing_font", DEFAULT_MISSING))
    lab = course.label
    handout = discussion(bank, facilitator=facilitator)
    heading = lab(handout.heading_key)
    width = page_size(course.paper)[0] - 2 * st.margin
    story: list[Flowable] = title_flowables(course, bank, st, ctx, heading)
    for prompt in handout.prompts:
        parts: list[Flowable] = [Paragraph(f"<b>{prompt.number}.</b> {ctx(prompt.prompt)}", st.subheading)]
        if facilitator:
            parts.append(Paragraph(f"<b>{ctx(lab('guidance'))}:</b> {ctx(prompt.guidance)}", st.body))
            quotes = prompt.quotes
            if quotes:
                parts.append(Spacer(1, 3 * st.scale))
                parts.append(Paragraph(f"<b>{ctx(lab('source'))}:</b>", st.small))
                parts += [Paragraph(f"“{ctx(q)}”", st.quote) for q in quotes]
        else:
            parts.append(Paragraph(ctx(lab("notes")) + ":", st.muted))
            parts.append(_ruled(width, 5, st))
        parts.append(Spacer(1, st.gap * 1.5))
        story.append(KeepTogether(parts))
    pdf = build_flow_pdf(
        course, st, ctx, story, title=f"{heading}: {bank.title}", header_left=bank.title, header_right=heading
    )
    warn_missing(ctx, f"discussion handout {bank.id!r}")
    return pdf

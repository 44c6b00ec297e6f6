"""The study guide PDF: summary, key facts by topic, timeline, argument map, stakeholders, glossary, quotes.

What it says is `studygen.documents.study_guide` (shared with the HTML page);
this module only lays it out.  Quotes are verbatim passages of the reading,
attributed to whoever holds the argument they support.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from studygen import dates
from studygen.course import Course
from studygen.documents.study_guide import StudyGuide, study_guide
from studygen.model import Bank, Fact
from studygen.targets.pdf.figures import outline_drawings, timeline_drawings
from studygen.targets.pdf.flowdoc import build_flow_pdf
from studygen.targets.pdf.fonts import font_set
from studygen.targets.pdf.markup import DEFAULT_MISSING, MarkupContext, warn_missing
from studygen.targets.pdf.styles import RULE, SHADE, Styles, make_styles, page_size


def title_flowables(course: Course, bank: Bank, st: Styles, ctx: MarkupContext, heading: str) -> list[Flowable]:
    """Course line, document heading, bank title and the reading's citation."""
    r = bank.reading
    course_line = " · ".join(x for x in (course.title, course.institution, course.term, course.instructor) if x)
    author = f"{ctx(r.author)}, {ctx(r.author_affiliation)}" if r.author_affiliation else ctx(r.author)
    cite = f"<i>{ctx(r.title)}</i> — {author}. {ctx(r.publication)}, {ctx(r.date)}."
    return [
        Paragraph(ctx(course_line), st.subtitle),
        Paragraph(f"{ctx(heading)}: {ctx(bank.title)}", st.title),
        Paragraph(f"<b>{ctx(course.label('reading'))}:</b> {cite}", st.body),
        Spacer(1, st.gap),
    ]


def _fact_line(fact: Fact, ctx: MarkupContext, labels: Mapping[str, str]) -> str:
    label = dates.date_label(fact, labels)
    when = f"<b>{ctx(label)}:</b> " if label else ""
    return f"• {when}{ctx(fact.statement)}"


def _facts_by_topic(guide: StudyGuide, st: Styles, ctx: MarkupContext, labels: Mapping[str, str]) -> list[Flowable]:
    out: list[Flowable] = []
    bullet = ParagraphStyle(
        "fact", parent=st.body, leftIndent=10 * st.scale, firstLineIndent=-8 * st.scale, spaceAfter=2 * st.scale
    )
    for label, facts in guide.facts_by_topic:
        paras = [Paragraph(_fact_line(f, ctx, labels), bullet) for f in facts]
        out.append(KeepTogether([Paragraph(ctx(label), st.subheading), paras[0]]))
        out += paras[1:]
    return out


# The short handout's type and margins: a little smaller than the full guide's (8 pt at the least, in
# tables), so that the summary, the map of main claims and the stakeholders of a two-page column fit
# on two pages.
HANDOUT_MAP_SCALE = 0.95


def handout_styles(st: Styles) -> Styles:
    """The handout's styles: the guide's, a size smaller, with tighter space around headings."""

    def smaller(style: ParagraphStyle, size: float, **kw: float) -> ParagraphStyle:
        return ParagraphStyle(f"{style.name}-handout", parent=style, fontSize=size, leading=round(size * 1.25, 2), **kw)

    return replace(
        st,
        body=smaller(st.body, 9),
        title=smaller(st.title, 15),
        subtitle=smaller(st.subtitle, 9.5),
        heading=smaller(st.heading, 12, spaceBefore=6, spaceAfter=3),
        cell=smaller(st.cell, 8),
        cell_head=smaller(st.cell_head, 8),
        gap=4,
        margin=13 * mm,
    )


def _stakeholder_table(
    course: Course, bank: Bank, st: Styles, ctx: MarkupContext, width: float, *, handout: bool = False
) -> Table:
    """Stakeholder, position, interests; the handout's table leaves the interests to the full guide."""
    lab = course.label
    titles = (
        (lab("stakeholders"), lab("position")) if handout else (lab("stakeholders"), lab("position"), lab("interests"))
    )
    rows: list[list[Flowable]] = [[Paragraph(ctx(x), st.cell_head) for x in titles]]
    for s in bank.stakeholders:
        row = [Paragraph(f"<b>{ctx(s.name)}</b>", st.cell), Paragraph(ctx(s.position), st.cell)]
        if not handout:
            row.append(Paragraph("<br/>".join(f"• {ctx(i)}" for i in s.interests), st.cell))
        rows.append(row)
    widths = [width * 0.17, width * 0.83] if handout else [width * 0.24, width * 0.42, width * 0.34]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("GRID", (0, 0), (-1, -1), 0.5, RULE),
                ("FONT", (0, 0), (-1, -1), st.fonts.body),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _glossary(course: Course, guide: StudyGuide, st: Styles, ctx: MarkupContext) -> list[Flowable]:
    out: list[Flowable] = []
    for term in guide.glossary:
        mark = f" <font color='#555555'>[{ctx(course.label('background'))}]</font>" if term.background else ""
        out.append(Paragraph(f"<b>{ctx(term.term)}</b>{mark} — {ctx(term.definition)}", st.body))
        out.append(Spacer(1, 3 * st.scale))
    return out


def _quotes(guide: StudyGuide, st: Styles, ctx: MarkupContext) -> list[Flowable]:
    """The key quotes, each with the attribution line the HTML page prints too."""
    attribution = ParagraphStyle("attr", parent=st.muted, leftIndent=st.quote.leftIndent + 12, spaceAfter=5 * st.scale)
    return [
        KeepTogether([Paragraph(f"“{ctx(q.text)}”", st.quote), Paragraph(ctx(q.cite), attribution)])
        for q in guide.key_quotes
    ]


def render_study_guide_pdf(course: Course, bank: Bank, *, handout: bool = False) -> bytes:
    """One bank's study guide (or its short handout), its sections in the order the course chose.

    Text no font can draw is reported as a `MissingGlyphWarning`.
    """
    fonts = font_set(course.hangul_font)
    st = make_styles(fonts)
    if handout:
        st = handout_styles(st)
    ctx = MarkupContext(fonts, course.labels.get("missing_font", DEFAULT_MISSING))
    lab = course.label
    pw, ph = page_size(course.paper)
    width = pw - 2 * st.margin
    max_h = ph - 2 * st.margin - 90  # the frame, less room for a section heading above a figure
    guide = study_guide(bank, course, handout=handout)
    story = title_flowables(course, bank, st, ctx, lab(guide.heading))

    def section(key: str, first: float = 60) -> None:
        """A heading that never ends a page alone: it needs room for `first` points of what follows."""
        story.append(CondPageBreak(min(first + 40, max_h)))
        story.append(Paragraph(ctx(lab(key)), st.heading))

    legend = [Paragraph(ctx(lab("dates_legend")), st.muted)] if dates.any_inferred(bank.facts) else []
    for name in guide.sections:
        if name == "summary":
            section("summary")
            story.append(Paragraph(ctx(bank.summary), st.body))
        elif name == "key_facts":
            section("key_facts")
            story += _facts_by_topic(guide, st, ctx, course.labels) + legend
        elif name == "timeline":
            timeline = timeline_drawings(bank, ctx, width, max_h, labels=course.labels)
            section("timeline", timeline[0].height)
            story += timeline + legend
        elif name == "argument_map":
            # The handout's map is cut into short pieces between its groups, so it can begin under the summary.
            piece = max_h / 4 if guide.handout else max_h
            scale = HANDOUT_MAP_SCALE if guide.handout else 1.0
            maps = outline_drawings(guide.outline, course, ctx, width, max_h, scale, cut=piece)
            section("argument_map", maps[0].height)
            story += maps
        elif name == "stakeholders":
            section("stakeholders")
            story.append(_stakeholder_table(course, bank, st, ctx, width, handout=guide.handout))
        elif name == "glossary":
            section("glossary")
            story += _glossary(course, guide, st, ctx)
        elif name == "key_quotes":
            section("key_quotes")
            story += _quotes(guide, st, ctx)
    if guide.handout:
        story.append(Spacer(1, 4))
        story.append(Paragraph(ctx(lab("handout_note")), st.muted))
    pdf = build_flow_pdf(
        course,
        st,
        ctx,
        story,
        title=f"{lab(guide.heading)}: {bank.title}",
        header_left=bank.title,
        header_right=lab(guide.heading),
    )
    warn_missing(ctx, f"{guide.heading.replace('_', ' ')} {bank.id!r}")
    return pdf

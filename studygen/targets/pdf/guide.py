"""The study guide PDF: summary, key facts by topic, timeline, argument map, stakeholders, glossary, quotes.

What it says is `studygen.documents.study_guide` (shared with the HTML page);
this module only lays it out.  Quotes are verbatim passages of the reading,
attributed to whoever holds the argument they support.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from studygen.course import Course
from studygen.documents.study_guide import StudyGuide, study_guide
from studygen.model import Bank, Fact
from studygen.targets.pdf.figures import date_label, outline_drawings, timeline_drawings
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


def _fact_line(fact: Fact, ctx: MarkupContext) -> str:
    when = f"<b>{ctx(date_label(fact))}:</b> " if fact.date else ""
    return f"• {when}{ctx(fact.statement)}"


def _facts_by_topic(guide: StudyGuide, st: Styles, ctx: MarkupContext) -> list[Flowable]:
    out: list[Flowable] = []
    bullet = ParagraphStyle(
        "fact", parent=st.body, leftIndent=10 * st.scale, firstLineIndent=-8 * st.scale, spaceAfter=2 * st.scale
    )
    for label, facts in guide.facts_by_topic:
        paras = [Paragraph(_fact_line(f, ctx), bullet) for f in facts]
        out.append(KeepTogether([Paragraph(ctx(label), st.subheading), paras[0]]))
        out += paras[1:]
    return out


def _stakeholder_table(course: Course, bank: Bank, st: Styles, ctx: MarkupContext, width: float) -> Table:
    lab = course.label
    head = [Paragraph(ctx(x), st.cell_head) for x in (lab("stakeholders"), lab("position"), lab("interests"))]
    rows: list[list[Flowable]] = [head]
    for s in bank.stakeholders:
        interests = "<br/>".join(f"• {ctx(i)}" for i in s.interests)
        rows.append(
            [
                Paragraph(f"<b>{ctx(s.name)}</b>", st.cell),
                Paragraph(ctx(s.position), st.cell),
                Paragraph(interests, st.cell),
            ]
        )
    table = Table(rows, colWidths=[width * 0.24, width * 0.42, width * 0.34], repeatRows=1)
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


def render_study_guide_pdf(course: Course, bank: Bank) -> bytes:
    """One bank's study guide; text no font can draw is reported as a `MissingGlyphWarning`."""
    fonts = font_set(course.hangul_font)
    st = make_styles(fonts)
    ctx = MarkupContext(fonts, course.labels.get("missing_font", DEFAULT_MISSING))
    lab = course.label
    pw, ph = page_size(course.paper)
    width = pw - 2 * st.margin
    max_h = ph - 2 * st.margin - 90  # the frame, less room for a section heading above a figure
    guide = study_guide(bank, course)
    story = title_flowables(course, bank, st, ctx, lab("study_guide"))

    def section(key: str, first: float = 60) -> None:
        """A heading that never ends a page alone: it needs room for `first` points of what follows."""
        story.append(CondPageBreak(min(first + 40, max_h)))
        story.append(Paragraph(ctx(lab(key)), st.heading))

    if bank.summary:
        section("summary")
        story.append(Paragraph(ctx(bank.summary), st.body))
    if bank.facts:
        section("key_facts")
        story += _facts_by_topic(guide, st, ctx)
    timeline = timeline_drawings(bank, ctx, width, max_h)
    if timeline:
        section("timeline", timeline[0].height)
        story += timeline
    maps = outline_drawings(guide.outline, course, ctx, width, max_h)
    if maps:
        section("argument_map", maps[0].height)
        story += maps
    if bank.stakeholders:
        section("stakeholders")
        story.append(_stakeholder_table(course, bank, st, ctx, width))
    if bank.glossary:
        section("glossary")
        story += _glossary(course, guide, st, ctx)
    quotes = _quotes(guide, st, ctx)
    if quotes:
        section("key_quotes")
        story += quotes
    pdf = build_flow_pdf(
        course,
        st,
        ctx,
        story,
        title=f"{lab('study_guide')}: {bank.title}",
        header_left=bank.title,
        header_right=lab("study_guide"),
    )
    warn_missing(ctx, f"study guide {bank.id!r}")
    return pdf

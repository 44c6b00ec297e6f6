"""The grade report (item analysis) as PDF, drawn with the documents' own PDF stack.

Same fonts as every handout (DejaVu Sans shipped, the course's `hangul_font`
or a system Hangul font for Korean), the course's `paper`, its running
header and "page x of y", and bank text through `MarkupContext`, so an
option written `**not**` prints in bold rather than with its asterisks.  The
content is `studygen.grade.report.report_context`, shared with the HTML page.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from studygen.course import Course
from studygen.targets.pdf.flowdoc import build_flow_pdf
from studygen.targets.pdf.fonts import font_set
from studygen.targets.pdf.markup import MarkupContext, warn_missing
from studygen.targets.pdf.styles import ACCENT, RULE, SHADE, Styles, make_styles, page_size

FLAG = colors.HexColor("#8a1c00")
_DESIGN_WIDTH = 170 * mm  # the column widths below are for this frame width, scaled to the paper's


class Histogram(Flowable):
    """Bars drawn straight on the canvas in the embedded body font (never base-14 Helvetica)."""

    def __init__(self, bars: list[dict[str, Any]], peak: int, width: float, font: str) -> None:
        super().__init__()
        self.bars, self.peak, self.font = bars, peak, font
        self.width, self.height = width, 62 * mm

    def draw(self) -> None:
        cv = self.canv
        x0, y0 = 12 * mm, 10 * mm
        plot_w, plot_h = self.width - 20 * mm, 45 * mm
        bar_w = plot_w / max(1, len(self.bars))
        cv.setLineWidth(0.5)
        cv.setStrokeColor(RULE)
        cv.line(x0, y0, x0 + plot_w, y0)
        cv.line(x0, y0, x0, y0 + plot_h)
        cv.setFont(self.font, 7)
        cv.drawRightString(x0 - 2, y0 + plot_h - 3, str(self.peak))
        cv.drawRightString(x0 - 2, y0 - 3, "0")
        for i, bar in enumerate(self.bars):
            x = x0 + i * bar_w + 2
            mid = x + (bar_w - 4) / 2
            h = bar["height"] * plot_h
            if h:
                cv.setFillColor(ACCENT)
                cv.rect(x, y0, bar_w - 4, h, stroke=0, fill=1)
                cv.setFillColor(colors.black)
                cv.drawCentredString(mid, y0 + h + 2, str(bar["count"]))
            cv.drawCentredString(mid, y0 - 9, str(i * 10))
        cv.drawCentredString(x0 + plot_w / 2, 0, "percent score (bands of 10 points)")


def _table(rows: list[list[Any]], widths: list[float], st: Styles) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), st.fonts.body, 8),
            ]
        )
    )
    return t


def render_report_pdf(course: Course, c: dict[str, Any]) -> bytes:
    """The item-analysis report; text no embedded font can draw is reported as a `MissingGlyphWarning`."""
    fonts = font_set(course.hangul_font)
    st = make_styles(fonts)
    ctx = MarkupContext(fonts)
    width = page_size(course.paper)[0] - 2 * st.margin
    k = width / _DESIGN_WIDTH
    small = ParagraphStyle("report-small", parent=st.small, fontSize=8, leading=10)
    flag = ParagraphStyle("report-flag", parent=small, textColor=FLAG)

    def cell(text: str, style: ParagraphStyle = small) -> Paragraph:
        return Paragraph(ctx(text), style)

    def cols(*widths_mm: float) -> list[float]:
        return [w * mm * k for w in widths_mm]

    def section(heading: str) -> None:
        """A heading that never ends a page alone."""
        story.append(CondPageBreak(120))
        story.append(Paragraph(ctx(heading), st.heading))

    title = f"Item analysis: {c['title']}"
    story: list[Flowable] = [Paragraph(ctx(title), st.title)]
    intro = (
        f"{c['students']} student(s) graded from {c['responses']}"
        + (f" (quiz seed {c['seed']})" if c["seed"] else "")
        + (
            f", against the manifest of build {c['fingerprint']} (printed at the foot of every quiz page)"
            if c.get("fingerprint")
            else ""
        )
        + f"; mean score {c['mean']}%. Multiple-response rule: {c['rule']}."
    )
    if c["skipped"]:
        intro += f" {len(c['skipped'])} row problem(s): those rows were not graded (listed below)."
    if c["flagged"]:
        intro += f" {c['flagged']} question(s) flagged below."
    if c["accepted"]:
        intro += f" Answers were accepted for this run from {c['accept_file']} (listed below)."
    story.append(Paragraph(ctx(intro), st.body))
    if c["small_sample"]:
        story.append(
            Paragraph(
                ctx(
                    f"Only {c['students']} student(s): with fewer than {c['rough_n']}, item statistics (r, D) and "
                    "the flags built on them are rough; read them as hints, not verdicts."
                ),
                flag,
            )
        )

    def named(q: dict[str, Any]) -> Paragraph:
        """A question by its text, its id below in small type (just the id from an older manifest)."""
        if not q["text"]:
            return cell(q["id"])
        return Paragraph(f"{ctx(q['text'])}<br/><font size=6.5 color='#555555'>{ctx(q['id'])}</font>", small)

    if c["skipped"]:
        section("Rows not graded")
        story.append(
            Paragraph(ctx(f"Fix these rows in {c['responses']} and grade again; the other rows were graded."), small)
        )
        skipped = [[cell("Line"), cell("Problem")]] + [[cell(r["line"]), cell(r["message"])] for r in c["skipped"]]
        story.append(_table(skipped, cols(15, 155), st))

    if c["topics"]:
        section("Summary by topic")
        story.append(
            Paragraph(
                ctx(
                    "Weakest topic first: the mean proportion correct (p) of its questions, and its questions "
                    "weakest first. A question with several topics counts under each."
                ),
                small,
            )
        )
        by_topic: list[list[Any]] = [[cell("Topic"), cell("Mean p"), cell("Questions (p)")]]
        for t in c["topics"]:
            listed = "<br/>".join(f"{ctx(q['text'] or q['id'])} ({q['p']})" for q in t["questions"])
            by_topic.append([cell(t["label"]), cell(t["mean"]), Paragraph(listed, small)])
        story.append(_table(by_topic, cols(45, 15, 110), st))
    elif not c["has_topics"]:
        story.append(
            Paragraph(
                ctx(
                    "This manifest names no topics (it was written by an older studygen); rebuild the quiz to get "
                    "a summary by topic."
                ),
                small,
            )
        )

    section("Score distribution")
    story.append(Histogram(c["bars"], c["peak"], width, fonts.body))

    section("Versions and reliability")
    heads = ["Version", "n", "Max", "Mean %", "SD %", "KR-20", "Alpha"]
    keys = ["label", "n", "max", "mean", "sd", "kr20", "alpha"]
    widths = cols(30, 12, 15, 19, 19, 37, 38)
    if c["expected"]:  # versions drew their own questions: what the build predicted, beside what happened
        heads.insert(3, "Expected %")
        keys.insert(3, "expected")
        widths = cols(24, 10, 13, 18, 16, 16, 36, 37)
    rows: list[list[Any]] = [[cell(h) for h in heads]]
    rows += [[cell(v.get(key, "")) for key in keys] for v in c["versions"]]
    ps = c["per_student"]
    if ps:
        text = (
            f"Each student answered a version of their own (versions: per_student, {ps['versions']} versions): "
            "each version was answered by one student, so no per-version mean, spread or reliability is shown "
            "and the versions cannot be compared by a test."
        )
        if ps["expected"]:
            text += (
                f" The build balanced them on expected score to within {ps['spread']} percentage points; it "
                f"expected this class to score {ps['expected']}% on average, and the class scored {ps['observed']}%."
            )
        story.append(Paragraph(ctx(text), st.body))
    if c["versions"]:
        story.append(_table(rows, widths, st))
    a = c["anova"]
    if not ps:
        story.append(
            Paragraph(
                ctx(
                    f"One-way ANOVA of percent scores across versions: F({a['df1']}, {a['df2']}) = {a['f']}, "
                    f"p = {a['p']}."
                    if a
                    else "No test of version differences: it needs at least two versions with students and some spread."
                ),
                st.body,
            )
        )
    story.append(
        Paragraph(
            ctx(
                f"With fewer than {c['reliability_min_n']} students a reliability coefficient is noise, so none is "
                f'shown ("not meaningful"); below {c["reliability_rough_n"]} it is marked rough. A negative value '
                "from enough students means the items do not measure one thing: check the keys of flagged questions."
            ),
            small,
        )
    )

    section("Items")
    story.append(
        Paragraph(
            ctx(
                f"Pooled over versions by question id. p = difficulty, r = item–rest correlation (corrected "
                f"point-biserial), D = p(top {c['group_size']}) − p(bottom {c['group_size']})."
            ),
            small,
        )
    )
    rows = [[cell(h) for h in ("Question", "Type", "Shown as", "n", "p", "r", "D", "Flags")]]
    for q in c["questions"]:
        rows.append(
            [named(q)] + [cell(q[key]) for key in ("type", "shown_as", "n", "p", "r", "d")] + [cell(q["flags"], flag)]
        )
    story.append(_table(rows, cols(46, 20, 24, 10, 12, 12, 12, 34), st))

    def answer_tables(groups: list[dict[str, Any]], heads: tuple[str, ...], decision: bool) -> None:
        for q in groups:
            title = (q["text"] or q["id"]) + (f" ({q['blank']})" if q["blank"] else "")
            heading = Paragraph(f"{ctx(title)} <font size=7 color='#555555'>{ctx(q['id'])}</font>", st.body)
            rows = [[cell(h) for h in heads]]
            for a in q["answers"]:
                rows.append([cell(a["answer"]), cell(a["count"])] + ([cell(a["decision"])] if decision else []))
            widths = cols(110, 30, 30) if decision else cols(120, 50)
            story.append(KeepTogether([heading, _table(rows, widths, st)]))
            story.append(Spacer(1, 2 * mm))

    if c["unmatched"]:
        section("Typed answers that matched no accepted answer")
        story.append(
            Paragraph(
                ctx(
                    f"{c['unmatched_count']} typed answer(s) earned nothing. The same list is in "
                    f"{c['unmatched_file']}: write yes in its accept column beside the answers that deserve credit "
                    f"and grade again with --accept {c['unmatched_file']}. Accepted answers count for that run only."
                ),
                small,
            )
        )
        answer_tables(c["unmatched"], ("Answer as typed", "Students", "Decision"), True)
    if c["accepted"]:
        section("Answers accepted for this run")
        story.append(
            Paragraph(
                ctx(f"From {c['accept_file']}: accepted in addition to the bank's answers, for this grading run only."),
                small,
            )
        )
        answer_tables(c["accepted"], ("Accepted answer", "Answers it credited"), False)

    section("Distractor analysis")
    for q in c["questions"]:
        if not q["options"]:
            continue
        title = f"{q['text'] or q['id']} ({q['type']})"
        heading = Paragraph(f"{ctx(title)} <font size=7 color='#555555'>{ctx(q['id'])}</font>", st.body)
        rows = [[cell(h) for h in ("Option", "Chosen", "%", "Top", "Bottom", "Flags")]]
        for o in q["options"]:
            label = o["text"] + (" (key)" if o["correct"] else "")
            rows.append([cell(label)] + [cell(o[key]) for key in ("chosen", "percent", "upper", "lower")])
            rows[-1].append(cell(o["flags"], flag))
        # A question's heading stays on the page with its table.
        story.append(KeepTogether([heading, _table(rows, cols(64, 15, 12, 16, 18, 45), st)]))
        story.append(Spacer(1, 3 * mm))

    section("Students")
    heads = ["Student ID", *(["Name"] if c["names"] else []), "Version", "Score", "Max", "%"]
    rows = [[cell(h) for h in heads]]
    for s_ in c["student_rows"]:
        rows.append(
            [cell(s_["id"]), *([cell(s_["name"])] if c["names"] else [])]
            + [cell(s_[k]) for k in ("version", "score", "max", "percent")]
        )
    widths = cols(40, 55, 20, 18, 18, 19) if c["names"] else cols(60, 30, 27, 27, 26)
    story.append(_table(rows, widths, st))

    pdf = build_flow_pdf(course, st, ctx, story, title=title, header_left=c["title"], header_right="Item analysis")
    warn_missing(ctx, "grade report")
    return pdf

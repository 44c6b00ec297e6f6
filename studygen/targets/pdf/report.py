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

    def __init__(self, bars: list[dict[str, Any]], peak: int, width: float, font: str, axis: str) -> None:
        super().__init__()
        self.bars, self.peak, self.font, self.axis = bars, peak, font, axis
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
        cv.drawCentredString(x0 + plot_w / 2, 0, self.axis)


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
    ctx = MarkupContext(fonts, course.label("missing_font"))
    say = course.label
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

    title = say("gr_title", quiz=c["title"])
    story: list[Flowable] = [Paragraph(ctx(title), st.title)]
    intro = (
        say("gr_graded", students=c["students"], responses=c["responses"])
        + (" " + say("gr_seed", seed=c["seed"]) if c["seed"] else "")
        + (", " + say("gr_against_build", fingerprint=c["fingerprint"]) if c.get("fingerprint") else "")
        + "; "
        + say("gr_mean", mean=c["mean"])
        + " "
        + say("gr_rule", rule=c["rule"])
    )
    listed = say("gr_listed_below")
    if c["skipped"]:
        intro += " " + say("gr_skipped_intro", count=len(c["skipped"]), listed=listed)
    if c["flagged"]:
        intro += " " + say("gr_flagged", count=c["flagged"])
    if c["accepted"]:
        intro += " " + say("gr_accepted_intro", file=c["accept_file"], listed=listed)
    story.append(Paragraph(ctx(intro), st.body))
    if c["small_sample"]:
        story.append(Paragraph(ctx(say("gr_small_sample", students=c["students"], rough_n=c["rough_n"])), flag))

    def named(q: dict[str, Any]) -> Paragraph:
        """A question by its text, its id below in small type (just the id from an older manifest)."""
        if not q["text"]:
            return cell(q["id"])
        return Paragraph(f"{ctx(q['text'])}<br/><font size=6.5 color='#555555'>{ctx(q['id'])}</font>", small)

    if c["skipped"]:
        section(say("gr_skipped_title"))
        story.append(Paragraph(ctx(say("gr_skipped_note", responses=c["responses"])), small))
        skipped = [[cell(say("gr_line")), cell(say("gr_problem"))]]
        skipped += [[cell(r["line"]), cell(r["message"])] for r in c["skipped"]]
        story.append(_table(skipped, cols(15, 155), st))

    if c["topics"]:
        section(say("gr_topics_title"))
        story.append(Paragraph(ctx(say("gr_topics_note")), small))
        by_topic: list[list[Any]] = [[cell(say(k)) for k in ("gr_topic", "gr_mean_p", "gr_topic_questions")]]
        for t in c["topics"]:
            listed = "<br/>".join(f"{ctx(q['text'] or q['id'])} ({q['p']})" for q in t["questions"])
            by_topic.append([cell(t["label"]), cell(t["mean"]), Paragraph(listed, small)])
        story.append(_table(by_topic, cols(45, 15, 110), st))
    elif not c["has_topics"]:
        story.append(Paragraph(ctx(say("gr_no_topics")), small))

    section(say("gr_distribution_title"))
    story.append(Histogram(c["bars"], c["peak"], width, fonts.body, say("gr_percent_score")))
    story.append(Paragraph(ctx(say("gr_histogram_caption")), small))

    section(say("gr_versions_title"))
    heads = [say(k) for k in ("gr_n", "gr_max_points", "gr_mean_percent", "gr_sd_percent", "gr_kr20", "gr_alpha")]
    heads.insert(0, say("version"))
    keys = ["label", "n", "max", "mean", "sd", "kr20", "alpha"]
    widths = cols(30, 12, 15, 19, 19, 37, 38)
    if c["expected"]:  # versions drew their own questions: what the build predicted, beside what happened
        heads.insert(3, say("gr_expected"))
        keys.insert(3, "expected")
        widths = cols(24, 10, 13, 18, 16, 16, 36, 37)
    rows: list[list[Any]] = [[cell(h) for h in heads]]
    rows += [[cell(v.get(key, "")) for key in keys] for v in c["versions"]]
    ps = c["per_student"]
    if ps:
        text = say("gr_per_student_note", setting="versions: per_student", versions=ps["versions"])
        if ps["expected"]:
            text += " " + say(
                "gr_per_student_expected",
                spread=ps["spread"],
                expected=ps["expected"],
                observed=ps["observed"],
                option="--update-stats",
            )
        story.append(Paragraph(ctx(text), st.body))
    if c["versions"]:
        story.append(_table(rows, widths, st))
    a = c["anova"]
    if not ps:
        if a:
            text = say("gr_anova", df1=a["df1"], df2=a["df2"], f=a["f"], p=a["p"]) + " " + say("gr_anova_note")
        else:
            text = say("gr_no_anova")
        story.append(Paragraph(ctx(text), st.body))
    if c["expected"]:
        story.append(
            Paragraph(ctx(say("gr_per_version_note", setting="draw: per_version", option="--update-stats")), small)
        )
    notes = say("gr_kr20_note") + " "
    notes += say("gr_reliability_note", min_n=c["reliability_min_n"], rough_n=c["reliability_rough_n"])
    story.append(Paragraph(ctx(notes), small))

    section(say("gr_items_title"))
    story.append(Paragraph(ctx(say("gr_items_note", group=c["group_size"])), small))
    item_heads = ("gr_question", "gr_type", "gr_shown_as", "gr_n", "gr_p", "gr_r", "gr_d", "gr_flags")
    rows = [[cell(say(h)) for h in item_heads]]
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
        section(say("gr_unmatched_title"))
        note = say(
            "gr_unmatched_note",
            count=c["unmatched_count"],
            file=c["unmatched_file"],
            yes="yes",
            option=f"--accept {c['unmatched_file']}",
        )
        story.append(Paragraph(ctx(note), small))
        answer_tables(c["unmatched"], (say("gr_answer_typed"), say("gr_students_column"), say("gr_decision")), True)
    if c["accepted"]:
        section(say("gr_accepted_title"))
        story.append(Paragraph(ctx(say("gr_accepted_note", file=c["accept_file"])), small))
        answer_tables(c["accepted"], (say("gr_accepted_answer"), say("gr_credited")), False)

    section(say("gr_distractors_title"))
    story.append(Paragraph(ctx(say("gr_distractors_note")), small))
    for q in c["questions"]:
        if not q["options"]:
            continue
        title = f"{q['text'] or q['id']} ({q['type']})"
        heading = Paragraph(f"{ctx(title)} <font size=7 color='#555555'>{ctx(q['id'])}</font>", st.body)
        option_heads = ("gr_option", "gr_chosen", "gr_percent", "gr_top_group", "gr_bottom_group", "gr_flags")
        rows = [[cell(say(h)) for h in option_heads]]
        for o in q["options"]:
            label = o["text"] + (" " + say("gr_key_mark") if o["correct"] else "")
            rows.append([cell(label)] + [cell(o[key]) for key in ("chosen", "percent", "upper", "lower")])
            rows[-1].append(cell(o["flags"], flag))
        # A question's heading stays on the page with its table.
        story.append(KeepTogether([heading, _table(rows, cols(64, 15, 12, 16, 18, 45), st)]))
        story.append(Spacer(1, 3 * mm))

    section(say("gr_students_title"))
    heads = [say("student_id"), *([say("name")] if c["names"] else []), say("version")]
    heads += [say("gr_score"), say("gr_max"), say("gr_percent")]
    rows = [[cell(h) for h in heads]]
    for s_ in c["student_rows"]:
        rows.append(
            [cell(s_["id"]), *([cell(s_["name"])] if c["names"] else [])]
            + [cell(s_[k]) for k in ("version", "score", "max", "percent")]
        )
    widths = cols(40, 55, 20, 18, 18, 19) if c["names"] else cols(60, 30, 27, 27, 26)
    story.append(_table(rows, widths, st))

    pdf = build_flow_pdf(course, st, ctx, story, title=title, header_left=c["title"], header_right=say("gr_header"))
    warn_missing(ctx, "grade report")
    return pdf

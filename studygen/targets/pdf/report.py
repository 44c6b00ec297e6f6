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


class _Page:
    """What every report section draws with: styles, markup, labels, column scaling, and the story so far.

    One object instead of a closure per helper, so each section below is a
    method that reads as "what this section shows" rather than setup.
    """

    def __init__(self, course: Course) -> None:
        self.fonts = font_set(course.hangul_font)
        self.st = make_styles(self.fonts)
        self.ctx = MarkupContext(self.fonts, course.label("missing_font"))
        self.say = course.label
        self.width = page_size(course.paper)[0] - 2 * self.st.margin
        self.k = self.width / _DESIGN_WIDTH
        self.small = ParagraphStyle("report-small", parent=self.st.small, fontSize=8, leading=10)
        self.flag = ParagraphStyle("report-flag", parent=self.small, textColor=FLAG)
        self.story: list[Flowable] = []

    def cell(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(self.ctx(text), self.small if style is None else style)

    def cols(self, *widths_mm: float) -> list[float]:
        """Column widths designed for a 170 mm frame, scaled to the course's paper."""
        return [w * mm * self.k for w in widths_mm]

    def add(self, text: str, style: ParagraphStyle) -> None:
        self.story.append(Paragraph(self.ctx(text), style))

    def table(self, rows: list[list[Any]], widths: list[float]) -> None:
        self.story.append(_table(rows, widths, self.st))

    def section(self, heading: str) -> None:
        """A heading that never ends a page alone."""
        self.story.append(CondPageBreak(120))
        self.story.append(Paragraph(self.ctx(heading), self.st.heading))

    def named(self, q: dict[str, Any]) -> Paragraph:
        """A question by its text, its id below in small type (just the id from an older manifest)."""
        if not q["text"]:
            return self.cell(q["id"])
        return Paragraph(
            f"{self.ctx(q['text'])}<br/><font size=6.5 color='#555555'>{self.ctx(q['id'])}</font>", self.small
        )

    def heading(self, title: str, q_id: str) -> Paragraph:
        """A question's heading over its table: its text, then its id in small grey type."""
        return Paragraph(f"{self.ctx(title)} <font size=7 color='#555555'>{self.ctx(q_id)}</font>", self.st.body)

    def keep(self, heading: Paragraph, rows: list[list[Any]], widths: list[float], gap: float) -> None:
        """A question's heading stays on the page with its table; a gap follows."""
        self.story.append(KeepTogether([heading, _table(rows, widths, self.st)]))
        self.story.append(Spacer(1, gap))


def render_report_pdf(course: Course, c: dict[str, Any]) -> bytes:
    """The item-analysis report; text no embedded font can draw is reported as a `MissingGlyphWarning`.

    Each section is its own step below, in the order the report prints them;
    `c` is `report_context`, so every number was already computed and these
    steps only lay it out.
    """
    p = _Page(course)
    title = p.say("gr_title", quiz=c["title"])
    p.add(title, p.st.title)
    _intro(p, c)
    _skipped(p, c)
    _topics(p, c)
    _distribution(p, c)
    _versions(p, c)
    _items(p, c)
    _unmatched_and_accepted(p, c)
    _distractors(p, c)
    _students(p, c)
    pdf = build_flow_pdf(
        course, p.st, p.ctx, p.story, title=title, header_left=c["title"], header_right=p.say("gr_header")
    )
    warn_missing(p.ctx, "grade report")
    return pdf


def _intro(p: _Page, c: dict[str, Any]) -> None:
    """One paragraph saying what was graded and how, and pointing to the lists further down."""
    say = p.say
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
    p.add(intro, p.st.body)
    if c["small_sample"]:
        p.add(say("gr_small_sample", students=c["students"], rough_n=c["rough_n"]), p.flag)


def _skipped(p: _Page, c: dict[str, Any]) -> None:
    """Response lines that were not graded, with why, so none is lost silently."""
    if not c["skipped"]:
        return
    say = p.say
    p.section(say("gr_skipped_title"))
    p.add(say("gr_skipped_note", responses=c["responses"]), p.small)
    skipped = [[p.cell(say("gr_line")), p.cell(say("gr_problem"))]]
    skipped += [[p.cell(r["line"]), p.cell(r["message"])] for r in c["skipped"]]
    p.table(skipped, p.cols(15, 155))


def _topics(p: _Page, c: dict[str, Any]) -> None:
    """Mean difficulty per topic, or a note that the bank tags none."""
    say = p.say
    if c["topics"]:
        p.section(say("gr_topics_title"))
        p.add(say("gr_topics_note"), p.small)
        by_topic: list[list[Any]] = [[p.cell(say(k)) for k in ("gr_topic", "gr_mean_p", "gr_topic_questions")]]
        for t in c["topics"]:
            listed = "<br/>".join(f"{p.ctx(q['text'] or q['id'])} ({q['p']})" for q in t["questions"])
            by_topic.append([p.cell(t["label"]), p.cell(t["mean"]), Paragraph(listed, p.small)])
        p.table(by_topic, p.cols(45, 15, 110))
    elif not c["has_topics"]:
        p.add(say("gr_no_topics"), p.small)


def _distribution(p: _Page, c: dict[str, Any]) -> None:
    """The score histogram."""
    p.section(p.say("gr_distribution_title"))
    p.story.append(Histogram(c["bars"], c["peak"], p.width, p.fonts.body, p.say("gr_percent_score")))
    p.add(p.say("gr_histogram_caption"), p.small)


def _versions(p: _Page, c: dict[str, Any]) -> None:
    """Per-version statistics, and whether versions differ (ANOVA), or the per-student note instead.

    The table grows an "expected" column when versions drew their own
    questions, so the build's prediction sits beside what happened.
    """
    say = p.say
    p.section(say("gr_versions_title"))
    heads = [say(k) for k in ("gr_n", "gr_max_points", "gr_mean_percent", "gr_sd_percent", "gr_kr20", "gr_alpha")]
    heads.insert(0, say("version"))
    keys = ["label", "n", "max", "mean", "sd", "kr20", "alpha"]
    widths = p.cols(30, 12, 15, 19, 19, 37, 38)
    if c["expected"]:  # versions drew their own questions: what the build predicted, beside what happened
        heads.insert(3, say("gr_expected"))
        keys.insert(3, "expected")
        widths = p.cols(24, 10, 13, 18, 16, 16, 36, 37)
    rows: list[list[Any]] = [[p.cell(h) for h in heads]]
    rows += [[p.cell(v.get(key, "")) for key in keys] for v in c["versions"]]
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
        p.add(text, p.st.body)
    if c["versions"]:
        p.table(rows, widths)
    a = c["anova"]
    if not ps:
        if a:
            text = say("gr_anova", df1=a["df1"], df2=a["df2"], f=a["f"], p=a["p"]) + " " + say("gr_anova_note")
        else:
            text = say("gr_no_anova")
        p.add(text, p.st.body)
    if c["expected"]:
        p.add(say("gr_per_version_note", setting="draw: per_version", option="--update-stats"), p.small)
    notes = say("gr_kr20_note") + " "
    notes += say("gr_reliability_note", min_n=c["reliability_min_n"], rough_n=c["reliability_rough_n"])
    p.add(notes, p.small)


def _items(p: _Page, c: dict[str, Any]) -> None:
    """One row per question: difficulty, discrimination and the flags that ask for a second look."""
    say = p.say
    p.section(say("gr_items_title"))
    p.add(say("gr_items_note", group=c["group_size"]), p.small)
    item_heads = ("gr_question", "gr_type", "gr_shown_as", "gr_n", "gr_p", "gr_r", "gr_d", "gr_flags")
    rows = [[p.cell(say(h)) for h in item_heads]]
    for q in c["questions"]:
        rows.append(
            [p.named(q)]
            + [p.cell(q[key]) for key in ("type", "shown_as", "n", "p", "r", "d")]
            + [p.cell(q["flags"], p.flag)]
        )
    p.table(rows, p.cols(46, 20, 24, 10, 12, 12, 12, 34))


def _answer_tables(p: _Page, groups: list[dict[str, Any]], heads: tuple[str, ...], decision: bool) -> None:
    """Typed answers per question (and blank), with counts and, for unmatched ones, the decision column."""
    for q in groups:
        title = (q["text"] or q["id"]) + (f" ({q['blank']})" if q["blank"] else "")
        heading = p.heading(title, q["id"])
        rows = [[p.cell(h) for h in heads]]
        for a in q["answers"]:
            rows.append([p.cell(a["answer"]), p.cell(a["count"])] + ([p.cell(a["decision"])] if decision else []))
        widths = p.cols(110, 30, 30) if decision else p.cols(120, 50)
        p.keep(heading, rows, widths, 2 * mm)


def _unmatched_and_accepted(p: _Page, c: dict[str, Any]) -> None:
    """Typed answers no key matched (to decide on) and those credited from the accept file."""
    say = p.say
    if c["unmatched"]:
        p.section(say("gr_unmatched_title"))
        note = say(
            "gr_unmatched_note",
            count=c["unmatched_count"],
            file=c["unmatched_file"],
            yes="yes",
            option=f"--accept {c['unmatched_file']}",
        )
        p.add(note, p.small)
        heads = (say("gr_answer_typed"), say("gr_students_column"), say("gr_decision"))
        _answer_tables(p, c["unmatched"], heads, True)
    if c["accepted"]:
        p.section(say("gr_accepted_title"))
        p.add(say("gr_accepted_note", file=c["accept_file"]), p.small)
        _answer_tables(p, c["accepted"], (say("gr_accepted_answer"), say("gr_credited")), False)


def _distractors(p: _Page, c: dict[str, Any]) -> None:
    """How often each option was chosen, overall and by the top and bottom groups."""
    say = p.say
    p.section(say("gr_distractors_title"))
    p.add(say("gr_distractors_note"), p.small)
    for q in c["questions"]:
        if not q["options"]:
            continue
        heading = p.heading(f"{q['text'] or q['id']} ({q['type']})", q["id"])
        option_heads = ("gr_option", "gr_chosen", "gr_percent", "gr_top_group", "gr_bottom_group", "gr_flags")
        rows = [[p.cell(say(h)) for h in option_heads]]
        for o in q["options"]:
            label = o["text"] + (" " + say("gr_key_mark") if o["correct"] else "")
            rows.append([p.cell(label)] + [p.cell(o[key]) for key in ("chosen", "percent", "upper", "lower")])
            rows[-1].append(p.cell(o["flags"], p.flag))
        p.keep(heading, rows, p.cols(64, 15, 12, 16, 18, 45), 3 * mm)


def _students(p: _Page, c: dict[str, Any]) -> None:
    """Every student's score, with a name column only when the responses carried names."""
    say = p.say
    p.section(say("gr_students_title"))
    heads = [say("student_id"), *([say("name")] if c["names"] else []), say("version")]
    heads += [say("gr_score"), say("gr_max"), say("gr_percent")]
    rows = [[p.cell(h) for h in heads]]
    for s_ in c["student_rows"]:
        rows.append(
            [p.cell(s_["id"]), *([p.cell(s_["name"])] if c["names"] else [])]
            + [p.cell(s_[k]) for k in ("version", "score", "max", "percent")]
        )
    widths = p.cols(40, 55, 20, 18, 18, 19) if c["names"] else p.cols(60, 30, 27, 27, 26)
    p.table(rows, widths)

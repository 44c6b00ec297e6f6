"""The PDF report: the same content as the HTML page, laid out with reportlab.

Every string goes through `fonts.markup` (escaped for reportlab's paragraph
markup, Hangul switched to the fallback font), and the document is built in
invariant mode so the same grading run gives byte-identical PDFs;
SOURCE_DATE_EPOCH, when set, becomes the document's date.
"""

from __future__ import annotations

import io
from typing import Any

from studygen.grade import fonts
from studygen.grade.statsfile import today


def render_pdf(context: dict[str, Any]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    today()  # reportlab reads SOURCE_DATE_EPOCH itself; a malformed one must be a message, not a traceback
    fonts.register()
    m = fonts.markup
    body = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=body, fontName=fonts.SANS_BOLD, fontSize=16, leading=20, spaceAfter=6)
    h2 = ParagraphStyle(
        "h2", parent=body, fontName=fonts.SANS_BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
    )
    flag = ParagraphStyle("flag", parent=small, textColor=colors.HexColor("#8a1c00"))

    def cell(text: str, style: ParagraphStyle = small) -> Paragraph:
        return Paragraph(m(text), style)

    def table(rows: list[list[Any]], widths: list[float]) -> Table:
        t = Table(rows, colWidths=widths, repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeff")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), fonts.SANS),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                ]
            )
        )
        return t

    c = context
    story: list[Any] = [Paragraph(m(f"Item analysis: {c['title']}"), h1)]
    intro = (
        f"{c['students']} student(s) graded from {c['responses']}"
        + (f" (quiz seed {c['seed']})" if c["seed"] else "")
        + (
            f", against the manifest of build {c['fingerprint']} (printed at the foot of every quiz page)"
            if c["fingerprint"]
            else ""
        )
        + f"; mean score {c['mean']}%. Multiple-response rule: {c['rule']}."
    )
    if c["skipped"]:
        intro += f" {c['skipped']} row problem(s) were reported and those rows skipped."
    story.append(Paragraph(m(intro), body))

    story.append(Paragraph(m("Score distribution"), h2))
    story.append(_histogram(c["bars"], c["peak"]))

    story.append(Paragraph(m("Versions and reliability"), h2))
    rows: list[list[Any]] = [[cell(h) for h in ("Version", "n", "Max", "Mean %", "SD %", "KR-20", "Alpha")]]
    rows += [[cell(v[k]) for k in ("label", "n", "max", "mean", "sd", "kr20", "alpha")] for v in c["versions"]]
    story.append(table(rows, [35 * mm, 15 * mm, 18 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm]))
    a = c["anova"]
    story.append(
        Paragraph(
            m(
                f"One-way ANOVA of percent scores across versions: F({a['df1']}, {a['df2']}) = {a['f']}, p = {a['p']}."
                if a
                else "No test of version differences: it needs at least two versions with students and some spread."
            ),
            body,
        )
    )

    story.append(Paragraph(m("Items"), h2))
    story.append(
        Paragraph(
            m(
                f"Pooled over versions by question id. p = difficulty, r = item–rest correlation (corrected "
                f"point-biserial), D = p(top {c['group_size']}) − p(bottom {c['group_size']})."
            ),
            small,
        )
    )
    rows = [[cell(h) for h in ("Question", "Type", "Shown as", "n", "p", "r", "D", "Flags")]]
    for q in c["questions"]:
        rows.append(
            [
                cell(q["id"]),
                cell(q["type"]),
                cell(q["shown_as"]),
                cell(q["n"]),
                cell(q["p"]),
                cell(q["r"]),
                cell(q["d"]),
                cell(q["flags"], flag),
            ]
        )
    story.append(table(rows, [46 * mm, 20 * mm, 24 * mm, 10 * mm, 12 * mm, 12 * mm, 12 * mm, 34 * mm]))

    story.append(Paragraph(m("Distractor analysis"), h2))
    for q in c["questions"]:
        if not q["options"]:
            continue
        heading = Paragraph(m(f"{q['id']} ({q['type']})"), body)
        rows = [[cell(h) for h in ("Option", "Chosen", "%", "Top", "Bottom", "Flags")]]
        for o in q["options"]:
            label = o["text"] + (" (key)" if o["correct"] else "")
            rows.append(
                [
                    cell(label),
                    cell(o["chosen"]),
                    cell(o["percent"]),
                    cell(o["upper"]),
                    cell(o["lower"]),
                    cell(o["flags"], flag),
                ]
            )
        # A question's heading stays on the page with its table.
        story.append(KeepTogether([heading, table(rows, [64 * mm, 15 * mm, 12 * mm, 16 * mm, 18 * mm, 45 * mm])]))
        story.append(Spacer(1, 3 * mm))

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Item analysis: {c['title']}",
        author="studygen",
        creator="studygen",
        invariant=1,
        pageCompression=1,
        # Start every page in our embedded font, so the PDF never references (non-embedded) Helvetica.
        initialFontName=fonts.SANS,
    )
    doc.build(story)
    return buf.getvalue()


def _histogram_flowable() -> type:
    """Built lazily so importing this module does not import reportlab."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable

    class Histogram(Flowable):
        """Bars drawn straight on the canvas in the embedded font.

        (reportlab.graphics drawings reset the font to Helvetica, which would put a
        non-embedded base-14 font into the PDF.)
        """

        def __init__(self, bars: list[dict[str, Any]], peak: int) -> None:
            super().__init__()
            self.bars, self.peak = bars, peak
            self.width, self.height = 170 * mm, 62 * mm

        def draw(self) -> None:
            cv = self.canv
            x0, y0, plot_w, plot_h = 12 * mm, 10 * mm, 150 * mm, 45 * mm
            bar_w = plot_w / len(self.bars)
            cv.setLineWidth(0.5)
            cv.line(x0, y0, x0 + plot_w, y0)
            cv.line(x0, y0, x0, y0 + plot_h)
            cv.setFont(fonts.SANS, 7)
            cv.drawRightString(x0 - 2, y0 + plot_h - 3, str(self.peak))
            cv.drawRightString(x0 - 2, y0 - 3, "0")
            for i, bar in enumerate(self.bars):
                x = x0 + i * bar_w + 2
                mid = x + (bar_w - 4) / 2
                h = bar["height"] * plot_h
                if h:
                    cv.setFillColor(colors.HexColor("#3a5ba0"))
                    cv.rect(x, y0, bar_w - 4, h, stroke=0, fill=1)
                    cv.setFillColor(colors.black)
                    cv.drawCentredString(mid, y0 + h + 2, str(bar["count"]))
                cv.drawCentredString(mid, y0 - 9, str(i * 10))
            cv.drawCentredString(x0 + plot_w / 2, 0, "percent score (bands of 10 points)")

    return Histogram


def _histogram(bars: list[dict[str, Any]], peak: int) -> Any:
    return _histogram_flowable()(bars, peak)

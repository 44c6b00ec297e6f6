"""PDFs for marking a stack of paper: the all-versions marking grid and the copy shop's print packs.

Both draw with the quiz's own layout (`QuizLayout`: fonts, styles, header and footer, wrapped
paragraphs), so a pack's pages are the very pages of the single-version PDFs, and the grid's
answers are the key's (`studygen.documents.quiz.marking_grid`).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from studygen.documents.base import Batch, Plan, PlannedQuiz, QuizSubject
from studygen.documents.quiz import MarkingGrid, marking_grid, planned_content
from studygen.targets.pdf.layout import (
    Block,
    Op,
    Placed,
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
from studygen.targets.pdf.markup import warn_missing
from studygen.targets.pdf.quiz import QuizLayout
from studygen.versions import Version

MAX_GRID_COLUMNS = 12  # versions side by side on one page of the marking grid
MIN_GRID_COLUMNS = 4


def _layout(plan: Plan, planned: PlannedQuiz) -> QuizLayout:
    check_source_date_epoch()
    return QuizLayout(
        plan.course,
        planned.quiz,
        large_print=False,
        answer_sheets=planned.answer_sheets,
        answer_column=planned.answer_column,
        lines_per_point=planned.lines_per_point,
    )


def grid_blocks(L: QuizLayout, grid: MarkingGrid) -> list[Block]:
    """The grid as tables of at most `MAX_GRID_COLUMNS` versions: a header row, then one row per number."""
    size, lab = L.size, L.course.label
    num_w = max(stringWidth(f"{lab('item')}", L.fonts.bold, size * 0.8), stringWidth("000.", L.fonts.bold, size)) + 8
    distinct = {cell for row in grid.rows for cell in row}  # few answers, many cells
    widest = max((stringWidth(re.sub(r"[A-Z]", "W", cell), L.fonts.bold, size) for cell in distinct), default=0.0)
    natural = max(stringWidth("WWWW", L.fonts.bold, size), widest) + 10 * L.st.scale
    # At least MIN_GRID_COLUMNS versions side by side (long answers wrap in their cell), more when they fit.
    col_w = min(natural, (L.W - num_w) / max(1, min(MIN_GRID_COLUMNS, len(grid.versions))))
    per_page = max(1, min(MAX_GRID_COLUMNS, len(grid.versions), int((L.W - num_w) // col_w)))
    col_w = (L.W - num_w) / per_page
    blocks: list[Block] = []
    fits = {cell: stringWidth(cell, L.fonts.bold, size) <= col_w - 6 for cell in distinct}
    for start in range(0, len(grid.versions), per_page):
        shown = range(start, min(len(grid.versions), start + per_page))
        head: list[Op] = [text_op(L.cache, 0, size, lab("item"), L.fonts.bold, size * 0.8)]
        for k, v in enumerate(shown):
            text = f"{lab('version')} {grid.versions[v]}"
            head.append(text_op(L.cache, num_w + k * col_w, size, text, L.fonts.bold, size * 0.8))
        rows = [Row(size * 1.6, [*head, line_op(0, size * 1.45, L.W, size * 1.45, 0.8)])]
        for r, number in enumerate(grid.numbers):
            ops: list[Op] = [
                text_op(L.cache, num_w - 8, size, f"{number}.", L.fonts.body, size, right=True),
            ]
            h = size * 1.2
            for k, v in enumerate(shown):
                cell = grid.rows[r][v]
                if not cell:
                    continue
                x = num_w + k * col_w
                if fits[cell]:
                    # One line (letters, most answers): a replayed string, not a paragraph; 500 versions
                    # make 20,000 cells, and this keeps the grid's cost near that of the key's grids.
                    ops.append(text_op(L.cache, x, size, cell, L.fonts.bold, size, color=L.key_style.textColor))
                    continue
                p = L.para(cell, L.key_style, col_w - 6)[0]
                ops.append(para_op(x, 0, p))
                h = max(h, p.height)
            h += L.pad * 1.5
            ops.append(line_op(0, h - L.pad * 0.5, L.W, h - L.pad * 0.5, 0.3))
            rows.append(Row(h, ops))
        blocks.append(Block(rows, L.st.gap * 2))
    return blocks


def _title(L: QuizLayout, heading: str) -> Block:
    rows: list[Row] = []
    for text, style in ((L.title_line, L.st.subtitle), (L.quiz.title, L.st.title)):
        for p in L.para(text, style, L.W):
            rows.append(Row(p.height + 2, [para_op(0, 0, p)]))
    rows += L.para_rows(heading, L.st.subheading, 0, gap=4)
    rows.append(Row(L.st.gap, [line_op(0, L.st.gap / 2, L.W, L.st.gap / 2, 0.8)]))
    return Block(rows, L.st.gap)


def marking_grid_pages(
    L: QuizLayout, grid: MarkingGrid
) -> tuple[list[list[Placed]], Callable[[Canvas, int, int], None]]:
    lab = L.course.label
    pages = paginate([_title(L, lab("marking_grid")), *grid_blocks(L, grid)], L.frame.height)
    return pages, L.furniture(L.quiz.title, lab("marking_grid"))


def _learn_grid(
    L: QuizLayout, grid: MarkingGrid, pages: list[list[Placed]], furniture: Callable[[Canvas, int, int], None]
) -> None:
    """Teach the layout's cache every character of the grid on a small trial page, so its cells replay.

    A 500-version grid has 20,000 cells but few distinct answers: drawn once each on the trial
    (with the first page, for the title and furniture), every cell after that is a replayed string.
    """
    trial = new_canvas(io.BytesIO(), L.pagesize, L.fonts, title="", subject="")
    draw_document(trial, pages[:1], L.frame, furniture, L.fonts.body)
    texts = {cell for row in grid.rows for cell in row} | {f"{n}." for n in grid.numbers}
    texts |= {f"{L.course.label('version')} {v}" for v in grid.versions}
    for text in sorted(texts):
        trial.setFont(L.fonts.bold, L.size)
        trial.drawString(0, 0, text)
        trial.setFont(L.fonts.body, L.size)
        trial.drawString(0, 0, text)
    L.cache.learn(trial)  # a wrapped answer's paragraph is drawn in the bold font: its characters are in too


def render_marking_grids(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, QuizSubject)
        planned = plan.project.quizzes[o.subject.quiz]
        L = _layout(plan, planned)
        grid = marking_grid(plan.course, planned.quiz)
        pages, furniture = marking_grid_pages(L, grid)
        _learn_grid(L, grid, pages, furniture)
        title = f"{planned.quiz.title} — {plan.course.label('marking_grid')}"
        data = render(
            functools.partial(draw_document, pages=pages, frame=L.frame, furniture=furniture, font=L.fonts.body),
            L.pagesize,
            L.fonts,
            title=title,
            subject=plan.course.label("marking_grid"),
            cache=L.cache,
        )
        warn_missing(L.ctx, f"marking grid of quiz {planned.quiz.id!r}")
        out.append((o.path, data))
    return out


def _draw_part(
    c: Canvas, L: QuizLayout, pages: list[list[Placed]], furniture: Callable[[Canvas, int, int], None]
) -> None:
    """A part's pages, then (for an odd count) an unnumbered blank page so the next part starts on a front."""
    draw_document(c, pages, L.frame, furniture, L.fonts.body)
    if len(pages) % 2:
        p = L.para(L.course.label("blank_page"), L.center, L.W)[0]
        c.setFont(L.fonts.body, 9)
        p.draw(c, L.frame.x, L.frame.top - L.frame.height / 2)
        c.showPage()


def render_print_packs(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    """Every version's quiz (and, for the keys pack, the marking grid and every key) in one PDF each.

    One layout serves the whole pack, learned once as for the single-version PDFs.  Every part
    (a version, or the grid) has its own "page x of y" and starts on an odd page, so the copy shop
    can print the pack double-sided and staple each version on its own.
    """
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, QuizSubject)
        planned = plan.project.quizzes[o.subject.quiz]
        L = _layout(plan, planned)
        lab = plan.course.label
        keys = o.kind == "print_pack_keys"
        first = planned.quiz.versions[0] if planned.quiz.versions else None
        L.learn(planned_content(plan.course, planned, planned.quiz, first) if first else None)

        def draw(c: Canvas, planned: PlannedQuiz = planned, keys: bool = keys, L: QuizLayout = L) -> None:
            if keys:
                _draw_part(c, L, *marking_grid_pages(L, marking_grid(plan.course, planned.quiz)))
            for version in planned.quiz.versions:  # one version's pages at a time: a big pack stays small in memory
                _draw_part(c, L, *_version_pages(L, plan, planned, version, keys))

        subject = lab("print_pack_keys" if keys else "print_pack")
        data = render(
            draw, L.pagesize, L.fonts, title=f"{planned.quiz.title} — {subject}", subject=subject, cache=L.cache
        )
        warn_missing(L.ctx, f"print pack of quiz {planned.quiz.id!r}")
        out.append((o.path, data))
    return out


def _version_pages(
    L: QuizLayout, plan: Plan, planned: PlannedQuiz, version: Version, key: bool
) -> tuple[list[list[Placed]], Callable[[Canvas, int, int], None]]:
    lab = plan.course.label
    doc = planned_content(plan.course, planned, planned.quiz, version)
    if key:
        blocks = L.key_blocks(version, doc)
        right = f"{lab('answer_key')} · {lab('version')} {version.label}"
    else:
        blocks = L.quiz_blocks(version, doc)
        right = f"{lab('version')} {version.label}"
    return paginate(blocks, L.frame.height), L.furniture(L.quiz.title, right)

"""The answer key's body: a compact letter grid first, then each answer with its grounds.

The grid is for marking at a glance; the detailed entries are for students
reviewing their quiz, so they carry the explanation and the verbatim source
passage, and label background knowledge as not graded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from reportlab.pdfbase.pdfmetrics import stringWidth

from studygen.documents.quiz import HAND_MARKED, AnswerLine, KeyEntry, QuizContent
from studygen.model import CHOICE_LIKE_TYPES, QuestionType
from studygen.targets.pdf.blocks import Drawing
from studygen.targets.pdf.layout import Block, Op, Row, line_op, para_op, text_op
from studygen.versions import Item


def _widest_form(grid: str, item: Item) -> str:
    if item.type in CHOICE_LIKE_TYPES or item.type in (QuestionType.MATCHING, QuestionType.ORDERING):
        return re.sub(r"[A-Z]", "W", grid)
    return grid


def _grid_geometry(L: Drawing, doc: QuizContent) -> tuple[int, float, float]:
    """Columns, number width and cell width, fixed for the whole quiz so every version's grid looks alike."""
    if L.grid is not None:
        return L.grid
    size = L.size
    num_w = stringWidth("000.", L.fonts.bold, size) + 4
    # Letters vary by version, so measure every letter as "W": the grid is then the same whichever
    # versions are rendered together (a build split over workers gives the same bytes).  Every
    # version has the same questions' answers, so the first drawn version's content measures all.
    widest = max((stringWidth(_widest_form(e.grid, e.item), L.fonts.bold, size) for e in doc.key), default=0.0)
    cell = num_w + min(widest, L.W / 2) + 16 * L.st.scale
    cols = max(1, min(8, int(L.W // cell)))
    geometry = (cols, num_w, L.W / cols)
    L.grid = geometry
    return geometry


def _grid_rows(L: Drawing, doc: QuizContent, cell: Callable[[KeyEntry, float, float, float], list[Op]]) -> list[Row]:
    """The key's grid layout: column by column, each row as tall as its tallest key answer.

    The key draws the answers into it and the quiz's answer column draws boxes into the very same
    cells (row heights come from the key's texts in both), so a marker can lay the key beside the
    student's paper and read across, cell for cell.
    """
    cols, num_w, width = _grid_geometry(L, doc)
    entries = doc.key
    per_col = math.ceil(len(entries) / cols) if entries else 0
    first = L.size
    rows: list[Row] = []
    for r in range(per_col):
        ops: list[Op] = []
        h = 0.0
        for c in range(cols):
            idx = c * per_col + r
            if idx >= len(entries):
                break
            entry = entries[idx]
            x = c * width
            h = max(h, L.para(entry.grid, L.key_style, width - num_w - 6)[0].height)
            ops.append(text_op(L.cache, x + num_w - 4, first, f"{entry.number}.", L.fonts.body, L.size, right=True))
            ops += cell(entry, x + num_w, width - num_w - 6, L.pad)
        rows.append(Row(h + L.pad * 1.5, ops))
    return rows


def _rule(L: Drawing) -> Row:
    return Row(L.st.gap * 1.5, [line_op(0, L.st.gap * 0.75, L.W, L.st.gap * 0.75, 0.8)])


def grid_block(L: Drawing, doc: QuizContent) -> Block:
    def answer(entry: KeyEntry, x: float, width: float, pad: float) -> list[Op]:
        return [para_op(x, 0, L.para(entry.grid, L.key_style, width)[0])]

    return Block([*_grid_rows(L, doc, answer), _rule(L)], L.st.gap)


def answer_column_block(L: Drawing, doc: QuizContent, heading: list[Row]) -> Block:
    """The quiz's answer column: an empty box per item where the key's grid has its answer.

    Items marked by hand (short answers, blanks, essays) show `/ points` in their box: the marker
    writes the score there, so the whole paper is marked and totalled on its first page.
    """
    size = L.size

    def box(entry: KeyEntry, x: float, width: float, pad: float) -> list[Op]:
        w = width - 4
        top, bottom = -pad * 0.5, size + pad * 0.9
        ops: list[Op] = [
            line_op(x, top, x + w, top, 0.5),
            line_op(x, bottom, x + w, bottom, 0.5),
            line_op(x, top, x, bottom, 0.5),
            line_op(x + w, top, x + w, bottom, 0.5),
        ]
        if entry.item.type in HAND_MARKED:
            ops.append(
                text_op(
                    L.cache, x + w - 3, size * 0.85, f"/ {entry.item.points:g}", L.fonts.body, size * 0.8, right=True
                )
            )
        return ops

    return Block([*heading, *_grid_rows(L, doc, box), _rule(L)], L.st.gap)


def _labelled(L: Drawing, key: str, text: str) -> str:
    return f"<b>{L.ctx(L.course.label(key))}:</b> {L.ctx(text)}"


def _line_markup(L: Drawing, line: AnswerLine) -> str:
    """An `AnswerLine` as paragraph markup: lead (bold for a label), matched prompt, bold letter, text."""
    ctx = L.ctx
    parts = []
    if line.lead:
        parts.append(f"<b>{ctx(line.lead)}</b>" if line.strong else ctx(line.lead))
    if line.prompt:
        parts.append(f"{ctx(line.prompt)} →")
    if line.letter:
        parts.append(f"<b>{line.letter}.</b>")
    if line.text:
        parts.append(ctx(line.text))
    return " ".join(parts)


def answer_block(L: Drawing, entry: KeyEntry) -> Block:
    st, g, ctx, lab = L.st, L.gutter, L.ctx, L.course.label
    pieces = L.para(entry.grid, L.key_style, L.W - g - L.points_w)
    first = L.size
    rows = [
        Row(
            pieces[0].height + L.pad,
            [
                text_op(L.cache, 0, first, f"{entry.number}.", L.fonts.bold, L.size),
                para_op(g, 0, pieces[0]),
                para_op(L.W - L.points_w, 0, L.para(f"({entry.points_text})", L.right, L.points_w)[0]),
            ],
        )
    ]
    rows += [Row(p.height + L.pad, [para_op(g, 0, p)]) for p in pieces[1:]]
    rows += L.para_rows(entry.stem, st.muted, g, gap=L.pad)
    for line in entry.lines:
        if line.letter and not (line.lead or line.prompt):
            rows += L.lettered(line.letter, line.text, g, L.W - g)  # an option as the quiz printed it
        else:
            rows += L.para_rows(_line_markup(L, line), st.body, g, raw=True, gap=L.pad)
    rows += L.para_rows(_labelled(L, "explanation", entry.explanation), st.body, g, raw=True, gap=L.pad)
    if entry.quotes:
        rows += L.para_rows(f"<b>{ctx(lab('source'))}:</b>", st.small, g, raw=True, gap=1)
        for quote in entry.quotes:
            rows += L.para_rows(f"“{ctx(quote)}”", st.quote, g, raw=True, gap=L.pad)
        if entry.citation:
            c = entry.citation
            cite = f"{ctx(c.before)}<i>{ctx(c.publication)}</i>{ctx(c.after)}"
            rows += L.para_rows(cite, st.small, g, raw=True, gap=L.pad)
    if entry.background:
        rows += L.para_rows(_labelled(L, "background", entry.background), st.muted, g, raw=True, gap=L.pad)
    return Block(rows, st.gap)


def key_blocks(L: Drawing, doc: QuizContent) -> list[Block]:
    return [grid_block(L, doc), *(answer_block(L, entry) for entry in doc.key)]

"""The answer key's body: a compact letter grid first, then each answer with its grounds.

The grid is for marking at a glance; the detailed entries are for students
reviewing their quiz, so they carry the explanation and the verbatim source
passage, and label background knowledge as not graded.
"""

from __future__ import annotations

import math
import re

from reportlab.pdfbase.pdfmetrics import stringWidth

from studygen.model import CHOICE_LIKE_TYPES, QuestionType
from studygen.targets.pdf.blocks import Drawing, points_text
from studygen.targets.pdf.layout import Block, Op, Row, line_op, para_op, text_op
from studygen.text.letters import LETTERS
from studygen.versions import Item, Version


def _widest_form(item: Item) -> str:
    if item.type in CHOICE_LIKE_TYPES or item.type in (QuestionType.MATCHING, QuestionType.ORDERING):
        return re.sub(r"[A-Z]", "W", item.key_text)
    return item.key_text


def _grid_geometry(L: Drawing) -> tuple[int, float, float]:
    """Columns, number width and cell width, fixed for the whole quiz so every version's grid looks alike."""
    if L.grid is not None:
        return L.grid
    size = L.size
    num_w = stringWidth("000.", L.fonts.bold, size) + 4
    # Letters vary by version, so measure every letter as "W": the grid is then the same whichever
    # versions are rendered together (a build split over workers gives the same bytes).
    first = L.quiz.versions[0].items if L.quiz.versions else ()
    widest = max((stringWidth(_widest_form(i), L.fonts.bold, size) for i in first), default=0.0)
    cell = num_w + min(widest, L.W / 2) + 16 * L.st.scale
    cols = max(1, min(8, int(L.W // cell)))
    geometry = (cols, num_w, L.W / cols)
    L.grid = geometry
    return geometry


def grid_block(L: Drawing, version: Version) -> Block:
    cols, num_w, cell = _grid_geometry(L)
    items = version.items
    per_col = math.ceil(len(items) / cols) if items else 0
    first = L.size
    rows: list[Row] = []
    for r in range(per_col):
        ops: list[Op] = []
        h = 0.0
        for c in range(cols):
            idx = c * per_col + r
            if idx >= len(items):
                break
            item = items[idx]
            x = c * cell
            p = L.para(item.key_text or L.course.label("essay_key"), L.key_style, cell - num_w - 6)[0]
            ops += [
                text_op(L.cache, x + num_w - 4, first, f"{item.number}.", L.fonts.body, L.size, right=True),
                para_op(x + num_w, 0, p),
            ]
            h = max(h, p.height)
        rows.append(Row(h + L.pad * 1.5, ops))
    rows.append(Row(L.st.gap * 1.5, [line_op(0, L.st.gap * 0.75, L.W, L.st.gap * 0.75, 0.8)]))
    return Block(rows, L.st.gap)


def _labelled(L: Drawing, key: str, text: str) -> str:
    return f"<b>{L.ctx(L.course.label(key))}:</b> {L.ctx(text)}"


def answer_block(L: Drawing, item: Item) -> Block:
    st, g, ctx, lab = L.st, L.gutter, L.ctx, L.course.label
    q = item.question
    pieces = L.para(item.key_text or lab("essay_key"), L.key_style, L.W - g - L.points_w)
    first = L.size
    rows = [
        Row(
            pieces[0].height + L.pad,
            [
                text_op(L.cache, 0, first, f"{item.number}.", L.fonts.bold, L.size),
                para_op(g, 0, pieces[0]),
                para_op(L.W - L.points_w, 0, L.para(f"({points_text(L.course, item.points)})", L.right, L.points_w)[0]),
            ],
        )
    ]
    rows += [Row(p.height + L.pad, [para_op(g, 0, p)]) for p in pieces[1:]]
    rows += L.para_rows(q.stem, st.muted, g, gap=L.pad)
    t = item.type
    if t in CHOICE_LIKE_TYPES:
        for letter in item.correct:
            rows += L.lettered(letter, item.choices[LETTERS.index(letter)], g, L.W - g)
    elif t is QuestionType.MATCHING:
        for i, letter in enumerate(item.correct):
            answer = item.choices[LETTERS.index(letter)]
            text = f"{LETTERS[i].lower()}. {ctx(item.prompts[i])} → <b>{letter}.</b> {ctx(answer)}"
            rows += L.para_rows(text, st.body, g, raw=True, gap=L.pad)
    elif t is QuestionType.ORDERING:
        for pos, letter in enumerate(item.correct):
            text = f"{pos + 1}. <b>{letter}.</b> {ctx(item.choices[LETTERS.index(letter)])}"
            rows += L.para_rows(text, st.body, g, raw=True, gap=L.pad)
    elif t is QuestionType.SHORT_ANSWER:
        answers = " | ".join(ctx(a) for a in item.correct)
        rows += L.para_rows(f"<b>{ctx(lab('accepted_answers'))}:</b> {answers}", st.body, g, raw=True, gap=L.pad)
    elif t is QuestionType.FILL_BLANK:
        rows += L.para_rows(f"<b>{ctx(lab('accepted_answers'))}:</b>", st.body, g, raw=True, gap=L.pad)
        for k, accepted in enumerate(item.blanks, start=1):
            text = f"({k}) " + " | ".join(ctx(a) for a in accepted)
            rows += L.para_rows(text, st.body, g, raw=True, gap=L.pad)
    elif t is QuestionType.ESSAY:
        rows += L.para_rows(_labelled(L, "guidance", q.guidance), st.body, g, raw=True, gap=L.pad)
    rows += L.para_rows(_labelled(L, "explanation", q.explanation), st.body, g, raw=True, gap=L.pad)
    if item.source_quotes:
        rows += L.para_rows(f"<b>{ctx(lab('source'))}:</b>", st.small, g, raw=True, gap=1)
        for quote in item.source_quotes:
            rows += L.para_rows(f"“{ctx(quote)}”", st.quote, g, raw=True, gap=L.pad)
    if q.background:
        rows += L.para_rows(_labelled(L, "background", q.background), st.muted, g, raw=True, gap=L.pad)
    return Block(rows, st.gap)


def key_blocks(L: Drawing, version: Version) -> list[Block]:
    return [grid_block(L, version), *(answer_block(L, item) for item in version.items)]

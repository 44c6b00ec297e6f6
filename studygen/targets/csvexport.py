"""Questions as CSV for flashcard and quiz apps (columns documented in docs/exports.md).

UTF-8 with a byte-order mark so Excel opens Hangul and Cyrillic correctly
(Python's `utf-8-sig`, LibreOffice and most importers skip it).  A cell that a
spreadsheet would run as a formula (starting with `= + - @`, tab or CR) gets a
leading apostrophe: bank text is untrusted and must never execute.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from studygen.model import Bank, Question, QuestionType
from studygen.targets import ExportContext, ExportResult, lms
from studygen.text.cells import safe_cell

COLUMNS = (
    "id", "bank", "type", "topics", "difficulty", "bloom", "points",
    "question", "options", "answer", "explanation", "source",
)  # fmt: skip


def question_and_answer(q: Question, ctx: ExportContext) -> tuple[str, list[str], list[str]]:
    """(question text, options shown, answer lines) for one question, lists one entry per line."""
    t = q.type
    stem = lms.stem_plain(q, ctx)
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        return stem, [o.text for o in q.options], [q.options[i].text for i in q.correct_indexes]
    if t is QuestionType.TRUE_FALSE:
        yes, no = ctx.label("true"), ctx.label("false")
        return stem, [yes, no], [yes if q.answer else no]
    if t is QuestionType.SHORT_ANSWER:
        return stem, [], list(q.accepted)
    if t is QuestionType.MATCHING:
        rights = sorted([p.right for p in q.pairs] + list(q.distractors), key=str.casefold)
        return stem, rights, [f"{p.left} → {p.right}" for p in q.pairs]
    if t is QuestionType.ORDERING:
        shown = sorted(q.items, key=str.casefold)
        return stem, shown, [f"{i + 1}. {item}" for i, item in enumerate(q.items)]
    if t is QuestionType.FILL_BLANK:
        text = "".join(f"_____ ({s + 1})" if isinstance(s, int) else s for s in lms.blank_segments(q))
        answers = [f"({i + 1}) " + " | ".join(b.accepted) for i, b in enumerate(q.blanks)]
        return f"{stem}\n{text}", [], answers
    return stem, [], [q.guidance]


def rows(bank: Bank, ctx: ExportContext) -> list[list[str]]:
    out = []
    for q in bank.questions:
        question, options, answer = question_and_answer(q, ctx)
        out.append(
            [
                q.id,
                bank.id,
                q.type.value,
                " ".join(q.topics),
                str(q.difficulty),
                q.bloom,
                f"{q.points:g}",
                question,
                "\n".join(options),
                "\n".join(answer),
                q.explanation,
                "\n".join(lms.source_quotes(bank, q)),
            ]
        )
    return out


class CsvExporter:
    name = "csv"
    suffix = ".csv"
    binary = False

    def export(self, banks: Sequence[Bank], context: ExportContext | None = None) -> ExportResult:
        ctx = context or ExportContext()
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for bank in banks:
            for row in rows(bank, ctx):
                writer.writerow([safe_cell(cell) for cell in row])
        return ExportResult(buf.getvalue().encode("utf-8-sig"))

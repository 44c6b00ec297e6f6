"""GIFT, Moodle's plain-text question format, as far as GIFT can express a bank.

Escaping follows Moodle's own GIFT exporter: `\\ ~ = # { } :` get a backslash,
line breaks become `\\n`.  A question is written in `[html]` format only when
its text needs it (inline markup, or `<`, `>`, `&` that must stay literal);
then its text is HTML-escaped first.  Fill-in-the-blank with more than one
blank cannot be written in GIFT and is skipped with a warning; ordering is
written as matching (item -> position), as in the Moodle XML export.
"""

from __future__ import annotations

from collections.abc import Sequence

from studygen.model import Bank, Question, QuestionType
from studygen.targets import ExportContext, ExportResult, lms, markup
from studygen.targets.moodle import shortanswer_pattern
from studygen.text.answers import lms_variants

SPECIALS = "~=#{}:"


def escape(text: str) -> str:
    """Backslash-escape GIFT's reserved characters, as Moodle's exporter does (`\\` first)."""
    out = text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\")
    for ch in SPECIALS:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", "\\n")


def _rendered_texts(bank: Bank, q: Question, ctx: ExportContext) -> list[str]:
    """Every text Moodle renders in the question's format (matching answers and short answers are plain)."""
    texts = [q.stem, q.background, q.explanation, q.guidance, q.text, lms.citation(bank)]
    texts += [ctx.label(k) for k in ("strong_answer", "export_source", "beyond_reading")]
    texts += [o.text for o in q.options] + [o.feedback for o in q.options]
    texts += [p.left for p in q.pairs] + list(q.items) + list(lms.source_quotes(bank, q))
    return texts


def needs_html(bank: Bank, q: Question, ctx: ExportContext) -> bool:
    """True if plain (Moodle auto-format) text would not show the question exactly as written."""
    for text in _rendered_texts(bank, q, ctx):
        if markup.has_markup(text) or any(c in text for c in "<>&") or text.lstrip().startswith(("[", "%")):
            return True
    return False


def _html_safe(html: str) -> str:
    """`[` and `%` as entities: at the start of a text GIFT would read them as `[format]` or `%weight%`."""
    return html.replace("[", "&#91;").replace("%", "&#37;")


class GiftExporter:
    name = "gift"
    suffix = ".gift.txt"
    binary = False

    def __init__(self) -> None:
        self.ctx = ExportContext()

    def export(self, banks: Sequence[Bank], context: ExportContext | None = None) -> ExportResult:
        self.ctx = context or ExportContext()
        chunks: list[str] = []
        warnings: list[str] = []
        for bank in banks:
            current: str | None = None
            for q in bank.questions:
                body = self.question(bank, q, warnings)
                if body is None:
                    continue
                category = lms.moodle_category(lms.category_path(bank, q))
                if category != current:
                    chunks.append(f"$CATEGORY: {category}")
                    current = category
                chunks.append(body)
        return ExportResult(("\n\n".join(chunks) + "\n").encode("utf-8") if chunks else b"", warnings)

    def question(self, bank: Bank, q: Question, warnings: list[str]) -> str | None:
        t = q.type
        if t is QuestionType.FILL_BLANK and len(q.blanks) != 1:
            warnings.append(f"{q.id}: skipped for gift: GIFT can hold only one blank per question ({len(q.blanks)})")
            return None
        if t is QuestionType.MULTIPLE_RESPONSE and lms.split_hundred(len(q.correct_indexes)) is None:
            warnings.append(f"{q.id}: skipped for gift: too many correct options for Moodle's grade list")
            return None
        if t is QuestionType.SHORT_ANSWER and q.case_sensitive:
            warnings.append(f"{q.id}: GIFT short answers are always case-insensitive in Moodle; exported as such")
        if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE) and any(o.pinned for o in q.options):
            warnings.append(f"{q.id}: GIFT cannot pin options; Moodle may shuffle the pinned one")
        ctx = self.ctx
        html = needs_html(bank, q, ctx)

        def rich(text: str) -> str:
            return escape(_html_safe(markup.to_html(text)) if html else text)

        head = f"::{escape(q.id)}::" + ("[html]" if html else "")
        stem = escape(_html_safe(lms.stem_html(q, ctx))) if html else escape(lms.stem_plain(q, ctx))
        if html:
            general = lms.feedback_html(bank, q, ctx, guidance=True)
        else:
            general = lms.feedback_plain(bank, q, ctx, guidance=True)
        tail = f"\t####{escape(general)}\n}}"
        if t is QuestionType.FILL_BLANK:
            before, after = self.split_blank(q)
            sep = "<br>" if html else "\\n"
            alts = " ".join(f"={escape(shortanswer_pattern(a))}" for a in lms_variants(q.blanks[0].accepted))
            after_text = rich(after)
            if after_text.startswith("/"):  # `//` right after the answers would read as a comment
                after_text = "&#47;" + after_text[1:] if html else " " + after_text
            return f"{head}{stem}{sep}{rich(before)}{{{alts}\n{tail}{after_text}"
        lines: list[str] = []
        if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
            lines = self.choices(q, rich)
        elif t is QuestionType.TRUE_FALSE:
            lines = ["T" if q.answer else "F"]
        elif t is QuestionType.SHORT_ANSWER:
            lines = [f"={escape(shortanswer_pattern(a))}" for a in lms_variants(q.accepted, q.case_sensitive)]
        elif t in (QuestionType.MATCHING, QuestionType.ORDERING):
            pairs = [(p.left, p.right) for p in q.pairs] if t is QuestionType.MATCHING else lms.ordering_pairs(q, ctx)
            # Moodle keeps matching answers as plain strings shown through format_string: HTML-escape them.
            lines = [f"={rich(left)} -> {escape(markup.escape(right))}" for left, right in pairs]
            lines += [f"= -> {escape(markup.escape(extra))}" for extra in q.distractors]
        body = "".join(f"\t{line}\n" for line in lines)
        return f"{head}{stem}{{\n{body}{tail}"

    @staticmethod
    def split_blank(q: Question) -> tuple[str, str]:
        segments = lms.blank_segments(q)
        at = next(i for i, s in enumerate(segments) if isinstance(s, int))
        before = "".join(s for s in segments[:at] if isinstance(s, str))
        after = "".join(s for s in segments[at + 1 :] if isinstance(s, str))
        return before, after

    @staticmethod
    def choices(q: Question, rich: object) -> list[str]:
        assert callable(rich)
        correct = [o for o in q.options if o.correct]
        wrong = [o for o in q.options if not o.correct]
        if q.type is QuestionType.SINGLE_CHOICE:
            right_marks, wrong_marks = ["="] * len(correct), ["~"] * len(wrong)
        else:
            shares = lms.split_hundred(len(correct)) or []
            right_marks = [f"~%{s}%" for s in shares]
            wrong_marks = [f"~%{s}%" for s in lms.penalties(len(wrong))]
        rights, wrongs = iter(right_marks), iter(wrong_marks)
        lines = []
        for o in q.options:
            mark = next(rights) if o.correct else next(wrongs)
            feedback = f"#{rich(o.feedback)}" if o.feedback else ""
            lines.append(f"{mark}{rich(o.text)}{feedback}")
        return lines

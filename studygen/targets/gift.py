"""GIFT, Moodle's plain-text question format, as far as GIFT can express a bank.

Escaping follows Moodle's own GIFT exporter: `\\ ~ = # { } :` get a backslash,
line breaks become `\\n`.  A question is written in `[html]` format only when
its text needs it (inline markup, or `<`, `>`, `&` that must stay literal);
then its text is HTML-escaped first.  Ordering is written as matching
(item -> position), the GIFT form every Moodle imports.

GIFT holds one blank per question, so a fill-in with several blanks becomes
one question per blank: the same sentence with that blank to fill and the
others drawn as a line, titled "ID (blank k of n)".  That keeps every blank
auto-graded (an instructor who wants one question uses the Moodle XML export,
which writes a cloze question); it is no warning, because nothing needs doing,
but the file says so.  Every question the file could not hold, or holds
differently, is named with the reason in `//` comment lines at its top (an
instructor importing into Moodle never sees the terminal).
"""

from __future__ import annotations

from collections.abc import Sequence

from studygen import inline
from studygen.model import Bank, Question, QuestionType
from studygen.targets import ExportContext, ExportResult, lms, markup
from studygen.targets.moodle import shortanswer_pattern
from studygen.text.answers import lms_variants

SPECIALS = "~=#{}:"
OTHER_BLANK = "_____"


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
        if inline.has_markup(text) or any(c in text for c in "<>&") or text.lstrip().startswith(("[", "%")):
            return True
    return False


def _html_safe(html: str) -> str:
    """`[` and `%` as entities: at the start of a text GIFT would read them as `[format]` or `%weight%`."""
    return html.replace("[", "&#91;").replace("%", "&#37;")


def _comment(text: str) -> str:
    """One comment line: no line break can end it early (ids are safe, but say so in code)."""
    return " ".join(text.split())


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
        notes: list[str] = []
        for bank in banks:
            current: str | None = None
            for q in bank.questions:
                bodies = self.questions(bank, q, warnings, notes)
                if not bodies:
                    continue
                category = lms.moodle_category(lms.category_path(bank, q))
                if category != current:
                    chunks.append(f"$CATEGORY: {category}")
                    current = category
                chunks.extend(bodies)
        if not chunks:
            return ExportResult(b"", warnings)
        head = ""
        if notes:
            head = (
                "// studygen: questions this file leaves out or holds differently from the bank, and why\n"
                "// (the Moodle XML export keeps a fill-in with several blanks as one cloze question):\n"
                + "".join(f"// {_comment(n)}\n" for n in notes)
                + "\n"
            )
        return ExportResult((head + "\n\n".join(chunks) + "\n").encode("utf-8"), warnings)

    def questions(self, bank: Bank, q: Question, warnings: list[str], notes: list[str]) -> list[str]:
        """The GIFT question(s) for `q`; changes go to `notes` (the file), what needs action to `warnings` too."""
        if q.type is QuestionType.FILL_BLANK and len(q.blanks) > 1:
            n = len(q.blanks)
            notes.append(
                f"{q.id}: {n} blanks, but GIFT holds one per question, so it is {n} questions here, "
                f'"{q.id} (blank 1 of {n})" and on, each blank graded alone, the others drawn as {OTHER_BLANK}'
            )
            bodies = [self.question(bank, q, warnings, notes, blank=k) for k in range(n)]
            return [b for b in bodies if b is not None]
        body = self.question(bank, q, warnings, notes)
        return [] if body is None else [body]

    def question(
        self, bank: Bank, q: Question, warnings: list[str], notes: list[str], blank: int | None = None
    ) -> str | None:
        t = q.type

        def tell(message: str) -> None:
            warnings.append(message)
            notes.append(message)

        if t is QuestionType.MULTIPLE_RESPONSE and lms.split_hundred(len(q.correct_indexes)) is None:
            tell(f"{q.id}: skipped for gift: too many correct options for Moodle's grade list")
            return None
        if t is QuestionType.SHORT_ANSWER and q.case_sensitive:
            tell(f"{q.id}: GIFT short answers are always case-insensitive in Moodle; exported as such")
        if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE) and any(o.pinned for o in q.options):
            tell(f"{q.id}: GIFT cannot pin options; Moodle may shuffle the pinned one")
        ctx = self.ctx
        html = needs_html(bank, q, ctx)

        def rich(text: str) -> str:
            return escape(_html_safe(markup.to_html(text)) if html else text)

        title = q.id if blank is None else f"{q.id} (blank {blank + 1} of {len(q.blanks)})"
        head = f"::{escape(title)}::" + ("[html]" if html else "")
        stem = escape(_html_safe(lms.stem_html(q, ctx))) if html else escape(lms.stem_plain(q, ctx))
        if html:
            general = lms.feedback_html(bank, q, ctx, guidance=True)
        else:
            general = lms.feedback_plain(bank, q, ctx, guidance=True)
        tail = f"\t####{escape(general)}\n}}"
        if t is QuestionType.FILL_BLANK:
            k = blank or 0
            before, after = self.split_blank(q, k)
            sep = "<br>" if html else "\\n"
            alts = " ".join(f"={escape(shortanswer_pattern(a))}" for a in lms_variants(q.blanks[k].accepted))
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
    def split_blank(q: Question, blank: int = 0) -> tuple[str, str]:
        """The text before and after blank `blank` (0-based); any other blank is drawn as a line."""
        segments = lms.blank_segments(q)
        at = next(i for i, s in enumerate(segments) if s == blank and not isinstance(s, str))

        def text(part: list[str | int]) -> str:
            return "".join(s if isinstance(s, str) else OTHER_BLANK for s in part)

        return text(segments[:at]), text(segments[at + 1 :])

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

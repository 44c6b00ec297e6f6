"""What the LMS and flashcard exporters share: feedback text, categories, grades, zips.

Keeping these in one place means Moodle XML, GIFT, QTI, Anki and CSV agree on
what "the source passage" and "the category" of a question are, and on which
grade fractions Moodle accepts.  Every fixed word comes from the course's labels
(`ExportContext.label`), never from a literal here.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from io import BytesIO

from studygen.model import Bank, Question
from studygen.repro import BuildTime
from studygen.targets import ExportContext, markup
from studygen.text import blanks

# Moodle's question_bank::fraction_options_full(), as percentages written the way Moodle writes them.
MOODLE_FRACTIONS: tuple[str, ...] = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
    "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0",
)  # fmt: skip
_POSITIVE = [(float(f), f) for f in MOODLE_FRACTIONS if f != "0"]


def split_hundred(n: int) -> list[str] | None:
    """`n` fractions from Moodle's list that sum to 100 (within Moodle's tolerance), as equal as possible.

    Equal shares when 100/n is on the list (n = 1-10, 12.5 for 8...); otherwise
    two neighbouring values, larger ones first (11 correct: nine 10s and two 5s).
    None when no combination exists (more than 20 shares).
    """
    if n < 1:
        return []
    for value, text in _POSITIVE:
        if abs(value * n - 100) <= 0.001:
            return [text] * n
    best: tuple[float, list[str]] | None = None
    for hi, hi_text in _POSITIVE:
        for lo, lo_text in _POSITIVE:
            if lo >= hi:
                continue
            for k in range(1, n):
                if abs(k * hi + (n - k) * lo - 100) <= 0.001:
                    spread = hi - lo
                    if best is None or spread < best[0]:
                        best = (spread, [hi_text] * k + [lo_text] * (n - k))
    return best[1] if best else None


def penalties(n: int) -> list[str]:
    """Negative fractions for `n` wrong options that together cancel a full score (so ticking everything earns 0)."""
    shares = split_hundred(n)
    if shares is None:  # more than 20 wrong options: -5 each already sums below -100
        return ["-5"] * n
    return [f"-{s}" for s in shares]


def source_quotes(bank: Bank, q: Question) -> tuple[str, ...]:
    return bank.quotes_for(q.refs)


def citation(bank: Bank) -> str:
    r = bank.reading
    return f"{r.author}, “{r.title}”, {r.publication}, {r.date}"


def feedback_html(bank: Bank, q: Question, ctx: ExportContext, *, guidance: bool = False) -> str:
    """General feedback: the explanation, then the verbatim passages it rests on and where they come from."""
    parts = [f"<p>{markup.to_html(q.explanation)}</p>"]
    if guidance and q.guidance:
        strong = markup.escape(ctx.label("strong_answer"))
        parts.append(f"<p><strong>{strong}:</strong> {markup.to_html(q.guidance)}</p>")
    quotes = source_quotes(bank, q)
    if quotes:
        source = markup.escape(ctx.label("export_source"))
        parts.append(f"<p><strong>{source}</strong> ({markup.escape(citation(bank))}):</p>")
        parts.extend(f"<blockquote>{markup.escape(quote)}</blockquote>" for quote in quotes)
    return "".join(parts)


def feedback_plain(bank: Bank, q: Question, ctx: ExportContext, *, guidance: bool = False) -> str:
    """The same feedback as plain text (for plain GIFT and CSV), paragraphs separated by blank lines."""
    parts = [q.explanation]
    if guidance and q.guidance:
        parts.append(f"{ctx.label('strong_answer')}: {q.guidance}")
    quotes = source_quotes(bank, q)
    if quotes:
        parts.append(f"{ctx.label('export_source')} ({citation(bank)}):")
        parts.extend(f"“{quote}”" for quote in quotes)
    return "\n\n".join(parts)


def stem_html(q: Question, ctx: ExportContext) -> str:
    """The question text as HTML, with any background knowledge shown and marked as beyond the reading."""
    out = f"<p>{markup.to_html(q.stem)}</p>"
    if q.background:
        beyond = markup.escape(ctx.label("beyond_reading"))
        out += f"<p><em>{beyond}:</em> {markup.to_html(q.background)}</p>"
    return out


def stem_plain(q: Question, ctx: ExportContext) -> str:
    if q.background:
        return f"{q.stem}\n\n{ctx.label('beyond_reading')}: {q.background}"
    return q.stem


def category_path(bank: Bank, q: Question) -> list[str]:
    """[bank title] or [bank title, label of the question's first topic]."""
    names = [bank.title]
    if q.topics:
        names.append(bank.topic_label(q.topics[0]))
    return names


def moodle_category(names: Iterable[str]) -> str:
    """`$course$/A/B`: names HTML-escaped (Moodle shows them through format_string) and `/` doubled."""
    return "/".join(["$course$", *(markup.escape(" ".join(n.split())).replace("/", "//") for n in names)])


def ordering_pairs(q: Question, ctx: ExportContext) -> list[tuple[str, str]]:
    """An ordering question as matching: each item is matched to its position ("Position 1", ...)."""
    return [(item, ctx.label("order_position", n=i + 1)) for i, item in enumerate(q.items)]


def blank_segments(q: Question) -> list[str | int]:
    """`q.text` split into literal text and blank indexes (0-based), e.g. ["on ", 0, "."]."""
    return blanks.segments(q.text)


def deterministic_zip(files: Mapping[str, bytes], build_time: BuildTime) -> bytes:
    """A zip whose bytes depend only on `files` and the build time: sorted entries, fixed modes and creator."""
    buf = BytesIO()
    stamp = build_time.zip_date_time()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, files[name], compresslevel=9)
    return buf.getvalue()

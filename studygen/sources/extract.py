"""A reading's words, from the forms readings really come in: .txt/.md, a saved web page, a PDF.

`studygen new` extracts the text ONCE into `seeds/ID.txt`; from then on every quote in the bank
is checked against that file, so extraction must keep the words verbatim and must say what it
left out.  Whatever it drops (menus, running headers, page numbers) or changes (words split by an
end-of-line hyphen, rejoined) is returned in `Extracted.dropped` / `Extracted.joins` so that the
instructor can check it: extraction is a guess about a layout, and a guess is shown, never silent.

Parsing is left to well-kept libraries: trafilatura finds a web page's article (it is built for
exactly this and beats hand-written boilerplate rules), pdfplumber (pdfminer.six) gives each PDF
text line with its position, which is what header/footer and column detection need.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studygen.errors import StudygenError
from studygen.sources.files import FileProblem, read_bounded

#: A PDF of a long reading can be large (embedded fonts, figures); text and HTML never need this much.
MAX_SOURCE_BYTES = {".pdf": 64 * 1024 * 1024, ".html": 16 * 1024 * 1024, ".htm": 16 * 1024 * 1024}
MAX_TEXT_BYTES = 8 * 1024 * 1024
SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")

# Top and bottom share of a page where running headers, footers and page numbers live.
_MARGIN_SHARE = 0.1
_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.IGNORECASE)


@dataclass
class Extracted:
    """The reading's text, and what extraction left out or changed on the way."""

    text: str
    kind: str  # "text", "html" or "pdf"
    dropped: list[str] = field(default_factory=list)  # lines not kept (menus, headers, page numbers)
    joins: list[str] = field(default_factory=list)  # "inter-|national -> international" rejoins
    title: str = ""  # a title the source itself declares (HTML <title>, PDF metadata), for messages


def extract(path: Path) -> Extracted:
    """Extract the reading at `path`; a `StudygenError` says why it cannot be used."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise StudygenError(
            f"{path}: cannot read a {suffix or 'suffix-less'} file as a reading; "
            f"give a {', '.join(SUFFIXES[:-1])} or {SUFFIXES[-1]} file"
        )
    limit = MAX_SOURCE_BYTES.get(suffix, MAX_TEXT_BYTES)
    try:
        raw = read_bounded(path, limit)
    except FileProblem as problem:
        raise StudygenError(f"{path}: {problem.reason}") from None
    if not raw.strip():
        raise StudygenError(f"{path}: the file is empty")
    if suffix == ".pdf":
        return _from_pdf(path, raw)
    text = _decode(path, raw)
    if suffix in (".html", ".htm"):
        return _from_html(path, text)
    return Extracted(_tidy(text), "text")


def _decode(path: Path, raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StudygenError(f"{path}: the file is UTF-16; save it as UTF-8")
    if b"\x00" in raw[:8192]:
        raise StudygenError(f"{path}: this looks like a binary file, not text; give the reading as .txt, .html or .pdf")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise StudygenError(
            f"{path}: not UTF-8 text (byte {exc.start}: {raw[exc.start : exc.start + 1]!r}); save it as UTF-8"
        ) from None


def _tidy(text: str) -> str:
    """Line endings and NFC only: quotes are matched against these exact words."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.rstrip() for line in text.split("\n")]
    out = "\n".join(lines).strip("\n")
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out + "\n"


# --- HTML ---------------------------------------------------------------------------------------


def _from_html(path: Path, html: str) -> Extracted:
    import trafilatura
    from lxml import html as lxml_html

    try:
        body = trafilatura.extract(
            html,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            favor_precision=False,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises parser errors of several kinds on broken markup
        raise StudygenError(f"{path}: cannot read this web page: {exc}") from None
    if not body or not body.strip():
        raise StudygenError(
            f"{path}: found no article text in this page (is it a saved copy of the article itself?); "
            "copy the article's text into a .txt file and give that instead"
        )
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    text = _tidy("\n\n".join(paragraphs))
    title = ""
    visible: list[str] = []
    try:
        tree = lxml_html.fromstring(html)
        for bad in tree.xpath("//script|//style|//noscript|//template|//svg"):
            bad.drop_tree()
        title = " ".join(" ".join(tree.xpath("//title//text()")).split())
        body_nodes = tree.xpath("//body") or [tree]
        for chunk in body_nodes[0].itertext():
            line = " ".join(chunk.split())
            if line:
                visible.append(line)
    except Exception:  # the report of dropped lines is a courtesy; the article text is already safe
        visible = []
    kept = " ".join(text.split())
    dropped = [line for line in dict.fromkeys(visible) if line not in kept]
    return Extracted(text, "html", dropped=dropped, title=title)


# --- PDF ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    page: int
    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    height: float  # the page's height
    width: float


def _from_pdf(path: Path, raw: bytes) -> Extracted:
    import io

    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    lines: list[_Line] = []
    title = ""
    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            info = pdf.metadata or {}
            title = str(info.get("Title") or "")
            pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                for line in page.extract_text_lines(layout=False, strip=True, return_chars=False):
                    text = unicodedata.normalize("NFC", line["text"])
                    if text.strip():
                        lines.append(
                            _Line(
                                number,
                                text,
                                float(line["top"]),
                                float(line["bottom"]),
                                float(line["x0"]),
                                float(line["x1"]),
                                float(page.height),
                                float(page.width),
                            )
                        )
    except (PDFSyntaxError, ValueError, KeyError, TypeError) as exc:
        raise StudygenError(f"{path}: cannot read this PDF ({exc.__class__.__name__}: {exc})") from None
    except Exception as exc:  # pdfminer raises its own exception types for damaged and encrypted files
        name = exc.__class__.__name__
        hint = "; it is password-protected: save an unprotected copy" if "Password" in name or "Encrypt" in name else ""
        raise StudygenError(f"{path}: cannot read this PDF ({name}){hint}") from None
    if sum(len(line.text) for line in lines) < 20:
        raise StudygenError(
            f"{path}: this PDF has no text layer ({pages} page(s) of images: a scan?); "
            "run it through OCR first (for example `ocrmypdf in.pdf out.pdf`) or give the text as a .txt file"
        )
    kept, dropped = _drop_furniture(lines, pages)
    text, joins = _paragraphs(kept)
    return Extracted(_tidy(text), "pdf", dropped=dropped, joins=joins, title=title)


def _furniture_key(text: str) -> str:
    """Running headers differ from page to page only by their numbers."""
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def _drop_furniture(lines: Sequence[_Line], pages: int) -> tuple[list[_Line], list[str]]:
    """Drop page numbers and lines that repeat in the top or bottom margin of several pages."""

    def in_margin(line: _Line) -> bool:
        return line.top < line.height * _MARGIN_SHARE or line.bottom > line.height * (1 - _MARGIN_SHARE)

    counts = Counter(_furniture_key(line.text) for line in lines if in_margin(line))
    repeated = {key for key, n in counts.items() if n >= 2 and n >= max(2, pages // 2)}
    kept: list[_Line] = []
    dropped: list[str] = []
    for line in lines:
        if in_margin(line) and (_PAGE_NUMBER.match(line.text) or _furniture_key(line.text) in repeated):
            dropped.append(f"page {line.page}: {line.text}")
        else:
            kept.append(line)
    return kept, dropped


def _columns(lines: Sequence[_Line]) -> list[_Line]:
    """Reading order: top to bottom, and on a two-column page the left column first."""
    out: list[_Line] = []
    for page in sorted({line.page for line in lines}):
        on_page = [line for line in lines if line.page == page]
        mid = on_page[0].width / 2
        left = [line for line in on_page if line.x1 <= mid + 2]
        right = [line for line in on_page if line.x0 >= mid - 2]
        across = len(on_page) - len(left) - len(right)
        if len(left) >= 4 and len(right) >= 4 and across <= len(on_page) * 0.1:
            # Lines that cross the middle (a title across both columns) come first, in place by height.
            spanning = [line for line in on_page if line not in left and line not in right]
            out.extend(sorted(spanning, key=lambda ln: ln.top))
            out.extend(sorted(left, key=lambda ln: ln.top))
            out.extend(sorted(right, key=lambda ln: ln.top))
        else:
            out.extend(sorted(on_page, key=lambda ln: (ln.top, ln.x0)))
    return out


def _paragraphs(lines: Sequence[_Line]) -> tuple[str, list[str]]:
    """Join lines into paragraphs; a gap or an indent starts a new one; rejoin end-of-line hyphens."""
    ordered = _columns(lines)
    if not ordered:
        return "", []
    heights = sorted(line.bottom - line.top for line in ordered)
    line_height = heights[len(heights) // 2] or 10.0
    lefts = Counter(round(line.x0) for line in ordered)
    margin = lefts.most_common(1)[0][0]
    words = Counter(w.casefold() for line in ordered for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", line.text))
    widths = sorted(line.x1 - line.x0 for line in ordered)
    full = widths[len(widths) // 2]
    paragraphs: list[list[str]] = [[]]
    joins: list[str] = []
    prev: _Line | None = None
    for line in ordered:
        if prev is not None:
            gap = line.top - prev.bottom
            new_column = line.page != prev.page or line.top < prev.top
            indented = line.x0 > margin + line_height * 0.8
            # Across a page or column break only the shape of the last line tells: a short line
            # that ends a sentence ends its paragraph.
            ended = prev.x1 - prev.x0 < full * 0.85 and prev.text.rstrip().endswith((".", "!", "?", '"', "”"))
            if (gap > line_height * 0.9 if not new_column else ended) or indented:
                paragraphs.append([])
        paragraphs[-1].append(line.text.strip())
        prev = line
    out = []
    for para in paragraphs:
        if para:
            text, found = _join_lines(para, words)
            joins.extend(found)
            out.append(text)
    return "\n\n".join(out), joins


def _join_lines(lines: Sequence[str], words: Counter[str]) -> tuple[str, list[str]]:
    """One paragraph's lines as one line; `inter-` + `national` becomes `international`.

    A hyphen at a line's end is either typesetting (remove it) or part of the word (`Seoul-` +
    `Moscow`, `well-` + `known`).  The document itself decides where it can: the hyphenated or the
    joined form seen elsewhere in the text wins; a capital after the hyphen keeps it.  Every join
    is reported so the instructor can check the ones the text did not settle.
    """
    text = lines[0]
    joins: list[str] = []
    for nxt in lines[1:]:
        m = re.search(r"([^\W\d_]+)-$", text)
        n = re.match(r"([^\W\d_]+)", nxt)
        if m and n and not text.endswith("--"):
            head, tail = m.group(1), n.group(1)
            joined, hyphened = (head + tail).casefold(), f"{head}-{tail}".casefold()
            keep = tail[0].isupper() or (words[hyphened] > 0 and words[joined] == 0)
            if keep:
                text = text + nxt
                joins.append(f"{head}-|{tail} -> {head}-{tail} (hyphen kept)")
            else:
                text = text[:-1] + nxt
                settled = "" if words[joined] > 0 else " (check: the text has no other instance)"
                joins.append(f"{head}-|{tail} -> {head}{tail}{settled}")
        else:
            text = f"{text} {nxt}"
    return text, joins

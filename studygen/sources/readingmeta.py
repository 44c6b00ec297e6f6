"""`seeds/ID.meta.yaml`: a reading's publication metadata, read from one place.

`studygen new` writes the metadata beside the reading's text, and a bank names it with
`reading: {meta: ../seeds/ID.meta.yaml}`.  The bank then must not state the same fields again:
two copies of a title or a date drift, and the handouts would print whichever one a renderer
happened to read.  The file is read with the same strict loader as banks (text stays text,
unknown keys are reported with the nearest known one).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from studygen.errors import Diagnostic, Severity
from studygen.sources.bankschema import DATE_PATTERN, URL_PATTERN
from studygen.sources.yamlload import load_file

#: The fields a bank's `reading:` block can take from the metadata file (the model's Reading).
READING_FIELDS = ("title", "author", "author_affiliation", "publication", "date", "url", "subtitle", "display_title")
REQUIRED = ("title", "author", "publication", "date")
#: Further facts about the publication that the file may record for people; not printed.
RECORD_ONLY = ("section", "posted", "modified", "photo_caption", "contact", "author_also_described_as")
KNOWN = READING_FIELDS + RECORD_ONLY
MAX_BYTES = 256 * 1024


def load_meta(path: Path, shown: str) -> tuple[dict[str, str] | None, list[Diagnostic]]:
    """The metadata as text fields, or every problem found (file:line:col)."""
    doc, problems = load_file(path, shown, MAX_BYTES)
    if doc is None:
        return None, problems

    def diag(key: tuple[str, ...], message: str, of_key: bool = False) -> Diagnostic:
        line, col = doc.mark(key, of_key=of_key)
        return Diagnostic(shown, line, col, Severity.ERROR, "reading-meta", message)

    data: Any = doc.data
    if not isinstance(data, dict):
        return None, [diag((), "a reading's metadata file must be a mapping (title:, author:, publication:, date:)")]
    out: dict[str, str] = {}
    for key, value in data.items():
        if key not in KNOWN:
            near = difflib.get_close_matches(str(key), KNOWN, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else f"; known keys: {', '.join(KNOWN)}"
            problems.append(diag((key,), f"unknown key {key!r}{hint}", of_key=True))
        elif not isinstance(value, str) or not value.strip():
            problems.append(diag((key,), f"{key} must be non-empty text"))
        else:
            out[key] = str(value)
    for key in REQUIRED:
        if key not in data:
            problems.append(diag((), f"missing {key}: a reading's metadata needs {', '.join(REQUIRED)}"))
    if "date" in out and not re.match(DATE_PATTERN, out["date"]):
        problems.append(diag(("date",), f"date {out['date']!r} must be YYYY-MM-DD (or YYYY-MM, YYYY)"))
    if "url" in out and not re.match(URL_PATTERN, out["url"]):
        problems.append(diag(("url",), f"url {out['url']!r} must be an http:// or https:// address"))
    return (None, problems) if problems else (out, [])

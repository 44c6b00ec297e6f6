"""scan-report.html: one self-contained page (crops embedded as data: URIs, no scripts, nothing fetched).

Autoescaping is on for every value: student IDs and names come from scans and
rosters, so they are shown as text, never as markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from studygen.scan.decide import Outcome

_TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_report(outcome: Outcome, *, quiz: str, fingerprint: str, scans: list[str]) -> bytes:
    sheets: list[dict[str, Any]] = []
    for s in sorted(outcome.sheets, key=lambda s: s.read):  # stable: review first, scan order kept
        pages = []
        for number in sorted(s.pages):
            for p in s.pages[number]:
                items = [
                    {
                        "item": "ID" if r.item == 0 else str(r.item),
                        "cell": r.cell,
                        "seen": r.seen,
                        "why": r.why,
                        "confidence": round(100 * r.confidence),
                        "crop": r.crop if r.cell is None or r.decided else "",
                        "decided": r.decided,
                    }
                    for _, r in sorted(p.readings.items())
                ]
                fp = p.payload.fingerprint if p.payload else ""
                pages.append({"source": p.source, "number": number, "fingerprint": fp, "rows": items})
        sheets.append(
            {
                "student": s.student or "?",
                "name": s.name,
                "version": s.version.label,
                "read": s.read,
                "problems": s.problems,
                "pages": pages,
            }
        )
    rejected = [
        {"source": p.source, "why": p.why, "thumbnail": p.thumbnail} for p in outcome.pages if p.status == "rejected"
    ]
    blank = [p.source for p in outcome.pages if p.status == "blank"]
    context = {
        "quiz": quiz,
        "fingerprint": fingerprint,
        "scans": scans,
        "sheets": sheets,
        "rejected": rejected,
        "blank": blank,
        "n_read": sum(1 for s in outcome.sheets if s.read),
        "n_review": len(outcome.review),
        "n_pages": len(outcome.pages),
    }
    return _env().get_template("scan-report.html.j2").render(**context).encode("utf-8")

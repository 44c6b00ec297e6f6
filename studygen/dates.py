"""How a fact's date is shown, and where an event goes on the timeline: one place for every format.

A fact carries an ISO date as precise as the reading allows (`2024`, `2024-02`,
`2024-02-13`) and, optionally, the reading's own wording (`early February`,
`Sept. 13, 2023 (photo caption); "last September" (text)`).  Printing both
side by side is clutter; printing only the ISO date hides that the column
never said the year.  So a label shows the date once, as precisely as the
bank gives it, in the course's date format, and marks each part the reading
does not state (`early Feb. [2024]`).  A qualifier the reading uses ("early",
"late", "around") is kept.  The PDF study guide, the HTML study guide and the
self-test all call `date_label`, so they cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the model calls `chronological`; only annotations need Fact here
    from studygen.model import Fact

# English month names and the abbreviations readings use, to tell whether the wording states the month.
_MONTH_WORDS: tuple[tuple[str, ...], ...] = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
    ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"), ("october", "oct"),
    ("november", "nov"), ("december", "dec"),
)  # fmt: skip
_QUALIFIER = re.compile(r"\b(early|mid|late|around|about|circa|the end of|the beginning of)\b[\s-]*", re.I)
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class DateParts:
    """An ISO date split into what the reading states and what the bank inferred."""

    year: int
    month: int | None
    day: int | None
    stated_year: bool
    stated_month: bool
    stated_day: bool
    qualifier: str

    @property
    def inferred(self) -> bool:
        return not (
            self.stated_year and (self.month is None or self.stated_month) and (self.day is None or self.stated_day)
        )


def parse(date: str, date_text: str = "") -> DateParts | None:
    """`date` against the reading's wording; None for a date that is not ISO (the schema refuses those)."""
    m = _ISO.match(date.strip())
    if not m:
        return None
    year, month, day = int(m.group(1)), m.group(2) and int(m.group(2)), m.group(3) and int(m.group(3))
    text = date_text.casefold()
    if not text:  # no wording: the ISO date is all the bank says, and it is taken as stated
        return DateParts(year, month or None, day or None, True, True, True, "")
    stated_year = re.search(rf"(?<!\d){year}(?!\d)", text) is not None
    stated_month = False
    stated_day = False
    if month:
        words = _MONTH_WORDS[month - 1]
        at = [w.start() for w in (re.search(rf"\b{word}\b\.?", text) for word in words) if w]
        stated_month = bool(at) or re.search(rf"{year}-{month:02d}", text) is not None
        if day:
            stated_day = bool(re.search(rf"(?<!\d)0?{day}(?!\d)(?:st|nd|rd|th)?", re.sub(rf"{year}", "", text)))
    qualifier = ""
    q = _QUALIFIER.search(date_text)
    if q and (month or not stated_year):
        qualifier = q.group(1).lower()
    return DateParts(year, month or None, day or None, stated_year, stated_month, stated_day, qualifier)


ENGLISH_MONTHS = "Jan. Feb. Mar. Apr. May June July Aug. Sept. Oct. Nov. Dec."


def _months(labels: Mapping[str, str]) -> Sequence[str]:
    names = labels.get("months", ENGLISH_MONTHS).split()
    return names if len(names) == 12 else ENGLISH_MONTHS.split()


def format_date(parts: DateParts, labels: Mapping[str, str]) -> str:
    """The parts in the course's format (labels `date_day`, `date_month`, `months`); a part the
    reading does not state goes through `date_inferred`."""

    def mark(text: str, stated: bool) -> str:
        return text if stated else labels["date_inferred"].format(part=text)

    year = mark(str(parts.year), parts.stated_year)
    if parts.month is None:
        text = year
    else:
        month = mark(_months(labels)[parts.month - 1], parts.stated_month)
        if parts.day is None:
            text = labels["date_month"].format(month=month, year=year)
        else:
            text = labels["date_day"].format(day=mark(str(parts.day), parts.stated_day), month=month, year=year)
    return f"{parts.qualifier} {text}" if parts.qualifier else text


def date_label(fact: Fact, labels: Mapping[str, str]) -> str:
    """The one label of a fact's date in every format: the reading's wording when the bank has no
    ISO date, empty for an undated fact."""
    if not fact.date:
        return " ".join(fact.date_text.split())
    parts = parse(fact.date, fact.date_text)
    return format_date(parts, labels) if parts else fact.date


def any_inferred(facts: Sequence[Fact]) -> bool:
    """True when some label marks an inferred part: then the document prints the `dates_legend` once."""
    for f in facts:
        parts = parse(f.date, f.date_text) if f.date else None
        if parts is not None and parts.inferred:
            return True
    return False


def _interval(date: str) -> tuple[str, str]:
    """The first and last day an ISO date can mean, as sortable text (`2024` → 2024-01-01 .. 2024-12-31)."""
    y, _, rest = date.partition("-")
    m, _, d = rest.partition("-")
    if d:
        return date, date
    if m:
        return f"{y}-{m}-01", f"{y}-{m}-31"
    return f"{y}-01-01", f"{y}-12-31"


def chronological(facts: Sequence[Fact]) -> tuple[Fact, ...]:
    """Dated facts in time order, each placed by what is known of its date.

    A precise date sorts as itself.  A vaguer one (`2024` beside `2024-02`, `2024-03-28`) says
    only that the event fell somewhere in that span, so it is not put first for lack of a
    month: among the events inside its span it keeps its place in the bank, which follows the
    reading ("around the time of Chang's comments" comes right after them).  Vaguer spans are
    placed after finer ones, so a month is settled before the year around it.
    """
    dated = [(i, f, _interval(f.date)) for i, f in enumerate(facts) if f.date]
    order = sorted(dated, key=lambda e: (e[2][0], e[2][1], e[0]))

    def inside(inner: tuple[str, str], outer: tuple[str, str]) -> bool:
        return outer[0] <= inner[0] and inner[1] <= outer[1] and inner != outer

    vague = [e for e in dated if any(inside(o[2], e[2]) for o in dated)]
    for entry in sorted(vague, key=lambda e: (-len(e[1].date), e[0])):
        order.remove(entry)
        within = [e for e in order if inside(e[2], entry[2])]
        before = [e for e in within if e[0] < entry[0]]
        if before:
            anchor = max(before, key=lambda e: e[0])
            order.insert(order.index(anchor) + 1, entry)
        else:
            anchor = min(within, key=lambda e: e[0])
            order.insert(order.index(anchor), entry)
    return tuple(f for _i, f, _span in order)

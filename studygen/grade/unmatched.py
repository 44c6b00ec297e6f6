"""Typed answers no accepted answer matched, and the instructor's decisions about them.

`studygen grade` writes `unmatched-answers.csv`: per short-answer question (and
per blank of a fill-in), each distinct wrong answer with how many students typed
it and an empty `accept` column.  The instructor writes `yes` beside the answers
that deserve credit and grades again with `--accept FILE`: those answers are
added to the question's accepted answers *for that run only* (the bank is not
changed), the report lists each one with the students it credited, and the new
`unmatched-answers.csv` keeps every decision, so the file can be edited and fed
back as often as needed.  Answers are grouped and compared by the one answer
rule of `studygen.grade.scoring`; nothing here compares text its own way.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from studygen.errors import Diagnostic, Severity, StudygenError
from studygen.grade.analysis import StudentResult
from studygen.grade.manifest import Manifest, ManifestItem
from studygen.grade.responses import Response, decode
from studygen.grade.scoring import matches, typed_parts
from studygen.model import QuestionType
from studygen.sources.files import FileProblem, read_bounded
from studygen.text.cells import safe_cell

FILE_NAME = "unmatched-answers.csv"
HEADER = ("question_id", "blank", "question", "answer", "count", "accept")
MAX_ACCEPT_BYTES = 8 * 1024 * 1024
YES = frozenset({"yes", "y", "x", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
TYPED = frozenset({QuestionType.SHORT_ANSWER, QuestionType.FILL_BLANK})


@dataclass(frozen=True, slots=True)
class Decision:
    """One row of an accept file: accept (or explicitly not) this answer to this question's blank."""

    question_id: str
    blank: int  # 0 for a short answer
    answer: str
    accept: bool
    line: int


@dataclass(frozen=True, slots=True)
class AnswerCount:
    """A distinct typed answer (its most common spelling) and how many students typed it or a same-rule variant."""

    question_id: str
    blank: int
    answer: str
    count: int
    decision: str = ""  # "", "yes" (accepted this run) or "no" (kept from the accept file)


def unmatched(results: Sequence[StudentResult]) -> list[AnswerCount]:
    """Every typed answer that earned nothing, grouped per question and blank, most common first."""
    typed: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    sensitive: dict[str, bool] = {}
    for s in results:
        for r in s.items:
            for blank, text, right in typed_parts(r.item, r.answer):
                if not right:
                    typed[(r.item.question_id, blank)][text] += 1
                    sensitive[r.item.question_id] = r.item.case_sensitive
    out: list[AnswerCount] = []
    for (qid, blank), counts in sorted(typed.items()):
        reps: list[str] = []  # each group's most common spelling (ties: the first in sorted order)
        totals: list[int] = []
        for text, n in sorted(counts.items(), key=lambda tc: (-tc[1], tc[0])):
            for g, rep in enumerate(reps):
                if matches(text, (rep,), sensitive[qid]):
                    totals[g] += n
                    break
            else:
                reps.append(text)
                totals.append(n)
        out += [AnswerCount(qid, blank, rep, n) for rep, n in zip(reps, totals, strict=True)]
    return sorted(out, key=lambda a: (a.question_id, a.blank, -a.count, a.answer))


def credited(results: Sequence[StudentResult], decision: Decision) -> int:
    """How many typed answers (before acceptances) earned nothing but match `decision.answer`."""
    n = 0
    for s in results:
        for r in s.items:
            if r.item.question_id != decision.question_id:
                continue
            for blank, text, right in typed_parts(r.item, r.answer):
                if blank == decision.blank and not right and matches(text, (decision.answer,), r.item.case_sensitive):
                    n += 1
    return n


def accept(manifest: Manifest, decisions: Sequence[Decision]) -> Manifest:
    """The manifest with every `yes` answer added to its question's accepted answers (this run only)."""
    extra: dict[tuple[str, int], list[str]] = defaultdict(list)
    for d in decisions:
        if d.accept and d.answer not in extra[(d.question_id, d.blank)]:
            extra[(d.question_id, d.blank)].append(d.answer)
    if not extra:
        return manifest

    def widened(item: ManifestItem) -> ManifestItem:
        if item.type is QuestionType.SHORT_ANSWER:
            more = extra.get((item.question_id, 0), [])
            return replace(item, correct=item.correct + tuple(more)) if more else item
        if item.type is QuestionType.FILL_BLANK:
            blanks = tuple(b + tuple(extra.get((item.question_id, i + 1), [])) for i, b in enumerate(item.blanks))
            return replace(item, blanks=blanks)
        return item

    versions = tuple(replace(v, items=tuple(widened(i) for i in v.items)) for v in manifest.versions)
    return replace(manifest, versions=versions)


def rebind(responses: Sequence[Response], manifest: Manifest) -> list[Response]:
    """Responses pointed at the widened manifest's versions (same labels, same items, more accepted answers)."""
    out = []
    for r in responses:
        version = manifest.version(r.version.label)
        assert version is not None  # `accept` keeps every version
        out.append(replace(r, version=version))
    return out


def read_decisions(path: Path, manifest: Manifest) -> list[Decision]:
    """The accept file's rows; any bad row stops grading (a half-applied acceptance would be a wrong grade)."""
    shown = str(path)
    try:
        raw = read_bounded(path, MAX_ACCEPT_BYTES)
    except FileProblem as problem:
        raise StudygenError(f"--accept {shown}: {problem.reason}") from None
    text = decode(raw, shown)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise StudygenError(f"{shown}:{reader.line_num}: not a well-formed CSV file: {exc}") from None
    rows = [(line, row) for line, row in rows if any(c.strip() for c in row)]
    if not rows:
        raise StudygenError(f"{shown}: empty; expected the header {','.join(HEADER)} (as `studygen grade` writes it)")
    header_line, header = rows[0]
    names = [h.strip().casefold() for h in header]
    missing = [k for k in ("question_id", "answer", "accept") if k not in names]
    if missing:
        raise StudygenError(
            f"{shown}:{header_line}:1: the header has no {', '.join(missing)} column; use the "
            f"{FILE_NAME} that `studygen grade` wrote (header {','.join(HEADER)})"
        )
    col: dict[str, int] = {k: names.index(k) for k in ("question_id", "blank", "answer", "accept") if k in names}
    items = {i.question_id: i for v in manifest.versions for i in v.items}
    decisions: list[Decision] = []
    problems: list[Diagnostic] = []
    for line, row in rows[1:]:
        cells = row + [""] * (len(header) - len(row))

        def bad(key: str, message: str, line: int = line) -> None:
            problems.append(Diagnostic(shown, line, col[key] + 1, Severity.ERROR, "bad-accept-row", message))

        qid = cells[col["question_id"]].strip()
        mark = cells[col["accept"]].strip().casefold()
        answer = _unguard(cells[col["answer"]].strip())
        blank_text = cells[col["blank"]].strip() if "blank" in col else ""
        if mark not in YES and mark not in NO and mark:
            bad(
                "accept",
                f"accept is {cells[col['accept']].strip()!r}; write yes to accept the answer, or leave it empty",
            )
            continue
        if not mark:
            continue  # undecided
        item = items.get(qid)
        if item is None:
            bad("question_id", f"question {qid!r} is not in the manifest; accept answers only for its questions")
            continue
        if item.type not in TYPED:
            bad("question_id", f"{qid} is a {item.type.value} question; only typed answers can be accepted")
            continue
        blank = 0
        if item.type is QuestionType.FILL_BLANK:
            if not blank_text.isdigit() or not 1 <= int(blank_text) <= len(item.blanks):
                bad(
                    "blank" if "blank" in col else "question_id",
                    f"{qid} has blanks 1 to {len(item.blanks)}; the blank column says {blank_text!r}",
                )
                continue
            blank = int(blank_text)
        elif blank_text:
            bad("blank", f"{qid} is a short-answer question: leave its blank column empty, not {blank_text!r}")
            continue
        if not answer:
            bad("answer", "the answer is empty; there is nothing to accept")
            continue
        decisions.append(Decision(qid, blank, answer, mark in YES, line))
    if problems:
        raise StudygenError(
            f"--accept {shown}: {len(problems)} row problem(s); fix them and grade again (nothing was written)",
            problems,
        )
    return decisions


def _unguard(text: str) -> str:
    """The answer as typed: the `'` the CSV guard put before a formula-like answer is not part of it."""
    return text[1:] if text.startswith("'") and safe_cell(text[1:]) == text else text


def unmatched_csv(rows: Sequence[AnswerCount], manifest: Manifest, plain: dict[str, str]) -> bytes:
    """`unmatched-answers.csv`: decided rows keep their decision, so the file can be fed back as it is."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    for a in rows:
        w.writerow(
            [
                safe_cell(a.question_id),
                str(a.blank) if a.blank else "",
                safe_cell(plain.get(a.question_id, "")),
                safe_cell(a.answer),
                str(a.count),
                a.decision,
            ]
        )
    return buf.getvalue().encode("utf-8")


def table(
    results_before: Sequence[StudentResult], results_after: Sequence[StudentResult], decisions: Sequence[Decision]
) -> tuple[list[AnswerCount], list[AnswerCount]]:
    """(still unmatched, accepted this run): the two halves of the new `unmatched-answers.csv`.

    A still-unmatched answer keeps a `no` the instructor wrote for it; each
    accepted answer is listed with the students it credited.
    """
    said_no = {(d.question_id, d.blank, d.answer) for d in decisions if not d.accept}
    still = [
        replace(a, decision="no") if (a.question_id, a.blank, a.answer) in said_no else a
        for a in unmatched(results_after)
    ]
    seen: set[tuple[str, int, str]] = set()
    accepted = []
    for d in decisions:
        key = (d.question_id, d.blank, d.answer)
        if d.accept and key not in seen:
            seen.add(key)
            accepted.append(AnswerCount(d.question_id, d.blank, d.answer, credited(results_before, d), "yes"))
    accepted.sort(key=lambda a: (a.question_id, a.blank, -a.count, a.answer))
    return still, accepted


def in_order(rows: Sequence[AnswerCount]) -> list[AnswerCount]:
    """Per question and blank, most typed first: decided and undecided answers side by side."""
    return sorted(rows, key=lambda a: (a.question_id, a.blank, -a.count, a.answer))

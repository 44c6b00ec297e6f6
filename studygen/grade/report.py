"""What the HTML and PDF reports show, computed once so the two formats cannot disagree.

`report_context` turns an `Analysis` into display-ready rows (formatted
numbers, flags, histogram geometry); the HTML template and the PDF builder
only lay them out.  Every word in them is a course label (`gr_*` in
`DEFAULT_LABELS`), so a Korean course gets a Korean report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studygen.course import DEFAULT_LABELS
from studygen.errors import Diagnostic
from studygen.grade.analysis import (
    ITEM_STATS_ROUGH_N,
    RELIABILITY_MIN_N,
    RELIABILITY_ROUGH_N,
    Analysis,
    QuestionStat,
    StudentResult,
    VersionStat,
    reliability_caution,
    topic_summary,
)
from studygen.grade.csvout import num, question_text
from studygen.grade.manifest import Manifest
from studygen.grade.scoring import MultipleResponseRule
from studygen.grade.unmatched import FILE_NAME, AnswerCount

SHORT_TEXT = 80  # characters of a question's text in the report's tables; the id follows it


@dataclass(frozen=True, slots=True)
class ReportMeta:
    manifest: Manifest
    rule: MultipleResponseRule
    responses_name: str
    skipped: tuple[Diagnostic, ...] = ()  # rows not graded, with their CSV line and reason
    names: bool = False  # the responses had a name column
    unmatched: tuple[AnswerCount, ...] = ()  # typed answers that earned nothing
    accepted: tuple[AnswerCount, ...] = ()  # answers accepted for this run (--accept)
    accept_file: str = ""


Label = Callable[..., str]  # `Course.label`: a label's text, with its placeholders filled


def default_label(key: str, **values: object) -> str:
    """The English default of a label, for callers without a course."""
    text = DEFAULT_LABELS[key]
    return text.format(**values) if values else text


# The flags `studygen.grade.analysis` raises (its CSV files keep these words), and their labels.
FLAG_LABELS = {
    "negative discrimination": "gr_flag_negative_r",
    "very hard (p < 0.2)": "gr_flag_very_hard",
    "very easy (p > 0.95)": "gr_flag_very_easy",
    "nobody chose it": "gr_flag_nobody",
    "strongest students chose it more than the weakest": "gr_flag_strong_chose",
}


def _fmt(x: float | None, places: int = 2, label: Label = default_label) -> str:
    return label("gr_na") if x is None else f"{x:.{places}f}"


def short(text: str, limit: int = SHORT_TEXT) -> str:
    """At most `limit` characters, cut at a word where possible, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def _reliability(n: int, value: float | None, label: Label = default_label) -> str:
    """A coefficient as the report shows it: the number, or why it is not worth reading."""
    caution = reliability_caution(n, value)
    shown = _fmt(value, label=label)
    if caution == "too-few":
        return label("gr_not_meaningful", n=n)
    if caution == "rough":
        return label("gr_rough", value=shown, n=n)
    if caution == "negative":
        return label("gr_negative", value=shown)
    return shown


def _version_row(v: VersionStat, label: Label = default_label) -> dict[str, str]:
    return {
        "label": v.label,
        "n": str(v.n),
        "max": num(v.max_points),
        "mean": _fmt(v.mean, 1, label),
        "sd": _fmt(v.sd, 1, label),
        "kr20": _reliability(v.n, v.kr20, label),
        "alpha": _reliability(v.n, v.alpha, label),
        "caution": v.reliability,
    }


def _flags(flags: tuple[str, ...], label: Label) -> str:
    return "; ".join(label(FLAG_LABELS[f]) if f in FLAG_LABELS else f for f in flags)


def reliability_warnings(analysis: Analysis) -> list[str]:
    """What the terminal says about figures from too few students (the report says the same in its tables)."""
    per_version = [] if analysis.per_student else list(analysis.versions)  # per_student: n = 1 each, not shown
    rows = [*per_version, *([analysis.pooled] if analysis.pooled is not None else [])]
    few = [v for v in rows if v.reliability == "too-few"]
    out = []
    if few:
        named = ", ".join(
            ("all versions" if v is analysis.pooled else f"version {v.label}") + f" (n={v.n})" for v in few
        )
        out.append(
            f"reliability (KR-20, alpha) is not meaningful with fewer than {RELIABILITY_MIN_N} students: {named}; "
            "the report shows no number for them"
        )
    if len(analysis.students) < ITEM_STATS_ROUGH_N:
        out.append(
            f"only {len(analysis.students)} student(s): item statistics (r, D) and their flags are rough "
            f"below {ITEM_STATS_ROUGH_N}; read them as hints"
        )
    return out


def _answer_rows(
    rows: tuple[AnswerCount, ...], texts: dict[str, str], label: Label = default_label
) -> list[dict[str, Any]]:
    """Answer counts grouped by question and blank, for the report's tables."""
    groups: list[dict[str, Any]] = []
    for a in rows:
        if not groups or (groups[-1]["id"], groups[-1]["blank_no"]) != (a.question_id, a.blank):
            groups.append(
                {
                    "id": a.question_id,
                    "text": short(texts.get(a.question_id, "")),
                    "blank_no": a.blank,
                    "blank": label("gr_blank", n=a.blank) if a.blank else "",
                    "answers": [],
                }
            )
        groups[-1]["answers"].append({"answer": a.answer, "count": str(a.count), "decision": a.decision})
    return groups


def report_context(analysis: Analysis, meta: ReportMeta, label: Label = default_label) -> dict[str, Any]:
    """What both reports show; `label` is the course's (`Course.label`), so every word can be translated.

    Each part the reports lay out is its own step below (bars, question rows,
    version rows, topics, students); this function only names them, so the
    keys here are the whole contract with the PDF and HTML templates.
    """
    bars, peak = _bars(analysis.histogram)
    anova = analysis.anova
    manifest = meta.manifest
    texts = {q.question_id: question_text(manifest, q.question_id) for q in analysis.questions}
    questions = [_question_row(q, texts[q.question_id], label) for q in analysis.questions]
    expected = meta.manifest.expected
    per_student = _per_student(analysis, meta.manifest, label)
    versions = _version_rows(analysis, expected, per_student is not None, label)
    has_topics = any(manifest.info(qid).topics for qid in texts)
    return {
        "title": meta.manifest.quiz or label("gr_untitled"),
        "seed": "" if meta.manifest.seed is None else str(meta.manifest.seed),
        "fingerprint": meta.manifest.fingerprint,
        "responses": meta.responses_name,
        "rule": meta.rule.value,
        "students": len(analysis.students),
        "skipped": [{"line": str(d.line), "message": d.message} for d in meta.skipped],
        "names": meta.names,
        "student_rows": [_student_row(s) for s in analysis.students],
        "small_sample": len(analysis.students) < ITEM_STATS_ROUGH_N,
        "rough_n": ITEM_STATS_ROUGH_N,
        "reliability_min_n": RELIABILITY_MIN_N,
        "reliability_rough_n": RELIABILITY_ROUGH_N,
        "has_topics": has_topics,
        "topics": _topic_rows(analysis, manifest, texts, label) if has_topics else [],
        "unmatched_file": FILE_NAME,
        "unmatched": _answer_rows(meta.unmatched, texts, label),
        "unmatched_count": sum(a.count for a in meta.unmatched),
        "accepted": _answer_rows(meta.accepted, texts, label),
        "accept_file": meta.accept_file,
        "mean": _fmt(analysis.mean_percent, 1, label),
        "group_size": analysis.group_size,
        "bars": bars,
        "peak": peak,
        "versions": versions,
        "per_student": per_student,
        "expected": bool(expected) and per_student is None,
        "anova": None
        if anova is None
        else {"f": f"{anova.f:.3f}", "df1": anova.df_between, "df2": anova.df_within, "p": _p(anova.p)},
        "questions": questions,
        "flagged": sum(1 for q in analysis.questions if q.flags),
    }


def _bars(histogram: tuple[int, ...]) -> tuple[list[dict[str, Any]], int]:
    """The histogram's bars, each as a share of the tallest (`peak`, at least 1 so an empty one draws flat)."""
    bins = len(histogram)
    peak = max(histogram, default=0) or 1
    width = 100 // bins
    bars = [
        {
            "label": f"{i * width}–{(i + 1) * width}%",
            "count": c,
            "height": c / peak,
        }
        for i, c in enumerate(histogram)
    ]
    return bars, peak


def _question_row(q: QuestionStat, text: str, label: Label) -> dict[str, Any]:
    """One question's item statistics and, per option, who chose it: the item and distractor tables' row."""
    return {
        "id": q.question_id,
        "text": short(text),
        "bank": q.bank,
        "type": label(f"st_type_{q.type.value}"),
        "shown_as": _shown_as(q.placements, label),
        "n": str(q.n),
        "omitted": str(q.omitted),
        "p": _fmt(q.difficulty, label=label),
        "r": _fmt(q.discrimination, label=label),
        "d": _fmt(q.upper_lower, label=label),
        "flags": _flags(q.flags, label),
        "options": [
            {
                "text": o.text,
                "correct": o.correct,
                "chosen": str(o.chosen),
                "percent": f"{100 * o.fraction:.0f}%",
                "upper": label("gr_na") if o.upper is None else f"{100 * o.upper:.0f}%",
                "lower": label("gr_na") if o.lower is None else f"{100 * o.lower:.0f}%",
                "flags": _flags(o.flags, label),
            }
            for o in q.options
        ],
    }


def _version_rows(
    analysis: Analysis, expected: dict[str, float], per_student: bool, label: Label
) -> list[dict[str, str]]:
    """A row per version (with the build's expected mean when versions drew their own), then all versions pooled.

    With one student per version (`per_student`) the per-version rows are
    dropped: n = 1, no SD, no reliability, so a row each would be noise.
    """
    versions = [
        _version_row(v, label) | ({"expected": _fmt(expected.get(v.label), 1, label)} if expected else {})
        for v in analysis.versions
    ]
    if per_student:
        versions = []
    if analysis.pooled is not None:
        versions.append(_version_row(analysis.pooled, label) | {"label": label("gr_all_versions")})
    return versions


def _topic_rows(analysis: Analysis, manifest: Manifest, texts: dict[str, str], label: Label) -> list[dict[str, Any]]:
    """Mean difficulty per topic the bank tags, with the questions behind each mean."""
    topics = topic_summary(analysis.questions, {qid: manifest.info(qid).topics for qid in texts})
    return [
        {
            "label": t.label or label("gr_no_topic"),
            "mean": _fmt(t.mean, label=label),
            "percent": f"{100 * t.mean:.0f}%",
            "questions": [
                {"id": q.question_id, "text": short(texts[q.question_id]), "p": _fmt(q.difficulty, label=label)}
                for q in t.questions
            ],
        }
        for t in topics
    ]


def _student_row(s: StudentResult) -> dict[str, str]:
    """One student's score line, numbers formatted as in the CSV so the two never disagree."""
    return {
        "id": s.student_id,
        "name": s.name,
        "version": s.version,
        "score": num(s.score),
        "max": num(s.max),
        "percent": num(s.percent, 1),
    }


# A question's places ("A 3, B 7") are listed up to this many; beyond, they are summarised.
MAX_PLACES = 8


def _shown_as(placements: tuple[tuple[str, int], ...], label: Label = default_label) -> str:
    """Where a question was asked: each version and item number, or with many versions a summary."""
    if len(placements) <= MAX_PLACES:
        return ", ".join(f"{label} {number}" for label, number in placements)
    numbers = sorted({n for _, n in placements})
    if len(numbers) == 1:
        where = label("gr_item_one", n=numbers[0])
    else:
        where = label("gr_item_range", first=numbers[0], last=numbers[-1])
    return label("gr_shown_many", count=len(placements), where=where)


def _per_student(analysis: Analysis, manifest: Manifest, label: Label = default_label) -> dict[str, str] | None:
    """For `versions: per_student`: the class's expected mean (what the build predicted) beside its observed one."""
    if not manifest.students:
        return None
    graded = [manifest.expected[s.version] for s in analysis.students if s.version in manifest.expected]
    spread = max(manifest.expected.values()) - min(manifest.expected.values()) if manifest.expected else None
    return {
        "versions": str(len(manifest.versions)),
        "expected": _fmt(sum(graded) / len(graded), 1, label) if graded else "",
        "spread": _fmt(spread, 1, label) if spread is not None else "",
        "observed": _fmt(analysis.mean_percent, 1, label),
    }


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"

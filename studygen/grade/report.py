"""What the HTML and PDF reports show, computed once so the two formats cannot disagree.

`report_context` turns an `Analysis` into display-ready rows (formatted
numbers, flags, histogram geometry); the HTML template and the PDF builder
only lay them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studygen.grade.analysis import Analysis, VersionStat
from studygen.grade.csvout import num
from studygen.grade.manifest import Manifest
from studygen.grade.scoring import MultipleResponseRule


@dataclass(frozen=True, slots=True)
class ReportMeta:
    manifest: Manifest
    rule: MultipleResponseRule
    responses_name: str
    skipped_rows: int


def _fmt(x: float | None, places: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{places}f}"


def _version_row(v: VersionStat) -> dict[str, str]:
    return {
        "label": v.label,
        "n": str(v.n),
        "max": num(v.max_points),
        "mean": _fmt(v.mean, 1),
        "sd": _fmt(v.sd, 1),
        "kr20": _fmt(v.kr20),
        "alpha": _fmt(v.alpha),
    }


def report_context(analysis: Analysis, meta: ReportMeta) -> dict[str, Any]:
    bins = len(analysis.histogram)
    peak = max(analysis.histogram, default=0) or 1
    width = 100 // bins
    bars = [
        {
            "label": f"{i * width}–{(i + 1) * width}%",
            "count": c,
            "height": c / peak,
        }
        for i, c in enumerate(analysis.histogram)
    ]
    anova = analysis.anova
    questions = []
    for q in analysis.questions:
        questions.append(
            {
                "id": q.question_id,
                "bank": q.bank,
                "type": q.type.value.replace("_", " "),
                "shown_as": ", ".join(f"{label} {number}" for label, number in q.placements),
                "n": str(q.n),
                "omitted": str(q.omitted),
                "p": _fmt(q.difficulty),
                "r": _fmt(q.discrimination),
                "d": _fmt(q.upper_lower),
                "flags": "; ".join(q.flags),
                "options": [
                    {
                        "text": o.text,
                        "correct": o.correct,
                        "chosen": str(o.chosen),
                        "percent": f"{100 * o.fraction:.0f}%",
                        "upper": "n/a" if o.upper is None else f"{100 * o.upper:.0f}%",
                        "lower": "n/a" if o.lower is None else f"{100 * o.lower:.0f}%",
                        "flags": "; ".join(o.flags),
                    }
                    for o in q.options
                ],
            }
        )
    expected = meta.manifest.expected
    versions = [
        _version_row(v) | ({"expected": _fmt(expected.get(v.label), 1)} if expected else {}) for v in analysis.versions
    ]
    if analysis.pooled is not None:
        versions.append(_version_row(analysis.pooled) | {"label": "all versions"})
    return {
        "title": meta.manifest.quiz or "Quiz",
        "seed": "" if meta.manifest.seed is None else str(meta.manifest.seed),
        "responses": meta.responses_name,
        "rule": meta.rule.value,
        "students": len(analysis.students),
        "skipped": meta.skipped_rows,
        "mean": _fmt(analysis.mean_percent, 1),
        "group_size": analysis.group_size,
        "bars": bars,
        "peak": peak,
        "versions": versions,
        "expected": bool(expected),
        "anova": None
        if anova is None
        else {"f": f"{anova.f:.3f}", "df1": anova.df_between, "df2": anova.df_within, "p": _p(anova.p)},
        "questions": questions,
        "flagged": sum(1 for q in analysis.questions if q.flags),
    }


def _p(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"{p:.3f}"

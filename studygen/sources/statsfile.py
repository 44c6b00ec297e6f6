"""Measured item statistics kept beside each bank: `<bank-stem>.stats.json`.

The file keeps every grading run (keyed by a hash of the manifest and the
responses), and the pooled figures are recomputed from the runs: re-grading
the same class replaces its run instead of counting it twice, and a new class
adds to the sample.  Pooling is by sample size: n is the sum of the runs' n;
difficulty, discrimination and upper-lower D are n-weighted means of the runs'
values (runs where a coefficient was undefined do not weigh in it); the date
is the latest run's.  Bank loading reads these files into `Bank.stats`, which the
`item-stats` check rule judges.  The format lives with the other input readers
(grading writes it through this module; loading never reaches into `grade`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studygen.errors import StudygenError
from studygen.model import MeasuredStats
from studygen.sources.files import FileProblem, read_bounded

STATS_SUFFIX = ".stats.json"
MAX_STATS_BYTES = 32 * 1024 * 1024  # one entry per question and run: far below this
FORMAT = 1

_NUM_OR_NULL = {"type": ["number", "null"]}
_RUN = {
    "type": "object",
    "required": ["run", "date", "n", "difficulty", "discrimination"],
    "properties": {
        "run": {"type": "string"},
        "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "quiz": {"type": "string"},
        "n": {"type": "integer", "minimum": 1},
        "difficulty": {"type": "number", "minimum": 0, "maximum": 1},
        "discrimination": _NUM_OR_NULL,
        "upper_lower": _NUM_OR_NULL,
    },
}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["format", "questions"],
    "properties": {
        "format": {"const": FORMAT},
        "bank": {"type": "string"},
        "questions": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["runs"],
                "properties": {"runs": {"type": "array", "minItems": 1, "items": _RUN}},
            },
        },
    },
}


class StatsFileError(StudygenError):
    """A stats file exists but cannot be used; it can be deleted and rebuilt by re-grading."""


@dataclass(frozen=True, slots=True)
class Run:
    """One grading run's figures for one question."""

    run: str
    date: str
    n: int
    difficulty: float
    discrimination: float | None
    upper_lower: float | None = None
    quiz: str = ""


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """A question's pooled measured statistics over all recorded runs."""

    question_id: str
    runs: tuple[Run, ...]

    @property
    def n(self) -> int:
        return sum(r.n for r in self.runs)

    @property
    def difficulty(self) -> float:
        return _weighted([(r.n, r.difficulty) for r in self.runs]) or 0.0

    @property
    def discrimination(self) -> float | None:
        return _weighted([(r.n, r.discrimination) for r in self.runs])

    @property
    def upper_lower(self) -> float | None:
        return _weighted([(r.n, r.upper_lower) for r in self.runs])

    @property
    def date(self) -> str:
        return max(r.date for r in self.runs)


BankStats = dict[str, QuestionStats]


def measured(stats: Mapping[str, QuestionStats]) -> dict[str, MeasuredStats]:
    """The pooled figures the model carries (and `studygen check` judges), per question id."""
    return {qid: MeasuredStats(s.n, s.difficulty, s.discrimination, s.date) for qid, s in stats.items()}


def _weighted(pairs: Iterable[tuple[int, float | None]]) -> float | None:
    known = [(n, v) for n, v in pairs if v is not None]
    total = sum(n for n, _ in known)
    if not total:
        return None
    return math.fsum(n * v for n, v in known) / total


def stats_path(bank_path: str | Path) -> Path:
    p = Path(bank_path)
    return p.with_name(p.stem + STATS_SUFFIX)


def run_id(*inputs: bytes) -> str:
    """A stable id for one grading run: the same manifest and responses always give the same id."""
    h = hashlib.sha256()
    for data in inputs:
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()[:16]


def load_stats(path: Path) -> BankStats:
    """The stats recorded in `path`; empty if there is no such file."""
    try:
        raw = read_bounded(path, MAX_STATS_BYTES)
    except FileProblem as problem:
        if problem.kind == "missing":
            return {}
        raise StatsFileError(f"{path}: {problem.reason}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise StatsFileError(f"{path}: not UTF-8; delete it and re-run `studygen grade --update-stats`") from None
    except json.JSONDecodeError as exc:
        raise StatsFileError(
            f"{path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); repair it or delete it and re-grade"
        ) from None
    import jsonschema

    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.absolute_path) or "(top level)"
        raise StatsFileError(f"{path}: {where}: {e.message}; repair it or delete it and re-grade")
    out: BankStats = {}
    for qid, entry in data["questions"].items():
        runs = tuple(
            Run(
                r["run"],
                r["date"],
                r["n"],
                float(r["difficulty"]),
                _opt(r.get("discrimination")),
                _opt(r.get("upper_lower")),
                r.get("quiz", ""),
            )
            for r in entry["runs"]
        )
        out[qid] = QuestionStats(qid, runs)
    return out


def _opt(x: Any) -> float | None:
    return None if x is None else float(x)


def merge(existing: Mapping[str, QuestionStats], new: Mapping[str, Run]) -> BankStats:
    """Add this run's figures; a run already recorded (same id) is replaced, not counted twice."""
    out: BankStats = dict(existing)
    for qid, run in new.items():
        old = out.get(qid)
        runs = (*tuple(r for r in (old.runs if old else ()) if r.run != run.run), run)
        out[qid] = QuestionStats(qid, tuple(sorted(runs, key=lambda r: (r.date, r.run))))
    return out


def dump(bank_id: str, stats: Mapping[str, QuestionStats]) -> bytes:
    def r4(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    questions: dict[str, Any] = {}
    for qid in sorted(stats):
        q = stats[qid]
        questions[qid] = {
            "n": q.n,
            "difficulty": r4(q.difficulty),
            "discrimination": r4(q.discrimination),
            "upper_lower": r4(q.upper_lower),
            "date": q.date,
            "runs": [
                {
                    "run": r.run,
                    "date": r.date,
                    "quiz": r.quiz,
                    "n": r.n,
                    "difficulty": r4(r.difficulty),
                    "discrimination": r4(r.discrimination),
                    "upper_lower": r4(r.upper_lower),
                }
                for r in q.runs
            ],
        }
    doc = {
        "format": FORMAT,
        "bank": bank_id,
        "note": "Measured by `studygen grade --update-stats`; pooled figures are n-weighted over runs "
        "(see docs/grading.md).",
        "questions": questions,
    }
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

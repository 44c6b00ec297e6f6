"""From read responses to scores and item statistics, pooled by bank question id.

Letters and item numbers differ between versions, so every statistic is keyed
by the question id and every option by its *text*: a question's difficulty,
discrimination and distractor counts then pool over all versions, and
relabelling or reordering versions cannot change them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from studygen.grade import stats
from studygen.grade.answers import Answer
from studygen.grade.manifest import Manifest, ManifestItem
from studygen.grade.responses import Response
from studygen.grade.scoring import MultipleResponseRule, credit
from studygen.model import CHOICE_LIKE_TYPES, QuestionType
from studygen.text.letters import LETTERS

GROUP_FRACTION = 0.27
HISTOGRAM_BINS = 10
# Reliability (KR-20, alpha) from a handful of students is noise: below RELIABILITY_MIN_N students it is
# reported as "not meaningful", below RELIABILITY_ROUGH_N as rough.  docs/grading.md states both.
RELIABILITY_MIN_N = 10
RELIABILITY_ROUGH_N = 20
# Below this many students in all, r, D and the flags built on them are hints, and the report says so.
ITEM_STATS_ROUGH_N = 20


@dataclass(frozen=True, slots=True)
class ItemResult:
    item: ManifestItem
    answer: Answer
    credit: float

    @property
    def score(self) -> float:
        return self.credit * self.item.points


@dataclass(frozen=True, slots=True)
class StudentResult:
    student_id: str
    version: str
    line: int
    items: tuple[ItemResult, ...]
    name: str = ""

    @property
    def score(self) -> float:
        return math.fsum(r.score for r in self.items)

    @property
    def max(self) -> float:
        return math.fsum(r.item.points for r in self.items)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.max if self.max > 0 else 0.0


def grade(responses: Sequence[Response], rule: MultipleResponseRule) -> list[StudentResult]:
    out = []
    for resp in responses:
        items = tuple(
            ItemResult(it, resp.answers[it.number], credit(it, resp.answers[it.number], rule))
            for it in resp.version.items
        )
        out.append(StudentResult(resp.student_id, resp.version.label, resp.line, items, resp.name))
    return out


@dataclass(frozen=True, slots=True)
class OptionStat:
    """How often one option text was marked by the students who saw its question."""

    text: str
    correct: bool
    chosen: int
    upper: float | None
    lower: float | None
    n: int

    @property
    def fraction(self) -> float:
        return self.chosen / self.n if self.n else 0.0

    @property
    def flags(self) -> tuple[str, ...]:
        out = []
        if self.n and self.chosen == 0:
            out.append("nobody chose it")
        if not self.correct and self.upper is not None and self.lower is not None and self.upper > self.lower:
            out.append("strongest students chose it more than the weakest")
        return tuple(out)


@dataclass(frozen=True, slots=True)
class QuestionStat:
    question_id: str
    bank: str
    type: QuestionType
    points: float
    placements: tuple[tuple[str, int], ...]  # (version label, item number)
    n: int
    omitted: int
    difficulty: float  # mean credit: the proportion correct for right/wrong items
    discrimination: float | None  # item-rest correlation (corrected point-biserial)
    upper_lower: float | None  # p(upper 27%) - p(lower 27%)
    options: tuple[OptionStat, ...]

    @property
    def flags(self) -> tuple[str, ...]:
        out = []
        if self.discrimination is not None and self.discrimination < 0:
            out.append("negative discrimination")
        if self.n and self.difficulty < 0.2:
            out.append("very hard (p < 0.2)")
        if self.n and self.difficulty > 0.95:
            out.append("very easy (p > 0.95)")
        return tuple(out)


@dataclass(frozen=True, slots=True)
class VersionStat:
    label: str
    n: int
    max_points: float
    mean: float | None
    sd: float | None
    kr20: float | None
    alpha: float | None

    @property
    def reliability(self) -> str:
        """How far KR-20 and alpha can be trusted: "too-few", "rough", "negative" or "" (see the thresholds)."""
        return reliability_caution(self.n, self.alpha if self.kr20 is None else self.kr20)


def reliability_caution(n: int, value: float | None) -> str:
    """ "too-few" below RELIABILITY_MIN_N students, "rough" below RELIABILITY_ROUGH_N, "negative" for a value < 0.

    A negative coefficient from enough students is real news (items that do not
    measure one thing, or a wrong key), so it is flagged rather than hidden.
    """
    if value is None:
        return ""
    if n < RELIABILITY_MIN_N:
        return "too-few"
    if value < 0:
        return "negative"
    if n < RELIABILITY_ROUGH_N:
        return "rough"
    return ""


@dataclass(frozen=True, slots=True)
class TopicStat:
    """One topic of the quiz: its questions weakest first, and their mean proportion correct."""

    label: str
    mean: float
    questions: tuple[QuestionStat, ...]


def topic_summary(questions: Sequence[QuestionStat], topics: dict[str, tuple[str, ...]]) -> tuple[TopicStat, ...]:
    """Topics weakest first (mean p of their questions, unweighted); a question counts under each of its topics.

    Questions nobody answered (n = 0) are left out: they say nothing about the class.
    Questions without a topic are grouped under "" (the report names that group).
    """
    by_topic: dict[str, list[QuestionStat]] = defaultdict(list)
    for q in questions:
        if q.n == 0:
            continue
        for label in topics.get(q.question_id) or ("",):
            by_topic[label].append(q)
    out = [
        TopicStat(
            label,
            stats.mean([q.difficulty for q in qs]),
            tuple(sorted(qs, key=lambda q: (q.difficulty, q.question_id))),
        )
        for label, qs in by_topic.items()
    ]
    return tuple(sorted(out, key=lambda t: (t.mean, t.label == "", t.label)))


@dataclass(frozen=True, slots=True)
class Analysis:
    students: tuple[StudentResult, ...]
    questions: tuple[QuestionStat, ...]
    versions: tuple[VersionStat, ...]
    pooled: VersionStat | None  # all students, when every version asks the same questions
    anova: stats.Anova | None
    histogram: tuple[int, ...]
    group_size: int
    per_student: bool = False  # versions: per_student (one version per student: no per-version figures)

    @property
    def mean_percent(self) -> float | None:
        return stats.mean([s.percent for s in self.students]) if self.students else None


def analyse(manifest: Manifest, results: Sequence[StudentResult]) -> Analysis:
    ranked = sorted(results, key=lambda s: (-s.percent, s.student_id))
    group = int(GROUP_FRACTION * len(ranked) + 0.5)
    upper = {s.student_id for s in ranked[:group]} if group else set()
    lower = {s.student_id for s in ranked[len(ranked) - group :]} if group else set()
    by_question: dict[str, list[tuple[StudentResult, ItemResult]]] = defaultdict(list)
    placements: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for v in manifest.versions:
        for it in v.items:
            placements[it.question_id].add((v.label, it.number))
    for s in results:
        for r in s.items:
            by_question[r.item.question_id].append((s, r))
    questions = []
    for qid in sorted(placements):
        questions.append(_question(qid, by_question.get(qid, []), sorted(placements[qid]), manifest, upper, lower))
    versions = tuple(
        _version_stat(v.label, v.max_points, [s for s in results if s.version == v.label]) for v in manifest.versions
    )
    pooled = None
    if len(manifest.versions) > 1 and len({_question_set(v.items) for v in manifest.versions}) == 1:
        pooled = _version_stat("all", manifest.versions[0].max_points, list(results))
    groups = [[s.percent for s in results if s.version == v.label] for v in manifest.versions]
    return Analysis(
        students=tuple(sorted(results, key=lambda s: s.student_id)),
        questions=tuple(questions),
        versions=versions,
        pooled=pooled,
        anova=stats.one_way_anova(groups),
        histogram=histogram([s.percent for s in results]),
        group_size=group,
        per_student=bool(manifest.students),
    )


def histogram(percents: Sequence[float], bins: int = HISTOGRAM_BINS) -> tuple[int, ...]:
    """Counts in equal bins of 0-100 %; the last bin includes 100 %."""
    counts = [0] * bins
    width = 100.0 / bins
    for p in percents:
        counts[min(bins - 1, max(0, int(p // width)))] += 1
    return tuple(counts)


def _question_set(items: Sequence[ManifestItem]) -> tuple[str, ...]:
    return tuple(sorted(i.question_id for i in items))


def _question(
    qid: str,
    seen: list[tuple[StudentResult, ItemResult]],
    places: list[tuple[str, int]],
    manifest: Manifest,
    upper: set[str],
    lower: set[str],
) -> QuestionStat:
    first = next(it for v in manifest.versions for it in v.items if it.question_id == qid)
    credits = [r.credit for _, r in seen]
    rest = []
    for s, r in seen:
        rest_max = s.max - r.item.points
        rest.append((s.score - r.score) / rest_max if rest_max > 0 else 0.0)
    up = [r.credit for s, r in seen if s.student_id in upper]
    low = [r.credit for s, r in seen if s.student_id in lower]
    d = stats.mean(up) - stats.mean(low) if up and low else None
    return QuestionStat(
        question_id=qid,
        bank=first.bank,
        type=first.type,
        points=first.points,
        placements=tuple(places),
        n=len(seen),
        omitted=sum(r.answer.blank for _, r in seen),
        difficulty=stats.mean(credits) if credits else 0.0,
        discrimination=stats.pearson(credits, rest) if len(seen) >= 2 else None,
        upper_lower=d,
        options=_options(first.type, seen, upper, lower),
    )


def _options(
    qtype: QuestionType, seen: list[tuple[StudentResult, ItemResult]], upper: set[str], lower: set[str]
) -> tuple[OptionStat, ...]:
    if qtype not in CHOICE_LIKE_TYPES or not seen:
        return ()
    keys: set[tuple[str, bool]] = set()
    marked: dict[tuple[str, bool], set[str]] = defaultdict(set)
    for s, r in seen:
        shown = {LETTERS[i]: (text, LETTERS[i] in r.item.correct) for i, text in enumerate(r.item.options)}
        keys.update(shown.values())
        for letter in r.answer.letters:
            marked[shown[letter]].add(s.student_id)
    n_up = sum(s.student_id in upper for s, _ in seen)
    n_low = sum(s.student_id in lower for s, _ in seen)
    out = []
    for key in keys:
        who = marked.get(key, set())
        out.append(
            OptionStat(
                text=key[0],
                correct=key[1],
                chosen=len(who),
                upper=len(who & upper) / n_up if n_up else None,
                lower=len(who & lower) / n_low if n_low else None,
                n=len(seen),
            )
        )
    return tuple(sorted(out, key=lambda o: (not o.correct, -o.chosen, o.text)))


def _version_stat(label: str, max_points: float, students: list[StudentResult]) -> VersionStat:
    percents = [s.percent for s in students]
    if not students:
        return VersionStat(label, 0, max_points, None, None, None, None)
    by_q = [{r.item.question_id: r for r in s.items} for s in students]
    qids = sorted(by_q[0])
    scores = [[row[q].score for q in qids] for row in by_q]
    dichotomous = all(
        row[q].credit in (0.0, 1.0) and row[q].item.type is not QuestionType.ESSAY for row in by_q for q in qids
    )
    kr = stats.kr20([[int(row[q].credit) for q in qids] for row in by_q]) if dichotomous else None
    return VersionStat(
        label=label,
        n=len(students),
        max_points=max_points,
        mean=stats.mean(percents),
        sd=stats.sample_sd(percents),
        kr20=kr,
        alpha=stats.cronbach_alpha(scores),
    )

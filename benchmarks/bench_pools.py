"""Balanced per-version pool draws for a lecture hall, against a plain random draw measured in the same run.

One version per student: 300 versions of a 25-question quiz in three pools, from a generated
2,000-question bank (half the questions with measured statistics of varying sample size, one point
or two, some alternatives marked with `excludes`).  Times `studygen.pools.draw_pools`, the whole
`make_quiz` (draw + shuffles), and `make_quiz` for a 300-student roster as `versions: per_student`
(every paper distinct), and prints the achieved spread of the versions' expected mean scores
(highest minus lowest, percentage points), total points and Bloom counts, beside the same figures
for a plain random draw per version (each pool sampled at random, no balancing) of the same bank.
Run: `python3 benchmarks/bench_pools.py [--versions N] [--questions N] [--seed S]`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def make_bank(n: int, seed: int) -> object:
    from studygen.model import BLOOM_LEVELS, Bank, MeasuredStats, Question, QuestionType, Reading

    rng = random.Random(seed)
    questions = []
    stats = {}
    for i in range(n):
        difficulty = rng.choice((1, 2, 2, 3))
        qid = f"Q{i:04d}"
        excludes = (f"Q{i - 1:04d}",) if i % 10 == 1 else ()  # every tenth pair are alternatives
        questions.append(
            Question(
                qid,
                QuestionType.TRUE_FALSE,
                f"Statement {i}",
                "because",
                (),
                (),
                difficulty,
                rng.choice(BLOOM_LEVELS),
                points=2.0 if rng.random() < 0.1 else 1.0,
                answer=True,
                excludes=excludes,
            )
        )
        if rng.random() < 0.5:  # measured on a class: p near the authored guess, n from a seminar to a hall
            authored = {1: 0.85, 2: 0.65, 3: 0.45}[difficulty]
            p = min(0.99, max(0.05, rng.gauss(authored, 0.12)))
            stats[qid] = MeasuredStats(rng.randint(15, 300), p, 0.3, "2024-05-01")
    reading = Reading("Generated", "A", "P", "2024-01-01", "r.txt", "text")
    return Bank("bench", "Generated bank", "bench.yaml", reading, questions=tuple(questions), stats=stats)


def spreads(versions: list[list[tuple[object, object]]], bank: object) -> tuple[float, float, int]:
    """(expected-mean spread in percentage points, total-points spread, largest Bloom-count spread)."""
    from studygen.model import BLOOM_LEVELS
    from studygen.pools import expected_p

    means, points, blooms = [], [], []
    for v in versions:
        pts = sum(q.points for _, q in v)  # type: ignore[attr-defined]
        means.append(100 * sum(expected_p(b, q) * q.points for b, q in v) / pts)  # type: ignore[arg-type, attr-defined]
        points.append(pts)
        blooms.append(Counter(q.bloom for _, q in v))  # type: ignore[attr-defined]
    bloom = max(max(c[level] for c in blooms) - min(c[level] for c in blooms) for level in BLOOM_LEVELS)
    return max(means) - min(means), max(points) - min(points), bloom


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--versions", type=int, default=300, help="versions, one per student (default 300)")
    ap.add_argument("--questions", type=int, default=2000, help="questions in the bank (default 2000)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    from studygen.course import Blueprint, Pool
    from studygen.pools import draw_pools, pool_members
    from studygen.select import make_quiz, version_label

    bank = make_bank(args.questions, args.seed)
    bp = Blueprint(
        pools=(
            Pool(12, name="recall", bloom=("remember", "understand")),
            Pool(8, name="apply", bloom=("apply", "analyze")),
            Pool(5, name="judge", bloom=("evaluate", "create")),
        ),
        draw="per_version",
        tolerance=2.0,
    )
    labels = [version_label(v) for v in range(args.versions)]
    n_measured = len(bank.stats)  # type: ignore[attr-defined]
    print(
        f"{args.questions} questions ({n_measured} with measured statistics), {args.versions} versions of "
        f"{sum(p.questions for p in bp.pools)} questions in {len(bp.pools)} pools"
    )

    # Baseline: a plain random draw per version (each pool sampled at random; no balancing, no exposure).
    rng = random.Random(args.seed)
    members = [pool_members([bank], p, k, True) for k, p in enumerate(bp.pools)]  # type: ignore[list-item]
    start = time.perf_counter()
    plain = []
    for _ in labels:
        version: list[tuple[object, object]] = []
        for p, found in zip(bp.pools, members, strict=True):
            version += rng.sample(found, p.questions)
        plain.append(version)
    plain_s = time.perf_counter() - start

    start, cpu = time.perf_counter(), time.process_time()
    drawn = draw_pools([bank], bp, labels, random.Random(args.seed), per_version=True)  # type: ignore[list-item]
    draw_s, draw_cpu = time.perf_counter() - start, time.process_time() - cpu
    start = time.perf_counter()
    make_quiz("bench", "Bench", [bank], bp, args.versions, args.seed, random.Random(args.seed))  # type: ignore[list-item]
    quiz_s = time.perf_counter() - start
    # The same class as `versions: per_student`: one version per roster student, each paper distinct.
    roster = [(f"2024{i:04d}", f"Student {i}") for i in range(args.versions)]
    start = time.perf_counter()
    per_student = make_quiz(
        "bench",
        "Bench",
        [bank],  # type: ignore[list-item]
        bp,
        args.versions,
        args.seed,
        random.Random(args.seed),
        students=roster,
    )
    student_s = time.perf_counter() - start
    papers = {tuple((i.question.id, i.choices) for i in v.items) for v in per_student.versions}

    p_spread, p_points, p_bloom = spreads(plain, bank)
    b_spread, b_points, b_bloom = spreads(drawn.versions, bank)
    assert drawn.balance is not None
    print(f"  plain random draw:  {plain_s * 1000:8.1f} ms")
    print(
        f"  balanced draw:      {draw_s * 1000:8.1f} ms  ({draw_s / max(plain_s, 1e-9):.0f}x the plain draw; "
        f"{draw_cpu:.2f} s of CPU: the machine may be shared)"
    )
    print(f"  make_quiz (draw + shuffles of {args.versions} versions): {quiz_s:.2f} s")
    assert per_student.balance is not None
    print(
        f"  make_quiz per_student ({len(roster)} roster students, {len(papers)} distinct papers): "
        f"{student_s:.2f} s ({student_s / max(quiz_s, 1e-9):.2f}x make_quiz), "
        f"spread {per_student.balance.spread:.2f} pp"
    )
    print("                       expected-mean spread   points spread   largest Bloom-count spread")
    print(f"  plain random draw:  {p_spread:10.2f} pp {p_points:14.1f} {p_bloom:16d}")
    print(f"  balanced draw:      {b_spread:10.2f} pp {b_points:14.1f} {b_bloom:16d}")
    print(f"  spread ratio balanced/plain: {b_spread / p_spread:.3f} (tolerance {bp.tolerance:g} pp)")
    for e in drawn.balance.exposure:
        print(f"  exposure {e.slot}: {e.questions} questions, each used {e.fewest}-{e.most} times")
    plain_uses = Counter(q.id for v in plain for _, q in v)  # type: ignore[attr-defined]
    print(
        f"  plain draw exposure: each question used {min(plain_uses.get(q.id, 0) for q in bank.questions)}-"  # type: ignore[attr-defined]
        f"{max(plain_uses.values())} times"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

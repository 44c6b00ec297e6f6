"""What selection, HTML rendering, the manifest and writing cost per version, against the PDF baseline.

The issue's end-to-end goal (500 versions of a 40-question quiz, PDF + HTML
with keys, in <= 10 s with --jobs 2) leaves about 40 ms of CPU per version on
two cores for everything.  This script times, in one process and one run:
  0. baseline: the plain reportlab platypus script (quiz + key) from
     bench_build.py, on a few versions;
  1. blueprint selection + version shuffles (studygen.select.make_quiz);
  2. HTML quiz + key for every version (templates compiled once);
  3. manifest.json;
  4. writing the HTML files through studygen.writer (atomic, fsync per file),
and prints each as ms/version and as a ratio of the baseline's ms/version.
Run: `python3 benchmarks/bench_html.py [--versions N] [--baseline-versions N]`.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import baseline_version, make_versions, write_bank  # noqa: E402

# HTML for a version (quiz + key) should cost well under a tenth of re-laying it out in reportlab.
HTML_RATIO_GOAL = 0.1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--versions", type=int, default=500, help="versions for steps 1-4 (default 500)")
    ap.add_argument("--baseline-versions", type=int, default=10, help="versions for the baseline (default 10)")
    args = ap.parse_args()

    from studygen.course import Blueprint, Course
    from studygen.manifest import manifest_bytes
    from studygen.select import make_quiz
    from studygen.targets.html import HtmlRenderer
    from studygen.writer import Writer

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _, bank = write_bank(folder)
        n = args.versions
        course = Course(root=folder, title="IR 101: International Relations")
        warm = make_versions(bank, 1, seed=99)
        baseline_version(course, warm, warm.versions[0])  # fonts parsed, modules imported: not timed
        base_quiz = make_versions(bank, args.baseline_versions)
        start = time.perf_counter()
        for v in base_quiz.versions:
            baseline_version(course, base_quiz, v)
        base_ms = (time.perf_counter() - start) / args.baseline_versions * 1000
        print(f"{len(bank.questions)} questions; baseline (plain platypus, quiz + key): {base_ms:.1f} ms/version")

        def report(label: str, seconds: float) -> float:
            ms = seconds / n * 1000
            print(f"  {label}: {seconds:.2f} s for {n} versions = {ms:.2f} ms/version, {ms / base_ms:.3f}x baseline")
            return ms / base_ms

        blueprint = Blueprint(questions=len(bank.questions))
        start = time.perf_counter()
        quiz = make_quiz("bench", "Benchmark", [bank], blueprint, n, 1, random.Random(1))
        report("(1) selection + shuffles", time.perf_counter() - start)

        renderer = HtmlRenderer(course)
        renderer.quiz(warm, warm.versions[0])
        renderer.key(warm, warm.versions[0])
        start = time.perf_counter()
        pages = [(renderer.quiz(quiz, v), renderer.key(quiz, v)) for v in quiz.versions]
        html_ratio = report("(2) HTML quiz + key", time.perf_counter() - start)

        files = [{"quiz_pdf": f"bench-{v.label}.pdf", "key_pdf": f"bench-{v.label}-key.pdf"} for v in quiz.versions]
        start = time.perf_counter()
        manifest_bytes(quiz, files)
        report("(3) manifest.json", time.perf_counter() - start)

        writer = Writer(folder / "out")
        for v, (q, k) in zip(quiz.versions, pages, strict=True):
            writer.add(f"bench-{v.label}.html", q)
            writer.add(f"bench-{v.label}-key.html", k)
        start = time.perf_counter()
        writer.commit()
        report("(4) atomic writes of the HTML (2 files/version)", time.perf_counter() - start)
        verdict = "OK" if html_ratio <= HTML_RATIO_GOAL else "MISSED"
        print(f"  HTML ratio {html_ratio:.3f} (goal <= {HTML_RATIO_GOAL}) {verdict}")
        return 0 if html_ratio <= HTML_RATIO_GOAL else 1


if __name__ == "__main__":
    sys.exit(main())

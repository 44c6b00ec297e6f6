"""How well and how fast `studygen scan` reads a class's answer sheets (issue 14).

Builds a 20-question quiz with every item type in 4 versions, then simulates
a class: each student fills a real sheet (rasterised from the PDF studygen
wrote) with realistic marks — fills of varying darkness and coverage, ticks,
crosses, scribbles — and one student in eight also leaves an ambiguous mark
(half-erased, a faint dot, a smudge); every page then goes through a simulated
scanner (quarter turns, ±5° skew, 95-105% scale, offsets, blur, noise, grey
paper, JPEG) and is bundled into multi-page PDFs as a copier would.

Prints, for 200 and 300 dpi:
  - the share of sheets read without review (of all, and of those with only clear marks);
  - wrong certain readings: a cell in responses.csv that differs from what the
    student meant, or an ambiguous sheet written as certain (goal: 0);
  - pages per second per core (pages / CPU seconds of the `studygen scan` process)
    and per wall second, with its peak memory; goal: at least 5 pages/s/core at 200 dpi;
  - the same-run baseline: decoding the same PDFs' pages and searching each for its
    QR code, the least any reader must do, and scan's cost as a ratio of it.
Run: `python3 benchmarks/bench_scan.py [--sheets 500] [--sheets-300 250] [--seed 1]`.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import scansim  # noqa: E402

from studygen.course import Blueprint, Course, QuizSpec  # noqa: E402

GOAL_PAGES_PER_CORE = 5.0
PER_TYPE = {
    "single_choice": 9,
    "multiple_response": 3,
    "true_false": 3,
    "matching": 1,
    "ordering": 1,
    "fill_blank": 1,
    "short_answer": 1,
    "essay": 1,
}
# Peak memory is the child's VmHWM: ru_maxrss would include this (large) parent's, inherited across exec.
CHILD = """
import resource, sys, time
from studygen.cli import main
t = time.perf_counter()
code = main(sys.argv[1:])
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_SELF)
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(f"BENCH {code} {wall} {ru.ru_utime + ru.ru_stime} {hwm}", file=sys.stderr)
"""


def build(out: Path) -> dict:
    from studygen.build import build_quiz, load_checked

    banks = load_checked([ROOT / "question_banks"], io.StringIO())
    spec = QuizSpec(
        id="bench",
        title="Benchmark quiz",
        versions=4,
        seed=7,
        blueprint=Blueprint(questions=sum(PER_TYPE.values()), per_type=PER_TYPE),
        formats=("pdf",),
        answer_sheets=True,
    )
    build_quiz(Course(root=ROOT, title="IR 210"), banks, spec, out, log=io.StringIO())
    return json.loads((out / "manifest.json").read_text("utf-8"))


def corpus(out: Path, manifest: dict, n: int, dpi: float, rng: np.random.Generator, tag: str) -> tuple[list[str], dict]:
    from PIL import Image

    pages_of = {v: scansim.rasterise((out / f"bench-{v}-sheet.pdf").read_bytes(), dpi) for v in "ABCD"}
    students: dict[str, scansim.Student] = {}
    files: list[str] = []
    batch: list[Image.Image] = []
    for i in range(n):
        version = "ABCD"[i % 4]
        sid = f"{7 if tag == '300' else 5}{i:07d}"
        st = scansim.plan_student(manifest, version, sid, rng, ambiguous_rate=0.04 if i % 8 == 3 else 0.0)
        students[sid] = st
        pages = pages_of[version]
        for page, ink in zip(pages, scansim.filled_pages(pages, st, dpi, rng), strict=True):
            pixels = scansim.scan_pixels(page, ink, scansim.random_settings(rng), rng)
            batch.append(Image.fromarray(pixels if pixels.ndim == 2 else pixels[:, :, ::-1].copy()))
        if len(batch) >= 50 or i == n - 1:
            path = out / f"scans-{tag}-{len(files) + 1:03d}.pdf"
            batch[0].save(path, "PDF", save_all=True, append_images=batch[1:], resolution=dpi, quality=80)
            files.append(str(path))
            batch = []
    return files, students


def baseline(files: list[str]) -> float:
    """CPU seconds to rasterise every page and find its QR code on the whole page (no alignment, no boxes)."""
    import cv2
    import pypdfium2 as pdfium

    cv2.setNumThreads(1)
    det = cv2.QRCodeDetector()
    t = time.process_time()
    for f in files:
        doc = pdfium.PdfDocument(f)
        for i in range(len(doc)):
            img = doc[i].render(scale=200 / 72, grayscale=True).to_numpy()
            img = np.ascontiguousarray(img[:, :, 0] if img.ndim == 3 else img)
            det.detectAndDecode(img)
        doc.close()
    return time.process_time() - t


def check(manifest_path: Path, result: Path, students: dict[str, scansim.Student]) -> tuple[int, int, int, int]:
    from studygen.grade.answers import parse_answer
    from studygen.grade.manifest import load_manifest
    from studygen.grade.scoring import credit

    m = load_manifest(manifest_path)
    read = wrong = 0
    with (result / "responses.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            st = students.get(row["student_id"])
            read += 1
            if st is None or st.version != row["version"] or st.ambiguous:
                wrong += 1
                continue
            v = m.version(row["version"])
            assert v is not None
            for item in v.items:
                if abs(credit(item, parse_answer(item, row[str(item.number)])) - st.credit[item.number]) > 1e-9:
                    wrong += 1
    clear = sum(1 for s in students.values() if not s.ambiguous)
    return read, wrong, clear, len(students)


def review_reasons(result: Path, students: dict[str, scansim.Student]) -> list[str]:
    """Why sheets whose marks were all clear still went to a person (the cost of never guessing)."""
    from collections import Counter

    with (result / "needs-review.csv").open(encoding="utf-8") as fh:
        rows = [
            r for r in csv.DictReader(fh) if r["student_id"] in students and not students[r["student_id"]].ambiguous
        ]
    counts = Counter(r["why"].split(" in ")[0].split(":")[0][:60] for r in rows)
    return [f"{n} x {why}" for why, n in counts.most_common()]


def run_scan(manifest_path: Path, files: list[str], out: Path) -> tuple[int, float, float, int]:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, "scan", str(manifest_path), *files, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH ")]
    if not line:
        sys.exit(f"studygen scan failed:\n{proc.stderr[-3000:]}")
    code, wall, cpu, rss = line[-1].split()[1:]
    return int(code), float(wall), float(cpu), int(rss)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sheets", type=int, default=500, help="sheets scanned at 200 dpi (default 500)")
    ap.add_argument("--sheets-300", type=int, default=250, help="sheets scanned at 300 dpi (default 250)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        manifest = build(out)
        manifest_path = out / "manifest.json"
        pages_per_sheet = len(manifest["sheets"]["layouts"]["A"]["pages"])
        total_wrong = 0
        for dpi, n in ((200, args.sheets), (300, args.sheets_300)):
            if n <= 0:
                continue
            t = time.perf_counter()
            files, students = corpus(out, manifest, n, dpi, rng, str(dpi))
            made = time.perf_counter() - t
            code, wall, cpu, rss = run_scan(manifest_path, files, out / f"result-{dpi}")
            base = baseline(files) if dpi == 200 else 0.0
            read, wrong, clear, total = check(manifest_path, out / f"result-{dpi}", students)
            reasons = review_reasons(out / f"result-{dpi}", students)
            total_wrong += wrong
            pages = n * pages_per_sheet
            print(f"{dpi} dpi: {n} sheets, {pages} pages (corpus made in {made:.0f} s), scan exit {code}")
            print(
                f"  read without review: {read}/{total} = {read / total:.1%} of all sheets; "
                f"{read}/{clear} = {read / max(1, clear):.1%} of the sheets with only clear marks"
            )
            print(f"  wrong certain readings: {wrong} (goal 0)")
            print("  review rows of sheets with only clear marks: " + (", ".join(reasons) or "none"))
            print(
                f"  speed: {pages / cpu:.1f} pages/s per core (CPU {cpu:.1f} s), {pages / wall:.1f} pages/s wall; "
                f"peak memory {rss / 1024:.0f} MiB"
            )
            if base:
                print(
                    f"  baseline (rasterise + whole-page QR search only): {pages / base:.1f} pages/s per core; "
                    f"scan costs {cpu / base:.2f}x the baseline"
                )
            if dpi == 200:
                verdict = "met" if pages / cpu >= GOAL_PAGES_PER_CORE else "NOT met"
                print(f"  goal >= {GOAL_PAGES_PER_CORE:g} pages/s per core at 200 dpi: {verdict}")
    return 1 if total_wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Peak memory of `studygen quiz` as versions grow: flat, not proportional (issue 11 §2).

Goal: peak RSS at 10,000 versions within 1.5x of the peak at 100 versions
(40 questions, quiz + key as PDF + HTML, `--jobs 2`), with the writer's
all-or-nothing guarantee kept (files stream into a hidden staging folder).

Each size runs `studygen quiz` in its own child process and reports two peaks:
  - largest process: ru_maxrss of the biggest process of the run (the parent
    or one worker), read with getrusage(RUSAGE_CHILDREN) in a fresh wrapper
    process so runs do not mix;
  - whole run: the highest sum of RSS over the process tree (parent and
    workers), sampled from /proc every 20 ms.
The 100-version run is the baseline measured in the same invocation.
Run: `python3 benchmarks/bench_memory.py [--versions 100,10000] [--jobs 2] [--format pdf,html]`
(10,000 PDF versions take the better part of an hour on two busy cores; `--format html` is
much faster and exercises everything that could grow with versions except the PDF renderer,
whose work is bounded by the fixed task size).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
GOAL = 1.5


def _tree_rss(pid: int) -> int:
    """RSS in bytes of `pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{entry}/statm", "rb") as fh:
                rss[int(entry)] = int(fh.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def measure(cmd: list[str]) -> dict[str, float]:
    """Run `cmd` (this is the fresh wrapper process); peak RSS in MB of the largest process and of the tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"studygen failed (exit {proc.returncode}):\n{err.decode()[-2000:]}")
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
    return {"largest_mb": largest, "tree_mb": peak / 2**20, "seconds": time.perf_counter() - start}


def run_size(bank: Path, out: Path, versions: int, jobs: int, formats: str) -> dict[str, float]:
    cmd = [
        sys.executable,
        "-m",
        "studygen",
        "quiz",
        str(bank),
        "--questions",
        "40",
        "--versions",
        str(versions),
        "--jobs",
        str(jobs),
        "--format",
        formats,
        "--out",
        str(out),
    ]
    wrapper = [sys.executable, __file__, "--measure", json.dumps(cmd)]
    done = subprocess.run(wrapper, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{versions} versions: the run failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout)
    files = sum(1 for _ in out.iterdir())
    result["files"] = files
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--versions", default="100,10000", help="comma-separated sizes; the first is the baseline")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--format", default="pdf,html", help="pdf,html (default), pdf or html (html is ~5x faster)")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(json.loads(args.measure))))
        return 0

    from bench_build import write_bank

    sizes = [int(s) for s in args.versions.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bank_path, _ = write_bank(folder)
        print(f"studygen quiz: 40 questions, quiz + key as {args.format}, --jobs {args.jobs}")
        results = []
        for n in sizes:
            r = run_size(bank_path, folder / f"out-{n}", n, args.jobs, args.format)
            results.append(r)
            print(
                f"  {n:>6} versions: peak RSS largest process {r['largest_mb']:6.1f} MB, "
                f"whole run {r['tree_mb']:6.1f} MB ({r['seconds']:.0f} s, {int(r['files'])} files)"
            )
        base = results[0]
        for n, r in zip(sizes[1:], results[1:], strict=True):
            for key, what in (("largest_mb", "largest process"), ("tree_mb", "whole run")):
                ratio = r[key] / base[key]
                verdict = "OK" if ratio <= GOAL else "MISSED"
                print(f"  ratio {n}/{sizes[0]} versions, {what}: {ratio:.2f} (goal <= {GOAL}) {verdict}")
    print(f"  machine load after the run (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How long after a save the live preview shows it: `studygen serve` against its own rebuild cost.

Starts `studygen serve --port 0` on a copy of the bundled course, then edits the bank several
times and measures, for each save, the time until the server's /version changes (what the open
page polls every 0.5 s, so a student of the page sees it at most 0.5 s later).  The baseline,
measured in the same run, is one in-process rebuild of the same project (load, check, render):
the ratio says how much watching and debouncing add on top of the work itself.  The goal is
"within two seconds" of a save, page poll included.

    python benchmarks/bench_serve.py [--saves 5]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BANK = "question_banks/seoul-moscow.yaml"
GOAL_S = 2.0
POLL_S = 0.5


def version(url: str) -> int:
    with urllib.request.urlopen(url + "version", timeout=5) as r:
        return int(json.load(r)["version"])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--saves", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder in ("seeds", "question_banks"):
            shutil.copytree(REPO / folder, root / folder)
        shutil.copy(REPO / "studygen.yaml", root / "studygen.yaml")

        sys.path.insert(0, str(REPO))
        from studygen.serve import Preview

        preview = Preview(root / "studygen.yaml", "", open("/dev/null", "w"))  # noqa: SIM115
        rebuilds = []
        for _ in range(3):
            t = time.perf_counter()
            preview.rebuild()
            rebuilds.append(time.perf_counter() - t)
        base = min(rebuilds)

        proc = subprocess.Popen(
            [sys.executable, "-m", "studygen", "serve", "--port", "0"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        printed: list[str] = []
        try:
            assert proc.stdout is not None
            url = ""
            while not url:
                line = proc.stdout.readline()
                if not line:
                    raise SystemExit("serve did not start")
                m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
                url = m.group(1) if m else ""
            import threading

            threading.Thread(target=lambda: printed.extend(iter(proc.stdout.readline, "")), daemon=True).start()
            bank = root / BANK
            time.sleep(1.0)  # let the file watcher finish setting up (a save in its first instants is missed)
            latencies = []
            for n in range(args.saves):
                before = version(url)
                text = bank.read_text(encoding="utf-8")
                t = time.perf_counter()
                bank.write_text(text + f"\n# save {n}\n", encoding="utf-8")
                deadline = t + 30
                while version(url) == before:
                    if time.perf_counter() > deadline:
                        raise SystemExit("no rebuild within 30 s; the server said:\n" + "".join(printed))
                    time.sleep(0.01)
                latencies.append(time.perf_counter() - t)
                time.sleep(0.3)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    median = statistics.median(latencies)
    worst = max(latencies)
    print(f"rebuild in-process (baseline, best of 3): {base:.3f} s")
    print(f"save -> new version, median of {len(latencies)}: {median:.3f} s (worst {worst:.3f} s)")
    print(f"ratio save-to-version / rebuild: {median / base:.2f}")
    seen = worst + POLL_S
    print(
        f"worst save -> page shows it (plus one 0.5 s poll): {seen:.3f} s; ratio to the 2 s goal: {seen / GOAL_S:.2f}"
    )


if __name__ == "__main__":
    main()

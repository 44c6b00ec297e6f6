"""kill -9 at any moment: the output folder is always one whole build, and the next run cleans up.

Real `studygen quiz` and `studygen build` processes are SIGKILLed at chosen
points of the commit (the writer's STUDYGEN_TEST_PAUSE hook announces each
point on stderr and waits there) and at random moments.  After every kill the
folder must be exactly one build: its manifest lists exactly the versions
whose quiz and key files exist, every page carries the manifest's
fingerprint, the marker lists exactly the files present, and the fingerprint
is the one an uninterrupted build with that manifest's settings produces.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from studygen.writer import MARKER, PAUSE_ENV, PAUSE_POINTS

REPO = Path(__file__).resolve().parents[1]
BANK = REPO / "question_banks" / "seoul-moscow.yaml"
COURSE = REPO / "tests" / "fixtures" / "pipeline" / "course.yaml"
# Two builds that differ in every way a mix-up would show: seed, number of versions, file names.
# (HTML only: the writer does not care what the bytes are, and PDF rendering would only slow the test.
# --jobs 2 has worker processes write into the staging folder: killing the parent must stop them too.)
CONFIGS = (
    {"seed": "1", "versions": "5", "format": "html", "jobs": "2"},
    {"seed": "2", "versions": "2", "format": "html", "jobs": "1"},
)


def quiz_cmd(out: Path, config: dict[str, str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "studygen",
        "quiz",
        str(BANK),
        "--questions",
        "6",
        "--seed",
        config["seed"],
        "--versions",
        config["versions"],
        "--format",
        config["format"],
        "--jobs",
        config["jobs"],
        "--out",
        str(out),
    ]


def run_and_kill(cmd: list[str], cwd: Path, *, point: str | None = None, after: float | None = None) -> bool:
    """Run `cmd`, SIGKILL it at `point` or after `after` seconds; True if it was killed before finishing."""
    env = dict(os.environ)
    if point:
        env[PAUSE_ENV] = point
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert proc.stderr is not None
    killed = False
    if point:
        deadline = time.monotonic() + 30
        buf = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([proc.stderr], [], [], 0.5)
            if ready:
                chunk = os.read(proc.stderr.fileno(), 4096)
                if not chunk:
                    break  # finished without reaching the point (e.g. nothing old to delete)
                buf += chunk
                if f"studygen-test-pause {point}".encode() in buf:
                    proc.send_signal(signal.SIGKILL)
                    killed = True
                    break
    else:
        try:
            proc.wait(timeout=after)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            killed = True
    proc.wait(timeout=60)
    proc.stderr.close()
    if not killed:
        assert proc.returncode == 0, f"{cmd} failed with exit {proc.returncode}"
    return killed


def documents(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != MARKER}


def assert_one_quiz_build(folder: Path, fingerprints: dict[str, str], where: str) -> str:
    """`folder` holds exactly one whole quiz build; returns its fingerprint."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    fp = manifest["fingerprint"]
    assert fingerprints.get(str(manifest["seed"]), fp) == fp, f"{where}: a manifest from no real build"
    want = {"manifest.json", "responses-template.csv"}
    for v in manifest["versions"]:
        names = [n for n in v["files"].values() if n]
        assert names, where
        want |= set(names)
        # the quiz's marking grid, in each format its versions were written in
        want |= {f"{manifest['quiz']}-marking-grid{Path(n).suffix}" for n in names}
        for name in names:
            path = folder / name
            if name.endswith(".html"):
                assert f'<span class="fingerprint">{fp}</span>' in path.read_text("utf-8"), f"{where}: {name}"
    return fp if documents(folder) == want else _mismatch(folder, want, where)


def _mismatch(folder: Path, want: set[str], where: str) -> str:
    have = documents(folder)
    raise AssertionError(f"{where}: files {sorted(have - want)} extra, {sorted(want - have)} missing")


def assert_marker_matches(folder: Path, where: str) -> None:
    marker = json.loads((folder / MARKER).read_text("utf-8"))
    assert marker["state"] == "complete", where
    assert set(marker["files"]) == documents(folder), f"{where}: marker disagrees with the folder"


def assert_nothing_visible_beside(folder: Path, where: str) -> None:
    beside = [p.name for p in folder.parent.iterdir() if p != folder and not p.name.startswith(".")]
    assert beside == [], f"{where}: visible leftovers {beside}"


def test_quiz_folder_survives_kill_9_at_every_point_and_random_moments(tmp_path: Path) -> None:
    # Reference builds: the fingerprint each configuration really produces, and how long a run takes.
    fingerprints = {}
    durations = []
    for config in CONFIGS:
        ref = tmp_path / f"ref-{config['seed']}"
        start = time.monotonic()
        run_and_kill(quiz_cmd(ref, config), tmp_path)
        durations.append(time.monotonic() - start)
        fingerprints[config["seed"]] = json.loads((ref / "manifest.json").read_text("utf-8"))["fingerprint"]
    assert fingerprints["1"] != fingerprints["2"]

    work = tmp_path / "work"
    work.mkdir()
    out = work / "D"
    rng = random.Random(20241201)
    plan: list[tuple[str | None, float | None]] = [(p, None) for p in PAUSE_POINTS]
    plan += [(None, rng.uniform(0.05, max(durations) * 1.1)) for _ in range(16)]
    rng.shuffle(plan)
    seen_build = False
    kills = 0
    for step, (point, after) in enumerate(plan):
        config = CONFIGS[step % 2]
        where = f"step {step} ({point or f'{after:.2f}s'}, seed {config['seed']})"
        kills += run_and_kill(quiz_cmd(out, config), work, point=point, after=after)
        if not out.exists():
            assert not seen_build, f"{where}: the output folder vanished"
            continue
        seen_build = True
        assert_one_quiz_build(out, fingerprints, where)
        assert_marker_matches(out, where)
        assert_nothing_visible_beside(out, where)
    assert kills >= len(plan) // 2, "most runs must really have been killed mid-way"

    run_and_kill(quiz_cmd(out, CONFIGS[0]), work)
    assert assert_one_quiz_build(out, fingerprints, "final run") == fingerprints["1"]
    assert sorted(p.name for p in work.iterdir()) == ["D"], "the next run cleans every leftover"


def course_file(folder: Path, seed_shift: int, versions: int) -> Path:
    """The fixture course with other seeds and version counts, so two builds differ in every quiz."""
    text = COURSE.read_text("utf-8")
    text = text.replace("banks: [hostile.yaml]", f"banks: [{json.dumps(str(COURSE.parent / 'hostile.yaml'))}]")
    text = text.replace("seed: 11", f"seed: {11 + seed_shift}").replace("seed: 5", f"seed: {5 + seed_shift}")
    text = text.replace("versions: 3", f"versions: {versions}")
    path = folder / f"course-{seed_shift}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_course_build_output_survives_kill_9_during_its_commit(tmp_path: Path) -> None:
    """The course build's output/ (quizzes, guides, self-test, exports, index) swaps as one."""
    work = tmp_path / "work"
    work.mkdir()
    out = work / "output"
    configs = [course_file(tmp_path, 0, 3), course_file(tmp_path, 1, 4)]

    def cmd(config: Path, target: Path) -> list[str]:
        return [sys.executable, "-m", "studygen", "build", "--config", str(config), "--out", str(target)]

    refs = []
    for i, config in enumerate(configs):
        run_and_kill(cmd(config, tmp_path / f"ref{i}"), REPO)  # the bank's reading is found from the repo
        refs.append({p: (tmp_path / f"ref{i}" / p).read_bytes() for p in documents(tmp_path / f"ref{i}")})
    assert refs[0].keys() != refs[1].keys()
    shutil.copytree(tmp_path / "ref0", out)  # as if built with configs[0]
    for step, point in enumerate(["swap", "swapped", "delete"]):
        assert run_and_kill(cmd(configs[(step + 1) % 2], out), REPO, point=point), f"never reached {point!r}"
        now = {p: (out / p).read_bytes() for p in documents(out)}
        assert now == refs[0] or now == refs[1], f"kill at {point!r} left a mixture of two builds"
        assert_marker_matches(out, point)
        assert_nothing_visible_beside(out, point)
    run_and_kill(cmd(configs[1], out), REPO)
    assert {p: (out / p).read_bytes() for p in documents(out)} == refs[1]
    assert sorted(p.name for p in work.iterdir()) == ["output"], "the next run cleans every leftover"

"""What keeps a build's memory flat as versions grow (issue 11 §2), as structure a test can check.

The figures themselves are measured by `benchmarks/bench_memory.py` (no timed or sized test
here); these tests pin the properties that benchmark relies on, each able to fail:
the output inventory is never held whole, the manifest is written in pieces, and a build of
N versions never has N versions (or N inventory rows) alive at once, with `draw: same` or
`draw: per_version`.
"""

from __future__ import annotations

import gc
import io
import json
import warnings
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from studygen import build as build_module
from studygen import writer as writer_module
from studygen.build import build_quiz, load_checked, render_batch_collecting
from studygen.course import Blueprint, Course, QuizSpec
from studygen.documents.base import MAX_VERSIONS_PER_BATCH, Output, Plan, Project, plan_outputs
from studygen.manifest import manifest_bytes, manifest_chunks, version_files
from studygen.select import CHECKPOINT
from studygen.versions import Version

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "question_banks" / "seoul-moscow.yaml"
pytestmark = pytest.mark.skipif(not REAL.exists(), reason="real bank not present")

VERSIONS = 300  # well above what may be alive at once (a batch, one checkpoint block, the manifest's block)
ALIVE_AT_MOST = MAX_VERSIONS_PER_BATCH + 2 * CHECKPOINT


@pytest.fixture(scope="module")
def banks() -> list[Any]:
    return load_checked([REAL], io.StringIO())


def _spec(versions: int, draw: str = "same") -> QuizSpec:
    return QuizSpec(
        id="m",
        title="Memory",
        versions=versions,
        seed=7,
        blueprint=Blueprint(questions=4, draw=draw, tolerance=50.0),  # balance is not what is tested here
        formats=("html",),
    )


def _plan(banks: list[Any], versions: int) -> Plan:
    from studygen.build import _planned, quiz_from_spec

    course = Course(root=REPO, title="Memory")
    spec = _spec(versions)
    quiz = _planned(quiz_from_spec(spec, banks, course), "", spec)
    return plan_outputs(Project(course, banks, [quiz], course_wide=False), ("quiz", "key"))


def test_the_inventory_is_walked_not_held(banks: list[Any]) -> None:
    plan = _plan(banks, VERSIONS)
    assert isinstance(plan.outputs, Iterator)  # a fresh walk each time, no list of rows kept
    assert not [v for v in vars(plan).values() if isinstance(v, list | tuple) and len(v) >= VERSIONS]
    rows = list(plan.outputs)
    assert len(rows) == 2 * VERSIONS + 2  # quiz + key per version, the manifest and the responses template
    # find() makes the very row the walk makes
    for row in rows[:3] + rows[-3:]:
        assert plan.find(row.kind, row.fmt, row.subject) == row
    batches = plan.batches(jobs=2)
    assert sum(len(b.outputs) for b in batches) == len(rows) and len(list(batches)) == len(batches)
    assert sorted(o.path for b in batches for o in b.outputs) == sorted(o.path for o in rows)


def test_batches_are_made_one_at_a_time(banks: list[Any]) -> None:
    """Rows of a batch not yet handed out do not exist: at most one batch's rows are alive."""
    plan = _plan(banks, VERSIONS)
    alive: weakref.WeakSet[Output] = weakref.WeakSet()
    most = 0
    for batch in plan.batches(jobs=1):
        alive.update(batch.outputs)
        gc.collect()
        most = max(most, len(alive))
        del batch
    assert most <= 2 * MAX_VERSIONS_PER_BATCH


def test_the_manifest_is_written_in_pieces_one_per_version(banks: list[Any]) -> None:
    plan = _plan(banks, 5)
    quiz = plan.project.quizzes[0].quiz
    files = [version_files(plan, 0, vi) for vi in range(len(quiz.versions))]
    chunks = list(manifest_chunks(quiz, iter(files), banks={"seoul-moscow": "0123456789"}))
    assert len(chunks) == len(quiz.versions) + 2  # head, one per version, tail
    whole = b"".join(chunks)
    assert whole == manifest_bytes(quiz, files, banks={"seoul-moscow": "0123456789"})
    data = json.loads(whole)
    assert [v["label"] for v in data["versions"]] == ["A", "B", "C", "D", "E"]
    assert data["bank_fingerprints"] == {"seoul-moscow": "0123456789"}
    # the renderer hands the pieces to the writer, it does not join them
    from studygen.manifest import render_manifests

    batch = next(b for b in plan.batches(1) if b.renderer == "manifest")
    [(path, data_pieces)] = list(render_manifests(plan, batch))
    assert path == "manifest.json" and not isinstance(data_pieces, bytes | str)


def test_pieces_go_to_the_staging_folder_as_made_and_warnings_are_still_heard(tmp_path: Path) -> None:
    handed: list[type] = []

    def pieces() -> Iterator[bytes]:
        for i in range(3):
            warnings.warn(f"piece {i}", UserWarning, stacklevel=1)
            yield b"x" * 10

    def renderer(plan: Any, batch: Any) -> Iterator[tuple[str, Any]]:
        yield "a.json", pieces()

    def sink(path: str, data: Any) -> None:
        handed.append(type(data))  # the pieces themselves, not one joined block
        writer_module.write_staged(tmp_path, path, data)

    mp = pytest.MonkeyPatch()
    mp.setattr(build_module, "render_batch", renderer)
    try:
        docs, messages = render_batch_collecting(None, None, sink)  # type: ignore[arg-type]
    finally:
        mp.undo()
    assert docs == [("a.json", None)] and messages == ["piece 0", "piece 1", "piece 2"]
    assert (tmp_path / "a.json").read_bytes() == b"x" * 30
    assert handed and not issubclass(handed[0], bytes | str)


@pytest.mark.parametrize("draw", ["same", "per_version"])
def test_a_build_of_n_versions_never_holds_n_versions(
    banks: list[Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, draw: str
) -> None:
    """Count live `Version`s and inventory rows while the build writes its files (in process, --jobs 1)."""
    most = {"versions": 0, "rows": 0}
    calls = 0
    real = writer_module.write_staged

    def counting(staging: Path, relpath: str, data: Any) -> None:
        nonlocal calls
        real(staging, relpath, data)
        calls += 1
        if calls % 40 == 1:
            gc.collect()
            objects = gc.get_objects()
            most["versions"] = max(most["versions"], sum(1 for o in objects if type(o) is Version))
            most["rows"] = max(most["rows"], sum(1 for o in objects if type(o) is Output))

    monkeypatch.setattr(writer_module, "write_staged", counting)
    course = Course(root=tmp_path, title="Memory")
    built = build_quiz(course, banks, _spec(VERSIONS, draw), tmp_path / "out", jobs=1, log=io.StringIO())
    assert len(built.written) > 2 * VERSIONS and calls == len(built.written)  # quiz + key each, and the quiz's files
    assert 0 < most["versions"] <= ALIVE_AT_MOST, most
    assert most["rows"] <= 2 * 2 * MAX_VERSIONS_PER_BATCH, most
    m = json.loads((tmp_path / "out" / "manifest.json").read_text("utf-8"))
    assert len(m["versions"]) == VERSIONS

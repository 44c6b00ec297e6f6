"""Pagination of pre-measured blocks, and the benchmark script's smoke run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.targets.pdf.layout import Block, Row, paginate

FRAME = 100.0
BLOCKS = st.lists(
    st.tuples(st.lists(st.floats(min_value=1, max_value=60), min_size=1, max_size=6), st.floats(0, 10)),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(BLOCKS)
def test_paginate_keeps_blocks_together_and_in_order(spec: list[tuple[list[float], float]]) -> None:
    blocks = [Block([Row(h) for h in heights], gap) for heights, gap in spec]
    pages = paginate(blocks, FRAME)
    placed = [p.row for page in pages for p in page]
    assert [id(r) for r in placed] == [id(r) for b in blocks for r in b.rows]  # every row once, in order
    for page in pages:
        for p in page:
            assert p.y == 0 or p.y + p.row.height <= FRAME + 1e-9  # only a page's first row may overflow
    where = {id(p.row): n for n, page in enumerate(pages) for p in page}
    for b in blocks:
        if b.height <= FRAME:
            assert len({where[id(r)] for r in b.rows}) == 1  # a block that fits a page is never split


def test_benchmark_runs_and_prints_the_ratio() -> None:
    script = Path(__file__).parents[1] / "benchmarks" / "bench_build.py"
    done = subprocess.run(
        [sys.executable, str(script), "--versions", "2", "--no-e2e"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "ratio studygen/baseline:" in done.stdout and "per version: baseline" in done.stdout

"""The self-test's seeded shuffle (10-storage.js), run in node on hypothesis-drawn lists and seeds.

Practice's Shuffle must give one order per seed (a reload and Shuffle off/on again within a
session show the same round) and must be a true permutation.  The function is taken from the
page's own source, so this tests what students run.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

SOURCE = Path(__file__).resolve().parents[1] / "studygen" / "targets" / "selftest" / "static" / "js" / "10-storage.js"
RUNNER = """
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(cases.map(c => [seededShuffle(c[0], c[1]), seededShuffle(c[0], c[1])])));
"""

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def seeded_shuffle_source() -> str:
    match = re.search(r"^function seededShuffle\(.*?^}\n", SOURCE.read_text(encoding="utf-8"), re.S | re.M)
    assert match, "seededShuffle not found in 10-storage.js"
    return match.group(0)


def run(cases: list[tuple[list[Any], int]]) -> list[list[list[Any]]]:
    done = subprocess.run(
        ["node", "-e", seeded_shuffle_source() + RUNNER],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        check=True,
    )
    result: list[list[list[Any]]] = json.loads(done.stdout)
    return result


SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.lists(st.text(max_size=4), max_size=30), SEEDS), min_size=1, max_size=20))
def test_a_seed_gives_one_permutation(cases: list[tuple[list[str], int]]) -> None:
    for (items, _), (first, again) in zip(cases, run(cases), strict=True):
        assert sorted(first) == sorted(items)  # nothing lost, nothing repeated
        assert first == again  # the same seed, the same order


def test_seeds_spread_the_orders() -> None:
    """Different seeds give different orders (a fixed order would pass the property above)."""
    items = list(range(9))
    orders = {tuple(r[0]) for r in run([(items, seed) for seed in range(200)])}
    assert len(orders) > 190
    firsts = [r[0][0] for r in run([(items, seed * 7919) for seed in range(900)])]
    # every item leads about equally often (100 expected each; far outside this means bias)
    assert all(50 < firsts.count(i) < 150 for i in items), [firsts.count(i) for i in items]

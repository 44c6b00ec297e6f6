"""Big banks are checked on two processes; the diagnostics are exactly those of a serial run."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from studygen.check import RULES
from studygen.check.registry import Finding, Rule, _can_fork, run_rules
from studygen.errors import Severity
from studygen.model import Bank
from studygen.sources.banks import load_banks

REPO = Path(__file__).resolve().parent.parent
BANKS = sorted((REPO / "tests" / "fixtures" / "check" / "bad").glob("*.yaml"))

needs_fork = pytest.mark.skipif(not _can_fork(), reason="needs os.fork and two CPUs")


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _banks() -> list[Bank]:
    banks = []
    for path in [REPO / "question_banks" / "seoul-moscow.yaml", *BANKS]:
        result = load_banks([path])
        banks += result.banks
    assert len(banks) > 10
    return banks


@needs_fork
def test_forked_run_gives_the_serial_diagnostics() -> None:
    banks = _banks()
    serial = run_rules(RULES, banks, parallel_min_questions=10**9)
    assert serial, "the bad fixtures should trip rules"
    assert run_rules(RULES, banks, parallel_min_questions=0) == serial
    off = ("near-duplicate-stem", "cue-grammar")
    assert run_rules(RULES, banks, off, parallel_min_questions=0) == run_rules(
        RULES, banks, off, parallel_min_questions=10**9
    )


def _dies_in_child(banks: Sequence[Bank]) -> Iterator[Finding]:
    parent = os.environ.get("STUDYGEN_TEST_PARENT_PID")
    if str(os.getpid()) != parent:
        os._exit(3)  # the child dies without a word
    yield Finding(banks[0], 1, 1, "found in the parent")


@needs_fork
def test_a_child_that_dies_is_replaced_by_a_serial_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDYGEN_TEST_PARENT_PID", str(os.getpid()))
    rules = {
        "cue-dies": Rule("cue-dies", Severity.WARNING, "test", _dies_in_child),
        **{k: r for k, r in RULES.items() if not k.startswith("cue-")},
    }
    banks = _banks()
    forked = run_rules(rules, banks, parallel_min_questions=0)
    assert [d for d in forked if d.rule == "cue-dies"] and forked == sorted(forked)
    assert forked == run_rules(rules, banks, parallel_min_questions=10**9)


def _raises(banks: Sequence[Bank]) -> Iterator[Finding]:
    raise RuntimeError("a broken rule")
    yield  # pragma: no cover


@needs_fork
def test_a_rule_that_raises_in_the_child_raises_as_in_a_serial_run() -> None:
    rules = {"cue-raises": Rule("cue-raises", Severity.WARNING, "test", _raises), **RULES}
    with pytest.raises(RuntimeError, match="a broken rule"):
        run_rules(rules, _banks(), parallel_min_questions=0)

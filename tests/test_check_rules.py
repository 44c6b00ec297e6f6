"""Per-rule fixtures: the good bank is spotless; each bad bank trips exactly its rule, at the exact line."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from studygen.check import RULES, run_checks
from studygen.check.text import closest_passage, normalize_passage
from studygen.commands.rules import markdown
from studygen.sources.banks import load_banks

REPO = Path(__file__).resolve().parent.parent
FIX = Path("tests/fixtures/check")
REAL_BANK = REPO / "question_banks" / "seoul-moscow.yaml"
# Rules owned elsewhere, with their own fixtures (item-stats: tests of studygen grade).
NOT_HERE = {"item-stats"}


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # diagnostics show paths relative to the working directory


def _report(path: Path, disabled: tuple[str, ...] = ()) -> list[str]:
    result = load_banks([path])
    assert result.diagnostics == []
    return [f"{d.line}:{d.col}: {d.severity.value} {d.rule} {d.message}" for d in run_checks(result.banks, disabled)]


EXPECTED: dict[str, list[str]] = {
    "answer-position-skew": [
        "55:3: warning answer-position-skew 8 of 8 single-choice questions with 3 options have the correct answer "
        "at A; spread correct answers over positions"
    ],
    "blank-mismatch": [
        "118:11: error blank-mismatch question 'Q-fill': the text has blanks [1, 3] but blanks lists 2; "
        "write [[1]]..[[2]] in order"
    ],
    "dangling-ref": [
        "85:12: error dangling-ref ref 'F-nope' names no fact or argument in this bank; did you mean 'F-no'?"
    ],
    "duplicate-id": [
        "68:9: error duplicate-id id 'Q-single' is already used at tests/fixtures/check/bad/duplicate-id.yaml:55; "
        "ids must be unique across all banks"
    ],
    "duplicate-option": ["74:9: error duplicate-option question 'Q-multi': 'Русский!' repeats an earlier option"],
    "giveaway-length": [
        "59:9: warning giveaway-length question 'Q-single': the correct option is 73 characters, its siblings 34 "
        "on average; shorten it or lengthen the distractors"
    ],
    "missing-guidance": [
        "126:9: error missing-guidance essay 'Q-essay' has no guidance; say what a strong answer covers",
        "134:9: error missing-guidance prompt 'P-recover' has no guidance; say what a strong answer covers",
    ],
    "missing-ref": ["126:9: error missing-ref question 'Q-essay' has no refs; add the facts or arguments it rests on"],
    "multiple-response-correct": [
        "72:7: error multiple-response-correct multiple_response question 'Q-multi' has no correct option; "
        "mark at least one correct: true"
    ],
    "near-duplicate-stem": [
        "98:11: warning near-duplicate-stem question 'Q-short-again' has nearly the same stem as 'Q-short' "
        "(tests/fixtures/check/bad/near-duplicate-stem.yaml:90); reword or drop one, or mark them alternatives "
        "(excludes: [Q-short]) so no version has both"
    ],
    "quote-not-found": [
        "35:14: error quote-not-found quote is not verbatim in ../reading.txt; closest passage: "
        '"отношения между Сеулом и Москвой ухудшились."'
    ],
    "single-choice-correct": [
        "59:7: error single-choice-correct single_choice question 'Q-single' has 2 correct options; "
        "it needs exactly 1 (or make it multiple_response)"
    ],
    "uncovered-fact": ["40:9: warning uncovered-fact fact 'F-title' is not covered by any question's refs"],
    "ungrounded-term": ["143:11: error ungrounded-term term 'Veto' has no refs; add refs or mark it background: true"],
    "unknown-topic": [
        "65:14: error unknown-topic topic 'unn' is not declared in the bank's topics; did you mean 'un'?"
    ],
    "unknown-exclude": [
        "68:16: error unknown-exclude excludes 'Q-multii' names no question in this bank (alternatives must be "
        "questions of the same bank); did you mean 'Q-multi'?",
        "68:32: error unknown-exclude question 'Q-single' excludes itself; list the ids of its alternatives",
    ],
    "unpinned-all-none": [
        "62:9: warning unpinned-all-none question 'Q-single': 'None of the above' should keep its place; "
        "add pinned: true"
    ],
}


def test_good_bank_is_spotless() -> None:
    assert _report(FIX / "good" / "good.yaml") == []


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_bad_bank_trips_exactly_its_rule(rule_id: str) -> None:
    assert _report(FIX / "bad" / f"{rule_id}.yaml") == EXPECTED[rule_id]


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_disabling_the_rule_silences_it(rule_id: str) -> None:
    assert _report(FIX / "bad" / f"{rule_id}.yaml", (rule_id,)) == []


def test_every_rule_has_a_fixture_and_a_reason() -> None:
    assert set(RULES) - NOT_HERE == set(EXPECTED)
    assert {p.stem for p in (FIX / "bad").glob("*.yaml")} == set(EXPECTED)
    for r in RULES.values():
        assert r.reason.strip().endswith((".", ")")), r.id


def test_the_rule_table_is_built_explicitly_from_the_rule_modules() -> None:
    """Defining a rule registers nothing; `table` collects them and refuses an id defined twice."""
    import types

    from studygen.check import rules, stats_rules
    from studygen.check.registry import rule, table

    assert table(rules, stats_rules) == RULES
    first = types.ModuleType("first")
    second = types.ModuleType("second")
    for module in (first, second):
        module.r = rule("same-id", rules.E, "Why.")(lambda banks: iter(()))
    assert list(table(first)) == ["same-id"], "a decorated function is a Rule value, found by scanning the module"
    with pytest.raises(ValueError, match="'same-id' defined twice"):
        table(first, second)


def test_duplicate_ids_across_banks(tmp_path: Path) -> None:
    text = (FIX / "good" / "good.yaml").read_text(encoding="utf-8")
    text = text.replace("text: ../reading.txt", f"text: {(REPO / FIX / 'reading.txt').as_posix()}")
    (tmp_path / "copy.yaml").write_text(text, encoding="utf-8")
    result = load_banks([FIX / "good" / "good.yaml", tmp_path / "copy.yaml"])
    assert result.diagnostics == []
    dups = [d for d in run_checks(result.banks) if d.rule == "duplicate-id"]
    assert (
        dups[0].message
        == "bank id 'good' is already used by tests/fixtures/check/good/good.yaml; bank ids must be unique"
    )
    assert (dups[0].line, dups[0].col) == (3, 5)
    # 5 facts, 1 argument, 8 questions, 1 prompt: every one collides with the first bank's
    assert len(dups) == 1 + 5 + 1 + 8 + 1
    assert all(d.path.endswith("copy.yaml") for d in dups)


def test_quotes_tolerate_only_whitespace_and_typographic_variants() -> None:
    reading = normalize_passage("He said “NO” — twice,\n  on\tMonday’s call.")
    assert normalize_passage('He said "NO" - twice, on Monday\'s call.') in reading
    assert normalize_passage("He said NO twice") not in reading  # punctuation is not ignored
    assert normalize_passage("he said") not in reading  # nor is case
    assert closest_passage("He sayd “NO”", reading) == 'He said "NO"'


def test_whitespace_only_quote_is_not_found(tmp_path: Path) -> None:
    text = (FIX / "good" / "good.yaml").read_text(encoding="utf-8")
    text = text.replace("text: ../reading.txt", f"text: {(REPO / FIX / 'reading.txt').as_posix()}")
    text = text.replace('quotes: ["relations will not recover on their own"]', 'quotes: ["  "]')
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    report = _report(tmp_path / "b.yaml")
    assert [r.split(" ", 3)[2] for r in report] == ["quote-not-found"]


def test_rules_doc_is_in_sync() -> None:
    doc = REPO / "docs" / "check-rules.md"
    if os.environ.get("STUDYGEN_REGEN_GOLDEN"):
        doc.write_text(markdown(), encoding="utf-8")
    assert doc.read_text(encoding="utf-8") == markdown(), "run: studygen rules --markdown > docs/check-rules.md"


@pytest.mark.skipif(not REAL_BANK.exists(), reason="the real bank is being curated and is not there yet")
def test_real_bank_has_no_errors() -> None:
    result = load_banks([REAL_BANK])
    assert result.diagnostics == []
    errors = [d for d in run_checks(result.banks) if d.severity.value == "error"]
    assert errors == []


def test_bank_format_doc_example_checks_clean(tmp_path: Path) -> None:
    doc = (REPO / "docs" / "bank-format.md").read_text(encoding="utf-8")
    example = re.findall(r"```yaml\n(.*?)```", doc, re.S)[-1]
    (tmp_path / "question_banks").mkdir()
    (tmp_path / "seeds").symlink_to(REPO / "seeds")
    (tmp_path / "question_banks" / "example.yaml").write_text(example, encoding="utf-8")
    assert _report(tmp_path / "question_banks" / "example.yaml") == []


def test_alternatives_are_not_near_duplicates(tmp_path: Path) -> None:
    """Questions marked `excludes` never share a version, so their likeness is no longer a warning."""
    text = (REPO / FIX / "bad" / "near-duplicate-stem.yaml").read_text("utf-8")
    bank = tmp_path / "alt.yaml"
    marked = text.replace("  - id: Q-short-again\n", "  - id: Q-short-again\n    excludes: [Q-short]\n", 1)
    assert marked != text
    bank.write_text(marked.replace("text: ../reading.txt", f"text: {REPO / FIX / 'reading.txt'}"), "utf-8")
    result = load_banks([bank])
    assert result.diagnostics == [] and len(result.banks) == 1
    assert [d.rule for d in run_checks(result.banks)] == []


def test_subtitle_is_checked_like_a_quote(tmp_path: Path) -> None:
    """The subtitle (from the reading's metadata file) must be verbatim in the text, like any quote."""
    text = (FIX / "good" / "good.yaml").read_text(encoding="utf-8")
    (tmp_path / "reading.txt").write_text((FIX / "reading.txt").read_text(encoding="utf-8"), encoding="utf-8")
    fields = ("title", "author", "publication", "date")
    head, rest = text.split("reading:\n", 1)
    body = rest.split("\n", 5)[5]  # drop title, author, publication, date, text
    bank = head + "reading:\n  text: reading.txt\n  meta: reading.meta.yaml\n" + body
    assert all(f"  {f}:" not in bank.split("summary:")[0] for f in fields)
    (tmp_path / "b.yaml").write_text(bank, encoding="utf-8")
    meta = 'title: "The Summit & the Panel"\nauthor: A. Author\npublication: Fixture Weekly\ndate: "2024-05-13"\n'
    (tmp_path / "reading.meta.yaml").write_text(meta + 'subtitle: "Russia vetoed a motion"\n', encoding="utf-8")
    assert _report(tmp_path / "b.yaml") == []
    (tmp_path / "reading.meta.yaml").write_text(meta + "subtitle: Not in the text\n", encoding="utf-8")
    assert [r.split(" ", 3)[1:3] for r in _report(tmp_path / "b.yaml")] == [["error", "quote-not-found"]]

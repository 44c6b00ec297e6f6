"""Properties: valid banks check clean and round-trip through JSON; one mutation is always caught; text stays text."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import banks, write_bank

from studygen.check import run_checks
from studygen.sources.banks import load_banks
from studygen.sources.yamlload import load_text
from studygen.targets.jsonexport import JsonExporter

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(bank: dict[str, Any], reading: str) -> tuple[list[Any], list[Any], Any]:
    with tempfile.TemporaryDirectory() as tmp:
        result = load_banks([write_bank(Path(tmp), bank, reading)])
        return result.diagnostics, run_checks(result.banks), result.banks


@SETTINGS
@given(banks())
def test_valid_banks_check_clean_and_round_trip_through_json(drawn: tuple[dict[str, Any], str]) -> None:
    bank, reading = drawn
    load_problems, findings, loaded = _check(bank, reading)
    assert load_problems == []
    assert [d for d in findings if d.severity.value == "error"] == []
    exported = json.loads(JsonExporter().export(loaded).data)
    (out,) = exported["banks"]
    assert (out["id"], out["title"]) == (bank["id"], bank["title"])
    assert [f["quotes"] for f in out["facts"]] == [f["quotes"] for f in bank["facts"]]
    quotes = {x["id"]: x["quotes"] for x in bank["facts"] + bank["arguments"]}
    assert len(out["questions"]) == len(bank["questions"])
    for q, src in zip(out["questions"], bank["questions"], strict=True):
        for key, value in src.items():
            if key != "options":
                assert q[key] == value, key
        assert q["source_quotes"] == [quote for ref in src["refs"] for quote in quotes[ref]]
        if "options" in src:
            assert q["options"] == [dict(o, pinned=False, feedback="") for o in src["options"]]


_MUTATIONS = ["flip-correct", "remove-correct", "break-quote", "dangle-ref", "duplicate-id", "drop-guidance"]


def _mutate(bank: dict[str, Any], how: str, data: st.DataObject) -> str | None:
    """Apply one mutation; returns the rule that must catch it, or None if this bank offers no target."""
    questions = bank["questions"]
    if how in ("flip-correct", "remove-correct"):
        choice = [q for q in questions if q["type"] in ("single_choice", "multiple_response")]
        if not choice:
            return None
        q = data.draw(st.sampled_from(choice))
        if q["type"] == "multiple_response":
            for o in q["options"]:
                o["correct"] = False
            return "multiple-response-correct"
        right = next(o for o in q["options"] if o["correct"])
        if how == "remove-correct" and len(q["options"]) > 2:
            q["options"].remove(right)
        else:
            right["correct"] = False
        return "single-choice-correct"
    if how == "break-quote":
        item = data.draw(st.sampled_from(bank["facts"] + bank["arguments"]))
        item["quotes"][0] += " (and something the reading never says)"
        return "quote-not-found"
    if how == "dangle-ref":
        q = data.draw(st.sampled_from(questions))
        q["refs"][0] = "F-nowhere"
        return "dangling-ref"
    if how == "duplicate-id":
        target = questions[-1] if len(questions) > 1 else bank["prompts"][0]
        target["id"] = questions[0]["id"]
        return "duplicate-id"
    essays = [q for q in questions if q["type"] == "essay"]
    del (data.draw(st.sampled_from(essays)) if essays and data.draw(st.booleans()) else bank["prompts"][0])["guidance"]
    return "missing-guidance"


@SETTINGS
@given(banks(), st.sampled_from(_MUTATIONS), st.data())
def test_one_mutation_is_always_caught(drawn: tuple[dict[str, Any], str], how: str, data: st.DataObject) -> None:
    bank, reading = copy.deepcopy(drawn[0]), drawn[1]
    rule = _mutate(bank, how, data)
    if rule is None:
        return
    load_problems, findings, _ = _check(bank, reading)
    assert load_problems == []
    assert rule in {d.rule for d in findings if d.severity.value == "error"}


# NEL, LS and PS are line breaks to YAML 1.1 and PyYAML's emitter writes them raw, so they cannot round-trip.
_DUMPABLE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\x85\u2028\u2029"))
_YAML11 = st.one_of(
    st.sampled_from(["NO", "No", "no", "YES", "yes", "on", "ON", "off", "y", "n", "True", "FALSE", "~", "null"]),
    st.from_regex(r"\A(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]\Z"),
    st.from_regex(r"\A[0-9]{1,2}:[0-5][0-9](:[0-5][0-9])?\Z"),
    st.from_regex(r"\A[-+]?0[0-7]{1,4}\Z"),
    st.from_regex(r"\A[-+]?(0x[0-9a-fA-F]{1,4}|0b[01]{1,8}|[0-9]+\.[0-9]*([eE][-+][0-9]+)?|\.inf|\.nan)\Z"),
)


@settings(max_examples=200, deadline=None)
@given(_YAML11)
def test_yaml11_lookalikes_written_plain_stay_the_same_text(scalar: str) -> None:
    doc, problems = load_text(f"stem: {scalar}\nitems: [{scalar}, {scalar}]\n", "b.yaml")
    assert problems == [] and doc is not None
    expected = None if scalar in ("~", "null") else scalar
    assert doc.data == {"stem": expected, "items": [expected, expected]}


@settings(max_examples=200, deadline=None)
@given(_DUMPABLE)
def test_any_text_survives_a_yaml_dump_and_load(value: str) -> None:
    dumped = yaml.safe_dump({"stem": value, "list": [value]}, allow_unicode=True)
    doc, problems = load_text(dumped, "b.yaml")
    assert problems == [] and doc is not None
    assert doc.data == {"stem": value, "list": [value]}


@settings(max_examples=25, deadline=None)
@given(banks(max_questions=3), st.one_of(_YAML11.filter(lambda s: s not in ("~", "null")), _DUMPABLE))
def test_text_fields_of_a_loaded_bank_keep_the_exact_text(drawn: tuple[dict[str, Any], str], value: str) -> None:
    bank, reading = copy.deepcopy(drawn[0]), drawn[1]
    if value != value.strip() or "\x00" in value or not value.strip():
        value = f"[{value!r}]"
    bank["title"] = value
    bank["questions"][0]["stem"] = value
    bank["questions"][0]["explanation"] = value
    load_problems, _, loaded = _check(bank, reading)
    assert load_problems == []
    assert loaded[0].title == value
    assert (loaded[0].questions[0].stem, loaded[0].questions[0].explanation) == (value, value)

"""Schema validation: exact messages at exact places, and the fast path never accepts what jsonschema refuses."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from studygen.sources.banks import load_banks
from studygen.sources.bankschema import bank_schema
from studygen.sources.schema import coerce, validate
from studygen.sources.schemafast import Unsupported, compile_schema
from studygen.sources.yamlload import Plain, load_file

REPO = Path(__file__).resolve().parent.parent
LOAD = Path("tests/fixtures/check/load")
GOOD = Path("tests/fixtures/check/good/good.yaml")


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _report(path: Path) -> list[str]:
    result = load_banks([path])
    assert result.banks == []
    return [f"{d.line}:{d.col}: {d.rule} {d.message}" for d in result.diagnostics]


EXPECTED: dict[str, list[str]] = {
    "anchor-alias": [
        "12:15: yaml-anchor anchor &refs is not allowed; write values out in full",
        "13:16: yaml-alias alias *refs is not allowed; write the value out in full",
    ],
    "duplicate-key": ["84:5: yaml-duplicate-key duplicate key 'answer' (first defined at line 83); remove one of them"],
    "merge-key": ["80:5: yaml-merge-key merge keys (<<) are not allowed; write the keys out"],
    "not-a-mapping": ["1:1: schema a bank must be a mapping of keys (format, id, title, ...)"],
    "reading-missing": [
        "10:9: reading-missing reading text '../no-such-reading.txt' (tests/fixtures/check/no-such-reading.txt): "
        "no such file; the path is relative to the bank file"
    ],
    "syntax": ["20:10: yaml-syntax invalid YAML: while parsing a block mapping did not find expected key"],
    "tag": ["6:10: yaml-tag tag !!python/object/apply:os.system is not allowed; remove it"],
    "two-documents": [
        "139:1: yaml-multiple-documents the file holds more than one YAML document; keep one bank per file "
        "(remove this --- and what follows, or move it to its own file)"
    ],
    "unknown-key": ["129:5: schema unknown key 'guidence' in questions[7] (Q-essay); did you mean 'guidance'?"],
    "wrong-shape": [
        "2:9: schema format must be 1, not 2",
        "5:1: schema reading is missing required key 'author' (or name the reading's metadata file with `meta:`)",
        "83:5: schema key 'guidance' does not belong to a true_false question (questions[2] (Q-tf)); remove it",
        "107:9: schema questions[5] (Q order).id is 'Q order'; ids start with a letter or digit and use only "
        "letters, digits, '-', '_' and '.'",
        "133:12: schema questions[7] (Q-essay).bloom is text 'evalute'; expected one of: remember, understand, "
        "apply, analyze, evaluate, create; did you mean 'evaluate'?",
    ],
    "wrong-type": [
        "72:30: schema questions[1] (Q-multi).options[0].correct must be true or false, not text 'yes'",
        "77:17: schema questions[1] (Q-multi).difficulty must be a whole number, not text '2' "
        "(write it without quotes)",
        "79:13: schema questions[1] (Q-multi).points is 0; it must be more than 0",
        "132:17: schema questions[7] (Q-essay).difficulty must be a whole number, not text '03' "
        "(write 1, 2 or 3 without leading zeros)",
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_bank_reports_exactly(name: str) -> None:
    assert _report(LOAD / f"{name}.yaml") == EXPECTED[name]


def test_every_load_fixture_is_asserted() -> None:
    assert {p.stem for p in LOAD.glob("*.yaml")} == set(EXPECTED)


def test_missing_top_level_keys_and_empty_values(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("format: 1\nid: x\ntitle:\nfacts: 3\n", encoding="utf-8")
    result = load_banks([tmp_path / "b.yaml"])
    assert [f"{d.line}:{d.col}: {d.message}" for d in result.diagnostics] == [
        "1:1: the bank is missing required key 'reading'",
        "3:7: title must be text, not nothing (an empty value or null)",
        "4:8: facts must be a list, not text '3'",
    ]


def test_text_fields_keep_yaml_11_lookalikes(tmp_path: Path) -> None:
    """`NO`, `yes`, `on`, `2024-05-13`, `1:20`, `017` stay text in every text field of the model."""
    text = GOOD.read_text(encoding="utf-8").replace(
        "text: ../reading.txt", "text: " + str(REPO / LOAD.parent / "reading.txt")
    )
    text = text.replace("title: The Summit & the Panel", "title: NO")
    text = text.replace("  author: A. Author", "  author: yes")
    text = text.replace("  publication: Fixture Weekly", "  publication: on")
    text = text.replace("    stem: What code did the officials give?\n", "    stem: 017\n")
    text = text.replace("    explanation: The reading gives the code as 017.\n", "    explanation: 1:20\n")
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")
    result = load_banks([tmp_path / "b.yaml"])
    assert result.diagnostics == []
    bank = result.banks[0]
    assert (bank.reading.title, bank.reading.author, bank.reading.publication) == ("NO", "yes", "on")
    assert bank.reading.date == "2024-05-13"
    short = next(q for q in bank.questions if q.id == "Q-short")
    assert (short.stem, short.explanation, short.accepted) == ("017", "1:20", ("017", "code 017"))
    fill = next(q for q in bank.questions if q.id == "Q-fill")
    assert fill.blanks[0].accepted == ("1:20",) and fill.blanks[1].accepted == ("2024-05-13",)
    assert next(f for f in bank.facts if f.id == "F-veto").date == "2024-03-28"
    tf = next(q for q in bank.questions if q.id == "Q-tf")
    assert tf.stem == "NO" and tf.answer is False


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2", 2),
        ("-3", -3),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("017", "017"),
        ("e5", "e5"),
        ("0x1F", "0x1F"),
        ("1:20", "1:20"),
        (".inf", ".inf"),
        ("", ""),
    ],
)
def test_only_plain_numbers_in_number_fields_are_parsed(raw: str, expected: Any) -> None:
    got = coerce(Plain(raw), {"type": "number"})
    assert got == expected
    assert isinstance(got, str) if isinstance(expected, str) else type(got) is type(expected)
    assert coerce(raw, {"type": "number"}) == raw  # quoted: stays text, and the schema will say so


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("false", False), ("yes", "yes"), ("True", "True")])
def test_only_true_and_false_are_booleans(raw: str, expected: Any) -> None:
    assert coerce(Plain(raw), {"type": "boolean"}) == expected
    assert coerce(Plain(raw), {"type": "string"}) == raw


# ---- the fast path ------------------------------------------------------------------------------------------


def _good_data() -> dict[str, Any]:
    doc, problems = load_file(GOOD)
    assert doc is not None and not problems
    data, problems = validate(doc)
    assert problems == []
    return copy.deepcopy(data)


def _mutations(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every way of breaking one value: delete it, or replace it by a value of another kind."""
    out = []
    replacements: list[Any] = [None, "", "x y", 0, 5, 1.5, True, [], {"k": 1}]

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        items = (
            list(node.items()) if isinstance(node, dict) else list(enumerate(node)) if isinstance(node, list) else []
        )
        for k, v in items:
            for r in replacements:
                if r != v or type(r) is not type(v):
                    m = copy.deepcopy(data)
                    target = m
                    for p in path:
                        target = target[p]
                    target[k] = r
                    out.append(m)
            m = copy.deepcopy(data)
            target = m
            for p in path:
                target = target[p]
            del target[k]
            out.append(m)
            walk(v, (*path, k))

    walk(data, ())
    for qtype in ("single_choice", "essay", "matching", "nonsense"):
        for i in range(len(data["questions"])):
            m = copy.deepcopy(data)
            m["questions"][i]["type"] = qtype
            out.append(m)
    return out


def test_fast_path_agrees_with_jsonschema_on_the_good_bank_and_every_single_mutation() -> None:
    schema = bank_schema()
    fast = compile_schema(schema)
    slow = jsonschema.Draft202012Validator(schema)
    data = _good_data()
    assert fast(data) and slow.is_valid(data)
    mutations = _mutations(data)
    assert len(mutations) > 2000
    for m in mutations:
        # never looser than jsonschema; for this schema it is also never stricter
        assert fast(m) == slow.is_valid(m), json.dumps(m, ensure_ascii=False)[:300]


def test_fast_path_refuses_keywords_it_does_not_know() -> None:
    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}]}}})
    with pytest.raises(Unsupported):
        compile_schema({"type": "object", "additionalProperties": {"type": "string"}})


def test_published_schema_is_in_sync_and_valid() -> None:
    published = REPO / "docs" / "bank.schema.json"
    text = json.dumps(bank_schema(), indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("STUDYGEN_REGEN_GOLDEN"):
        published.write_text(text, encoding="utf-8")
    assert published.read_text(encoding="utf-8") == text, "run: studygen schema --out docs/bank.schema.json"
    jsonschema.Draft202012Validator.check_schema(json.loads(text))

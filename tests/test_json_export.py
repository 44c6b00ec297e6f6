"""`studygen export --to json`: the documented, stable shape, byte-identical runs, a golden file."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from studygen.cli import main
from studygen.sources.banks import load_banks
from studygen.targets.jsonexport import JsonExporter

REPO = Path(__file__).resolve().parent.parent
GOOD = Path("tests/fixtures/check/good/good.yaml")
GOLDEN = REPO / "tests" / "fixtures" / "check" / "good.export.json"


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def _export() -> bytes:
    result = load_banks([GOOD])
    assert result.diagnostics == []
    return JsonExporter().export(result.banks).data


def test_golden() -> None:
    """Regenerate with `STUDYGEN_REGEN_GOLDEN=1 python3 -m pytest tests/test_json_export.py`."""
    data = _export()
    if os.environ.get("STUDYGEN_REGEN_GOLDEN"):
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()
    assert data == _export()  # deterministic


def test_shape_documented_in_the_issue() -> None:
    doc = json.loads(_export())
    assert doc["format"] == 1
    (bank,) = doc["banks"]
    assert list(bank)[:3] == ["id", "title", "reading"]
    for key in ("facts", "arguments", "questions", "prompts", "glossary"):
        assert isinstance(bank[key], list)
    single = next(q for q in bank["questions"] if q["id"] == "Q-single")
    assert single["options"][1] == {
        "text": "A <script>alert(1)</script> resolution",
        "correct": False,
        "pinned": False,
        "feedback": "",
    }
    assert single["source_quotes"] == ["Russia vetoed a motion to extend the mandate of an expert panel on North Korea"]
    essay = next(q for q in bank["questions"] if q["id"] == "Q-essay")
    assert essay["source_quotes"] == ["relations will not recover on their own"]
    order = next(q for q in bank["questions"] if q["id"] == "Q-order")
    assert len(order["source_quotes"]) == 3
    for q in bank["questions"]:
        assert {"id", "type", "stem", "explanation", "source_quotes"} <= set(q)


def test_hostile_text_is_carried_verbatim() -> None:
    text = _export().decode("utf-8")
    doc = json.loads(text)
    assert doc["banks"][0]["title"] == "Good bank: <b>bold</b> & friends"
    assert "한국어" in text and "русский" in text  # not \\u-escaped
    tf = next(q for q in doc["banks"][0]["questions"] if q["id"] == "Q-tf")
    assert tf["stem"] == "NO" and tf["answer"] is False


def test_cli_to_stdout_and_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["export", "--to", "json", "--out", "-", str(GOOD)]) == 0
    out, _ = capsys.readouterr()
    assert out.encode("utf-8") == GOLDEN.read_bytes()
    target = tmp_path / "sub" / "out.json"
    assert main(["export", "--to", "json", "--out", str(target), str(GOOD)]) == 0
    assert target.read_bytes() == GOLDEN.read_bytes()
    assert capsys.readouterr().err == f"wrote {target}\n"


def test_cli_refuses_bad_banks_and_unknown_targets(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert main(["export", "--to", "json", "--out", str(target), "tests/fixtures/check/load/wrong-type.yaml"]) == 1
    err = capsys.readouterr().err
    assert err.endswith("studygen export: error: fix the bank problems above (see `studygen check`)\n")
    assert "wrong-type.yaml:72:30: error schema" in err
    assert not target.exists()
    assert main(["export", "--to", "jsn", "--out", "-", str(GOOD)]) == 2
    assert re.match(r"studygen: error: unknown export target 'jsn'; choose one of: .*json", capsys.readouterr().err)


def test_doc_example_matches_the_exporter() -> None:
    """The example in docs/json-export.md is real output of the example bank in docs/bank-format.md."""
    doc = (REPO / "docs" / "json-export.md").read_text(encoding="utf-8")
    example = json.loads(re.findall(r"```json\n(.*?)```", doc, re.S)[0])
    keys = set(example["banks"][0])
    assert keys == set(json.loads(_export())["banks"][0])
    q = example["banks"][0]["questions"][0]
    assert list(q) == list(json.loads(_export())["banks"][0]["questions"][0])

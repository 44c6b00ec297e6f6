"""SOURCE_DATE_EPOCH: one parser, one policy, every consumer.

It used to be read four times: the PDF check refused `abc`, the zip and Anki
timestamps silently ignored it, and the stats date accepted `-5`.  Now every command
refuses a malformed value with the same message before writing anything.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from studygen.cli import main
from studygen.errors import StudygenError
from studygen.repro import FIXED_ZIP_TIME, BuildTime
from studygen.sources.banks import load_banks
from studygen.targets import ExportContext, get_exporter

FIXTURES = Path(__file__).parent / "fixtures"
BANK = FIXTURES / "exports" / "plain.yaml"
BAD = ["abc", "-5", "1e9", "1715558400.5", "１７１５５５８４００", "99999999999999", "0x10"]


@pytest.mark.parametrize("raw", BAD)
def test_malformed_values_are_refused_with_one_message(raw: str) -> None:
    with pytest.raises(StudygenError, match=r"is not a whole number of seconds since 1970-01-01 UTC; unset it"):
        BuildTime.from_environ({"SOURCE_DATE_EPOCH": raw})


def test_good_and_missing_values() -> None:
    assert BuildTime.from_environ({}) == BuildTime(None) == BuildTime.from_environ({"SOURCE_DATE_EPOCH": "  "})
    t = BuildTime.from_environ({"SOURCE_DATE_EPOCH": " 1715558400 "})
    assert t.epoch == 1715558400 and t.date() == "2024-05-13"
    assert t.zip_date_time() == (2024, 5, 13, 0, 0, 0)
    assert BuildTime(0).zip_date_time() == FIXED_ZIP_TIME, "zip entries cannot predate 1980"
    assert BuildTime(None).zip_date_time() == FIXED_ZIP_TIME and BuildTime(None).seconds(7) == 7


@pytest.mark.parametrize("target", ["anki", "qti", "moodle"])
@pytest.mark.parametrize("raw", ["-5", "abc"])
def test_every_command_refuses_a_malformed_value(
    target: str, raw: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", raw)
    out = tmp_path / "export.out"
    assert main(["export", str(BANK), "--to", target, "--out", str(out)]) == 2
    assert f"SOURCE_DATE_EPOCH={raw!r} is not a whole number" in capsys.readouterr().err
    assert not out.exists()


def test_one_instant_in_every_archive(monkeypatch: pytest.MonkeyPatch) -> None:
    banks = load_banks([BANK]).banks
    context = ExportContext(build_time=BuildTime(1715558400))
    for target in ("anki", "qti"):
        with zipfile.ZipFile(io.BytesIO(get_exporter(target).export(banks, context).data)) as zf:
            assert {i.date_time for i in zf.infolist()} == {(2024, 5, 13, 0, 0, 0)}, target
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715558400")  # an exporter never reads the environment itself
    with zipfile.ZipFile(io.BytesIO(get_exporter("qti").export(banks).data)) as zf:
        assert {i.date_time for i in zf.infolist()} == {FIXED_ZIP_TIME}

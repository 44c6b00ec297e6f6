"""Large banks: the size limit admits a 10,000-question bank and is set in the course file or on the command line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studygen.cli import main
from studygen.sources.files import format_size, parse_size

REPO = Path(__file__).resolve().parents[1]
GOOD = REPO / "tests" / "fixtures" / "check" / "good" / "good.yaml"
MIB = 1024 * 1024


def padded_bank(folder: Path, size: int) -> Path:
    """The good fixture bank grown to `size` bytes with comment lines (parsed, but cheap to parse)."""
    (folder / "banks").mkdir(parents=True, exist_ok=True)
    shutil.copy(GOOD.parent.parent / "reading.txt", folder / "reading.txt")
    text = GOOD.read_text("utf-8")
    line = "# " + "x" * 97 + "\n"
    body = text + line * ((size - len(text.encode("utf-8"))) // len(line) + 1)
    path = folder / "banks" / "good.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def course_file(folder: Path, extra: str = "") -> Path:
    path = folder / "studygen.yaml"
    path.write_text(f"course: Big banks\nbanks: [banks]\nstudy_guide: false\ndiscussion: false\n{extra}", "utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "size"),
    [("32MiB", 32 * MIB), ("40 MB", 40_000_000), ("8388608", 8 * MIB), ("1.5GiB", 3 * 1024**3 // 2), ("64kib", 65536)],
)
def test_sizes_read_as_people_write_them(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("bad", ["lots", "32 parsecs", "-1MiB", "", "MiB"])
def test_what_is_not_a_size_says_how_to_write_one(bad: str) -> None:
    with pytest.raises(ValueError, match=r"write e\.g\. 32MiB"):
        parse_size(bad)


@given(st.integers(0, 2**40))
def test_format_size_is_close_to_the_size(n: int) -> None:  # what a message shows for a size
    shown = format_size(n)
    number, unit = shown.split(" ")
    if unit != "bytes":
        assert abs(parse_size(number + unit) - n) <= n * 0.05 + 1  # one decimal: within 5%
    else:
        assert int(number) == n


def test_the_default_admits_a_bank_larger_than_the_old_8_mib(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = padded_bank(tmp_path, 9 * MIB)
    assert main(["check", str(bank)]) == 0, capsys.readouterr()


def test_over_the_limit_the_message_names_the_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = padded_bank(tmp_path, 2 * MIB)
    assert main(["check", "--max-bank-size", "1MiB", str(bank)]) == 1
    out = capsys.readouterr().out
    assert "good.yaml:1:1: error file-too-large file is 2 MiB" in out
    assert "the limit is 1 MiB" in out and "max_bank_size" in out and "--max-bank-size" in out
    assert main(["check", "--max-bank-size", "3MiB", str(bank)]) == 0


def test_the_course_file_sets_the_limit_for_build_check_quiz_and_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    padded_bank(tmp_path, 2 * MIB)
    config = course_file(tmp_path, "max_bank_size: 1MiB\nexports: [json]\n")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--config", str(config), "--out", str(tmp_path / "out")]) == 1
    assert "file-too-large" in capsys.readouterr().err
    assert main(["check", "banks"]) == 1, "check honours the studygen.yaml beside it"
    assert main(["quiz", "banks", "--questions", "2", "--format", "html", "--out", "q"]) == 1
    assert main(["export", "--to", "json", "--out", "x.json"]) == 1
    capsys.readouterr()
    # the command line wins over the course file
    assert main(["build", "--config", str(config), "--out", str(tmp_path / "out"), "--max-bank-size", "3MiB"]) == 0
    assert (tmp_path / "out" / "exports" / "good.json").exists()
    assert main(["check", "banks", "--max-bank-size", "3MiB"]) == 0
    assert main(["quiz", "banks", "--questions", "2", "--format", "html", "--out", "q", "--max-bank-size", "3MiB"]) == 0
    config.write_text(config.read_text("utf-8").replace("1MiB", "4MiB"), "utf-8")
    assert main(["build", "--config", str(config), "--out", str(tmp_path / "out")]) == 0


def test_bad_limits_are_reported_where_they_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    padded_bank(tmp_path, 10_000)
    config = course_file(tmp_path, "max_bank_size: lots\n")
    assert main(["build", "--config", str(config), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{config}:5:16: error course" in err and "max_bank_size" in err and "Traceback" not in err
    monkeypatch.chdir(tmp_path)
    assert main(["check", "banks"]) == 2
    assert "studygen.yaml:5:16: max_bank_size: 'lots' is not a size" in capsys.readouterr().err
    config.write_text(config.read_text("utf-8").replace("lots", "64GiB"), "utf-8")
    assert main(["build", "--config", str(config), "--out", str(tmp_path / "out")]) == 2
    assert "is over 1 GiB; split the bank instead" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["check", "banks", "--max-bank-size", "12 parsecs"])
    assert exit_.value.code == 2
    assert "argument --max-bank-size: '12 parsecs' is not a size" in capsys.readouterr().err


def test_export_out_folder_gets_the_default_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "some" / "folder"
    assert main(["export", "--to", "moodle", "--out", f"{folder}/", str(GOOD)]) == 0
    assert (folder / "good.xml").is_file()
    existing = tmp_path / "existing"
    existing.mkdir()
    assert main(["export", "--to", "json", "--out", str(existing), str(GOOD)]) == 0
    assert (existing / "good.json").is_file()
    assert capsys.readouterr().err.endswith(f"wrote {existing / 'good.json'}\n")

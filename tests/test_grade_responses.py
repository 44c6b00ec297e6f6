"""Hostile and malformed responses CSVs: clear errors, bad rows skipped by line, cells never executed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studygen.grade.manifest import Manifest, ManifestError, load_manifest
from studygen.grade.responses import ResponsesError, read_responses

FIXTURES = Path(__file__).parent / "fixtures" / "grade"
HEADER = "student_id,version,1,2,3,4,5,6,7,8"
KEY_A = "A,AB,A,UNSC,ABC,BADC,March 28|expert panel,4"


@pytest.fixture(scope="module")
def manifest() -> Manifest:
    return load_manifest(FIXTURES / "manifest.json")


def read(tmp_path: Path, manifest: Manifest, data: bytes | str):  # type: ignore[no-untyped-def]
    path = tmp_path / "responses.csv"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_responses(path, manifest)


def test_reads_a_clean_file(tmp_path: Path, manifest: Manifest) -> None:
    sheet = read(tmp_path, manifest, f"{HEADER}\ns1,A,{KEY_A}\ns2,b,,,,,,,,\n")
    assert [r.student_id for r in sheet.responses] == ["s1", "s2"]
    assert sheet.responses[1].version.label == "B"  # case of the label is not a guess
    assert not sheet.skipped


def test_bom_blank_lines_crlf_and_extra_columns(tmp_path: Path, manifest: Manifest) -> None:
    text = f"\ufeff{HEADER},email\r\n\r\ns1,A,{KEY_A},a@b.c\r\n\r\n,,,,,,,,,,\r\ns2,A,{KEY_A},\r\n"
    sheet = read(tmp_path, manifest, text)
    assert [r.student_id for r in sheet.responses] == ["s1", "s2"]
    assert [d.rule for d in sheet.notices] == ["ignored-column"]
    assert "email" in sheet.notices[0].message


def test_semicolon_delimited_file(tmp_path: Path, manifest: Manifest) -> None:
    text = HEADER.replace(",", ";") + "\n" + f"s1;A;{KEY_A.replace(',', ';')}\n"
    sheet = read(tmp_path, manifest, text)
    assert len(sheet.responses) == 1 and not sheet.skipped


def test_wrong_encoding_is_a_clear_error(tmp_path: Path, manifest: Manifest) -> None:
    data = f"{HEADER}\ns1,A,{KEY_A}\nКим,A,{KEY_A}\n".encode("cp1251")
    with pytest.raises(ResponsesError) as exc:
        read(tmp_path, manifest, data)
    assert ":3:1: not UTF-8" in exc.value.message and "CSV UTF-8" in exc.value.message


def test_utf16_is_named(tmp_path: Path, manifest: Manifest) -> None:
    with pytest.raises(ResponsesError, match="UTF-16"):
        read(tmp_path, manifest, f"{HEADER}\n".encode("utf-16"))


@pytest.mark.parametrize(
    "header,needle",
    [
        ("version,1,2,3,4,5,6,7,8", "no student_id column"),
        ("student_id,1,2,3,4,5,6,7,8", "no version column"),
        ("student_id,version,1,2,3", "no column for item(s) 4, 5, 6, 7, 8"),
        ("student_id,version,1,2,3,4,5,6,7,8,8", "two columns for item 8"),
    ],
)
def test_missing_or_duplicate_columns_stop_grading(
    tmp_path: Path, manifest: Manifest, header: str, needle: str
) -> None:
    with pytest.raises(ResponsesError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        read(tmp_path, manifest, header + "\n")


def test_empty_and_binary_files(tmp_path: Path, manifest: Manifest) -> None:
    with pytest.raises(ResponsesError, match="empty"):
        read(tmp_path, manifest, "\n\n")
    with pytest.raises(ResponsesError, match="NUL"):
        read(tmp_path, manifest, b"student_id\x00version\n")
    with pytest.raises(ResponsesError, match="no such"):
        read_responses(tmp_path / "absent.csv", manifest)


def test_bad_rows_are_reported_by_line_and_skipped(tmp_path: Path, manifest: Manifest) -> None:
    lines = [
        HEADER + ",9",
        f"ok,A,{KEY_A},",  # 2
        f"s1,Z,{KEY_A},",  # 3 unknown version
        f"s2,A,{KEY_A.replace('A,AB', 'F,AB', 1)},",  # 4 impossible letter
        f",A,{KEY_A},",  # 5 missing student id
        f"s3,A,{KEY_A},x",  # 6 item 9 out of range
        f"s4,A,{KEY_A},,extra",  # 7 more cells than the header
        f"dup,A,{KEY_A},",  # 8
        "dup,B,,,,,,,,,",  # 9
        f"s5,A,{KEY_A.replace(',4', ',4.5')},",  # 10 essay over its points
    ]
    sheet = read(tmp_path, manifest, "\n".join(lines) + "\n")
    assert [r.student_id for r in sheet.responses] == ["ok"]
    by_line = {d.line: d.message for d in sheet.skipped}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "version 'Z' is not in the manifest" in by_line[3]
    assert "no option F" in by_line[4]
    assert "no student_id" in by_line[5]
    assert "has no item 9" in by_line[6]
    assert "the header has 11 columns" in by_line[7]
    assert "has 2 rows" in by_line[8] and "has 2 rows" in by_line[9]
    assert "more than essay item 8 is worth" in by_line[10]
    assert all(d.message.endswith("row skipped") and d.rule == "bad-row" for d in sheet.skipped)


def test_line_numbers_count_multiline_cells(tmp_path: Path, manifest: Manifest) -> None:
    text = f'{HEADER}\ns1,A,A,AB,A,"Security\nCouncil",ABC,BADC,,\ns2,A,Q,,,,,,,\n'
    sheet = read(tmp_path, manifest, text)
    assert [d.line for d in sheet.skipped] == [4]


def test_formula_cells_are_plain_data(tmp_path: Path, manifest: Manifest) -> None:
    evil = "=cmd|' /C calc'!A0"
    text = f'{HEADER}\n"{evil}",A,A,AB,A,"{evil}",ABC,BADC,,\ns2,A,"{evil}",,,,,,,\n'
    sheet = read(tmp_path, manifest, text)
    assert sheet.responses[0].student_id == evil
    assert sheet.responses[0].answers[4].text == evil
    assert "is not a letter" in sheet.skipped[0].message


def test_malformed_csv_quotes(tmp_path: Path, manifest: Manifest) -> None:
    with pytest.raises(ResponsesError, match="well-formed"):
        read(tmp_path, manifest, f'{HEADER}\ns1,A,"A"B,,,,,,,\n')


def test_manifest_validation_messages(tmp_path: Path) -> None:
    good = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
    path = tmp_path / "manifest.json"

    def fails(doc: object, needle: str) -> None:
        path.write_text(json.dumps(doc), encoding="utf-8")
        with pytest.raises(ManifestError) as exc:
            load_manifest(path)
        assert needle in exc.value.message, exc.value.message

    fails({"quiz": "q"}, "'versions' is a required property")
    bad = json.loads(json.dumps(good))
    bad["versions"][0]["items"][0]["correct"] = ["E"]
    fails(bad, "versions[0].items[0].correct")
    bad = json.loads(json.dumps(good))
    bad["versions"][1]["items"][4]["correct"] = ["A", "A", "B", "C"]
    fails(bad, "ordering needs each of the letters ABCD exactly once")
    bad = json.loads(json.dumps(good))
    bad["versions"][1]["label"] = "a"
    fails(bad, "version 'a' appears twice")
    bad = json.loads(json.dumps(good))
    bad["versions"][0]["items"][1]["number"] = 1
    fails(bad, "item 1 appears twice")
    bad = json.loads(json.dumps(good))
    bad["versions"][0]["items"][2]["type"] = "riddle"
    fails(bad, "versions[0].items[2].type")
    path.write_text('{"versions": [', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest.json:1:\d+: not valid JSON"):
        load_manifest(path)

"""The roster reader: exact on good files, file:line:col on every bad one, never a traceback."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.sources.roster import RosterError, fold_id, parse_roster, read_roster


def test_reads_students_in_file_order_and_ignores_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes('\ufeffstudent_id,name,email\n20240017,Kim Min-jun,k@x\n\n20240003,"Lee, Ji-woo",\n'.encode())
    roster = read_roster(path)
    assert [(s.student_id, s.name, s.line) for s in roster.students] == [
        ("20240017", "Kim Min-jun", 2),
        ("20240003", "Lee, Ji-woo", 4),
    ]
    assert roster.find(" 20240003 ") is not None
    assert roster.find("nobody") is None


def test_semicolon_roster_from_a_spreadsheet() -> None:
    roster = parse_roster("Student ID;Name\r\nS1;Anna\r\n", "r.csv")
    assert [s.student_id for s in roster.students] == ["S1"]


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ("student_id,name\n1,Anna\n1,Boris\n", "r.csv:3:1", "already on line 2"),
        ("student_id,name\ns1,Anna\nS1,Boris\n", "r.csv:3:1", "already on line 2"),
        ("student_id,name\n,Anna\n", "r.csv:2:1", "no student_id"),
        ("student_id,name\n7,\n", "r.csv:2:2", "has no name"),
        ("student_id,name\n7,Anna,extra\n", "r.csv:2:1", "3 cells"),
        ("student_id,name\n7\x07,Anna\n", "r.csv:2:1", "control character"),
    ],
)
def test_bad_rows_are_reported_at_their_line(text: str, where: str, words: str) -> None:
    with pytest.raises(RosterError) as info:
        parse_roster(text, "r.csv")
    shown = [d.format_text() for d in info.value.diagnostics]
    assert any(s.startswith(where) and words in s for s in shown), shown


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "empty"),
        (b"id,fullname\n1,A\n", "no student_id column"),
        (b"student_id,name\n", "no students"),
        (b'student_id,name\n"1,A\n', "well-formed"),
        (b"student_id,name\n1,\xff\n", "r.csv:2:3: not UTF-8"),
        (b"\xff\xfes\x00", "UTF-16"),
        (b"student_id,name\n1,A\x00\n", "NUL"),
    ],
)
def test_unreadable_rosters_say_why(tmp_path: Path, raw: bytes, words: str) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(raw)
    with pytest.raises(RosterError) as info:
        read_roster(path, "r.csv")
    assert words in info.value.message


def test_missing_roster_names_the_expected_header(tmp_path: Path) -> None:
    with pytest.raises(RosterError, match="student_id,name"):
        read_roster(tmp_path / "absent.csv")


_ids = st.text(st.characters(whitelist_categories=("L", "Nd")), min_size=1, max_size=12)
_names = st.text(st.characters(whitelist_categories=("L", "Zs"), whitelist_characters=",\"'-"), max_size=30).filter(
    lambda s: s.strip()
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_ids, _names), min_size=1, max_size=20, unique_by=lambda t: fold_id(t[0])))
def test_any_written_roster_reads_back_exactly(rows: list[tuple[str, str]]) -> None:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["student_id", "name"])
    w.writerows(rows)
    roster = parse_roster(out.getvalue(), "r.csv")
    assert [(s.student_id, s.name) for s in roster.students] == [(i.strip(), " ".join(n.split())) for i, n in rows]

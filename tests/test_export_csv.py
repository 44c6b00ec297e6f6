"""CSV export, read back with the csv module: columns, BOM, formula neutralising, text intact."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.model import Bank
from studygen.sources.banks import load_banks
from studygen.targets.csvexport import COLUMNS, CsvExporter
from studygen.text.cells import FORMULA_STARTS, safe_cell

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
GOLDEN = FIXTURES / "golden" / "fixtures.csv"


@pytest.fixture(scope="module")
def banks() -> list[Bank]:
    result = load_banks([str(FIXTURES / "hostile.yaml"), str(FIXTURES / "plain.yaml")])
    assert result.ok
    return result.banks


@pytest.fixture(scope="module")
def data(banks) -> bytes:
    return CsvExporter().export(banks).data


@pytest.fixture(scope="module")
def rows(data) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def unformula(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def test_bom_header_and_one_row_per_question(data, rows, banks) -> None:
    assert data.startswith(b"\xef\xbb\xbf")
    assert tuple(rows[0]) == COLUMNS
    assert [r["id"] for r in rows] == [q.id for b in banks for q in b.questions]


def test_cells_hold_the_bank_text(rows, banks) -> None:
    by_id = {r["id"]: r for r in rows}
    for bank in banks:
        for q in bank.questions:
            row = {k: unformula(v) for k, v in by_id[q.id].items()}
            assert row["bank"] == bank.id and row["type"] == q.type.value
            assert row["question"].startswith(q.stem)
            assert row["explanation"] == q.explanation
            assert row["source"].split("\n") == list(bank.quotes_for(q.refs))
            if q.options:
                assert [unformula(o) for o in row["options"].split("\n")] == [o.text for o in q.options]
                assert row["answer"].split("\n") == [q.options[i].text for i in q.correct_indexes]


def test_formulas_are_neutralised(rows) -> None:
    formula = next(r for r in rows if r["id"] == "P-formula")
    assert formula["question"].startswith("'=HYPERLINK(")
    assert formula["options"].split("\n")[0] == "'+1 plus"
    assert formula["explanation"] == "'\tTabbed start."
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_hostile_text_intact(rows) -> None:
    joined = "\n".join(v for r in rows for v in r.values())
    for needle in ("<script>alert(1)</script>", "]]>", "~ = # { } :", "한국어", "русский", "\\"):
        assert needle in joined


def test_same_input_gives_identical_bytes(banks, data) -> None:
    assert CsvExporter().export(banks).data == data


def test_golden(data) -> None:
    if os.environ.get("STUDYGEN_REGEN_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(data)
    assert GOLDEN.read_bytes() == data, "regenerate with STUDYGEN_REGEN_GOLDEN=1 pytest tests/test_export_*.py"


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1))
def test_safe_cell_never_starts_a_formula_and_is_reversible(value: str) -> None:
    cell = safe_cell(value)
    assert not cell.startswith(FORMULA_STARTS)
    assert unformula(cell) == value or cell == value


def test_grading_outputs_and_the_csv_export_guard_the_same_cells() -> None:
    """The guards differed: the export let a leading line feed or full-width `＝` through."""
    from studygen.grade import csvout
    from studygen.targets import csvexport

    for value in ("\n=1+1", "＝HYPERLINK()", "＋1", "－1", "＠SUM(A1)", "=cmd", "plain"):
        assert csvexport.safe_cell(value) == csvout.safe_cell(value) == safe_cell(value)
    assert safe_cell("\n=1") == "'\n=1" and safe_cell("＝1") == "'＝1"

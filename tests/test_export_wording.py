"""Exporters take their fixed wording from the course's labels: a Korean course gets Korean feedback lines.

Each LMS format is read back (Moodle XML with lxml, GIFT as text, QTI's zip, Anki's
collection, CSV with the csv module) and must carry the course's words and none of
the English defaults it replaces.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from studygen.course import DEFAULT_LABELS, Course
from studygen.model import Bank
from studygen.repro import BuildTime
from studygen.sources.banks import load_banks
from studygen.targets import ExportContext, get_exporter

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
KOREAN = {
    "strong_answer": "좋은 답에 들어갈 내용",
    "beyond_reading": "배경 지식(읽기 자료 밖)",
    "export_source": "출처",
    "order_position": "{n}번째",
    "feedback_correct": "정답입니다.",
    "feedback_partial": "부분적으로 맞았습니다.",
    "feedback_incorrect": "틀렸습니다.",
    "true_or_false": "참인가 거짓인가?",
    "choose_from": "보기",
    "also_accepted": "다른 정답",
    "true": "참",
    "false": "거짓",
    "glossary": "용어집",
}
# English defaults that must not survive in a Korean export, per format (what each format prints).
ENGLISH = {
    "moodle": ["Your answer is", "Position 1", "Background (beyond", "<strong>Source</strong>"],
    "gift": ["A strong answer covers", "Position 1", "Background (beyond", "Source ("],
    "qti": ["A strong answer covers", "Position 1", "Background (beyond", "&lt;strong&gt;Source&lt;", ">True<"],
    "anki": ["A strong answer covers", "True or false", "Choose from", "Also accepted", ">Source<", "::Glossary"],
    "csv": ["Background (beyond", "True\n"],
}


@pytest.fixture(scope="module")
def banks() -> list[Bank]:
    result = load_banks([str(FIXTURES / "hostile.yaml"), str(FIXTURES / "plain.yaml")])
    assert result.ok
    return result.banks


def _text(name: str, data: bytes, tmp_path: Path) -> str:
    if name == "qti":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "\n".join(zf.read(n).decode("utf-8") for n in sorted(zf.namelist()))
    if name == "anki":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            (tmp_path / "c.anki2").write_bytes(zf.read("collection.anki2"))
        conn = sqlite3.connect(tmp_path / "c.anki2")
        try:
            notes = [flds for (flds,) in conn.execute("SELECT flds FROM notes")]
            decks = [d["name"] for (raw,) in conn.execute("SELECT decks FROM col") for d in json.loads(raw).values()]
        finally:
            conn.close()
        return "\n".join(notes + decks)
    if name == "csv":
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        return "\n".join("\n".join(row) for row in rows) + "\n"
    return data.decode("utf-8")


@pytest.mark.parametrize("name", ["moodle", "gift", "qti", "anki", "csv"])
def test_korean_course_gets_korean_fixed_wording(name: str, banks: list[Bank], tmp_path: Path) -> None:
    english = _text(name, get_exporter(name).export(banks).data, tmp_path)
    for phrase in ENGLISH[name]:
        assert phrase in english, f"{name}: the English export shows {phrase!r} (else this test proves nothing)"
    course = Course(root=tmp_path, labels={**DEFAULT_LABELS, **KOREAN})
    korean = _text(name, get_exporter(name).export(banks, ExportContext(course, BuildTime())).data, tmp_path)
    for phrase in ENGLISH[name]:
        assert phrase not in korean, f"{name}: {phrase!r} is still English"
    expected = {
        "moodle": ["<strong>출처</strong>", "정답입니다.", "1번째", "배경 지식(읽기 자료 밖)"],
        "gift": ["좋은 답에 들어갈 내용", "1번째", "출처"],
        "qti": ["좋은 답에 들어갈 내용", "1번째", "출처", ">참<"],
        "anki": ["좋은 답에 들어갈 내용", "참인가 거짓인가?", "보기", "출처", "::용어집"],
        "csv": ["배경 지식(읽기 자료 밖)", "참\n"],
    }[name]
    for phrase in expected:
        assert phrase in korean, f"{name}: {phrase!r} missing"

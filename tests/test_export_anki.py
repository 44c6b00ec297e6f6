"""Anki .apkg export, read back with sqlite3: decks, notes, cards, fields and GUIDs against the bank."""

from __future__ import annotations

import html
import io
import json
import re
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest

from studygen.model import Bank, QuestionType
from studygen.repro import BuildTime
from studygen.sources.banks import load_banks
from studygen.targets import ExportContext, lms
from studygen.targets.anki import CLOZE_MODEL_ID, QA_MODEL_ID, AnkiExporter, deck_id

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
REAL_BANK = Path(__file__).parent.parent / "question_banks" / "seoul-moscow.yaml"


def text(field: str) -> str:
    field = field.replace("<br>", "\n")
    field = re.sub(r"</?strong>", "**", field)
    field = re.sub(r"</?em>", "*", field)
    return html.unescape(re.sub(r"<[^>]+>", " ", field))


def open_collection(data: bytes, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert sorted(zf.namelist()) == ["collection.anki2", "media"]
        assert json.loads(zf.read("media")) == {}
        db = tmp_path / "collection.anki2"
        db.write_bytes(zf.read("collection.anki2"))
    return sqlite3.connect(db)


@pytest.fixture(scope="module")
def banks() -> list[Bank]:
    result = load_banks([str(FIXTURES / "hostile.yaml"), str(FIXTURES / "plain.yaml")])
    assert result.ok
    return result.banks


@pytest.fixture(scope="module")
def apkg(banks) -> bytes:
    return AnkiExporter().export(banks).data


@pytest.fixture()
def col(apkg, tmp_path):
    conn = open_collection(apkg, tmp_path)
    yield conn
    conn.close()


def notes(col: sqlite3.Connection) -> dict[str, tuple[int, str, list[str], str]]:
    rows = col.execute("SELECT id, guid, mid, flds, tags FROM notes").fetchall()
    return {guid: (mid, fields.split("\x1f"), tags, nid) for nid, guid, mid, fields, tags in rows}


def test_decks_per_bank_and_topic(col, banks) -> None:
    decks = json.loads(col.execute("SELECT decks FROM col").fetchone()[0])
    names = {d["name"]: int(did) for did, d in decks.items()}
    hostile = "Seoul & Moscow <b>ties</b> / 한국어"
    assert names[hostile] == deck_id("hostile")
    assert names[f"{hostile}::United Nations & <Security> Council"] == deck_id("hostile", "un")
    assert names[f"{hostile}::Языки / 언어"] == deck_id("hostile", "lang")
    assert names[f"{hostile}::Glossary"] == deck_id("hostile", "#glossary")
    assert names["Plain bank"] == deck_id("plain")


def test_every_question_fact_and_term_is_a_note_with_an_authored_guid(col, banks) -> None:
    found = notes(col)
    expected = {}
    for bank in banks:
        for q in bank.questions:
            expected[genanki.guid_for(bank.id, q.id)] = q.id
        for f in bank.facts:
            expected[genanki.guid_for(bank.id, f.id)] = f.id
        for term in bank.glossary:
            expected[genanki.guid_for(bank.id, "glossary", term.term)] = f"glossary:{term.term}"
    assert set(found) == set(expected)
    for guid, (_mid, fields, _tags, _nid) in found.items():
        assert fields[-1] == expected[guid]


def test_fields_hold_the_bank_text(col, banks) -> None:
    found = notes(col)
    for bank in banks:
        for q in bank.questions:
            mid, fields, tags, nid = found[genanki.guid_for(bank.id, q.id)]
            assert f"studygen::type::{q.type.value}" in tags.split()
            cards = col.execute("SELECT did, ord FROM cards WHERE nid = ?", (nid,)).fetchall()
            expected_deck = deck_id(bank.id, q.topics[0]) if q.topics else deck_id(bank.id)
            assert {did for did, _ in cards} == {expected_deck}
            if q.type is QuestionType.FILL_BLANK:
                assert mid == CLOZE_MODEL_ID
                assert sorted(o for _, o in cards) == list(range(len(q.blanks)))
                for n, blank in enumerate(q.blanks, 1):
                    [answer] = re.findall(r"\{\{c" + str(n) + r"::(.*?)\}\}", fields[0])
                    assert html.unescape(answer) == blank.accepted[0]
                assert text(fields[1]).strip().startswith(q.explanation)
                source = fields[2]
            else:
                assert mid == QA_MODEL_ID and len(cards) == 1
                front, back = text(fields[0]), text(fields[1])
                assert front.strip().startswith(q.stem)
                if q.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
                    for o in q.options:
                        assert o.text in front
                    for i in q.correct_indexes:
                        assert q.options[i].text in back
                elif q.type is QuestionType.TRUE_FALSE:
                    assert back.strip() == ("True" if q.answer else "False")
                elif q.type is QuestionType.SHORT_ANSWER:
                    assert all(a in back for a in q.accepted)
                elif q.type is QuestionType.MATCHING:
                    assert all(f"{p.left} → {p.right}" in back for p in q.pairs)
                elif q.type is QuestionType.ORDERING:
                    assert [text(li) for li in re.findall(r"<li>(.*?)</li>", fields[1])] == list(q.items)
                elif q.type is QuestionType.ESSAY:
                    assert q.guidance in back
                assert text(fields[2]).strip() == q.explanation.strip()
                source = fields[3]
            for quote in bank.quotes_for(q.refs):
                assert quote in text(source)
            assert lms.citation(bank) in text(source)


def test_hostile_text_is_escaped_and_cannot_fake_a_cloze(col) -> None:
    rows = [f for (f,) in col.execute("SELECT flds FROM notes")]
    joined = "\x1f".join(rows)
    assert "<script" not in joined and "<img" not in joined and "<b>" not in joined
    assert "&lt;script&gt;" in joined and "]]&gt;" in joined and "한국어" in joined and "русский" in joined
    cloze = next(f for f in rows if "{{c1::March 28}}" in f)
    assert "{really}" not in cloze and "&#123;really&#125;" in cloze


def test_same_input_gives_identical_bytes(banks, apkg) -> None:
    assert AnkiExporter().export(banks).data == apkg


def test_source_date_epoch_sets_modification_times(banks, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    context = ExportContext(build_time=BuildTime.from_environ())
    conn = open_collection(AnkiExporter().export(banks, context).data, tmp_path)
    try:
        assert {m for (m,) in conn.execute("SELECT mod FROM notes")} == {1750000000}
    finally:
        conn.close()


@pytest.mark.skipif(not REAL_BANK.exists(), reason="question_banks/seoul-moscow.yaml is not there yet")
def test_real_bank_exports_a_note_per_question(tmp_path) -> None:
    result = load_banks([str(REAL_BANK)])
    if not result.ok:
        pytest.skip("the real bank is being curated and does not load cleanly yet")
    conn = open_collection(AnkiExporter().export(result.banks).data, tmp_path)
    try:
        guids = {g for (g,) in conn.execute("SELECT guid FROM notes")}
    finally:
        conn.close()
    assert {genanki.guid_for(b.id, q.id) for b in result.banks for q in b.questions} <= guids

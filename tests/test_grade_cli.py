"""`studygen grade` end to end on the hand-built fixture: outputs, golden files, escaping, stats and check.

Regenerate the golden files after an intended change with
`STUDYGEN_REGEN_GOLDEN=1 python3 -m pytest -q tests/test_grade_cli.py`.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from studygen.check import run_checks
from studygen.cli import main
from studygen.model import Bank
from studygen.sources.banks import load_banks
from studygen.sources.statsfile import QuestionStats, Run, load_stats, measured

FIXTURES = Path(__file__).parent / "fixtures" / "grade"
GOLDEN = FIXTURES / "golden"
REGEN = os.environ.get("STUDYGEN_REGEN_GOLDEN") == "1"
OUTPUTS = ("grades.csv", "item-analysis.csv", "distractors.csv", "unmatched-answers.csv", "report.html", "report.pdf")
EVIL = "=cmd|' /C calc'!A0"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for name in ("manifest.json", "responses.csv", "bank.yaml", "reading.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def grade(work: Path, *extra: str, out: str = "out") -> int:
    return main(["grade", str(work / "manifest.json"), str(work / "responses.csv"), "--out", str(work / out), *extra])


def test_outputs_match_golden_files(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert grade(work) == 1  # rows were skipped: reported, and the exit code says so
    err = capsys.readouterr().err
    assert "responses.csv:16:1: error bad-row student 's13': version 'C'" in err
    assert "graded 13 student(s)" in err
    for name in OUTPUTS[:-1]:
        got = (work / "out" / name).read_bytes()
        if REGEN:
            GOLDEN.mkdir(exist_ok=True)
            (GOLDEN / name).write_bytes(got)
        assert got == (GOLDEN / name).read_bytes(), f"{name} differs from golden; STUDYGEN_REGEN_GOLDEN=1 to update"


def test_outputs_are_byte_identical_across_runs(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    grade(work, out="one")
    grade(work, out="two")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715558400")
    grade(work, out="three")
    grade(work, out="four")
    for name in OUTPUTS:
        assert (work / "one" / name).read_bytes() == (work / "two" / name).read_bytes(), name
        assert (work / "three" / name).read_bytes() == (work / "four" / name).read_bytes(), name
    assert b"20240513" in (work / "three" / "report.pdf").read_bytes()


def test_typo_tolerant_credit_is_never_silent(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The answer rule forgives one typo; grading names every answer it forgave, with its line."""
    (work / "responses.csv").write_text(
        "student_id,version,1,2,3,4,5,6,7,8,notes\n"
        "s01,A,A,AB,A,Security Counsil,ABC,BADC,March 28|expert panle,4,\n"
        "s02,A,A,AB,A,Security Council,ABC,BADC,March 28|expert panel,4,\n",
        encoding="utf-8",
    )
    assert grade(work) == 0
    err = capsys.readouterr().err
    assert (
        "responses.csv:2:1: warning answer-near-miss student 's01', item 4: 'Security Counsil' was accepted as "
        "'Security Council' (1 letter differs)" in err
    )
    assert "item 7: 'expert panle' was accepted as 'expert panel'" in err
    assert "'s02'" not in err, "exact answers are not reported"
    rows = (work / "out" / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1].split(",")[2] == rows[2].split(",")[2], "the near misses earned full credit"


def test_default_output_folder_is_beside_the_responses(work: Path) -> None:
    assert main(["grade", str(work / "manifest.json"), str(work / "responses.csv")]) == 1
    assert (work / "grades.csv").is_file() and (work / "report.pdf").is_file()


def test_grades_csv_escapes_formulas_and_is_importable(work: Path) -> None:
    grade(work)
    rows = list(csv.DictReader(io.StringIO((work / "out" / "grades.csv").read_text(encoding="utf-8"))))
    by_id = {r["student_id"]: r for r in rows}
    assert "'" + EVIL in by_id and EVIL not in by_id
    assert by_id["s01"] == {"student_id": "s01", "version": "A", "score": "12", "max": "12", "percent": "100"}
    assert by_id["s03"]["score"] == "5.5"
    assert all(not r["student_id"].startswith(("=", "+", "-", "@")) for r in rows)
    distractors = (work / "out" / "distractors.csv").read_text(encoding="utf-8")
    assert "'" + EVIL in distractors and "\n" + EVIL not in distractors and "," + EVIL not in distractors


def test_html_report_escapes_bank_text(work: Path) -> None:
    from lxml import html

    grade(work)
    raw = (work / "out" / "report.html").read_text(encoding="utf-8")
    tree = html.fromstring(raw)
    assert tree.xpath("//script") == [] and tree.xpath("//img") == [] and tree.xpath("//b") == []
    text = tree.text_content()
    for s in (
        "<script>alert(1)</script>",
        "<img src=x> new sanctions",
        "Extending the <b>panel</b> & its mandate",
        "]]> 한국어 ~ = # { } : \\ русский",
        "midterm <i>&</i>",
    ):
        assert s in text
    assert "nobody chose it" in text and "F(1, 11)" in text
    assert len(tree.xpath("//svg//rect[@class='bar']")) == 10


def test_pdf_report_embeds_its_fonts_and_shows_the_text(work: Path) -> None:
    from pypdf import PdfReader

    grade(work)
    reader = PdfReader(str(work / "out" / "report.pdf"))
    text = "".join(page.extract_text() for page in reader.pages)
    for s in ("Item analysis: midterm <i>&</i>", "Q-sc", "<script>alert(1)</script>", "русский", "한국어", "KR-20"):
        assert s in text, s
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "Helvetica" not in font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"], font["/BaseFont"]


def test_multiple_response_rule_option(work: Path) -> None:
    grade(work, "--multiple-response", "penalty", out="pen")
    grade(work, "--multiple-response", "partial", out="par")
    pen, par = ({r["student_id"]: r["score"] for r in _rows(work / d / "grades.csv")} for d in ("pen", "par"))
    # s03 marked only A of {A, B} (2 points): penalty (1-0)/2 -> 1 point; partial 1/2 - 0 -> 1 point
    assert pen["s03"] == "6.5" and par["s03"] == "6.5"
    # s04 marked ABC (C wrong) on version A: penalty (2-1)/2 -> 1 ; partial 1 - 1/2 -> 1
    assert pen["s04"] == "3" and par["s04"] == "3"
    # s11 marked BCD on version B (key BD): penalty (2-1)/2 -> 1 ; partial 1 - 1/2 -> 1
    assert pen["s11"] == "4" and par["s11"] == "4"


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_nothing_gradable_writes_nothing(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "responses.csv").write_text("student_id,version,1,2,3,4,5,6,7,8\nx,Z,,,,,,,,\n", encoding="utf-8")
    assert grade(work) == 1
    assert "nothing was written" in capsys.readouterr().err
    assert not (work / "out").exists()


@pytest.mark.parametrize(
    "setup,needle",
    [
        (lambda w: (w / "responses.csv").write_bytes("student_id,version,1\nКим,A,A\n".encode("cp1251")), "not UTF-8"),
        (lambda w: (w / "responses.csv").write_text("name,1,2\n", encoding="utf-8"), "no student_id or version column"),
        (lambda w: (w / "manifest.json").write_text("{", encoding="utf-8"), "not valid JSON"),
        (lambda w: (w / "manifest.json").unlink(), "no such manifest"),
    ],
)
def test_unusable_input_exits_2_without_traceback(
    work: Path, capsys: pytest.CaptureFixture[str], setup: Callable[[Path], object], needle: str
) -> None:
    setup(work)
    assert grade(work) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err
    assert not (work / "out").exists()


def test_update_stats_records_and_pools_runs(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715558400")
    assert grade(work, "--update-stats") == 1
    path = work / "bank.stats.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["bank"] == "grade-fixture" and doc["format"] == 1
    q = doc["questions"]["Q-sc"]
    assert (q["n"], q["date"], len(q["runs"])) == (13, "2024-05-13", 1)
    assert q["difficulty"] == pytest.approx(9 / 13, abs=1e-4)
    # grading the same class again replaces its run instead of counting it twice
    grade(work, "--update-stats")
    assert load_stats(path)["Q-sc"].n == 13
    # a second class adds to the sample; pooled p is n-weighted
    text = (work / "responses.csv").read_text(encoding="utf-8").splitlines()
    (work / "responses.csv").write_text("\n".join(text[:2] + text[8:9]) + "\n", encoding="utf-8")  # s01 (A), s07 (B)
    grade(work, "--update-stats")
    pooled = load_stats(path)["Q-sc"]
    assert pooled.n == 15 and len(pooled.runs) == 2
    assert pooled.difficulty == pytest.approx((9 + 2) / 15, abs=1e-4)


def test_update_stats_finds_the_bank_in_question_banks(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    del doc["banks"]
    (work / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    (work / "question_banks").mkdir()
    shutil.move(work / "bank.yaml", work / "question_banks" / "bank.yaml")
    shutil.move(work / "reading.txt", work / "question_banks" / "reading.txt")
    monkeypatch.chdir(work)
    assert grade(work, "--update-stats") == 1
    assert (work / "question_banks" / "bank.stats.json").is_file()


def test_update_stats_says_when_the_bank_changed_since_the_build(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    doc = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    same = hashlib.sha256((work / "bank.yaml").read_bytes()).hexdigest()[:10]
    doc["bank_fingerprints"] = {"grade-fixture": same}
    (work / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    grade(work, "--update-stats")
    assert "changed since the quiz was built" not in capsys.readouterr().err
    doc["bank_fingerprints"] = {"grade-fixture": "0123456789"}
    (work / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    grade(work, "--update-stats")
    err = capsys.readouterr().err
    assert "changed since the quiz was built (bank fingerprint 0123456789 in the manifest, " + same + " now)" in err
    assert (work / "bank.stats.json").is_file(), "still recorded, by question id"


def test_update_stats_without_the_bank_writes_nothing(
    work: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
    del doc["banks"]
    (work / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.chdir(work)
    assert grade(work, "--update-stats") == 2
    assert "cannot find the bank file for 'grade-fixture'" in capsys.readouterr().err
    assert not (work / "out").exists()


def _run(n: int, p: float, r: float | None) -> QuestionStats:
    return QuestionStats("x", (Run("r1", "2024-05-13", n, p, r),))


def _with_stats(bank: Bank, stats: dict[str, QuestionStats]) -> Bank:
    """The bank as loading would give it with `stats` measured beside it."""
    return dataclasses.replace(bank, stats=measured(stats))


def test_check_stats_warns_at_the_question_line() -> None:
    bank = load_banks([FIXTURES / "bank.yaml"]).banks[0]
    stats = {
        "Q-sc": _run(25, 0.6, -0.2),  # negative discrimination
        "Q-mr": _run(25, 0.1, 0.3),  # too hard
        "Q-tf": _run(25, 0.99, 0.1),  # too easy
        "Q-sa": _run(5, 0.99, -0.5),  # too few students to judge
        "Q-fill": _run(25, 0.6, 0.4),  # fine
        "Q-gone": _run(25, 0.0, -1.0),  # no longer in the bank
    }
    diags = run_checks([_with_stats(bank, stats)])
    assert [(d.rule, d.severity.value) for d in diags] == [("item-stats", "warning")] * 3
    text = (FIXTURES / "bank.yaml").read_text(encoding="utf-8").splitlines()
    by_q = {d.message.split("'")[1]: d for d in diags}
    assert set(by_q) == {"Q-sc", "Q-mr", "Q-tf"}
    for qid, d in by_q.items():
        assert text[d.line - 1].strip() == f"- id: {qid}"
    assert "negative discrimination r = -0.20" in by_q["Q-sc"].message
    assert "very hard" in by_q["Q-mr"].message and "very easy" in by_q["Q-tf"].message


def test_studygen_check_reads_the_stats_file_beside_the_bank(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from studygen.sources.statsfile import dump

    (work / "bank.stats.json").write_bytes(dump("grade-fixture", {"Q-sc": _run(30, 0.5, -0.3)}))
    bank = load_banks([work / "bank.yaml"]).banks
    assert [d.rule for d in run_checks(bank)] == ["item-stats"]
    assert [d.rule for d in run_checks(bank, ["item-stats"])] == []
    assert main(["check", str(work / "bank.yaml")]) == 0  # a warning, not an error
    assert "warning item-stats question 'Q-sc' has negative discrimination" in capsys.readouterr().out
    (work / "bank.stats.json").write_text("{not json", encoding="utf-8")
    loaded = load_banks([work / "bank.yaml"])
    assert loaded.ok and loaded.banks[0].stats == {}, "a broken stats file does not stop the bank from loading"
    (diag,) = loaded.diagnostics
    assert (diag.rule, diag.severity.value) == ("item-stats", "warning")
    assert "bank.stats.json:1:2: not valid JSON" in diag.message
    assert run_checks(loaded.banks) == []


def test_real_bank_grades_from_its_key_if_present() -> None:
    real = Path(__file__).parent.parent / "question_banks" / "seoul-moscow.yaml"
    if not real.is_file():
        pytest.skip("question_banks/seoul-moscow.yaml is not there yet")
    result = load_banks([real])
    assert result.banks, result.diagnostics
    # every question id in the real bank can carry measured stats without tripping the rule
    bank = result.banks[0]
    stats = {q.id: _run(40, 0.6, 0.3) for q in bank.questions}
    assert [d for d in run_checks([_with_stats(bank, stats)]) if d.rule == "item-stats"] == []

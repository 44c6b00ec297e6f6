"""The grade report is drawn with the documents' PDF/HTML stack: inline markup, the course's paper and fonts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from studygen.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "grade"
NANUM = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for name in ("responses.csv", "bank.yaml", "reading.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    manifest = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))
    for v in manifest["versions"]:
        for item in v["items"]:
            if item["type"] == "multiple_response":
                item["options"] = [o.replace("China", "**not** China") for o in item["options"]]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return tmp_path


def grade(work: Path, *extra: str) -> int:
    return main(["grade", str(work / "manifest.json"), str(work / "responses.csv"), "--out", str(work / "out"), *extra])


def course_file(work: Path, body: str) -> Path:
    path = work / "studygen.yaml"
    path.write_text(f"course: IR\nbanks: [bank.yaml]\n{body}", "utf-8")
    return path


def pdf_runs(pdf: Path) -> list[tuple[str, str]]:
    """(text, font) of every text run the PDF shows."""
    runs: list[tuple[str, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip() and font is not None:
            runs.append((text, str(font.get("/BaseFont", ""))))

    for page in PdfReader(str(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return runs


def test_bold_bank_text_is_bold_in_both_reports(work: Path) -> None:
    assert grade(work) == 1
    page = lxml_html.fromstring((work / "out" / "report.html").read_bytes())
    cells = page.xpath("//td[strong='not']")
    assert cells and "China" in cells[0].text_content() and "**" not in page.text_content()
    runs = pdf_runs(work / "out" / "report.pdf")
    assert not any("**" in text for text, _ in runs), "the PDF prints the markers"
    assert any(text.strip() == "not" and "Bold" in font for text, font in runs), "'not' is drawn in the bold face"
    assert any("China" in text and "Bold" not in font for text, font in runs)


def test_reports_follow_the_course_paper_and_language(work: Path) -> None:
    config = course_file(work, "paper: Letter\nlanguage: ko\n")
    assert grade(work, "--config", str(config)) == 1
    box = PdfReader(str(work / "out" / "report.pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    raw = (work / "out" / "report.html").read_text("utf-8")
    assert '<html lang="ko">' in raw and "@page { size: letter;" in raw
    assert grade(work) == 1, "without a course file: A4"
    box = PdfReader(str(work / "out" / "report.pdf")).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


@pytest.mark.skipif(not NANUM.is_file(), reason="no Nanum Gothic to copy")
def test_reports_use_the_course_hangul_font(work: Path) -> None:
    shutil.copy(NANUM, work / "MyHangul.ttf")
    config = course_file(work, "hangul_font: MyHangul.ttf\n")
    assert grade(work, "--config", str(config)) == 1
    fonts = {font for _, font in pdf_runs(work / "out" / "report.pdf")}
    hangul = [text for text, font in pdf_runs(work / "out" / "report.pdf") if "한국어" in text]
    assert hangul and any("Nanum" in f for f in fonts), fonts


def test_a_bad_course_file_is_a_clear_error(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = course_file(work, "paper: A3\n")
    assert grade(work, "--config", str(config)) == 2
    err = capsys.readouterr().err
    assert "studygen.yaml:3:8: error course paper is text 'A3'" in err and "Traceback" not in err
    assert not (work / "out").exists()

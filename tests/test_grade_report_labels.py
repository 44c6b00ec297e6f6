"""The grade report speaks the course's language: every fixed word is a course label, in HTML and PDF alike."""

from __future__ import annotations

import json
import shutil
import string
from pathlib import Path

import yaml
from pypdf import PdfReader

from studygen.cli import main
from studygen.course import DEFAULT_LABELS

FIXTURES = Path(__file__).parent / "fixtures" / "grade"

# A few labels in real Korean (what a Korean course would write), the rest as visible stand-ins.
KOREAN = {
    "gr_title": "문항 분석: {quiz}",
    "gr_versions_title": "유형별 신뢰도",
    "gr_items_title": "문항",
    "gr_students_title": "학생",
    "gr_distractors_title": "오답지 분석",
    "student_id": "학번",
    "version": "유형",
    "st_type_single_choice": "단일 선택",
}


def _stand_in(key: str, text: str) -> str:
    """`[key]` followed by the label's own placeholders, so the report can still fill them in."""
    fields = [f"{{{name}}}" for _, name, _, _ in string.Formatter().parse(text) if name]
    return f"[{key}]" + (" " + " ".join(fields) if fields else "")


def test_a_korean_course_gets_a_korean_report_in_html_and_pdf(tmp_path: Path) -> None:
    for name in ("manifest.json", "responses.csv", "bank.yaml", "reading.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    labels = {k: _stand_in(k, v) for k, v in DEFAULT_LABELS.items() if k.startswith("gr_")}
    labels.update(KOREAN)
    course = {"course": "국제관계", "language": "ko", "banks": ["bank.yaml"], "labels": labels}
    (tmp_path / "studygen.yaml").write_text(yaml.safe_dump(course, allow_unicode=True), encoding="utf-8")
    args = ["grade", str(tmp_path / "manifest.json"), str(tmp_path / "responses.csv"), "--out", str(tmp_path / "out")]
    assert main([*args, "--config", str(tmp_path / "studygen.yaml")]) == 1  # the fixture has bad rows

    html = " ".join((tmp_path / "out" / "report.html").read_text("utf-8").split())
    reader = PdfReader(tmp_path / "out" / "report.pdf")
    pdf = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    quiz = json.loads((tmp_path / "manifest.json").read_text("utf-8"))["quiz"]
    for text in (html.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"), pdf):
        assert f"문항 분석: {quiz}" in text
        for word in ("유형별 신뢰도", "오답지 분석", "학번", "단일 선택", "[gr_kr20_note]", "[gr_items_note] 4"):
            assert word in text, word
        # No English default wording is left: each of these is a whole label's default text.
        for key in ("gr_versions_title", "gr_items_title", "gr_distractors_title", "gr_kr20_note", "gr_no_anova"):
            assert DEFAULT_LABELS[key] not in text, key
        for english in ("Item analysis", "student(s) graded", "Statistics are pooled", "Rows not graded", "(key)"):
            assert english not in text, english
    assert '<th scope="col">[gr_alpha]</th>' in html and '<a href="#skipped">[gr_listed_below]</a>' in html

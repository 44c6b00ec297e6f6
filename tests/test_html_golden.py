"""Golden files for every HTML document; regenerate with `STUDYGEN_REGEN_GOLDEN=1 pytest tests/test_html_golden.py`.

A golden diff is a change students will see: review it like a code change.
"""

from __future__ import annotations

import difflib
import os
import random
from pathlib import Path

import pytest

from studygen.course import DEFAULT_LABELS, Blueprint, Course
from studygen.model import Bank
from studygen.select import make_quiz
from studygen.sources.banks import load_banks
from studygen.targets.html import HtmlRenderer, IndexRow, IndexSection, Link
from studygen.versions import Quiz

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "pipeline"
GOLDEN = HERE / "golden" / "html"
REGEN = os.environ.get("STUDYGEN_REGEN_GOLDEN") == "1"

KOREAN = {
    **DEFAULT_LABELS,
    "name": "이름",
    "student_id": "학번",
    "version": "유형",
    "instructions": "모든 문항에 답하시오.",
    "page_x_of_y": "{page} / {pages} 쪽",
    "total_points": "총점",
    "points": "점",
    "point": "점",
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    result = load_banks([FIXTURES / "hostile.yaml"])
    assert result.ok, result.diagnostics
    return result.banks[0]


@pytest.fixture(scope="module")
def course() -> Course:
    return Course(root=FIXTURES, title="IR 210 <Korea> & the Great Powers", instructor="Dr. Park", term="Fall 2024")


@pytest.fixture(scope="module")
def quiz(bank: Bank) -> Quiz:
    return make_quiz("golden", "Golden quiz", [bank], Blueprint(questions=10), 2, 3, random.Random(3))


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    if not path.exists():
        pytest.fail(f"missing golden file {path}; run STUDYGEN_REGEN_GOLDEN=1 pytest {__file__}")
    want = path.read_text("utf-8")
    got = data.decode("utf-8")
    if got != want:
        diff = "".join(
            list(difflib.unified_diff(want.splitlines(True), got.splitlines(True), str(path), "rendered"))[:60]
        )
        pytest.fail(f"{name} differs from its golden file (regenerate with STUDYGEN_REGEN_GOLDEN=1):\n{diff}")


def test_quiz_and_key(course: Course, quiz: Quiz) -> None:
    r = HtmlRenderer(course)
    v = quiz.versions[0]
    check_golden("quiz-A.html", r.quiz(quiz, v))
    check_golden("key-A.html", r.key(quiz, v))
    check_golden("quiz-B-large.html", r.quiz(quiz, quiz.versions[1], large=True))
    check_golden("key-B-large.html", r.key(quiz, quiz.versions[1], large=True))


def test_study_guide(course: Course, bank: Bank) -> None:
    check_golden("study-guide.html", HtmlRenderer(course).study_guide(bank))


def test_discussion(course: Course, bank: Bank) -> None:
    r = HtmlRenderer(course)
    check_golden("discussion-student.html", r.discussion(bank, facilitator=False))
    check_golden("discussion-facilitator.html", r.discussion(bank, facilitator=True))


def test_index(course: Course) -> None:
    sections = [
        IndexSection(
            "Quizzes",
            (("Golden <quiz>", (IndexRow("Version A", (Link("Quiz (HTML)", "quizzes/g/g-A.html"),)),)),),
        ),
        IndexSection("Study guide", (("", (IndexRow("Bank & co", (Link("HTML", "study-guide/b.html"),)),)),)),
    ]
    check_golden("index.html", HtmlRenderer(course).index(sections))


def test_korean_course_wording(quiz: Quiz) -> None:
    course = Course(root=FIXTURES, title="국제관계학 210", language="ko", paper="Letter", labels=KOREAN)
    page = HtmlRenderer(course).quiz(quiz, quiz.versions[0])
    check_golden("quiz-A-ko.html", page)
    text = page.decode("utf-8")
    assert '<html lang="ko">' in text and "size: letter;" in text
    assert 'content: counter(page) " / " counter(pages) " \\ucabd ";' not in text  # no escaping of Hangul
    assert 'content: counter(page) " / " counter(pages) " 쪽";' in text
    assert '<label for="student-name">이름</label>' in text and "유형 <strong>A</strong>" in text


def test_course_templates_override_file_by_file(tmp_path: Path, quiz: Quiz) -> None:
    (tmp_path / "reading.html.j2").write_text('<p class="mine">{{ bank.reading.author|upper }}</p>\n', "utf-8")
    course = Course(root=tmp_path, title="IR", templates=tmp_path)
    r = HtmlRenderer(course)
    page = r.study_guide(quiz.banks[0]).decode("utf-8")
    assert '<p class="mine">CHUNG-IN MOON</p>' in page, "the course's template wins"
    assert '<h2 id="summary">' in page, "templates the course does not override stay built-in"


def test_a_typo_in_a_course_template_is_a_clear_error(tmp_path: Path, quiz: Quiz) -> None:
    from studygen.errors import StudygenError

    (tmp_path / "quiz.html.j2").write_text("{% extends 'base.html.j2' %}{% block main %}{{ qiuz.title }}{% endblock %}")
    r = HtmlRenderer(Course(root=tmp_path, title="IR", templates=tmp_path))
    with pytest.raises(StudygenError, match=r"quiz\.html\.j2: 'qiuz' is undefined"):
        r.quiz(quiz, quiz.versions[0])
    (tmp_path / "key.html.j2").write_text("{% if %}")
    with pytest.raises(StudygenError, match=r"key\.html\.j2:1"):
        r.key(quiz, quiz.versions[0])


def test_css_page_label_cannot_break_out_of_style(quiz: Quiz) -> None:
    labels = {**DEFAULT_LABELS, "page_x_of_y": '</style><script>x</script>" {page}'}
    page = HtmlRenderer(Course(root=FIXTURES, labels=labels)).quiz(quiz, quiz.versions[0]).decode("utf-8")
    assert "</style><script>" not in page
    assert '"\\3c /style\\3e \\3c script\\3e x\\3c /script\\3e \\22  " counter(page)' in page


def test_printed_for_marking(course: Course, bank: Bank) -> None:
    """Parts by type (essays last), blueprint points, writing lines per point, the answer column, the grid."""
    from studygen.course import section_order
    from studygen.documents.quiz import marking_grid, quiz_content
    from studygen.model import QuestionType
    from studygen.select import Arrangement

    arranged = Arrangement(section_order(()), ((QuestionType.ESSAY, 6.0),))
    quiz = make_quiz(
        "marked", "Marked quiz", [bank], Blueprint(questions=10), 3, 3, random.Random(3), arrangement=arranged
    )
    r = HtmlRenderer(course)
    v = quiz.versions[0]
    doc = quiz_content(course, quiz, v, answer_column=True, lines_per_point=2)
    check_golden("quiz-A-marking.html", r.quiz(quiz, v, content=doc))
    check_golden("marking-grid.html", r.marking_grid(quiz, marking_grid(course, quiz)))

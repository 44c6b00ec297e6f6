"""The course file: strict loading, file:line:col diagnostics, defaults and path resolution."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from studygen.cli import main
from studygen.course import DEFAULT_LABELS, Course
from studygen.errors import StudygenError
from studygen.sources.coursefile import load_course

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"


def write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "banks").mkdir(exist_ok=True)
    (tmp_path / "banks" / "a.yaml").write_text("placeholder: the loader only checks that it exists\n")
    path = tmp_path / "studygen.yaml"
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(StudygenError) as info:
        load_course(path)
    return [d.format_text() for d in info.value.diagnostics] or [info.value.message]


def test_minimal_course_gets_defaults_and_resolves_paths(tmp_path: Path) -> None:
    path = write(tmp_path, "course: IR 101\nbanks: [banks/a.yaml]\n")
    course = load_course(path)
    assert course.title == "IR 101"
    assert course.banks == (tmp_path.resolve() / "banks" / "a.yaml",)
    assert course.output == tmp_path.resolve() / "output"
    assert course.paper == "A4" and course.language == "en"
    assert course.labels == DEFAULT_LABELS
    assert course.quizzes == ()
    assert course.documents is None, "no `documents:`: the registry's defaults"


def test_full_course(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = write(
        tmp_path,
        """
        course: "IR 210: 한국과 강대국"
        instructor: Dr. Park
        institution: Yonsei
        term: 2024
        paper: Letter
        logo: logo.png
        templates: tpl
        language: ko
        labels:
          name: 이름
          page_x_of_y: "{page} / {pages} 쪽"
        banks: [banks]
        output: build-out
        quizzes:
          - id: q1
            title: Quiz 1
            versions: 4
            seed: 7
            formats: [html]
            large_print: true
            blueprint:
              questions: 5
              per_type: {single_choice: 3, essay: 1}
              per_difficulty: {1: 2, 3: 1}
              per_bloom: {remember: 2}
              per_topic: {un: 1}
              topics: [un, ties]
              difficulty: [1, 3]
              bloom: [remember, analyze]
        study_guide: false
        discussion: false
        self_test: false
        exports: [json, gift]
        """,
    )
    c = load_course(path)
    assert c.term == "2024", "a plain number in a text field stays text"
    assert c.paper == "Letter" and c.language == "ko"
    assert c.logo == tmp_path.resolve() / "logo.png" and c.templates == tmp_path.resolve() / "tpl"
    assert c.logo_data == b"\x89PNG\r\n\x1a\n", "the loader reads the logo; renderers never open files"
    assert c.label("name") == "이름" and c.label("student_id") == "Student ID"
    assert c.label("page_x_of_y", page=2, pages=5) == "2 / 5 쪽"
    q = c.quizzes[0]
    assert (q.id, q.versions, q.seed, q.formats, q.large_print) == ("q1", 4, 7, ("html",), True)
    assert q.blueprint.per_type == {"single_choice": 3, "essay": 1}
    assert q.blueprint.per_difficulty == {1: 2, 3: 1}
    assert q.blueprint.difficulty == (1, 3) and q.blueprint.topics == ("un", "ties")
    assert c.exports == ("json", "gift")
    assert c.documents == ("quiz", "key", "marking_grid"), "the old booleans still switch documents off"
    assert c.output == tmp_path.resolve() / "build-out"


def test_unknown_key_is_reported_at_its_line_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nquizes: []\n")
    assert problems(path) == [
        f"{path}:3:1: error course unknown key 'quizes' in the course file; did you mean 'quizzes'?"
    ]


def test_unknown_export_target_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nexports: [json, mooodle]\n")
    assert problems(path) == [
        f"{path}:3:17: error course exports[1] is text 'mooodle'; expected one of: json, moodle, gift, qti, anki, csv;"
        " did you mean 'moodle'?"
    ]


def test_nested_problems_are_all_reported_with_positions(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        course: IR
        banks: [banks/a.yaml]
        paper: A5
        quizzes:
          - id: q1
            title: Q
            versions: three
            blueprint: {questions: 5, per_type: {multiple_choice: 2}, diffculty: [1]}
        """,
    )
    found = problems(path)
    assert any(":3:8:" in p and "expected one of: A4, Letter" in p for p in found), found
    assert any(":7:15:" in p and "must be a whole number" in p for p in found), found
    assert any(":8:" in p and "'diffculty'" in p and "did you mean 'difficulty'" in p for p in found), found
    assert any(":8:" in p and "multiple_choice" in p for p in found), found


def test_missing_files_point_at_the_entry(tmp_path: Path) -> None:
    path = write(tmp_path, "course: IR\nbanks:\n  - banks/a.yaml\n  - banks/missing.yaml\ntemplates: nowhere\n")
    found = problems(path)
    assert any(f"{path}:4:5:" in p and "bank 'banks/missing.yaml' does not exist" in p for p in found), found
    assert any(":5:12:" in p and "templates folder 'nowhere' does not exist" in p for p in found), found


def test_semantic_checks(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        course: IR
        banks: [banks/a.yaml]
        labels: {page_x_of_y: "Page {page} of {total}", name: "Name {", order_position: "{n}번째 {x}"}
        quizzes:
          - {id: q, title: A, blueprint: {questions: 2, per_type: {essay: 3}}}
          - {id: q, title: B, formats: [pdf, pdf]}
        """,
    )
    found = "\n".join(problems(path))
    assert "label 'page_x_of_y' has invalid braces; use {page} and {pages}" in found
    assert "label 'name' has invalid braces" in found
    assert "label 'order_position' has invalid braces; use {n}" in found
    assert "per_type asks for 3 questions but the quiz has only 2" in found
    assert "quiz id 'q' is used twice" in found
    assert "names a format twice" in found


def test_strict_yaml_applies_to_course_files(tmp_path: Path) -> None:
    path = write(tmp_path, "course: IR\ncourse: again\nbanks: [banks/a.yaml]\n")
    assert any("duplicate key 'course'" in p for p in problems(path))
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nstudy_guide: yes\n")
    assert any("must be true or false" in p for p in problems(path))


def test_missing_course_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StudygenError, match=r"cannot read course file .*no such file.*--config"):
        load_course(tmp_path / "nope.yaml")


def test_cli_reports_course_problems_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nquizes: []\n")
    assert main(["build", "--config", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3:1:" in err and "did you mean 'quizzes'" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_course_label_defaults() -> None:
    c = Course(root=REPO)
    assert c.label("page_x_of_y", page=1, pages=3) == "Page 1 of 3"
    assert c.label("no-such-label") == "no-such-label"


@pytest.mark.skipif(not (REPO / "question_banks" / "seoul-moscow.yaml").exists(), reason="real bank not present")
def test_bundled_course_file_loads() -> None:
    c = load_course(REPO / "studygen.yaml")
    assert c.banks == (REPO / "question_banks" / "seoul-moscow.yaml",)
    assert c.output == REPO / "output"
    assert [q.id for q in c.quizzes] == ["reading-check", "quiz-1", "midterm"]
    assert any(q.large_print for q in c.quizzes) and c.documents is not None and "self_test" in c.documents


def test_fixture_course_file_loads() -> None:
    c = load_course(FIXTURES / "course.yaml")
    assert c.banks == (FIXTURES / "hostile.yaml",)


def test_moodle_ordering_switch(tmp_path: Path) -> None:
    assert load_course(write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\n")).moodle_ordering == "ordering"
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nmoodle: {ordering: matching}\n")
    assert load_course(path).moodle_ordering == "matching"
    bad = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nmoodle:\n  ordering: ranking\n")
    [problem] = problems(bad)
    assert problem.startswith(f"{bad}:4:13: error course moodle.ordering") and "ordering, matching" in problem


def test_documents_list_chooses_what_is_built(tmp_path: Path) -> None:
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\ndocuments: [quiz, key, study_guide]\n")
    assert load_course(path).documents == ("quiz", "key", "study_guide")
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\ndiscussion: false\n")
    assert load_course(path).documents == ("quiz", "key", "study_guide", "study_handout", "self_test", "marking_grid")
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nself_test: true\n")
    assert load_course(path).documents == (
        "quiz",
        "key",
        "study_guide",
        "study_handout",
        "discussion",
        "self_test",
        "marking_grid",
    )
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nstudy_guide: false\n")
    assert load_course(path).documents == ("quiz", "key", "discussion", "self_test", "marking_grid"), (
        "a course that switched the study guide off before the handout existed gets neither"
    )
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nstudy_guide: false\nstudy_handout: true\n")
    assert load_course(path).documents == ("quiz", "key", "study_handout", "discussion", "self_test", "marking_grid")
    path = write(
        tmp_path, "course: IR\nbanks: [banks/a.yaml]\ndocuments: [study_guide, discussion]\ndiscussion: true\n"
    )
    assert load_course(path).documents == ("study_guide", "discussion"), "an alias that agrees is fine"


def test_unknown_document_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\ndocuments: [quiz, study_giude]\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:3:19: error course documents[1] is text 'study_giude'; expected one of: quiz, ")
    assert message.endswith("did you mean 'study_guide'?")
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\ndocuments: [manifest]\n")
    assert "expected one of: quiz, key, study_guide, study_handout, discussion, self_test" in problems(path)[0], (
        "the manifest is always built, so it is not offered"
    )


def test_documents_named_twice_or_contradicted(tmp_path: Path) -> None:
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\ndocuments: [quiz, quiz]\nself_test: true\n")
    assert problems(path) == [
        f"{path}:3:19: error course documents[1] names 'quiz' twice (first at [0])",
        f"{path}:4:12: error course self_test: true contradicts documents: [quiz, quiz]; `self_test` is the older "
        "spelling of listing it under documents, so remove it",
    ]


def test_quiz_formats_come_from_the_registry(tmp_path: Path) -> None:
    body = "course: IR\nbanks: [banks/a.yaml]\nquizzes:\n  - {id: q, title: Q, formats: [pdf, docx]}\n"
    [message] = problems(write(tmp_path, body))
    assert "formats[1] is text 'docx'; expected one of: pdf, html" in message

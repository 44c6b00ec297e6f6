"""Printed quizzes for marking (issue 16): parts by type, openings, points, answer column, grid, print pack.

Orders are hypothesis properties over seeds; the PDFs are read back with pypdf, as a marker
would read them (what is on which page, in which order).
"""

from __future__ import annotations

import json
import math
import random
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from test_pdf_support import REAL_BANK, load
from test_select import bank as bank_strategy

from studygen.cli import main
from studygen.course import SECTION_ORDER, Blueprint, Course, section_order
from studygen.documents.quiz import essay_lines, quiz_content
from studygen.errors import StudygenError
from studygen.model import Bank, QuestionType
from studygen.select import CHECKPOINT, Arrangement, make_quiz, opening
from studygen.sources.coursefile import load_course
from studygen.versions import Quiz

SECTIONED = Arrangement(section_order(()))
ESSAY_SIX = Arrangement(section_order(()), ((QuestionType.ESSAY, 6.0), (QuestionType.SHORT_ANSWER, 2.0)))
PER_TYPE = {
    "single_choice": 4,
    "multiple_response": 2,
    "true_false": 2,
    "matching": 1,
    "ordering": 1,
    "fill_blank": 1,
    "short_answer": 1,
    "essay": 1,
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def real() -> Bank:
    return load(REAL_BANK)


def quiz_of(bank: Bank, versions: int, seed: int, arrangement: Arrangement = SECTIONED) -> Quiz:
    bp = Blueprint(questions=13, per_type=PER_TYPE)
    return make_quiz("m", "Marked", [bank], bp, versions, seed, random.Random(seed), arrangement=arrangement)


def first_part_size(quiz: Quiz, version: int) -> int:
    items = quiz.versions[version].items
    if not quiz.sections:
        return len(items)
    return sum(1 for i in items if i.type is items[0].type)


@settings(max_examples=40, deadline=None)
@given(bank_strategy(), st.integers(0, 2**32 - 1), st.integers(2, 9), st.booleans())
def test_neighbouring_versions_never_open_with_the_same_question(b: Bank, seed: int, n: int, parts: bool) -> None:
    """Whenever the first part holds two questions or more, version k+1 opens with another than version k."""
    questions = max(1, len(b.questions) // 2)
    arrangement = SECTIONED if parts else Arrangement()
    quiz = make_quiz(
        "q", "Q", [b], Blueprint(questions=questions), n, seed, random.Random(seed), arrangement=arrangement
    )
    for k in range(1, n):
        if first_part_size(quiz, k) >= 2:
            assert opening(quiz.versions[k]) != opening(quiz.versions[k - 1]), f"versions {k - 1} and {k}"


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_opening_rule_holds_across_lazy_checkpoints(seed: int) -> None:
    """Version 64 is remade from a checkpoint: it still knows what version 63 opened with."""
    b = load()
    quiz = make_quiz("q", "Q", [b], Blueprint(questions=6), CHECKPOINT + 2, seed, random.Random(seed))
    made = list(quiz.versions)
    for k in range(1, len(made)):
        assert opening(made[k]) != opening(made[k - 1])
    assert quiz.versions[CHECKPOINT] == made[CHECKPOINT], "a version remade from its checkpoint is the same"


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.lists(st.sampled_from([t.value for t in SECTION_ORDER]), unique=True))
def test_parts_follow_the_section_order_and_keep_every_question(seed: int, named: list[str]) -> None:
    b = load(REAL_BANK)
    order = section_order(named)
    quiz = quiz_of(b, 3, seed, Arrangement(order))
    rank = {t: i for i, t in enumerate(order)}
    first = quiz_of(b, 1, seed, Arrangement()).versions[0]
    for v in quiz.versions:
        ranks = [rank[i.type] for i in v.items]
        assert ranks == sorted(ranks), "items are grouped by type in the section order"
        assert [i.number for i in v.items] == list(range(1, len(v.items) + 1))
        assert {i.question.id for i in v.items} == {i.question.id for i in first.items}
    if "essay" not in named:
        assert all(v.items[-1].type is QuestionType.ESSAY for v in quiz.versions), "essays last by default"


def test_sections_default_to_one_shuffled_run(real: Bank) -> None:
    """A course file without `sections` keeps today's order: already printed quizzes still match."""
    plain = quiz_of(real, 2, 210, Arrangement())
    assert not plain.sections
    content = quiz_content(Course(root=REAL_BANK.parent), plain, plain.versions[0])
    assert content.sections == () and content.parts() == [(None, content.items)]


def test_blueprint_points_and_writing_space(real: Bank) -> None:
    quiz = quiz_of(real, 2, 5, ESSAY_SIX)
    course = Course(root=REAL_BANK.parent)
    for v in quiz.versions:
        essay = [i for i in v.items if i.type is QuestionType.ESSAY]
        assert [i.points for i in essay] == [6.0]
        assert all(i.points == 2.0 for i in v.items if i.type is QuestionType.SHORT_ANSWER)
    doc = quiz_content(course, quiz, quiz.versions[0], lines_per_point=2.5)
    [view] = [i for i in doc.items if i.type is QuestionType.ESSAY]
    assert view.lines == math.ceil(6 * 2.5) == 15 and view.points_text == "6 points"
    assert essay_lines(1, None) == 6 and essay_lines(6, None) == 16, "the default rule is unchanged"
    assert doc.sections[-1].title == "Part H: Essay" and doc.sections[-1].points == 6.0


COURSE = """\
course: IR 210
banks: [{bank}]
documents: [quiz, key, marking_grid]
quizzes:
  - id: q1
    title: Quiz one
    versions: 3
    seed: 11
    formats: [pdf, html]
    sections: by_type
    answer_column: true
    lines_per_point: 2
    print_pack: quizzes_and_keys
    blueprint:
      questions: 13
      points: {{essay: 6}}
      per_type: {per_type}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("marking")
    (root / "studygen.yaml").write_text(COURSE.format(bank=REAL_BANK, per_type=json.dumps(PER_TYPE)), "utf-8")
    assert main(["build", "--config", str(root / "studygen.yaml")]) == 0
    return root / "output" / "quizzes" / "q1"


def pages(path: Path) -> list[str]:
    return [p.extract_text() for p in PdfReader(str(path)).pages]


def test_quiz_pdf_has_parts_points_and_an_answer_column(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text("utf-8"))
    for v in manifest["versions"]:
        text = pages(built / v["files"]["quiz_pdf"])
        first = squash(text[0])
        assert "Answers" in text[0]
        for item in v["items"]:
            assert f"{item['number']}." in text[0], "every item has its box on page 1"
        assert "/6" in first, "the essay's box shows its points for the marker"
        whole = squash("".join(text))
        parts = [whole.index(squash(f"Part {p}:")) for p in "ABCDEFGH"]
        assert parts == sorted(parts)
        assert whole.index("PartH:Essay(6points)") > whole.index("PartG:"), "the essay is the last part"
        assert "(6points)" in whole[parts[-1] :]


def test_marking_grid_gives_every_versions_answer_by_number(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text("utf-8"))
    text = squash("".join(pages(built / "q1-marking-grid.pdf")))
    assert "VersionAVersionBVersionC" in text
    for n in range(1, 14):
        keys = []
        for v in manifest["versions"]:
            item = v["items"][n - 1]
            if item["type"] in ("single_choice", "multiple_response", "true_false"):
                keys.append("".join(item["correct"]))
        if keys:
            assert len(keys) == 3 and squash(f"{n}.") + "".join(keys) in text, f"row {n} reads across the versions"


def test_marking_grid_draws_every_answer_in_one_colour(built: Path) -> None:
    """One-line answers (replayed strings) and wrapped ones (paragraphs) look alike: a marker
    would read a colour difference as meaning something."""
    import pdfplumber

    with pdfplumber.open(built / "q1-marking-grid.pdf") as pdf:
        page = pdf.pages[0]
        header = next(w for w in page.extract_words() if w["text"] == "Version")
        number_edge = header["x0"] - 1
        colours = {
            tuple(c["non_stroking_color"] or ())
            for c in page.chars
            if c["top"] > header["bottom"] + 2
            and c["x0"] >= number_edge
            and c["text"].strip()
            and c["top"] < page.height - 60
        }
    assert len(colours) == 1, f"answer cells in {len(colours)} colours: {sorted(colours)}"


def test_print_packs_hold_every_version_each_from_a_front_page(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text("utf-8"))
    pack = PdfReader(str(built / "q1-print-pack.pdf"))
    at = 0
    for v in manifest["versions"]:
        single = pages(built / v["files"]["quiz_pdf"])
        part = [p.extract_text() for p in pack.pages[at : at + len(single)]]
        assert [squash(t) for t in part] == [squash(t) for t in single], f"version {v['label']} as printed alone"
        at += len(single)
        if len(single) % 2:
            assert "intentionally blank" in pack.pages[at].extract_text()
            at += 1
    assert at == len(pack.pages)
    keys = pages(built / "q1-keys-pack.pdf")
    assert "Marking grid, all versions" in keys[0]
    assert sum("Answer key · Version" in t for t in keys) >= len(manifest["versions"])


def test_index_lists_the_marking_documents(built: Path) -> None:
    index = (built.parents[1] / "index.html").read_text("utf-8")
    for name in ("q1-marking-grid.pdf", "q1-marking-grid.html", "q1-print-pack.pdf", "q1-keys-pack.pdf"):
        assert f'href="quizzes/q1/{name}"' in index


def test_course_file_options_are_validated(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text("x: 1\n")
    body = textwrap.dedent(
        """\
        course: IR
        banks: [b.yaml]
        quizzes:
          - id: q
            title: Q
            section_order: [essay, single_choice]
            print_pack: everything
        """
    )
    (tmp_path / "studygen.yaml").write_text(body)
    with pytest.raises(StudygenError) as info:
        load_course(tmp_path / "studygen.yaml")
    [problem] = [d.format_text() for d in info.value.diagnostics]
    assert ":7:" in problem and "print_pack" in problem and "quizzes_and_keys" in problem
    (tmp_path / "studygen.yaml").write_text(body.replace("    print_pack: everything\n", ""))
    spec = load_course(tmp_path / "studygen.yaml").quizzes[0]
    assert spec.sections[:2] == ("essay", "single_choice") and len(spec.sections) == len(SECTION_ORDER)


def test_the_documented_example_builds(tmp_path: Path) -> None:
    doc = (Path(__file__).parents[1] / "docs" / "course-file.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if "print_pack: quizzes_and_keys" in b)
    head = f"course: IR 210\nbanks: [{REAL_BANK}]\ndocuments: [quiz, key, marking_grid]\n"
    (tmp_path / "studygen.yaml").write_text(
        head + block.replace("    seed: 210\n", "    seed: 210\n    formats: [pdf]\n")
    )
    assert main(["build", "--config", str(tmp_path / "studygen.yaml")]) == 0
    folder = tmp_path / "output" / "quizzes" / "quiz-1"
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert [i["points"] for i in manifest["versions"][0]["items"]][-1] == 6, "the essay, last, worth 6"
    assert len(PdfReader(str(folder / "quiz-1-print-pack.pdf")).pages) % 2 == 0
    assert (folder / "quiz-1-keys-pack.pdf").exists() and (folder / "quiz-1-marking-grid.pdf").exists()

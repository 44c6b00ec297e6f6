"""Pools through the course file and the CLI: file:line:col errors, quiz banks, manifests, grading at 100 %."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from lxml import html as lxml_html

from studygen.cli import main
from studygen.errors import StudygenError
from studygen.sources.coursefile import load_course

REPO = Path(__file__).resolve().parents[1]
REAL = REPO / "question_banks" / "seoul-moscow.yaml"
PLAIN = Path(__file__).parent / "fixtures" / "exports"

pytestmark = pytest.mark.skipif(not REAL.exists(), reason="real bank not present")


def course(tmp_path: Path, body: str, *, banks: tuple[str, ...] = ("question_banks/seoul-moscow.yaml",)) -> Path:
    """A course in tmp_path over the real bank (and optionally the small `plain` bank)."""
    if not (tmp_path / "question_banks").exists():
        (tmp_path / "question_banks").symlink_to(REPO / "question_banks")
        (tmp_path / "seeds").symlink_to(REPO / "seeds")
        (tmp_path / "extra").mkdir()
        shutil.copy(PLAIN / "plain.yaml", tmp_path / "extra" / "plain.yaml")
        shutil.copy(PLAIN / "reading.txt", tmp_path / "extra" / "reading.txt")
    lines = "\n".join(f"  - {b}" for b in banks)
    text = f"course: IR\nbanks:\n{lines}\nstudy_guide: false\ndiscussion: false\nself_test: false\n"
    path = tmp_path / "studygen.yaml"
    path.write_text(text + textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def build(path: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["build", "--config", str(path), "--out", str(out)])
    return code, capsys.readouterr().err


POOLS = """
quizzes:
  - id: week1
    title: Week 1
    banks: [seoul-moscow]
    versions: 4
    seed: 3
    formats: [html]
    blueprint:
      draw: per_version
      pools:
        - name: recall
          questions: 6
          types: [single_choice, true_false]
          bloom: [remember, understand]
        - name: analysis
          questions: 3
          types: [single_choice, multiple_response, matching, ordering, short_answer, fill_blank]
          bloom: [analyze, evaluate]
"""


def _line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if needle in line)


def _key_cell(item: dict) -> str:
    t, correct = item["type"], item["correct"]
    if t in ("matching", "ordering"):
        return " ".join(correct)
    if t in ("single_choice", "multiple_response", "true_false"):
        return "".join(correct)
    if t == "short_answer":
        return correct[0]
    if t == "fill_blank":
        return "|".join(b[0] for b in correct)
    return str(item["points"])


def test_per_version_quiz_is_drawn_recorded_and_grades_the_key_at_100(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = course(tmp_path, POOLS)
    code, err = build(path, tmp_path / "out", capsys)
    assert code == 0, err
    assert re.search(r"quiz 'week1': each version drew its own questions; expected mean score A \d+\.\d %", err)
    manifest_path = tmp_path / "out" / "quizzes" / "week1" / "manifest.json"
    m = json.loads(manifest_path.read_text("utf-8"))
    sets = [frozenset(i["question_id"] for i in v["items"]) for v in m["versions"]]
    assert len(set(sets)) == 4, "versions should ask different questions"
    assert all(len(s) == 9 for s in sets)
    balance = m["balance"]
    assert balance["draw"] == "per_version" and balance["spread"] <= balance["tolerance"] == 2.0
    assert [v["label"] for v in balance["versions"]] == ["A", "B", "C", "D"]
    # The quiz and key pages show each version's own questions, in manifest order.
    folder = tmp_path / "out" / "quizzes" / "week1"
    for v in m["versions"]:
        page = lxml_html.fromstring((folder / v["files"]["quiz_html"]).read_bytes())
        key = lxml_html.fromstring((folder / v["files"]["key_html"]).read_bytes())
        assert len(page.xpath("//li[contains(concat(' ', @class, ' '), ' question ')]")) == len(v["items"])
        grid = [" ".join(li.text_content().split()) for li in key.xpath("//ol[contains(@class, 'key-grid')]/li")]
        choice_items = [i for i in v["items"] if i["type"] in ("single_choice", "multiple_response", "true_false")]
        for item in choice_items:
            assert f"{item['number']}. {''.join(item['correct'])}" in grid
    # A class answering from the key scores 100 % in every version.
    numbers = sorted({i["number"] for v in m["versions"] for i in v["items"]})
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["student_id", "version", *map(str, numbers)])
    for v in m["versions"]:
        cells = {i["number"]: _key_cell(i) for i in v["items"]}
        for s in range(3):
            w.writerow([f"s{v['label']}{s}", v["label"], *(cells.get(n, "") for n in numbers)])
    responses = tmp_path / "responses.csv"
    responses.write_text(buf.getvalue(), encoding="utf-8")
    graded = tmp_path / "graded"
    assert main(["grade", str(manifest_path), str(responses), "--out", str(graded)]) == 0
    grades = list(csv.DictReader(io.StringIO((graded / "grades.csv").read_text(encoding="utf-8"))))
    assert len(grades) == 12 and all(g["percent"] == "100" for g in grades), grades
    # Item analysis pools by question id: one row per distinct question asked in any version.
    items = list(csv.DictReader(io.StringIO((graded / "item-analysis.csv").read_text(encoding="utf-8"))))
    assert len(items) == len(frozenset().union(*sets))
    # The fairness table shows what the build expected of each version beside what the class scored.
    report = lxml_html.fromstring((graded / "report.html").read_bytes())
    table = report.xpath("//h2[@id='versions']/following::table[1]")[0]
    heads = [th.text_content() for th in table.xpath(".//thead//th")]
    assert heads[3] == "Expected %"
    rows = {
        tr.xpath("./th")[0].text_content(): [td.text_content() for td in tr.xpath("./td")]
        for tr in table.xpath(".//tbody/tr")
    }
    for v in balance["versions"]:
        assert rows[v["label"]][2] == f"{v['expected_mean']:.1f}" and rows[v["label"]][3] == "100.0"


def test_same_seed_same_versions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = course(tmp_path, POOLS)
    assert build(path, tmp_path / "a", capsys)[0] == 0
    assert build(path, tmp_path / "b", capsys)[0] == 0
    for f in sorted((tmp_path / "a" / "quizzes").rglob("*")):
        if f.is_file():
            assert f.read_bytes() == (tmp_path / "b" / f.relative_to(tmp_path / "a")).read_bytes(), f


def test_adding_a_bank_never_changes_a_quiz_that_does_not_name_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = course(tmp_path, POOLS)
    assert build(path, tmp_path / "before", capsys)[0] == 0
    path = course(tmp_path, POOLS, banks=("question_banks/seoul-moscow.yaml", "extra/plain.yaml"))
    code, err = build(path, tmp_path / "after", capsys)
    assert code == 0, err
    before = sorted(p.relative_to(tmp_path / "before") for p in (tmp_path / "before" / "quizzes").rglob("*"))
    after = sorted(p.relative_to(tmp_path / "after") for p in (tmp_path / "after" / "quizzes").rglob("*"))
    assert before == after
    for rel in before:
        if (tmp_path / "before" / rel).is_file():
            assert (tmp_path / "before" / rel).read_bytes() == (tmp_path / "after" / rel).read_bytes(), rel


def test_a_quiz_without_banks_is_refused_once_there_are_several(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = """
    quizzes:
      - id: week1
        title: Week 1
        formats: [html]
    """
    path = course(tmp_path, body, banks=("question_banks/seoul-moscow.yaml", "extra/plain.yaml"))
    code, err = build(path, tmp_path / "out", capsys)
    assert code != 0
    line = _line_of(path, "- id: week1")
    assert f"studygen.yaml:{line}:" in err
    assert "the course has 2 banks (seoul-moscow, plain) and the quiz does not say which it draws from" in err
    assert "add `banks: [seoul-moscow]`" in err
    assert not (tmp_path / "out").exists()


def test_quiz_banks_by_path_and_unknown_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = """
    quizzes:
      - id: plain-only
        title: Plain
        banks: [extra/plain.yaml]
        versions: 2
        formats: [html]
        blueprint: {questions: 2}
    """
    path = course(tmp_path, body, banks=("question_banks/seoul-moscow.yaml", "extra/plain.yaml"))
    assert build(path, tmp_path / "out", capsys)[0] == 0
    m = json.loads((tmp_path / "out" / "quizzes" / "plain-only" / "manifest.json").read_text("utf-8"))
    assert {i["bank"] for v in m["versions"] for i in v["items"]} == {"plain"}
    path.write_text(path.read_text("utf-8").replace("[extra/plain.yaml]", "[plian]"), "utf-8")
    code, err = build(path, tmp_path / "out2", capsys)
    assert code != 0
    assert f"studygen.yaml:{_line_of(path, '[plian]')}:" in err and "'plian' is neither the id nor the path" in err


def test_a_too_small_pool_fails_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = POOLS.replace("questions: 3\n", "questions: 300\n")
    path = course(tmp_path, body)
    code, err = build(path, tmp_path / "out", capsys)
    assert code != 0
    line = _line_of(path, "questions: 300")
    col = path.read_text("utf-8").splitlines()[line - 1].index("300") + 1
    assert f"studygen.yaml:{line}:{col}: error course quiz 'week1': pools[1] 'analysis' asks for 300" in err, err
    assert not (tmp_path / "out").exists()


def test_an_impossible_tolerance_fails_at_the_slot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = """
    quizzes:
      - id: tight
        title: Tight
        versions: 2
        formats: [html]
        blueprint:
          draw: per_version
          tolerance: 1
          pools:
            - name: mixed
              questions: 1
              ids: [Q-sm-tf-chang-bias, Q-sm-es-thesis]
    """
    path = course(tmp_path, body)
    code, err = build(path, tmp_path / "out", capsys)
    assert code != 0
    line = _line_of(path, "- name: mixed")
    assert f"studygen.yaml:{line}:" in err, err
    assert "more than the tolerance of 1; pools[0] 'mixed' accounts for" in err
    assert "raise `tolerance`" in err


@pytest.mark.parametrize(
    ("blueprint", "needle", "message"),
    [
        (
            "{pools: [{questions: 2}], per_type: {essay: 1}}",
            "per_type",
            "blueprint.per_type cannot be combined with pools",
        ),
        ("{pools: [{questions: 2}], questions: 5}", "questions: 5", "its pools add up to 2"),
        ("{tolerance: 3}", "tolerance", "tolerance applies only to `draw: per_version`"),
        ("{draw: per_version, per_type: {essay: 1}}", "per_type", "cannot be used with `draw: per_version`"),
        ("{pools: [{questions: 1, tpyes: [essay]}]}", "tpyes", "tpyes"),
        ("{pools: [{name: a, questions: 1}, {name: a, questions: 1}]}", "name: a", "has the name 'a' of pools[0]"),
        ("{draw: sometimes}", "sometimes", "sometimes"),
    ],
)
def test_course_file_blueprint_errors_point_at_the_key(
    tmp_path: Path, blueprint: str, needle: str, message: str
) -> None:
    path = course(tmp_path, f"quizzes:\n  - id: q\n    title: Q\n    blueprint: {blueprint}\n")
    with pytest.raises(StudygenError) as info:
        load_course(path)
    texts = [d.format_text() for d in info.value.diagnostics]
    line = _line_of(path, needle)
    assert any(f":{line}:" in t and message in t for t in texts), texts


def test_the_documented_pools_example_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = (REPO / "docs" / "course-file.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", doc, re.S) if "draw: per_version" in b)
    path = course(tmp_path, block.replace("    seed: 310\n", "    seed: 310\n    formats: [html]\n"))
    code, err = build(path, tmp_path / "out", capsys)
    assert code == 0, err
    m = json.loads((tmp_path / "out" / "quizzes" / "midterm" / "manifest.json").read_text("utf-8"))
    essays = {i["question_id"] for v in m["versions"] for i in v["items"] if i["type"] == "essay"}
    assert essays <= {"Q-sm-es-thesis", "Q-sm-es-conditions", "Q-sm-es-ties"} and len(essays) == 3
    assert m["balance"]["spread"] <= 2.0


def test_bundled_course_has_a_pools_quiz(tmp_path: Path) -> None:
    loaded = load_course(REPO / "studygen.yaml")
    pooled = [q for q in loaded.quizzes if q.blueprint.pools]
    assert [q.id for q in pooled] == ["midterm"] and pooled[0].blueprint.draw == "per_version"
    assert all(q.blueprint.draw == "same" and not q.blueprint.pools for q in loaded.quizzes if q.id != "midterm")


def test_the_grade_reader_takes_the_balance_and_refuses_a_broken_one() -> None:
    from studygen.grade.manifest import ManifestError, parse_manifest

    item = {"number": 1, "question_id": "q", "bank": "b", "type": "essay", "options": [], "correct": [], "points": 1}
    data = {
        "quiz": "q",
        "balance": {"draw": "per_version", "versions": [{"label": "A", "expected_mean": 71.5}]},
        "versions": [{"label": "A", "items": [item]}],
    }
    assert parse_manifest(data, Path("m.json")).expected == {"A": 71.5}
    data["balance"]["versions"][0]["expected_mean"] = 150  # type: ignore[index]
    with pytest.raises(ManifestError, match="expected_mean"):
        parse_manifest(data, Path("m.json"))

"""`versions: per_student`: one version per roster student, graded against that student's own key.

Selection (labels, uniqueness, balance, reproducibility), the course file and CLI errors, the
manifest's `students`, grading by student ID, and one class end to end: a 30-student roster,
the documented course file, personalised answer sheets marked by simulated students and read by
`studygen scan`, then `studygen grade` giving every student the score they earned.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.cli import main
from studygen.course import Blueprint, Pool
from studygen.errors import StudygenError
from studygen.grade.manifest import ManifestError, parse_manifest
from studygen.grade.responses import parse_responses
from studygen.model import BLOOM_LEVELS, Bank, Question, QuestionType, Reading
from studygen.pools import DrawError
from studygen.select import make_quiz
from studygen.sources.coursefile import load_course
from studygen.text.letters import version_label
from studygen.versions import Quiz

REPO = Path(__file__).resolve().parents[1]
READING = Reading("T", "A", "P", "2024-01-01", "r.txt", "text")


def _q(i: int, difficulty: int = 2, bloom: str = "remember", excludes: tuple[str, ...] = ()) -> Question:
    return Question(
        f"q{i:03d}",
        QuestionType.TRUE_FALSE,
        f"Statement {i}",
        "because",
        (),
        (),
        difficulty,
        bloom,
        answer=i % 2 == 0,
        excludes=excludes,
    )


def _bank(n: int, seed: int = 0) -> Bank:
    rng = random.Random(seed)
    qs = tuple(_q(i, rng.choice((1, 2, 3)), rng.choice(BLOOM_LEVELS[:3])) for i in range(n))
    return Bank("b", "B", "b.yaml", READING, questions=qs)


def _roster(n: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"S{i + 1:03d}", f"Student {i + 1}") for i in range(n))


def _signature(quiz: Quiz, v: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((i.question.id, i.choices) for i in quiz.versions[v].items)


def _per_student(bank: Bank, bp: Blueprint, roster: tuple[tuple[str, str], ...], seed: int) -> Quiz:
    return make_quiz("q", "Q", [bank], bp, len(roster), seed, random.Random(seed), students=roster)


# -- selection ----------------------------------------------------------------------------------


def test_each_student_gets_their_own_labelled_version_in_roster_order() -> None:
    roster = _roster(30)
    bp = Blueprint(pools=(Pool(10, name="all"),), draw="per_version", tolerance=3)
    quiz = _per_student(_bank(60), bp, roster, seed=5)
    assert [v.label for v in quiz.versions] == [version_label(i) for i in range(30)]
    assert quiz.versions[26].label == "AA"
    assert [(s.student_id, s.name, s.version) for s in quiz.students] == [
        (sid, name, version_label(i)) for i, (sid, name) in enumerate(roster)
    ]
    assert len({_signature(quiz, v) for v in range(30)}) == 30
    assert quiz.balance is not None and len(quiz.balance.versions) == 30 and quiz.balance.spread <= 3


def test_the_roster_order_is_part_of_the_fingerprint() -> None:
    roster = _roster(6)
    bp = Blueprint(questions=5)
    a = _per_student(_bank(20), bp, roster, seed=1)
    b = _per_student(_bank(20), bp, roster[1:] + roster[:1], seed=1)
    assert [v.items for v in a.versions] == [v.items for v in b.versions]  # same papers...
    assert a.fingerprint != b.fingerprint  # ...given to other students: not the same build
    renamed = tuple((sid, name.upper()) for sid, name in roster)
    assert _per_student(_bank(20), bp, renamed, seed=1).fingerprint == a.fingerprint  # a name fix changes no key


def test_without_pools_every_student_has_the_same_questions_in_an_order_of_their_own() -> None:
    quiz = _per_student(_bank(20), Blueprint(questions=6), _roster(40), seed=2)
    sets = {frozenset(i.question.id for i in v.items) for v in quiz.versions}
    assert len(sets) == 1 and quiz.balance is None
    assert len({_signature(quiz, v) for v in range(40)}) == 40


def test_a_quiz_too_small_to_differ_for_every_student_is_refused_at_versions() -> None:
    with pytest.raises(DrawError) as caught:
        _per_student(_bank(2), Blueprint(questions=2), _roster(5), seed=0)
    assert caught.value.key == "versions"
    message = caught.value.message
    assert "roster's 5 students" in message and "cannot be put in enough different orders" in message
    assert re.search(r"student 'S00\d'", message)


def test_too_many_students_for_the_tolerance_names_the_slot_and_counts_students() -> None:
    # One easy and one hard question in a one-question slot: half the class gets each, 40 points apart.
    qs = (_q(0, difficulty=1), _q(1, difficulty=3))
    bank = Bank("b", "B", "b.yaml", READING, questions=qs)
    bp = Blueprint(pools=(Pool(1, name="mixed"),), draw="per_version", tolerance=2)
    with pytest.raises(DrawError) as caught:
        _per_student(bank, bp, _roster(12), seed=0)
    assert caught.value.key == "blueprint.pools.0"
    message = caught.value.message
    assert "pools[0] 'mixed' accounts for" in message and "for 12 students (one version each)" in message
    assert "(student 'S0" in message


@st.composite
def classes(draw: st.DrawFn) -> tuple[Bank, Blueprint, tuple[tuple[str, str], ...]]:
    """A bank with some alternatives, one or two pools over it, and a roster of 2-40 students."""
    n = draw(st.integers(12, 50))
    rng = random.Random(draw(st.integers(0, 999)))
    qs = []
    for i in range(n):
        excludes = (f"q{i - 1:03d}",) if i % 7 == 1 else ()
        qs.append(_q(i, rng.choice((1, 2, 3)), rng.choice(BLOOM_LEVELS[:3]), excludes))
    bank = Bank("b", "B", "b.yaml", READING, questions=tuple(qs))
    if draw(st.booleans()):
        pools: tuple[Pool, ...] = (Pool(draw(st.integers(1, 4)), name="any"),)
    else:
        pools = (Pool(draw(st.integers(1, 3)), name="easy", difficulty=(1, 2)), Pool(1, name="hard", difficulty=(3,)))
    bp = Blueprint(pools=pools, draw="per_version", tolerance=100)
    return bank, bp, _roster(draw(st.integers(2, 40)))


@settings(max_examples=40, deadline=None)
@given(classes(), st.integers(0, 2**32 - 1))
def test_property_unique_reproducible_and_true_to_the_blueprint(
    case: tuple[Bank, Blueprint, tuple[tuple[str, str], ...]], seed: int
) -> None:
    bank, bp, roster = case
    try:
        quiz = _per_student(bank, bp, roster, seed)
    except DrawError as exc:
        # Only a true impossibility may be refused: a pool too small, alternatives it cannot avoid, or
        # a paper of at most three true/false questions (six orders) drawn alike for too many students.
        impossible = ("alternatives", "match", "twice")
        tiny = sum(p.questions for p in bp.pools) <= 3 and "cannot be put in enough different orders" in exc.message
        assert tiny or any(w in exc.message for w in impossible), exc.message
        return
    assert [s.student_id for s in quiz.students] == [sid for sid, _ in roster]
    assert [s.version for s in quiz.students] == [v.label for v in quiz.versions]
    assert len({_signature(quiz, v) for v in range(len(roster))}) == len(roster), "two students share a paper"
    for v in quiz.versions:
        ids = [i.question.id for i in v.items]
        assert len(ids) == len(set(ids)) == bp.questions or len(ids) == sum(p.questions for p in bp.pools)
        by_id = {q.id: q for q in bank.questions}
        for qid in ids:
            assert not set(by_id[qid].excludes) & set(ids), f"{qid} met its alternative"
        for pool in bp.pools:
            inside = [qid for qid in ids if not pool.difficulty or by_id[qid].difficulty in pool.difficulty]
            assert len(inside) >= pool.questions
    again = _per_student(bank, bp, roster, seed)
    assert again.fingerprint == quiz.fingerprint and list(again.versions) == list(quiz.versions)
    if not any(q.excludes for q in bank.questions) and len(bp.pools) == 1:
        uses = Counter(i.question.id for v in quiz.versions for i in v.items)
        counts = [uses[q.id] for q in bank.questions]
        assert max(counts) - min(counts) <= 1  # exposure even across the class


# -- course file and CLI --------------------------------------------------------------------------


def _course(tmp_path: Path, quiz: str, roster: str | None = "student_id,name\nS1,Ann\nS2,Bo\nS3,Cy\n") -> Path:
    for name in ("question_banks", "seeds"):
        if not (tmp_path / name).exists():
            (tmp_path / name).symlink_to(REPO / name)
    if roster is not None:
        (tmp_path / "roster.csv").write_text(roster, encoding="utf-8")
    head = "course: IR\nbanks: [question_banks/seoul-moscow.yaml]\nstudy_guide: false\ndiscussion: false\n"
    path = tmp_path / "studygen.yaml"
    path.write_text(head + "self_test: false\nquizzes:\n" + textwrap.indent(textwrap.dedent(quiz).strip(), "  ") + "\n")
    return path


def _line_col(path: Path, needle: str) -> str:
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return f"{n}:{line.index(needle) + 1}"
    raise AssertionError(needle)


def test_course_file_per_student_needs_a_roster(tmp_path: Path) -> None:
    path = _course(tmp_path, "- id: q1\n  title: Q\n  versions: per_student\n", roster=None)
    with pytest.raises(StudygenError) as caught:
        load_course(path)
    (d,) = caught.value.diagnostics
    assert f"{d.line}:{d.col}" == _line_col(path, "per_student")
    assert "versions is per_student" in d.message and "has no roster" in d.message and "roster: roster.csv" in d.message


def test_course_file_misspelt_per_student_is_refused_with_a_hint(tmp_path: Path) -> None:
    path = _course(tmp_path, "- id: q1\n  title: Q\n  roster: roster.csv\n  versions: per_studnet\n")
    with pytest.raises(StudygenError) as caught:
        load_course(path)
    (d,) = caught.value.diagnostics
    assert f"{d.line}:{d.col}" == _line_col(path, "per_studnet") and "did you mean 'per_student'?" in d.message


def test_course_file_per_student_takes_the_roster_length(tmp_path: Path) -> None:
    path = _course(tmp_path, "- id: q1\n  title: Q\n  roster: roster.csv\n  versions: per_student\n")
    (spec,) = load_course(path).quizzes
    assert spec.per_student and spec.versions == 3 and [sid for sid, _ in spec.roster] == ["S1", "S2", "S3"]


def test_a_roster_naming_a_student_twice_is_refused_at_the_row(tmp_path: Path) -> None:
    roster = "student_id,name\nS1,Ann\nS2,Bo\n s1 ,Again\n"
    path = _course(tmp_path, "- id: q1\n  title: Q\n  roster: roster.csv\n  versions: per_student\n", roster)
    with pytest.raises(StudygenError) as caught:
        load_course(path)
    where = [(d.path, d.line, d.col, d.message) for d in caught.value.diagnostics]
    assert ("roster.csv", 4, 1, "student_id 's1' is already on line 2; each student appears once") in where


def test_cli_per_student_without_roster_and_bad_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = str(REPO / "question_banks" / "seoul-moscow.yaml")
    assert main(["quiz", bank, "--versions", "per_student", "--out", str(tmp_path / "o")]) == 2
    assert "add --roster FILE" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["quiz", bank, "--versions", "each", "--out", str(tmp_path / "o")])
    assert "neither a number of versions nor per_student" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_cli_per_student_own_draws_and_tolerance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\n" + "".join(f"S{i},Student {i}\n" for i in range(6)), "utf-8")
    bank = str(REPO / "question_banks" / "seoul-moscow.yaml")
    base = ["quiz", bank, "--versions", "per_student", "--roster", str(roster), "--format", "html", "--questions", "6"]
    assert main([*base, "--draw", "per_version", "--tolerance", "5", "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "each student's version drew its own questions" in err and "tolerance 5" in err
    m = json.loads((tmp_path / "o" / "manifest.json").read_text("utf-8"))
    assert len({frozenset(i["question_id"] for i in v["items"]) for v in m["versions"]}) > 1
    assert m["balance"]["tolerance"] == 5 and len(m["students"]) == 6
    assert main([*base, "--tolerance", "5", "--out", str(tmp_path / "p")]) == 2
    assert "--tolerance applies only to --draw per_version" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*base, "--draw", "per_version", "--tolerance", "-1", "--out", str(tmp_path / "p")])
    assert "between 0 and 100" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_cli_per_student_quiz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,name\n" + "".join(f"S{i},Student {i}\n" for i in range(4)), "utf-8")
    bank = str(REPO / "question_banks" / "seoul-moscow.yaml")
    out = tmp_path / "o"
    args = ["quiz", bank, "--versions", "per_student", "--roster", str(roster), "--format", "html", "--out", str(out)]
    assert main(args) == 0, capsys.readouterr().err
    m = json.loads((out / "manifest.json").read_text("utf-8"))
    assert m["students"] == [{"student_id": f"S{i}", "name": f"Student {i}", "version": "ABCD"[i]} for i in range(4)]
    assert m["sheets"]["roster"] == m["students"]
    assert [v["label"] for v in m["versions"]] == ["A", "B", "C", "D"]


# -- grading by student ID ----------------------------------------------------------------------------


def _manifest(students: list[dict[str, str]]) -> dict:
    def version(label: str, key: str) -> dict:
        item = {"number": 1, "question_id": "q", "bank": "b", "type": "true_false"}
        return {"label": label, "items": [{**item, "options": ["True", "False"], "correct": [key], "points": 1}]}

    return {"quiz": "q", "students": students, "versions": [version("A", "A"), version("B", "B")]}


STUDENTS = [{"student_id": "S1", "name": "Ann", "version": "A"}, {"student_id": "S2", "name": "Bo", "version": "B"}]


def test_the_manifest_reader_takes_students_and_refuses_broken_ones() -> None:
    m = parse_manifest(_manifest(STUDENTS), Path("m.json"))
    assert m.assigned(" s2 ") is not None and m.assigned("s2").version == "B"  # type: ignore[union-attr]
    assert m.assigned("S9") is None
    with pytest.raises(ManifestError, match=r"students\[1\].version: student 'S2' has version 'Z'"):
        parse_manifest(_manifest([STUDENTS[0], {**STUDENTS[1], "version": "Z"}]), Path("m.json"))
    with pytest.raises(ManifestError, match=r"students\[1\].student_id: student 's1' appears twice"):
        parse_manifest(_manifest([STUDENTS[0], {**STUDENTS[1], "student_id": "s1"}]), Path("m.json"))
    with pytest.raises(ManifestError, match="students"):
        parse_manifest(_manifest([{"student_id": "S1"}]), Path("m.json"))


def test_responses_take_each_students_version_from_the_manifest() -> None:
    m = parse_manifest(_manifest(STUDENTS), Path("m.json"))
    sheet = parse_responses("student_id,1\nS1,A\nS2,B\n", m, "r.csv")  # no version column at all
    assert [(r.student_id, r.version.label, r.name) for r in sheet.responses] == [("S1", "A", "Ann"), ("S2", "B", "Bo")]
    assert sheet.has_names and not sheet.skipped
    sheet = parse_responses("student_id,version,1\nS1,,A\nS2,A,A\nG7,B,B\nG8,,B\n", m, "r.csv")
    assert [(r.student_id, r.version.label) for r in sheet.responses] == [("S1", "A"), ("G7", "B")]
    skipped = {d.line: d.message for d in sheet.skipped}
    assert "student 'S2' was given version B (`versions: per_student`) but the row says 'A'" in skipped[3]
    assert "student 'G8' is not on the roster this per-student quiz was made for" in skipped[5]
    (notice,) = [d for d in sheet.notices if d.rule == "not-on-roster"]
    assert notice.line == 4 and "graded against version B, as the row says" in notice.message


# -- a class end to end -----------------------------------------------------------------------------


def _documented_example() -> str:
    doc = (REPO / "docs" / "course-file.md").read_text("utf-8")
    found = re.search(r"<!-- example: per-student .*?-->\n```yaml\n(.*?)```", doc, re.S)
    assert found, "the per-student example is missing from docs/course-file.md"
    return found.group(1)


def test_a_class_of_30_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Documented course file → build → roster sheets marked and scanned → grade: each student's own score."""
    np = pytest.importorskip("numpy")
    scansim = pytest.importorskip("scansim")
    from pypdf import PdfReader

    roster = [(f"2024{i:04d}", f"Student {i:02d}") for i in range(1, 31)]
    text = "student_id,name\n" + "".join(f"{sid},{name}\n" for sid, name in roster)
    quiz = _documented_example().split("quizzes:\n", 1)[1]
    path = _course(
        tmp_path, textwrap.dedent(quiz.replace("    seed: 41\n", "    seed: 41\n    formats: [pdf]\n")), text
    )
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["build", "--config", str(path), "--out", str(out)]) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "quiz 'final': each student's version drew its own questions" in err and "over 30 versions" in err
    folder = out / "quizzes" / "final"
    m = json.loads((folder / "manifest.json").read_text("utf-8"))
    labels = [version_label(i) for i in range(30)]
    assert [s["version"] for s in m["students"]] == labels and [s["student_id"] for s in m["students"]] == [
        sid for sid, _ in roster
    ]
    assert m["balance"]["spread"] <= 3 and len(m["balance"]["versions"]) == 30
    papers = [tuple((i["question_id"], tuple(i["options"])) for i in v["items"]) for v in m["versions"]]
    assert len(set(papers)) == 30
    index = (out / "index.html").read_text("utf-8")
    assert "Version AD · Student ID 20240030" in index

    # Each personalised sheet prints its student and their version.
    per = len(m["sheets"]["layouts"]["A+roster"]["pages"])
    reader = PdfReader(folder / "final-roster-sheets.pdf")
    assert len(reader.pages) == 30 * per
    for k, (sid, name) in enumerate(roster):
        page = " ".join(reader.pages[k * per].extract_text().split())
        assert sid in page and name in page and re.search(rf"\b{labels[k]}\b", page), page[:300]

    # Students mark their own sheets; the stack is scanned and graded.
    rng = np.random.default_rng(30)
    pages = scansim.rasterise((folder / "final-roster-sheets.pdf").read_bytes(), 150)
    students = {}
    images = []
    for k, (sid, _) in enumerate(roster):
        plan = scansim.plan_student(m, f"{labels[k]}+roster", sid, rng)
        students[sid] = plan
        images += scansim.sheet_images(pages[k * per : (k + 1) * per], plan, 150, rng, scansim.ScanSettings())
    scans = tmp_path / "scans"
    scans.mkdir()
    for j, data in enumerate(images):
        (scans / f"p{j:03d}.png").write_bytes(data)
    result = tmp_path / "scan"
    code = main(["scan", str(folder / "manifest.json"), *sorted(map(str, scans.iterdir())), "--out", str(result)])
    assert code == 0, capsys.readouterr().err
    graded = tmp_path / "graded"
    assert main(["grade", str(folder / "manifest.json"), str(result / "responses.csv"), "--out", str(graded)]) == 0
    grades = {g["student_id"]: g for g in csv.DictReader(io.StringIO((graded / "grades.csv").read_text("utf-8")))}
    assert set(grades) == {sid for sid, _ in roster}
    for k, (sid, _) in enumerate(roster):
        items = {i["number"]: i for i in m["versions"][k]["items"]}
        earned = sum(items[n]["points"] * c for n, c in students[sid].credit.items())
        assert grades[sid]["version"] == labels[k]
        assert float(grades[sid]["score"]) == pytest.approx(earned), sid

    # The report says each student had their own version and what the build expected of the class,
    # in HTML and PDF alike, rather than 30 one-student rows.
    html = " ".join((graded / "report.html").read_text("utf-8").split())
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(graded / "report.pdf").pages).split())
    expected = sum(v["expected_mean"] for v in m["balance"]["versions"]) / 30
    for text in (html, pdf):
        assert "Each student answered a version of their own" in text and "30 versions" in text
        assert f"it expected this class to score {expected:.1f}% on average" in text
        assert "One-way ANOVA" not in text and "No test of version differences" not in text
    assert '<th scope="row">AD</th>' not in html

    # The same answers typed without a version column grade the same: the manifest knows whose is whose.
    numbers = sorted({i["number"] for v in m["versions"] for i in v["items"]})
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["student_id", *map(str, numbers)])
    scanned = {r["student_id"]: r for r in csv.DictReader((result / "responses.csv").open(encoding="utf-8"))}
    for sid, _ in roster:
        w.writerow([sid, *(scanned[sid][str(n)] for n in numbers)])
    typed = tmp_path / "typed.csv"
    typed.write_text(buf.getvalue(), encoding="utf-8")
    again = tmp_path / "graded-typed"
    assert main(["grade", str(folder / "manifest.json"), str(typed), "--out", str(again)]) == 0
    assert (again / "grades.csv").read_text("utf-8") == (graded / "grades.csv").read_text("utf-8")
    shutil.rmtree(scans)


def test_each_booklet_carries_its_students_name_and_id_escaped(tmp_path: Path) -> None:
    """A copy shop's stack of per-student booklets is handed out by name: the quiz (PDF and HTML)
    has the student's name and ID in its fields; a roster name is untrusted text."""
    from pypdf import PdfReader

    from studygen.cli import main

    roster = tmp_path / "r.csv"
    roster.write_text('student_id,name\ns1,Ann <b>&amp; "Bo"\ns2,Kim Min-jun\n', encoding="utf-8")
    bank = Path(__file__).parent.parent / "question_banks" / "seoul-moscow.yaml"
    out = tmp_path / "out"
    args = ["quiz", str(bank), "--questions", "4", "--roster", str(roster), "--versions", "per_student"]
    assert main([*args, "--seed", "1", "--out", str(out)]) == 0
    for label, sid, name in (("A", "s1", 'Ann <b>&amp; "Bo"'), ("B", "s2", "Kim Min-jun")):
        text = PdfReader(str(out / f"quiz-{label}.pdf")).pages[0].extract_text()
        assert name in text and sid in text, f"version {label}'s booklet names its student"
        html = (out / f"quiz-{label}.html").read_text(encoding="utf-8")
        assert f'value="{sid}"' in html
    page = (out / "quiz-A.html").read_text(encoding="utf-8")
    assert "<b>&amp;" not in page and "&lt;b&gt;&amp;amp; &#34;Bo&#34;" in page.replace("&quot;", "&#34;")
    assert "Kim Min-jun" not in PdfReader(str(out / "quiz-A.pdf")).pages[0].extract_text()

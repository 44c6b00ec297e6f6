"""The grade report for next week's lesson: questions by their text, small-n cautions, topics to reteach,
names kept, skipped rows listed, and typed answers accepted in one pass (`--accept`)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import html as lxml_html
from pypdf import PdfReader

from studygen.cli import main
from studygen.grade.analysis import (
    RELIABILITY_MIN_N,
    RELIABILITY_ROUGH_N,
    QuestionStat,
    reliability_caution,
    topic_summary,
)
from studygen.grade.answers import Answer
from studygen.grade.manifest import ManifestItem, load_manifest
from studygen.grade.report import short
from studygen.grade.scoring import credit, typed_parts
from studygen.model import QuestionType

FIXTURES = Path(__file__).parent / "fixtures" / "grade"
EVIL = "=cmd|' /C calc'!A0"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for name in ("manifest.json", "responses.csv"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def grade(work: Path, *extra: str, out: str = "out") -> int:
    return main(["grade", str(work / "manifest.json"), str(work / "responses.csv"), "--out", str(work / out), *extra])


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def page(path: Path) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(path.read_bytes())


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


def test_items_are_named_by_their_text_with_the_id_beside_it(work: Path) -> None:
    grade(work)
    tree = page(work / "out" / "report.html")
    heads = [
        " ".join(th.text_content().split()) for th in tree.xpath("//h2[@id='items']/following::table[1]//tbody//th")
    ]
    assert "Which UN body? Q-sa" in heads
    assert "What did Russia veto? <script>alert(1)</script> Q-sc" in heads
    long = next(h for h in heads if h.endswith("Q-essay"))
    assert long.startswith("Why does the veto matter?") and "…" in long and len(long) < 95
    captions = [" ".join(c.text_content().split()) for c in tree.xpath("//h2[@id='distractors']/following::caption")]
    assert any(c.startswith("=cmd|' /C calc'!A0 Which states are named? (Multiple response)") for c in captions)
    assert "**" not in tree.text_content()  # plain text: bank markup is dropped, never printed with asterisks
    text = pdf_text(work / "out" / "report.pdf")
    assert "Which UN body?" in text and "Q-sa" in text and "Russia vetoed on ___ the ___." in text
    item_rows = {r["question_id"]: r for r in rows(work / "out" / "item-analysis.csv")}
    assert item_rows["Q-sa"]["question"] == "Which UN body?"
    assert item_rows["Q-mr"]["question"] == "'" + EVIL + " Which states are named?"  # guarded, markup dropped
    assert item_rows["Q-mr"]["topics"] == "Geography <b>&</b>; UN Security Council"
    assert "'" + EVIL + " Which states are named?" in {r["question"] for r in rows(work / "out" / "distractors.csv")}


def test_a_manifest_without_question_texts_falls_back_to_ids(work: Path) -> None:
    data = json.loads((work / "manifest.json").read_text("utf-8"))
    del data["questions"]
    (work / "manifest.json").write_text(json.dumps(data), "utf-8")
    grade(work)
    tree = page(work / "out" / "report.html")
    heads = [th.text_content().strip() for th in tree.xpath("//h2[@id='items']/following::table[1]//tbody//th")]
    assert "Q-sa" in heads
    assert "names no topics" in tree.text_content()
    assert rows(work / "out" / "item-analysis.csv")[0]["question"] == ""


def test_short_cuts_at_a_word_and_marks_the_cut() -> None:
    assert short("a" * 80) == "a" * 80
    cut = short("word " * 30)
    assert cut.endswith("word…") and len(cut) <= 80
    assert short("x" * 200).endswith("…") and len(short("x" * 200)) == 80


def test_reliability_thresholds() -> None:
    assert reliability_caution(RELIABILITY_MIN_N - 1, 0.9) == "too-few"
    assert reliability_caution(3, -0.4) == "too-few"
    assert reliability_caution(RELIABILITY_MIN_N, -0.1) == "negative"
    assert reliability_caution(RELIABILITY_MIN_N, 0.7) == "rough"
    assert reliability_caution(RELIABILITY_ROUGH_N, 0.7) == ""
    assert reliability_caution(50, None) == ""


def test_small_classes_get_no_bare_reliability_number(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grade(work)
    err = capsys.readouterr().err
    assert "not meaningful with fewer than 10 students: version A (n=7), version B (n=6)" in err
    assert "only 13 student(s): item statistics (r, D) and their flags are rough below 20" in err
    tree = page(work / "out" / "report.html")
    cells = [td.text_content() for td in tree.xpath("//h2[@id='versions']/following::table[1]//td")]
    assert "not meaningful with n=7" in cells and "not meaningful with n=6" in cells
    assert any(c.endswith("(rough: n=13)") for c in cells)
    assert "Only 13 student(s)" in tree.text_content()
    text = pdf_text(work / "out" / "report.pdf")
    assert "not meaningful with n=7" in text and "Only 13 student(s)" in text


def test_a_large_class_gets_plain_numbers(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (work / "responses.csv").read_text("utf-8").splitlines()
    good = [line for line in lines[1:14] if line]
    body = [lines[0]] + [f"x{k}-{line}" for k in range(4) for line in good]  # 48 students (24 per version)
    (work / "responses.csv").write_text("\n".join(body) + "\n", "utf-8")
    assert grade(work) == 0
    err = capsys.readouterr().err
    assert "not meaningful" not in err and "rough" not in err
    tree = page(work / "out" / "report.html")
    cells = [td.text_content() for td in tree.xpath("//h2[@id='versions']/following::table[1]//td")]
    assert not any("not meaningful" in c or "rough" in c for c in cells)
    assert "Only " not in tree.text_content()


def _q(qid: str, p: float, n: int = 5) -> QuestionStat:
    return QuestionStat(qid, "b", QuestionType.SINGLE_CHOICE, 1.0, (("A", 1),), n, 0, p, None, None, ())


def test_topic_summary_weakest_first_and_questions_weakest_first() -> None:
    qs = [_q("Q1", 0.9), _q("Q2", 0.3), _q("Q3", 0.5), _q("Q4", 0.1, n=0)]
    topics = {"Q1": ("Sanctions",), "Q2": ("Sanctions", "UN"), "Q3": ("UN",), "Q4": ("UN",)}
    out = topic_summary(qs, topics)
    assert [t.label for t in out] == ["UN", "Sanctions"]  # UN: (0.3 + 0.5)/2 = 0.4; sanctions 0.6
    assert [q.question_id for q in out[0].questions] == ["Q2", "Q3"]  # Q4 was answered by nobody
    assert out[0].mean == pytest.approx(0.4)
    assert [t.label for t in topic_summary([_q("Q9", 0.2)], {})] == [""]


def test_report_summarises_by_topic(work: Path) -> None:
    grade(work)
    tree = page(work / "out" / "report.html")
    table = tree.xpath("//h2[@id='topics']/following::table[1]")[0]
    labels = [th.text_content() for th in table.xpath(".//tbody/tr/th")]
    means = [float(td.text_content()) for td in table.xpath(".//tbody/tr/td[1]")]
    assert labels[0] == "Geography <b>&</b>" and labels[-1] == "No topic" and means == sorted(means)
    assert "Summary by topic" in pdf_text(work / "out" / "report.pdf")


def test_a_name_column_reaches_grades_csv_and_the_report(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = (work / "responses.csv").read_text("utf-8").splitlines()
    named = ["student_id,Name," + lines[0].split(",", 1)[1]]
    for k, line in enumerate(lines[1:]):
        if line:
            sid, rest = line.split(",", 1)
            who = EVIL if k == 0 else f"Kim Ji-won {k}"
            named.append(f'{sid},"{who}",{rest}' if '"' not in who else f"{sid},x,{rest}")
    (work / "responses.csv").write_text("\n".join(named) + "\n", "utf-8")
    grade(work)
    assert "ignored-column column 'Name'" not in capsys.readouterr().err
    got = rows(work / "out" / "grades.csv")
    assert list(got[0]) == ["student_id", "name", "version", "score", "max", "percent"]
    by_id = {r["student_id"]: r for r in got}
    assert by_id["s01"]["name"] == "'" + EVIL and by_id["s02"]["name"] == "Kim Ji-won 1"
    tree = page(work / "out" / "report.html")
    assert "Kim Ji-won 1" in tree.xpath("//h2[@id='students']/following::table[1]")[0].text_content()
    assert "Kim Ji-won 1" in pdf_text(work / "out" / "report.pdf")


def test_without_a_name_column_grades_csv_is_unchanged(work: Path) -> None:
    grade(work)
    assert list(rows(work / "out" / "grades.csv")[0]) == ["student_id", "version", "score", "max", "percent"]


def test_skipped_rows_are_listed_in_both_reports(work: Path) -> None:
    grade(work)
    tree = page(work / "out" / "report.html")
    table = tree.xpath("//h2[@id='skipped']/following::table[1]")[0]
    got = [(tr[0].text_content(), tr[1].text_content()) for tr in table.xpath(".//tbody/tr")]
    assert ("16", "student 's13': version 'C' is not in the manifest (versions: A, B); row skipped") in got
    assert len(got) == 7
    intro = tree.xpath("//h1/following::p[1]")[0].text_content()
    assert "7 row problem(s)" in intro and "output.2" not in intro and "below). 2 question" not in intro
    text = pdf_text(work / "out" / "report.pdf")
    assert "Rows not graded" in text and "version 'C' is not in the manifest" in text


def unmatched(work: Path, out: str = "out") -> list[dict[str, str]]:
    return rows(work / out / "unmatched-answers.csv")


def test_unmatched_answers_are_counted_per_question_and_blank(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grade(work)
    got = [(r["question_id"], r["blank"], r["answer"], r["count"], r["accept"]) for r in unmatched(work)]
    assert got == [
        ("Q-fill", "1", "expert panel", "1", ""),
        ("Q-fill", "2", "March 28", "1", ""),
        ("Q-fill", "2", "x", "1", ""),
        ("Q-sa", "", "'" + EVIL, "1", ""),
        ("Q-sa", "", "General Assembly", "1", ""),
        ("Q-sa", "", "UN", "1", ""),
    ]
    assert unmatched(work)[0]["question"] == "Russia vetoed on ___ the ___."
    assert "6 typed answer(s) matched no accepted answer" in capsys.readouterr().err
    tree = page(work / "out" / "report.html")
    section = tree.xpath("//h2[@id='unmatched']/following::table")
    assert "General Assembly" in section[2].text_content() or "General Assembly" in tree.text_content()
    assert tree.xpath("//caption[contains(., 'Which UN body?')]")
    assert "Typed answers that matched no accepted answer" in pdf_text(work / "out" / "report.pdf")


def _mark(path: Path, marks: dict[str, str]) -> Path:
    """The file with `accept` filled in for the answers named."""
    data = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    for row in data[1:]:
        row[5] = marks.get(row[3], row[5])
    edited = path.parent.parent / "accept.csv"
    with edited.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(data)
    return edited


def test_accepting_answers_regrades_and_is_recorded(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    grade(work)
    before = {r["student_id"]: r["score"] for r in rows(work / "out" / "grades.csv")}
    edited = _mark(work / "out" / "unmatched-answers.csv", {"UN": "yes", "'" + EVIL: "Yes", "expert panel": "no"})
    capsys.readouterr()
    grade(work, "--accept", str(edited), out="again")
    err = capsys.readouterr().err
    assert "accepted for this run" in err and "'UN' (1 answer(s) now credited)" in err
    after = {r["student_id"]: r["score"] for r in rows(work / "again" / "grades.csv")}
    changed = {s for s in before if before[s] != after[s]}
    assert changed == {"s03", "s10"}  # s03 typed UN, s10 typed the formula
    assert float(after["s03"]) == float(before["s03"]) + 1
    got = [(r["question_id"], r["answer"], r["count"], r["accept"]) for r in unmatched(work, "again")]
    assert ("Q-sa", "UN", "1", "yes") in got and ("Q-fill", "expert panel", "1", "no") in got
    assert ("Q-sa", "'" + EVIL, "1", "yes") in got and ("Q-sa", "General Assembly", "1", "") in got
    tree = page(work / "again" / "report.html")
    assert "Answers accepted for this run" in tree.text_content() and "accept.csv" in tree.text_content()
    assert "Answers accepted for this run" in pdf_text(work / "again" / "report.pdf")
    # Feeding the new file back changes nothing: every decision is kept.
    shutil.copy(work / "again" / "unmatched-answers.csv", work / "second.csv")
    grade(work, "--accept", str(work / "second.csv"), out="third")
    for name in ("grades.csv", "unmatched-answers.csv", "item-analysis.csv"):
        assert (work / "third" / name).read_bytes() == (work / "again" / name).read_bytes(), name
    third = (work / "third" / "report.html").read_text("utf-8").replace("second.csv", "accept.csv")
    assert third == (work / "again" / "report.html").read_text("utf-8")


def test_an_accepted_answer_counts_with_the_answer_rule(work: Path) -> None:
    grade(work, out="before")
    (work / "accept.csv").write_text("question_id,blank,answer,accept\nQ-sa,,  general   ASSEMBLY ,yes\n", "utf-8")
    grade(work, "--accept", str(work / "accept.csv"))
    before = {r["student_id"]: float(r["score"]) for r in rows(work / "before" / "grades.csv")}
    after = {r["student_id"]: float(r["score"]) for r in rows(work / "out" / "grades.csv")}
    assert {s: after[s] - before[s] for s in before if after[s] != before[s]} == {"s04": 1.0}


@pytest.mark.parametrize(
    "body,where,needle",
    [
        ("Q-sa,,UN,maybe\n", ":2:4:", "accept is 'maybe'"),
        ("Q-nope,,UN,yes\n", ":2:1:", "'Q-nope' is not in the manifest"),
        ("Q-sc,,A,yes\n", ":2:1:", "single_choice question"),
        ("Q-fill,3,x,yes\n", ":2:2:", "blanks 1 to 2"),
        ("Q-sa,1,UN,yes\n", ":2:2:", "short-answer question"),
        ("Q-sa,,,yes\n", ":2:3:", "the answer is empty"),
    ],
)
def test_bad_accept_rows_stop_grading_by_line(
    work: Path, capsys: pytest.CaptureFixture[str], body: str, where: str, needle: str
) -> None:
    (work / "accept.csv").write_text("question_id,blank,answer,accept\nQ-sa,,UN,yes\n" + body, "utf-8")
    fixed = body.replace(":2:", ":3:")
    assert grade(work, "--accept", str(work / "accept.csv")) == 2
    err = capsys.readouterr().err
    assert f"accept.csv{where.replace(':2:', ':3:')}" in err and needle in err, err
    assert "Traceback" not in err and fixed
    assert not (work / "out").exists()


def test_an_accept_file_without_its_columns_is_refused(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (work / "accept.csv").write_text("id,answer\nQ-sa,UN\n", "utf-8")
    assert grade(work, "--accept", str(work / "accept.csv")) == 2
    assert "accept.csv:1:1: the header has no question_id, accept column" in capsys.readouterr().err
    assert not (work / "out").exists()


ITEMS = [
    ManifestItem(1, "Q-sa", "b", QuestionType.SHORT_ANSWER, 1.0, correct=("Security Council", "UNSC")),
    ManifestItem(2, "Q-fb", "b", QuestionType.FILL_BLANK, 2.0, blanks=(("March 28",), ("expert panel", "panel"))),
]
TEXT = st.text(st.sampled_from("UNSC unsc Security Council March 28 expert panel x ÉÈ\u0301 "), max_size=20)


@given(st.sampled_from(ITEMS), TEXT, TEXT)
def test_unmatched_parts_are_exactly_the_ones_credit_gave_nothing(item: ManifestItem, a: str, b: str) -> None:
    answer = Answer(text=a) if item.type is QuestionType.SHORT_ANSWER else Answer(parts=(a, b))
    parts = typed_parts(item, answer)
    n = 1 if item.type is QuestionType.SHORT_ANSWER else len(item.blanks)
    assert credit(item, answer) == pytest.approx(sum(right for _, _, right in parts) / n)


def test_the_manifest_names_questions_by_text_and_topics(tmp_path: Path) -> None:
    from studygen.cli import main as cli

    root = Path(__file__).resolve().parent.parent
    args = ["quiz", str(root / "question_banks"), "--questions", "40", "--format", "html", "--out", str(tmp_path / "q")]
    assert cli(args) == 0
    manifests = sorted((tmp_path / "q").rglob("manifest.json"))
    data = json.loads(manifests[0].read_text("utf-8"))
    asked = {i["question_id"] for v in data["versions"] for i in v["items"]}
    assert set(data["questions"]) == asked
    assert all(e["text"] and "[[" not in e["text"] for e in data["questions"].values())
    fills = [i["question_id"] for v in data["versions"] for i in v["items"] if i["type"] == "fill_blank"]
    assert all("___" in data["questions"][q]["text"] for q in fills)
    assert any(e["topics"] for e in data["questions"].values())
    m = load_manifest(manifests[0])
    assert m.info(sorted(asked)[0]).text == data["questions"][sorted(asked)[0]]["text"]

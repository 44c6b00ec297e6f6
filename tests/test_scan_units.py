"""Answer-sheet layout and scan decisions, piece by piece; and no traceback on hostile scan inputs."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import cv2
import numpy as np
import pytest
import scansim
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from studygen.cli import main
from studygen.course import Blueprint, Course, QuizSpec
from studygen.grade.manifest import ManifestItem, load_manifest
from studygen.model import QuestionType
from studygen.scan.decide import decide_id, decide_item, read_overrides
from studygen.scan.layouts import LBox
from studygen.scan.reader import EMPTY, FILLED, UNSURE, BoxRead
from studygen.sheetlayout import parse_payload, payload, score_values, sheet_layout

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "question_banks"


@pytest.fixture(scope="module")
def quiz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from studygen.build import build_quiz, load_checked

    out = tmp_path_factory.mktemp("sheets")
    banks = load_checked([BANK], io.StringIO())
    spec = QuizSpec(
        id="unit",
        title="Unit quiz",
        versions=2,
        seed=4,
        blueprint=Blueprint(questions=12, per_type={"matching": 1, "ordering": 1, "essay": 1, "fill_blank": 1}),
        formats=("pdf",),
        answer_sheets=True,
        id_digits=6,
        roster=(("S-1", "Kim Min-jun"), ("S-2", "=HYPERLINK(x)")),
    )
    build_quiz(Course(root=ROOT, title="IR 210"), banks, spec, out, log=io.StringIO())
    return out


# -- the sheets as built --------------------------------------------------------------------


def test_sheets_are_beside_the_quizzes_and_the_manifest_records_every_box(quiz_dir: Path) -> None:
    names = sorted(p.name for p in quiz_dir.iterdir())
    assert {"unit-A-sheet.pdf", "unit-B-sheet.pdf", "unit-roster-sheets.pdf", "manifest.json"} <= set(names)
    load_manifest(quiz_dir / "manifest.json")  # grade's reader accepts the additive "sheets" key
    data = json.loads((quiz_dir / "manifest.json").read_text("utf-8"))
    sheets = data["sheets"]
    assert set(sheets["layouts"]) == {"A", "B", "A+roster", "B+roster"}
    assert [(r["student_id"], r["version"]) for r in sheets["roster"]] == [("S-1", "A"), ("S-2", "B")]
    for key, lay in sheets["layouts"].items():
        items = {i["number"]: i for v in data["versions"] if v["label"] == lay["version"] for i in v["items"]}
        boxes = [b for p in lay["pages"] for b in p["boxes"]]
        assert {b["item"] for b in boxes if "item" in b} == set(items), key
        digits = {b["id_digit"] for b in boxes if "id_digit" in b}
        assert digits == (set() if lay["personal"] else set(range(1, 7)))
        for page in lay["pages"]:
            w, h = page["size"]
            rects = [b["rect"] for b in page["boxes"]]
            for x, y, bw, bh in rects:
                assert x >= 40 and x + bw <= w - 40 and y >= 40 and y + bh <= h - 40
            for i, a in enumerate(rects):  # no two boxes overlap
                for b in rects[i + 1 :]:
                    assert a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
        for n, it in items.items():
            letters = {b["letter"] for b in boxes if b.get("item") == n and "letter" in b}
            if it["type"] in ("single_choice", "multiple_response", "true_false", "matching", "ordering"):
                assert letters == set("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: len(it["options"])])


def test_the_printed_sheet_says_what_it_is_and_its_code_reads_back(quiz_dir: Path, tmp_path: Path) -> None:
    text = PdfReader(quiz_dir / "unit-A-sheet.pdf").pages[0].extract_text()
    assert "Answer sheet" in text and "Version A" in text and "Student ID" in text
    roster = PdfReader(quiz_dir / "unit-roster-sheets.pdf")
    assert "Kim Min-jun" in roster.pages[0].extract_text() and "=HYPERLINK(x)" in roster.pages[-1].extract_text()
    quiz_text = PdfReader(quiz_dir / "unit-A.pdf").pages[0].extract_text()
    assert "answer sheet" in quiz_text  # the quiz tells students where to mark
    # An independent rasteriser (poppler) and OpenCV's decoder agree on the code.
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(quiz_dir / "unit-A-sheet.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    image = cv2.imread(str(next(tmp_path.glob("p*.png"))), cv2.IMREAD_GRAYSCALE)
    text, _, _ = cv2.QRCodeDetector().detectAndDecode(image)
    fp = json.loads((quiz_dir / "manifest.json").read_text("utf-8"))["sheets"]["fingerprint"]
    p = parse_payload(text)
    assert p is not None and (p.quiz, p.version, p.page, p.fingerprint, p.student) == ("unit", "A", 1, fp, "")


def test_sheets_are_byte_identical_across_builds(quiz_dir: Path, tmp_path: Path) -> None:
    from studygen.build import build_quiz, load_checked

    banks = load_checked([BANK], io.StringIO())
    data = json.loads((quiz_dir / "manifest.json").read_text("utf-8"))
    spec = QuizSpec(
        id="unit",
        title="Unit quiz",
        versions=2,
        seed=4,
        blueprint=Blueprint(questions=12, per_type={"matching": 1, "ordering": 1, "essay": 1, "fill_blank": 1}),
        formats=("pdf",),
        answer_sheets=True,
        id_digits=6,
        roster=(("S-1", "Kim Min-jun"), ("S-2", "=HYPERLINK(x)")),
    )
    build_quiz(Course(root=ROOT, title="IR 210"), banks, spec, tmp_path, log=io.StringIO())
    for name in ("unit-A-sheet.pdf", "unit-roster-sheets.pdf", "manifest.json"):
        assert (tmp_path / name).read_bytes() == (quiz_dir / name).read_bytes(), name
    assert (
        data["sheets"]["fingerprint"] == json.loads((tmp_path / "manifest.json").read_text())["sheets"]["fingerprint"]
    )


# -- payloads and layouts ------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=4), st.integers(1, 99), st.text(max_size=20))
def test_any_payload_reads_back(quiz: str, version: str, page: int, student: str) -> None:
    p = parse_payload(payload(quiz, version, page, page + 1, "0123456789", student))
    assert p is not None and (p.quiz, p.version, p.page, p.pages, p.student) == (quiz, version, page, page + 1, student)


@pytest.mark.parametrize(
    "text", ["", "hello", "SG1|q|A|0|1|fp|", "SG1|q|A|3|2|fp|", "SG1|q|A|x|1|fp|", "SG1|%ff|A|1|1|f|"]
)
def test_foreign_codes_are_not_payloads(text: str) -> None:
    assert parse_payload(text) is None


def test_score_values_offer_whole_points_halves_or_tenths() -> None:
    assert score_values(3) == [0, 1, 2, 3]
    assert score_values(1.5) == [0, 0.5, 1, 1.5]
    assert score_values(40)[-1] == 40 and len(score_values(40)) == 11


def test_a_long_quiz_flows_onto_more_pages_and_every_page_has_the_id_grid() -> None:
    from studygen.build import load_checked, quiz_from_spec

    banks = load_checked([BANK], io.StringIO())
    quiz = quiz_from_spec(
        QuizSpec(id="long", title="Long", versions=1, blueprint=Blueprint(questions=60)), banks, Course(root=ROOT)
    )
    layout = sheet_layout(quiz.versions[0])
    assert len(layout.pages) >= 2
    for page in layout.pages:
        assert page.id_grid is not None and sum(b.kind == "id" for b in page.boxes) == 80


# -- decisions ---------------------------------------------------------------------------------


def _boxes(states: dict[str, str], part: int = 0, item: int = 1) -> list[BoxRead]:
    return [
        BoxRead(LBox((0, 0, 11, 11), "choice", item, letter, part), s, 0, 0, 0, 1.0) for letter, s in states.items()
    ]


SC = ManifestItem(1, "q", "b", QuestionType.SINGLE_CHOICE, 1.0, ("a", "b", "c"), ("B",))
MR = ManifestItem(1, "q", "b", QuestionType.MULTIPLE_RESPONSE, 1.0, ("a", "b", "c"), ("A", "C"))
MATCH = ManifestItem(1, "q", "b", QuestionType.MATCHING, 1.0, ("a", "b", "c"), ("B", "A"), prompts=("x", "y"))


def test_one_clear_mark_is_the_answer_and_none_is_omitted() -> None:
    assert decide_item(SC, _boxes({"A": EMPTY, "B": FILLED, "C": EMPTY})).cell == "B"
    assert decide_item(SC, _boxes({"A": EMPTY, "B": EMPTY, "C": EMPTY})).cell == ""
    assert decide_item(MR, _boxes({"A": FILLED, "B": EMPTY, "C": FILLED})).cell == "AC"


def test_two_marks_on_a_one_answer_row_and_unclear_marks_go_to_review() -> None:
    r = decide_item(SC, _boxes({"A": FILLED, "B": FILLED, "C": EMPTY}))
    assert r.cell is None and "two or more marks" in r.why
    r = decide_item(MR, _boxes({"A": FILLED, "B": UNSURE, "C": EMPTY}))
    assert r.cell is None and "unclear" in r.why and "B" in r.why


def test_matching_rows_read_in_order_with_gaps_and_doubles() -> None:
    rows = _boxes({"A": EMPTY, "B": FILLED, "C": EMPTY}, part=1) + _boxes({"A": EMPTY, "B": EMPTY, "C": EMPTY}, part=2)
    assert decide_item(MATCH, rows).cell == "B-"
    rows = _boxes({"A": FILLED, "B": FILLED, "C": EMPTY}, part=1) + _boxes(
        {"A": FILLED, "B": EMPTY, "C": EMPTY}, part=2
    )
    assert decide_item(MATCH, rows).cell is None


def _id(columns: list[dict[int, str]]) -> list[BoxRead]:
    return [
        BoxRead(LBox((0, 0, 11, 11), "id", id_digit=k + 1, value=d), col.get(d, EMPTY), 0, 0, 0, 1.0)
        for k, col in enumerate(columns)
        for d in range(10)
    ]


def test_student_ids_read_left_aligned_and_refuse_gaps_and_doubles() -> None:
    assert decide_id(_id([{4: FILLED}, {0: FILLED}, {}, {}]), 4).cell == "40"
    assert decide_id(_id([{4: FILLED}, {}, {1: FILLED}, {}]), 4).cell is None
    assert decide_id(_id([{4: FILLED, 5: FILLED}, {}, {}, {}]), 4).cell is None
    assert decide_id(_id([{}, {}, {}, {}]), 4).why == "no student ID filled in"


def test_overrides_file_is_strict(tmp_path: Path) -> None:
    from studygen.errors import StudygenError

    path = tmp_path / "o.csv"
    path.write_text("sheet,item,answer\na.pdf#1,3,B\na.pdf#2,student_id,123\na.pdf#3,page,ignore\n")
    o = read_overrides(path, "o.csv")
    assert o.items == {("a.pdf#1", 3): "B"} and o.student == {"a.pdf#2": "123"} and o.ignore == {"a.pdf#3"}
    for bad in (
        "x,y\n",
        "sheet,item,answer\na,zz,B\n",
        "sheet,item,answer\na,page,keep\n",
        "sheet,item,answer\na,1,B\na,1,C\n",
    ):
        path.write_text(bad)
        with pytest.raises(StudygenError):
            read_overrides(path, "o.csv")


# -- hostile input: a message and an exit code, never a traceback ------------------------------


def _hostile_files(tmp: Path) -> list[Path]:
    files = {
        "empty.png": b"",
        "text.jpg": b"not an image at all",
        "truncated.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
        "truncated.pdf": b"%PDF-1.7\n1 0 obj\n<<",
        "tiny.png": cv2.imencode(".png", np.zeros((20, 20), np.uint8))[1].tobytes(),
        "tiff.tif": b"II*\x00" + b"\xff" * 64,
        "noise.jpg": cv2.imencode(".jpg", np.random.default_rng(1).integers(0, 255, (900, 700), np.uint8))[1].tobytes(),
    }
    # A PNG whose header claims 60000 x 60000 pixels.
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    files["bomb.png"] = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk))
    out = []
    for name, data in files.items():
        (tmp / name).write_bytes(data)
        out.append(tmp / name)
    return out


def test_hostile_scans_are_rejected_pages_not_tracebacks(
    quiz_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _hostile_files(tmp_path)
    code = main(["scan", str(quiz_dir / "manifest.json"), *map(str, files), "--out", str(tmp_path / "out")])
    assert code == 1
    review = (tmp_path / "out" / "needs-review.csv").read_text("utf-8")
    for f in files:
        assert f.name in review
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["missing.pdf"], "no such scan file"),
        (["."], "is a folder"),
    ],
)
def test_scan_cannot_run_without_its_inputs(
    quiz_dir: Path, tmp_path: Path, args: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["scan", str(quiz_dir / "manifest.json"), *args, "--out", str(tmp_path / "out")])
    assert code == 2 and words in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_manifest_without_sheets_is_refused_with_the_fix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quiz", str(BANK), "--format", "pdf", "--versions", "1", "--out", str(tmp_path / "q")]) == 0
    page = tmp_path / "p.png"
    page.write_bytes(cv2.imencode(".png", np.full((900, 700), 255, np.uint8))[1].tobytes())
    code = main(["scan", str(tmp_path / "q" / "manifest.json"), str(page), "--out", str(tmp_path / "o")])
    assert code == 2 and "--sheets" in capsys.readouterr().err


def test_a_blank_page_is_skipped_and_reported_not_an_error(quiz_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "blank.jpg"
    page.write_bytes(
        scansim.print_and_scan(
            np.full((1754, 1240), 255, np.uint8),
            np.zeros((1754, 1240), np.float32),
            scansim.ScanSettings(noise=4, jpeg=75),
            np.random.default_rng(0),
        )
    )
    assert main(["scan", str(quiz_dir / "manifest.json"), str(page), "--out", str(tmp_path / "o")]) == 0
    assert "blank.jpg" in (tmp_path / "o" / "scan-report.html").read_text("utf-8")


# -- the course file ---------------------------------------------------------------------------


def _course(tmp: Path, quiz_extra: str) -> Path:
    path = tmp / "studygen.yaml"
    path.write_text(
        f"""course: IR 210
banks: [{BANK}]
study_guide: false
discussion: false
self_test: false
quizzes:
  - id: q
    title: Quiz
    versions: 2
    formats: [pdf]
    blueprint: {{questions: 6}}
{quiz_extra}""",
        "utf-8",
    )
    return path


def test_build_writes_sheets_for_a_quiz_that_asks_and_links_them(tmp_path: Path) -> None:
    (tmp_path / "class.csv").write_text("student_id,name\n7,Anna\n8,Boris\n9,Chen\n", "utf-8")
    course = _course(tmp_path, "    answer_sheets: true\n    student_id_digits: 5\n    roster: class.csv\n")
    assert main(["build", "--config", str(course), "--out", str(tmp_path / "out")]) == 0
    folder = tmp_path / "out" / "quizzes" / "q"
    assert (folder / "q-A-sheet.pdf").is_file() and (folder / "q-roster-sheets.pdf").is_file()
    assert len(PdfReader(folder / "q-roster-sheets.pdf").pages) == 3
    sheets = json.loads((folder / "manifest.json").read_text("utf-8"))["sheets"]
    assert sheets["id_digits"] == 5 and [r["version"] for r in sheets["roster"]] == ["A", "B", "A"]
    assert "quizzes/q/q-A-sheet.pdf" in (tmp_path / "out" / "index.html").read_text("utf-8")


def test_a_bad_roster_in_the_course_file_is_reported_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "class.csv").write_text("student_id,name\n7,Anna\n7,Boris\n", "utf-8")
    course = _course(tmp_path, "    roster: class.csv\n")
    assert main(["build", "--config", str(course), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "class.csv:3:1" in err and "already on line 2" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


@settings(max_examples=25, deadline=None)
@given(
    questions=st.integers(1, 80),
    seed=st.integers(0, 10_000),
    paper=st.sampled_from(["A4", "Letter"]),
    digits=st.integers(1, 16),
    personal=st.booleans(),
)
def test_every_layout_keeps_boxes_apart_inside_the_page_and_covers_every_item(
    questions: int, seed: int, paper: str, digits: int, personal: bool
) -> None:
    from studygen.build import quiz_from_spec

    banks = _banks()
    spec = QuizSpec(id="p", title="P", versions=1, seed=seed, blueprint=Blueprint(questions=questions))
    version = quiz_from_spec(spec, banks, Course(root=ROOT)).versions[0]
    layout = sheet_layout(version, paper, id_digits=digits, personal=personal)
    assert {b.item for p in layout.pages for b in p.boxes if b.kind != "id"} == {i.number for i in version.items}
    for page in layout.pages:
        w, h = page.size
        boxes = sorted(page.boxes, key=lambda b: (b.rect[1], b.rect[0]))
        for b in boxes:
            x, y, bw, bh = b.rect
            assert x >= 40 and x + bw <= w - 40 and y >= 40 and y + bh <= h - 40
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if b.rect[1] >= a.rect[1] + a.rect[3]:
                    break
                assert a.rect[0] + a.rect[2] <= b.rect[0] or b.rect[0] + b.rect[2] <= a.rect[0]
        assert (page.id_grid is None) == personal


_BANKS: list = []


def _banks() -> list:
    from studygen.build import load_checked

    if not _BANKS:
        _BANKS.extend(load_checked([BANK], io.StringIO()))
    return _BANKS


def test_an_item_whose_grid_runs_onto_the_next_page_is_decided_from_both_pages() -> None:
    from studygen.grade.manifest import ManifestVersion
    from studygen.scan.decide import Sheet, _join_split_items
    from studygen.scan.reader import PageRead

    row1 = _boxes({"A": EMPTY, "B": FILLED, "C": EMPTY}, part=1)
    row2 = _boxes({"A": FILLED, "B": EMPTY, "C": EMPTY}, part=2)
    p1, p2 = PageRead("s#1", "ok", boxes=row1), PageRead("s#2", "ok", boxes=row2)
    p1.readings = {1: decide_item(MATCH, row1)}
    p2.readings = {1: decide_item(MATCH, row2)}
    assert p1.readings[1].cell == "B-"  # page by page, each half looks like a gap
    sheet = Sheet(ManifestVersion("A", (MATCH,)), "7", pages={1: [p1], 2: [p2]})
    _join_split_items(sheet)
    assert p1.readings[1].cell == "BA" and 1 not in p2.readings

"""`studygen new`: a reading in each form it comes in → seed, metadata, a bank `check` accepts, a course entry."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import pytest
import readings_fixture as rf
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.cli import main
from studygen.passages import normalize_passage
from studygen.scaffold import sentences, suggest
from studygen.sources.banks import load_banks
from studygen.sources.courseedit import add_bank
from studygen.sources.extract import extract

REPO = Path(__file__).resolve().parent.parent
ARGS = ["--title", "The Concert of Europe", "--author", "A. Example", "--publication", "Example Review"]
ARGS += ["--date", "2025-01-15"]
COURSE = """\
# My course: comments and layout must survive `studygen new`.
course: "IR 101"
banks:
  - question_banks/first.yaml   # week 1
output: output   # where builds go
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course folder with one bank already in it (the bundled column), run from inside."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "question_banks").mkdir()
    for f in (REPO / "seeds").iterdir():
        shutil.copy(f, tmp_path / "seeds" / f.name)
    shutil.copy(REPO / "question_banks" / "seoul-moscow.yaml", tmp_path / "question_banks" / "first.yaml")
    (tmp_path / "studygen.yaml").write_text(COURSE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err + out
    return code, out + err


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_text_reading_becomes_a_bank_check_accepts(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project / "concert.txt"
    source.write_text(rf.TEXT, encoding="utf-8")
    code, err = run(capsys, "new", str(source), "--id", "concert", *ARGS)
    assert code == 0, err
    assert (project / "seeds/concert.txt").read_text(encoding="utf-8") == rf.TEXT
    meta = yaml.safe_load((project / "seeds/concert.meta.yaml").read_text(encoding="utf-8"))
    assert meta == {
        "title": "The Concert of Europe",
        "author": "A. Example",
        "publication": "Example Review",
        "date": "2025-01-15",
    }
    # The course file gained exactly one line, in the style of the line above it.
    course = (project / "studygen.yaml").read_text(encoding="utf-8")
    assert course == COURSE.replace(
        "  - question_banks/first.yaml   # week 1\n",
        "  - question_banks/first.yaml   # week 1\n  - question_banks/concert.yaml\n",
    )
    result = load_banks(["question_banks/concert.yaml"])
    assert result.ok and not result.diagnostics
    (bank,) = result.banks
    # The metadata file is the reading's one source: the bank does not repeat it.
    assert (bank.reading.title, bank.reading.author, bank.reading.date) == (
        "The Concert of Europe",
        "A. Example",
        "2025-01-15",
    )
    assert "title" not in yaml.safe_load((project / "question_banks/concert.yaml").read_text())["reading"]
    assert main(["check", "--strict", "question_banks/"]) == 0
    assert "wrote seeds/concert.txt" in err and "added question_banks/concert.yaml" in err


def test_html_page_keeps_the_article_and_reports_what_it_left_out(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project / "saved-page.html"
    source.write_text(rf.html_page(), encoding="utf-8")
    code, err = run(capsys, "new", str(source), "--id", "concert", *ARGS)
    assert code == 0, err
    seed = (project / "seeds/concert.txt").read_text(encoding="utf-8")
    assert seed == rf.TITLE + "\n\n" + rf.TEXT
    for menu in ("Subscribe now", "cookies", "Most read", "Copyright 2025", "track", "document.title", "color: red"):
        assert menu not in seed
    assert "left out" in err
    for shown in ("Subscribe now", "Accept all cookies", "Most read", "Copyright 2025 Example Review"):
        assert shown in err
    assert "document.title" not in err  # script text is neither kept nor shown as page text


def test_pdf_reading_order_hyphens_and_furniture(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project / "reading.pdf"
    rf.pdf_bytes(source)
    code, err = run(capsys, "new", str(source), "--id", "concert", *ARGS, "--suggest")
    assert code == 0, err
    assert (project / "seeds/concert.txt").read_text(encoding="utf-8") == rf.TEXT
    assert "page 1: Example Review of International Affairs · Vol. 3" in err
    assert "page 2: Page 2 of 2" in err
    assert "Vi-|enna -> Vienna" in err and "ri-|vals -> rivals" in err
    bank_text = (project / "question_banks/concert.yaml").read_text(encoding="utf-8")
    assert '#      - "After the defeat of Napoleon in 1815' in bank_text
    assert main(["check", "--strict", "question_banks/concert.yaml"]) == 0


def test_pdf_without_text_layer_is_refused_with_the_reason(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    source = project / "scan.pdf"
    canvas = Canvas(str(source), pagesize=A4, invariant=True)
    canvas.rect(72, 72, 300, 500, fill=1)  # a page that is a picture: no text at all
    canvas.showPage()
    canvas.save()
    before = snapshot(project)
    code, err = run(capsys, "new", str(source), "--id", "concert", *ARGS)
    assert code == 2
    assert "no text layer" in err and "OCR" in err
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("r.txt", b"plain words\n", ["--id", "../x"], "--id '../x': use letters"),
        ("r.txt", b"plain words\n", ["--id", "a/b"], "--id 'a/b'"),
        ("r.txt", b"\x00\x01binary\x00" * 10, ["--id", "x"], "binary file"),
        ("r.txt", b"\xff\xfeh\x00i\x00", ["--id", "x"], "UTF-16"),
        ("r.txt", b"caf\xe9\n", ["--id", "x"], "not UTF-8"),
        ("r.docx", b"PK\x03\x04", ["--id", "x"], "cannot read a .docx file"),
        ("r.pdf", b"%PDF-1.4 garbage that is not a pdf", ["--id", "x"], "cannot read this PDF"),
        ("r.txt", b"   \n", ["--id", "x"], "the file is empty"),
        ("r.txt", b"words\n", ["--id", "first"], "id 'first' is taken"),
        ("r.txt", b"words\n", ["--id", "x", "--url", "javascript:alert(1)"], "--url"),
        ("r.txt", b"words\n", ["--id", "x", "--date", "13 May"], "--date '13 May'"),
    ],
)
def test_bad_sources_and_ids_change_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, args: list[str], message: str
) -> None:
    source = project / name
    source.write_bytes(content)
    before = snapshot(project)
    argv = ["new", str(source), *ARGS, *args]
    code, err = run(capsys, *argv)
    assert code == 2, err
    assert message in err
    assert snapshot(project) == before


def test_huge_source_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project / "huge.txt"
    with source.open("wb") as fh:
        fh.truncate(9 * 1024 * 1024)  # sparse: 9 MiB of NULs without using the disk
    code, err = run(capsys, "new", str(source), "--id", "x", *ARGS)
    assert code == 2 and "limit" in err


def test_an_existing_id_is_never_overwritten(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project / "r.txt"
    source.write_text(rf.TEXT, encoding="utf-8")
    (project / "seeds/concert.txt").write_text("the instructor's own file\n", encoding="utf-8")
    code, err = run(capsys, "new", str(source), "--id", "concert", *ARGS)
    assert code == 2 and "never overwrites" in err
    assert (project / "seeds/concert.txt").read_text() == "the instructor's own file\n"
    assert not (project / "question_banks/concert.yaml").exists()


def test_flow_style_banks_and_no_course_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "studygen.yaml").write_text('course: "X"\nbanks: [question_banks/first.yaml]  # one\n')
    source = project / "r.txt"
    source.write_text(rf.TEXT, encoding="utf-8")
    assert run(capsys, "new", str(source), "--id", "concert", *ARGS)[0] == 0
    assert (project / "studygen.yaml").read_text() == (
        'course: "X"\nbanks: [question_banks/first.yaml, question_banks/concert.yaml]  # one\n'
    )
    (project / "studygen.yaml").unlink()
    code, err = run(capsys, "new", str(source), "--id", "other", *ARGS)
    assert code == 0 and "no course file" in err


def test_metadata_in_two_places_is_an_error_at_the_bank_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = project / "r.txt"
    source.write_text(rf.TEXT, encoding="utf-8")
    assert run(capsys, "new", str(source), "--id", "concert", *ARGS)[0] == 0
    bank = project / "question_banks/concert.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("reading:\n", 'reading:\n  title: "Another title"\n'), encoding="utf-8")
    line = text.split("\n").index("reading:") + 2
    code, err = run(capsys, "check", "question_banks/concert.yaml")
    assert code == 1
    assert f"question_banks/concert.yaml:{line}:10: error reading-meta reading.title is also in" in err
    bank.write_text(text, encoding="utf-8")
    meta = project / "seeds/concert.meta.yaml"
    meta.write_text(meta.read_text() + "auther: someone\n", encoding="utf-8")
    code, err = run(capsys, "check", "question_banks/concert.yaml")
    assert code == 1 and "unknown key 'auther'; did you mean 'author'?" in err and "concert.meta.yaml:6:1" in err


def test_bank_without_meta_still_needs_its_fields(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = project / "question_banks/bare.yaml"
    bank.write_text('format: 1\nid: bare\ntitle: "B"\nreading:\n  text: ../seeds/000_70008bae40352f36.txt\n')
    code, err = run(capsys, "check", str(bank))
    assert code == 1 and "bare.yaml:4:1: error schema reading is missing required key 'title'" in err


# --- properties ---------------------------------------------------------------------------------

_item = st.text(string.ascii_lowercase + "/._-", min_size=1, max_size=20).filter(lambda s: s[0].isalpha())


@settings(max_examples=150, deadline=None)
@given(items=st.lists(_item, min_size=1, max_size=5, unique=True), new=_item, flow=st.booleans(), comment=st.booleans())
def test_adding_a_bank_changes_nothing_else(items: list[str], new: str, flow: bool, comment: bool) -> None:
    if new in items:
        return
    tail = "  # mine" if comment else ""
    if flow:
        text = f"# top\ncourse: C\nbanks: [{', '.join(items)}]{tail}\noutput: out\n"
    else:
        text = "# top\ncourse: C\nbanks:\n" + "".join(f"  - {i}{tail}\n" for i in items) + "output: out\n"
    out = add_bank(text, new, "studygen.yaml")
    assert yaml.load(out, Loader=yaml.BaseLoader)["banks"] == [*items, new]
    assert yaml.load(out, Loader=yaml.BaseLoader)["output"] == "out"
    old_lines, new_lines = text.splitlines(), out.splitlines()
    if not flow:  # block style: exactly one line inserted, every other line kept byte for byte
        assert len(new_lines) == len(old_lines) + 1
        assert [line for line in new_lines if line != f"  - {new}"] == old_lines


_words = st.lists(
    st.sampled_from(
        [
            "Seoul",
            "Moscow",
            "the",
            "ministry",
            "said",
            "in",
            "1815",
            "May",
            "“peace”",
            "Dr.",
            "Kim",
            "Jong-un",
            "war",
            "U.N.",
        ]
    ),
    min_size=3,
    max_size=25,
)


@settings(max_examples=200, deadline=None)
@given(paragraphs=st.lists(st.lists(_words, min_size=1, max_size=4), min_size=1, max_size=4))
def test_suggested_quotes_are_always_verbatim(paragraphs: list[list[list[str]]]) -> None:
    text = "\n\n".join(" ".join(" ".join(s) + "." for s in para) for para in paragraphs)
    flat = normalize_passage(text)
    for sentence in sentences(text):
        assert normalize_passage(sentence) in flat
    for s in suggest(text):
        assert normalize_passage(s.quote) in flat and s.reasons


def test_sentences_respect_abbreviations() -> None:
    text = "Dr. Chung-in Moon wrote it on Sept. 13, 2023. Then “Yes,” he said. The U.N. met."
    assert list(sentences(text)) == [
        "Dr. Chung-in Moon wrote it on Sept. 13, 2023.",
        "Then “Yes,” he said.",
        "The U.N. met.",
    ]


def test_extract_is_deterministic(tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    rf.pdf_bytes(pdf)
    assert extract(pdf).text == extract(pdf).text == rf.TEXT


def test_adding_a_second_reading_names_the_first_bank_in_existing_quizzes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quiz that named no banks drew from the only one; it must draw the same after `new`."""
    course = COURSE + "quizzes:\n  - id: week-1\n    title: Week 1\n    blueprint: {questions: 3}\n"
    course += "  - id: named\n    title: Named\n    banks: [first]\n"
    (project / "studygen.yaml").write_text(course, encoding="utf-8")
    source = project / "r.txt"
    source.write_text(rf.TEXT, encoding="utf-8")
    code, err = run(capsys, "new", str(source), "--id", "concert", *ARGS)
    assert code == 0, err
    text = (project / "studygen.yaml").read_text(encoding="utf-8")
    assert "  - id: week-1\n    banks: [question_banks/first.yaml]\n    title: Week 1\n" in text
    assert text.count("banks: [") == 2  # the quiz that named its bank is left alone
    assert "named the course's first bank in quiz(zes) week-1" in err


def test_exports_are_per_bank_and_adding_a_reading_leaves_the_first_ones_alone(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    course = COURSE + "exports: [moodle, gift]\ndocuments: [study_guide]\n"
    (project / "studygen.yaml").write_text(course, encoding="utf-8")
    assert main(["build", "--out", "first"]) == 0
    before = {p.name: p.read_bytes() for p in (project / "first/exports").iterdir()}
    assert sorted(before) == ["seoul-moscow.gift.txt", "seoul-moscow.xml"]
    source = project / "r.txt"
    source.write_text(rf.TEXT, encoding="utf-8")
    assert run(capsys, "new", str(source), "--id", "concert", *ARGS)[0] == 0
    assert main(["build", "--out", "second"]) == 0
    after = {p.name: p.read_bytes() for p in (project / "second/exports").iterdir()}
    assert sorted(after) == ["concert.gift.txt", "concert.xml", "seoul-moscow.gift.txt", "seoul-moscow.xml"]
    assert {k: after[k] for k in before} == before
    index = (project / "second/index.html").read_text(encoding="utf-8")
    assert "exports/concert.xml" in index and "exports/seoul-moscow.xml" in index

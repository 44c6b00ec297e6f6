"""End to end through the CLI: manifest against keys and quizzes, determinism, atomicity, hostile text."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from studygen import inline
from studygen.cli import main
from studygen.versions import LETTERS
from studygen.writer import MARKER

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    assert main(["build", "--config", str(FIXTURES / "course.yaml"), "--out", str(out)]) == 0
    return out


def files_of(root: Path) -> dict[str, bytes]:
    """The build's documents (not studygen's own hidden record of what it wrote)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def by_class(node: Any, tag: str, cls: str) -> list[Any]:
    found: list[Any] = node.xpath(f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")
    return found


def children(node: Any, tag: str, cls: str) -> list[Any]:
    return [li for ol in by_class(node, tag, cls) for li in ol.findall("li")]


def text_of(node: Any) -> str:
    return " ".join("".join(node.itertext()).split())


def test_layout(built: Path) -> None:
    names = set(files_of(built))
    for quiz, labels in (("check", "ABC"), ("full", "AB")):
        assert f"quizzes/{quiz}/manifest.json" in names
        assert f"quizzes/{quiz}/responses-template.csv" in names
        for label in labels:
            assert f"quizzes/{quiz}/{quiz}-{label}.html" in names
            assert f"quizzes/{quiz}/{quiz}-{label}-key.html" in names
    assert "quizzes/full/full-A-large.html" in names and "quizzes/full/full-B-key-large.html" in names
    assert "quizzes/check/check-A-large.html" not in names
    assert {"index.html", "study-guide/hostile.html", "discussion/hostile-student.html"} <= names
    assert "discussion/hostile-facilitator.html" in names and "exports/hostile.json" in names
    assert "quizzes/full/full-A.pdf" in names and "quizzes/full/full-A-key-large.pdf" in names
    assert "study-guide/hostile.pdf" in names
    assert "quizzes/check/check-C-sheet.pdf" in names and "quizzes/full/full-A-sheet.pdf" not in names
    assert not [n for n in names if ".tmp" in n], "temporary files left behind"


def test_index_links_every_document(built: Path) -> None:
    doc = lxml_html.fromstring((built / "index.html").read_bytes())
    hrefs = {a.get("href") for a in doc.iter("a")}
    on_disk = {n for n in files_of(built) if n != "index.html" and not n.startswith("self-test/")}
    on_disk |= {"self-test/index.html"} if (built / "self-test" / "index.html").exists() else set()
    assert on_disk <= hrefs, on_disk - hrefs
    assert all((built / h).exists() for h in hrefs)


def manifest_of(built: Path, quiz: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((built / "quizzes" / quiz / "manifest.json").read_text("utf-8"))
    return data


def test_manifest_shape(built: Path) -> None:
    m = manifest_of(built, "full")
    assert list(m) == ["quiz", "seed", "fingerprint", "versions", "questions"] and m["quiz"] == "full"
    assert m["seed"] == 5
    v = m["versions"][0]
    assert list(v) == ["label", "files", "items"]
    assert list(v["files"]) == ["quiz_pdf", "key_pdf", "quiz_html", "key_html"]
    assert v["files"]["quiz_html"] == "full-A.html" and v["files"]["key_html"] == "full-A-key.html"
    assert v["files"]["quiz_pdf"] == "full-A.pdf"
    check = manifest_of(built, "check")
    assert check["versions"][0]["files"]["quiz_pdf"] == "check-A.pdf"
    for item in v["items"]:
        assert {"number", "question_id", "type", "options", "correct", "points"} <= set(item)
    types = [i["type"] for i in check["versions"][0]["items"]]
    assert types.count("single_choice") == 3 and types.count("essay") == 1 and len(types) == 8


def test_responses_template(built: Path) -> None:
    rows = list(csv.reader((built / "quizzes" / "check" / "responses-template.csv").open(encoding="utf-8")))
    assert rows == [["student_id", "version", *map(str, range(1, 9))]]


@pytest.mark.parametrize("quiz", ["check", "full"])
def test_quiz_and_key_html_agree_with_manifest(built: Path, quiz: str) -> None:
    m = manifest_of(built, quiz)
    for v in m["versions"]:
        q = lxml_html.fromstring((built / "quizzes" / quiz / v["files"]["quiz_html"]).read_bytes())
        k = lxml_html.fromstring((built / "quizzes" / quiz / v["files"]["key_html"]).read_bytes())
        questions = by_class(q, "li", "question")
        assert len(questions) == len(v["items"])
        grid = [text_of(li) for li in children(k, "ol", "key-grid")]
        assert len(grid) == len(v["items"])
        for item, shown, entry in zip(v["items"], questions, grid, strict=True):
            choices = [text_of(li) for li in children(shown, "ol", "choices")]
            assert choices == [
                f"{LETTERS[i]}. {' '.join(strip_inline(o).split())}" for i, o in enumerate(item["options"])
            ]
            assert text_of(by_class(shown, "span", "num")[0]) == f"{item['number']}."
            if item["type"] in ("single_choice", "multiple_response", "true_false"):
                assert entry == f"{item['number']}. {''.join(item['correct'])}"
            elif item["type"] == "ordering":
                assert entry == f"{item['number']}. {' '.join(item['correct'])}"
            elif item["type"] == "matching":
                pairs = " ".join(f"{LETTERS[i].lower()}-{c}" for i, c in enumerate(item["correct"]))
                assert entry == f"{item['number']}. {pairs}"
            elif item["type"] == "short_answer":
                assert entry == f"{item['number']}. {item['correct'][0]}"


def strip_inline(text: str) -> str:
    """What a browser shows for bank text: the `**bold**`/`*italic*` markers are gone; a literal `<b>` stays text."""
    return inline.plain(text)


def test_key_explains_each_answer_with_its_source_passage(built: Path) -> None:
    m = manifest_of(built, "full")
    k = lxml_html.fromstring((built / "quizzes" / "full" / "full-A-key.html").read_bytes())
    answers = by_class(k, "li", "answer")
    assert len(answers) == len(m["versions"][0]["items"])
    for li in answers:
        assert li.findall(".//blockquote"), "every answer shows its source passage"
        assert "Explanation:" in text_of(li)


def test_pdf_quiz_and_key_agree_with_manifest(built: Path) -> None:
    from pypdf import PdfReader

    m = manifest_of(built, "full")
    for v in m["versions"]:
        key_text = " ".join(
            p.extract_text() for p in PdfReader(str(built / "quizzes" / "full" / v["files"]["key_pdf"])).pages
        )
        quiz_text = " ".join(
            p.extract_text() for p in PdfReader(str(built / "quizzes" / "full" / v["files"]["quiz_pdf"])).pages
        )
        flat_key = " ".join(key_text.split())
        for item in v["items"]:
            if item["type"] in ("single_choice", "multiple_response", "true_false"):
                assert f"{item['number']}. {''.join(item['correct'])}" in flat_key
        flat_quiz = " ".join(quiz_text.split())
        assert f"Version {v['label']}" in flat_quiz and "Page 1 of" in flat_quiz
        for item in v["items"]:
            for option in item["options"]:
                shown = {" ".join(text.split()[:2]) for text in (option, strip_inline(option))}
                assert any(w in flat_quiz for w in shown), (
                    f"option {option!r} of item {item['number']} is not in the PDF"
                )
        assert "<script>alert('x')</script>" in flat_quiz and "한국어" in flat_quiz and "русский" in flat_quiz


def test_two_builds_are_byte_identical_whatever_the_jobs(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    assert main(["build", "--config", str(FIXTURES / "course.yaml"), "--out", str(out), "--jobs", "2"]) == 0
    assert files_of(out) == files_of(built)


def test_failing_render_leaves_no_partial_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from studygen.errors import StudygenError
    from studygen.targets.html import HtmlRenderer

    def broken(self: HtmlRenderer, bank: Any, **options: Any) -> bytes:
        raise StudygenError("study guide exploded")

    monkeypatch.setattr(HtmlRenderer, "study_guide", broken)
    out = tmp_path / "out"
    assert main(["build", "--config", str(FIXTURES / "course.yaml"), "--out", str(out)]) == 2
    assert "study guide exploded" in capsys.readouterr().err
    assert not out.exists()


def test_hostile_text_renders_as_text(built: Path) -> None:
    pages = [p for p in built.rglob("*.html") if "self-test" not in p.parts]
    assert pages
    for page in pages:
        raw = page.read_text("utf-8")
        doc = lxml_html.fromstring(raw.encode("utf-8"))
        assert not doc.findall(".//script"), f"{page}: a <script> element"
        assert not doc.findall(".//img"), f"{page}: an <img> element"
        assert not [e for e in doc.iter() if any(a.startswith("on") for a in e.attrib)], f"{page}: an on* handler"
        tags = {e.tag for e in doc.iter() if isinstance(e.tag, str)}
        assert not tags & {"iframe", "object", "embed", "extension"}, page
    sg = (built / "study-guide" / "hostile.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sg and "&lt;img src=x onerror=alert(2)&gt;" in sg
    assert "<strong>Seoul-Moscow</strong>" in sg and "<em>not</em>" in sg, "the safe inline subset passes"
    assert "한국어" in sg and "русский" in sg and "]]&gt; {x}" in sg
    quiz = (built / "quizzes" / "check" / "check-A.html").read_text("utf-8")
    assert "<title>Reading check &lt;script&gt;alert(1)&lt;/script&gt;" in quiz
    assert "IR &lt;210&gt; &amp; Co" in quiz and "Dr. &lt;i&gt;Park&lt;/i&gt;" in quiz
    assert html.unescape("&lt;script&gt;") in html.unescape(quiz)


def test_html_is_well_formed_html5(built: Path) -> None:
    html5lib = pytest.importorskip("html5lib")
    for page in built.rglob("*.html"):
        if "self-test" in page.parts:
            continue
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        doc = parser.parse(page.read_bytes())  # raises on any HTML5 parse error
        ids = [e.get("id") for e in doc.iter() if e.get("id")]
        assert len(ids) == len(set(ids)), f"{page}: duplicate ids"
        assert doc.get("lang"), page
        labels = {e.get("for") for e in doc.iter("label")}
        assert {e.get("id") for e in doc.iter("input")} <= labels, f"{page}: an input without a label"


def test_build_refuses_banks_with_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bank = tmp_path / "bad.yaml"
    text = (FIXTURES / "hostile.yaml").read_text("utf-8")
    text = text.replace("../../../seeds/", str(REPO / "seeds") + "/")
    text = text.replace('"Russia also vetoed a motion', '"Russia never vetoed a motion')
    bank.write_text(text, "utf-8")
    course = tmp_path / "studygen.yaml"
    course.write_text("course: IR\nbanks: [bad.yaml]\n", "utf-8")
    assert main(["build", "--config", str(course), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert re.search(r"bad\.yaml:\d+:\d+: error quote-not-found", err), err
    assert "nothing was built" in err
    assert not (tmp_path / "out").exists()


def test_quiz_command(tmp_path: Path) -> None:
    out = tmp_path / "q"
    args = ["quiz", str(FIXTURES / "hostile.yaml"), "--questions", "6", "--versions", "3", "--seed", "4"]
    assert main([*args, "--format", "html", "--out", str(out), "--title", "Pop quiz", "--large-print"]) == 0
    m = json.loads((out / "manifest.json").read_text("utf-8"))
    assert m["quiz"] == "pop-quiz" and m["seed"] == 4 and [v["label"] for v in m["versions"]] == ["A", "B", "C"]
    assert all(len(v["items"]) == 6 for v in m["versions"])
    assert (out / "pop-quiz-C-key-large.html").exists() and (out / "responses-template.csv").exists()
    again = tmp_path / "q2"
    assert main([*args, "--format", "html", "--out", str(again), "--title", "Pop quiz", "--large-print"]) == 0
    assert files_of(out) == files_of(again)


def test_quiz_command_refuses_a_bad_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quiz", str(FIXTURES / "hostile.yaml"), "--format", "docx", "--out", str(tmp_path / "x")]) == 2
    assert "choose pdf, html or pdf,html" in capsys.readouterr().err


def test_quiz_command_too_many_questions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quiz", str(FIXTURES / "hostile.yaml"), "--questions", "99", "--out", str(tmp_path / "x")]) == 2
    assert "asks for 99 questions but only 10 match" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@pytest.mark.skipif(not (REPO / "question_banks" / "seoul-moscow.yaml").exists(), reason="real bank not present")
def test_bundled_course_builds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(REPO / "studygen.yaml", tmp_path / "studygen.yaml")
    (tmp_path / "question_banks").symlink_to(REPO / "question_banks")
    (tmp_path / "seeds").symlink_to(REPO / "seeds")
    assert main(["build", "--config", str(tmp_path / "studygen.yaml"), "--jobs", "2"]) == 0
    out = tmp_path / "output"
    m = manifest_of(out, "quiz-1")
    assert len(m["versions"]) == 4 and all(len(v["items"]) == 20 for v in m["versions"])
    assert (out / "quizzes" / "quiz-1" / "quiz-1-D-key-large.html").exists()
    assert (out / "study-guide" / "seoul-moscow.html").exists() and (out / "index.html").exists()
    err = capsys.readouterr().err
    assert "warning" not in err, err  # a first run is quiet: a warning is something the user must act on


def test_renderer_warnings_are_returned_not_printed_by_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's warnings (e.g. text no font can draw) come back to the build, which prints them once."""
    import warnings

    from studygen import build

    def warns(plan: Any, task: Any) -> list[tuple[str, bytes]]:
        warnings.warn("quiz 'q': no font can draw '한국어'; set hangul_font", UserWarning, stacklevel=1)
        return [("a.html", b"x")]

    monkeypatch.setattr(build, "render_batch", warns)
    docs, messages = build.render_batch_collecting(None, None)  # type: ignore[arg-type]
    assert docs == [("a.html", b"x")]
    assert messages == ["quiz 'q': no font can draw '한국어'; set hangul_font"]

"""Regressions from a hostile-input review: every one of these once leaked, crashed or mis-graded."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from studygen.cli import main
from studygen.sources.banks import load_banks

GOOD_DIR = Path(__file__).parent / "fixtures" / "check"


def bank_copy(tmp_path: Path, old: str, new: str) -> Path:
    """The known-good fixture bank (and its reading), with one line changed."""
    (tmp_path / "banks").mkdir()
    shutil.copy(GOOD_DIR / "reading.txt", tmp_path / "reading.txt")
    text = (GOOD_DIR / "good" / "good.yaml").read_text("utf-8")
    assert old in text
    path = tmp_path / "banks" / "good.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [f"{d.line}:{d.col}: {d.rule} {d.message}" for d in load_banks([path]).diagnostics]


def test_reading_path_cannot_leave_the_project(tmp_path: Path) -> None:
    path = bank_copy(tmp_path, "text: ../reading.txt", "text: ../../../../../../etc/passwd")
    (problem,) = messages(path)
    assert problem.startswith("10:9: reading-outside reading text '../../../../../../etc/passwd' leads outside")


def test_an_absolute_reading_path_must_be_inside_the_project_too(tmp_path: Path) -> None:
    path = bank_copy(tmp_path, "text: ../reading.txt", "text: /etc/passwd")
    assert messages(path) == [
        "10:9: reading-outside reading text '/etc/passwd' leads outside the project (to /etc/passwd); "
        "keep readings in the project's seeds/ folder"
    ]


def test_a_device_is_not_read(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "/dev/zero"]) == 1
    assert "/dev/zero:1:1: error file-unreadable is not a regular file (a device or pipe?)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9" * 5000, "must be a number, not text"),
        ("1e999", "must be a number, not text '1e999'"),
        ("1e300", "is 1e+300; it must be at most 1000"),
    ],
)
def test_absurd_points_are_problems_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    path = bank_copy(tmp_path, "    bloom: remember\n", f"    bloom: remember\n    points: {value}\n")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr()
    assert message in out.out and "Traceback" not in out.err


def test_reading_url_must_be_a_web_address(tmp_path: Path) -> None:
    path = bank_copy(tmp_path, "  date: 2024-05-13\n", '  date: 2024-05-13\n  url: "javascript:alert(1)"\n')
    (problem,) = messages(path)
    assert problem.endswith("reading.url is 'javascript:alert(1)'; write a web address starting with https://")


def test_case_sensitive_short_answer_reaches_grading(tmp_path: Path) -> None:
    path = bank_copy(
        tmp_path, '    accepted: ["017", code 017]\n', "    accepted: [Code 017]\n    case_sensitive: true\n"
    )
    out = tmp_path / "quiz"
    bank = load_banks([path]).banks[0]
    n = len(bank.questions)
    assert (
        main(["quiz", str(path), "--questions", str(n), "--versions", "1", "--format", "html", "--out", str(out)]) == 0
    )
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    (item,) = [i for i in manifest["versions"][0]["items"] if i["type"] == "short_answer"]
    assert item["case_sensitive"] is True
    assert item["correct"] == ["Code 017"]
    numbers = [str(i["number"]) for i in manifest["versions"][0]["items"]]
    with (tmp_path / "r.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student_id", "version", *numbers])
        w.writerow(["s1", "A", *("code 017" if n == str(item["number"]) else "" for n in numbers)])
    assert main(["grade", str(out / "manifest.json"), str(tmp_path / "r.csv"), "--out", str(tmp_path / "g")]) == 0
    rows = list(csv.DictReader((tmp_path / "g" / "grades.csv").open(encoding="utf-8-sig")))
    assert rows[0]["score"] in ("0", "0.0"), rows


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"quiz": "q", "seed": ' + "9" * 5000 + ', "versions": []}', "has 5000 digits"),
        ("[" * 100_000, "nested absurdly deep"),
        ('{"quiz": "q", "seed": NaN, "versions": []}', "NaN is not a valid number"),
    ],
)
def test_hostile_manifests_are_refused_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    (tmp_path / "m.json").write_text(content, "utf-8")
    (tmp_path / "r.csv").write_text("student_id,version,1\ns1,A,B\n", "utf-8")
    assert main(["grade", str(tmp_path / "m.json"), str(tmp_path / "r.csv"), "--out", str(tmp_path / "g")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_handouts_never_link_a_non_web_url() -> None:
    """The schema refuses such URLs; the HTML templates check again (defence in depth)."""
    from dataclasses import replace

    from lxml import html as lxml_html

    from studygen.course import Course
    from studygen.targets.html import render_discussion_html, render_study_guide_html

    bank = load_banks([GOOD_DIR / "good" / "good.yaml"]).banks[0]
    unsafe = replace(bank, reading=replace(bank.reading, url="javascript:alert(1)"))
    course = Course(root=GOOD_DIR, title="IR")
    for page in (render_study_guide_html(course, unsafe), render_discussion_html(course, unsafe, facilitator=True)):
        tree = lxml_html.fromstring(page)
        assert tree.xpath('//a[starts-with(@href, "javascript")]') == []
        assert "javascript:alert(1)" not in page.decode("utf-8")


def test_grade_does_not_read_devices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Manifests and response sheets go through the same bounded reader as banks."""
    (tmp_path / "r.csv").write_text("student_id,version,1\n", "utf-8")
    assert main(["grade", "/dev/zero", str(tmp_path / "r.csv"), "--out", str(tmp_path / "g")]) == 2
    assert "/dev/zero: cannot read the manifest: is not a regular file (a device or pipe?)" in capsys.readouterr().err

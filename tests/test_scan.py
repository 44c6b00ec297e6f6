"""`studygen scan` end to end: real sheets, simulated students and scanners, then `studygen grade`.

The sheets are the PDFs studygen writes, rasterised; students mark them in
realistic ways; a simulated scanner rotates, skews, scales, shifts, blurs,
adds noise and JPEG artefacts.  The assertions are the issue's: every clear
mark read right, every ambiguous one sent to review, zero wrong answers
recorded as certain, student and version always right, another build's
sheet refused; and grading the CSV gives the scores the students earned.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
import scansim
from PIL import Image

from studygen.cli import main
from studygen.course import Blueprint, Course, QuizSpec
from studygen.grade.answers import parse_answer
from studygen.grade.manifest import load_manifest
from studygen.grade.scoring import credit

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "question_banks"
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
ROSTER = [("20240001", "Kim Min-jun"), ("20240002", "Anna Petrova"), ("20240003", "Lee Ji-woo")]


def _build(out: Path, seed: int) -> dict:
    from studygen.build import build_quiz, load_checked

    banks = load_checked([BANK], io.StringIO())
    spec = QuizSpec(
        id="paper",
        title="Paper quiz",
        versions=2,
        seed=seed,
        blueprint=Blueprint(questions=sum(PER_TYPE.values()), per_type=PER_TYPE),
        formats=("pdf",),
        answer_sheets=True,
        id_digits=8,
        roster=tuple(ROSTER),
    )
    build_quiz(Course(root=ROOT, title="IR 210"), banks, spec, out, log=io.StringIO())
    return json.loads((out / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("quiz")
    return out, _build(out, seed=11)


def _pdf_pages(path: Path, dpi: float) -> list[np.ndarray]:
    return scansim.rasterise(path.read_bytes(), dpi)


def _split(pages: list[np.ndarray], per: int) -> list[list[np.ndarray]]:
    return [pages[i : i + per] for i in range(0, len(pages), per)]


def _images_to_pdf(images: list[bytes], path: Path) -> None:
    pics = [Image.open(io.BytesIO(b)).convert("L") for b in images]
    pics[0].save(path, "PDF", save_all=True, append_images=pics[1:], resolution=200)


def _credits(manifest_path: Path, responses: Path) -> dict[str, tuple[str, dict[int, float]]]:
    m = load_manifest(manifest_path)
    out = {}
    with responses.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            v = m.version(row["version"])
            assert v is not None
            out[row["student_id"]] = (
                row["version"],
                {i.number: credit(i, parse_answer(i, row[str(i.number)])) for i in v.items},
            )
    return out


def test_scan_reads_clear_marks_reviews_ambiguous_ones_and_grades(built: tuple[Path, dict], tmp_path: Path) -> None:
    out, manifest = built
    rng = np.random.default_rng(2024)
    scans = tmp_path / "scans"
    scans.mkdir()
    students: dict[str, scansim.Student] = {}
    files: list[str] = []
    pdf_batch: list[bytes] = []
    n_pages = {k: len(v["pages"]) for k, v in manifest["sheets"]["layouts"].items()}
    # Blank sheets, ID grid filled in: six students over both versions, each at its own dpi and scanner.
    for i in range(6):
        dpi = float((150, 200, 300)[i % 3])
        version = "AB"[i % 2]
        sid = f"3100{i:04d}"
        pages = _pdf_pages(out / f"paper-{version}-sheet.pdf", dpi)
        st = scansim.plan_student(manifest, version, sid, rng, ambiguous_rate=0.05 if i in (1, 4) else 0.0)
        students[sid] = st
        images = scansim.sheet_images(pages, st, dpi, rng)
        if i < 3:
            pdf_batch += images
        elif i == 5:  # a multi-page TIFF: the sheet, then an empty page from the feeder
            tiff = [Image.open(io.BytesIO(b)).convert("L") for b in images]
            tiff.append(Image.new("L", tiff[0].size, 250))
            tiff[0].save(scans / "s5.tif", save_all=True, append_images=tiff[1:], compression="tiff_lzw")
            files.append(str(scans / "s5.tif"))
        else:
            for j, data in enumerate(images):
                ext = "jpg" if data.startswith(b"\xff\xd8") else "png"
                name = scans / f"s{i}-{j}.{ext}"
                name.write_bytes(data)
                files.append(str(name))
    # Personalised roster sheets (student printed and encoded), in one PDF in roster order.
    roster_pages = _split(_pdf_pages(out / "paper-roster-sheets.pdf", 200), n_pages["A+roster"])
    for (sid, _), pages, r in zip(ROSTER, roster_pages, manifest["sheets"]["roster"], strict=True):
        st = scansim.plan_student(manifest, f"{r['version']}+roster", sid, rng)
        students[sid] = st
        pdf_batch += scansim.sheet_images(pages, st, 200, rng)
    pdf_batch.insert(
        2,
        scansim.print_and_scan(
            np.full((2339, 1654), 255, np.uint8),
            np.zeros((2339, 1654), np.float32),
            scansim.ScanSettings(noise=3, jpeg=80),
            rng,
        ),
    )  # a blank page
    _images_to_pdf(pdf_batch, scans / "batch.pdf")
    files.insert(0, str(scans / "batch.pdf"))
    # A sheet printed from another build of the same quiz (another seed: another fingerprint).
    other = tmp_path / "other"
    other_manifest = _build(other, seed=12)
    assert other_manifest["sheets"]["fingerprint"] != manifest["sheets"]["fingerprint"]
    foreign = scansim.plan_student(other_manifest, "A", "31009999", rng)
    (scans / "foreign.png").write_bytes(
        scansim.sheet_images(_pdf_pages(other / "paper-A-sheet.pdf", 200), foreign, 200, rng)[0]
    )
    files.append(str(scans / "foreign.png"))
    # The same sheet fed twice.
    (scans / "s3-dup.jpg").write_bytes(Path(files[1]).read_bytes())
    files.append(str(scans / "s3-dup.jpg"))

    # The class list: the roster students plus those who took a blank sheet.
    class_list = tmp_path / "class.csv"
    class_list.write_text("student_id,name\n" + "".join(f"{sid},Student {sid}\n" for sid in students), "utf-8")
    files += ["--roster", str(class_list)]
    result = tmp_path / "result"
    code = main(["scan", str(out / "manifest.json"), *files, "--out", str(result)])
    assert code == 1  # ambiguous marks and the foreign page need a person

    review = list(csv.DictReader((result / "needs-review.csv").open(encoding="utf-8")))
    got = _credits(out / "manifest.json", result / "responses.csv")
    # Zero wrong certain answers; student and version always right.
    for sid, (version, credits) in got.items():
        st = students[sid]
        assert version == st.version
        assert not st.ambiguous, f"{sid} had ambiguous marks but was written as certain"
        assert credits == pytest.approx(st.credit), sid
    # Every student without ambiguous marks is read; every ambiguous item is in review.
    fed_twice = "31000003"  # s3-0, scanned twice: waits for a person too
    assert set(got) == {sid for sid, st in students.items() if not st.ambiguous and sid != fed_twice}
    for sid, st in students.items():
        flagged = {int(r["item"]) for r in review if r["student_id"] == sid and r["item"].isdigit()}
        assert st.ambiguous <= flagged, (sid, st.ambiguous, flagged)
    twice = [r for r in review if "twice" in r["why"]]
    assert {Path(r["sheet"]).name for r in twice} == {Path(files[1]).name, "s3-dup.jpg"}
    refused = [r for r in review if r["sheet"].endswith("foreign.png")]
    assert refused and "another build" in refused[0]["why"]
    report = (result / "scan-report.html").read_text("utf-8")
    assert "data:image/png;base64," in report and "another build" in report

    # The person's decisions complete the set.
    rows = [["sheet", "item", "answer"]]
    for r in review:
        if r["item"].isdigit():
            st = students[r["student_id"]]
            rows.append([r["sheet"], r["item"], st.cells[int(r["item"])]])
        elif r["item"] == "page" and ("twice" not in r["why"] or r["sheet"].endswith("dup.jpg")):
            rows.append([r["sheet"], "page", "ignore"])
    overrides = tmp_path / "overrides.csv"
    with overrides.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    again = tmp_path / "again"
    args = ["scan", str(out / "manifest.json"), *files, "--out", str(again), "--overrides", str(overrides)]
    assert main([*args, "--jobs", "2"]) == 0  # two worker processes: the same result
    got = _credits(out / "manifest.json", again / "responses.csv")
    assert set(got) == set(students)
    for sid, (version, credits) in got.items():
        assert (version, credits) == (students[sid].version, pytest.approx(students[sid].credit))

    # `studygen grade` scores the CSV as the students earned.
    assert main(["grade", str(out / "manifest.json"), str(again / "responses.csv"), "--out", str(tmp_path / "g")]) == 0
    m = load_manifest(out / "manifest.json")
    with (tmp_path / "g" / "grades.csv").open(encoding="utf-8") as fh:
        grades = {r["student_id"]: r for r in csv.DictReader(fh)}
    for sid, st in students.items():
        v = m.version(st.version)
        assert v is not None
        expected = sum(st.credit[i.number] * i.points for i in v.items)
        assert float(grades[sid]["score"]) == pytest.approx(expected, abs=0.01), sid

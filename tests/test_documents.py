"""The document registry and the output inventory: one place names every file, the index and manifest read it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import ClassVar

import pytest
from lxml import html as lxml_html

from studygen import registry
from studygen.cli import main
from studygen.documents.base import Batch, Plan
from studygen.documents.kinds import VersionDocument
from studygen.errors import StudygenError
from studygen.registry import (
    DOCUMENTS,
    FORMATS,
    RENDERERS,
    Format,
    get_document,
    get_renderer,
    register_document,
    register_format,
    register_renderer,
)
from studygen.writer import MARKER

FIXTURES = Path(__file__).parent / "fixtures" / "pipeline"


def test_registering_a_name_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="document kind 'quiz' registered twice"):
        register_document("quiz", "somewhere:Else")
    with pytest.raises(ValueError, match="format 'pdf' registered twice"):
        register_format(Format("pdf", ".pdf", True))
    with pytest.raises(ValueError, match=r"renderer \('quiz', 'html'\) registered twice"):
        register_renderer("quiz", "html", "somewhere:draw")


def test_unknown_document_suggests_the_nearest_name() -> None:
    with pytest.raises(StudygenError, match=r"unknown document 'study_giude'.*did you mean 'study_guide'"):
        get_document("study_giude")


def test_every_kind_has_a_format_and_every_renderer_loads() -> None:
    for name in DOCUMENTS:
        kind = get_document(name)
        assert kind.name == name and kind.formats, name
    for batch, fmt in RENDERERS:
        assert fmt in FORMATS, (batch, fmt)
        assert callable(get_renderer(batch, fmt)), (batch, fmt)
    assert {b for b, _ in RENDERERS} <= {get_document(n).batch_name for n in DOCUMENTS}, "a renderer of no kind"
    assert get_document("key").formats == ("pdf", "html"), "the key is drawn by the quiz's renderers"


def test_inventory_is_exactly_what_the_build_writes(tmp_path: Path) -> None:
    """Every planned path is written, the index links every planned file, and nothing else appears."""
    from studygen.build import load_checked, plan_course
    from studygen.sources.coursefile import load_course

    course = load_course(FIXTURES / "course.yaml")
    plan = plan_course(course, load_checked(course.banks, io.StringIO()))
    out = tmp_path / "out"
    assert main(["build", "--config", str(FIXTURES / "course.yaml"), "--out", str(out)]) == 0
    # (the writer's hidden record of the build, .studygen-build.json, is not a document)
    written = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MARKER}
    planned = {o.path for o in plan.outputs}
    assert planned <= written
    assert written == planned, "the self-test is one self-contained file: nothing rides along"
    hrefs = {a.get("href") for a in lxml_html.fromstring((out / "index.html").read_bytes()).iter("a")}
    assert hrefs == {o.path for o in plan.outputs if o.index is not None}
    assert {o.path for o in plan.outputs if o.index is None} == {"index.html"}


def test_manifest_file_names_come_from_the_inventory(tmp_path: Path) -> None:
    import json

    out = tmp_path / "out"
    assert main(["build", "--config", str(FIXTURES / "course.yaml"), "--out", str(out)]) == 0
    for quiz in ("check", "full"):
        m = json.loads((out / "quizzes" / quiz / "manifest.json").read_text("utf-8"))
        for v in m["versions"]:
            assert list(v["files"]) == ["quiz_pdf", "key_pdf", "quiz_html", "key_html"]
            for name in v["files"].values():
                assert (out / "quizzes" / quiz / name).is_file()


def test_a_bank_without_prompts_gets_no_discussion_handouts(tmp_path: Path) -> None:
    text = (FIXTURES / "hostile.yaml").read_text("utf-8")
    head, _, rest = text.partition("\nprompts:")
    assert rest, "the fixture has prompts"
    # Drop the prompts block: everything up to the next top-level key.
    lines = rest.splitlines(keepends=True)
    tail = next(i for i, line in enumerate(lines[1:], 1) if line[:1] not in (" ", "-", "\n", ""))
    (tmp_path / "bank.yaml").write_text(
        head.replace("../../../seeds/", str(FIXTURES.parents[2] / "seeds") + "/") + "\n" + "".join(lines[tail:]),
        "utf-8",
    )
    (tmp_path / "studygen.yaml").write_text("course: IR\nbanks: [bank.yaml]\nexports: []\n", "utf-8")
    out = tmp_path / "out"
    assert main(["build", "--config", str(tmp_path / "studygen.yaml"), "--out", str(out)]) == 0
    assert not (out / "discussion").exists()
    assert (out / "study-guide" / "hostile.html").exists()
    index = (out / "index.html").read_text("utf-8")
    assert "discussion/" not in index and "Discussion questions" not in index


class SheetDocument(VersionDocument):
    """What adding a per-version kind takes: a class like this, a renderer, and a registry line each."""

    name: ClassVar[str] = "sheet"
    tail: ClassVar[str] = "-sheet"
    label_key: ClassVar[str] = "notes"
    link_rank: ClassVar[int] = 2
    large_print: ClassVar[bool] = False
    in_manifest: ClassVar[bool] = False
    default: ClassVar[bool] = False


def draw_sheets(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    return [(o.path, f"sheet {o.path}".encode()) for o in batch.outputs]


def test_a_new_kind_is_a_class_a_renderer_and_two_registry_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "DOCUMENTS", dict(DOCUMENTS))
    monkeypatch.setattr(registry, "RENDERERS", dict(RENDERERS))
    registry.register_document("sheet", f"{__name__}:SheetDocument")
    registry.register_renderer("sheet", "pdf", f"{__name__}:draw_sheets")
    body = (FIXTURES / "course.yaml").read_text("utf-8")
    body = body.replace("study_guide: true\ndiscussion: true\nself_test: true\n", "documents: [quiz, key, sheet]\n")
    body = body.replace("banks: [hostile.yaml]", f"banks: [{FIXTURES / 'hostile.yaml'}]")
    # The real answer sheets (answer_sheets: true) would take the stand-in's file names.
    body = "\n".join(line for line in body.split("\n") if not line.strip().startswith("answer_sheets:"))
    (tmp_path / "studygen.yaml").write_text(body, "utf-8")
    out = tmp_path / "out"
    assert main(["build", "--config", str(tmp_path / "studygen.yaml"), "--out", str(out), "--jobs", "2"]) == 0
    assert (out / "quizzes" / "check" / "check-C-sheet.pdf").read_bytes() == b"sheet quizzes/check/check-C-sheet.pdf"
    assert not (out / "quizzes" / "full" / "full-A-sheet-large.pdf").exists(), "no large print asked of this kind"
    assert not (out / "study-guide").exists() and not (out / "self-test").exists()
    hrefs = {a.get("href") for a in lxml_html.fromstring((out / "index.html").read_bytes()).iter("a")}
    assert "quizzes/full/full-B-sheet.pdf" in hrefs
    (tmp_path / "studygen.yaml").write_text(body.replace("sheet]", "shet]"), "utf-8")
    assert main(["build", "--config", str(tmp_path / "studygen.yaml"), "--out", str(out)]) == 2

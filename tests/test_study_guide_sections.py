"""The course chooses the study guide's sections, and the short handout fits two pages (issue 16).

What a user sees: `study_guide: {sections: [...]}` and `study_handout: {sections: [...]}` in the
course file decide which sections both formats print, in the order listed; a wrong name is refused
at its line and column with the allowed names; the handout of the bundled two-page column prints
on two pages.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from pypdf import PdfReader
from test_pdf_support import REAL_BANK, course, load, pages_text

from studygen.cli import main
from studygen.course import DEFAULT_LABELS, HANDOUT_SECTIONS, STUDY_GUIDE_SECTIONS, Course
from studygen.documents.study_guide import study_guide
from studygen.errors import StudygenError
from studygen.model import Bank
from studygen.sources.coursefile import load_course
from studygen.targets.html import HtmlRenderer
from studygen.targets.pdf import render_study_guide_pdf

needs_real_bank = pytest.mark.skipif(not REAL_BANK.exists(), reason="real bank not present")

# Section headings no bank text contains, so their order can be read off the PDF's text.
MARKED = {
    **DEFAULT_LABELS,
    **{name: f"Sect{i}ion{name.title().replace('_', '')}" for i, name in enumerate(STUDY_GUIDE_SECTIONS)},
}


def write(tmp_path: Path, body: str) -> Path:
    (tmp_path / "banks").mkdir(exist_ok=True)
    (tmp_path / "banks" / "a.yaml").write_text("placeholder: the loader only checks that it exists\n")
    path = tmp_path / "studygen.yaml"
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(StudygenError) as info:
        load_course(path)
    return [d.format_text() for d in info.value.diagnostics] or [info.value.message]


def html_sections(html: bytes) -> list[str]:
    doc = lxml_html.fromstring(html)
    return [s.get("aria-labelledby").replace("-", "_") for s in doc.xpath("//main//section[@aria-labelledby]")]


def pdf_sections(pdf: bytes) -> list[str]:
    text = "".join(pages_text(pdf))
    found = sorted((m.start(), name) for name in STUDY_GUIDE_SECTIONS for m in re.finditer(MARKED[name], text))
    return [name for _, name in found]


# --- the course file -------------------------------------------------------------------------------


def test_sections_are_read_in_the_order_written(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        course: IR
        banks: [banks/a.yaml]
        study_guide:
          sections: [argument_map, summary, glossary]
        study_handout: {sections: [summary, stakeholders]}
        """,
    )
    c = load_course(path)
    assert c.guide_sections == ("argument_map", "summary", "glossary")
    assert c.handout_sections == ("summary", "stakeholders")
    assert c.documents is not None and {"study_guide", "study_handout"} <= set(c.documents), (
        "settings for a document ask for it"
    )


def test_defaults_without_settings(tmp_path: Path) -> None:
    c = load_course(write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\n"))
    assert c.guide_sections == STUDY_GUIDE_SECTIONS
    assert c.handout_sections == HANDOUT_SECTIONS == ("summary", "argument_map", "stakeholders")
    assert c.documents is None, "the registry's defaults, the handout among them"


def test_unknown_section_is_refused_at_its_line_with_the_allowed_names(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        course: IR
        banks: [banks/a.yaml]
        study_guide:
          sections: [summary, argument-map]
        """,
    )
    [message] = problems(path)
    assert message.startswith(f"{path}:4:23: error course study_guide.sections[1] is text 'argument-map'")
    assert "expected one of: " + ", ".join(STUDY_GUIDE_SECTIONS) in message
    assert message.endswith("did you mean 'argument_map'?")


def test_section_twice_empty_list_and_unknown_key_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path, "course: IR\nbanks: [banks/a.yaml]\nstudy_handout:\n  sections: [summary, glossary, summary]\n"
    )
    [message] = problems(path)
    assert message.startswith(f"{path}:4:33: error course study_handout.sections[2] names 'summary' twice")
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nstudy_guide: {sections: []}\n")
    [message] = problems(path)
    assert f"{path}:3:25:" in message and "needs at least 1 item" in message
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nstudy_guide: {section: [summary]}\n")
    [message] = problems(path)
    assert f"{path}:3:15:" in message and "unknown key 'section'" in message and "did you mean 'sections'" in message


def test_settings_that_contradict_documents_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "course: IR\nbanks: [banks/a.yaml]\ndocuments: [quiz, key]\nstudy_handout: {sections: [summary]}\n",
    )
    [message] = problems(path)
    assert message.startswith(f"{path}:4:16: error course study_handout: {{sections: ...}} contradicts documents")
    assert "add study_handout to documents" in message


def test_cli_reports_a_bad_section_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "course: IR\nbanks: [banks/a.yaml]\nstudy_guide: {sections: [quotes]}\n")
    assert main(["build", "--config", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3:26:" in err and "key_quotes" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


# --- both formats print the chosen sections, in the chosen order ---------------------------------


def marked(**kw: tuple[str, ...]) -> Course:
    return replace(course(), labels=MARKED, **kw)


@pytest.mark.parametrize(
    "sections",
    [
        STUDY_GUIDE_SECTIONS,
        ("stakeholders", "summary", "argument_map"),
        ("key_quotes", "timeline"),
        ("glossary",),
    ],
)
def test_html_and_pdf_print_the_same_sections_in_the_same_order(sections: tuple[str, ...]) -> None:
    bank = load()
    c = marked(guide_sections=sections)
    expected = list(study_guide(bank, c).sections)
    assert expected == [s for s in sections if s in expected], "the course's order, less what the bank lacks"
    assert html_sections(HtmlRenderer(c).study_guide(bank)) == expected
    assert pdf_sections(render_study_guide_pdf(c, bank)) == expected


def test_the_handout_prints_its_own_sections_in_both_formats() -> None:
    bank = load()
    c = marked(handout_sections=("argument_map", "summary"))
    assert html_sections(HtmlRenderer(c).study_guide(bank, handout=True)) == ["argument_map", "summary"]
    assert pdf_sections(render_study_guide_pdf(c, bank, handout=True)) == ["argument_map", "summary"]


def test_a_section_the_bank_has_nothing_for_is_left_out_of_both() -> None:
    bank = replace(load(), glossary=(), stakeholders=())
    c = marked(guide_sections=("glossary", "summary", "stakeholders"))
    assert html_sections(HtmlRenderer(c).study_guide(bank)) == ["summary"]
    assert pdf_sections(render_study_guide_pdf(c, bank)) == ["summary"]


# --- the short handout of the bundled column -------------------------------------------------------


def real() -> Bank:
    return load(REAL_BANK)


@needs_real_bank
def test_the_short_handout_of_the_bundled_column_fits_two_pages() -> None:
    bank = real()
    for paper in ("A4", "Letter"):
        pdf = render_study_guide_pdf(replace(course(), paper=paper), bank, handout=True)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        assert pages <= 2, f"{paper}: the handout is {pages} pages"
    full = len(PdfReader(io.BytesIO(render_study_guide_pdf(course(), bank))).pages)
    assert full > 2, "the full guide still has everything (its length is the course's choice of sections)"


@needs_real_bank
def test_the_handout_says_the_argument_at_a_glance() -> None:
    bank = real()
    text = re.sub(r"\s+", "", "".join(pages_text(render_study_guide_pdf(course(), bank, handout=True))))
    thesis = next(a for a in bank.arguments if a.role == "thesis")
    for a in bank.arguments:
        if a.role == "counter" or a.id in thesis.supported_by or a is thesis:
            assert re.sub(r"\s+", "", a.claim)[:30] in text, a.id
    assert "Studyhandout" in text and "Keyfacts" not in text and "Glossary" not in text
    for s in bank.stakeholders:
        assert re.sub(r"\s+", "", s.name) in text
    page = lxml_html.fromstring(HtmlRenderer(course()).study_guide(bank, handout=True))
    assert [h.text_content() for h in page.xpath("//main//section/h2")] == ["Summary", "Argument map", "Stakeholders"]
    assert not page.xpath("//*[contains(@class, 'am-evidence')]"), "the handout's map leaves the evidence out"


# --- properties --------------------------------------------------------------------------------------

chosen_sections = st.lists(st.sampled_from(STUDY_GUIDE_SECTIONS), min_size=1, unique=True).map(tuple)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sections=chosen_sections, handout=st.booleans())
def test_any_choice_of_sections_loads_as_written(tmp_path: Path, sections: tuple[str, ...], handout: bool) -> None:
    key = "study_handout" if handout else "study_guide"
    path = write(tmp_path, f"course: IR\nbanks: [banks/a.yaml]\n{key}:\n  sections: [{', '.join(sections)}]\n")
    c = load_course(path)
    assert (c.handout_sections if handout else c.guide_sections) == sections


@settings(max_examples=25, deadline=None)
@given(sections=chosen_sections, handout=st.booleans())
def test_the_page_prints_exactly_the_chosen_sections_in_order(sections: tuple[str, ...], handout: bool) -> None:
    bank = load()
    c = marked(handout_sections=sections) if handout else marked(guide_sections=sections)
    printed = list(study_guide(bank, c, handout=handout).sections)
    assert printed == [s for s in sections if s in printed]
    assert html_sections(HtmlRenderer(c).study_guide(bank, handout=handout)) == printed

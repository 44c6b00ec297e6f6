"""Study guide and discussion handouts: content, figures, fonts, escaping, determinism."""

from __future__ import annotations

import io
import re
import warnings

import pytest
from pypdf import PdfReader
from test_pdf_support import REAL_BANK, course, load, pages_text

from studygen.model import Bank
from studygen.targets.pdf import MissingGlyphWarning, render_discussion_pdf, render_study_guide_pdf
from studygen.targets.pdf import fonts as pdf_fonts
from studygen.targets.pdf.figures import argument_map, timeline_drawings
from studygen.targets.pdf.markup import MarkupContext


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load()


@pytest.fixture(scope="module")
def guide(bank: Bank) -> bytes:
    return render_study_guide_pdf(course(), bank)


def _assert_fonts_embedded(pdf: bytes) -> None:
    assert b"Helvetica" not in pdf
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].get_object().values():
            assert "/FontFile2" in font.get_object()["/FontDescriptor"].get_object()


def test_guide_has_every_section_in_order(guide: bytes) -> None:
    text = squash("".join(pages_text(guide)))
    order = ["Studyguide:", "Summary", "Keyfacts", "Timeline", "Argumentmap", "Stakeholders", "Glossary",
             "Keyquotes"]  # fmt: skip
    positions = [text.index(h) for h in order]
    assert positions == sorted(positions)


def test_guide_content_escaped_and_attributed(bank: Bank, guide: bytes) -> None:
    pages = pages_text(guide)
    text = squash("".join(pages))
    assert squash("The author argues ties will not recover by themselves") in text  # ** and * rendered, not shown
    assert squash("disagree <b>strongly</b> & openly <img src=x>") in text
    for fact in bank.facts:
        assert squash(fact.statement) in text
    assert squash("2024-02 (early February)") in text and squash("2024-03-28 (March 28, 2024)") in text
    assert "THESIS" in text and "COUNTER-VIEW" in text and "EVIDENCE" in text and "PREMISE" in text
    assert squash("↑ Russia vetoed") in text  # evidence shown twice is a one-line reminder the second time
    assert squash("Russia (Россия)") in text and squash("ties with North Korea & China") in text
    assert squash("Veto <b> [Background (not graded)]") in text
    assert squash("“It's too optimistic to expect that relations will recover on their own.” — Chung-in Moon") in text
    assert squash("— Russian officials") in text
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
    _assert_fonts_embedded(guide)


def test_timeline_is_in_date_order(bank: Bank, guide: bytes) -> None:
    text = squash("".join(pages_text(guide)))
    start = text.index("Timeline")
    dates = [text.index(squash(f.date), start) for f in bank.timeline()]
    assert dates == sorted(dates)


def test_figures_split_or_scale_to_fit_a_page(bank: Bank) -> None:
    ctx = MarkupContext(pdf_fonts.font_set(None))
    many = bank.__class__(**{**{f: getattr(bank, f) for f in ("id", "title", "path", "reading")},
                             "facts": tuple(bank.facts) * 30, "arguments": bank.arguments})  # fmt: skip
    parts = timeline_drawings(many, ctx, 450, 300)
    assert len(parts) > 1 and all(d.height <= 300 for d in parts)
    maps = argument_map(bank, course(), ctx, 450, 120)
    assert len(maps) > 1 and all(d.height <= 120 for d in maps)


def test_discussion_student_and_facilitator(bank: Bank) -> None:
    student = squash("".join(pages_text(render_discussion_pdf(course(), bank, facilitator=False))))
    facilitator_pdf = render_discussion_pdf(course(), bank, facilitator=True)
    facilitator = squash("".join(pages_text(facilitator_pdf)))
    for prompt in bank.prompts:
        assert squash(prompt.prompt) in student and squash(prompt.prompt) in facilitator
        assert squash(prompt.guidance) not in student and squash(prompt.guidance) in facilitator
        for quote in bank.quotes_for(prompt.refs):
            assert squash(quote) not in student and squash(f"“{quote}”") in facilitator
    assert "Discussionquestions" in student and "Facilitatorguide" in facilitator and "Notes:" in student
    assert squash("Will Seoul-Moscow ties recover <b>on their own</b>?") in student
    _assert_fonts_embedded(facilitator_pdf)


def test_documents_are_byte_identical(bank: Bank, guide: bytes) -> None:
    assert render_study_guide_pdf(course(), bank) == guide
    assert render_discussion_pdf(course(), bank, facilitator=True) == render_discussion_pdf(
        course(), bank, facilitator=True
    )


def test_guide_without_hangul_font_warns(monkeypatch: pytest.MonkeyPatch, bank: Bank) -> None:
    monkeypatch.setattr(pdf_fonts, "HANGUL_CANDIDATES", ())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdf = render_study_guide_pdf(course(), bank)
    assert any("서울" in str(w.message) for w in caught if issubclass(w.category, MissingGlyphWarning))
    text = "".join(pages_text(pdf))
    assert "서울" not in text and "Москва" in text


def test_letter_paper(bank: Bank) -> None:
    pdf = render_discussion_pdf(course(paper="Letter"), bank, facilitator=False)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.skipif(not REAL_BANK.exists(), reason="question_banks/seoul-moscow.yaml is being curated")
def test_real_bank_documents_render() -> None:
    real = load(REAL_BANK)
    for pdf in (render_study_guide_pdf(course(), real), render_discussion_pdf(course(), real, facilitator=True)):
        pages = pages_text(pdf)
        assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
        _assert_fonts_embedded(pdf)

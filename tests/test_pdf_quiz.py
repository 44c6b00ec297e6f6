"""Quiz and answer-key PDFs, read back with pypdf and checked against the `Quiz` they were drawn from."""

from __future__ import annotations

import dataclasses
import io
import re
import warnings

import pytest
from pypdf import PdfReader
from test_pdf_support import REAL_BANK, course, load, make_quiz, pages_text

from studygen.errors import StudygenError
from studygen.model import Bank, QuestionType
from studygen.targets.pdf import MissingGlyphWarning, render_quiz_pdfs
from studygen.targets.pdf import fonts as pdf_fonts
from studygen.versions import LETTERS, Quiz

BASE14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
    "Symbol", "ZapfDingbats",
}  # fmt: skip


def squash(text: str) -> str:
    """Text without whitespace: extraction spaces and line breaks depend on layout, not content."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load()


@pytest.fixture(scope="module")
def quiz(bank: Bank) -> Quiz:
    return make_quiz([bank], versions=3, seed=5)


@pytest.fixture(scope="module")
def rendered(quiz: Quiz) -> dict[str, tuple[bytes, bytes]]:
    return render_quiz_pdfs(course(), quiz)


def big_bank(bank: Bank, copies: int) -> Bank:
    """The fixture's questions repeated with unique stems and options, enough for several pages."""
    questions = []
    for k in range(copies):
        for q in bank.questions:
            options = tuple(dataclasses.replace(o, text=f"{o.text} #{k}{i}") for i, o in enumerate(q.options))
            questions.append(dataclasses.replace(q, id=f"{q.id}-{k}", stem=f"[S{k}] {q.stem}", options=options))
    return dataclasses.replace(bank, questions=tuple(questions))


def test_every_version_has_a_quiz_and_a_key(quiz: Quiz, rendered: dict[str, tuple[bytes, bytes]]) -> None:
    assert list(rendered) == [v.label for v in quiz.versions]
    for q_pdf, k_pdf in rendered.values():
        assert q_pdf.startswith(b"%PDF-") and k_pdf.startswith(b"%PDF-")


def test_quiz_shows_each_item_with_its_letters(quiz: Quiz, rendered: dict[str, tuple[bytes, bytes]]) -> None:
    for version in quiz.versions:
        text = squash("".join(pages_text(rendered[version.label][0])))
        assert squash(f"Version {version.label}") in text
        for item in version.items:
            assert squash(f"{item.number}.{item.question.stem}") in text, item.question.id
            if item.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.ORDERING):
                for i, choice in enumerate(item.choices):
                    assert squash(f"{LETTERS[i]}.{choice}") in text
            if item.type is QuestionType.MATCHING:
                for i, prompt in enumerate(item.prompts):
                    assert squash(f"{LETTERS[i].lower()}.{prompt}") in text
                for i, choice in enumerate(item.choices):
                    assert squash(f"{LETTERS[i]}.{choice}") in text
            assert "(essay)" not in text


def test_key_grid_and_answers_match_the_quiz(quiz: Quiz, rendered: dict[str, tuple[bytes, bytes]]) -> None:
    for version in quiz.versions:
        key = squash("".join(pages_text(rendered[version.label][1])))
        grid_end = key.index(squash(f"{version.items[0].number}.{version.items[0].key_text}"))
        for item in version.items:
            assert squash(f"{item.number}.{item.key_text}") in key[grid_end:], (version.label, item.number)
            assert squash(item.question.explanation) in key
            for quote in item.source_quotes:
                assert squash(f"“{quote}”") in key
            q = item.question
            if item.type in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
                for letter in item.correct:
                    option = item.choices[LETTERS.index(letter)]
                    assert any(o.text == option and o.correct for o in q.options)  # the key points at the right text
                    assert squash(f"{letter}.{option}") in key
        assert squash("Background (not graded):") in key


def test_grid_comes_first_and_lists_every_number(quiz: Quiz, rendered: dict[str, tuple[bytes, bytes]]) -> None:
    version = quiz.versions[1]
    first_page = squash(pages_text(rendered[version.label][1])[0])
    explanation_at = first_page.index(squash("Explanation:"))
    for item in version.items:
        assert first_page.index(squash(f"{item.number}.{item.key_text}")) < explanation_at


def test_page_x_of_y_on_every_page(rendered: dict[str, tuple[bytes, bytes]]) -> None:
    for q_pdf, k_pdf in rendered.values():
        for pdf in (q_pdf, k_pdf):
            pages = pages_text(pdf)
            for n, text in enumerate(pages, start=1):
                assert f"Page {n} of {len(pages)}" in text


def test_labels_come_from_the_course(quiz: Quiz) -> None:
    labels = {**course().labels, "page_x_of_y": "Стр. {page} из {pages}", "name": "Имя", "version": "Вариант"}
    q_pdf, _ = render_quiz_pdfs(course(labels=labels), quiz)[quiz.versions[0].label]
    first = pages_text(q_pdf)[0]
    assert "Стр. 1 из" in first and "Имя" in first and "Вариант A" in first


def _fonts_of(pdf: bytes) -> list[dict]:  # type: ignore[type-arg]
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get_object().get("/Font") or {}).values():
            found.append(font.get_object())
    return found


def test_every_font_is_embedded_and_none_is_base14(rendered: dict[str, tuple[bytes, bytes]]) -> None:
    for q_pdf, k_pdf in rendered.values():
        for pdf in (q_pdf, k_pdf):
            fonts = _fonts_of(pdf)
            assert fonts
            for font in fonts:
                base = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
                assert base not in BASE14
                assert "/FontFile2" in font["/FontDescriptor"].get_object()
            assert b"Helvetica" not in pdf


def test_hostile_text_prints_literally(quiz: Quiz, rendered: dict[str, tuple[bytes, bytes]]) -> None:
    q_pdf, k_pdf = rendered[quiz.versions[0].label]
    text = squash("".join(pages_text(q_pdf)))
    for literal in ("<b>notbold</b>", "&<imgsrc=x>", "<script>x</script>", "]]>", "~=#{}:\\onNorthKorea",
                    "Quiz1<b>Seoul</b>&Moscow", "IR101<Intro>&"):  # fmt: skip
        assert squash(literal) in text, literal
    key = squash("".join(pages_text(k_pdf)))
    assert squash("<b>nothing</b> about <img src=x> or <script>alert(1)</script> ]]> tags.") in key
    assert squash("<i>since 2009</i>") in key


def test_scripts_come_back_intact(quiz: Quiz, rendered: dict[str, tuple[bytes, bytes]]) -> None:
    text = "".join(pages_text(rendered[quiz.versions[0].label][0]))
    assert "русский" in text and "Αθήνα" in text
    assert "한국어" in text and "서울" in text  # the bundled Hangul font, whatever the machine has


def test_without_a_hangul_font_it_warns_and_draws_no_boxes(monkeypatch: pytest.MonkeyPatch, quiz: Quiz) -> None:
    monkeypatch.setattr(pdf_fonts, "HANGUL_DEFAULT", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = render_quiz_pdfs(course(), quiz)
    messages = [str(w.message) for w in caught if issubclass(w.category, MissingGlyphWarning)]
    assert any("'한국어'" in m for m in messages) and all("hangul_font" in m for m in messages)
    text = "".join(pages_text(out[quiz.versions[0].label][0]))
    assert "한국어" not in text
    assert "[Hangul text not shown: no font installed]" in text
    assert "русский" in text


def test_missing_configured_hangul_font_is_a_clear_error(quiz: Quiz, tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(StudygenError, match=r"hangul_font: .*no such font file"):
        render_quiz_pdfs(course(hangul_font=Path("/nonexistent/Font.ttf")), quiz)


def test_bad_paper_and_bad_epoch_are_clear_errors(monkeypatch: pytest.MonkeyPatch, quiz: Quiz) -> None:
    with pytest.raises(StudygenError, match="paper"):
        render_quiz_pdfs(course(paper="A3"), quiz)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(StudygenError, match="SOURCE_DATE_EPOCH"):
        render_quiz_pdfs(course(), quiz)


def test_byte_identical_and_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch, quiz: Quiz) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = render_quiz_pdfs(course(), quiz)
    assert render_quiz_pdfs(course(), quiz) == first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1715558400")
    dated = render_quiz_pdfs(course(), quiz)
    assert dated == render_quiz_pdfs(course(), quiz)
    assert dated != first
    info = PdfReader(io.BytesIO(dated["A"][0])).metadata
    assert info is not None and str(info["/CreationDate"]).startswith("D:20240513")


def test_versions_render_the_same_alone_or_together(quiz: Quiz) -> None:
    """Layout reuse across versions must not change what any single version looks like."""
    together = render_quiz_pdfs(course(), quiz)
    for version in quiz.versions:
        alone = dataclasses.replace(quiz, versions=(version,))
        assert render_quiz_pdfs(course(), alone)[version.label] == together[version.label]


def test_a_question_never_leaves_its_options_behind(bank: Bank) -> None:
    quiz = make_quiz([big_bank(bank, 5)], versions=2, seed=3)
    for version in quiz.versions:
        pages = [squash(t) for t in pages_text(render_quiz_pdfs(course(), quiz)[version.label][0])]
        assert len(pages) >= 3
        for item in version.items:
            stem = squash(item.question.stem)
            where = [i for i, t in enumerate(pages) if stem in t]
            assert len(where) == 1, item.question.id
            for choice in (*item.choices, *item.prompts):
                assert squash(choice) in pages[where[0]], (item.question.id, choice)


def test_paper_size_and_large_print(quiz: Quiz) -> None:
    a4 = render_quiz_pdfs(course(), quiz)["A"][0]
    letter = render_quiz_pdfs(course(paper="Letter"), quiz)["A"][0]
    large = render_quiz_pdfs(course(), quiz, large_print=True)["A"][0]
    box = PdfReader(io.BytesIO(a4)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    box = PdfReader(io.BytesIO(letter)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert len(pages_text(large)) > len(pages_text(a4))
    assert "Large print" in pages_text(large)[0]
    sizes: set[float] = set()

    def visit(text: str, cm: object, tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes.add(round(size * abs(tm[3]), 1))

    PdfReader(io.BytesIO(large)).pages[0].extract_text(visitor_text=visit)
    assert sizes and min(sizes) >= 13.7  # muted notes are 9/10.5 of body; body text itself is 16 pt
    assert 16.0 in sizes


def test_logo_is_drawn(tmp_path: object, quiz: Quiz) -> None:
    from pathlib import Path

    from PIL import Image

    logo = Path(str(tmp_path)) / "logo.png"
    Image.new("RGB", (120, 40), (31, 78, 121)).save(logo)
    pdf = render_quiz_pdfs(course(logo=logo, logo_data=logo.read_bytes()), quiz)["A"][0]
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in page["/Resources"]["/XObject"].values())
    bad = Path(str(tmp_path)) / "logo.jpg"
    bad.write_text("not an image")
    with pytest.raises(StudygenError, match="logo"):
        render_quiz_pdfs(course(logo=bad, logo_data=bad.read_bytes()), quiz)


def test_pinned_option_keeps_its_letter(quiz: Quiz) -> None:
    for version in quiz.versions:
        item = next(i for i in version.items if i.question.id == "Q-single")
        assert item.choices[-1].startswith("None of the above")


@pytest.mark.skipif(not REAL_BANK.exists(), reason="question_banks/seoul-moscow.yaml is being curated")
def test_real_bank_quiz_renders() -> None:
    real = load(REAL_BANK)
    quiz = make_quiz([real], versions=2, seed=1)
    for q_pdf, k_pdf in render_quiz_pdfs(course(), quiz).values():
        for pdf in (q_pdf, k_pdf):
            pages = pages_text(pdf)
            assert f"Page 1 of {len(pages)}" in pages[0]
            for font in _fonts_of(pdf):
                assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_text_unseen_by_the_trial_render_is_drawn_correctly(quiz: Quiz) -> None:
    """Versions normally show the same texts; if one does not, its new characters must still come out right."""
    first, second = quiz.versions[0], quiz.versions[1]
    item = second.items[0]
    odd = dataclasses.replace(item, question=dataclasses.replace(item.question, stem="Ωмега жук 새 ¿qué? ß"))
    second = dataclasses.replace(second, items=(odd, *second.items[1:]))
    mixed = dataclasses.replace(quiz, versions=(first, second))
    together = render_quiz_pdfs(course(), mixed)[second.label]
    alone = render_quiz_pdfs(course(), dataclasses.replace(mixed, versions=(second,)))[second.label]
    text = "".join(pages_text(together[0]))
    assert "Ωмега жук" in text and "¿qué? ß" in text and "새" in text
    assert squash("".join(pages_text(alone[0]))) == squash(text)

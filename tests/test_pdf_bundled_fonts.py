"""Korean prints on a bare machine: the PDFs need no system font at all.

The README promises that `make build` and `make test` work with only Python and
make.  These tests hide every system font from the renderer (an audit hook in a
fresh interpreter refuses to open anything under the system font folders, and
reportlab's own search path is emptied) and read the Hangul back with pypdf.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

from pypdf import PdfReader
from test_pdf_support import course, load, make_quiz, pages_text

from studygen.targets.pdf import MissingGlyphWarning, render_quiz_pdfs
from studygen.targets.pdf import fonts as pdf_fonts

TESTS = Path(__file__).resolve().parent

HIDDEN = textwrap.dedent(
    """
    import sys

    SYSTEM = ("/usr/share/fonts", "/usr/local/share/fonts", "/usr/lib/X11/fonts", "/etc/fonts")

    def hide_system_fonts(event, args):
        if event == "open" and isinstance(args[0], str) and args[0].startswith(SYSTEM):
            raise PermissionError(f"system fonts are hidden in this test: {args[0]}")

    sys.addaudithook(hide_system_fonts)
    from reportlab import rl_config
    rl_config.TTFSearchPath = []
    sys.path.insert(0, sys.argv[1])
    import warnings
    warnings.simplefilter("error")  # a marker instead of Hangul would warn: fail loudly
    from test_pdf_support import course, load, make_quiz
    from studygen.targets.pdf import render_quiz_pdfs, render_study_guide_pdf

    bank = load()
    quiz = make_quiz([bank], versions=1, seed=3)
    quiz_pdf, key_pdf = render_quiz_pdfs(course(), quiz)[quiz.versions[0].label]
    open(sys.argv[2] + "/quiz.pdf", "wb").write(quiz_pdf)
    open(sys.argv[2] + "/guide.pdf", "wb").write(render_study_guide_pdf(course(), bank))
    """
)


def test_hangul_prints_with_every_system_font_hidden(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-c", HIDDEN, str(TESTS), str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr[-3000:]
    quiz_text = "".join(pages_text((tmp_path / "quiz.pdf").read_bytes()))
    guide_text = "".join(pages_text((tmp_path / "guide.pdf").read_bytes()))
    assert "한국어" in quiz_text and "서울" in quiz_text and "국제관계" in quiz_text
    assert "서울" in guide_text
    assert "not shown" not in quiz_text + guide_text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(tmp_path / "quiz.pdf").pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("StudygenHangulGothic" in f for f in fonts), fonts


def test_bundled_hangul_font_is_shipped_with_its_licence() -> None:
    assert pdf_fonts.HANGUL_DEFAULT is not None
    folder = pdf_fonts.HANGUL_DEFAULT.parent
    assert (folder / "StudygenHangul-Regular.ttf").is_file() and (folder / "StudygenHangul-Bold.ttf").is_file()
    licence = (folder / "LICENSE-StudygenHangul.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence and "NAVER" in licence


def test_bold_hangul_uses_the_bold_face() -> None:
    fonts = pdf_fonts.font_set(None)
    assert fonts.fallback is not None
    from reportlab.lib.fonts import tt2ps

    bold = tt2ps(fonts.fallback, 1, 0)
    from reportlab.pdfbase import pdfmetrics

    assert pdfmetrics.getFont(bold).face.name == b"StudygenHangulGothic-Bold"


def test_scripts_no_bundled_font_has_still_warn_and_show_a_marker() -> None:
    bank = load()
    quiz = make_quiz([bank], versions=1, seed=3)
    item = quiz.versions[0].items[0]
    import dataclasses

    thai = dataclasses.replace(item, question=dataclasses.replace(item.question, stem="ภาษาไทย and 한국어"))
    version = dataclasses.replace(quiz.versions[0], items=(thai, *quiz.versions[0].items[1:]))
    quiz = dataclasses.replace(quiz, versions=(version,))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdf = render_quiz_pdfs(course(), quiz)[version.label][0]
    messages = [str(w.message) for w in caught if issubclass(w.category, MissingGlyphWarning)]
    assert len(messages) == 1 and "ภาษาไทย" in messages[0] and "hangul_font" in messages[0]
    text = "".join(pages_text(pdf))
    assert "[Thai text not shown: no font installed]" in text and "한국어" in text


def test_the_missing_font_marker_is_the_courses_label() -> None:
    """`missing_font` is a course label like every other fixed word, so a Korean course marks in Korean."""
    import dataclasses

    bank = load()
    quiz = make_quiz([bank], versions=1, seed=3)
    item = quiz.versions[0].items[0]
    thai = dataclasses.replace(item, question=dataclasses.replace(item.question, stem="ภาษาไทย 본문"))
    version = dataclasses.replace(quiz.versions[0], items=(thai, *quiz.versions[0].items[1:]))
    quiz = dataclasses.replace(quiz, versions=(version,))
    base = course()
    korean = dataclasses.replace(base, labels={**base.labels, "missing_font": "[{script} 글자는 글꼴이 없어 생략]"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MissingGlyphWarning)
        pdf = render_quiz_pdfs(korean, quiz)[version.label][0]
    text = "".join(pages_text(pdf))
    assert "[Thai 글자는 글꼴이 없어 생략]" in text and "not shown" not in text

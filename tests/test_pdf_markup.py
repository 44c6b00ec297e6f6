"""Bank text → reportlab markup: escaped always, bold/italic only via `**`/`*`, fonts chosen per character."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from studygen.inline import plain as plain_text
from studygen.targets.pdf.fonts import font_set
from studygen.targets.pdf.markup import MarkupContext, convert, escape

FONTS = font_set(None)
NO_HANGUL = font_set(None).__class__()  # the bundled fonts only
STYLE = ParagraphStyle("t", fontName=FONTS.body, fontSize=10, leading=12)


def shown(markup: str) -> str:
    """What a reader sees: reportlab's own parse of the markup."""
    p = Paragraph(markup, STYLE)
    p.wrap(300, 10_000)
    return p.getPlainText()


@pytest.mark.parametrize(
    "text",
    ["<b>x</b>", "a & b", "<img src=x>", "<script>alert(1)</script>", "]]>", "<b>unbalanced", "</i>", "&amp;",
     "a < b > c", '"quoted" \'single\'', "<font name=Helvetica>x</font>", "<para>", "&#0;"],
)  # fmt: skip
def test_tags_and_entities_stay_literal(text: str) -> None:
    c = convert(text, FONTS)
    assert shown(c.markup) == text
    assert "<b>" not in c.markup and "<i>" not in c.markup


def test_markdown_subset_becomes_bold_and_italic() -> None:
    c = convert("**strong** and *slanted* but 2*3*4 and a * b and **open", FONTS)
    assert c.markup.startswith("<b>strong</b> and <i>slanted</i>")
    assert "2*3*4" in c.markup and "a * b" in c.markup and "**open" in c.markup
    assert shown(c.markup) == "strong and slanted but 2*3*4 and a * b and **open"


def test_control_characters_are_blanked() -> None:
    assert escape("a\x00b\x07c") == "a b c"


def test_hangul_runs_use_the_fallback_font() -> None:
    c = convert("Seoul (서울) и Москва", FONTS)
    assert f'<font name="{FONTS.fallback}">서울)' in c.markup
    assert "Москва" in c.markup and not c.missing


def test_without_fallback_undrawable_runs_are_reported_and_replaced() -> None:
    ctx = MarkupContext(NO_HANGUL)
    markup = ctx("Seoul (서울 시) and 🎉!")
    assert list(ctx.missing) == ["서울 시", "🎉"]
    assert "서울" not in markup and "[Hangul text not shown: no font installed]" in markup
    assert "[Symbol text not shown: no font installed]" in markup


TEXT = st.lists(
    st.sampled_from([*"ab <>&\"'*/=#{}:~\\[]!;", "한", "국", "я", "Ω", "\n", "**", "<b>", "</i>", "&amp;"]),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_any_text_parses_and_reads_back(text: str) -> None:
    """No input makes reportlab's parser raise, and the reader sees exactly the text minus `**`/`*` pairs."""
    c = convert(text, FONTS)
    seen = shown(c.markup)
    expected = plain_text(text)
    if c.missing:
        return
    assert " ".join(seen.split()) == " ".join(expected.split())

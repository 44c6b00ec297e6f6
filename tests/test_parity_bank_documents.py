"""HTML and PDF study guides say the same thing: key quotes, who said them, the argument map.

Each test renders one bank both ways and compares what a reader gets: the
quotes and attributions extracted from the page and from the PDF's text, and
the argument map's boxes in the SVG and in the PDF drawing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
from lxml import html as lxml_html
from reportlab.graphics.shapes import Group, Rect, String
from test_pdf_support import REAL_BANK, course, load, pages_text

from studygen.model import Bank
from studygen.targets.html import HtmlRenderer
from studygen.targets.pdf import fonts as pdf_fonts
from studygen.targets.pdf import render_study_guide_pdf
from studygen.targets.pdf.figures import argument_map
from studygen.targets.pdf.markup import MarkupContext

needs_real_bank = pytest.mark.skipif(not REAL_BANK.exists(), reason="real bank not present")


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def html_quotes(bank: Bank) -> list[tuple[str, str]]:
    """(quote, attribution line) of every key quote on the HTML study guide."""
    doc = lxml_html.fromstring(HtmlRenderer(course()).study_guide(bank))
    out = []
    for fig in doc.xpath("//section[@aria-labelledby='key-quotes']//figure"):
        quote = " ".join("".join(fig.find(".//blockquote").itertext()).split())
        cite = " ".join("".join(fig.find(".//figcaption").itertext()).split())
        out.append((quote, cite))
    return out


def pdf_quotes_section(bank: Bank) -> str:
    """The PDF study guide's text from the 'Key quotes' heading on, without whitespace."""
    text = squash("".join(pages_text(render_study_guide_pdf(course(), bank))))
    start = text.rfind("Keyquotes")
    return text[start:] if start >= 0 else ""


def assert_same_quotes(bank: Bank) -> None:
    html = html_quotes(bank)
    pdf = pdf_quotes_section(bank)
    assert pdf.count("”—") == len(html), f"HTML shows {len(html)} key quotes, PDF {pdf.count('”—')}"
    for quote, cite in html:
        assert squash(f"“{quote}”{cite}") in pdf, (quote, cite)


def without_arguments(bank: Bank) -> Bank:
    return replace(bank, arguments=(), summary_refs=())


@needs_real_bank
def test_key_quotes_without_arguments_agree() -> None:
    bank = without_arguments(load(REAL_BANK))
    assert html_quotes(bank), "a bank without arguments still shows the passages its facts rest on"
    assert_same_quotes(bank)


def test_key_quotes_agree_on_the_fixture() -> None:
    assert_same_quotes(load())


def test_the_author_is_printed_the_same_way() -> None:
    bank = load()
    capital = replace(
        bank, arguments=tuple(replace(a, holder=a.holder.replace("the author", "The author")) for a in bank.arguments)
    )
    assert any(a.holder == "The author" for a in capital.arguments)
    quotes = html_quotes(capital)
    author = bank.reading.author
    assert any(cite.startswith(f"— {author},") for _, cite in quotes), "'The author' is the reading's author"
    assert not any("The author" in cite for _, cite in quotes)
    assert "—Theauthor" not in pdf_quotes_section(capital)
    assert_same_quotes(capital)


def pdf_map(bank: Bank) -> tuple[int, str]:
    """(boxes, all text) of the PDF argument map."""
    ctx = MarkupContext(pdf_fonts.font_set(None))
    boxes, texts = 0, []

    def walk(node: Any) -> None:
        nonlocal boxes
        if isinstance(node, Rect):
            boxes += 1
        elif isinstance(node, String):
            texts.append(node.text)
        for child in getattr(node, "contents", ()) if isinstance(node, Group) or hasattr(node, "contents") else ():
            walk(child)

    for drawing in argument_map(bank, course(), ctx, 450, 10_000):
        walk(drawing)
    return boxes, squash("".join(texts))


def html_map(bank: Bank) -> tuple[int, str]:
    """(boxes, all text) of the HTML argument map (nested boxes of text)."""
    doc = lxml_html.fromstring(HtmlRenderer(course()).study_guide(bank))
    maps = doc.xpath("//section[@aria-labelledby='argument-map']//div[@class='argmap']")
    if not maps:
        return 0, ""
    boxes = maps[0].xpath(".//*[contains(concat(' ', @class, ' '), ' am-box ')]")
    return len(boxes), squash("".join(maps[0].itertext()))


def assert_same_map(bank: Bank) -> None:
    (html_boxes, html_text), (pdf_boxes, pdf_text) = html_map(bank), pdf_map(bank)
    assert html_boxes == pdf_boxes, f"the HTML map has {html_boxes} boxes, the PDF map {pdf_boxes}"
    for a in bank.arguments:
        start = squash(a.claim)[:25]
        assert (start in html_text) == (start in pdf_text), a.id


def without_thesis(bank: Bank) -> Bank:
    return replace(bank, arguments=tuple(a for a in bank.arguments if a.role != "thesis"))


@needs_real_bank
def test_argument_map_without_a_thesis_agrees() -> None:
    bank = without_thesis(load(REAL_BANK))
    assert html_map(bank)[0] > 0, "premises and evidence are still a map without a thesis"
    assert_same_map(bank)


@needs_real_bank
def test_argument_map_of_the_real_bank_agrees() -> None:
    assert_same_map(load(REAL_BANK))


def test_argument_map_of_the_fixture_agrees() -> None:
    assert_same_map(load())

"""The self-test renderer without a browser: golden HTML, safe JSON, paragraphs and quote anchors.

Regenerate the golden file after an intended change with:
    STUDYGEN_REGEN_GOLDEN=1 python3 -m pytest -q tests/test_selftest_render.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from studygen.check.text import normalize_passage
from studygen.course import DEFAULT_LABELS, Course
from studygen.model import Bank
from studygen.paragraphs import Block, QuoteLocator, display_text, split_paragraphs
from studygen.sources.banks import load_banks
from studygen.targets.selftest import render_selftest
from studygen.targets.selftest.payload import legacy_storage_key, script_json, storage_key

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "selftest"
GOLDEN = FIXTURES / "golden" / "index.html"
REAL_BANK = REPO / "question_banks" / "seoul-moscow.yaml"
COURSE = Course(root=REPO, title="IR 204: Korea & Russia <2024>", instructor="Dr. Kim", term="Spring")


def load(*names: str) -> list[Bank]:
    result = load_banks([FIXTURES / n for n in names])
    assert result.ok, result.diagnostics
    return result.banks


def payload_of(page: bytes) -> dict[str, Any]:
    tree = lxml_html.fromstring(page)
    (script,) = tree.xpath('//script[@id="bank-data"]')
    assert script.get("type") == "application/json"
    data: dict[str, Any] = json.loads(script.text)
    return data


@pytest.fixture(scope="module")
def both() -> dict[str, bytes]:
    return render_selftest(COURSE, load("seoul.yaml", "hostile.yaml"))


@pytest.fixture(scope="module")
def seoul() -> dict[str, bytes]:
    return render_selftest(COURSE, load("seoul.yaml"))


def without_inlined_code(page: bytes) -> str:
    """The page with its inlined CSS and script (golden-tested by the browser suite) cut out."""
    text = page.decode("utf-8")
    text = re.sub(r"<style>\n.*?</style>", "<style>/* selftest.css */</style>", text, count=1, flags=re.S)
    text = re.sub(r"'sha256-[A-Za-z0-9+/=]+'", "'sha256-…'", text, count=1)
    return re.sub(r"<script>.*?</script>\n</body>", "<script>/* page script */</script>\n</body>", text, flags=re.S)


def test_golden_html(both: dict[str, bytes]) -> None:
    page = without_inlined_code(both["index.html"])
    if os.environ.get("STUDYGEN_REGEN_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(page, encoding="utf-8")
    assert GOLDEN.exists(), "no golden file: run with STUDYGEN_REGEN_GOLDEN=1 once"
    assert page == GOLDEN.read_text(encoding="utf-8")


def test_folder_contents_and_determinism(both: dict[str, bytes]) -> None:
    # One self-contained file: uploading only index.html to an LMS gives students the whole page.
    assert sorted(both) == ["index.html"]
    again = render_selftest(COURSE, load("seoul.yaml", "hostile.yaml"))
    assert again == both


def test_bank_json_cannot_break_out_of_its_script(both: dict[str, bytes]) -> None:
    page = both["index.html"].decode("utf-8")
    start = page.index('<script type="application/json" id="bank-data">') + len(
        '<script type="application/json" id="bank-data">'
    )
    body = page[start : page.index("</script>", start)]
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in body
    data = json.loads(body)
    stems = [q["stem"] for q in data["questions"]]
    assert "The reading says </script><!-- <script>alert('stem')</script> 한국어?" in stems
    assert any("\u2028" in q["explanation"] for q in data["questions"])
    # only the two scripts of the template exist, and no bank markup became an element
    tree = lxml_html.fromstring(both["index.html"])
    assert [s.get("src") or s.get("id") for s in tree.iter("script")] == ["bank-data", None]
    assert tree.xpath("//img | //svg | //b | //i | //iframe | //*[@onerror] | //*[@onload]") == []
    assert tree.findtext(".//title") == "Self-test · IR 204: Korea & Russia <2024>"


@settings(max_examples=200, deadline=None)
@given(st.recursive(st.text() | st.integers() | st.booleans(), lambda c: st.lists(c) | st.dictionaries(st.text(), c)))
def test_script_json_round_trips_and_is_inert(value: Any) -> None:
    text = script_json(value)
    assert json.loads(text) == value
    assert not re.search("[<>&\u2028\u2029]", text)


def test_only_local_assets_and_no_markup_insertion(both: dict[str, bytes]) -> None:
    from studygen.targets.selftest import page_script

    js = page_script().decode("utf-8")
    tree = lxml_html.fromstring(both["index.html"])
    assert tree.xpath("//script[not(@id)]")[0].text == js  # inlined, byte for byte
    css = tree.xpath("//style")[0].text
    code = re.sub(r"/\*.*?\*/", "", js, flags=re.S)
    for forbidden in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "fetch(",
        "XMLHttpRequest",
        "import(",
        "http://",
        "https://",
    ):
        assert forbidden not in code, forbidden
    assert "@import" not in css and "url(" not in css and "http" not in css
    tree = lxml_html.fromstring(both["index.html"])
    refs = [e.get("href") for e in tree.xpath("//link[@href]")] + [e.get("src") for e in tree.xpath("//*[@src]")]
    assert refs == ["data:,"]
    # The CSP admits exactly the page's own script (an injected <script> has another hash).
    csp = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    digest = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    assert f"script-src 'sha256-{digest}'" in csp and "connect-src 'none'" in csp


def test_unsafe_reading_url_is_not_linked() -> None:
    """The schema refuses non-web URLs; the page still never links one (defence in depth)."""
    from dataclasses import replace

    bank = load("hostile.yaml")[0]
    unsafe = replace(bank, reading=replace(bank.reading, url="javascript:alert(1)"))
    tree = lxml_html.fromstring(render_selftest(COURSE, [unsafe])["index.html"])
    assert tree.xpath('//a[starts-with(@href, "javascript")]') == []


def test_payload_questions_and_cards(seoul: dict[str, bytes]) -> None:
    data = payload_of(seoul["index.html"])
    by_id = {q["id"]: q for q in data["questions"]}
    assert [q["type"] for q in data["questions"]] == [
        "single_choice",
        "multiple_response",
        "true_false",
        "short_answer",
        "matching",
        "ordering",
        "fill_blank",
        "essay",
        "single_choice",
    ]
    assert by_id["Q-single"]["background"].startswith("The panel of experts")
    assert by_id["Q-single"]["options"][3] == {
        "text": "None of the above",
        "correct": False,
        "pinned": True,
        "feedback": "",
    }
    assert by_id["Q-fill"]["blanks"] == [["March 28", "28 March"], ["2024"]]
    assert by_id["Q-match"]["pairs"][0] == ["No lethal weapons to Ukraine", "First condition"]
    assert by_id["Q-essay"]["guidance"].startswith("A strong answer")
    assert by_id["Q-remark"]["sources"] == [
        {
            "text": "After Yoon Suk-yeol remarked that North Korea is \"the world's only country to have codified a "
            'preemptive nuclear strike in law,"',
            "anchor": "p-10",
            "marks": [["p-10", 156, 284]],
        }
    ]
    kinds = [(c["kind"], c["background"]) for c in data["cards"]]
    assert kinds.count(("fact", False)) == 7 and ("term", True) in kinds and ("term", False) in kinds
    # Keyed by the course alone: adding a reading keeps every student's progress.
    assert (
        data["storageKey"]
        == storage_key(COURSE)
        == payload_of(render_selftest(COURSE, load("seoul.yaml", "hostile.yaml"))["index.html"])["storageKey"]
    )
    assert data["legacyStorageKeys"] == [legacy_storage_key(COURSE, load("seoul.yaml"))]
    assert data["legacyStorageKeys"][0].startswith("studygen-selftest/v1/")
    assert data["blooms"] == ["remember", "understand", "analyze", "evaluate"]
    assert [t[1] for t in data["topics"]] == [
        "Russia's conditions",
        "The author's thesis",
        "United Nations & sanctions",
    ]


def test_every_fixture_quote_is_located_exactly(seoul: dict[str, bytes]) -> None:
    data = payload_of(seoul["index.html"])
    tree = lxml_html.fromstring(seoul["index.html"])
    paragraphs = {p.get("id"): p.text_content() for p in tree.xpath('//p[contains(@class, "para")]')}
    assert tree.xpath('//p[@id="p-2"]/@class') == ["para chrome"]
    for item in data["questions"] + data["cards"]:
        for source in item["sources"]:
            assert source["marks"], (item["id"], source["text"])
            shown = " ".join(paragraphs[a][s:e] for a, s, e in source["marks"])
            assert normalize_passage(shown) == normalize_passage(source["text"])


def test_course_labels_reach_the_page() -> None:
    course = Course(
        root=REPO,
        title="국제관계",
        language="ko",
        labels={**DEFAULT_LABELS, "explanation": "해설", "true": "참", "false": "거짓"},
    )
    page = render_selftest(course, load("seoul.yaml"))["index.html"]
    data = payload_of(page)
    assert (data["labels"]["explanation"], data["labels"]["true"], data["labels"]["false"]) == ("해설", "참", "거짓")
    assert lxml_html.fromstring(page).get("lang") == "ko"


def test_paragraphs_of_the_real_column() -> None:
    text = (REPO / "seeds" / "000_70008bae40352f36.txt").read_text(encoding="utf-8")
    blocks = split_paragraphs(text)
    paras = [b.text for b in blocks]
    assert paras[0].startswith("This column by PCI Board Member")
    # navigation chrome keeps its words (banks quote them) but is set apart
    assert (paras[1], blocks[1].chrome) == ("all > Editorial & Opinion", True)
    assert [b.chrome for b in blocks].count(True) == 1
    assert paras[2] == "[Column] Will Seoul's ties with Moscow really recover on their own?"
    # a blank line inside a sentence ("remarked / that") does not split the paragraph
    assert any("After Yoon Suk-yeol remarked that North Korea is" in p for p in paras)
    assert paras[-1] == "Please direct questions or comments to [english@hani.co.kr]"
    # nothing of the column is lost: every word is shown, in order (links reduced to their text)
    shown = normalize_passage(" ".join(paras)).split()
    source = normalize_passage(text.replace("[all](#) > [Editorial & Opinion](#)", "all > Editorial & Opinion"))
    assert shown == source.split()


def test_display_text_reduces_links_and_whitespace() -> None:
    assert display_text("  See [the\u00a0report](https://x.y)\n and   more ") == "See the report and more"
    assert split_paragraphs("[a](#) | [b](#)\n\nBody [link](#) text.\n\n \n") == [
        Block("a | b", chrome=True),
        Block("Body link text."),
    ]


_WORDS = st.text(
    alphabet=st.sampled_from([*"abcXYZ한국어русский.,'\"-", "\u2019", "\u201c", "\u2014", "\u00a0", " "]),
    min_size=1,
    max_size=30,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=5), st.data())
def test_locator_finds_any_stretch_of_the_reading(chunks: list[str], data: st.DataObject) -> None:
    paragraphs = [p for p in (display_text(c) for c in chunks) if p]
    if not paragraphs:
        return
    joined = " ".join(paragraphs)
    start = data.draw(st.integers(0, len(joined) - 1))
    end = data.draw(st.integers(start + 1, len(joined)))
    # the author may retype the quote with ASCII quotes/dashes and different spacing
    quote = normalize_passage(joined[start:end]).replace(" ", "  \n")
    if not normalize_passage(quote):
        return
    segments = QuoteLocator(paragraphs).locate(quote)
    assert segments
    shown = " ".join(paragraphs[s.para][s.start : s.end] for s in segments)
    assert normalize_passage(shown) == normalize_passage(quote)
    for s in segments:
        assert 0 <= s.start < s.end <= len(paragraphs[s.para])


def test_missing_quote_gives_no_anchor() -> None:
    assert QuoteLocator(["Alpha beta.", "Gamma."]).locate("delta") == ()
    assert QuoteLocator(["Alpha beta."]).locate("   ") == ()


@pytest.mark.skipif(not REAL_BANK.exists(), reason=f"{REAL_BANK.name} is being curated and is not present yet")
def test_real_bank_renders_with_every_quote_anchored() -> None:
    result = load_banks([REAL_BANK])
    if not result.ok:
        pytest.skip(f"{REAL_BANK.name} does not load yet: {result.diagnostics[0].format_text()}")
    files = render_selftest(COURSE, result.banks)
    data = payload_of(files["index.html"])
    assert len(data["questions"]) == sum(len(b.questions) for b in result.banks)
    unanchored = [(q["id"], s["text"]) for q in data["questions"] for s in q["sources"] if not s["marks"]]
    assert unanchored == []


def test_inline_markers_are_removed_not_shown(tmp_path: Path) -> None:
    """The page inserts text with textContent, so `**bold**` must arrive as plain words, not asterisks."""
    from dataclasses import replace

    bank = load("seoul.yaml")[0]
    q = bank.questions[0]
    marked = replace(q, stem="Why does **Russia** object to *independent* sanctions?", explanation="**Because** so.")
    page = render_selftest(COURSE, [replace(bank, questions=(marked, *bank.questions[1:]))])["index.html"]
    first = payload_of(page)["questions"][0]
    assert first["stem"] == "Why does Russia object to independent sanctions?"
    assert first["explanation"] == "Because so."


# Literals the page script may hold: a media query, a DOM property name, a key name (KeyboardEvent.key)
# and two separators that need no translation; never words for people.
_SCRIPT_LITERALS_ALLOWED = {"(prefers-reduced-motion: reduce)", "className", "Enter", " · ", " → "}


def test_page_script_shows_no_word_of_its_own() -> None:
    """Every visible string is a course label: the script's literals are identifiers and selectors only.

    A literal with a capital letter, a non-ASCII character or a space between words would be
    text for a student, which a Korean or Russian course could not translate.
    """
    from studygen.targets.selftest import PAGE_PARTS

    literal = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"")
    found = []
    for name in PAGE_PARTS:
        text = (REPO / "studygen" / "targets" / "selftest" / "static" / "js" / name).read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        for n, line in enumerate(code.splitlines(), 1):
            line = line.split("//", 1)[0] if "'//'" not in line else line
            for m in literal.finditer(line):
                value = m.group(1) if m.group(1) is not None else m.group(2)
                wordy = re.search("[A-Za-z]{2,}", value) and not re.fullmatch(r"[a-z0-9_\-.#\[\]=\"() ]*", value)
                if (wordy or re.search(r"[^\x00-\x7f]", value)) and value not in _SCRIPT_LITERALS_ALLOWED:
                    found.append(f"{name}:{n}: {value!r}")
    assert found == []


def test_every_script_label_exists_and_the_course_can_reword_it() -> None:
    from studygen.targets.selftest import page_script

    used = {k for k in re.findall(r"\bt\('(st_[a-z_]+)'", page_script().decode("utf-8")) if not k.endswith("_")}
    # Labels picked by a computed key: the level names and the card stages.
    used |= {k for k in DEFAULT_LABELS if k.startswith(("st_level_", "st_boxes_", "st_type_", "st_card_ask_"))}
    assert used <= set(DEFAULT_LABELS), sorted(used - set(DEFAULT_LABELS))
    course = Course(root=REPO, title="T", labels={**DEFAULT_LABELS, "st_check": "Prüfen", "st_tab_quiz": "Test"})
    page = render_selftest(course, load("seoul.yaml"))["index.html"].decode("utf-8")
    assert ">Prüfen</button>" in page and ">Test</button>" in page
    assert payload_of(page.encode("utf-8"))["labels"]["st_check"] == "Prüfen"


def test_example_bank_reads_the_example_reading() -> None:
    """The example bank's reading is a copy of tests/readings_fixture.py's text: one example, not two."""
    import sys

    sys.path.insert(0, str(REPO / "tests"))
    from readings_fixture import TEXT

    assert (REPO / "tests" / "fixtures" / "example" / "concert-example.txt").read_text(encoding="utf-8") == TEXT


def _real_banks() -> list[Bank]:
    if not REAL_BANK.exists():
        pytest.skip(f"{REAL_BANK.name} is not present")
    result = load_banks([REAL_BANK])
    assert result.ok, result.diagnostics
    return result.banks


@pytest.mark.parametrize("source", ["fixture", "real"])
def test_fact_card_fronts_are_recall_prompts_from_recall_py(source: str) -> None:
    """Parity: the page's fact cards are studygen.recall's prompts (the Anki deck's too), built once in
    Python, and no front states its answer."""
    from studygen.recall import Detail, recall_prompt

    banks = load("seoul.yaml") if source == "fixture" else _real_banks()
    data = payload_of(render_selftest(COURSE, banks)["index.html"])
    facts = {f"{b.id}/fact/{f.id}": f for b in banks for f in b.facts}
    fact_cards = [c for c in data["cards"] if c["kind"] == "fact"]
    assert [c["id"] for c in fact_cards] == list(facts)
    blank = DEFAULT_LABELS["st_card_blank_mark"]
    for card in fact_cards:
        prompt = recall_prompt(facts[card["id"]])
        assert card["cloze"] == [prompt.before, prompt.answer, prompt.after], card["id"]
        assert card["detail"] == prompt.detail.value and card["back"] == prompt.answer
        assert card["front"] == prompt.before + blank + prompt.after
        assert card["statement"] == prompt.statement
        shown = prompt.before + " " + prompt.after
        assert not re.search(rf"(?<!\w){re.escape(prompt.answer)}(?!\w)", shown, re.I), card["id"]
    # every kind of detail has its question above the card
    assert {f"st_card_ask_{d.value}" for d in Detail} <= set(DEFAULT_LABELS)


def test_passages_each_paragraph_once_key_first_chrome_last() -> None:
    """Feedback shows each paragraph once, cut from the reading, in ref order with page chrome last."""
    banks = _real_banks()
    page = render_selftest(COURSE, banks)["index.html"]
    data = payload_of(page)
    tree = lxml_html.fromstring(page)
    paras = {p.get("id"): p for p in tree.xpath('//p[contains(@class, "para")]')}
    for item in data["questions"] + data["cards"]:
        anchors = [p["anchor"] for p in item["passages"]]
        assert len(anchors) == len(set(anchors)), item["id"]  # each paragraph once
        assert set(anchors) == {a for s in item["sources"] for a, _, _ in s["marks"]}, item["id"]
        chrome = ["chrome" in paras[a].get("class", "") for a in anchors]
        assert chrome == sorted(chrome), item["id"]  # chrome (site navigation, bylines) last
        if item["sources"] and not chrome[0]:
            assert anchors[0] == item["sources"][0]["anchor"], item["id"]  # the key passage first
        for p in item["passages"]:
            text = paras[p["anchor"]].text_content()
            assert p["n"] == int(paras[p["anchor"]].get("data-n"))
            for piece in p["text"].split(DEFAULT_LABELS["st_passage_gap"]):
                assert piece in text, (item["id"], piece)  # the reading's own words
    by_id = {q["id"]: q for q in data["questions"]}
    # the item the review measured: 11 quotes, 7 paragraphs
    assert len(by_id["Q-sm-es-conditions"]["sources"]) == 11
    assert len(by_id["Q-sm-es-conditions"]["passages"]) == 7


def test_cards_carry_topics_for_the_progress_page() -> None:
    banks = load("seoul.yaml")
    data = payload_of(render_selftest(COURSE, banks)["index.html"])
    known = {t[0] for t in data["topics"]}
    facts = {f"{b.id}/fact/{f.id}": f for b in banks for f in b.facts}
    for card in data["cards"]:
        assert set(card["topics"]) <= known, card["id"]
        if card["kind"] == "fact":
            assert card["topics"] == list(facts[card["id"]].topics)
    terms = [c for c in data["cards"] if c["kind"] == "term"]
    assert any(c["topics"] for c in terms)  # a term inherits the topics of the facts it rests on


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(alphabet="ab ,.c", min_size=1, max_size=30), min_size=1, max_size=4),
    data=st.data(),
)
def test_passages_cover_every_quoted_stretch_once(texts: list[str], data: st.DataObject) -> None:
    """Whatever the quotes, each paragraph is one passage and every quoted stretch is in it, verbatim."""
    from studygen.targets.selftest.payload import Paragraph, ReadingView, passages

    view = ReadingView(
        0, "b", "", "", "", "", "", "", tuple(Paragraph(f"p-{i + 1}", i + 1, t) for i, t in enumerate(texts))
    )
    sources = []
    for _ in range(data.draw(st.integers(0, 6))):
        i = data.draw(st.integers(0, len(texts) - 1))
        start = data.draw(st.integers(0, len(texts[i]) - 1))
        end = data.draw(st.integers(start + 1, len(texts[i])))
        sources.append({"text": texts[i][start:end], "anchor": f"p-{i + 1}", "marks": [[f"p-{i + 1}", start, end]]})
    out = passages(sources, view, " … ")
    anchors = [p["anchor"] for p in out]
    assert anchors == list(dict.fromkeys(s["anchor"] for s in sources))  # ref order, each once
    for s in sources:
        (_, start, end) = s["marks"][0]
        shown = next(p["text"] for p in out if p["anchor"] == s["anchor"])
        piece = texts[int(s["anchor"][2:]) - 1][start:end].strip()
        assert piece in shown

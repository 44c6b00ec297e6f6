"""What bank documents say, once for every format: holders, key quotes, the argument-map outline."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_pdf_support import course, load

from studygen.documents.outline import argument_outline, holder_name, is_author
from studygen.documents.study_guide import key_quotes, study_guide
from studygen.model import Argument


@pytest.mark.parametrize("holder", ["the author", "The author", " AUTHOR ", "the author (Chung-in Moon)"])
def test_the_author_in_any_spelling_is_the_readings_author(holder: str) -> None:
    bank = load()
    assert is_author(holder) and holder_name(holder, bank) == bank.reading.author


@pytest.mark.parametrize("holder", ["Chang Ho-jin", "an author of the report", "authorities"])
def test_other_holders_are_printed_as_given(holder: str) -> None:
    assert not is_author(holder) and holder_name(holder, load()) == holder


def test_key_quotes_put_the_thesis_first_and_fall_back_to_facts() -> None:
    bank = load()
    quotes = key_quotes(bank, course())
    thesis = next(a for a in bank.arguments if a.role == "thesis")
    assert quotes[0].text == thesis.quotes[0] and quotes[0].holder == bank.reading.author
    assert len({q.text for q in quotes}) == len(quotes), "no passage twice"
    bare = replace(bank, arguments=())
    fallback = key_quotes(bare, course())
    assert [q.text for q in fallback] == list(dict.fromkeys(q for f in bank.facts for q in f.quotes))
    assert {q.holder for q in fallback} == {bank.reading.author}


def test_outline_without_a_thesis_still_maps_the_arguments() -> None:
    bank = load()
    outline = argument_outline(replace(bank, arguments=tuple(a for a in bank.arguments if a.role != "thesis")))
    heads = [g[0] for g in outline.groups()]
    assert heads and all(h.level == -1 for h in heads)
    assert {n.id for n in outline.nodes} >= {a.id for a in bank.arguments if a.role not in ("thesis", "counter")}


def test_outline_places_counters_against_what_they_counter() -> None:
    bank = load()
    outline = argument_outline(bank)
    assert outline.counters
    for c in outline.counters:
        target = outline.target(c)
        assert target is not None and target.id in next(a for a in bank.arguments if a.id == c.id).counters
    shown = [n.id for n in outline.nodes if not n.repeat]
    assert len(shown) == len(set(shown)), "each node in full once; later mentions are reminders"


def test_study_guide_glossary_sorted_without_case() -> None:
    terms = [t.term for t in study_guide(load(), course()).glossary]
    assert terms == sorted(terms, key=str.casefold)


ROLES = ["thesis", "premise", "evidence", "counter", "contingent", "recommendation"]


@st.composite
def argument_graphs(draw: st.DrawFn) -> tuple[Argument, ...]:
    """Arguments with any roles, supporting and countering each other (and the fixture's facts) at random."""
    n = draw(st.integers(0, 8))
    ids = [f"A{i}" for i in range(n)]
    refs = [*ids, "F-summit", "F-veto", "F-spat"]
    out = []
    for i in range(n):
        out.append(
            Argument(
                ids[i],
                draw(st.sampled_from(["Ties recover.", "**Bold** claim", "짧은 주장", "A much longer claim " * 4])),
                draw(st.sampled_from(["the author", "The author", "Chang Ho-jin", "the author (Chung-in Moon)"])),
                draw(st.sampled_from(ROLES)),
                ("q",),
                tuple(draw(st.lists(st.sampled_from(refs), max_size=4, unique=True))),
                tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))) if ids else (),
            )
        )
    return tuple(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(argument_graphs())
def test_outline_invariants_and_both_maps_draw_every_node(arguments: tuple[Argument, ...]) -> None:
    from reportlab.graphics.shapes import Rect

    from studygen.targets.html.figures import argument_map as html_map
    from studygen.targets.pdf import fonts as pdf_fonts
    from studygen.targets.pdf.figures import outline_drawings
    from studygen.targets.pdf.markup import MarkupContext

    bank = replace(load(), arguments=arguments)
    outline = argument_outline(bank)
    full = [n.id for n in outline.nodes if not n.repeat]
    assert sorted(full) == sorted(set(full)), "each node is shown in full once"
    assert set(full) >= {a.id for a in arguments if a.role != "counter"}, "no argument is dropped"
    assert [c.id for c in outline.counters] == [a.id for a in arguments if a.role == "counter"]
    for i, n in enumerate(outline.nodes):
        assert n.parent is None or n.parent < i, "what a node supports is drawn before it"
    html = html_map(outline)
    html_boxes = html.boxes() if html else 0
    pdf_boxes = 0

    def walk(node: object) -> None:
        nonlocal pdf_boxes
        pdf_boxes += isinstance(node, Rect)
        for child in getattr(node, "contents", ()):
            walk(child)

    for d in outline_drawings(outline, course(), MarkupContext(pdf_fonts.font_set(None)), 450, 10_000):
        walk(d)
    assert html_boxes == pdf_boxes == len(outline.nodes) + len(outline.counters)
    short = outline.main_claims()
    kept = {n.id for n in short.nodes}
    assert all(n.level != 2 for n in short.nodes), "the handout's map leaves the evidence out"
    assert {n.id for n in outline.nodes if n.level in (0, 1)} <= kept, "every thesis and its direct support stay"
    for i, n in enumerate(short.nodes):
        assert n.parent is None or n.parent < i
    assert [c.id for c in short.counters] == [c.id for c in outline.counters], "every counter-view stays"
    for c in short.counters:
        assert c.against is None or short.nodes[c.against].id in kept
    if short:
        assert html_map(short) is not None

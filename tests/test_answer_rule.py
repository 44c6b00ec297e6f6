"""The one answer rule (studygen.text.answers): hand-picked verdicts, properties, and parity with the page.

The self-test page runs the rule from the data in its payload (static/answers.js); the
parity tests run that script in node on the same hand-picked and hypothesis-drawn
strings as Python and require identical keys and verdicts.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studygen.text.answers import answer_key, edit_distance, judge, lms_variants, matches, page_rule

ROOT = Path(__file__).resolve().parent.parent
NODE_SCRIPT = ROOT / "tests" / "js" / "answer_rule.js"

# (typed, accepted, case_sensitive, rivals, right?)
HAND_PICKED: list[tuple[str, list[str], bool, list[str], bool]] = [
    ("Moon\u2019s", ["Moon's"], False, [], True),  # typographic apostrophe (issue 10: right on the page only)
    ("Moons", ["Moon's"], False, [], True),  # punctuation ignored
    ("Vostochny Cosmodrom", ["Vostochny Cosmodrome"], False, [], True),  # issue 16: one letter short
    ("Bolshoy Ballet", ["Bolshoi Ballet"], False, [], True),  # issue 16: one letter differs
    ("Vostochyn Cosmodrome", ["Vostochny Cosmodrome"], False, [], True),  # two neighbours swapped = one edit
    ("Vstochyn Cosmodrome", ["Vostochny Cosmodrome"], False, [], True),  # two edits, 19 letters
    ("Vstchyn Cosmodrome", ["Vostochny Cosmodrome"], False, [], False),  # three edits
    ("Kremlim", ["Kremlin"], False, [], True),  # 7 letters: one edit
    ("Kremlon", ["Kremlin"], False, [], True),
    ("Krimlon", ["Kremlin"], False, [], False),  # two edits on a short answer
    ("Moskow", ["Moscow"], False, [], True),  # exactly 6 letters: one edit
    ("Moskov", ["Moscow"], False, [], False),
    ("Konstitutian", ["Constitution"], False, [], True),  # exactly 12 letters: two edits
    ("Imstitutian", ["Institution"], False, [], False),  # 11 letters: one edit only
    ("Putn", ["Putin"], False, [], False),  # under 6 letters: exact only
    ("Seúl", ["Seoul"], False, [], False),
    ("Seoul", ["Séoul"], False, [], True),  # accents folded
    ("SÉOUL", ["seoul"], False, [], True),
    ("STRASSE", ["straße"], False, [], True),  # full case folding
    ("e\u0301clair", ["\u00e9clair"], False, [], True),  # NFD = NFC
    ("U.S.", ["US"], False, [], True),
    ("  north   korea ", ["North Korea"], False, [], True),
    ("northkorea", ["North Korea"], False, [], True),  # spaces ignored
    ("한러 관계", ["한러관계"], False, [], True),  # Hangul spacing
    ("한러관게", ["한러관계"], False, [], False),  # Hangul is compared as written
    ("１９９０", ["1990"], False, [], True),  # full-width digits
    ("1990", ["1991"], False, [], False),  # never a typo in a number
    ("1.5", ["15"], False, [], False),  # decimal point between digits kept
    ("1.5 million", ["1.5 million"], False, [], True),
    ("15 million", ["1.5 million"], False, [], False),
    ("2024-05-13", ["2024 05 13"], False, [], True),
    ("", ["x"], False, [], False),
    ("...", ["x"], False, [], False),  # nothing left after folding is no answer
    ("NaCl", ["NaCl"], True, [], True),
    ("nacl", ["NaCl"], True, [], False),  # case-sensitive: case kept
    ("Vostochny Cosmodrom", ["Vostochny Cosmodrome"], True, [], False),  # case-sensitive: no typos
    ("Nuclear weapons", ["Nuclear weapon"], False, ["Nuclear weapons"], False),  # exact rival: wrong
    ("Nuclear weapona", ["Nuclear weapon"], False, ["Nuclear weapons"], False),  # near both: not clearly right
    ("Nuclear weapom", ["Nuclear weapon"], False, ["Nuclear reactor"], True),  # near only the accepted one
    ("Russia", ["Russia"], False, ["Russia"], True),  # a rival that is also accepted is no rival
]


@pytest.mark.parametrize(("typed", "accepted", "case_sensitive", "rivals", "right"), HAND_PICKED)
def test_hand_picked_verdicts(
    typed: str, accepted: list[str], case_sensitive: bool, rivals: list[str], right: bool
) -> None:
    assert matches(typed, accepted, case_sensitive, rivals) is right


def test_a_near_miss_names_the_answer_it_is_near() -> None:
    v = judge("Bolshoy Ballet", ["Bolshoi Theatre", "Bolshoi Ballet"])
    assert (v.right, v.exact, v.nearest, v.edits) == (True, False, "Bolshoi Ballet", 1)
    assert judge("Moon’s", ["Moon's"]).exact


def test_lms_variants_add_plain_forms_for_exact_matching_systems() -> None:
    assert lms_variants(["Moon\u2019s"]) == ("Moon\u2019s", "Moon's", "Moons")
    assert lms_variants(["Bolshoí Ballet", "bolshoi ballet"]) == ("Bolshoí Ballet", "Bolshoi Ballet")
    assert lms_variants(["Seoul–Moscow"]) == ("Seoul–Moscow", "Seoul-Moscow", "Seoul Moscow")
    assert lms_variants(["1.5 million"]) == ("1.5 million",)
    for variants in (lms_variants(["Moon’s", "U.S.", "Séoul"]),):
        assert all(matches(v, ["Moon’s", "U.S.", "Séoul"]) for v in variants), "every variant is right by the rule"


# Text a student could type: Latin with accents, Greek, Cyrillic, Hangul, digits, punctuation,
# typographic marks, combining marks, full-width forms and odd spaces (assigned in Python's Unicode).
_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf"),
    exclude_characters="\ud800",
).filter(lambda c: unicodedata.category(c) != "Cn")
_TYPED = st.one_of(
    st.text(_ALPHABET, max_size=14),
    st.text(st.sampled_from(list("aAeéÉoöß .,-'’‘“”1234567890ﬁＡｂ１İıΣσςё한국\u0301\u00a0\u200b")), max_size=16),
)


@st.composite
def _case(draw: st.DrawFn) -> tuple[str, list[str], bool, list[str]]:
    accepted = draw(st.lists(_TYPED, min_size=1, max_size=3))
    base = draw(st.sampled_from(accepted))
    # Often a near miss of an accepted answer, so the typo branch is exercised, not only exact misses.
    typed = draw(
        st.one_of(
            _TYPED,
            st.just(base),
            st.builds(lambda i, c: base[:i] + c + base[i + 1 :], st.integers(0, 20), st.sampled_from("xé’ .")),
            st.builds(lambda i: base[:i] + base[i + 1 :], st.integers(0, 20)),
            st.builds(lambda i: base[:i] + base[i + 1 : i + 2] + base[i : i + 1] + base[i + 2 :], st.integers(0, 20)),
        )
    )
    rivals = draw(st.lists(_TYPED, max_size=2))
    return typed, accepted, draw(st.booleans()), rivals


@given(_TYPED)
def test_the_key_is_a_fixed_point(text: str) -> None:
    assert answer_key(answer_key(text)) == answer_key(text)
    assert answer_key(answer_key(text, True), True) == answer_key(text, True)


@given(st.text(max_size=8), st.text(max_size=8), st.integers(0, 3))
def test_edit_distance_is_bounded_and_symmetric(a: str, b: str, limit: int) -> None:
    d = edit_distance(a, b, limit)
    assert d == edit_distance(b, a, limit) and 0 <= d <= limit + 1
    assert (d == 0) == (a == b)


@given(_case())
def test_an_accepted_answer_is_always_right(case: tuple[str, list[str], bool, list[str]]) -> None:
    _, accepted, case_sensitive, rivals = case
    for a in accepted:
        if answer_key(a, case_sensitive):
            assert matches(a, accepted, case_sensitive, rivals)


def _node_missing() -> str | None:
    return "node is not installed" if shutil.which("node") is None else None


def _run_page(cases: list[tuple[str, list[str], bool, list[str]]]) -> list[dict[str, Any]]:
    payload = {"rule": page_rule(), "cases": cases}
    done = subprocess.run(
        ["node", str(NODE_SCRIPT)], input=json.dumps(payload), capture_output=True, text=True, check=True
    )
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def _python(cases: list[tuple[str, list[str], bool, list[str]]]) -> list[dict[str, Any]]:
    out = []
    for typed, accepted, cs, rivals in cases:
        v = judge(typed, accepted, cs, rivals)
        out.append(
            {"key": answer_key(typed, cs), "right": v.right, "exact": v.exact, "nearest": v.nearest, "edits": v.edits}
        )
    return out


@pytest.mark.skipif(_node_missing() is not None, reason=str(_node_missing()))
def test_page_and_grading_agree_on_hand_picked_answers() -> None:
    cases = [(t, a, cs, r) for t, a, cs, r, _ in HAND_PICKED]
    page = _run_page(cases)
    assert page == _python(cases)
    assert [v["right"] for v in page] == [right for *_, right in HAND_PICKED]


@pytest.mark.skipif(_node_missing() is not None, reason=str(_node_missing()))
@settings(max_examples=10, deadline=None)
@given(st.lists(_case(), min_size=30, max_size=30))
def test_page_and_grading_agree_on_generated_answers(cases: list[tuple[str, list[str], bool, list[str]]]) -> None:
    assert _run_page(cases) == _python(cases)

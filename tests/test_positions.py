"""Positions found when asked (`yamlload.Positions`) are exactly those of one eager read.

A clean bank is read once with only the top of its positions; a look-up inside a question reads
that question's lines again.  If those lines were ever cut wrong, a diagnostic would point at the
wrong line, so every property here compares each value's and each key's position with what a
read recording everything (`_Builder(track=True)`) gives for the same text.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import banks

from studygen.sources.yamlload import Document, _Builder, _key_positions, load_text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _eager(text: str) -> tuple[dict[Any, tuple[int, int]], dict[Any, tuple[int, int]]]:
    builder = _Builder("b.yaml")
    builder.run(text)
    assert builder.problems == []
    return builder.marks, _key_positions(builder.key_tables)


def _clean(text: str) -> bool:
    """Whether the strict loader takes `text`: a dump style that writes tags (`!!bool "true"`) is refused,
    and the emitter can write what its own parser refuses (rare control characters)."""
    return _Builder("b.yaml").reads_clean(text)


def _assert_same_positions(text: str) -> Document:
    values, keys = _eager(text)
    doc, problems = load_text(text, "b.yaml")
    assert problems == [] and doc is not None
    for path, pos in values.items():
        assert doc.positions.value(path) == pos, path
        assert doc.mark(path) == pos, path
    for path, pos in keys.items():
        assert doc.positions.key(path) == pos, path
    # nothing more: a path the file does not have has no position
    for path in list(values)[:50]:
        assert doc.positions.value((*path, "no-such-key")) is None
    return doc


_DUMP_OPTIONS = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([False, None]),
        "indent": st.integers(2, 5),
        "width": st.integers(20, 120),
        "allow_unicode": st.booleans(),
        "explicit_start": st.booleans(),
        "explicit_end": st.booleans(),
        "line_break": st.sampled_from([None, "\r\n", "\r"]),
        "default_style": st.sampled_from([None, None, '"', "'"]),
    }
)


@SETTINGS
@given(banks(max_questions=4), _DUMP_OPTIONS)
def test_banks_in_any_dump_style_get_the_eager_positions(drawn: tuple[dict[str, Any], str], options: Any) -> None:
    text = yaml.safe_dump(drawn[0], sort_keys=False, **options)
    assume(_clean(text))
    doc = _assert_same_positions(text)
    if options["default_flow_style"] is False:
        assert not doc.positions.read_whole, "block style is read part by part, never whole"


_SCALARS = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30),
    st.sampled_from(["- id: x", "key: value", "# not a comment", "a\u2028b", "x\r\ny", "'", '"', "|", ">"]),
)
# keys over 128 characters are dumped as explicit `? key` entries
_KEYS = st.text("abcxyz", min_size=1, max_size=4) | st.text("ab", min_size=129, max_size=135)
_NESTED = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)


@SETTINGS
@given(st.dictionaries(st.text("abcdefgh", min_size=1, max_size=5), _NESTED, min_size=1, max_size=5), _DUMP_OPTIONS)
def test_any_nesting_and_any_text_get_the_eager_positions(data: dict[str, Any], options: Any) -> None:
    try:
        text = yaml.safe_dump(data, sort_keys=False, **options)
    except yaml.YAMLError:  # pragma: no cover - an emitter limit, not ours
        return
    assume(_clean(text))
    _assert_same_positions(text)


HAND_WRITTEN = {
    "dash on its own line": "questions:\n-\n  id: Q1\n  stem: one\n-\n  id: Q2\n  stem: two\n",
    "comments between items": (
        "questions:\n# first\n- id: Q1  # trailing\n  stem: one\n\n  # inside\n\n- id: Q2\n  stem: two\n# end\n"
    ),
    "flow items on one line": "questions: [{id: Q1, stem: one}, {id: Q2, stem: two}]\ntitle: t\n",
    "flow item over lines": "questions:\n- {id: Q1,\n   stem: one}\n- {id: Q2, stem: two}\n",
    "quoted over lines": 'questions:\n- id: Q1\n  stem: "one\n- id: fake"\n  explanation: e\n- id: Q2\n',
    "line separator": 'questions:\n- id: Q1\n  stem: "a\u2028b"\n  text: c\n- id: Q2\n  stem: d\n',
    "crlf": "questions:\r\n- id: Q1\r\n  options:\r\n  - text: a\r\n    correct: true\r\n",
    "indented sequence": "questions:\n    - id: Q1\n      options:\n        - text: a\n    - id: Q2\n",
    "block scalars": (
        "questions:\n- id: Q1\n  stem: |2\n     kept\n\n     - id: not an item\n  text: >-\n    folded\n- id: Q2\n"
    ),
    "document markers": "---\nquestions:\n- id: Q1\n  stem: one\n...\n",
    "nested deeper": "a:\n  b:\n    c:\n      d: [1, {e: f}]\n  g: h\n",
    # libyaml puts a value left empty at the start of the next token: the part must end there too
    "explicit key, no value, last": "questions:\n  - id: Q1\n    ? k\n  - id: Q2\n",
    "explicit key after comments": "questions:\n  - id: Q1\n    ? k\n\n  # c\n  - id: Q2\n",
    "explicit key, crlf": "questions:\r\n  - id: Q1\r\n    ? k\r\n  - id: Q2\r\n",
    "explicit key, deeper": "questions:\n  - id: Q1\n    sub:\n      ? k\n  - id: Q2\n",
    "explicit key, depth 1": "a:\n  b:\n    ? k\n  c: 1\n",
    "empty value, last": "questions:\n  - id: Q1\n    stem:\n  - id: Q2\n    stem:\n",
    "korean": "questions:\n- id: Q1\n  stem: '한국어 텍스트: 서울'\n  refs: [F1, F2]\n",
}


def test_hand_written_styles_get_the_eager_positions() -> None:
    for name, text in HAND_WRITTEN.items():
        try:
            _assert_same_positions(text)
        except AssertionError as exc:  # pragma: no cover - names the case
            raise AssertionError(f"{name}: {exc}") from exc


def test_a_question_is_read_again_alone_and_the_file_only_when_it_must() -> None:
    doc = _assert_same_positions(HAND_WRITTEN["comments between items"])
    assert not doc.positions.read_whole
    flow, _ = load_text(HAND_WRITTEN["flow items on one line"], "b.yaml")
    assert flow is not None
    assert flow.mark(("questions", 1, "stem")) == (1, 49)
    assert flow.positions.read_whole  # two questions on one line cannot be cut apart
    # a dash alone on the line before each item: a part would end with the next item's dash
    dash, _ = load_text(HAND_WRITTEN["dash on its own line"], "b.yaml")
    assert dash is not None
    assert dash.mark(("questions", 0, "stem")) == (4, 9)
    assert dash.positions.read_whole


def test_threads_asking_at_once_all_get_the_position() -> None:
    """`serve` answers on threads: one reading a part must not make another see "no such value"."""
    import threading

    text = "questions:\n" + "".join(f"- id: Q{i}\n  options:\n  - text: t{i}\n" for i in range(300))
    doc, _ = load_text(text, "b.yaml")
    assert doc is not None
    expected = [(3 * i + 4, 11) for i in range(300)]
    got: list[list[tuple[int, int] | None]] = []
    barrier = threading.Barrier(4)

    def ask() -> None:
        barrier.wait()
        got.append([doc.positions.value(("questions", i, "options", 0, "text")) for i in range(300)])

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [expected] * 4


def test_a_file_with_a_problem_says_exactly_where() -> None:
    text = "questions:\n- id: Q1\n  stem: one\n  stem: two\n"
    doc, problems = load_text(text, "b.yaml")
    assert doc is None
    assert [(p.line, p.col, p.rule) for p in problems] == [(4, 3, "yaml-duplicate-key")]
    assert "first defined at line 3" in problems[0].message

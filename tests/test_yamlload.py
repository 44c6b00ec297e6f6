"""The strict loader: text stays text, nothing silently changes meaning, every refusal says where."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from studygen.errors import Diagnostic, Severity
from studygen.sources import yamlload
from studygen.sources.yamlload import MAX_DEPTH, Plain, gc_paused, load_file, load_text

_TEXT_HINT = "(a value is text unless its field takes a number or true/false)"


def _err(line: int, col: int, rule: str, message: str, path: str = "b.yaml") -> Diagnostic:
    return Diagnostic(path, line, col, Severity.ERROR, rule, message)


def _load(text: str) -> object:
    doc, problems = load_text(text, "b.yaml")
    assert problems == []
    assert doc is not None
    return doc.data


@pytest.mark.parametrize(
    "scalar",
    [
        "NO",
        "no",
        "yes",
        "Yes",
        "on",
        "off",
        "y",
        "n",
        "true",
        "false",
        "2024-05-13",
        "2024-05-13T10:00:00",
        "1:20",
        "017",
        "0x1F",
        "0o17",
        "1e3",
        "1_000",
        ".inf",
        "-.nan",
        "+12",
        "12.50",
        "한국어",
        "русский",
    ],
)
def test_plain_scalars_stay_the_exact_text(scalar: str) -> None:
    data = _load(f"stem: {scalar}\nlist: [{scalar}]\n")
    assert data == {"stem": scalar, "list": [scalar]}
    assert type(data["stem"]) is Plain  # type: ignore[index]


@pytest.mark.parametrize("quoted", ["'NO'", '"017"', "'2024-05-13'", '"1:20"', "|\n  yes\n"])
def test_quoted_and_block_scalars_are_text_not_plain(quoted: str) -> None:
    data = _load(f"stem: {quoted}")
    assert isinstance(data["stem"], str) and not isinstance(data["stem"], Plain)  # type: ignore[index]


@pytest.mark.parametrize("empty", ["", "~", "null", "Null", "NULL"])
def test_plain_nulls_are_none_but_quoted_nulls_are_text(empty: str) -> None:
    assert _load(f"a: {empty}\nb: '{empty}'\n") == {"a": None, "b": empty}


def test_marks_point_at_values_and_keys() -> None:
    doc, _ = load_text("id: x\nquestions:\n  - id: Q1\n    stem: hi\n", "b.yaml")
    assert doc is not None
    assert doc.marks[("questions", 0, "stem")] == (4, 11)
    assert doc.key_marks[("questions", 0, "stem")] == (4, 5)
    assert doc.mark(("questions", 0)) == (3, 5)
    assert doc.mark(("questions", 0, "missing", 3)) == (3, 5)
    assert doc.mark(("questions",), of_key=True) == (2, 1)


def test_bom_is_dropped() -> None:
    assert _load("\ufeffid: x\n") == {"id": "x"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: 1\nb: 2\na: 3\n",
            [_err(3, 1, "yaml-duplicate-key", "duplicate key 'a' (first defined at line 1); remove one of them")],
        ),
        (
            "x:\n  a: 1\n  a: 1\n",
            [_err(3, 3, "yaml-duplicate-key", "duplicate key 'a' (first defined at line 2); remove one of them")],
        ),
        (
            "a: &x 1\nb: *x\n",
            [
                _err(1, 4, "yaml-anchor", "anchor &x is not allowed; write values out in full"),
                _err(2, 4, "yaml-alias", "alias *x is not allowed; write the value out in full"),
            ],
        ),
        (
            "a: !!python/name:os.system x\n",
            [
                _err(
                    1,
                    4,
                    "yaml-tag",
                    "tag !!python/name:os.system is not allowed; remove it " + _TEXT_HINT,
                )
            ],
        ),
        (
            "a: !!str 5\n",
            [
                _err(
                    1,
                    4,
                    "yaml-tag",
                    "tag !!str is not allowed; remove it " + _TEXT_HINT,
                )
            ],
        ),
        ("a: !custom [1]\n", [_err(1, 4, "yaml-tag", "tag !custom is not allowed; remove it")]),
        ("!!binary k: 1\n", [_err(1, 1, "yaml-tag", "tag !!binary is not allowed on a key; remove it")]),
        (
            "a:\n  <<: {b: 1}\n  c: 2\n",
            [_err(2, 3, "yaml-merge-key", "merge keys (<<) are not allowed; write the keys out")],
        ),
        ("? [a, b]\n: 1\nc: 2\n", [_err(1, 3, "yaml-complex-key", "keys must be plain text, not a list or mapping")]),
        (
            "a: 1\n---\nb: 2\n",
            [
                _err(
                    2,
                    1,
                    "yaml-multiple-documents",
                    "the file holds more than one YAML document; keep one bank per file "
                    "(remove this --- and what follows, or move it to its own file)",
                )
            ],
        ),
        (
            "a: [1, 2\n",
            [_err(2, 1, "yaml-syntax", "invalid YAML: while parsing a flow sequence did not find expected ',' or ']'")],
        ),
        (
            "a: b\nc: é x\x07\n",
            [
                _err(
                    2,
                    7,
                    "yaml-syntax",
                    "invalid YAML: character U+0007 is not allowed (control characters are not allowed); remove it",
                )
            ],
        ),
        ("", [_err(1, 1, "file-empty", "file is empty; a bank needs at least format, id, title, reading")]),
        (
            "# only a comment\n\n",
            [_err(1, 1, "file-empty", "file is empty; a bank needs at least format, id, title, reading")],
        ),
        ("---\n", [_err(1, 1, "file-empty", "file is empty; a bank needs at least format, id, title, reading")]),
    ],
)
def test_refusals_are_exact(text: str, expected: list[Diagnostic]) -> None:
    doc, problems = load_text(text, "b.yaml")
    assert doc is None
    assert problems == expected


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert _load("'<<': 1\n") == {"<<": "1"}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 200_000])
def test_absurd_nesting_is_refused_without_crashing(depth: int) -> None:
    doc, problems = load_text("a: " + "[" * depth + "]" * depth + "\n", "b.yaml")
    assert doc is None
    message = f"values are nested more than {MAX_DEPTH} levels deep; a bank never needs that"
    if depth == MAX_DEPTH + 1:
        assert problems == [_err(1, 3 + MAX_DEPTH, "yaml-too-deep", message)]
    else:
        # Where libyaml (>= 0.2.5) scans ahead and meets its own depth limit first, the
        # column is where it stopped; the rule and the message are the same either way.
        (problem,) = problems
        assert (problem.line, problem.rule, problem.message) == (1, "yaml-too-deep", message)
        assert 3 + MAX_DEPTH <= problem.col <= 3 + depth


def test_nesting_up_to_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 1
    data = _load("a: " + "[" * depth + "]" * depth + "\n")
    assert isinstance(data, dict)


# ---- files: written from the test so no odd bytes are committed -------------------------------------------


def _file(tmp_path: Path, data: bytes, name: str = "b.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _load_file(path: Path) -> list[Diagnostic]:
    doc, problems = load_file(path, "b.yaml")
    assert doc is None
    return problems


def test_binary_file(tmp_path: Path) -> None:
    path = _file(tmp_path, b"id: x\n\x89PNG\x00\x01\x02")
    assert _load_file(path) == [_err(2, 1, "file-binary", "file contains NUL bytes; it looks binary, not UTF-8 text")]


def test_non_utf8_file_points_at_the_byte(tmp_path: Path) -> None:
    path = _file(tmp_path, "id: x\nstem: Café \u00e9 ".encode() + b"caf\xe9\n")
    assert _load_file(path) == [_err(2, 17, "file-encoding", "byte 0xe9 is not valid UTF-8; save the file as UTF-8")]


def test_utf16_file(tmp_path: Path) -> None:
    path = _file(tmp_path, "id: x\n".encode("utf-16"))
    assert _load_file(path) == [_err(1, 1, "file-encoding", "file is UTF-16 encoded; save it as UTF-8")]


def test_empty_file(tmp_path: Path) -> None:
    path = _file(tmp_path, b"")
    assert _load_file(path) == [
        _err(1, 1, "file-empty", "file is empty; a bank needs at least format, id, title, reading")
    ]


def test_missing_file(tmp_path: Path) -> None:
    assert _load_file(tmp_path / "nope.yaml") == [_err(1, 1, "file-unreadable", "no such file")]


def test_directory(tmp_path: Path) -> None:
    assert _load_file(tmp_path) == [_err(1, 1, "file-unreadable", "is a directory, not a file")]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _file(tmp_path, b"id: x\n")

    def deny(self: Path, *args: object, **kwargs: object) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", deny)
    assert _load_file(path) == [_err(1, 1, "file-unreadable", "cannot read file: Permission denied")]


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlload, "MAX_BYTES", 10)
    path = _file(tmp_path, b"id: something-long\n")
    assert _load_file(path) == [
        _err(
            1,
            1,
            "file-too-large",
            "file is 19 bytes; the limit is 10 bytes: split the bank into several files, "
            "or raise `max_bank_size` in the course file (or --max-bank-size)",
        )
    ]


def test_a_pause_leaves_nothing_young_and_nothing_frozen() -> None:
    """After loading, the next allocations must not walk the new tree, and no garbage is kept aside."""
    gc.collect()
    with gc_paused():
        tree = [{"k": [str(i)]} for i in range(50_000)]
    assert gc.get_count()[0] < 1000
    assert gc.get_freeze_count() == 0
    del tree

"""The writer: everything or nothing, never outside the output folder, never one path twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from studygen import writer as writer_mod
from studygen.errors import StudygenError
from studygen.writer import Writer, write_atomic


def test_commit_writes_every_file_in_sorted_order(tmp_path: Path) -> None:
    w = Writer(tmp_path / "out")
    w.add("b/two.txt", "zwei")
    w.add("a.bin", b"\x00\x01")
    assert w.commit() == [tmp_path / "out" / "a.bin", tmp_path / "out" / "b" / "two.txt"]
    assert (tmp_path / "out" / "b" / "two.txt").read_text("utf-8") == "zwei"
    assert (tmp_path / "out" / "a.bin").read_bytes() == b"\x00\x01"
    assert not [p for p in (tmp_path / "out").rglob("*.tmp")]


def test_the_same_path_twice_is_refused(tmp_path: Path) -> None:
    w = Writer(tmp_path)
    w.add("x/y.html", "1")
    with pytest.raises(StudygenError, match=r"two outputs want the same file: x/y\.html"):
        w.add("x/./y.html", "2")


@pytest.mark.parametrize("bad", ["../escape.txt", "/etc/passwd", "a/../../b"])
def test_paths_outside_the_output_folder_are_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises(StudygenError, match="refusing to write outside the output folder"):
        Writer(tmp_path).add(bad, "x")


def test_a_failed_write_leaves_old_files_untouched_and_no_temporaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("old a")
    (out / "b.txt").write_text("old b")
    real = writer_mod._write_temp
    calls = []

    def failing(path: Path, data: bytes, sync: bool) -> str:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(path))
        return real(path, data, sync)

    monkeypatch.setattr(writer_mod, "_write_temp", failing)
    w = Writer(out)
    w.add("a.txt", "new a")
    w.add("b.txt", "new b")
    with pytest.raises(StudygenError, match=r"cannot write .*b\.txt: No space left on device"):
        w.commit()
    assert (out / "a.txt").read_text() == "old a", "nothing is replaced until every file is written"
    assert (out / "b.txt").read_text() == "old b"
    assert sorted(p.name for p in out.iterdir()) == ["a.txt", "b.txt"]


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "f.json"
    write_atomic(target, b"{}")
    write_atomic(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    assert [p.name for p in target.parent.iterdir()] == ["f.json"]

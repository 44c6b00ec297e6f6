"""The writer: a build folder is replaced whole or not at all, and nothing studygen did not write is deleted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from studygen import writer as writer_mod
from studygen.cli import main
from studygen.errors import StudygenError
from studygen.writer import MARKER, FileBatch, ForeignFiles, Writer, delete_build, read_marker, write_atomic

REPO = Path(__file__).resolve().parents[1]
BANK = REPO / "question_banks" / "seoul-moscow.yaml"


def build(root: Path, files: dict[str, str]) -> list[Path]:
    with Writer(root) as w:
        for name, text in files.items():
            w.add(name, text)
        return w.commit()


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def siblings(root: Path) -> list[str]:
    return sorted(p.name for p in root.parent.iterdir() if p != root)


def test_commit_writes_every_file_and_a_marker_listing_them(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(out, {"b/two.txt": "zwei", "a.bin": "eins"}) == [out / "a.bin", out / "b" / "two.txt"]
    assert tree(out) == {"a.bin": "eins", "b/two.txt": "zwei", MARKER: (out / MARKER).read_text()}
    marker = read_marker(out)
    assert marker is not None and marker["files"] == ["a.bin", "b/two.txt"] and marker["state"] == "complete"
    assert siblings(out) == [], "no staging folder or temporary is left beside the output"


def test_a_second_build_replaces_the_first_whole_and_drops_files_it_does_not_make(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(out, {"quiz-A.html": "1A", "quiz-B.html": "1B", "quiz-C.html": "1C", "sub/x.txt": "1", "manifest.json": "1"})
    build(out, {"quiz-A.html": "2A", "manifest.json": "2"})
    assert {k: v for k, v in tree(out).items() if k != MARKER} == {"quiz-A.html": "2A", "manifest.json": "2"}
    assert not (out / "sub").exists(), "folders the new build does not use go too"
    assert siblings(out) == []


def test_the_issue_case_versions_4_then_2_leaves_no_stale_version(tmp_path: Path) -> None:
    """Seen in the issue: quiz-C/D from a first build stayed beside a manifest listing only A and B."""
    out = tmp_path / "D"
    common = ["quiz", str(BANK), "--questions", "4", "--format", "html", "--out", str(out)]
    assert main([*common, "--versions", "4", "--seed", "1"]) == 0
    assert (out / "quiz-D.html").exists()
    assert main([*common, "--versions", "2", "--seed", "2"]) == 0
    names = sorted(p.name for p in out.iterdir())
    versions = ["quiz-A.html", "quiz-A-key.html", "quiz-B.html", "quiz-B-key.html"]
    assert names == sorted([MARKER, "manifest.json", "responses-template.csv", "quiz-marking-grid.html", *versions])
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert [v["label"] for v in manifest["versions"]] == ["A", "B"] and manifest["seed"] == 2


def test_the_same_path_twice_is_refused(tmp_path: Path) -> None:
    with Writer(tmp_path / "out") as w:
        w.add("x/y.html", "1")
        with pytest.raises(StudygenError, match=r"two outputs want the same file: x/y\.html"):
            w.add("x/./y.html", "2")


@pytest.mark.parametrize("bad", ["../escape.txt", "/etc/passwd", "a/../../b", MARKER])
def test_paths_outside_the_output_folder_and_the_marker_name_are_refused(tmp_path: Path, bad: str) -> None:
    with Writer(tmp_path / "out") as w, pytest.raises(StudygenError, match=r"outside the output folder|own record"):
        w.add(bad, "x")


def test_a_failed_build_leaves_the_old_build_and_no_staging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    build(out, {"a.txt": "old a", "b.txt": "old b"})
    before = tree(out)
    calls = []
    real = Path.open

    def failing(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        if mode == "xb":
            calls.append(self)
            if len(calls) == 2:
                raise OSError(28, "No space left on device", str(self))
        return real(self, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", failing)
    with pytest.raises(StudygenError, match=r"cannot write .*b\.txt: No space left on device"), Writer(out) as w:
        w.add("a.txt", "new a")
        w.add("b.txt", "new b")
        w.commit()
    monkeypatch.undo()
    assert tree(out) == before, "nothing is replaced unless every file was written"
    assert siblings(out) == [], "the staging folder is removed"


def test_an_exception_before_commit_removes_the_staging_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt), Writer(out) as w:
        w.add("a.txt", "x")
        raise KeyboardInterrupt
    assert not out.exists() and siblings(out) == []


def test_foreign_files_are_refused_and_nothing_is_touched(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents" / "thesis.docx").write_text("years of work")
    (home / ".bashrc").write_text("alias ll='ls -l'")
    (home / "notes.txt").write_text("notes")
    before = tree(home)
    with pytest.raises(ForeignFiles) as caught:
        Writer(home)
    message = caught.value.message
    assert "did not write" in message and ".bashrc" in message and "notes.txt" in message
    assert "Documents/" in message and "Nothing was changed" in message
    assert tree(home) == before and siblings(home) == []


def test_cli_refuses_out_home_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "photo.jpg").write_bytes(b"\xff\xd8")
    code = main(["quiz", str(BANK), "--questions", "3", "--format", "html", "--out", str(home)])
    assert code == 2
    err = capsys.readouterr().err
    assert "photo.jpg" in err and "did not write" in err and "Traceback" not in err
    assert sorted(p.name for p in home.iterdir()) == ["photo.jpg"]


def test_a_file_added_to_a_build_folder_is_foreign(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(out, {"quiz-A.pdf": "A", "sub/k.txt": "k"})
    (out / "responses.csv").write_text("student_id,version\n")
    (out / "sub" / "mine.txt").write_text("mine")
    with pytest.raises(ForeignFiles, match=r"2 file\(s\) studygen did not write: responses\.csv, sub/mine\.txt"):
        Writer(out)
    assert (out / "responses.csv").exists() and (out / "quiz-A.pdf").exists()


def test_an_empty_existing_folder_is_used_and_a_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    build(empty, {"a.txt": "a"})
    assert (empty / "a.txt").read_text() == "a"
    (tmp_path / "file").write_text("x")
    with pytest.raises(ForeignFiles, match="is a file, not a folder"):
        Writer(tmp_path / "file")


def test_a_nested_studygen_output_is_named_as_such(tmp_path: Path) -> None:
    out = tmp_path / "output"
    build(out, {"index.html": "i"})
    build(out / "quiz", {"q.html": "q"})
    with pytest.raises(ForeignFiles, match="quiz is another studygen output"):
        Writer(out)


def test_leftovers_of_a_killed_run_are_cleaned_by_the_next(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(out, {"a.txt": "a"})
    staging = tmp_path / ".out.studygen-staging-999999"
    (staging / "sub").mkdir(parents=True)
    (staging / MARKER).write_text(json.dumps({"studygen": 1, "state": "staging"}))
    (staging / "sub" / "half.pdf").write_text("half")
    old = tmp_path / ".out.studygen-staging-999998"
    old.mkdir()
    (old / "b.txt").write_text("b")
    (old / MARKER).write_text(json.dumps({"studygen": 1, "state": "complete", "files": ["b.txt"]}))
    unrelated = tmp_path / ".other.studygen-staging-1"
    unrelated.mkdir()
    build(out, {"c.txt": "c"})
    assert siblings(out) == [".other.studygen-staging-1"], "only this output's leftovers are cleaned"


def test_deleting_an_old_build_removes_only_what_its_marker_lists(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep")
    old = tmp_path / "old"
    (old / "d").mkdir(parents=True)
    (old / "d" / "listed.txt").write_text("x")
    (old / "d" / "user.txt").write_text("user")
    os.symlink(victim, old / "link")
    marker = {"studygen": 1, "state": "complete", "files": ["d/listed.txt", "../victim/keep.txt", "link/keep.txt"]}
    (old / MARKER).write_text(json.dumps(marker))
    assert delete_build(old) == ["link", "d/user.txt"]
    assert (old / "d" / "user.txt").exists() and not (old / "d" / "listed.txt").exists()
    assert (victim / "keep.txt").read_text() == "keep", "a marker cannot make studygen delete outside the folder"


def test_without_rename_exchange_the_fallback_still_swaps_and_repairs_its_gap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_mod, "_RENAMEAT2", None)
    out = tmp_path / "out"
    build(out, {"a.txt": "1"})
    build(out, {"b.txt": "2"})
    assert (out / "b.txt").read_text() == "2" and not (out / "a.txt").exists() and siblings(out) == []
    # A run killed in the fallback's gap leaves the previous build under the hidden "old" name:
    os.rename(out, tmp_path / ".out.studygen-old-424242")
    with Writer(out):
        assert (out / "b.txt").read_text() == "2", "the previous build is put back before anything else"


def test_one_writer_per_output_folder_at_a_time(tmp_path: Path) -> None:
    with Writer(tmp_path / "out"), pytest.raises(StudygenError, match="another studygen run is writing"):
        Writer(tmp_path / "out")


def test_file_batch_replaces_its_files_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "responses.csv").write_text("mine")
    (tmp_path / "grades.csv").write_text("old")
    real = writer_mod._write_temp
    calls = []

    def failing(path: Path, data: bytes, sync: bool) -> str:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(path))
        return real(path, data, sync)

    batch = FileBatch(tmp_path)
    batch.add("grades.csv", "new")
    batch.add("report.html", "r")
    monkeypatch.setattr(writer_mod, "_write_temp", failing)
    with pytest.raises(StudygenError, match="No space left"):
        batch.commit()
    monkeypatch.undo()
    assert (tmp_path / "grades.csv").read_text() == "old"
    assert batch.commit() == [tmp_path / "grades.csv", tmp_path / "report.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grades.csv", "report.html", "responses.csv"]


def test_write_atomic_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "f.json"
    write_atomic(target, b"{}")
    write_atomic(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    assert [p.name for p in target.parent.iterdir()] == ["f.json"]

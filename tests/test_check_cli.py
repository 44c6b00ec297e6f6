"""`studygen check` (and rules/schema/export's failure paths) through the real entry function."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from studygen import __version__
from studygen.check.report import render
from studygen.cli import main
from studygen.errors import Diagnostic, Severity

REPO = Path(__file__).resolve().parent.parent
FIX = Path("tests/fixtures/check")
GOOD = str(FIX / "good" / "good.yaml")
WARN_ONLY = str(FIX / "bad" / "giveaway-length.yaml")
ERROR = str(FIX / "bad" / "dangling-ref.yaml")
# The fixtures are variants of one bank, so checked together their ids and stems collide across files.
VARIANTS = ("--disable", "duplicate-id", "--disable", "near-duplicate-stem")


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def test_clean_bank_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--strict", GOOD) == (0, "", "1 bank file(s) checked: 0 error(s), 0 warning(s)\n")


def test_warnings_fail_only_with_strict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", WARN_ONLY)
    assert code == 0
    assert out == (
        f"{WARN_ONLY}:59:9: warning giveaway-length question 'Q-single': the correct option is 73 characters, "
        "its siblings 34 on average; shorten it or lengthen the distractors\n"
    )
    assert err == "1 bank file(s) checked: 0 error(s), 1 warning(s)\n"
    assert run(capsys, "check", "--strict", WARN_ONLY)[0] == 1


def test_errors_exit_1_and_every_problem_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", *VARIANTS, ERROR, WARN_ONLY, str(FIX / "load" / "wrong-type.yaml")]
    code, out, err = run(capsys, *argv)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1 + 1 + 4
    assert all(re.match(r"^[^:]+:\d+:\d+: (error|warning) [a-z-]+ .+$", line) for line in lines)
    assert err == "3 bank file(s) checked: 5 error(s), 1 warning(s)\n"


def test_folders_are_searched(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", str(FIX / "bad"))
    assert code == 1
    assert err.startswith("17 bank file(s) checked: ")


def test_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--format", "json", ERROR)
    assert code == 1 and err == ""
    assert json.loads(out) == [
        {
            "path": ERROR,
            "line": 85,
            "column": 12,
            "severity": "error",
            "rule": "dangling-ref",
            "message": "ref 'F-nope' names no fact or argument in this bank; did you mean 'F-no'?",
        }
    ]
    assert run(capsys, "check", "--format", "json", GOOD) == (0, "[]\n", "")


def test_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--format", "github", "--strict", *VARIANTS, ERROR, WARN_ONLY)
    assert code == 1 and err == ""
    assert out.splitlines() == [
        f"::error file={ERROR},line=85,col=12,title=dangling-ref::ref 'F-nope' names no fact or argument in this "
        "bank; did you mean 'F-no'?",
        f"::warning file={WARN_ONLY},line=59,col=9,title=giveaway-length::question 'Q-single': the correct option "
        "is 73 characters, its siblings 34 on average; shorten it or lengthen the distractors",
    ]


def test_github_annotations_escape_properties_and_message() -> None:
    d = Diagnostic("dir,x/a:b.yaml", 3, 4, Severity.ERROR, "schema", "50% bad\nsecond line\r")
    assert (
        render([d], "github")
        == "::error file=dir%2Cx/a%3Ab.yaml,line=3,col=4,title=schema::50%25 bad%0Asecond line%0D\n"
    )


def test_disable(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--strict", "--disable", "giveaway-length", WARN_ONLY)[0] == 0
    code, out, err = run(capsys, "check", "--disable", "giveaway-lenght", WARN_ONLY)
    assert (code, out) == (2, "")
    assert err == "studygen check: error: unknown rule(s) giveaway-lenght; see `studygen rules`\n"


def test_cannot_run_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "check", str(tmp_path / "nope.yaml"))
    assert (code, out) == (2, "")
    assert err == f"studygen check: error: {tmp_path / 'nope.yaml'}: no such file or directory\n"
    code, out, err = run(capsys, "check", str(tmp_path))
    assert (code, err) == (2, f"studygen check: error: no bank files (*.yaml, *.yml) in {tmp_path}\n")


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml", GOOD])
    assert exc.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_default_path_is_question_banks(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (REPO / GOOD).read_text(encoding="utf-8")
    (tmp_path / "reading.txt").write_bytes((REPO / FIX / "reading.txt").read_bytes())
    (tmp_path / "question_banks").mkdir()
    (tmp_path / "question_banks" / "b.yml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(capsys, "check", "--strict") == (0, "", "1 bank file(s) checked: 0 error(s), 0 warning(s)\n")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02",
        b"\xff\xfe" + "a: 1".encode("utf-16-le"),
        b"id: caf\xe9\n",
        b"- a\n- b\n",
        b"just text",
        b"a: [",
        b"a: " + b"[" * 5000,
        b"format: 1\n" * 3,
        b"{format: 1, id: x, title: t, reading: 5}",
    ],
)
def test_no_input_makes_a_traceback(capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes) -> None:
    (tmp_path / "b.yaml").write_bytes(data)
    code, out, _ = run(capsys, "check", "--format", "github", str(tmp_path / "b.yaml"))
    assert code == 1
    assert out.startswith("::error file=") and ",line=" in out


def test_every_fixture_runs_without_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    for path in sorted((REPO / FIX).rglob("*.yaml")):
        code, _, _ = run(capsys, "check", str(path.relative_to(REPO)))
        assert code in (0, 1)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out == f"studygen {__version__}\n"


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: studygen")
    for command in ("check", "rules", "schema", "export"):
        assert command in out


@pytest.mark.parametrize("argv", [["--help"], ["--version"], ["check", "--help"]])
def test_help_does_not_import_heavy_modules(argv: list[str]) -> None:
    probe = (
        "import sys\n"
        "from studygen.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('reportlab', 'jinja2', 'jsonschema', 'genanki', 'tqdm', 'studygen.sources.schema')"
        " if m in sys.modules)\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    assert "quote-not-found (error)\n    Quotes are the evidence" in out
    assert "giveaway-length (warning)" in out


def test_schema_command_writes_the_published_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "schema", "--out", str(tmp_path / "s.json"))[0] == 0
    assert (tmp_path / "s.json").read_text(encoding="utf-8") == (REPO / "docs" / "bank.schema.json").read_text(
        encoding="utf-8"
    )
    code, out, _ = run(capsys, "schema")
    assert code == 0 and json.loads(out)["title"] == "studygen question bank"


def test_schema_command_unwritable_target(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "schema", "--out", str(tmp_path / "file" / "s.json"))
    assert code == 2
    assert err.startswith(f"studygen: error: cannot write {tmp_path / 'file' / 's.json'}: ")


def test_pre_commit_hook_manifest(capsys: pytest.CaptureFixture[str]) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert (hook["id"], hook["entry"], hook["language"]) == ("studygen-check", "studygen check --strict", "python")
    files = re.compile(hook["files"])
    assert files.search("question_banks/seoul-moscow.yaml") and files.search("question_banks/x/y.yml")
    assert not files.search("docs/bank-format.md") and not files.search("studygen.yaml")
    # pre-commit appends the staged file names to the entry
    argv = shlex.split(hook["entry"])[1:]
    assert run(capsys, *argv, GOOD)[0] == 0
    assert run(capsys, *argv, GOOD, WARN_ONLY)[0] == 1

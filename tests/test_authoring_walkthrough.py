"""docs/authoring.md, run as written: every `sh` block's commands and every file block it shows.

The walkthrough is the instructor's path from a PDF to a built course; if a command in it stops
working, or the page stops matching what the tool does, this test fails.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
import readings_fixture as rf

from studygen.cli import main

DOC = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _BLOCK.finditer(DOC.read_text(encoding="utf-8"))]


def test_the_walkthrough_builds_a_course_from_a_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    rf.pdf_bytes(tmp_path / "reading.pdf")
    ran: list[str] = []
    for lang, body in blocks():
        first, _, rest = body.partition("\n")
        if lang == "yaml" and first.startswith("# studygen.yaml"):
            (tmp_path / "studygen.yaml").write_text(body, encoding="utf-8")
        elif lang == "yaml" and first.startswith("# question_banks/") and "replaces the empty lists" in first:
            bank = tmp_path / first.split()[1]
            kept = [
                line
                for line in bank.read_text(encoding="utf-8").splitlines()
                if line not in ("topics: []", "facts: []", "arguments: []", "questions: []")
            ]
            bank.write_text("\n".join(kept) + "\n" + rest, encoding="utf-8")
        elif lang == "sh":
            for line in body.splitlines():
                if line.strip() and not line.startswith("#"):
                    argv = shlex.split(line)
                    assert argv[0] == "studygen", line
                    code = main(argv[1:])
                    out, err = capsys.readouterr()
                    assert code == 0, f"{line}\n{out}{err}"
                    assert "Traceback" not in out + err
                    ran.append(argv[1])
    assert ran == ["new", "check", "build"]
    assert (tmp_path / "seeds/concert.txt").read_text(encoding="utf-8") == rf.TEXT
    manifest = json.loads((tmp_path / "output/quizzes/week-2/manifest.json").read_text(encoding="utf-8"))
    assert [v["label"] for v in manifest["versions"]] == ["A", "B"]
    for rel in ("index.html", "study-guide/concert.pdf", "self-test/index.html", "quizzes/week-2/week-2-A.pdf"):
        assert (tmp_path / "output" / rel).is_file(), rel

"""Adding a bank to `studygen.yaml` without touching anything else in it.

An instructor's course file carries their comments, ordering and quoting; a round trip through a
YAML dumper would lose all of it.  So the edit is textual: the composer tells where the `banks:`
sequence ends, one line (block style) or one item (flow style) is inserted there in the style of
the items around it, and the result is parsed again before anyone writes it.
"""

from __future__ import annotations

import json

import yaml

from studygen.errors import StudygenError


def add_bank(text: str, bank: str, shown: str) -> str:
    """`text` with `bank` appended to its top-level `banks:` list (block or flow style)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise StudygenError(f"{shown}: cannot add the bank: the course file is not valid YAML ({exc})") from None
    if not isinstance(root, yaml.MappingNode):
        raise StudygenError(f"{shown}: cannot add the bank: the course file is not a mapping of keys")
    seq = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "banks"), None)
    if not isinstance(seq, yaml.SequenceNode):
        raise StudygenError(f"{shown}: has no `banks:` list to add the bank to; add `banks: [{bank}]` by hand")
    if any(isinstance(item, yaml.ScalarNode) and item.value == bank for item in seq.value):
        raise StudygenError(f"{shown}: already lists {bank} under banks:")
    item = json.dumps(bank, ensure_ascii=False) if any(c in bank for c in ":#,[]{}'\" ") else bank
    if seq.flow_style:
        end = seq.end_mark.index - 1  # the closing bracket
        inside = text[seq.start_mark.index + 1 : end]
        sep = ", " if inside.strip() else ""
        new = text[:end].rstrip() + sep + item + text[end:] if inside.strip() else text[:end] + item + text[end:]
    else:
        last = seq.value[-1]
        line_start = text.rfind("\n", 0, last.start_mark.index) + 1
        prefix = text[line_start : last.start_mark.index]  # e.g. "  - "
        line_end = text.find("\n", last.end_mark.index)
        line_end = len(text) if line_end < 0 else line_end
        new = text[:line_end] + "\n" + prefix + item + text[line_end:]
        if line_end == len(text):
            new += "\n"
    try:
        again = yaml.load(new, Loader=yaml.BaseLoader)  # text stays text, as in the strict loader
    except yaml.YAMLError as exc:  # pragma: no cover - the insertion follows the file's own style
        raise StudygenError(f"{shown}: adding the bank would break the file ({exc}); add it by hand") from None
    if not isinstance(again, dict) or bank not in (again.get("banks") or []):
        raise StudygenError(f"{shown}: could not add {bank} under banks:; add it by hand")  # pragma: no cover
    return new


def name_quiz_banks(text: str, shown: str) -> tuple[str, list[str]]:
    """Give every quiz without `banks:` the course's one bank, so a second bank changes no quiz.

    A quiz that names no banks draws from the course's only bank; once a course has two, such a
    quiz is refused (it would otherwise start drawing from the new reading).  Before `studygen new`
    adds a second bank, each such quiz gets `banks: [<the one bank>]` under its first key, in the
    quiz's own indentation: it then means exactly what it meant.  Returns the new text and the ids
    of the quizzes changed.  A flow-style quiz (`- {id: x, ...}`) is left alone and reported.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return text, []
    if not isinstance(root, yaml.MappingNode):
        return text, []
    top = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
    banks, quizzes = top.get("banks"), top.get("quizzes")
    if not isinstance(banks, yaml.SequenceNode) or len(banks.value) != 1 or not isinstance(quizzes, yaml.SequenceNode):
        return text, []
    only = banks.value[0]
    if not isinstance(only, yaml.ScalarNode):
        return text, []
    value = json.dumps(only.value, ensure_ascii=False) if any(c in only.value for c in ":#,[]{}'\" ") else only.value
    inserts: list[tuple[int, str]] = []
    changed: list[str] = []
    for quiz in quizzes.value:
        if not isinstance(quiz, yaml.MappingNode) or not quiz.value:
            continue
        keys = {k.value: v for k, v in quiz.value if isinstance(k, yaml.ScalarNode)}
        if "banks" in keys:
            continue
        qid = keys["id"].value if isinstance(keys.get("id"), yaml.ScalarNode) else "?"
        if quiz.flow_style:
            raise StudygenError(
                f"{shown}: quiz {qid!r} names no banks; add `banks: [{only.value}]` to it by hand, so adding a "
                "second reading does not change it"
            )
        first_key = quiz.value[0][0]
        indent = first_key.start_mark.column
        line_end = text.find("\n", quiz.value[0][1].end_mark.index)
        line_end = len(text) if line_end < 0 else line_end
        inserts.append((line_end, "\n" + " " * indent + f"banks: [{value}]"))
        changed.append(qid)
    for at, line in sorted(inserts, reverse=True):
        text = text[:at] + line + text[at:]
    return text, changed

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

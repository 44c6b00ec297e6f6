"""`studygen rules`: the rule list is documentation, printed from the registry itself."""

from __future__ import annotations

import argparse
import textwrap

import studygen.check.rules  # noqa: F401
from studygen.check import RULES


def run(args: argparse.Namespace) -> int:
    for r in sorted(RULES.values(), key=lambda r: r.id):
        print(f"{r.id} ({r.severity.value})")
        print(textwrap.indent(textwrap.fill(r.reason, 76), "    "))
    return 0

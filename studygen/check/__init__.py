"""Lint rules over loaded banks: an explicit table of small rules, each with an id and a reason.

`RULES` is built here from the rule modules listed below (a rule is a `@rule`-decorated
function in one of them); nothing registers itself on import.  `run_checks` applies the
enabled rules and returns every diagnostic, sorted by file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from studygen.check import rules, stats_rules
from studygen.check.registry import Rule, run_rules, table
from studygen.errors import Diagnostic
from studygen.model import Bank

RULES: dict[str, Rule] = table(rules, stats_rules)


def run_checks(banks: Sequence[Bank], disabled: Iterable[str] = ()) -> list[Diagnostic]:
    """Run every built-in rule not in `disabled` over `banks`."""
    return run_rules(RULES, banks, disabled)


__all__ = ["RULES", "Rule", "run_checks"]

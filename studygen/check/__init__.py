"""Lint rules over loaded banks: a registry of small rules, each with an id and a reason.

Importing `studygen.check.rules` registers the built-in rules; `run_checks`
applies them all and returns every diagnostic, sorted by file and line.
"""

from studygen.check.registry import RULES, Rule, run_checks

__all__ = ["RULES", "Rule", "run_checks"]

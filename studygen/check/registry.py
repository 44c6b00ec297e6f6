"""What a rule is: one small function with an id, a severity and a reason.

`@rule(...)` turns a function into a `Rule` value and registers nothing: the table of
built-in rules is built explicitly in `studygen.check` from the rule modules it names
(yamllint's `rules/__init__.py` pattern), so no import has a side effect and this module
imports no rule module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType

from studygen.errors import Diagnostic, Severity
from studygen.model import Bank


@dataclass(frozen=True)
class Finding:
    """What a rule reports: the bank, where in it, and what is wrong (severity comes from the rule)."""

    bank: Bank
    line: int
    col: int
    message: str


RuleFunc = Callable[[Sequence[Bank]], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    reason: str
    func: RuleFunc

    def __call__(self, banks: Sequence[Bank]) -> Iterable[Finding]:
        return self.func(banks)


def rule(rule_id: str, severity: Severity, reason: str) -> Callable[[RuleFunc], Rule]:
    """Make a function a rule; its `reason` is the documentation users see in `studygen rules`."""

    def make(func: RuleFunc) -> Rule:
        return Rule(rule_id, severity, reason, func)

    return make


def table(*modules: ModuleType) -> dict[str, Rule]:
    """Every `Rule` defined in `modules`, by id, in definition order; an id defined twice is a bug."""
    out: dict[str, Rule] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, Rule):
                if value.id in out and out[value.id] is not value:
                    raise ValueError(f"rule {value.id!r} defined twice")
                out[value.id] = value
    return out


def at(bank: Bank, key: tuple[str | int, ...], message: str) -> Finding:
    line, col = bank.where(*key)
    return Finding(bank, line, col, message)


def run_rules(rules: Mapping[str, Rule], banks: Sequence[Bank], disabled: Iterable[str] = ()) -> list[Diagnostic]:
    """Every diagnostic the enabled `rules` find in `banks`, sorted by file and line."""
    from studygen.sources.yamlload import gc_paused

    off = set(disabled)
    out: list[Diagnostic] = []
    with gc_paused():
        for r in rules.values():
            if r.id in off:
                continue
            for f in r.func(banks):
                out.append(Diagnostic(f.bank.path, f.line, f.col, r.severity, r.id, f.message))
    out.sort()
    return out


def iter_refs(bank: Bank) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every (location, id) that must name a fact or an argument."""
    for i, ref in enumerate(bank.summary_refs):
        yield ("summary_refs", i), ref
    for i, a in enumerate(bank.arguments):
        for j, ref in enumerate(a.supported_by):
            yield ("arguments", i, "supported_by", j), ref
    for i, s in enumerate(bank.stakeholders):
        for j, ref in enumerate(s.refs):
            yield ("stakeholders", i, "refs", j), ref
    for i, q in enumerate(bank.questions):
        for j, ref in enumerate(q.refs):
            yield ("questions", i, "refs", j), ref
    for i, p in enumerate(bank.prompts):
        for j, ref in enumerate(p.refs):
            yield ("prompts", i, "refs", j), ref
    for i, g in enumerate(bank.glossary):
        for j, ref in enumerate(g.refs):
            yield ("glossary", i, "refs", j), ref

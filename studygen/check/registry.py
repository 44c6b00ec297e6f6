"""The rule registry: one small function per rule, registered once under its id."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from studygen.course import QuizSpec
from studygen.errors import Diagnostic, Severity
from studygen.model import Bank


@dataclass(frozen=True)
class Finding:
    """What a rule reports: the bank, where in it, and what is wrong (severity comes from the rule).

    `path` names another file (the course file, for a finding on a configured quiz).
    """

    bank: Bank
    line: int
    col: int
    message: str
    path: str = ""


RuleFunc = Callable[[Sequence[Bank]], Iterable[Finding]]
# A rule that also judges each configured quiz: what its blueprint can draw from the banks.
QuizRuleFunc = Callable[[Sequence[Bank], Sequence[QuizSpec]], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    reason: str
    func: RuleFunc
    quiz_func: QuizRuleFunc | None = None
    doc: str = ""  # how the rule decides (statistic, thresholds), for docs/check-rules.md


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str, severity: Severity, reason: str, *, per_quiz: QuizRuleFunc | None = None, doc: str = ""
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule; its `reason` is the documentation users see in `studygen rules`."""

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id!r} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, reason, func, per_quiz, doc)
        return func

    return register


def at(bank: Bank, key: tuple[str | int, ...], message: str) -> Finding:
    line, col = bank.where(*key)
    return Finding(bank, line, col, message)


def run_checks(
    banks: Sequence[Bank], disabled: Iterable[str] = (), quizzes: Sequence[QuizSpec] = ()
) -> list[Diagnostic]:
    """Every rule's diagnostics; with `quizzes` (from the course file), rules also judge what each quiz can draw."""
    import studygen.check.rules  # noqa: F401  (registers the built-in rules)
    from studygen.sources.yamlload import gc_paused

    off = set(disabled)
    out: list[Diagnostic] = []
    with gc_paused():
        for r in RULES.values():
            if r.id in off:
                continue
            found = list(r.func(banks))
            if quizzes and r.quiz_func is not None:
                found += r.quiz_func(banks, quizzes)
            for f in found:
                out.append(Diagnostic(f.path or f.bank.path, f.line, f.col, r.severity, r.id, f.message))
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

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

    def __call__(self, banks: Sequence[Bank]) -> Iterable[Finding]:
        return self.func(banks)


def rule(
    rule_id: str, severity: Severity, reason: str, *, per_quiz: QuizRuleFunc | None = None, doc: str = ""
) -> Callable[[RuleFunc], Rule]:
    """Make a function a rule; its `reason` is the documentation users see in `studygen rules`.

    `per_quiz` also judges each configured quiz (what its blueprint can draw); `doc` says how the
    rule decides (its statistic and thresholds) in docs/check-rules.md.
    """

    def make(func: RuleFunc) -> Rule:
        return Rule(rule_id, severity, reason, func, per_quiz, doc)

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


# Banks with at least this many questions are checked on two processes where the system can fork:
# the rules split into two groups of about equal cost (one with every cue rule, which share their
# caches, one with the rest).  Below it, a fork costs more than the rules.
PARALLEL_MIN_QUESTIONS = 3000


def run_rules(
    rules: Mapping[str, Rule],
    banks: Sequence[Bank],
    disabled: Iterable[str] = (),
    quizzes: Sequence[QuizSpec] = (),
    *,
    parallel_min_questions: int | None = None,
) -> list[Diagnostic]:
    """Every diagnostic the enabled `rules` find in `banks`, sorted by file and line.

    With `quizzes` (from the course file), rules with a `quiz_func` also judge what each quiz can draw.
    Big banks are checked on two processes (see `PARALLEL_MIN_QUESTIONS`); the diagnostics are the
    same, in the same order, as the output is sorted whole.
    """
    from studygen.sources.yamlload import gc_paused

    off = set(disabled)
    enabled = [r for r in rules.values() if r.id not in off]
    threshold = PARALLEL_MIN_QUESTIONS if parallel_min_questions is None else parallel_min_questions
    with gc_paused():
        if sum(len(b.questions) for b in banks) >= threshold and _can_fork():
            cues = [r for r in enabled if r.id.startswith("cue-")]
            rest = [r for r in enabled if not r.id.startswith("cue-")]
            out = _run_forked(cues, rest, banks, quizzes)
        else:
            out = _run(enabled, banks, quizzes)
    out.sort()
    return out


def _run(rules: Sequence[Rule], banks: Sequence[Bank], quizzes: Sequence[QuizSpec]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for r in rules:
        found = list(r.func(banks))
        if quizzes and r.quiz_func is not None:
            found += r.quiz_func(banks, quizzes)
        for f in found:
            out.append(Diagnostic(f.path or f.bank.path, f.line, f.col, r.severity, r.id, f.message))
    return out


def _can_fork() -> bool:
    """Fork only where it pays and is safe: two CPUs for us, a POSIX fork, no thread the child would lose."""
    import os
    import threading

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cpus >= 2 and hasattr(os, "fork") and threading.active_count() == 1


def _run_forked(
    child_rules: Sequence[Rule], own_rules: Sequence[Rule], banks: Sequence[Bank], quizzes: Sequence[QuizSpec]
) -> list[Diagnostic]:
    """`child_rules` in a forked child (its diagnostics come back pickled), `own_rules` here meanwhile.

    If the child fails in any way, its rules run here instead, so the result (or the exception a
    rule raises) is exactly that of a serial run.
    """
    import os
    import pickle

    if not child_rules or not own_rules:
        return _run([*child_rules, *own_rules], banks, quizzes)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        code = 1
        try:
            os.close(read_fd)
            payload = pickle.dumps(_run(child_rules, banks, quizzes), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(payload)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    try:
        out = _run(own_rules, banks, quizzes)
    finally:
        with os.fdopen(read_fd, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
    if status == 0 and payload:
        theirs: list[Diagnostic] = pickle.loads(payload)
    else:
        theirs = _run(child_rules, banks, quizzes)
    return out + theirs


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

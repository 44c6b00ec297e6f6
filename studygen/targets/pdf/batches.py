"""The PDF format's renderers, one per document batch (see `studygen.documents.RENDERERS`)."""

from __future__ import annotations

from studygen.documents.base import BankSubject, Batch, Output, Plan, VersionSubject
from studygen.documents.quiz import QuizContent, planned_content
from studygen.targets.pdf.discussion import render_discussion_pdf
from studygen.targets.pdf.guide import render_study_guide_pdf
from studygen.targets.pdf.layout import check_source_date_epoch
from studygen.targets.pdf.markup import warn_missing
from studygen.targets.pdf.quiz import QuizLayout

_DRAW_ORDER = {"quiz": 0, "key": 1}


def _draw_order(o: Output) -> tuple[int, int]:
    """Version by version, quiz before key: the order the layout was learned in."""
    s = o.subject
    return (s.version if isinstance(s, VersionSubject) else 0, _DRAW_ORDER.get(o.kind, len(_DRAW_ORDER)))


def render_versions(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    """Quizzes and keys of consecutive versions of one quiz: one layout learned once, reused by all."""
    from dataclasses import replace

    first = batch.outputs[0].subject
    assert isinstance(first, VersionSubject)
    planned = plan.project.quizzes[first.quiz]
    wanted = sorted({o.subject.version for o in batch.outputs if isinstance(o.subject, VersionSubject)})
    part = replace(planned.quiz, versions=tuple(planned.quiz.versions[i] for i in wanted))
    check_source_date_epoch()
    layout = QuizLayout(plan.course, part, large_print=first.large, answer_sheets=planned.answer_sheets)
    contents: dict[int, QuizContent] = {}  # one content per version, drawn by its quiz and its key

    def content(vi: int) -> QuizContent:
        doc = contents.get(vi)
        if doc is None:
            doc = contents[vi] = planned_content(plan.course, planned, part, planned.quiz.versions[vi])
        return doc

    layout.learn(content(wanted[0]) if wanted else None)  # part.versions[0] is version wanted[0]
    out = []
    for o in sorted(batch.outputs, key=_draw_order):
        assert isinstance(o.subject, VersionSubject)
        vi = o.subject.version
        version = planned.quiz.versions[vi]
        doc = content(vi)
        out.append((o.path, layout.quiz_pdf(version, doc) if o.kind == "quiz" else layout.key_pdf(version, doc)))
        if o.kind == "key":
            contents.pop(vi, None)  # the key is drawn after its quiz: the version's content is done
    warn_missing(layout.ctx, f"quiz {planned.quiz.id!r}")
    return out


def render_study_guides(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, BankSubject)
        bank = plan.project.banks[o.subject.bank]
        out.append((o.path, render_study_guide_pdf(plan.course, bank, handout=o.kind == "study_handout")))
    return out


def render_discussions(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, BankSubject)
        bank = plan.project.banks[o.subject.bank]
        out.append((o.path, render_discussion_pdf(plan.course, bank, facilitator=o.subject.variant == "facilitator")))
    return out

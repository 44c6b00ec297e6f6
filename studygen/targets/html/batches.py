"""The HTML format's renderers, one per document batch (see `studygen.documents.RENDERERS`)."""

from __future__ import annotations

from dataclasses import replace

from studygen.documents.base import BankSubject, Batch, Plan, QuizSubject, VersionSubject
from studygen.documents.quiz import QuizContent, marking_grid, planned_content
from studygen.targets.html import IndexRow, IndexSection, Link, renderer_for


def render_versions(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    """Quiz and key pages of consecutive versions of one quiz, from one compiled template environment."""
    first = batch.outputs[0].subject
    assert isinstance(first, VersionSubject)
    planned = plan.project.quizzes[first.quiz]
    wanted = sorted({o.subject.version for o in batch.outputs if isinstance(o.subject, VersionSubject)})
    part = replace(planned.quiz, versions=tuple(planned.quiz.versions[i] for i in wanted))
    r = renderer_for(plan.course)
    contents: dict[int, QuizContent] = {}  # one content per version, drawn by its quiz and its key
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, VersionSubject)
        vi = o.subject.version
        version = planned.quiz.versions[vi]
        doc = contents.get(vi)
        if doc is None:
            doc = contents[vi] = planned_content(plan.course, planned, part, version)
        if o.kind == "quiz":
            out.append((o.path, r.quiz(part, version, large=o.subject.large, content=doc)))
        else:
            out.append((o.path, r.key(part, version, large=o.subject.large, content=doc)))
    return out


def render_study_guides(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    r = renderer_for(plan.course)
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, BankSubject)
        out.append((o.path, r.study_guide(plan.project.banks[o.subject.bank], handout=o.kind == "study_handout")))
    return out


def render_discussions(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    r = renderer_for(plan.course)
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, BankSubject)
        bank = plan.project.banks[o.subject.bank]
        out.append((o.path, r.discussion(bank, facilitator=o.subject.variant == "facilitator")))
    return out


def render_self_test(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    """The self-test page (one self-contained file, in the page's folder)."""
    from studygen.targets.selftest import render_selftest

    out: list[tuple[str, bytes]] = []
    for o in batch.outputs:
        folder = o.path.rpartition("/")[0]
        prefix = f"{folder}/" if folder else ""
        files = render_selftest(plan.course, plan.project.banks)
        out.extend((prefix + rel, data) for rel, data in sorted(files.items()))
    return out


def index_sections(plan: Plan, href_base: str = "") -> list[IndexSection]:
    """Every output with an index entry, as sections → groups → rows → links, in inventory order."""
    label = plan.course.label
    sections: dict[str, dict[str, tuple[str, dict[str, tuple[str, list[tuple[tuple[int, ...], Link]]]]]]] = {}
    for o in plan.outputs:
        e = o.index
        if e is None:
            continue
        groups = sections.setdefault(e.section, {})
        _, rows = groups.setdefault(e.group_id or e.group, (e.group, {}))
        _, links = rows.setdefault(e.row_id or e.row, (e.row, []))
        links.append((e.rank, Link(e.text, href_base + o.path)))
    return [
        IndexSection(
            label(section),
            tuple(
                (
                    title,
                    tuple(
                        IndexRow(row, tuple(link for _, link in sorted(links, key=lambda x: x[0])))
                        for row, links in rows.values()
                    ),
                )
                for title, rows in groups.values()
            ),
        )
        for section, groups in sections.items()
    ]


def render_index(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    r = renderer_for(plan.course)
    out = []
    for o in batch.outputs:
        depth = o.path.count("/")
        out.append((o.path, r.index(index_sections(plan, "../" * depth))))
    return out


def render_marking_grids(plan: Plan, batch: Batch) -> list[tuple[str, bytes]]:
    """Every version's answers on one page per quiz (`studygen.documents.quiz.marking_grid`, shared with the PDF)."""
    r = renderer_for(plan.course)
    out = []
    for o in batch.outputs:
        assert isinstance(o.subject, QuizSubject)
        quiz = plan.project.quizzes[o.subject.quiz].quiz
        out.append((o.path, r.marking_grid(quiz, marking_grid(plan.course, quiz))))
    return out

"""Standalone HTML pages: quizzes, keys, study guides, discussion handouts and the index.

Templates are compiled once per process (`renderer_for`) and reused for every
version, because a build renders hundreds of near-identical pages.  The
environment autoescapes everything and fails on undefined names, so bank
text can only reach a page escaped (or through the `inline` filter's bold and
italic), and a typo in a course's own template fails the build instead of
printing nothing.  A course's `templates:` folder is searched first, so it
overrides the built-in templates file by file.
"""

from __future__ import annotations

import base64
import functools
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from studygen import dates
from studygen.course import Course
from studygen.documents.discussion import discussion
from studygen.documents.quiz import HAND_MARKED, MarkingGrid, QuizContent, quiz_content
from studygen.documents.study_guide import study_guide
from studygen.errors import StudygenError
from studygen.model import Bank, Fact, QuestionType
from studygen.targets.html import figures
from studygen.targets.html.inline import inline, plain
from studygen.text.letters import LETTERS
from studygen.versions import Quiz, Version

TEMPLATES = Path(__file__).parent / "templates"
MAX_GRID_COLUMNS = 12  # versions per table of the marking grid (as in the PDF)
_LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class IndexRow:
    """One line of the index: a heading (e.g. 'Version A') and its documents."""

    title: str
    links: tuple[Link, ...]


@dataclass(frozen=True)
class IndexSection:
    title: str
    groups: tuple[tuple[str, tuple[IndexRow, ...]], ...]


def _points(value: float) -> str:
    return f"{value:g}"


def _when(fact: Fact, labels: Mapping[str, str]) -> str:
    """`{{ fact|when }}`: the fact's one date label (studygen.dates), the same as in the PDF and self-test."""
    return dates.date_label(fact, labels)


def _css_string(text: str) -> str:
    """A CSS string literal that cannot end the string or the <style> element it sits in."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def page_counter_css(template: str) -> Markup:
    """The `page x of y` label as CSS `content` for print page margins."""
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            parts.append(_css_string(literal))
        if name in ("page", "pages"):
            parts.append(f"counter({name})")
    return Markup(" ".join(parts) or '""')


class HtmlRenderer:
    """One compiled template environment for one course; render methods return UTF-8 bytes."""

    def __init__(self, course: Course) -> None:
        self.course = course
        paths = [str(course.templates)] if course.templates else []
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([*paths, str(TEMPLATES)]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters["inline"] = inline
        self.env.filters["plain"] = plain
        self.env.filters["points"] = _points
        self.env.filters["when"] = functools.partial(_when, labels=course.labels)
        self.env.globals.update(
            label=course.label,
            course=course,
            logo=self._logo(course),
            page_counter=page_counter_css(course.label("page_x_of_y")),
            css_string=lambda text: Markup(_css_string(text)),
            paper="letter" if course.paper.lower() == "letter" else "A4",
            letters=LETTERS,
            QuestionType=QuestionType,
            hand_marked=HAND_MARKED,
        )
        self._cache: dict[str, jinja2.Template] = {}

    @staticmethod
    def _logo(course: Course) -> str:
        if course.logo is None or not course.logo_data:
            return ""
        mime = _LOGO_TYPES.get(Path(course.logo).suffix.lower(), "image/png")
        return f"data:{mime};base64,{base64.b64encode(course.logo_data).decode('ascii')}"

    def _render(self, name: str, **context: Any) -> bytes:
        template = self._cache.get(name)
        if template is None:
            try:
                template = self.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                raise StudygenError(f"template {exc.filename or name}:{exc.lineno}: {exc.message}") from exc
            self._cache[name] = template
        try:
            return template.render(**context).encode("utf-8")
        except jinja2.UndefinedError as exc:
            raise StudygenError(f"template {name}: {exc.message}; check the course's templates folder") from exc

    def quiz(
        self,
        quiz: Quiz,
        version: Version,
        *,
        large: bool = False,
        answer_sheets: bool = False,
        content: QuizContent | None = None,
    ) -> bytes:
        """The version's quiz page, drawn from its content (`studygen.documents.quiz`, shared with the PDF)."""
        doc = content or quiz_content(self.course, quiz, version, answer_sheets=answer_sheets)
        return self._render("quiz.html.j2", quiz=quiz, version=version, large=large, doc=doc)

    def key(self, quiz: Quiz, version: Version, *, large: bool = False, content: QuizContent | None = None) -> bytes:
        doc = content or quiz_content(self.course, quiz, version)
        return self._render("key.html.j2", quiz=quiz, version=version, large=large, doc=doc)

    def marking_grid(self, quiz: Quiz, grid: MarkingGrid) -> bytes:
        """The all-versions marking grid, in tables of at most `MAX_GRID_COLUMNS` versions (they print)."""
        step = MAX_GRID_COLUMNS
        groups = [range(s, min(len(grid.versions), s + step)) for s in range(0, len(grid.versions), step)]
        return self._render("marking_grid.html.j2", quiz=quiz, grid=grid, groups=groups, large=False)

    def study_guide(self, bank: Bank, *, handout: bool = False) -> bytes:
        """Draw the study guide's (or handout's) content (`studygen.documents.study_guide`, shared with the PDF)."""
        guide = study_guide(bank, self.course, handout=handout)
        return self._render(
            "study_guide.html.j2",
            bank=bank,
            guide=guide,
            large=False,
            facts_by_topic=guide.facts_by_topic,
            timeline=figures.timeline(bank, self.course.labels),
            dates_legend=self.course.label("dates_legend") if dates.any_inferred(bank.facts) else "",
            argument_map=figures.argument_map(guide.outline),
            outline=guide.outline,
        )

    def discussion(self, bank: Bank, *, facilitator: bool) -> bytes:
        handout = discussion(bank, facilitator=facilitator)
        return self._render("discussion.html.j2", bank=bank, handout=handout, facilitator=facilitator, large=False)

    def index(self, sections: Sequence[IndexSection]) -> bytes:
        return self._render("index.html.j2", sections=sections, large=False)

    def report(self, context: dict[str, Any]) -> bytes:
        """The grade report (`studygen.grade.report.report_context`): bank text through `inline` like every page.

        `say(key, **values)` is a course label as HTML: the label's own text is escaped, and values
        that are markup (a `<code>` option, a link) are placed as they are, every other value escaped.
        """
        label = self.course.label

        def say(key: str, **values: object) -> Markup:
            return Markup.escape(label(key)).format(**values)

        return self._render("report.html.j2", say=say, **context)


_RENDERERS: dict[int, tuple[Course, HtmlRenderer]] = {}


def renderer_for(course: Course) -> HtmlRenderer:
    """The process's renderer for this course (compiled templates are reused across calls)."""
    hit = _RENDERERS.get(id(course))
    if hit is None or hit[0] is not course:
        hit = (course, HtmlRenderer(course))
        _RENDERERS.clear()
        _RENDERERS[id(course)] = hit
    return hit[1]


def render_study_guide_html(course: Course, bank: Bank, *, handout: bool = False) -> bytes:
    return renderer_for(course).study_guide(bank, handout=handout)


def render_discussion_html(course: Course, bank: Bank, *, facilitator: bool) -> bytes:
    return renderer_for(course).discussion(bank, facilitator=facilitator)

"""The drawing vocabulary the quiz pages and the answer key share.

`key.py` draws the key with the quiz's layout (the same wrapped paragraphs, the
same lettered rows), but it needs only the part named here: geometry, styles and
the cached paragraph builders.  `QuizLayout` provides it; the key depends on this
interface rather than on `quiz.py`, so the two modules import in one direction.
"""

from __future__ import annotations

from typing import Protocol

from reportlab.lib.styles import ParagraphStyle

from studygen.course import Course
from studygen.targets.pdf.fonts import FontSet
from studygen.targets.pdf.layout import Para, ParaCache, Row
from studygen.targets.pdf.markup import MarkupContext
from studygen.targets.pdf.styles import Styles
from studygen.versions import Quiz


class Drawing(Protocol):
    """One quiz's layout, as the answer key draws with it."""

    course: Course
    quiz: Quiz
    fonts: FontSet
    st: Styles
    ctx: MarkupContext
    cache: ParaCache
    W: float  # frame width
    size: float  # body font size
    gutter: float  # room for the item number
    points_w: float  # room for "(n points)"
    pad: float
    right: ParagraphStyle
    key_style: ParagraphStyle
    grid: tuple[int, float, float] | None  # answer-key grid geometry, fixed per quiz (set by the key)

    def para(self, text: str, style: ParagraphStyle, width: float, *, raw: bool = False) -> list[Para]: ...

    def para_rows(
        self, text: str, style: ParagraphStyle, dx: float, *, raw: bool = False, gap: float = 0
    ) -> list[Row]: ...

    def lettered(self, letter: str, text: str, dx: float, width: float) -> list[Row]: ...

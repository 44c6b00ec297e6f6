"""Moodle XML: every bank question type Moodle can hold, in a category per bank and topic.

Written to import without edits: grade fractions only from Moodle's list,
`single`/`shuffleanswers`/`answernumbering` explicit, HTML in CDATA the way
Moodle's own exporter writes it.  Ordering questions become matching questions
(item → position) because the ordering type is only core from Moodle 4.4 on.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from studygen.model import Bank, Question, QuestionType
from studygen.targets import ExportContext, ExportResult, lms, markup
from studygen.targets.xmlout import serialize, sub
from studygen.text.answers import lms_variants

PENALTY = {QuestionType.TRUE_FALSE: "1", QuestionType.ESSAY: "0"}
DEFAULT_PENALTY = "0.3333333"
# `&` as `&#38;`, not `&amp;`: Moodle's answer regex refuses to end an answer right after `&amp;`.
_CLOZE_ENTITIES = {
    "&": "&#38;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
    "~": "&#126;", "}": "&#125;", "{": "&#123;", "#": "&#35;", "\\": "&#92;",
}  # fmt: skip


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    el = sub(parent, tag, **({"format": fmt} if fmt else {}))
    sub(el, "text", text)
    return el


def shortanswer_pattern(text: str) -> str:
    """An accepted answer as Moodle's short-answer pattern: `*` is a wildcard there, `\\*` a literal star."""
    return text.replace("*", "\\*")


def cloze_answer(text: str) -> str:
    """One accepted answer inside a `{1:SHORTANSWER:...}` field.

    Moodle splits alternatives at `~`, `#` and `}` and html-entity-decodes each
    answer, so every special character is written as an entity it decodes back.
    """
    return "".join(_CLOZE_ENTITIES.get(ch, ch) for ch in shortanswer_pattern(text))


def _no_braces(html: str) -> str:
    """`{` in a cloze question's own text could start a field; as an entity it cannot."""
    return html.replace("{", "&#123;").replace("}", "&#125;")


def _combined_feedback(q_el: ET.Element, ctx: ExportContext) -> None:
    _text(q_el, "correctfeedback", markup.escape(ctx.label("feedback_correct")))
    _text(q_el, "partiallycorrectfeedback", markup.escape(ctx.label("feedback_partial")))
    _text(q_el, "incorrectfeedback", markup.escape(ctx.label("feedback_incorrect")))
    sub(q_el, "shownumcorrect")


class MoodleExporter:
    name = "moodle"
    suffix = ".xml"
    binary = False

    def __init__(self) -> None:
        self.ctx = ExportContext()

    def export(self, banks: Sequence[Bank], context: ExportContext | None = None) -> ExportResult:
        self.ctx = context or ExportContext()
        quiz = ET.Element("quiz")
        warnings: list[str] = []
        for bank in banks:
            current: str | None = None
            for q in bank.questions:
                el = self.question(bank, q, warnings)
                if el is None:
                    continue
                category = lms.moodle_category(lms.category_path(bank, q))
                if category != current:
                    cat = sub(quiz, "question", type="category")
                    _text(cat, "category", category, fmt=None)
                    _text(cat, "info", "")
                    current = category
                quiz.append(el)
        return ExportResult(serialize(quiz, use_cdata=lambda e: e.tag == "text"), warnings)

    def question(self, bank: Bank, q: Question, warnings: list[str]) -> ET.Element | None:
        t = q.type
        qtype = {
            QuestionType.SINGLE_CHOICE: "multichoice",
            QuestionType.MULTIPLE_RESPONSE: "multichoice",
            QuestionType.TRUE_FALSE: "truefalse",
            QuestionType.SHORT_ANSWER: "shortanswer",
            QuestionType.MATCHING: "matching",
            QuestionType.ORDERING: "matching",
            QuestionType.FILL_BLANK: "cloze",
            QuestionType.ESSAY: "essay",
        }[t]
        el = ET.Element("question", {"type": qtype})
        _text(el, "name", q.id, fmt=None)
        _text(el, "questiontext", self.question_html(q))
        _text(el, "generalfeedback", lms.feedback_html(bank, q, self.ctx, guidance=False))
        if t is not QuestionType.FILL_BLANK:  # a cloze question's mark is the sum of its blanks' marks
            sub(el, "defaultgrade", f"{q.points:.7f}")
        sub(el, "penalty", PENALTY.get(t, DEFAULT_PENALTY))
        sub(el, "hidden", "0")
        sub(el, "idnumber", q.id)
        ok = True
        if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
            ok = self.multichoice(el, q, warnings)
        elif t is QuestionType.TRUE_FALSE:
            for value in (True, False):
                ans = sub(el, "answer", fraction="100" if q.answer is value else "0", format="moodle_auto_format")
                sub(ans, "text", "true" if value else "false")
                _text(ans, "feedback", "")
        elif t is QuestionType.SHORT_ANSWER:
            sub(el, "usecase", "1" if q.case_sensitive else "0")
            for accepted in lms_variants(q.accepted, q.case_sensitive):
                ans = sub(el, "answer", fraction="100", format="moodle_auto_format")
                sub(ans, "text", shortanswer_pattern(accepted))
                _text(ans, "feedback", "")
        elif t in (QuestionType.MATCHING, QuestionType.ORDERING):
            pairs = (
                [(p.left, p.right) for p in q.pairs] if t is QuestionType.MATCHING else lms.ordering_pairs(q, self.ctx)
            )
            sub(el, "shuffleanswers", "true")
            _combined_feedback(el, self.ctx)
            for left, right in pairs:
                sq = _text(el, "subquestion", markup.to_html(left))
                # Moodle shows matching answers through format_string (HTML, tags stripped): escape, no markup.
                _text(sq, "answer", markup.escape(right), fmt=None)
            for extra in q.distractors:
                sq = _text(el, "subquestion", "")
                _text(sq, "answer", markup.escape(extra), fmt=None)
        elif t is QuestionType.ESSAY:
            sub(el, "responseformat", "editor")
            sub(el, "responserequired", "1")
            sub(el, "responsefieldlines", "15")
            sub(el, "attachments", "0")
            sub(el, "attachmentsrequired", "0")
            _text(el, "graderinfo", f"<p>{markup.to_html(q.guidance)}</p>")
            _text(el, "responsetemplate", "")
        if not ok:
            return None
        tags = sub(el, "tags")
        for tag in (f"difficulty-{q.difficulty}", f"bloom-{q.bloom}", *(f"topic-{t_}" for t_ in q.topics)):
            _text(tags, "tag", tag, fmt=None)
        return el

    def question_html(self, q: Question) -> str:
        if q.type is not QuestionType.FILL_BLANK:
            return lms.stem_html(q, self.ctx)
        parts: list[str] = []
        for seg in lms.blank_segments(q):
            if isinstance(seg, int):
                alts = "~".join(f"={cloze_answer(a)}" for a in lms_variants(q.blanks[seg].accepted))
                parts.append(f"{{1:SHORTANSWER:{alts}}}")
            else:
                parts.append(_no_braces(markup.to_html(seg)))
        return _no_braces(lms.stem_html(q, self.ctx)) + f"<p>{''.join(parts)}</p>"

    def multichoice(self, el: ET.Element, q: Question, warnings: list[str]) -> bool:
        single = q.type is QuestionType.SINGLE_CHOICE
        correct = [o for o in q.options if o.correct]
        wrong = [o for o in q.options if not o.correct]
        if single:
            right_fracs, wrong_fracs = ["100"], ["0"] * len(wrong)
        else:
            shares = lms.split_hundred(len(correct))
            if shares is None:
                warnings.append(
                    f"{q.id}: skipped for moodle: {len(correct)} correct options cannot share 100% "
                    "using Moodle's grade list (at most 20)"
                )
                return False
            if len(set(shares)) > 1:
                warnings.append(
                    f"{q.id}: {len(correct)} correct options cannot share 100% equally in Moodle; "
                    f"weighted {' + '.join(shares)}"
                )
            right_fracs, wrong_fracs = shares, lms.penalties(len(wrong))
        pinned = any(o.pinned for o in q.options)
        sub(el, "single", "true" if single else "false")
        # Moodle cannot pin one option while shuffling the rest: keep the authored order when any is pinned.
        sub(el, "shuffleanswers", "false" if pinned else "true")
        sub(el, "answernumbering", "abc")
        sub(el, "showstandardinstruction", "0")
        _combined_feedback(el, self.ctx)
        rights, wrongs = iter(right_fracs), iter(wrong_fracs)
        for o in q.options:
            ans = sub(el, "answer", fraction=next(rights) if o.correct else next(wrongs), format="html")
            sub(ans, "text", markup.to_html(o.text))
            _text(ans, "feedback", markup.to_html(o.feedback) if o.feedback else "")
        return True

"""A QTI 1.2 zip for Canvas: `imsmanifest.xml` plus one assessment per bank.

Items follow the shapes Canvas itself exports (its `question_type` metadata,
`response1`, `response_<id>` idents, `[blank]` placeholders), so Canvas maps
each to its own question type; the XML is also valid against the IMS QTI 1.2
schema.  Canvas has no ordering type: ordering is written as matching
(item → position), as for Moodle.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field

from studygen import inline
from studygen.model import Bank, Question, QuestionType
from studygen.targets import ExportContext, ExportResult, lms, markup
from studygen.targets.xmlout import serialize, sub
from studygen.text.answers import lms_variants

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

CANVAS_TYPE = {
    QuestionType.SINGLE_CHOICE: "multiple_choice_question",
    QuestionType.MULTIPLE_RESPONSE: "multiple_answers_question",
    QuestionType.TRUE_FALSE: "true_false_question",
    QuestionType.SHORT_ANSWER: "short_answer_question",
    QuestionType.MATCHING: "matching_question",
    QuestionType.ORDERING: "matching_question",
    QuestionType.FILL_BLANK: "fill_in_multiple_blanks_question",
    QuestionType.ESSAY: "essay_question",
}


def _mattext(parent: ET.Element, text: str, texttype: str = "text/html") -> ET.Element:
    material = sub(parent, "material")
    return sub(material, "mattext", text, texttype=texttype)


def _setvar(parent: ET.Element, value: str, action: str = "Set") -> None:
    sub(parent, "setvar", value, action=action, varname="SCORE")


def _share(n: int) -> str:
    return f"{100 / n:.2f}"


@dataclass
class _Parts:
    """An item's pieces while its response part is written: where the answers and the scoring go, and their ids."""

    iid: str
    pres: ET.Element
    proc: ET.Element
    feedback: list[tuple[str, str]] = field(default_factory=list)  # (ident, html)
    answer_ids: list[str] = field(default_factory=list)

    def label_id(self, n: int) -> str:
        """The n-th answer's ident, recorded for `original_answer_ids`."""
        self.answer_ids.append(f"{self.iid}-{n}")
        return f"{self.iid}-{n}"


def _metadata(item: ET.Element, q: Question) -> dict[str, ET.Element]:
    """Canvas's `qtimetadata` fields; returned by label so the answer ids can be filled in once known."""
    md = sub(sub(item, "itemmetadata"), "qtimetadata")
    entries: dict[str, ET.Element] = {}
    for label, entry in (
        ("question_type", CANVAS_TYPE[q.type]),
        ("points_possible", f"{q.points:g}"),
        ("original_answer_ids", ""),
    ):
        field_ = sub(md, "qtimetadatafield")
        sub(field_, "fieldlabel", label)
        entries[label] = sub(field_, "fieldentry", entry)
    return entries


def _typed(q: Question, parts: _Parts) -> None:
    """Short answer and essay: one text box; a short answer scores on any accepted variant, an essay is hand-marked."""
    rs = sub(parts.pres, "response_str", ident="response1", rcardinality="Single")
    sub(sub(rs, "render_fib"), "response_label", ident=parts.label_id(1), rshuffle="No")
    cond = sub(parts.proc, "respcondition", continue_="No")
    var = sub(cond, "conditionvar")
    if q.type is QuestionType.SHORT_ANSWER:
        # Directly under <conditionvar>, as Canvas's own export writes them: its importer (the qti
        # gem) reads no accepted answer from inside an <or>.  Several varequals there mean "any".
        case = "Yes" if q.case_sensitive else "No"
        for accepted in lms_variants(q.accepted, q.case_sensitive):
            sub(var, "varequal", accepted, respident="response1", case=case)
        _setvar(cond, "100")
    else:
        sub(var, "other")


def _blanks(q: Question, parts: _Parts) -> None:
    """Fill-in: per `[blankN]` a `response_lid` listing its accepted answers, each blank an equal share."""
    for b, blank in enumerate(q.blanks, 1):
        rid = f"response_blank{b}"
        lid = sub(parts.pres, "response_lid", ident=rid)
        _mattext(lid, f"blank{b}", texttype="text/plain")
        choice = sub(lid, "render_choice")
        ids = []
        for accepted in lms_variants(blank.accepted):
            ident = parts.label_id(len(parts.answer_ids) + 1)
            ids.append(ident)
            _mattext(sub(choice, "response_label", ident=ident), accepted, texttype="text/plain")
        cond = sub(parts.proc, "respcondition")
        alts = sub(sub(cond, "conditionvar"), "or")
        for ident in ids:
            sub(alts, "varequal", ident, respident=rid)
        _setvar(cond, _share(len(q.blanks)), action="Add")


class QtiExporter:
    name = "qti"
    suffix = ".zip"
    binary = True

    def __init__(self) -> None:
        self.ctx = ExportContext()

    def export(self, banks: Sequence[Bank], context: ExportContext | None = None) -> ExportResult:
        self.ctx = context or ExportContext()
        files: dict[str, bytes] = {}
        warnings: list[str] = []
        manifest = ET.Element(
            "manifest",
            {
                "identifier": "M-" + hashlib.sha256("\0".join(b.id for b in banks).encode()).hexdigest()[:16],
                "xmlns": CP_NS,
            },
        )
        meta = sub(manifest, "metadata")
        sub(meta, "schema", "IMS Content")
        sub(meta, "schemaversion", "1.1.3")
        sub(manifest, "organizations")
        resources = sub(manifest, "resources")
        for bank in banks:
            href = f"{bank.id}/{bank.id}.xml"
            files[href] = self.assessment(bank, warnings)
            res = sub(resources, "resource", identifier=f"R-{bank.id}", type="imsqti_xmlv1p2")
            sub(res, "file", href=href)
        files["imsmanifest.xml"] = serialize(manifest)
        return ExportResult(lms.deterministic_zip(files, self.ctx.build_time), warnings)

    def assessment(self, bank: Bank, warnings: list[str]) -> bytes:
        root = ET.Element(
            "questestinterop",
            {
                "xmlns": QTI_NS,
                "xmlns:xsi": XSI_NS,
                "xsi:schemaLocation": f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd",
            },
        )
        assessment = sub(root, "assessment", ident=f"A-{bank.id}", title=bank.title)
        md = sub(assessment, "qtimetadata")
        field = sub(md, "qtimetadatafield")
        sub(field, "fieldlabel", "cc_maxattempts")
        sub(field, "fieldentry", "1")
        section = sub(assessment, "section", ident=f"S-{bank.id}")
        for q in bank.questions:
            if q.type is QuestionType.SHORT_ANSWER and q.case_sensitive:
                warnings.append(
                    f'{q.id}: marked case-sensitive (case="Yes"), but Canvas grades short answers ignoring case'
                )
            section.append(self.item(bank, q))
        if not len(section):
            warnings.append(f"{bank.id}: bank has no questions; its assessment is empty")
        return serialize(root)

    def item(self, bank: Bank, q: Question) -> ET.Element:
        """One question as a Canvas-shaped `<item>`: metadata, stem, the type's response part, feedback.

        The response part is one step per family of types (choices, typed
        text, pairs, blanks); they share `_Parts`, which numbers the answer
        ids Canvas lists in `original_answer_ids`.
        """
        t = q.type
        iid = f"I-{q.id}"
        item = ET.Element("item", {"ident": iid, "title": q.id})
        entries = _metadata(item, q)
        parts = _Parts(iid, sub(item, "presentation"), ET.Element("resprocessing"))
        sub(sub(parts.proc, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
        if t is QuestionType.FILL_BLANK:
            _mattext(parts.pres, self.blank_html(q))
        else:
            _mattext(parts.pres, lms.stem_html(q, self.ctx))

        if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE):
            self._choices(q, parts)
        elif t in (QuestionType.SHORT_ANSWER, QuestionType.ESSAY):
            _typed(q, parts)
        elif t in (QuestionType.MATCHING, QuestionType.ORDERING):
            self._pairs(q, parts)
        elif t is QuestionType.FILL_BLANK:
            _blanks(q, parts)

        self._feedback(bank, q, item, parts)
        entries["original_answer_ids"].text = ",".join(parts.answer_ids)
        return item

    def _choices(self, q: Question, parts: _Parts) -> None:
        """Single, multiple and true/false: one `response_lid`, full score only for exactly the right choice(s).

        Per-option feedback is shown by its own condition before the scoring
        one, which therefore must not `continue`.
        """
        t = q.type
        pres, proc = parts.pres, parts.proc
        options = (
            [(o.text, o.correct, o.feedback) for o in q.options]
            if t is not QuestionType.TRUE_FALSE
            else [(self.ctx.label("true"), q.answer is True, ""), (self.ctx.label("false"), q.answer is False, "")]
        )
        card = "Multiple" if t is QuestionType.MULTIPLE_RESPONSE else "Single"
        lid = sub(pres, "response_lid", ident="response1", rcardinality=card)
        choice = sub(lid, "render_choice")
        idents = []
        for n, (text, _correct, fb) in enumerate(options, 1):
            ident = parts.label_id(n)
            idents.append(ident)
            _mattext(sub(choice, "response_label", ident=ident), markup.to_html(text))
            if fb:
                parts.feedback.append((f"{ident}_fb", markup.to_html(fb)))
        for ident, (_t, _c, fb) in zip(idents, options, strict=True):
            if fb:
                cond = sub(proc, "respcondition", continue_="Yes")
                sub(sub(cond, "conditionvar"), "varequal", ident, respident="response1")
                sub(cond, "displayfeedback", feedbacktype="Response", linkrefid=f"{ident}_fb")
        cond = sub(proc, "respcondition", continue_="No")
        var = sub(cond, "conditionvar")
        if t is QuestionType.MULTIPLE_RESPONSE:
            both = sub(var, "and")
            for ident, (_t, correct, _f) in zip(idents, options, strict=True):
                target = both if correct else sub(both, "not")
                sub(target, "varequal", ident, respident="response1")
        else:
            right = next(i for i, (_t, c, _f) in zip(idents, options, strict=True) if c)
            sub(var, "varequal", right, respident="response1")
        _setvar(cond, "100")

    def _pairs(self, q: Question, parts: _Parts) -> None:
        """Matching, and ordering written as matching (item → position): one `response_lid` per left side.

        Every left side offers all right sides plus the distractors, and earns
        an equal share of the score.
        """
        t = q.type
        pairs = [(p.left, p.right) for p in q.pairs] if t is QuestionType.MATCHING else lms.ordering_pairs(q, self.ctx)
        rights = list(dict.fromkeys([r for _l, r in pairs] + list(q.distractors)))
        right_ids = {r: parts.label_id(n) for n, r in enumerate(rights, 1)}
        for n, (left, right) in enumerate(pairs, 1):
            rid = f"response_{parts.iid}-L{n}"
            lid = sub(parts.pres, "response_lid", ident=rid)
            _mattext(lid, inline.plain(left), texttype="text/plain")
            choice = sub(lid, "render_choice")
            for r in rights:
                _mattext(sub(choice, "response_label", ident=right_ids[r]), r, texttype="text/plain")
            cond = sub(parts.proc, "respcondition")
            sub(sub(cond, "conditionvar"), "varequal", right_ids[right], respident=rid)
            _setvar(cond, _share(len(pairs)), action="Add")

    def _feedback(self, bank: Bank, q: Question, item: ET.Element, parts: _Parts) -> None:
        """The general feedback, shown whatever was answered (so its condition goes first), then per-option ones."""
        iid = parts.iid
        general = lms.feedback_html(bank, q, self.ctx, guidance=q.type is QuestionType.ESSAY)
        cond = ET.Element("respcondition", {"continue": "Yes"})
        sub(sub(cond, "conditionvar"), "other")
        sub(cond, "displayfeedback", feedbacktype="Response", linkrefid=f"{iid}-general_fb")
        parts.proc.insert(1, cond)
        item.append(parts.proc)
        for ident, html in [(f"{iid}-general_fb", general), *parts.feedback]:
            item_fb = sub(item, "itemfeedback", ident=ident)
            _mattext(sub(item_fb, "flow_mat"), html)

    def blank_html(self, q: Question) -> str:
        """Stem plus the sentence with `[blankN]` where Canvas puts its inputs; a literal `[` cannot fake one."""
        parts = []
        for seg in lms.blank_segments(q):
            parts.append(f"[blank{seg + 1}]" if isinstance(seg, int) else markup.to_html(seg).replace("[", "&#91;"))
        return lms.stem_html(q, self.ctx).replace("[", "&#91;") + f"<p>{''.join(parts)}</p>"

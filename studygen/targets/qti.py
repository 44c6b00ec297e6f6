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
        t = q.type
        iid = f"I-{q.id}"
        item = ET.Element("item", {"ident": iid, "title": q.id})
        md = sub(sub(item, "itemmetadata"), "qtimetadata")
        entries: dict[str, ET.Element] = {}
        for label, entry in (
            ("question_type", CANVAS_TYPE[t]),
            ("points_possible", f"{q.points:g}"),
            ("original_answer_ids", ""),
        ):
            field = sub(md, "qtimetadatafield")
            sub(field, "fieldlabel", label)
            entries[label] = sub(field, "fieldentry", entry)
        pres = sub(item, "presentation")
        proc = ET.Element("resprocessing")
        sub(sub(proc, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
        feedback: list[tuple[str, str]] = []  # (ident, html)
        answer_ids: list[str] = []

        def label_id(n: int) -> str:
            answer_ids.append(f"{iid}-{n}")
            return f"{iid}-{n}"

        if t is QuestionType.FILL_BLANK:
            _mattext(pres, self.blank_html(q))
        else:
            _mattext(pres, lms.stem_html(q, self.ctx))

        if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE, QuestionType.TRUE_FALSE):
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
                ident = label_id(n)
                idents.append(ident)
                _mattext(sub(choice, "response_label", ident=ident), markup.to_html(text))
                if fb:
                    feedback.append((f"{ident}_fb", markup.to_html(fb)))
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
        elif t in (QuestionType.SHORT_ANSWER, QuestionType.ESSAY):
            rs = sub(pres, "response_str", ident="response1", rcardinality="Single")
            sub(sub(rs, "render_fib"), "response_label", ident=label_id(1), rshuffle="No")
            cond = sub(proc, "respcondition", continue_="No")
            var = sub(cond, "conditionvar")
            if t is QuestionType.SHORT_ANSWER:
                # Directly under <conditionvar>, as Canvas's own export writes them: its importer (the qti
                # gem) reads no accepted answer from inside an <or>.  Several varequals there mean "any".
                case = "Yes" if q.case_sensitive else "No"
                for accepted in lms_variants(q.accepted, q.case_sensitive):
                    sub(var, "varequal", accepted, respident="response1", case=case)
                _setvar(cond, "100")
            else:
                sub(var, "other")
        elif t in (QuestionType.MATCHING, QuestionType.ORDERING):
            pairs = (
                [(p.left, p.right) for p in q.pairs] if t is QuestionType.MATCHING else lms.ordering_pairs(q, self.ctx)
            )
            rights = list(dict.fromkeys([r for _l, r in pairs] + list(q.distractors)))
            right_ids = {r: label_id(n) for n, r in enumerate(rights, 1)}
            for n, (left, right) in enumerate(pairs, 1):
                rid = f"response_{iid}-L{n}"
                lid = sub(pres, "response_lid", ident=rid)
                _mattext(lid, inline.plain(left), texttype="text/plain")
                choice = sub(lid, "render_choice")
                for r in rights:
                    _mattext(sub(choice, "response_label", ident=right_ids[r]), r, texttype="text/plain")
                cond = sub(proc, "respcondition")
                sub(sub(cond, "conditionvar"), "varequal", right_ids[right], respident=rid)
                _setvar(cond, _share(len(pairs)), action="Add")
        elif t is QuestionType.FILL_BLANK:
            for b, blank in enumerate(q.blanks, 1):
                rid = f"response_blank{b}"
                lid = sub(pres, "response_lid", ident=rid)
                _mattext(lid, f"blank{b}", texttype="text/plain")
                choice = sub(lid, "render_choice")
                ids = []
                for accepted in lms_variants(blank.accepted):
                    ident = label_id(len(answer_ids) + 1)
                    ids.append(ident)
                    _mattext(sub(choice, "response_label", ident=ident), accepted, texttype="text/plain")
                cond = sub(proc, "respcondition")
                alts = sub(sub(cond, "conditionvar"), "or")
                for ident in ids:
                    sub(alts, "varequal", ident, respident=rid)
                _setvar(cond, _share(len(q.blanks)), action="Add")

        general = lms.feedback_html(bank, q, self.ctx, guidance=t is QuestionType.ESSAY)
        cond = ET.Element("respcondition", {"continue": "Yes"})
        sub(sub(cond, "conditionvar"), "other")
        sub(cond, "displayfeedback", feedbacktype="Response", linkrefid=f"{iid}-general_fb")
        proc.insert(1, cond)
        item.append(proc)
        for ident, html in [(f"{iid}-general_fb", general), *feedback]:
            item_fb = sub(item, "itemfeedback", ident=ident)
            _mattext(sub(item_fb, "flow_mat"), html)
        entries["original_answer_ids"].text = ",".join(answer_ids)
        return item

    def blank_html(self, q: Question) -> str:
        """Stem plus the sentence with `[blankN]` where Canvas puts its inputs; a literal `[` cannot fake one."""
        parts = []
        for seg in lms.blank_segments(q):
            parts.append(f"[blank{seg + 1}]" if isinstance(seg, int) else markup.to_html(seg).replace("[", "&#91;"))
        return lms.stem_html(q, self.ctx).replace("[", "&#91;") + f"<p>{''.join(parts)}</p>"

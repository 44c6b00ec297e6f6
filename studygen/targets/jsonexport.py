"""The validated banks as stable JSON, for other tools (documented in docs/json-export.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from studygen.model import Bank, Question, QuestionType
from studygen.targets import ExportContext, ExportResult

JSON_FORMAT_VERSION = 1


def question_answer(q: Question) -> dict[str, Any]:
    """The answer data of a question, keyed as in the bank format."""
    t = q.type
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        return {
            "options": [
                {"text": o.text, "correct": o.correct, "pinned": o.pinned, "feedback": o.feedback} for o in q.options
            ]
        }
    if t is QuestionType.TRUE_FALSE:
        return {"answer": q.answer}
    if t is QuestionType.SHORT_ANSWER:
        return {"accepted": list(q.accepted), "case_sensitive": q.case_sensitive}
    if t is QuestionType.MATCHING:
        return {"pairs": [{"left": p.left, "right": p.right} for p in q.pairs], "distractors": list(q.distractors)}
    if t is QuestionType.ORDERING:
        return {"items": list(q.items)}
    if t is QuestionType.FILL_BLANK:
        return {"text": q.text, "blanks": [{"accepted": list(b.accepted)} for b in q.blanks]}
    return {"guidance": q.guidance}


def question_dict(bank: Bank, q: Question) -> dict[str, Any]:
    return {
        "id": q.id,
        "type": q.type.value,
        "stem": q.stem,
        **question_answer(q),
        "explanation": q.explanation,
        "background": q.background,
        "refs": list(q.refs),
        "source_quotes": list(bank.quotes_for(q.refs)),
        "topics": list(q.topics),
        "difficulty": q.difficulty,
        "bloom": q.bloom,
        "points": q.points,
    }


def bank_dict(bank: Bank) -> dict[str, Any]:
    r = bank.reading
    return {
        "id": bank.id,
        "title": bank.title,
        "reading": {
            "title": r.title,
            "subtitle": r.subtitle,
            "author": r.author,
            "author_affiliation": r.author_affiliation,
            "publication": r.publication,
            "date": r.date,
            "text": r.text_path,
            "url": r.url,
        },
        "summary": bank.summary,
        "summary_refs": list(bank.summary_refs),
        "topics": [{"id": t.id, "label": t.label} for t in bank.topics],
        "facts": [
            {
                "id": f.id,
                "statement": f.statement,
                "quotes": list(f.quotes),
                "date": f.date,
                "date_text": f.date_text,
                "actors": list(f.actors),
                "topics": list(f.topics),
            }
            for f in bank.facts
        ],
        "arguments": [
            {
                "id": a.id,
                "claim": a.claim,
                "holder": a.holder,
                "role": a.role,
                "quotes": list(a.quotes),
                "supported_by": list(a.supported_by),
                "counters": list(a.counters),
                "topics": list(a.topics),
            }
            for a in bank.arguments
        ],
        "stakeholders": [
            {"id": s.id, "name": s.name, "position": s.position, "interests": list(s.interests), "refs": list(s.refs)}
            for s in bank.stakeholders
        ],
        "questions": [question_dict(bank, q) for q in bank.questions],
        "prompts": [
            {
                "id": p.id,
                "prompt": p.prompt,
                "guidance": p.guidance,
                "refs": list(p.refs),
                "source_quotes": list(bank.quotes_for(p.refs)),
                "topics": list(p.topics),
            }
            for p in bank.prompts
        ],
        "glossary": [
            {"term": g.term, "definition": g.definition, "refs": list(g.refs), "background": g.background}
            for g in bank.glossary
        ],
    }


def banks_json(banks: Sequence[Bank]) -> dict[str, Any]:
    return {"format": JSON_FORMAT_VERSION, "banks": [bank_dict(b) for b in banks]}


class JsonExporter:
    name = "json"
    suffix = ".json"
    binary = False

    def export(self, banks: Sequence[Bank], context: ExportContext | None = None) -> ExportResult:
        """JSON holds data, not wording: the context is accepted for the common interface and unused."""
        text = json.dumps(banks_json(banks), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        return ExportResult(text.encode("utf-8"))

"""An Anki `.apkg`: a deck per bank, a subdeck per topic, every question as a card.

Note GUIDs come from the authored ids (`genanki.guid_for(bank id, question id)`),
so importing a newer export updates the cards a student is already learning
instead of duplicating them.  Model and deck ids are fixed or derived from ids,
the collection is built in memory and zipped with fixed timestamps, so the
same banks always give the same bytes.
"""

from __future__ import annotations

import hashlib
import itertools
import sqlite3
from collections.abc import Sequence

import genanki

from studygen.model import Bank, Question, QuestionType
from studygen.repro import BuildTime
from studygen.targets import ExportContext, ExportResult, lms, markup
from studygen.text.letters import letter

QA_MODEL_ID = 1738452001
CLOZE_MODEL_ID = 1738452002
# Note and card modification time when SOURCE_DATE_EPOCH is unset (2024-01-01T00:00:00Z).
DEFAULT_TIMESTAMP = 1704067200

CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; color: #111; background: #fff; }
.explanation { margin-top: 1em; }
.source { margin-top: 1em; font-size: 16px; color: #333; }
blockquote { border-left: 3px solid #999; margin: 0.5em 0; padding-left: 0.7em; }
.cloze { font-weight: bold; color: #0645ad; }
"""

QA_MODEL = genanki.Model(
    QA_MODEL_ID,
    "studygen question",
    fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Explanation"}, {"name": "Source"}, {"name": "ID"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'
            '<div class="explanation">{{Explanation}}</div><div class="source">{{Source}}</div>',
        }
    ],
    css=CSS,
)

CLOZE_MODEL = genanki.Model(
    CLOZE_MODEL_ID,
    "studygen cloze",
    fields=[{"name": "Text"}, {"name": "Extra"}, {"name": "Source"}, {"name": "ID"}],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": '{{cloze:Text}}<div class="explanation">{{Extra}}</div><div class="source">{{Source}}</div>',
        }
    ],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)


def deck_id(*key: str) -> int:
    """A stable deck id from authored ids, so renaming a title keeps the student's deck."""
    digest = hashlib.sha256("\0".join(("studygen-deck", *key)).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def deck_part(name: str) -> str:
    """One level of a deck name: `::` would nest it, so it is written as a single colon."""
    return " ".join(name.replace("::", ":").split())


def _no_cloze(html: str) -> str:
    """Braces as entities, so bank text can never open or close a `{{c1::...}}` deletion."""
    return html.replace("{", "&#123;").replace("}", "&#125;")


def _list(items: Sequence[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{markup.to_html(i)}</li>" for i in items) + f"</{tag}>"


def source_html(bank: Bank, refs: tuple[str, ...], ctx: ExportContext) -> str:
    quotes = bank.quotes_for(refs)
    if not quotes:
        return ""
    source = markup.escape(ctx.label("export_source"))
    return f"<p><strong>{source}</strong> ({markup.escape(lms.citation(bank))}):</p>" + "".join(
        f"<blockquote>{markup.escape(q)}</blockquote>" for q in quotes
    )


def front_back(q: Question, ctx: ExportContext) -> tuple[str, str]:
    """The card's front (stem and choices) and back (the answer) for a non-cloze question."""
    front = lms.stem_html(q, ctx)
    label = ctx.label
    t = q.type
    if t in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        front += '<ol type="A">' + "".join(f"<li>{markup.to_html(o.text)}</li>" for o in q.options) + "</ol>"
        back = "".join(f"<p>{letter(i)}. {markup.to_html(q.options[i].text)}</p>" for i in q.correct_indexes)
        return front, back
    if t is QuestionType.TRUE_FALSE:
        answer = label("true") if q.answer else label("false")
        return front + f"<p>{markup.escape(label('true_or_false'))}</p>", f"<p>{markup.escape(answer)}</p>"
    if t is QuestionType.SHORT_ANSWER:
        return front, _list(q.accepted)
    if t is QuestionType.MATCHING:
        rights = sorted([p.right for p in q.pairs] + list(q.distractors), key=str.casefold)
        front += (
            _list([p.left for p in q.pairs], ordered=True)
            + f"<p>{markup.escape(label('choose_from'))}:</p>"
            + _list(rights)
        )
        back = (
            "<ul>"
            + "".join(f"<li>{markup.to_html(p.left)} → {markup.to_html(p.right)}</li>" for p in q.pairs)
            + "</ul>"
        )
        return front, back
    if t is QuestionType.ORDERING:
        shown = sorted(q.items, key=str.casefold)
        if list(shown) == list(q.items):
            shown.reverse()
        return front + _list(shown), _list(q.items, ordered=True)
    return front, f"<p><strong>{markup.escape(label('strong_answer'))}:</strong> {markup.to_html(q.guidance)}</p>"


def cloze_text(q: Question, ctx: ExportContext) -> tuple[str, str]:
    """Cloze text with `{{cN::first accepted}}` per blank, and the other accepted answers for the Extra field."""
    parts = []
    also = []
    for seg in lms.blank_segments(q):
        if isinstance(seg, int):
            accepted = q.blanks[seg].accepted
            answer = _no_cloze(markup.escape(accepted[0])).replace(":", "&#58;")
            parts.append(f"{{{{c{seg + 1}::{answer}}}}}")
            if len(accepted) > 1:
                also.append(f"({seg + 1}) " + " / ".join(markup.escape(a) for a in accepted[1:]))
        else:
            parts.append(_no_cloze(markup.to_html(seg)))
    text = _no_cloze(lms.stem_html(q, ctx)) + f"<p>{''.join(parts)}</p>"
    also_accepted = markup.escape(ctx.label("also_accepted"))
    extra = f"<p>{also_accepted}: {'; '.join(also)}</p>" if also else ""
    return text, extra


def tags(bank: Bank, *extra: str, topics: tuple[str, ...] = ()) -> list[str]:
    return [f"studygen::bank::{bank.id}", *(f"studygen::topic::{t}" for t in topics), *extra]


class AnkiExporter:
    name = "anki"
    suffix = ".apkg"
    binary = True

    def export(self, banks: Sequence[Bank], context: ExportContext | None = None) -> ExportResult:
        ctx = context or ExportContext()
        decks: dict[int, genanki.Deck] = {}

        def deck(bank: Bank, topic: str | None, label: str | None = None) -> genanki.Deck:
            did = deck_id(bank.id, topic) if topic else deck_id(bank.id)
            if did not in decks:
                name = deck_part(bank.title)
                if topic:
                    name += "::" + deck_part(label or bank.topic_label(topic))
                decks[did] = genanki.Deck(did, name)
            return decks[did]

        for bank in banks:
            deck(bank, None)
            for q in bank.questions:
                target = deck(bank, q.topics[0] if q.topics else None)
                note_tags = tags(bank, f"studygen::type::{q.type.value}", f"studygen::bloom::{q.bloom}",
                                 f"studygen::difficulty::{q.difficulty}", topics=q.topics)  # fmt: skip
                source = source_html(bank, q.refs, ctx)
                explanation = markup.to_html(q.explanation)
                if q.type is QuestionType.FILL_BLANK:
                    text, extra = cloze_text(q, ctx)
                    fields = [text, f"<p>{explanation}</p>{extra}", source, q.id]
                    model = CLOZE_MODEL
                else:
                    front, back = front_back(q, ctx)
                    fields, model = [front, back, explanation, source, q.id], QA_MODEL
                target.add_note(genanki.Note(model, fields, tags=note_tags, guid=genanki.guid_for(bank.id, q.id)))
            for f in bank.facts:
                date = markup.escape(f.date_text or f.date)
                back = (
                    f"<p>{date} ({markup.escape(f.date)})</p>"
                    if f.date_text and f.date
                    else (f"<p>{date}</p>" if date else "")
                )
                note = genanki.Note(
                    QA_MODEL,
                    [f"<p>{markup.to_html(f.statement)}</p>", back, "", source_html(bank, (f.id,), ctx), f.id],
                    tags=tags(bank, "studygen::type::fact", topics=f.topics),
                    guid=genanki.guid_for(bank.id, f.id),
                )
                deck(bank, f.topics[0] if f.topics else None).add_note(note)
            for term in bank.glossary:
                marker = f"<p><em>{markup.escape(ctx.label('beyond_reading'))}</em></p>" if term.background else ""
                note = genanki.Note(
                    QA_MODEL,
                    [
                        f"<p>{markup.to_html(term.term)}</p>",
                        f"<p>{markup.to_html(term.definition)}</p>",
                        marker,
                        source_html(bank, term.refs, ctx),
                        f"glossary:{term.term}",
                    ],
                    tags=tags(bank, "studygen::type::glossary"),
                    guid=genanki.guid_for(bank.id, "glossary", term.term),
                )
                deck(bank, "#glossary", ctx.label("glossary")).add_note(note)
        return ExportResult(self.package(list(decks.values()), ctx.build_time), [])

    @staticmethod
    def package(decks: list[genanki.Deck], build_time: BuildTime) -> bytes:
        """The .apkg bytes: genanki fills an in-memory collection, which we zip ourselves with fixed timestamps."""
        stamp = build_time.seconds(DEFAULT_TIMESTAMP)
        conn = sqlite3.connect(":memory:")
        try:
            genanki.Package(decks).write_to_db(conn.cursor(), stamp, itertools.count(stamp * 1000))
            conn.commit()
            collection = conn.serialize()
        finally:
            conn.close()
        return lms.deterministic_zip({"collection.anki2": collection, "media": b"{}"}, build_time)

"""The native JSON export as text, written a column at a time: what ``cisannotate export`` writes.

``exchange._native`` builds the export as dicts (``native_export``, which the other tools'
formats and the team's sync read); ``dumps`` of that dict is the file. This module writes
the same bytes without the dicts (``exchange.render`` puts its records in the file): the
spans, links and source lines stay the rows the storage read (``selection.select(rows=True)``),
each field is encoded for every record by one call and each record is joined from its fields
(``jsonlayout.encode_columns``). On 10,000 annotations that takes half the time of building
and encoding the dicts. Tests compare the two on the sample and on a project with every
kind of value.
"""

from __future__ import annotations

from typing import Any

from ..core.text import CONTEXT_CHARS
from ..storage.bulk import LINK_ROW_COLUMNS, SOURCE_LINE_ROW_COLUMNS, SPAN_ROW_COLUMNS
from .jsonlayout import EncodedRecords, encode_columns, encode_record
from .selection import REPORT_EVERY, ProgressCounter, Selection


def _columns(names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    """The rows as columns, by name (empty columns when there is no row)."""
    values = list(zip(*rows)) if rows else [()] * len(names)
    return dict(zip(names, values))


def _contexts(texts: dict[str, str], documents: Any, starts: Any, ends: Any) -> tuple[list[str], ...]:
    """The prefix, quote and suffix of each range, sliced from its document's text."""
    context = CONTEXT_CHARS
    prefixes: list[str] = []
    quotes: list[str] = []
    suffixes: list[str] = []
    for doc_id, start, end in zip(documents, starts, ends):
        text = texts[doc_id]
        prefixes.append(text[start - context if start > context else 0 : start])
        quotes.append(text[start:end])
        suffixes.append(text[end : end + context])
    return prefixes, quotes, suffixes


def _span_records(rows: list[tuple[Any, ...]], texts: dict[str, str]) -> list[str]:
    columns = _columns(SPAN_ROW_COLUMNS, rows)
    columns["no_source"] = [True if v else False for v in columns["no_source"]]
    columns["prefix"], columns["quote"], columns["suffix"] = _contexts(
        texts, columns["document_id"], columns["start"], columns["end"])
    return encode_columns(columns)


def _link_records(rows: list[tuple[Any, ...]], texts: dict[str, str]) -> list[str]:
    columns = _columns(LINK_ROW_COLUMNS, rows)
    columns["target_prefix"], columns["target_quote"], columns["target_suffix"] = _contexts(
        texts, columns["target_document_id"], columns["target_start"], columns["target_end"])
    return encode_columns(columns)


def _document_record(doc: Any, lines: list[tuple[Any, ...]], with_text: bool) -> str:
    """One document's record: its fields and its source lines, encoded as ``_native`` has them."""
    record: dict[str, Any] = {
        "id": doc.id, "sha256": doc.sha256, "kind": doc.kind, "title": doc.title, "outlet": doc.outlet,
        "date": doc.date, "event": doc.event, "language": doc.language, "url": doc.url,
        "source_file": doc.source_file, "notes": doc.notes, "extra": doc.extra, "length": len(doc.text),
    }
    if with_text:
        record["text"] = doc.text
    fields = {key: encode_record(value) for key, value in record.items()}
    # The lines as the C encoder writes a list of dicts: "[{...}, {...}]".
    fields["source_lines"] = "[" + ", ".join(encode_columns(_columns(SOURCE_LINE_ROW_COLUMNS, lines))) + "]"
    return "{" + ", ".join(f"{encode_record(key)}: {fields[key]}" for key in sorted(fields)) + "}"


def native_records(sel: Selection, with_text: bool, counter: ProgressCounter) -> dict[str, EncodedRecords]:
    """The records of ``exchange._native`` (documents, spans, links, reviews, comments) as the text
    ``dumps`` writes for them, from a ``select(rows=True)``."""
    texts = {d.id: d.text for d in sel.documents}
    documents = EncodedRecords()
    for doc in sel.documents:
        documents.append(_document_record(doc, sel.lines.get(doc.id, []), with_text))
        counter.step()

    spans = EncodedRecords()
    for at in range(0, len(sel.spans), REPORT_EVERY):
        chunk = sel.spans[at : at + REPORT_EVERY]
        spans.extend(_span_records(chunk, texts))
        counter.step(len(chunk))

    links = EncodedRecords()
    for at in range(0, len(sel.links), REPORT_EVERY):
        chunk = sel.links[at : at + REPORT_EVERY]
        links.extend(_link_records(chunk, texts))
        counter.step(len(chunk))

    reviews = EncodedRecords(encode_record(
        {"id": r.id, "item_a": r.item_a, "item_b": r.item_b, "decision": r.decision, "reviewer": r.reviewer,
         "result_id": r.result_id, "comment": r.comment, "created": r.created}) for r in sel.reviews)
    comments = EncodedRecords(encode_record(
        {"id": c.id, "target_id": c.target_id, "author": c.author, "text": c.text, "created": c.created})
        for c in sel.comments)
    counter.step(len(reviews) + len(comments))
    return {"documents": documents, "spans": spans, "links": links, "reviews": reviews, "comments": comments}

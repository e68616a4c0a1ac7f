"""Exporting a project's annotations: native JSON, W3C Web Annotation, CSV.

The native format (``{"format": "cisannotate", "version": 1, ...}``, described
by ``resources/schema/cisannotate-export-1.schema.json``) is what colleagues
exchange and ``cisannotate merge`` reads back. The W3C Web Annotation
collection is for other annotation tools; the CSV is for analysis in pandas
or R.

Building an export only reads through the Store. Two exports of the same
project are byte-identical: records are in a stable order, keys are sorted,
indentation is fixed and the body carries no export time, so exports can be
compared, diffed and pinned in tests. Writing is atomic: the file appears
complete or not at all.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from ..core.model import Comment, Document, Review, SourceLine, Span
from ..core.text import CONTEXT_CHARS, quote_at
from ..storage import Store
from ..storage.bulk import LINK_ROW_COLUMNS, SPAN_ROW_COLUMNS, all_documents, all_source_lines, link_rows, span_rows
from ..storage.columns import chunked

FORMAT_NAME = "cisannotate"
FORMAT_VERSION = 1
FORMATS = ("json", "w3c", "csv")
SUFFIXES = {"json": ".json", "w3c": ".jsonld", "csv": ".csv"}
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

ProgressCheck = Callable[[int, int], bool]
"""``(done, total) -> keep going?`` Returning False cancels: an export leaves no file, a merge writes nothing."""

CSV_COLUMNS = (
    "record",  # "span" or "link"
    "id",
    "span_id",  # the span itself on span rows; the linked article span on link rows
    "document_id",
    "document_title",
    "outlet",
    "date",
    "event",
    "start",
    "end",
    "quote",
    "category",
    "speaker",
    "speaker_role",
    "mode",
    "channel",
    "no_source",
    "note",  # on link rows, this and the next four describe the link, not its span
    "layer",
    "annotator",
    "created",
    "modified",
    "relation",
    "target_document_id",
    "target_title",
    "target_start",
    "target_end",
    "target_lines",  # source line numbers the target overlaps, separated by ";"
    "target_text",
)

# How often (in records) the progress callback hears from an export.
_REPORT_EVERY = 1000


class ExportCancelled(Exception):
    """The progress callback asked to stop; nothing is written."""


@dataclass(frozen=True)
class ExportOptions:
    format: str = "json"
    with_text: bool = False  # native format only: carry each document's text
    annotator: str | None = None  # limit the export to this layer


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    format: str
    documents: int
    spans: int
    links: int


class _Counter:
    """Calls the progress callback every few records and turns a refusal into ExportCancelled."""

    def __init__(self, total: int, progress: ProgressCheck | None) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.progress = progress
        self._next = 0

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.progress is not None and (self.done >= self._next or self.done >= self.total):
            self._next = self.done + _REPORT_EVERY
            if not self.progress(min(self.done, self.total), self.total):
                raise ExportCancelled()


@dataclass
class _Selection:
    """What one export covers: the layer filter applied once, shared by every format.

    For the native format (``rows=True`` in ``_select``) the spans and links are the plain
    tuples of ``span_rows``/``link_rows``; for W3C and CSV they are Span and Link objects.
    """

    documents: list[Document]
    lines: dict[str, list[SourceLine]]
    spans: list[Any]
    links: list[Any]
    reviews: list[Review]
    comments: list[Comment]
    annotators: list[str]

    def size(self, fmt: str) -> int:
        """How many records the format writes, the scale of its progress."""
        if fmt == "json":
            return len(self.documents) + len(self.spans) + len(self.links) + len(self.reviews) + len(self.comments)
        if fmt == "w3c":
            return len(self.spans) + len(self.links) + len(self.comments)
        return len(self.spans) + len(self.links)


def _select(store: Store, annotator: str | None, *, rows: bool = False) -> _Selection:
    """The selection; with ``rows``, spans and links as plain rows (the native format's)."""
    documents = all_documents(store)
    lines = all_source_lines(store)
    layers = None if annotator is None else [annotator]
    spans: list[Any]
    links: list[Any]
    if rows:
        spans, links = span_rows(store, layers), link_rows(store, layers)
        span_ids = {s[0] for s in spans}
        span_annotator, link_annotator = SPAN_ROW_COLUMNS.index("annotator"), LINK_ROW_COLUMNS.index("annotator")
        span_annotators = {s[span_annotator] for s in spans}
        link_annotators = {k[link_annotator] for k in links}
    else:
        spans, links = store.spans(layers=layers), store.links(layers=layers)
        span_ids = {s.id for s in spans}
        span_annotators = {s.annotator for s in spans}
        link_annotators = {k.annotator for k in links}
    if annotator is None:
        reviews = store.reviews()
        comments = store.comments()
        annotators = store.annotators()
    else:
        reviews = [r for r in store.reviews() if r.reviewer == annotator or r.result_id in span_ids]
        comments = [c for c in store.comments() if c.author == annotator]
        annotators = sorted(
            {annotator}
            | span_annotators
            | link_annotators
            | {r.reviewer for r in reviews}
            | {c.author for c in comments}
        )
    return _Selection(documents, lines, spans, links, reviews, comments, annotators)


# ------------------------------------------------------------------ native
def native_export(
    store: Store,
    *,
    with_text: bool = False,
    annotator: str | None = None,
    progress: ProgressCheck | None = None,
) -> dict[str, Any]:
    """The project as the native exchange format (a JSON-ready dict)."""
    sel = _select(store, annotator, rows=True)
    return _native(store, sel, with_text, annotator, _Counter(sel.size("json"), progress))


def _native(
    store: Store, sel: _Selection, with_text: bool, annotator: str | None, counter: _Counter
) -> dict[str, Any]:
    texts = {d.id: d.text for d in sel.documents}

    documents = []
    for doc in sel.documents:
        record: dict[str, Any] = {
            "id": doc.id,
            "sha256": doc.sha256,
            "kind": doc.kind,
            "title": doc.title,
            "outlet": doc.outlet,
            "date": doc.date,
            "event": doc.event,
            "language": doc.language,
            "url": doc.url,
            "source_file": doc.source_file,
            "notes": doc.notes,
            "extra": doc.extra,
            "length": len(doc.text),
            "source_lines": [
                {"number": ln.number, "start": ln.start, "end": ln.end, "paragraph": ln.paragraph,
                 "speaker": ln.speaker}
                for ln in sel.lines.get(doc.id, [])
            ],
        }
        if with_text:
            record["text"] = doc.text
        documents.append(record)
        counter.step()

    # Spans and links go from plain rows (span_rows, link_rows) straight into records: a Span or
    # Link object for each first took longer than the JSON encoding. A row's column names are the
    # record's keys (SPAN_ROW_COLUMNS, LINK_ROW_COLUMNS, from the one column map of each table).
    # The quotes are sliced here rather than by quote_at: the stored offsets were checked on the
    # way in, and 150,000 Quote objects were a tenth of the time of an export.
    context = CONTEXT_CHARS
    spans: list[dict[str, Any]] = []
    add = spans.append
    for chunk in chunked(sel.spans, _REPORT_EVERY):
        for row in chunk:
            record = dict(zip(SPAN_ROW_COLUMNS, row))
            text, start, end = texts[record["document_id"]], record["start"], record["end"]
            record["no_source"] = True if record["no_source"] else False
            record["prefix"] = text[start - context if start > context else 0 : start]
            record["quote"] = text[start:end]
            record["suffix"] = text[end : end + context]
            add(record)
        counter.step(len(chunk))

    links: list[dict[str, Any]] = []
    add = links.append
    for chunk in chunked(sel.links, _REPORT_EVERY):
        for row in chunk:
            record = dict(zip(LINK_ROW_COLUMNS, row))
            text, start, end = texts[record["target_document_id"]], record["target_start"], record["target_end"]
            record["target_prefix"] = text[start - context if start > context else 0 : start]
            record["target_quote"] = text[start:end]
            record["target_suffix"] = text[end : end + context]
            add(record)
        counter.step(len(chunk))

    reviews = [
        {"id": r.id, "item_a": r.item_a, "item_b": r.item_b, "decision": r.decision, "reviewer": r.reviewer,
         "result_id": r.result_id, "comment": r.comment, "created": r.created}
        for r in sel.reviews
    ]
    comments = [
        {"id": c.id, "target_id": c.target_id, "author": c.author, "text": c.text, "created": c.created}
        for c in sel.comments
    ]
    counter.step(len(reviews) + len(comments))

    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "scope": {"annotator": annotator, "with_text": with_text},
        "documents": documents,
        "categories": [
            {"id": c.id, "name": c.name, "color": c.color, "shortcut": c.shortcut,
             "description": c.description, "position": c.position}
            for c in store.categories()
        ],
        "speakers": [{"id": s.id, "name": s.name, "role": s.role} for s in store.speakers()],
        "channels": [{"id": c.id, "name": c.name} for c in store.channels()],
        "annotators": sel.annotators,
        "spans": spans,
        "links": links,
        "reviews": reviews,
        "comments": comments,
    }


# One encoder for every record: json.dumps with options builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _c_encoder() -> Callable[[Any], str] | None:
    """The C encoder behind ``_ENCODER.encode``, called directly, or None where there is none.

    ``JSONEncoder.encode`` builds a new C encoder on every call; on 150,000 records that set-up
    was a fifth of the encoding time. Same options, so the same text; checked once here.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return None
    try:
        # No circular-reference markers: records are built from rows and json.loads, never cyclic.
        encode = make(None, _ENCODER.default, json.encoder.encode_basestring, None,
                      _ENCODER.key_separator, _ENCODER.item_separator, True, False, True)

        def compact(value: Any) -> str:
            return "".join(encode(value, 0))

        probe = {"b": [1, 2.5, None, True, "é\n\"\u2028"], "a": {"z": "", "y": -3}}
        return compact if compact(probe) == _ENCODER.encode(probe) else None
    except Exception:  # another Python's private API: fall back to the public one
        return None


_compact: Callable[[Any], str] = _c_encoder() or _ENCODER.encode


def dumps(value: dict[str, Any]) -> str:
    """The one JSON layout of every export: a top-level object with sorted keys, one record a line.

    Each top-level list puts one record on a line (indented by four spaces),
    so a diff of two exports shows which annotations changed, and the record
    is written by the json module's C encoder (an indented dump runs the
    pure-Python encoder, several times slower on 100,000 annotations).
    Non-ASCII text is written as UTF-8, not escaped; the file ends with a newline.
    """
    compact = _compact
    parts = ["{\n"]
    for n, key in enumerate(sorted(value)):
        item = value[key]
        parts.append(f",\n  {compact(key)}: " if n else f"  {compact(key)}: ")
        if isinstance(item, list) and item:
            parts.append("[\n    ")
            parts.append(",\n    ".join([compact(record) for record in item]))
            parts.append("\n  ]")
        else:
            parts.append(compact(item))
    parts.append("\n}\n")
    return "".join(parts)


# --------------------------------------------------------------------- W3C
_IRI_SAFE = re.compile(r"[A-Za-z0-9._~-]+")


def _iri(kind: str, ident: str) -> str:
    # Ids are nearly always hex or simple names; only others need percent-encoding.
    return f"urn:cisannotate:{kind}:{ident if _IRI_SAFE.fullmatch(ident) else url_quote(ident, safe='')}"


def _text_target(doc: Document, start: int, end: int) -> dict[str, Any]:
    quote = quote_at(doc.text, start, end)
    return {
        "source": f"urn:sha256:{doc.sha256}",
        "selector": [
            {"type": "TextQuoteSelector", "exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }


def _body(value: str, purpose: str, ident: str | None = None) -> dict[str, Any]:
    body = {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"}
    if ident is not None:
        body["id"] = ident
    return body


def _person(name: str) -> dict[str, str]:
    return {"type": "Person", "name": name}


def w3c_export(store: Store, *, annotator: str | None = None, progress: ProgressCheck | None = None) -> dict[str, Any]:
    """The annotations as a W3C Web Annotation collection (JSON-LD).

    One annotation per span (motivation "classifying" for a claim, "tagging"
    for a speaker tag, "highlighting" otherwise; each label is a body with its
    own purpose), one "linking" annotation per link (the article span first,
    the transcript range second), and one "replying" annotation per comment.
    Targets carry both a TextQuoteSelector and a TextPositionSelector on the
    document named by the SHA-256 of its text, which survives renaming.
    """
    sel = _select(store, annotator)
    return _w3c(store, sel, annotator, _Counter(sel.size("w3c"), progress))


def _w3c(store: Store, sel: _Selection, annotator: str | None, counter: _Counter) -> dict[str, Any]:
    docs = {d.id: d for d in sel.documents}
    categories = {c.id: c for c in store.categories()}
    speakers = {s.id: s for s in store.speakers()}
    channels = {c.id: c for c in store.channels()}
    spans_by_id = {s.id: s for s in sel.spans}
    items: list[dict[str, Any]] = []

    for span in sel.spans:
        bodies = []
        if span.category_id:
            bodies.append(_body(categories[span.category_id].name, "classifying",
                                _iri("category", span.category_id)))
        tagged = False
        if span.speaker_id:
            bodies.append(_body(speakers[span.speaker_id].name, "tagging", _iri("speaker", span.speaker_id)))
            tagged = True
        if span.mode:
            bodies.append(_body(span.mode, "tagging", _iri("mode", span.mode)))
            tagged = True
        if span.channel_id:
            bodies.append(_body(channels[span.channel_id].name, "tagging", _iri("channel", span.channel_id)))
            tagged = True
        if span.no_source:
            bodies.append(_body("no source in the transcript", "tagging", "urn:cisannotate:no-source"))
        if span.note:
            bodies.append(_body(span.note, "commenting"))
        motivation = "classifying" if span.category_id else "tagging" if tagged else "highlighting"
        item: dict[str, Any] = {
            "type": "Annotation",
            "id": _iri("span", span.id),
            "motivation": motivation,
            "creator": _person(span.annotator),
            "created": span.created,
            "modified": span.modified,
            "target": _text_target(docs[span.document_id], span.start, span.end),
        }
        if bodies:
            item["body"] = bodies
        items.append(item)
        counter.step()

    for link in sel.links:
        span = spans_by_id.get(link.span_id) or store.span(link.span_id)
        bodies = [_body(link.relation, "classifying", _iri("relation", link.relation))]
        if link.note:
            bodies.append(_body(link.note, "commenting"))
        items.append({
            "type": "Annotation",
            "id": _iri("link", link.id),
            "motivation": "linking",
            "creator": _person(link.annotator),
            "created": link.created,
            "modified": link.modified,
            "body": bodies,
            "target": [
                _text_target(docs[span.document_id], span.start, span.end),
                _text_target(docs[link.target_document_id], link.target_start, link.target_end),
            ],
        })
        counter.step()

    for comment in sel.comments:
        kind = "span" if comment.target_id in spans_by_id or store.has_span(comment.target_id) else "link"
        items.append({
            "type": "Annotation",
            "id": _iri("comment", comment.id),
            "motivation": "replying",
            "creator": _person(comment.author),
            "created": comment.created,
            "body": _body(comment.text, "replying"),
            "target": _iri(kind, comment.target_id),
        })
        counter.step()

    # The collection's id is derived from its items, so it is as stable as they are.
    digest = hashlib.sha256(_compact(items).encode("utf-8")).hexdigest()[:32]
    return {
        "@context": W3C_CONTEXT,
        "id": _iri("collection", digest),
        "type": "AnnotationCollection",
        "label": "cisannotate annotations" + (f" (layer {annotator})" if annotator else ""),
        "total": len(items),
        "items": items,
    }


# --------------------------------------------------------------------- CSV
def _lines_overlapping(lines: list[SourceLine], starts: list[int], start: int, end: int) -> list[int]:
    """Numbers of the (ordered, disjoint) source lines that overlap ``[start, end)``."""
    numbers = []
    at = bisect_left(starts, end) - 1
    while at >= 0 and lines[at].end > start:
        numbers.append(lines[at].number)
        at -= 1
    return numbers[::-1]


def csv_export(store: Store, *, annotator: str | None = None, progress: ProgressCheck | None = None) -> str:
    """One row per span and one per link, with the columns of ``CSV_COLUMNS``."""
    sel = _select(store, annotator)
    return _csv(store, sel, _Counter(sel.size("csv"), progress))


def _csv(store: Store, sel: _Selection, counter: _Counter) -> str:
    docs = {d.id: d for d in sel.documents}
    categories = {c.id: c.name for c in store.categories()}
    speakers = {s.id: s for s in store.speakers()}
    channels = {c.id: c.name for c in store.channels()}
    line_starts = {doc_id: [ln.start for ln in lines] for doc_id, lines in sel.lines.items()}
    spans_by_id = {s.id: s for s in sel.spans}

    def span_columns(span: Span) -> dict[str, Any]:
        doc = docs[span.document_id]
        speaker = speakers.get(span.speaker_id) if span.speaker_id else None
        return {
            "span_id": span.id,
            "document_id": doc.id,
            "document_title": doc.title,
            "outlet": doc.outlet,
            "date": doc.date,
            "event": doc.event,
            "start": span.start,
            "end": span.end,
            "quote": doc.text[span.start : span.end],
            "category": categories.get(span.category_id, "") if span.category_id else "",
            "speaker": speaker.name if speaker else "",
            "speaker_role": speaker.role if speaker else "",
            "mode": span.mode or "",
            "channel": channels.get(span.channel_id, "") if span.channel_id else "",
            "no_source": "true" if span.no_source else "false",
        }

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    for span in sel.spans:
        row = span_columns(span)
        row.update(record="span", id=span.id, note=span.note, layer=span.layer, annotator=span.annotator,
                   created=span.created, modified=span.modified)
        writer.writerow(row)
        counter.step()
    for link in sel.links:
        row = span_columns(spans_by_id.get(link.span_id) or store.span(link.span_id))
        target = docs[link.target_document_id]
        lines = sel.lines.get(target.id, [])
        row.update(
            record="link", id=link.id, note=link.note, layer=link.layer, annotator=link.annotator,
            created=link.created, modified=link.modified, relation=link.relation,
            target_document_id=target.id, target_title=target.title,
            target_start=link.target_start, target_end=link.target_end,
            target_lines=";".join(
                str(n) for n in _lines_overlapping(lines, line_starts.get(target.id, []),
                                                   link.target_start, link.target_end)
            ),
            target_text=target.text[link.target_start : link.target_end],
        )
        writer.writerow(row)
        counter.step()
    return out.getvalue()


# ---------------------------------------------------------------- writing
def render(store: Store, options: ExportOptions, progress: ProgressCheck | None = None) -> tuple[str, dict[str, int]]:
    """The export as text, with how many documents, spans and links it holds.

    Raises ExportCancelled when ``progress`` says stop.
    """
    if options.format not in FORMATS:
        raise ValueError(f"unknown export format {options.format!r} (expected one of {', '.join(FORMATS)})")
    sel = _select(store, options.annotator, rows=options.format == "json")
    # One more step than there are records: turning them into text, the last chance to cancel.
    counter = _Counter(sel.size(options.format) + 1, progress)
    if options.format == "json":
        body = dumps(_native(store, sel, options.with_text, options.annotator, counter))
    elif options.format == "w3c":
        body = dumps(_w3c(store, sel, options.annotator, counter))
    else:
        body = _csv(store, sel, counter)
    counter.step()
    return body, {"documents": len(sel.documents), "spans": len(sel.spans), "links": len(sel.links)}


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file in the same folder.

    A crash, a full disk or a cancelled export leaves the old file (or none),
    never half of a new one.
    """
    path = Path(path)
    handle = tempfile.NamedTemporaryFile(
        "wb", dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        # NamedTemporaryFile is private (0600); give the export the mode a new file would get.
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def export_project(
    store: Store, path: Path, options: ExportOptions, progress: ProgressCheck | None = None
) -> ExportSummary | None:
    """Export to ``path``; None (and no file) when ``progress`` cancels."""
    try:
        body, counts = render(store, options, progress)
    except ExportCancelled:
        return None
    write_atomic(Path(path), body)
    return ExportSummary(path=Path(path), format=options.format, **counts)

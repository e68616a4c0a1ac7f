"""Exporting a project's annotations: native JSON, W3C Web Annotation, tidy tables.

The native format (``{"format": "cisannotate", "version": 1, ...}``, described
by ``resources/schema/cisannotate-export-1.schema.json``) is what colleagues
exchange and ``cisannotate merge`` reads back. The W3C Web Annotation
collection is for other annotation tools; the tidy tables (``tables.py``) are
for analysis in pandas or R.

Building an export only reads through the Store. Two exports of the same
project are byte-identical: records are in a stable order, keys are sorted,
indentation is fixed and the body carries no export time, so exports can be
compared, diffed and pinned in tests. Writing is atomic: the file appears
complete or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
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
FORMATS = ("json", "w3c", "tables")
SUFFIXES = {"json": ".json", "w3c": ".jsonld", "tables": ".zip"}
# Earlier names of formats: "csv" was one mixed table of spans and links, now the tidy tables.
FORMAT_ALIASES = {"csv": "tables"}
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

ProgressCheck = Callable[[int, int], bool]
"""``(done, total) -> keep going?`` Returning False cancels: an export leaves no file, a merge writes nothing."""

# How often (in records) the progress callback hears from an export.
_REPORT_EVERY = 1000


class ExportCancelled(Exception):
    """The progress callback asked to stop; nothing is written."""


@dataclass(frozen=True)
class ExportOptions:
    format: str = "json"
    with_text: bool = False  # native format only: carry each document's text
    annotator: str | None = None  # limit the export to this layer
    excel: bool = False  # tables only: UTF-8 with a byte-order mark, formula-like cells quoted by default
    formula_cells: str | None = None  # tables only: "keep" or "quote" (default: quote for Excel, else keep)

    def __post_init__(self) -> None:
        object.__setattr__(self, "format", FORMAT_ALIASES.get(self.format, self.format))


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
    tuples of ``span_rows``/``link_rows``; for W3C and the tables they are Span and Link objects.
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
        return len(self.spans) + len(self.links) + len(self.comments) + len(self.reviews)


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

# Terms of cisannotate's own, for what the Web Annotation vocabulary has no word for: the layer
# an annotation belongs to and what a review decision compared. Defined inline (nothing to
# fetch), after the Web Annotation context, and none redefines one of its terms.
W3C_VOCAB = "urn:cisannotate:vocab:"
W3C_EXTENSION = {
    "layer": W3C_VOCAB + "layer",
    "itemA": {"@id": W3C_VOCAB + "itemA", "@type": "@id"},
    "itemB": {"@id": W3C_VOCAB + "itemB", "@type": "@id"},
    "result": {"@id": W3C_VOCAB + "result", "@type": "@id"},
}

# Languages written right to left (primary subtags); other texts are judged by their first letter.
_RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "syr", "ug", "ur", "yi"})


def text_direction(text: str, language: str = "") -> str | None:
    """"rtl" or "ltr": from the language tag when it says, else from the first strong character."""
    primary = language.split("-")[0].split("_")[0].lower()
    if primary in _RTL_LANGUAGES:
        return "rtl"
    for char in text[:2000]:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


class _Iris:
    """The export's ids: ``urn:cisannotate:PROJECT:KIND:ID``, unique to the project they come from."""

    def __init__(self, project_id: str) -> None:
        self.base = f"urn:cisannotate:{project_id}:"

    def __call__(self, kind: str, ident: str) -> str:
        # Ids are nearly always hex or simple names; only others need percent-encoding.
        return f"{self.base}{kind}:{ident if _IRI_SAFE.fullmatch(ident) else url_quote(ident, safe='')}"


def _source(doc: Document) -> dict[str, Any]:
    """The document as the source of a target: its URL when it has one, else its text's hash."""
    hashed = f"urn:sha256:{doc.sha256}"
    source: dict[str, Any] = {"id": doc.url or hashed, "type": "Text", "dcterms:identifier": hashed}
    if not doc.url:
        source["format"] = "text/plain"
    if doc.title:
        source["dcterms:title"] = doc.title
    if doc.language:
        source["language"] = doc.language
    direction = text_direction(doc.text, doc.language)
    if direction:
        source["textDirection"] = direction
    return source


def _text_target(
    doc: Document, start: int, end: int, ident: str | None = None, sources: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    quote = quote_at(doc.text, start, end)
    known = sources.get(doc.id) if sources is not None else None  # one description per document
    if known is not None:
        source = known
    else:
        source = _source(doc)
        if sources is not None:
            sources[doc.id] = source
    target: dict[str, Any] = {
        "type": "SpecificResource",
        "source": source,
        "selector": [
            {"type": "TextQuoteSelector", "exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
    }
    if ident is not None:
        target["id"] = ident
    return target


def _body(value: str, purpose: str, ident: str | None = None) -> dict[str, Any]:
    body = {"type": "TextualBody", "value": value, "purpose": purpose, "format": "text/plain"}
    if ident is not None:
        body["id"] = ident
    return body


def _person(name: str) -> dict[str, str]:
    return {"type": "Person", "name": name}


def w3c_export(store: Store, *, annotator: str | None = None, progress: ProgressCheck | None = None) -> dict[str, Any]:
    """The annotations as a W3C Web Annotation collection (JSON-LD).

    The collection holds its annotations in one AnnotationPage (``first``).
    One annotation per span (motivation "classifying" for a claim, "tagging"
    for a speaker tag, "highlighting" otherwise; each label is a body with its
    own purpose). A link is shaped as the model's linking examples: its target
    is the article span (the same resource, with the same id, as its claim's
    target), one body is the transcript range (a SpecificResource with purpose
    "linking") and another the relation (purpose "classifying"). A comment is
    a "replying" annotation on the annotation it answers; a review decision an
    "assessing" annotation on the items it settled. Every target names its
    document by URL when it has one, else by the SHA-256 of its text (kept as
    ``dcterms:identifier`` in both cases), with its title, language and text
    direction. Ids carry the project's id, so two projects' exports never
    share one; each annotation says its ``layer``.
    """
    sel = _select(store, annotator)
    return _w3c(store, sel, annotator, _Counter(sel.size("w3c"), progress))


def _w3c(store: Store, sel: _Selection, annotator: str | None, counter: _Counter) -> dict[str, Any]:
    iri = _Iris(store.project_id())
    docs = {d.id: d for d in sel.documents}
    categories = {c.id: c for c in store.categories()}
    speakers = {s.id: s for s in store.speakers()}
    channels = {c.id: c for c in store.channels()}
    spans_by_id = {s.id: s for s in sel.spans}
    items: list[dict[str, Any]] = []
    sources: dict[str, dict[str, Any]] = {}

    def span_target(span: Span) -> dict[str, Any]:
        return _text_target(docs[span.document_id], span.start, span.end, iri("span", span.id) + "#target", sources)

    for span in sel.spans:
        bodies = []
        if span.category_id:
            bodies.append(_body(categories[span.category_id].name, "classifying", iri("category", span.category_id)))
        tagged = False
        if span.speaker_id:
            bodies.append(_body(speakers[span.speaker_id].name, "tagging", iri("speaker", span.speaker_id)))
            tagged = True
        if span.mode:
            bodies.append(_body(span.mode, "tagging", iri("mode", span.mode)))
            tagged = True
        if span.channel_id:
            bodies.append(_body(channels[span.channel_id].name, "tagging", iri("channel", span.channel_id)))
            tagged = True
        if span.no_source:
            bodies.append(_body("no source in the transcript", "tagging", iri("flag", "no-source")))
        if span.note:
            bodies.append(_body(span.note, "commenting"))
        motivation = "classifying" if span.category_id else "tagging" if tagged else "highlighting"
        item: dict[str, Any] = {
            "type": "Annotation",
            "id": iri("span", span.id),
            "motivation": motivation,
            "creator": _person(span.annotator),
            "layer": span.layer,
            "created": span.created,
            "modified": span.modified,
            "target": span_target(span),
        }
        if bodies:
            item["body"] = bodies
        items.append(item)
        counter.step()

    for link in sel.links:
        span = spans_by_id.get(link.span_id) or store.span(link.span_id)
        source = _text_target(docs[link.target_document_id], link.target_start, link.target_end, sources=sources)
        source["purpose"] = "linking"
        bodies = [source, _body(link.relation, "classifying", iri("relation", link.relation))]
        if link.note:
            bodies.append(_body(link.note, "commenting"))
        items.append({
            "type": "Annotation",
            "id": iri("link", link.id),
            "motivation": "linking",
            "creator": _person(link.annotator),
            "layer": link.layer,
            "created": link.created,
            "modified": link.modified,
            "body": bodies,
            "target": span_target(span),
        })
        counter.step()

    def annotation_iri(ident: str) -> str:
        return iri("span" if ident in spans_by_id or store.has_span(ident) else "link", ident)

    for comment in sel.comments:
        items.append({
            "type": "Annotation",
            "id": iri("comment", comment.id),
            "motivation": "replying",
            "creator": _person(comment.author),
            "created": comment.created,
            "body": _body(comment.text, "replying"),
            "target": annotation_iri(comment.target_id),
        })
        counter.step()

    for review in sel.reviews:
        compared = {"itemA": review.item_a, "itemB": review.item_b}
        item = {
            "type": "Annotation",
            "id": iri("review", review.id),
            "motivation": "assessing",
            "creator": _person(review.reviewer),
            "layer": "reviewed",
            "created": review.created,
            "body": [_body(review.decision, "assessing")]
            + ([_body(review.comment, "commenting")] if review.comment else []),
            "target": [annotation_iri(i) for i in compared.values() if i],
        }
        item.update({key: annotation_iri(i) for key, i in compared.items() if i})
        if review.result_id:
            item["result"] = annotation_iri(review.result_id)
        items.append(item)
        counter.step()

    # The collection's id is derived from its items, so it is as stable as they are.
    digest = hashlib.sha256(_compact(items).encode("utf-8")).hexdigest()[:32]
    collection = iri("collection", digest)
    result: dict[str, Any] = {
        "@context": [W3C_CONTEXT, W3C_EXTENSION],
        "id": collection,
        "type": "AnnotationCollection",
        "label": "cisannotate annotations" + (f" (layer {annotator})" if annotator else ""),
        "total": len(items),
    }
    if items:  # a non-empty collection has exactly one first page; an empty one has none
        result["first"] = {"id": collection + ":page:1", "type": "AnnotationPage", "partOf": collection,
                           "startIndex": 0, "items": items}
    return result


def dumps_w3c(value: dict[str, Any]) -> str:
    """``dumps``'s layout for a collection: the page's annotations one a line, so diffs name them."""
    page = value.get("first")
    if not isinstance(page, dict) or not page.get("items"):
        return dumps(value)
    compact = _compact
    parts = ["{\n"]
    for n, key in enumerate(sorted(value)):
        parts.append(",\n" if n else "")
        if key != "first":
            parts.append(f"  {compact(key)}: {compact(value[key])}")
            continue
        parts.append(f"  {compact(key)}: {{\n")
        for m, field_name in enumerate(sorted(page)):
            parts.append(",\n" if m else "")
            if field_name == "items":
                parts.append(f"    {compact(field_name)}: [\n      ")
                parts.append(",\n      ".join([compact(item) for item in page["items"]]))
                parts.append("\n    ]")
            else:
                parts.append(f"    {compact(field_name)}: {compact(page[field_name])}")
        parts.append("\n  }")
    parts.append("\n}\n")
    return "".join(parts)


# ---------------------------------------------------------------- writing
def render(store: Store, options: ExportOptions, progress: ProgressCheck | None = None) -> tuple[str, dict[str, int]]:
    """The export as text, with how many documents, spans and links it holds (JSON and W3C).

    Raises ExportCancelled when ``progress`` says stop. The tables are several files:
    ``tables.render_tables`` makes them.
    """
    if options.format not in FORMATS:
        raise ValueError(f"unknown export format {options.format!r} (expected one of {', '.join(FORMATS)})")
    if options.format == "tables":
        raise ValueError("the tables are several files: use cisannotate.io.tables.render_tables")
    sel = _select(store, options.annotator, rows=options.format == "json")
    # One more step than there are records: turning them into text, the last chance to cancel.
    counter = _Counter(sel.size(options.format) + 1, progress)
    if options.format == "json":
        body = dumps(_native(store, sel, options.with_text, options.annotator, counter))
    else:
        body = dumps_w3c(_w3c(store, sel, options.annotator, counter))
    counter.step()
    return body, {"documents": len(sel.documents), "spans": len(sel.spans), "links": len(sel.links)}


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file in the same folder.

    A crash, a full disk or a cancelled export leaves the old file (or none),
    never half of a new one.
    """
    write_atomic_bytes(path, text.encode("utf-8"))


def write_atomic_bytes(path: Path, data: bytes) -> None:
    """``write_atomic`` for bytes."""
    path = Path(path)
    handle = tempfile.NamedTemporaryFile(
        "wb", dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
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
    """Export to ``path``; None (and no file) when ``progress`` cancels.

    The tables go to a folder, or to one file when ``path`` ends in .zip.
    """
    try:
        if options.format == "tables":
            from .tables import render_tables, write_tables

            files, counts = render_tables(store, annotator=options.annotator, excel=options.excel,
                                          formula_cells=options.formula_cells, progress=progress)
        else:
            body, counts = render(store, options, progress)
    except ExportCancelled:
        return None
    if options.format == "tables":
        write_tables(Path(path), files)
    else:
        write_atomic(Path(path), body)
    return ExportSummary(path=Path(path), format=options.format, **counts)

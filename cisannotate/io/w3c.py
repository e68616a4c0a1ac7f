"""The W3C Web Annotation export: a project's annotations as one JSON-LD collection.

For other annotation tools (the native format, ``exchange``, is what colleagues
exchange). Built only by reading through the Store; the same project always gives
the same bytes (``dumps_w3c``: sorted keys, one annotation a line).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any
from urllib.parse import quote as url_quote

from ..core.model import Document, Span
from ..core.text import quote_at
from ..storage import Store
from .jsonlayout import dumps, encode_record
from .selection import ProgressCheck, ProgressCounter, Selection, select

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"

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
    sel = select(store, annotator)
    return _w3c(store, sel, annotator, ProgressCounter(sel.size("w3c"), progress))


def _w3c(store: Store, sel: Selection, annotator: str | None, counter: ProgressCounter) -> dict[str, Any]:
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
    digest = hashlib.sha256(encode_record(items).encode("utf-8")).hexdigest()[:32]
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
    compact = encode_record
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

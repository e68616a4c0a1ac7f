"""Merging a colleague's exported annotations (the native JSON format) into a project.

A merge happens in three parts, and only the last step writes:

1. check (``merge_check``): ``parse`` and ``validate`` check the whole file on
   its own and name the place of the first problem, before anything is read
   from the project.
2. plan (here): read the project and decide what each record becomes.
   Documents are matched by the SHA-256 of their text, categories, speakers
   and channels by name; annotations on a corrected version of a text are
   re-anchored by their quotes. Every record kind then goes through the one
   settle step: an id already present is compared (identical: skipped;
   different: a conflict, and the project's version is kept), a record that
   could not be placed is listed, never moved by guesswork or dropped
   silently, and the rest is added. ``_write`` applies the plan in one
   transaction, so a failure leaves the project as it was.
3. report (``merge_report``): what was added, skipped, in conflict, not placed.

Merging the same file twice changes nothing the second time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..core.model import Category, Channel, Comment, Document, Link, Review, SourceLine, Span, Speaker, new_id, now
from ..core.text import OffsetError, Quote, anchor_quote, quote_at
from ..storage import Store
from ..storage import bulk
from ..storage.columns import chunked
from .merge_check import (  # noqa: F401  (the checks' names, as callers knew them)
    MAX_FILE_BYTES,
    OPTIONAL_FIELDS,
    RECORD_FIELDS,
    SURROGATE_ESCAPE,
    TOP_FIELDS,
    TOP_LISTS,
    parse,
    validate,
)
from .merge_check import _validate
from .merge_report import (  # noqa: F401
    REPORT_KINDS,
    Conflict,
    MergeCancelled,
    MergeError,
    MergeReport,
    ProgressCheck,
    Steps,
    Unplaceable,
    _shorten,
)

# ------------------------------------------------------------------ planning
@dataclass(frozen=True)
class _Place:
    """Where a document of the file lands in the project."""

    document_id: str | None  # None: nowhere (``reason`` says why)
    text: str
    title: str
    reanchor: bool = False  # a corrected version: place annotations by their quotes
    reason: str = ""


@dataclass
class _Plan:
    report: MergeReport = field(default_factory=MergeReport)
    documents: list[tuple[Document, list[SourceLine]]] = field(default_factory=list)
    categories: list[Category] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    annotators: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.documents) + len(self.spans) + len(self.links) + len(self.reviews) + len(self.comments)


def _free_document_id(sha: str, used: set[str]) -> str:
    """The project's id for a new text: its hash's first 16 digits, longer on the (unlikely) clash."""
    for length in range(16, 65, 4):
        if sha[:length] not in used:
            return sha[:length]
    raise MergeError(f"a document with the SHA-256 {sha} is already in the project")


def _corrected_version(candidates: list[Any], doc: dict) -> Any | None:
    """The one project document that ``doc`` is another version of (same file name, or same title)."""
    same_kind = [c for c in candidates if c.kind == doc["kind"]]
    for key in ("source_file", "title"):
        if doc[key]:
            found = [c for c in same_kind if getattr(c, key) == doc[key]]
            if len(found) == 1:
                return found[0]
    return None


def _plan_documents(store: Store, data: dict, plan: _Plan) -> dict[str, _Place]:
    project = store.documents()
    by_sha = {d.sha256: d for d in project}
    used_ids = {d.id for d in project}
    matched = {d["sha256"] for d in data["documents"]} & set(by_sha)
    # A project text that the file also holds unchanged is not "corrected" by another text of the file.
    candidates = [d for d in project if d.sha256 not in matched]
    places: dict[str, _Place] = {}
    for i, doc in enumerate(data["documents"]):
        title = doc["title"] or doc["source_file"] or doc["id"]
        existing = by_sha.get(doc["sha256"])
        if existing is not None:
            text = store.text(existing.id)
            if len(text) != doc["length"]:
                raise MergeError(
                    f"documents[{i}].length: the project's copy of this text has {len(text)} characters, "
                    f"not {doc['length']}"
                )
            places[doc["id"]] = _Place(existing.id, text, existing.title or title)
            plan.report.skipped["documents"] += 1
            continue
        if "text" not in doc:
            places[doc["id"]] = _Place(
                None, "", title,
                reason="its document is not in the project and the file does not carry its text "
                "(ask for an export made with --with-text)",
            )
            continue
        corrected = _corrected_version(candidates, doc)
        if corrected is not None:
            places[doc["id"]] = _Place(corrected.id, store.text(corrected.id), corrected.title or title, True)
            plan.report.notes.append(
                f"“{title}” in the file is another version of “{corrected.title}” in the project "
                f"({doc['sha256'][:12]}… vs {corrected.sha256[:12]}…): its annotations were placed by their quotes"
            )
            continue
        doc_id = _free_document_id(doc["sha256"], used_ids)
        used_ids.add(doc_id)
        document = Document(
            id=doc_id, kind=doc["kind"], title=doc["title"], text=doc["text"], sha256=doc["sha256"],
            outlet=doc["outlet"], date=doc["date"], event=doc["event"], language=doc["language"],
            url=doc["url"], source_file=doc["source_file"], notes=doc["notes"], extra=doc["extra"], created=now(),
        )
        lines = [
            SourceLine(doc_id, ln["number"], ln["start"], ln["end"], ln["paragraph"], ln["speaker"])
            for ln in doc["source_lines"]
        ]
        plan.documents.append((document, lines))
        plan.report.added["documents"] += 1
        places[doc["id"]] = _Place(doc_id, doc["text"], title)
    return places


def _plan_codebook(store: Store, data: dict, plan: _Plan) -> dict[str, dict[str, str]]:
    """Map the file's category, speaker and channel ids to the project's, matching by name."""
    maps: dict[str, dict[str, str]] = {"categories": {}, "speakers": {}, "channels": {}}
    report = plan.report

    categories = store.categories()
    by_name = {c.name: c.id for c in categories}
    used = {c.id for c in categories}
    keys = {c.shortcut.casefold() for c in categories if c.shortcut}
    position = max((c.position for c in categories), default=-1) + 1
    for record in data["categories"]:
        if record["name"] in by_name:
            maps["categories"][record["id"]] = by_name[record["name"]]
            report.skipped["categories"] += 1
            continue
        category_id = record["id"] if record["id"] not in used else new_id()
        shortcut = record["shortcut"]
        if shortcut and shortcut.casefold() in keys:
            report.notes.append(
                f"category “{record['name']}” was added without its key {shortcut!r}, which another category uses"
            )
            shortcut = ""
        keys.add(shortcut.casefold())
        plan.categories.append(Category(category_id, record["name"], record["color"], shortcut,
                                        record["description"], position))
        position += 1
        used.add(category_id)
        maps["categories"][record["id"]] = category_id
        report.added["categories"] += 1

    for key, existing_items, make in (
        ("speakers", store.speakers(), lambda r, i: Speaker(i, r["name"], r["role"])),
        ("channels", store.channels(), lambda r, i: Channel(i, r["name"])),
    ):
        by_name = {s.name: s.id for s in existing_items}
        used = {s.id for s in existing_items}
        for record in data[key]:
            if record["name"] in by_name:
                maps[key][record["id"]] = by_name[record["name"]]
                report.skipped[key] += 1
                continue
            item_id = record["id"] if record["id"] not in used else new_id()
            used.add(item_id)
            getattr(plan, key).append(make(record, item_id))
            maps[key][record["id"]] = item_id
            report.added[key] += 1
    return maps


def _differences(old: Any, new: Any, names: Iterable[str]) -> tuple[str, ...]:
    return tuple(n for n in names if getattr(old, n) != getattr(new, n))


# Fields that make two versions of an annotation different (quote and context follow from the offsets).
_SPAN_FIELDS = ("document_id", "start", "end", "category_id", "speaker_id", "mode", "channel_id", "note",
                "no_source", "layer", "annotator", "created", "modified")
_LINK_FIELDS = ("span_id", "target_document_id", "target_start", "target_end", "relation", "note", "layer",
                "annotator", "created", "modified")
_REVIEW_FIELDS = ("item_a", "item_b", "decision", "reviewer", "result_id", "comment", "created")
_COMMENT_FIELDS = ("target_id", "author", "text", "created")


def _locate(place: _Place, start: int, end: int, quote: Quote, where: str) -> tuple[str, int, int] | str:
    """The document and range an annotation takes in the project, or why it has none."""
    if place.document_id is None:
        return place.reason
    if place.reanchor:
        found = anchor_quote(place.text, quote, hint=start)
        if found is None:
            return f"its quote no longer occurs in the project's version of “{place.title}”"
        return place.document_id, found[0], found[1]
    if place.text[start:end] != quote.exact:
        raise MergeError(
            f"{where}: {json.dumps(_shorten(quote.exact))} is not the text at {start}-{end} of "
            f"“{place.title}” ({json.dumps(_shorten(place.text[start:end]))})"
        )
    return place.document_id, start, end


R = TypeVar("R")

# The record kinds the settle step handles: (kind in a Conflict or Unplaceable, list in the plan and report).
_SETTLED = {"span": "spans", "link": "links", "review": "reviews", "comment": "comments"}


def _settle(
    plan: _Plan,
    kind: str,
    record_id: str,
    old: R | None,
    new: R | None,
    fields: tuple[str, ...],
    *,
    unplaced: str = "",
    differs_when_unplaced: tuple[str, ...] = (),
    document: str = "",
    quote: str = "",
) -> bool:
    """Decide one record of the file, whatever its kind; True when it is added.

    ``old`` is the project's record with the same id (None: not in the project),
    ``new`` the record as it would be stored (None, or ``unplaced`` saying why,
    when it cannot be placed). The same id with other content is a conflict and
    the project's version is kept; the same content is skipped; a record that
    cannot be placed is listed, never guessed at.
    """
    key = _SETTLED[kind]
    report = plan.report
    if old is not None:
        differs = _differences(old, new, fields) if new is not None else differs_when_unplaced
        if differs:
            report.conflicts.append(Conflict(kind, record_id, differs))
        else:
            report.skipped[key] += 1
        return False
    if new is not None and not unplaced:
        getattr(plan, key).append(new)
        report.added[key] += 1
        return True
    report.unplaceable.append(Unplaceable(kind, record_id, document, quote, unplaced))
    return False


def _plan(store: Store, data: dict, steps: Steps) -> _Plan:
    plan = _Plan()
    report = plan.report
    places = _plan_documents(store, data, plan)
    maps = _plan_codebook(store, data, plan)
    steps.phase(1, len(data["spans"]) + len(data["links"]) + len(data["comments"]))

    known_annotators = set(store.annotators())
    names = list(data["annotators"])
    names += [r["annotator"] for r in data["spans"]] + [r["annotator"] for r in data["links"]]
    names += [r["reviewer"] for r in data["reviews"]] + [r["author"] for r in data["comments"]]
    for name in dict.fromkeys(names):
        if name not in known_annotators:
            plan.annotators.append(name)
            report.added["annotators"] += 1

    # Spans: placed by their offsets, or by their quotes on a corrected text.
    existing_spans = bulk.spans_by_id(store, (s["id"] for s in data["spans"]))
    present_spans: set[str] = set(existing_spans)  # span ids the project holds after the merge
    for i, record in enumerate(data["spans"]):
        steps.step()
        place = places[record["document_id"]]
        quote = Quote(record["quote"], record["prefix"], record["suffix"])
        located = _locate(place, record["start"], record["end"], quote, f"spans[{i}].quote")
        span = None
        if not isinstance(located, str):
            document_id, start, end = located
            context = quote_at(place.text, start, end)
            span = Span(
                id=record["id"], document_id=document_id, start=start, end=end,
                annotator=record["annotator"], quote=context.exact, prefix=context.prefix, suffix=context.suffix,
                category_id=maps["categories"].get(record["category_id"]),
                speaker_id=maps["speakers"].get(record["speaker_id"]),
                mode=record["mode"], channel_id=maps["channels"].get(record["channel_id"]),
                note=record["note"], no_source=record["no_source"], layer=record["layer"],
                created=record["created"], modified=record["modified"],
            )
        if _settle(plan, "span", record["id"], existing_spans.get(record["id"]), span, _SPAN_FIELDS,
                   unplaced=located if isinstance(located, str) else "", differs_when_unplaced=("document",),
                   document=place.title, quote=record["quote"]):
            present_spans.add(record["id"])
            report.reanchored += place.reanchor

    # Links: placed like spans, and only where their span is.
    file_spans = {s["id"] for s in data["spans"]}
    outside = {k["span_id"] for k in data["links"]} - file_spans
    present_spans |= set(bulk.spans_by_id(store, outside))
    existing_links = bulk.links_by_id(store, (k["id"] for k in data["links"]))
    present_links: set[str] = set(existing_links)
    for i, record in enumerate(data["links"]):
        steps.step()
        place = places[record["target_document_id"]]
        quote = Quote(record["target_quote"], record["target_prefix"], record["target_suffix"])
        located = _locate(place, record["target_start"], record["target_end"], quote, f"links[{i}].target_quote")
        if record["span_id"] not in present_spans:
            located = (
                "its span could not be placed" if record["span_id"] in file_spans
                else "its span is neither in the file nor in the project"
            )
        link = None
        if not isinstance(located, str):
            link = Link(
                id=record["id"], span_id=record["span_id"], target_document_id=located[0],
                target_start=located[1], target_end=located[2], relation=record["relation"],
                annotator=record["annotator"], note=record["note"], layer=record["layer"],
                created=record["created"], modified=record["modified"],
            )
        if _settle(plan, "link", record["id"], existing_links.get(record["id"]), link, _LINK_FIELDS,
                   unplaced=located if isinstance(located, str) else "", differs_when_unplaced=("target",),
                   document=place.title, quote=record["target_quote"]):
            present_links.add(record["id"])
            report.reanchored += place.reanchor

    # Reviews refer to spans by id only, so they need no placing.
    existing_reviews = bulk.reviews_by_id(store, (r["id"] for r in data["reviews"]))
    for record in data["reviews"]:
        review = Review(**record)
        _settle(plan, "review", review.id, existing_reviews.get(review.id), review, _REVIEW_FIELDS)

    # Comments belong to a span or link, which must be in the project after the merge.
    targets = {c["target_id"] for c in data["comments"]} - present_spans - present_links
    present_targets = set(bulk.spans_by_id(store, targets)) | set(bulk.links_by_id(store, targets))
    existing_comments = bulk.comments_by_id(store, (c["id"] for c in data["comments"]))
    file_annotations = file_spans | {k["id"] for k in data["links"]}
    for record in data["comments"]:
        steps.step()
        comment = Comment(**record)
        unplaced = ""
        if not (comment.target_id in present_spans or comment.target_id in present_links
                or comment.target_id in present_targets):
            unplaced = (
                "the annotation it comments on could not be placed" if comment.target_id in file_annotations
                else "the annotation it comments on is neither in the file nor in the project"
            )
        _settle(plan, "comment", comment.id, existing_comments.get(comment.id), comment, _COMMENT_FIELDS,
                unplaced=unplaced, quote=comment.text)
    return plan


# ------------------------------------------------------------------- writing
_WRITE_CHUNK = 5000


def _write(store: Store, plan: _Plan, steps: Steps) -> None:
    """Apply the plan in one transaction: all of it, or (on any failure or cancel) none of it."""
    steps.phase(2, plan.size)
    try:
        with store.atomic():
            for document, lines in plan.documents:
                store.add_document(document, lines)
                steps.step()
            for category in plan.categories:
                store.add_category(category)
            for speaker in plan.speakers:
                store.add_speaker(speaker)
            for channel in plan.channels:
                store.add_channel(channel)
            for name in plan.annotators:
                store.ensure_annotator(name)
            for spans in chunked(plan.spans, _WRITE_CHUNK):
                store.add_spans(spans)
                steps.step(len(spans))
            for links in chunked(plan.links, _WRITE_CHUNK):
                store.add_links(links)
                steps.step(len(links))
            if plan.reviews:
                bulk.add_reviews(store, plan.reviews)
            if plan.comments:
                bulk.add_comments(store, plan.comments)
            steps.step(len(plan.reviews) + len(plan.comments))
            # The last word before the commit: a cancel here still undoes everything.
            steps.finish()
    except (sqlite3.Error, OffsetError) as exc:
        raise MergeError(f"the project could not take the merge ({exc}); nothing was merged") from exc


# --------------------------------------------------------------------- entry
def merge_data(
    store: Store,
    data: Any,
    progress: ProgressCheck | None = None,
    before_write: Callable[[], None] | None = None,
    *,
    may_hold_surrogates: bool = True,
) -> MergeReport:
    """Merge an already-parsed export into ``store``.

    ``before_write`` is called once the file is checked and the merge would change
    the project, just before the write (the services take their backup there).
    """
    steps = Steps(progress)
    _validate(data, steps, may_hold_surrogates=may_hold_surrogates)
    plan = _plan(store, data, steps)
    if plan.report.changed:
        if before_write is not None:
            before_write()
        _write(store, plan, steps)
    else:
        steps.finish()
    return plan.report


def merge_bytes(
    store: Store, data: bytes, progress: ProgressCheck | None = None, before_write: Callable[[], None] | None = None
) -> MergeReport:
    return merge_data(store, parse(data), progress, before_write,
                      may_hold_surrogates=SURROGATE_ESCAPE.search(data) is not None)


def merge_file(
    store: Store, path: Path | str, progress: ProgressCheck | None = None, before_write: Callable[[], None] | None = None
) -> MergeReport:
    """Merge the export at ``path`` into ``store``; MergeError (nothing written) when it cannot be."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise MergeError(
                f"the file is too large ({size / 2**20:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise MergeError(f"cannot read the file ({exc.strerror or exc})") from exc
    return merge_bytes(store, data, progress, before_write)

"""The edit verbs without Qt: validate a request, build its operations, apply them, report Changes.

``Editor`` holds the store and the current annotator. Each verb returns an
``Edit`` (the undo label, the operations, and what the caller asked for: the
new span, the links) without touching the project; ``apply`` writes a list of
operations in one transaction and returns the ``Changes``. A request that
makes no sense raises ``EditRefused`` with the message for the user; a write
the project refuses raises ``ReadOnlyError`` or ``WriteFailed``, with nothing
written.

``Session`` is the thin Qt adapter over this: it keeps the undo stack and
announces ``changed``. Scripts and tests can edit a project with the editor
alone (``Editor(store, "amira").run(editor.add_span(...))``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .commands.ops import (
    AddComment,
    AddLink,
    AddReview,
    AddSpan,
    DeleteLink,
    DeleteSpan,
    Op,
    SetCategory,
    SetChannel,
    SetSpeaker,
    UpdateLink,
    UpdateSpan,
    apply_all,
)
from .core.changes import Changes
from .core.model import RELATIONS, Category, Channel, Comment, Link, Review, Span, Speaker, new_id, now
from .core.text import OffsetError, quote_at
from .storage import ProjectError, ReadOnlyError, Store

SPAN_FIELDS = frozenset({"category_id", "speaker_id", "mode", "channel_id", "note", "no_source", "start", "end"})
"""The fields of a span an edit may change."""


class EditRefused(ValueError):
    """The request cannot be carried out (nothing selected, ...); the message is for the user."""


class WriteFailed(Exception):
    """The project refused the write (rolled back: nothing changed); the message is for the user."""


@dataclass(frozen=True)
class Edit:
    """One undoable action: its label, its operations, and the value the verb hands back."""

    label: str
    ops: list[Op] = field(default_factory=list)
    result: Any = None


class Editor:
    def __init__(self, store: Store, annotator: str) -> None:
        self.store = store
        self.annotator = annotator
        self._unregistered: str | None = None
        if not store.read_only:
            self._register(annotator)

    def _register(self, name: str) -> None:
        """Record ``name`` among the project's annotators; while the project's full check is
        still running (storage/verify.py), with the first change (in the same thread as it:
        a write from anywhere else could fall inside a worker's transaction)."""
        if self.store.has_annotator(name):
            return
        verification = self.store.verification
        if verification is not None and not verification.passed:
            self._unregistered = name
            return
        self.store.ensure_annotator(name)

    def register_pending(self) -> None:
        """Write the annotator's name that waited for the project's check (nothing if none)."""
        if self._unregistered is not None:
            self.store.ensure_annotator(self._unregistered)
            self._unregistered = None

    # -------------------------------------------------------------- identity
    def set_annotator(self, name: str) -> bool:
        """Edits from now on are ``name``'s; False when the name is empty or unchanged."""
        name = name.strip()
        if not name or name == self.annotator:
            return False
        if not self.store.read_only:
            self._unregistered = None
            self._register(name)
        self.annotator = name
        return True

    # ------------------------------------------------------------- applying
    def apply(self, ops: list[Op]) -> Changes:
        """Write ``ops`` in one transaction; ReadOnlyError or WriteFailed with nothing written."""
        try:
            self.register_pending()
            return apply_all(self.store, ops)
        except ReadOnlyError:
            raise
        except ProjectError as exc:
            # The file failed its full check (storage/verify.py): nothing is written to it.
            raise WriteFailed(f"The change could not be saved: {exc}") from exc
        except (sqlite3.Error, OffsetError, KeyError) as exc:
            # The transaction was rolled back: the project is as it was before.
            raise WriteFailed(f"The change could not be saved: {exc}. Your earlier work is intact.") from exc

    def run(self, edit: Edit | None) -> Changes:
        """Apply an edit built by one of the verbs (None, an edit that changes nothing: no change)."""
        return self.apply(edit.ops) if edit is not None and edit.ops else Changes()

    # ------------------------------------------------------------------ spans
    def make_span(self, document_id: str, start: int, end: int, **fields: Any) -> Span:
        text = self.store.text(document_id)
        quote = quote_at(text, start, end)
        stamp = now()
        return Span(
            id=new_id(), document_id=document_id, start=start, end=end, annotator=self.annotator,
            layer=self.annotator, quote=quote.exact, prefix=quote.prefix, suffix=quote.suffix,
            created=stamp, modified=stamp, **fields,
        )

    def trimmed(self, document_id: str, start: int, end: int) -> tuple[int, int]:
        """The range without whitespace at either end: a selection's edges are never meant to include it."""
        text = self.store.text(document_id)
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    def _selection(self, document_id: str, start: int, end: int) -> tuple[int, int]:
        start, end = self.trimmed(document_id, start, end)
        if start >= end:
            raise EditRefused("Select some text first.")
        return start, end

    def add_span(self, document_id: str, start: int, end: int, **fields: Any) -> Edit:
        """Mark ``[start, end)`` (code points) with the given labels; the result is the new span."""
        start, end = self._selection(document_id, start, end)
        span = self.make_span(document_id, start, end, **fields)
        return Edit(f"Mark {self.span_label(span)}", [AddSpan(span)], span)

    def span_label(self, span: Span) -> str:
        if span.category_id:
            names = {c.id: c.name for c in self.store.categories()}
            return f"claim “{names.get(span.category_id, '?')}”"
        if span.speaker_id:
            return "speaker tag"
        return "span"

    def edit_span(self, span_id: str, *, label: str = "Edit annotation", **fields: Any) -> Edit | None:
        """Change some of ``SPAN_FIELDS``; None when nothing would change."""
        unknown = set(fields) - SPAN_FIELDS
        if unknown:
            raise TypeError(f"cannot edit {', '.join(sorted(unknown))} of a span")
        old = self.store.span(span_id)
        new = old.with_changes(**fields, modified=now())
        if (new.start, new.end) != (old.start, old.end):
            quote = quote_at(self.store.text(old.document_id), new.start, new.end)
            new = new.with_changes(quote=quote.exact, prefix=quote.prefix, suffix=quote.suffix)
        if new.with_changes(modified=old.modified) == old:
            return None
        return Edit(label, [UpdateSpan(old, new)], new)

    def delete_spans(self, span_ids: Iterable[str]) -> Edit:
        """Delete spans, each after its links (so undo brings the links back too)."""
        ops: list[Op] = []
        span_ids = list(dict.fromkeys(span_ids))
        for span_id in span_ids:
            ops.extend(DeleteLink(link) for link in self.store.links_for_span(span_id))
            ops.append(DeleteSpan(self.store.span(span_id)))
        label = "Delete annotation" if len(span_ids) == 1 else f"Delete {len(span_ids)} annotations"
        return Edit(label, ops)

    # ------------------------------------------------------------------ links
    def _new_link(self, span_id: str, target: tuple[str, int, int], relation: str, *, layer: str,
                  note: str = "", stamp: str) -> Link:
        doc, start, end = target
        return Link(
            id=new_id(), span_id=span_id, target_document_id=doc, target_start=start, target_end=end,
            relation=relation, annotator=self.annotator, layer=layer, note=note, created=stamp, modified=stamp,
        )

    def link(self, span_id: str, targets: Sequence[tuple[str, int, int]], relation: str, *, note: str = "") -> Edit:
        """Link an article span to transcript ranges (a source line, several, or part of one)."""
        if relation not in RELATIONS:
            raise ValueError(f"unknown relation {relation!r}")
        span = self.store.span(span_id)
        stamp = now()
        links = [
            self._new_link(span_id, target, relation, layer=span.layer or self.annotator, note=note, stamp=stamp)
            for target in targets
        ]
        ops: list[Op] = [AddLink(link) for link in links]
        if span.no_source:
            ops.insert(0, UpdateSpan(span, span.with_changes(no_source=False, modified=stamp)))
        label = f"Link as {relation}" if len(links) == 1 else f"Link to {len(links)} source lines as {relation}"
        return Edit(label, ops, links)

    def add_span_with_links(
        self, document_id: str, start: int, end: int, targets: Sequence[tuple[str, int, int]], relation: str,
        **fields: Any,
    ) -> Edit:
        """Mark a span and link it in one undoable step (accepting a suggestion for a fresh selection)."""
        if relation not in RELATIONS:
            raise ValueError(f"unknown relation {relation!r}")
        start, end = self._selection(document_id, start, end)
        span = self.make_span(document_id, start, end, **fields)
        ops: list[Op] = [AddSpan(span)]
        ops.extend(
            AddLink(self._new_link(span.id, target, relation, layer=self.annotator, stamp=span.created))
            for target in targets
        )
        return Edit(f"Mark and link as {relation}", ops, span)

    def edit_link(self, link_id: str, **fields: Any) -> Edit:
        old = self.store.link(link_id)
        new = old.with_changes(**fields, modified=now())
        return Edit("Edit link", [UpdateLink(old, new)], new)

    def delete_links(self, link_ids: Iterable[str]) -> Edit:
        ops: list[Op] = [DeleteLink(self.store.link(i)) for i in dict.fromkeys(link_ids)]
        return Edit("Delete link" if len(ops) == 1 else f"Delete {len(ops)} links", ops)

    def mark_no_source(self, span_id: str) -> Edit:
        """The claim has no source in the transcript: its links go, the flag is set."""
        span = self.store.span(span_id)
        ops: list[Op] = [DeleteLink(link) for link in self.store.links_for_span(span_id)]
        ops.append(UpdateSpan(span, span.with_changes(no_source=True, modified=now())))
        return Edit("Mark as having no source", ops)

    # --------------------------------------------------------------- codebook
    def save_category(self, category: Category) -> Edit:
        old = next((c for c in self.store.categories() if c.id == category.id), None)
        return Edit("Add category" if old is None else "Edit category", [SetCategory(old, category)], category)

    def delete_category(self, category_id: str) -> Edit:
        old = next(c for c in self.store.categories() if c.id == category_id)
        return Edit(f"Delete category “{old.name}”", [SetCategory(old, None)])

    def add_speaker(self, name: str, role: str = "") -> Edit:
        speaker = Speaker(id=new_id(), name=name.strip(), role=role.strip())
        return Edit(f"Add speaker {speaker.name}", [SetSpeaker(None, speaker)], speaker)

    def save_speaker(self, speaker: Speaker) -> Edit:
        old = next((s for s in self.store.speakers() if s.id == speaker.id), None)
        return Edit("Edit speaker", [SetSpeaker(old, speaker)], speaker)

    def add_channel(self, name: str) -> Edit:
        channel = Channel(id=new_id(), name=name.strip())
        return Edit(f"Add channel {channel.name}", [SetChannel(None, channel)], channel)

    # ----------------------------------------------------------------- review
    def add_comment(self, target_id: str, text: str) -> Edit:
        comment = Comment(id=new_id(), target_id=target_id, author=self.annotator, text=text.strip(), created=now())
        return Edit("Add comment", [AddComment(comment)], comment)

    def record_review(self, review: Review, ops: list[Op], label: str) -> Edit:
        return Edit(label, ops + [AddReview(review)], review)

"""The one object the window talks to: store, undo stack, and the current annotator.

Views never write to the store. They call a verb here; the verb validates,
builds the operations, applies them in one transaction, pushes them on the
undo stack, and announces ``changed(changes, initiator)`` so that every view
refreshes only what the change touched.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

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
from .commands.undo import StoreCommand
from .core.changes import Changes
from .core.model import (
    RELATIONS,
    Category,
    Channel,
    Comment,
    Link,
    Review,
    Span,
    Speaker,
    new_id,
    now,
)
from .core.text import OffsetError, quote_at
from .storage import ReadOnlyError, Store

_SPAN_FIELDS = {"category_id", "speaker_id", "mode", "channel_id", "note", "no_source", "start", "end"}


class Session(QObject):
    changed = Signal(object, object)  # Changes, initiator
    error = Signal(str)
    annotator_changed = Signal(str)

    def __init__(self, store: Store, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._annotator = annotator
        self.undo_stack = QUndoStack(self)
        if not store.read_only:
            store.ensure_annotator(annotator)

    # ---------------------------------------------------------------- identity
    @property
    def annotator(self) -> str:
        return self._annotator

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def set_annotator(self, name: str) -> None:
        name = name.strip()
        if not name or name == self._annotator:
            return
        if not self.read_only:
            self.store.ensure_annotator(name)
        self._annotator = name
        self.annotator_changed.emit(name)

    # -------------------------------------------------------------- execution
    def execute(self, text: str, ops: list[Op], initiator: object = None) -> bool:
        """Apply ``ops`` as one undoable action named ``text``."""
        if not ops:
            return False
        changes = self._run(ops, "do", initiator)
        if changes is None:
            return False
        self.undo_stack.push(StoreCommand(text, ops, lambda o, why: self._run(o, why, None)))
        return True

    def _run(self, ops: list[Op], why: str, initiator: object) -> Changes | None:
        try:
            changes = apply_all(self.store, ops)
        except ReadOnlyError as exc:
            self.error.emit(str(exc))
            return None
        except (sqlite3.Error, OffsetError, KeyError) as exc:
            # The transaction was rolled back: the project is as it was before.
            message = f"The change could not be saved: {exc}. Your earlier work is intact."
            if why != "do":
                # The undo history no longer matches the file; keep the file, drop the history.
                self.undo_stack.clear()
                message += " The undo history was cleared."
            self.error.emit(message)
            return None
        self.changed.emit(changes, initiator)
        return changes

    # ------------------------------------------------------------------ spans
    def make_span(self, document_id: str, start: int, end: int, **fields) -> Span:
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

    def add_span(self, document_id: str, start: int, end: int, *, initiator: object = None, **fields) -> Span | None:
        """Mark ``[start, end)`` (code points) with the given labels; returns the new span."""
        start, end = self.trimmed(document_id, start, end)
        if start >= end:
            self.error.emit("Select some text first.")
            return None
        span = self.make_span(document_id, start, end, **fields)
        label = self._span_label(span)
        return span if self.execute(f"Mark {label}", [AddSpan(span)], initiator) else None

    def _span_label(self, span: Span) -> str:
        if span.category_id:
            names = {c.id: c.name for c in self.store.categories()}
            return f"claim “{names.get(span.category_id, '?')}”"
        if span.speaker_id:
            return "speaker tag"
        return "span"

    def edit_span(self, span_id: str, *, label: str = "Edit annotation", initiator: object = None, **fields) -> bool:
        unknown = set(fields) - _SPAN_FIELDS
        if unknown:
            raise TypeError(f"cannot edit {', '.join(sorted(unknown))} of a span")
        old = self.store.span(span_id)
        new = old.with_changes(**fields, modified=now())
        if (new.start, new.end) != (old.start, old.end):
            quote = quote_at(self.store.text(old.document_id), new.start, new.end)
            new = new.with_changes(quote=quote.exact, prefix=quote.prefix, suffix=quote.suffix)
        if new.with_changes(modified=old.modified) == old:
            return False
        return self.execute(label, [UpdateSpan(old, new)], initiator)

    def delete_spans(self, span_ids: Iterable[str], initiator: object = None) -> bool:
        ops: list[Op] = []
        span_ids = list(dict.fromkeys(span_ids))
        for span_id in span_ids:
            ops.extend(DeleteLink(link) for link in self.store.links_for_span(span_id))
            ops.append(DeleteSpan(self.store.span(span_id)))
        label = "Delete annotation" if len(span_ids) == 1 else f"Delete {len(span_ids)} annotations"
        return self.execute(label, ops, initiator)

    # ------------------------------------------------------------------ links
    def link(
        self,
        span_id: str,
        targets: Sequence[tuple[str, int, int]],
        relation: str,
        *,
        note: str = "",
        initiator: object = None,
    ) -> list[Link]:
        """Link an article span to transcript ranges (a source line, several, or part of one)."""
        if relation not in RELATIONS:
            raise ValueError(f"unknown relation {relation!r}")
        span = self.store.span(span_id)
        stamp = now()
        links = [
            Link(
                id=new_id(), span_id=span_id, target_document_id=doc, target_start=start, target_end=end,
                relation=relation, annotator=self.annotator, layer=span.layer or self.annotator,
                note=note, created=stamp, modified=stamp,
            )
            for doc, start, end in targets
        ]
        ops: list[Op] = [AddLink(link) for link in links]
        if span.no_source:
            ops.insert(0, UpdateSpan(span, span.with_changes(no_source=False, modified=stamp)))
        label = f"Link as {relation}" if len(links) == 1 else f"Link to {len(links)} source lines as {relation}"
        return links if self.execute(label, ops, initiator) else []

    def add_span_with_links(
        self,
        document_id: str,
        start: int,
        end: int,
        targets: Sequence[tuple[str, int, int]],
        relation: str,
        *,
        initiator: object = None,
        **fields,
    ) -> Span | None:
        """Mark a span and link it in one undoable step (accepting a suggestion for a fresh selection)."""
        if relation not in RELATIONS:
            raise ValueError(f"unknown relation {relation!r}")
        start, end = self.trimmed(document_id, start, end)
        if start >= end:
            self.error.emit("Select some text first.")
            return None
        span = self.make_span(document_id, start, end, **fields)
        ops: list[Op] = [AddSpan(span)]
        for doc, t_start, t_end in targets:
            ops.append(AddLink(Link(
                id=new_id(), span_id=span.id, target_document_id=doc, target_start=t_start, target_end=t_end,
                relation=relation, annotator=self.annotator, layer=self.annotator,
                created=span.created, modified=span.created,
            )))
        return span if self.execute(f"Mark and link as {relation}", ops, initiator) else None

    def edit_link(self, link_id: str, *, initiator: object = None, **fields) -> bool:
        old = self.store.link(link_id)
        new = old.with_changes(**fields, modified=now())
        return self.execute("Edit link", [UpdateLink(old, new)], initiator)

    def delete_links(self, link_ids: Iterable[str], initiator: object = None) -> bool:
        ops: list[Op] = [DeleteLink(self.store.link(i)) for i in dict.fromkeys(link_ids)]
        return self.execute("Delete link" if len(ops) == 1 else f"Delete {len(ops)} links", ops, initiator)

    def mark_no_source(self, span_id: str, initiator: object = None) -> bool:
        """The claim has no source in the transcript: its links go, the flag is set."""
        span = self.store.span(span_id)
        ops: list[Op] = [DeleteLink(link) for link in self.store.links_for_span(span_id)]
        ops.append(UpdateSpan(span, span.with_changes(no_source=True, modified=now())))
        return self.execute("Mark as having no source", ops, initiator)

    # --------------------------------------------------------------- codebook
    def save_category(self, category: Category) -> bool:
        old = next((c for c in self.store.categories() if c.id == category.id), None)
        return self.execute("Add category" if old is None else "Edit category", [SetCategory(old, category)])

    def delete_category(self, category_id: str) -> bool:
        old = next(c for c in self.store.categories() if c.id == category_id)
        return self.execute(f"Delete category “{old.name}”", [SetCategory(old, None)])

    def add_speaker(self, name: str, role: str = "") -> Speaker | None:
        speaker = Speaker(id=new_id(), name=name.strip(), role=role.strip())
        return speaker if self.execute(f"Add speaker {speaker.name}", [SetSpeaker(None, speaker)]) else None

    def save_speaker(self, speaker: Speaker) -> bool:
        old = next((s for s in self.store.speakers() if s.id == speaker.id), None)
        return self.execute("Edit speaker", [SetSpeaker(old, speaker)])

    def add_channel(self, name: str) -> Channel | None:
        channel = Channel(id=new_id(), name=name.strip())
        return channel if self.execute(f"Add channel {channel.name}", [SetChannel(None, channel)]) else None

    # ----------------------------------------------------------------- review
    def add_comment(self, target_id: str, text: str) -> bool:
        comment = Comment(id=new_id(), target_id=target_id, author=self.annotator, text=text.strip(), created=now())
        return self.execute("Add comment", [AddComment(comment)])

    def record_review(self, review: Review, ops: list[Op], label: str) -> bool:
        return self.execute(label, ops + [AddReview(review)])

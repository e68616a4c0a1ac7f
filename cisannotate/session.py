"""The one object the window talks to: the Qt adapter over the editor.

Views never write to the store. They call a verb here; the verb asks the
``Editor`` (Qt-free: validate, build the operations, apply them in one
transaction), pushes the operations on the undo stack, and announces
``changed(changes, initiator)`` so that every view refreshes only what the
change touched. A refused request or a failed write is announced on ``error``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from .commands.ops import Op
from .commands.undo import StoreCommand
from .core.changes import Changes
from .core.model import Category, Channel, Link, Review, Span, Speaker
from .editor import Edit, EditRefused, Editor, WriteFailed
from .storage import ReadOnlyError, Store


class Session(QObject):
    changed = Signal(object, object)  # Changes, initiator
    error = Signal(str)
    annotator_changed = Signal(str)

    def __init__(self, store: Store, annotator: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.editor = Editor(store, annotator)
        self.undo_stack = QUndoStack(self)

    # ---------------------------------------------------------------- identity
    @property
    def annotator(self) -> str:
        return self.editor.annotator

    @property
    def read_only(self) -> bool:
        return self.store.read_only

    def set_annotator(self, name: str) -> None:
        if self.editor.set_annotator(name):
            self.annotator_changed.emit(self.editor.annotator)

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
            changes = self.editor.apply(ops)
        except ReadOnlyError as exc:
            self.error.emit(str(exc))
            return None
        except WriteFailed as exc:
            message = str(exc)
            if why != "do":
                # The undo history no longer matches the file; keep the file, drop the history.
                self.undo_stack.clear()
                message += " The undo history was cleared."
            self.error.emit(message)
            return None
        self.changed.emit(changes, initiator)
        return changes

    def _do(self, edit: Edit | None, initiator: object = None) -> bool:
        return edit is not None and self.execute(edit.label, edit.ops, initiator)

    def _result(self, edit: Edit, initiator: object = None) -> Any:
        return edit.result if self._do(edit, initiator) else None

    def _refused(self, exc: EditRefused) -> None:
        self.error.emit(str(exc))

    # ------------------------------------------------------------------ spans
    def make_span(self, document_id: str, start: int, end: int, **fields: Any) -> Span:
        return self.editor.make_span(document_id, start, end, **fields)

    def trimmed(self, document_id: str, start: int, end: int) -> tuple[int, int]:
        """The range without whitespace at either end: a selection's edges are never meant to include it."""
        return self.editor.trimmed(document_id, start, end)

    def add_span(self, document_id: str, start: int, end: int, *, initiator: object = None, **fields: Any) -> Span | None:
        """Mark ``[start, end)`` (code points) with the given labels; returns the new span."""
        try:
            edit = self.editor.add_span(document_id, start, end, **fields)
        except EditRefused as exc:
            self._refused(exc)
            return None
        return self._result(edit, initiator)

    def edit_span(self, span_id: str, *, label: str = "Edit annotation", initiator: object = None, **fields: Any) -> bool:
        return self._do(self.editor.edit_span(span_id, label=label, **fields), initiator)

    def delete_spans(self, span_ids: Iterable[str], initiator: object = None) -> bool:
        return self._do(self.editor.delete_spans(span_ids), initiator)

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
        return self._result(self.editor.link(span_id, targets, relation, note=note), initiator) or []

    def add_span_with_links(
        self,
        document_id: str,
        start: int,
        end: int,
        targets: Sequence[tuple[str, int, int]],
        relation: str,
        *,
        initiator: object = None,
        **fields: Any,
    ) -> Span | None:
        """Mark a span and link it in one undoable step (accepting a suggestion for a fresh selection)."""
        try:
            edit = self.editor.add_span_with_links(document_id, start, end, targets, relation, **fields)
        except EditRefused as exc:
            self._refused(exc)
            return None
        return self._result(edit, initiator)

    def edit_link(self, link_id: str, *, initiator: object = None, **fields: Any) -> bool:
        return self._do(self.editor.edit_link(link_id, **fields), initiator)

    def delete_links(self, link_ids: Iterable[str], initiator: object = None) -> bool:
        return self._do(self.editor.delete_links(link_ids), initiator)

    def mark_no_source(self, span_id: str, initiator: object = None) -> bool:
        """The claim has no source in the transcript: its links go, the flag is set."""
        return self._do(self.editor.mark_no_source(span_id), initiator)

    # --------------------------------------------------------------- codebook
    def save_category(self, category: Category) -> bool:
        return self._do(self.editor.save_category(category))

    def delete_category(self, category_id: str) -> bool:
        return self._do(self.editor.delete_category(category_id))

    def add_speaker(self, name: str, role: str = "") -> Speaker | None:
        return self._result(self.editor.add_speaker(name, role))

    def save_speaker(self, speaker: Speaker) -> bool:
        return self._do(self.editor.save_speaker(speaker))

    def add_channel(self, name: str) -> Channel | None:
        return self._result(self.editor.add_channel(name))

    # ----------------------------------------------------------------- review
    def add_comment(self, target_id: str, text: str) -> bool:
        return self._do(self.editor.add_comment(target_id, text))

    def record_review(self, review: Review, ops: list[Op], label: str) -> bool:
        return self._do(self.editor.record_review(review, ops, label))

"""A merge as one undoable step: Undo brings the project back to just before it, Redo after it.

A merge adds documents, codebook entries, annotations and links in one go; rather than
an inverse for each, the project is snapshotted before and after, and Undo and Redo
load the snapshot. The undo stack is linear, so when the merge is undone every later
step has been undone first and the project is as the merge left it.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from PySide6.QtGui import QUndoCommand

from ...core.changes import Changes
from ...session import Session
from ...storage.snapshot import load_snapshot, save_snapshot

ALL = Changes(corpus=True, codebook=True)


class MergeUndo:
    """Take the "before" snapshot now; ``push`` after the merge makes it one step on the undo stack."""

    def __init__(self, session: Session, name: str) -> None:
        self.session = session
        self.name = name
        self.folder = tempfile.TemporaryDirectory(prefix="cisannotate-merge-")
        self.before = save_snapshot(session.store.db.conn, Path(self.folder.name) / "before.sqlite")

    def discard(self) -> None:
        self.folder.cleanup()

    def push(self) -> None:
        after = save_snapshot(self.session.store.db.conn, Path(self.folder.name) / "after.sqlite")
        self.session.undo_stack.push(MergeCommand(self.session, f"Merge annotations from {self.name}",
                                                  self.before, after, self.folder))


class MergeCommand(QUndoCommand):
    def __init__(self, session: Session, text: str, before: Path, after: Path,
                 folder: tempfile.TemporaryDirectory) -> None:
        super().__init__(text)
        self.session = session
        self.before = before
        self.after = after
        self.folder = folder  # the snapshots live as long as the command
        self._skip_next_redo = True  # the merge itself was the first "redo"

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            return
        self._load(self.after, "redone")

    def undo(self) -> None:
        self._load(self.before, "undone")

    def _load(self, snapshot: Path, what: str) -> None:
        try:
            load_snapshot(self.session.store.db.conn, snapshot)
        except (OSError, sqlite3.Error) as exc:
            # The project was left as it was; the history no longer matches it.
            self.session.undo_stack.clear()
            self.session.error.emit(f"The merge could not be {what}: {exc}. The undo history was cleared.")
            return
        self.session.changed.emit(ALL, None)

"""One QUndoCommand type that runs a list of operations on the store."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from ..core.changes import Changes
from .ops import Op, inverse_all


class StoreCommand(QUndoCommand):
    """Redo applies ``ops``; undo applies their inverses.

    The session runs the first application itself, before pushing, so that a
    failed write never lands on the undo stack; ``redo`` skips that first call
    which QUndoStack.push makes.
    """

    def __init__(self, text: str, ops: list[Op], run: Callable[[list[Op], str], Changes | None]) -> None:
        super().__init__(text)
        self.ops = ops
        self._run = run
        self._skip_next_redo = True

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            return
        self._run(self.ops, "redo")

    def undo(self) -> None:
        self._run(inverse_all(self.ops), "undo")

"""Undoable edits: primitive operations (Qt-free) and the QUndoCommand that runs them."""

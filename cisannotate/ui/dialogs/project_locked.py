"""The question asked when a project is already open for editing elsewhere."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_open_read_only(message: str, parent: QWidget | None = None) -> bool:
    """Show why the project cannot be edited here; True if the user chooses to read it anyway.

    Opening read-only is offered rather than refused outright: a colleague
    looking at a project someone is editing, or a second window left open by
    mistake, still lets the user read (and compare, and export) their work.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, "Project already open", message, QMessageBox.StandardButton.Cancel, parent)
    box.setInformativeText(
        "Read-only, you can read and export everything, but not change it, "
        "so the two windows cannot undo each other's work."
    )
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(read_only)
    box.exec()
    return box.clickedButton() is read_only

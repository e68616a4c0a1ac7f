"""Key bindings that must read the same on every platform.

Qt's standard keys differ by platform: on X11 ``StandardKey.Redo`` already is
Ctrl+Shift+Z (and Ctrl+Y is free), elsewhere it may be Ctrl+Y. Listing the same
key twice on one action makes Qt refuse it as an ambiguous shortcut, so the
list is built once, without duplicates.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox


def unique_keys(*keys: QKeySequence | QKeySequence.StandardKey | str) -> list[QKeySequence]:
    """Every key sequence named (standard keys expanded for this platform), each once, in order."""
    result: list[QKeySequence] = []
    seen: set[str] = set()
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            sequences = QKeySequence.keyBindings(key)
        else:
            sequences = [QKeySequence(key)]
        for sequence in sequences:
            name = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if name and name not in seen:
                seen.add(name)
                result.append(sequence)
    return result


def redo_keys() -> list[QKeySequence]:
    """The platform's Redo plus Ctrl+Y and Ctrl+Shift+Z, which the documentation promises everywhere."""
    return unique_keys(QKeySequence.StandardKey.Redo, "Ctrl+Y", "Ctrl+Shift+Z")


def undo_keys() -> list[QKeySequence]:
    return unique_keys(QKeySequence.StandardKey.Undo, "Ctrl+Z")


def native(keys: list[QKeySequence]) -> str:
    """``keys`` as the user reads them, e.g. "Ctrl+Y, Ctrl+Shift+Z"."""
    return ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)


def is_plain_enter(event: QKeyEvent) -> bool:
    """Return or keypad Enter with no modifier (the keypad flag aside)."""
    plain = (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier) == Qt.KeyboardModifier.NoModifier
    return plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def close_button_box(dialog: QDialog) -> QDialogButtonBox:
    """A Close button that Enter never presses: in a walk-through Enter decides, it never closes."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    for button in buttons.buttons():
        button.setAutoDefault(False)
        button.setDefault(False)
    return buttons

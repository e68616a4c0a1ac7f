"""Small dialogs: the annotator's name, the keyboard shortcut list, an annotation's note."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)


class AnnotatorNameDialog(QDialog):
    """Asks who is annotating; the name is written into every annotation made."""

    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annotator name")
        self.setAccessibleName("Annotator name")
        explanation = QLabel(
            "Your name is stored with every annotation you make, and names your layer of "
            "annotations. Colleagues' layers are compared and merged by these names, so use the "
            "same name on every computer you work on.",
            self,
        )
        explanation.setWordWrap(True)
        explanation.setAccessibleName("Explanation")
        caption = QLabel("&Name", self)
        self.name_edit = QLineEdit(current, self)
        self.name_edit.setAccessibleName("Annotator name")
        self.name_edit.selectAll()
        caption.setBuddy(self.name_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("OK")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._validate)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(caption)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.buttons)
        self._validate()

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())

    def _validate(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name()))

    def accept(self) -> None:
        if self.name():
            super().accept()


def ask_annotator_name(parent: QWidget | None, current: str) -> str | None:
    """The annotator's name (blanks collapsed), or None when cancelled."""
    dialog = AnnotatorNameDialog(current, parent)
    try:
        return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def shortcut_text(shortcut: str) -> str:
    """A portable key sequence ("Ctrl+Z") as this platform writes it; other text as given."""
    sequence = QKeySequence.fromString(shortcut, QKeySequence.SequenceFormat.PortableText)
    if sequence.isEmpty() or sequence.toString(QKeySequence.SequenceFormat.PortableText) != shortcut:
        return shortcut
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut, grouped by section, with a search box.

    ``rows`` are (section, action, shortcut, description); sections are listed
    in the order they first appear.
    """

    def __init__(self, rows: Iterable[tuple[str, str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        sections: dict[str, list[tuple[str, str, str]]] = {}
        for section, action, shortcut, description in rows:
            sections.setdefault(section, []).append((action, shortcut, description))
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search shortcuts…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search shortcuts")
        self.search_edit.textChanged.connect(self.set_filter)

        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Shortcuts")
        self.table.setColumnCount(3)
        self.table.setHeaderLabels(["Action", "Shortcut", "Description"])
        self.table.setRootIsDecorated(False)
        self.table.setItemsExpandable(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(True)
        for section, entries in sections.items():
            group = QTreeWidgetItem(self.table, [section])
            group.setFirstColumnSpanned(True)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for action, shortcut, description in entries:
                item = QTreeWidgetItem(group, [action, shortcut_text(shortcut), description])
                item.setData(1, Qt.ItemDataRole.AccessibleTextRole, shortcut_text(shortcut))
                item.setToolTip(2, description)
        self.table.expandAll()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(620, 480)
        self.search_edit.setFocus()

    def set_filter(self, text: str) -> None:
        """Show rows whose action, shortcut, description or section contains ``text``."""
        needle = text.strip().casefold()
        for g in range(self.table.topLevelItemCount()):
            group = self.table.topLevelItem(g)
            section_matches = needle in group.text(0).casefold()
            shown = 0
            for r in range(group.childCount()):
                item = group.child(r)
                haystack = " ".join(item.text(c) for c in range(3)).casefold()
                visible = section_matches or needle in haystack
                item.setHidden(not visible)
                shown += visible
            group.setHidden(shown == 0)

    def visible_actions(self) -> list[str]:
        """The actions currently listed, in order (what a search leaves)."""
        actions = []
        for g in range(self.table.topLevelItemCount()):
            group = self.table.topLevelItem(g)
            if not group.isHidden():
                actions.extend(
                    group.child(r).text(0) for r in range(group.childCount()) if not group.child(r).isHidden()
                )
        return actions


class NoteDialog(QDialog):
    """Edit an annotation's note. Enter starts a new line; Ctrl+Enter saves."""

    def __init__(self, note: str, quote: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Note")
        self.setAccessibleName("Edit note")
        layout = QVBoxLayout(self)
        if quote:
            shown = " ".join(quote.split())
            context = QLabel(f"“{shown[:200]}{'…' if len(shown) > 200 else ''}”", self)
            context.setWordWrap(True)
            context.setAccessibleName("Annotated text")
            layout.addWidget(context)
        self.editor = QPlainTextEdit(note, self)
        self.editor.setAccessibleName("Note")
        self.editor.setAccessibleDescription("Ctrl+Enter saves the note, Escape cancels")
        self.editor.setTabChangesFocus(True)
        self.editor.installEventFilter(self)
        self.editor.moveCursor(QTextCursor.MoveOperation.End)
        hint = QLabel("Ctrl+Enter saves, Esc cancels.", self)
        hint.setAccessibleName("Hint")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName("Save note")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        # Enter in the text is a new line, never a click on Save.
        buttons.button(QDialogButtonBox.StandardButton.Save).setAutoDefault(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.editor, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(460, 260)
        self.editor.setFocus()

    def note(self) -> str:
        return self.editor.toPlainText().strip()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if modifiers == Qt.KeyboardModifier.ControlModifier and event.key() in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                self.accept()
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def ask(parent: QWidget | None, note: str, quote: str = "") -> str | None:
        """The edited note, or None when cancelled."""
        dialog = NoteDialog(note, quote, parent)
        try:
            return dialog.note() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

"""The Comments panel: the review thread of the annotation selected in the text.

Colleagues discuss an annotation here instead of overwriting its note: each
comment keeps its author and time, and adding one is an undoable action like
any other edit. The panel follows the workspace's current span.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...session import Session
from .annotation_rows import local_time, one_line
from .review_panel import action_button

QUOTE_LIMIT = 60


class CommentsPanel(QWidget):
    """Lists ``store.comments(span_id)`` and holds the text of the next comment."""

    message = Signal(str)  # a hint for the status bar

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.span_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Comments heading")
        layout.addWidget(self.heading)
        self.comment_list = QListWidget(self)
        self.comment_list.setAccessibleName("Comments on the selected annotation")
        self.comment_list.setWordWrap(True)
        self.comment_list.setAlternatingRowColors(True)
        layout.addWidget(self.comment_list, 1)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName("New comment")
        self.editor.setPlaceholderText("Write a comment, then press Ctrl+Shift+M to add it")
        self.editor.setTabChangesFocus(True)
        self.editor.setMaximumHeight(self.fontMetrics().height() * 5)
        layout.addWidget(self.editor)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        self.show_span("")

    def add_action_button(self, action: QAction) -> QToolButton:
        button = action_button(action, self)
        self.buttons.addWidget(button)
        return button

    def show_span(self, span_id: str) -> None:
        """Show the thread of ``span_id`` ("" for none)."""
        self.span_id = span_id if span_id and self.session.store.has_span(span_id) else ""
        self.refresh()

    def refresh(self) -> None:
        self.comment_list.clear()
        store = self.session.store
        if not self.span_id:
            self.heading.setText("Select an annotation to read and add review comments.")
            self.editor.setEnabled(False)
            return
        span = store.span(self.span_id)
        comments = store.comments(self.span_id)
        self.heading.setText(
            f"{len(comments)} comment{'s' if len(comments) != 1 else ''} on “{one_line(span.quote, QUOTE_LIMIT)}” "
            f"({span.layer})"
        )
        for comment in comments:
            item = QListWidgetItem(f"{comment.author} · {local_time(comment.created)}\n{comment.text}")
            item.setData(Qt.ItemDataRole.UserRole, comment.id)
            item.setToolTip(comment.created)
            self.comment_list.addItem(item)
        if comments:
            self.comment_list.scrollToBottom()
        self.editor.setEnabled(not self.session.read_only)

    def on_changed(self, changes: Changes) -> None:
        if changes.comments or (self.span_id and self.span_id in changes.spans) or changes.corpus:
            self.show_span(self.span_id)

    def submit(self) -> bool:
        """Add the typed comment to the current annotation's thread; focus the box when there is nothing to add."""
        text = self.editor.toPlainText().strip()
        if not self.span_id:
            self.message.emit("Select an annotation first, then add a comment to it.")
            return False
        if not text:
            self.editor.setFocus()
            self.message.emit("Type the comment, then press Ctrl+Shift+M again to add it.")
            return False
        if self.session.add_comment(self.span_id, text):
            self.editor.clear()
            return True
        return False

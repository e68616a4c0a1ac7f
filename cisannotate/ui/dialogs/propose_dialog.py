"""Pre-annotation: the article's proposed quotations and reported speech, one at a time.

Each proposal is selected in the article; Enter (or Y) accepts it as a claim with its
speaker, mode and channel (adding a speaker or channel the codebook lacks, in the same
undoable step), N or Delete rejects it, → or S skips, ← or Backspace goes back,
Ctrl+Z undoes, Esc closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...proposals import Proposed, Proposer, accept_ops
from ..common.i18n import tr, trf
from ..common.keys import close_button_box
from .proposal_words import describe

if TYPE_CHECKING:
    from ...session import Session
    from ..document.workspace import Workspace


class ProposeHost(Protocol):
    """What the dialog needs of the linking feature that opens it."""

    session: Session
    workspace: Workspace

ACCEPTED, REJECTED = "Accepted", "Rejected"


class ProposeDialog(QDialog):
    def __init__(self, linking: ProposeHost, article_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.linking = linking
        self.session = linking.session
        self.article_id = article_id
        self.setWindowTitle("Proposed quotations and attributions")
        self.setAccessibleName("Proposed quotations")
        self.resize(720, 480)
        self.items: list[Proposed] = Proposer(self.session.store).propose(
            article_id, layer=self.session.annotator)
        self.index = 0
        self.decisions: dict[int, str] = {}
        self.history: list[int] = []  # accepted proposals, in the order of the undo stack

        layout = QVBoxLayout(self)
        self.position = QLabel(self)
        self.position.setAccessibleName("Proposal position")
        layout.addWidget(self.position)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Proposed claim")
        self.text.setStyleSheet("font-size: 12pt; padding: 6px; border: 1px solid palette(mid)")
        layout.addWidget(self.text)
        self.details = QLabel(self)
        self.details.setAccessibleName("Speaker, mode and channel")
        layout.addWidget(self.details)
        self.list = QListWidget(self)
        self.list.setAccessibleName("All proposals")
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._row_chosen)
        layout.addWidget(self.list, 1)
        help_text = QLabel("Enter or Y: accept · N or Delete: reject · S or →: skip · "
                           "Backspace or ←: back · Ctrl+Z: undo · Esc: close", self)
        help_text.setWordWrap(True)
        layout.addWidget(help_text)
        layout.addWidget(close_button_box(self))

        QShortcut(QKeySequence("Y"), self, self.accept_current)
        QShortcut(QKeySequence("N"), self, self.reject_current)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self, self.reject_current)
        QShortcut(QKeySequence("S"), self, lambda: self.go(1))
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, lambda: self.go(1))
        QShortcut(QKeySequence(Qt.Key.Key_Backspace), self, lambda: self.go(-1))
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, lambda: self.go(-1))
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        for row, item in enumerate(self.items):
            self.list.addItem(QListWidgetItem(self._label(row, item)))
        self.show_current()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_current()
            event.accept()
            return
        super().keyPressEvent(event)

    def _label(self, row: int, item: Proposed) -> str:
        mark = self.decisions.get(row, "")
        text = item.proposal.text if len(item.proposal.text) < 110 else item.proposal.text[:107] + "…"
        return f"{row + 1}. {describe(item)}{' · ' + tr(mark) if mark else ''}\n{text}"

    def show_current(self) -> None:
        if not self.items:
            self.position.setText("No quotations or reported speech found in this article "
                                  "(or all are marked already).")
            return
        item = self.items[self.index]
        self.position.setText(f"Proposal {self.index + 1} of {len(self.items)} · "
                              f"{sum(d == ACCEPTED for d in self.decisions.values())} accepted")
        self.text.setText(item.proposal.text)
        state = tr(self.decisions.get(self.index, "not yet decided"))
        frame = " · " + trf("frame: “%1”", item.proposal.frame) if item.proposal.frame else ""
        self.details.setText(f"{describe(item)}{frame} · {state}")
        for row in range(self.list.count()):
            self.list.item(row).setText(self._label(row, self.items[row]))
        self.list.blockSignals(True)
        self.list.setCurrentRow(self.index)
        self.list.blockSignals(False)
        view = self.linking.workspace.article.view
        view.select_range(item.start, item.end)
        view.scroll_to(item.start, item.end)

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self.items) and row != self.index:
            self.index = row
            self.show_current()

    def go(self, step: int) -> None:
        if self.items:
            self.index = max(0, min(len(self.items) - 1, self.index + step))
            self.show_current()

    def accept_current(self) -> None:
        if not self.items or self.decisions.get(self.index) == ACCEPTED:
            return
        item = self.items[self.index]
        ops = accept_ops(item, self.session.make_span, self.session.store)
        if self.session.execute(f"Accept proposed {item.mode}", ops):
            self.history.append(self.index)
            self._decided(ACCEPTED)

    def reject_current(self) -> None:
        if self.items:
            self._decided(REJECTED)

    def _decided(self, what: str) -> None:
        self.decisions[self.index] = what
        if self.index < len(self.items) - 1:
            self.index += 1
        self.show_current()

    def undo(self) -> None:
        stack = self.session.undo_stack
        if stack.canUndo():
            stack.undo()
            if self.history:
                self.index = self.history.pop()
                self.decisions.pop(self.index, None)
            self.show_current()

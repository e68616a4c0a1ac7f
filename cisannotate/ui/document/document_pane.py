"""One side of the workspace: a document's header, its text view and a find bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.model import DocumentSummary, SourceLine, Span
from .line_index import LineIndex
from .stored_spans import StoredSpans
from .text_view import TextView

FIND_COLOR = QColor(255, 200, 0, 120)


class FindBar(QWidget):
    """Find in the shown document (Ctrl+F), case-insensitive, with next and previous."""

    def __init__(self, pane: "DocumentPane") -> None:
        super().__init__(pane)
        self.pane = pane
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Find in this document…")
        self.edit.setAccessibleName("Find in document")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setAccessibleName("Number of matches")
        previous = QToolButton(self, text="↑", toolTip="Previous match (Shift+Enter)")
        previous.setAccessibleName("Previous match")
        following = QToolButton(self, text="↓", toolTip="Next match (Enter)")
        following.setAccessibleName("Next match")
        close = QToolButton(self, text="✕", toolTip="Close (Esc)")
        close.setAccessibleName("Close find bar")
        for widget in (self.edit, self.count, previous, following, close):
            layout.addWidget(widget)
        self.edit.textChanged.connect(self._search)
        self.edit.returnPressed.connect(lambda: self.step(1))
        QShortcut(QKeySequence("Shift+Return"), self.edit, lambda: self.step(-1))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close_bar)
        previous.clicked.connect(lambda: self.step(-1))
        following.clicked.connect(lambda: self.step(1))
        close.clicked.connect(self.close_bar)
        self.hits: list[int] = []
        self.current = -1
        self.hide()

    def open_bar(self) -> None:
        self.show()
        start, end = self.pane.view.selection()
        if end > start and end - start < 100:
            self.edit.setText(self.pane.view.text[start:end])
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.pane.view.set_marks([])
        self.pane.view.setFocus()

    def _search(self, needle: str) -> None:
        text = self.pane.view.text
        self.hits = []
        folded_needle = needle.casefold()
        folded = text.casefold()
        if folded_needle and len(folded) == len(text):
            at = folded.find(folded_needle)
            while at != -1 and len(self.hits) < 10_000:
                self.hits.append(at)
                at = folded.find(folded_needle, at + 1)
        elif folded_needle:
            # casefold changed the length (e.g. ß): fall back to a plain lower-case search
            lowered = text.lower()
            at = lowered.find(needle.lower())
            while at != -1 and len(self.hits) < 10_000:
                self.hits.append(at)
                at = lowered.find(needle.lower(), at + 1)
        self.current = -1
        self.pane.view.set_marks([(h, h + len(needle), FIND_COLOR) for h in self.hits[:2000]])
        self.count.setText(f"{len(self.hits)} found" if needle else "")
        if self.hits:
            self.step(1)

    def step(self, direction: int) -> None:
        if not self.hits:
            return
        self.current = (self.current + direction) % len(self.hits)
        start = self.hits[self.current]
        self.pane.view.select_range(start, start + len(self.edit.text()))
        self.pane.view.scroll_to(start)
        self.count.setText(f"{self.current + 1} of {len(self.hits)}")


class DocumentPane(QWidget):
    """Header (title, outlet, date), the text, and for transcripts a chooser of transcript."""

    transcript_chosen = Signal(str)

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.document: DocumentSummary | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        header = QHBoxLayout()
        header.setContentsMargins(6, 4, 6, 0)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.title.setAccessibleName(f"{role} title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        header.addWidget(self.title, 1)
        self.chooser = QComboBox(self)
        self.chooser.setAccessibleName(f"Choose the {role.lower()}")
        self.chooser.setToolTip("Transcripts to read this article against")
        # The pane's width is the documents', not the longest transcript title's.
        self.chooser.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(14)
        self.chooser.hide()
        self.chooser.activated.connect(lambda i: self.transcript_chosen.emit(self.chooser.itemData(i)))
        header.addWidget(self.chooser)
        layout.addLayout(header)
        self.meta = QLabel(self)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.meta.setContentsMargins(6, 0, 6, 2)
        self.meta.setWordWrap(True)  # a long outlet or file name must not widen the pane
        self.meta.setAccessibleName(f"{role} details")
        palette = self.meta.palette()
        palette.setColor(self.meta.foregroundRole(), palette.placeholderText().color())
        self.meta.setPalette(palette)
        layout.addWidget(self.meta)
        self.view = TextView(self)
        self.view.setAccessibleName(f"{role} text")
        layout.addWidget(self.view, 1)
        self.find_bar = FindBar(self)
        layout.addWidget(self.find_bar)
        self.show_empty(f"No {role.lower()} to show")

    @property
    def document_id(self) -> str | None:
        return self.document.id if self.document else None

    def show_document(self, summary: DocumentSummary, text: str, lines: list[SourceLine] | LineIndex,
                      spans: list[Span] | StoredSpans) -> None:
        self.document = summary
        self.title.setText(summary.title)
        details = [summary.kind.capitalize(), summary.outlet, summary.date]
        if summary.kind == "transcript":
            details.append(f"{summary.source_lines} source lines")
        details.append(summary.source_file)
        self.meta.setText(" · ".join(d for d in details if d))
        self.view.set_content(text, lines, spans)

    def show_empty(self, message: str) -> None:
        self.document = None
        self.title.setText(message)
        self.meta.setText("")
        self.view.set_content("")

    def set_choices(self, documents: list[DocumentSummary], current: str | None, *, always: bool = False) -> None:
        """Offer ``documents`` in the chooser (shown when there is a choice, or ``always``); none chosen if None."""
        self.chooser.clear()
        for doc in documents:
            self.chooser.addItem(f"{doc.title[:40]} ({doc.date or doc.event or doc.kind})", doc.id)
        self.chooser.setVisible(len(documents) > 1 or (always and bool(documents)))
        index = self.chooser.findData(current) if current is not None else -1
        self.chooser.setCurrentIndex(index)
        if index < 0:
            self.chooser.setPlaceholderText("Choose a transcript…")

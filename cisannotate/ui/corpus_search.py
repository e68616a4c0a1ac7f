"""Find across the corpus (Ctrl+Shift+F): SQLite full-text search, hits listed with their context.

Choosing a hit opens its document (an article beside its transcript) and
selects the words found.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ..session import Session

CONTEXT = 48  # characters shown either side of a hit
LIMIT = 500

_Role = Qt.ItemDataRole.UserRole


class CorpusSearch(QWidget):
    hit_chosen = Signal(str, int, int)  # document id, start, end (code points)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Words to find in every document…")
        self.query.setClearButtonEnabled(True)
        self.query.setAccessibleName("Find in corpus")
        self.results = QListWidget(self)
        self.results.setAccessibleName("Hits in the corpus")
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.status = QLabel(self)
        self.status.setAccessibleName("Number of hits")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.query)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        # Search as the user types, once they pause; Enter searches at once.
        self._timer = QTimer(self, singleShot=True, interval=350)
        self._timer.timeout.connect(self.run)
        self.query.textEdited.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self._enter)
        self.results.itemActivated.connect(self._activate)
        self.results.itemClicked.connect(self._activate)

    def focus_query(self) -> None:
        self.query.setFocus()
        self.query.selectAll()

    def _enter(self) -> None:
        self._timer.stop()
        self.run()
        if self.results.count():
            self.results.setCurrentRow(0)
            self._activate(self.results.item(0))

    def run(self) -> int:
        """Search for the query; returns the number of hits listed."""
        self.results.clear()
        query = self.query.text().strip()
        if not query:
            self.status.clear()
            return 0
        store = self.session.store
        hits = store.search(query, limit=LIMIT)
        titles = {d.id: d.title or d.source_file or d.id for d in store.documents()}
        texts: dict[str, str] = {}
        for document_id, start, end in hits:
            text = texts.setdefault(document_id, store.text(document_id))
            before = text[max(0, start - CONTEXT):start].replace("\n", " ")
            after = text[end:end + CONTEXT].replace("\n", " ")
            item = QListWidgetItem(f"{titles.get(document_id, document_id)}\n…{before}[{text[start:end]}]{after}…")
            item.setData(_Role, (document_id, start, end))
            self.results.addItem(item)
        documents = len({h[0] for h in hits})
        more = f" (the first {LIMIT})" if len(hits) >= LIMIT else ""
        self.status.setText(f"{len(hits)} hits in {documents} documents{more}" if hits else "No hits")
        return len(hits)

    def _activate(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            document_id, start, end = item.data(_Role)
            self.hit_chosen.emit(document_id, start, end)

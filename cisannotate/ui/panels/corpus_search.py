"""Find across the corpus (Ctrl+Shift+F): a keyword-in-context concordance.

The query language (inflected forms, ``prefix*``, phrases, ``NEAR(a b, N)``, ``OR``,
or a regular expression) is ``core/search_query.py``'s; the hits come from
``cisannotate.search.concordance``, as for ``cisannotate search``. Lines are
aligned on the keyword; a click on a column heading sorts by the words to its left,
the keyword, the words to its right, or the document; the counts per outlet and
kind sit above; Export writes the concordance as CSV. Choosing a line opens its
document (an article beside its transcript) with the words selected.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ...session import Session

if TYPE_CHECKING:
    from ...core import kwic  # imported where used: the window builds this panel at start, a search comes later

LIMIT = 2000
CONTEXT = 60
COLUMNS = ("Left", "Keyword", "Right", "Document")
SORT_OF_COLUMN = ("left", "keyword", "right", "document")
KINDS = (("All documents", None), ("Articles", "article"), ("Transcripts", "transcript"))

_Role = Qt.ItemDataRole.UserRole


class CorpusSearch(QWidget):
    hit_chosen = Signal(str, int, int)  # document id, start, end (code points)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.lines: list[kwic.Line] = []
        self.order = "corpus"
        self.query = QLineEdit(self)
        self.query.setPlaceholderText('Find in the corpus: colour revolution, revolution*, NEAR(west conflicts, 5)…')
        self.query.setClearButtonEnabled(True)
        self.query.setAccessibleName("Find in corpus")
        self.query.setToolTip(
            "Words are found in every inflected form, as a phrase (line breaks do not matter).\n"
            "word*  words beginning so\n"
            "NEAR(a b, N)  all the words within N words of each other\n"
            "A OR B  either\n"
            "With 'Regular expression' ticked, the query is a regular expression (case-insensitive).")
        self.regex = QCheckBox("Re&gular expression", self)
        self.regex.setAccessibleName("The query is a regular expression")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of document to search")
        for label, _kind in KINDS:
            self.kind.addItem(label)
        self.export = QPushButton("Export CS&V…", self)
        self.export.setAccessibleName("Export the concordance as CSV")
        self.export.setEnabled(False)
        self.status = QLabel(self)
        self.status.setAccessibleName("Number of hits")
        self.status.setWordWrap(True)
        self.results = QTableWidget(0, len(COLUMNS), self)
        self.results.setAccessibleName("Hits in the corpus")
        self.results.setHorizontalHeaderLabels(COLUMNS)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setWordWrap(False)
        self.results.setAlternatingRowColors(True)
        self.results.verticalHeader().hide()
        self.results.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.results.setShowGrid(False)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self._sort_by)

        options = QHBoxLayout()
        options.addWidget(self.query, 1)
        options.addWidget(self.regex)
        options.addWidget(self.kind)
        options.addWidget(self.export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(options)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        # Search as the user types, once they pause; Enter searches at once.
        self._timer = QTimer(self, singleShot=True, interval=350)
        self._timer.timeout.connect(self.run)
        self.query.textEdited.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self._enter)
        self.regex.toggled.connect(lambda _on: self.run())
        self.kind.currentIndexChanged.connect(lambda _i: self.run())
        self.export.clicked.connect(self.export_csv)
        self.results.itemActivated.connect(self._activate)
        self.results.itemClicked.connect(self._activate)

    def focus_query(self) -> None:
        self.query.setFocus()
        self.query.selectAll()

    def _enter(self) -> None:
        self._timer.stop()
        self.run()
        if self.results.rowCount():
            self.results.selectRow(0)
            self._activate(self.results.item(0, 0))

    def run(self) -> int:
        """Search for the query; returns the number of hits listed."""
        self.lines = []
        query = self.query.text().strip()
        if not query:
            self.status.clear()
            self._fill()
            return 0
        from ...search import QueryError, concordance

        try:
            result = concordance(self.session.store, query, regex=self.regex.isChecked(), limit=LIMIT,
                                 kind=KINDS[self.kind.currentIndex()][1], context=CONTEXT)
        except QueryError as exc:
            self.status.setText(f"Cannot search: {exc}")
            self._fill()
            return 0
        self.lines = result.lines
        if self.lines:
            more = f" (the first {LIMIT}; refine the query for the rest)" if result.truncated else ""
            self.status.setText(result.counts.words() + more)
        else:
            self.status.setText("No hits")
        self._fill()
        return len(self.lines)

    def _sort_by(self, column: int) -> None:
        self.order = SORT_OF_COLUMN[column]
        self.results.horizontalHeader().setSortIndicator(column, Qt.SortOrder.AscendingOrder)
        self._fill()

    def _fill(self) -> None:
        from ...core import kwic

        lines = kwic.ordered(self.lines, self.order)
        self.results.setRowCount(0)
        self.results.setRowCount(len(lines))
        bold = QFont(self.font())
        bold.setBold(True)
        for row, ln in enumerate(lines):
            cells = (ln.left, ln.keyword, ln.right, ln.title)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_Role, (ln.document_id, ln.start, ln.end))
                if column == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                elif column == 1:
                    item.setFont(bold)
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if column == 3:
                    item.setToolTip(f"{ln.title}\n{ln.outlet or kwic.NO_OUTLET} · {ln.kind} · {ln.date}")
                self.results.setItem(row, column, item)
        self.export.setEnabled(bool(lines))

    def export_csv(self, path: Path | None = None) -> Path | None:
        """Write the concordance, in its current order, as CSV (asks where when ``path`` is None)."""
        from ...core import kwic

        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "Export the concordance", "concordance.csv",
                                                  "CSV (*.csv)")
            if not name:
                return None
            path = Path(name)
        from ...io.exchange import write_atomic

        try:
            # For a spreadsheet: with a byte-order mark, so Excel reads Cyrillic as such.
            write_atomic(path, kwic.to_csv(kwic.ordered(self.lines, self.order), excel=True))
        except OSError as exc:
            QMessageBox.warning(self, "Export the concordance", f"{path}: cannot write ({exc.strerror or exc})")
            return None
        return path

    def _activate(self, item: QTableWidgetItem | None) -> None:
        if item is not None:
            document_id, start, end = item.data(_Role)
            self.hit_chosen.emit(document_id, start, end)

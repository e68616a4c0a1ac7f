"""The corpus navigator's model: events, and under each its documents, read from summaries.

A table model over the ``Store.documents()`` summaries instead of one
QStandardItem per cell: an archive of 50,000 documents would otherwise build
250,000 items before the window shows, and rebuild them after each import.
Here a row is computed when the view asks for it (only the rows on screen),
and the navigator's filter compares the text once folded per document.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ...core.model import TRANSCRIPT, DocumentSummary
from ..common.i18n import tr

COLUMNS = ("Title", "Kind", "Outlet", "Date", "Annotations")
COL_TITLE, COL_KIND, COL_OUTLET, COL_DATE, COL_ANNOTATIONS = range(len(COLUMNS))

NO_EVENT = "No event"

DOC_ID_ROLE = Qt.ItemDataRole.UserRole
EVENT_ROLE = Qt.ItemDataRole.UserRole + 1

# The kind as a marker that reads without colour or icons and fits a narrow panel:
# a filled square for the source transcript, an open one for an article (the words
# are its tooltip and what a screen reader says).
KIND_LABELS = {TRANSCRIPT: "■", "article": "□"}
KIND_NAMES = {TRANSCRIPT: "Transcript", "article": "Article"}
# Shown at first: what fits a panel of 250 pixels. Outlet and date are in each title's
# tooltip; a right click on the header shows or hides any column.
HIDDEN_AT_FIRST = (COL_OUTLET, COL_DATE)
HEADERS = ("Title", "Kind", "Outlet", "Date", "#")  # the count's header is short; its tooltip says what it counts

_EVENT = 0  # internal id of an event row; a document row's is its event's row + 1
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FONT = Qt.ItemDataRole.FontRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CorpusModel(QAbstractItemModel):
    """Two levels: event rows (title "event (n)", total annotations), document rows under them."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._events: list[str] = []
        self._documents: list[list[DocumentSummary]] = []
        self._totals: list[int] = []
        self._where: dict[str, tuple[int, int]] = {}  # document id -> (event row, row)
        self._haystacks: list[list[str]] | None = None  # per event, per document: built by the first filter
        self._bold = QFont()
        self._bold.setBold(True)

    def set_groups(self, groups: list[tuple[str, list[DocumentSummary]]]) -> None:
        self.beginResetModel()
        self._events = [event for event, _ in groups]
        self._documents = [documents for _, documents in groups]
        self._totals = [sum(d.annotations for d in documents) for documents in self._documents]
        self._where = {d.id: (e, r) for e, documents in enumerate(self._documents) for r, d in enumerate(documents)}
        self._haystacks = None
        self.endResetModel()

    # ----------------------------------------------------------------- lookups
    def event_at(self, row: int) -> str:
        return self._events[row]

    def document_index(self, doc_id: str) -> QModelIndex:
        """The document's row (title column), invalid when it is not in the corpus."""
        place = self._where.get(doc_id)
        if place is None:
            return QModelIndex()
        return self.createIndex(place[1], COL_TITLE, place[0] + 1)

    def document_count(self) -> int:
        return len(self._where)

    def haystack(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> str:
        """What the filter looks in, case folded: an event's key, or a document's title, kind, outlet and date."""
        if not parent.isValid():
            return (self._events[row] or NO_EVENT).casefold()
        if self._haystacks is None:
            self._haystacks = [
                ["\n".join((self._title(d), KIND_LABELS.get(d.kind, d.kind), d.outlet, d.date)).casefold()
                 for d in documents]
                for documents in self._documents
            ]
        return self._haystacks[parent.row()][row]

    # ------------------------------------------------------------------- model
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _EVENT) if row < len(self._events) else QModelIndex()
        if parent.internalId() != _EVENT or row >= len(self._documents[parent.row()]):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _EVENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, COL_TITLE, _EVENT)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self._events)
        if parent.internalId() == _EVENT and parent.column() == COL_TITLE:
            return len(self._documents[parent.row()])
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return len(COLUMNS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == _DISPLAY:
            return tr(HEADERS[section])
        if role == _TOOLTIP and section == COL_ANNOTATIONS:
            return tr("Annotations")
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY):
        if not index.isValid():
            return None
        column = index.column()
        if index.internalId() == _EVENT:
            return self._event_data(index.row(), column, role)
        return self._document_data(self._documents[index.internalId() - 1][index.row()], column, role)

    # ----------------------------------------------------------------- the rows
    @staticmethod
    def _title(doc: DocumentSummary) -> str:
        return doc.title or doc.source_file or doc.id

    def _event_data(self, row: int, column: int, role: int):
        event, documents = self._events[row], self._documents[row]
        if role == _DISPLAY:
            if column == COL_TITLE:
                return f"{event or NO_EVENT} ({len(documents)})"
            return str(self._totals[row]) if column == COL_ANNOTATIONS else ""
        if column == COL_TITLE:
            if role == EVENT_ROLE:
                return event
            if role == _FONT:
                return self._bold
            if role == _TOOLTIP:
                transcripts = sum(1 for d in documents if d.kind == TRANSCRIPT)
                return (f"{event or NO_EVENT}: {transcripts} transcript(s), "
                        f"{len(documents) - transcripts} article(s), {self._totals[row]} annotation(s)")
        if role == _ALIGN and column == COL_ANNOTATIONS:
            return _RIGHT
        return None

    def _document_data(self, doc: DocumentSummary, column: int, role: int):
        if role == _DISPLAY:
            if column == COL_TITLE:
                return self._title(doc)
            if column == COL_KIND:
                return KIND_LABELS.get(doc.kind, doc.kind)
            if column == COL_OUTLET:
                return doc.outlet
            if column == COL_DATE:
                return doc.date
            return str(doc.annotations)
        if column == COL_TITLE:
            if role == DOC_ID_ROLE:
                return doc.id
            if role == _FONT:
                return self._bold if doc.kind == TRANSCRIPT else None
            if role == _TOOLTIP:
                described = " · ".join(v for v in (KIND_NAMES.get(doc.kind, doc.kind), doc.outlet, doc.date) if v)
                return (f"{doc.title}\n{described}\n{doc.source_file}\n{doc.length:,} characters, "
                        f"{doc.annotations} annotations, {doc.links} links"
                        + (f", {doc.source_lines} source lines" if doc.kind == TRANSCRIPT else ""))
        if column == COL_KIND:
            if role in (_ACCESSIBLE, _TOOLTIP):
                return KIND_NAMES.get(doc.kind, doc.kind)
            if role == _ALIGN:
                return _CENTER
        if role == _ALIGN and column == COL_ANNOTATIONS:
            return _RIGHT
        return None

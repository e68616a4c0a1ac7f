"""The corpus navigator's model: events, and under each its documents, read from summaries.

A table model over the ``Store.documents()`` summaries instead of one
QStandardItem per cell: an archive of 50,000 documents would otherwise build
250,000 items before the window shows, and rebuild them after each import.
Here a row is computed when the view asks for it (only the rows on screen).

The model filters itself: the rows it has are the events and documents that match
the filter text, found by one pass over the documents' fields folded once (a few
milliseconds for 50,000), instead of a filter proxy asking Python about each row.
"""

from __future__ import annotations

from bisect import bisect_left
from operator import itemgetter

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
    """Two levels: event rows (title "event (n)", total annotations), document rows under them.

    Only the events and documents that match the filter (``set_filter``) are rows.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._events: list[str] = []
        self._documents: list[list[DocumentSummary]] = []
        self._totals: list[int] = []
        self._haystacks: list[list[str]] | None = None  # per event, per document: built by the first filter
        self._needle = ""
        # The rows: (event number, the numbers of its documents shown, or None for all of them)
        self._shown: list[tuple[int, list[int] | None]] = []
        self._where: dict[str, tuple[int, int]] | None = None  # document id -> (event, number); lazily
        self._bold = QFont()
        self._bold.setBold(True)

    def set_groups(self, groups: list[tuple[str, list[DocumentSummary]]]) -> None:
        self.beginResetModel()
        self._events = [event for event, _ in groups]
        self._documents = [documents for _, documents in groups]
        self._totals = [sum(d.annotations for d in documents) for documents in self._documents]
        self._haystacks = None
        self._shown = self._matching(self._needle)
        self._where = None
        self.endResetModel()

    def update_summaries(self, summaries: list[DocumentSummary]) -> None:
        """New counts for these documents (their fields, which place and filter them, are the same)."""
        events: set[int] = set()
        for summary in summaries:
            place = self._place(summary.id)
            if place is None:
                continue
            e, n = place
            self._documents[e][n] = summary
            events.add(e)
        for e in events:
            self._totals[e] = sum(d.annotations for d in self._documents[e])
        last = len(COLUMNS) - 1
        for row, (e, _rows) in enumerate(self._shown):
            if e in events:
                event = self.createIndex(row, 0, _EVENT)
                self.dataChanged.emit(event, event.siblingAtColumn(last))
                count = self._count(row)
                if count:
                    self.dataChanged.emit(self.createIndex(0, 0, row + 1), self.createIndex(count - 1, last, row + 1))

    def set_filter(self, text: str) -> bool:
        """Keep the documents whose title, kind, outlet or date contains ``text`` (case-insensitive),
        and every document of an event whose key contains it. False when nothing changed."""
        needle = text.strip().casefold()
        if needle == self._needle:
            return False
        narrower = bool(self._needle) and self._needle in needle  # only the rows shown can still match
        shown = self._matching(needle, self._shown if narrower else None)
        self.beginResetModel()
        self._needle, self._shown = needle, shown
        self.endResetModel()
        return True

    @property
    def filter_text(self) -> str:
        return self._needle

    def _matching(self, needle: str, among: list[tuple[int, list[int] | None]] | None = None):
        if not needle:
            return [(e, None) for e in range(len(self._events))]
        haystacks = self._folded()
        shown: list[tuple[int, list[int] | None]] = []
        for e, rows in among if among is not None else ((e, None) for e in range(len(self._events))):
            if needle in (self._events[e] or NO_EVENT).casefold():
                shown.append((e, None))  # a matching event keeps all its documents
                continue
            hay = haystacks[e]
            found = [r for r, h in enumerate(hay) if needle in h] if rows is None else \
                [r for r in rows if needle in hay[r]]
            if found:
                shown.append((e, found))
        return shown

    def prepare_filter(self) -> None:
        """Fold the documents' fields and map every document's place now (the window does it
        once it is up), not at the first key."""
        self._folded()
        if self._where is None:
            self._where = {d.id: (e, n) for e, documents in enumerate(self._documents) for n, d in enumerate(documents)}

    def _folded(self) -> list[list[str]]:
        if self._haystacks is None:
            # An event's fields folded in one call (NUL, which no field holds, between documents).
            title, kinds = self._title, KIND_LABELS
            self._haystacks = []
            for documents in self._documents:
                fields = [f"{title(d)}\n{kinds.get(d.kind, d.kind)}\n{d.outlet}\n{d.date}" for d in documents]
                folded = "\0".join(fields).casefold().split("\0")
                self._haystacks.append(folded if len(folded) == len(fields) else [f.casefold() for f in fields])
        return self._haystacks

    def _docs(self, row: int) -> tuple[list[DocumentSummary], list[int] | None]:
        e, rows = self._shown[row]
        return self._documents[e], rows

    def _doc(self, row: int, child: int) -> DocumentSummary:
        documents, rows = self._docs(row)
        return documents[child if rows is None else rows[child]]

    def _count(self, row: int) -> int:
        documents, rows = self._docs(row)
        return len(documents) if rows is None else len(rows)

    # ----------------------------------------------------------------- lookups
    def event_at(self, row: int) -> str:
        return self._events[self._shown[row][0]]

    def document_index(self, doc_id: str) -> QModelIndex:
        """The document's row (title column), invalid when it is not among the rows."""
        place = self._place(doc_id)
        if place is None:
            return QModelIndex()
        e, number = place
        row = bisect_left(self._shown, e, key=itemgetter(0))  # the rows keep the events' order
        if row == len(self._shown) or self._shown[row][0] != e:
            return QModelIndex()  # its event is left out by the filter
        rows = self._shown[row][1]
        if rows is None:
            return self.createIndex(number, COL_TITLE, row + 1)
        child = bisect_left(rows, number)
        if child == len(rows) or rows[child] != number:
            return QModelIndex()  # left out by the filter
        return self.createIndex(child, COL_TITLE, row + 1)

    def _place(self, doc_id: str) -> tuple[int, int] | None:
        """(event, number) of the document. Before the map of every document is built (at
        idle, ``prepare_filter``), one look by scanning: the window's first selection does
        not wait for a map of 50,000 documents."""
        if self._where is not None:
            return self._where.get(doc_id)
        for e, documents in enumerate(self._documents):
            for n, d in enumerate(documents):
                if d.id == doc_id:
                    return e, n
        return None

    def in_corpus(self, doc_id: str) -> bool:
        """Whether the document is in the corpus, shown or left out by the filter."""
        return self._place(doc_id) is not None

    def document_count(self) -> int:
        return sum(len(documents) for documents in self._documents)

    def widest(self, column: int) -> list[str]:
        """The texts of ``column`` that may be the widest, for sizing it: its distinct values within two
        characters of the longest (at most 200 of them), so a few are measured instead of every row."""
        if column == COL_ANNOTATIONS:
            values = {str(t) for t in self._totals} | {str(d.annotations) for ds in self._documents for d in ds}
        elif column == COL_KIND:
            values = set(KIND_LABELS.values())
        elif column == COL_OUTLET:
            values = {d.outlet for ds in self._documents for d in ds}
        elif column == COL_DATE:
            values = {d.date for ds in self._documents for d in ds}
        else:
            return []
        longest = max((len(v) for v in values), default=0)
        return sorted(v for v in values if len(v) >= longest - 2)[:200]

    # ------------------------------------------------------------------- model
    def index(self, row: int, column: int, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:
        if column < 0 or column >= len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _EVENT) if row < len(self._shown) else QModelIndex()
        if parent.internalId() != _EVENT or parent.column() != COL_TITLE or row >= self._count(parent.row()):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _EVENT:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, COL_TITLE, _EVENT)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        if not parent.isValid():
            return len(self._shown)
        if parent.internalId() == _EVENT and parent.column() == COL_TITLE:
            return self._count(parent.row())
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
        return self._document_data(self._doc(index.internalId() - 1, index.row()), column, role)

    # ----------------------------------------------------------------- the rows
    @staticmethod
    def _title(doc: DocumentSummary) -> str:
        return doc.title or doc.source_file or doc.id

    def _event_data(self, row: int, column: int, role: int):
        e = self._shown[row][0]
        event, documents = self._events[e], self._documents[e]
        if role == _DISPLAY:
            if column == COL_TITLE:
                return f"{event or NO_EVENT} ({len(documents)})"
            return str(self._totals[e]) if column == COL_ANNOTATIONS else ""
        if column == COL_TITLE:
            if role == EVENT_ROLE:
                return event
            if role == _FONT:
                return self._bold
            if role == _TOOLTIP:
                transcripts = sum(1 for d in documents if d.kind == TRANSCRIPT)
                return (f"{event or NO_EVENT}: {transcripts} transcript(s), "
                        f"{len(documents) - transcripts} article(s), {self._totals[e]} annotation(s)")
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

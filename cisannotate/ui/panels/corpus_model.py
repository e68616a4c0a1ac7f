"""The corpus navigator's model: events, and under each its documents, read a part at a time.

A table model instead of one QStandardItem per cell, whose rows are computed when the
view asks for them (only the rows on screen). It does not hold the corpus: the events
and their counts come from one grouped query (``storage.listing.CorpusListing``), and
an event's documents are read when the view first asks for them (the event is opened,
scrolled into view open, or one of its documents selected). An archive of 50,000
documents in 500 events starts from 500 rows, not 50,000 summaries.

The model filters itself: the events shown are those the listing finds for the filter
text (one query over an index), and within an event that is read, its documents are
kept by the same test in Python; no proxy asks Python about every row.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ...core.model import TRANSCRIPT, DocumentSummary
from ...storage.listing import CorpusListing
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

    Only the events and documents that match the filter (``set_filter``) are rows. The
    events and their counts are read at once; an event's documents when the view first
    asks for them (the event is opened, or one of its documents is selected).
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._listing: CorpusListing | None = None
        self._events: list[str] = []
        self._sizes: list[int] = []  # documents per event
        self._transcripts: list[int] = []
        self._totals: list[int] = []  # annotations per event
        self._number: dict[str, int] = {}  # event key -> its number
        self._loaded: dict[int, list[DocumentSummary]] = {}  # event number -> its documents, in order
        self._positions: dict[int, dict[str, int]] = {}  # event number -> document id -> its number
        self._needle = ""
        # The rows: the numbers of the events shown (in order), and for each the numbers of its
        # documents the filter keeps (None for all), found when the event's documents are read.
        self._shown: list[int] = []
        self._whole: set[int] = set()  # events kept whole by the filter (their key matches it)
        self._kept: dict[int, list[int] | None] = {}
        self._found: dict[str, set[str]] = {}  # filter text -> the events it finds (of all events)
        self._bold = QFont()
        self._bold.setBold(True)

    def set_listing(self, listing: CorpusListing) -> None:
        """Read the events again (after an import, say); documents are read again as they are shown."""
        self.beginResetModel()
        self._listing = listing
        listing.forget()
        events = sorted(listing.events(), key=lambda c: (c.event == "", c.event.casefold()))
        self._events = [c.event for c in events]
        self._sizes = [c.documents for c in events]
        self._transcripts = [c.transcripts for c in events]
        self._totals = [c.annotations for c in events]
        self._number = {event: e for e, event in enumerate(self._events)}
        self._loaded.clear()
        self._positions.clear()
        self._found.clear()
        self._shown, self._whole = self._matching(self._needle)
        self._kept = {}
        self.endResetModel()

    def update_summaries(self, summaries: list[DocumentSummary]) -> None:
        """New counts for these documents (their fields, which place and filter them, are the same)."""
        events: set[int] = set()
        for summary in summaries:
            e = self._number.get(summary.event)
            if e is None:
                continue
            events.add(e)
            n = self._positions.get(e, {}).get(summary.id)
            if n is not None:
                self._loaded[e][n] = summary
        if not events or self._listing is None:
            return
        totals = self._listing.annotations_of_events(self._events[e] for e in events)
        for e in events:
            self._totals[e] = totals.get(self._events[e], 0)
        last = len(COLUMNS) - 1
        for row, e in enumerate(self._shown):
            if e in events:
                event = self.createIndex(row, 0, _EVENT)
                self.dataChanged.emit(event, event.siblingAtColumn(last))
                if e in self._loaded:
                    count = self._count(row)
                    if count:
                        self.dataChanged.emit(self.createIndex(0, 0, row + 1),
                                              self.createIndex(count - 1, last, row + 1))

    def set_filter(self, text: str) -> bool:
        """Keep the documents whose title, kind, outlet or date contains ``text`` (case-insensitive),
        and every document of an event whose key contains it. False when nothing changed."""
        needle = text.strip().casefold()
        if needle == self._needle:
            return False
        narrower = bool(self._needle) and self._needle in needle  # only the rows shown can still match
        shown, whole = self._matching(needle, self._shown if narrower else None)
        self.beginResetModel()
        self._needle, self._shown, self._whole, self._kept = needle, shown, whole, {}
        self.endResetModel()
        return True

    @property
    def filter_text(self) -> str:
        return self._needle

    def _matching(self, needle: str, among: list[int] | None = None) -> tuple[list[int], set[int]]:
        """The events shown for ``needle`` and those of them kept whole (their key matches)."""
        candidates = range(len(self._events)) if among is None else among
        if not needle:
            return list(candidates), set(candidates)
        whole = {e for e in candidates if needle in (self._events[e] or NO_EVENT).casefold()}
        rest = [e for e in candidates if e not in whole]
        found: set[str] = set()
        if rest and self._listing is not None:
            found = self._found.get(needle)  # a key erased gives back a filter asked for a moment ago
            if found is None:
                kinds = [kind for kind, label in KIND_LABELS.items() if needle in label.casefold()]
                # Narrowing asks about the events still shown only: no other can hold a match, so
                # what it finds is what a fresh filter would, and is kept for when the text comes back.
                found = self._listing.events_matching(needle, [self._events[e] for e in rest], kinds)
                if len(self._found) >= 64:
                    self._found.clear()
                self._found[needle] = found
        return [e for e in candidates if e in whole or self._events[e] in found], whole

    def _documents(self, e: int) -> list[DocumentSummary]:
        """The event's documents in the listing's order, read the first time they are asked for."""
        documents = self._loaded.get(e)
        if documents is None:
            read = self._listing.event_documents(self._events[e]) if self._listing is not None else []
            documents = sorted(read, key=lambda d: (d.kind != TRANSCRIPT, d.date, d.title.casefold(), d.id))
            self._loaded[e] = documents
            self._positions[e] = {d.id: n for n, d in enumerate(documents)}
        return documents

    def _matches(self, e: int) -> list[int] | None:
        """The numbers of the event's documents the filter keeps (None: all of them)."""
        if e in self._whole or not self._needle:
            return None
        if e not in self._kept:
            needle, fields = self._needle, self._fields
            self._kept[e] = [n for n, d in enumerate(self._documents(e)) if needle in fields(d)]
        return self._kept[e]

    @classmethod
    def _fields(cls, d: DocumentSummary) -> str:
        """What the filter looks in (as ``CorpusListing.events_matching`` does), case folded."""
        return f"{cls._title(d)}\n{KIND_LABELS.get(d.kind, d.kind)}\n{d.outlet}\n{d.date}".casefold()

    def _docs(self, row: int) -> tuple[list[DocumentSummary], list[int] | None]:
        e = self._shown[row]
        return self._documents(e), self._matches(e)

    def _doc(self, row: int, child: int) -> DocumentSummary:
        documents, rows = self._docs(row)
        return documents[child if rows is None else rows[child]]

    def _count(self, row: int) -> int:
        e = self._shown[row]
        rows = self._matches(e)
        return self._sizes[e] if rows is None else len(rows)

    # ----------------------------------------------------------------- lookups
    def events(self) -> list[str]:
        """Every event key of the corpus, shown or left out by the filter, in order."""
        return list(self._events)

    def event_at(self, row: int) -> str:
        return self._events[self._shown[row]]

    def document_index(self, doc_id: str) -> QModelIndex:
        """The document's row (title column), invalid when it is not among the rows."""
        place = self._place(doc_id)
        if place is None:
            return QModelIndex()
        e, number = place
        row = bisect_left(self._shown, e)  # the rows keep the events' order
        if row == len(self._shown) or self._shown[row] != e:
            return QModelIndex()  # its event is left out by the filter
        rows = self._matches(e)
        if rows is None:
            return self.createIndex(number, COL_TITLE, row + 1)
        child = bisect_left(rows, number)
        if child == len(rows) or rows[child] != number:
            return QModelIndex()  # left out by the filter
        return self.createIndex(child, COL_TITLE, row + 1)

    def _place(self, doc_id: str) -> tuple[int, int] | None:
        """(event, number) of the document: its event from the project, its number from that
        event's documents."""
        if self._listing is None:
            return None
        event = self._listing.event_of(doc_id)
        e = self._number.get(event) if event is not None else None
        if e is None:
            return None
        self._documents(e)
        n = self._positions[e].get(doc_id)
        return None if n is None else (e, n)

    def in_corpus(self, doc_id: str) -> bool:
        """Whether the document is in the corpus, shown or left out by the filter."""
        return self._place(doc_id) is not None

    def document_count(self) -> int:
        return sum(self._sizes)

    def widest(self, column: int) -> list[str]:
        """The texts of ``column`` that may be the widest, for sizing it: its distinct values within two
        characters of the longest (at most 200 of them), so a few are measured instead of every row."""
        if column == COL_KIND:
            values = set(KIND_LABELS.values())
        elif self._listing is None:
            return []
        elif column == COL_ANNOTATIONS:
            values = {str(t) for t in self._totals} | {str(n) for n in self._listing.annotation_counts()}
        elif column == COL_OUTLET:
            values = set(self._listing.widest("outlet"))
        elif column == COL_DATE:
            values = set(self._listing.widest("date"))
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

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: N802
        """An event has children without its documents being read (a filtered event shown has a match)."""
        if not parent.isValid():
            return bool(self._shown)
        return parent.internalId() == _EVENT and parent.column() == COL_TITLE and self._sizes[self._shown[parent.row()]] > 0

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
        e = self._shown[row]
        event, size = self._events[e], self._sizes[e]
        if role == _DISPLAY:
            if column == COL_TITLE:
                return f"{event or NO_EVENT} ({size})"
            return str(self._totals[e]) if column == COL_ANNOTATIONS else ""
        if column == COL_TITLE:
            if role == EVENT_ROLE:
                return event
            if role == _FONT:
                return self._bold
            if role == _TOOLTIP:
                transcripts = self._transcripts[e]
                return (f"{event or NO_EVENT}: {transcripts} transcript(s), "
                        f"{size - transcripts} article(s), {self._totals[e]} annotation(s)")
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

"""The table of every annotation on the open documents, with filters.

One transcript can carry 10,000 spans or more, so opening it must not read every
row. In reading order, unfiltered (how a document opens), the model knows only how
many spans each document has: a row is read from the store with a page of its
neighbours when it is first drawn (by its place in reading order), and a span's row
is counted in the store when it is asked for. The first sort, filter or edit reads
each span's id, position and layer once ("holding the positions"); the rows' details
are still read a page at a time, kept in a small cache. Sorting and filtering need
a few facts of every row: those are read in one pass the first time the user sorts
or filters, and kept current from then on. Edits arrive as ``Session.changed`` and
touch only the rows of the spans they name.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from ...core.changes import Changes
from ...core.model import TRANSCRIPT, Category, Span
from ...session import Session
from ..common.i18n import tr
from .annotation_rows import (
    AnnotationRecord,
    COLUMNS,
    COL_CATEGORY,
    COL_CHANNEL,
    COL_DOCUMENT,
    COL_LAYER,
    COL_LINKS,
    COL_MODE,
    COL_MODIFIED,
    COL_SPEAKER,
    COL_TEXT,
    COL_TYPE,
    NO_SOURCE,
    RowFacts,
    TEXT_LIMIT,
    TITLE_LIMIT,
    TYPES,
    TYPE_SPAN,
    link_counts,
    local_time,
    one_line,
    span_type,
)


_Key = tuple[int, int, int, str]

# "1" for a row that passes the list's filters. With no filter set, Qt's proxy keeps every
# row without asking (no call into Python per row); with one, it asks each row this role.
FILTER_ROLE = Qt.ItemDataRole.UserRole + 1


class AnnotationModel(QAbstractTableModel):
    """The spans of a few documents (an article and its transcript), one row each.

    Rows are in reading order (document, then position) until ``sort`` orders
    them by a column. The model sorts itself, on Python lists: a proxy model
    would call back into Python for every comparison, which takes seconds on
    10,000 rows. ``AnnotationFilter.sort`` forwards here.
    """

    CACHE_ROWS = 2000
    PAGE_ROWS = 200

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._doc_ids: list[str] = []
        self._doc_order: dict[str, int] = {}
        self._titles: dict[str, str] = {}
        self._transcripts: set[str] = set()
        # Every span's reading-order key, sorted; pages of the cache are read along it.
        self._positions: list[_Key] = []
        self._key_of: dict[str, _Key] = {}
        self._layer_of: dict[str, str] = {}
        self._links: Counter[str] = Counter()
        # The span ids in row order (reversed when sorted descending), and each id's index.
        self._ids: list[str] = []
        self._index_of: dict[str, int] = {}
        self._sort_column = -1
        self._descending = False
        self._cache: OrderedDict[str, AnnotationRecord] = OrderedDict()
        self._facts: dict[str, RowFacts] = {}
        self._facts_complete = False
        self._categories: dict[str, Category] = {}
        self._speakers: dict[str, str] = {}
        self._channels: dict[str, str] = {}
        # Reading order before the positions are held (``_lazy``): spans per document, the row
        # where each document's spans begin, and the span id of each row read so far. While lazy,
        # ``_key_of`` and ``_layer_of`` hold only the spans read.
        self._lazy = False
        self._doc_counts: list[int] = []
        self._doc_rows: list[int] = [0]
        self._row_ids: dict[int, str] = {}
        self.row_filter: Callable[[int], bool] | None = None  # set by AnnotationFilter
        session.changed.connect(self._on_changed)

    # ----------------------------------------------------------------- loading
    def set_documents(self, doc_ids: list[str]) -> None:
        """Show the spans of these documents, in this order and then by position."""
        self.beginResetModel()
        self._load(list(dict.fromkeys(doc_ids)))
        self.endResetModel()

    def documents(self) -> list[str]:
        return list(self._doc_ids)

    def _load(self, doc_ids: list[str]) -> None:
        store = self._session.store
        self._doc_ids = doc_ids
        self._doc_order = {doc_id: i for i, doc_id in enumerate(doc_ids)}
        self._titles.clear()
        self._transcripts.clear()
        heads = store.document_heads(doc_ids)  # titles and kinds, not the texts
        for doc_id in doc_ids:
            if doc_id not in heads:
                raise KeyError(f"no document {doc_id!r} in the project")
            self._titles[doc_id], kind = heads[doc_id]
            if kind == TRANSCRIPT:
                self._transcripts.add(doc_id)
        self._categories = {c.id: c for c in store.categories()}
        self._speakers = {s.id: s.name for s in store.speakers()}
        self._channels = {c.id: c.name for c in store.channels()}
        self._links = link_counts(store, [d for d in doc_ids if d not in self._transcripts])
        self._cache.clear()
        self._facts.clear()
        self._facts_complete = False
        self._positions = []
        self._key_of = {}
        self._layer_of = {}
        self._ids = []
        self._index_of = {}
        self._row_ids = {}
        self._doc_counts = [store.count_spans(doc_id) for doc_id in doc_ids]
        self._doc_rows = [0]
        for count in self._doc_counts:
            self._doc_rows.append(self._doc_rows[-1] + count)
        self._lazy = True
        if self._sort_column >= 0:
            self._hold_positions()

    def _hold_positions(self, leave_out: Iterable[str] = (), add: Iterable[tuple[_Key, str]] = ()) -> None:
        """Read every span's position and layer (once): what sorting, filters and edits work on.

        Rows keep their places (reading order). ``leave_out`` and ``add`` give the positions
        as they were before an edit the store already holds (see ``_update_spans``).
        """
        if not self._lazy:
            return
        store = self._session.store
        skipped = set(leave_out)
        self._positions = []
        self._layer_of = {}
        for order, doc_id in enumerate(self._doc_ids):
            for span_id, start, end, layer in store.span_positions(doc_id):
                if span_id not in skipped:
                    self._positions.append((order, start, end, span_id))
                    self._layer_of[span_id] = layer
        for key, layer in add:
            self._positions.append(key)
            self._layer_of[key[3]] = layer
        self._positions.sort()
        self._key_of = {key[3]: key for key in self._positions}
        self._lazy = False
        self._row_ids = {}
        self._order_rows()

    def _order_rows(self) -> None:
        """Put ``_ids`` in the order of the sort column (reading order when there is none)."""
        if self._lazy:
            return
        if self._sort_column < 0:
            self._ids = [key[3] for key in self._positions]
        else:
            self._ensure_facts()
            self._ids = sorted(self._key_of, key=self._rank)
        self._reindex()

    def _reindex(self) -> None:
        self._index_of = {span_id: i for i, span_id in enumerate(self._ids)}

    def _rank(self, span_id: str) -> tuple[Any, ...]:
        """Where a span goes in ``_ids``: by the sort column, ties in reading order."""
        key = self._key_of[span_id]
        if self._sort_column < 0:
            return key
        return (self._facts_of(span_id).keys[self._sort_column], key)

    def _row(self, index: int) -> int:
        """Row of an index into ``_ids``, and the reverse (the mapping is its own inverse)."""
        return len(self._ids) - 1 - index if self._descending else index

    # ------------------------------------------------------------ Qt interface
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else (self._doc_rows[-1] if self._lazy else len(self._ids))

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(COLUMNS):
                return tr(COLUMNS[section])
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Qt asks this some thousand times a paint: the row count is read inline.
        if not index.isValid() or not 0 <= index.row() < (self._doc_rows[-1] if self._lazy else len(self._ids)):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self.span_id_at(index.row())
        if role == FILTER_ROLE:
            return "1" if self.row_filter is None or self.row_filter(index.row()) else "0"
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.DecorationRole,
        ):
            return None
        record = self.row_record(index.row())
        if record is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DecorationRole:
            if column == COL_CATEGORY and record.category is not None:
                return QColor(record.category.color)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record, column)
        return self._display(record, column)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order rows by ``column``; -1 returns to reading order. Selections follow their rows."""
        column = column if 0 <= column < len(COLUMNS) else -1
        descending = column >= 0 and order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending):
            return
        self._hold_positions()
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        kept_ids = [self.span_id_at(index.row()) for index in kept]
        self._sort_column, self._descending = column, descending
        self._order_rows()
        self.changePersistentIndexList(
            kept, [self.index(self.row_of(span_id), index.column()) for index, span_id in zip(kept, kept_ids)]
        )
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def _display(self, record: AnnotationRecord, column: int) -> str:
        span = record.span
        if column == COL_DOCUMENT:
            return one_line(self._titles.get(span.document_id, ""), TITLE_LIMIT)
        if column == COL_TYPE:
            return tr(record.type)
        if column == COL_TEXT:
            return one_line(span.quote, TEXT_LIMIT)
        if column == COL_CATEGORY:
            return record.category.name if record.category else ""
        if column == COL_SPEAKER:
            return record.speaker
        if column == COL_MODE:
            return tr(span.mode) if span.mode else ""
        if column == COL_CHANNEL:
            return record.channel
        if column == COL_LINKS:
            if span.document_id in self._transcripts:
                return ""
            return tr(NO_SOURCE) if span.no_source else str(self._links[span.id])
        if column == COL_LAYER:
            return span.layer
        if column == COL_MODIFIED:
            return local_time(span.modified)
        return ""

    def _tooltip(self, record: AnnotationRecord, column: int) -> str | None:
        span = record.span
        if column == COL_DOCUMENT:
            return self._titles.get(span.document_id)
        if column == COL_TEXT:
            return span.quote + (f"\n\nNote: {span.note}" if span.note else "")
        if column == COL_CATEGORY and record.category is not None:
            return record.category.description or None
        if column == COL_MODIFIED:
            return f"{span.modified} (UTC), by {span.annotator}"
        return None

    # --------------------------------------------------------------- row data
    def span_id_at(self, row: int) -> str:
        if self._lazy:
            span_id = self._row_ids.get(row)
            if span_id is None:
                self._read_rows(row)
                span_id = self._row_ids.get(row, "")
            return span_id
        return self._ids[self._row(row)]

    def row_of(self, span_id: str) -> int:
        """The row showing ``span_id``, or -1 when it is not in the table."""
        if self._lazy:
            return self._lazy_row_of(span_id)
        index = self._index_of.get(span_id)
        return -1 if index is None else self._row(index)

    def layer_at(self, row: int) -> str:
        """A row's layer, known without reading the row (the layer filter uses it)."""
        self._hold_positions()
        return self._layer_of.get(self.span_id_at(row), "")

    def row_record(self, row: int) -> AnnotationRecord | None:
        """What row ``row`` shows; read with its neighbours when not cached."""
        if self._lazy:
            record = self._cache.get(self.span_id_at(row))
            if record is None:
                self._read_rows(row)  # the row's id was known, its record evicted since
                record = self._cache.get(self._row_ids.get(row, ""))
            else:
                self._cache.move_to_end(record.span.id)
            return record
        return self._record(self.span_id_at(row))

    def row_facts(self, row: int) -> RowFacts:
        """What sorting and filtering need of ``row``; the first call reads every row once."""
        self._ensure_facts()
        return self._facts_of(self.span_id_at(row))

    # ------------------------------------------------- reading order, not held
    def _read_rows(self, row: int) -> None:
        """Cache the spans of the rows around ``row`` (reading order), in one store query."""
        order = bisect_right(self._doc_rows, row) - 1
        first = self._doc_rows[order]
        at = row - first
        lo = max(0, at - self.PAGE_ROWS // 4)
        spans = self._session.store.span_page(self._doc_ids[order], lo, self.PAGE_ROWS)
        if len(self._row_ids) > 2 * self.CACHE_ROWS:
            self._row_ids.clear()
        for i, span in enumerate(spans):
            self._row_ids[first + lo + i] = span.id
            self._key_of[span.id] = (order, span.start, span.end, span.id)
            self._layer_of[span.id] = span.layer
            self._remember(span)
        if row in self._row_ids:
            # The page's far end is evicted before this row.
            self._cache.move_to_end(self._row_ids[row])
        self._trim_cache()

    def _lazy_row_of(self, span_id: str) -> int:
        store = self._session.store
        key = self._key_of.get(span_id)
        if key is None:
            try:
                span = store.span(span_id)
            except KeyError:
                return -1
            order = self._doc_order.get(span.document_id)
            if order is None:
                return -1
            key = (order, span.start, span.end, span.id)
        order, start, end, _id = key
        return self._doc_rows[order] + store.span_rank(self._doc_ids[order], start, end, span_id)

    def _record(self, span_id: str) -> AnnotationRecord | None:
        record = self._cache.get(span_id)
        if record is None:
            self._read_page(span_id)
            record = self._cache.get(span_id)
        else:
            self._cache.move_to_end(span_id)
        return record

    def _read_page(self, span_id: str) -> None:
        """Cache the spans around ``span_id`` in reading order, in one store query."""
        at = bisect_left(self._positions, self._key_of[span_id])
        order = self._positions[at][0]
        first = bisect_left(self._positions, (order,))
        last = bisect_left(self._positions, (order + 1,))
        lo = max(first, at - self.PAGE_ROWS // 4)
        hi = min(last, lo + self.PAGE_ROWS)
        # Each span of positions lo..hi-1 starts in [start of lo, start of hi-1],
        # so it overlaps [start of lo, start of hi-1 + 1).
        spans = self._session.store.spans(
            self._doc_ids[order], start=self._positions[lo][1], end=self._positions[hi - 1][1] + 1
        )
        for span in spans:
            if span.id in self._key_of:
                self._remember(span)
        if span_id in self._cache:
            # The page's far end is evicted before the row just asked for.
            self._cache.move_to_end(span_id)
        self._trim_cache()

    def _trim_cache(self) -> None:
        while len(self._cache) > self.CACHE_ROWS:
            self._cache.popitem(last=False)

    def _make_record(self, span: Span) -> AnnotationRecord:
        return AnnotationRecord(
            span=span,
            type=span_type(span),
            category=self._categories.get(span.category_id) if span.category_id else None,
            speaker=self._speakers.get(span.speaker_id, "") if span.speaker_id else "",
            channel=self._channels.get(span.channel_id, "") if span.channel_id else "",
        )

    def _remember(self, span: Span) -> AnnotationRecord:
        record = self._make_record(span)
        self._cache[span.id] = record
        self._cache.move_to_end(span.id)
        return record

    def _ensure_facts(self) -> None:
        """Read every row's facts in one query per document, the first time they are needed."""
        if self._facts_complete:
            return
        self._hold_positions()
        store = self._session.store
        for doc_id in self._doc_ids:
            for span in store.spans(doc_id):
                if span.id in self._key_of:
                    self._facts[span.id] = self._make_facts(self._make_record(span))
        self._facts_complete = True

    def _facts_of(self, span_id: str) -> RowFacts:
        facts = self._facts.get(span_id)
        if facts is None:
            record = self._record(span_id)
            facts = self._make_facts(record) if record is not None else self._empty_facts(span_id)
            self._facts[span_id] = facts
        return facts

    def _make_facts(self, record: AnnotationRecord) -> RowFacts:
        span = record.span
        if span.document_id in self._transcripts:
            links = -2
        else:
            links = -1 if span.no_source else self._links[span.id]
        keys = (
            self._key_of[span.id][:3],
            record.type.casefold(),
            span.quote.casefold(),
            (record.category.name if record.category else "").casefold(),
            record.speaker.casefold(),
            span.mode or "",
            record.channel.casefold(),
            links,
            span.layer.casefold(),
            span.modified,
        )
        return RowFacts(record.type, span.category_id, record.search_text(), keys)

    def _empty_facts(self, span_id: str) -> RowFacts:
        """Facts of a row the store no longer has (it is about to be removed)."""
        keys = (self._key_of[span_id][:3], "", "", "", "", "", "", -3, "", "")
        return RowFacts(TYPE_SPAN, None, "", keys)

    # ---------------------------------------------------------------- updates
    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if not self._doc_ids:
            return
        if changes.codebook or changes.corpus:
            # Documents may have gone (a merge undone): keep those still in the project.
            present = self._session.store.document_ids() if changes.corpus else None
            self.set_documents([d for d in self._doc_ids if present is None or d in present])
            return
        if changes.documents and self._doc_order.keys().isdisjoint(changes.documents):
            return  # another document's annotations: nothing here to re-read
        if changes.spans:
            self._update_spans(changes.spans, changes.places)

    def _update_spans(self, span_ids: set[str], places: Mapping[str, tuple[str, int, int] | None] = {}) -> None:
        """Re-read the changed spans; remove, move, insert or repaint only their rows.

        ``places`` (of ``Changes``): where changed spans were before the change.
        """
        if self._lazy:
            if len(span_ids) == 1 and self._update_one_unheld(next(iter(span_ids)), places):
                return
            if not self._hold_positions_before(span_ids, places):
                # Where some changed span was before the edit cannot be known: read the table again.
                self.set_documents(self._doc_ids)
                return
        store = self._session.store
        removed: list[str] = []
        moved: list[str] = []
        inserted: list[str] = []
        repainted: list[str] = []
        for span_id in span_ids:
            was_shown = span_id in self._index_of
            old_rank = self._rank(span_id) if was_shown else None
            self._cache.pop(span_id, None)
            self._facts.pop(span_id, None)
            try:
                span: Span | None = store.span(span_id)
            except KeyError:
                span = None
            if span is None or span.document_id not in self._doc_order:
                if was_shown:
                    removed.append(span_id)
                continue
            if span.document_id not in self._transcripts:
                self._links[span_id] = len(store.links_for_span(span_id))
            self._layer_of[span_id] = span.layer
            new_key = (self._doc_order[span.document_id], span.start, span.end, span.id)
            if was_shown and new_key != self._key_of[span_id]:
                self._drop_position(self._key_of[span_id])
            if not was_shown or new_key != self._key_of[span_id]:
                insort(self._positions, new_key)
            self._key_of[span_id] = new_key
            record = self._remember(span)
            if self._facts_complete:
                self._facts[span_id] = self._make_facts(record)
            if not was_shown:
                inserted.append(span_id)
            elif self._rank(span_id) != old_rank:
                moved.append(span_id)
            else:
                repainted.append(span_id)
        self._remove_rows(removed)
        self._move_rows(moved)
        self._insert_rows(inserted)
        last_column = len(COLUMNS) - 1
        for span_id in repainted:
            row = self.row_of(span_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
        self._trim_cache()

    def _before(self, span_id: str, places: Mapping[str, tuple[str, int, int] | None]) -> tuple[bool, _Key | None]:
        """Whether the model can tell where ``span_id`` was before a change, and its key then
        (None: it was not in the table)."""
        if span_id in places:
            place = places[span_id]
            if place is None or place[0] not in self._doc_order:
                return True, None
            return True, (self._doc_order[place[0]], place[1], place[2], span_id)
        key = self._key_of.get(span_id)
        return key is not None, key

    def _update_one_unheld(self, span_id: str, places: Mapping[str, tuple[str, int, int] | None]) -> bool:
        """One span changed while the positions are not held: insert, repaint or remove its row
        where the store's reading order puts it. False when it moved, or when where it was
        cannot be told (the caller holds the positions, or reads the table again)."""
        store = self._session.store
        try:
            span: Span | None = store.span(span_id)
        except KeyError:
            span = None
        if span is not None and span.document_id not in self._doc_order:
            span = None
        known, old = self._before(span_id, places)
        if not known:
            if span is None:
                return False  # gone, unread, no place given: it may have been in the table
            if store.count_spans(span.document_id) != self._doc_counts[self._doc_order[span.document_id]] + 1:
                return False  # an edit of an unread row: where it was is not known
        if old is None:
            if span is None:
                return True  # neither before nor now in the table
            order = self._doc_order[span.document_id]
            row = self._doc_rows[order] + store.span_rank(span.document_id, span.start, span.end, span.id)
            self._note_span(span)
            self.beginInsertRows(QModelIndex(), row, row)
            self._shift_rows(order, row, 1)
            self._row_ids[row] = span_id
            self.endInsertRows()
            self._trim_cache()
            return True
        order = old[0]
        # Counted in the store as it is now: the span itself, if still there, is at or after its old key.
        row = self._doc_rows[order] + store.span_rank(self._doc_ids[order], old[1], old[2], span_id)
        if span is None:
            self.beginRemoveRows(QModelIndex(), row, row)
            self._shift_rows(order, row, -1)
            for kept in (self._key_of, self._layer_of, self._links, self._cache, self._facts):
                kept.pop(span_id, None)  # type: ignore[attr-defined]
            self.endRemoveRows()
            return True
        if (order, span.start, span.end, span.id) != old:
            return False  # moved: the positions are held and the row moves as a layout change
        self._note_span(span)
        self._row_ids[row] = span_id
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self._trim_cache()
        return True

    def _note_span(self, span: Span) -> None:
        """What the model keeps of a span read again after a change."""
        if span.document_id not in self._transcripts:
            self._links[span.id] = len(self._session.store.links_for_span(span.id))
        self._key_of[span.id] = (self._doc_order[span.document_id], span.start, span.end, span.id)
        self._layer_of[span.id] = span.layer
        self._facts.pop(span.id, None)
        self._remember(span)

    def _shift_rows(self, order: int, row: int, by: int) -> None:
        """A row was inserted (``by`` 1) or removed (-1) at ``row`` of document ``order``."""
        self._doc_counts[order] += by
        for k in range(order + 1, len(self._doc_rows)):
            self._doc_rows[k] += by
        if by > 0:
            self._row_ids = {(r + 1 if r >= row else r): i for r, i in self._row_ids.items()}
        else:
            self._row_ids = {(r - 1 if r > row else r): i for r, i in self._row_ids.items() if r != row}

    def _hold_positions_before(self, span_ids: set[str], places: Mapping[str, tuple[str, int, int] | None]) -> bool:
        """Hold the positions as they were before the change of ``span_ids`` (the store holds
        the change already); False when that cannot be told.

        Where a changed span was is given by the change (``places``) or known from reading its
        row. A span with neither was, if the store has it now, taken to be added by the change,
        and otherwise never in the table: each document's count of spans tells whether that
        holds (any other case counts fewer).
        """
        store = self._session.store
        growth = [0] * len(self._doc_ids)
        before: list[tuple[_Key, str]] = []
        unsure = False
        for span_id in span_ids:
            known, old = self._before(span_id, places)
            unsure = unsure or not known
            if old is not None:
                before.append((old, self._layer_of.get(span_id, "")))
                growth[old[0]] -= 1
            try:
                now = self._doc_order.get(store.span(span_id).document_id)
            except KeyError:
                now = None
            if now is not None:
                growth[now] += 1
        if unsure and any(store.count_spans(doc_id) - self._doc_counts[order] != growth[order]
                          for order, doc_id in enumerate(self._doc_ids)):
            return False
        self._hold_positions(leave_out=span_ids, add=before)
        return True

    def _drop_position(self, key: _Key) -> None:
        del self._positions[bisect_left(self._positions, key)]

    def _remove_rows(self, span_ids: list[str]) -> None:
        """Remove rows in runs of neighbours, the last run first so earlier rows keep their numbers."""
        if not span_ids:
            return
        runs: list[list[int]] = []
        for index in sorted(self._index_of[span_id] for span_id in span_ids):
            if runs and runs[-1][1] == index - 1:
                runs[-1][1] = index
            else:
                runs.append([index, index])
        for first, last in reversed(runs):
            rows = sorted((self._row(first), self._row(last)))
            self.beginRemoveRows(QModelIndex(), rows[0], rows[1])
            for span_id in self._ids[first : last + 1]:
                self._drop_position(self._key_of.pop(span_id))
                self._layer_of.pop(span_id, None)
                self._links.pop(span_id, None)
                self._cache.pop(span_id, None)
                self._facts.pop(span_id, None)
            del self._ids[first : last + 1]
            self.endRemoveRows()
        self._reindex()

    def _move_rows(self, span_ids: list[str]) -> None:
        """Put rows whose sort value changed in their new places, as one layout change.

        A layout change (not remove and insert) keeps the moved rows selected.
        """
        if not span_ids:
            return
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        kept_ids = [self.span_id_at(index.row()) for index in kept]
        moving = set(span_ids)
        self._ids = [span_id for span_id in self._ids if span_id not in moving]
        for span_id in span_ids:
            insort(self._ids, span_id, key=self._rank)
        self._reindex()
        self.changePersistentIndexList(
            kept, [self.index(self.row_of(span_id), index.column()) for index, span_id in zip(kept, kept_ids)]
        )
        self.layoutChanged.emit()

    def _insert_rows(self, span_ids: list[str]) -> None:
        """Insert rows in runs that land at the same place, the last place first."""
        if not span_ids:
            return
        runs: dict[int, list[str]] = {}
        for span_id in sorted(span_ids, key=self._rank):
            runs.setdefault(bisect_left(self._ids, self._rank(span_id), key=self._rank), []).append(span_id)
        for at in sorted(runs, reverse=True):
            run = runs[at]
            if self._descending:
                # Index ``at`` in ascending order is row len - at when shown reversed.
                first = len(self._ids) - at
            else:
                first = at
            self.beginInsertRows(QModelIndex(), first, first + len(run) - 1)
            self._ids[at:at] = run
            self.endInsertRows()
        self._reindex()


class AnnotationFilter(QSortFilterProxyModel):
    """Filters an AnnotationModel, and forwards sorting to it (see AnnotationModel).

    The filters are applied through Qt's own: a pattern on ``FILTER_ROLE`` while any is set,
    none otherwise, so an unfiltered list of 10,000 rows is mapped without a call per row.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._type: str | None = None
        self._layers: frozenset[str] | None = None
        self._category: str | None = None
        self.setFilterRole(FILTER_ROLE)
        self.setFilterKeyColumn(0)

    def _source(self) -> AnnotationModel:
        model = self.sourceModel()
        assert isinstance(model, AnnotationModel)
        return model

    def _filtering(self) -> bool:
        return self._layers is not None or bool(self._text or self._type or self._category)

    def _set(self, name: str, value: Any) -> None:
        if getattr(self, name) == value:
            return
        was = self._filtering()
        if was == self._filtering_with(name, value):
            self.beginFilterChange()
            setattr(self, name, value)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
            return
        # Filters switched on or off: setting Qt's pattern filters the rows again, once.
        setattr(self, name, value)
        self._source().row_filter = self.accepts
        self.setFilterRegularExpression("" if was else "1")

    def _filtering_with(self, name: str, value: Any) -> bool:
        kept = getattr(self, name)
        setattr(self, name, value)
        try:
            return self._filtering()
        finally:
            setattr(self, name, kept)

    def set_text(self, text: str) -> None:
        """Keep rows whose quote, note, category or speaker contains ``text`` (any case)."""
        self._set("_text", text.strip().casefold())

    def set_type(self, type_name: str | None) -> None:
        if type_name is not None and type_name not in TYPES:
            raise ValueError(f"unknown annotation type {type_name!r}")
        self._set("_type", type_name)

    def set_layers(self, layers: Iterable[str] | None) -> None:
        """Keep rows of these layers only; None keeps every layer."""
        self._set("_layers", None if layers is None else frozenset(layers))

    def set_category(self, category_id: str | None) -> None:
        self._set("_category", category_id)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source().sort(column, order)

    def accepts(self, source_row: int) -> bool:
        """Whether a row of the source passes every filter set."""
        model = self._source()
        if self._layers is not None and model.layer_at(source_row) not in self._layers:
            return False
        if not (self._text or self._type or self._category):
            return True  # the layers alone: no row needs reading
        facts = model.row_facts(source_row)
        if self._type is not None and facts.type != self._type:
            return False
        if self._category is not None and facts.category_id != self._category:
            return False
        return self._text in facts.search

"""The corpus as a tree: events, and under each its transcripts and then its articles.

A researcher works event by event (one speech, the articles that report it),
so documents are grouped by event key. The tree is rebuilt from one
``Store.documents()`` call, which already carries each document's counts, so
a corpus of thousands of documents opens without a query per row.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..core.model import TRANSCRIPT, DocumentSummary
from ..session import Session
from ..storage import Store

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


def group_by_event(documents: list[DocumentSummary]) -> list[tuple[str, list[DocumentSummary]]]:
    """Documents per event key, events in name order with "no event" last; transcripts first in each."""
    groups: dict[str, list[DocumentSummary]] = {}
    for doc in documents:
        groups.setdefault(doc.event, []).append(doc)
    ordered = sorted(groups, key=lambda event: (event == "", event.casefold()))
    return [
        (event, sorted(groups[event], key=lambda d: (d.kind != TRANSCRIPT, d.date, d.title.casefold(), d.id)))
        for event in ordered
    ]


class _DocumentFilter(QSortFilterProxyModel):
    """Keeps documents whose title, outlet, date or event contains the filter text.

    A matching event keeps all its documents; a matching document keeps its event.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        pattern = self.filterRegularExpression()
        if not pattern.pattern():
            return True
        model = self.sourceModel()
        if not source_parent.isValid():
            # An event row matches by its key only, not by its totals.
            event = model.index(source_row, COL_TITLE, source_parent).data(EVENT_ROLE)
            return pattern.match(event or NO_EVENT).hasMatch()
        return any(
            pattern.match(model.index(source_row, column, source_parent).data() or "").hasMatch()
            for column in (COL_TITLE, COL_KIND, COL_OUTLET, COL_DATE)
        )


class _DocumentTree(QTreeView):
    """A tree that reports Enter on a row, even when a window shortcut uses Enter."""

    enter_pressed = Signal()

    @staticmethod
    def _is_enter(event: QKeyEvent) -> bool:
        plain = (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier) == Qt.KeyboardModifier.NoModifier
        return plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and self._is_enter(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._is_enter(event):
            self.enter_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class _ElideDelegate(QStyledItemDelegate):
    """Events of a series share the start of their names, so a name too long for the panel keeps
    its end ("cis-secu…2022-09"); a document's title keeps its start."""

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt override)
        super().initStyleOption(option, index)
        option.textElideMode = (Qt.TextElideMode.ElideMiddle if not index.parent().isValid()
                                else Qt.TextElideMode.ElideRight)


class CorpusNavigator(QWidget):
    """Pick the document to read: click or Enter on a row emits ``document_chosen``."""

    document_chosen = Signal(str)

    def __init__(self, source: Session | Store, parent: QWidget | None = None) -> None:
        """``source`` is the session, like the other panels get, or just its store: the navigator only reads."""
        super().__init__(parent)
        self._store = source.store if isinstance(source, Session) else source
        self._items: dict[str, QStandardItem] = {}
        self._known_events: set[str] = set()

        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = _DocumentFilter(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter documents…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter documents")
        self.filter_edit.setToolTip("Show documents whose title, outlet, date or event contains this")
        self.filter_edit.textChanged.connect(self._apply_filter)

        self.tree = _DocumentTree(self)
        self.tree.setAccessibleName("Documents")
        self.tree.setAccessibleDescription("Documents grouped by event; Enter opens the document")
        self.tree.setModel(self.proxy)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setExpandsOnDoubleClick(True)
        self.tree.setIndentation(14)
        self.tree.setItemDelegate(_ElideDelegate(self.tree))
        header = self.tree.header()
        header.setAccessibleName("Document columns")
        header.setStretchLastSection(False)
        # The title is what identifies a document: it takes the width the short columns leave,
        # which keep the width of their header words, so no header is cut.
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (COL_KIND, COL_OUTLET, COL_DATE, COL_ANNOTATIONS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in HIDDEN_AT_FIRST:
            header.setSectionHidden(column, True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        self.model.setHeaderData(COL_ANNOTATIONS, Qt.Orientation.Horizontal, "#", Qt.ItemDataRole.DisplayRole)
        self.model.setHeaderData(COL_ANNOTATIONS, Qt.Orientation.Horizontal, "Annotations",
                                 Qt.ItemDataRole.ToolTipRole)
        self.tree.clicked.connect(self._choose)
        self.tree.enter_pressed.connect(self._enter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        QWidget.setTabOrder(self.filter_edit, self.tree)
        self.setFocusProxy(self.tree)
        self.setAccessibleName("Corpus navigator")
        self.refresh()

    # ------------------------------------------------------------------ public
    def refresh(self) -> None:
        """Re-read the corpus, keeping the selected document and the expanded events."""
        current = self.current_document()
        expanded = self._expanded_events()
        self.model.removeRows(0, self.model.rowCount())
        self._items.clear()
        groups = group_by_event(self._store.documents())
        for event, documents in groups:
            self.model.appendRow(self._event_row(event, documents))
        self._span_event_rows()
        self._restore_expansion(expanded)
        self._known_events = {event for event, _ in groups}
        if current:
            self.select_document(current)

    def select_document(self, doc_id: str) -> bool:
        """Select and reveal a document without emitting ``document_chosen``."""
        item = self._items.get(doc_id)
        if item is None:
            return False
        index = self.proxy.mapFromSource(item.index())
        if not index.isValid():
            # Hidden by the filter: the user asked for this document, so show it.
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(item.index())
        self.tree.expand(index.parent())
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.tree.selectionModel().setCurrentIndex(index, flags)
        self.tree.scrollTo(index)
        return True

    def current_document(self) -> str:
        """The selected document's id, or "" when none (or an event) is selected."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return ""
        return index.siblingAtColumn(COL_TITLE).data(DOC_ID_ROLE) or ""

    # ---------------------------------------------------------------- building
    def _event_row(self, event: str, documents: list[DocumentSummary]) -> list[QStandardItem]:
        annotations = sum(d.annotations for d in documents)
        transcripts = sum(1 for d in documents if d.kind == TRANSCRIPT)
        title = QStandardItem(f"{event or NO_EVENT} ({len(documents)})")
        title.setData(event, EVENT_ROLE)
        title.setToolTip(
            f"{event or NO_EVENT}: {transcripts} transcript(s), {len(documents) - transcripts} article(s), "
            f"{annotations} annotation(s)"
        )
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        row = [title, QStandardItem(""), QStandardItem(""), QStandardItem(""), self._number(annotations)]
        for item in row:
            item.setEditable(False)
        for doc in documents:
            title.appendRow(self._document_row(doc))
        return row

    def _document_row(self, doc: DocumentSummary) -> list[QStandardItem]:
        title = QStandardItem(doc.title or doc.source_file or doc.id)
        title.setData(doc.id, DOC_ID_ROLE)
        described = " · ".join(v for v in (KIND_NAMES.get(doc.kind, doc.kind), doc.outlet, doc.date) if v)
        title.setToolTip(
            f"{doc.title}\n{described}\n{doc.source_file}\n{doc.length:,} characters, {doc.annotations} "
            f"annotations, {doc.links} links" + (f", {doc.source_lines} source lines" if doc.kind == TRANSCRIPT else "")
        )
        kind = QStandardItem(KIND_LABELS.get(doc.kind, doc.kind))
        kind.setData(KIND_NAMES.get(doc.kind, doc.kind), Qt.ItemDataRole.AccessibleTextRole)
        kind.setToolTip(KIND_NAMES.get(doc.kind, doc.kind))
        kind.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        if doc.kind == TRANSCRIPT:
            font = title.font()
            font.setBold(True)
            title.setFont(font)
        row = [title, kind, QStandardItem(doc.outlet), QStandardItem(doc.date), self._number(doc.annotations)]
        for item in row:
            item.setEditable(False)
        self._items[doc.id] = title
        return row

    @staticmethod
    def _number(value: int) -> QStandardItem:
        item = QStandardItem(str(value))
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def _span_event_rows(self) -> None:
        """An event's name takes the whole row: events differ at the end of their names."""
        for row in range(self.proxy.rowCount()):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)

    def _column_menu(self, point) -> None:
        from PySide6.QtWidgets import QMenu

        header = self.tree.header()
        menu = QMenu(self)
        menu.setAccessibleName("Columns")
        for column in (COL_KIND, COL_OUTLET, COL_DATE, COL_ANNOTATIONS):
            name = self.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) \
                or self.model.headerData(column, Qt.Orientation.Horizontal)
            action = menu.addAction(str(name))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: header.setSectionHidden(c, not on))
        menu.popup(header.mapToGlobal(point))
        self._column_menu_shown = menu

    # --------------------------------------------------------------- expansion
    def _expanded_events(self) -> set[str]:
        expanded = set()
        for row in range(self.model.rowCount()):
            item = self.model.item(row, COL_TITLE)
            if self.tree.isExpanded(self.proxy.mapFromSource(item.index())):
                expanded.add(item.data(EVENT_ROLE))
        return expanded

    def _restore_expansion(self, expanded: set[str]) -> None:
        """Events open before stay open; events new to the tree open, so new imports show."""
        for row in range(self.model.rowCount()):
            item = self.model.item(row, COL_TITLE)
            event = item.data(EVENT_ROLE)
            if event in expanded or event not in self._known_events:
                self.tree.expand(self.proxy.mapFromSource(item.index()))

    # ------------------------------------------------------------------ events
    def _apply_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._span_event_rows()
        if text.strip():
            # Matches inside closed events would otherwise stay out of sight.
            self.tree.expandAll()

    def _choose(self, index: QModelIndex) -> None:
        doc_id = index.siblingAtColumn(COL_TITLE).data(DOC_ID_ROLE) if index.isValid() else None
        if doc_id:
            self.document_chosen.emit(doc_id)

    def _enter(self) -> None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return
        if index.siblingAtColumn(COL_TITLE).data(DOC_ID_ROLE):
            self._choose(index)
        else:
            self.tree.setExpanded(index, not self.tree.isExpanded(index))

"""The corpus as a tree: events, and under each its transcripts and then its articles.

A researcher works event by event (one speech, the articles that report it),
so documents are grouped by event key. The tree is rebuilt from one
``Store.documents()`` call, which already carries each document's counts, so
a corpus of thousands of documents opens without a query per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ...core.model import TRANSCRIPT, DocumentSummary
from ...session import Session
from ...storage import Store
from .corpus_model import (  # noqa: F401 (names the panels and tests use)
    COL_ANNOTATIONS,
    COL_DATE,
    COL_KIND,
    COL_OUTLET,
    COL_TITLE,
    COLUMNS,
    DOC_ID_ROLE,
    EVENT_ROLE,
    HIDDEN_AT_FIRST,
    KIND_LABELS,
    KIND_NAMES,
    NO_EVENT,
    CorpusModel,
)


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
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)
        self._needle = ""

    def set_text(self, text: str) -> None:
        """Filter by this text (case-insensitive, anywhere in the fields)."""
        self._needle = text.casefold()
        self.setFilterFixedString(text)  # re-filters

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self._needle:
            return True
        # An event row matches by its key only, not by its totals.
        return self._needle in self.sourceModel().haystack(source_row, source_parent)


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
        self._known_events: set[str] = set()
        self.summaries: list[DocumentSummary] = []

        self.model = CorpusModel(self)
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
        self.summaries = self._store.documents()  # the window reuses them (one read of the corpus)
        groups = group_by_event(self.summaries)
        self.model.set_groups(groups)
        self._span_event_rows()
        self._restore_expansion(expanded)
        self._known_events = {event for event, _ in groups}
        if current:
            self.select_document(current)

    def select_document(self, doc_id: str) -> bool:
        """Select and reveal a document without emitting ``document_chosen``."""
        source = self.model.document_index(doc_id)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            # Hidden by the filter: the user asked for this document, so show it.
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(source)
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
            if self.tree.isExpanded(self.proxy.mapFromSource(self.model.index(row, COL_TITLE))):
                expanded.add(self.model.event_at(row))
        return expanded

    def _restore_expansion(self, expanded: set[str]) -> None:
        """Events open before stay open; events new to the tree open, so new imports show
        (in order, while fewer than about EXPAND_LIMIT of their documents are open: the
        first view of an archive of 50,000 documents does not lay out every one)."""
        opened = 0
        with self._columns_sized_once():
            for row in range(self.model.rowCount()):
                event = self.model.event_at(row)
                index = self.model.index(row, COL_TITLE)
                if event in expanded or (event not in self._known_events and opened < self.EXPAND_LIMIT):
                    self.tree.expand(self.proxy.mapFromSource(index))
                    if event not in expanded:
                        opened += self.model.rowCount(index)

    # ------------------------------------------------------------------ events
    def _apply_filter(self, text: str) -> None:
        was_filtered = bool(self.proxy.filterRegularExpression().pattern())
        with self._columns_sized_once():
            if was_filtered or text.strip():
                # Re-filtering under expanded events makes the view redo its layout once per
                # event (minutes for 50,000 documents); collapsed, it is one pass.
                self.tree.collapseAll()
            self.proxy.set_text(text.strip())
            self._span_event_rows()
            if was_filtered or text.strip():
                # Matches inside closed events would otherwise stay out of sight.
                self._expand_matches()

    @contextmanager
    def _columns_sized_once(self) -> Iterator[None]:
        """Open or close many events with the short columns sized once at the end, not after
        each event (sizing measures up to a thousand rows through the delegate every time)."""
        header = self.tree.header()
        modes = {c: header.sectionResizeMode(c) for c in range(len(COLUMNS)) if c != COL_TITLE}
        for column in modes:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        try:
            yield
        finally:
            for column, mode in modes.items():
                header.setSectionResizeMode(column, mode)

    EXPAND_LIMIT = 2000  # documents shown open after filtering; events beyond stay closed with their count

    def _expand_matches(self) -> None:
        """Open the events left by the filter, in order, until about EXPAND_LIMIT documents show:
        opening 50,000 matches would lay out every one of them at each key."""
        shown = 0
        for row in range(self.proxy.rowCount()):
            if shown >= self.EXPAND_LIMIT:
                break
            index = self.proxy.index(row, COL_TITLE)
            self.tree.expand(index)
            shown += self.proxy.rowCount(index)

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

"""The corpus as a tree: events, and under each its transcripts and then its articles.

A researcher works event by event (one speech, the articles that report it),
so documents are grouped by event key. The tree starts from the events and their
counts (one grouped query); an event's documents, with their counts, are read when it
is opened, so an archive of 50,000 documents opens as fast as a corpus of fifty.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..common.keys import is_plain_enter
from ...session import Session
from ...storage import Store
from ...storage.listing import CorpusListing
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


class _DocumentTree(QTreeView):
    """A tree that reports Enter on a row, even when a window shortcut uses Enter."""

    enter_pressed = Signal()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and is_plain_enter(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if is_plain_enter(event):
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
        # The corpus read a part at a time (events and counts; an event's documents when shown).
        self.listing = CorpusListing(self._store)

        # The tree shows the model itself: it filters its own rows (``CorpusModel.set_filter``).
        self.model = CorpusModel(self)
        self.proxy = self.model  # the model the tree shows (the name panels and tests use)

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
        # which are as wide as their widest text or their header word, so no header is cut.
        # They are sized from the model's values (``_size_columns``), not by measuring every
        # row through the delegate, which takes seconds for an archive.
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (COL_KIND, COL_OUTLET, COL_DATE, COL_ANNOTATIONS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
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
        # After a key of the filter, the events below the first screen get their full-width
        # row a moment later (or not at all, when the next key comes first).
        self._span_rest = QTimer(self, singleShot=True, interval=250)
        self._span_rest.timeout.connect(self._span_event_rows)
        # What the filter needs to know of the corpus is learnt once the window is up, not at the first key.
        self._prepare_filter = QTimer(self, singleShot=True, interval=400)
        self._prepare_filter.timeout.connect(self.listing.prepare)
        self.refresh()

    # ------------------------------------------------------------------ public
    def refresh(self) -> None:
        """Re-read the corpus, keeping the selected document and the expanded events."""
        current = self.current_document()
        expanded = self._expanded_events()
        self.model.set_listing(self.listing)
        self._size_columns()
        # The events of a screen now (the tree may not have its height yet), the rest a moment later.
        self._span_event_rows(max(self._screen_rows(), 64))
        self._restore_expansion(expanded)
        self._known_events = set(self.model.events())
        self._prepare_filter.start()
        if current:
            self.select_document(current)

    def update_counts(self, document_ids: set[str]) -> None:
        """Re-read the counts of these documents only (after annotating): one query for them,
        not the whole corpus. A document not yet in the tree brings a full refresh."""
        summaries = list(self._store.documents_by_id(document_ids).values())
        if any(not self.model.in_corpus(s.id) for s in summaries):
            self.refresh()
            return
        self.model.update_summaries(summaries)
        self._size_columns()  # a count may have gained a digit

    def select_document(self, doc_id: str) -> bool:
        """Select and reveal a document without emitting ``document_chosen``."""
        index = self.model.document_index(doc_id)
        if not index.isValid():
            if not self.model.filter_text or not self.model.in_corpus(doc_id):
                return False
            # Hidden by the filter: the user asked for this document, so show it.
            self.filter_edit.clear()
            index = self.model.document_index(doc_id)
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

    def _span_event_rows(self, first: int | None = None) -> None:
        """An event's name takes the whole row: events differ at the end of their names.

        With ``first``, only that many rows now and the rest shortly after (each call costs
        a trip through the model, and a filter can leave hundreds of events)."""
        self._span_rest.stop()
        rows = self.model.rowCount()
        for row in range(rows if first is None else min(rows, first)):
            self.tree.setFirstColumnSpanned(row, QModelIndex(), True)
        if first is not None and first < rows:
            self._span_rest.start()

    def _screen_rows(self) -> int:
        """The rows a screen can hold (rows are at least a line of text high)."""
        return self.tree.viewport().height() // max(1, self.tree.fontMetrics().height()) + 2

    def _size_columns(self, columns=(COL_KIND, COL_OUTLET, COL_DATE, COL_ANNOTATIONS)) -> None:
        """The short columns shown as wide as their widest value (or header word), from the model's
        values; a hidden one when it is shown (its values take a pass over the listing)."""
        header = self.tree.header()
        metrics = self.tree.fontMetrics()
        style = self.tree.style()
        # The item's text margins either side, as the delegate lays the text out.
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.tree) + 1) + 4
        for column in columns:
            if header.isSectionHidden(column):
                continue
            widest = max((metrics.horizontalAdvance(text) for text in self.model.widest(column)), default=0)
            header.resizeSection(column, max(header.sectionSizeHint(column), widest + margin))

    def _show_column(self, column: int, shown: bool) -> None:
        header = self.tree.header()
        header.setSectionHidden(column, not shown)
        if shown:
            self._size_columns((column,))

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
            action.toggled.connect(lambda on, c=column: self._show_column(c, on))
        menu.popup(header.mapToGlobal(point))
        self._column_menu_shown = menu

    # --------------------------------------------------------------- expansion
    def _expanded_events(self) -> set[str]:
        expanded = set()
        for row in range(self.model.rowCount()):
            if self.tree.isExpanded(self.model.index(row, COL_TITLE)):
                expanded.add(self.model.event_at(row))
        return expanded

    def _restore_expansion(self, expanded: set[str]) -> None:
        """Events open before stay open; events new to the tree open, so new imports show
        (in order, while fewer than about EXPAND_LIMIT of their documents are open: the
        first view of an archive of 50,000 documents does not lay out every one)."""
        opened = 0
        for row in range(self.model.rowCount()):
            event = self.model.event_at(row)
            index = self.model.index(row, COL_TITLE)
            if event in expanded or (event not in self._known_events and opened < self.EXPAND_LIMIT):
                self.tree.expand(index)
                if event not in expanded:
                    opened += self.model.rowCount(index)

    # ------------------------------------------------------------------ events
    def _apply_filter(self, text: str) -> None:
        current = self.current_document()
        if not self.model.set_filter(text):
            return
        self._span_event_rows(self._screen_rows())
        # Matches inside closed events would otherwise stay out of sight.
        self._expand_matches()
        if current:
            index = self.model.document_index(current)
            if index.isValid():  # still shown: still selected (without choosing it again)
                self.tree.expand(index.parent())
                self.tree.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    # Documents shown open at first and after each key of the filter; events beyond stay closed
    # with their count. Each opened row is laid out through the Python model at every key,
    # so this is what a few screens hold, not an archive's thousands.
    EXPAND_LIMIT = 300

    def _expand_matches(self) -> None:
        """Open the events left by the filter, in order, until about EXPAND_LIMIT documents show:
        opening 50,000 matches would lay out every one of them at each key."""
        shown = 0
        for row in range(self.model.rowCount()):
            if shown >= self.EXPAND_LIMIT:
                break
            index = self.model.index(row, COL_TITLE)
            self.tree.expand(index)
            shown += self.model.rowCount(index)

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

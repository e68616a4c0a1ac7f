"""The table of every annotation on the open documents, with filters: the panel and its view.

The rows come from ``annotation_model`` (read a page at a time, sorted and filtered
by a proxy); the columns and what a row says from ``annotation_rows``.
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
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...session import Session
from .annotation_rows import (
    COL_CATEGORY,
    COL_CHANNEL,
    COL_DOCUMENT,
    COL_LAYER,
    COL_LINKS,
    COL_MODE,
    COL_SPEAKER,
    COL_TEXT,
    COL_TYPE,
    TYPES,
)
from .annotation_model import AnnotationFilter, AnnotationModel


class _AnnotationView(QTableView):
    """A table that keeps Enter, Delete and F2 for itself, even when a window shortcut uses them."""

    enter_pressed = Signal()
    delete_pressed = Signal()
    edit_pressed = Signal()

    _KEYS = {
        Qt.Key.Key_Return: "enter_pressed",
        Qt.Key.Key_Enter: "enter_pressed",
        Qt.Key.Key_Delete: "delete_pressed",
        Qt.Key.Key_F2: "edit_pressed",
    }

    def _signal_for(self, event: QKeyEvent) -> str | None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers != Qt.KeyboardModifier.NoModifier:
            return None
        return self._KEYS.get(Qt.Key(event.key()))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self._signal_for(event) is not None:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        name = self._signal_for(event)
        if name is None:
            super().keyPressEvent(event)
            return
        getattr(self, name).emit()
        event.accept()


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class AnnotationPanel(QWidget):
    """The annotation list beside the texts: filter it, pick a row to jump to its span."""

    span_activated = Signal(str)
    delete_requested = Signal(list)
    edit_requested = Signal(str)

    FILTER_DELAY_MS = 150

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._visible_layers: frozenset[str] | None = None
        self._kept_selection: list[str] = []
        self._kept_current = ""

        self.model = AnnotationModel(session, self)
        self.proxy = AnnotationFilter(self)
        self.proxy.setSourceModel(self.model)

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter annotations…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter annotations")
        self.filter_edit.setToolTip("Show annotations whose text, note, category or speaker contains this")
        # Filtering 10,000 rows on every keystroke would make typing stutter.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(self.FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self._apply_text_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        self.filter_edit.returnPressed.connect(self._apply_text_filter)

        self.type_combo = QComboBox(self)
        self.type_combo.setAccessibleName("Annotation type filter")
        self.type_combo.setToolTip("Show one type of annotation")
        self.type_combo.addItem("All types", None)
        for type_name in TYPES:
            self.type_combo.addItem(type_name, type_name)
        self.type_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_type(self.type_combo.currentData())
        )

        self.layer_combo = QComboBox(self)
        self.layer_combo.setAccessibleName("Layer filter")
        self.layer_combo.setToolTip("Show the annotations of one layer (an annotator, or reviewed)")
        self.layer_combo.currentIndexChanged.connect(self._apply_layers)

        self.category_combo = QComboBox(self)
        self.category_combo.setAccessibleName("Category filter")
        self.category_combo.setToolTip("Show the claims of one category")
        self.category_combo.currentIndexChanged.connect(
            lambda: self.proxy.set_category(self.category_combo.currentData())
        )

        self.view = _AnnotationView(self)
        self.view.setAccessibleName("Annotations")
        self.view.setAccessibleDescription(
            "Enter goes to the annotation, F2 edits it, Delete deletes the selected annotations"
        )
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        header.setAccessibleName("Annotation columns")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicatorClearable(True)
        # No sort column until the user picks one: rows start in reading order.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        em = self.fontMetrics().horizontalAdvance("m")
        widths = {COL_DOCUMENT: 12, COL_TYPE: 9, COL_TEXT: 30, COL_CATEGORY: 10, COL_SPEAKER: 10,
                  COL_MODE: 8, COL_CHANNEL: 8, COL_LINKS: 5, COL_LAYER: 7}
        for column, width in widths.items():
            self.view.setColumnWidth(column, width * em)

        self.view.clicked.connect(self._emit_activated)
        self.view.enter_pressed.connect(lambda: self._emit_activated(self.view.currentIndex()))
        self.view.doubleClicked.connect(self._emit_edit)
        self.view.edit_pressed.connect(lambda: self._emit_edit(self.view.currentIndex()))
        self.view.delete_pressed.connect(self._emit_delete)

        self.model.modelAboutToBeReset.connect(self._keep_selection)
        self.model.modelReset.connect(self._restore_selection)
        session.changed.connect(self._on_changed)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.filter_edit, 1)
        filters.addWidget(self.type_combo)
        filters.addWidget(self.layer_combo)
        filters.addWidget(self.category_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        QWidget.setTabOrder(self.filter_edit, self.type_combo)
        QWidget.setTabOrder(self.type_combo, self.layer_combo)
        QWidget.setTabOrder(self.layer_combo, self.category_combo)
        QWidget.setTabOrder(self.category_combo, self.view)
        self.setFocusProxy(self.view)
        self.setAccessibleName("Annotation list")

        self._fill_layers()
        self._fill_categories()

    # ------------------------------------------------------------------ public
    def set_documents(self, doc_ids: list[str]) -> None:
        self.model.set_documents(doc_ids)
        self._fill_layers()

    def set_visible_layers(self, layers: set[str] | None) -> None:
        """Show only these layers (as the text panes do); None shows every layer."""
        self._visible_layers = None if layers is None else frozenset(layers)
        self._apply_layers()

    def select_span(self, span_id: str) -> bool:
        """Select and reveal the row of ``span_id``; False when no visible row shows it."""
        row = self.model.row_of(span_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        selection = self.view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        selection.setCurrentIndex(index, flags)
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def selected_span_ids(self) -> list[str]:
        """The selected rows' span ids, in the order shown."""
        rows = sorted(self.view.selectionModel().selectedRows(), key=lambda i: i.row())
        return [index.data(Qt.ItemDataRole.UserRole) for index in rows]

    # ---------------------------------------------------------------- signals
    def _emit_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.span_activated.emit(index.data(Qt.ItemDataRole.UserRole))

    def _emit_edit(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_requested.emit(index.data(Qt.ItemDataRole.UserRole))

    def _emit_delete(self) -> None:
        span_ids = self.selected_span_ids()
        if span_ids:
            self.delete_requested.emit(span_ids)

    # ---------------------------------------------------------------- filters
    def _apply_text_filter(self) -> None:
        self._filter_timer.stop()
        self.proxy.set_text(self.filter_edit.text())

    def _apply_layers(self) -> None:
        chosen = self.layer_combo.currentData()
        if chosen is None:
            self.proxy.set_layers(self._visible_layers)
        elif self._visible_layers is None or chosen in self._visible_layers:
            self.proxy.set_layers({chosen})
        else:
            self.proxy.set_layers(set())

    def _fill_layers(self) -> None:
        self._refill(self.layer_combo, "All layers", [(name, name, None) for name in self._session.store.layers()])
        self._apply_layers()

    def _fill_categories(self) -> None:
        categories = self._session.store.categories()
        self._refill(
            self.category_combo, "All categories", [(c.name, c.id, _swatch(c.color)) for c in categories]
        )
        self.proxy.set_category(self.category_combo.currentData())

    @staticmethod
    def _refill(combo: QComboBox, everything: str, items: list[tuple[str, str, QIcon | None]]) -> None:
        """Replace a filter combo's items, keeping the chosen one when it still exists."""
        chosen = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, data, icon in items:
            if icon is None:
                combo.addItem(text, data)
            else:
                combo.addItem(icon, text, data)
        found = combo.findData(chosen) if chosen is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.codebook:
            self._fill_categories()
        if changes.spans or changes.links or changes.corpus:
            layers = [self.layer_combo.itemData(i) for i in range(1, self.layer_combo.count())]
            if layers != self._session.store.layers():
                self._fill_layers()

    # --------------------------------------------------------------- selection
    def _keep_selection(self) -> None:
        self._kept_selection = self.selected_span_ids()
        current = self.view.currentIndex()
        self._kept_current = current.data(Qt.ItemDataRole.UserRole) if current.isValid() else ""

    def _restore_selection(self) -> None:
        selection = self.view.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for span_id in self._kept_selection:
            row = self.model.row_of(span_id)
            if row >= 0:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    selection.select(index, flags)
        if self._kept_current:
            row = self.model.row_of(self._kept_current)
            if row >= 0:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        self._kept_selection = []
        self._kept_current = ""

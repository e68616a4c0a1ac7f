"""The Review panel: two annotators' layers side by side, item by item, and the reviewer's decisions.

It shows; the review feature acts. Choosing a row, a pair of layers, a scope or
a layer view are requests the feature turns into workspace moves and session
verbs. Every status is written as a word and a symbol, with colour only as a
third cue, so the list reads the same without colour vision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.compare import AGREED, DIFFERS, ONLY_A, ONLY_B, link_answer, relation_answer
from ...core.model import Span
from ...adjudication import DECISION_NAMES, SIDE_A, SIDE_B, ReviewItem
from .annotation_rows import one_line
from ..common.i18n import tr, trf, translate_text

# Status -> (symbol, words, colour). The symbols point at the side that has the annotation.
STATUS_LOOK = {
    AGREED: ("=", "agreed", "#2e7d32"),
    DIFFERS: ("≠", "differs", "#b26a00"),
    ONLY_A: ("◀", "only in A", "#1f6fb2"),
    ONLY_B: ("▶", "only in B", "#8e44ad"),
}
SETTLED_MARK = "✔"
OPEN_MARK = "○"

SCOPE_CORPUS = "corpus"
SCOPE_SHOWN = "shown"

# Layer views offered as quick toggles: (key, button text, accessible description).
LAYER_VIEWS = (
    ("a", "Only A", "Show only annotator A's layer"),
    ("b", "Only B", "Show only annotator B's layer"),
    ("both", "A and B", "Show annotators A's and B's layers"),
    ("reviewed", "Reviewed", "Show only the reviewed layer"),
    ("all", "All layers", "Show every layer"),
)

COLUMNS = ("Status", "Decision", "Document", "Text", "A", "B")
COL_STATUS, COL_DECISION, COL_DOCUMENT, COL_TEXT, COL_A, COL_B = range(len(COLUMNS))
ASPECTS = ("text", "boundaries", "category", "speaker", "mode", "channel", "links", "relation", "note")
TEXT_LIMIT = 70
TITLE_LIMIT = 32


def status_text(item: ReviewItem) -> str:
    symbol, words, _colour = STATUS_LOOK[item.status]
    words = tr(words)
    if item.status == DIFFERS and item.match.differences:
        words += ": " + ", ".join(tr(d) for d in item.match.differences)
    return f"{symbol} {words}"


def decision_text(item: ReviewItem) -> str:
    if item.decision is None:
        return f"{OPEN_MARK} {tr('open')}"
    return f"{SETTLED_MARK} {tr('settled:')} {tr(DECISION_NAMES[item.decision])}"


def action_button(action: QAction, parent: QWidget) -> QToolButton:
    """A button for a window action: it follows the action's text and enabled state, and takes Tab focus.

    The action's shortcut stays the only one: the button text carries no
    mnemonic, which would claim an Alt key of its own.
    """
    button = QToolButton(parent)
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    button.setAccessibleName(action.text().replace("&", ""))
    return button


class Names:
    """Display names of codebook entries and link targets, read once per codebook change."""

    def __init__(
        self,
        categories: dict[str, str],
        speakers: dict[str, str],
        channels: dict[str, str],
        documents: dict[str, str],
    ) -> None:
        self.categories = categories
        self.speakers = speakers
        self.channels = channels
        self.documents = documents

    def aspect(self, span: Span | None, aspect: str, targets: dict, relations: dict | None = None) -> str:
        """How ``span`` answers one aspect, in words; "—" when the side has no annotation."""
        if span is None:
            return "—"
        if aspect == "text":
            return one_line(span.quote, TEXT_LIMIT)
        if aspect == "boundaries":
            return trf("characters %1–%2", span.start, span.end)
        if aspect == "category":
            return self.categories.get(span.category_id or "", "?") if span.category_id else tr("no category")
        if aspect == "speaker":
            return self.speakers.get(span.speaker_id or "", "?") if span.speaker_id else tr("no speaker")
        if aspect == "mode":
            return tr(span.mode or "no mode")
        if aspect == "channel":
            return self.channels.get(span.channel_id or "", "?") if span.channel_id else tr("no channel")
        if aspect == "links":
            return self.lines(link_answer(span, targets))
        if aspect == "relation":
            return tr(relation_answer(span, targets, relations or {}) or "not linked")
        return span.note or tr("no note")

    def lines(self, answer: frozenset[tuple[str, int]] | None) -> str:
        if answer is None:
            return tr("not linked")
        if not answer:
            return tr("no source")
        by_transcript: dict[str, list[int]] = {}
        for transcript, number in sorted(answer):
            by_transcript.setdefault(transcript, []).append(number)
        parts = [", ".join(str(n) for n in numbers) for numbers in by_transcript.values()]
        if len(parts) == 1:
            return ("line " if len(answer) == 1 else "lines ") + parts[0]
        return "; ".join(
            f"{one_line(self.documents.get(t, t), 20)}: {part}" for t, part in zip(by_transcript, parts)
        )

    def summary(self, span: Span | None, targets: dict, relations: dict | None = None) -> str:
        """A span's labels on one line: category · speaker, mode, channel · links (relation)."""
        if span is None:
            return "— (none)"
        parts = []
        if span.category_id:
            parts.append(self.aspect(span, "category", targets))
        if span.speaker_id or span.mode or span.channel_id:
            who = [self.aspect(span, "speaker", targets), tr(span.mode or "no mode")]
            if span.channel_id:
                who.append(tr("via") + " " + self.aspect(span, "channel", targets))
            parts.append(", ".join(who))
        links = self.aspect(span, "links", targets)
        relation = relation_answer(span, targets, relations or {})
        parts.append(f"{links} ({tr(relation)})" if relation and relation != links else links)
        return " · ".join(parts)


class ReviewModel(QAbstractTableModel):
    """The items shown in the list: a plain list, replaced whole when the comparison changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[ReviewItem] = []
        self.names = Names({}, {}, {}, {})
        self.targets: dict = {}
        self.relations: dict = {}
        self.layers = ("A", "B")

    def set_items(
        self, items: Sequence[ReviewItem], targets: dict, layers: tuple[str, str], relations: dict | None = None
    ) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.targets = targets
        if relations is not None:
            self.relations = relations
        self.layers = layers
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> str | None:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == COL_A:
            return f"A: {self.layers[0]}"
        if section == COL_B:
            return f"B: {self.layers[1]}"
        return tr(COLUMNS[section])

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == COL_TEXT:
                return (item.a or item.b).quote
            if column == COL_DOCUMENT:
                return self.names.documents.get(item.document_id, item.document_id)
            return self._text(item, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATUS:
            return QColor(STATUS_LOOK[item.status][2])
        if role == Qt.ItemDataRole.UserRole:
            return item
        return None

    def _text(self, item: ReviewItem, column: int) -> str:
        if column == COL_STATUS:
            return status_text(item)
        if column == COL_DECISION:
            return decision_text(item)
        if column == COL_DOCUMENT:
            return one_line(self.names.documents.get(item.document_id, item.document_id), TITLE_LIMIT)
        if column == COL_TEXT:
            return one_line((item.a or item.b).quote, TEXT_LIMIT)
        return self.names.summary(item.a if column == COL_A else item.b, self.targets, self.relations)


class ReviewPanel(QWidget):
    layers_chosen = Signal(str, str)  # layer A, layer B
    scope_changed = Signal(str)  # SCOPE_CORPUS or SCOPE_SHOWN
    item_chosen = Signal(object)  # ReviewItem, or None when the list is empty
    layer_view_chosen = Signal(str)  # a key of LAYER_VIEWS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._all_items: list[ReviewItem] = []
        self._quiet = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        top = QHBoxLayout()
        self.combo_a = self._layer_combo("Annotator A", "The first layer compared")
        self.combo_b = self._layer_combo("Annotator B", "The second layer compared")
        self.scope = QComboBox(self)
        self.scope.setAccessibleName("Review scope")
        self.scope.setToolTip("Compare the documents on screen, or every document of the project")
        self.scope.addItem("Whole corpus", SCOPE_CORPUS)
        self.scope.addItem("Shown documents", SCOPE_SHOWN)
        self.scope.currentIndexChanged.connect(lambda _i: self.scope_changed.emit(self.scope.currentData()))
        self.disagreements_only = QCheckBox("Disagreements only", self)
        self.disagreements_only.setAccessibleName("Show disagreements only")
        self.disagreements_only.setChecked(True)
        self.disagreements_only.toggled.connect(lambda _on: self._fill())
        for label, widget in (("A:", self.combo_a), ("B:", self.combo_b), ("Scope:", self.scope)):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            top.addWidget(caption)
            top.addWidget(widget)
        top.addWidget(self.disagreements_only)
        # The panel lies along the bottom of the window: controls go in two rows and a column
        # beside the list, so the list itself keeps the height for several rows.
        self.progress = QLabel(self)
        self.progress.setAccessibleName("Review progress")
        top.addSpacing(12)
        top.addWidget(self.progress, 1)
        layout.addLayout(top)

        middle = QHBoxLayout()
        layout.addLayout(middle, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        middle.addWidget(splitter, 1)
        self.model = ReviewModel(self)
        self.table = QTableView(splitter)
        self.table.setAccessibleName("Items compared")
        self.table.setAccessibleDescription(
            "One row per matched annotation; F8 and Shift+F8 step through the disagreements")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        # One line of text per row, with a little air: more items fit the panel's height.
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setAccessibleName("Review columns")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        em = self.fontMetrics().horizontalAdvance("m")
        for column, width in ((COL_STATUS, 14), (COL_DECISION, 14), (COL_DOCUMENT, 14), (COL_TEXT, 22), (COL_A, 22)):
            header.resizeSection(column, width * em)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.details = QTreeWidget(splitter)
        self.details.setAccessibleName("Differences of the selected item")
        self.details.setRootIsDecorated(False)
        self.details.setHeaderLabels(["", tr("Aspect"), "A", "B"])
        self.details.setAlternatingRowColors(True)
        # Both sides share the width (cut with "…"; the whole value is the cell's tooltip).
        details_header = self.details.header()
        details_header.setStretchLastSection(False)
        for column, mode in ((0, QHeaderView.ResizeMode.ResizeToContents), (1, QHeaderView.ResizeMode.ResizeToContents),
                             (2, QHeaderView.ResizeMode.Stretch), (3, QHeaderView.ResizeMode.Stretch)):
            details_header.setSectionResizeMode(column, mode)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])

        # The decisions, in a column beside the list.
        self.edit_side = QComboBox(self)
        self.edit_side.setAccessibleName("Edit starts from")
        self.edit_side.setToolTip("Which annotator's version Edit copies into the reviewed layer")
        self.edit_side.addItem("Edit from A", SIDE_A)
        self.edit_side.addItem("Edit from B", SIDE_B)
        self.decision_buttons = QVBoxLayout()
        self.decision_buttons.setSpacing(2)
        self.decision_buttons.addWidget(self.edit_side)
        self.decision_buttons.addStretch(1)
        middle.addLayout(self.decision_buttons)

        view_row = QHBoxLayout()
        self.comment = QLineEdit(self)
        self.comment.setAccessibleName("Comment on the decision")
        self.comment.setPlaceholderText("Comment on the decision (optional)")
        self.comment.setClearButtonEnabled(True)
        view_row.addWidget(self.comment, 1)
        view_row.addSpacing(12)
        view_row.addWidget(QLabel("Show:", self))
        self.layer_views = QButtonGroup(self)
        self.layer_views.setExclusive(True)
        for key, text, description in LAYER_VIEWS:
            button = QPushButton(text, self)
            button.setCheckable(True)
            button.setAccessibleName(description)
            button.setToolTip(description)
            button.setProperty("layer_view", key)
            self.layer_views.addButton(button)
            view_row.addWidget(button)
        self.layer_views.buttonClicked.connect(lambda b: self.layer_view_chosen.emit(b.property("layer_view")))
        self.layer_view_row = view_row
        view_row.addStretch(0)
        layout.addLayout(view_row)

    def _layer_combo(self, name: str, tip: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.activated.connect(lambda _i: self.layers_chosen.emit(self.combo_a.currentText(),
                                                                    self.combo_b.currentText()))
        return combo

    # ------------------------------------------------------------- buttons
    def add_action_button(self, action: QAction, *, beside_layer_views: bool = False) -> QToolButton:
        """Show a window action as a button under the list (or after the layer view toggles)."""
        button = action_button(action, self)
        if beside_layer_views:
            self.layer_view_row.insertWidget(self.layer_view_row.count() - 1, button)  # before the stretch
        else:
            # In the column beside the list, above "Edit from", as wide as the column.
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.decision_buttons.insertWidget(self.decision_buttons.count() - 2, button)
        return button

    # -------------------------------------------------------------- layers
    def set_layers(self, layers: Sequence[str], layer_a: str, layer_b: str) -> None:
        """Offer ``layers`` in both combo boxes and show the chosen pair, without emitting."""
        for combo, chosen in ((self.combo_a, layer_a), (self.combo_b, layer_b)):
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(list(layers))
            combo.setCurrentIndex(max(0, combo.findText(chosen)))
            combo.blockSignals(False)

    def scope_value(self) -> str:
        return self.scope.currentData()

    def edit_from(self) -> str:
        return self.edit_side.currentData()

    def take_comment(self) -> str:
        text = self.comment.text().strip()
        self.comment.clear()
        return text

    # --------------------------------------------------------------- items
    def set_names(self, names: Names) -> None:
        self.model.names = names
        self._fill()

    def show_items(
        self,
        items: Iterable[ReviewItem],
        targets: dict,
        layers: tuple[str, str],
        progress: str,
        relations: dict | None = None,
    ) -> None:
        """Show a comparison; the selected item stays selected (without being chosen again)."""
        self._all_items = list(items)
        self.progress.setText(translate_text(progress))
        self.model.layers = layers
        self.model.relations = relations or {}
        self.details.setHeaderLabels(["", tr("Aspect"), f"A: {layers[0]}", f"B: {layers[1]}"])
        self._fill(targets)

    def show_message(self, message: str) -> None:
        """Nothing to compare (fewer than two layers, or the same layer twice): say why."""
        self._all_items = []
        self.progress.setText(message)
        self.model.relations = {}
        self._fill({})

    def _fill(self, targets: dict | None = None) -> None:
        current = self.current_item()
        shown = [item for item in self._all_items if item.disagreement or not self.disagreements_only.isChecked()]
        self._quiet = True
        try:
            self.model.set_items(shown, self.model.targets if targets is None else targets, self.model.layers)
            row = next((i for i, item in enumerate(shown) if current is not None and item.key == current.key), -1)
            if row >= 0:
                self._select_row(row)
        finally:
            self._quiet = False
        self._show_details(self.current_item())

    def current_item(self) -> ReviewItem | None:
        index = self.table.currentIndex()
        return self.model.items[index.row()] if index.isValid() and index.row() < len(self.model.items) else None

    def step(self, direction: int) -> ReviewItem | None:
        """Select the next (1) or previous (-1) disagreement after the current row, wrapping around."""
        rows = [i for i, item in enumerate(self.model.items) if item.disagreement]
        if not rows:
            return None
        current = self.table.currentIndex().row() if self.table.currentIndex().isValid() else -1
        if direction > 0:
            row = next((r for r in rows if r > current), rows[0])
        else:
            row = next((r for r in reversed(rows) if r < current), rows[-1]) if current >= 0 else rows[-1]
        self._select_row(row)
        return self.model.items[row]

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.items[current.row()] if current.isValid() else None
        self._show_details(item)
        if not self._quiet:
            self.item_chosen.emit(item)

    def _show_details(self, item: ReviewItem | None) -> None:
        self.details.clear()
        if item is None:
            return
        names, targets, relations = self.model.names, self.model.targets, self.model.relations
        differences = set(item.match.differences) | ({"text"} if "boundaries" in item.match.differences else set())
        for aspect in ASPECTS:
            value_a = names.aspect(item.a, aspect, targets, relations)
            value_b = names.aspect(item.b, aspect, targets, relations)
            if item.a is None or item.b is None:
                differs = True
            elif aspect == "note":
                differs = item.a.note != item.b.note
            else:
                differs = aspect in differences
            mark = "≠" if differs else "="
            row = QTreeWidgetItem([mark, tr(aspect), value_a, value_b])
            row.setToolTip(0, "differs" if differs else "same")
            row.setToolTip(2, value_a)
            row.setToolTip(3, value_b)
            if differs:
                font = row.font(1)
                font.setBold(True)
                for column in range(4):
                    row.setFont(column, font)
            self.details.addTopLevelItem(row)

"""Edit the project's codebook: claim categories, speakers and channels.

Every change goes through the session, so it lands on the undo stack like an
annotation does and other views refresh from ``Session.changed``. A category
colour is painted behind black text; the editor warns when that text would be
hard to read (WCAG contrast below 4.5:1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..common.keys import is_plain_enter
from ...commands.ops import SetChannel, SetSpeaker
from ...core.changes import Changes
from ...core.colors import BLACK, MIN_TEXT_CONTRAST, contrast_ratio, is_hex_color, parse_hex
from ...core.model import Category, Channel, Speaker, new_id
from ...session import Session
from ...storage import Store

# Single keys the annotation window keeps for its own commands; digits pick link relations.
RESERVED_KEYS = "QLNGDUJK"

ID_ROLE = Qt.ItemDataRole.UserRole


def shortcut_problem(key: str, category_id: str, categories: list[Category]) -> str | None:
    """Why ``key`` cannot be the shortcut of category ``category_id``; None when it can.

    An empty key is allowed: the category is then chosen from the menu only.
    """
    key = key.strip().upper()
    if not key:
        return None
    if len(key) != 1 or not key.isalpha():
        return "The shortcut must be a single letter."
    if key in RESERVED_KEYS:
        return f"{key} is kept for another command (reserved: {', '.join(RESERVED_KEYS)})."
    for other in categories:
        if other.id != category_id and other.shortcut.upper() == key:
            return f"{key} is already the shortcut of “{other.name}”."
    return None


def contrast_warning(color: str) -> str:
    """A warning when black text on ``color`` is below the WCAG minimum; "" otherwise."""
    if not is_hex_color(color):
        return ""
    ratio = contrast_ratio(color, BLACK)
    if ratio >= MIN_TEXT_CONTRAST:
        return ""
    return (
        f"Black text on this colour has a contrast ratio of {ratio:.1f}:1, below the "
        f"{MIN_TEXT_CONTRAST:g}:1 that WCAG asks for: highlighted quotes will be hard to read. "
        "A lighter colour is easier on the eyes."
    )


def normalise_color(color: str) -> str:
    r, g, b = parse_hex(color)
    return f"#{r:02x}{g:02x}{b:02x}"


def spans_using(store: Store, *, category_id: str | None = None, speaker_id: str | None = None) -> int:
    """How many spans use a category or a speaker.

    Stands in for a ``Store.count_spans_using`` query; this reads every span.
    """
    return sum(
        1
        for span in store.spans()
        if (category_id is not None and span.category_id == category_id)
        or (speaker_id is not None and span.speaker_id == speaker_id)
    )


class _Editor(QDialog):
    """A small form with OK/Cancel; OK is enabled only while the form is valid."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.form = QFormLayout()
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("OK")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self.body.addWidget(self.problem)
        self.body.addWidget(self.buttons)

    def add_field(self, label: str, widget: QWidget, accessible_name: str) -> None:
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        widget.setAccessibleName(accessible_name)
        self.form.addRow(caption, widget)

    def problems(self) -> list[str]:
        return []

    def validate(self) -> None:
        problems = self.problems()
        self.problem.setText("\n".join(problems))
        self.problem.setVisible(bool(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    def accept(self) -> None:
        if not self.problems():
            super().accept()


class CategoryEditor(_Editor):
    """Name, colour, shortcut key and description of one claim category."""

    def __init__(self, category: Category | None, categories: list[Category], parent: QWidget | None = None) -> None:
        super().__init__("Edit category" if category else "Add category", parent)
        self._original = category
        self._others = [c for c in categories if category is None or c.id != category.id]
        self._categories = categories

        self.name_edit = QLineEdit(category.name if category else "", self)
        self.add_field("&Name", self.name_edit, "Category name")

        self.color_edit = QLineEdit(category.color if category else "#f0e68c", self)
        self.color_edit.setToolTip("A colour as #rrggbb")
        self.color_button = QPushButton("C&hoose…", self)
        self.color_button.setAccessibleName("Choose colour")
        self.color_button.setAutoDefault(False)
        self.color_button.clicked.connect(self._choose_color)
        self.sample = QLabel(" Sample quote ", self)
        self.sample.setAccessibleName("Colour sample")
        colour_row = QWidget(self)
        row = QHBoxLayout(colour_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.color_edit, 1)
        row.addWidget(self.color_button)
        row.addWidget(self.sample)
        colour_row.setAccessibleName("Colour controls")
        self.form.addRow(self._caption("&Colour", self.color_edit), colour_row)
        self.color_edit.setAccessibleName("Colour")

        self.key_edit = QLineEdit(category.shortcut if category else "", self)
        self.key_edit.setMaxLength(1)
        self.key_edit.setToolTip("One letter that applies this category to the selection")
        self.add_field("Shortcut &key", self.key_edit, "Shortcut key")

        self.description_edit = QPlainTextEdit(category.description if category else "", self)
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(self.fontMetrics().height() * 5)
        self.add_field("&Description", self.description_edit, "Description")

        self.contrast = QLabel(self)
        self.contrast.setWordWrap(True)
        self.contrast.setAccessibleName("Contrast warning")
        self.body.insertWidget(1, self.contrast)

        for edit in (self.name_edit, self.color_edit, self.key_edit):
            edit.textChanged.connect(self.validate)
        self.validate()

    def _caption(self, text: str, buddy: QWidget) -> QLabel:
        caption = QLabel(text, self)
        caption.setBuddy(buddy)
        return caption

    def _choose_color(self) -> None:
        current = self.color_edit.text() if is_hex_color(self.color_edit.text()) else "#ffffff"
        chosen = QColorDialog.getColor(QColor(current), self, "Category colour")
        if chosen.isValid():
            self.color_edit.setText(chosen.name())

    def problems(self) -> list[str]:
        problems = []
        name = " ".join(self.name_edit.text().split())
        if not name:
            problems.append("Give the category a name.")
        elif any(other.name.casefold() == name.casefold() for other in self._others):
            problems.append(f"There is already a category “{name}”.")
        if not is_hex_color(self.color_edit.text()):
            problems.append("The colour must be written #rrggbb.")
        own_id = self._original.id if self._original else ""
        key_problem = shortcut_problem(self.key_edit.text(), own_id, self._categories)
        if key_problem:
            problems.append(key_problem)
        return problems

    def validate(self) -> None:
        super().validate()
        color = self.color_edit.text()
        if is_hex_color(color):
            self.sample.setStyleSheet(f"background-color: {normalise_color(color)}; color: #000000;")
        warning = contrast_warning(color)
        self.contrast.setText(("⚠ " + warning) if warning else "")
        self.contrast.setVisible(bool(warning))

    def category(self) -> Category:
        """The edited category (a new id and the last position when adding)."""
        original = self._original
        position = original.position if original else max((c.position for c in self._categories), default=-1) + 1
        return Category(
            id=original.id if original else new_id(),
            name=" ".join(self.name_edit.text().split()),
            color=normalise_color(self.color_edit.text()),
            shortcut=self.key_edit.text().strip().upper(),
            description=self.description_edit.toPlainText().strip(),
            position=position,
        )


class NameEditor(_Editor):
    """A name (and optionally a role) that must differ from the names already taken."""

    def __init__(
        self,
        title: str,
        noun: str,
        name: str,
        taken: list[str],
        role: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self._noun = noun
        self._taken = {t.casefold() for t in taken}
        self.name_edit = QLineEdit(name, self)
        self.add_field("&Name", self.name_edit, f"{noun.capitalize()} name")
        self.role_edit: QLineEdit | None = None
        if role is not None:
            self.role_edit = QLineEdit(role, self)
            self.role_edit.setToolTip("For example: President, Foreign Minister, press secretary")
            self.add_field("&Role", self.role_edit, f"{noun.capitalize()} role")
        self.name_edit.textChanged.connect(self.validate)
        self.validate()

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())

    def role(self) -> str:
        return self.role_edit.text().strip() if self.role_edit is not None else ""

    def problems(self) -> list[str]:
        name = self.name()
        if not name:
            return [f"Give the {self._noun} a name."]
        if name.casefold() in self._taken:
            return [f"There is already a {self._noun} “{name}”."]
        return []


class _RowTable(QTableWidget):
    """A read-only table of rows; Enter or double-click asks to edit the current row."""

    edit_requested = Signal()

    def __init__(self, headers: list[str], accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.setAccessibleName(accessible_name)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.doubleClicked.connect(lambda _index: self.edit_requested.emit())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and is_plain_enter(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter edits the row here; it must not reach the dialog and close it.
        if is_plain_enter(event):
            self.edit_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def current_id(self) -> str | None:
        item = self.item(self.currentRow(), 0) if self.currentRow() >= 0 else None
        return item.data(ID_ROLE) if item is not None else None

    def select_id(self, item_id: str | None) -> None:
        for row in range(self.rowCount()):
            if self.item(row, 0).data(ID_ROLE) == item_id:
                self.selectRow(row)
                return
        if self.rowCount():
            self.selectRow(0)


def _button(text: str, accessible_name: str, slot: Callable[[], None], parent: QWidget) -> QPushButton:
    button = QPushButton(text, parent)
    button.setAccessibleName(accessible_name)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


class CodebookDialog(QDialog):
    """The codebook in three tabs; edits are undoable and show at once everywhere."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.setWindowTitle("Codebook")
        self.setAccessibleName("Codebook")

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Codebook sections")

        # Categories
        self.category_table = _RowTable(["Category", "Key", "Description"], "Categories", self)
        self.category_table.edit_requested.connect(self.edit_category)
        self.category_buttons = [
            _button("&Add…", "Add category", self.add_category, self),
            _button("&Edit…", "Edit category", self.edit_category, self),
            _button("&Remove", "Remove category", self.remove_category, self),
            _button("Move &up", "Move category up", lambda: self.move_category(-1), self),
            _button("Move do&wn", "Move category down", lambda: self.move_category(1), self),
        ]
        self.contrast_note = QLabel(self)
        self.contrast_note.setWordWrap(True)
        self.contrast_note.setAccessibleName("Contrast warnings")
        self.tabs.addTab(
            self._tab(self.category_table, self.category_buttons, self.contrast_note), "Ca&tegories"
        )

        # Speakers
        self.speaker_table = _RowTable(["Speaker", "Role"], "Speakers", self)
        self.speaker_table.edit_requested.connect(self.edit_speaker)
        self.speaker_buttons = [
            _button("Add…", "Add speaker", self.add_speaker, self),
            _button("Edit…", "Edit speaker", self.edit_speaker, self),
            _button("Remove", "Remove speaker", self.remove_speaker, self),
        ]
        self.tabs.addTab(self._tab(self.speaker_table, self.speaker_buttons), "S&peakers")

        # Channels
        self.channel_table = _RowTable(["Channel"], "Channels", self)
        self.channel_table.edit_requested.connect(self.rename_channel)
        self.channel_buttons = [
            _button("Add…", "Add channel", self.add_channel, self),
            _button("Rename…", "Rename channel", self.rename_channel, self),
        ]
        self.tabs.addTab(self._tab(self.channel_table, self.channel_buttons), "C&hannels")

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.hide()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close codebook")
        close.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.resize(640, 420)

        session.changed.connect(self._on_changed)
        self.reload()

    def _tab(self, table: QTableWidget, buttons: list[QPushButton], note: QLabel | None = None) -> QWidget:
        page = QWidget(self)
        page.setAccessibleName(table.accessibleName())
        column = QVBoxLayout()
        for button in buttons:
            column.addWidget(button)
        column.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(table, 1)
        row.addLayout(column)
        layout = QVBoxLayout(page)
        layout.addLayout(row, 1)
        if note is not None:
            layout.addWidget(note)
        return page

    # ----------------------------------------------------------------- reading
    def reload(self) -> None:
        """Re-read the codebook, keeping each table's current row."""
        store = self._session.store
        self._fill_categories(store.categories())
        self._fill(self.speaker_table, [(s.id, [s.name, s.role]) for s in store.speakers()])
        self._fill(self.channel_table, [(c.id, [c.name]) for c in store.channels()])

    def _fill(self, table: _RowTable, rows: list[tuple[str, list[str]]]) -> list[QTableWidgetItem]:
        current = table.current_id()
        table.setRowCount(0)
        table.setRowCount(len(rows))
        first_items = []
        for r, (item_id, values) in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(ID_ROLE, item_id)
                table.setItem(r, c, item)
            first_items.append(table.item(r, 0))
        table.select_id(current)
        return first_items

    def _fill_categories(self, categories: list[Category]) -> None:
        items = self._fill(
            self.category_table, [(c.id, [c.name, c.shortcut, c.description]) for c in categories]
        )
        low = []
        for item, category in zip(items, categories):
            # The name is drawn as a highlight is, black on the category colour.
            item.setBackground(QColor(category.color))
            item.setForeground(QColor(BLACK))
            ratio = contrast_ratio(category.color, BLACK)
            item.setToolTip(f"{category.color}, contrast with black text {ratio:.1f}:1")
            if ratio < MIN_TEXT_CONTRAST:
                item.setText(f"⚠ {category.name}")
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{category.name}, low contrast")
                low.append(f"{category.name} ({ratio:.1f}:1)")
        self.contrast_note.setText(
            f"⚠ Hard to read: black text on {', '.join(low)} has a contrast below "
            f"{MIN_TEXT_CONTRAST:g}:1. Choose lighter colours."
            if low
            else ""
        )
        self.contrast_note.setVisible(bool(low))

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.codebook:
            self.reload()

    def _tell(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def run_editor(self, editor: QDialog) -> bool:
        """Show an editor modally; True when the user accepted it."""
        try:
            return editor.exec() == QDialog.DialogCode.Accepted
        finally:
            editor.deleteLater()

    # -------------------------------------------------------------- categories
    def _current_category(self) -> Category | None:
        category_id = self.category_table.current_id()
        return next((c for c in self._session.store.categories() if c.id == category_id), None)

    def add_category(self) -> None:
        self._tell("")
        editor = CategoryEditor(None, self._session.store.categories(), self)
        if self.run_editor(editor):
            category = editor.category()
            if self._session.save_category(category):
                self.category_table.select_id(category.id)

    def edit_category(self) -> None:
        self._tell("")
        category = self._current_category()
        if category is None:
            return
        editor = CategoryEditor(category, self._session.store.categories(), self)
        if self.run_editor(editor) and editor.category() != category:
            self._session.save_category(editor.category())

    def remove_category(self) -> None:
        category = self._current_category()
        if category is None:
            return
        used = spans_using(self._session.store, category_id=category.id)
        if used:
            self._tell(
                f"“{category.name}” cannot be removed: {used} annotation(s) use it. "
                "Change their category first."
            )
            return
        self._tell("")
        self._session.delete_category(category.id)

    def move_category(self, step: int) -> None:
        """Move the current category up (-1) or down (+1) in the codebook's order, as one undo step."""
        self._tell("")
        categories = self._session.store.categories()
        at = next((i for i, c in enumerate(categories) if c.id == self.category_table.current_id()), None)
        if at is None or not 0 <= at + step < len(categories):
            return
        moving = categories[at]
        categories[at], categories[at + step] = categories[at + step], categories[at]
        direction = "up" if step < 0 else "down"
        stack = self._session.undo_stack
        stack.beginMacro(f"Move category “{moving.name}” {direction}")
        try:
            for i, category in enumerate(categories):
                if category.position != i:
                    self._session.save_category(replace(category, position=i))
        finally:
            stack.endMacro()
        self.category_table.select_id(moving.id)

    # ---------------------------------------------------------------- speakers
    def _current_speaker(self) -> Speaker | None:
        speaker_id = self.speaker_table.current_id()
        return next((s for s in self._session.store.speakers() if s.id == speaker_id), None)

    def add_speaker(self) -> None:
        self._tell("")
        taken = [s.name for s in self._session.store.speakers()]
        editor = NameEditor("Add speaker", "speaker", "", taken, role="", parent=self)
        if self.run_editor(editor):
            speaker = self._session.add_speaker(editor.name(), editor.role())
            if speaker is not None:
                self.speaker_table.select_id(speaker.id)

    def edit_speaker(self) -> None:
        self._tell("")
        speaker = self._current_speaker()
        if speaker is None:
            return
        taken = [s.name for s in self._session.store.speakers() if s.id != speaker.id]
        editor = NameEditor("Edit speaker", "speaker", speaker.name, taken, role=speaker.role, parent=self)
        if not self.run_editor(editor):
            return
        edited = Speaker(id=speaker.id, name=editor.name(), role=editor.role())
        if edited != speaker:
            self._session.save_speaker(edited)

    def remove_speaker(self) -> None:
        speaker = self._current_speaker()
        if speaker is None:
            return
        used = spans_using(self._session.store, speaker_id=speaker.id)
        if used:
            self._tell(
                f"“{speaker.name}” cannot be removed: {used} annotation(s) are tagged with this speaker."
            )
            return
        self._tell("")
        self._session.execute(f"Remove speaker {speaker.name}", [SetSpeaker(speaker, None)])

    # ---------------------------------------------------------------- channels
    def _current_channel(self) -> Channel | None:
        channel_id = self.channel_table.current_id()
        return next((c for c in self._session.store.channels() if c.id == channel_id), None)

    def add_channel(self) -> None:
        self._tell("")
        taken = [c.name for c in self._session.store.channels()]
        editor = NameEditor("Add channel", "channel", "", taken, parent=self)
        if self.run_editor(editor):
            channel = self._session.add_channel(editor.name())
            if channel is not None:
                self.channel_table.select_id(channel.id)

    def rename_channel(self) -> None:
        self._tell("")
        channel = self._current_channel()
        if channel is None:
            return
        taken = [c.name for c in self._session.store.channels() if c.id != channel.id]
        editor = NameEditor("Rename channel", "channel", channel.name, taken, parent=self)
        if self.run_editor(editor) and editor.name() != channel.name:
            renamed = Channel(id=channel.id, name=editor.name())
            self._session.execute(f"Rename channel to {renamed.name}", [SetChannel(channel, renamed)])

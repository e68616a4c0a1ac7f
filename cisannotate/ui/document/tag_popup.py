"""A small popup beside the selection: who said it, how it is attributed, and where.

Researchers tag quote after quote, often of the same speaker, from the
keyboard: the popup opens with the last choice filled in, speaker and channel
complete as you type, a single letter picks the attribution mode, and Enter
accepts. A name not yet in the codebook is added only after a second Enter,
so a typo does not silently become a new speaker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.model import MODES, Span
from ...session import Session

# The quick key of each attribution mode, in the order of MODES.
MODE_KEYS: dict[str, str] = dict(zip("DPIAU", MODES))


@dataclass(frozen=True)
class TagChoice:
    speaker_id: str | None
    mode: str | None
    channel_id: str | None


class NameBox(QComboBox):
    """An editable list of names (speakers or channels) that completes what is typed."""

    def __init__(self, names: list[tuple[str, str]], accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName(accessible_name)
        for item_id, name in sorted(names, key=lambda pair: pair[1].casefold()):
            self.addItem(name, item_id)
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.set_choice(None)

    def set_choice(self, item_id: str | None) -> None:
        at = self.findData(item_id) if item_id is not None else -1
        self.setCurrentIndex(at)
        if at < 0:
            self.setEditText("")

    def resolve(self) -> tuple[str | None, str]:
        """(id, "") of the named item, (None, name) for a new name, (None, "") when empty."""
        text = " ".join(self.currentText().split())
        if not text:
            return None, ""
        for row in range(self.count()):
            if self.itemText(row).casefold() == text.casefold():
                return self.itemData(row), ""
        return None, text


class TagPopup(QDialog):
    """Tag a span with a speaker, an attribution mode and a channel."""

    # The last accepted choice, offered again: quotes of one speaker come in runs.
    last_choice: ClassVar[TagChoice | None] = None

    def __init__(self, session: Session, initial: Span | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self._session = session
        self._choice: TagChoice | None = None
        self._pending: list[tuple[str, str]] = []
        self.setAccessibleName("Tag speaker, mode and channel")
        self.setWindowTitle("Tag speaker")

        frame = QFrame(self)
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setFrameShadow(QFrame.Shadow.Raised)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)

        heading = QLabel("<b>Tag speaker</b>", frame)
        heading.setAccessibleName("Tag speaker")

        store = session.store
        self.speaker_box = NameBox([(s.id, s.name) for s in store.speakers()], "Speaker", frame)
        self.speaker_box.setToolTip("Who is reported; type to search, or type a new name")
        self.channel_box = NameBox([(c.id, c.name) for c in store.channels()], "Channel", frame)
        self.channel_box.setToolTip("Where it was said (press conference, interview, social media…)")

        modes = QWidget(frame)
        modes.setAccessibleName("Attribution mode")
        grid = QGridLayout(modes)
        grid.setContentsMargins(0, 0, 0, 0)
        self.mode_buttons: dict[str, QPushButton] = {}
        for i, (key, mode) in enumerate(MODE_KEYS.items()):
            button = QPushButton(f"{key}  {mode}", modes)
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setAccessibleName(f"{mode}, key {key}")
            button.setToolTip(f"Press {key} (outside the name boxes) to choose {mode}")
            button.toggled.connect(lambda on, chosen=mode: self._mode_toggled(chosen, on))
            grid.addWidget(button, i // 3, i % 3)
            self.mode_buttons[mode] = button

        self.notice = QLabel(frame)
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Confirmation")
        self.notice.hide()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, frame
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("Accept tags")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel tagging")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        speaker_label = QLabel("&Speaker", frame)
        speaker_label.setBuddy(self.speaker_box)
        channel_label = QLabel("C&hannel", frame)
        channel_label.setBuddy(self.channel_box)
        # Top to bottom in the order Tab visits: the two names, then the mode.
        form.addRow(speaker_label, self.speaker_box)
        form.addRow(channel_label, self.channel_box)
        form.addRow(QLabel("Mode", frame), modes)
        layout = QVBoxLayout(frame)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(buttons)

        QWidget.setTabOrder(self.speaker_box, self.channel_box)
        QWidget.setTabOrder(self.channel_box, self.mode_buttons[MODES[0]])
        for before, after in zip(MODES, MODES[1:]):
            QWidget.setTabOrder(self.mode_buttons[before], self.mode_buttons[after])
        # A word typed outside the name boxes is a name typed in the wrong place, not a run of
        # mode keys: after its first letter that is no mode key, letters (and Space, which would
        # toggle the focused button) do nothing until the focus moves.
        self._typing = False
        for button in self.mode_buttons.values():
            button.installEventFilter(self)

        self.speaker_box.editTextChanged.connect(self._forget_pending)
        self.channel_box.editTextChanged.connect(self._forget_pending)
        self._prefill(initial)
        self.speaker_box.setFocus()
        self.speaker_box.lineEdit().selectAll()

    # ------------------------------------------------------------------ public
    @staticmethod
    def ask(parent: QWidget | None, session: Session, initial: Span | None, at: QPoint) -> TagChoice | None:
        """Open the popup at global position ``at``; the accepted choice, or None when cancelled."""
        popup = TagPopup(session, initial, parent)
        popup.adjustSize()
        popup.move(_fit_on_screen(at, popup.size().width(), popup.size().height()))
        try:
            accepted = popup.exec() == QDialog.DialogCode.Accepted
            return popup.choice() if accepted else None
        finally:
            popup.deleteLater()

    def choice(self) -> TagChoice | None:
        return self._choice

    def mode(self) -> str | None:
        return next((mode for mode, button in self.mode_buttons.items() if button.isChecked()), None)

    def set_mode(self, mode: str | None) -> None:
        for name, button in self.mode_buttons.items():
            button.setChecked(name == mode)

    def try_accept(self) -> None:
        """Accept, after confirming any new names; adding them is undoable like any edit."""
        speaker_id, new_speaker = self.speaker_box.resolve()
        channel_id, new_channel = self.channel_box.resolve()
        pending = [(kind, name) for kind, name in (("speaker", new_speaker), ("channel", new_channel)) if name]
        if pending and pending != self._pending:
            self._pending = pending
            names = " and ".join(f"a new {kind} “{name}”" for kind, name in pending)
            self._show_notice(f"This adds {names} to the codebook. Press Enter again to add, or edit the name.")
            return
        if new_speaker:
            speaker = self._session.add_speaker(new_speaker)
            if speaker is None:
                self._show_notice(f"The speaker “{new_speaker}” could not be added.")
                return
            speaker_id = speaker.id
        if new_channel:
            channel = self._session.add_channel(new_channel)
            if channel is None:
                self._show_notice(f"The channel “{new_channel}” could not be added.")
                return
            channel_id = channel.id
        self._choice = TagChoice(speaker_id, self.mode(), channel_id)
        TagPopup.last_choice = self._choice
        self.accept()

    # ------------------------------------------------------------------ events
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        plain = (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier) == Qt.KeyboardModifier.NoModifier
        if plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.try_accept()
            return
        if plain and key == Qt.Key.Key_Escape:
            self.reject()
            return
        letter = event.text().upper()
        shifted = (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier) == Qt.KeyboardModifier.ShiftModifier
        if (plain or shifted) and letter.isalpha() and not _is_text_field(self.focusWidget()):
            if plain and letter in MODE_KEYS and not self._typing:
                self.set_mode(MODE_KEYS[letter])
                self.mode_buttons[MODE_KEYS[letter]].setFocus()
            else:
                self._typing = True
                self._show_notice("Letters here pick the mode (D P I A U). Type names in the Speaker or "
                                  "Channel box: Alt+S, Alt+H or Tab.")
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._typing = False
        elif (event.type() == QEvent.Type.KeyPress and self._typing and isinstance(event, QKeyEvent)
              and event.key() == Qt.Key.Key_Space):
            return True
        return super().eventFilter(watched, event)

    def _mode_toggled(self, mode: str, on: bool) -> None:
        """Modes exclude each other, but none at all is allowed (click the chosen one again)."""
        if on:
            for name, button in self.mode_buttons.items():
                if name != mode and button.isChecked():
                    button.setChecked(False)

    def _prefill(self, initial: Span | None) -> None:
        source: TagChoice | None
        if initial is not None and (initial.speaker_id or initial.mode or initial.channel_id):
            source = TagChoice(initial.speaker_id, initial.mode, initial.channel_id)
        else:
            source = TagPopup.last_choice
        if source is None:
            return
        self.speaker_box.set_choice(source.speaker_id)
        self.channel_box.set_choice(source.channel_id)
        self.set_mode(source.mode)

    def _show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.show()
        self.adjustSize()

    def _forget_pending(self) -> None:
        if self._pending:
            self._pending = []
            self.notice.hide()


def _is_text_field(widget: QWidget | None) -> bool:
    """Whether letters typed into ``widget`` are text (so they must not pick a mode)."""
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    return isinstance(widget, (QLineEdit, QTextEdit, QPlainTextEdit))


def _fit_on_screen(at: QPoint, width: int, height: int) -> QPoint:
    """``at``, moved as little as needed for a width × height window to stay on its screen."""
    screen = QGuiApplication.screenAt(at) or QGuiApplication.primaryScreen()
    if screen is None:
        return at
    area = screen.availableGeometry()
    x = min(max(at.x(), area.left()), max(area.left(), area.right() - width))
    y = min(max(at.y(), area.top()), max(area.top(), area.bottom() - height))
    return QPoint(x, y)

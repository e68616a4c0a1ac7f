"""File > Restore from backup…: the project's backups, and putting one of them back.

Each row says when the copy was taken, why, and what it holds (documents,
annotations, links, read from the copy itself), so the researcher can tell
which state they want before replacing anything. Restoring first backs up the
current state, so choosing the wrong copy can itself be undone from here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...services import ServiceError, restoring
from ...storage.backup import BEFORE_RESTORE, BEFORE_UPGRADE, DAMAGED, ON_OPEN, Backup

REASONS = {
    ON_OPEN: "When opened",
    BEFORE_UPGRADE: "Before an upgrade",
    BEFORE_RESTORE: "Before a restore",
    DAMAGED: "Damaged file, kept before a restore",
    "before-sync": "Before a team sync",
}
COLUMNS = ("Taken", "Why", "Size", "Documents", "Annotations", "Links")
_BACKUP = Qt.ItemDataRole.UserRole


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


class BackupsDialog(QDialog):
    """Lists the backups of ``project_path``; Restore replaces the project by the chosen one.

    The project must not be open for editing while it is restored:
    ``close_project``, if given, is called just before (the window closes its
    store). From then on ``restored_path`` is the project's path, for the caller
    to reopen whether the restore succeeded or, with an error shown, left the
    project as it was.
    """

    def __init__(
        self,
        project_path: Path,
        parent: QWidget | None = None,
        close_project: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_path = Path(project_path)
        self.close_project = close_project
        self.restored_path: Path | None = None
        self.setWindowTitle(f"Backups of {self.project_path.name}")
        self.resize(720, 360)

        intro = QLabel(
            "A copy is taken each time the project is opened for editing (the last five are kept), "
            "and before every upgrade or restore. Restoring one replaces the project's content; "
            "the current state is backed up first.",
            self,
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setHeaderLabels(COLUMNS)
        self.table.setRootIsDecorated(False)
        self.table.setAccessibleName("Backups")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemDoubleClicked.connect(lambda *_: self.restore_selected())

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("&Restore…", self)
        self.restore_button.setToolTip("Replace the project by the chosen backup")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.table.clear()
        for entry in restoring.backups(self.project_path):
            backup, contents = entry.backup, entry.contents
            item = QTreeWidgetItem(
                [backup.taken.astimezone().strftime("%Y-%m-%d %H:%M:%S"), REASONS.get(backup.reason, backup.reason),
                 size_text(backup.size)]
            )
            if contents is None:
                for column in range(3, len(COLUMNS)):
                    item.setText(column, "—")
                item.setToolTip(0, entry.problem)
                item.setData(0, _BACKUP, None)
            else:
                for column, value in enumerate((contents.documents, contents.annotations, contents.links), start=3):
                    item.setText(column, str(value))
                    item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(0, str(backup.path))
                item.setData(0, _BACKUP, backup)
            self.table.addTopLevelItem(item)
        for column in range(len(COLUMNS)):
            self.table.resizeColumnToContents(column)
        if self.table.topLevelItemCount():
            self.table.setCurrentItem(self.table.topLevelItem(0))
        self._update_buttons()

    def selected_backup(self) -> Backup | None:
        item = self.table.currentItem()
        return item.data(0, _BACKUP) if item is not None else None

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected_backup() is not None)

    def _confirm(self, backup: Backup) -> bool:
        taken = backup.taken.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        answer = QMessageBox.question(
            self,
            "Restore from backup",
            f"Replace the content of {self.project_path.name} by the backup taken {taken}?\n\n"
            "Everything done since then will be gone from the project; its current state is "
            "backed up first, so you can come back to it from this list.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> Path | None:
        """Confirm, close the project, restore; returns the path to reopen, or None if nothing was closed."""
        backup = self.selected_backup()
        if backup is None or not self._confirm(backup):
            return None
        if self.close_project is not None:
            self.close_project()
            self.restored_path = self.project_path
        try:
            restoring.restore(backup.path, self.project_path)
        except ServiceError as exc:
            QMessageBox.warning(self, "Restore from backup", f"Nothing was restored.\n\n{exc}")
            self.reload()
            return self.restored_path
        self.restored_path = self.project_path
        self.accept()
        return self.restored_path


def restore_from_backup(
    project_path: Path, parent: QWidget | None = None, close_project: Callable[[], None] | None = None
) -> Path | None:
    """Show the backups of ``project_path``; the path to reopen once the project was closed for a restore."""
    dialog = BackupsDialog(project_path, parent, close_project)
    dialog.exec()
    return dialog.restored_path

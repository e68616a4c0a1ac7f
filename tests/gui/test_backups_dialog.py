"""File > Restore from backup…, and the question asked when a project is open elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cisannotate.core.model import Comment
from cisannotate.storage import Store
from cisannotate.storage.backup import BEFORE_RESTORE, list_backups
from cisannotate.storage.errors import ProjectLocked
from cisannotate.ui.dialogs.backups_dialog import BackupsDialog, restore_from_backup
from cisannotate.ui.dialogs.project_locked import ask_open_read_only


def edit(path: Path, text: str) -> None:
    store = Store.open(path)
    store.ensure_annotator("ann")
    store.add_comment(Comment(id=text, target_id="x", author="ann", text=text))
    store.close()


def comments(path: Path) -> list[str]:
    store = Store.open(path, read_only=True)
    try:
        return [c.text for c in store.comments()]
    finally:
        store.close()


@pytest.fixture
def project(tmp_path) -> Path:
    path = tmp_path / "p.cisannotate"
    Store.open(path).close()
    edit(path, "one")
    edit(path, "two")
    return path


def rows(dialog: BackupsDialog) -> list[list[str]]:
    return [[dialog.table.topLevelItem(i).text(c) for c in range(6)] for i in range(dialog.table.topLevelItemCount())]


def test_lists_each_backup_with_what_it_holds(qtbot, project):
    dialog = BackupsDialog(project)
    qtbot.addWidget(dialog)
    listed = rows(dialog)
    assert len(listed) == 2
    assert [r[1] for r in listed] == ["When opened", "When opened"]
    assert all(r[2].endswith("KB") and r[3] == "0" and r[4] == "0" for r in listed)
    assert dialog.restore_button.isEnabled()


def test_restore_confirms_closes_restores_and_returns_the_path(qtbot, project, monkeypatch):
    store = Store.open(project)  # the window's project, open for editing
    closed = []

    def close_project():
        store.close()
        closed.append(True)

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes)
    dialog = BackupsDialog(project, close_project=close_project)
    qtbot.addWidget(dialog)
    before_two = next(i for i, b in enumerate(list_backups(project)) if comments(b.path) == ["one"])
    dialog.table.setCurrentItem(dialog.table.topLevelItem(before_two))
    assert dialog.restore_selected() == project
    assert asked and closed and dialog.result() == BackupsDialog.DialogCode.Accepted
    assert comments(project) == ["one"]
    assert [b.reason for b in list_backups(project)].count(BEFORE_RESTORE) == 1


def test_cancelling_the_confirmation_changes_nothing(qtbot, project, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Cancel)
    dialog = BackupsDialog(project, close_project=lambda: pytest.fail("closed without need"))
    qtbot.addWidget(dialog)
    assert dialog.restore_selected() is None and dialog.restored_path is None
    assert comments(project) == ["one", "two"]


def test_a_project_still_open_is_not_restored_under_its_feet(qtbot, project, monkeypatch):
    store = Store.open(project)
    warnings = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    dialog = BackupsDialog(project)
    qtbot.addWidget(dialog)
    assert dialog.restore_selected() is None
    assert "Nothing was restored" in warnings[0] and "already open" in warnings[0]
    store.close()
    assert comments(project) == ["one", "two"]


def test_an_unreadable_backup_is_listed_but_cannot_be_restored(qtbot, project):
    newest = list_backups(project)[0].path
    newest.write_bytes(b"SQLite format 3\x00" + bytes(8000))
    dialog = BackupsDialog(project)
    qtbot.addWidget(dialog)
    dialog.table.setCurrentItem(dialog.table.topLevelItem(0))
    assert rows(dialog)[0][3] == "—" and not dialog.restore_button.isEnabled()
    dialog.table.setCurrentItem(dialog.table.topLevelItem(1))
    assert dialog.restore_button.isEnabled()


def test_restore_from_backup_runs_the_dialog(qtbot, project, monkeypatch):
    monkeypatch.setattr(BackupsDialog, "exec", lambda self: self.reject() or 0)
    assert restore_from_backup(project) is None


def click_when_shown(button_text: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, click)


@pytest.mark.parametrize("choice, expected", [("Open read-only", True), ("Cancel", False)])
def test_project_locked_question(qtbot, project, choice, expected):
    store = Store.open(project)
    with pytest.raises(ProjectLocked) as locked:
        Store.open(project)
    click_when_shown(choice)
    assert ask_open_read_only(str(locked.value)) is expected
    store.close()

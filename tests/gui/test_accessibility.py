"""Every focusable control of the window and its dialogs has an accessible name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QWidget

from cisannotate.ui.dialogs.align_dialog import AlignDialog
from cisannotate.ui.dialogs.backups_dialog import BackupsDialog
from cisannotate.ui.dialogs.exchange_dialogs import ExportDialog
from cisannotate.ui.dialogs.import_dialog import ImportDialog

from .test_panels import unnamed_controls


def named_or_labelled(root: QWidget) -> list[str]:
    """Unnamed controls, counting a button's text as its name (screen readers read it)."""
    return [m for m in unnamed_controls(root)
            if not any(isinstance(w, QAbstractButton) and w.text() and f"{type(w).__name__} {w.objectName()!r}" == m
                       for w in root.findChildren(QAbstractButton))]


def test_main_window_controls_are_named(make_window, sample_project):
    window = make_window(sample_project)
    for dock in (window.review.dock, window.search_dock, window.review.comments_dock):
        dock.show()
    assert named_or_labelled(window) == []


def test_dialogs_controls_are_named(make_window, sample_project, qtbot, tmp_path: Path):
    window = make_window(sample_project)
    dialogs = [
        ImportDialog(tmp_path, window),
        ExportDialog(window.session.store.layers(), window),
        BackupsDialog(sample_project, window),
        AlignDialog(window.linking, window.workspace.article.document_id, window),
    ]
    for dialog in dialogs:
        assert named_or_labelled(dialog) == [], type(dialog).__name__
        dialog.deleteLater()

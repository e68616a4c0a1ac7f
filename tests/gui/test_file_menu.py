"""The File and View menus of the real window: import, export, merge, projects, backups, zoom, appearance."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QProgressDialog

from cisannotate.app import make_settings
from cisannotate.storage import Store
from cisannotate.ui.dialogs import backups_dialog, exchange_dialogs, import_dialog
from cisannotate.ui.dialogs.import_dialog import ImportDialog
from cisannotate.ui.common.theme import appearance

ARTICLE = "001_0a569aa48f4bb4b4.txt"


def rows(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def menu_texts(menu) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]


@pytest.fixture
def empty_project(tmp_path) -> Path:
    path = tmp_path / "empty.cisannotate"
    Store.open(path).close()
    return path


def fill_import_dialog(monkeypatch, corpus: Path, *, with_manifest: bool = True) -> None:
    """Answer the import dialog as a user would: add the corpus folder (its manifest comes along)."""

    def exec_(dialog: ImportDialog) -> int:
        dialog.add_path(corpus)
        if not with_manifest:
            dialog.manifest.clear()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", exec_)
    monkeypatch.setattr(import_dialog, "show_report", lambda parent, report: None)


def test_file_menu_offers_every_file_action(make_window, empty_project):
    window = make_window(empty_project)
    assert menu_texts(window.file_menu) == [
        "New project…", "Open project…", "Open the sample project…", "Import documents…", "Import annotations…",
        "Export annotations…", "Write findings report…", "Restore from backup…", "Quit",
    ]
    assert window.act_import.shortcut().toString() == "Ctrl+I"
    assert window.act_export.shortcut().toString() == "Ctrl+E"
    assert not window.act_export.icon().isNull()


def test_import_a_folder_with_its_manifest_from_the_menu(make_window, empty_project, corpus, monkeypatch, qtbot):
    window = make_window(empty_project)
    fill_import_dialog(monkeypatch, corpus)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    docs = rows(empty_project, "SELECT source_file, kind, outlet FROM documents ORDER BY source_file")
    assert len(docs) == 5
    assert (ARTICLE, "article", "Asia-Plus") in docs
    # The corpus list shows them at once, and an article opens beside its transcript.
    assert window.navigator.model.rowCount() > 0
    article = next(d for d in window.session.store.documents() if d.source_file == ARTICLE)
    window.open_document(article.id)
    assert window.workspace.transcript.document_id
    # Importing again adds nothing.
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert len(rows(empty_project, "SELECT id FROM documents")) == 5


def test_cancelling_an_import_writes_nothing(make_window, empty_project, corpus, monkeypatch, qtbot):
    window = make_window(empty_project)
    fill_import_dialog(monkeypatch, corpus)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    window.act_import.trigger()
    assert rows(empty_project, "SELECT count(*) FROM documents") == [(0,)]


def test_a_broken_manifest_is_named_and_nothing_is_imported(make_window, empty_project, tmp_path, monkeypatch):
    window = make_window(empty_project)
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text("The minister spoke.", encoding="utf-8")
    (folder / "manifest.csv").write_bytes(b"\xff\xfe\x00garbage\x00")
    fill_import_dialog(monkeypatch, folder)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    window.act_import.trigger()
    assert rows(empty_project, "SELECT count(*) FROM documents") == [(0,)]
    assert warnings and "manifest.csv" in warnings[0]


def test_export_and_merge_through_the_menu_round_trip(make_window, sample_project, empty_project, tmp_path,
                                                      monkeypatch, qtbot):
    window = make_window(sample_project)
    out = tmp_path / "work.json"
    monkeypatch.setattr(exchange_dialogs, "ask_export_options",
                        lambda parent, session: exchange_dialogs.ExportOptions("json", with_text=True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    exported = json.loads(out.read_text(encoding="utf-8"))
    spans = rows(sample_project, "SELECT count(*) FROM spans")[0][0]
    assert len(exported["spans"]) == spans > 0
    window.close()

    other = make_window(empty_project)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out), ""))
    monkeypatch.setattr(exchange_dialogs, "confirm_merge", lambda parent, path, backed_up: True)
    monkeypatch.setattr(exchange_dialogs, "show_merge_report", lambda parent, path, report: None)
    qtbot.keyClick(other, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert rows(empty_project, "SELECT count(*) FROM spans") == [(spans,)]
    qtbot.waitUntil(lambda: other.navigator.model.rowCount() > 0)


def test_open_project_replaces_the_window_and_releases_the_first(make_window, sample_project, empty_project,
                                                                 monkeypatch, qtbot):
    window = make_window(empty_project)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sample_project), ""))
    window.act_open_project.trigger()
    opened = [w for w in QApplication.topLevelWidgets()
              if w is not window and getattr(w, "session", None) is not None and w.isVisible()]
    assert len(opened) == 1
    new = opened[0]
    assert new.session.store.path == sample_project
    assert not window.isVisible()
    # The first project is free again: it can be opened for editing.
    Store.open(empty_project).close()
    new.close()


def test_restore_from_backup_reopens_the_restored_project(make_window, sample_project, monkeypatch, qtbot):
    window = make_window(sample_project)  # opening took a backup
    before = rows(sample_project, "SELECT count(*) FROM spans")[0][0]
    span = window.session.store.spans(window.workspace.article.document_id)[0]
    window.session.delete_spans([span.id])
    assert rows(sample_project, "SELECT count(*) FROM spans")[0][0] == before - 1

    def choose_first(project_path, parent, close_project):
        dialog = backups_dialog.BackupsDialog(project_path, parent, close_project)
        dialog.table.setCurrentItem(dialog.table.topLevelItem(0))
        monkeypatch.setattr(dialog, "_confirm", lambda backup: True)
        dialog.restore_selected()
        return dialog.restored_path

    monkeypatch.setattr(backups_dialog, "restore_from_backup", choose_first)
    window.act_backups.trigger()
    assert rows(sample_project, "SELECT count(*) FROM spans")[0][0] == before
    reopened = [w for w in QApplication.topLevelWidgets()
                if w is not window and getattr(w, "session", None) is not None and w.isVisible()]
    assert len(reopened) == 1
    assert reopened[0].session.store.path == sample_project
    assert not reopened[0].session.read_only
    reopened[0].close()


def test_zoom_keys_change_the_text_size_and_it_is_remembered(make_window, sample_project, qtbot):
    window = make_window(sample_project)
    view = window.workspace.article.view
    size = view.font().pointSize()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    bigger = view.font().pointSize()
    assert bigger > size
    assert window.workspace.transcript.view.font().pointSize() == bigger
    window.close()
    again = make_window(sample_project)
    assert again.workspace.article.view.font().pointSize() == bigger
    qtbot.keyClick(again, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.workspace.article.view.font().pointSize() == size
    assert make_settings().value("view/zoom") is None


def test_dark_appearance_repaints_highlights_solid_and_is_remembered(make_window, sample_project, qtbot):
    window = make_window(sample_project)
    view = window.workspace.article.view
    qtbot.waitUntil(lambda: len(view.extraSelections()) > 0)
    assert view.extraSelections()[0].format.background().color().alpha() < 255
    try:
        window.appearance_actions["dark"].trigger()
        assert QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128
        assert make_settings().value("view/appearance") == "dark"

        def plain():
            return [s for s in view.extraSelections() if s.format.fontWeight() < 600]

        # The new palette reaches the views through the event loop; they repaint their highlights then.
        qtbot.waitUntil(lambda: plain() and all(s.format.background().color().alpha() == 255 for s in plain()))
        assert all(s.format.foreground().color().name() == "#000000" for s in plain())
    finally:
        appearance().apply("light")


def test_find_in_corpus_lists_hits_and_opens_the_document_at_the_words(make_window, corpus_project, qtbot):
    window = make_window(corpus_project)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    search = window.corpus_search
    assert search.query.hasFocus()
    qtbot.keyClicks(search.query, "Russia and Ukraine")
    qtbot.keyClick(search.query, Qt.Key.Key_Return)
    assert search.results.rowCount() >= 2  # the transcript and the article that quotes it
    assert "hits in" in search.status.text()
    document_id, start, end = search.results.item(0, 0).data(Qt.ItemDataRole.UserRole)
    pane = window.workspace.pane_of(document_id)
    assert pane is not None
    assert pane.view.selection() == (start, end)
    assert window.session.store.text(document_id)[start:end].casefold() == "russia and ukraine"
    # Another hit, in the other document, from the list.
    other = next(i for i in range(search.results.rowCount())
                 if search.results.item(i, 0).data(Qt.ItemDataRole.UserRole)[0] != document_id)
    search.results.setCurrentCell(other, 0)
    qtbot.keyClick(search.results, Qt.Key.Key_Return)
    doc2, s2, e2 = search.results.item(other, 0).data(Qt.ItemDataRole.UserRole)
    assert window.workspace.pane_of(doc2).view.selection() == (s2, e2)
    search.query.setText("zzzzqqq")
    assert search.run() == 0 and search.status.text() == "No hits"

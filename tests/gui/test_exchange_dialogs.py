"""File > Export… and File > Import annotations…, driven as a user would, with the file
choosers answered by the test: cancelling leaves no file and no change, a refused file
says where, and a merge reloads the views and leaves a backup to go back to."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog

from cisannotate.core.changes import Changes
from cisannotate.io.exchange import ExportOptions, export_project
from cisannotate.io.merge import Conflict, MergeReport, Unplaceable
from cisannotate.sample import create_sample_project
from cisannotate.session import Session
from cisannotate.storage import Store
from cisannotate.storage.backup import list_backups
from cisannotate.ui.dialogs import exchange_dialogs
from cisannotate.ui.dialogs.exchange_dialogs import (
    ExportDialog,
    MergeReportDialog,
    confirm_merge,
    export_interactively,
    merge_interactively,
)

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"


@pytest.fixture
def sample_session(qapp, tmp_path):
    store = create_sample_project(tmp_path / "sample.cisannotate")
    session = Session(store, "tester")
    yield session
    store.close()


@pytest.fixture
def empty_session(qapp, tmp_path):
    store = Store.open(tmp_path / "empty.cisannotate")
    session = Session(store, "tester")
    yield session
    store.close()


def answer_save(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: (str(path), ""))


def answer_open(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: (str(path), ""))


def test_export_dialog_offers_texts_only_for_the_native_format(qtbot):
    dialog = ExportDialog(["amira", "jonas"])
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("w3c"))
    assert not dialog.with_text.isEnabled()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("json"))
    dialog.with_text.setChecked(True)
    dialog.layer_box.setCurrentIndex(dialog.layer_box.findData("jonas"))
    assert dialog.options() == ExportOptions("json", with_text=True, annotator="jonas")


def test_export_writes_the_chosen_format_adding_its_suffix(sample_session, tmp_path, monkeypatch):
    monkeypatch.setattr(exchange_dialogs, "ask_export_options", lambda parent, session: ExportOptions("tables"))
    answer_save(monkeypatch, tmp_path / "out")
    summary = export_interactively(None, sample_session)
    assert summary is not None and summary.path == tmp_path / "out.zip" and summary.spans == 86
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        for name in archive.namelist():
            assert archive.read(name) == (GOLDEN / "sample.tables" / name).read_bytes()


def test_export_dialog_offers_excel_only_for_the_tables(qtbot):
    dialog = ExportDialog(["amira"])
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitExposed(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("tables"))
    assert dialog.excel.isEnabled()
    qtbot.mouseClick(dialog.excel, Qt.MouseButton.LeftButton)
    assert dialog.options() == ExportOptions("tables", excel=True)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("w3c"))
    assert not dialog.excel.isEnabled() and not dialog.options().excel


def test_a_cancelled_export_leaves_no_file(sample_session, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    monkeypatch.setattr(exchange_dialogs, "ask_export_options", lambda parent, session: ExportOptions("w3c"))
    answer_save(monkeypatch, folder / "x.jsonld")
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    assert export_interactively(None, sample_session) is None
    assert list(folder.iterdir()) == []


@pytest.fixture
def colleague_file(tmp_path) -> Path:
    source = create_sample_project(tmp_path / "colleague.cisannotate")
    path = tmp_path / "colleague.json"
    export_project(source, path, ExportOptions("json", with_text=True))
    source.close()
    return path


def test_merge_reloads_the_views_and_leaves_a_backup(empty_session, colleague_file, monkeypatch):
    answer_open(monkeypatch, colleague_file)
    monkeypatch.setattr(exchange_dialogs, "confirm_merge", lambda parent, path, backed_up: backed_up)
    shown = []
    monkeypatch.setattr(exchange_dialogs, "show_merge_report", lambda parent, path, report: shown.append(report))
    emitted = []
    empty_session.changed.connect(lambda changes, initiator: emitted.append(changes))
    empty_session.add_channel("Radio X")  # something to undo before the merge
    assert empty_session.undo_stack.count() == 1

    report = merge_interactively(None, empty_session)
    assert report is not None and report.added["spans"] == 86 and shown == [report]
    assert emitted[-1] == Changes(corpus=True, codebook=True)
    # The merge is one step on the undo stack, after what was there.
    assert empty_session.undo_stack.count() == 2
    assert empty_session.undo_stack.undoText() == "Merge annotations from colleague.json"
    assert empty_session.store.count_spans() == 86
    backups = list_backups(empty_session.store.path)
    assert "before-merge" in {b.reason for b in backups}


def test_a_refused_file_says_where_and_nothing_is_merged(empty_session, tmp_path, monkeypatch):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "cisannotate", "version": 7}')
    answer_open(monkeypatch, bad)
    monkeypatch.setattr(exchange_dialogs, "confirm_merge", lambda parent, path, backed_up: True)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    emitted = []
    empty_session.changed.connect(lambda changes, initiator: emitted.append(changes))
    assert merge_interactively(None, empty_session) is None
    assert "Nothing was merged from bad.json" in warnings[0] and "version: the file is format version 7" in warnings[0]
    assert emitted == [] and empty_session.store.documents() == []


def test_a_cancelled_merge_changes_nothing(empty_session, colleague_file, monkeypatch):
    answer_open(monkeypatch, colleague_file)
    monkeypatch.setattr(exchange_dialogs, "confirm_merge", lambda parent, path, backed_up: True)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    assert merge_interactively(None, empty_session) is None
    assert empty_session.store.documents() == [] and empty_session.store.count_spans() == 0


def test_the_prompt_says_a_merge_is_one_undoable_step_and_names_the_backup(qapp, tmp_path):
    seen = {}

    def answer():
        box = QApplication.activeModalWidget()
        seen["text"] = box.text() + "\n" + box.informativeText()
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    assert confirm_merge(None, tmp_path / "colleague.json", backed_up=True) is False
    assert "colleague.json" in seen["text"]
    assert "one step you can undo" in seen["text"] and "backup copy" in seen["text"]
    assert "cannot be undone" not in seen["text"]


def test_the_report_lists_conflicts_and_unplaced_annotations(qtbot, tmp_path):
    report = MergeReport()
    report.added["spans"] = 3
    report.conflicts.append(Conflict("span", "s-1", ("note",)))
    report.unplaceable.append(Unplaceable("span", "s-2", "Nordlight report", "a vanished claim",
                                          "its quote no longer occurs"))
    dialog = MergeReportDialog(tmp_path / "x.json", report)
    qtbot.addWidget(dialog)
    text = dialog.details.toPlainText()
    assert "span s-1: differs in note" in text
    assert "span s-2 in “Nordlight report” (“a vanished claim”): its quote no longer occurs" in text

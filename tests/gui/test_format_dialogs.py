"""The formats of other tools in the window: the export dialog offers them, Import annotations
reads them, and Import documents refuses them with the way to bring them in."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from cisannotate.io.exchange import ExportOptions
from cisannotate.io.formats import FORMAT_NAMES, SUFFIXES, detect, render_format
from cisannotate.sample import create_sample_project
from cisannotate.session import Session
from cisannotate.storage import Store
from cisannotate.ui.dialogs import exchange_dialogs
from cisannotate.ui.dialogs.exchange_dialogs import ExportDialog, export_interactively, merge_interactively
from cisannotate.ui.dialogs.import_dialog import report_text, run_import


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


def test_the_export_dialog_offers_the_formats_of_other_tools(qtbot):
    dialog = ExportDialog(["amira", "jonas"])
    qtbot.addWidget(dialog)
    offered = [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())]
    assert offered == ["json", "w3c", "tables", *FORMAT_NAMES]
    dialog.show()
    dialog.format_box.setFocus()
    # Down from the last native format (the tables) to Label Studio, as a user steps through the list.
    dialog.format_box.setCurrentIndex(offered.index("tables"))
    qtbot.keyClick(dialog.format_box, Qt.Key.Key_Down)
    assert dialog.format_box.currentData() == "labelstudio"
    assert not dialog.with_text.isEnabled()  # these formats always carry the texts
    assert "Label Studio" in dialog.format_box.currentText()
    dialog.layer_box.setCurrentIndex(dialog.layer_box.findData("amira"))
    assert dialog.options() == ExportOptions("labelstudio", annotator="amira")


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_export_writes_the_format_and_import_annotations_reads_it_back(
        sample_session, empty_session, tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(exchange_dialogs, "ask_export_options", lambda parent, session: ExportOptions(fmt))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "out"), ""))
    summary = export_interactively(None, sample_session)
    path = tmp_path / f"out{SUFFIXES[fmt]}"
    assert summary is not None and summary.path == path and summary.spans == 86
    assert detect(path) == fmt

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(exchange_dialogs, "confirm_merge", lambda parent, p, backed_up: True)
    shown = []
    monkeypatch.setattr(exchange_dialogs, "show_merge_report", lambda parent, p, report: shown.append(report))
    report = merge_interactively(None, empty_session)
    assert report is not None and shown == [report]
    assert report.added["spans"] == 86 and report.added["links"] == 69
    assert empty_session.store.count_spans() == 86


def test_import_annotations_names_a_bad_file_and_writes_nothing(empty_session, tmp_path, monkeypatch):
    bad = tmp_path / "tasks.json"
    bad.write_text('[{"data": {"text": "abc"}, "annotations": [{"result": [{"id": "r", "type": "labels", '
                   '"value": {"start": 1, "end": 50, "labels": ["X"]}}]}]}]', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    monkeypatch.setattr(exchange_dialogs, "confirm_merge", lambda parent, p, backed_up: True)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text))
    assert merge_interactively(None, empty_session) is None
    assert "Nothing was merged from tasks.json" in warnings[0]
    assert "tasks.json: task 1, annotation 1, result 1: offsets 1-50 lie outside the text" in warnings[0]
    assert empty_session.store.documents() == []


def test_import_documents_refuses_an_annotation_file_with_the_way_in(sample_session, empty_session, tmp_path):
    body, _ = render_format(sample_session.store, "qdpx")
    path = tmp_path / "study.qdpx"
    path.write_bytes(body)
    story = tmp_path / "story.txt"
    story.write_text("A plain story.\n", encoding="utf-8")
    report = run_import(None, empty_session, [path, story])
    assert report is not None and len(report.added) == 1
    text = report_text(report)
    assert "study.qdpx: this is an annotation file (REFI-QDA project" in text
    assert "File ▸ Import annotations" in text
    assert [d.source_file for d in empty_session.store.documents()] == ["story.txt"]

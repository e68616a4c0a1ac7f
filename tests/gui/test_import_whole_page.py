"""File > Import documents: a web page comes in as its article, or whole with the dialog's checkbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from cisannotate.session import Session
from cisannotate.storage import Store
from cisannotate.ui.dialogs import import_dialog
from cisannotate.ui.dialogs.import_dialog import ImportDialog, import_interactively, report_text

PAGE = Path(__file__).resolve().parents[1] / "data" / "html" / "harbour_news_page.html"


@pytest.fixture
def session(qapp, tmp_path):
    store = Store.open(tmp_path / "p.cisannotate", create=True)
    yield Session(store, "tester")
    store.close()


def answer_dialog(monkeypatch, qtbot, *, whole_page: bool, reports: list) -> None:
    def exec_(dialog: ImportDialog) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.add_path(PAGE)
        assert not dialog.whole_page.isChecked()  # the article is the default
        if whole_page:
            qtbot.mouseClick(dialog.whole_page, Qt.MouseButton.LeftButton)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ImportDialog, "exec", exec_)
    monkeypatch.setattr(import_dialog, "show_report", lambda parent, report: reports.append(report_text(report)))


@pytest.mark.parametrize("whole_page", [False, True])
def test_a_page_imports_as_its_article_unless_the_whole_page_is_asked_for(session, monkeypatch, qtbot, whole_page):
    reports: list[str] = []
    answer_dialog(monkeypatch, qtbot, whole_page=whole_page, reports=reports)
    report = import_interactively(None, session)
    (doc,) = report.added
    text = session.store.text(doc.id)
    assert "Port authority promises night crews" in text
    assert ("Cookie settings" in text) is whole_page and ("Privacy policy" in text) is whole_page
    assert ("kept the article, dropped" in reports[0]) is not whole_page

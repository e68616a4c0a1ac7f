"""The bridge in the window: an English article, the Russian transcript and its aligned
English version; the Source panel offers the Russian lines through the English version
and a digit links to one of them."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from cisannotate.storage import Store
from cisannotate.services.importing import import_files

DATA = Path(__file__).resolve().parents[1] / "data" / "ru"
QUOTE = '"Transport costs cannot be borne entirely by the residents of the North,"'
RUSSIAN = "Транспортные расходы не могут целиком ложиться на плечи жителей Севера."


@pytest.fixture
def bilingual_project(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    for name in ("transcript_ru.txt", "transcript_en.txt", "article_en.txt"):
        shutil.copy(DATA / name, folder / name)
    (folder / "manifest.csv").write_text(
        "file,kind,title,outlet,date,event,language\n"
        "transcript_ru.txt,transcript,Совещание о северном завозе,Кремль,2025-03-14,supply,ru\n"
        "transcript_en.txt,transcript,Meeting on the northern supply season,Kremlin,2025-03-14,supply,en\n"
        "article_en.txt,article,Severtsev orders Arctic freight subsidies,Wire,2025-03-14,supply,en\n",
        encoding="utf-8")
    path = tmp_path / "bilingual.cisannotate"
    store = Store.open(path)
    assert not import_files(store, [folder], manifest=folder / "manifest.csv").problems
    store.close()
    return path


def test_press_2_links_the_russian_line_reached_through_the_english_version(bilingual_project, make_window,
                                                                              qtbot, tmp_path):
    window = make_window(bilingual_project)
    store = window.session.store
    article = store.resolve_document("article_en.txt")
    russian = store.resolve_document("transcript_ru.txt")
    window.open_document(article.id)
    ws = window.workspace
    panel = window.linking.panel
    view = ws.article.view
    at = view.text.index(QUOTE) + 1
    view.setFocus()
    view.select_range(at, at + len(QUOTE) - 3)  # inside the quotation marks
    qtbot.waitUntil(lambda: panel.current is not None and len(panel.current.candidates) == 5)
    first, second = panel.current.candidates[:2]
    assert second.document_id == russian.id and second.line == first.line
    # The list says how the Russian line was found.
    assert "via the English version" not in panel.suggestions.item(0).text()
    assert "via the English version" in panel.suggestions.item(1).text()
    assert RUSSIAN in panel.suggestions.item(1).text()
    window.grab().save(str(tmp_path / "bridge.png"))

    qtbot.keyClick(view, Qt.Key.Key_2)
    conn = sqlite3.connect(bilingual_project)
    try:
        links = conn.execute("SELECT target_document_id, char_start, char_end, relation FROM links").fetchall()
    finally:
        conn.close()
    # Linked to the Russian line; the relation judged on the English version's words
    # ("fall entirely on the shoulders of the people of the North"), not on the Russian
    # ones, which share no word with the quote (they would make it a loose paraphrase).
    assert links == [(russian.id, second.start, second.end, "close paraphrase")]
    assert store.text(russian.id)[second.start:second.end] == RUSSIAN
    assert ws.transcript.document_id == russian.id
    assert len(ws.canvas.shown_links()) == 1
    # The link's words are compared with the English version's line, not the Russian one.
    qtbot.waitUntil(lambda: panel.links.topLevelItemCount() == 1)
    assert "shoulders of the people" in panel.fidelity.toPlainText()
    assert "8 of 14 source words kept" in panel.fidelity.toPlainText()
    assert "Транспортные" not in panel.fidelity.toPlainText()


def test_align_walk_through_offers_the_russian_line_via_the_english_version(bilingual_project, make_window, qtbot):
    from PySide6.QtWidgets import QApplication

    from cisannotate.ui.dialogs.align_dialog import AlignDialog

    window = make_window(bilingual_project)
    store = window.session.store
    russian = store.resolve_document("transcript_ru.txt")
    window.open_document(store.resolve_document("article_en.txt").id)
    dialog = AlignDialog(window.linking, window.workspace.article.document_id, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=20000)  # the index is built in the background
    target = next(i for i, ((_s, _e, text), _sug) in enumerate(dialog.rows) if "Transport costs" in text)
    for _ in range(target - dialog.index):
        qtbot.keyClick(dialog, Qt.Key.Key_S)
    assert dialog.index == target
    assert "via the English version" in dialog.choices.item(1).text()
    russian_line = dialog.rows[target][1].candidates[1]
    qtbot.keyClick(dialog, Qt.Key.Key_2)
    conn = sqlite3.connect(bilingual_project)
    try:
        links = conn.execute("SELECT target_document_id, char_start, char_end FROM links").fetchall()
    finally:
        conn.close()
    assert links == [(russian.id, russian_line.start, russian_line.end)]
    dialog.close()


def test_the_candidate_list_says_via_the_english_version_in_russian(bilingual_project, make_window, qtbot, qapp,
                                                                    monkeypatch):
    from cisannotate.ui.common import i18n

    monkeypatch.delenv(i18n.ENV, raising=False)
    i18n.install(qapp, "ru")
    try:
        window = make_window(bilingual_project)
        window.open_document(window.session.store.resolve_document("article_en.txt").id)
        panel = window.linking.panel
        view = window.workspace.article.view
        at = view.text.index(QUOTE) + 1
        view.setFocus()
        view.select_range(at, at + len(QUOTE) - 3)
        qtbot.waitUntil(lambda: panel.current is not None and len(panel.current.candidates) == 5)
        assert "через англ. версию" in panel.suggestions.item(1).text()
        assert "строка 26" in panel.suggestions.item(1).text()
        assert "via the" not in "".join(panel.suggestions.item(i).text() for i in range(5))
    finally:
        i18n.install(qapp, "en")

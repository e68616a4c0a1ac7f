"""The annotation window driven as a user drives it: select, press a key, check the
row in the project file and the highlight on screen, undo, check again."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from cisannotate.core.model import Document
from cisannotate.core.text import sha256_text
from cisannotate.storage import Store

ARTICLE = "001_0a569aa48f4bb4b4.txt"
TRANSCRIPT = "003_c41939edc97d5a2e.txt"


def document_id(window, source_file: str) -> str:
    return window.session.store.resolve_document(source_file).id


def rows(path, sql="SELECT char_start, char_end, category_id, speaker_id, mode, layer FROM spans ORDER BY char_start"):
    """Read the project file from a second connection, as another program would."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def highlighted(view) -> list[tuple[int, int, str]]:
    """What the view hands Qt to draw: (start, end, background) in code points."""
    result = []
    for selection in view.extraSelections():
        cursor = selection.cursor
        result.append((view.from_qt(cursor.selectionStart()), view.from_qt(cursor.selectionEnd()),
                       selection.format.background().color().name()))
    return result


def select_words(view, words: str, occurrence: int = 1) -> tuple[int, int]:
    at = -1
    for _ in range(occurrence):
        at = view.text.index(words, at + 1)
    view.setFocus()
    view.select_range(at, at + len(words))
    return at, at + len(words)


def category(window, name):
    return next(c for c in window.session.store.categories() if c.name == name)


def test_opens_article_beside_its_transcript(corpus_project, make_window):
    window = make_window(corpus_project)
    window.open_document(document_id(window, ARTICLE))
    ws = window.workspace
    assert ws.article.document.source_file == ARTICLE
    assert ws.transcript.document.source_file == TRANSCRIPT
    assert len(ws.transcript.view.lines) == 52
    assert ws.transcript.view.gutter.width() > 10


def test_mark_claim_with_key_then_undo_and_redo(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    window.open_document(document_id(window, ARTICLE))
    view = window.workspace.article.view
    accusation = category(window, "Accusation")
    start, end = select_words(view, "Putin stated that West is attempting to provoke conflicts within the CIS area")
    qtbot.keyClick(view, Qt.Key.Key_A)

    assert rows(corpus_project) == [(start, end, accusation.id, None, None, "tester")]
    drawn = [(s, e) for s, e, _c in highlighted(view)]
    assert (start, end) in drawn
    assert window.act_undo.text().replace("&", "") == "Undo Mark claim “Accusation”"

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(corpus_project) == []
    assert (start, end) not in [(s, e) for s, e, _c in highlighted(view)]

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert rows(corpus_project) == [(start, end, accusation.id, None, None, "tester")]
    assert (start, end) in [(s, e) for s, e, _c in highlighted(view)]


def test_three_categories_overlapping_spans_and_recategorising(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    window.open_document(document_id(window, ARTICLE))
    view = window.workspace.article.view
    outer = select_words(view, "TASS says Putin called on the special services of CIS countries to fiercely counter "
                               "any attempted cyberattacks on the critical infrastructure of CIS member states.")
    qtbot.keyClick(view, Qt.Key.Key_C)  # Call to action
    inner = select_words(view, "cyberattacks on the critical infrastructure")
    qtbot.keyClick(view, Qt.Key.Key_T)  # Threat, nested inside
    third = select_words(view, "the situation on the CIS borders needs acute attention")
    qtbot.keyClick(view, Qt.Key.Key_F)  # Factual report
    got = rows(corpus_project)
    assert [(s, e) for s, e, *_ in got] == sorted([outer, inner, third])
    names = {c.id: c.name for c in window.session.store.categories()}
    assert sorted(names[c] for _s, _e, c, *_ in got) == ["Call to action", "Factual report", "Threat"]
    # Only what is in view is handed to Qt: scroll back, and the nested spans are both drawn
    # (the overlap painted twice, so it reads darker).
    view.select_range(outer[0], outer[0])
    view.scroll_to(*outer)
    qtbot.waitUntil(lambda: outer in [(s, e) for s, e, _c in highlighted(view)])
    assert inner in [(s, e) for s, e, _c in highlighted(view)]

    # With nothing selected, a category key changes the selected annotation's category.
    window.workspace.select_span(next(sid for sid, s in view.spans.by_id.items() if (s.start, s.end) == third))
    view.select_range(third[1], third[1])
    qtbot.keyClick(view, Qt.Key.Key_S)
    assert names[rows(corpus_project, "SELECT category_id FROM spans WHERE char_start = %d" % third[0])[0][0]] == "Success claim"
    assert window.act_undo.text().replace("&", "") == "Undo Change category"


def test_delete_a_span_with_links_and_undo_brings_the_links_back(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    window.open_document(document_id(window, ARTICLE))
    ws = window.workspace
    claim = select_words(ws.article.view, "It is enough to look at what is happening now between Russia and Ukraine")
    qtbot.keyClick(ws.article.view, Qt.Key.Key_A)
    select_words(ws.transcript.view, "Just look at what is happening between Russia and Ukraine")
    qtbot.keyClick(ws.transcript.view, Qt.Key.Key_L)
    assert len(rows(corpus_project, "SELECT id FROM links")) == 1
    assert len(ws.canvas.shown_links()) == 1

    span_id = ws.current_span
    assert span_id
    ws.article.view.setFocus()
    qtbot.keyClick(ws.article.view, Qt.Key.Key_Delete)
    assert rows(corpus_project, "SELECT count(*) FROM spans") == [(0,)]
    assert rows(corpus_project, "SELECT count(*) FROM links") == [(0,)]
    assert ws.canvas.shown_links() == []

    window.session.undo_stack.undo()
    assert rows(corpus_project, "SELECT id FROM spans") == [(span_id,)]
    assert len(rows(corpus_project, "SELECT id FROM links WHERE span_id = '%s'" % span_id)) == 1
    assert len(ws.canvas.shown_links()) == 1
    assert claim in [(s, e) for s, e, _c in highlighted(ws.article.view)]


def test_quit_and_reopen_brings_everything_back(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    window.open_document(document_id(window, ARTICLE))
    view = window.workspace.article.view
    span = select_words(view, "Putin reportedly highlighted the need to promote cooperation among the CIS states.")
    qtbot.keyClick(view, Qt.Key.Key_P)
    window.close()  # no question asked: everything is already in the file
    window.session.store.close()

    again = make_window(corpus_project)
    assert again.workspace.article.document.source_file == ARTICLE  # the last document is remembered
    again.workspace.article.view.scroll_to(*span)
    # Highlights are handed to Qt for the viewport once layout settles.
    qtbot.waitUntil(lambda: span in [(s, e) for s, e, _c in highlighted(again.workspace.article.view)])


def test_offsets_stay_right_after_characters_outside_the_bmp(tmp_path, make_window, qtbot):
    text = "Caption 📷 🇺🇦 first.\nThe minister said “the border is closed” on 𝟘 Monday.\n"
    path = tmp_path / "emoji.cisannotate"
    store = Store.open(path)
    sha = sha256_text(text)
    store.add_document(Document(id=sha[:16], kind="article", title="Emoji", text=text, sha256=sha))
    store.close()
    window = make_window(path)
    view = window.workspace.article.view
    start, end = select_words(view, "the border is closed")
    assert (start, end) == (text.index("the border"), text.index("the border") + 20)
    qtbot.keyClick(view, Qt.Key.Key_A)
    stored = rows(path, "SELECT char_start, char_end, quote FROM spans")
    assert stored == [(start, end, "the border is closed")]
    # Drawn at the same characters: the highlight's UTF-16 range maps back to the stored code points.
    selection = view.extraSelections()[0]
    assert selection.cursor.selectedText() == "the border is closed"
    # A span after more astral characters still lands on its words.
    start2, end2 = select_words(view, "Monday")
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert rows(path, "SELECT quote FROM spans ORDER BY char_start") == [("the border is closed",), ("Monday",)]
    texts = sorted(s.cursor.selectedText() for s in view.extraSelections())
    assert texts == ["Monday", "the border is closed"]
    assert QColor(highlighted(view)[0][2]).isValid()


def test_read_only_project_refuses_edits_and_says_so(corpus_project, make_window, qtbot):
    window = make_window(corpus_project, read_only=True)
    window.open_document(document_id(window, ARTICLE))
    view = window.workspace.article.view
    select_words(view, "Putin")
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert rows(corpus_project, "SELECT count(*) FROM spans") == [(0,)]
    assert "[read-only]" in window.windowTitle()

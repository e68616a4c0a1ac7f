"""Linking driven through the real window: suggestions, digits, L, N, undo, connectors,
coverage, fidelity and the align walk-through."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cisannotate.ui.dialogs.align_dialog import AlignDialog

ARTICLE = "001_0a569aa48f4bb4b4.txt"
QUOTE = "It is enough to look at what is happening now between Russia and Ukraine"
SOURCE_WORDS = "Just look at what is happening between Russia and Ukraine"


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def open_article(window):
    window.open_document(window.session.store.resolve_document(ARTICLE).id)
    return window.workspace


def select(view, words):
    at = view.text.index(words)
    view.setFocus()
    view.select_range(at, at + len(words))
    return at, at + len(words)


def test_select_span_see_suggestions_press_1_then_undo(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    panel = window.linking.panel
    start, end = select(ws.article.view, QUOTE)
    qtbot.waitUntil(lambda: panel.current is not None and len(panel.current.candidates) == 5)
    best = panel.current.candidates[0]
    transcript_text = ws.transcript.view.text
    assert SOURCE_WORDS in transcript_text[best.start:best.end]
    assert not panel.current.no_source
    assert panel.suggestions.count() == 5

    qtbot.keyClick(ws.article.view, Qt.Key.Key_1)
    assert rows(corpus_project, "SELECT char_start, char_end, category_id FROM spans") == [(start, end, None)]
    links = rows(corpus_project, "SELECT target_document_id, char_start, char_end, relation FROM links")
    assert links == [(ws.transcript.document_id, best.start, best.end, "close paraphrase")]
    assert len(ws.canvas.shown_links()) == 1
    coverage = ws.transcript.view.coverage
    assert [n for n, refs in coverage.items() if refs] == [best.line]
    assert "Asia-Plus" in ws.transcript.view.gutter_tooltip(best.line)
    # The link is listed with its fidelity comparison.
    qtbot.waitUntil(lambda: panel.links.topLevelItemCount() == 1)
    assert "source words kept" in panel.fidelity.toPlainText()

    # One key made the span and its link: one undo removes both.
    assert window.act_undo.text().replace("&", "") == "Undo Mark and link as close paraphrase"
    window.session.undo_stack.undo()
    assert rows(corpus_project, "SELECT count(*) FROM spans") == [(0,)]
    assert rows(corpus_project, "SELECT count(*) FROM links") == [(0,)]
    assert ws.canvas.shown_links() == []
    window.session.undo_stack.redo()
    assert len(rows(corpus_project, "SELECT id FROM links")) == 1


def test_link_existing_claim_change_relation_and_undo(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    select(ws.article.view, QUOTE)
    qtbot.keyClick(ws.article.view, Qt.Key.Key_A)  # a claim first
    span_id = ws.current_span
    ws.article.view.select_range(0, 0)
    ws.select_span(span_id, scroll=False)
    qtbot.keyClick(ws.article.view, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: window.linking.panel.current is not None)
    qtbot.keyClick(ws.article.view, Qt.Key.Key_2)
    (link_id, relation), = rows(corpus_project, f"SELECT id, relation FROM links WHERE span_id = '{span_id}'")
    window.session.edit_link(link_id, relation="distortion")
    assert rows(corpus_project, "SELECT relation FROM links") == [("distortion",)]
    window.session.undo_stack.undo()
    assert rows(corpus_project, "SELECT relation FROM links") == [(relation,)]


def test_manual_link_with_l_and_connector_click_selects_the_link(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    select(ws.article.view, QUOTE)
    qtbot.keyClick(ws.article.view, Qt.Key.Key_A)
    t_start, t_end = select(ws.transcript.view, SOURCE_WORDS)
    qtbot.keyClick(ws.transcript.view, Qt.Key.Key_L)
    (link_id, start, end), = rows(corpus_project, "SELECT id, char_start, char_end FROM links")
    assert (start, end) == (t_start, t_end)
    # Scroll both ends into view, then click the band between the panes.
    ws.select_link("")
    ws.select_span("")
    ws.article.view.scroll_to(*ws.canvas.span_ranges[ws.canvas.links[0].span_id])
    ws.transcript.view.scroll_to(t_start, t_end)
    ws.canvas.repaint()
    qtbot.waitUntil(lambda: len(ws.canvas._drawn) == 1)
    centre = ws.canvas._drawn[0].path.boundingRect().center().toPoint()
    qtbot.mouseClick(ws.canvas, Qt.MouseButton.LeftButton, pos=centre)
    assert ws.current_link == link_id
    assert ws.current_span == rows(corpus_project, "SELECT span_id FROM links")[0][0]


def test_no_source_with_n(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    start, end = select(ws.article.view, "Source: Asia-Plus")
    qtbot.waitUntil(lambda: window.linking.panel.current is not None)
    assert window.linking.panel.current.no_source
    qtbot.keyClick(ws.article.view, Qt.Key.Key_N)
    assert rows(corpus_project, "SELECT char_start, char_end, no_source FROM spans") == [(start, end, 1)]


def test_align_walk_through(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    dialog = AlignDialog(window.linking, ws.article.document_id, window)  # owned by the window
    dialog.show()
    qtbot.waitExposed(dialog)
    # The window opens it modally and active; keys go to the active window's shortcuts.
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=30000)  # the index is built in the background
    total = len(dialog.rows)
    assert total > 10
    # The title sentence has no source: the dialog pre-selects "no source" for it.
    first_suggestion = dialog.rows[0][1]
    assert first_suggestion.no_source
    assert dialog.choices.currentRow() == dialog.choices.count() - 1
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert rows(corpus_project, "SELECT no_source FROM spans") == [(1,)]
    assert dialog.index == 1
    # Walk to the sentence with the Russia-Ukraine quote and accept the best suggestion with 1.
    target = next(i for i, ((_s, _e, text), _sug) in enumerate(dialog.rows) if QUOTE in text)
    for _ in range(target - dialog.index):
        qtbot.keyClick(dialog, Qt.Key.Key_S)
    assert dialog.index == target
    qtbot.keyClick(dialog, Qt.Key.Key_1)
    assert len(rows(corpus_project, "SELECT id FROM links")) == 1
    assert dialog.decisions[target].startswith("Linked to line")
    # Ctrl+Z inside the walk-through undoes the last step and goes back to it.
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(corpus_project, "SELECT count(*) FROM links") == [(0,)]
    assert dialog.index == target
    assert len(rows(corpus_project, "SELECT id FROM spans")) == 1
    # Esc or Close ends the walk-through; what was decided stays.
    dialog.close()
    assert not dialog.isVisible()


def test_clicking_a_reported_line_in_the_gutter_lists_its_reports_and_jumps(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    start, end = select(ws.article.view, QUOTE)
    qtbot.waitUntil(lambda: window.linking.panel.current is not None)
    qtbot.keyClick(ws.article.view, Qt.Key.Key_1)
    span_id = ws.current_span
    line = next(n for n, refs in ws.transcript.view.coverage.items() if refs)
    # Somewhere else in the article, nothing selected; then a click on the line's box in the gutter.
    ws.select_span("")
    ws.article.view.select_range(0, 0)
    ws.article.view.scroll_to(0, 0)
    view = ws.transcript.view
    view.scroll_to(view.line(line).start, view.line(line).end)
    qtbot.waitUntil(lambda: any(n == line for _rect, n in view.gutter._hits))
    rect = next(r for r, n in view.gutter._hits if n == line)
    qtbot.mouseClick(view.gutter, Qt.MouseButton.LeftButton, pos=rect.center())
    menu = window.linking._last_menu
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[0] == f"Line {line}: reported by 1 article(s)"
    assert texts[1].startswith("Asia-Plus — close paraphrase: “It is enough to look")
    menu.actions()[-1].trigger()
    menu.close()
    assert ws.current_span == span_id
    assert ws.article.view.selected_ids == {span_id}
    s, e = ws.article.view.visible_range()
    assert s <= start < e

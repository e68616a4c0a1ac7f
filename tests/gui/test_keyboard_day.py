"""A day at the keyboard, as one test: open an article, mark a claim, tag its speaker,
link it, align ten sentences, undo and redo, review a colleague's layer; every key goes
where the keyboard focus is, no mouse, and the rows in the project file are exactly the
ones the user meant. Run it on a real display too (Xvfb, QT_QPA_PLATFORM=xcb)."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from cisannotate.core.model import REVIEWED_LAYER
from cisannotate.session import Session
from cisannotate.storage import Store
from cisannotate.ui.dialogs.align_dialog import AlignDialog
from cisannotate.ui.document.tag_popup import TagPopup

ARTICLE = "001_0a569aa48f4bb4b4.txt"
QUOTE = "Putin stated that West is attempting to provoke conflicts within the CIS area"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def rows(path, sql, *args):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def focus(qtbot=None):
    """The widget with the keyboard focus (after a dialog closes, once its window is active again)."""
    if qtbot is not None and QApplication.focusWidget() is None:
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focus(qtbot), key, modifier)


def type_text(qtbot, text):
    qtbot.keyClicks(focus(qtbot), text)


def while_modal(qtbot, dialog_type, steps):
    """Run ``steps(dialog)`` once a modal ``dialog_type`` has the focus (the window waits in exec())."""
    done = []

    def attempt(tries=[0]):
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, dialog_type) and QApplication.focusWidget() is not None \
                and dialog.isAncestorOf(QApplication.focusWidget()):
            steps(dialog)
            done.append(dialog)
            return
        tries[0] += 1
        assert tries[0] < 200, f"no {dialog_type.__name__} came up"
        QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)
    return done


def test_a_day_at_the_keyboard(corpus_project, make_window, qtbot):
    # A colleague's layer already in the project: the same quote, marked as a threat.
    store = Store.open(corpus_project)
    colleague = Session(store, "colleague")
    article_id = store.resolve_document(ARTICLE).id
    text = store.text(article_id)
    q_start = text.index(QUOTE)
    q_end = q_start + len(QUOTE)
    threat = next(c for c in store.categories() if c.name == "Threat")
    accusation = next(c for c in store.categories() if c.name == "Accusation")
    colleague.add_span(article_id, q_start, q_end, category_id=threat.id)
    store.close()
    TagPopup.last_choice = None

    window = make_window(corpus_project, annotator="tester")
    ws = window.workspace

    # 1. Open the article: Ctrl+PgDown walks the corpus.
    for _ in range(6):
        if ws.article.document_id == article_id:
            break
        qtbot.keyClick(window, Qt.Key.Key_PageDown, CTRL)
    assert ws.article.document_id == article_id
    # Into the article's text (Ctrl+Tab switches panes).
    press(qtbot, Qt.Key.Key_Tab, CTRL)
    if focus() is not ws.article.view:
        press(qtbot, Qt.Key.Key_Tab, CTRL)
    assert focus() is ws.article.view

    # 2. Find the quote (Ctrl+F, type, Esc keeps it selected) and mark it an accusation (A).
    press(qtbot, Qt.Key.Key_F, CTRL)
    type_text(qtbot, QUOTE)
    press(qtbot, Qt.Key.Key_Escape)
    assert focus() is ws.article.view and ws.article.view.selection() == (q_start, q_end)
    press(qtbot, Qt.Key.Key_A)
    mine = "SELECT char_start, char_end, category_id, no_source FROM spans WHERE layer = 'tester' ORDER BY char_start, char_end"
    assert rows(corpus_project, mine) == [(q_start, q_end, accusation.id, 0)]
    claim = ws.current_span

    # 3. Tag it (Q): speaker, Tab to channel, Tab to the modes, I, Enter to confirm the new names.
    def tag(popup):
        type_text(qtbot, "Vladimir Putin")
        press(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "Kremlin website")
        press(qtbot, Qt.Key.Key_Tab)
        press(qtbot, Qt.Key.Key_I)
        press(qtbot, Qt.Key.Key_Return)  # names new to the codebook: asks once more
        press(qtbot, Qt.Key.Key_Return)

    tagged = while_modal(qtbot, TagPopup, tag)
    press(qtbot, Qt.Key.Key_Q)
    assert tagged
    (speaker, mode, channel), = rows(
        corpus_project,
        "SELECT sp.name, s.mode, ch.name FROM spans s JOIN speakers sp ON sp.id = s.speaker_id "
        "JOIN channels ch ON ch.id = s.channel_id WHERE s.id = ?", claim)
    assert (speaker, mode, channel) == ("Vladimir Putin", "indirect speech", "Kremlin website")

    # 4. Link it to the best suggestion (1).
    qtbot.waitUntil(lambda: window.linking.panel.current is not None)
    best = window.linking.panel.current.candidates[0]
    press(qtbot, Qt.Key.Key_1)
    links = "SELECT s.char_start, s.char_end, l.char_start, l.char_end FROM links l JOIN spans s ON s.id = l.span_id WHERE l.layer = 'tester' ORDER BY s.char_start, s.char_end"
    assert rows(corpus_project, links) == [(q_start, q_end, best.start, best.end)]

    # 5. Align ten sentences: ten Enters, ten decisions, then Esc.
    expected_spans, expected_links = [], []

    def align(dialog):
        assert focus() is dialog.choices
        for i in range(10):
            (start, end, _t), suggestion = dialog.rows[i]
            start, end = window.session.trimmed(article_id, start, end)
            if suggestion.no_source:
                expected_spans.append((start, end, None, 1))
            else:
                c = suggestion.candidates[0]
                expected_spans.append((start, end, None, 0))
                expected_links.append((start, end, c.start, c.end))
            press(qtbot, Qt.Key.Key_Return)
            assert dialog.index == i + 1
        press(qtbot, Qt.Key.Key_Escape)

    aligned = while_modal(qtbot, AlignDialog, align)
    press(qtbot, Qt.Key.Key_A, CTRL | SHIFT)
    assert aligned
    assert len(expected_spans) == 10
    all_spans = sorted([(q_start, q_end, accusation.id, 0)] + expected_spans)
    all_links = sorted([(q_start, q_end, best.start, best.end)] + expected_links)
    assert rows(corpus_project, mine) == all_spans
    assert rows(corpus_project, links) == all_links

    # 6. Undo the last sentence, redo it with Ctrl+Y; again with Ctrl+Shift+Z.
    view = ws.article.view
    view.setFocus()
    last = expected_spans[-1]
    without_last = sorted(s for s in all_spans if s != last)
    for redo in (Qt.Key.Key_Y, None):
        press(qtbot, Qt.Key.Key_Z, CTRL)
        assert rows(corpus_project, mine) == without_last
        if redo is Qt.Key.Key_Y:
            press(qtbot, Qt.Key.Key_Y, CTRL)
        else:
            press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
        assert rows(corpus_project, mine) == all_spans
        assert rows(corpus_project, links) == all_links

    # 7. Review: F8 to the quote both marked, accept the tester's version by key.
    review = window.review
    for _ in range(30):
        press(qtbot, Qt.Key.Key_F8)
        item = review.panel.current_item()
        if item is not None and claim in {getattr(item.a, "id", None), getattr(item.b, "id", None)}:
            break
    assert claim in {getattr(item.a, "id", None), getattr(item.b, "id", None)}
    side = "A" if review.layers[0] == "tester" else "B"
    assert set(review.layers) == {"tester", "colleague"}
    press(qtbot, Qt.Key.Key_A if side == "A" else Qt.Key.Key_B, ALT)
    reviewed = rows(
        corpus_project,
        "SELECT char_start, char_end, category_id, mode FROM spans WHERE layer = ?", REVIEWED_LAYER)
    assert reviewed == [(q_start, q_end, accusation.id, "indirect speech")]
    # Nothing else changed on the way: the tester's and the colleague's rows are as they were.
    assert rows(corpus_project, mine) == all_spans
    assert rows(corpus_project, "SELECT char_start, char_end, category_id FROM spans WHERE layer = 'colleague'") == [
        (q_start, q_end, threat.id)]

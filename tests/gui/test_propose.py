"""Pre-annotation and merged candidates driven through the real window with the keys a user
presses: the proposals walk-through (Enter accepts, N rejects, Ctrl+Z undoes), P in the
align walk-through, and a digit on a merged candidate linking to both of its lines."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cisannotate.storage import Store
from cisannotate.ui.dialogs.align_dialog import AlignDialog
from cisannotate.ui.dialogs.propose_dialog import ProposeDialog
from cisannotate.services.importing import import_files

EVENTS = Path(__file__).resolve().parents[1] / "data" / "events"


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def events_project(tmp_path) -> Path:
    path = tmp_path / "events.cisannotate"
    store = Store.open(path)
    report = import_files(store, [EVENTS], manifest=EVENTS / "manifest.csv")
    rows = (EVENTS / "manifest.csv").read_text(encoding="utf-8").strip().count("\n")
    assert not report.problems and len(report.added) == rows
    store.close()
    return path


@pytest.fixture(autouse=True)
def no_modal_errors(monkeypatch):
    """A save error would open a modal box and stall the test: fail with its text instead."""
    from cisannotate.ui.window import main_window

    def fail(_parent, _title, message, *args):
        raise AssertionError(message)

    monkeypatch.setattr(main_window.QMessageBox, "warning", fail)


def open_dialog(qtbot, dialog):
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    # The align walk-through waits for the suggestion index, built in the background.
    qtbot.waitUntil(lambda: not getattr(dialog, "waiting", False), timeout=30000)
    return dialog


def test_accept_reject_and_undo_proposals_by_key(events_project, make_window, qtbot):
    window = make_window(events_project)
    article = window.session.store.resolve_document("calvane_courier.txt").id
    window.open_document(article)
    dialog = open_dialog(qtbot, ProposeDialog(window.linking, article, window))
    assert len(dialog.items) >= 10
    first = dialog.items[0]
    assert first.proposal.text == "A lake does not know our borders"
    # The proposal is selected in the article while it is shown.
    view = window.workspace.article.view
    assert view.selection() == (first.start, first.end)

    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    spans = rows(events_project, "SELECT char_start, char_end, mode, speaker_id FROM spans")
    assert [(s, e, m) for s, e, m, _ in spans] == [(first.start, first.end, "direct quote")]
    speaker = rows(events_project, "SELECT name FROM speakers WHERE id = ?".replace("?", repr(spans[0][3])))
    assert speaker == [("Tomas Kerrel",)]
    assert dialog.index == 1

    qtbot.keyClick(dialog, Qt.Key.Key_N)  # reject the second: nothing written
    assert dialog.decisions[1] == "Rejected" and dialog.index == 2
    assert len(rows(events_project, "SELECT id FROM spans")) == 1

    third = dialog.items[2]
    qtbot.keyClick(dialog, Qt.Key.Key_Y)
    assert rows(events_project, "SELECT char_start, char_end, mode FROM spans ORDER BY char_start")[1] == (
        third.start, third.end, third.mode)
    # The known speaker is reused, not added twice.
    assert rows(events_project, "SELECT count(*) FROM speakers") == [(1,)]

    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(rows(events_project, "SELECT id FROM spans")) == 1
    assert dialog.index == 2 and 2 not in dialog.decisions
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # The first acceptance is one step: the span and the new speaker go together.
    assert rows(events_project, "SELECT count(*) FROM spans") == [(0,)]
    assert rows(events_project, "SELECT count(*) FROM speakers") == [(0,)]
    dialog.close()


def test_the_window_action_opens_the_proposals(events_project, make_window, qtbot, monkeypatch):
    window = make_window(events_project)
    window.open_document(window.session.store.resolve_document("sarn_daily.txt").id)
    opened = []
    monkeypatch.setattr(ProposeDialog, "exec", lambda self: opened.append(self) or 0)
    qtbot.keyClick(window.workspace.article.view, Qt.Key.Key_P,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(opened) == 1
    items = opened[0].items
    assert items[0].proposal.text == "Nobody is to blame but the calendar"
    assert items[0].proposal.speaker == "Helga Voss"
    assert any(i.proposal.channel == "SRK" for i in items)


def test_p_in_the_align_walk_through_accepts_the_sentences_proposal(events_project, make_window, qtbot):
    window = make_window(events_project)
    article = window.session.store.resolve_document("sarn_herald.txt").id
    window.open_document(article)
    dialog = open_dialog(qtbot, AlignDialog(window.linking, article, window))
    target = next(i for i, ((_s, _e, text), _sug) in enumerate(dialog.rows)
                  if text.startswith("“We will not pass a law"))
    for _ in range(target):
        qtbot.keyClick(dialog, Qt.Key.Key_S)
    assert "proposed: direct quote · Helga Voss" in dialog.state.text()
    qtbot.keyClick(dialog, Qt.Key.Key_P)
    assert rows(events_project, "SELECT quote, mode FROM spans") == [
        ("We will not pass a law forcing the strikers back to work", "direct quote")]
    assert "proposed" not in dialog.state.text() or "The right to strike" in dialog.state.text()
    qtbot.keyClick(dialog, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(events_project, "SELECT count(*) FROM spans") == [(0,)]
    assert "proposed: direct quote" in dialog.state.text()
    dialog.close()


def test_a_digit_on_a_merged_candidate_links_both_lines(events_project, make_window, qtbot):
    window = make_window(events_project)
    store = window.session.store
    window.open_document(store.resolve_document("calvane_wire.txt").id)
    view = window.workspace.article.view
    words = "We cannot change the rain. We can change what we take"
    at = view.text.index(words)
    view.setFocus()
    view.select_range(at, at + len(words))
    panel = window.linking.panel
    qtbot.waitUntil(lambda: panel.current is not None and bool(panel.current.candidates))
    best = panel.current.candidates[0]
    assert best.merged and len(best.lines) == 2
    assert "lines" in panel.suggestions.item(0).text()
    assert "Opening address by the Minister of Water" in panel.suggestions.item(0).text()
    assert "2025-05-14" in panel.suggestions.item(0).text()
    qtbot.keyClick(view, Qt.Key.Key_1)
    links = rows(window.session.store.path if hasattr(store, "path") else events_project,
                 "SELECT char_start, char_end FROM links ORDER BY char_start")
    assert [tuple(r) for r in links] == [tuple(r) for r in best.ranges]


def test_r_in_the_align_walk_through_rejects_and_a_quote_over_sentences_is_offered(
        events_project, make_window, qtbot):
    window = make_window(events_project)
    article = window.session.store.resolve_document("calvane_wire.txt").id
    window.open_document(article)
    dialog = open_dialog(qtbot, AlignDialog(window.linking, article, window))
    # "We cannot change the rain. We can change what we take," runs over two sentences:
    # it is offered on the sentence where it opens.
    target = next(i for i, ((_s, _e, text), _sug) in enumerate(dialog.rows)
                  if "We cannot change the rain." in text)
    for _ in range(target):
        qtbot.keyClick(dialog, Qt.Key.Key_S)
    assert "proposed: direct quote · Tomas Kerrel" in dialog.state.text()
    assert dialog._proposed()[0].proposal.text == "We cannot change the rain. We can change what we take"
    shown = dialog.state.text()
    qtbot.keyClick(dialog, Qt.Key.Key_R)  # reject: nothing written, the proposal is gone
    assert rows(events_project, "SELECT count(*) FROM spans") == [(0,)]
    assert dialog.state.text() != shown
    assert all(p.proposal.text != "We cannot change the rain. We can change what we take"
               for p in dialog._proposed())
    assert dialog.index == target  # rejecting a proposal does not decide the sentence
    dialog.close()

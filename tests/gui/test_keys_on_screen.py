"""Keys as a user presses them, on whatever platform the suite runs (offscreen and xcb):
every key press goes to the widget that has the keyboard focus, and the rows in the
project file are checked after each decision."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cisannotate.ui.dialogs.align_dialog import AlignDialog
from cisannotate.ui.document.tag_popup import TagPopup

ARTICLE = "001_0a569aa48f4bb4b4.txt"
QUOTE = "Putin stated that West is attempting to provoke conflicts within the CIS area"


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier, text: str | None = None):
    """Press ``key`` where the keyboard focus is, as a user does."""
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    qtbot.keyClick(widget, key, modifier)


def type_text(qtbot, text: str):
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)


def open_article(window):
    window.open_document(window.session.store.resolve_document(ARTICLE).id)
    return window.workspace


def select(view, words):
    at = view.text.index(words)
    view.setFocus()
    view.select_range(at, at + len(words))
    return at, at + len(words)


def open_align(window, qtbot) -> AlignDialog:
    dialog = AlignDialog(window.linking, window.workspace.article.document_id, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.choices)
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=30000)  # the index is built in the background
    return dialog


# ------------------------------------------------------------------- align walk-through
def test_one_return_in_the_align_walk_through_decides_one_sentence(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    open_article(window)
    dialog = open_align(window, qtbot)
    expected = []
    for i in range(4):
        (start, end, _text), suggestion = dialog.rows[i]
        expected.append(window.session.trimmed(dialog.article_id, start, end))
        press(qtbot, Qt.Key.Key_Return)
        assert dialog.index == i + 1, f"Return number {i + 1} moved the walk-through to sentence {dialog.index + 1}"
    spans = rows(corpus_project, "SELECT char_start, char_end FROM spans ORDER BY char_start")
    assert spans == sorted(expected)
    assert sorted(dialog.decisions) == [0, 1, 2, 3]
    dialog.close()


def test_enter_on_the_keypad_and_a_digit_decide_one_sentence_each(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    open_article(window)
    dialog = open_align(window, qtbot)
    press(qtbot, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert dialog.index == 1
    press(qtbot, Qt.Key.Key_1)
    assert dialog.index == 2
    assert rows(corpus_project, "SELECT count(*) FROM spans") == [(2,)]
    # Back and undo by keys: the last decision goes, the walk-through returns to it.
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.index == 1
    assert rows(corpus_project, "SELECT count(*) FROM spans") == [(1,)]
    dialog.close()


# ------------------------------------------------------------------------------ redo
def _mark(window, qtbot):
    ws = open_article(window)
    start, end = select(ws.article.view, QUOTE)
    qtbot.keyClick(ws.article.view, Qt.Key.Key_A)
    return start, end


def test_undo_and_both_redo_keys_work_without_an_ambiguous_shortcut(corpus_project, make_window, qtbot, qtlog):
    window = make_window(corpus_project)
    start, end = _mark(window, qtbot)
    view = window.workspace.article.view
    spans = "SELECT char_start, char_end FROM spans"
    for redo in ((Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier),
                 (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)):
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert rows(corpus_project, spans) == []
        qtbot.keyClick(view, *redo)
        assert rows(corpus_project, spans) == [(start, end)], f"{redo} did not redo"
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_redo_keys_are_listed_once_each(qapp):  # the platform's key bindings need the application
    from PySide6.QtGui import QKeySequence

    from cisannotate.ui.common.keys import redo_keys

    keys = [k.toString(QKeySequence.SequenceFormat.PortableText) for k in redo_keys()]
    assert "Ctrl+Y" in keys and "Ctrl+Shift+Z" in keys
    assert len(keys) == len(set(keys))


def test_the_shortcuts_list_names_both_redo_keys(corpus_project, make_window):
    window = make_window(corpus_project)
    redo = next(s for s in window.shortcut_table if s.name == "Redo")
    assert "Ctrl+Y" in redo.keys and "Ctrl+Shift+Z" in redo.keys


# ---------------------------------------------------------------------- speaker popup
def _popup(window, qtbot) -> TagPopup:
    session = window.session
    popup = TagPopup(session, None, window)
    popup.show()
    qtbot.waitExposed(popup)
    popup.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is popup)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return popup


def test_tab_from_speaker_reaches_channel_and_typing_there_never_sets_the_mode(corpus_project, make_window, qtbot):
    TagPopup.last_choice = None
    window = make_window(corpus_project)
    popup = _popup(window, qtbot)
    assert popup.speaker_box.isAncestorOf(QApplication.focusWidget()) or QApplication.focusWidget() is popup.speaker_box
    type_text(qtbot, "Vladimir Putin")
    press(qtbot, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is popup.channel_box or popup.channel_box.isAncestorOf(focus)
    type_text(qtbot, "Kremlin website")
    assert popup.channel_box.currentText() == "Kremlin website"
    assert popup.mode() is None
    popup.close()


def test_letters_typed_outside_a_name_box_do_not_turn_a_name_into_modes(corpus_project, make_window, qtbot):
    TagPopup.last_choice = None
    window = make_window(corpus_project)
    popup = _popup(window, qtbot)
    # A mode key on the mode buttons picks the mode…
    popup.mode_buttons["direct quote"].setFocus()
    press(qtbot, Qt.Key.Key_D)
    assert popup.mode() == "direct quote"
    # …but a word typed there is a name the user meant for a box, not a run of mode keys.
    type_text(qtbot, "Kremlin website")
    assert popup.mode() == "direct quote"
    assert "Channel" in popup.notice.text()
    popup.close()


# ---------------------------------------------------------------- the view keeps the user
def _shown(view, start, end) -> bool:
    """Whether [start, end) is drawn inside the viewport (not only its paragraph)."""
    rect = view.range_rect(start, end)
    viewport = view.viewport().rect()
    return rect.top() >= viewport.top() - 2 and rect.top() < viewport.bottom()


def _sentence(dialog_rows, i):
    (start, end, _text), suggestion = dialog_rows[i]
    return start, end, suggestion.candidates[0]


def _link_with_1(window, qtbot, start, end):
    ws = window.workspace
    ws.article.view.setFocus()
    ws.article.view.select_range(start, end)
    window.linking.refresh()
    qtbot.waitUntil(lambda: window.linking.panel.current is not None)
    qtbot.keyClick(ws.article.view, Qt.Key.Key_1)


def test_the_source_of_a_new_link_stays_in_view(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    assert window.act_follow.isChecked()
    ranked = window.linking.suggester.rank_article(ws.article.document_id, scope="event")
    # Sentence 5 reports line 18; sentences 9 and 10, a few rows below it, report lines 44 and 45.
    for i in (4, 8, 9):
        start, end, best = _sentence(ranked, i)
        _link_with_1(window, qtbot, start, end)
        qtbot.wait(400)  # the transcript's follow timer has run
        assert _shown(ws.transcript.view, best.start, best.end), f"line {best.line} scrolled away"
        assert _shown(ws.article.view, start, end)
    assert rows(corpus_project, "SELECT count(*) FROM links") == [(3,)]


def test_linking_with_l_keeps_the_chosen_source_line_in_view(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    ranked = window.linking.suggester.rank_article(ws.article.document_id, scope="event")
    start, end, best = _sentence(ranked, 4)
    _link_with_1(window, qtbot, start, end)
    start, end, best = _sentence(ranked, 8)
    ws.article.view.select_range(start, end)
    qtbot.keyClick(ws.article.view, Qt.Key.Key_A)
    transcript = ws.transcript.view
    transcript.setFocus()
    line = transcript.line(best.line)
    transcript.select_range(line.start, line.start)
    transcript.scroll_to(line.start, line.end)
    qtbot.keyClick(transcript, Qt.Key.Key_L)
    qtbot.wait(400)
    assert rows(corpus_project, "SELECT count(*) FROM links") == [(2,)]
    assert _shown(transcript, line.start, line.end)


def test_shift_arrows_scroll_to_keep_the_growing_selection_in_view(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    view = ws.article.view
    view.setFocus()
    view.select_range(0, 0)
    view.verticalScrollBar().setValue(0)
    for i in range(60):
        qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
        if i % 10 == 0:
            qtbot.wait(300)  # as a user's pace: the Source panel refreshes for the selection
    start, end = view.selection()
    assert start == 0 and end > 1000
    assert view.verticalScrollBar().value() > 0
    assert view.viewport().rect().contains(view.cursorRect().center())


# -------------------------------------------------------------------- event without transcript
def test_an_article_whose_event_has_no_transcript_is_not_shown_beside_another(corpus_project, make_window, qtbot):
    window = make_window(corpus_project)
    ws = open_article(window)
    assert ws.transcript.document_id  # 001 beside its event's transcript
    lonely = window.session.store.resolve_document("000_69287b8326f4e223.txt")
    window.open_document(lonely.id)
    assert ws.article.document_id == lonely.id
    assert ws.transcript.document_id is None
    assert ws.transcript.view.text == ""
    assert "No transcript for “cis-security-chiefs-2024-11”" in ws.transcript.title.text()
    assert ws.canvas.links == []
    # Every transcript stays one choice away, none of them chosen for the user.
    chooser = ws.transcript.chooser
    assert chooser.isVisibleTo(ws.transcript) and chooser.count() == 2 and chooser.currentIndex() == -1
    chooser.setFocus()
    qtbot.keyClick(chooser, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: ws.transcript.document_id is not None)
    assert ws.article.document_id == lonely.id


# ---------------------------------------------------------------------------- the gutter
def test_the_gutter_list_names_the_layer_of_each_report(sample_project, make_window, qtbot):
    window = make_window(sample_project)
    ws = window.workspace
    view = ws.transcript.view
    # A line both annotators linked: the list shows one entry per layer, each named.
    line = next(n for n, refs in view.coverage.items() if len(refs) >= 2)
    window.linking.show_line_reports(line)
    menu = window.linking._last_menu
    entries = [a.text() for a in menu.actions() if not a.isSeparator()][1:]
    layers = {window.session.store.link(k).layer for _a, _o, k in view.coverage[line]}
    assert len(layers) >= 2
    for layer in layers:
        assert any(text.endswith(f"· layer {layer}") for text in entries), (layer, entries)
    menu.close()


def test_a_row_where_several_lines_start_is_explained_and_each_start_is_marked(sample_project, make_window, qtbot):
    window = make_window(sample_project)
    view = window.workspace.transcript.view
    qtbot.waitUntil(lambda: bool(view.gutter._rows))
    # Find a transcript row on which more than one source line starts ("N+").
    for _ in range(40):
        shared = [(rect, numbers) for rect, numbers in view.gutter._rows if len(numbers) > 1]
        if shared:
            break
        view.verticalScrollBar().setValue(view.verticalScrollBar().value() + 5)
        view.gutter.repaint()
    rect, numbers = shared[0]
    tip = view.row_tooltip(numbers)
    assert f"Source lines {numbers[0]}–{numbers[-1]} start on this row" in tip
    assert "“21+”" in tip or "more lines start on that row" in tip
    # Each of those lines has its own mark in the text, on that row, at its own place.
    marks = {number: r for number, r in view.line_start_marks()}
    assert all(n in marks for n in numbers)
    xs = [marks[n].left() for n in numbers]
    assert len(set(xs)) == len(xs)
    # The marks are painted: the pixel at a mid-row mark has the mark's grey, not the base colour.
    image = view.viewport().grab().toImage()
    mark = marks[numbers[1]]
    base = view.palette().base().color()
    assert image.pixelColor(mark.center()) != base


def test_help_explains_the_gutter(sample_project, make_window):
    window = make_window(sample_project)
    texts = [a.text().replace("&", "") for a in window.help_menu.actions()]
    assert "Reading the transcript" in " ".join(texts) or any("gutter" in t.lower() for t in texts)


# --------------------------------------------------------------------------- small ones
def test_view_menu_entries_show_their_check_state(corpus_project, make_window):
    window = make_window(corpus_project)
    review = window.review.dock.toggleViewAction()
    assert review in window.view_menu.actions()
    for action in window.view_menu.actions():
        if action.isCheckable():
            assert not action.isIconVisibleInMenu() or action.icon().isNull(), action.text()


def test_a_new_empty_project_says_what_to_do_next(tmp_path, make_window):
    from cisannotate.storage import Store

    path = tmp_path / "empty.cisannotate"
    Store.open(path).close()
    window = make_window(path)
    hint = window.workspace.article.title.text()
    assert "Import documents" in hint and "sample" in hint
    names = [a.text().replace("&", "") for a in window.file_menu.actions()]
    assert "Open the sample project…" in names


def test_new_project_dialog_starts_in_the_users_folder_not_the_data_folder(make_window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    from cisannotate import paths
    from cisannotate.app import ensure_default_project
    from cisannotate.ui.window.project_files import user_documents_folder

    window = make_window(ensure_default_project())
    assert window.session.store.path.parent.resolve() == paths.data_dir().resolve()
    seen = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (seen.append(a[2]), ("", ""))[1])
    window.new_project()
    assert Path(seen[0]).parent == user_documents_folder()
    assert not str(seen[0]).startswith(str(paths.data_dir()))


def test_the_manifest_label_is_a_mnemonic_not_literal_text(tmp_path, qtbot):
    from PySide6.QtWidgets import QLabel

    from cisannotate.ui.dialogs.import_dialog import ImportDialog

    dialog = ImportDialog(tmp_path)
    qtbot.addWidget(dialog)
    label = next(lb for lb in dialog.findChildren(QLabel) if lb.text() == "&Manifest:")
    assert label.buddy() is dialog.manifest


def test_the_source_panel_placeholder_fits(corpus_project, make_window):
    window = make_window(corpus_project)
    fidelity = window.linking.panel.fidelity
    text = fidelity.placeholderText()
    lines = max(1, fidelity.viewport().height() // fidelity.fontMetrics().lineSpacing())
    width = fidelity.viewport().width() - 8
    assert fidelity.fontMetrics().horizontalAdvance(text) <= width * lines


# ------------------------------------------------------------------------------- merge
def test_a_merge_is_one_step_undone_and_redone_by_keys(tmp_path, make_window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from cisannotate.io.exchange import ExportOptions, export_project
    from cisannotate.sample import create_sample_project
    from cisannotate.storage import Store
    from cisannotate.ui.dialogs import exchange_dialogs

    source = create_sample_project(tmp_path / "colleague.cisannotate")
    exported = tmp_path / "colleague.json"
    export_project(source, exported, ExportOptions("json", with_text=True))
    source.close()
    path = tmp_path / "mine.cisannotate"
    Store.open(path).close()
    window = make_window(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(exported), ""))
    monkeypatch.setattr(exchange_dialogs, "confirm_merge", lambda parent, p, backed_up: True)
    monkeypatch.setattr(exchange_dialogs, "show_merge_report", lambda parent, p, report: None)
    count = "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM spans), (SELECT count(*) FROM links)"
    assert rows(path, count) == [(0, 0, 0)]
    window.merge_annotations()
    merged = rows(path, count)
    assert merged[0][1] == 86
    # The window has the keyboard back once the merge's progress dialog is gone.
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    # Something done after the merge is undone first, then the merge as one step.
    window.open_document(window.session.store.documents()[0].id)
    view = window.workspace.article.view
    view.setFocus()
    view.select_range(0, 5)
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert rows(path, count)[0][1] == 87
    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(path, count) == merged
    assert window.act_undo.text().replace("&", "") == "Undo Merge annotations from colleague.json"
    qtbot.keyClick(window.workspace.article.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert rows(path, count) == [(0, 0, 0)]
    assert window.navigator.model.rowCount() == 0
    assert window.workspace.shown_ids() == []
    qtbot.keyClick(window.workspace.article.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert rows(path, count) == merged
    assert window.navigator.model.rowCount() > 0


# ----------------------------------------------------------------------------- README
def _readme_keys() -> set[str]:
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Keyboard shortcuts", 1)[1].split("\n## ", 1)[0]
    keys: set[str] = set()
    for line in table.splitlines():
        if not line.startswith("| ") or line.startswith("| Keys"):
            continue
        first, rest = line.split("|")[1], "|".join(line.split("|")[2:])
        keys.update(k for k in re.split(r",\s*|\s+", first.strip()) if k)
        if "**1**–**5**" in rest:
            keys.update("12345")
    return keys


def test_every_key_of_the_window_is_in_the_readme_table(corpus_project, make_window):
    window = make_window(corpus_project)
    documented = _readme_keys()
    names = {"Ctrl++": "Ctrl+plus", "Ctrl+-": "Ctrl+minus"}
    missing = []
    for shortcut in window.shortcut_table:
        for key in filter(None, (k.strip() for k in shortcut.keys.split(", "))):
            if names.get(key, key) not in documented:
                missing.append(f"{shortcut.name}: {key}")
    assert missing == []
    assert {"Ctrl+Y", "Ctrl+Shift+Z", "Ctrl+Z"} <= documented


def test_the_corpus_list_counts_a_claim_marked_by_key_reading_only_that_document(corpus_project, make_window, qtbot,
                                                                                monkeypatch):
    from cisannotate.ui.panels.corpus_model import COL_ANNOTATIONS

    window = make_window(corpus_project)
    article = window.session.store.resolve_document(ARTICLE).id
    before = int(window.navigator.model.document_index(article).siblingAtColumn(COL_ANNOTATIONS).data())
    store = window.session.store
    monkeypatch.setattr(store, "documents", lambda: pytest.fail("the whole corpus was read again"))
    _mark(window, qtbot)
    qtbot.waitUntil(lambda: window.navigator.model.document_index(article).siblingAtColumn(COL_ANNOTATIONS).data()
                    == str(before + 1))

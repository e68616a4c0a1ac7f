"""Reviewing the sample project's two annotators in the real window, by keyboard: compare amira
with jonas, step through the disagreements, decide, undo, and read the agreement report.

Every check reads the project file from a second connection, as another program would, and
what the text views hand Qt to draw."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMenuBar

from cisannotate.core.agreement import agreement_report
from cisannotate.core.model import REVIEWED_LAYER
from cisannotate.sample import create_sample_project
from cisannotate.ui.features.review import ReviewFeature

ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
REVIEW_KEYS = ("F8", "Shift+F8", "Alt+A", "Alt+B", "Alt+E", "Alt+R", "Ctrl+Shift+R", "Ctrl+Shift+M")


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def drawn(view) -> list[tuple[int, int]]:
    """The ranges the view hands Qt to draw, in code points."""
    return [(view.from_qt(s.cursor.selectionStart()), view.from_qt(s.cursor.selectionEnd()))
            for s in view.extraSelections()]


def install_review(window) -> ReviewFeature:
    """What the main window does to create the review feature, for a window that does not yet."""
    bar = window.menuBar()
    for menu_action in bar.actions():
        # The review keys Alt+A, Alt+E and Alt+R must not also open menus.
        menu_action.setText({"&Annotate": "Anno&tate", "&Edit": "E&dit"}.get(menu_action.text(), menu_action.text()))
    window.review = ReviewFeature(window)
    review_menu = bar.addMenu("Revie&w")
    for action in window.review.menu_actions():
        review_menu.addSeparator() if action is None else review_menu.addAction(action)
    window.view_menu.addAction(window.review.dock.toggleViewAction())
    window.view_menu.addAction(window.review.comments_dock.toggleViewAction())
    window.review_label = QLabel(window)
    window.review_label.setAccessibleName("Review progress")
    window.statusBar().addPermanentWidget(window.review_label)
    window.review.progress_changed.connect(window.review_label.setText)
    return window.review


@pytest.fixture
def sample(tmp_path, make_window, qtbot):
    """The sample project opened by a reviewer, with the Review panel on screen."""
    path = tmp_path / "s.cisannotate"
    create_sample_project(path).close()
    window = make_window(path, annotator="reviewer")
    review = getattr(window, "review", None) or install_review(window)
    review.dock.show()
    review.dock.raise_()
    qtbot.waitUntil(lambda: review.review is not None)
    return window, review, path


def press(qtbot, window, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the reviewer's focus is (the window's focused widget)."""
    qtbot.keyClick(window.focusWidget() or window, key, modifiers)


def source_lines(store, spans):
    """Link targets computed here, independently of the review code."""
    targets = defaultdict(set)
    ids = {s.id for s in spans}
    for link in store.links():
        if link.span_id in ids:
            for number in store.lines_in_range(link.target_document_id, link.target_start, link.target_end):
                targets[link.span_id].add((link.target_document_id, number))
    return {span_id: frozenset(lines) for span_id, lines in targets.items()}


def link_relations(store, spans):
    """Each linked span's relation, the least faithful of its links', computed here."""
    scale = ["verbatim", "close paraphrase", "loose paraphrase", "distortion"]
    found = defaultdict(set)
    ids = {s.id for s in spans}
    for link in store.links():
        if link.span_id in ids:
            found[link.span_id].add(link.relation)
    return {span_id: max(relations, key=scale.index) for span_id, relations in found.items()}


def test_review_keys_belong_to_the_review_actions_only(sample):
    window, review, _path = sample
    claimed = defaultdict(list)
    for action in window.actions():
        for shortcut in action.shortcuts():
            claimed[shortcut.toString()].append(action.text())
    for menu_action in window.findChild(QMenuBar).actions():
        mnemonic = QKeySequence.mnemonic(menu_action.text()).toString()
        if mnemonic:
            claimed[mnemonic].append(menu_action.text())
    for key in REVIEW_KEYS:
        assert len(claimed[key]) == 1, f"{key} is claimed by {claimed[key]}"
    assert {info.keys for info in window.shortcut_table if info.section == "Review"} >= {
        QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in REVIEW_KEYS}


def test_compare_step_accept_a_and_undo(sample, qtbot):
    window, review, path = sample
    panel = review.panel
    assert (panel.combo_a.currentText(), panel.combo_b.currentText()) == ("amira", "jonas")
    assert panel.disagreements_only.isChecked()
    assert panel.progress.text() == "Disagreements: 0 of 12 settled · agreed: 0 of 33 settled"
    assert window.review_label.text() == panel.progress.text()
    assert len(panel.model.items) == 12
    statuses = {panel.model.index(r, 0).data() for r in range(panel.model.rowCount())}
    assert {text.split(":")[0] for text in statuses} == {"≠ differs", "◀ only in A", "▶ only in B"}

    window.workspace.article.view.setFocus()
    press(qtbot, window, Qt.Key.Key_F8)
    item = panel.current_item()
    assert item is panel.model.items[0] and item.a is not None
    # Its document is open, and its annotation selected there.
    pane = window.workspace.pane_of(item.document_id)
    assert pane is not None and window.workspace.current_span == item.a.id
    press(qtbot, window, Qt.Key.Key_F8)
    press(qtbot, window, Qt.Key.Key_F8, SHIFT)
    assert panel.current_item().key == item.key
    # The list works by keyboard too: arrows move through the items and the text follows.
    review.act_focus_list.trigger()
    assert panel.table.hasFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    second = panel.model.items[1]
    assert window.workspace.current_span == (second.a or second.b).id
    qtbot.keyClick(panel.table, Qt.Key.Key_Up)
    assert panel.current_item().key == item.key

    before = drawn(pane.view).count((item.a.start, item.a.end))
    press(qtbot, window, Qt.Key.Key_A, ALT)
    [(result_id, start, end, category, annotator)] = rows(
        path, "SELECT id, char_start, char_end, category_id, annotator FROM spans WHERE layer = 'reviewed'")
    assert (start, end, category, annotator) == (item.a.start, item.a.end, item.a.category_id, "reviewer")
    assert rows(path, "SELECT item_a, item_b, decision, reviewer, result_id FROM reviews") == [
        (item.a.id, item.b.id, "accept_a", "reviewer", result_id)]
    assert result_id in pane.view.spans.by_id
    qtbot.waitUntil(lambda: drawn(pane.view).count((start, end)) == before + 1)
    assert panel.current_item().key == item.key
    assert panel.model.index(0, 1).data() == "✔ settled: accepted A"
    assert panel.progress.text().startswith("Disagreements: 1 of 12 settled")
    assert window.review_label.text() == panel.progress.text()
    assert window.act_undo.text().replace("&", "") == "Undo Review: accept amira's annotation"

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert rows(path, "SELECT count(*) FROM spans WHERE layer = 'reviewed'") == [(0,)]
    assert rows(path, "SELECT count(*) FROM reviews") == [(0,)]
    assert result_id not in pane.view.spans.by_id
    qtbot.waitUntil(lambda: drawn(pane.view).count((start, end)) == before)
    assert panel.model.index(0, 1).data() == "○ open"
    assert panel.progress.text().startswith("Disagreements: 0 of 12 settled")


def test_settle_every_disagreement_then_all_agreed(sample, qtbot):
    window, review, path = sample
    panel = review.panel
    store = window.session.store
    seen, expected = [], {}
    special = ["reject", "edit"]  # the first two items A marked are rejected, then edited
    for _turn in range(len(panel.model.items)):
        press(qtbot, window, Qt.Key.Key_F8)
        item = panel.current_item()
        seen.append(item.key)
        plan = "accept_b" if item.a is None else (special.pop(0) if special else "accept_a")
        if plan == "reject":
            panel.comment.setText("Both spans miss the speaker")
            press(qtbot, window, Qt.Key.Key_R, ALT)
        elif plan == "edit":
            # Edit: the reviewed copy is selected in its pane, so a category key changes it.
            press(qtbot, window, Qt.Key.Key_E, ALT)
            copy = store.span(window.workspace.current_span)
            assert copy.layer == REVIEWED_LAYER and (copy.start, copy.end) == (item.a.start, item.a.end)
            assert window.workspace.pane_of(copy.document_id).view.hasFocus()
            press(qtbot, window, Qt.Key.Key_O)
            other = next(c.id for c in store.categories() if c.name == "Other")
            assert rows(path, f"SELECT category_id FROM spans WHERE id = '{copy.id}'") == [(other,)]
        else:
            press(qtbot, window, Qt.Key.Key_B if plan == "accept_b" else Qt.Key.Key_A, ALT)
        expected[item.key] = plan
    assert len(set(seen)) == len(seen) == 12
    assert panel.progress.text() == "Disagreements: 12 of 12 settled · agreed: 0 of 33 settled"
    assert window.review_label.text() == panel.progress.text()
    decided = {frozenset(filter(None, (a, b))): (d, c) for a, b, d, c in
               rows(path, "SELECT item_a, item_b, decision, comment FROM reviews")}
    assert {key: d for key, (d, _c) in decided.items()} == expected
    assert "Both spans miss the speaker" in {c for _d, c in decided.values()}
    reviewed = rows(path, "SELECT count(*) FROM spans WHERE layer = 'reviewed'")[0][0]
    assert reviewed == sum(d != "reject" for d in expected.values())

    # Deciding again replaces the earlier decision, in one undoable action.
    accepted = next(item for item in panel.model.items if item.decision == "accept_a")
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(panel.model.items.index(accepted), 0))
    assert window.workspace.current_span == accepted.a.id
    press(qtbot, window, Qt.Key.Key_R, ALT)
    assert panel.current_item().decision == "reject"
    assert rows(path, "SELECT count(*) FROM reviews")[0][0] == 12
    assert rows(path, "SELECT count(*) FROM spans WHERE layer = 'reviewed'")[0][0] == reviewed - 1
    window.session.undo_stack.undo()
    assert rows(path, "SELECT count(*) FROM spans WHERE layer = 'reviewed'")[0][0] == reviewed

    review.act_accept_agreed.trigger()
    assert panel.progress.text() == "Disagreements: 12 of 12 settled · agreed: 33 of 33 settled"
    assert rows(path, "SELECT count(*) FROM reviews")[0][0] == 45
    assert window.act_undo.text().replace("&", "") == "Undo Review: accept 33 agreed items"
    window.session.undo_stack.undo()
    assert rows(path, "SELECT count(*) FROM reviews")[0][0] == 12


def test_filter_scope_and_layer_toggles(sample, qtbot):
    window, review, _path = sample
    panel = review.panel
    panel.disagreements_only.setChecked(False)
    assert len(panel.model.items) == 45
    panel.disagreements_only.setChecked(True)

    panel.scope.setCurrentIndex(panel.scope.findData("shown"))
    shown = set(window.workspace.shown_ids())
    assert panel.model.items and {item.document_id for item in panel.model.items} <= shown
    panel.scope.setCurrentIndex(panel.scope.findData("corpus"))
    assert len(panel.model.items) == 12

    buttons = {b.text(): b for b in panel.layer_views.buttons()}
    qtbot.mouseClick(buttons["Only A"], Qt.MouseButton.LeftButton)
    assert window.styler.visible_layers == {"amira"}
    qtbot.mouseClick(buttons["Only B"], Qt.MouseButton.LeftButton)
    assert window.styler.visible_layers == {"jonas"}
    # With A hidden, a row shows B's annotation.
    press(qtbot, window, Qt.Key.Key_F8)
    item = panel.current_item()
    assert window.workspace.current_span == (item.b or item.a).id
    qtbot.mouseClick(buttons["A and B"], Qt.MouseButton.LeftButton)
    assert window.styler.visible_layers is None
    qtbot.mouseClick(buttons["All layers"], Qt.MouseButton.LeftButton)
    assert window.styler.visible_layers is None

    # Swapping the annotators keeps the items and turns "only in A" into "only in B".
    panel.combo_a.setCurrentText("jonas")
    panel.combo_a.activated.emit(panel.combo_a.currentIndex())
    panel.combo_b.setCurrentText("amira")
    panel.combo_b.activated.emit(panel.combo_b.currentIndex())
    assert review.layers == ("jonas", "amira")
    assert sum(item.status == "only_b" for item in panel.model.items) == 3


def test_agreement_report_matches_core_agreement(sample, qtbot, tmp_path):
    window, review, _path = sample
    press(qtbot, window, Qt.Key.Key_R, CTRL | SHIFT)
    dialog = review.agreement_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.chosen() == ["amira", "jonas"]
    # The figures show at once; the intervals are computed off the GUI thread and fill in.
    assert "Computing the 95% intervals" in dialog.summary.text() or dialog.intervals_ready
    qtbot.waitUntil(lambda: dialog.intervals_ready, timeout=60_000)
    assert "Computing" not in dialog.summary.text()

    store = window.session.store
    spans = store.spans(layers=["amira", "jonas"])
    lengths = {d.id: len(store.document(d.id).text) for d in store.documents()}
    expected = agreement_report(spans, source_lines(store, spans), annotators=["amira", "jonas"],
                                relations=link_relations(store, spans), document_lengths=lengths)
    overall = dialog.table.topLevelItem(0)
    assert overall.text(0) == "All documents"
    children = [overall.child(i) for i in range(overall.childCount())]
    figures = {child.data(0, Qt.ItemDataRole.UserRole): child for child in children}
    for name in ("category_kappa", "span_overlap_f1", "link_f1", "link_alpha", "relation_kappa", "relation_alpha",
                 "relation_ordinal_alpha", "boundary_alpha"):
        figure = expected.overall.pairs[("amira", "jonas")].get(name) or expected.overall.group[name]
        interval = f"[{figure.low:.3f}, {figure.high:.3f}]"
        assert [figures[name].text(c) for c in (2, 3, 4)] == [f"{figure.value:.3f}", interval, str(figure.n)]
    # The sample's channel figures rest on 8 items: flagged.
    assert figures["channel_kappa"].text(4) == "8" and figures["channel_kappa"].text(5) == "n < 10"
    assert figures["category_kappa"].text(5) == ""
    # Per value, one against the rest, by codebook name.
    per_value = next(child for child in children if child.text(0).startswith("Per value"))
    rows = {per_value.child(i).text(0): per_value.child(i) for i in range(per_value.childCount())}
    distortion = expected.overall.per_value["relation"]["distortion"].group
    assert rows["relation = distortion, alpha"].text(2) == f"{distortion.value:.3f}"
    assert "category = Accusation, kappa" in rows
    kappa = expected.overall.pairs[("amira", "jonas")]["category_kappa"]
    assert (round(kappa.value, 3), kappa.n) == (0.968, 38)
    titles = {d.id: d.title for d in store.documents()}
    scopes = [dialog.table.topLevelItem(i).text(0) for i in range(dialog.table.topLevelItemCount())]
    assert scopes[1:] == sorted(titles[doc] for doc in expected.documents)

    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    names = {"category": {c.id: c.name for c in store.categories()},
             "speaker": {s.id: s.name for s in store.speakers()},
             "channel": {c.id: c.name for c in store.channels()}}
    assert QApplication.clipboard().text() == expected.format_table(titles, names)
    dialog.save_json(tmp_path / "agreement.json")
    saved = json.loads((tmp_path / "agreement.json").read_text(encoding="utf-8"))
    assert saved["overall"] == expected.to_dict()["overall"]
    assert set(saved["document_titles"].values()) <= set(titles.values())

    # The chart: drawn when its tab is shown, saved as PNG and SVG.
    assert dialog.chart_figure is None
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)  # the Chart tab's mnemonic
    assert dialog.tabs.currentIndex() == 1
    assert dialog.chart_figure is not None and dialog.canvas is not None and dialog.canvas.isVisible()
    dialog.save_chart(tmp_path / "chart.png")
    dialog.save_chart(tmp_path / "chart.svg")
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")
    svg = (tmp_path / "chart.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "distortion" in svg and "n &lt; 10" in svg
    dialog.close()


def test_comment_thread_on_the_selected_annotation(sample, qtbot):
    window, review, path = sample
    press(qtbot, window, Qt.Key.Key_F8)
    span_id = window.workspace.current_span
    comments = review.comments
    assert comments.span_id == span_id and comments.comment_list.count() == 0

    press(qtbot, window, Qt.Key.Key_M, CTRL | SHIFT)  # an empty box takes the focus
    assert comments.editor.hasFocus()
    qtbot.keyClicks(comments.editor, "Is this really a call to action?")
    press(qtbot, window, Qt.Key.Key_M, CTRL | SHIFT)
    assert rows(path, "SELECT target_id, author, text FROM comments") == [
        (span_id, "reviewer", "Is this really a call to action?")]
    assert comments.comment_list.count() == 1
    assert comments.comment_list.item(0).text().startswith("reviewer · ")
    assert comments.editor.toPlainText() == ""

    window.session.undo_stack.undo()
    assert rows(path, "SELECT count(*) FROM comments") == [(0,)]
    assert comments.comment_list.count() == 0


def test_a_step_right_after_an_edit_sees_the_edit(sample, qtbot):
    """The comparison catches up after a short pause, or at once when the reviewer steps."""
    window, review, path = sample
    panel = review.panel
    only_a = next(item for item in panel.model.items if item.a is not None and item.b is None)
    count = len(panel.model.items)
    window.session.delete_spans([only_a.a.id])
    # Straight away (no pause), F8: the deleted annotation's item is gone from the list.
    press(qtbot, window, Qt.Key.Key_F8)
    assert len(panel.model.items) == count - 1
    assert all(item.a is None or item.a.id != only_a.a.id for item in panel.model.items)
    window.session.undo_stack.undo()
    qtbot.waitUntil(lambda: len(panel.model.items) == count)

"""At the default window size (1400x860) each dock shows its working content without
scrolling: the Source panel its claim and several suggestions, the Review panel several
disagreements and its decision buttons; the corpus tree its event names and headers."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QToolButton


def _settle(qtbot, ms=300):
    qtbot.wait(ms)
    QApplication.processEvents()


def _fully_visible_rows(view, count: int, rect_of) -> int:
    viewport = view.viewport().rect()
    return sum(1 for row in range(count) if viewport.contains(rect_of(row)))


def _select_linked_claim(window, qtbot):
    ws = window.workspace
    linked = set(ws.canvas.span_ranges)
    claim = next(s for s in ws.article.view.spans.ordered if s.id in linked)
    ws.select_span(claim.id, scroll=True)
    qtbot.waitUntil(lambda: window.linking.panel.current is not None)
    _settle(qtbot)
    return claim


def test_the_source_dock_shows_its_claim_and_several_suggestions(sample_project, make_window, qtbot):
    window = make_window(sample_project)
    _settle(qtbot)
    _select_linked_claim(window, qtbot)
    panel = window.linking.panel
    heading = panel.heading
    # The claim reads as a sentence, not a column of single words.
    assert heading.width() >= 0.85 * panel.width()
    lines = heading.height() // heading.fontMetrics().lineSpacing()
    assert lines <= 4, f"the claim label wraps to {lines} lines"
    count = panel.suggestions.count()
    assert count == 5
    shown = _fully_visible_rows(panel.suggestions, count, lambda r: panel.suggestions.visualItemRect(panel.suggestions.item(r)))
    assert shown >= 4, f"only {shown} of {count} suggestions visible"
    # The link of the claim and its comparison are on screen as well.
    assert panel.links.topLevelItemCount() >= 1
    assert panel.links.viewport().height() >= panel.links.sizeHintForRow(0)
    assert panel.fidelity.viewport().height() >= 3 * panel.fidelity.fontMetrics().lineSpacing()


def test_the_review_dock_shows_several_disagreements_and_its_buttons(sample_project, make_window, qtbot):
    window = make_window(sample_project)
    _settle(qtbot)
    review = window.review
    review.dock.show()
    review.dock.raise_()
    _settle(qtbot)
    review.step(1)
    _settle(qtbot)
    table = review.panel.table
    rows = review.panel.model.rowCount()
    assert rows >= 5
    shown = _fully_visible_rows(table, rows, lambda r: table.visualRect(review.panel.model.index(r, 0)))
    assert shown >= 4, f"only {shown} disagreement rows visible"
    # The decision buttons are on screen without scrolling the panel.
    for action in review.decision_actions():
        button = next(b for b in review.panel.findChildren(QToolButton) if b.defaultAction() is action)
        assert button.isVisible()
        top_left = button.mapTo(window, button.rect().topLeft())
        assert window.rect().contains(QRect(top_left, button.size()))
        assert not button.visibleRegion().isEmpty()


def test_the_corpus_tree_shows_whole_event_names_and_headers(sample_project, make_window, qtbot):
    window = make_window(sample_project)
    _settle(qtbot)
    tree = window.navigator.tree
    model = tree.model()
    bold = tree.font()
    bold.setBold(True)
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(bold)
    width = tree.viewport().width()
    assert tree.horizontalScrollBar().maximum() == 0, "the tree scrolls sideways"
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        text = index.data()
        left = tree.visualRect(index).left()
        assert left + metrics.horizontalAdvance(text) + 6 <= width, f"event {text!r} is cut"
    header = tree.header()
    for column in range(model.columnCount()):
        if header.isSectionHidden(column):
            continue
        label = model.headerData(column, header.orientation())
        start = header.sectionViewportPosition(column)
        assert start >= 0 and start + header.sectionSize(column) <= width, f"header {label!r} is cut"
        assert header.sectionSize(column) >= header.fontMetrics().horizontalAdvance(label) + 8, f"{label!r} is cut"

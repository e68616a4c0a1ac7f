"""What the document views keep between paints stays true to what they show.

The text view keeps its highlights for a margin around the view, its visible range and
gutter rows under a key of its layout; the connectors are kept as a picture. These tests
change what is shown (scroll, resize, text size, a claim added, undone, recoloured, a
connector hovered) and check the pixels and the lists the views hand Qt, never a duration.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from cisannotate.core.model import Document, Link, SourceLine, Span
from cisannotate.core.text import quote_at, sha256_text
from cisannotate.storage import Store

WORDS = ("harbour", "council", "budget", "ferry", "timetable", "bridge", "repairs", "school", "library",
         "winter", "schedule", "tender", "district", "museum", "orchard", "railway")
STAMP = "2026-03-02T09:00:00.000Z"


def sentence(i: int) -> str:
    """An invented sentence, different for every i; every 37th carries an emoji (outside the BMP)."""
    a, b, c = WORDS[i % len(WORDS)], WORDS[(i * 7 + 3) % len(WORDS)], WORDS[(i * 5 + 1) % len(WORDS)]
    mark = " 🚢" if i % 37 == 5 else ""
    return f"Item {i}: the {a} committee asked the {b} office to publish the {c} plan{mark} before the vote."


def paragraphs(count: int, title: str = "") -> tuple[str, list[tuple[int, int]]]:
    parts, lines, at = [], [], 0
    if title:
        parts.append(title + "\n\n")
        at = len(parts[0])
    for i in range(count):
        text = sentence(i)
        lines.append((at, at + len(text)))
        sep = "" if i == count - 1 else ("\n\n" if i % 4 == 3 else " ")
        parts.append(text + sep)
        at += len(text) + len(sep)
    return "".join(parts), lines


def make_document(kind: str, title: str, text: str) -> Document:
    sha = sha256_text(text)
    return Document(id=sha[:16], kind=kind, title=title, text=text, sha256=sha, event="harbour-vote",
                    date="2025-05-06", outlet="Town Hall" if kind == "transcript" else "Coastal Courier")


def make_span(i: int, doc: Document, start: int, end: int, category_id: str) -> Span:
    quote = quote_at(doc.text, start, end)
    return Span(id=f"{doc.id[:6]}-s{i:05d}", document_id=doc.id, start=start, end=end, annotator="tester",
                layer="tester", quote=quote.exact, prefix=quote.prefix, suffix=quote.suffix,
                created=STAMP, modified=STAMP, category_id=category_id)


@pytest.fixture
def long_project(tmp_path) -> Path:
    """A transcript of 600 sentences, each a claim, and an article of 120 claims linked into it."""
    path = tmp_path / "long.cisannotate"
    store = Store.open(path)
    categories = [c.id for c in store.categories()]
    t_text, t_lines = paragraphs(600)
    transcript = make_document("transcript", "Harbour council session", t_text)
    a_text, a_lines = paragraphs(120, title="Council delays the harbour vote")
    article = make_document("article", "Council delays the harbour vote", a_text)
    with store.atomic():
        store.add_document(transcript, [SourceLine(transcript.id, n, s, e, 1 + (n - 1) // 4)
                                        for n, (s, e) in enumerate(t_lines, start=1)])
        store.add_document(article)
        t_spans = [make_span(i, transcript, s, s + (e - s) * 2 // 3, categories[i % len(categories)])
                   for i, (s, e) in enumerate(t_lines)]
        a_spans = [make_span(i, article, s, e, categories[(i * 3) % len(categories)])
                   for i, (s, e) in enumerate(a_lines)]
        links = [Link(id=f"{span.id}-k", span_id=span.id, target_document_id=transcript.id,
                      target_start=t_lines[i * 5][0], target_end=t_lines[i * 5][1],
                      relation=("verbatim", "close paraphrase", "loose paraphrase", "distortion")[i % 4],
                      annotator="tester", layer="tester", created=STAMP, modified=STAMP)
                 for i, span in enumerate(a_spans)]
        store.add_spans(t_spans + a_spans)
        store.add_links(links)
    store.close()
    return path


def open_long(make_window, path: Path, qtbot):
    window = make_window(path)
    article = next(d for d in window.session.store.documents() if d.kind == "article")
    window.open_document(article.id)
    ws = window.workspace
    qtbot.waitUntil(lambda: bool(ws.canvas.links))
    # The window's deferred work done first (the transcript following the article, a late
    # layout pass on a loaded machine), so the scrolls below are the only ones measured.
    from cisannotate.app import _settle

    _settle(QApplication.instance(), window)
    return window, ws


def covered(view, start: int, end: int) -> bool:
    """Whether Qt has a selection for every character of [start, end) (code points)."""
    ranges = sorted((view.from_qt(s.cursor.selectionStart()), view.from_qt(s.cursor.selectionEnd()))
                    for s in view.extraSelections())
    at = start
    for a, b in ranges:
        if a <= at < b:
            at = b
        if at >= end:
            return True
    return at >= end


def spans_in_view(view):
    start, end = view.visible_range()
    return [s for s in view.spans.overlapping(start, end) if view.style_for(s) is not None], (start, end)


def assert_view_highlighted(view) -> None:
    spans, (start, end) = spans_in_view(view)
    assert spans
    for span in spans:
        assert covered(view, max(span.start, start), min(span.end, end)), span.id


def assert_cache_fresh(view) -> None:
    """The kept visible range and gutter rows are what the layout says now."""
    assert view.visible_range() == view._find_visible_range()
    view._rows_cache = None
    rows = view.gutter_rows(view.gutter.height())
    view._rows_cache = None
    assert rows == view.gutter_rows(view.gutter.height())


def pixel(widget, point: QPoint) -> QColor:
    image: QImage = widget.grab().toImage()
    return QColor(image.pixel(point))


def test_a_page_scroll_paints_every_highlight_in_view_without_waiting(long_project, make_window, qtbot):
    window, ws = open_long(make_window, long_project, qtbot)
    view = ws.transcript.view
    assert_view_highlighted(view)
    bar = view.verticalScrollBar()
    for _ in range(6):
        bar.setValue(bar.value() + bar.pageStep())
        QApplication.processEvents()  # the scroll's own paint: no timer has run yet
        assert_cache_fresh(view)
        assert_view_highlighted(view)
    qtbot.wait(120)  # scrolling paused: the highlights are built again around the view
    assert_view_highlighted(view)
    for _ in range(4):  # and back up
        bar.setValue(bar.value() - bar.pageStep())
        QApplication.processEvents()
        assert_view_highlighted(view)
    # A jump far away leaves the margins: the highlights are rebuilt before the next pass is over.
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: not view._refresh_timer.isActive())
    QApplication.processEvents()
    assert_view_highlighted(view)
    assert_cache_fresh(view)


def test_highlights_follow_a_resize_and_the_text_size(long_project, make_window, qtbot):
    window, ws = open_long(make_window, long_project, qtbot)
    view = ws.transcript.view
    before = view.visible_range()
    window.resize(1000, 600)
    qtbot.waitUntil(lambda: view.visible_range() != before)
    qtbot.waitUntil(lambda: not view._refresh_timer.isActive())
    QApplication.processEvents()
    assert_cache_fresh(view)
    assert_view_highlighted(view)
    font = view.font()
    font.setPointSizeF(font.pointSizeF() + 4)
    view.setFont(font)
    QApplication.processEvents()
    assert_cache_fresh(view)
    view.refresh_highlights()
    assert_view_highlighted(view)


def test_a_claim_added_undone_and_recoloured_repaints(long_project, make_window, qtbot):
    window, ws = open_long(make_window, long_project, qtbot)
    view = ws.article.view
    words = "Council delays"
    start = view.text.index(words)  # the title: no claim on it yet
    point = view.rect_of(start + 3).center()
    base = pixel(view.viewport(), point)
    view.setFocus()
    view.select_range(start, start + len(words))
    category = window.session.store.categories()[0]
    qtbot.keyClick(view, getattr(Qt.Key, f"Key_{category.shortcut.upper()}"))
    view.select_range(0, 0)
    ws.select_span("")
    QApplication.processEvents()
    added = pixel(view.viewport(), point)
    assert added != base
    assert covered(view, start, start + len(words))

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    assert not covered(view, start, start + len(words))
    assert pixel(view.viewport(), point) == base

    qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    ws.select_span("")
    QApplication.processEvents()
    assert pixel(view.viewport(), point) == added

    # The category's colour changes: the styles and formats kept for the old colour are not used.
    window.session.save_category(dataclasses.replace(category, color="#102030"))
    QApplication.processEvents()
    recoloured = pixel(view.viewport(), point)
    assert recoloured not in (added, base)
    selection = next(s for s in view.extraSelections()
                     if view.from_qt(s.cursor.selectionStart()) == start)
    assert selection.format.background().color().rgb() == QColor("#102030").rgb()


def test_connectors_follow_a_scroll_and_a_hover_and_a_repaint_changes_nothing(long_project, make_window, qtbot):
    window, ws = open_long(make_window, long_project, qtbot)
    canvas = ws.canvas
    ws.follow = False
    canvas.repaint()
    drawn = [(d.link.id, d.path.boundingRect().top()) for d in canvas._drawn]
    picture = canvas._picture[1]
    assert drawn
    image = canvas.grab().toImage()

    canvas.repaint()  # nothing changed: the same picture, the same pixels
    assert canvas._picture[1] is picture
    assert canvas.grab().toImage() == image

    # Scroll the article by a few rows: every band that stays moves up with its claim.
    view = ws.article.view
    bar = view.verticalScrollBar()
    bar.setValue(bar.value() + 3)
    QApplication.processEvents()
    canvas.repaint()
    after = {d.link.id: d.path.boundingRect().top() for d in canvas._drawn}
    moved = [(link_id, top, after[link_id]) for link_id, top in drawn if link_id in after]
    assert moved and any(new != old for _id, old, new in moved)
    for d in canvas._drawn:  # each band starts at its claim's row in the article
        s_start, s_end = canvas.span_ranges[d.link.span_id]
        visible = view.visible_range()
        if s_start >= visible[0] and s_end <= visible[1]:
            top = view.rect_of(s_start).top() + canvas._offset_of(view)
            assert abs(d.path.elementAt(0).y - max(0, top)) <= 1
    assert canvas.grab().toImage() != image

    # Hovering a band draws it strong; leaving draws it as before.
    plain = canvas.grab().toImage()
    band = canvas._drawn[len(canvas._drawn) // 2]
    centre = band.path.boundingRect().center().toPoint()
    hovered = canvas.link_at(centre)
    assert hovered is not None
    qtbot.mouseMove(canvas, centre)
    qtbot.waitUntil(lambda: canvas.hovered_link == hovered.id)
    canvas.repaint()
    assert canvas.grab().toImage() != plain
    canvas.hovered_link = ""
    canvas.repaint()
    assert canvas.grab().toImage() == plain

    # The transcript scrolls on its own: the bands follow it as well.
    ws.transcript.view.verticalScrollBar().setValue(ws.transcript.view.verticalScrollBar().value() + 40)
    QApplication.processEvents()
    canvas.repaint()
    assert canvas.grab().toImage() != plain


def test_connectors_follow_links_added_and_removed(long_project, make_window, qtbot):
    window, ws = open_long(make_window, long_project, qtbot)
    canvas = ws.canvas
    ws.follow = False
    canvas.repaint()
    shown = {d.link.id for d in canvas._drawn}
    link = next(k for k in canvas.links if k.id in shown)
    window.session.delete_links([link.id])
    QApplication.processEvents()
    canvas.repaint()
    assert link.id not in {d.link.id for d in canvas._drawn}
    window.session.undo_stack.undo()
    QApplication.processEvents()
    canvas.repaint()
    assert link.id in {d.link.id for d in canvas._drawn}


def test_styles_kept_per_look_still_tell_categories_speakers_layers_and_annotators_apart():
    from cisannotate.core.model import Category
    from cisannotate.ui.document.styles import HIGHLIGHT_ALPHA, Styler, annotator_color

    categories = [Category(id="c1", name="Promise", color="#aa0000", shortcut="p"),
                  Category(id="c2", name="Warning", color="#0000aa", shortcut="w")]
    styler = Styler(categories, [], [])
    doc = make_document("article", "Styles", "One two three four five six seven.")

    def span(i, category_id, **fields):
        return dataclasses.replace(make_span(i, doc, 0, 3, category_id), **fields)

    first, second = styler.style(span(1, "c1")), styler.style(span(2, "c2"))
    assert first.background.rgb() == QColor("#aa0000").rgb() and first.background.alpha() == HIGHLIGHT_ALPHA
    assert second.background.rgb() == QColor("#0000aa").rgb()
    assert first.underline != second.underline
    assert styler.style(span(3, "c1")) is first  # the same look: made once
    spoken = styler.style(span(4, "c1", speaker_id="sp1"))
    assert spoken.overline and not first.overline
    other_layer = span(5, "c1", layer="noor", annotator="noor")
    assert styler.style(other_layer).background.rgb() == first.background.rgb()
    styler.by_annotator = True
    assert styler.style(other_layer).background.rgb() == annotator_color("noor").rgb()
    assert styler.style(span(6, "c1")).background.rgb() == annotator_color("tester").rgb()
    styler.visible_layers = {"tester"}
    assert styler.style(other_layer) is None
    assert styler.style(span(7, "c2")) is not None

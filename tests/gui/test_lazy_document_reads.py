"""A document's spans and source lines read from the project as the view needs them.

The text view reads the spans near the screen (``StoredSpans``) and the source lines
in view (``StoredLines``) instead of every one of them when a document opens. These
tests check that what they answer is what the whole lists held in memory answer, at
the start, the middle and the end of a long transcript, after edits, and in the
window: highlights, the gutter and the annotation list far down the document.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from cisannotate.core.model import Document, SourceLine, Span
from cisannotate.core.text import sha256_text
from cisannotate.storage import Store
from cisannotate.ui.document.line_index import LineList, StoredLines
from cisannotate.ui.document.spans import SpanIndex
from cisannotate.ui.document.stored_spans import StoredSpans

STAMP = "2026-03-02T09:00:00.000Z"


def highlighted(view) -> list[tuple[int, int, str]]:
    """What the view hands Qt to draw: (start, end, background) in code points."""
    return [(view.from_qt(sel.cursor.selectionStart()), view.from_qt(sel.cursor.selectionEnd()),
             sel.format.background().color().name()) for sel in view.extraSelections()]


def minutes(lines: int) -> tuple[str, list[tuple[int, int]]]:
    """Fictional minutes, one sentence a source line; some carry an emoji (two UTF-16 units)."""
    parts, ranges, at = [], [], 0
    for n in range(1, lines + 1):
        sentence = f"Item {n} of the harbour board's minutes was read aloud {'🚢 ' if n % 7 == 0 else ''}and noted."
        parts.append(sentence)
        ranges.append((at, at + len(sentence)))
        at += len(sentence)
        sep = "\n\n" if n % 5 == 0 else " "
        parts.append(sep)
        at += len(sep)
    return "".join(parts), ranges


def build(path: Path, lines: int = 400, spans: int = 900, seed: int = 4) -> tuple[Store, str, list[tuple[int, int]]]:
    rng = random.Random(seed)
    text, ranges = minutes(lines)
    sha = sha256_text(text)
    doc = Document(id=sha[:16], kind="transcript", title="Harbour board minutes", text=text, sha256=sha,
                   event="harbour", date="2025-05-05", outlet="Harbour board")
    store = Store.open(path)
    category = store.categories()[0].id
    store.ensure_annotator("tester")
    with store.atomic():
        store.add_document(doc, [SourceLine(doc.id, n, s, e, n // 5) for n, (s, e) in enumerate(ranges, start=1)])
        made = []
        for i in range(spans):
            s, e = ranges[rng.randrange(len(ranges))]
            start = rng.randint(s, e - 2)
            # Mostly inside a sentence; now and then one that runs over several (nested, overlapping).
            end = min(len(text) - 1, rng.randint(start + 1, e if rng.random() < 0.9 else e + 400))
            made.append(Span(id=f"s{i:05d}", document_id=doc.id, start=start, end=end, annotator="tester",
                             layer="tester", quote=text[start:end], category_id=category,
                             created=STAMP, modified=STAMP))
        store.add_spans(made)
    return store, doc.id, ranges


@pytest.fixture
def project(tmp_path):
    store, doc_id, ranges = build(tmp_path / "minutes.cisannotate")
    yield store, doc_id, ranges
    if not store.closed:
        store.close()


def probes(length: int) -> list[tuple[int, int]]:
    rng = random.Random(9)
    found = [(0, 1), (0, 3000), (length - 2000, length), (length - 1, length), (length // 2, length // 2 + 50)]
    for _ in range(60):
        start = rng.randrange(length)
        found.append((start, min(length, start + rng.choice([1, 40, 600, 2500]))))
    return found


def test_stored_spans_answer_what_the_whole_index_answers_through_edits(project):
    store, doc_id, _ranges = project
    length = len(store.text(doc_id))
    stored = StoredSpans(store, doc_id)

    def check(near_ends: list[Span] = ()) -> None:
        full = SpanIndex(store.spans(doc_id))
        # Just inside the end of the spans that moved (longer than any before them).
        ends = [(s.end - 2, s.end - 1) for s in near_ends]
        for start, end in [*probes(length), *ends]:
            assert stored.overlapping(start, end) == full.overlapping(start, end), (start, end)
            assert [s.id for s in stored.at(start)] == [s.id for s in full.at(start)]
        assert stored.count() == len(full.by_id) == len(stored.by_id)
        assert stored.ordered == full.ordered
        some = [s.id for s in full.ordered[::37]] + ["no-such-span"]
        assert stored.ranges(some) == full.ranges(some)
        for span_id in some:
            assert (span_id in stored.by_id) == (span_id in full.by_id)

    check()
    rng = random.Random(5)
    for round_ in range(4):
        # The window read before the edit: the whole text (every probe after it is answered from
        # the window as the edit left it), or a small one in the middle (the probes outside it
        # read new windows, bounded by the longest span known before the edit and grown by it).
        if round_ % 2 == 0:
            stored.overlapping(0, length)
        else:
            stored = StoredSpans(store, doc_id)
            stored.overlapping(length // 2, length // 2 + 300)
        ids = [s.id for s in store.spans(doc_id)]
        gone = rng.sample(ids, 5)
        for span_id in gone:
            store.delete_span(span_id)
        moved = []
        for span_id in rng.sample([i for i in ids if i not in gone], 5):
            span = store.span(span_id)
            # A longer span than any before, far from where it was.
            start = rng.randrange(length - 2400)
            moved.append(Span(**{**span.__dict__, "start": start, "end": start + 1000 + 300 * round_}))
            store.update_span(moved[-1])
        added = Span(id=f"new{round_}", document_id=doc_id, start=length - 30, end=length - 3,
                     annotator="tester", layer="tester", created=STAMP, modified=STAMP)
        store.add_span(added)
        stored.upsert([*moved, added], gone)
        check(moved)
    # Another document's span id is not this document's.
    assert "s00001" not in StoredSpans(store, "nothing-here").by_id


def test_stored_lines_answer_what_the_whole_list_answers(project):
    store, doc_id, ranges = project
    length = len(store.text(doc_id))
    full = LineList(store.source_lines(doc_id))
    stored = StoredLines(store, doc_id)
    assert len(stored) == len(full) == len(ranges) and stored.last_number == full.last_number == len(ranges)
    for start, end in probes(length):
        assert stored.from_line_at(start, end) == full.from_line_at(start, end), (start, end)
        assert stored.starting_in(start, end) == full.starting_in(start, end), (start, end)
        assert stored.at(start) == full.at(start)
        assert stored.at(end - 1) == full.at(end - 1)
    for number in (1, 2, 200, len(ranges) - 1, len(ranges), len(ranges) + 1, 0):
        assert stored.numbered(number) == full.numbered(number)
    empty = StoredLines(store, "nothing-here")
    assert not empty and empty.from_line_at(0, 100) == [] and empty.at(3) is None


def test_a_closed_project_reads_nothing(project):
    store, doc_id, _ranges = project
    spans, lines = StoredSpans(store, doc_id), StoredLines(store, doc_id)
    store.close()
    assert spans.overlapping(0, 500) == [] and lines.from_line_at(0, 500) == [] and "s00001" not in spans.by_id


def test_the_window_far_down_a_long_transcript(make_window, qtbot, project):
    """Highlights, gutter and annotation list at the end of the transcript; a span there
    selected, removed and brought back with undo."""
    store, doc_id, ranges = project
    path = store.path
    store.close()
    window = make_window(path)
    window.open_document(doc_id)
    view = window.workspace.transcript.view
    assert len(view.lines) == len(ranges)
    qtbot.waitUntil(lambda: view.visible_range()[1] > 0)

    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
    QApplication.processEvents()
    view.refresh_highlights()
    start, end = view.visible_range()
    assert end >= len(view.text) - 1
    check = Store.open(path, read_only=True)
    try:
        expected = {(s.start, s.end) for s in check.spans(doc_id) if s.start < end and s.end > start}
        last_span = check.spans(doc_id)[-1]
    finally:
        check.close()
    assert expected and expected <= {(s, e) for s, e, _c in highlighted(view)}
    # The gutter numbers the last lines.
    numbers = [line.number for _y, row in view.gutter_rows(view.viewport().height()) for line in row]
    assert numbers and numbers[-1] == len(ranges)

    # The last annotation of the list is the last in reading order, after a scroll to the end.
    table = window.annotations
    table.view.scrollToBottom()
    last_row = table.proxy.rowCount() - 1
    assert table.proxy.index(last_row, 0).data(256) == max(
        window.session.store.spans(doc_id), key=lambda s: (s.start, s.end, s.id)).id

    # Selecting a span far down selects its row in the list and marks it in the text.
    window.workspace.select_span(last_span.id, scroll=True)
    qtbot.waitUntil(lambda: table.selected_span_ids() == [last_span.id])
    assert last_span.id in view.selected_ids

    # Removing it takes its highlight away; undo brings it back.
    before = highlighted(view)
    assert window.session.delete_spans([last_span.id])
    view.refresh_highlights()
    assert last_span.id not in view.spans.by_id
    assert (last_span.start, last_span.end) not in {(s, e) for s, e, _c in highlighted(view)} or \
        sum(1 for s, e, _c in before if (s, e) == (last_span.start, last_span.end)) > 1
    window.session.undo_stack.undo()
    view.refresh_highlights()
    assert last_span.id in view.spans.by_id
    assert (last_span.start, last_span.end) in {(s, e) for s, e, _c in highlighted(view)}


# ------------------------------------------------------------ the annotation list
def reading_order(store: Store, doc_id: str) -> list[str]:
    return [s.id for s in sorted(store.spans(doc_id), key=lambda s: (s.start, s.end, s.id))]


def model_rows(model) -> list[str]:
    return [model.index(r, 0).data(256) for r in range(model.rowCount())]


@pytest.fixture
def session_on(project, qapp):
    from cisannotate.session import Session

    store, doc_id, _ranges = project
    return Session(store, "tester"), doc_id


def test_the_list_reads_rows_where_they_are_asked_for(session_on, monkeypatch):
    from cisannotate.ui.panels.annotation_model import AnnotationModel

    monkeypatch.setattr(AnnotationModel, "CACHE_ROWS", 50)
    monkeypatch.setattr(AnnotationModel, "PAGE_ROWS", 20)
    session, doc_id = session_on
    order = reading_order(session.store, doc_id)
    model = AnnotationModel(session)
    model.set_documents([doc_id])
    assert model.rowCount() == len(order)
    # From the end backwards, then jumps: each row is the span at that place in reading order.
    rng = random.Random(2)
    for row in [len(order) - 1, len(order) - 2, 0, *rng.sample(range(len(order)), 120)]:
        assert model.index(row, 0).data(256) == order[row]
        assert model.row_of(order[row]) == row
    for span_id in rng.sample(order, 50):  # rows counted in the store, never drawn
        assert model.row_of(span_id) == order.index(span_id)
    assert model.row_of("no-such-span") == -1
    assert model_rows(model) == order


def test_the_first_edit_after_opening_moves_only_its_rows(session_on, qtmodeltester):
    """Adding, editing (a row read or not) and removing a read row keep the list exact, each
    announced as the rows it touches (no reset)."""
    from cisannotate.ui.panels.annotation_model import AnnotationModel

    session, doc_id = session_on
    store = session.store
    resets, inserted, removed = [], [], []
    for setup in ("add", "edit read", "delete read", "move read"):
        model = AnnotationModel(session)
        model.set_documents([doc_id])
        model.modelReset.connect(lambda: resets.append(1))
        model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))
        order = reading_order(store, doc_id)
        far = order[-3]
        assert model.index(len(order) - 3, 0).data(256) == far  # the row is drawn
        if setup == "add":
            span = session.add_span(doc_id, 5, 9)
            assert inserted[-1] == (model.row_of(span.id),) * 2
        elif setup == "edit read":
            session.edit_span(far, note="looked at again")
        elif setup == "delete read":
            session.delete_spans([far])
            assert removed[-1] == (len(order) - 3,) * 2
        else:
            session.edit_span(far, start=3)
        assert model_rows(model) == reading_order(store, doc_id), setup
        assert resets == [], setup
        qtmodeltester.check(model)
        model.deleteLater()


def test_a_row_never_read_is_removed_in_its_place(session_on):
    """A change says where its spans were: a row the list never read is removed where it was."""
    from cisannotate.ui.panels.annotation_model import AnnotationModel

    session, doc_id = session_on
    model = AnnotationModel(session)
    model.set_documents([doc_id])
    resets, removed = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))
    unread = reading_order(session.store, doc_id)[500]
    session.delete_spans([unread])
    assert removed == [(500, 500)] and resets == []
    assert model_rows(model) == reading_order(session.store, doc_id)
    session.undo_stack.undo()
    assert model_rows(model) == reading_order(session.store, doc_id) and resets == []


def test_a_change_without_places_reads_the_list_again(session_on):
    """Where an unread row was cannot be told without the change's places: the list is read again."""
    from cisannotate.core.changes import Changes
    from cisannotate.ui.panels.annotation_model import AnnotationModel

    session, doc_id = session_on
    model = AnnotationModel(session)
    model.set_documents([doc_id])
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    unread = reading_order(session.store, doc_id)[500]
    changes = session.store.delete_span(unread)
    session.changed.emit(Changes(documents=changes.documents, spans=changes.spans), None)
    assert resets == [1]
    assert model_rows(model) == reading_order(session.store, doc_id)


def test_sorting_and_filtering_a_list_opened_unread(session_on):
    from cisannotate.ui.panels.annotation_rows import COL_TEXT
    from cisannotate.ui.panels.annotation_table import AnnotationPanel
    from PySide6.QtCore import Qt

    session, doc_id = session_on
    panel = AnnotationPanel(session)
    panel.resize(900, 400)
    panel.show()
    panel.set_documents([doc_id])
    QApplication.processEvents()
    spans = session.store.spans(doc_id)
    far = max(spans, key=lambda s: (s.start, s.end, s.id))
    # A span far down: its row is selected and shown.
    assert panel.select_span(far.id)
    assert panel.selected_span_ids() == [far.id]
    panel.model.sort(COL_TEXT, Qt.SortOrder.DescendingOrder)
    expected = sorted(spans, key=lambda s: (s.quote.casefold(), s.start, s.end, s.id), reverse=True)
    assert model_rows(panel.model) == [s.id for s in expected]
    assert panel.selected_span_ids() == [far.id]  # the selection follows its row
    panel.model.sort(-1)
    panel.proxy.set_text("item 399 ")
    shown = {panel.proxy.index(r, 0).data(256) for r in range(panel.proxy.rowCount())}
    assert shown == {s.id for s in spans if "item 399 " in s.quote.casefold()} and shown


def test_filters_follow_edits_and_switch_off(session_on):
    from cisannotate.ui.panels.annotation_table import AnnotationPanel

    session, doc_id = session_on
    panel = AnnotationPanel(session)
    panel.set_documents([doc_id])
    proxy = panel.proxy
    total = proxy.rowCount()
    far = reading_order(session.store, doc_id)[-1]

    def shown() -> set[str]:
        return {proxy.index(r, 0).data(256) for r in range(proxy.rowCount())}

    proxy.set_text("lighthouse")
    assert shown() == set()
    session.edit_span(far, note="ask the lighthouse keeper")
    assert shown() == {far}
    proxy.set_layers({"someone else"})  # two filters: nothing passes both
    assert shown() == set()
    proxy.set_layers(None)
    session.edit_span(far, note="")
    assert shown() == set()
    proxy.set_text("")
    assert proxy.rowCount() == total
    proxy.set_layers({"tester"})
    assert proxy.rowCount() == total


def test_edits_of_rows_mostly_never_read_keep_the_list_exact(session_on, qtmodeltester):
    """Random edits of a list whose rows are mostly unread: the rows sampled after each one are
    the store's reading order, every change announced as its rows (no reset)."""
    from cisannotate.ui.panels.annotation_model import AnnotationModel

    session, doc_id = session_on
    store = session.store
    model = AnnotationModel(session)
    model.set_documents([doc_id])
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    rng = random.Random(11)
    length = len(store.text(doc_id))
    target = store.spans(doc_id)[0]
    for step in range(40):
        ids = reading_order(store, doc_id)
        action = rng.choice(["add", "add", "edit", "delete", "link", "undo"] if step < 20 else
                            ["add", "add", "edit", "move", "delete", "delete3", "link", "undo"])
        if action == "add":
            start = rng.randrange(length - 20)
            session.add_span(doc_id, start, start + rng.randint(1, 15))
        elif action == "edit":
            session.edit_span(rng.choice(ids), note=f"note {step}")
        elif action == "move":
            span = store.span(rng.choice(ids))
            session.edit_span(span.id, start=max(0, span.start - 3))
        elif action == "delete":
            session.delete_spans([rng.choice(ids)])
        elif action == "delete3":
            session.delete_spans(rng.sample(ids, 3))
        elif action == "link":
            session.link(rng.choice(ids), [(doc_id, target.start, target.end)], "verbatim")
        else:
            session.undo_stack.undo()
        order = reading_order(store, doc_id)
        # The first half moves no span and deletes one at a time: the list stays unheld throughout.
        assert model._lazy or step >= 20
        assert model.rowCount() == len(order), (step, action)
        for row in rng.sample(range(len(order)), 15):
            assert model.index(row, 0).data(256) == order[row], (step, action, row)
        for span_id in rng.sample(order, 5):
            assert model.row_of(span_id) == order.index(span_id)
    assert resets == []
    assert model_rows(model) == reading_order(store, doc_id)
    qtmodeltester.check(model)


def test_stored_coverage_answers_what_the_whole_coverage_answers(project):
    from cisannotate.core.model import Link
    from cisannotate.ui.document.line_index import StoredCoverage

    store, doc_id, ranges = project
    rng = random.Random(3)
    text = "The harbour board met again, and the ferry timetable was read out. " * 3
    sha = sha256_text(text)
    article = Document(id=sha[:16], kind="article", title="Board meets", text=text, sha256=sha,
                       event="harbour", outlet="Quay News")
    store.add_document(article)
    store.add_span(Span(id="claim", document_id=article.id, start=0, end=20, annotator="tester", layer="tester",
                        created=STAMP, modified=STAMP))
    links = []
    for i in range(120):
        first = rng.randrange(len(ranges))
        last = min(len(ranges) - 1, first + rng.choice([0, 0, 1, 3]))  # some links reach over several lines
        links.append(Link(id=f"k{i:03d}", span_id="claim", target_document_id=doc_id, target_start=ranges[first][0],
                          target_end=ranges[last][1], relation="verbatim", annotator="tester",
                          layer=rng.choice(["tester", "other"]), created=STAMP, modified=STAMP))
    store.add_links(links)
    for layers in (None, {"other"}):
        full = store.coverage(doc_id, layers)
        stored = StoredCoverage(store, doc_id, layers)
        numbers = list(range(1, len(ranges) + 1))
        rng.shuffle(numbers)
        for number in [len(ranges), 1, *numbers]:
            assert stored.get(number, []) == full.get(number, []), number
        assert dict(stored.items()) == full
    stored = StoredCoverage(store, doc_id, None)
    store.close()
    assert stored.get(5, []) == []


def test_the_first_frame_of_a_starting_window_has_its_highlights(qtbot, project):
    """A view filled before the window is shown builds its highlights once, when shown: its
    first painted frame already has them."""
    from PySide6.QtCore import QEvent, QObject

    from cisannotate.app import build_window

    store, doc_id, _ranges = project
    path = store.path
    store.close()
    window = build_window(path, annotator="tester")
    qtbot.addWidget(window)
    view = window.workspace.transcript.view
    assert window.workspace.transcript.document_id == doc_id
    first: list[int] = []

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if obj is view.viewport() and event.type() == QEvent.Type.Paint and not first:
                first.append(len(view.extraSelections()))
            return False

    watcher = FirstPaint()
    view.viewport().installEventFilter(watcher)
    window.resize(1400, 860)
    window.show()
    qtbot.waitUntil(lambda: bool(first))
    assert first[0] > 0
    window.close()
    window.session.store.close()


def test_a_view_filled_while_hidden_has_its_highlights_when_shown_again(qtbot):
    """Filled while hidden, shown again at the same size (no resize to start a refresh)."""
    from cisannotate.ui.document.spans import SpanStyle
    from cisannotate.ui.document.text_view import TextView
    from PySide6.QtGui import QColor

    view = TextView()
    qtbot.addWidget(view)
    view.style_for = lambda span: SpanStyle(QColor("#f4a6a6"))
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    view.hide()
    text, ranges = minutes(30)
    view.set_content(text, [], [Span(id="a", document_id="d", start=ranges[0][0], end=ranges[0][1], annotator="t")])
    view.show()
    qtbot.waitUntil(lambda: bool(view.extraSelections()))
    assert [(s, e) for s, e, _c in highlighted(view)] == [ranges[0]]

"""The navigator's model over document summaries: a valid Qt model, the rows the tree shows,
and the filter as the user types it (case folded, a non-BMP character included)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from cisannotate.core.model import TRANSCRIPT, Document
from cisannotate.core.text import sha256_text
from cisannotate.ui.panels.corpus_model import COL_ANNOTATIONS, COL_KIND, COL_TITLE, DOC_ID_ROLE, EVENT_ROLE
from cisannotate.ui.panels.navigator import CorpusNavigator


def add(store, text: str, kind: str = "article", **kw) -> Document:
    sha = sha256_text(text)
    doc = Document(id=sha[:16], kind=kind, text=text, sha256=sha, **kw)
    store.add_document(doc)
    return doc


def fill(store) -> dict[str, Document]:
    return {
        "t": add(store, "The minister spoke.", TRANSCRIPT, title="Harbour briefing", event="harbour"),
        "a": add(store, "A report.", title="Ports 🚢 reopen", outlet="Coastal Times", event="harbour",
                 date="2024-03-01"),
        "b": add(store, "Another report.", title="Quiet week", outlet="Inland Post", event="harbour"),
        "c": add(store, "Elsewhere.", title="Budget talks", outlet="Capital Daily", event="budget"),
    }


def test_the_model_is_a_valid_tree_with_the_rows_the_navigator_shows(store, qtbot, qtmodeltester):
    docs = fill(store)
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    model = nav.model
    qtmodeltester.check(model)
    assert [model.index(r, COL_TITLE).data() for r in range(model.rowCount())] == ["budget (1)", "harbour (3)"]
    harbour = model.index(1, COL_TITLE)
    assert harbour.data(EVENT_ROLE) == "harbour"
    assert model.rowCount(model.index(1, COL_KIND)) == 0  # only the title column has children
    rows = [model.index(r, COL_TITLE, harbour) for r in range(model.rowCount(harbour))]
    # The transcript first, then the articles by date (none first) and title.
    assert [i.data(DOC_ID_ROLE) for i in rows] == [docs["t"].id, docs["b"].id, docs["a"].id]
    assert rows[0].data(Qt.ItemDataRole.FontRole).bold() and rows[2].data(Qt.ItemDataRole.FontRole) is None
    assert rows[2].data() == "Ports 🚢 reopen"
    assert rows[2].siblingAtColumn(COL_KIND).data(Qt.ItemDataRole.AccessibleTextRole) == "Article"
    assert rows[2].siblingAtColumn(COL_ANNOTATIONS).data() == "0"
    assert model.document_index(docs["c"].id).parent() == model.index(0, COL_TITLE)
    assert not model.document_index("not-a-document").isValid()
    assert not model.index(0, COL_TITLE, rows[0]).isValid()  # documents have no children
    assert model.parent(QModelIndex()) == QModelIndex()


def test_typing_in_the_filter_keeps_matches_in_view_and_clearing_brings_all_back(store, qtbot):
    docs = fill(store)
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    qtbot.keyClicks(nav.filter_edit, "COASTAL")  # the outlet, another case
    assert nav.proxy.rowCount() == 1
    harbour = nav.proxy.index(0, COL_TITLE)
    assert nav.tree.isExpanded(harbour)
    assert [nav.proxy.index(r, 0, harbour).data(DOC_ID_ROLE) for r in range(nav.proxy.rowCount(harbour))] == [
        docs["a"].id]
    nav.filter_edit.clear()
    nav.filter_edit.insert("🚢")  # a character outside the BMP (as an input method commits it), in a title
    assert nav.proxy.rowCount() == 1
    nav.filter_edit.clear()
    assert nav.proxy.rowCount() == 2
    assert all(nav.tree.isExpanded(nav.proxy.index(r, 0)) for r in range(nav.proxy.rowCount()))
    qtbot.keyClicks(nav.filter_edit, "budget")  # an event key keeps its documents
    assert nav.proxy.rowCount() == 1 and nav.proxy.rowCount(nav.proxy.index(0, 0)) == 1


def test_a_filter_matching_very_many_documents_opens_only_the_first_events(store, qtbot):
    fill(store)
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    nav.EXPAND_LIMIT = 1  # as 2,000 documents would be in an archive
    qtbot.keyClicks(nav.filter_edit, "e")  # in every event key
    assert nav.proxy.rowCount() == 2
    opened = [nav.tree.isExpanded(nav.proxy.index(r, 0)) for r in range(nav.proxy.rowCount())]
    assert opened == [True, False]  # the rest stay closed, with their counts


def test_the_first_view_of_a_large_corpus_opens_events_until_the_limit(store, qtbot):
    docs = fill(store)
    CorpusNavigator.EXPAND_LIMIT, limit = 1, CorpusNavigator.EXPAND_LIMIT  # as 2,000 would in an archive
    try:
        nav = CorpusNavigator(store)
    finally:
        CorpusNavigator.EXPAND_LIMIT = limit
    qtbot.addWidget(nav)
    nav.show()
    opened = [nav.tree.isExpanded(nav.proxy.index(r, 0)) for r in range(nav.proxy.rowCount())]
    assert opened == [True, False]
    assert nav.select_document(docs["a"].id)  # a document in a closed event: its event opens
    assert nav.tree.isExpanded(nav.proxy.index(1, 0))


def _rows(nav) -> list[tuple[str, list[str]]]:
    model = nav.proxy
    return [(model.index(r, 0).data(EVENT_ROLE),
             [model.index(c, 0, model.index(r, 0)).data(DOC_ID_ROLE) for c in range(model.rowCount(model.index(r, 0)))])
            for r in range(model.rowCount())]


def test_the_filter_finds_a_document_at_the_end_of_a_long_list_and_enter_opens_it(store, qtbot):
    # 40 events of 30 articles: the last article's title is typed into the filter.
    for e in range(40):
        for a in range(30):
            add(store, f"Article {a} of event {e}.", title=f"Dispatch {e}-{a}", outlet="Wire", event=f"event-{e:02d}")
    last = add(store, "The very last one.", title="Zanzibar ferry timetable", event="event-39")
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    assert nav.model.document_count() == 1201
    opened = [nav.tree.isExpanded(nav.proxy.index(r, 0)) for r in range(nav.proxy.rowCount())]
    assert sum(nav.proxy.rowCount(nav.proxy.index(r, 0)) for r, o in enumerate(opened) if o) <= (
        nav.EXPAND_LIMIT + 30)  # the first view opens a few screens, not every event
    nav.activateWindow()
    qtbot.waitUntil(nav.isActiveWindow)
    nav.filter_edit.setFocus()
    qtbot.keyClicks(nav.filter_edit, "dispatch")  # every event: the first screen's event rows span at once
    spanned = [nav.tree.isFirstColumnSpanned(r, QModelIndex()) for r in range(nav.proxy.rowCount())]
    assert len(spanned) == 40 and spanned[0] and spanned[5]
    qtbot.waitUntil(lambda: all(nav.tree.isFirstColumnSpanned(r, QModelIndex()) for r in range(40)))  # then all
    nav.filter_edit.clear()
    qtbot.keyClicks(nav.filter_edit, "zanzibar")
    assert _rows(nav) == [("event-39", [last.id])]
    assert nav.tree.isExpanded(nav.proxy.index(0, 0))
    qtbot.keyClick(nav.filter_edit, Qt.Key.Key_Tab)  # to the list
    assert nav.tree.hasFocus()
    qtbot.keyClick(nav.tree, Qt.Key.Key_Down)
    qtbot.keyClick(nav.tree, Qt.Key.Key_Down)
    with qtbot.waitSignal(nav.document_chosen) as chosen:
        qtbot.keyClick(nav.tree, Qt.Key.Key_Return)
    assert chosen.args == [last.id]


def test_narrowing_and_widening_the_filter_give_the_rows_of_a_fresh_filter(store, qtbot):
    fill(store)
    for n in range(5):
        add(store, f"Harbour note {n}.", title=f"Harbour note {n}", outlet="Port Gazette", event="harbour")
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    nav.filter_edit.setFocus()
    for key in "harbour no":  # the event's key, then only the notes' titles
        qtbot.keyClicks(nav.filter_edit, key)
        fresh = CorpusNavigator(store)
        qtbot.addWidget(fresh)
        fresh.filter_edit.setText(nav.filter_edit.text())
        assert _rows(nav) == _rows(fresh), nav.filter_edit.text()
    assert [len(ids) for _event, ids in _rows(nav)] == [5]
    for _ in range(6):  # back to "harb"
        qtbot.keyClick(nav.filter_edit, Qt.Key.Key_Backspace)
        fresh = CorpusNavigator(store)
        qtbot.addWidget(fresh)
        fresh.filter_edit.setText(nav.filter_edit.text())
        assert _rows(nav) == _rows(fresh), nav.filter_edit.text()


def test_the_chosen_document_stays_selected_while_the_filter_still_shows_it(store, qtbot):
    docs = fill(store)
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    assert nav.select_document(docs["a"].id)
    qtbot.keyClicks(nav.filter_edit, "ports")
    assert nav.current_document() == docs["a"].id
    qtbot.keyClicks(nav.filter_edit, "x")  # "portsx": nothing left
    assert nav.proxy.rowCount() == 0 and nav.current_document() == ""
    assert nav.select_document(docs["c"].id)  # asked for by the window: the filter makes way
    assert nav.filter_edit.text() == "" and nav.current_document() == docs["c"].id
    assert not nav.select_document("not-a-document")


def test_the_short_columns_fit_their_header_and_widest_value_without_measuring_each_row(store, qtbot):
    docs = fill(store)
    store.ensure_annotator("ana")
    from cisannotate.core.model import Span

    store.add_spans(Span(id=f"s{n}", document_id=docs["a"].id, start=0, end=1, annotator="ana", layer="ana")
                    for n in range(1234))
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    header = nav.tree.header()
    metrics = nav.tree.fontMetrics()
    for column in (COL_KIND, COL_ANNOTATIONS):
        assert header.sectionSize(column) >= header.sectionSizeHint(column)
    assert header.sectionSize(COL_ANNOTATIONS) > metrics.horizontalAdvance("1234")
    # A column hidden at first is sized when it is shown from the header's menu.
    from cisannotate.ui.panels.corpus_model import COL_OUTLET

    assert header.isSectionHidden(COL_OUTLET)
    nav.tree.header().customContextMenuRequested.emit(header.rect().center())
    outlet = next(a for a in nav._column_menu_shown.actions() if a.text() == "Outlet")
    outlet.trigger()
    nav._column_menu_shown.close()
    assert not header.isSectionHidden(COL_OUTLET)
    assert header.sectionSize(COL_OUTLET) > metrics.horizontalAdvance("Coastal Times")


def test_a_document_is_found_the_same_whether_its_event_was_read_or_not(store, qtbot):
    from cisannotate.storage.listing import CorpusListing
    from cisannotate.ui.panels.corpus_model import CorpusModel

    docs = fill(store)

    def places(model):
        found = {k: model.document_index(d.id) for k, d in docs.items()}
        return {k: (i.isValid(), i.row(), i.parent().row(), i.data(DOC_ID_ROLE)) for k, i in found.items()}

    cold = CorpusModel()
    cold.set_listing(CorpusListing(store))  # no event read yet: each is read when one of its documents is asked for
    warm = CorpusModel()
    warm.set_listing(CorpusListing(store))
    for row in range(warm.rowCount()):  # every event read first, as an opened tree does
        event = warm.index(row, COL_TITLE)
        [warm.index(c, COL_TITLE, event).data() for c in range(warm.rowCount(event))]
    assert places(cold) == places(warm)
    assert all(valid and doc_id == docs[k].id for k, (valid, _r, _p, doc_id) in places(cold).items())
    assert not cold.document_index("not-a-document").isValid() and not cold.in_corpus("nope")


def _archive(store, events: int = 40, per_event: int = 30) -> Document:
    """Events of articles, as an archive is (at a small size); returns an article of the last event."""
    for e in range(events):
        text = f"The minister spoke about item {e}."
        add(store, text, TRANSCRIPT, title=f"Briefing {e}", event=f"event-{e:02d}", date="2024-01-01")
        for a in range(per_event):
            add(store, f"Article {a} of event {e}.", title=f"Dispatch {e}-{a}", outlet="Wire",
                event=f"event-{e:02d}", date=f"2024-01-{1 + a % 28:02d}")
    return add(store, "The very last one.", title="Zanzibar ferry timetable", outlet="Harbour Wire",
               event=f"event-{events - 1:02d}", date="2024-02-01")


def test_the_navigator_reads_the_events_at_start_and_an_events_documents_when_it_opens(store, qtbot, monkeypatch):
    last = _archive(store)
    monkeypatch.setattr(store, "documents", lambda: pytest.fail("the whole corpus was read"))
    read: list[str] = []
    from cisannotate.storage.listing import CorpusListing

    original = CorpusListing.event_documents
    monkeypatch.setattr(CorpusListing, "event_documents", lambda self, event: read.append(event) or original(self, event))
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    qtbot.waitUntil(lambda: bool(read))  # the first rows painted
    assert nav.model.document_count() == 40 * 31 + 1
    opened = [nav.model.event_at(r) for r in range(nav.proxy.rowCount()) if nav.tree.isExpanded(nav.proxy.index(r, 0))]
    assert set(read) <= set(opened) and len(opened) < 40  # only events open (and on screen) were read
    assert "event-39" not in read
    closed = nav.proxy.index(39, COL_TITLE)
    assert closed.data() == "event-39 (32)" and nav.tree.model().hasChildren(closed)  # its count, without its rows
    assert "event-39" not in read
    nav.tree.expand(closed)
    nav.tree.scrollTo(nav.proxy.index(31, 0, closed))  # opened and scrolled to: its documents are read, in order
    qtbot.waitUntil(lambda: "event-39" in read)
    assert [nav.proxy.index(c, 0, closed).data(DOC_ID_ROLE) for c in (0, 31)][1] == last.id
    assert nav.proxy.index(0, 0, closed).data() == "Briefing 39"  # the transcript first


def test_a_filter_finds_a_document_in_the_last_event_reading_only_the_events_it_shows(store, qtbot, monkeypatch):
    last = _archive(store)
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    read: list[str] = []
    from cisannotate.storage.listing import CorpusListing

    original = CorpusListing.event_documents
    monkeypatch.setattr(CorpusListing, "event_documents", lambda self, event: read.append(event) or original(self, event))
    nav.filter_edit.setFocus()
    qtbot.keyClicks(nav.filter_edit, "HARBOUR w")  # the outlet, in another case
    assert _rows(nav) == [("event-39", [last.id])]
    # Only events opened were read: the first few at the first keys (every event has an "h"), then the last.
    assert "event-39" in read and len(set(read)) <= nav.EXPAND_LIMIT // 31 + 2
    qtbot.keyClick(nav.filter_edit, Qt.Key.Key_Tab)
    qtbot.keyClick(nav.tree, Qt.Key.Key_Down)
    qtbot.keyClick(nav.tree, Qt.Key.Key_Down)
    with qtbot.waitSignal(nav.document_chosen) as chosen:
        qtbot.keyClick(nav.tree, Qt.Key.Key_Return)
    assert chosen.args == [last.id]


@pytest.mark.parametrize(("typed", "title"), [
    ("ПРЕСС", "Пресс-конференция в Казани"),  # Cyrillic in another case: Python's folding, not SQLite's LIKE
    ("STRASSE", "Straße gesperrt"),  # a letter folded to two
    ("50%", "Turnout at 50% in the north"),  # LIKE's wildcards are plain characters
    ("a_b", "Code a_b of the rule"),
])
def test_the_filter_folds_case_as_python_does_and_takes_wildcards_literally(store, qtbot, typed, title):
    fill(store)
    doc = add(store, f"Text of {title}.", title=title, event="zeta")
    add(store, "A decoy.", title="Turnout at 50 in the north; code ab", event="omega")
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    if typed.isascii():
        qtbot.keyClicks(nav.filter_edit, typed)
    else:
        nav.filter_edit.insert(typed)  # as a keyboard layout's input commits it (QTest types Latin keys only)
    assert _rows(nav) == [("zeta", [doc.id])]


def test_new_counts_after_annotating_are_read_for_those_documents_only(store, qtbot, monkeypatch):
    docs = fill(store)
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    qtbot.keyClicks(nav.filter_edit, "harbour")
    from cisannotate.core.model import Span

    store.ensure_annotator("ana")
    store.add_spans(Span(id=f"s{n}", document_id=docs["a"].id, start=0, end=1, annotator="ana", layer="ana")
                    for n in range(3))
    monkeypatch.setattr(store, "documents", lambda: pytest.fail("the whole corpus was read again"))
    nav.update_counts({docs["a"].id})
    row = nav.model.document_index(docs["a"].id)
    assert row.siblingAtColumn(COL_ANNOTATIONS).data() == "3"
    assert row.parent().siblingAtColumn(COL_ANNOTATIONS).data() == "3"  # the event's total
    assert nav.filter_edit.text() == "harbour" and nav.proxy.rowCount() == 1  # the filter stays

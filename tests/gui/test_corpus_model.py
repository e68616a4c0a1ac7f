"""The navigator's model over document summaries: a valid Qt model, the rows the tree shows,
and the filter as the user types it (case folded, a non-BMP character included)."""

from __future__ import annotations

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

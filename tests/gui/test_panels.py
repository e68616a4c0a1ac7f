"""The window's panels and dialogs, driven as a user would: keys, clicks, and the modal dialogs they open."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

import pytest
from PySide6.QtCore import QPersistentModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QColorDialog,
    QComboBox,
    QDialog,
    QLabel,
    QScrollBar,
    QTabBar,
    QWidget,
)

from cisannotate.core.model import MODES, TRANSCRIPT, Document, Span
from cisannotate.core.text import sha256_text
from cisannotate.session import Session
from cisannotate.storage import Store
from cisannotate.ui.panels.annotation_model import AnnotationModel
from cisannotate.ui.panels.annotation_rows import (
    COL_CATEGORY,
    COL_DOCUMENT,
    COL_LAYER,
    COL_LINKS,
    COL_MODE,
    COL_SPEAKER,
    COL_TEXT,
    COL_TYPE,
    NO_SOURCE,
    TYPE_BOTH,
    TYPE_CLAIM,
    TYPE_SPAN,
    TYPE_SPEAKER,
)
from cisannotate.ui.panels.annotation_table import AnnotationPanel
from cisannotate.ui.dialogs.codebook_dialog import (
    CategoryEditor,
    CodebookDialog,
    NameEditor,
    contrast_warning,
    shortcut_problem,
)
from cisannotate.ui.dialogs.small_dialogs import AnnotatorNameDialog, NoteDialog, ShortcutsDialog, ask_annotator_name
from cisannotate.ui.panels.navigator import COL_KIND, COL_TITLE, DOC_ID_ROLE, NO_EVENT, CorpusNavigator
from cisannotate.ui.document.tag_popup import MODE_KEYS, TagChoice, TagPopup

TRANSCRIPT_TEXT = "Good morning. The border is closed. We will act now. Thank you."
ARTICLE_TEXT = (
    "The minister said the border was shut. He warned of a threat from the west. "
    "Officials promised to act. Nothing else happened today."
)


def make_doc(text: str, kind: str = "article", event: str = "e1", **kw) -> Document:
    sha = sha256_text(text)
    return Document(id=sha[:16], kind=kind, title=kw.pop("title", kind), text=text, sha256=sha, event=event, **kw)


@dataclass
class Project:
    store: Store
    session: Session
    transcript: Document
    article: Document


@pytest.fixture
def project(store, qapp) -> Project:
    transcript = make_doc(TRANSCRIPT_TEXT, TRANSCRIPT, title="Press conference transcript")
    article = make_doc(ARTICLE_TEXT, outlet="Daily", title="Minister shuts the border")
    store.add_document(transcript)
    store.add_document(article)
    return Project(store, Session(store, "ann"), transcript, article)


@pytest.fixture(autouse=True)
def _fresh_tag_memory(monkeypatch):
    monkeypatch.setattr(TagPopup, "last_choice", None)


def mark(project: Project, text: str, doc: Document | None = None, **fields) -> Span:
    """Add a span on the first occurrence of ``text`` through the session (undoable)."""
    doc = doc or project.article
    start = doc.text.index(text)
    span = project.session.add_span(doc.id, start, start + len(text), **fields)
    assert span is not None
    return span


def inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    """Focusable widgets without an accessible name, leaving out parts Qt names itself."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or isinstance(widget, (QScrollBar, QTabBar)):
            continue
        if widget is not root and (widget.isWindow() or inside(widget, (QComboBox, QAbstractItemView))):
            continue  # popups, a combo box's line edit and list, a view's viewport and header
        if not widget.accessibleName():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def run_modal(action, handle) -> None:
    """Run ``action``, which opens a modal dialog; ``handle`` gets the dialog and closes it."""
    seen: list[QWidget] = []
    tries = iter(range(200))

    def poke() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if next(tries, None) is not None:
                QTimer.singleShot(10, poke)
            return
        seen.append(dialog)
        try:
            handle(dialog)
        finally:
            # A failed check must not leave the dialog waiting for input forever.
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poke)
    action()
    assert seen, "no modal dialog opened"


# ------------------------------------------------------------------ annotation table
def test_model_shows_each_kind_of_annotation(project, qtmodeltester):
    p = project
    speaker = p.session.add_speaker("Dmitry Peskov", "press secretary")
    channel = p.session.add_channel("press conference")
    claim = mark(p, "the border was shut", category_id="cat-1", mode="indirect speech")
    tag = mark(p, "He warned", speaker_id=speaker.id, channel_id=channel.id)
    both = mark(p, "Officials promised to act", category_id="cat-3", speaker_id=speaker.id)
    plain = mark(p, "Nothing else", note="check this")
    source = mark(p, "The border is closed", doc=p.transcript)
    p.session.link(claim.id, [(p.transcript.id, source.start, source.end)], "close paraphrase")
    p.session.mark_no_source(both.id)

    model = AnnotationModel(p.session)
    model.set_documents([p.article.id, p.transcript.id])
    qtmodeltester.check(model)

    def cell(span: Span, column: int) -> str:
        return model.index(model.row_of(span.id), column).data()

    # Article first, then the transcript; each in reading order.
    assert [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())] == [
        claim.id, tag.id, both.id, plain.id, source.id,
    ]
    assert [cell(s, COL_TYPE) for s in (claim, tag, both, plain)] == [TYPE_CLAIM, TYPE_SPEAKER, TYPE_BOTH, TYPE_SPAN]
    assert cell(claim, COL_DOCUMENT) == "Minister shuts the border"
    assert cell(claim, COL_CATEGORY) == "Accusation"
    assert cell(claim, COL_MODE) == "indirect speech"
    assert cell(tag, COL_SPEAKER) == "Dmitry Peskov"
    assert cell(claim, COL_LINKS) == "1"
    assert cell(both, COL_LINKS) == NO_SOURCE
    assert cell(plain, COL_LINKS) == "0"
    assert cell(source, COL_LINKS) == ""  # transcripts are linked to, not from
    assert cell(claim, COL_LAYER) == "ann"
    assert model.index(model.row_of(claim.id), COL_CATEGORY).data(Qt.ItemDataRole.DecorationRole).name() == "#f4a6a6"
    assert model.row_of("no such span") == -1


def test_long_quotes_are_one_line_and_cut(project):
    p = project
    text = "word\n" * 60
    doc = make_doc(text, title="A very long title that goes on and on and on")
    p.store.add_document(doc)
    span = p.session.add_span(doc.id, 0, len(text))
    model = AnnotationModel(p.session)
    model.set_documents([doc.id])
    shown = model.index(0, COL_TEXT).data()
    assert "\n" not in shown and len(shown) <= 80 and shown.endswith("…")
    assert model.index(0, COL_TEXT).data(Qt.ItemDataRole.ToolTipRole).startswith(span.quote)
    assert model.index(0, COL_DOCUMENT).data().endswith("…")


def test_opening_ten_thousand_spans_reads_no_row(store, qapp, monkeypatch):
    text = "word " * 10_500
    doc = make_doc(text)
    store.add_document(doc)
    store.add_spans(
        Span(id=f"s{i:05d}", document_id=doc.id, start=i * 5, end=i * 5 + 4, annotator="ann", quote="word")
        for i in range(10_500)
    )
    session = Session(store, "ann")
    calls: list[str] = []
    for name in ("span", "spans", "span_page", "span_positions", "links_for_span", "document"):
        original = getattr(store, name)
        monkeypatch.setattr(store, name, lambda *a, _n=name, _o=original, **k: calls.append(_n) or _o(*a, **k))

    panel = AnnotationPanel(session)
    panel.resize(900, 400)
    panel.show()
    panel.set_documents([doc.id])
    QApplication.processEvents()
    assert panel.model.rowCount() == 10_500
    # The count, the document, and a page or two for the visible rows: no position of every span.
    assert calls.count("span") == 0 and calls.count("links_for_span") == 0
    assert calls.count("spans") == 0 and calls.count("span_positions") == 0
    assert calls.count("span_page") <= 2

    calls.clear()
    assert panel.model.index(9_000, COL_TEXT).data() == "word"
    assert calls == ["span_page"]
    assert panel.model.index(9_050, COL_TEXT).data() == "word"
    assert calls == ["span_page"]  # a neighbour comes from the same page
    assert panel.model.index(9_050, 0).data(Qt.ItemDataRole.UserRole) == "s09050"


def test_edits_update_only_their_rows(project, qtbot):
    p = project
    first = mark(p, "the border was shut", category_id="cat-1")
    last = mark(p, "Nothing else")
    model = AnnotationModel(p.session)
    model.set_documents([p.article.id, p.transcript.id])
    resets, inserted, removed, changed = [], [], [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda _parent, a, b: inserted.append((a, b)))
    model.rowsRemoved.connect(lambda _parent, a, b: removed.append((a, b)))
    model.dataChanged.connect(lambda a, b, _roles=(): changed.append((a.row(), b.row())))

    middle = mark(p, "a threat")
    assert inserted == [(1, 1)] and model.row_of(middle.id) == 1
    p.session.edit_span(middle.id, category_id="cat-2")
    assert changed == [(1, 1)]
    assert model.index(1, COL_CATEGORY).data() == "Threat"
    p.session.delete_spans([first.id])
    assert removed == [(0, 0)] and model.row_of(middle.id) == 0
    p.session.undo_stack.undo()
    assert inserted[-1] == (0, 0) and model.row_of(first.id) == 0
    assert model.index(0, COL_LINKS).data() == "0"
    transcript_span = mark(p, "We will act", doc=p.transcript)
    assert model.row_of(transcript_span.id) == 3
    changed.clear()
    p.session.link(last.id, [(p.transcript.id, transcript_span.start, transcript_span.end)], "loose paraphrase")
    assert model.index(model.row_of(last.id), COL_LINKS).data() == "1"
    assert changed == [(2, 2)]
    # A document that is not shown changes nothing here.
    other = make_doc("Another text entirely.")
    p.store.add_document(other)
    assert resets == []
    count = model.rowCount()
    p.session.add_span(other.id, 0, 7)
    assert model.rowCount() == count
    # A codebook change renames categories everywhere: the one full reset.
    p.session.save_category(replace(p.store.categories()[1], name="Danger"))
    assert resets == [1]
    assert model.index(model.row_of(middle.id), COL_CATEGORY).data() == "Danger"


def test_sorting_keeps_rows_in_place_when_edited(project, qtmodeltester):
    p = project
    spans = [
        mark(p, "The minister", category_id="cat-3"),
        mark(p, "the border was shut", category_id="cat-1"),
        mark(p, "He warned", category_id="cat-2"),
        mark(p, "Nothing else"),
    ]
    model = AnnotationModel(p.session)
    model.set_documents([p.article.id])

    def order() -> list[str]:
        return [model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]

    model.sort(COL_CATEGORY, Qt.SortOrder.AscendingOrder)
    # "" < Accusation < Call to action < Threat
    assert order() == [spans[3].id, spans[1].id, spans[0].id, spans[2].id]
    qtmodeltester.check(model)
    kept = QPersistentModelIndex(model.index(model.row_of(spans[1].id), 0))
    p.session.edit_span(spans[1].id, category_id="cat-6")  # Factual report: moves down
    assert order() == [spans[3].id, spans[0].id, spans[1].id, spans[2].id]
    assert kept.row() == model.row_of(spans[1].id)
    model.sort(COL_CATEGORY, Qt.SortOrder.DescendingOrder)
    assert order() == [spans[2].id, spans[1].id, spans[0].id, spans[3].id]
    added = mark(p, "Officials", category_id="cat-4")  # Success claim: between Threat and Factual report
    assert order() == [spans[2].id, added.id, spans[1].id, spans[0].id, spans[3].id]
    p.session.delete_spans([spans[0].id])
    assert order() == [spans[2].id, added.id, spans[1].id, spans[3].id]
    model.sort(-1)
    assert order() == [spans[1].id, spans[2].id, added.id, spans[3].id]


def test_filters(project, qtmodeltester):
    p = project
    peskov = p.session.add_speaker("Dmitry Peskov")
    claim = mark(p, "the border was shut", category_id="cat-1")
    tag = mark(p, "He warned", speaker_id=peskov.id)
    noted = mark(p, "Officials promised", note="ask the editor")
    panel = AnnotationPanel(p.session)
    panel.set_documents([p.article.id])
    proxy = panel.proxy

    def shown() -> set[str]:
        return {proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(proxy.rowCount())}

    assert shown() == {claim.id, tag.id, noted.id}
    proxy.set_text("BORDER")
    assert shown() == {claim.id}
    proxy.set_text("accus")  # the category name
    assert shown() == {claim.id}
    proxy.set_text("peskov")  # the speaker
    assert shown() == {tag.id}
    proxy.set_text("editor")  # the note
    assert shown() == {noted.id}
    qtmodeltester.check(proxy)
    proxy.set_text("")
    proxy.set_type(TYPE_SPEAKER)
    assert shown() == {tag.id}
    proxy.set_type(None)
    proxy.set_category("cat-1")
    assert shown() == {claim.id}
    proxy.set_category(None)
    p.session.set_annotator("bob")
    bobs = mark(p, "Nothing else")
    proxy.set_layers({"bob"})
    assert shown() == {bobs.id}
    proxy.set_layers(None)
    assert len(shown()) == 4


def test_panel_keyboard_and_mouse(project, qtbot):
    p = project
    spans = [mark(p, "the border was shut"), mark(p, "He warned"), mark(p, "Nothing else")]
    panel = AnnotationPanel(p.session)
    qtbot.addWidget(panel)
    panel.set_documents([p.article.id])
    panel.show()
    assert unnamed_controls(panel) == []
    assert panel.filter_edit.placeholderText() == "Filter annotations…"
    view = panel.view
    assert view.isSortingEnabled() and view.alternatingRowColors()
    assert view.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert view.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection

    with qtbot.assertNotEmitted(panel.span_activated):
        assert panel.select_span(spans[1].id)
    assert panel.selected_span_ids() == [spans[1].id]

    view.setFocus()
    with qtbot.waitSignal(panel.span_activated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert activated.args == [spans[1].id]
    with qtbot.waitSignal(panel.edit_requested) as edit:
        qtbot.keyClick(view, Qt.Key.Key_F2)
    assert edit.args == [spans[1].id]
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    with qtbot.waitSignal(panel.delete_requested) as delete:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert delete.args == [[spans[1].id, spans[2].id]]

    first = view.visualRect(panel.proxy.index(0, COL_TEXT)).center()
    with qtbot.waitSignal(panel.span_activated) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert clicked.args == [spans[0].id]
    with qtbot.waitSignal(panel.edit_requested) as double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=first)
    assert double.args == [spans[0].id]

    # Deleting through the session removes the row; the table never resets for it.
    p.session.delete_spans([spans[0].id])
    assert panel.proxy.rowCount() == 2


def test_panel_filter_box_and_combos(project, qtbot):
    p = project
    claim = mark(p, "the border was shut", category_id="cat-2")
    mark(p, "He warned")
    panel = AnnotationPanel(p.session)
    qtbot.addWidget(panel)
    panel.set_documents([p.article.id])
    qtbot.keyClicks(panel.filter_edit, "border")
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 1)
    panel.filter_edit.clear()
    qtbot.waitUntil(lambda: panel.proxy.rowCount() == 2)

    panel.type_combo.setCurrentIndex(panel.type_combo.findText(TYPE_CLAIM))
    assert panel.proxy.rowCount() == 1
    panel.type_combo.setCurrentIndex(0)
    panel.category_combo.setCurrentIndex(panel.category_combo.findData("cat-2"))
    assert panel.proxy.rowCount() == 1
    panel.category_combo.setCurrentIndex(0)

    assert [panel.layer_combo.itemText(i) for i in range(panel.layer_combo.count())] == ["All layers", "ann"]
    p.session.set_annotator("bob")
    mark(p, "Nothing else")
    assert panel.layer_combo.findText("bob") > 0  # a new layer appears in the filter
    panel.set_visible_layers({"bob"})
    assert panel.proxy.rowCount() == 1
    panel.set_visible_layers(None)
    panel.layer_combo.setCurrentIndex(panel.layer_combo.findText("ann"))
    assert panel.proxy.rowCount() == 2

    # A codebook edit resets the model; the selection survives it.
    panel.layer_combo.setCurrentIndex(0)
    assert panel.select_span(claim.id)
    p.session.add_speaker("Someone")
    assert panel.selected_span_ids() == [claim.id]


def test_header_sorting_through_the_view(project, qtbot):
    p = project
    b = mark(p, "the border was shut", category_id="cat-2")
    a = mark(p, "He warned", category_id="cat-1")
    panel = AnnotationPanel(p.session)
    qtbot.addWidget(panel)
    panel.set_documents([p.article.id])
    panel.view.sortByColumn(COL_CATEGORY, Qt.SortOrder.AscendingOrder)
    assert panel.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole) == a.id
    panel.view.sortByColumn(COL_CATEGORY, Qt.SortOrder.DescendingOrder)
    assert panel.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole) == b.id
    panel.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert panel.proxy.index(0, 0).data(Qt.ItemDataRole.UserRole) == b.id


# ------------------------------------------------------------------ navigator
def corpus_store(store: Store) -> dict[str, Document]:
    docs = {
        "t1": make_doc("Transcript one.", TRANSCRIPT, event="2024-summit", title="Summit transcript"),
        "a1": make_doc("Article one.", event="2024-summit", title="Summit coverage", outlet="Daily", date="2024-05-02"),
        "a2": make_doc("Article two.", event="2024-summit", title="Another view", outlet="Weekly", date="2024-05-01"),
        "t2": make_doc("Transcript two.", TRANSCRIPT, event="2023-briefing", title="Briefing transcript"),
        "x": make_doc("Loose article.", event="", title="Loose piece", outlet="Blog"),
    }
    for doc in docs.values():
        store.add_document(doc)
    return docs


def test_navigator_groups_by_event(store, qtbot, qtmodeltester):
    docs = corpus_store(store)
    store.add_span(Span(id="s1", document_id=docs["a1"].id, start=0, end=7, annotator="ann"))
    nav = CorpusNavigator(Session(store, "ann"))
    qtbot.addWidget(nav)
    qtmodeltester.check(nav.proxy)
    assert unnamed_controls(nav) == []
    model = nav.proxy
    events = [model.index(r, COL_TITLE).data() for r in range(model.rowCount())]
    assert events == ["2023-briefing (1)", "2024-summit (3)", f"{NO_EVENT} (1)"]
    summit = model.index(1, COL_TITLE)
    titles = [model.index(r, COL_TITLE, summit).data() for r in range(model.rowCount(summit))]
    assert titles == ["Summit transcript", "Another view", "Summit coverage"]
    kinds = [model.index(r, COL_KIND, summit).data(Qt.ItemDataRole.AccessibleTextRole)
             for r in range(model.rowCount(summit))]
    assert kinds[:2] == ["Transcript", "Article"]
    markers = [model.index(r, COL_KIND, summit).data() for r in range(2)]
    assert markers[0] != markers[1]
    assert model.index(2, 4, summit).data() == "1"
    assert nav.tree.isExpanded(summit)


def test_navigator_choose_refresh_and_filter(store, qtbot):
    docs = corpus_store(store)
    nav = CorpusNavigator(store)
    qtbot.addWidget(nav)
    nav.show()
    with qtbot.assertNotEmitted(nav.document_chosen):
        assert nav.select_document(docs["a2"].id)
    assert nav.current_document() == docs["a2"].id

    nav.tree.setFocus()
    with qtbot.waitSignal(nav.document_chosen) as chosen:
        qtbot.keyClick(nav.tree, Qt.Key.Key_Down)
        qtbot.keyClick(nav.tree, Qt.Key.Key_Return)
    assert chosen.args == [docs["a1"].id]
    rect = nav.tree.visualRect(nav.tree.currentIndex().siblingAtColumn(COL_TITLE))
    with qtbot.waitSignal(nav.document_chosen) as clicked:
        qtbot.mouseClick(nav.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert clicked.args == [docs["a1"].id]

    # Enter on an event opens or closes it.
    briefing = nav.proxy.index(0, 0)
    nav.tree.setCurrentIndex(briefing)
    qtbot.keyClick(nav.tree, Qt.Key.Key_Return)
    assert not nav.tree.isExpanded(briefing)

    nav.select_document(docs["a1"].id)
    new = make_doc("Fresh article.", event="2025-visit", title="Fresh")
    store.add_document(new)
    nav.refresh()
    assert nav.current_document() == docs["a1"].id
    events = {nav.proxy.index(r, 0).data(): nav.tree.isExpanded(nav.proxy.index(r, 0)) for r in range(nav.proxy.rowCount())}
    assert events["2023-briefing (1)"] is False  # stays closed
    assert events["2025-visit (1)"] is True  # new, so open

    qtbot.keyClicks(nav.filter_edit, "weekly")
    assert nav.proxy.rowCount() == 1
    summit = nav.proxy.index(0, 0)
    assert nav.proxy.rowCount(summit) == 1
    assert nav.proxy.index(0, 0, summit).data(DOC_ID_ROLE) == docs["a2"].id
    nav.filter_edit.clear()
    qtbot.keyClicks(nav.filter_edit, "summit")  # an event key keeps all its documents
    assert nav.proxy.rowCount(nav.proxy.index(0, 0)) == 3
    # Asking for a document hidden by the filter clears the filter.
    assert nav.select_document(docs["x"].id)
    assert nav.filter_edit.text() == ""


def test_navigator_loads_two_thousand_documents_without_a_query_per_row(store, qtbot, monkeypatch):
    # How long it takes is measured by `make bench` (navigator), not asserted here.
    with store.atomic():
        for i in range(2000):
            store.add_document(
                make_doc(f"Document {i}.", TRANSCRIPT if i % 25 == 0 else "article", event=f"event {i // 25}",
                         title=f"Title {i}", outlet="Outlet", date="2024-01-01")
            )
    session = Session(store, "ann")
    for name in ("document", "spans", "text", "count_spans"):
        monkeypatch.setattr(store, name, lambda *a, _n=name, **k: pytest.fail(f"per-row query {_n}"))
    nav = CorpusNavigator(session)
    qtbot.addWidget(nav)
    nav.show()
    QApplication.processEvents()
    assert nav.proxy.rowCount() == 80
    nav.refresh()
    assert nav.proxy.rowCount() == 80


# ------------------------------------------------------------------ tag popup
def speakers(project: Project) -> tuple[str, str]:
    putin = project.session.add_speaker("Vladimir Putin")
    peskov = project.session.add_speaker("Dmitry Peskov")
    return putin.id, peskov.id


def test_tag_popup_type_ahead_mode_keys_and_enter(project, qtbot):
    putin, peskov = speakers(project)
    channel = project.session.add_channel("press conference")
    popup = TagPopup(project.session)
    qtbot.addWidget(popup)
    popup.show()
    assert unnamed_controls(popup) == []
    assert [b.text()[0] for b in popup.mode_buttons.values()] == list(MODE_KEYS)

    qtbot.keyClicks(popup.speaker_box.lineEdit(), "PESK")  # any case, any part of the name
    completer = popup.speaker_box.completer()
    assert completer.completionCount() == 1 and completer.currentCompletion() == "Dmitry Peskov"
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert popup.speaker_box.currentText() == "Dmitry Peskov"
    assert popup.mode() is None  # letters typed into the name pick no mode

    popup.mode_buttons[MODES[0]].setFocus()
    qtbot.keyClick(popup.mode_buttons[MODES[0]], Qt.Key.Key_P)
    assert popup.mode() == "partial quote"
    qtbot.keyClick(popup.focusWidget(), Qt.Key.Key_A)
    assert popup.mode() == "paraphrase"
    popup.channel_box.set_choice(channel.id)
    qtbot.keyClick(popup.focusWidget(), Qt.Key.Key_Return)
    assert popup.result() == QDialog.DialogCode.Accepted
    assert popup.choice() == TagChoice(peskov, "paraphrase", channel.id)
    assert TagPopup.last_choice == popup.choice()

    # The next popup offers the same choice, unless the span already has tags.
    again = TagPopup(project.session)
    qtbot.addWidget(again)
    assert again.speaker_box.currentText() == "Dmitry Peskov" and again.mode() == "paraphrase"
    tagged = mark(project, "He warned", speaker_id=putin, mode="direct quote")
    third = TagPopup(project.session, tagged)
    qtbot.addWidget(third)
    assert third.speaker_box.currentText() == "Vladimir Putin" and third.mode() == "direct quote"
    assert third.channel_box.currentText() == ""


def test_tag_popup_new_name_needs_confirmation(project, qtbot):
    speakers(project)
    popup = TagPopup(project.session)
    qtbot.addWidget(popup)
    popup.show()
    qtbot.keyClicks(popup.speaker_box.lineEdit(), "Maria Zakharova")
    qtbot.keyClick(popup.speaker_box.lineEdit(), Qt.Key.Key_Return)
    assert popup.notice.isVisible() and "Maria Zakharova" in popup.notice.text()
    assert popup.result() != QDialog.DialogCode.Accepted
    assert [s.name for s in project.store.speakers()] == ["Dmitry Peskov", "Vladimir Putin"]

    qtbot.keyClick(popup.speaker_box.lineEdit(), Qt.Key.Key_Return)
    assert popup.result() == QDialog.DialogCode.Accepted
    created = {s.name: s.id for s in project.store.speakers()}
    assert popup.choice().speaker_id == created["Maria Zakharova"]
    project.session.undo_stack.undo()  # adding the speaker is an undoable step
    assert "Maria Zakharova" not in {s.name for s in project.store.speakers()}


def test_tag_popup_editing_the_name_asks_again_and_escape_cancels(project, qtbot):
    popup = TagPopup(project.session)
    qtbot.addWidget(popup)
    popup.show()
    qtbot.keyClicks(popup.channel_box.lineEdit(), "Telegram")
    qtbot.keyClick(popup.channel_box.lineEdit(), Qt.Key.Key_Return)
    assert popup.notice.isVisible()
    qtbot.keyClicks(popup.channel_box.lineEdit(), " channel")
    assert not popup.notice.isVisible()
    qtbot.keyClick(popup.channel_box.lineEdit(), Qt.Key.Key_Escape)
    assert popup.result() == QDialog.DialogCode.Rejected and popup.choice() is None
    assert project.store.channels() == []


def test_tag_popup_clicking_the_chosen_mode_clears_it(project, qtbot):
    popup = TagPopup(project.session)
    qtbot.addWidget(popup)
    popup.show()
    button = popup.mode_buttons["indirect speech"]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert popup.mode() == "indirect speech"
    qtbot.mouseClick(popup.mode_buttons["direct quote"], Qt.MouseButton.LeftButton)
    assert popup.mode() == "direct quote"
    qtbot.mouseClick(popup.mode_buttons["direct quote"], Qt.MouseButton.LeftButton)
    assert popup.mode() is None


def test_tag_popup_ask(project, qtbot):
    putin, _ = speakers(project)

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, TagPopup)
        dialog.speaker_box.set_choice(putin)
        dialog.mode_buttons["unattributed"].setFocus()
        qtbot.keyClick(dialog.mode_buttons["unattributed"], Qt.Key.Key_D)
        qtbot.keyClick(dialog.mode_buttons["unattributed"], Qt.Key.Key_Enter)

    result: list[TagChoice | None] = []
    run_modal(lambda: result.append(TagPopup.ask(None, project.session, None, QPoint(50, 50))), answer)
    assert result == [TagChoice(putin, "direct quote", None)]

    def cancel(dialog: QWidget) -> None:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    run_modal(lambda: result.append(TagPopup.ask(None, project.session, None, QPoint(99999, 99999))), cancel)
    assert result[-1] is None


# ------------------------------------------------------------------ codebook
def test_shortcut_rules(store):
    categories = store.categories()
    assert shortcut_problem("", "cat-1", categories) is None
    assert shortcut_problem("a", "cat-1", categories) is None  # its own key
    assert "Threat" in shortcut_problem("t", "cat-1", categories)
    assert "reserved" in shortcut_problem("Q", "new", categories)
    assert "letter" in shortcut_problem("7", "new", categories)
    assert shortcut_problem("X", "new", categories) is None
    assert contrast_warning("#333333") and not contrast_warning("#f4a6a6")


def test_category_editor_validates(store, qtbot):
    editor = CategoryEditor(None, store.categories())
    qtbot.addWidget(editor)
    editor.show()
    assert unnamed_controls(editor) == []
    ok = editor.buttons.button(editor.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(editor.name_edit, "Threat")
    assert not ok.isEnabled() and "already" in editor.problem.text()
    editor.name_edit.clear()
    qtbot.keyClicks(editor.name_edit, "Denial")
    qtbot.keyClicks(editor.key_edit, "k")
    assert not ok.isEnabled() and "reserved" in editor.problem.text()
    editor.key_edit.clear()
    qtbot.keyClicks(editor.key_edit, "x")
    assert ok.isEnabled()
    editor.color_edit.setText("#2f2f80")
    assert editor.contrast.isVisible() and "4.5:1" in editor.contrast.text()
    editor.color_edit.setText("#ccddee")
    assert not editor.contrast.isVisible()
    category = editor.category()
    assert (category.name, category.shortcut, category.color, category.position) == ("Denial", "X", "#ccddee", 7)


def test_category_colour_comes_from_the_colour_dialog(store, qtbot, monkeypatch):
    monkeypatch.setattr(QColorDialog, "getColor", staticmethod(lambda *a, **k: QColor("#123456")))
    editor = CategoryEditor(store.categories()[0], store.categories())
    qtbot.addWidget(editor)
    editor.show()
    qtbot.mouseClick(editor.color_button, Qt.MouseButton.LeftButton)
    assert editor.color_edit.text() == "#123456"
    assert editor.contrast.isVisible()


def test_codebook_dialog_categories(project, qtbot):
    p = project
    dialog = CodebookDialog(p.session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    table = dialog.category_table
    assert table.rowCount() == 7 and table.item(0, 0).text() == "Accusation"
    assert not dialog.contrast_note.isVisible()

    def fill(editor: QWidget) -> None:
        assert isinstance(editor, CategoryEditor)
        qtbot.keyClicks(editor.name_edit, "Denial")
        editor.color_edit.setText("#303030")
        qtbot.keyClicks(editor.key_edit, "x")
        qtbot.keyClick(editor.name_edit, Qt.Key.Key_Return)

    run_modal(dialog.category_buttons[0].click, fill)
    names = [c.name for c in p.store.categories()]
    assert names[-1] == "Denial" and p.store.categories()[-1].shortcut == "X"
    assert table.rowCount() == 8 and table.current_id() == p.store.categories()[-1].id
    assert dialog.contrast_note.isVisible() and "Denial" in dialog.contrast_note.text()
    p.session.undo_stack.undo()
    assert table.rowCount() == 7

    # Enter on a row edits it (and does not close the codebook).
    table.setFocus()
    table.selectRow(1)

    def rename(editor: QWidget) -> None:
        editor.name_edit.setText("Danger")
        editor.accept()

    run_modal(lambda: qtbot.keyClick(table, Qt.Key.Key_Return), rename)
    assert dialog.isVisible() and p.store.categories()[1].name == "Danger"

    # Move down and back up; each move is one undo step.
    table.selectRow(0)
    dialog.category_buttons[4].click()
    assert [c.name for c in p.store.categories()][:2] == ["Danger", "Accusation"]
    assert table.current_id() == "cat-1"
    p.session.undo_stack.undo()
    assert [c.name for c in p.store.categories()][:2] == ["Accusation", "Danger"]
    table.selectRow(0)
    dialog.category_buttons[3].click()  # already first: nothing happens
    assert [c.name for c in p.store.categories()][0] == "Accusation"

    # A category in use cannot be removed; an unused one can, undoably.
    mark(p, "He warned", category_id="cat-1")
    table.select_id("cat-1")
    dialog.category_buttons[2].click()
    assert dialog.message.isVisible() and "1 annotation" in dialog.message.text()
    assert len(p.store.categories()) == 7
    table.select_id("cat-7")
    dialog.category_buttons[2].click()
    assert len(p.store.categories()) == 6 and not dialog.message.isVisible()
    p.session.undo_stack.undo()
    assert len(p.store.categories()) == 7


def test_codebook_dialog_speakers_and_channels(project, qtbot):
    p = project
    dialog = CodebookDialog(p.session)
    qtbot.addWidget(dialog)
    dialog.show()

    def add_speaker(editor: QWidget) -> None:
        assert isinstance(editor, NameEditor)
        qtbot.keyClicks(editor.name_edit, "Sergey Lavrov")
        qtbot.keyClicks(editor.role_edit, "Foreign Minister")
        editor.accept()

    run_modal(dialog.speaker_buttons[0].click, add_speaker)
    assert [(s.name, s.role) for s in p.store.speakers()] == [("Sergey Lavrov", "Foreign Minister")]
    assert dialog.speaker_table.item(0, 1).text() == "Foreign Minister"

    def edit_speaker(editor: QWidget) -> None:
        editor.role_edit.setText("Minister of Foreign Affairs")
        editor.accept()

    run_modal(dialog.speaker_buttons[1].click, edit_speaker)
    assert p.store.speakers()[0].role == "Minister of Foreign Affairs"

    span = mark(p, "He warned", speaker_id=p.store.speakers()[0].id)
    dialog.speaker_buttons[2].click()
    assert "cannot be removed" in dialog.message.text() and len(p.store.speakers()) == 1
    p.session.delete_spans([span.id])
    dialog.speaker_buttons[2].click()
    assert p.store.speakers() == []
    p.session.undo_stack.undo()
    assert len(p.store.speakers()) == 1

    def add_channel(editor: QWidget) -> None:
        qtbot.keyClicks(editor.name_edit, "TASS")
        editor.accept()

    run_modal(dialog.channel_buttons[0].click, add_channel)
    assert [c.name for c in p.store.channels()] == ["TASS"]

    def taken_name(editor: QWidget) -> None:
        ok = editor.buttons.button(editor.buttons.StandardButton.Ok)
        editor.name_edit.setText("tass ")
        assert ok.isEnabled()  # its own name is not "taken"
        editor.name_edit.setText("RIA Novosti")
        editor.accept()

    run_modal(dialog.channel_buttons[1].click, taken_name)
    assert [c.name for c in p.store.channels()] == ["RIA Novosti"]
    p.session.undo_stack.undo()
    assert [c.name for c in p.store.channels()] == ["TASS"]
    assert dialog.channel_table.item(0, 0).text() == "TASS"


# ------------------------------------------------------------------ small dialogs
def test_annotator_name(qtbot):
    def rename(dialog: QWidget) -> None:
        assert isinstance(dialog, AnnotatorNameDialog)
        assert dialog.name_edit.text() == "jdoe"
        dialog.name_edit.clear()
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()
        qtbot.keyClicks(dialog.name_edit, "  Jane   Doe ")
        qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)

    result: list[str | None] = []
    run_modal(lambda: result.append(ask_annotator_name(None, "jdoe")), rename)
    run_modal(lambda: result.append(ask_annotator_name(None, "jdoe")), lambda d: qtbot.keyClick(d, Qt.Key.Key_Escape))
    assert result == ["Jane Doe", None]


def test_annotator_dialog_explains_the_name(qtbot):
    dialog = AnnotatorNameDialog("jdoe")
    qtbot.addWidget(dialog)
    assert unnamed_controls(dialog) == []
    assert any("stored with every annotation" in label.text() for label in dialog.findChildren(QLabel))


def test_shortcuts_dialog_search(qtbot):
    dialog = ShortcutsDialog(
        [
            ("Annotate", "Mark claim", "A", "Apply the category with this key"),
            ("Edit", "Undo", "Ctrl+Z", "Undo the last change"),
            ("Annotate", "Link", "Ctrl+L", "Link to source"),
        ]
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    assert dialog.visible_actions() == ["Mark claim", "Link", "Undo"]
    qtbot.keyClicks(dialog.search_edit, "undo")
    assert dialog.visible_actions() == ["Undo"]
    assert dialog.table.topLevelItem(0).isHidden()
    dialog.search_edit.clear()
    qtbot.keyClicks(dialog.search_edit, "annotate")  # a section name shows its rows
    assert dialog.visible_actions() == ["Mark claim", "Link"]
    assert dialog.table.topLevelItem(0).child(1).text(1)  # shown in this platform's notation


def test_note_dialog(qtbot):
    dialog = NoteDialog("first line", quote="the border was shut")
    qtbot.addWidget(dialog)
    dialog.show()
    assert unnamed_controls(dialog) == []
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.editor, "second line")
    assert dialog.result() != QDialog.DialogCode.Accepted
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.note() == "first line\nsecond line"

    result: list[str | None] = []
    run_modal(lambda: result.append(NoteDialog.ask(None, "x")), lambda d: qtbot.keyClick(d.editor, Qt.Key.Key_Escape))
    assert result == [None]


@pytest.mark.parametrize(
    ("column", "order"),
    [(-1, Qt.SortOrder.AscendingOrder), (COL_CATEGORY, Qt.SortOrder.AscendingOrder),
     (COL_TEXT, Qt.SortOrder.DescendingOrder), (COL_LINKS, Qt.SortOrder.DescendingOrder)],
)
def test_incremental_updates_match_a_fresh_model(project, column, order, qtmodeltester, monkeypatch):
    # A cache far smaller than the table, so pages are read and evicted throughout.
    monkeypatch.setattr(AnnotationModel, "CACHE_ROWS", 6)
    monkeypatch.setattr(AnnotationModel, "PAGE_ROWS", 4)
    p = project
    rng = random.Random(column)
    model = AnnotationModel(p.session)
    model.set_documents([p.article.id, p.transcript.id])
    model.sort(column, order)
    source = mark(p, "The border is closed", doc=p.transcript)
    words = [(i, i + 3) for i in range(0, len(ARTICLE_TEXT) - 3, 7)]

    def rows(m: AnnotationModel) -> list[str]:
        return [m.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(m.rowCount())]

    def cells(m: AnnotationModel) -> list[list[str]]:
        return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]

    for _ in range(60):
        spans = [s for s in p.store.spans(p.article.id)]
        action = rng.choice(["add", "add", "edit", "move", "delete", "link", "undo"])
        if action == "add" or not spans:
            start, end = rng.choice(words)
            p.session.add_span(p.article.id, start, end, category_id=rng.choice([None, "cat-1", "cat-5"]))
        elif action == "edit":
            p.session.edit_span(rng.choice(spans).id, category_id=rng.choice([None, "cat-2", "cat-7"]))
        elif action == "move":
            span = rng.choice(spans)
            p.session.edit_span(span.id, start=max(0, span.start - 2))
        elif action == "delete":
            p.session.delete_spans([s.id for s in rng.sample(spans, min(len(spans), 3))])
        elif action == "link":
            p.session.link(rng.choice(spans).id, [(p.transcript.id, source.start, source.end)], "verbatim")
        else:
            p.session.undo_stack.undo()
        fresh = AnnotationModel(p.session)
        fresh.set_documents([p.article.id, p.transcript.id])
        fresh.sort(column, order)
        assert rows(model) == rows(fresh), action
        assert cells(model) == cells(fresh), action
        assert all(model.row_of(span_id) == r for r, span_id in enumerate(rows(model)))
        fresh.deleteLater()
    qtmodeltester.check(model)

"""The window over an archive-shaped project: it starts without reading every document's
summary, and the corpus list follows the open document however far down it is."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from cisannotate.core.model import TRANSCRIPT, Document
from cisannotate.core.text import sha256_text
from cisannotate.storage import Store

EVENTS, PER_EVENT = 40, 30


def _doc(batch: list, text: str, kind: str = "article", **kw) -> Document:
    sha = sha256_text(text)
    doc = Document(id=sha[:16], kind=kind, text=text, sha256=sha, **kw)
    batch.append((doc, []))
    return doc


@pytest.fixture
def archive_project(tmp_path) -> tuple[Path, dict[str, str]]:
    """40 events of a transcript and 30 articles; the ids of a few documents by role."""
    path = tmp_path / "archive.cisannotate"
    store = Store.open(path)
    ids: dict[str, str] = {}
    batch: list = []
    for e in range(EVENTS):
        event = f"event-{e:02d}"
        transcript = _doc(batch, f"The minister spoke about item {e}.", TRANSCRIPT, title=f"Briefing {e}", event=event)
        for a in range(PER_EVENT):
            doc = _doc(batch, f"Article {a} of event {e} reports it.", title=f"Dispatch {e}-{a:02d}", outlet="Wire",
                       event=event, date="2024-01-02")
            if e == 0 and a == 0:
                ids["first article"] = doc.id
        if e == EVENTS - 1:
            ids["last transcript"] = transcript.id
            ids["last article"] = doc.id
    store.add_documents(batch)  # one transaction, as an import writes
    store.close()
    return path, ids


def _visible(tree, index) -> bool:
    return tree.viewport().rect().intersects(tree.visualRect(index))


def test_the_window_starts_without_reading_every_summary_and_opens_the_first_article(archive_project, make_window,
                                                                                    monkeypatch):
    path, ids = archive_project
    monkeypatch.setattr(Store, "documents", lambda self: pytest.fail("every document's summary was read at start"))
    window = make_window(path)
    assert window.workspace.article.document_id == ids["first article"]
    assert window.navigator.current_document() == ids["first article"]
    assert window.navigator.model.document_count() == EVENTS * (PER_EVENT + 1)


def test_opening_a_document_far_down_selects_and_shows_it_in_the_corpus_list(archive_project, make_window, qtbot):
    path, ids = archive_project
    window = make_window(path)
    navigator = window.navigator
    last = ids["last article"]
    window.open_document(last)  # as a search hit or the next-document key opens it
    assert navigator.current_document() == last
    index = navigator.model.document_index(last)
    assert navigator.tree.isExpanded(index.parent()) and index.parent().data().startswith(f"event-{EVENTS - 1:02d}")
    qtbot.waitUntil(lambda: _visible(navigator.tree, index))
    # From the list itself: up to the event's transcript with the keyboard, Enter opens it.
    navigator.tree.setFocus()
    for _ in range(PER_EVENT):
        qtbot.keyClick(navigator.tree, Qt.Key.Key_Up)
    assert navigator.current_document() == ids["last transcript"]
    qtbot.keyClick(navigator.tree, Qt.Key.Key_Return)
    assert ids["last transcript"] in window.workspace.shown_ids()
    assert navigator.current_document() == ids["last transcript"]


def test_ctrl_page_keys_step_from_the_last_document_round_to_the_first_without_reading_every_id(
        archive_project, make_window, qtbot, monkeypatch):
    path, ids = archive_project
    window = make_window(path)
    store = window.session.store
    order = store.document_order()
    assert order[-1] == ids["last article"]
    monkeypatch.setattr(type(store), "document_order", lambda self: pytest.fail("every id was read"))
    window.open_document(ids["last article"])
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window, Qt.Key.Key_PageDown, ctrl)
    assert window.navigator.current_document() == order[0]
    qtbot.keyClick(window, Qt.Key.Key_PageUp, ctrl)
    assert window.workspace.article.document_id == ids["last article"]
    assert window.navigator.current_document() == ids["last article"]
    qtbot.keyClick(window, Qt.Key.Key_PageUp, ctrl)
    assert window.navigator.current_document() == order[-2]

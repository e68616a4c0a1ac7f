"""The suggestion index is built in a worker thread: the Source panel says it is getting
ready, fills in when the index is there, and closing the window stops a build."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt

from cisannotate import suggestions
from cisannotate.core.suggest import IndexCancelled
from cisannotate.ui.common.i18n import tr
from cisannotate.ui.features.linking import GETTING_READY

ARTICLE = "001_0a569aa48f4bb4b4.txt"
QUOTE = "It is enough to look at what is happening now between Russia and Ukraine"
SOURCE_WORDS = "Just look at what is happening between Russia and Ukraine"


def select_quote(window):
    window.open_document(window.session.store.resolve_document(ARTICLE).id)
    view = window.workspace.article.view
    at = view.text.index(QUOTE)
    view.setFocus()
    view.select_range(at, at + len(QUOTE))
    return view


def test_suggestions_show_after_the_index_is_built_in_the_background(corpus_project, make_window, qtbot,
                                                                     monkeypatch):
    threads = []
    real_build = suggestions.build_index

    def build(store, *, cancelled=None):
        threads.append(threading.get_ident())
        return real_build(store, cancelled=cancelled)

    monkeypatch.setattr(suggestions, "build_index", build)
    window = make_window(corpus_project)
    panel = window.linking.panel
    view = select_quote(window)
    qtbot.keyClick(view, Qt.Key.Key_G)  # suggest now

    # The key returned at once: the panel says the suggestions are being prepared.
    assert window.linking.index_builder.building
    assert panel.heading.text() == tr(GETTING_READY)
    assert panel.suggestions.count() == 0
    qtbot.waitUntil(lambda: panel.current is not None and len(panel.current.candidates) == 5, timeout=30000)
    assert threads and all(t != threading.get_ident() for t in threads)  # built off the GUI thread
    best = panel.current.candidates[0]
    assert SOURCE_WORDS in window.workspace.transcript.view.text[best.start:best.end]
    assert QUOTE[:40] in panel.heading.text()
    assert not window.linking.index_builder.building

    # Built once: the next claim is answered at once, without a build.
    view.select_range(0, 0)
    view.select_range(view.text.index(QUOTE), view.text.index(QUOTE) + 30)
    qtbot.keyClick(view, Qt.Key.Key_G)
    assert not window.linking.index_builder.building and panel.current is not None
    assert len(threads) == 1

    # Pressing 1 links to the first suggestion as before.
    qtbot.keyClick(view, Qt.Key.Key_1)
    assert len(window.session.store.links()) == 1


def test_closing_the_window_stops_the_build(corpus_project, make_window, qtbot, monkeypatch):
    started = threading.Event()
    seen: dict[str, object] = {}

    def slow_build(store, *, cancelled=None):
        started.set()
        store.transcripts()  # the worker reads its own connection
        while not cancelled():
            time.sleep(0.01)
        seen["cancelled"] = True
        raise IndexCancelled()

    monkeypatch.setattr(suggestions, "build_index", slow_build)
    window = make_window(corpus_project)
    builder = window.linking.index_builder
    view = select_quote(window)
    qtbot.keyClick(view, Qt.Key.Key_G)
    assert started.wait(10)
    assert builder.building and window.linking.panel.heading.text() == tr(GETTING_READY)

    window.close()  # the project closes: the build is told to stop, and waited for
    assert seen == {"cancelled": True}
    assert not builder.building and not window.linking.suggester.ready
    qtbot.wait(50)  # a late result would arrive now: there is none to take
    assert not window.linking.suggester.ready


def test_a_screenshot_waits_for_the_suggestions(corpus_project, make_window, qtbot, monkeypatch):
    """A picture shows the window as a user sees it a moment after opening: suggestions included."""
    from PySide6.QtWidgets import QApplication

    from cisannotate.app import _settle

    release = threading.Event()
    real_build = suggestions.build_index

    def build(store, *, cancelled=None):
        release.wait(5)  # still building when the picture is about to be taken
        return real_build(store, cancelled=cancelled)

    monkeypatch.setattr(suggestions, "build_index", build)
    window = make_window(corpus_project)
    select_quote(window)
    view = window.workspace.article.view
    qtbot.keyClick(view, Qt.Key.Key_G)  # suggest now
    qtbot.waitUntil(lambda: window.linking.index_building)
    threading.Timer(0.2, release.set).start()
    _settle(QApplication.instance(), window, limit=30)
    assert not window.linking.index_building
    panel = window.linking.panel
    assert panel.current is not None and len(panel.current.candidates) == 5


def test_the_article_is_read_for_the_ranking_off_the_gui_thread(corpus_project, make_window, qtbot, monkeypatch):
    """The ranking reads the whole article once (each sentence ranked alone): the window has
    that done in a worker, when suggestions are first asked for and ahead of time when
    another article is shown, so that no query waits for it on the GUI thread."""
    from cisannotate.core import suggest

    readings: list[tuple[int, int]] = []  # (thread, sentences) of each article actually read
    real_reading = suggest.reading

    def reading(spans, firsts):
        readings.append((threading.get_ident(), len(spans)))
        return real_reading(spans, firsts)

    monkeypatch.setattr(suggest, "reading", reading)
    window = make_window(corpus_project)
    panel = window.linking.panel
    view = select_quote(window)
    qtbot.keyClick(view, Qt.Key.Key_G)
    qtbot.waitUntil(lambda: panel.current is not None and len(panel.current.candidates) == 5, timeout=30000)
    gui = threading.get_ident()
    assert len(readings) == 1 and readings[0][0] != gui
    best = panel.current.candidates[0]
    assert SOURCE_WORDS in window.workspace.transcript.view.text[best.start:best.end]

    # Another article is shown: it is read ahead, in the worker, before anything is asked.
    window.open_document(window.session.store.resolve_document("002_7ce5b0ab16d1e9fc.txt").id)
    qtbot.waitUntil(lambda: len(readings) == 2 and not window.linking.index_building, timeout=30000)
    assert readings[1][0] != gui
    view = window.workspace.article.view
    view.setFocus()
    view.select_range(0, 60)
    qtbot.keyClick(view, Qt.Key.Key_G)
    assert panel.current is not None  # answered at once: the article was read already
    qtbot.wait(50)
    assert len(readings) == 2

"""The align walk-through and the proposals dialog use the window's background build of the
suggestion index: opened while it builds, the walk-through says so and fills in when the
index is there; the index is built once, never in the GUI thread; closing the dialog or
the project during the build is safe. Driven by the keys a user presses."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cisannotate import suggestions
from cisannotate.core.suggest import IndexCancelled
from cisannotate.ui.common.i18n import tr
from cisannotate.ui.dialogs import align_dialog
from cisannotate.ui.dialogs.align_dialog import AlignDialog
from cisannotate.ui.dialogs.propose_dialog import ProposeDialog
from cisannotate.ui.features import linking

ARTICLE = "001_0a569aa48f4bb4b4.txt"
QUOTE = "It is enough to look at what is happening now between Russia and Ukraine"


class GatedBuild:
    """Stands in for ``suggestions.build_index``: counts the builds and the threads they run
    in, and holds each build until ``release()`` (stopping when it is cancelled meanwhile)."""

    def __init__(self) -> None:
        self.real = suggestions.build_index
        self.threads: list[int] = []
        self.gate = threading.Event()
        self.started = threading.Event()
        self.cancelled = False

    def __call__(self, store, *, cancelled=None):
        self.threads.append(threading.get_ident())
        if threading.current_thread() is threading.main_thread():
            return self.real(store, cancelled=cancelled)  # a build that blocks the window: the test fails on it
        self.started.set()
        while not self.gate.is_set():
            if cancelled is not None and cancelled():
                self.cancelled = True
                raise IndexCancelled()
            time.sleep(0.01)
        return self.real(store, cancelled=cancelled)

    def release(self) -> None:
        self.gate.set()


@pytest.fixture
def build(monkeypatch) -> GatedBuild:
    gated = GatedBuild()
    monkeypatch.setattr(suggestions, "build_index", gated)
    yield gated
    gated.release()


@pytest.fixture
def opened(monkeypatch) -> list:
    """The window's Align and Propose actions open their dialog without a nested event loop
    (exec), so the test goes on sending keys while it is open."""
    dialogs: list = []

    def show(self):
        dialogs.append(self)
        self.show()
        return 0

    monkeypatch.setattr(AlignDialog, "exec", show)
    monkeypatch.setattr(ProposeDialog, "exec", show)
    return dialogs


def open_article(window):
    window.open_document(window.session.store.resolve_document(ARTICLE).id)
    window.workspace.article.view.setFocus()
    return window.workspace.article.view


def activate(qtbot, dialog):
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def open_align(qtbot, window, opened):
    view = window.workspace.article.view
    before = len(opened)
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(opened) == before + 1 and isinstance(opened[-1], AlignDialog)
    return activate(qtbot, opened[-1])


def spans(window):
    return window.session.store.spans(window.workspace.article.document_id)


def test_the_walk_through_waits_for_the_panels_build_and_then_offers_the_candidates(
        corpus_project, make_window, qtbot, build, opened):
    assert align_dialog.GETTING_READY == linking.GETTING_READY  # one text, one translation
    window = make_window(corpus_project)
    view = open_article(window)
    # The Source panel starts the build (G on a selection) ...
    at = view.text.index(QUOTE)
    view.select_range(at, at + len(QUOTE))
    qtbot.keyClick(view, Qt.Key.Key_G)
    assert build.started.wait(10) and window.linking.index_builder.building
    # ... and the walk-through, opened meanwhile, opens at once and says it is getting ready.
    dialog = open_align(qtbot, window, opened)
    assert dialog.waiting and dialog.rows == []
    assert dialog.position.text() == tr(linking.GETTING_READY)
    assert dialog.progress.maximum() == 0  # busy
    assert dialog.choices.count() == 0
    assert dialog.sentence.text()  # the first sentence is shown already
    # The decision keys wait with it: nothing is written.
    for key in (Qt.Key.Key_Return, Qt.Key.Key_1, Qt.Key.Key_N, Qt.Key.Key_S, Qt.Key.Key_P):
        qtbot.keyClick(dialog, key)
    assert spans(window) == [] and dialog.index == 0

    build.release()
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=30000)
    assert len(build.threads) == 1  # one build, shared by the panel and the walk-through
    assert threading.get_ident() not in build.threads  # and not in the GUI thread
    assert len(dialog.rows) > 10 and dialog.progress.maximum() == len(dialog.rows)
    assert dialog.position.text().startswith("Sentence 1 of")
    # The title sentence has no source: "no source" is pre-selected, as before.
    assert dialog.rows[0][1].no_source and dialog.choices.currentRow() == dialog.choices.count() - 1
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert [s.no_source for s in spans(window)] == [True] and dialog.index == 1
    target = next(i for i, ((_s, _e, text), _sug) in enumerate(dialog.rows) if QUOTE in text)
    for _ in range(target - dialog.index):
        qtbot.keyClick(dialog, Qt.Key.Key_S)
    qtbot.keyClick(dialog, Qt.Key.Key_1)
    assert len(window.session.store.links()) == 1
    assert dialog.decisions[target].startswith("Linked to line")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert len(build.threads) == 1


def test_the_walk_through_starts_the_build_when_nothing_had(corpus_project, make_window, qtbot, build, opened):
    window = make_window(corpus_project)
    open_article(window)
    assert not window.linking.suggester.ready and not build.threads
    dialog = open_align(qtbot, window, opened)
    assert build.started.wait(10)
    assert dialog.waiting and window.linking.index_builder.building
    build.release()
    qtbot.waitUntil(lambda: not dialog.waiting, timeout=30000)
    assert dialog.choices.count() > 1
    # The Source panel takes the same index: no second build.
    view = window.workspace.article.view
    at = view.text.index(QUOTE)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    view.setFocus()
    view.select_range(at, at + len(QUOTE))
    qtbot.keyClick(view, Qt.Key.Key_G)
    assert window.linking.panel.current is not None and window.linking.panel.current.candidates
    assert len(build.threads) == 1 and threading.get_ident() not in build.threads


def test_closing_the_walk_through_while_it_waits(corpus_project, make_window, qtbot, build, opened):
    window = make_window(corpus_project)
    open_article(window)
    dialog = open_align(qtbot, window, opened)
    assert build.started.wait(10) and dialog.waiting
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    build.release()
    qtbot.waitUntil(lambda: window.linking.suggester.ready, timeout=30000)
    qtbot.wait(20)
    assert dialog.rows == []  # the closed dialog does not rank, nor move the article's selection
    assert len(build.threads) == 1
    # Opened again, it has the index at once.
    dialog2 = AlignDialog(window.linking, window.workspace.article.document_id, window)
    assert not dialog2.waiting and dialog2.rows
    assert len(build.threads) == 1
    dialog2.close()


def test_closing_the_project_while_the_walk_through_waits(corpus_project, make_window, qtbot, build, opened):
    window = make_window(corpus_project)
    open_article(window)
    dialog = open_align(qtbot, window, opened)
    assert build.started.wait(10) and dialog.waiting
    window.close()  # the project closes: the build is stopped and waited for
    assert build.cancelled and not window.linking.index_builder.building
    qtbot.wait(50)
    assert dialog.rows == [] and not window.linking.suggester.ready
    dialog.close()


def test_the_proposals_dialog_never_builds_the_index_in_the_window(
        corpus_project, make_window, qtbot, build, opened):
    window = make_window(corpus_project)
    view = open_article(window)
    qtbot.keyClick(view, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(opened) == 1 and isinstance(opened[0], ProposeDialog)
    dialog = activate(qtbot, opened[0])
    assert dialog.items  # the proposals need no index: they are there at once
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert len(spans(window)) == 1
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    # Whatever build the window started meanwhile runs in its worker, once.
    build.release()
    qtbot.waitUntil(lambda: not window.linking.index_builder.building, timeout=30000)
    assert len(build.threads) <= 1 and threading.get_ident() not in build.threads
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    align = open_align(qtbot, window, opened)
    qtbot.waitUntil(lambda: not align.waiting, timeout=30000)
    assert align.rows and len(build.threads) == 1 and threading.get_ident() not in build.threads
    align.close()


def test_a_failed_build_is_said_in_the_walk_through(corpus_project, make_window, qtbot, monkeypatch, opened):
    def broken(store, *, cancelled=None):
        raise OSError("disk I/O error")

    monkeypatch.setattr(suggestions, "build_index", broken)
    window = make_window(corpus_project)
    open_article(window)
    dialog = open_align(qtbot, window, opened)
    qtbot.waitUntil(lambda: "disk I/O error" in dialog.position.text(), timeout=10000)
    assert dialog.position.text().startswith(tr("The suggestions could not be prepared:"))
    assert dialog.rows == [] and dialog.progress.maximum() == 1
    qtbot.keyClick(dialog, Qt.Key.Key_Return)  # nothing to decide: nothing happens
    assert spans(window) == []
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()

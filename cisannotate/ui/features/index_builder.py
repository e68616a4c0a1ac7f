"""The suggestion index, built in a worker thread while the window goes on.

Over an archive the index takes seconds to build (every transcript's lines,
tokenised, stemmed and cut into n-grams). ``IndexBuilder.start()`` runs
``suggestions.build_index`` in a QThread on a reader of the project
(``Store.reader``: a connection of its own, as SQLite connections belong to
one thread), and hands the result to the ``Suggester`` in the GUI thread,
which takes it only if the corpus has not changed meanwhile (else the build
starts again). ``ready`` is emitted then. ``cancel()`` stops a build at its
next check and waits for the thread: the window calls it before it closes
the project.

A project held only in memory (tests, scratch) has no file another
connection could read: its index is built in place, at once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ...core.lazy import load_now

# Loaded in the GUI thread before a worker starts on the suggestion code (see load_now).
SUGGESTION_LIBRARIES = ("numpy", "rapidfuzz")

if TYPE_CHECKING:  # the suggestion code loads with the first suggestion, not with the window
    from ...suggestions import Suggester


class _BuildThread(QThread):
    built = Signal(object, int)  # (index and labels, or None when cancelled or failed; generation)

    def __init__(self, suggester: "Suggester", generation: int, stop: threading.Event) -> None:
        super().__init__()
        self.store = suggester.store
        self.generation = generation
        self.stop = stop
        self.error: BaseException | None = None

    def run(self) -> None:
        from ... import suggestions
        from ...core.suggest import IndexCancelled

        result: Any = None
        try:
            reader = self.store.reader()
            try:
                result = suggestions.build_index(reader, cancelled=self.stop.is_set)
            finally:
                reader.close()
        except IndexCancelled:
            result = None
        except Exception as exc:  # reported in the GUI thread; the next query builds in place
            self.error = exc
        self.built.emit(result, self.generation)


class IndexBuilder(QObject):
    ready = Signal()
    failed = Signal(str)

    def __init__(self, suggester: "Suggester", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.suggester = suggester
        self._thread: _BuildThread | None = None
        self._stop = threading.Event()
        self._closed = False

    @property
    def building(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Build the index unless it is ready or being built; ``ready`` when it is installed."""
        if self._closed or self.building or self.suggester.ready:
            return
        if self.suggester.store.path is None:
            self.suggester.index  # noqa: B018 - builds it in place
            self.ready.emit()
            return
        load_now(*SUGGESTION_LIBRARIES)
        self._stop = threading.Event()
        thread = _BuildThread(self.suggester, self.suggester.generation, self._stop)
        thread.built.connect(self._built)  # queued: this object lives in the GUI thread
        self._thread = thread
        thread.start()

    @Slot(object, int)
    def _built(self, result: Any, generation: int) -> None:
        thread = self._thread
        if thread is None:
            return
        thread.wait()
        self._thread = None
        thread.deleteLater()
        if self._closed:
            return
        if result is not None and self.suggester.install(result, generation):
            self.ready.emit()
        elif thread.error is not None:
            self.failed.emit(str(thread.error))
        elif not self._stop.is_set():
            self.start()  # the corpus changed while it was built: build it again

    def cancel(self) -> None:
        """Stop a build in progress and wait for its thread; nothing is built after this."""
        self._closed = True
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.wait()
            self._thread = None
            thread.deleteLater()


class _ReadThread(QThread):
    finished_reading = Signal()

    def __init__(self, call: Callable[[], object]) -> None:
        super().__init__()
        self.call = call
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.call()
        except Exception as exc:  # the next query reads the article in place, and reports
            self.error = exc
        self.finished_reading.emit()


class ArticleReader(QObject):
    """Reads an article for the ranking's ``order`` feature in a worker thread.

    A query ranks a span with the help of the article's other sentences, each ranked
    alone once per article (``SourceIndex.read_article``: about 0.1 s for twenty
    sentences over 10,000 lines, more over an archive). The window has it done here
    when an article is shown and when the first suggestion is asked for, so that the
    queries themselves stay quick. The call touches only the built index, never the
    project's connection. ``read`` is emitted in the GUI thread when it is done.
    """

    read = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: _ReadThread | None = None
        self._closed = False

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, call: Callable[[], object]) -> bool:
        """Run ``call`` in the worker unless one is running (False then: ask again on ``read``)."""
        if self._closed or self.busy:
            return False
        load_now(*SUGGESTION_LIBRARIES)
        thread = _ReadThread(call)
        thread.finished_reading.connect(self._done)  # queued: this object lives in the GUI thread
        self._thread = thread
        thread.start()
        return True

    @Slot()
    def _done(self) -> None:
        thread = self._thread
        if thread is None:
            return
        thread.wait()
        self._thread = None
        thread.deleteLater()
        if not self._closed:
            self.read.emit()

    def cancel(self) -> None:
        """Wait for a reading in progress (it cannot be cut short); nothing is read after this."""
        self._closed = True
        thread = self._thread
        if thread is not None:
            thread.wait()
            self._thread = None
            thread.deleteLater()

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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

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

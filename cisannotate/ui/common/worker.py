"""Long work off the GUI thread: import, merge and export run in a worker thread.

``run_in_worker(parent, label, work)`` shows the window-modal progress dialog,
runs ``work(feedback)`` in a QThread and keeps the window painting until it
ends; it returns what ``work`` returned or raises what it raised, in the GUI
thread, so callers read as if the work ran in place.

The database is written from one thread at a time. The window's connection
is handed over to the worker for the duration (it is opened with
``check_same_thread=False``; it holds the project's one-writer lock, so a
second connection could not write anyway), and the GUI thread does not touch
the store meanwhile: the dialog is window-modal, so no edit can start, and
the views refresh only after the work returned. The worker never touches a
widget either: every progress report, label and question goes to the GUI
thread through a blocking queued signal, and the worker waits for it to be
handled. That makes cancel exact: once the dialog's Cancel was seen, the
worker's next ``cancelled()`` says so, and the service stops before its commit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from .progress import ProgressDialog

T = TypeVar("T")

_POLL_MS = 20  # how long the GUI thread waits for the worker between two rounds of events


class _Bridge(QObject):
    """Lives in the GUI thread; the worker emits, the GUI thread runs the slot while the worker waits."""

    request = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.request.connect(self._run, Qt.ConnectionType.BlockingQueuedConnection)

    @Slot(object)
    def _run(self, box: list[Any]) -> None:
        try:
            box.append(box[0]())
        except BaseException as exc:  # handed back to the worker, raised there
            box.append(_Raised(exc))


class _Raised:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


class Feedback:
    """What the work sees of the dialog: plain callables, safe to call from the worker thread."""

    def __init__(self, progress: ProgressDialog, bridge: _Bridge) -> None:
        self._progress = progress
        self._bridge = bridge
        self._cancelled = threading.Event()

    def on_gui(self, call: Callable[[], T]) -> T:
        """Run ``call`` in the GUI thread (a question to the user, say) and return its result."""
        if QThread.currentThread() == QApplication.instance().thread():
            return call()
        box: list[Any] = [call]
        self._bridge.request.emit(box)
        result = box[1]
        if isinstance(result, _Raised):
            raise result.exc
        return result

    def _check(self) -> None:
        if self._progress.dialog.wasCanceled():
            self._cancelled.set()

    def progress(self, done: int, total: int) -> None:
        def show() -> None:
            self._progress(done, total)
            self._check()

        self.on_gui(show)

    def label(self, text: str) -> None:
        self.on_gui(lambda: self._progress.set_label(text))

    def cannot_cancel(self, text: str) -> None:
        """From here on the work completes or changes nothing: no Cancel button."""
        self.on_gui(lambda: self._progress.cannot_cancel(text))

    def cancelled(self) -> bool:
        return self._cancelled.is_set()


class _Worker(QThread, Generic[T]):
    def __init__(self, work: Callable[[Feedback], T], feedback: Feedback) -> None:
        super().__init__()
        self.work = work
        self.feedback = feedback
        self.result: T | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work(self.feedback)
        except BaseException as exc:  # raised again in the GUI thread
            self.error = exc


def run_in_worker(
    parent: QWidget | None, label: str, work: Callable[[Feedback], T], *, title: str = "cisannotate"
) -> T:
    """Run ``work(feedback)`` in a worker thread under a progress dialog; its result or its exception."""
    progress = ProgressDialog(parent, label, title=title)
    bridge = _Bridge()
    feedback = Feedback(progress, bridge)
    worker: _Worker[T] = _Worker(work, feedback)
    try:
        worker.start()
        # Not a nested QEventLoop: a quit() that arrives before exec() would hang it. The wait is
        # short, and the events in between run the worker's blocking requests and paint the window.
        while not worker.wait(_POLL_MS):
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, _POLL_MS)
            feedback._check()
    finally:
        progress.close()
        bridge.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result  # type: ignore[return-value]

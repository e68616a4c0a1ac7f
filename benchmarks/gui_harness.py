"""The GUI half of ``benchmarks/run.py``: one measure in a fresh process.

``python benchmarks/gui_harness.py MODE PROJECT DATA_DIR [ARG]`` prints one
line ``BENCH_RESULT {json}`` and exits. Modes:

launch   run the real ``cisannotate.app.run_gui`` on PROJECT; report the time
         from $BENCH_T0 (the parent's clock just before it started this
         process) to the end of the window's first paint.
open     start the window, let it settle, then open the article ARG (whose
         transcript opens beside it); report the time to the end of the
         transcript's first paint.
add      with ARG open, mark a claim in the transcript ($BENCH_N times): key
         press on the real window to the repainted highlight.
scroll   with ARG open, scroll article and transcript by a page ($BENCH_N
         times each) to the repainted highlights and connectors; and time
         ``workspace.repaint()`` alone.
scroll_floor
         the floor of ``scroll``: a bare PySide6 window (1400x860) with a
         ``QPlainTextEdit`` holding the text file ARG, scrolled by a page and
         repainted the same way, nothing of cisannotate imported.
filter   type "report 12" into the corpus navigator's filter and erase it, a
         key at a time: key press to the repainted list.
navigator
         build the corpus tree of PROJECT (its 2,000 documents) and refresh it
         once; each beside the one ``Store.documents()`` query it rests on.

Every mode also reports the process's peak resident memory (ru_maxrss).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _emit(result: dict) -> None:
    result["peak_rss_mb"] = _peak_mb()
    sys.stdout.write("BENCH_RESULT " + json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)  # no teardown: nothing is saved, the next run starts as clean as this one


def launch(project: str, data_dir: str) -> None:
    t0 = float(os.environ["BENCH_T0"])
    from cisannotate import app as app_module  # noqa: E402 (timed: part of starting up)

    build = app_module.build_window

    def build_and_watch(*args, **kwargs):
        from PySide6.QtCore import QEvent, QObject, QTimer

        window = build(*args, **kwargs)
        window.persist_layout = False

        class FirstPaint(QObject):
            seen = False

            def eventFilter(self, obj, event):  # noqa: N802
                if not self.seen and event.type() == QEvent.Type.Paint:
                    self.seen = True
                    # Runs after the whole paint pass of the window has finished.
                    QTimer.singleShot(0, lambda: _emit({"seconds": time.time() - t0, "cpu": time.process_time()}))
                return False

        window._bench_filter = FirstPaint(window)
        from PySide6.QtWidgets import QApplication

        QApplication.instance().installEventFilter(window._bench_filter)
        return window

    app_module.build_window = build_and_watch
    app_module.run_gui(["--data-dir", data_dir, "--annotator", "bench", project])
    _emit({"error": "the event loop ended before the first paint"})


def _window(project: str, data_dir: str):
    from cisannotate import paths
    from cisannotate.app import build_window, make_application

    paths.set_data_dir(data_dir)
    app = make_application()
    window = build_window(Path(project), annotator="bench")
    window.persist_layout = False
    window.show()
    window.activateWindow()
    settle(app, 0.5)
    return app, window


def settle(app, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)


def open_big(project: str, data_dir: str, article: str) -> None:
    from PySide6.QtCore import QEvent, QObject

    app, window = _window(project, data_dir)
    viewport = window.workspace.transcript.view.viewport()

    class Painted(QObject):
        seen = False

        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    watcher = Painted()
    viewport.installEventFilter(watcher)
    start = time.perf_counter()
    window.open_document(article)
    while not watcher.seen and time.perf_counter() - start < 60:
        app.processEvents()
    seconds = time.perf_counter() - start
    ok = window.workspace.transcript.view.spans.by_id and window.workspace.canvas.links
    settle(app, 0.3)
    _emit({"seconds": seconds} if ok else {"error": "the big transcript did not open with its annotations"})


def _open(project: str, data_dir: str, article: str):
    app, window = _window(project, data_dir)
    window.open_document(article)
    settle(app, 0.5)
    return app, window


def _drain(app, view) -> None:
    """Process events until the view's deferred highlight refresh has run and been painted."""
    app.processEvents()
    while view._refresh_timer.isActive():
        app.processEvents()
    app.processEvents()


def add(project: str, data_dir: str, article: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    n = int(os.environ.get("BENCH_N", "50"))
    app, window = _open(project, data_dir, article)
    view = window.workspace.transcript.view
    window.workspace.article.view.select_range(0, 0)
    view.setFocus()
    category = window.session.store.categories()[0]
    key = getattr(Qt.Key, f"Key_{category.shortcut.upper()}")
    times, cpu = [], []
    for i in range(n):
        line = view.line(1 + (1 + i * 197) % len(view.lines))  # source lines are numbered from 1
        view.scroll_to(line.start, line.end)
        _drain(app, view)
        end = min(line.end, line.start + 60)
        view.select_range(line.start, end)
        _drain(app, view)
        before = len(view.spans.by_id)
        start, start_cpu = time.perf_counter(), time.process_time()
        QTest.keyClick(view, key)
        _drain(app, view)
        view.viewport().repaint()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        if len(view.spans.by_id) != before + 1:
            _emit({"error": f"the key {category.shortcut} added no claim (add {i + 1})"})
    _emit({"samples": times, "cpu": cpu})


def scroll(project: str, data_dir: str, article: str) -> None:
    n = int(os.environ.get("BENCH_N", "40"))
    app, window = _open(project, data_dir, article)
    workspace = window.workspace
    result: dict[str, list[float]] = {"article": [], "transcript": [], "repaint": []}
    cpu: dict[str, list[float]] = {"article": [], "transcript": [], "repaint": []}  # process CPU time, all threads
    for side in ("article", "transcript"):
        view = getattr(workspace, side).view
        bar = view.verticalScrollBar()
        bar.setValue(bar.maximum() // 3)
        settle(app, 0.2)
        for _ in range(n):
            start, start_cpu = time.perf_counter(), time.process_time()
            bar.setValue(bar.value() + bar.pageStep())
            _drain(app, view)
            result[side].append(time.perf_counter() - start)
            cpu[side].append(time.process_time() - start_cpu)
            settle(app, 0.15)  # the transcript follows the article after 120 ms
            start, start_cpu = time.perf_counter(), time.process_time()
            workspace.repaint()
            result["repaint"].append(time.perf_counter() - start)
            cpu["repaint"].append(time.process_time() - start_cpu)
    drawn = len(workspace.canvas._drawn)
    view = workspace.transcript.view
    start, end = view.visible_range()
    spans_in_view = sum(1 for s in view.extraSelections()
                        if view.from_qt(s.cursor.selectionEnd()) > start and view.from_qt(s.cursor.selectionStart()) < end)
    _emit({"samples": result, "cpu": cpu, "connectors_drawn": drawn, "highlights_in_view": spans_in_view})


def scroll_floor(text_file: str) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit

    n = int(os.environ.get("BENCH_N", "40"))
    app = QApplication([])
    window = QMainWindow()
    editor = QPlainTextEdit()
    editor.setReadOnly(True)
    editor.setPlainText(Path(text_file).read_text(encoding="utf-8"))
    window.setCentralWidget(editor)
    window.resize(1400, 860)
    window.show()
    settle(app, 0.5)
    bar = editor.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)
    settle(app, 0.2)
    result: dict[str, list[float]] = {"scroll": [], "repaint": []}
    cpu: dict[str, list[float]] = {"scroll": [], "repaint": []}
    for _ in range(2 * n):
        start, start_cpu = time.perf_counter(), time.process_time()
        bar.setValue(bar.value() + bar.pageStep())
        app.processEvents()
        result["scroll"].append(time.perf_counter() - start)
        cpu["scroll"].append(time.process_time() - start_cpu)
        settle(app, 0.15)
        start, start_cpu = time.perf_counter(), time.process_time()
        window.repaint()
        result["repaint"].append(time.perf_counter() - start)
        cpu["repaint"].append(time.process_time() - start_cpu)
    _emit({"samples": result, "cpu": cpu})


def filter_navigator(project: str, data_dir: str) -> None:
    """Type a query into the corpus navigator's filter, one key at a time (then erase it):
    key press to the repainted list, each."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    app, window = _window(project, data_dir)
    # The full check of the file runs beside the window for its first seconds (a thread of
    # the same process, whose CPU time would count in each key's): typing starts after it.
    verification = window.session.store.verification
    waited = time.perf_counter()
    while verification is not None and not verification.done:
        app.processEvents()
        time.sleep(0.01)
    waited = time.perf_counter() - waited
    settle(app, 0.5)
    navigator = window.navigator
    navigator.filter_edit.setFocus()
    tree = navigator.tree.viewport()
    samples, cpu = [], []
    keys = list("report 12") + [None] * 9  # None: Backspace
    for key in keys:
        start, start_cpu = time.perf_counter(), time.process_time()
        if key is None:
            QTest.keyClick(navigator.filter_edit, Qt.Key.Key_Backspace)
        else:
            QTest.keyClicks(navigator.filter_edit, key)
        app.processEvents()
        tree.repaint()
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)  # steadier than wall time on a busy machine
    _emit({"samples": samples, "cpu": cpu, "documents": navigator.model.document_count(), "check_waited": waited})


def navigator(project: str, data_dir: str) -> None:
    from PySide6.QtWidgets import QApplication

    from cisannotate import paths
    from cisannotate.app import make_application
    from cisannotate.storage import Store
    from cisannotate.ui.panels.navigator import CorpusNavigator

    paths.set_data_dir(data_dir)
    make_application()
    store = Store.open(Path(project), read_only=True)
    started = time.perf_counter()
    store.documents()
    query = time.perf_counter() - started
    started = time.perf_counter()
    tree = CorpusNavigator(store)
    tree.show()
    QApplication.processEvents()
    build = time.perf_counter() - started
    started = time.perf_counter()
    tree.refresh()
    QApplication.processEvents()
    refresh = time.perf_counter() - started
    _emit({"query": query, "build": build, "refresh": refresh})




def main() -> None:
    mode, project, data_dir = sys.argv[1:4]
    arg = sys.argv[4] if len(sys.argv) > 4 else ""
    if mode == "launch":
        launch(project, data_dir)
    elif mode == "open":
        open_big(project, data_dir, arg)
    elif mode == "add":
        add(project, data_dir, arg)
    elif mode == "scroll":
        scroll(project, data_dir, arg)
    elif mode == "scroll_floor":
        scroll_floor(arg)
    elif mode == "filter":
        filter_navigator(project, data_dir)
    elif mode == "navigator":
        navigator(project, data_dir)
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main()

"""The floor of the window measures: a bare PySide6 window showing a text.

``python benchmarks/bare_qt.py TEXT_FILE OUT.png [WIDTHxHEIGHT]`` loads the file's
text into a ``QPlainTextEdit`` in a window of that size (default 1400x860), shows
it, processes the events of its first paint, grabs the window and saves the PNG:
what ``cisannotate screenshot`` does, with nothing of cisannotate. The parent times
the whole process. With ``$BENCH_T0`` set (the parent's clock just before it
started this process), it also prints ``BENCH_RESULT {"seconds": ...}`` at the end
of the window's first paint, the floor of ``gui_harness.py launch``.
"""

import json
import os
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QPlainTextEdit


def main() -> int:
    path, out = sys.argv[1], sys.argv[2]
    width, height = (int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "1400x860").split("x"))
    t0 = os.environ.get("BENCH_T0")
    app = QApplication([])
    window = QMainWindow()
    editor = QPlainTextEdit()
    editor.setReadOnly(True)
    with open(path, encoding="utf-8") as handle:
        editor.setPlainText(handle.read())
    window.setCentralWidget(editor)
    window.resize(width, height)
    result = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if not result and event.type() == QEvent.Type.Paint:
                result["painted"] = True
                QTimer.singleShot(0, lambda: result.setdefault("seconds", time.time() - float(t0 or 0)))
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    window.show()
    while "seconds" not in result:
        app.processEvents()
    if not window.grab().save(out):
        print(f"{out}: could not write the image", file=sys.stderr)
        return 1
    if t0:
        sys.stdout.write("BENCH_RESULT " + json.dumps({"seconds": result["seconds"]}) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Run by tests/gui/test_start_imports.py in a fresh process: start the window on PROJECT
as ``cisannotate PROJECT`` does, and press feature shortcuts as soon as it is shown and active.

PROJECT exists (the test made it). Prints one JSON line: which deferred modules were loaded at show, and what each key did.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

DEFERRED = ("sqlite_utils", "cisannotate.storage.schema", "cisannotate.search", "cisannotate.core.agreement",
            "subprocess", "xml.etree.ElementTree", "html", "cisannotate.ui.dialogs.small_dialogs",
            "cisannotate.ui.dialogs.codebook_dialog", "cisannotate.ui.document.tag_popup")


def main(project: str) -> None:
    from cisannotate import app, paths

    project = Path(project)
    paths.set_data_dir(project.parent / "data")
    qt_app = app.make_application()
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    window = app.open_window(project, annotator="tester")
    window.persist_layout = False
    window.show()
    window.activateWindow()
    deadline = time.monotonic() + 10
    while QApplication.activeWindow() is not window and time.monotonic() < deadline:
        qt_app.processEvents()
    result: dict = {"active": QApplication.activeWindow() is window,
                    "loaded_at_show": sorted(name for name in DEFERRED if name in sys.modules)}

    def focused():
        return QApplication.focusWidget() or window

    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    # Find in corpus: the search panel comes up with its query focused; a query lists its hits.
    QTest.keyClick(focused(), Qt.Key.Key_F, ctrl_shift)
    qt_app.processEvents()
    search = window.corpus_search
    result["search_visible"] = window.search_dock.isVisible()
    result["search_focused"] = QApplication.focusWidget() is search.query
    QTest.keyClicks(focused(), "Ostmark")
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    qt_app.processEvents()
    result["search_rows"] = search.results.rowCount()
    # The agreement report of the sample's two annotators.
    QTest.keyClick(window.workspace.article.view, Qt.Key.Key_R, ctrl_shift)
    qt_app.processEvents()
    dialog = window.review.agreement_dialog
    result["agreement_open"] = dialog is not None and dialog.isVisible()
    # A span's tooltip (rich text, escaped).
    span = next(iter(window.workspace.article.view.spans.ordered), None)
    result["tooltip"] = window.styler.describe(span) if span is not None else ""
    result["loaded_after"] = sorted(name for name in DEFERRED if name in sys.modules)
    if dialog is not None:
        dialog.close()
    window.close()
    sys.stdout.write("PROBE " + json.dumps(result) + "\n")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])

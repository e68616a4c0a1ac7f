"""The window in Russian, for checking that nothing is left in English: the main window,
the Source panel's suggestions for a selection, the pre-annotation and align dialogs and the
Findings dock, the window at 1400x860, on a copy of the sample project.

Usage: python tools/screenshots_russian.py OUT_FOLDER [--language ru]
Writes main.png, suggestions.png, propose.png, align.png and findings.png into
OUT_FOLDER. Runs on the current Qt platform (offscreen unless set).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

SIZE = (1400, 860)


def settle(app, seconds: float = 0.6) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--language", default="ru")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["CISANNOTATE_LANGUAGE"] = args.language
    from PySide6.QtCore import QTimer

    from cisannotate import paths
    from cisannotate.app import build_window, make_application
    from cisannotate.sample import create_sample_project
    from cisannotate.ui.common import i18n
    from cisannotate.ui.dialogs.propose_dialog import ProposeDialog
    from cisannotate.ui.common.theme import apply_appearance

    args.out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    apply_appearance(app, "light")
    i18n.install(app, args.language)
    with tempfile.TemporaryDirectory() as folder:
        paths.set_data_dir(Path(folder) / "data")
        project = Path(folder) / "sample.cisannotate"
        create_sample_project(project).close()
        window = build_window(project, annotator="anna")
        window.persist_layout = False
        window.resize(*SIZE)
        window.show()
        window.activateWindow()
        settle(app)
        store = window.session.store
        article = store.resolve_document("report_meridian.txt")
        window.open_document(article.id)
        settle(app)
        window.grab().save(str(args.out / "main.png"))

        view = window.workspace.article.view
        at = view.text.index("Veland will open a cyber defence centre")
        view.setFocus()
        view.select_range(at, at + len("Veland will open a cyber defence centre for the entire Arvel Compact"))
        settle(app, 1.0)
        window.grab().save(str(args.out / "suggestions.png"))
        view.select_range(at, at)

        def grab_dialog() -> None:
            dialog = app.activeModalWidget()
            if dialog is not None:
                dialog.resize(900, 560)
                settle(app)
                dialog.grab().save(str(args.out / "propose.png"))
                if os.environ.get("QT_QPA_PLATFORM") != "offscreen":  # the dialog over the window, as seen
                    dialog.move(window.geometry().center() - dialog.rect().center())
                    settle(app)
                    app.primaryScreen().grabWindow(0, window.x(), window.y(), *SIZE).save(
                        str(args.out / "propose-window.png"))
                dialog.reject()

        QTimer.singleShot(800, grab_dialog)
        assert ProposeDialog is not None  # the dialog Ctrl+Shift+P opens
        window.linking.propose_claims()
        settle(app)

        def grab_align() -> None:
            dialog = app.activeModalWidget()
            if dialog is not None:
                dialog.resize(900, 560)
                dialog.go(2)  # a sentence with a proposal and a suggestion
                settle(app)
                dialog.grab().save(str(args.out / "align.png"))
                dialog.reject()

        QTimer.singleShot(800, grab_align)
        window.linking.align_article()
        settle(app)

        window.findings.show()
        settle(app, 1.5)
        window.findings.view.select("fidelity", "distortion")
        settle(app, 1.0)
        window.grab().save(str(args.out / "findings.png"))
        window.close()
        store.close()
    print(f"wrote main.png, suggestions.png, propose.png, align.png and findings.png into {args.out}")


if __name__ == "__main__":
    main()

"""The composition root: arguments, QApplication, the project, the window."""

from __future__ import annotations

import argparse
import getpass
import os
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__, paths


def make_settings():
    """The one QSettings of the application, in an INI file in the data folder."""
    from PySide6.QtCore import QSettings

    return QSettings(str(paths.settings_path()), QSettings.Format.IniFormat)


def make_application(argv: Sequence[str] = ()):
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    # Qt's raster engine hands every large fill (a connector band, a highlight) to a pool of
    # threads and waits for them; on a busy two-core machine the hand-off costs more CPU and
    # wall time than the fill itself (docs/benchmarks.md). Read by Qt when it first paints.
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    app = QApplication.instance()
    if app is None:
        app = QApplication(["cisannotate", *argv])
    app.setApplicationName("cisannotate")
    app.setApplicationDisplayName("cisannotate")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("org.cisannotate.cisannotate")
    icon = paths.resources_dir() / "icons" / "cisannotate.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


def ensure_default_project() -> Path:
    """The user's default project, created from the sample on first run."""
    path = paths.default_project_path()
    if not path.exists():
        from .sample import create_sample_project

        create_sample_project(path).close()
    return path


def open_project(project: Path, *, read_only: bool = False, backup: bool = True):
    """Open ``project`` for a window: its full check and backup copy run beside the window
    (``storage/verify.py``), and nothing is written to it before they have passed."""
    from .storage import Store

    return Store.open(project, read_only=read_only, background_check=True, backup=backup)


def build_window(project: Path, *, annotator: str | None = None, read_only: bool = False, ask_name: bool = False,
                 store=None):
    """Open ``project`` (or take ``store``, open on it) and build the main window over it (the caller shows it)."""
    from .session import Session
    from .ui.window.main_window import MainWindow

    settings = make_settings()
    watch = store is None  # a caller that opened the store itself answers for its check
    if store is None:
        store = open_project(project, read_only=read_only)
    name = annotator or str(settings.value("annotator/name", "") or "")
    if not name:
        from .ui.dialogs.small_dialogs import ask_annotator_name

        name = (ask_annotator_name(None, default_annotator()) if ask_name else None) or default_annotator()
        settings.setValue("annotator/name", name)
    session = Session(store, name)
    window = MainWindow(session, settings, opener=open_window)
    if store.backup_problem:
        # Stays until another message replaces it: the user should not assume a copy exists.
        window.statusBar().showMessage(store.backup_problem)
    if watch and store.verification is not None:
        _watch_verification(window, store)
    return window


def _watch_verification(window, store) -> None:
    """When the project's full check ends: a file that failed is refused (the window closes,
    nothing having been written); a backup that could not be taken is told in the status bar."""
    from PySide6.QtCore import QTimer

    timer = QTimer(window)
    timer.setInterval(50)
    timer.setObjectName("verification")

    def poll() -> None:
        verification = store.verification
        if verification is None or not verification.done:
            return
        timer.stop()
        if verification.error is not None:
            refuse_damaged(window, str(verification.error))
            return
        store.ungate()
        if verification.backup_problem:
            window.statusBar().showMessage(verification.backup_problem)

    timer.timeout.connect(poll)
    timer.start()
    window._verification_timer = timer


def refuse_damaged(window, message: str) -> None:
    """Tell the user the project failed its check, and close its window (nothing was written)."""
    from PySide6.QtWidgets import QMessageBox

    print(f"cisannotate: {message}", file=sys.stderr)
    window.persist_layout = False
    QMessageBox.critical(window, "cisannotate", message)
    window.close()


def parse_gui_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="cisannotate", description="Open the cisannotate window.")
    parser.add_argument("project", nargs="?", help="project file to open or create (default: your project)")
    parser.add_argument("--data-dir", help=f"folder for the default project and settings (or ${paths.ENV_DATA_DIR})")
    parser.add_argument("--annotator", help="your name, stored with every annotation")
    parser.add_argument("--read-only", action="store_true", help="open the project without changing it")
    return parser.parse_args(argv)


# Top-level windows are kept here while they are open (a window without a Python
# reference would be deleted); File > Open puts a new one in the old one's place.
_open_windows: list = []


def open_window(project: Path, parent=None, *, annotator: str | None = None, read_only: bool = False):
    """Build a window over ``project``; None, after telling the user why, if it cannot be opened.

    A project open for editing elsewhere may be opened read-only instead: two
    writers would keep two undo histories over one file.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from .storage import ProjectError, ProjectLocked
    from .ui.dialogs.project_locked import ask_open_read_only

    try:
        try:
            window = build_window(project, annotator=annotator, read_only=read_only, ask_name=parent is None)
        except ProjectLocked as exc:
            if not ask_open_read_only(str(exc), parent):
                print(f"cisannotate: {exc}", file=sys.stderr)
                return None
            window = build_window(project, annotator=annotator, read_only=True, ask_name=parent is None)
    except ProjectError as exc:
        QMessageBox.critical(parent, "cisannotate", str(exc))
        print(f"cisannotate: {exc}", file=sys.stderr)
        return None
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_windows.append(window)
    window.destroyed.connect(lambda *_: _open_windows.remove(window) if window in _open_windows else None)
    return window


def confirm_new_project(project: Path) -> bool:
    """Ask before making a new, empty project where the command line named one that does not exist."""
    from PySide6.QtWidgets import QMessageBox

    answer = QMessageBox.question(
        None, "cisannotate",
        f"There is no project “{project.name}” in {project.resolve().parent}.\n\n"
        "Create a new, empty project there?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def run_gui(argv: Sequence[str]) -> int:
    args = parse_gui_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    app = make_application()
    from .storage import ProjectError
    from .ui.common.theme import apply_appearance, saved_mode

    apply_appearance(app, saved_mode(make_settings()))
    from .ui.common import i18n

    i18n.install(app, i18n.chosen_language(make_settings()))
    try:
        project = Path(args.project) if args.project else ensure_default_project()
    except ProjectError as exc:
        print(f"cisannotate: {exc}", file=sys.stderr)
        return 1
    if args.project and not project.exists() and not confirm_new_project(project):
        # A misspelt name must not become an empty project silently.
        print(f"cisannotate: {project}: no such project; nothing was created", file=sys.stderr)
        return 1
    window = open_window(project, annotator=args.annotator, read_only=args.read_only)
    if window is None:
        return 1
    window.show()
    return app.exec()  # each window closed its project as it closed


PICTURE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP"}


def check_picture_path(out: Path, project: Path) -> None:
    """Refuse a picture's target before anything opens it (OutputPathError, an OSError).

    The suffix must name a picture format; the target must be a new name or a
    regular file that is neither the project (under any name) nor a database.
    """
    from .storage.atomic import OutputPathError, check_output_path

    out = Path(out)
    if out.suffix.lower() not in PICTURE_FORMATS:
        raise OutputPathError(
            f"{out}: a screenshot is saved as a picture; end the name in "
            + ", ".join(sorted(PICTURE_FORMATS))
            + " (e.g. window.png)"
        )
    if not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    check_output_path(out, protect=[Path(project)])


def screenshot(
    project: Path,
    out: Path,
    *,
    document: str | None = None,
    size: tuple[int, int] = (1400, 860),
    appearance: str = "light",
    review: bool = False,
    findings: bool = False,
) -> Path:
    """Render the main window offscreen with ``document`` open, in the light or dark appearance, as PNG.

    A claim with links is selected, so the Source panel shows its work; with ``review``
    the Review panel is raised at the first disagreement; with ``findings`` the Findings
    view is shown. ``out`` is checked (``check_picture_path``) before anything is rendered
    or opened, and the picture is written beside it and renamed into place.
    """
    check_picture_path(out, project)
    from .storage import ProjectError

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    _quiet_size_hints()
    from .ui.common.theme import apply_appearance

    apply_appearance(app, appearance)
    from .ui.common import i18n

    i18n.install(app, i18n.chosen_language(None))  # the system's, or $CISANNOTATE_LANGUAGE
    # Render a copy, so the picture shows the window as a user sees it (not read-only)
    # while the project itself is left untouched; with settings of its own, so the picture
    # has the first-run layout and the user's settings and backups folder are not touched.
    import tempfile

    from .storage import verified
    from .storage.project import reading_connection

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / project.name
        # A project already checked in full and unchanged since (storage/verified.py) makes a
        # copy that needs no full check again; one that passes it here is noted as checked.
        identity = verified.identity(project)
        source = reading_connection(project)
        target = sqlite3.connect(copy)
        source.backup(target)
        source.close()
        target.close()
        if verified.identity(project) != identity:
            identity = None  # changed while it was copied: the copy is not of those bytes
        known = identity is not None and verified.is_noted(project, identity)
        previous = paths.data_dir_override()
        paths.set_data_dir(Path(folder) / "data")
        try:
            picture = _render(app, copy, out, document, size, review, findings, (project,), known=known)
        except ProjectError as exc:
            # The copy's messages name the project itself, which is what the user gave.
            raise type(exc)(str(exc).replace(str(copy), str(project))) from None
        finally:
            paths.set_data_dir(previous)
        if identity is not None and not known:
            verified.note(project, identity)
        return picture


def _quiet_size_hints() -> None:
    """Drop the offscreen platform's "does not support propagateSizeHints()" warnings; keep the rest."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(kind, context, message):
        if "propagateSizeHints" in message:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


def _settle(app, window, limit: float = 5.0) -> None:
    """Run the window's deferred work now and process events until none is pending.

    Deferred work is a single-shot timer of the window (highlights for the viewport, the
    transcript following the article) or the suggestion index being built in its thread:
    a picture has no typing to wait for, so each pending timer is fired at once (restarted with no delay; its interval is restored
    afterwards) instead of after its pause.
    """
    from PySide6.QtCore import QTimer

    deadline = time.monotonic() + limit
    intervals: dict = {}
    app.processEvents()
    try:
        while time.monotonic() < deadline:
            pending = [t for t in window.findChildren(QTimer) if t.isActive() and t.isSingleShot()]
            if not pending and window.linking.index_building:
                # The suggestions a user sees a moment after opening: wait for their index.
                app.processEvents()
                time.sleep(0.01)
                continue
            if not pending:
                app.processEvents()  # what the last timers posted (repaints)
                return
            for timer in pending:
                if timer.interval() > 0:
                    intervals.setdefault(timer, timer.interval())
                    timer.start(0)
            app.processEvents()
    finally:
        for timer, interval in intervals.items():
            if not timer.isActive():
                timer.setInterval(interval)
            else:
                timer.start(interval)


def _render(app, project: Path, out: Path, document: str | None, size: tuple[int, int],
            review: bool = False, findings: bool = False, protected: Sequence[Path] = (),
            known: bool = False) -> Path:
    document_id = None
    # The copy is thrown away afterwards: no backup copy of it is taken.
    from .storage import Store

    store = Store.open(project, background_check=True, backup=False, known=known)
    try:
        if document:
            # The window opens it first (as a user's last document), instead of opening the
            # first article and its transcript only to replace them.
            document_id = store.resolve_document(document).id
            make_settings().setValue("project/last_document", document_id)
        window = build_window(project, annotator="screenshot", store=store)
    except BaseException:
        store.close()
        raise
    window.persist_layout = False
    window.resize(*size)
    if document_id and document_id not in window.workspace.shown_ids():
        window.open_document(document_id)
    window.show()
    if findings:
        window.findings.show()
        window.findings.view.select("fidelity", "distortion")  # the claims behind a bar, listed and opened
    # Let the deferred work run (highlights for the viewport, the transcript following the article).
    _settle(app, window)
    # A claim with links selected: the Source panel shows its suggestions, links and comparison.
    article = window.workspace.article
    linked = set(window.workspace.canvas.span_ranges)
    claim = next((s for s in article.view.spans.ordered if s.id in linked), None)
    if claim is not None and not findings:
        window.workspace.select_span(claim.id, scroll=True)
    if review:
        window.review.dock.show()
        window.review.dock.raise_()
        _settle(app, window)
        window.review.step(1)
    _settle(app, window)
    image = window.grab()
    if store.verification is not None:
        try:
            store.verification.require()  # a project that fails its full check is not pictured
        except BaseException:
            window.close()
            store.close()
            raise
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from .storage.atomic import write_atomic

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # Encoded in memory: nothing opens ``out`` until the picture exists whole.
    if not image.save(buffer, PICTURE_FORMATS[out.suffix.lower()]):
        raise OSError(f"{out}: could not encode the image")
    buffer.close()
    write_atomic(out, bytes(data.data()), protect=protected)
    window.close()
    window.session.store.close()
    return out

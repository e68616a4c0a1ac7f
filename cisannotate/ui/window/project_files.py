"""The main window's files: importing, exporting and merging, new, open, the sample, restoring a backup.

A part of ``MainWindow`` (a mixin it inherits). Another project opens in a new window
that takes this one's place, through the opener the app passes in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMainWindow, QMessageBox


def user_documents_folder() -> Path:
    """The user's Documents folder if there is one, else the home folder."""
    from PySide6.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


class ProjectFiles:
    """The File menu's work on files and projects (mixed into ``MainWindow``)."""

    def import_documents(self) -> None:
        from ..dialogs.import_dialog import import_interactively

        report = import_interactively(self, self.session)
        if report is not None and report.added:
            self.statusBar().showMessage(f"Imported {len(report.added)} documents.", 6000)

    def export_annotations(self) -> None:
        from ..dialogs.exchange_dialogs import export_interactively

        summary = export_interactively(self, self.session)
        if summary is not None:
            self.statusBar().showMessage(f"Exported to {summary.path}.", 8000)

    def merge_annotations(self) -> None:
        from ..dialogs.exchange_dialogs import merge_interactively

        merge_interactively(self, self.session)  # a merge announces itself through session.changed

    def new_project(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(
            self, "New project", str(self.project_folder() / "untitled.cisannotate"),
            "cisannotate projects (*.cisannotate);;All files (*)")
        if name:
            path = Path(name)
            if path.suffix == "":
                path = path.with_suffix(".cisannotate")
            if path.exists() and path.stat().st_size > 0:
                QMessageBox.warning(self, "New project", f"{path} already exists; choose another name.")
                return
            self.switch_to(path)

    def open_sample(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        from ...sample import SampleError, create_sample_project

        name, _ = QFileDialog.getSaveFileName(
            self, "Save the sample project as", str(self.project_folder() / "sample.cisannotate"),
            "cisannotate projects (*.cisannotate);;All files (*)")
        if not name:
            return
        path = Path(name) if Path(name).suffix else Path(name).with_suffix(".cisannotate")
        if path.exists() and path.stat().st_size > 0:
            QMessageBox.warning(self, "Open the sample project", f"{path} already exists; choose another name.")
            return
        try:
            create_sample_project(path).close()
        except (SampleError, OSError) as exc:
            QMessageBox.warning(self, "Open the sample project", f"The sample could not be written to {path}: {exc}")
            return
        self.switch_to(path)

    def open_project_dialog(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(self, "Open project", str(self.project_folder()),
                                              "cisannotate projects (*.cisannotate);;All files (*)")
        if name:
            self.switch_to(Path(name))

    def project_folder(self) -> Path:
        """Where the file dialogs start: the current project's folder, unless that is the app's own
        (hidden) data folder, where the default project lives; then the user's Documents or home."""
        from ... import paths

        path = self.session.store.path
        if path is not None:
            try:
                path.resolve().relative_to(paths.data_dir().resolve())
            except ValueError:
                return path.parent
        return user_documents_folder()

    _project_folder = project_folder  # its earlier name

    def switch_to(self, path: Path, *, closed: bool = False) -> QMainWindow | None:
        """Open ``path`` in a new window that takes this one's place; None if it was refused.

        ``closed``: this window's project was already closed (a restore), so the
        new window is the only way on, and this one closes whatever happens.
        """
        current = self.session.store.path
        if not closed and current is not None and path.resolve() == current.resolve():
            return self
        if not closed:
            self.save_layout()
        window = self.opener(path, self) if self.opener is not None else None
        if window is None:
            if closed:
                self.close()
            return None
        window.setGeometry(self.geometry())
        window.show()
        self.close()
        return window

    def restore_backup(self) -> None:
        from ..dialogs.backups_dialog import restore_from_backup

        path = self.session.store.path
        if path is None:
            return
        if self.session.read_only:
            QMessageBox.information(self, "Restore from backup",
                                    "The project is open read-only here, so it cannot be restored from this window.")
            return

        def close_project() -> None:  # the restore needs the writer lock
            self.save_layout()
            self._release_project()

        restored = restore_from_backup(path, self, close_project)
        if restored is not None:
            self.switch_to(restored, closed=True)

"""File > Import documents…: choose files or folders, a manifest, then import under a progress dialog.

Reading and segmenting the files is the long part; it runs first and can be
cancelled with nothing written. The prepared documents are then written in one
transaction, so an import is never half done.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...io.folders import folder_manifest
from ...services import Cancelled, ServiceError, importing
from ...services.importing import ImportReport
from ...session import Session
from ..common.worker import Feedback, run_in_worker

FILE_FILTER = "Texts (*.txt *.text *.md *.html *.htm);;All files (*)"
KINDS = (("Decide by the manifest or the file (article unless a manifest says)", None),
         ("Articles", "article"), ("Transcripts", "transcript"))


class ImportDialog(QDialog):
    """Which files, which manifest, which kind and encoding."""

    def __init__(self, start: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start = start
        self.setWindowTitle("Import documents")
        self.setAccessibleName("Import documents")
        self.resize(640, 420)
        self.paths = QListWidget(self)
        self.paths.setAccessibleName("Files and folders to import")
        self.paths.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        add_files = QPushButton("Add &files…", self)
        add_files.clicked.connect(self.add_files)
        add_folder = QPushButton("Add f&older…", self)
        add_folder.clicked.connect(self.add_folder)
        remove = QPushButton("&Remove", self)
        remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        for button in (add_files, add_folder, remove):
            row.addWidget(button)
        row.addStretch(1)

        self.manifest = QLineEdit(self)
        self.manifest.setPlaceholderText("none: file names become titles")
        self.manifest.setAccessibleName("Manifest CSV")
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self.choose_manifest)
        manifest_row = QHBoxLayout()
        manifest_row.addWidget(self.manifest, 1)
        manifest_row.addWidget(browse)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of document")
        for label, value in KINDS:
            self.kind.addItem(label, value)
        self.encoding = QComboBox(self)
        self.encoding.setEditable(True)
        self.encoding.setAccessibleName("Encoding")
        self.encoding.addItems(["Detect", "utf-8", "windows-1251", "koi8-r", "iso-8859-1", "windows-1252"])
        form = QFormLayout()
        manifest_label = QLabel("&Manifest:", self)
        manifest_label.setBuddy(self.manifest)  # a label beside a layout has no buddy of its own
        form.addRow(manifest_label, manifest_row)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Encoding:", self.encoding)
        self.whole_page = QCheckBox("Of a web page, keep the &whole page text (navigation, banners, footer)", self)
        self.whole_page.setAccessibleName("Keep the whole page text")
        self.whole_page.setToolTip("By default only the article is kept; the import report lists what was left "
                                   "out. The text of a document cannot be changed after import.")
        form.addRow(self.whole_page)

        hint = QLabel("A manifest CSV (file, kind, title, outlet, date, event, language, notes) gives each "
                      "file its metadata; a folder's manifest.csv is picked up when you add the folder.", self)
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.paths, 1)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        self.import_button.setEnabled(self.paths.count() > 0)

    def add_path(self, path: Path) -> None:
        self.paths.addItem(str(path))
        manifest = folder_manifest([path])  # the command line's rule, from the same function
        if manifest is not None and not self.manifest.text():
            self.manifest.setText(str(manifest))
        self._update()

    def add_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Add files to import", str(self.start), FILE_FILTER)
        for name in files:
            self.add_path(Path(name))

    def add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder to import (searched recursively)",
                                                  str(self.start))
        if folder:
            self.add_path(Path(folder))

    def remove_selected(self) -> None:
        for item in self.paths.selectedItems():
            self.paths.takeItem(self.paths.row(item))
        self._update()

    def choose_manifest(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Choose a manifest", str(self.start), "CSV (*.csv);;All files (*)")
        if name:
            self.manifest.setText(name)

    def selected_paths(self) -> list[Path]:
        return [Path(self.paths.item(i).text()) for i in range(self.paths.count())]

    def manifest_path(self) -> Path | None:
        text = self.manifest.text().strip()
        return Path(text) if text else None

    def kind_value(self) -> str | None:
        return self.kind.currentData()

    def whole_page_value(self) -> bool:
        return self.whole_page.isChecked()

    def encoding_value(self) -> str | None:
        text = self.encoding.currentText().strip()
        return None if not text or text == "Detect" else text


def run_import(
    parent: QWidget | None,
    session: Session,
    paths: list[Path],
    *,
    manifest: Path | None = None,
    kind: str | None = None,
    encoding: str | None = None,
    whole_page: bool = False,
) -> ImportReport | None:
    """Import under a cancellable progress dialog; None if cancelled or refused (nothing written).

    Reading and writing run in a worker thread (see ``worker.py``).
    """

    def work(feedback: Feedback) -> ImportReport:
        def step(done: int, total: int, path: Path) -> None:
            feedback.label(f"Reading {path.name} ({done + 1} of {total})…")
            feedback.progress(done, total)

        plan = importing.read(paths, manifest=manifest, kind=kind, encoding=encoding, whole_page=whole_page,
                              on_file=step, is_cancelled=feedback.cancelled)
        # The write is one transaction: it completes or changes nothing.
        feedback.cannot_cancel(f"Writing {len(plan.prepared)} documents…")
        return importing.write(session.store, plan)

    try:
        report = run_in_worker(parent, "Reading files…", work, title="Import documents")
    except Cancelled:
        return None
    except ServiceError as exc:
        QMessageBox.warning(parent, "Import documents", f"Nothing was imported.\n\n{exc}")
        return None
    if report.added:
        session.changed.emit(Changes(corpus=True), None)
    return report


def report_text(report: ImportReport) -> str:
    return "\n".join(report.added_lines() + report.notes + report.duplicates + report.skipped + report.problems)


def show_report(parent: QWidget | None, report: ImportReport) -> None:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Import report")
    dialog.setAccessibleName("Import report")
    summary = QLabel(
        f"{len(report.added)} documents imported, {len(report.duplicates)} already in the project, "
        f"{len(report.problems)} could not be imported, {len(report.skipped)} skipped.", dialog)
    summary.setWordWrap(True)
    details = QPlainTextEdit(report_text(report), dialog)
    details.setReadOnly(True)
    details.setAccessibleName("Details")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(summary)
    layout.addWidget(details)
    layout.addWidget(buttons)
    dialog.resize(680, 340)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


def import_interactively(parent: QWidget | None, session: Session) -> ImportReport | None:
    if session.read_only:
        QMessageBox.information(parent, "Import documents",
                                "The project is open read-only, so nothing can be imported into it.")
        return None
    start = session.store.path.parent if session.store.path else Path.home()
    dialog = ImportDialog(start, parent)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        paths, manifest = dialog.selected_paths(), dialog.manifest_path()
        kind, encoding = dialog.kind_value(), dialog.encoding_value()
        whole_page = dialog.whole_page_value()
    finally:
        dialog.deleteLater()
    report = run_import(parent, session, paths, manifest=manifest, kind=kind, encoding=encoding,
                        whole_page=whole_page)
    if report is not None:
        show_report(parent, report)
    return report

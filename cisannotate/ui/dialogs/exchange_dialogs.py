"""File > Export… and File > Import annotations…: the window's side of exchanging annotations.

Both run the same services as ``cisannotate export`` and ``cisannotate merge``,
in a worker thread under a progress dialog that can be cancelled: a cancelled export leaves no
file, a cancelled merge leaves the project as it was. A merge is not an
undoable action (it can add thousands of records to a shared history), so
the prompt before it says so, a backup copy of the project is taken first,
and the undo history is cleared afterwards, since its steps no longer
describe the project's state.
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
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ...io import formats as foreign  # the formats of other tools (io/formats)
from ...io.exchange import FORMATS, SUFFIXES, ExportOptions, ExportSummary
from ...io.merge import MergeReport
from ...services import Cancelled, ServiceError, exporting, merging
from ...session import Session
from ..common.worker import Feedback, run_in_worker

FORMAT_LABELS = {
    "json": "cisannotate JSON: to share with colleagues, who can merge it",
    "w3c": "W3C Web Annotation (JSON-LD): for other annotation tools",
    "tables": "Tables: documents, claims, links and lines as CSV in a zip, for R, pandas or a spreadsheet",
}
FILE_FILTERS = {
    "json": "cisannotate JSON (*.json)",
    "w3c": "W3C Web Annotation (*.jsonld *.json)",
    "tables": "Tables, CSV files in a zip (*.zip)",
}
FORMAT_LABELS.update({fmt: f"{label}: {foreign.PURPOSES[fmt]}" for fmt, label in foreign.LABELS.items()})
FILE_FILTERS.update({fmt: f"{foreign.LABELS[fmt]} (*{suffix})" for fmt, suffix in foreign.SUFFIXES.items()})
SUFFIXES = {**SUFFIXES, **foreign.SUFFIXES}
BEFORE_MERGE = merging.BEFORE_MERGE  # the reason in the name of the backup taken before a merge


class ExportDialog(QDialog):
    """Chooses what to export: the format, whether to carry the texts, and one layer or all."""

    def __init__(self, layers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export annotations")
        self.setAccessibleName("Export annotations")
        self.format_box = QComboBox(self)
        self.format_box.setAccessibleName("Format")
        for fmt in (*FORMATS, *foreign.FORMAT_NAMES):
            self.format_box.addItem(FORMAT_LABELS[fmt], fmt)
        self.with_text = QCheckBox("Include the &texts (a colleague without them can still merge)", self)
        self.with_text.setAccessibleName("Include the texts")
        self.excel = QCheckBox("For E&xcel (UTF-8 with a byte-order mark; cells starting with = + - @ quoted)", self)
        self.excel.setAccessibleName("For Excel")
        self.layer_box = QComboBox(self)
        self.layer_box.setAccessibleName("Layer")
        self.layer_box.addItem("All layers", None)
        for layer in layers:
            self.layer_box.addItem(layer, layer)
        format_label = QLabel("&Format", self)
        format_label.setBuddy(self.format_box)
        layer_label = QLabel("&Layer", self)
        layer_label.setBuddy(self.layer_box)
        form = QFormLayout()
        form.addRow(format_label, self.format_box)
        form.addRow(self.with_text)
        form.addRow(self.excel)
        form.addRow(layer_label, self.layer_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export…")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._format_changed()

    def _format_changed(self) -> None:
        # Only the native format can carry texts; W3C and CSV name a text by its hash.
        native = self.format_box.currentData() == "json"
        self.with_text.setEnabled(native)
        if not native:
            self.with_text.setChecked(False)
        tables = self.format_box.currentData() == "tables"
        self.excel.setEnabled(tables)
        if not tables:
            self.excel.setChecked(False)

    def options(self) -> ExportOptions:
        return ExportOptions(
            format=self.format_box.currentData(),
            with_text=self.with_text.isChecked(),
            annotator=self.layer_box.currentData(),
            excel=self.excel.isChecked(),
        )


def ask_export_options(parent: QWidget | None, session: Session) -> ExportOptions | None:
    dialog = ExportDialog(session.store.layers(), parent)
    try:
        return dialog.options() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def _start_folder(session: Session) -> Path:
    return session.store.path.parent if session.store.path is not None else Path.home()


def ask_export_path(parent: QWidget | None, session: Session, options: ExportOptions) -> Path | None:
    stem = session.store.path.stem if session.store.path is not None else "annotations"
    if options.annotator:
        stem += f"-{options.annotator}"
    suggested = _start_folder(session) / (stem + SUFFIXES[options.format])
    chosen, _ = QFileDialog.getSaveFileName(
        parent, "Export annotations", str(suggested), FILE_FILTERS[options.format]
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix else path.with_suffix(SUFFIXES[options.format])


def ask_merge_path(parent: QWidget | None, session: Session) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(
        parent, "Import annotations", str(_start_folder(session)),
        "cisannotate JSON (*.json);;Annotations of other tools (*.json *.jsonl *.zip *.qdpx *.xmi *.ann);;"
        "All files (*)",
    )
    return Path(chosen) if chosen else None


def export_interactively(parent: QWidget | None, session: Session) -> ExportSummary | None:
    """Ask what and where, then export; the summary (for the status bar), or None if nothing was written."""
    options = ask_export_options(parent, session)
    if options is None:
        return None
    path = ask_export_path(parent, session, options)
    if path is None:
        return None
    try:
        return run_in_worker(
            parent, f"Exporting annotations to {path.name}…",
            lambda feedback: exporting.export(session.store, path, options, on_progress=feedback.progress,
                                              is_cancelled=feedback.cancelled),
        )
    except Cancelled:
        return None
    except ServiceError as exc:
        QMessageBox.warning(parent, "Export annotations", f"{path.name} could not be written.\n\n{exc}")
        return None


def confirm_merge(parent: QWidget | None, path: Path, backed_up: bool) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Import annotations")
    box.setText(f"Merge the annotations in “{path.name}” into this project?")
    box.setInformativeText(
        "The merge is one step you can undo (Edit ▸ Undo, Ctrl+Z) like any other. "
        + ("A backup copy of the project is also taken first (File ▸ Restore from backup)."
           if backed_up else "")
        + "\n\nAnnotations whose text is missing or changed beyond recognition are listed afterwards, "
        "not guessed at; where the project already has a colleague's annotation in another version, "
        "the project's version is kept."
    )
    merge = box.addButton("&Merge", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(merge)
    box.exec()
    return box.clickedButton() is merge


def _merge_without_backup(parent: QWidget | None, problem: ServiceError) -> bool:
    """The backup before the merge failed: go on without a way back? (No is the default.)"""
    answer = QMessageBox.warning(
        parent, "Import annotations",
        f"No backup copy of the project could be taken ({problem}).\n\nMerge anyway, without a way back?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class MergeReportDialog(QDialog):
    """What a merge added, skipped, found in conflict and could not place."""

    def __init__(self, path: Path, report: MergeReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Annotations merged from {path.name}")
        self.setAccessibleName("Merge report")
        problems = len(report.conflicts) + len(report.unplaceable)
        if not report.changed:
            headline = "Nothing new: everything in the file is already in the project."
        else:
            headline = (
                f"Merged {report.added['spans']} annotations and {report.added['links']} links "
                f"from {path.name}."
            )
        if problems:
            headline += (
                f" {len(report.conflicts)} conflicts and {len(report.unplaceable)} annotations "
                "that could not be placed are listed below."
            )
        summary = QLabel(headline, self)
        summary.setWordWrap(True)
        self.details = QPlainTextEdit("\n".join(report.lines()), self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Details")
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(760, 420 if problems else 260)


def show_merge_report(parent: QWidget | None, path: Path, report: MergeReport) -> None:
    dialog = MergeReportDialog(path, report, parent)
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


def merge_interactively(parent: QWidget | None, session: Session) -> MergeReport | None:
    """Choose a colleague's export, confirm, merge under a progress dialog, show the report.

    Returns the report, or None when nothing was merged (cancelled, or the
    file was refused: a message then says why and where).
    """
    if session.read_only:
        QMessageBox.information(parent, "Import annotations",
                                "The project is open read-only, so nothing can be merged into it.")
        return None
    path = ask_merge_path(parent, session)
    if path is None:
        return None
    if not confirm_merge(parent, path, backed_up=session.store.path is not None):
        return None

    fmt = foreign.detect(path)  # another tool's file is read into a merge, its layer named by the file
    from .merge_undo import MergeUndo

    undo = MergeUndo(session, path.name)  # the project as it is now: where Undo goes back to

    def work(feedback: Feedback) -> merging.MergeResult:
        return merging.merge(
            session.store, path, fmt=fmt,
            if_no_backup=lambda problem: feedback.on_gui(lambda: _merge_without_backup(parent, problem)),
            on_progress=feedback.progress, is_cancelled=feedback.cancelled,
        )

    try:
        result = run_in_worker(parent, f"Merging annotations from {path.name}…", work)
    except Cancelled:
        undo.discard()
        return None
    except ServiceError as exc:
        undo.discard()
        QMessageBox.warning(parent, "Import annotations", f"Nothing was merged from {path.name}.\n\n{exc}")
        return None
    report = result.report
    if report.changed:
        undo.push()  # one step: Edit > Undo takes the whole merge back
        session.changed.emit(Changes(corpus=True, codebook=True), None)
    else:
        undo.discard()
    show_merge_report(parent, path, report)
    return report

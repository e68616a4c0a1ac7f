"""The agreement report: how far the chosen annotators' layers say the same thing.

Figures come from core.agreement, overall and per document (by title), each
with the number of items it rests on, so a reader never takes a kappa over
four spans for one over four hundred. The table can be copied as plain text
or saved as JSON for a paper's appendix.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.agreement import (
    FIGURE_LABELS,
    GROUP_FIGURES,
    PAIR_FIGURES,
    AgreementReport,
    Figure,
    ScopeAgreement,
)
from ..review import SourceLines, compute_report, report_data
from ..storage import Store
from ..storage.atomic import write_atomic

ALL_DOCUMENTS = "All documents"
COL_FIGURE, COL_ANNOTATORS, COL_VALUE, COL_N = range(4)


def figure_value(figure: Figure) -> str:
    return "n/a" if figure.value is None else f"{figure.value:.3f}"


class AgreementDialog(QDialog):
    """Shows the report; choosing other annotators recomputes it."""

    def __init__(
        self,
        store: Store,
        layers: Sequence[str],
        chosen: Sequence[str],
        lines: SourceLines | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.lines = lines or SourceLines(store)
        self.titles = {summary.id: summary.title for summary in store.documents()}
        self.report: AgreementReport | None = None
        self.setWindowTitle("Agreement report")
        self.setAccessibleName("Agreement report")
        self.resize(760, 620)
        layout = QVBoxLayout(self)

        caption = QLabel("&Annotators compared (at least two):", self)
        layout.addWidget(caption)
        self.annotators = QListWidget(self)
        self.annotators.setAccessibleName("Annotators compared")
        self.annotators.setMaximumHeight(self.fontMetrics().height() * 6)
        caption.setBuddy(self.annotators)
        for layer in layers:
            item = QListWidgetItem(layer, self.annotators)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if layer in chosen else Qt.CheckState.Unchecked)
        self.annotators.itemChanged.connect(lambda _item: self.recompute())

        layout.addWidget(self.annotators)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Report summary")
        layout.addWidget(self.summary)
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Agreement figures")
        self.table.setHeaderLabels(["Figure", "Annotators", "Value", "n"])
        self.table.setAlternatingRowColors(True)
        self.table.setUniformRowHeights(True)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_FIGURE, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy as text", self)
        self.copy_button.setAccessibleName("Copy the report as text")
        self.save_button = QPushButton("&Save JSON…", self)
        self.save_button.setAccessibleName("Save the report as JSON")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        self.copy_button.clicked.connect(self.copy_text)
        self.save_button.clicked.connect(self.ask_save_json)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.recompute()

    def chosen(self) -> list[str]:
        return [
            self.annotators.item(row).text()
            for row in range(self.annotators.count())
            if self.annotators.item(row).checkState() == Qt.CheckState.Checked
        ]

    def recompute(self) -> None:
        annotators = self.chosen()
        self.table.clear()
        enough = len(annotators) >= 2
        self.copy_button.setEnabled(enough)
        self.save_button.setEnabled(enough)
        if not enough:
            self.report = None
            self.summary.setText("Choose at least two annotators to compare.")
            return
        self.report = compute_report(self.store, annotators, self.lines)
        self.summary.setText(
            f"{', '.join(annotators)} over {len(self.report.documents)} document(s). "
            "Each figure is shown with n, the number of items it rests on; n/a means undefined "
            "(no items, or no variation to compare)."
        )
        overall = self._scope_item(ALL_DOCUMENTS, self.report.overall)
        overall.setExpanded(True)
        for doc in sorted(self.report.documents, key=lambda d: (self.titles.get(d, d), d)):
            self._scope_item(self.titles.get(doc, doc), self.report.documents[doc])
        for column in (COL_ANNOTATORS, COL_VALUE, COL_N):
            self.table.resizeColumnToContents(column)

    def _scope_item(self, title: str, scope: ScopeAgreement) -> QTreeWidgetItem:
        parent = QTreeWidgetItem(self.table, [title])
        parent.setFirstColumnSpanned(True)
        font = parent.font(0)
        font.setBold(True)
        parent.setFont(0, font)
        for (a, b), figures in scope.pairs.items():
            for name in PAIR_FIGURES:
                self._figure_item(parent, name, f"{a} | {b}", figures[name])
        for name in GROUP_FIGURES:
            self._figure_item(parent, name, "all", scope.group[name])
        return parent

    @staticmethod
    def _figure_item(parent: QTreeWidgetItem, name: str, annotators: str, figure: Figure) -> None:
        item = QTreeWidgetItem(parent, [FIGURE_LABELS[name], annotators, figure_value(figure), str(figure.n)])
        item.setData(COL_FIGURE, Qt.ItemDataRole.UserRole, name)
        for column in (COL_VALUE, COL_N):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    # ---------------------------------------------------------------- export
    def text(self) -> str:
        return self.report.format_table(self.titles) if self.report is not None else ""

    def copy_text(self) -> None:
        QApplication.clipboard().setText(self.text())

    def json_text(self) -> str:
        """The report as JSON, with the titles of the documents it names (the report keys them by id)."""
        if self.report is None:
            return ""
        return json.dumps(report_data(self.report, self.titles), indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    def save_json(self, path: Path) -> None:
        write_atomic(path, self.json_text(), protect=[self.store.path] if self.store.path else [])

    def ask_save_json(self) -> None:
        project = self.store.path
        start = project.with_name(project.stem + "-agreement.json") if project else Path("agreement.json")
        name, _filter = QFileDialog.getSaveFileName(self, "Save agreement report", str(start), "JSON (*.json)")
        if not name:
            return
        try:
            self.save_json(Path(name))
        except OSError as exc:
            QMessageBox.warning(self, "Agreement report", f"The report could not be saved: {exc}")

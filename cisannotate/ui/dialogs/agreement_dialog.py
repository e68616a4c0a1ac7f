"""The agreement report: how far the chosen annotators' layers say the same thing.

Figures come from core.agreement, overall and per document (by title), each
with its 95% bootstrap interval and the number of items it rests on, so a
reader never takes a kappa over four spans for one over four hundred; a figure
on fewer than ten items says "n < 10". Under the overall figures, the
agreement on each category, speaker, mode, channel and relation (one against
the rest). The Chart tab draws those per-value figures as bars with interval
whiskers (charts.agreement, matplotlib, loaded when the tab is first shown);
it saves as PNG or SVG. The table can be copied as plain text or saved as
JSON for a paper's appendix.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
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
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.agreement import (
    BOOTSTRAP_RESAMPLES,
    FIGURE_LABELS,
    GROUP_FIGURES,
    NOMINAL_LABELS,
    PAIR_FIGURES,
    AgreementReport,
    Figure,
    ScopeAgreement,
    agreement_report,
    value_name,
)
from ...adjudication import SourceLines, report_data, report_inputs, value_names
from ...storage import Store
from ...storage.atomic import write_atomic

ALL_DOCUMENTS = "All documents"
PER_VALUE = "Per value (one against the rest)"
COL_FIGURE, COL_ANNOTATORS, COL_VALUE, COL_INTERVAL, COL_N, COL_NOTE = range(6)
TAB_TABLE, TAB_CHART = range(2)


def figure_value(figure: Figure) -> str:
    return "n/a" if figure.value is None else f"{figure.value:.3f}"


def figure_interval(figure: Figure) -> str:
    if figure.low is None or figure.high is None:
        return ""
    return f"[{figure.low:.3f}, {figure.high:.3f}]"


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
        self.titles = store.titles()
        self.names = value_names(store)
        self.report: AgreementReport | None = None
        self.chart_figure = None  # the matplotlib Figure on the Chart tab, once drawn
        self.canvas: QWidget | None = None
        # The figures show at once; their bootstrap intervals are computed off the GUI thread
        # (a large project takes seconds) and fill in when ready.
        self.intervals_ready = False
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        self._poll = QTimer(self, interval=50)
        self._poll.timeout.connect(self._check_intervals)
        self.finished.connect(lambda _result: self._stop())
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
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Agreement report views")
        self.table = QTreeWidget(self)
        self.table.setAccessibleName("Agreement figures")
        self.table.setHeaderLabels(["Figure", "Annotators", "Value", "95% interval", "n", ""])
        self.table.setAlternatingRowColors(True)
        self.table.setUniformRowHeights(True)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_FIGURE, QHeaderView.ResizeMode.Stretch)
        self.tabs.addTab(self.table, "&Figures")
        self.chart_page = QScrollArea(self)
        self.chart_page.setAccessibleName("Agreement per value, chart")
        self.chart_page.setWidgetResizable(True)
        self.tabs.addTab(self.chart_page, "C&hart")
        self.tabs.currentChanged.connect(lambda _index: self._draw_chart_if_shown())
        layout.addWidget(self.tabs, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton("&Copy as text", self)
        self.copy_button.setAccessibleName("Copy the report as text")
        self.save_button = QPushButton("&Save JSON…", self)
        self.save_button.setAccessibleName("Save the report as JSON")
        self.chart_button = QPushButton("Save chart as &image…", self)
        self.chart_button.setAccessibleName("Save the chart as PNG or SVG")
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.chart_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.chart_button.clicked.connect(self.ask_save_chart)
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
        self._poll.stop()
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        self.intervals_ready = False
        self.table.clear()
        enough = len(annotators) >= 2
        self.copy_button.setEnabled(enough)
        self.save_button.setEnabled(enough)
        self.chart_button.setEnabled(enough)
        self._clear_chart()
        if not enough:
            self.report = None
            self.summary.setText("Choose at least two annotators to compare.")
            return
        inputs = report_inputs(self.store, annotators, self.lines)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._show_report(agreement_report(**inputs, bootstrap=0), annotators, intervals=False)
        finally:
            QGuiApplication.restoreOverrideCursor()
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agreement-intervals")
        self._pending = self._executor.submit(agreement_report, **inputs, bootstrap=BOOTSTRAP_RESAMPLES)
        self._poll.start()

    def _check_intervals(self) -> None:
        pending = self._pending
        if pending is None or not pending.done():
            return
        self._poll.stop()
        self._pending = None
        self.table.clear()
        self._clear_chart()
        self._show_report(pending.result(), list(self.report.annotators) if self.report else self.chosen(),
                          intervals=True)

    def wait_for_intervals(self, timeout: float = 300.0) -> None:
        """Block until the intervals are in (for scripts and tests; the window never waits)."""
        if self._pending is not None:
            self._pending.result(timeout=timeout)
            self._check_intervals()

    def _stop(self) -> None:
        """The dialog closed: a computation under way is left to finish and its result dropped."""
        self._poll.stop()
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    def _show_report(self, report: AgreementReport, annotators: Sequence[str], *, intervals: bool) -> None:
        self.report = report
        self.intervals_ready = intervals
        ready = (
            "Each figure is shown with its 95% bootstrap interval and n, the number of items it rests on"
            if intervals else
            "Computing the 95% intervals\u2026 Each figure is shown with n, the number of items it rests on"
        )
        self.summary.setText(
            f"{', '.join(annotators)} over {len(report.documents)} document(s). {ready}; "
            "\u201cn < 10\u201d marks a figure on fewer than ten items; n/a means undefined "
            "(no items, or no variation to compare)."
        )
        overall = self._scope_item(ALL_DOCUMENTS, report.overall)
        overall.setExpanded(True)
        self._per_value_item(overall, report.overall)
        for doc in sorted(report.documents, key=lambda d: (self.titles.get(d, d), d)):
            self._scope_item(self.titles.get(doc, doc), report.documents[doc])
        for column in (COL_ANNOTATORS, COL_VALUE, COL_INTERVAL, COL_N, COL_NOTE):
            self.table.resizeColumnToContents(column)
        self._draw_chart_if_shown()

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

    def _per_value_item(self, parent: QTreeWidgetItem, scope: ScopeAgreement) -> None:
        group = QTreeWidgetItem(parent, [PER_VALUE])
        group.setFirstColumnSpanned(True)
        for label in NOMINAL_LABELS:
            values = scope.per_value.get(label, {})
            for value in sorted(values, key=lambda v: value_name(label, v, self.names).lower()):
                caption = f"{label} = {value_name(label, value, self.names)}"
                for (a, b), figure in values[value].pairs.items():
                    self._figure_item(group, f"{label}:{value}:kappa", f"{a} | {b}", figure, caption + ", kappa")
                self._figure_item(group, f"{label}:{value}:alpha", "all", values[value].group, caption + ", alpha")

    @staticmethod
    def _figure_item(
        parent: QTreeWidgetItem, name: str, annotators: str, figure: Figure, caption: str | None = None
    ) -> None:
        item = QTreeWidgetItem(parent, [caption or FIGURE_LABELS[name], annotators, figure_value(figure),
                                        figure_interval(figure), str(figure.n), figure.flag])
        item.setData(COL_FIGURE, Qt.ItemDataRole.UserRole, name)
        if figure.few:
            item.setToolTip(COL_NOTE, "This figure rests on fewer than ten items: read it with care.")
        for column in (COL_VALUE, COL_INTERVAL, COL_N):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    # ----------------------------------------------------------------- chart
    def _clear_chart(self) -> None:
        if self.canvas is not None:
            self.chart_page.takeWidget()
            self.canvas.deleteLater()
            self.canvas = None
        self.chart_figure = None

    def _draw_chart_if_shown(self) -> None:
        if self.tabs.currentIndex() == TAB_CHART and self.chart_figure is None and self.report is not None:
            self.draw_chart()

    def draw_chart(self) -> None:
        """Draw the per-value chart of the overall figures on the Chart tab (matplotlib is loaded here)."""
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        from ...charts.agreement import agreement_chart

        self._clear_chart()
        if self.report is None:
            return
        dark = self.palette().color(self.backgroundRole()).lightness() < 128
        self.chart_figure = agreement_chart(self.report.overall, self.names, dark=dark)
        canvas = FigureCanvasQTAgg(self.chart_figure)
        canvas.setAccessibleName("Agreement per value: bars are Krippendorff's alpha, whiskers the 95% interval")
        # The chart keeps its drawn height (a bar per value) and scrolls, rather than squeezing the bars.
        canvas.setMinimumHeight(int(self.chart_figure.get_figheight() * self.chart_figure.dpi * 0.8))
        self.canvas = canvas
        self.chart_page.setWidget(canvas)

    def save_chart(self, path: Path) -> None:
        from ...charts.agreement import save_chart

        if self.chart_figure is None:
            self.draw_chart()
        if self.chart_figure is not None:
            save_chart(self.chart_figure, path)

    def ask_save_chart(self) -> None:
        project = self.store.path
        start = project.with_name(project.stem + "-agreement.png") if project else Path("agreement.png")
        name, chosen = QFileDialog.getSaveFileName(
            self, "Save agreement chart", str(start), "PNG image (*.png);;SVG drawing (*.svg)")
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_suffix(".svg" if "svg" in chosen.lower() else ".png")
        try:
            self.save_chart(path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Agreement chart", f"The chart could not be saved: {exc}")

    # ---------------------------------------------------------------- export
    def text(self) -> str:
        return self.report.format_table(self.titles, self.names) if self.report is not None else ""

    def copy_text(self) -> None:
        QApplication.clipboard().setText(self.text())

    def json_text(self) -> str:
        """The report as JSON, with the titles of the documents it names (the report keys them by id)."""
        if self.report is None:
            return ""
        return json.dumps(report_data(self.report, self.titles, self.names), indent=2, ensure_ascii=False, sort_keys=True) + "\n"

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

"""The Findings view: what the media did with the speech, as charts that lead back to the claims.

A feature of the main window in its own module: a "Findings" dock (View menu)
with an event chooser (an event, or the whole project) and a layer chooser (an
annotator's layer or the reviewed layer), one tab per chart, and the list of
claims behind the bar last clicked. A click on a bar lists its claims and
opens the first in the document panes; a click on an unreported source line
opens the transcript there. Each chart saves as PNG or SVG and copies its data
as CSV. File ▸ Write findings report writes the HTML report of the same choice.

The figures come from ``cisannotate.findings`` and the figures' drawings from
``cisannotate.charts.findings``; matplotlib is loaded the first time the dock
is shown, never at the window's start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.changes import Changes
from ..common.i18n import translate_figure, trf

if TYPE_CHECKING:
    from ... import findings
    from ...charts.findings import Chart, Pick
    from ...session import Session
    from .host import FeatureHost

WHOLE_PROJECT = ""
_ROLE_SPAN = Qt.ItemDataRole.UserRole


class ChartPage(QWidget):
    """One chart in a tab: the canvas (scrolling when the chart is tall) and its save and copy buttons."""

    picked = Signal(object)  # the Pick behind the clicked bar
    message = Signal(str)

    def __init__(self, chart: "Chart", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        self.chart = chart
        translate_figure(chart.figure)  # the chart's own words in the interface language
        self.canvas = FigureCanvasQTAgg(chart.figure)
        self.canvas.setParent(self)
        self.canvas.setAccessibleName(f"{chart.title} chart")
        self.canvas.setAccessibleDescription(chart.description + ". Click a bar to list its claims.")
        width, height = chart.figure.get_size_inches()
        self.canvas.setMinimumHeight(int(min(height, 12) * 62))
        self.canvas.setMinimumWidth(int(min(width, 9) * 55))
        for artist in chart.picks:
            artist.set_picker(True)
        self._last_event: Any = None
        self.canvas.mpl_connect("pick_event", self._on_pick)
        # The keyboard reaches every bar too: arrows move a marker from bar to bar, Enter opens it.
        self.canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.bars = list(chart.picks)
        self.current = -1
        self._look: tuple[Any, Any] | None = None
        self.canvas.mpl_connect("key_press_event", self._on_key)

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.canvas)
        scroll.setAccessibleName(f"{chart.title}, scrollable")
        self.save_png = QPushButton("Save PNG…", self)
        self.save_svg = QPushButton("Save SVG…", self)
        self.copy_csv = QPushButton("Copy data (CSV)", self)
        self.save_png.clicked.connect(lambda: self.save_as(".png"))
        self.save_svg.clicked.connect(lambda: self.save_as(".svg"))
        self.copy_csv.clicked.connect(self.copy_data)
        self.hint = QLabel("Click a bar (or use the arrow keys and Enter) to list its claims.", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addStretch(1)
        for button in (self.save_png, self.save_svg, self.copy_csv):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def _on_pick(self, event: Any) -> None:
        # Bars never overlap, but one click can reach an edge shared by two: the first wins.
        if event.mouseevent is self._last_event:
            return
        self._last_event = event.mouseevent
        pick = self.chart.pick_of(event.artist)
        if pick is not None:
            self.picked.emit(pick)

    def _on_key(self, event: Any) -> None:
        step = {"right": 1, "down": 1, "left": -1, "up": -1}.get(event.key)
        if step is not None and self.bars:
            self.mark((self.current + step) % len(self.bars) if self.current >= 0 else (0 if step > 0 else -1))
        elif event.key in ("enter", " ") and 0 <= self.current < len(self.bars):
            self.picked.emit(self.chart.picks[self.bars[self.current]])

    def mark(self, index: int) -> None:
        """Outline bar ``index`` (the keyboard's place) and say what it stands for."""
        index %= len(self.bars)
        if self._look is not None and 0 <= self.current < len(self.bars):
            self.bars[self.current].set_edgecolor(self._look[0])
            self.bars[self.current].set_linewidth(self._look[1])
        bar = self.bars[index]
        self._look = (bar.get_edgecolor(), bar.get_linewidth())
        bar.set_edgecolor("#000000")
        bar.set_linewidth(2.0)
        self.current = index
        label = self.chart.picks[bar].label
        self.hint.setText(f"{label} — Enter lists its claims")
        self.canvas.setAccessibleDescription(label)
        self.canvas.draw_idle()

    def save_as(self, suffix: str, path: str | None = None) -> Path | None:
        from ...charts.findings import ChartError

        if path is None:
            kind = "PNG images (*.png)" if suffix == ".png" else "SVG drawings (*.svg)"
            path, _ = QFileDialog.getSaveFileName(self, f"Save chart as {suffix[1:].upper()}",
                                                  str(Path.home() / f"{self.chart.key}{suffix}"), kind)
            if not path:
                return None
        target = Path(path)
        if target.suffix == "":
            target = target.with_suffix(suffix)
        try:
            saved = self.chart.save(target)
        except ChartError as exc:
            QMessageBox.warning(self, "Save chart", str(exc))
            return None
        self.message.emit(f"Saved {saved}")
        return saved

    def copy_data(self) -> None:
        QApplication.clipboard().setText(self.chart.csv)
        rows = max(0, len(self.chart.csv.splitlines()) - 1)
        self.message.emit(f"Copied the data of “{self.chart.title}” as CSV ({rows} rows)")


class FindingsView(QWidget):
    claim_chosen = Signal(str)  # a span id
    place_chosen = Signal(str, int, int)  # a document and a range in it (an unreported line)
    message = Signal(str)

    def __init__(self, session: "Session", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.found: "findings.Findings | None" = None
        self.pages: list[ChartPage] = []
        self.event_box = QComboBox(self)
        self.event_box.setAccessibleName("Event of the findings")
        self.layer_box = QComboBox(self)
        self.layer_box.setAccessibleName("Layer of the findings")
        for box in (self.event_box, self.layer_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Findings charts")
        self.claims = QListWidget(self)
        self.claims.setAccessibleName("Claims behind the chosen bar")
        self.claims_title = QLabel("Claims: click a bar", self)
        self.claims_title.setWordWrap(True)
        self.summary = QLabel(self)

        top = QHBoxLayout()
        for label, box in (("&Event:", self.event_box), ("La&yer:", self.layer_box)):
            caption = QLabel(label, self)
            caption.setBuddy(box)
            top.addWidget(caption)
            top.addWidget(box)
        top.addWidget(self.summary, 1)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.claims_title)
        side_layout.addWidget(self.claims, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.tabs)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([800, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.event_box.activated.connect(lambda _i: self.refresh())
        self.layer_box.activated.connect(lambda _i: self.refresh())
        self.claims.itemActivated.connect(self._claim_activated)
        self.claims.itemClicked.connect(self._claim_activated)

    # ---------------------------------------------------------------- choices
    # Not "event": a Python attribute of that name would stand in for QWidget.event.
    @property
    def chosen_event(self) -> str | None:
        return self.event_box.currentData() or None

    @property
    def chosen_layer(self) -> str | None:
        return self.layer_box.currentData() or None

    def fill_choices(self, current_event: str | None = None) -> None:
        """Refill the choosers from the project, keeping the choices that still exist."""
        from ... import findings  # loaded when the view is first shown, not at start

        store = self.session.store
        event, layer = self.chosen_event, self.chosen_layer
        if self.event_box.count() == 0:
            event = current_event  # first time: the event of the document being read
        self.event_box.clear()
        self.event_box.addItem("Whole project", WHOLE_PROJECT)
        for row in findings.events(store):
            if row.articles:
                self.event_box.addItem(f"{row.event} ({row.date})" if row.date else row.event, row.event)
        index = self.event_box.findData(event or WHOLE_PROJECT)
        self.event_box.setCurrentIndex(max(0, index))
        counts = findings.queries.layer_counts(store)
        names = findings.layers(store)
        self.layer_box.clear()
        for name in names:
            self.layer_box.addItem(trf("%1 (%2 annotations)", name, counts.get(name, 0)), name)
        if layer not in names:
            layer = findings.default_layer(names, self.session.annotator)
        self.layer_box.setCurrentIndex(max(0, self.layer_box.findData(layer)))

    # ---------------------------------------------------------------- charts
    def refresh(self) -> None:
        from ... import findings
        from ...charts.findings import build_all

        current = self.tabs.currentIndex()
        for page in self.pages:
            page.deleteLater()
        self.tabs.clear()
        self.pages = []
        self.claims.clear()
        self.claims_title.setText("Claims: click a bar")
        layer = self.chosen_layer
        if layer is None:
            self.found = None
            self.summary.setText("No annotations yet: the findings appear as you annotate.")
            return
        self.found = findings.compute(self.session.store, layer, self.chosen_event)
        for chart in build_all(self.found):
            page = ChartPage(chart, self.tabs)
            page.picked.connect(self.show_pick)
            page.message.connect(self.message)
            self.tabs.addTab(page, _tab_title(chart.key))
            self.pages.append(page)
        if 0 <= current < self.tabs.count():
            self.tabs.setCurrentIndex(current)
        reported = sum(line.reported for line in self.found.coverage)
        self.summary.setText(
            f"{len(self.found.claims)} claims · {reported} of {len(self.found.coverage)} source lines reported · "
            f"{len(self.found.distortions)} distortions"
        )

    def page(self, key: str) -> ChartPage:
        return next(page for page in self.pages if page.chart.key == key)

    def select(self, key: str, column: str, row: str | None = None) -> bool:
        """Show chart ``key`` and the claims of its bar in ``column`` (and ``row``, else the largest)."""
        page = next((page for page in self.pages if page.chart.key == key), None)
        if page is None:
            return False
        picks = [pick for pick in page.chart.picks.values() if pick.column == column and row in (None, pick.row)]
        if not picks:
            return False
        self.tabs.setCurrentWidget(page)
        self.show_pick(max(picks, key=lambda pick: len(pick.claims)))
        return True

    def show_pick(self, pick: "Pick") -> None:
        """List the claims behind a bar and open the first (or the place, when no claim stands behind)."""
        self.claims.clear()
        self.claims_title.setText(pick.label)
        store = self.session.store
        for span_id in pick.claims:
            claim = self.found.claim(span_id) if self.found else None
            if claim is None:
                continue
            quote = " ".join(claim.row.quote.split())
            item = QListWidgetItem(f"{claim.outlet}: “{quote[:90]}{'…' if len(quote) > 90 else ''}”")
            item.setData(_ROLE_SPAN, span_id)
            item.setToolTip(f"{claim.row.title}\n{quote}")
            self.claims.addItem(item)
        if pick.claims and store.has_span(pick.claims[0]):
            self.claims.setCurrentRow(0)
            self.claim_chosen.emit(pick.claims[0])
        elif pick.document_id:
            self.place_chosen.emit(pick.document_id, pick.start, pick.end)

    def _claim_activated(self, item: QListWidgetItem) -> None:
        span_id = item.data(_ROLE_SPAN)
        if span_id and self.session.store.has_span(span_id):
            self.claim_chosen.emit(span_id)


def _tab_title(key: str) -> str:
    return {
        "coverage": "Coverage",
        "fidelity": "Fidelity",
        "modes": "Attribution",
        "channels": "Channels",
        "categories": "Categories",
        "timeline": "Over time",
    }.get(key, key)


class FindingsFeature(QObject):
    """The Findings dock and the report action, hooked into the main window."""

    def __init__(self, window: "FeatureHost") -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.view = FindingsView(self.session, window)
        self.dock = window.add_dock("Findings", self.view, Qt.DockWidgetArea.BottomDockWidgetArea)
        # Behind the annotation table, so opening it does not squeeze the documents further.
        window.tabifyDockWidget(window.annotations_dock, self.dock)
        self.dock.hide()  # opened from the View menu; drawing waits until then
        self._stale = True
        self._timer = QTimer(self, singleShot=True, interval=500)
        self._timer.timeout.connect(self.refresh)
        self.act_report = window.add_action(
            "Write findings &report…", self.write_report, None, section="File",
            description="Write the findings (charts, agreement, distortions) as one HTML file to share or print")
        self.view.claim_chosen.connect(window.activate_span)
        self.view.place_chosen.connect(window.show_hit)
        self.view.message.connect(lambda text: window.statusBar().showMessage(text, 6000))
        self.dock.visibilityChanged.connect(self._visibility_changed)
        self.dock.toggleViewAction().triggered.connect(lambda checked: self.show() if checked else None)
        self.session.changed.connect(self._on_changed)

    def show(self) -> None:
        """Open the dock large enough to read the charts."""
        self.dock.show()
        self.dock.raise_()
        self.window.resizeDocks([self.dock], [int(self.window.height() * 0.55)], Qt.Orientation.Vertical)

    def _current_event(self) -> str | None:
        article = self.window.workspace.article.document
        return article.event if article is not None and article.event else None

    def _visibility_changed(self, visible: bool) -> None:
        if visible and self._stale:
            self.refresh()

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if not (changes.spans or changes.links or changes.corpus or changes.codebook or changes.documents):
            return
        self._stale = True
        if self.dock.isVisible():
            self._timer.start()

    def refresh(self) -> None:
        self._stale = False
        self.view.fill_choices(self._current_event())
        self.view.refresh()

    def write_report(self, path: str | None = None) -> Path | None:
        """Ask where, then write the report of the view's event and layer (the defaults when never shown)."""
        from ...report import ReportError, write_report

        store = self.session.store
        if self.view.layer_box.count() == 0:
            self.view.fill_choices(self._current_event())
        if self.view.chosen_layer is None:
            QMessageBox.information(self.window, "Findings report", "No annotations yet: there is nothing to report.")
            return None
        if path is None:
            folder = store.path.parent if store.path else Path.home()
            stem = store.path.stem if store.path else "findings"
            path, _ = QFileDialog.getSaveFileName(self.window, "Write findings report",
                                                  str(folder / f"{stem}-findings.html"), "HTML pages (*.html *.htm)")
            if not path:
                return None
        target = Path(path)
        if target.suffix == "":
            target = target.with_suffix(".html")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            summary = write_report(store, target, layer=self.view.chosen_layer, event=self.view.chosen_event)
        except ReportError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self.window, "Findings report", str(exc))
            return None
        QApplication.restoreOverrideCursor()
        self.window.statusBar().showMessage(summary.line().replace("wrote", "Wrote", 1), 8000)
        return summary.path

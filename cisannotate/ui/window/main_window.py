"""The main window: lays out the workspace and panels, and routes actions to the session.

It holds no annotation logic of its own: a key press becomes a session verb
with the current selection; what the verb changes comes back through
``session.changed`` to every view.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from ...core.changes import Changes
from ...session import Session
from ..panels.annotation_table import AnnotationPanel
from ..panels.corpus_search import CorpusSearch
from ..features.findings_view import FindingsFeature
from ..common.icons import set_icon
from ..panels.navigator import CorpusNavigator
from ..document.styles import Styler
from ..features.linking import Linking
from ..features.review import ReviewFeature
from ..features.team import TeamFeature
from ..common.theme import appearance, save_mode
from ..document.workspace import Workspace
from .actions import ShortcutInfo, WindowActions
from .editing import EditingVerbs
from .project_files import ProjectFiles


EMPTY_PROJECT_HINT = (
    "This project has no documents yet. Import transcripts and articles with File ▸ Import documents… "
    "(Ctrl+I), or try everything on fictional texts with File ▸ Open the sample project…"
)


class MainWindow(WindowActions, EditingVerbs, ProjectFiles, QMainWindow):
    """The window; its actions and menus (actions.py), editing verbs (editing.py) and file
    and project commands (project_files.py) are parts it inherits."""

    def __init__(
        self,
        session: Session,
        settings: QSettings,
        parent: QWidget | None = None,
        *,
        opener: "Callable[[Path, QWidget], MainWindow | None] | None" = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.settings = settings
        # Opens a project in a new window (File > Open, a restore); passed in by the app, which
        # knows how windows are built, so this module never imports it.
        self.opener = opener
        self.shortcut_table: list[ShortcutInfo] = []
        self.persist_layout = True  # off for offscreen renderings, which must not move the user's window
        self._closed = False
        # Counts in the corpus list are refreshed once after a burst of changes, not per change.
        self._navigator_timer = QTimer(self, singleShot=True, interval=300)
        self.styler = self._make_styler()
        self.setWindowTitle(self._title())
        self.setAccessibleName("cisannotate main window")

        self.workspace = Workspace(session, self.styler, self)
        self.workspace.setObjectName("workspace")
        self.setCentralWidget(self.workspace)

        self.navigator = CorpusNavigator(session, self)
        self._counts_changed: set[str] = set()  # documents whose counts the navigator shows next
        self._navigator_timer.timeout.connect(self._update_navigator_counts)
        self.navigator_dock = self._dock("Corpus", self.navigator, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.annotations = AnnotationPanel(session, self)
        self.annotations_dock = self._dock("Annotations", self.annotations, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.corpus_search = CorpusSearch(session, self)
        # The concordance needs the window's width: it shares the bottom with the annotation table.
        self.search_dock = self._dock("Search", self.corpus_search, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.annotations_dock, self.search_dock)
        self.annotations_dock.raise_()

        self._build_actions()
        self.linking = Linking(self)
        self.review = ReviewFeature(self)
        self.findings = FindingsFeature(self)
        self.team = TeamFeature(self)
        for action, name in ((self.linking.act_suggest, "suggest"), (self.linking.act_link, "link"),
                             (self.linking.act_no_source, "no-source"), (self.linking.act_align, "align"),
                             (self.review.act_next, "review"), (self.act_layers_by_annotator, "layers")):
            set_icon(action, name)
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._connect()
        # The annotation list is the bottom tab a first run shows (the features tabify their
        # docks beside it); a hidden review panel computes nothing until it is shown.
        self.annotations_dock.raise_()
        self._restore_layout()
        self._update_actions()
        self.team.update_actions()

    # ------------------------------------------------------------------ set-up
    def _title(self) -> str:
        path = self.session.store.path
        name = path.name if path else "Untitled"
        suffix = " [read-only]" if self.session.read_only else ""
        return f"{name}{suffix} — cisannotate"

    def _make_styler(self) -> Styler:
        store = self.session.store
        return Styler(store.categories(), store.speakers(), store.channels())

    # ------------------------------------------------ the host of the features (features/host.py)
    def add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea, *, scroll: bool = False) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{title.lower()}")
        if scroll:
            # A panel with many rows scrolls rather than forcing its height on the whole dock area.
            area_widget = QScrollArea(dock)
            area_widget.setWidgetResizable(True)
            area_widget.setFrameShape(QFrame.Shape.NoFrame)
            area_widget.setWidget(widget)
            area_widget.setAccessibleName(f"{title} panel, scrollable")
            dock.setWidget(area_widget)
        else:
            dock.setWidget(widget)
        dock.setAccessibleName(f"{title} panel")
        self.addDockWidget(area, dock)
        return dock

    def add_action(
        self,
        text: str,
        handler: Callable[[], object],
        keys: str | QKeySequence.StandardKey | None = None,
        *,
        section: str,
        description: str = "",
        context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut,
    ) -> QAction:
        action = QAction(text, self)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(context)
        action.setToolTip(f"{text.replace('&', '')} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                          if keys is not None else text.replace("&", ""))
        action.setStatusTip(description or text.replace("&", ""))
        action.triggered.connect(lambda _checked=False: handler())
        self.addAction(action)
        self.shortcut_table.append(
            ShortcutInfo(section, text.replace("&", ""),
                         action.shortcut().toString(QKeySequence.SequenceFormat.NativeText), description)
        )
        return action

    def show_status(self, text: str, timeout_ms: int = 4000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    _dock = add_dock  # the names the window's own set-up uses
    _action = add_action

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.counts_label = QLabel(self)
        self.counts_label.setAccessibleName("Annotation counts")
        self.annotator_label = QLabel(self)
        self.annotator_label.setAccessibleName("Current annotator")
        self.review_label = QLabel(self)
        self.review_label.setAccessibleName("Review progress")
        status.addPermanentWidget(self.review_label)
        status.addPermanentWidget(self.counts_label)
        status.addPermanentWidget(self.annotator_label)
        self.review.progress_changed.connect(self.review_label.setText)
        if self.session.read_only:
            notice = QLabel("Read-only: changes cannot be saved", self)
            notice.setStyleSheet("color: #b00020; font-weight: bold")
            notice.setAccessibleName("Read-only notice")
            status.addPermanentWidget(notice)
        self._update_status()

    def _connect(self) -> None:
        self.session.changed.connect(self.on_changed)
        self.session.error.connect(self.show_error)
        self.session.annotator_changed.connect(lambda _n: self._update_status())
        self.navigator.document_chosen.connect(self.open_document)
        self.corpus_search.hit_chosen.connect(self.show_hit)
        self.annotations.span_activated.connect(self.activate_span)
        self.annotations.delete_requested.connect(lambda ids: self.session.delete_spans(ids, initiator=self))
        self.annotations.edit_requested.connect(self.edit_note_of)
        self.workspace.current_span_changed.connect(self._span_selected_in_text)
        self.workspace.documents_changed.connect(self._documents_shown)
        for pane in self.workspace.panes():
            pane.view.selection_changed.connect(lambda *_: self._update_actions())
        self.zoom.apply([pane.view for pane in self.workspace.panes()])
        self.zoom.changed.connect(self._zoomed)
        appearance().changed.connect(self._appearance_changed)

    # ----------------------------------------------------------------- layout
    def _restore_layout(self) -> None:
        self.resize(1400, 860)
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.workspace.restoreState(splitter)
        else:
            self.workspace.setSizes([540, 130, 540])
        self._first_layout = not isinstance(state, QByteArray)
        last = self.settings.value("project/last_document")
        listing = self.navigator.listing  # a few look-ups, not the corpus read
        start = last if isinstance(last, str) and listing.existing([last]) else (
            listing.first_document(article_with_transcript=True) or listing.first_document())
        if start:
            self.open_document(start)
        else:
            self.workspace.article.show_empty(EMPTY_PROJECT_HINT)
            self.workspace.transcript.show_empty("Transcripts appear here, beside the articles that report them.")

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self._first_layout:
            # First run: the documents get most of the window, the panels what they need
            # (docks take their sizes once the window has its own).
            self._first_layout = False
            # At 1400x860 the corpus tree shows whole event names, the Source panel its claim and
            # several suggestions, the Review panel several disagreements (tests/gui/test_dock_layout.py).
            self.resizeDocks([self.navigator_dock, self.linking.dock], [265, 330], Qt.Orientation.Horizontal)
            self.resizeDocks([self.annotations_dock], [max(200, self.height() * 3 // 10)], Qt.Orientation.Vertical)
            self.annotations_dock.raise_()  # of the docks sharing the bottom, the table comes first

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.workspace.saveState())
        if self.workspace.article.document_id:
            self.settings.setValue("project/last_document", self.workspace.article.document_id)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Every action was committed when it was made: there is nothing to ask.
        if self.persist_layout:
            self.save_layout()
        self._release_project()
        event.accept()

    def _release_project(self) -> None:
        """Stop everything that reads the project, then close it (giving up the writer lock). Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.linking.shutdown()
        self.review.shutdown()
        self._navigator_timer.stop()
        appearance().changed.disconnect(self._appearance_changed)
        self.session.store.close()

    # ---------------------------------------------------------------- showing
    def open_document(self, document_id: str) -> None:
        self.workspace.show_document(document_id)
        self.navigator.select_document(document_id)

    def _documents_shown(self) -> None:
        self.annotations.set_documents(self.workspace.shown_ids())
        self._update_status()

    def activate_span(self, span_id: str) -> None:
        """A row of the table was chosen: scroll to the span and flash it."""
        span = self.session.store.span(span_id)
        if span.document_id not in self.workspace.shown_ids():
            self.open_document(span.document_id)
        self.workspace.select_span(span_id, scroll=True, flash=True)

    def _span_selected_in_text(self, span_id: str) -> None:
        if span_id:
            self.annotations.select_span(span_id)
        self._update_actions()

    # ------------------------------------------------------------- appearance
    def set_appearance(self, mode: str) -> None:
        save_mode(self.settings, mode)
        appearance().apply(mode)

    def _appearance_changed(self, _scheme: str) -> None:
        # Icons follow by themselves (set_icon) and the text views on their palette change;
        # the connectors and coverage marks are repainted once the new palette has reached them.
        QTimer.singleShot(0, lambda: None if self._closed else self.workspace.refresh_styles())

    def _zoomed(self, size: int) -> None:
        self.act_zoom_in.setEnabled(self.zoom.can_zoom_in())
        self.act_zoom_out.setEnabled(self.zoom.can_zoom_out())
        self.workspace.refresh_styles()
        self.statusBar().showMessage(f"Text size {size} pt", 2000)

    # ------------------------------------------------------------------ layers
    def set_layer_visible(self, layer: str, visible: bool) -> None:
        layers = set(self.session.store.layers()) if self.styler.visible_layers is None else set(self.styler.visible_layers)
        (layers.add if visible else layers.discard)(layer)
        all_layers = set(self.session.store.layers())
        self.styler.visible_layers = None if layers >= all_layers else layers
        self.annotations.set_visible_layers(self.styler.visible_layers)
        self.workspace.refresh_styles()

    def toggle_follow(self) -> None:
        self.workspace.follow = self.act_follow.isChecked()
        if self.workspace.follow:
            self.workspace.follow_article()

    def toggle_colour_by_annotator(self) -> None:
        self.styler.by_annotator = self.act_layers_by_annotator.isChecked()
        self.workspace.refresh_styles()

    # ----------------------------------------------------------------- status
    def on_changed(self, changes: Changes, initiator: object) -> None:
        if changes.codebook:
            visible, by_annotator = self.styler.visible_layers, self.styler.by_annotator
            self.styler = self._make_styler()
            self.styler.visible_layers, self.styler.by_annotator = visible, by_annotator
            self.workspace.styler = self.styler
            for pane in self.workspace.panes():
                pane.view.style_for = self.styler.style
                pane.view.describe_span = self.styler.describe
            self._build_category_actions()
            self._fill_claim_menu()
            for action in self.category_actions:
                self.toolbar.insertAction(self._toolbar_categories_at, action)
            self.workspace.refresh_styles()
        if changes.corpus:
            # Documents came or went (an import, a merge): the corpus list shows them at once.
            self._navigator_timer.stop()
            self._counts_changed.clear()
            self.navigator.refresh()
            self._show_existing_documents()
        elif changes.documents:
            self._counts_changed |= changes.documents
            self._navigator_timer.start()  # counts follow a burst of annotating, once
        self._update_status()
        self._update_actions()

    def _update_navigator_counts(self) -> None:
        changed, self._counts_changed = self._counts_changed, set()
        self.navigator.update_counts(changed)

    def _show_existing_documents(self) -> None:
        """A document on screen that is no longer in the project (a merge undone) makes way."""
        listing = self.navigator.listing
        shown = list(self.workspace.shown_ids())
        ids = listing.existing(shown)
        if all(doc_id in ids for doc_id in shown):
            return
        article = self.workspace.article.document_id
        first = listing.first_document(article=True) or listing.first_document()
        if article in ids:
            self.open_document(article)
        elif first:
            self.open_document(first)
        else:
            self.workspace.select_span("")
            self.workspace.article.show_empty(EMPTY_PROJECT_HINT)
            self.workspace.transcript.show_empty("Transcripts appear here, beside the articles that report them.")
            self.workspace.transcript.set_choices([], None)
            self.workspace.documents_changed.emit()

    def _update_status(self) -> None:
        shown = self.workspace.shown_ids()
        total = sum(len(p.view.spans.by_id) for p in self.workspace.panes() if p.document_id)
        links = len(self.workspace.canvas.links)
        self.counts_label.setText(f"{total} annotations · {links} links in view" if shown else "No document open")
        self.annotator_label.setText(f"Annotator: {self.session.annotator}")

    def _update_actions(self) -> None:
        has_span = bool(self.workspace.current_span)
        writable = not self.session.read_only
        self.act_delete.setEnabled(has_span and writable)
        self.act_note.setEnabled(has_span and writable)
        for action in self.category_actions:
            action.setEnabled(writable)
        self.act_tag.setEnabled(writable)
        for action in (self.linking.act_link, self.linking.act_no_source, self.linking.act_align, self.linking.act_propose,
                       *self.linking.accept_actions):
            action.setEnabled(writable)

    def show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        if "could not be saved" in message:
            QMessageBox.warning(self, "cisannotate", message)

    def show_shortcuts(self) -> None:
        from ..dialogs.small_dialogs import ShortcutsDialog

        ShortcutsDialog(
            [(s.section, s.name, s.keys, s.description) for s in self.shortcut_table], self
        ).exec()

    def show_reading_help(self) -> None:
        from ..document.gutter import GUTTER_LEGEND

        box = QMessageBox(QMessageBox.Icon.Information, "Reading the transcript",
                          "<p>A transcript is cut into numbered source lines (sentences).</p>"
                          f"<p>{GUTTER_LEGEND}</p>"
                          "<p>In the text, a thin grey bar marks where each source line begins, "
                          "also in the middle of a row.</p>"
                          "<p>Between the panes, a connector joins a claim to its source: solid green for "
                          "verbatim, dashed blue for close, dotted amber for loose paraphrase, dash-dotted red for "
                          "distortion.</p>", QMessageBox.StandardButton.Close, self)
        box.setAccessibleName("Reading the transcript")
        box.open()
        self._reading_help = box

    def show_about(self) -> None:
        from ... import __version__

        QMessageBox.about(
            self, "About cisannotate",
            f"<b>cisannotate {__version__}</b><p>Annotate how news articles quote, paraphrase and "
            "attribute official speech, line by line against the transcript.</p>"
            f"<p>Project: {self.session.store.path}</p>",
        )


def app_instance() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app

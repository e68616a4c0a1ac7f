"""The main window: lays out the workspace and panels, and routes actions to the session.

It holds no annotation logic of its own: a key press becomes a session verb
with the current selection; what the verb changes comes back through
``session.changed`` to every view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QToolBar,
    QWidget,
)

from ...core.changes import Changes
from ...core.model import Category, TRANSCRIPT
from ...session import Session
from ..panels.annotation_table import AnnotationPanel
from ..dialogs.codebook_dialog import CodebookDialog
from ..panels.corpus_search import CorpusSearch
from ..dialogs.small_dialogs import NoteDialog, ShortcutsDialog, ask_annotator_name
from ..features.findings_view import FindingsFeature
from ..common.icons import set_icon
from ..common.keys import native, redo_keys, undo_keys, unique_keys
from ..panels.navigator import CorpusNavigator
from ..document.styles import Styler
from ..features.linking import Linking
from ..common.i18n import language_menu
from ..features.review import ReviewFeature
from ..features.team import TeamFeature
from ..document.tag_popup import TagPopup
from ..common.theme import MODES, ZoomController, appearance, save_mode, saved_mode
from ..document.workspace import Workspace


EMPTY_PROJECT_HINT = (
    "This project has no documents yet. Import transcripts and articles with File ▸ Import documents… "
    "(Ctrl+I), or try everything on fictional texts with File ▸ Open the sample project…"
)


def user_documents_folder() -> Path:
    """The user's Documents folder if there is one, else the home folder."""
    from PySide6.QtCore import QStandardPaths

    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


@dataclass(frozen=True)
class ShortcutInfo:
    section: str
    name: str
    keys: str
    description: str


class MainWindow(QMainWindow):
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
        self._navigator_timer.timeout.connect(self.navigator.refresh)
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

    # ------------------------------------------------ the host of the features (ui/host.py)
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

    def _build_actions(self) -> None:
        a = self._action
        self.act_new_project = a("&New project…", self.new_project, QKeySequence.StandardKey.New, section="File",
                                 description="Start an empty project file (the current one stays as it is)")
        self.act_open_project = a("&Open project…", self.open_project_dialog, QKeySequence.StandardKey.Open,
                                  section="File", description="Open another project file (it takes the place of this one)")
        self.act_import = a("&Import documents…", self.import_documents, "Ctrl+I", section="File",
                            description="Add transcripts and articles (text or HTML files, folders, a manifest)")
        self.act_open_sample = a("Open the &sample project…", self.open_sample, None, section="File",
                                 description="Save a copy of the bundled sample (fictional texts, two "
                                             "annotators) and open it, to try everything out")
        self.act_merge = a("Import &annotations…", self.merge_annotations, "Ctrl+Shift+I", section="File",
                           description="Merge a colleague's exported annotations as their layer")
        self.act_export = a("&Export annotations…", self.export_annotations, "Ctrl+E", section="File",
                            description="Write the annotations as cisannotate JSON, W3C Web Annotation or CSV")
        self.act_backups = a("&Restore from backup…", self.restore_backup, None, section="File",
                             description="List the automatic backups of this project and restore one")
        self.act_quit = a("&Quit", self.close, QKeySequence.StandardKey.Quit, section="File",
                          description="Close the window; everything is already saved")
        self.act_undo = self.session.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcuts(undo_keys())
        self.act_redo = self.session.undo_stack.createRedoAction(self, "&Redo")
        # Ctrl+Y and Ctrl+Shift+Z on every platform, each key once (a repeated key is ambiguous to Qt).
        self.act_redo.setShortcuts(redo_keys())
        # The list shows the keys the documentation promises (the platform may add others).
        for action, name, keys in ((self.act_undo, "Undo", native(unique_keys("Ctrl+Z"))),
                                   (self.act_redo, "Redo", native(unique_keys("Ctrl+Y", "Ctrl+Shift+Z")))):
            self.addAction(action)
            self.shortcut_table.append(ShortcutInfo("Edit", name, keys, f"{name} the last action (the menu names it)"))
        self.act_delete = a("&Delete annotation", self.delete_current, QKeySequence.StandardKey.Delete,
                            section="Edit", description="Delete the selected annotation and its links")
        self.act_note = a("Edit &note…", self.edit_note, "Ctrl+Return", section="Edit",
                          description="Write a note on the selected annotation")
        self.act_find = a("&Find in document…", self.find_in_document, QKeySequence.StandardKey.Find,
                          section="Edit", description="Find text in the document you are reading")
        self.act_find_corpus = a("Find in c&orpus…", self.find_in_corpus, "Ctrl+Shift+F", section="Edit",
                                 description="Find words in every document of the project")
        self.act_codebook = a("&Codebook…", self.edit_codebook, "Ctrl+Shift+K", section="Edit",
                              description="Edit categories, speakers and channels")
        self.act_annotator = a("&Annotator name…", self.change_annotator, None, section="Edit",
                               description="The name stored with everything you annotate")
        self.act_tag = a("Tag &speaker…", self.tag_speaker, "Q", section="Annotate",
                         description="Tag the selection (or annotation) with speaker, mode and channel")
        self.act_next = a("&Next annotation", lambda: self.step_annotation(1), "J", section="Navigate",
                          description="Select the next annotation in the text")
        self.act_prev = a("&Previous annotation", lambda: self.step_annotation(-1), "K", section="Navigate",
                          description="Select the previous annotation in the text")
        self.act_switch = a("Switch &pane", self.switch_pane, "Ctrl+Tab", section="Navigate",
                            description="Move the keyboard focus between article and transcript")
        self.act_next_doc = a("Next &document", lambda: self.navigator_step(1), "Ctrl+PgDown",
                              section="Navigate", description="Open the next document of the corpus")
        self.act_prev_doc = a("Previous d&ocument", lambda: self.navigator_step(-1), "Ctrl+PgUp",
                              section="Navigate", description="Open the previous document of the corpus")
        self.act_focus_table = a("Go to annotation &list", lambda: self.annotations.setFocus(), "Ctrl+L",
                                 section="Navigate", description="Move the focus to the annotation table")
        self.act_layers_by_annotator = a("Colour by &annotator", self.toggle_colour_by_annotator, "Ctrl+Shift+C",
                                         section="View", description="Colour highlights by layer instead of category")
        self.act_layers_by_annotator.setCheckable(True)
        self.act_follow = a("Transcript &follows article", self.toggle_follow, "F9", section="View",
                            description="Scroll the transcript to the sources of what the article shows")
        self.act_follow.setCheckable(True)
        self.act_follow.setChecked(True)
        self.zoom = ZoomController(self.settings, self)
        self.act_zoom_in = a("Zoom &in", self.zoom.zoom_in, QKeySequence.StandardKey.ZoomIn, section="View",
                             description="Larger text in the documents (remembered)")
        self.act_zoom_in.setShortcuts([QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")])
        self.act_zoom_out = a("Zoom &out", self.zoom.zoom_out, QKeySequence.StandardKey.ZoomOut, section="View",
                              description="Smaller text in the documents (remembered)")
        self.act_zoom_reset = a("&Normal size", self.zoom.reset, "Ctrl+0", section="View",
                                description="Text in the documents at the normal size")
        self.appearance_group = QActionGroup(self)
        self.appearance_actions: dict[str, QAction] = {}
        for mode, label in zip(MODES, ("Follow the &system", "&Light", "&Dark")):
            action = QAction(label, self)
            action.setCheckable(True)
            action.setData(mode)
            action.triggered.connect(lambda _c=False, m=mode: self.set_appearance(m))
            self.appearance_group.addAction(action)
            self.appearance_actions[mode] = action
        self.appearance_actions[saved_mode(self.settings)].setChecked(True)
        self.act_shortcuts = a("&Keyboard shortcuts", self.show_shortcuts, QKeySequence.StandardKey.HelpContents,
                               section="Help", description="This list")
        self.act_reading = a("&Reading the transcript", self.show_reading_help, None, section="Help",
                             description="What the gutter's numbers and boxes and the marks in the text mean")
        self.act_about = a("&About cisannotate", self.show_about, None, section="Help")
        self.category_actions: list[QAction] = []
        self._build_category_actions()
        for action, name in ((self.act_undo, "undo"), (self.act_redo, "redo"), (self.act_tag, "tag-speaker"),
                             (self.act_find, "find"), (self.act_find_corpus, "find-corpus"),
                             (self.act_codebook, "codebook"), (self.act_import, "import"),
                             (self.act_merge, "merge"), (self.act_export, "export"), (self.act_backups, "backup"),
                             (self.act_zoom_in, "zoom-in"), (self.act_zoom_out, "zoom-out"),
                             (self.act_shortcuts, "shortcuts")):
            set_icon(action, name)

    def _build_category_actions(self) -> None:
        for action in self.category_actions:
            self.removeAction(action)
            if hasattr(self, "toolbar"):
                self.toolbar.removeAction(action)
        self.shortcut_table = [s for s in self.shortcut_table if s.section != "Categories"]
        self.category_actions = []
        for category in self.session.store.categories():
            action = QAction(self._swatch(category), category.name, self)
            if category.shortcut:
                action.setShortcut(QKeySequence(category.shortcut))
            action.setToolTip(f"Mark as claim: {category.name} ({category.shortcut})\n{category.description}")
            action.setStatusTip(category.description)
            action.triggered.connect(lambda _c=False, cid=category.id: self.mark_claim(cid))
            self.addAction(action)
            self.category_actions.append(action)
            self.shortcut_table.append(ShortcutInfo("Categories", category.name, category.shortcut,
                                                    f"Mark the selection as a claim: {category.description}"))

    @staticmethod
    def _swatch(category: Category) -> QIcon:
        pixmap = QPixmap(16, 16)
        pixmap.fill(QColor(category.color))
        return QIcon(pixmap)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        for action in (self.act_new_project, self.act_open_project, self.act_open_sample, None, self.act_import,
                       self.act_merge, self.act_export, self.findings.act_report, None, self.act_backups, None,
                       self.act_quit):
            self.file_menu.addSeparator() if action is None else self.file_menu.addAction(action)
        # Alt+A, Alt+E and Alt+R decide review items, so no menu takes those letters.
        edit = bar.addMenu("E&dit")
        for action in (self.act_undo, self.act_redo, None, self.act_delete, self.act_note, None,
                       self.act_find, self.act_find_corpus, None, self.act_codebook, self.act_annotator):
            edit.addSeparator() if action is None else edit.addAction(action)
        self.annotate_menu = bar.addMenu("Anno&tate")
        self.claim_menu = QMenu("Mark as &claim", self)
        self.annotate_menu.addMenu(self.claim_menu)
        self.annotate_menu.addAction(self.act_tag)
        self._fill_claim_menu()
        link_menu = bar.addMenu("&Link")
        for action in self.linking.menu_actions():
            link_menu.addSeparator() if action is None else link_menu.addAction(action)
        review_menu = bar.addMenu("Revie&w")
        for action in self.review.menu_actions():
            review_menu.addSeparator() if action is None else review_menu.addAction(action)
        self.view_menu = bar.addMenu("&View")
        self.view_menu.addAction(self.navigator_dock.toggleViewAction())
        self.view_menu.addAction(self.annotations_dock.toggleViewAction())
        self.view_menu.addAction(self.search_dock.toggleViewAction())
        self.view_menu.addAction(self.linking.dock.toggleViewAction())
        self.view_menu.addAction(self.review.dock.toggleViewAction())
        self.view_menu.addAction(self.review.comments_dock.toggleViewAction())
        self.view_menu.addAction(self.findings.dock.toggleViewAction())
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.act_layers_by_annotator)
        self.view_menu.addAction(self.act_follow)
        self.layers_menu = QMenu("&Layers", self)
        self.view_menu.addMenu(self.layers_menu)
        self.layers_menu.aboutToShow.connect(self._fill_layers_menu)
        self.view_menu.addSeparator()
        for action in (self.act_zoom_in, self.act_zoom_out, self.act_zoom_reset):
            self.view_menu.addAction(action)
        appearance_menu = self.view_menu.addMenu("A&ppearance")
        for action in self.appearance_actions.values():
            appearance_menu.addAction(action)
        self.view_menu.addMenu(language_menu(self, self.settings))
        # A checkable entry with an icon shows the icon where its check mark belongs: here the
        # check mark is what matters (the toolbars keep the icons).
        for action in self.view_menu.actions():
            if action.isCheckable():
                action.setIconVisibleInMenu(False)
        navigate = bar.addMenu("&Navigate")
        for action in (self.act_next, self.act_prev, self.act_switch, self.act_focus_table, None,
                       self.act_next_doc, self.act_prev_doc):
            navigate.addSeparator() if action is None else navigate.addAction(action)
        team_menu = bar.addMenu("Tea&m")
        for action in self.team.menu_actions():
            team_menu.addSeparator() if action is None else team_menu.addAction(action)
        self.help_menu = bar.addMenu("&Help")
        self.help_menu.addAction(self.act_shortcuts)
        self.help_menu.addAction(self.act_reading)
        self.help_menu.addAction(self.act_about)
        context = [self.claim_menu, self.act_tag, None, self.linking.act_suggest, self.linking.act_link,
                   self.linking.act_no_source, None, self.act_note, self.review.act_comment, self.act_delete]
        for pane in self.workspace.panes():
            pane.view.context_actions = context

    def _fill_claim_menu(self) -> None:
        self.claim_menu.clear()
        for action in self.category_actions:
            self.claim_menu.addAction(action)

    def _fill_layers_menu(self) -> None:
        self.layers_menu.clear()
        layers = self.session.store.layers()
        visible = self.styler.visible_layers
        for layer in layers:
            action = self.layers_menu.addAction(layer)
            action.setCheckable(True)
            action.setChecked(visible is None or layer in visible)
            action.toggled.connect(lambda on, name=layer: self.set_layer_visible(name, on))
        if not layers:
            self.layers_menu.addAction("No annotations yet").setEnabled(False)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Annotate", self)
        self.toolbar.setObjectName("toolbar-annotate")
        self.toolbar.setAccessibleName("Annotation toolbar")
        self.addToolBar(self.toolbar)
        self.toolbar.addAction(self.act_undo)
        self.toolbar.addAction(self.act_redo)
        self.toolbar.addSeparator()
        self._toolbar_categories_at = self.toolbar.addSeparator()
        for action in self.category_actions:
            self.toolbar.insertAction(self._toolbar_categories_at, action)
        self.toolbar.addAction(self.act_tag)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.linking.act_link)
        self.toolbar.addAction(self.linking.act_no_source)
        self.toolbar.addAction(self.linking.act_align)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.act_export)

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
        documents = self.navigator.summaries  # just read by the navigator
        ids = {d.id for d in documents}
        start = last if last in ids else next((d.id for d in documents if d.kind != TRANSCRIPT and
                                               self.session.store.transcripts_for(d.id)), None)
        if start is None and documents:
            start = documents[0].id
        if start:
            self.open_document(start)
        elif not documents:
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

    # ---------------------------------------------------------------- editing
    def _selection(self):
        pane = self.workspace.focused_pane()
        if pane is None or not pane.document_id:
            return None, 0, 0
        start, end = pane.view.selection()
        return pane, start, end

    def mark_claim(self, category_id: str) -> None:
        pane, start, end = self._selection()
        if pane is None:
            return
        if end > start:
            span = self.session.add_span(pane.document_id, start, end, category_id=category_id, initiator=self)
            if span is not None:
                pane.view.select_range(end, end)
                self.workspace.select_span(span.id, scroll=False)
        elif self.workspace.current_span:
            self.session.edit_span(self.workspace.current_span, category_id=category_id,
                                   label="Change category", initiator=self)
        else:
            self.statusBar().showMessage("Select text first, then press a category key.", 4000)

    def tag_speaker(self) -> None:
        pane, start, end = self._selection()
        if pane is None:
            return
        current = self.workspace.current_span if end <= start else ""
        if end <= start and not current:
            self.statusBar().showMessage("Select a quote first, then press Q to tag its speaker.", 4000)
            return
        initial = self.session.store.span(current) if current else None
        rect = pane.view.rect_of(start if end > start else initial.start)
        at = pane.view.viewport().mapToGlobal(rect.bottomLeft())
        choice = TagPopup.ask(self, self.session, initial, at)
        # The keyboard goes back to the text the user was tagging.
        self.activateWindow()
        pane.view.setFocus()
        if choice is None:
            return
        fields = dict(speaker_id=choice.speaker_id, mode=choice.mode, channel_id=choice.channel_id)
        if current:
            self.session.edit_span(current, label="Tag speaker", initiator=self, **fields)
        else:
            span = self.session.add_span(pane.document_id, start, end, initiator=self, **fields)
            if span is not None:
                pane.view.select_range(end, end)
                self.workspace.select_span(span.id, scroll=False)

    def delete_current(self) -> None:
        if self.workspace.current_span:
            self.session.delete_spans([self.workspace.current_span], initiator=self)

    def edit_note(self) -> None:
        if self.workspace.current_span:
            self.edit_note_of(self.workspace.current_span)

    def edit_note_of(self, span_id: str) -> None:
        span = self.session.store.span(span_id)
        note = NoteDialog.ask(self, span.note, span.quote)
        if note is not None:
            self.session.edit_span(span_id, note=note, label="Edit note", initiator=self)

    def find_in_document(self) -> None:
        pane = self.workspace.focused_pane()
        if pane is not None:
            pane.find_bar.open_bar()

    def find_in_corpus(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.corpus_search.focus_query()

    def show_hit(self, document_id: str, start: int, end: int) -> None:
        """Open the document of a search hit and select the words found."""
        if document_id not in self.workspace.shown_ids():
            self.open_document(document_id)
        pane = self.workspace.pane_of(document_id)
        if pane is not None:
            pane.view.select_range(start, end)
            pane.view.scroll_to(start, end)

    def edit_codebook(self) -> None:
        CodebookDialog(self.session, self).exec()

    def change_annotator(self) -> None:
        name = ask_annotator_name(self, self.session.annotator)
        if name:
            self.session.set_annotator(name)
            self.settings.setValue("annotator/name", name)

    def step_annotation(self, direction: int) -> None:
        pane = self.workspace.focused_pane()
        if pane is None:
            return
        ordered = [s for s in pane.view.spans.ordered if self.styler.style(s) is not None]
        if not ordered:
            return
        ids = [s.id for s in ordered]
        if self.workspace.current_span in ids:
            index = (ids.index(self.workspace.current_span) + direction) % len(ids)
        else:
            index = 0 if direction > 0 else len(ids) - 1
        pane.view.setFocus()
        self.workspace.select_span(ids[index], scroll=True, flash=False)

    def switch_pane(self) -> None:
        target = self.workspace.transcript if self.workspace.article.view.hasFocus() else self.workspace.article
        target.view.setFocus()

    def navigator_step(self, direction: int) -> None:
        documents = [d.id for d in self.session.store.documents()]
        current = self.workspace.article.document_id or self.workspace.transcript.document_id
        if not documents:
            return
        index = documents.index(current) if current in documents else -1
        self.open_document(documents[(index + direction) % len(documents)])

    # ------------------------------------------------------------------ files
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

    def switch_to(self, path: Path, *, closed: bool = False) -> "MainWindow | None":
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
            self.navigator.refresh()
            self._show_existing_documents()
        elif changes.documents:
            self._navigator_timer.start()  # counts follow a burst of annotating, once
        self._update_status()
        self._update_actions()

    def _show_existing_documents(self) -> None:
        """A document on screen that is no longer in the project (a merge undone) makes way."""
        documents = self.session.store.documents()
        ids = {d.id for d in documents}
        if all(shown in ids for shown in self.workspace.shown_ids()):
            return
        article = self.workspace.article.document_id
        if article in ids:
            self.open_document(article)
        elif documents:
            self.open_document(next((d.id for d in documents if d.kind != TRANSCRIPT), documents[0].id))
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
        ShortcutsDialog(
            [(s.section, s.name, s.keys, s.description) for s in self.shortcut_table], self
        ).exec()

    def show_reading_help(self) -> None:
        from ..document.text_view import GUTTER_LEGEND

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

"""The main window's actions, menus and toolbar: what the user can do, and where it is offered.

A part of ``MainWindow`` (a mixin it inherits): the actions are made through the window's
``add_action``, which also fills the shortcut list (Help ▸ Keyboard shortcuts).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import QMenu, QToolBar

from ...core.model import Category
from ..common.i18n import language_menu
from ..common.icons import set_icon
from ..common.keys import native, redo_keys, undo_keys, unique_keys
from ..common.theme import MODES, ZoomController, saved_mode


@dataclass(frozen=True)
class ShortcutInfo:
    section: str
    name: str
    keys: str
    description: str


class WindowActions:
    """Builds the window's actions, menus and toolbar (mixed into ``MainWindow``)."""

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

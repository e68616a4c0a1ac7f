"""Linking claims to source lines: suggestions, manual links, no-source, coverage.

A feature of the main window kept in its own module: it owns the Source panel
and the Suggester, and turns the user's keys into session verbs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCursor
from PySide6.QtWidgets import QMenu

from ...core.changes import Changes
from ...core.model import TRANSCRIPT
from ..common.i18n import tr
from ..panels.source_panel import SourcePanel
from .index_builder import ArticleReader, IndexBuilder

GETTING_READY = "Getting the suggestions ready: indexing the transcripts…"
READING_ARTICLE = "Getting the suggestions ready: reading the article…"

if TYPE_CHECKING:
    from .host import FeatureHost


class Linking(QObject):
    def __init__(self, window: "FeatureHost") -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.workspace = window.workspace
        self._suggester = None  # built with the first suggestion: its code loads then, not at start
        self.scope = "event"
        self.panel = SourcePanel(window)
        self.dock = window.add_dock("Source", self.panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self._target: tuple[str, int, int, str] | None = None  # (document, start, end, span id or "")
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)

        a = window.add_action
        self.act_suggest = a("&Suggest source lines", self.refresh, "G", section="Link",
                             description="Rank the transcript's lines as sources of the selection or claim")
        self.act_link = a("&Link to transcript selection", self.link_to_transcript_selection, "L", section="Link",
                          description="Link the selected claim to the text selected in the transcript "
                                      "(or to the line at the transcript's cursor)")
        self.act_no_source = a("Mark as having &no source", self.mark_no_source, "N", section="Link",
                               description="The claim has no source in the transcript")
        self.act_scope = a("Search &all transcripts", self.toggle_scope, "Ctrl+Shift+G", section="Link",
                           description="Suggest from every transcript instead of the event's")
        self.act_scope.setCheckable(True)
        self.accept_actions: list[QAction] = []
        for i in range(5):
            action = a(f"Accept suggestion {i + 1}", lambda i=i: self.accept(i), str(i + 1), section="Link",
                       description=f"Link to suggestion {i + 1} of the Source panel")
            self.accept_actions.append(action)
        self.act_align = a("&Align article…", self.align_article, "Ctrl+Shift+A", section="Link",
                           description="Walk through every sentence of the article with its suggestions")
        self.act_propose = a("&Propose quotes and attributions…", self.propose_claims, "Ctrl+Shift+P",
                             section="Link", description="Walk through the article's quotations and "
                             "reported speech, proposed as claims with speaker, mode and channel")

        self.panel.accept_requested.connect(self.accept)
        self.panel.no_source_requested.connect(self.mark_no_source)
        self.panel.scope_changed.connect(self._scope_from_panel)
        self.panel.relation_change_requested.connect(
            lambda link_id, relation: self.session.edit_link(link_id, relation=relation, initiator=self))
        self.panel.remove_link_requested.connect(lambda link_id: self.session.delete_links([link_id], initiator=self))
        self.panel.link_chosen.connect(self.workspace.select_link)
        self.workspace.current_span_changed.connect(lambda _s: self._debounce.start(0))
        self.workspace.documents_changed.connect(self._read_article_ahead)
        self.workspace.article.view.selection_changed.connect(self._selection_changed)
        self.workspace.line_activated = self.show_line_reports
        self.session.changed.connect(self._on_changed)
        self._shut_down = False
        self._index_builder: IndexBuilder | None = None
        self._reader: ArticleReader | None = None
        self._waiting_for_reading = False

    def shutdown(self) -> None:
        """The window is closing: nothing may query the project after this."""
        self._debounce.stop()
        if self._index_builder is not None:
            self._index_builder.cancel()  # before the project closes: the build reads it
        if self._reader is not None:
            self._reader.cancel()
        if not self._shut_down:
            self._shut_down = True
            self.session.changed.disconnect(self._on_changed)

    def menu_actions(self) -> list[QAction | None]:
        return [self.act_suggest, self.act_link, self.act_no_source, None, *self.accept_actions, None,
                self.act_scope, self.act_align, self.act_propose]

    @property
    def suggester(self):
        if self._suggester is None:
            from ...suggestions import Suggester

            self._suggester = Suggester(self.session.store)
        return self._suggester

    # --------------------------------------------------------------- refresh
    def _selection_changed(self, start: int, end: int) -> None:
        if end > start:
            self._debounce.start()

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        if changes.corpus and self._suggester is not None:
            self._suggester.invalidate()
        if changes.links or changes.spans:
            self._debounce.start(0)

    def toggle_scope(self) -> None:
        self.panel.scope.setCurrentIndex(1 if self.act_scope.isChecked() else 0)

    def _scope_from_panel(self, scope: str) -> None:
        self.scope = scope
        self.act_scope.setChecked(scope == "all")
        self.refresh()

    def _article_target(self) -> tuple[str, int, int, str] | None:
        """What the Source panel is about: the article's selection, or the selected claim."""
        article = self.workspace.article
        if not article.document_id:
            return None
        start, end = article.view.selection()
        if end > start:
            start, end = self.session.trimmed(article.document_id, start, end)
            if end > start:
                return article.document_id, start, end, ""
        span_id = self.workspace.current_span
        if span_id and span_id in article.view.spans.by_id:
            span = article.view.spans.by_id[span_id]
            return span.document_id, span.start, span.end, span.id
        return None

    def refresh(self) -> None:
        target = self._article_target()
        self._target = target
        if target is None:
            self.panel.show_nothing()
            return
        document, start, end, span_id = target
        store = self.session.store
        text = store.text(document)[start:end]
        if not self.suggester.ready and self.suggester.scope_documents(document, self.scope) != []:
            # The index is built in a worker thread; the panel says so, and fills in when it is ready.
            self.index_builder.start()
            if not self.suggester.ready:
                self.panel.show_nothing(GETTING_READY)
                return
        if self._read_article_first(document):
            return
        try:
            suggestion = self.suggester.suggest(document, start, end, scope=self.scope)
        except ValueError as exc:
            self.panel.show_nothing(str(exc))
            return
        preview = text if len(text) < 90 else text[:87] + "…"
        heading = tr("Claim:" if span_id else "Selection:") + f" “{preview}”"
        self.panel.show_suggestions(heading, suggestion, can_no_source=True)
        if span_id:
            span = store.span(span_id)
            rows = []
            for link in store.links_for_span(span_id):
                numbers = store.lines_in_range(link.target_document_id, link.target_start, link.target_end)
                # A link to the other version of an aligned pair is compared with the same lines
                # in the article's language (the bridge).
                words = self.suggester.version_text(document, link.target_document_id, link.target_start,
                                                    link.target_end, numbers)
                rows.append((link, numbers, words or store.text(link.target_document_id)[link.target_start:link.target_end]))
            self.panel.show_links(span.quote, rows, span.no_source)
        else:
            self.panel.show_links(text, [], False)

    @property
    def index_building(self) -> bool:
        """Whether the suggestions are being prepared in a worker thread now: the index
        built, or an article read for the ranking."""
        return ((self._index_builder is not None and self._index_builder.building)
                or (self._reader is not None and self._reader.busy))

    @property
    def article_reader(self) -> ArticleReader:
        if self._reader is None:
            self._reader = ArticleReader(self)
            self._reader.read.connect(self._article_read)
        return self._reader

    def _read_article_first(self, document: str) -> bool:
        """Before the first query on an article: have it read in the worker (True: the
        panel says so and fills in when it is done). A project held only in memory is
        read in place."""
        call = self.suggester.article_reading(document, self.scope)
        if call is None:
            return False
        if self.session.store.path is None:
            call()
            return False
        self._waiting_for_reading = True
        self.article_reader.start(call)  # or already reading: asked again when that one is done
        self.panel.show_nothing(READING_ARTICLE)
        return True

    def _read_article_ahead(self) -> None:
        """An article is shown: once the suggestions are in use, read it before it is asked for."""
        if self._shut_down or self._suggester is None or not self._suggester.ready:
            return
        document = self.workspace.article.document_id
        if not document or self.session.store.path is None:
            return
        call = self._suggester.article_reading(document, self.scope)
        if call is not None:
            self.article_reader.start(call)

    def _article_read(self) -> None:
        if self._shut_down:
            return
        if self._waiting_for_reading:
            self._waiting_for_reading = False
            self.refresh()
        else:
            self._read_article_ahead()  # the article shown may have changed meanwhile

    @property
    def index_builder(self) -> IndexBuilder:
        """Builds the suggestion index in a worker thread (made with the first suggestion)."""
        if self._index_builder is None:
            self._index_builder = IndexBuilder(self.suggester, self)
            self._index_builder.ready.connect(self._index_ready)
            self._index_builder.failed.connect(self._index_failed)
        return self._index_builder

    def _index_ready(self) -> None:
        if self._target is not None and not self._shut_down:
            self.refresh()
        else:
            self._read_article_ahead()

    def _index_failed(self, message: str) -> None:
        if not self._shut_down:
            self.panel.show_nothing(tr("The suggestions could not be prepared:") + " " + message)

    # ---------------------------------------------------------------- acting
    def accept(self, index: int) -> None:
        suggestion = self.panel.current
        target = self._target
        if suggestion is None or target is None or index >= len(suggestion.candidates):
            self.window.show_status("No suggestion to accept: select a claim in the article.", 4000)
            return
        candidate = suggestion.candidates[index]
        if candidate.document_id != self.workspace.transcript.document_id:
            self.workspace.show_transcript(candidate.document_id)
        # A merged candidate links to each of its lines at once. Through the bridge, the
        # relation is judged on the version in the article's language.
        bridged = suggestion.via.get(candidate)
        self.link_ranges(target, [(candidate.document_id, s, e) for s, e in candidate.ranges],
                         bridged.version.text if bridged else candidate.text)

    def link_ranges(self, target: tuple[str, int, int, str], ranges: list[tuple[str, int, int]], source_text: str) -> None:
        document, start, end, span_id = target
        span_text = self.session.store.text(document)[start:end]
        from ...core.fidelity import compare, suggest_relation

        relation = suggest_relation(compare(source_text, span_text))
        if span_id:
            self.session.link(span_id, ranges, relation, initiator=self)
            self.workspace.select_span(span_id, scroll=False)
        else:
            span = self.session.add_span_with_links(document, start, end, ranges, relation, initiator=self)
            if span is not None:
                self.workspace.article.view.select_range(end, end)
                self.workspace.select_span(span.id, scroll=False)
        # The new connector stays on screen: its source is brought into view.
        shown = [(s, e) for d, s, e in ranges if d == self.workspace.transcript.document_id]
        if shown:
            self.workspace.reveal_source(*shown[0])
        self.window.show_status(
            f"Linked as {relation}. Change the relation in the Source panel if needed.", 5000)

    def link_to_transcript_selection(self) -> None:
        target = self._article_target()
        transcript = self.workspace.transcript
        if target is None or not transcript.document_id:
            self.window.show_status(
                "Select a claim in the article and text (or a line) in the transcript, then press L.", 5000)
            return
        start, end = transcript.view.selection()
        if end <= start:
            line = transcript.view.line_at(start)
            if line is None:
                self.window.show_status("Put the transcript's cursor on a source line first.", 4000)
                return
            start, end = line.start, line.end
        start, end = self.session.trimmed(transcript.document_id, start, end)
        text = transcript.view.text[start:end]
        self.link_ranges(target, [(transcript.document_id, start, end)], text)

    def mark_no_source(self) -> None:
        target = self._article_target()
        if target is None:
            return
        document, start, end, span_id = target
        if span_id:
            self.session.mark_no_source(span_id, initiator=self)
        else:
            span = self.session.add_span(document, start, end, no_source=True, initiator=self)
            if span is not None:
                self.workspace.article.view.select_range(end, end)
                self.workspace.select_span(span.id, scroll=False)

    # -------------------------------------------------------------- coverage
    def show_line_reports(self, number: int) -> None:
        """List the articles that report a source line; choosing one jumps to it."""
        transcript = self.workspace.transcript.document_id
        if not transcript:
            return
        store = self.session.store
        refs = self.workspace.transcript.view.coverage.get(number, [])
        menu = QMenu(self.window)
        menu.setAccessibleName(f"Reports of source line {number}")
        title = menu.addAction(f"Line {number}: reported by {len({a for a, _o, _k in refs})} article(s)")
        title.setEnabled(False)
        menu.addSeparator()
        titles = store.titles(article for article, _outlet, _link in refs)
        for article, outlet, link_id in refs:
            link = store.link(link_id)
            span = store.span(link.span_id)
            quote = span.quote if len(span.quote) < 60 else span.quote[:57] + "…"
            # One entry per layer that links the line: the layer says whose reading it is.
            action = menu.addAction(
                f"{outlet or titles.get(article, article)} — {link.relation}: “{quote}” · layer {link.layer}")
            action.triggered.connect(lambda _c=False, a=article, s=span.id, k=link_id: self._jump(a, s, k))
        if not refs:
            menu.addAction("No article reports this line").setEnabled(False)
        view = self.workspace.transcript.view
        line = view.line(number)
        point = view.viewport().mapToGlobal(view.rect_of(line.start).bottomLeft()) if line else QCursor.pos()
        # Not modal: the window goes on (and a test can read the menu) while it is open.
        menu.popup(point)
        self._last_menu = menu

    def _jump(self, article: str, span_id: str, link_id: str) -> None:
        if self.workspace.article.document_id != article:
            transcript = self.workspace.transcript.document_id
            self.window.open_document(article)
            if transcript and self.workspace.transcript.document_id != transcript:
                self.workspace.show_transcript(transcript)
        self.workspace.select_span(span_id, scroll=True, flash=True)
        self.workspace.select_link(link_id)

    # ----------------------------------------------------------------- align
    def propose_claims(self) -> None:
        from ..dialogs.propose_dialog import ProposeDialog

        article = self.workspace.article.document_id
        if not article or self.session.store.resolve_document(article).kind == TRANSCRIPT:
            self.window.show_status("Open an article to see its proposed quotations.", 4000)
            return
        ProposeDialog(self, article, self.window).exec()
        self.window.activateWindow()
        self.workspace.article.view.setFocus()  # the keyboard goes back to the article
        self.refresh()

    def align_article(self) -> None:
        from ..dialogs.align_dialog import AlignDialog

        article = self.workspace.article.document_id
        if not article or self.session.store.resolve_document(article).kind == TRANSCRIPT:
            self.window.show_status("Open an article to align it with its transcript.", 4000)
            return
        AlignDialog(self, article, self.window).exec()
        self.window.activateWindow()
        self.workspace.article.view.setFocus()  # the keyboard goes back to the article
        self.refresh()


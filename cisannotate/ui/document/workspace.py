"""The central area: an article on the left, its transcript on the right, links between.

The workspace shows documents and keeps them in step with the project: on
``session.changed`` it fetches only the spans and links the change names.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QSplitter, QWidget

from ...core.changes import Changes
from ...core.model import DocumentSummary, Link, Span, TRANSCRIPT
from ...session import Session
from .document_pane import DocumentPane
from .link_canvas import LinkCanvas
from .styles import Styler
from .line_index import StoredCoverage, StoredLines
from .spans import Outline
from .stored_spans import StoredSpans
from .text_view import TextView

LINK_END_COLOR = QColor(31, 111, 178, 70)


class Workspace(QSplitter):
    current_span_changed = Signal(str)  # "" when none
    current_link_changed = Signal(str)
    documents_changed = Signal()  # what is shown changed (article and/or transcript)

    def __init__(self, session: Session, styler: Styler, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.session = session
        self.styler = styler
        self.article = DocumentPane("Article", self)
        self.transcript = DocumentPane("Transcript", self)
        self.canvas = LinkCanvas(self.article.view, self.transcript.view, self)
        self.addWidget(self.article)
        self.addWidget(self.canvas)
        self.addWidget(self.transcript)
        self.setStretchFactor(0, 5)
        self.setStretchFactor(1, 1)
        self.setStretchFactor(2, 5)
        self.setChildrenCollapsible(False)
        self.current_span = ""
        self.current_link = ""
        # Where two compared layers disagree (set by the review): boxes per document, labels per link.
        self.review_outlines: dict[str, list[Outline]] = {}
        for pane in (self.article, self.transcript):
            view = pane.view
            view.style_for = self.styler.style
            view.describe_span = self.styler.describe
            view.span_clicked.connect(lambda span_id, v=view: self.select_span(span_id, scroll=False, source=v))
        self.transcript.view.line_clicked.connect(self._line_clicked)
        self.transcript.transcript_chosen.connect(self.show_transcript)
        self.canvas.link_clicked.connect(lambda link_id: self.select_link(link_id))
        self.canvas.link_hovered.connect(self._link_hovered)
        session.changed.connect(self.on_changed)
        self.line_activated = None  # set by the window: called with a source line number
        # The transcript follows the article: after the article scrolls, the source of the
        # first linked span in view is brought into view on the right.
        self.follow = True
        self._follow_timer = QTimer(self, singleShot=True, interval=120)
        self._follow_timer.timeout.connect(self.follow_article)
        self.article.view.viewport_changed.connect(self._article_scrolled)

    # ----------------------------------------------------------------- showing
    def panes(self) -> list[DocumentPane]:
        return [self.article, self.transcript]

    def shown_ids(self) -> list[str]:
        return [p.document_id for p in self.panes() if p.document_id]

    def pane_of(self, document_id: str) -> DocumentPane | None:
        return next((p for p in self.panes() if p.document_id == document_id), None)

    def show_document(self, document_id: str) -> None:
        """Show an article with its event's transcript, or a transcript on its own side."""
        store = self.session.store
        summary = store.resolve_document(document_id)
        if summary.kind == TRANSCRIPT:
            self._show_transcript(summary.id, summary)
            if self.article.document and self.article.document.event != summary.event:
                self.article.show_empty("Choose an article of this event")
        else:
            self._load(self.article, summary.id, summary)
            transcripts = store.transcripts_for(summary.id)
            if transcripts:
                current = self.transcript.document_id if self.transcript.document_id in {t.id for t in transcripts} else None
                target = current or transcripts[0].id
                self.transcript.set_choices(transcripts, target)
                self._show_transcript(target, next(t for t in transcripts if t.id == target))
            else:
                # Another event's transcript beside this article would read as its source: the pane
                # says why it is empty, and the chooser offers every transcript to pick one on purpose.
                everything = store.transcripts()
                self.transcript.set_choices(everything, None, always=True)
                event = f"“{summary.event}”" if summary.event else "this article (it has no event)"
                self.transcript.show_empty(
                    f"No transcript for {event}" + (": choose one above to read it against"
                                                     if everything else ""))
                self._reload_links()
        self.documents_changed.emit()

    def show_transcript(self, transcript_id: str) -> None:
        self._show_transcript(transcript_id)
        self.documents_changed.emit()

    def _show_transcript(self, transcript_id: str, summary: DocumentSummary | None = None) -> None:
        """Show the transcript; the caller emits ``documents_changed`` once (the lists reload on it)."""
        self._load(self.transcript, transcript_id, summary)
        self.transcript.chooser.setCurrentIndex(max(0, self.transcript.chooser.findData(transcript_id)))
        self._reload_links()

    def _load(self, pane: DocumentPane, document_id: str, summary: DocumentSummary | None = None) -> None:
        """Show a document in a pane (``summary``: its summary when the caller has it, read otherwise;
        a long document's counts take a few milliseconds)."""
        store = self.session.store
        summary = summary or store.resolve_document(document_id)
        pane.show_document(summary, store.text(document_id), StoredLines(store, document_id),
                           StoredSpans(store, document_id))
        self._apply_outlines(pane)

    def set_review_marks(self, outlines: dict[str, list[Outline]], labels: dict) -> None:
        """Show where two layers disagree: boxes around both sides' spans, relations on the connectors."""
        self.review_outlines = outlines
        self.canvas.set_labels(labels)
        for pane in self.panes():
            self._apply_outlines(pane)

    def _apply_outlines(self, pane: DocumentPane) -> None:
        visible = self.styler.visible_layers
        pane.view.set_outlines([
            outline for outline in self.review_outlines.get(pane.document_id, [])
            if visible is None or outline.layer in visible
        ])

    def _reload_links(self) -> None:
        article, transcript = self.article.document_id, self.transcript.document_id
        if not article or not transcript:
            self.canvas.set_links([], {})
        else:
            links = self.session.store.links(article_id=article, target_id=transcript)
            self.canvas.set_links(links, self.article.view.spans.ranges(k.span_id for k in links))
        self.refresh_coverage()
        self._mark_link_ends()
        if self.follow:
            self._follow_timer.start()

    def refresh_coverage(self) -> None:
        transcript = self.transcript.document_id
        if transcript:
            self.transcript.view.set_coverage(
                StoredCoverage(self.session.store, transcript, self.styler.visible_layers), show=True
            )

    def refresh_styles(self) -> None:
        self.canvas.visible_layers = self.styler.visible_layers
        for pane in self.panes():
            pane.view.refresh_highlights()
            self._apply_outlines(pane)
        self.refresh_coverage()
        self.canvas.update()

    # ---------------------------------------------------------------- changes
    def on_changed(self, changes: Changes, initiator: object) -> None:
        store = self.session.store
        if changes.corpus or changes.codebook:
            for pane in self.panes():
                if pane.document_id:
                    pane.view.set_all_spans(StoredSpans(store, pane.document_id))
        elif changes.spans:
            for pane in self.panes():
                if pane.document_id not in changes.documents:
                    continue
                present: list[Span] = []
                removed: list[str] = []
                for span_id in changes.spans:
                    if store.has_span(span_id):
                        span = store.span(span_id)
                        if span.document_id == pane.document_id:
                            present.append(span)
                    else:
                        # Gone from the project: the view drops it if it has it.
                        removed.append(span_id)
                pane.view.update_spans(present, removed)
        # Links (and the coverage counted from them) change only with links, or with spans that
        # carry links; a new claim without links leaves the 2,000 links of a big article alone.
        if changes.links or changes.corpus or (changes.spans and not changes.spans.isdisjoint(self.canvas.span_ranges)):
            self._reload_links()
        if self.current_span and not store.has_span(self.current_span):
            self.select_span("")
        if self.current_link and changes.links and self.current_link in changes.links:
            try:
                store.link(self.current_link)
            except KeyError:
                self.select_link("")

    # -------------------------------------------------------------- selection
    def select_span(self, span_id: str, *, scroll: bool = True, flash: bool = False, source: TextView | None = None) -> None:
        self.current_span = span_id
        for pane in self.panes():
            ids = {span_id} if span_id and span_id in pane.view.spans.by_id else set()
            pane.view.set_selected(ids)
            if ids and scroll and pane.view is not source:
                span = pane.view.spans.by_id[span_id]
                pane.view.scroll_to(span.start, span.end)
            if ids and flash:
                pane.view.flash(span_id)
        self._mark_link_ends()
        self.current_span_changed.emit(span_id)

    def select_link(self, link_id: str) -> None:
        """Select a link and scroll both panes to show its ends."""
        self.current_link = link_id
        self.canvas.selected_link = link_id
        if link_id:
            link = self.session.store.link(link_id)
            span = self.session.store.span(link.span_id)
            pane = self.pane_of(span.document_id)
            if pane is not None:
                pane.view.scroll_to(span.start, span.end)
            target = self.pane_of(link.target_document_id)
            if target is not None:
                target.view.scroll_to(link.target_start, link.target_end)
            if self.current_span != span.id:
                self.select_span(span.id, scroll=False)
        self._mark_link_ends()
        self.canvas.update()
        self.current_link_changed.emit(link_id)

    def _mark_link_ends(self) -> None:
        """Outline the transcript ranges the selected span links to."""
        marks = []
        if self.current_span and self.transcript.document_id:
            for link in self.canvas.shown_links():
                if link.span_id == self.current_span or link.id == self.current_link:
                    marks.append((link.target_start, link.target_end, LINK_END_COLOR))
        self.transcript.view.set_marks(marks)

    def _link_hovered(self, link_id: str) -> None:
        if not link_id:
            self.article.view.set_emphasised(set())
            self._mark_link_ends()
            return
        link: Link = next((k for k in self.canvas.links if k.id == link_id), None)
        if link is None:
            return
        self.article.view.set_emphasised({link.span_id})
        self.transcript.view.set_marks([(link.target_start, link.target_end, QColor(31, 111, 178, 140))])

    def _article_scrolled(self) -> None:
        if self.follow:
            self._follow_timer.start()

    def follow_article(self) -> None:
        """Scroll the transcript to the source of the first linked span in view, unless it is visible."""
        view = self.transcript.view
        if not self.transcript.document_id or not self.canvas.links:
            return
        start, end = self.article.view.visible_range()
        shown = [k for k in self.canvas.shown_links()
                 if start <= self.canvas.span_ranges[k.span_id][0] < end]
        if not shown:
            return
        # The claim the user works on comes first: a link just made must not scroll away
        # in favour of an older one higher up in the article.
        current = [k for k in shown if k.span_id == self.current_span]
        if current:
            if any(view.is_shown(k.target_start, k.target_end) for k in current):
                return
            first = min(current, key=lambda k: k.target_start)
        else:
            first = min(shown, key=lambda k: (self.canvas.span_ranges[k.span_id][0], k.target_start))
        if not view.is_shown(first.target_start, first.target_end):
            view.scroll_to(first.target_start, first.target_end)

    def reveal_source(self, start: int, end: int) -> None:
        """Bring a range of the shown transcript into view (the source of a link just made)."""
        if self.transcript.document_id:
            self.transcript.view.scroll_to(start, end)

    def _line_clicked(self, number: int) -> None:
        if self.line_activated is not None:
            self.line_activated(number)

    # ------------------------------------------------------------ convenience
    def focused_pane(self) -> DocumentPane | None:
        """The pane the user is working in: focus first, then a selection."""
        for pane in self.panes():
            if pane.view.hasFocus() and pane.document_id:
                return pane
        for pane in self.panes():
            start, end = pane.view.selection()
            if end > start and pane.document_id:
                return pane
        return self.article if self.article.document_id else (self.transcript if self.transcript.document_id else None)

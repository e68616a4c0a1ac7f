"""The main window's editing verbs: a key press with the current selection becomes a session verb.

A part of ``MainWindow`` (a mixin it inherits). It holds no annotation logic: what a verb
changes comes back to every view through ``session.changed``.
"""

from __future__ import annotations

# The dialogs and the tag popup are imported when first asked for: the window's start does without them.


class EditingVerbs:
    """Marking, tagging, notes, finding and stepping through annotations (mixed into ``MainWindow``)."""

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
        from ..document.tag_popup import TagPopup

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
        from ..dialogs.small_dialogs import NoteDialog

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
        from ..dialogs.codebook_dialog import CodebookDialog

        CodebookDialog(self.session, self).exec()

    def change_annotator(self) -> None:
        from ..dialogs.small_dialogs import ask_annotator_name

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
        current = self.workspace.article.document_id or self.workspace.transcript.document_id
        following = self.navigator.listing.step(current or None, direction)  # a few index seeks, not every id
        if following is not None:
            self.open_document(following)

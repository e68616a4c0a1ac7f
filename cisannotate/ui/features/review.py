"""Reviewing colleagues' annotations: comparing two layers, adjudicating, agreement, comment threads.

A feature of the main window kept in its own module: it owns the Review and
Comments panels and their actions, and turns the reviewer's keys into session
actions built by ``cisannotate.adjudication``. The comparison is computed when the
Review panel is on screen (or a review key is pressed) and kept up to date
document by document from ``session.changed``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDockWidget

from ...core.changes import Changes
from ...core.model import REVIEWED_LAYER, Span
from ...adjudication import (
    ACCEPT_A,
    ACCEPT_B,
    EDIT,
    REJECT,
    LayerReview,
    ReviewItem,
    SourceLines,
    accept_agreed,
    decide,
)
from ..panels.comments_panel import CommentsPanel
from ..common.icons import set_icon
from ..common.i18n import tr, translate_text
from ..panels.review_panel import SCOPE_SHOWN, Names, ReviewPanel
from ..document.styles import ANNOTATOR_COLORS, annotator_color
from ..document.spans import Outline

# Short relation names for the labels on the connectors (the band between the panes is narrow).
SHORT_RELATIONS = {"close paraphrase": "close", "loose paraphrase": "loose"}

if TYPE_CHECKING:
    from ..dialogs.agreement_dialog import AgreementDialog
    from PySide6.QtGui import QAction

    from .host import FeatureHost


class ReviewFeature(QObject):
    progress_changed = Signal(str)  # "Disagreements: N of M settled · …", or "" when nothing is compared

    def __init__(self, window: "FeatureHost") -> None:
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.workspace = window.workspace
        self.lines = SourceLines(self.session.store)
        self.review: LayerReview | None = None
        self.layers: tuple[str, str] = ("", "")
        self._stale = True
        self.agreement_dialog: "AgreementDialog | None" = None
        # Annotating re-matches the two layers of the documents it touched; that waits for a
        # pause in typing, so a key press repaints its highlight at once on a big document.
        self._pending: set[str] = set()
        self._pending_timer = QTimer(self, singleShot=True, interval=250)
        self._pending_timer.timeout.connect(self._apply_pending)

        self.panel = ReviewPanel(window)
        self.dock = window.add_dock("Review", self.panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.comments = CommentsPanel(self.session, window)
        self.comments_dock = window.add_dock("Comments", self.comments, Qt.DockWidgetArea.RightDockWidgetArea)
        self._tabify(self.dock)
        self._tabify(self.comments_dock)

        a = window.add_action
        self.act_next = a("Next disagreement", lambda: self.step(1), "F8", section="Review",
                          description="Go to the next item the two annotators disagree on")
        self.act_prev = a("Previous disagreement", lambda: self.step(-1), "Shift+F8", section="Review",
                          description="Go to the previous item the two annotators disagree on")
        self.act_accept_a = a("Accept A", lambda: self.decide(ACCEPT_A), "Alt+A", section="Review",
                              description="Copy annotator A's version into the reviewed layer")
        self.act_accept_b = a("Accept B", lambda: self.decide(ACCEPT_B), "Alt+B", section="Review",
                              description="Copy annotator B's version into the reviewed layer")
        self.act_edit = a("Edit", lambda: self.decide(EDIT), "Alt+E", section="Review",
                          description="Copy one version into the reviewed layer and select it to change "
                                      "its category (category keys) or speaker (Q)")
        self.act_reject = a("Reject", lambda: self.decide(REJECT), "Alt+R", section="Review",
                            description="Keep neither version")
        self.act_accept_agreed = a("Accept all agreed", self.accept_all_agreed, None, section="Review",
                                   description="Copy every item both annotators agree on into the reviewed layer")
        self.act_agreement = a("Agreement report…", self.show_agreement, "Ctrl+Shift+R", section="Review",
                               description="Agreement figures of the annotators, overall and per document")
        set_icon(self.act_agreement, "agreement")
        self.act_comment = a("Add comment", self.add_comment, "Ctrl+Shift+M", section="Review",
                             description="Add the typed comment to the selected annotation's thread "
                                         "(focuses the comment box when it is empty)")
        self.act_focus_list = a("Go to review list", self.focus_list, None, section="Review",
                                description="Move the focus to the list of compared items")
        set_icon(self.dock.toggleViewAction(), "review")

        for action in self.decision_actions():
            self.panel.add_action_button(action)
        self.panel.add_action_button(self.act_accept_agreed)
        self.panel.add_action_button(window.act_layers_by_annotator, beside_layer_views=True)
        self.panel.add_action_button(self.act_agreement, beside_layer_views=True)
        self.comments.add_action_button(self.act_comment)

        self.panel.layers_chosen.connect(self.compare)
        self.panel.scope_changed.connect(lambda _scope: self.reload())
        self.panel.item_chosen.connect(self.go_to)
        self.panel.layer_view_chosen.connect(self.show_layers)
        self.comments.message.connect(lambda text: window.statusBar().showMessage(text, 5000))
        self.dock.visibilityChanged.connect(self._visibility_changed)
        self.workspace.current_span_changed.connect(self.comments.show_span)
        self.workspace.documents_changed.connect(self._documents_shown)
        self.session.changed.connect(self._on_changed)
        self._shut_down = False
        self._update_actions()

    def _tabify(self, dock: QDockWidget) -> None:
        """Put a new dock behind the first dock already in its area, so the layout keeps its proportions."""
        area = self.window.dockWidgetArea(dock)
        others = [d for d in self.window.findChildren(QDockWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                  if d is not dock and self.window.dockWidgetArea(d) == area and not d.isFloating()]
        if others:
            self.window.tabifyDockWidget(others[0], dock)
            others[0].raise_()

    def decision_actions(self) -> list["QAction"]:
        return [self.act_accept_a, self.act_accept_b, self.act_edit, self.act_reject]

    def menu_actions(self) -> list["QAction | None"]:
        return [self.act_next, self.act_prev, self.act_focus_list, None, *self.decision_actions(),
                self.act_accept_agreed, None, self.act_agreement, None, self.act_comment]

    # ------------------------------------------------------------ comparison
    def compare(self, layer_a: str, layer_b: str) -> None:
        """Compare ``layer_a`` (A) with ``layer_b`` (B)."""
        self.layers = (layer_a, layer_b)
        self.reload()

    def _pair(self, layers: list[str]) -> tuple[str, str]:
        """The pair compared: the chosen one while both layers exist, else the first two layers."""
        if self.layers[0] in layers and self.layers[1] in layers:
            return self.layers
        return (layers[0], layers[1]) if len(layers) >= 2 else ("", "")

    def reload(self) -> None:
        """Recompute the comparison from scratch (layers, scope or corpus changed)."""
        layers = [layer for layer in self.session.store.layers() if layer != REVIEWED_LAYER]
        self.layers = self._pair(layers)
        self.panel.set_layers(layers, *self.layers)
        self.panel.set_names(self._names())
        self._stale = False
        if len(layers) < 2:
            self._no_review("Reviewing compares two annotators' layers; this project has "
                            f"{len(layers)} so far.")
            return
        if self.layers[0] == self.layers[1]:
            self._no_review("Choose two different annotators as A and B.")
            return
        scope = self.workspace.shown_ids() if self.panel.scope_value() == SCOPE_SHOWN else None
        self.review = LayerReview(self.session.store, *self.layers, scope, self.lines)
        self._show()

    def _no_review(self, message: str) -> None:
        self.review = None
        self.workspace.set_review_marks({}, {})
        self.panel.show_message(message)
        self.progress_changed.emit("")
        self._update_actions()

    def ensure_current(self) -> None:
        """Bring the comparison up to date before a step or decision (changes may be waiting)."""
        if self._pending and not self._stale and self.review is not None and self.dock.isVisible():
            self._apply_pending()
        if self._stale or self.review is None:
            self.reload()

    def _names(self) -> Names:
        store = self.session.store
        return Names(
            {c.id: c.name for c in store.categories()},
            {s.id: s.name for s in store.speakers()},
            {c.id: c.name for c in store.channels()},
            store.titles(),
        )

    def _show(self) -> None:
        assert self.review is not None
        text = self.review.progress().text
        self.panel.show_items(self.review.items, self.review.targets, self.layers, text, self.review.relations)
        self.progress_changed.emit(translate_text(text))
        self._update_actions()
        self.mark_disagreements()

    def side_colors(self) -> tuple["QColor", "QColor"]:
        """The colours of A's and B's boxes: their annotator colours, B's moved on when both are the same."""
        color_a, color_b = annotator_color(self.layers[0]), annotator_color(self.layers[1])
        if color_a == color_b:
            index = ANNOTATOR_COLORS.index(color_b.name().lower())
            color_b = QColor(ANNOTATOR_COLORS[(index + 1) % len(ANNOTATOR_COLORS)])
        return color_a, color_b

    def mark_disagreements(self) -> None:
        """Box both sides of every disagreement on screen, in the article and at the link ends in the
        transcript, and write each side's relation on the connectors where relations or links differ."""
        if self.review is None or not self.dock.isVisible():
            self.workspace.set_review_marks({}, {})
            return
        store = self.session.store
        shown = set(self.workspace.shown_ids())
        colors = dict(zip("ab", self.side_colors()))
        outlines: dict[str, list[Outline]] = {}
        labels: dict[str, tuple[str, QColor, str]] = {}
        for item in self.review.items:
            if not item.disagreement or item.document_id not in shown:
                continue
            link_differs = {"relation", "links"} & set(item.match.differences) or item.a is None or item.b is None
            for side, span in (("a", item.a), ("b", item.b)):
                if span is None:
                    continue
                color = colors[side]
                outlines.setdefault(span.document_id, []).append(Outline(span.start, span.end, color, side, span.layer))
                if not link_differs:
                    continue
                for link in store.links_for_span(span.id):
                    outlines.setdefault(link.target_document_id, []).append(
                        Outline(link.target_start, link.target_end, color, side, link.layer))
                    relation = SHORT_RELATIONS.get(link.relation, link.relation)
                    labels[link.id] = (f"{side.upper()}: {tr(relation)}", color, side)
        self.workspace.set_review_marks(outlines, labels)

    def _visibility_changed(self, visible: bool) -> None:
        if visible and self._stale:
            self.reload()
        else:
            self.mark_disagreements()

    def _documents_shown(self) -> None:
        if self.panel.scope_value() == SCOPE_SHOWN:
            self._refresh_later_or_now()
        else:
            self.mark_disagreements()

    def _refresh_later_or_now(self) -> None:
        self._stale = True
        if self.dock.isVisible():
            self.reload()

    def _on_changed(self, changes: Changes, _initiator: object) -> None:
        self.comments.on_changed(changes)
        if changes.codebook:
            self.panel.set_names(self._names())
        if self.review is None or changes.corpus:
            if changes.corpus:
                self._refresh_later_or_now()
            elif changes.spans:
                self._stale = True
                self._pending_timer.start()
            return
        if not (changes.spans or changes.links or changes.reviews):
            return
        if not self.dock.isVisible():
            self._stale = True
            return
        if changes.reviews:
            # A decision: the list and the count of settled items follow at once.
            if not self.dock.isVisible():
                self._stale = True
                return
            self._apply_pending()
            if changes.spans or changes.links:
                self._reload_documents(changes.documents)
            else:
                self.review.reload_reviews()
            self._show()
            return
        self._pending |= changes.documents
        self._pending_timer.start()

    def shutdown(self) -> None:
        """The window is closing: nothing may query the project after this."""
        self._pending_timer.stop()
        self._pending.clear()
        if not self._shut_down:
            self._shut_down = True
            self.session.changed.disconnect(self._on_changed)

    def flush(self) -> None:
        """Bring the comparison up to date now (normally done after a short pause)."""
        self._apply_pending()

    def _apply_pending(self) -> None:
        self._pending_timer.stop()
        if self.review is None:
            self._pending.clear()
            if self._stale:
                self._refresh_later_or_now()
            return
        if not self._pending:
            return
        documents, self._pending = self._pending, set()
        if not self.dock.isVisible():
            self._stale = True
            return
        if self._reload_documents(documents):
            self._show()

    def _reload_documents(self, documents: set[str]) -> bool:
        """Re-match ``documents``; False when the layers compared are gone (then all was reloaded)."""
        assert self.review is not None
        layers = set(self.session.store.layers()) - {REVIEWED_LAYER}
        if not set(self.layers) <= layers:
            self.reload()
            return False
        self.panel.set_layers(sorted(layers), *self.layers)
        self.review.reload(documents)
        return True

    # ------------------------------------------------------------ navigation
    def step(self, direction: int) -> None:
        """Go to the next or previous disagreement, showing the Review panel first."""
        self.dock.show()
        self.dock.raise_()
        self.ensure_current()
        if self.panel.step(direction) is None:
            self.window.statusBar().showMessage("No disagreements to step through.", 4000)

    def focus_list(self) -> None:
        self.dock.show()
        self.dock.raise_()
        self.ensure_current()
        self.panel.table.setFocus()

    def go_to(self, item: ReviewItem | None) -> None:
        """Open the item's document and select its annotation (A's, or B's when A has none or is hidden)."""
        self._update_actions()
        if item is None:
            return
        span = self._shown_side(item)
        if span.document_id not in self.workspace.shown_ids():
            self.window.open_document(span.document_id)
        self.workspace.select_span(span.id, scroll=True, flash=True)
        self._scroll_transcript_to_source(item)

    def _shown_side(self, item: ReviewItem) -> Span:
        sides = [span for span in (item.a, item.b) if span is not None]
        visible = [span for span in sides if self.window.styler.style(span) is not None]
        return (visible or sides)[0]

    def _scroll_transcript_to_source(self, item: ReviewItem) -> None:
        """Bring the first source line either side linked into view in the transcript pane."""
        transcript = self.workspace.transcript
        store = self.session.store
        for span in (item.a, item.b):
            if span is None or span.document_id == transcript.document_id:
                continue
            for link in store.links_for_span(span.id):
                if link.target_document_id == transcript.document_id:
                    transcript.view.scroll_to(link.target_start, link.target_end)
                    return

    # -------------------------------------------------------------- deciding
    def decide(self, decision: str) -> None:
        """Record ``decision`` on the selected item as one undoable action."""
        self.ensure_current()
        item = self.panel.current_item()
        if item is None:
            self.window.statusBar().showMessage("Choose an item in the Review panel first (F8).", 4000)
            return
        try:
            made = decide(self.session.store, item, decision, self.session.annotator,
                          comment=self.panel.comment.text(), edit_from=self.panel.edit_from(), layers=self.layers)
        except ValueError as exc:
            self.window.statusBar().showMessage(str(exc), 5000)
            return
        if not self.session.record_review(made.review, made.ops, made.label):
            return
        self.panel.take_comment()
        if made.result is not None:
            self._show_reviewed_layer()
        if decision == EDIT and made.result is not None:
            self._select_for_editing(made.result)
        self.window.statusBar().showMessage(made.label.removeprefix("Review: ").capitalize() + ".", 4000)

    def _show_reviewed_layer(self) -> None:
        visible = self.window.styler.visible_layers
        if visible is not None and REVIEWED_LAYER not in visible:
            self.window.set_layer_visible(REVIEWED_LAYER, True)

    def _select_for_editing(self, span: Span) -> None:
        """Select the new reviewed span with the keyboard in its pane, so category keys and Q change it."""
        if span.document_id not in self.workspace.shown_ids():
            self.window.open_document(span.document_id)
        pane = self.workspace.pane_of(span.document_id)
        if pane is None:
            return
        pane.view.select_range(span.start, span.start)
        pane.view.setFocus()
        self.workspace.select_span(span.id, scroll=True, flash=True)
        self.window.statusBar().showMessage(
            "Reviewed copy selected: press a category key to change its category, Q to tag its speaker.", 6000)

    def accept_all_agreed(self) -> None:
        self.ensure_current()
        if self.review is None:
            return
        ops = accept_agreed(self.session.store, self.review.items, self.session.annotator)
        count = sum(1 for item in self.review.items if not item.disagreement and not item.settled)
        if not ops:
            self.window.statusBar().showMessage("Every agreed item is settled already.", 4000)
            return
        if self.session.execute(f"Review: accept {count} agreed item{'s' if count != 1 else ''}", ops):
            self._show_reviewed_layer()

    def _update_actions(self) -> None:
        item = self.panel.current_item()
        writable = not self.session.read_only
        self.act_accept_a.setEnabled(writable and item is not None and item.a is not None)
        self.act_accept_b.setEnabled(writable and item is not None and item.b is not None)
        self.act_edit.setEnabled(writable and item is not None)
        self.act_reject.setEnabled(writable and item is not None)
        self.act_accept_agreed.setEnabled(writable and self.review is not None)
        self.act_comment.setEnabled(writable)

    # ---------------------------------------------------------------- layers
    def show_layers(self, view: str) -> None:
        """Show only A, only B, both, only the reviewed layer, or every layer."""
        store_layers = self.session.store.layers()
        wanted = {
            "a": {self.layers[0]},
            "b": {self.layers[1]},
            "both": set(self.layers),
            "reviewed": {REVIEWED_LAYER},
            "all": set(store_layers),
        }[view]
        for layer in store_layers:
            self.window.set_layer_visible(layer, layer in wanted)

    # ------------------------------------------------------------- agreement
    def show_agreement(self) -> None:
        self.ensure_current()
        layers = [layer for layer in self.session.store.layers() if layer != REVIEWED_LAYER]
        if len(layers) < 2:
            self.window.statusBar().showMessage("The agreement report needs two annotators' layers.", 4000)
            return
        chosen = [layer for layer in self.layers if layer] or layers[:2]
        from ..dialogs.agreement_dialog import AgreementDialog

        self.agreement_dialog = AgreementDialog(self.session.store, layers, chosen, self.lines, self.window)
        self.agreement_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.agreement_dialog.destroyed.connect(self._agreement_closed)
        self.agreement_dialog.open()

    def _agreement_closed(self) -> None:
        self.agreement_dialog = None

    # -------------------------------------------------------------- comments
    def add_comment(self) -> None:
        self.comments_dock.show()
        self.comments_dock.raise_()
        self.comments.submit()

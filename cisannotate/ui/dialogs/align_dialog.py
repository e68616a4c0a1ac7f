"""Align an article: every sentence in turn, pre-filled with its best suggestion.

Enter accepts what is highlighted (the best suggestion, or "No source" when the
scores say so), a digit picks another suggestion, N marks no source, S skips,
Backspace goes back. P accepts the sentence's proposed quotation or reported speech
(pre-annotation) as a claim with its speaker, mode and channel, R rejects it (the next
proposal of the sentence, if any, is shown). Every step is an ordinary session action:
Ctrl+Z undoes it here as in the window.

The suggestions come from the window's suggestion index. When it is not built yet the
dialog opens at once and says the suggestions are getting ready (the build runs in the
window's worker thread, the one the Source panel waits for, started here if nothing had
started it); the sentences and their suggestions fill in when it is there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ...proposals import Proposer, accept_ops
from ..common.i18n import tr, translate_text, trf, via_label
from ..common.keys import close_button_box
from .proposal_words import describe

if TYPE_CHECKING:
    from ...session import Session
    from ...suggestions import Suggester
    from ..document.workspace import Workspace


class IndexBuild(Protocol):
    """The window's background build of the suggestion index (features.index_builder)."""

    ready: SignalInstance
    failed: SignalInstance

    def start(self) -> None: ...


class AlignHost(Protocol):
    """What the dialog needs of the linking feature that opens it."""

    session: Session
    workspace: Workspace
    suggester: Suggester
    scope: str

    @property
    def index_builder(self) -> IndexBuild: ...

    def link_ranges(self, target: tuple[str, int, int, str], ranges: list[tuple[str, int, int]],
                    source_text: str) -> None: ...

NO_SOURCE_ROW = "No source in the transcript (N)"
GETTING_READY = "Getting the suggestions ready: indexing the transcripts…"  # as the Source panel says


def _excerpt(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


class AlignDialog(QDialog):
    def __init__(self, linking: "AlignHost", article_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.linking = linking
        self.session = linking.session
        self.article_id = article_id
        self.setWindowTitle("Align article with its transcript")
        self.setAccessibleName("Align article")
        self.resize(760, 520)
        self.rows: list = []  # (sentence, its suggestion) once the index is there
        self.waiting = False  # True while the suggestion index is built in the background
        self._builder: IndexBuild | None = None
        self.index = 0
        self.decisions: dict[int, str] = {}  # sentence index -> what was decided
        self.history: list[int] = []  # decided sentence indices, in the order of the undo stack
        self.proposals = Proposer(self.session.store).propose(article_id, layer=self.session.annotator)
        self.rejected_proposals: set[tuple[int, int]] = set()  # proposals rejected here (R)

        layout = QVBoxLayout(self)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Sentences handled")
        layout.addWidget(self.progress)
        self.position = QLabel(self)
        self.position.setAccessibleName("Sentence position")
        layout.addWidget(self.position)
        self.sentence = QLabel(self)
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sentence.setAccessibleName("Article sentence")
        self.sentence.setStyleSheet("font-size: 12pt; padding: 6px; border: 1px solid palette(mid)")
        layout.addWidget(self.sentence)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Decision for this sentence")
        layout.addWidget(self.state)
        self.choices = QListWidget(self)
        self.choices.setWordWrap(True)
        self.choices.setAccessibleName("Candidate source lines")
        # One key press, one decision: Return reaches keyPressEvent below (the list passes it on
        # after emitting itemActivated), so only a double click is taken from the list itself.
        self.choices.itemDoubleClicked.connect(lambda _item: self.accept_current())
        layout.addWidget(self.choices, 1)
        help_text = QLabel(
            "Enter: accept the highlighted choice · 1–5: link to that line · N: no source · "
            "P: accept the proposed claim · R: reject it · S or →: skip · Backspace or ←: back · "
            "Ctrl+Z: undo · Esc: close", self)
        help_text.setWordWrap(True)
        layout.addWidget(help_text)
        layout.addWidget(close_button_box(self))  # Enter decides the sentence, never closes

        for i in range(5):
            QShortcut(QKeySequence(str(i + 1)), self, lambda i=i: self.accept_candidate(i))
        QShortcut(QKeySequence("N"), self, self.accept_no_source)
        QShortcut(QKeySequence("P"), self, self.accept_proposal)
        QShortcut(QKeySequence("R"), self, self.reject_proposal)
        QShortcut(QKeySequence("S"), self, lambda: self.go(1))
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, lambda: self.go(1))
        QShortcut(QKeySequence(Qt.Key.Key_Backspace), self, lambda: self.go(-1))
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, lambda: self.go(-1))
        QShortcut(QKeySequence.StandardKey.Undo, self, self.undo)
        self._load()

    # ------------------------------------------------------ the suggestions
    def _load(self) -> None:
        """Rank the article's sentences if the index is there (or not needed: the article's
        event has no transcript); else wait for the window's background build."""
        suggester = self.linking.suggester
        if not suggester.ready and suggester.scope_documents(self.article_id, self.linking.scope) != []:
            builder = self.linking.index_builder
            builder.start()  # nothing happens when a build is already running
            if not suggester.ready:
                self._wait_for(builder)
                return
        self.waiting = False
        self.rows = suggester.rank_article(self.article_id, scope=self.linking.scope)
        self.progress.setRange(0, max(1, len(self.rows)))
        self.show_current()

    def _wait_for(self, builder: IndexBuild) -> None:
        self.waiting = True
        self._builder = builder
        builder.ready.connect(self._index_ready)
        builder.failed.connect(self._index_failed)
        self.progress.setRange(0, 0)  # busy
        self.position.setText(tr(GETTING_READY))
        sentences = self.linking.suggester.article_sentences(self.article_id)
        self.sentence.setText(sentences[0][2] if sentences else "")
        self.state.clear()
        self.choices.clear()

    def _stop_waiting(self) -> None:
        builder, self._builder = self._builder, None
        if builder is not None:
            builder.ready.disconnect(self._index_ready)
            builder.failed.disconnect(self._index_failed)

    def _index_ready(self) -> None:
        self._stop_waiting()
        self._load()

    def _index_failed(self, message: str) -> None:
        self._stop_waiting()
        self.progress.setRange(0, 1)
        self.position.setText(tr("The suggestions could not be prepared:") + " " + message)

    def done(self, result: int) -> None:
        self._stop_waiting()  # closed while waiting: a build that ends later changes nothing here
        super().done(result)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_current()
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------- display
    def show_current(self) -> None:
        if self.waiting:
            return
        self.progress.setValue(len(self.decisions))
        if not self.rows:
            self.position.setText("This article has no sentences to align.")
            return
        (start, end, text), suggestion = self.rows[self.index]
        self.position.setText(f"Sentence {self.index + 1} of {len(self.rows)} · {len(self.decisions)} handled")
        self.sentence.setText(text)
        proposed = self._proposed()
        decided = self.decisions.get(self.index)
        more = trf(", 1 of %1", len(proposed)) if len(proposed) > 1 else ""
        self.state.setText((translate_text(decided) if decided else tr("Not yet decided")) + "".join(
            " · " + trf("proposed: %1 (P accept, R reject%2): “%3”", describe(p), more, _excerpt(p.proposal.text))
            for p in proposed[:1]))
        self.choices.clear()
        for i, c in enumerate(suggestion.candidates):
            lines = trf("lines %1–%2", c.lines[0], c.lines[-1]) if c.merged else trf("line %1", c.line)
            speech = suggestion.speech(c)
            if c in suggestion.via:  # reached through the version in the article's language
                speech = via_label(suggestion.via[c].language) + "  ·  " + speech
            item = QListWidgetItem(f"{i + 1}  ·  {lines}  ·  {c.score:.2f}  ·  {speech}\n{c.text}")
            if c.score < suggestion.threshold:
                item.setForeground(Qt.GlobalColor.gray)
            self.choices.addItem(item)
        self.choices.addItem(QListWidgetItem(tr(NO_SOURCE_ROW)))
        # Pre-fill: the best suggestion, or "no source" when even the best is unlikely.
        self.choices.setCurrentRow(len(suggestion.candidates) if suggestion.no_source else 0)
        self.linking.workspace.article.view.select_range(start, end)
        self.linking.workspace.article.view.scroll_to(start, end)

    def go(self, step: int) -> None:
        if self.rows:
            self.index = max(0, min(len(self.rows) - 1, self.index + step))
            self.show_current()

    # ------------------------------------------------------------- decisions
    def _target(self) -> tuple[str, int, int, str]:
        (start, end, _text), _s = self.rows[self.index]
        start, end = self.session.trimmed(self.article_id, start, end)
        existing = [
            s for s in self.session.store.spans(self.article_id, start=start, end=end)
            if s.start == start and s.end == end and s.layer == self.session.annotator
        ]
        return self.article_id, start, end, existing[0].id if existing else ""

    def accept_current(self) -> None:
        row = self.choices.currentRow()
        suggestion = self.rows[self.index][1] if self.rows else None
        if suggestion is None:
            return
        if row >= len(suggestion.candidates):
            self.accept_no_source()
        else:
            self.accept_candidate(row)

    def accept_candidate(self, i: int) -> None:
        if not self.rows:
            return
        suggestion = self.rows[self.index][1]
        if i >= len(suggestion.candidates):
            return
        c = suggestion.candidates[i]
        bridged = suggestion.via.get(c)  # the relation is judged on the version in the article's language
        self.linking.link_ranges(self._target(), [(c.document_id, s, e) for s, e in c.ranges],
                                 bridged.version.text if bridged else c.text)
        self._decided(f"Linked to line{'s' if c.merged else ''} {', '.join(map(str, c.lines))}")

    def _proposed(self) -> list:
        """The proposals that begin in the current sentence (a quotation over several
        sentences is offered where it opens), less those rejected here."""
        (start, end, _text), _s = self.rows[self.index]
        return [p for p in self.proposals if start <= p.start < end
                and (p.start, p.end) not in self.rejected_proposals]

    def accept_proposal(self) -> None:
        proposed = self._proposed() if self.rows else []
        if proposed and self.session.execute(f"Accept proposed {proposed[0].mode}",
                                             accept_ops(proposed[0], self.session.make_span,
                                                        self.session.store)):
            self.proposals.remove(proposed[0])
            self.show_current()

    def reject_proposal(self) -> None:
        proposed = self._proposed() if self.rows else []
        if proposed:
            self.rejected_proposals.add((proposed[0].start, proposed[0].end))
            self.show_current()

    def accept_no_source(self) -> None:
        if not self.rows:
            return
        document, start, end, span_id = self._target()
        if span_id:
            self.session.mark_no_source(span_id)
        else:
            self.session.add_span(document, start, end, no_source=True)
        self._decided("No source")

    def _decided(self, what: str) -> None:
        self.decisions[self.index] = what
        self.history.append(self.index)
        if self.index < len(self.rows) - 1:
            self.index += 1
        self.show_current()

    def undo(self) -> None:
        stack = self.session.undo_stack
        if stack.canUndo():
            proposal = stack.undoText().startswith("Accept proposed")
            stack.undo()
            if proposal:  # an accepted proposal is offered again
                self.proposals = Proposer(self.session.store).propose(
                    self.article_id, layer=self.session.annotator)
            elif self.history:
                self.index = self.history.pop()
                self.decisions.pop(self.index, None)
            self.show_current()

"""The Source panel: suggested source lines, the links of the selected claim, and fidelity.

It shows; the window acts. Accepting a suggestion, changing a relation or
removing a link are requests the window turns into session verbs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.model import RELATIONS, Link
from ..document.link_canvas import RELATION_STYLES
from ..common.i18n import tr, trf, via_label

if TYPE_CHECKING:
    from ...core.fidelity import Comparison
    from ...suggestions import Suggestion

# The suggestion and comparison code (word lists, stemmers) loads with the first claim
# shown here, not when the window starts.


def fidelity_html(comparison: "Comparison") -> str:
    """The comparison as rich text: left out struck through, added underlined, substitutions paired."""
    import html  # here: the window's start does without it

    parts = []
    for piece in comparison.pieces:
        src, art = html.escape(piece.source), html.escape(piece.article)
        if piece.kind == "same":
            parts.append(art)
        elif piece.kind == "left_out":
            parts.append(f"<s style='color:#b03a2e' title='left out'>{src}</s>")
        elif piece.kind == "added":
            parts.append(f"<u style='color:#1e8449' title='added'>{art}</u>")
        else:
            parts.append(
                f"<s style='color:#b03a2e'>{src}</s>&nbsp;→&nbsp;<u style='color:#1f6fb2'><b>{art}</b></u>"
            )
    summary = "<p style='color:gray'>" + html.escape(trf(
        "%1 of %2 source words kept (%3); %4 passage(s) left out, %5 added, %6 substituted.",
        comparison.same_words, comparison.source_words, f"{comparison.overlap:.0%}", len(comparison.left_out),
        len(comparison.added), len(comparison.substituted))) + "</p>"
    legend = "<p style='color:gray; font-size:small'>" + tr(
        "<s>struck</s> = in the source, left out · <u>underlined</u> = added by the article · a → b = substituted"
    ) + "</p>"
    return f"<p>{' '.join(parts)}</p>{summary}{legend}"


class _FitWidthDelegate(QStyledItemDelegate):
    """Rows as wide as the list, so each line of a suggestion is cut with "…" instead of scrolling."""

    def sizeHint(self, option, index):  # noqa: N802 (Qt override)
        size = super().sizeHint(option, index)
        size.setWidth(1)
        return size


class SourcePanel(QWidget):
    accept_requested = Signal(int)  # index of the suggestion (0-based)
    no_source_requested = Signal()
    scope_changed = Signal(str)
    relation_change_requested = Signal(str, str)  # link id, relation
    remove_link_requested = Signal(str)
    link_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        # The claim has the panel's whole width; where to look sits on a row of its own.
        self.heading = QLabel("Select a claim in the article to see where it comes from.", self)
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Source panel heading")
        layout.addWidget(self.heading)
        top = QHBoxLayout()
        self.scope = QComboBox(self)
        self.scope.addItem("This event's transcript", "event")
        self.scope.addItem("All transcripts", "all")
        self.scope.setAccessibleName("Where to look for sources")
        self.scope.currentIndexChanged.connect(lambda _i: self.scope_changed.emit(self.scope.currentData()))
        scope_label = QLabel("Look in:", self)
        scope_label.setBuddy(self.scope)
        top.addWidget(scope_label)
        top.addWidget(self.scope, 1)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        layout.addWidget(splitter, 1)

        box = QWidget(splitter)
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        self.verdict = QLabel(box)
        self.verdict.setAccessibleName("Suggestion verdict")
        self.verdict.setWordWrap(True)
        box_layout.addWidget(self.verdict)
        self.suggestions = QListWidget(box)
        self.suggestions.setAccessibleName("Suggested source lines")
        # Two rows per suggestion (number, line, score; then the line's start), so five fit:
        # the whole line is in the tooltip and in the transcript beside.
        self.suggestions.setWordWrap(False)
        self.suggestions.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.suggestions.setItemDelegate(_FitWidthDelegate(self.suggestions))
        self.suggestions.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.suggestions.setAlternatingRowColors(True)
        self.suggestions.itemActivated.connect(lambda item: self.accept_requested.emit(self.suggestions.row(item)))
        box_layout.addWidget(self.suggestions, 1)
        buttons = QHBoxLayout()
        self.accept_button = QPushButton("Link to 1st (1)", box)
        self.accept_button.setAccessibleName("Link to the first suggestion")
        self.accept_button.clicked.connect(lambda: self.accept_requested.emit(max(0, self.suggestions.currentRow())))
        self.no_source_button = QPushButton("No source (N)", box)
        self.no_source_button.setAccessibleName("Mark as having no source in the transcript")
        self.no_source_button.clicked.connect(self.no_source_requested)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.no_source_button)
        box_layout.addLayout(buttons)

        self.links = QTreeWidget(splitter)
        self.links.setAccessibleName("Links of the selected claim")
        self.links.setHeaderLabels(["Line", "Relation", "Layer", ""])  # short: the panel is narrow
        self.links.setRootIsDecorated(False)
        self.links.itemSelectionChanged.connect(self._link_selected)

        self.fidelity = QTextBrowser(splitter)
        self.fidelity.setAccessibleName("Fidelity comparison")
        self.fidelity.setPlaceholderText("Choose a link to compare its words.")
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        splitter.setSizes([330, 70, 110])
        self.current: "Suggestion | None" = None
        self._span_text = ""
        self._target_texts: dict[str, str] = {}
        self.show_nothing()

    def show_nothing(self, message: str = "Select a claim in the article to see where it comes from.") -> None:
        self.current = None
        self.heading.setText(tr(message))
        self.verdict.setText("")
        self.suggestions.clear()
        self.accept_button.setEnabled(False)
        self.no_source_button.setEnabled(False)
        self.links.clear()
        self.fidelity.clear()

    def show_suggestions(self, heading: str, suggestion: "Suggestion", can_no_source: bool) -> None:
        import html  # here: the window's start does without it

        self.current = suggestion
        self.heading.setText(heading)
        self.suggestions.clear()
        for i, c in enumerate(suggestion.candidates):
            likely = c.score >= suggestion.threshold
            lines = trf("lines %1–%2", c.lines[0], c.lines[-1]) if c.merged else trf("line %1", c.line)
            speech = suggestion.speech(c)
            if c in suggestion.via:  # reached through the version in the article's language (said first: titles are cut)
                speech = via_label(suggestion.via[c].language) + "  ·  " + speech
            item = QListWidgetItem(f"{i + 1}  ·  {lines}  ·  {c.score:.2f}  ·  {speech}\n"
                                   f"{' '.join(c.text.split())}")
            item.setToolTip("<p>" + html.escape(trf("Press %1 to link to %2 of %3:", i + 1, lines, speech))
                            + f"</p><p>{html.escape(c.text)}</p>")
            if not likely:
                item.setForeground(QColor("#808080"))
            self.suggestions.addItem(item)
        if not suggestion.candidates:
            self.verdict.setText(tr("No transcript to search: this article's event has none. Try “All transcripts”."))
        elif suggestion.no_source:
            self.verdict.setText("<b>" + tr("Probably no source here") + "</b> " + html.escape(trf(
                "(best score %1 < %2). Press N to mark it, or a digit to link anyway.",
                f"{suggestion.candidates[0].score:.2f}", f"{suggestion.threshold:.2f}")))
        else:
            self.verdict.setText(tr("Press 1–5 to link to a suggestion, N if it has no source."))
        self.accept_button.setEnabled(bool(suggestion.candidates))
        self.no_source_button.setEnabled(can_no_source)
        if suggestion.candidates:
            self.suggestions.setCurrentRow(0)

    def show_links(self, span_text: str, links: list[tuple[Link, list[int], str]], no_source: bool) -> None:
        """Links of the selected span: (link, its source line numbers, the linked text)."""
        self._span_text = span_text
        self._target_texts = {}
        self.links.clear()
        for link, numbers, text in links:
            label = ", ".join(str(n) for n in numbers) or "part of a line"
            item = QTreeWidgetItem([label, "", link.layer, ""])
            item.setData(0, Qt.ItemDataRole.UserRole, link.id)
            color, _style = RELATION_STYLES.get(link.relation, ("#777777", None))
            self.links.addTopLevelItem(item)
            combo = QComboBox(self.links)
            combo.setAccessibleName("Relation of this link")
            for relation in RELATIONS:
                combo.addItem(tr(relation), relation)
            combo.setCurrentIndex(RELATIONS.index(link.relation))
            combo.setStyleSheet(f"QComboBox {{ border-left: 4px solid {color}; }}")
            combo.activated.connect(
                lambda _i, c=combo, lid=link.id: self.relation_change_requested.emit(lid, c.currentData())
            )
            self.links.setItemWidget(item, 1, combo)
            remove = QPushButton("Remove", self.links)
            remove.setAccessibleName("Remove this link")
            remove.clicked.connect(lambda _c=False, lid=link.id: self.remove_link_requested.emit(lid))
            self.links.setItemWidget(item, 3, remove)
            self._target_texts[link.id] = text
        if no_source:
            item = QTreeWidgetItem(["—", "no source in the transcript", "", ""])
            self.links.addTopLevelItem(item)
        for column in range(3):
            self.links.resizeColumnToContents(column)
        if links:
            self.links.setCurrentItem(self.links.topLevelItem(0))
            self.show_fidelity(" ".join(text for _l, _n, text in links))
        else:
            self.fidelity.clear()

    def _link_selected(self) -> None:
        item = self.links.currentItem()
        if item is None:
            return
        link_id = item.data(0, Qt.ItemDataRole.UserRole)
        if link_id and link_id in self._target_texts:
            self.show_fidelity(self._target_texts[link_id])
            self.link_chosen.emit(link_id)

    def show_fidelity(self, source_text: str) -> None:
        from ...core.fidelity import compare

        self.fidelity.setHtml(fidelity_html(compare(source_text, self._span_text)))

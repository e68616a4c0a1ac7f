"""A read-only text view that draws spans as highlights and source lines in a gutter.

The stored text is shown once and never edited. Highlights are ExtraSelections
built only for the spans near the visible part of the view (a screen and a half
above and below it), because Qt's paint cost grows with every selection it is
handed. A scroll that stays inside that window paints with the selections it
has; they are rebuilt when the view leaves it (before the highlights would be
missing), re-centred once scrolling pauses, and rebuilt when the spans change.
What a paint asks of the layout (the visible range) is kept until the view
scrolls, resizes or its text changes (``layout_key``). All offsets that cross this module's
boundary are code points; ``Utf16Map`` converts to Qt's UTF-16 positions here
and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from ...core.model import SourceLine, Span
from ...core.text import Utf16Map
from .gutter import Gutter, SourceLines
from .line_index import LineIndex, LineList
from .spans import Outline, SpanIndex, SpanStyle
from .stored_spans import StoredSpans


def _index(spans: Sequence[Span] | StoredSpans) -> SpanIndex | StoredSpans:
    """A view's spans: read from the project as needed (``StoredSpans``), or a given list indexed."""
    return spans if isinstance(spans, StoredSpans) else SpanIndex(spans)


def _x_of(found: object) -> float:
    """QTextLine.cursorToX's x (PySide returns it alone or with the adjusted position)."""
    return float(found[0] if isinstance(found, tuple) else found)


class TextView(SourceLines, QPlainTextEdit):
    """Shows one document. Reports selections and clicks in code points."""

    selection_changed = Signal(int, int)  # code points; start == end when nothing is selected
    span_clicked = Signal(str)  # the innermost span under a click, or "" for none
    viewport_changed = Signal()  # scrolled or resized: connectors must follow
    line_clicked = Signal(int)  # a source line number in the gutter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setCenterOnScroll(False)
        self.setMouseTracking(True)
        self._map = Utf16Map("")
        self._text = ""
        self.spans: SpanIndex | StoredSpans = SpanIndex()
        self.lines: LineIndex = LineList()
        self.style_for: Callable[[Span], SpanStyle | None] = lambda span: None
        self.selected_ids: set[str] = set()
        self.emphasised_ids: set[str] = set()  # e.g. both ends of a hovered connector
        self.marks: list[tuple[int, int, QColor]] = []  # ranges that are not spans: link ends, find hits
        self.outlines: list[Outline] = []  # boxes around disagreeing spans while two layers are compared
        self._flash: tuple[str, int] | None = None
        self._flash_timer = QTimer(self, interval=180)
        self._flash_timer.timeout.connect(self._flash_step)
        self.coverage: Mapping[int, list[tuple[str, str, str]]] = {}
        self.show_coverage = False
        self.context_actions: list = []
        self._visible = (0, 0)
        self._built = (0, 0)  # the range the current selections were built for (the view and its margins)
        self._generation = 0  # bumped when the text is replaced
        self._visible_cache: tuple[tuple, tuple[int, int]] | None = None
        self._rows_cache: tuple[tuple, list] | None = None
        self._formats: dict[tuple, QTextCharFormat] = {}
        self._marks_cache: tuple[tuple, list[tuple[int, QRect]]] | None = None
        self.gutter = Gutter(self)
        self.gutter.clicked.connect(self.line_clicked)
        self._refresh_timer = QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self.refresh_highlights)
        # Once scrolling pauses, the selections are built again around the new view, so the next
        # page is drawn with its highlights at once (visible selections do not change: no repaint).
        self._recentre_timer = QTimer(self, singleShot=True, interval=60)
        self._recentre_timer.timeout.connect(self.refresh_highlights)
        self.updateRequest.connect(self._on_update_request)
        self.selectionChanged.connect(self._emit_selection)
        self.blockCountChanged.connect(lambda _n: self._update_margins())
        self._update_margins()

    # ------------------------------------------------------------------ content
    def set_content(self, text: str, lines: Sequence[SourceLine] | LineIndex = (),
                    spans: Sequence[Span] | StoredSpans = ()) -> None:
        self._text = text
        self._map = Utf16Map(text)
        self.lines = lines if isinstance(lines, LineIndex) else LineList(lines)
        self.spans = _index(spans)
        self.selected_ids.clear()
        self.emphasised_ids.clear()
        self._generation += 1
        self.setPlainText(text)
        self._visible = (-1, -1)
        self._update_margins()
        if self.isVisible():
            self.refresh_highlights()
        else:
            # Not on screen (the window being built): laid out and sized when shown, and built
            # for the place it is shown at then, once, instead of now and again.
            self._refresh_timer.start()

    @property
    def text(self) -> str:
        return self._text

    def update_spans(self, spans: Sequence[Span], removed: Sequence[str]) -> None:
        self.spans.upsert(spans, removed)
        self.selected_ids -= set(removed)
        self.refresh_highlights()

    def set_all_spans(self, spans: Sequence[Span] | StoredSpans) -> None:
        self.spans = _index(spans)
        self.refresh_highlights()

    # --------------------------------------------------------------- positions
    def to_qt(self, offset: int) -> int:
        return self._map.to_utf16(offset)

    def from_qt(self, position: int) -> int:
        return self._map.from_utf16(position)

    def selection(self) -> tuple[int, int]:
        """The selected range in code points (start == end when nothing is selected)."""
        cursor = self.textCursor()
        return self.from_qt(cursor.selectionStart()), self.from_qt(cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.to_qt(start))
        cursor.setPosition(self.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def offset_at(self, point: QPoint) -> int:
        return self.from_qt(self.cursorForPosition(point).position())

    def rect_of(self, offset: int) -> QRect:
        """The viewport rectangle of the character at ``offset`` (code points)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.to_qt(offset))
        return self.cursorRect(cursor)

    def range_rect(self, start: int, end: int) -> QRect:
        """Viewport rectangle spanning from ``start`` to ``end``'s line (vertical extent)."""
        top = self.rect_of(start)
        bottom = self.rect_of(max(start, end - 1))
        return QRect(0, top.top(), self.viewport().width(), bottom.bottom() - top.top() + 1)

    def layout_key(self) -> tuple:
        """What the place of every character in the viewport depends on: the text, its scroll position,
        the viewport's size and the font. Two paints with the same key show the same rows in the same
        places, so what a paint derives from the layout can be kept under this key."""
        offset = self.contentOffset()
        viewport = self.viewport()
        document = self.document()
        # Not the scroll bar's value: it counts rows, and blocks above the view laid out later (at
        # their real number of rows) move it while the view shows the same text in the same places.
        return (self._generation, document.revision(), document.blockCount(), self.firstVisibleBlock().blockNumber(),
                offset.x(), offset.y(), viewport.width(), viewport.height(),
                document.documentLayout().documentSize().width(), self.font().key())

    def visible_range(self) -> tuple[int, int]:
        """Code points shown in the viewport (from the first visible block to the end of the last one)."""
        key = self.layout_key()
        cached = self._visible_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        found = self._find_visible_range()
        self._visible_cache = (key, found)
        return found

    def _find_visible_range(self) -> tuple[int, int]:
        block = self.firstVisibleBlock()
        start = block.position()
        viewport = self.viewport().rect()
        end_cursor = self.cursorForPosition(QPoint(viewport.right(), viewport.bottom()))
        end = end_cursor.block().position() + end_cursor.block().length()
        return self.from_qt(start), self.from_qt(min(end, self.document().characterCount() - 1))

    def is_shown(self, start: int, end: int) -> bool:
        """Whether the first row of ``[start, end)`` is drawn inside the viewport."""
        top = self.rect_of(start)
        viewport = self.viewport().rect()
        return top.top() >= viewport.top() and top.bottom() <= viewport.bottom()

    def scroll_to(self, start: int, end: int | None = None) -> None:
        """Bring ``[start, end)`` into view, roughly centred, without moving the selection."""
        rect = self.range_rect(start, end if end is not None else start + 1)
        viewport = self.viewport().rect()
        if rect.top() >= viewport.top() and rect.bottom() <= viewport.bottom():
            return
        bar = self.verticalScrollBar()
        # QPlainTextEdit scrolls by blocks (paragraphs); move the block to about a third from the top.
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.to_qt(start))
        target = cursor.block().firstLineNumber()
        bar.setValue(max(0, target - max(1, viewport.height() // max(1, self.fontMetrics().height()) // 3)))

    # -------------------------------------------------------------- highlights
    def set_selected(self, span_ids: set[str]) -> None:
        if span_ids != self.selected_ids:
            self.selected_ids = set(span_ids)
            self.refresh_highlights()

    def set_emphasised(self, span_ids: set[str]) -> None:
        if span_ids != self.emphasised_ids:
            self.emphasised_ids = set(span_ids)
            self.refresh_highlights()

    def set_marks(self, marks: list[tuple[int, int, QColor]]) -> None:
        if marks != self.marks:
            self.marks = list(marks)
            self.refresh_highlights()

    def set_outlines(self, outlines: Sequence[Outline]) -> None:
        if list(outlines) != self.outlines:
            self.outlines = list(outlines)
            self.viewport().update()

    def line_rects(self, start: int, end: int) -> list[QRectF]:
        """Viewport rectangles of ``[start, end)`` (code points), one per laid-out line it touches."""
        doc = self.document()
        first, last = self.to_qt(start), self.to_qt(end)
        offset = self.contentOffset()
        bottom = self.viewport().height()
        rects = []
        block = doc.findBlock(first)
        while block.isValid() and block.position() < last:
            if block.isVisible():
                geometry = self.blockBoundingGeometry(block).translated(offset)
                if geometry.top() > bottom:
                    break
                layout = block.layout()
                base = block.position()
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    line_start = base + line.textStart()
                    a, b = max(first, line_start), min(last, line_start + line.textLength())
                    if a >= b:
                        continue
                    x0 = _x_of(line.cursorToX(a - base))
                    x1 = _x_of(line.cursorToX(b - base))
                    box = line.rect()
                    rects.append(QRectF(geometry.left() + x0, geometry.top() + box.top(), x1 - x0, box.height()))
            block = block.next()
        return rects

    def _paint_outlines(self) -> None:
        if not self.outlines:
            return
        start, end = self.visible_range()
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for outline in self.outlines:
            if outline.end <= start or outline.start >= end:
                continue
            inner = outline.side == "b"
            pen = QPen(outline.color, 2.0, Qt.PenStyle.DashLine if inner else Qt.PenStyle.SolidLine)
            for rect in self.line_rects(max(outline.start, start), min(outline.end, end)):
                box = rect.adjusted(1.5, 1, -1.5, -1) if inner else rect.adjusted(-1.5, -1, 1.5, 1)
                painter.setPen(pen)
                painter.drawRect(box)
        painter.end()

    def flash(self, span_id: str) -> None:
        """Blink a span a few times so the eye finds it after a jump."""
        self._flash = (span_id, 6)
        self._flash_timer.start()
        self.refresh_highlights()

    def _flash_step(self) -> None:
        if self._flash is None:
            self._flash_timer.stop()
            return
        span_id, left = self._flash
        self._flash = (span_id, left - 1) if left > 1 else None
        self.refresh_highlights()

    def refresh_highlights(self) -> None:
        """Hand Qt the selections of the spans that reach the visible range and its margins, nothing else.

        Selections that stay the same are not repainted by Qt, so building them again around a view
        that has not changed costs no paint.
        """
        self._recentre_timer.stop()
        visible = self.visible_range()
        self._visible = visible
        margin = (visible[1] - visible[0]) * 3 // 2
        start, end = max(0, visible[0] - margin), visible[1] + margin
        self._built = (start, end)
        doc = self.document()
        selections = []
        flashing = self._flash[0] if self._flash and self._flash[1] % 2 == 0 else None
        # On a dark base a translucent pastel turns muddy under light text: paint it solid, text dark.
        dark_base = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        for span in self.spans.overlapping(start, end):
            style = self.style_for(span)
            if style is None:
                continue
            strong = span.id in self.selected_ids or span.id == flashing or span.id in self.emphasised_ids
            fmt = self._format(style, strong, dark_base)
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            # Clip long spans to what is visible: Qt lays out only what it draws.
            cursor.setPosition(self.to_qt(max(span.start, start)))
            cursor.setPosition(self.to_qt(min(span.end, max(end, span.start + 1))), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        for mark_start, mark_end, color in self.marks:
            if mark_end <= start or mark_start >= end:
                continue
            fmt = QTextCharFormat()
            fmt.setBackground(color)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setUnderlineColor(color.darker(200))
            selection = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            cursor.setPosition(self.to_qt(max(mark_start, start)))
            cursor.setPosition(self.to_qt(min(mark_end, max(end, mark_start + 1))), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.setExtraSelections(selections)
        self.gutter.update()

    def _format(self, style: SpanStyle, strong: bool, dark_base: bool) -> QTextCharFormat:
        """The character format of a highlight; made once per look, not once per span and refresh."""
        underline_color = style.underline_color
        key = (style.background.rgba(), style.underline, None if underline_color is None else underline_color.rgba(),
               style.overline, strong, dark_base)
        fmt = self._formats.get(key)
        if fmt is not None:
            return fmt
        fmt = QTextCharFormat()
        background = QColor(style.background)
        if strong:
            background = background.darker(150)
            background.setAlpha(255)
            fmt.setFontWeight(QFont.Weight.DemiBold)
            fmt.setForeground(QColor("#000000") if background.lightness() > 110 else QColor("#ffffff"))
        elif dark_base:
            background.setAlpha(255)
            fmt.setForeground(QColor("#000000"))
        fmt.setBackground(background)
        if style.underline is not None:
            fmt.setUnderlineStyle(style.underline)
            if underline_color is not None:
                fmt.setUnderlineColor(underline_color)
        if style.overline:
            fmt.setFontOverline(True)
        if len(self._formats) > 256:
            self._formats.clear()
        self._formats[key] = fmt
        return fmt

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())
        if dy or rect.contains(self.viewport().rect()):
            start, end = self.visible_range()
            if (start, end) != self._visible:
                self._visible = (start, end)
                built = self._built
                if start < built[0] or end > built[1]:
                    self._refresh_timer.start()  # part of the view has no selections yet
                else:
                    self._recentre_timer.start()
            self.viewport_changed.emit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # Light or dark appearance: highlight colours depend on the base colour.
            self.refresh_highlights()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.gutter.setGeometry(QRect(rect.left(), rect.top(), self.gutter_width(), rect.height()))
        self._refresh_timer.start()
        self.viewport_changed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        super().paintEvent(event)
        self._paint_outlines()
        self._paint_line_starts(event)

    # ------------------------------------------------------------------- events
    def _emit_selection(self) -> None:
        start, end = self.selection()
        self.selection_changed.emit(start, end)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            hits = self.spans.at(self.offset_at(event.position().toPoint()))
            visible = [s for s in hits if self.style_for(s) is not None]
            self.span_clicked.emit(visible[0].id if visible else "")

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        if event.buttons():
            return
        offset = self.offset_at(event.position().toPoint())
        spans = [s for s in self.spans.at(offset) if self.style_for(s) is not None]
        if spans and self.describe_span is not None:
            QToolTip.showText(
                event.globalPosition().toPoint(), "<hr>".join(self.describe_span(s) for s in spans[:4]), self
            )
        else:
            QToolTip.hideText()

    describe_span: Callable[[Span], str] | None = None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu: QMenu = self.createStandardContextMenu(event.pos())
        if self.context_actions:
            menu.addSeparator()
            for action in self.context_actions:
                if action is None:
                    menu.addSeparator()
                elif isinstance(action, QMenu):
                    menu.addMenu(action)
                else:
                    menu.addAction(action)
        menu.exec(event.globalPos())

"""A transcript's source lines in its text view: numbers and coverage boxes in the gutter, a thin
mark in the text where each line begins.

``SourceLines`` is a part of ``TextView`` (a plain class it inherits); ``Gutter`` is the
strip beside the text that it paints.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from ...core.model import SourceLine

GUTTER_LEGEND = (
    "The gutter: the number of the source line that starts on each row (“21+”: more lines start "
    "on that row); a filled box counts the articles that report the row's lines, a hollow red box "
    "means no article reports them. Click a box to list the reports."
)
LINE_START_COLOR = QColor(120, 120, 120, 150)


class Gutter(QWidget):
    """Source-line numbers (and coverage marks) beside a transcript."""

    clicked = Signal(int)  # source line number

    def __init__(self, view: "SourceLines") -> None:
        super().__init__(view)
        self.view = view
        self.setAccessibleName("Source line numbers")
        self.setMouseTracking(True)
        self._hits: list[tuple[QRect, int]] = []
        self._rows: list[tuple[QRect, list[int]]] = []  # each painted row and the lines starting on it

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(self.view.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        self.view.paint_gutter(self, event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        for rect, number in self._hits:
            if rect.contains(event.position().toPoint()):
                self.clicked.emit(number)
                return

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        for rect, numbers in self._rows:
            if rect.contains(event.position().toPoint()):
                QToolTip.showText(event.globalPosition().toPoint(), self.view.row_tooltip(numbers), self)
                return
        QToolTip.hideText()


class SourceLines:
    """The text view's source lines: finding them, the gutter, the marks where they begin (mixed into ``TextView``)."""

    def gutter_width(self) -> int:
        if not self.lines:
            return 6
        digits = len(str(self.lines.last_number))
        extra = 34 if self.show_coverage else 8
        # Room for the "+" of a row where several sentences start.
        return self.fontMetrics().horizontalAdvance("9") * digits + self.fontMetrics().horizontalAdvance("+") + extra

    def _update_margins(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def set_coverage(self, coverage: Mapping[int, list[tuple[str, str, str]]], show: bool = True) -> None:
        self.coverage = coverage
        self.show_coverage = show and bool(self.lines)
        self._update_margins()
        self.gutter.update()

    def line_at(self, offset: int) -> SourceLine | None:
        return self.lines.at(offset)

    def line(self, number: int) -> SourceLine | None:
        return self.lines.numbered(number)

    def row_tooltip(self, numbers: list[int]) -> str:
        """What a gutter row says: which lines start on it, who reports them, how to read it."""
        if len(numbers) > 1:
            head = (f"Source lines {numbers[0]}–{numbers[-1]} start on this row (“{numbers[0]}+”): each starts "
                    "at a thin mark in the text.")
        else:
            head = f"Source line {numbers[0]} starts on this row, at the thin mark in the text."
        parts = [head] + [self.gutter_tooltip(n) for n in numbers]
        if self.show_coverage:
            parts.append(GUTTER_LEGEND)
        return "\n".join(parts)

    def gutter_tooltip(self, number: int) -> str:
        refs = self.coverage.get(number, [])
        if not self.show_coverage:
            return f"Source line {number}"
        if not refs:
            return f"Source line {number}: no article reports it"
        outlets = sorted({outlet or "unknown outlet" for _a, outlet, _k in refs})
        articles = {a for a, _o, _k in refs}
        return (
            f"Source line {number}: reported by {len(articles)} article(s) through "
            f"{', '.join(outlets)}. Click to list them."
        )

    def paint_gutter(self, gutter: Gutter, event: QPaintEvent) -> None:
        painter = QPainter(gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.alternateBase())
        gutter._hits = []
        gutter._rows = []
        if not self.lines:
            return
        metrics = self.fontMetrics()
        width = gutter.width()
        number_right = width - (30 if self.show_coverage else 4)
        text_color = palette.text().color()
        dim = palette.placeholderText().color()
        rows = self.gutter_rows(gutter.height())
        for y, row in rows:
            refs = [ref for line in row for ref in self.coverage.get(line.number, [])] if self.show_coverage else []
            # A click on the row lists the reports of its first reported line (or of its first line).
            target = next((line for line in row if self.coverage.get(line.number)), row[0])
            gutter._hits.append((QRect(0, y, width, metrics.height()), target.number))
            gutter._rows.append((QRect(0, y, width, metrics.height()), [line.number for line in row]))
            painter.setPen(dim if not self.show_coverage else text_color)
            label = str(row[0].number) + ("+" if len(row) > 1 else "")
            painter.drawText(
                QRect(0, y, number_right, metrics.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            if self.show_coverage:
                articles = len({a for a, _o, _k in refs})
                box = QRect(number_right + 4, y + 2, 22, metrics.height() - 4)
                if articles:
                    painter.fillRect(box, QColor("#3b7dd8"))
                    painter.setPen(QColor("#ffffff"))
                    painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), str(articles))
                else:
                    # Unreported lines stand out by shape as well as colour: a hollow box.
                    painter.setPen(QColor("#c0392b"))
                    painter.drawRect(box.adjusted(0, 0, -1, -1))
        painter.end()

    def gutter_rows(self, height: int) -> list[tuple[int, list[SourceLine]]]:
        """The gutter's rows in view: (y, the source lines that start on that visual row).

        Sentences that start on the same visual row share it: the row shows its first number
        (with "+" when more start there), and its coverage box counts the articles of all of them.
        Kept until the view scrolls, resizes or its text changes.
        """
        key = (self.layout_key(), height)
        if self._rows_cache is not None and self._rows_cache[0] == key:
            return self._rows_cache[1]
        start, end = self.visible_range()
        row_height = self.fontMetrics().height()
        rows: list[tuple[int, list[SourceLine]]] = []
        for line in self.lines.from_line_at(start, end):
            y = self.rect_of(line.start).top()  # already in viewport coordinates
            if y > height:
                break
            if rows and abs(y - rows[-1][0]) < row_height:
                rows[-1][1].append(line)
            else:
                rows.append((y, [line]))
        self._rows_cache = (key, rows)
        return rows

    # -------------------------------------------------------------- line starts
    def line_start_marks(self) -> list[tuple[int, QRect]]:
        """(line number, viewport rectangle of its mark) for the source lines starting in view.

        Walks the visible blocks only and reads their layout directly (no cursor per line),
        finding each block's lines by bisection, so a transcript of 10,000 lines costs what a
        short one does; repaints at the same place reuse the result.
        """
        if not self.lines:
            return []
        offset = self.contentOffset()
        height = self.viewport().height()
        key = self.layout_key()
        if self._marks_cache is not None and self._marks_cache[0] == key:
            return self._marks_cache[1]
        marks: list[tuple[int, QRect]] = []
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            first = block.position()
            layout = block.layout()
            for line in self.lines.starting_in(self.from_qt(first), self.from_qt(first + block.length())):
                position = self.to_qt(line.start) - first
                row = layout.lineForTextPosition(position)
                if not row.isValid():
                    continue
                x = row.cursorToX(position)
                x = x[0] if isinstance(x, tuple) else x
                top = geometry.top() + row.y()
                marks.append((line.number, QRect(int(geometry.left() + x) - 1, int(top) + 1, 2,
                                                 max(1, int(row.height()) - 2))))
            block = block.next()
        self._marks_cache = (key, marks)
        return marks

    def _paint_line_starts(self, event: QPaintEvent) -> None:
        if not self.lines:
            return
        # Where each source line begins, in the text itself: a thin bar before its first character.
        area = event.rect()
        rects = [rect for _number, rect in self.line_start_marks() if rect.intersects(area)]
        if rects:
            painter = QPainter(self.viewport())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(LINE_START_COLOR)
            painter.drawRects(rects)
            painter.end()

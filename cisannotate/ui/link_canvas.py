"""Connectors between the article and the transcript: one band per link.

Each link is drawn from its article span (left) to its source range (right).
Only links with at least one end in view are drawn; an end out of view is
pinned to the top or bottom edge and faded. Links with both ends out of view
are bundled into a count at the edge (at the middle for links that run from
above the view on one side to below it on the other). Relations are told
apart by colour and by dash pattern, so colour is not the only cue.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPainterPathStroker, QPaintEvent, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from ..core.model import Link
from .text_view import TextView

RELATION_STYLES: dict[str, tuple[str, Qt.PenStyle]] = {
    "verbatim": ("#2e8b57", Qt.PenStyle.SolidLine),
    "close paraphrase": ("#1f6fb2", Qt.PenStyle.DashLine),
    "loose paraphrase": ("#b8860b", Qt.PenStyle.DotLine),
    "distortion": ("#c0392b", Qt.PenStyle.DashDotLine),
}


@dataclass
class _Drawn:
    link: Link
    path: QPainterPath
    centre: QPainterPath
    _hit: QPainterPath | None = None

    @property
    def hit(self) -> QPainterPath:
        """The band widened for the pointer; built on first use (on a mouse event, not on every paint)."""
        if self._hit is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(8)
            self._hit = stroker.createStroke(self.centre).united(self.path)
        return self._hit


class LinkCanvas(QWidget):
    link_clicked = Signal(str)
    link_hovered = Signal(str)  # "" when the pointer leaves every connector

    def __init__(self, left: TextView, right: TextView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.left = left
        self.right = right
        self.links: list[Link] = []
        self.span_ranges: dict[str, tuple[int, int]] = {}
        self.selected_link = ""
        self.hovered_link = ""
        self.visible_layers: set[str] | None = None
        self._drawn: list[_Drawn] = []
        self._bundles = (0, 0)
        self.setMouseTracking(True)
        self.setMinimumWidth(80)
        self.setAccessibleName("Links between article and transcript")
        self.setAccessibleDescription("Each band joins an article span to the source line it reports.")
        left.viewport_changed.connect(self.update)
        right.viewport_changed.connect(self.update)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(90, 400)

    def set_links(self, links: list[Link], span_ranges: dict[str, tuple[int, int]]) -> None:
        """Links from the left document into the right one, with their spans' ranges."""
        self.links = links
        self.span_ranges = span_ranges
        self.update()

    def shown_links(self) -> list[Link]:
        return [
            k for k in self.links
            if k.span_id in self.span_ranges and (self.visible_layers is None or k.layer in self.visible_layers)
        ]

    # ------------------------------------------------------------------ geometry
    def _y_range(self, view: TextView, start: int, end: int, visible: tuple[int, int]) -> tuple[float, float, int]:
        """Top and bottom in canvas coordinates, and -1/0/1 for above/in/below the view."""
        if end <= visible[0]:
            return 0.0, 0.0, -1
        if start >= visible[1]:
            return float(self.height()), float(self.height()), 1
        rect = view.range_rect(max(start, visible[0]), min(end, visible[1]))
        top = view.viewport().mapTo(self.window(), QPoint(0, rect.top()))
        bottom = view.viewport().mapTo(self.window(), QPoint(0, rect.bottom()))
        y0 = self.mapFrom(self.window(), top).y()
        y1 = self.mapFrom(self.window(), bottom).y()
        y0 = min(max(y0, 0), self.height())
        y1 = min(max(y1, 0), self.height())
        return float(y0), float(max(y1, y0 + 2)), 0

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().window())
        self._drawn = []
        left_visible = self.left.visible_range()
        right_visible = self.right.visible_range()
        above = below = across = 0
        width = float(self.width())
        for link in self.shown_links():
            s_start, s_end = self.span_ranges[link.span_id]
            ly0, ly1, lside = self._y_range(self.left, s_start, s_end, left_visible)
            ry0, ry1, rside = self._y_range(self.right, link.target_start, link.target_end, right_visible)
            if lside and rside:
                # Both ends out of view: counted at the edge, not drawn. Drawing the links that
                # cross from above to below cost a full-height dashed band each, hundreds a frame.
                if lside < 0 and rside < 0:
                    above += 1
                elif lside > 0 and rside > 0:
                    below += 1
                else:
                    across += 1
                continue
            path = QPainterPath(QPointF(0, ly0))
            path.cubicTo(QPointF(width / 2, ly0), QPointF(width / 2, ry0), QPointF(width, ry0))
            path.lineTo(QPointF(width, ry1))
            path.cubicTo(QPointF(width / 2, ry1), QPointF(width / 2, ly1), QPointF(0, ly1))
            path.closeSubpath()
            centre = QPainterPath(QPointF(0, (ly0 + ly1) / 2))
            centre.cubicTo(
                QPointF(width / 2, (ly0 + ly1) / 2), QPointF(width / 2, (ry0 + ry1) / 2), QPointF(width, (ry0 + ry1) / 2)
            )
            color_name, pen_style = RELATION_STYLES.get(link.relation, ("#777777", Qt.PenStyle.SolidLine))
            color = QColor(color_name)
            strong = link.id in (self.selected_link, self.hovered_link)
            offscreen = bool(lside or rside)
            fill = QColor(color)
            fill.setAlpha(110 if strong else (25 if offscreen else 55))
            painter.fillPath(path, fill)
            pen = QPen(color, 2.5 if strong else 1.2, pen_style)
            if offscreen and not strong:
                pen.setColor(QColor(color.red(), color.green(), color.blue(), 90))
            painter.setPen(pen)
            painter.drawPath(centre)
            self._drawn.append(_Drawn(link, path, centre))
        self._bundles = (above, below)
        painter.setPen(self.palette().text().color())
        if across:
            painter.drawText(QRectF(0, self.height() / 2 - 8, width, 16), int(Qt.AlignmentFlag.AlignCenter),
                             f"↕ {across}")
        if above:
            painter.drawText(QRectF(0, 2, width, 16), int(Qt.AlignmentFlag.AlignCenter), f"↑ {above}")
        if below:
            painter.drawText(QRectF(0, self.height() - 18, width, 16), int(Qt.AlignmentFlag.AlignCenter), f"↓ {below}")
        painter.end()

    # -------------------------------------------------------------------- mouse
    def link_at(self, point: QPointF) -> Link | None:
        # The last drawn is on top; prefer the thinnest band under the pointer.
        hits = [d for d in self._drawn if d.hit.contains(point)]
        if not hits:
            return None
        return min(hits, key=lambda d: d.path.boundingRect().height()).link

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        link = self.link_at(event.position())
        link_id = link.id if link else ""
        if link_id != self.hovered_link:
            self.hovered_link = link_id
            self.link_hovered.emit(link_id)
            self.update()
        if link is not None:
            note = f"<br>Note: {link.note}" if link.note else ""
            QToolTip.showText(
                event.globalPosition().toPoint(),
                f"<b>{link.relation}</b> — {link.layer}{note}<br>Click to show both ends.",
                self,
            )
        else:
            QToolTip.hideText()

    def leaveEvent(self, event) -> None:  # noqa: N802
        if self.hovered_link:
            self.hovered_link = ""
            self.link_hovered.emit("")
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        link = self.link_at(event.position())
        if link is not None:
            self.link_clicked.emit(link.id)

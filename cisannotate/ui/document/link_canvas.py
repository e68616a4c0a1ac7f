"""Connectors between the article and the transcript: one band per link.

Each link is drawn from its article span (left) to its source range (right).
Only links with at least one end in view are drawn; an end out of view is
pinned to the top or bottom edge and faded. Links with both ends out of view
are bundled into a count at the edge (at the middle for links that run from
above the view on one side to below it on the other). Relations are told
apart by colour and by dash pattern, so colour is not the only cue.

A paint costs what is near the viewport, not what the article holds: the
shown links are indexed by both ends (rebuilt when the links, their spans or
the visible layers change, never per paint), the links with an end in view
are found by bisecting each pane's visible range, and the edge counts come
from bisect-based counting rather than a walk over every link. What is drawn is
kept as a picture under a key of everything it depends on (both views' scroll
positions and layout, the canvas's size and place, the links, the selected and
hovered link, the labels, the palette and font): a paint that changes none of
them (a window exposed again, a repaint of the workspace) copies the picture.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QToolTip, QWidget

from ...core.model import Link
from .text_view import TextView

RELATION_STYLES: dict[str, tuple[str, Qt.PenStyle]] = {
    "verbatim": ("#2e8b57", Qt.PenStyle.SolidLine),
    "close paraphrase": ("#1f6fb2", Qt.PenStyle.DashLine),
    "loose paraphrase": ("#b8860b", Qt.PenStyle.DotLine),
    "distortion": ("#c0392b", Qt.PenStyle.DashDotLine),
}

# The width the thin bands' dash patterns are measured in (they were drawn with a 1.2 px pen).
_THIN_PEN = 1.2


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


class _Ends:
    """One end of every shown link (article span or transcript range), sorted by start."""

    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        order = sorted(range(len(ranges)), key=lambda i: ranges[i][0])
        self.order = order  # positions in the shown list, by start
        self.starts = [ranges[i][0] for i in order]
        self.ends = [ranges[i][1] for i in order]
        self.longest = max((end - start for start, end in ranges), default=0)

    def in_view(self, visible: tuple[int, int]) -> list[int]:
        """Positions of the links whose end overlaps ``visible`` (neither above nor below it)."""
        lo, hi = visible
        first = bisect_right(self.starts, lo - self.longest)
        last = bisect_left(self.starts, hi)
        ends, order = self.ends, self.order
        return [order[j] for j in range(first, last) if ends[j] > lo]


class _DominanceCount:
    """How many (key, value) pairs have key <= k and value <= v, in O(log² n) with bisect.

    A Fenwick tree over the pairs sorted by key whose nodes hold their values sorted.
    """

    def __init__(self, pairs: Sequence[tuple[int, int]]) -> None:
        pairs = sorted(pairs)
        self.keys = [k for k, _v in pairs]
        values = [v for _k, v in pairs]
        self.nodes: list[list[int]] = [[]] + [sorted(values[i - (i & -i):i]) for i in range(1, len(values) + 1)]

    def count(self, k: int, v: int) -> int:
        i = bisect_right(self.keys, k)
        total = 0
        nodes = self.nodes
        while i:
            total += bisect_right(nodes[i], v)
            i -= i & -i
        return total


class _LinkIndex:
    """The shown links, indexed by both ends for one paint's worth of lookups."""

    def __init__(self, shown: list[Link], span_ranges: dict[str, tuple[int, int]]) -> None:
        self.shown = shown
        self.left_ranges = [span_ranges[k.span_id] for k in shown]
        self.right_ranges = [(k.target_start, k.target_end) for k in shown]
        self.left = _Ends(self.left_ranges)
        self.right = _Ends(self.right_ranges)
        # Both ends above the view: article end <= top and transcript end <= top.
        self.above = _DominanceCount([(s[1], t[1]) for s, t in zip(self.left_ranges, self.right_ranges)])
        # Both ends below: article start >= bottom and transcript start >= bottom (negated to reuse <=).
        self.below = _DominanceCount([(-s[0], -t[0]) for s, t in zip(self.left_ranges, self.right_ranges)])


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
        # Review: link id -> (text, colour, side "a" or "b") written on the band where two layers'
        # relations differ, A's above the band's middle and B's below.
        self.labels: dict[str, tuple[str, QColor, str]] = {}
        self._drawn: list[_Drawn] = []
        self._bundles = (0, 0)  # links with both ends above / below the view
        self._across = 0  # links with both ends out of view, one above and one below
        self._index: _LinkIndex | None = None
        self._index_key: tuple = (None, None)  # what the index was built from
        self._styles: dict[tuple[str, bool, bool], tuple[QColor, QPen]] = {}
        self._picture: tuple[tuple, QPixmap] | None = None  # (what it was drawn from, the drawing)
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
        self._index = None
        self.update()

    def set_labels(self, labels: dict[str, tuple[str, QColor, str]]) -> None:
        if labels != self.labels:
            self.labels = dict(labels)
            self.update()

    def shown_links(self) -> list[Link]:
        return [
            k for k in self.links
            if k.span_id in self.span_ranges and (self.visible_layers is None or k.layer in self.visible_layers)
        ]

    # ------------------------------------------------------------------ geometry
    def _link_index(self) -> _LinkIndex:
        """The index of the shown links; rebuilt only when the links, spans or visible layers change."""
        layers = None if self.visible_layers is None else frozenset(self.visible_layers)
        links, ranges = self.links, self.span_ranges
        built = self._index_key
        if (self._index is None or built[0] is not links or built[1] is not ranges
                or built[2:] != (len(links), len(ranges), layers)):
            self._index = _LinkIndex(self.shown_links(), ranges)
            self._index_key = (links, ranges, len(links), len(ranges), layers)
        return self._index

    def _offset_of(self, view: TextView) -> int:
        """What to add to a y in ``view``'s viewport to get a y on this canvas."""
        window = self.window()
        return self.mapFrom(window, view.viewport().mapTo(window, QPoint(0, 0))).y()

    def _y_range(self, view: TextView, start: int, end: int, visible: tuple[int, int],
                 offset: int | None = None) -> tuple[float, float, int]:
        """Top and bottom in canvas coordinates, and -1/0/1 for above/in/below the view."""
        if end <= visible[0]:
            return 0.0, 0.0, -1
        height = self.height()
        if start >= visible[1]:
            return float(height), float(height), 1
        if offset is None:
            offset = self._offset_of(view)
        rect = view.range_rect(max(start, visible[0]), min(end, visible[1]))
        y0 = min(max(rect.top() + offset, 0), height)
        y1 = min(max(rect.bottom() + offset, 0), height)
        return float(y0), float(max(y1, y0 + 2)), 0

    def _near_view(self, left_visible: tuple[int, int],
                   right_visible: tuple[int, int]) -> tuple[list[int], int, int, int]:
        """Positions in the shown list (in its order) of the links with an end in view, and how many
        of the others lie above the view, below it, and across it (one end above, one below)."""
        index = self._link_index()
        n = len(index.shown)
        if left_visible[1] <= left_visible[0] or right_visible[1] <= right_visible[0]:
            # An empty view (no text, no height): classify every link one by one, as the paint does.
            return list(range(n)), 0, 0, 0
        near = set(index.left.in_view(left_visible))
        near.update(index.right.in_view(right_visible))
        out = n - len(near)
        above = index.above.count(left_visible[0], right_visible[0])
        below = index.below.count(-left_visible[1], -right_visible[1])
        return sorted(near), above, below, out - above - below

    def _style(self, relation: str, strong: bool, offscreen: bool) -> tuple[QColor, QPen]:
        """The fill and pen of a band; made once per relation and state, not per link and paint."""
        key = (relation, strong, offscreen)
        style = self._styles.get(key)
        if style is None:
            color_name, pen_style = RELATION_STYLES.get(relation, ("#777777", Qt.PenStyle.SolidLine))
            color = QColor(color_name)
            fill = QColor(color)
            fill.setAlpha(110 if strong else (25 if offscreen else 55))
            if strong:
                pen = QPen(color, 2.5, pen_style)
            else:
                # A 1 px pen takes Qt's fast line path; a 1.2 px dashed one is stroked into an outline
                # and filled, several times the cost. The dashes keep the lengths they had at 1.2 px.
                pen = QPen(color, 1.0, pen_style)
                if pen_style != Qt.PenStyle.SolidLine:
                    pen.setDashPattern([length * _THIN_PEN for length in pen.dashPattern()])
                if offscreen:
                    pen.setColor(QColor(color.red(), color.green(), color.blue(), 90))
            style = self._styles[key] = (fill, pen)
        return style

    def _picture_key(self) -> tuple:
        """Everything the drawing depends on; the same key draws the same pixels."""
        return (self.size(), self.devicePixelRatioF(), self.left.layout_key(), self.right.layout_key(),
                self._offset_of(self.left), self._offset_of(self.right), self._link_index(),
                self.selected_link, self.hovered_link, self.labels, len(self.labels),
                self.palette().cacheKey(), self.font().key())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.width() <= 0 or self.height() <= 0:
            return
        key = self._picture_key()
        if self._picture is None or self._picture[0] != key:
            ratio = self.devicePixelRatioF()
            picture = QPixmap(self.size() * ratio)
            picture.setDevicePixelRatio(ratio)
            painter = QPainter(picture)
            painter.setFont(self.font())
            self._draw(painter)
            painter.end()
            self._picture = (key, picture)
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture[1])
        painter.end()

    def _draw(self, painter: QPainter) -> None:
        """Draw the bands and the counts at the edges, and note what was drawn for the mouse."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().window())
        self._drawn = []
        left_visible = self.left.visible_range()
        right_visible = self.right.visible_range()
        near, above, below, across = self._near_view(left_visible, right_visible)
        index = self._link_index()
        left_offset = self._offset_of(self.left)
        right_offset = self._offset_of(self.right)
        width = float(self.width())
        for i in near:
            link = index.shown[i]
            s_start, s_end = index.left_ranges[i]
            ly0, ly1, lside = self._y_range(self.left, s_start, s_end, left_visible, left_offset)
            ry0, ry1, rside = self._y_range(self.right, link.target_start, link.target_end, right_visible,
                                            right_offset)
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
            strong = link.id in (self.selected_link, self.hovered_link)
            offscreen = bool(lside or rside)
            fill, pen = self._style(link.relation, strong, offscreen)
            if offscreen and not strong:
                # The faded fill (alpha 25) without antialiasing: Qt's antialiased translucent fill
                # costs about three times as much, and at this alpha the edge steps barely show.
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                painter.fillPath(path, fill)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            else:
                painter.fillPath(path, fill)
            painter.setPen(pen)
            painter.drawPath(centre)
            self._drawn.append(_Drawn(link, path, centre))
        self._draw_labels(painter)
        self._bundles = (above, below)
        self._across = across
        painter.setPen(self.palette().text().color())
        if across:
            painter.drawText(QRectF(0, self.height() / 2 - 8, width, 16), int(Qt.AlignmentFlag.AlignCenter),
                             f"↕ {across}")
        if above:
            painter.drawText(QRectF(0, 2, width, 16), int(Qt.AlignmentFlag.AlignCenter), f"↑ {above}")
        if below:
            painter.drawText(QRectF(0, self.height() - 18, width, 16), int(Qt.AlignmentFlag.AlignCenter), f"↓ {below}")

    def _draw_labels(self, painter: QPainter) -> None:
        """The relation of each labelled band, in a box at the band's middle (A above, B below)."""
        if not self.labels:
            return
        font = painter.font()
        font.setPointSizeF(max(6.5, font.pointSizeF() * 0.8))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        width = float(self.width())
        base = self.palette().base().color()
        for drawn in self._drawn:
            label = self.labels.get(drawn.link.id)
            if label is None:
                continue
            text, color, side = label
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(width) - 6)
            middle = drawn.centre.pointAtPercent(0.5)
            box_height = metrics.height() + 2
            top = middle.y() - box_height - 1 if side == "a" else middle.y() + 1
            box = QRectF(3, top, width - 6, box_height)
            painter.setPen(QPen(color, 1.5, Qt.PenStyle.SolidLine if side == "a" else Qt.PenStyle.DashLine))
            painter.setBrush(base)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(self.palette().text().color())
            painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.setBrush(Qt.BrushStyle.NoBrush)

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

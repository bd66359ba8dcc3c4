"""The remote pointer, drawn over the remote screen by the view (the agent sends where it is).

Kept apart from the view: the view paints the screen and maps input, this knows the pointer's
shape, hot spot and the area it covers (which the view repaints when it moves).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter, QPolygonF

from console.ui.view_geometry import Placement

#: Size (remote pixels) repainted around the default arrow, which has no image of its own.
ARROW_BOX = 24


class RemoteCursor:
    """Position, visibility and shape of the remote pointer; paints itself for a placement."""

    def __init__(self) -> None:
        self.pos: QPoint | None = None
        self.visible = False
        self.shape: QImage | None = None  # None: a plain arrow until the first shape arrives
        self.hot = QPoint(0, 0)

    def update(self, x: int, y: int, visible: bool, shape: QImage | None,
               hot_x: int, hot_y: int) -> None:
        """Move it; ``shape`` None (or a null image) keeps the last shape."""
        self.pos = QPoint(int(x), int(y))
        self.visible = bool(visible)
        if shape is not None and not shape.isNull():
            self.shape = shape
            self.hot = QPoint(int(hot_x), int(hot_y))

    def rect(self, place: Placement) -> QRect:
        """View area the pointer may cover (with a margin): what to repaint when it moves."""
        if self.pos is None or not place.has_image:
            return QRect()
        tip_x, tip_y = place.from_remote(self.pos.x(), self.pos.y())
        s = max(1.0, place.scale)
        w = h = ARROW_BOX
        hot = QPoint(0, 0)
        if self.shape is not None:
            w, h = self.shape.width(), self.shape.height()
            hot = self.hot
        return QRect(
            int(tip_x - hot.x() * s) - 2, int(tip_y - hot.y() * s) - 2,
            int(w * s) + 4, int(h * s) + 4,
        )

    def paint(self, painter: QPainter, place: Placement) -> None:
        """Draw the pointer (its shape scaled like the screen, or a white arrow)."""
        if not self.visible or self.pos is None or not place.has_image:
            return
        tip = QPointF(*place.from_remote(self.pos.x(), self.pos.y()))
        s = place.scale
        if self.shape is not None:
            hot = self.hot
            top_left = QPointF(tip.x() - hot.x() * s, tip.y() - hot.y() * s)
            size = QSize(
                max(1, round(self.shape.width() * s)),
                max(1, round(self.shape.height() * s)),
            )
            painter.drawImage(QRectF(top_left, size.toSizeF()), self.shape)
            return
        k = max(0.6, s)
        arrow = QPolygonF(
            [
                tip,
                tip + QPointF(0, 16 * k),
                tip + QPointF(4 * k, 12 * k),
                tip + QPointF(7 * k, 18 * k),
                tip + QPointF(9 * k, 17 * k),
                tip + QPointF(6 * k, 11 * k),
                tip + QPointF(11 * k, 11 * k),
            ]
        )
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QColor("black"))
        painter.setBrush(QColor("white"))
        painter.drawPolygon(arrow)

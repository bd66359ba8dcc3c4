"""The technician's laser pointer and strokes, drawn on the customer's screen.

One window per monitor, with the overlay frames' flags (:data:`agent.ui.overlay.FRAME_FLAGS`):
frameless, on top, bypassing the window manager, never focused and transparent for input, so
every click goes to the customer's program beneath. Without a compositor (Xvfb, many plain X
desktops) a translucent window's empty parts would be painted black, so each window's *mask* is
exactly the painted pixels: the desktop stays visible everywhere else, and a window with nothing
to draw is hidden. Nothing here is ever input: these are pictures (:mod:`agent.annotations`).

Repaints are coalesced by one timer at :data:`FRAME_MS` while something fades or changes; it
stops as soon as nothing is left (a stroke's expiry wakes it once). A drawing that is costly to
paint (a hostile technician's 32 strokes of 2048 points each) stretches the timer, so painting
never takes more than about :data:`MAX_BUSY` of the GUI thread: the customer's panel (Stop
control, End session) stays as quick as ever.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF, QRect, Qt, QTimer, Slot
from PySide6.QtGui import (
    QBitmap,
    QColor,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPolygonF,
    QRegion,
    QScreen,
)
from PySide6.QtWidgets import QWidget

from agent.annotations import STROKE_LIFE, TRAIL_LIFE, Annotations, Show, Stroke, TrailPoint
from agent.ui.overlay import FRAME_FLAGS

#: Repaint period while something fades or changes (about 30 Hz).
FRAME_MS = 33
#: Most of the GUI thread's time the layer's painting may take (the period grows to fit).
MAX_BUSY = 0.25
#: The laser: a bright red dot with a trail that thins out as it fades.
LASER_COLOUR = QColor(255, 32, 32)
LASER_WIDTH = 12
#: Strokes and arrows: a strong yellow that shows on light and dark screens.
STROKE_COLOUR = QColor(255, 200, 0)
STROKE_WIDTH = 5
#: A dark edge around strokes: yellow alone is faint on white documents.
EDGE_COLOUR = QColor(31, 35, 40)
EDGE_WIDTH = 2
ARROW_HEAD = 18.0


class AnnotationWindow(QWidget):
    """One click-through window covering one monitor; shows its part of the drawing."""

    def __init__(self, screen: QScreen) -> None:
        super().__init__(None, FRAME_FLAGS)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWindowTitle("Fernhilfe pointer")
        self.screen_ref = screen
        self._image = QImage()
        self.follow()

    def follow(self) -> None:
        """Cover the monitor's current area (called again when it changes)."""
        self.setScreen(self.screen_ref)
        geo = self.screen_ref.geometry()
        if self.geometry() != geo:
            self.setGeometry(geo)

    def draw(self, model: Annotations) -> None:
        """Paint the model's part on this monitor; hidden when none of it is here."""
        geo = self.screen_ref.geometry()
        image = QImage(geo.width(), geo.height(), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.translate(-geo.x(), -geo.y())
        drawn = _paint(painter, model)
        painter.end()
        if not drawn:
            self.hide()
            return
        mask = QRegion(QBitmap.fromImage(image.createAlphaMask()))
        if mask.isEmpty():  # all of it lies on other monitors
            self.hide()
            return
        self._image = image
        self.setMask(mask)  # never an empty region: that would mean "no mask" (all black)
        if not self.isVisible():
            self.show()
            self.raise_()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image.isNull():
            return
        painter = QPainter(self)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.drawImage(event.rect(), self._image, event.rect())
        painter.end()


def _paint(painter: QPainter, model: Annotations) -> bool:
    """Draw strokes then the laser trail (global coordinates); False if nothing was drawn.

    No antialiasing: without a compositor half-transparent edge pixels cannot blend with the
    desktop, and the mask takes whole pixels."""
    drawn = False
    for stroke in model.strokes:
        drawn = _paint_stroke(painter, stroke) or drawn
    trail = model.trail()
    if trail:
        _paint_trail(painter, trail, model.laser_visible)
        drawn = True
    return drawn


def _paint_stroke(painter: QPainter, stroke: Stroke) -> bool:
    """A stroke or arrow in yellow on a dark edge, so it shows on white as on black."""
    pts = [QPointF(x, y) for x, y in stroke.points]
    if not pts:
        return False
    for colour, width in ((EDGE_COLOUR, STROKE_WIDTH + 2 * EDGE_WIDTH),
                          (STROKE_COLOUR, STROKE_WIDTH)):
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if stroke.kind == "arrow" and len(pts) == 2:
            start, end = pts
            painter.drawLine(start, end)
            _paint_head(painter, start, end, colour)
        elif len(pts) == 1:
            painter.drawPoint(pts[0])
        else:
            path = QPainterPath(pts[0])
            for p in pts[1:]:
                path.lineTo(p)
            painter.drawPath(path)
    return True


def _paint_head(painter: QPainter, start: QPointF, end: QPointF, colour: QColor) -> None:
    """A filled triangle at ``end`` pointing away from ``start`` (drawn with the pen too, so
    the dark pass gives it its edge)."""
    d = end - start
    length = (d.x() ** 2 + d.y() ** 2) ** 0.5
    if length < 1:
        return
    ux, uy = d.x() / length, d.y() / length
    back = end - QPointF(ux, uy) * ARROW_HEAD
    side = QPointF(-uy, ux) * (ARROW_HEAD / 2)
    painter.setBrush(colour)
    painter.drawPolygon(QPolygonF([end, back + side, back - side]))
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _paint_trail(painter: QPainter, trail: list[TrailPoint], head: bool) -> None:
    """Segments that thin out with age, and a dot where the pointer is now."""
    pen = QPen(LASER_COLOUR)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    for a, b in itertools.pairwise(trail):
        pen.setWidthF(max(1.0, LASER_WIDTH * 0.6 * (1.0 - b.fade)))
        painter.setPen(pen)
        painter.drawLine(QPointF(a.x, a.y), QPointF(b.x, b.y))
    last = trail[-1]
    radius = LASER_WIDTH / 2 * (1.0 - last.fade) if not head else LASER_WIDTH / 2
    if radius >= 1:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(LASER_COLOUR)
        painter.drawEllipse(QPointF(last.x, last.y), radius, radius)
        painter.setBrush(Qt.BrushStyle.NoBrush)


class AnnotationLayer(QObject):
    """The technician's shows on every monitor of the customer, for one session.

    Slots: :meth:`show_message` (a :data:`agent.annotations.Show` in global coordinates, from
    ``AgentWorker.show_received``), :meth:`clear_strokes` (the customer clicked somewhere),
    :meth:`clear` (pause), :meth:`close` (end of the session).
    """

    def __init__(self, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 stroke_life: float = STROKE_LIFE, trail_life: float = TRAIL_LIFE) -> None:
        super().__init__(parent)
        self.model = Annotations(clock, stroke_life=stroke_life, trail_life=trail_life)
        self._windows: dict[QScreen, AnnotationWindow] = {}
        self._painted = -1  # the model version last painted
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._frame)
        self._wake = QTimer(self)  # a stroke's expiry while nothing fades
        self._wake.setSingleShot(True)
        self._wake.timeout.connect(self._frame)

    @property
    def windows(self) -> list[AnnotationWindow]:
        return list(self._windows.values())

    @property
    def frame_interval(self) -> int:
        """The repaint period now (ms): :data:`FRAME_MS`, longer while painting is costly."""
        return self._timer.interval()

    @property
    def active(self) -> bool:
        """True while the repaint timer runs (something fades or is about to change)."""
        return self._timer.isActive()

    @Slot(object)
    def show_message(self, show: Show) -> None:
        """One show from the technician: drawn at the next frame (coalesced)."""
        if self._closed:
            return
        self.model.apply(show)
        self._schedule()

    @Slot()
    def clear_strokes(self) -> None:
        """The customer clicked: the strokes go at once (the laser stays)."""
        self.model.clear_strokes()
        self._schedule()

    @Slot()
    def clear(self) -> None:
        """Everything goes (sharing paused)."""
        self.model.clear()
        self._frame()

    @Slot()
    def close(self) -> None:
        """End of the session: every window goes."""
        self._closed = True
        self._timer.stop()
        self._wake.stop()
        self.model.clear()
        for window in self._windows.values():
            window.close()
            window.deleteLater()
        self._windows.clear()

    def _schedule(self) -> None:
        if not self._closed and not self._timer.isActive():
            self._wake.stop()
            self._timer.start()

    @Slot()
    def _frame(self) -> None:
        """One repaint: drop what expired, paint what changed, sleep when nothing fades."""
        if self._closed:
            return
        model = self.model
        model.tick()
        if model.version != self._painted or model.fading:
            self._painted = model.version
            began = time.perf_counter()
            self._render()
            spent_ms = (time.perf_counter() - began) * 1000
            self._timer.setInterval(max(FRAME_MS, int(spent_ms / MAX_BUSY)))
        if not model.fading:
            self._timer.stop()
            expiry = model.next_expiry()
            if expiry is not None:
                self._wake.start(int(expiry * 1000) + 1)

    def _render(self) -> None:
        screens = QGuiApplication.screens()
        for gone in [s for s in self._windows if s not in screens]:
            window = self._windows.pop(gone)
            window.close()
            window.deleteLater()
        if self.model.empty:
            for window in self._windows.values():
                window.hide()
            return
        for screen in screens:
            if screen in self._windows:
                window = self._windows[screen]
                window.follow()
            else:
                window = self._windows[screen] = AnnotationWindow(screen)
            window.draw(self.model)

    def painted_area(self) -> QRect:
        """The global area the visible windows cover with paint (tests)."""
        area = QRect()
        for window in self._windows.values():
            if window.isVisible():
                area = area.united(window.mask().boundingRect().translated(window.pos()))
        return area

"""The remote screen, drawn locally, and the technician's input as remote-coordinate intents.

No decoding, no networking: the integrator hands in a QImage plus damaged rectangles and wires the
input signals to the sender (keys go through ``console/keymap.py``).
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPolygonF,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

FIT = "fit"
ACTUAL = "actual"
WHEEL_STEP = 120
#: While frames stream, a scaled view is painted with the fast (nearest-pixel) transform; once no
#: frame arrived for this long, what was painted fast is repainted smoothly, once.
SMOOTH_AFTER_MS = 150

_BUTTON_NAMES = {
    Qt.MouseButton.LeftButton: "left",
    Qt.MouseButton.RightButton: "right",
    Qt.MouseButton.MiddleButton: "middle",
    Qt.MouseButton.BackButton: "back",
    Qt.MouseButton.ForwardButton: "forward",
}


class RemoteView(QAbstractScrollArea):
    """Shows the remote screen (fit-to-window or 1:1 with scroll bars) and emits input intents.

    Slots: :meth:`apply_patches` (the streaming path), :meth:`update_image`,
    :meth:`set_remote_cursor`, :meth:`set_scale_mode`,
    :meth:`set_control_enabled`.
    Signals (only while control is enabled, coordinates in REMOTE pixels, ints):
    ``pointer_moved(x, y)``, ``button_changed(button: str, pressed: bool, x, y)`` with button in
    ``left/right/middle/back/forward``, ``wheel_turned(dx_steps, dy_steps, x, y)`` (one step =
    one notch = angleDelta 120, in the wire's signs, converted from Qt's here only: dy > 0
    scrolls down, dx > 0 right; see ``shared.messages.Wheel``), ``key_changed(qt_key,
    text, modifiers, native_scan_code, native_virtual_key, pressed)``. Auto-repeat arrives as
    repeated presses; keys and buttons still held are released (signals emitted) when the view
    loses focus or control is switched off.
    """

    pointer_moved = Signal(int, int)
    button_changed = Signal(str, bool, int, int)
    wheel_turned = Signal(int, int, int, int)
    key_changed = Signal(int, str, int, int, int, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        self._mode = FIT
        self._control = False
        self._cursor_pos: QPoint | None = None
        self._cursor_visible = False
        self._cursor_shape: QImage | None = None
        self._cursor_hot = QPoint(0, 0)
        self._wheel_acc = QPoint(0, 0)
        self._held_buttons: set[str] = set()
        self._held_keys: dict[int, tuple[int, str, int, int, int]] = {}
        self._last_remote = QPoint(0, 0)
        # streaming: paint scaled damage with the fast transform, remember where (widget pixels)
        self._fast = False
        self._fast_region = QRegion()
        self._rest_timer = QTimer(self)
        self._rest_timer.setSingleShot(True)
        self._rest_timer.setInterval(SMOOTH_AFTER_MS)
        self._rest_timer.timeout.connect(self._smooth_after_rest)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setFrameShape(QAbstractScrollArea.Shape.NoFrame)
        self._update_scrollbars()

    # ----------------------------------------------------------------- slots

    @Slot(QImage, list)
    def update_image(self, qimage: QImage, damaged: list[tuple[int, int, int, int]]) -> None:
        """Take the current remote framebuffer and repaint only ``damaged`` (x, y, w, h) rects.

        The view keeps a reference (QImage is implicitly shared): don't write into the memory
        behind ``qimage`` afterwards; hand over a fresh image or ``.copy()``. A size change (or
        an empty ``damaged`` list) repaints everything.
        """
        resized = qimage.size() != self._image.size()
        self._image = qimage
        if resized:
            self._update_scrollbars()
            self.viewport().update()
            return
        if not damaged:
            self.viewport().update()
            return
        for x, y, w, h in damaged:
            self.viewport().update(self._to_widget_rect(QRectF(x, y, w, h)))

    @Slot(int, int, list)
    def apply_patches(self, width: int, height: int,
                      patches: list[tuple[int, int, QImage]]) -> None:
        """Blit damaged parts of the remote screen into the view's own persistent image.

        ``patches`` are ``(x, y, image)`` in remote pixels; only their rectangles are repainted.
        A new ``width`` x ``height`` starts from a black image (the agent then sends it all).
        All patches land before the next paint, so a frame never shows half applied.
        """
        resized = self._image.isNull() or (width, height) != (
            self._image.width(), self._image.height())
        if resized:
            self._image = QImage(width, height, QImage.Format.Format_RGB32)
            self._image.fill(QColor("black"))
        painter = QPainter(self._image)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        for x, y, patch in patches:
            painter.drawImage(QPoint(int(x), int(y)), patch)
        painter.end()
        if resized:
            self._update_scrollbars()
            self.viewport().update()
            return
        streaming = self.scale() < 1.0
        if streaming:
            # a scaled screen that keeps changing is drawn fast; smoothly once it rests
            self._fast = True
            self._rest_timer.start()
        for x, y, patch in patches:
            rect = self._to_widget_rect(QRectF(x, y, patch.width(), patch.height()))
            if streaming:
                self._fast_region += rect
            self.viewport().update(rect)

    @Slot()
    def _smooth_after_rest(self) -> None:
        """No frame for :data:`SMOOTH_AFTER_MS`: repaint smoothly what was painted fast."""
        self._fast = False
        region, self._fast_region = self._fast_region, QRegion()
        if not region.isEmpty():
            self.viewport().update(region)

    @property
    def painting_fast(self) -> bool:
        """True while frames stream into a scaled view (fast transform, smooth after rest)."""
        return self._fast

    @Slot(int, int, bool, object, int, int)
    def set_remote_cursor(
        self,
        x: int,
        y: int,
        visible: bool,
        shape_qimage: QImage | None = None,
        hot_x: int = 0,
        hot_y: int = 0,
    ) -> None:
        """Draw the remote pointer at remote (x, y); ``shape_qimage`` None keeps the last shape
        (a plain arrow until the first shape arrives)."""
        old = self._cursor_rect()
        self._cursor_pos = QPoint(int(x), int(y))
        self._cursor_visible = bool(visible)
        if shape_qimage is not None and not shape_qimage.isNull():
            self._cursor_shape = shape_qimage
            self._cursor_hot = QPoint(int(hot_x), int(hot_y))
        self.viewport().update(old)
        self.viewport().update(self._cursor_rect())

    @Slot(str)
    def set_scale_mode(self, mode: str) -> None:
        """``'fit'`` (scaled, aspect kept, centred) or ``'actual'`` (1:1 with scroll bars)."""
        if mode not in (FIT, ACTUAL):
            raise ValueError(f"unknown scale mode {mode!r}")
        self._mode = mode
        self._update_scrollbars()
        self._repaint_all()

    @Slot(bool)
    def set_control_enabled(self, enabled: bool) -> None:
        """Only while enabled does the view emit input (and capture Tab etc.)."""
        if not enabled:
            self._release_all()
        self._control = bool(enabled)
        self.viewport().setCursor(
            Qt.CursorShape.CrossCursor if enabled else Qt.CursorShape.ArrowCursor
        )

    # ----------------------------------------------------------------- queries

    @property
    def scale_mode(self) -> str:
        return self._mode

    @property
    def control_enabled(self) -> bool:
        return self._control

    def image(self) -> QImage:
        """The framebuffer currently shown."""
        return self._image

    def scale(self) -> float:
        """Widget pixels per remote pixel."""
        if self._image.isNull():
            return 1.0
        if self._mode == ACTUAL:
            return 1.0
        vp = self.viewport().size()
        return max(1e-6, min(vp.width() / self._image.width(), vp.height() / self._image.height()))

    def image_origin(self) -> QPointF:
        """Where remote (0, 0) lies in viewport coordinates."""
        vp = self.viewport().size()
        s = self.scale()
        w, h = self._image.width() * s, self._image.height() * s
        x = (vp.width() - w) / 2 if w < vp.width() else 0.0
        y = (vp.height() - h) / 2 if h < vp.height() else 0.0
        if self._mode == ACTUAL:
            x -= self.horizontalScrollBar().value()
            y -= self.verticalScrollBar().value()
        return QPointF(x, y)

    def map_to_remote(self, pos: QPointF | QPoint) -> tuple[int, int] | None:
        """Viewport position → remote pixel, or ``None`` outside the image."""
        if self._image.isNull():
            return None
        p = QPointF(pos)
        origin = self.image_origin()
        s = self.scale()
        rx = int((p.x() - origin.x()) / s)
        ry = int((p.y() - origin.y()) / s)
        if p.x() < origin.x() or p.y() < origin.y():
            return None
        if rx >= self._image.width() or ry >= self._image.height():
            return None
        return rx, ry

    def map_from_remote(self, x: float, y: float) -> QPointF:
        """Remote pixel → viewport position (top-left corner of that pixel)."""
        origin = self.image_origin()
        s = self.scale()
        return QPointF(origin.x() + x * s, origin.y() + y * s)

    def sizeHint(self) -> QSize:
        return QSize(1024, 640)

    # ----------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.fillRect(event.rect(), QColor("#2b2f36"))
        if not self._image.isNull():
            painter.setRenderHint(
                QPainter.RenderHint.SmoothPixmapTransform, self.scale() < 1.0 and not self._fast)
            target = self._to_widget_rectf(QRectF(0, 0, self._image.width(), self._image.height()))
            dirty = QRectF(event.rect()).intersected(target)
            if not dirty.isEmpty():
                s = self.scale()
                source = QRectF(
                    (dirty.x() - target.x()) / s,
                    (dirty.y() - target.y()) / s,
                    dirty.width() / s,
                    dirty.height() / s,
                )
                painter.drawImage(dirty, self._image, source)
        self._paint_cursor(painter)
        painter.end()

    def _paint_cursor(self, painter: QPainter) -> None:
        if not self._cursor_visible or self._cursor_pos is None or self._image.isNull():
            return
        tip = self.map_from_remote(self._cursor_pos.x(), self._cursor_pos.y())
        s = self.scale()
        if self._cursor_shape is not None:
            hot = self._cursor_hot
            top_left = QPointF(tip.x() - hot.x() * s, tip.y() - hot.y() * s)
            size = QSize(
                max(1, round(self._cursor_shape.width() * s)),
                max(1, round(self._cursor_shape.height() * s)),
            )
            painter.drawImage(QRectF(top_left, size.toSizeF()), self._cursor_shape)
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

    def _cursor_rect(self) -> QRect:
        if self._cursor_pos is None or self._image.isNull():
            return QRect()
        tip = self.map_from_remote(self._cursor_pos.x(), self._cursor_pos.y())
        s = max(1.0, self.scale())
        w = h = 24
        hot = QPoint(0, 0)
        if self._cursor_shape is not None:
            w, h = self._cursor_shape.width(), self._cursor_shape.height()
            hot = self._cursor_hot
        return QRect(
            int(tip.x() - hot.x() * s) - 2, int(tip.y() - hot.y() * s) - 2,
            int(w * s) + 4, int(h * s) + 4,
        )

    def _to_widget_rectf(self, r: QRectF) -> QRectF:
        origin = self.image_origin()
        s = self.scale()
        return QRectF(origin.x() + r.x() * s, origin.y() + r.y() * s, r.width() * s, r.height() * s)

    def _to_widget_rect(self, r: QRectF) -> QRect:
        return self._to_widget_rectf(r).toAlignedRect().adjusted(-1, -1, 1, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbars()
        if self._fast:  # Qt repaints it all now, fast: all of it needs the smooth repaint
            self._fast_region = QRegion(self.viewport().rect())

    def _repaint_all(self) -> None:
        if self._fast:
            self._fast_region = QRegion(self.viewport().rect())
        self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self._repaint_all()

    def _update_scrollbars(self) -> None:
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if self._mode == ACTUAL
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)
        vp = self.viewport().size()
        if self._mode == ACTUAL and not self._image.isNull():
            hbar, vbar = self.horizontalScrollBar(), self.verticalScrollBar()
            hbar.setRange(0, max(0, self._image.width() - vp.width()))
            hbar.setPageStep(vp.width())
            hbar.setSingleStep(32)
            vbar.setRange(0, max(0, self._image.height() - vp.height()))
            vbar.setPageStep(vp.height())
            vbar.setSingleStep(32)
        else:
            self.horizontalScrollBar().setRange(0, 0)
            self.verticalScrollBar().setRange(0, 0)

    # ----------------------------------------------------------------- input

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if not self._control:
            return
        remote = self._map_clamped(event.position()) if self._held_buttons else None
        if remote is None:
            remote = self.map_to_remote(event.position())
        if remote is not None:
            self._last_remote = QPoint(*remote)
            self.pointer_moved.emit(*remote)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if not self._control:
            return
        name = _BUTTON_NAMES.get(event.button())
        remote = self.map_to_remote(event.position())
        if name is None or remote is None:
            return
        self._last_remote = QPoint(*remote)
        self.pointer_moved.emit(*remote)
        self._held_buttons.add(name)
        self.button_changed.emit(name, True, *remote)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._control:
            return
        name = _BUTTON_NAMES.get(event.button())
        if name is None or name not in self._held_buttons:
            return
        remote = self._map_clamped(event.position())
        self._held_buttons.discard(name)
        self.button_changed.emit(name, False, *remote)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Qt turns the second press into a double-click event; the remote side needs a press.
        self.mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not self._control:
            if self._mode == ACTUAL:
                super().wheelEvent(event)
            return
        remote = self.map_to_remote(event.position())
        if remote is None:
            return
        delta = event.angleDelta()
        self._wheel_acc += delta
        steps_x = int(self._wheel_acc.x() / WHEEL_STEP)
        steps_y = int(self._wheel_acc.y() / WHEEL_STEP)
        self._wheel_acc -= QPoint(steps_x * WHEEL_STEP, steps_y * WHEEL_STEP)
        if steps_x or steps_y:
            # Qt: positive = away from the user (up / left); the wire: positive dy scrolls down.
            self.wheel_turned.emit(-steps_x, -steps_y, *remote)
        event.accept()

    def event(self, event: QEvent) -> bool:
        """While controlling, every key (Tab, Backtab, shortcuts) goes to the remote side."""
        if self._control:
            kind = event.type()
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            if kind == QEvent.Type.KeyPress:
                self._key(event, True)  # type: ignore[arg-type]
                return True
            if kind == QEvent.Type.KeyRelease:
                self._key(event, False)  # type: ignore[arg-type]
                return True
        return super().event(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        if self._control:
            return False
        return super().focusNextPrevChild(next)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._release_all()
        super().focusOutEvent(event)

    def _key(self, event: QKeyEvent, pressed: bool) -> None:
        if not pressed and event.isAutoRepeat():
            return  # a repeat is a press+release pair from Qt; forward only the press
        info = (
            int(event.key()),
            event.text(),
            int(event.modifiers().value),
            int(event.nativeScanCode()),
            int(event.nativeVirtualKey()),
        )
        ident = info[3] or info[0]
        if pressed:
            self._held_keys[ident] = info
        else:
            held = self._held_keys.pop(ident, None)
            if held is None:
                return  # release of a key pressed before we had focus or control
        self.key_changed.emit(*info, pressed)
        event.accept()

    def _release_all(self) -> None:
        if not self._control:
            self._held_keys.clear()
            self._held_buttons.clear()
            return
        for key, text, _mods, scan, vk in list(self._held_keys.values()):
            # Synthetic releases carry no modifiers: everything is being let go.
            self.key_changed.emit(key, text, 0, scan, vk, False)
        self._held_keys.clear()
        for name in sorted(self._held_buttons):
            self.button_changed.emit(name, False, self._last_remote.x(), self._last_remote.y())
        self._held_buttons.clear()
        self._wheel_acc = QPoint(0, 0)

    def _map_clamped(self, pos: QPointF) -> tuple[int, int]:
        if self._image.isNull():
            return (0, 0)
        origin = self.image_origin()
        s = self.scale()
        rx = int((pos.x() - origin.x()) / s)
        ry = int((pos.y() - origin.y()) / s)
        rx = min(max(rx, 0), self._image.width() - 1)
        ry = min(max(ry, 0), self._image.height() - 1)
        return rx, ry

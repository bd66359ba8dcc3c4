"""The remote screen, drawn locally, and the technician's input as remote-coordinate intents.

No decoding, no networking: the integrator hands in a QImage plus damaged rectangles and wires the
input signals to the sender (keys go through ``console/keymap.py``). The widget paints and routes
Qt's events; the numbers (scale, placement, pixel mapping) are in ``view_geometry``, the pointer
overlay in ``remote_cursor``, what is held down on the remote side in ``remote_input``.
"""

from __future__ import annotations

from typing import Any

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
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFocusEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from console.ui.remote_cursor import RemoteCursor
from console.ui.remote_input import BUTTON_NAMES, HeldInput, key_info
from console.ui.view_geometry import ACTUAL, FIT, SCALE_MODES, Placement

WHEEL_STEP = 120
#: While frames stream, a scaled view is painted with the fast (nearest-pixel) transform; once no
#: frame arrived for this long, what was painted fast is repainted smoothly, once.
SMOOTH_AFTER_MS = 150


class RemoteView(QAbstractScrollArea):
    """Shows the remote screen (fit-to-window or 1:1 with scroll bars) and emits input intents.

    Slots: :meth:`apply_patches` (the streaming path), :meth:`update_image`,
    :meth:`set_remote_cursor`, :meth:`set_scale_mode`,
    :meth:`set_control_enabled`, :meth:`set_show_mode` (a show tool takes the mouse: no input).
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
    #: True when the first key or button goes down, False when the last one is up
    holding_changed = Signal(bool)
    #: local files dropped onto the screen to send to the customer (paths; only while
    #: :meth:`set_files_allowed` said so, i.e. the customer allows files_in)
    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image = QImage()
        #: the decoder's framebuffer that ``_image`` shows in place (None: a private image)
        self._frame: Any = None
        self._mode = FIT
        self._control = False
        self._show = ""  # a show tool is active (console.ui.show_tools): the mouse shows
        self._files = False  # files dropped here are sent (the customer allows files_in)
        self._cursor = RemoteCursor()
        self._wheel_acc = QPoint(0, 0)
        self._held = HeldInput()
        self._holding = False
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
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
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
        self._image, self._frame = qimage, None
        if resized:
            self._update_scrollbars()
            self.viewport().update()
            return
        if not damaged:
            self.viewport().update()
            return
        place = self.placement()
        for x, y, w, h in damaged:
            self.viewport().update(self._to_widget_rect(QRectF(x, y, w, h), place))

    @Slot(int, int, list)
    def apply_patches(self, width: int, height: int,
                      patches: list[tuple[int, int, QImage]]) -> None:
        """Show the damaged parts of the remote screen; only their rectangles are repainted.

        ``patches`` are ``(x, y, image)`` in remote pixels. Patches that are views of the
        decoder's framebuffer (``console.frame_decoder.damage_patches``) are painted straight
        from it, synchronously, before this returns: no copy into an image of the view's own
        (issue 16: that blit was the console's largest cost while a document scrolled), and the
        decoder writes the next frame only after this returned (``frame_shown``), so a paint
        never shows half a frame. (A repaint for another reason between two frames, e.g. the
        pointer overlay, may catch the decoder writing the next one; that frame's own repaint
        follows at once.) Other patches are blitted into the view's persistent image.
        A new ``width`` x ``height`` starts from black (the agent then sends it all).
        """
        frame = _framebuffer_of(patches, width, height)
        resized = self._image.isNull() or (width, height) != (
            self._image.width(), self._image.height())
        if not patches and not resized:
            return
        if frame is not None:
            if frame is not self._frame:
                self._frame = frame
                self._image = QImage(frame.data, width, height, width * 4,
                                     QImage.Format.Format_RGB32)
        else:
            if resized or self._frame is not None:
                # (the decoder's memory is not ours to write into: a private image again)
                old, self._frame = self._image, None
                self._image = QImage(width, height, QImage.Format.Format_RGB32)
                if resized:
                    self._image.fill(QColor("black"))
                else:
                    painter = QPainter(self._image)
                    painter.drawImage(QPoint(0, 0), old)
                    painter.end()
            painter = QPainter(self._image)
            painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            for x, y, patch in patches:
                painter.drawImage(QPoint(int(x), int(y)), patch)
            painter.end()
        if resized:
            self._update_scrollbars()
            if frame is not None:
                self.viewport().repaint()
            else:
                self.viewport().update()
            return
        place = self.placement()
        streaming = place.scale < 1.0
        if streaming:
            # a scaled screen that keeps changing is drawn fast; smoothly once it rests
            self._fast = True
            self._rest_timer.start()
        damage = QRegion()
        for x, y, patch in patches:
            rect = self._to_widget_rect(QRectF(x, y, patch.width(), patch.height()), place)
            if streaming:
                self._fast_region += rect
            damage += rect
        if frame is not None:
            self.viewport().repaint(damage)
        else:
            self.viewport().update(damage)

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
        old = self._cursor.rect(self.placement())
        self._cursor.update(x, y, visible, shape_qimage, hot_x, hot_y)
        self.viewport().update(old)
        self.viewport().update(self._cursor.rect(self.placement()))

    @Slot(str)
    def set_scale_mode(self, mode: str) -> None:
        """``'fit'`` (scaled, aspect kept, centred) or ``'actual'`` (1:1 with scroll bars)."""
        if mode not in SCALE_MODES:
            raise ValueError(f"unknown scale mode {mode!r}")
        self._mode = mode
        self._update_scrollbars()
        self._repaint_all()

    @Slot(bool)
    def set_control_enabled(self, enabled: bool) -> None:
        """Only while enabled does the view emit input (and capture Tab etc.); while not, the
        pointer over the screen is a "not allowed" sign, so the technician sees it at once."""
        if not enabled:
            self._release_all()
        self._control = bool(enabled)
        self._update_cursor()

    @Slot(str)
    def set_show_mode(self, tool: str) -> None:
        """A show tool is active (``"laser"``, ``"draw"``, ``"arrow"``; ``""`` = none): its
        mouse events show things and are never input (console.ui.show_tools takes them), so
        what is held now is released first."""
        if tool:
            self._release_all()
        self._show = tool
        self._update_cursor()

    @Slot(bool)
    def set_files_allowed(self, allowed: bool) -> None:
        """Files dropped onto the screen go to the customer (``files_in`` granted now); else
        a drop is refused (the pointer shows it cannot drop)."""
        self._files = allowed

    @property
    def files_allowed(self) -> bool:
        return self._files

    def _dropped_files(self, event: QDropEvent | QDragEnterEvent | QDragMoveEvent
                       ) -> list[str]:
        """The local files of a drag (empty: nothing to send, or not allowed now)."""
        data = event.mimeData()
        if not self._files or data is None or not data.hasUrls():
            return []
        urls = data.urls()
        if not urls or not all(u.isLocalFile() for u in urls):
            return []
        return [u.toLocalFile() for u in urls]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_files(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(paths)

    def _update_cursor(self) -> None:
        if self._show:
            shape = Qt.CursorShape.PointingHandCursor
        elif self._control:
            shape = Qt.CursorShape.CrossCursor
        else:
            shape = Qt.CursorShape.ForbiddenCursor
        self.viewport().setCursor(shape)

    # ----------------------------------------------------------------- queries

    @property
    def scale_mode(self) -> str:
        return self._mode

    @property
    def control_enabled(self) -> bool:
        return self._control

    @property
    def show_mode(self) -> str:
        """The active show tool, ``""`` when none (see :meth:`set_show_mode`)."""
        return self._show

    def image(self) -> QImage:
        """The framebuffer currently shown."""
        return self._image

    def placement(self) -> Placement:
        """Where the image sits in the viewport now (scale, origin, size); see view_geometry."""
        vp = self.viewport().size()
        if self._mode == ACTUAL:
            scroll = self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        else:
            scroll = 0, 0
        return Placement.of(vp.width(), vp.height(), self._image.width(), self._image.height(),
                            self._mode, *scroll)

    def scale(self) -> float:
        """Widget pixels per remote pixel."""
        return self.placement().scale

    def image_origin(self) -> QPointF:
        """Where remote (0, 0) lies in viewport coordinates."""
        place = self.placement()
        return QPointF(place.origin_x, place.origin_y)

    def map_to_remote(self, pos: QPointF | QPoint) -> tuple[int, int] | None:
        """Viewport position → remote pixel, or ``None`` outside the image."""
        p = QPointF(pos)
        return self.placement().to_remote(p.x(), p.y())

    def map_from_remote(self, x: float, y: float) -> QPointF:
        """Remote pixel → viewport position (top-left corner of that pixel)."""
        return QPointF(*self.placement().from_remote(x, y))

    def sizeHint(self) -> QSize:
        return QSize(1024, 640)

    # ----------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        place = self.placement()
        target = QRectF(*place.image_in_view())
        if self._image.isNull() or not target.contains(QRectF(event.rect())):
            # only where the picture leaves background showing: under it, it is overdrawn
            painter.fillRect(event.rect(), QColor("#2b2f36"))
        if not self._image.isNull():
            painter.setRenderHint(
                QPainter.RenderHint.SmoothPixmapTransform, place.scale < 1.0 and not self._fast)
            dirty = QRectF(event.rect()).intersected(target)
            if not dirty.isEmpty():
                source = QRectF(*place.source_of(
                    (dirty.x(), dirty.y(), dirty.width(), dirty.height())))
                painter.drawImage(dirty, self._image, source)
        self._cursor.paint(painter, place)
        painter.end()

    def _to_widget_rect(self, r: QRectF, place: Placement | None = None) -> QRect:
        """Viewport area of a remote rectangle, grown by a pixel for smooth-scaling bleed."""
        if place is None:
            place = self.placement()
        view = QRectF(*place.to_view((r.x(), r.y(), r.width(), r.height())))
        return view.toAlignedRect().adjusted(-1, -1, 1, 1)

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
        if not self._control or self._show:
            return
        pos = event.position()
        place = self.placement()
        remote = place.to_remote_clamped(pos.x(), pos.y()) if self._held.any_button else None
        if remote is None:
            remote = place.to_remote(pos.x(), pos.y())
        if remote is not None:
            self._held.last_pos = remote
            self.pointer_moved.emit(*remote)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if not self._control or self._show:
            return
        name = BUTTON_NAMES.get(event.button())
        remote = self.map_to_remote(event.position())
        if name is None or remote is None:
            return
        # No move of its own first: the press carries its position and the agent moves there
        # before pressing (one message and one X round trip less per click, issue 16). The
        # press goes before the "holding" note, whose ping would otherwise travel ahead of it.
        self._held.last_pos = remote
        self._held.press_button(name)
        self.button_changed.emit(name, True, *remote)
        self._note_holding()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._control or self._show:
            return
        name = BUTTON_NAMES.get(event.button())
        if name is None or not self._held.release_button(name):
            return
        pos = event.position()
        remote = self.placement().to_remote_clamped(pos.x(), pos.y())
        self.button_changed.emit(name, False, *remote)
        self._note_holding()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # Qt turns the second press into a double-click event; the remote side needs a press.
        self.mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if not self._control or self._show:
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
        info = key_info(event)
        if pressed:
            self._held.press_key(info)
        elif not self._held.release_key(info):
            return  # release of a key pressed before we had focus or control
        if pressed:
            self._note_holding()
        self.key_changed.emit(*info, pressed)
        if not pressed:
            self._note_holding()
        event.accept()

    def _note_holding(self) -> None:
        """Say when the first key or button goes down and the last comes up (pings)."""
        if self._held.any_held != self._holding:
            self._holding = self._held.any_held
            self.holding_changed.emit(self._holding)

    def _release_all(self) -> None:
        keys, buttons = self._held.take_all()
        self._note_holding()
        if not self._control:
            return
        for key, text, _mods, scan, vk in keys:
            # Synthetic releases carry no modifiers: everything is being let go.
            self.key_changed.emit(key, text, 0, scan, vk, False)
        x, y = self._held.last_pos
        for name in buttons:
            self.button_changed.emit(name, False, x, y)
        self._wheel_acc = QPoint(0, 0)


def _framebuffer_of(patches: list[tuple[int, int, QImage]], width: int, height: int
                    ) -> Any:
    """The decoder's framebuffer (a ``height`` x ``width`` x 4 array) that every patch is a
    view of, or None (patches of their own, e.g. from a test or another integrator)."""
    frame: Any = None
    for _x, _y, patch in patches:
        pixels = getattr(patch, "_pixels", None)
        if pixels is None or (frame is not None and pixels is not frame):
            return None
        frame = pixels
    shape = getattr(frame, "shape", None)
    flags = getattr(frame, "flags", None)
    if shape != (height, width, 4) or flags is None or not flags.c_contiguous:
        return None
    return frame

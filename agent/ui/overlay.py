"""The in-session overlay: a coloured frame around every monitor plus one small control panel.

The frames are click-through (``WindowTransparentForInput`` and a ring-shaped window mask, so they
work without a compositor too); the panel is clickable and draggable. Screen capture sees both,
which is intended: technician and customer both see that a session is running.

The panel must stay where the customer can reach it even though the technician controls the mouse
and keyboard: it bypasses the window manager (X11 override-redirect, like the frames), so no
window-manager shortcut can minimise it, move it to another virtual desktop or below other
windows, and it shows on every virtual desktop with or without a window manager; it is raised
again every second; any move (a drag, ``xdotool windowmove``...) that leaves it partly outside
its monitor puts it back inside; and a global hotkey (:mod:`agent.hotkey`, shown on the panel)
stops control and ends the session from the keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QMouseEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
    QScreen,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from agent.hotkey import Hotkey
from agent.ui.branding import Branding
from desktop.qt.plain import force_plain_text
from shared.text import shown_name

FRAME_WIDTH = 6
#: How often the panel is raised again and checked to be on its monitor (ms).
GUARD_INTERVAL_MS = 1000

#: Flags of every frame window; tests check them, the integrator need not care.
FRAME_FLAGS = (
    Qt.WindowType.Window
    | Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.WindowTransparentForInput
    | Qt.WindowType.WindowDoesNotAcceptFocus
    | Qt.WindowType.X11BypassWindowManagerHint
    | Qt.WindowType.Tool
)
#: The panel bypasses the window manager too (see the module docstring): injected window-manager
#: shortcuts cannot minimise, move, shade or send it to another desktop.
PANEL_FLAGS = (
    Qt.WindowType.Window
    | Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.WindowDoesNotAcceptFocus
    | Qt.WindowType.X11BypassWindowManagerHint
    | Qt.WindowType.Tool
)


class FrameWindow(QWidget):
    """A click-through window covering one screen that paints only a border."""

    def __init__(self, screen: QScreen, colour: QColor) -> None:
        super().__init__(None, FRAME_FLAGS)
        self._colour = colour
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWindowTitle("Fernhilfe session frame")
        self.screen_ref = screen
        self.follow(screen)

    def follow(self, screen: QScreen) -> None:
        """Cover ``screen`` (called again when its geometry changes)."""
        self.screen_ref = screen
        self.setScreen(screen)
        geo = screen.geometry()
        self.setGeometry(geo)
        inner = QRect(0, 0, geo.width(), geo.height()).adjusted(
            FRAME_WIDTH, FRAME_WIDTH, -FRAME_WIDTH, -FRAME_WIDTH
        )
        # The mask keeps the window to the ring itself: without a compositor the translucent
        # middle would otherwise be painted black, and the input shape shrinks to the ring.
        self.setMask(QRegion(0, 0, geo.width(), geo.height()) - QRegion(inner))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        pen = QPen(self._colour, FRAME_WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = FRAME_WIDTH / 2
        painter.drawRect(self.rect().toRectF().adjusted(half, half, -half, -half))
        painter.end()


class ControlPanel(QFrame):
    """The small always-on-top panel: who is watching, control toggle, End session, hotkey hint.

    Signal ``moved()`` after every move, whoever made it (drag, window manager, other programs).
    """

    moved = Signal()

    def __init__(self, overlay: SessionOverlay, colour: QColor) -> None:
        super().__init__(None, PANEL_FLAGS)
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setWindowTitle("Fernhilfe")
        self._drag_from: QPoint | None = None
        self.label = QLabel()
        self.label.setObjectName("who")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.hotkey_label = QLabel()
        self.hotkey_label.setObjectName("hotkey")
        self.hotkey_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hotkey_label.setVisible(False)
        self.control_button = QPushButton()
        self.control_button.setObjectName("control")
        self.control_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.end_button = QPushButton()
        self.end_button.setObjectName("end")
        self.end_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.end_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.control_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        dot = QLabel("●")
        dot.setObjectName("dot")
        column = QVBoxLayout(self)
        column.setContentsMargins(14, 8, 8, 6)
        column.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(dot)
        row.addWidget(self.label)
        row.addSpacing(8)
        row.addWidget(self.control_button)
        row.addWidget(self.end_button)
        column.addLayout(row)
        column.addWidget(self.hotkey_label)
        force_plain_text(self)
        a = colour.name()
        self.setStyleSheet(
            f"""
            QFrame#panel {{ background: #ffffff; border: 2px solid {a}; border-radius: 8px; }}
            QLabel#dot {{ color: #d1242f; font-size: 12pt; }}
            QLabel#who {{ font-size: 11pt; font-weight: 600; color: #1f2328; }}
            QLabel#hotkey {{ font-size: 9pt; color: #57606a; }}
            QPushButton {{ font-size: 10pt; padding: 5px 12px; }}
            QPushButton#end {{ background: #d1242f; color: white; border: none;
                               border-radius: 5px; font-weight: 600; }}
            """
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start dragging the panel out of the customer's way."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = event.globalPosition().toPoint() - self.frameGeometry().topLeft()
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag_from is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.move(event.globalPosition().toPoint() - self._drag_from)
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag_from = None

    def moveEvent(self, event: QMoveEvent) -> None:
        """Report every move: the overlay puts the panel back if it left its monitor."""
        super().moveEvent(event)
        self.moved.emit()


class SessionOverlay(QObject):
    """Frames on every monitor (following screens coming and going) and one control panel.

    Slots: :meth:`show`, :meth:`close`, :meth:`set_control`, :meth:`set_technician`.
    Signals: ``end_session_requested()``, ``control_toggle_requested(bool)`` — ``False`` asks to
    revoke control (view only), ``True`` to grant it again. The button shows the state the
    integrator last set with :meth:`set_control`; clicking it does not change that state by itself.

    ``hotkey`` (see :mod:`agent.hotkey`) is started by :meth:`show` and stopped by :meth:`close`;
    each press asks to stop control, or, once control is off (or its stop was already asked
    for), to end the session. It never asks to grant anything.
    """

    end_session_requested = Signal()
    control_toggle_requested = Signal(bool)

    def __init__(
        self,
        technician_name: str,
        control: bool = False,
        branding: Branding | None = None,
        parent: QObject | None = None,
        hotkey: Hotkey | None = None,
    ) -> None:
        super().__init__(parent)
        brand = branding or Branding()
        colour = QColor(brand.accent)
        self._colour = colour if colour.isValid() else QColor(Branding().accent)
        self._frame_colour = QColor("#d1242f")
        self._frames: dict[QScreen, FrameWindow] = {}
        self._shown = False
        self._control = control
        self._stop_asked = False  # the hotkey already asked to stop control
        self._name = technician_name
        self._hotkey = hotkey
        self._hotkey_active = False
        self.panel = ControlPanel(self, self._colour)
        self.panel.moved.connect(self._on_panel_moved)
        self._guard = QTimer(self)
        self._guard.setInterval(GUARD_INTERVAL_MS)
        self._guard.timeout.connect(self._guard_panel)
        if hotkey is not None:
            hotkey.triggered.connect(self._on_hotkey)
        self.panel.end_button.clicked.connect(self.end_session_requested)
        self.panel.control_button.clicked.connect(
            lambda: self.control_toggle_requested.emit(not self._control)
        )
        self._retranslate()
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self._on_screen_added)
        app.screenRemoved.connect(self._on_screen_removed)
        for screen in QGuiApplication.screens():
            self._add_frame(screen)

    # ----------------------------------------------------------------- public

    @property
    def frames(self) -> list[FrameWindow]:
        """One frame window per current screen."""
        return list(self._frames.values())

    @property
    def control(self) -> bool:
        """The control state last set by the integrator."""
        return self._control

    @Slot()
    def show(self) -> None:
        """Show all frames and the panel (panel at the top centre of the primary screen)."""
        self._shown = True
        for frame in self._frames.values():
            frame.show()
        if self._hotkey is not None and not self._hotkey_active:
            self._hotkey_active = self._hotkey.start()
            self._retranslate()
        self.panel.adjustSize()
        self._place_panel()
        self.panel.show()
        self.panel.raise_()
        self._guard.start()

    @Slot()
    def close(self) -> None:
        """Hide and destroy every overlay window (end of session)."""
        self._shown = False
        self._guard.stop()
        if self._hotkey is not None:
            self._hotkey.stop()
            self._hotkey_active = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            try:
                app.screenAdded.disconnect(self._on_screen_added)
                app.screenRemoved.disconnect(self._on_screen_removed)
            except (RuntimeError, TypeError):
                pass
        for frame in self._frames.values():
            frame.close()
            frame.deleteLater()
        self._frames.clear()
        self.panel.close()

    @Slot(bool)
    def set_control(self, enabled: bool) -> None:
        """Reflect whether the technician currently has control."""
        self._control = bool(enabled)
        if self._control:
            self._stop_asked = False
        self._retranslate()

    @Slot(str)
    def set_technician(self, name: str) -> None:
        """Change the name shown on the panel."""
        self._name = name
        self._retranslate()

    def panel_text(self) -> str:
        """The panel's sentence (for tests)."""
        return self.panel.label.text()

    @property
    def hotkey_active(self) -> bool:
        """True while the global hotkey works (its hint is then shown on the panel)."""
        return self._hotkey_active

    # ----------------------------------------------------------------- internals

    @Slot()
    def _on_hotkey(self) -> None:
        """Customer's hotkey: stop control first; once it is off (or asked off), end."""
        if not self._shown:
            return
        if self._control and not self._stop_asked:
            self._stop_asked = True
            self.control_toggle_requested.emit(False)
        else:
            self.end_session_requested.emit()

    def _retranslate(self) -> None:
        name = shown_name(self._name, self.tr("your technician"))
        self.panel.label.setText(self.tr("Support by {name} is watching").format(name=name))
        self.panel.hotkey_label.setText(
            self.tr("Keyboard: {keys} stops control, press it again to end the session.").format(
                keys=self.tr("Ctrl+Alt+End"))
        )
        self.panel.hotkey_label.setVisible(self._hotkey_active)
        self.panel.control_button.setText(
            self.tr("Stop control") if self._control else self.tr("Allow control")
        )
        self.panel.control_button.setToolTip(
            self.tr("The technician can use your mouse and keyboard. Click to stop this.")
            if self._control
            else self.tr("The technician can only watch. Click to let them use mouse and keyboard.")
        )
        self.panel.end_button.setText(self.tr("End session"))
        self.panel.adjustSize()

    def _add_frame(self, screen: QScreen) -> None:
        if screen in self._frames:
            return
        frame = FrameWindow(screen, self._frame_colour)
        self._frames[screen] = frame
        screen.geometryChanged.connect(lambda _geo, s=screen: self._on_geometry(s))
        if self._shown:
            frame.show()
            self.panel.raise_()

    def _on_geometry(self, screen: QScreen) -> None:
        frame = self._frames.get(screen)
        if frame is not None:
            frame.follow(screen)
        if self._shown:
            self._keep_panel_on_screen()

    @Slot(QScreen)
    def _on_screen_added(self, screen: QScreen) -> None:
        self._add_frame(screen)

    @Slot(QScreen)
    def _on_screen_removed(self, screen: QScreen) -> None:
        frame = self._frames.pop(screen, None)
        if frame is not None:
            frame.close()
            frame.deleteLater()
        if self._shown:
            self._keep_panel_on_screen()

    def _place_panel(self) -> None:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return
        geo = screen.availableGeometry()
        size = self.panel.sizeHint()
        self.panel.resize(size)
        self.panel.move(geo.x() + (geo.width() - size.width()) // 2, geo.y() + FRAME_WIDTH + 4)

    @Slot()
    def _on_panel_moved(self) -> None:
        if self._shown:
            # After the move has settled: never re-place from inside Qt's own move handling.
            QTimer.singleShot(0, self._keep_panel_on_screen)

    def _guard_panel(self) -> None:
        """Every second: on top of whatever opened since, and still on its monitor."""
        if not self._shown:
            return
        if not self.panel.isVisible():
            self.panel.show()
        self.panel.raise_()
        self._keep_panel_on_screen()

    def _keep_panel_on_screen(self) -> None:
        """Put the panel wholly back onto the monitor it mostly is on (or its usual place)."""
        if not self._shown:
            return
        panel = self.panel.frameGeometry()
        screens = QGuiApplication.screens()
        if any(s.geometry().contains(panel) for s in screens):
            return
        def overlap(screen: QScreen) -> int:
            part = screen.geometry().intersected(panel)
            return part.width() * part.height() if not part.isEmpty() else 0

        home = max(screens, key=overlap, default=None)
        if home is None or overlap(home) == 0:
            self._place_panel()  # nowhere to be seen: back to its usual place
            return
        geo = home.geometry()
        x = min(max(panel.x(), geo.left()), geo.right() + 1 - panel.width())
        y = min(max(panel.y(), geo.top()), geo.bottom() + 1 - panel.height())
        self.panel.move(x, y)

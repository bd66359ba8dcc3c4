"""The in-session overlay: a coloured frame around every monitor plus one small control panel.

The frames are click-through (``WindowTransparentForInput`` and a ring-shaped window mask, so they
work without a compositor too); the panel is clickable and draggable. Screen capture sees both,
which is intended: technician and customer both see that a session is running.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QRect, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
    QScreen,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from agent.ui.branding import Branding

FRAME_WIDTH = 6

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
PANEL_FLAGS = (
    Qt.WindowType.Window
    | Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
    | Qt.WindowType.WindowDoesNotAcceptFocus
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
    """The small always-on-top panel: who is watching, control toggle, End session."""

    def __init__(self, overlay: SessionOverlay, colour: QColor) -> None:
        super().__init__(None, PANEL_FLAGS)
        self.setObjectName("panel")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setWindowTitle("Fernhilfe")
        self._drag_from: QPoint | None = None
        self.label = QLabel()
        self.label.setObjectName("who")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
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
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 8, 8, 8)
        row.setSpacing(10)
        row.addWidget(dot)
        row.addWidget(self.label)
        row.addSpacing(8)
        row.addWidget(self.control_button)
        row.addWidget(self.end_button)
        a = colour.name()
        self.setStyleSheet(
            f"""
            QFrame#panel {{ background: #ffffff; border: 2px solid {a}; border-radius: 8px; }}
            QLabel#dot {{ color: #d1242f; font-size: 12pt; }}
            QLabel#who {{ font-size: 11pt; font-weight: 600; color: #1f2328; }}
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


class SessionOverlay(QObject):
    """Frames on every monitor (following screens coming and going) and one control panel.

    Slots: :meth:`show`, :meth:`close`, :meth:`set_control`, :meth:`set_technician`.
    Signals: ``end_session_requested()``, ``control_toggle_requested(bool)`` — ``False`` asks to
    revoke control (view only), ``True`` to grant it again. The button shows the state the
    integrator last set with :meth:`set_control`; clicking it does not change that state by itself.
    """

    end_session_requested = Signal()
    control_toggle_requested = Signal(bool)

    def __init__(
        self,
        technician_name: str,
        control: bool = False,
        branding: Branding | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        brand = branding or Branding()
        colour = QColor(brand.accent)
        self._colour = colour if colour.isValid() else QColor(Branding().accent)
        self._frame_colour = QColor("#d1242f")
        self._frames: dict[QScreen, FrameWindow] = {}
        self._shown = False
        self._control = control
        self._name = technician_name
        self.panel = ControlPanel(self, self._colour)
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
        self.panel.adjustSize()
        self._place_panel()
        self.panel.show()
        self.panel.raise_()

    @Slot()
    def close(self) -> None:
        """Hide and destroy every overlay window (end of session)."""
        self._shown = False
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
        self._retranslate()

    @Slot(str)
    def set_technician(self, name: str) -> None:
        """Change the name shown on the panel."""
        self._name = name
        self._retranslate()

    def panel_text(self) -> str:
        """The panel's sentence (for tests)."""
        return self.panel.label.text()

    # ----------------------------------------------------------------- internals

    def _retranslate(self) -> None:
        name = self._name.strip() or self.tr("your technician")
        self.panel.label.setText(self.tr("Support by {name} is watching").format(name=name))
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

    def _keep_panel_on_screen(self) -> None:
        centre = self.panel.frameGeometry().center()
        if not any(s.geometry().contains(centre) for s in QGuiApplication.screens()):
            self._place_panel()

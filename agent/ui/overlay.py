"""The in-session overlay: a coloured frame around the shared monitor(s) and one control panel.

The frames are click-through (``WindowTransparentForInput`` and a ring-shaped window mask, so they
work without a compositor too); the panel is clickable and draggable. Screen capture sees both,
which is intended: technician and customer both see that a session is running.

The panel must stay where the customer can reach it even though the technician controls the mouse
and keyboard: it bypasses the window manager (X11 override-redirect, like the frames), so no
window-manager shortcut can minimise it, move it to another virtual desktop or below other
windows, and it shows on every virtual desktop with or without a window manager; it is raised
again every second; any move (a drag, ``xdotool windowmove``...) that leaves it partly outside
its monitor puts it back inside; global hotkeys (:mod:`agent.hotkey`, written on the panel) stop
control and end the session from the keyboard; and the customer's first click on it counts even
while the technician holds a mouse button (see :class:`SessionOverlay`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QCursor,
    QGuiApplication,
    QMouseEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QRegion,
    QScreen,
)
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from agent.hotkey import Hotkey
from agent.ui.branding import Branding
from agent.ui.chat_area import ChatNotice
from agent.ui.files_panel import FileNotice
from agent.ui.permissions import OPTIONAL, PermissionRequest, on_text
from agent.ui.share_prompt import SharePrompt
from desktop.qt.plain import force_plain_text
from shared.messages import Monitor
from shared.text import shown_name

FRAME_WIDTH = 6
#: A Qt click whose press came this close (s) to a press acted on from the raw-press path is
#: that same press (possible only in rare grab states) and is not acted on twice; a later,
#: deliberate click (e.g. "Allow control" right after a stop) counts as usual.
PRESS_DEDUP_S = 0.5
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
#: shortcuts cannot minimise, move, shade or send it to another desktop. It accepts the keyboard
#: focus when it is given (assistive tools; then Tab moves between its buttons, Space presses
#: one) but never takes it: not when shown or raised, not on a click. Were a click to focus it,
#: the technician's next keys after "Allow control" would land on the panel (a Space would press
#: Stop control) instead of the program they work in. The keyboard way for the customer is the
#: pair of global hotkeys, which work wherever the focus is.
PANEL_FLAGS = (
    Qt.WindowType.Window
    | Qt.WindowType.FramelessWindowHint
    | Qt.WindowType.WindowStaysOnTopHint
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
    """The small always-on-top panel: what the technician may do now, Stop control, End session.

    Two rows of actions kept apart on purpose: *Stop control* (a secondary, outlined button on
    the left, toggling to *Allow control*) and *End session* (the strong red one on the right),
    each with its keyboard shortcut written under it. Signal ``moved()`` after every move,
    whoever made it (drag, window manager, other programs).
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
        self.control_button = QPushButton()
        self.control_button.setObjectName("control")
        self.end_button = QPushButton()
        self.end_button.setObjectName("end")
        self.control_keys = QLabel()
        self.control_keys.setObjectName("keys")
        self.end_keys = QLabel()
        self.end_keys.setObjectName("keys")
        for button in (self.control_button, self.end_button):
            # Tab reaches both once the panel has the keyboard; a click never gives it the
            # keyboard (see PANEL_FLAGS).
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
        for keys in (self.control_keys, self.end_keys):
            keys.setTextFormat(Qt.TextFormat.PlainText)
            keys.setVisible(False)
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        #: "Still sharing?" and the pause note (hidden until asked, issue 15)
        self.share_prompt = SharePrompt(self)
        self.dot = dot = QLabel("●")
        dot.setObjectName("dot")
        grid = QGridLayout(self)
        grid.setContentsMargins(14, 8, 10, 6)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(dot)
        top.addWidget(self.label, 1)
        grid.addLayout(top, 0, 0, 1, 3)
        grid.addWidget(self.control_button, 1, 0)
        grid.setColumnMinimumWidth(1, 28)  # the gap that keeps Stop control and End apart
        grid.setColumnStretch(1, 1)
        grid.addWidget(self.end_button, 1, 2)
        grid.addWidget(self.control_keys, 2, 0, Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(self.end_keys, 2, 2, Qt.AlignmentFlag.AlignHCenter)
        grid.addWidget(self.share_prompt, 3, 0, 1, 3)
        # "New message from …" with "Show chat" (hidden until a chat line arrives).
        self.chat_notice = ChatNotice()
        grid.addWidget(self.chat_notice, 4, 0, 1, 3)
        # Clipboard and files (issue 17): a marker while one is on, with one click to turn
        # them all off; and the technician's later request, Allow / Not now.
        self.permission_marker = QLabel()
        self.permission_marker.setObjectName("permissionMarker")
        self.permission_marker.setTextFormat(Qt.TextFormat.PlainText)
        self.permission_off = QPushButton()
        self.permission_off.setObjectName("permissionOff")
        self.permission_off.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.permission_off.setCursor(Qt.CursorShape.PointingHandCursor)
        marker_row = QHBoxLayout()
        marker_row.setSpacing(8)
        marker_row.addWidget(self.permission_marker, 1)
        marker_row.addWidget(self.permission_off)
        self.permission_marker.setVisible(False)
        self.permission_off.setVisible(False)
        grid.addLayout(marker_row, 5, 0, 1, 3)
        self.permission_request = PermissionRequest()
        grid.addWidget(self.permission_request, 6, 0, 1, 3)
        # "File received: …" with "Show files" (hidden until a file arrived).
        self.file_notice = FileNotice()
        grid.addWidget(self.file_notice, 7, 0, 1, 3)
        self.setTabOrder(self.control_button, self.end_button)
        force_plain_text(self)
        a = colour.name()
        self.setStyleSheet(
            f"""
            QFrame#panel {{ background: #ffffff; border: 2px solid {a}; border-radius: 8px; }}
            QLabel#dot {{ color: #d1242f; font-size: 12pt; }}
            QLabel#who {{ font-size: 11pt; font-weight: 600; color: #1f2328; }}
            QLabel#keys {{ font-size: 9pt; color: #57606a; }}
            QPushButton#control {{ font-size: 10pt; padding: 4px 12px; background: #ffffff;
                                   color: #1f2328; border: 1px solid #8c959f;
                                   border-radius: 5px; }}
            QPushButton#control:hover {{ background: #f3f4f6; }}
            QPushButton#end {{ font-size: 11pt; padding: 7px 18px; background: #d1242f;
                               color: white; border: none; border-radius: 5px;
                               font-weight: 700; }}
            QPushButton#end:hover {{ background: #a40e26; }}
            QLabel#permissionMarker {{ font-size: 10pt; font-weight: 600; color: #7a4d00;
                                       background: #fff4d6; border-radius: 4px;
                                       padding: 2px 6px; }}
            QPushButton#permissionOff {{ font-size: 10pt; padding: 3px 10px; }}
            QPushButton#control:focus, QPushButton#end:focus {{
                outline: none; border: 3px solid #0969da; }}
            """
        )

    def button_at(self, global_pos: QPoint) -> QPushButton | None:
        """The panel button under ``global_pos`` (screen coordinates), if any."""
        for button in (self.control_button, self.end_button):
            if button.isVisible() and button.rect().contains(button.mapFromGlobal(global_pos)):
                return button
        return None

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
    revoke control (view only), ``True`` to grant it again — and ``release_input_requested()``
    (let go of every key and button the technician holds). The panel shows the state the
    integrator last set with :meth:`set_control`; clicking does not change that state by itself.

    ``hotkey`` (see :mod:`agent.hotkey`) is started by :meth:`show` and stopped by :meth:`close`.
    Its stop key asks to stop control, or, once control is off (or its stop was already asked
    for), to end the session; its end key asks to end the session. It never asks to grant.

    **The first click counts.** While the technician holds a mouse button (``holds_button()``
    says so), X keeps an implicit pointer grab for the window they pressed on: the customer's
    press goes there, or is dropped when the same button is already down, and the panel never
    sees it. The hotkey's ``pointer_pressed`` (XInput raw events, delivered whoever holds the
    grab) tells the overlay of every press; when one lands on the panel while the technician
    holds a button, the overlay acts on the *press*: it asks to release the technician's input
    and, over a button, to end the session or to stop control (never to grant it).
    """

    end_session_requested = Signal()
    control_toggle_requested = Signal(bool)
    release_input_requested = Signal()
    #: the customer's answers to "still sharing?" (see agent.ui.share_prompt)
    continue_sharing_requested = Signal()
    resume_sharing_requested = Signal()
    # the customer clicked "Show chat" on the panel's chat notice
    show_chat_requested = Signal()
    #: the customer grants (True) or revokes (False) an optional permission (issue 17): from
    #: the panel's "Turn off" (every optional one that is on) or its Allow of a later request
    permission_toggle_requested = Signal(str, bool)
    #: the customer clicked "Show files" on the panel's file notice
    show_files_requested = Signal()

    def __init__(
        self,
        technician_name: str,
        control: bool = False,
        branding: Branding | None = None,
        parent: QObject | None = None,
        hotkey: Hotkey | None = None,
        holds_button: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        brand = branding or Branding()
        colour = QColor(brand.accent)
        self._colour = colour if colour.isValid() else QColor(Branding().accent)
        self._frame_colour = QColor("#d1242f")
        self._frames: dict[QScreen, FrameWindow] = {}
        #: the customer's monitors (virtual-desktop pixels) and the shared one (0 = all), as
        #: the agent last said (set_monitors); until then every monitor gets its frame
        self._monitors: tuple[Monitor, ...] = ()
        self._shared = 0
        self._shown = False
        self._control = control
        self._stop_asked = False  # stopping control was already asked for (key or click)
        self._name = technician_name
        self._link = "live"  # "interrupted" / "reconnecting" / "restarting": the link is not live
        self._paused = False  # screen and control paused ("still sharing?" unanswered)
        self._granted: frozenset[str] = frozenset()  # the session's permissions, as last told
        self._hotkey = hotkey
        self._hotkey_active = False
        self._holds_button = holds_button
        self._pressed_at = -PRESS_DEDUP_S  # when a press on the panel was acted on, see above
        self._qt_pressed_at = 0.0  # when Qt last saw a press on one of the panel's buttons
        self._home: QPoint | None = None  # where _place_panel last put the panel
        self.panel = ControlPanel(self, self._colour)
        self.panel.moved.connect(self._on_panel_moved)
        self._guard = QTimer(self)
        self._guard.setInterval(GUARD_INTERVAL_MS)
        self._guard.timeout.connect(self._guard_panel)
        if hotkey is not None:
            hotkey.triggered.connect(self._on_hotkey)
            hotkey.end_triggered.connect(self._on_end_hotkey)
            hotkey.pointer_pressed.connect(self._on_pointer_pressed)
        self.panel.end_button.clicked.connect(self._on_end_clicked)
        self.panel.control_button.clicked.connect(self._on_control_clicked)
        for button in (self.panel.end_button, self.panel.control_button):
            button.pressed.connect(self._on_qt_press)
        prompt = self.panel.share_prompt
        prompt.continue_requested.connect(self.continue_sharing_requested)
        prompt.resume_requested.connect(self.resume_sharing_requested)
        prompt.end_requested.connect(self.end_session_requested)
        self.panel.chat_notice.show_chat_requested.connect(self._on_show_chat)
        self.panel.permission_off.clicked.connect(self._turn_off_optional)
        self.panel.permission_request.allowed.connect(self._on_request_allowed)
        self.panel.permission_request.dismissed.connect(self._retranslate)
        self.panel.file_notice.show_files_requested.connect(self._on_show_files)
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
        self._show_frames()
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

    @Slot(object, int)
    def set_monitors(self, monitors: object, shared: int) -> None:
        """The monitors and the one shared now (0 = all): only that one gets the frame, and the
        panel says which (when there are several). Called on each switch and hot-plug."""
        self._monitors = tuple(mon for mon in monitors  # type: ignore[attr-defined]
                               if isinstance(mon, Monitor))
        self._shared = shared if 0 <= shared <= len(self._monitors) else 0
        self._show_frames()
        self._retranslate()

    @property
    def framed_screens(self) -> list[QScreen]:
        """The screens whose frame is shown (the shared one, or all)."""
        return [s for s, f in self._frames.items() if f.isVisible()]

    def _framed(self, screen: QScreen) -> bool:
        """Whether ``screen`` is (part of) what is shared: every screen while all monitors are
        shared; else the one that covers most of the shared monitor."""
        if self._shared == 0 or not self._monitors:
            return True
        mon = self._monitors[self._shared - 1]
        shared = QRect(mon.x, mon.y, mon.width, mon.height)

        def overlap(s: QScreen) -> int:
            geo, ratio = s.geometry(), s.devicePixelRatio()
            native = QRect(round(geo.x() * ratio), round(geo.y() * ratio),
                           round(geo.width() * ratio), round(geo.height() * ratio))
            if native == shared:
                return 1 << 62  # exactly this monitor
            part = native.intersected(shared)
            return 0 if part.isEmpty() else part.width() * part.height()

        best = max(self._frames, key=overlap, default=None)
        return best is screen and overlap(screen) > 0

    def _show_frames(self) -> None:
        if not self._shown:
            return
        self._drop_dead_screens()
        for screen, frame in self._frames.items():
            frame.setVisible(self._framed(screen))
        self.panel.raise_()

    def _drop_dead_screens(self) -> None:
        """Drop the frames of screens Qt has already destroyed.

        Under X, Qt may replace its first (placeholder) screen object when RandR reports the
        real output, before ``screenRemoved`` reaches this overlay (the new one comes with
        ``screenAdded``); a frame kept for the old object would make every later look at it
        raise (seen in the e2e tests when the first session of a process starts sharing)."""
        for screen in [s for s in self._frames if not shiboken6.isValid(s)]:
            frame = self._frames.pop(screen)
            frame.close()
            frame.deleteLater()

    @Slot(str)
    def set_technician(self, name: str) -> None:
        """Change the name shown on the panel."""
        self._name = name
        self._retranslate()

    @Slot(str)
    def set_link(self, state: str) -> None:
        """The link to the technician went quiet (``interrupted``), is being re-made
        (``reconnecting``; ``restarting`` when the relay restarts) or works again (``live``):
        the panel says so."""
        self._link = state if state in ("interrupted", "reconnecting", "restarting") else "live"
        self._retranslate()

    @Slot(float)
    def ask_still_sharing(self, seconds: float) -> None:
        """Ask "still sharing?" in the panel; ``seconds`` to answer before sharing pauses."""
        self.panel.share_prompt.ask(self._name, seconds)
        self._retranslate()
        if self._shown:
            self.panel.raise_()

    @Slot()
    def sharing_confirmed(self) -> None:
        """The customer's Continue counted: the question goes away."""
        if self.panel.share_prompt.state == "asking":
            self.panel.share_prompt.clear()
            self._retranslate()

    @Slot(bool, str)
    def set_paused(self, paused: bool, reason: str) -> None:
        """Sharing paused (``reason`` ``"timeout"``/``"customer"``) or goes on again."""
        self._paused = paused
        if paused:
            self.panel.share_prompt.show_paused(reason)
        else:
            self.panel.share_prompt.clear()
        self._retranslate()

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def link_state(self) -> str:
        return self._link

    @Slot(str)
    def show_chat_notice(self, text: str) -> None:
        """A chat line from the technician arrived: the panel names it (plain text) with a
        "Show chat" button, until that is clicked or :meth:`clear_chat_notice`."""
        self.panel.chat_notice.show_message(shown_name(self._name, self.tr("your technician")),
                                            text)
        self._retranslate()  # the panel grew: placed again (if not moved)

    @Slot()
    def clear_chat_notice(self) -> None:
        if not self.panel.chat_notice.isHidden():
            self.panel.chat_notice.clear()
            self._retranslate()

    @Slot(object)
    def set_permissions(self, granted: frozenset[str]) -> None:
        """What the technician may do now: the marker shows while clipboard or files are on."""
        self._granted = frozenset(granted)
        self._retranslate()

    @Slot(object)
    def ask_permissions(self, permissions: frozenset[str]) -> None:
        """The technician asks for more later: the panel asks the customer (Allow / Not now)."""
        self.panel.permission_request.ask(shown_name(self._name, self.tr("your technician")),
                                          permissions)
        self._retranslate()
        if self._shown:
            self.panel.raise_()

    def show_file_notice(self, name: str, size: int) -> None:
        """A file from the technician arrived (saved, never opened): the panel says so."""
        self.panel.file_notice.show_file(name, size)
        self._retranslate()  # the panel grew: placed again (if not moved)

    def file_notice_text(self) -> str:
        """The file notice as shown (empty when none is shown)."""
        return self.panel.file_notice.notice_text()

    def _on_show_files(self) -> None:
        self._retranslate()
        self.show_files_requested.emit()

    def permission_marker_text(self) -> str:
        """The marker as shown (empty while neither clipboard nor files are on)."""
        marker = self.panel.permission_marker
        return "" if marker.isHidden() else marker.text()

    def _turn_off_optional(self) -> None:
        for name in OPTIONAL:
            if name in self._granted:
                self.permission_toggle_requested.emit(name, False)

    def _on_request_allowed(self, chosen: frozenset[str]) -> None:
        for name in OPTIONAL:
            if name in chosen:
                self.permission_toggle_requested.emit(name, True)
        self._retranslate()

    def chat_notice_text(self) -> str:
        """The chat notice as shown (empty when none is shown)."""
        return self.panel.chat_notice.notice_text()

    def _on_show_chat(self) -> None:
        self._retranslate()
        self.show_chat_requested.emit()

    def panel_text(self) -> str:
        """The panel's sentence (for tests)."""
        return self.panel.label.text()

    @property
    def hotkey_active(self) -> bool:
        """True while the global hotkeys work (they are then shown on the panel)."""
        return self._hotkey_active

    # ----------------------------------------------------------------- internals

    @Slot()
    def _on_hotkey(self) -> None:
        """Customer's stop key: stop control first; once it is off (or asked off), end."""
        if not self._shown:
            return
        if self._control and not self._stop_asked:
            self._stop_control()
        else:
            self.end_session_requested.emit()

    @Slot()
    def _on_end_hotkey(self) -> None:
        if self._shown:
            self.end_session_requested.emit()

    def _stop_control(self) -> None:
        self._stop_asked = True
        self.control_toggle_requested.emit(False)

    @Slot()
    def _on_pointer_pressed(self) -> None:
        """A mouse button went down somewhere: on the panel while the technician holds a
        button, X gave the press to someone else, so act on it here (see the class doc)."""
        if not self._shown or self._holds_button is None or not self._holds_button():
            return
        where = QCursor.pos()
        if not self.panel.frameGeometry().contains(where):
            return
        self._pressed_at = time.monotonic()
        self.release_input_requested.emit()
        button = self.panel.button_at(where)
        if button is self.panel.end_button:
            self.end_session_requested.emit()
        elif button is self.panel.control_button and self._control and not self._stop_asked:
            self._stop_control()

    @Slot()
    def _on_qt_press(self) -> None:
        self._qt_pressed_at = time.monotonic()

    def _acted_on_press(self) -> bool:
        """True if this click's press was already acted on from ``pointer_pressed``."""
        return abs(self._qt_pressed_at - self._pressed_at) < PRESS_DEDUP_S

    @Slot()
    def _on_end_clicked(self) -> None:
        if not self._acted_on_press():
            self.end_session_requested.emit()

    @Slot()
    def _on_control_clicked(self) -> None:
        if self._acted_on_press():
            return
        if self._control:
            self._stop_control()
        else:
            self.control_toggle_requested.emit(True)

    def _retranslate(self) -> None:
        name = shown_name(self._name, self.tr("your technician"))
        panel = self.panel
        if self._link == "interrupted":
            text = self.tr("The connection to {name} is interrupted. Waiting for it to come "
                           "back…").format(name=name)
        elif self._link == "reconnecting":
            text = self.tr("The connection to {name} was lost. Reconnecting…").format(
                name=name)
        elif self._link == "restarting":
            text = self.tr("The connection service is restarting. Reconnecting…")
        elif self._paused:
            text = self.tr("Sharing with {name} is paused").format(name=name)
        elif self._control:
            text = self.tr("{name} can see and control your screen").format(name=name)
        else:
            text = self.tr("{name} can see your screen").format(name=name)
        if len(self._monitors) > 1:  # one monitor: nothing to choose, nothing to say
            text += "\n" + (self.tr("All monitors are shared") if self._shared == 0 else
                            self.tr("Monitor {n} of {count} is shared").format(
                                n=self._shared, count=len(self._monitors)))
        panel.label.setText(text)
        panel.label.setAccessibleName(panel.label.text())
        marker = on_text(self._granted)
        panel.permission_marker.setText(marker)
        panel.permission_marker.setAccessibleName(marker)
        panel.permission_marker.setVisible(bool(marker))
        panel.permission_off.setText(self.tr("Turn off"))
        panel.permission_off.setAccessibleName(panel.permission_off.text())
        panel.permission_off.setAccessibleDescription(self.tr(
            "Your technician can no longer use the clipboard or send or receive files."))
        panel.permission_off.setVisible(bool(marker))
        panel.setAccessibleName(self.tr("Fernhilfe session"))
        panel.dot.setAccessibleName(self.tr("Session in progress"))
        stop_keys, end_keys = self.tr("Ctrl+Alt+End"), self.tr("Ctrl+Alt+Home")
        panel.control_button.setText(
            self.tr("Stop control") if self._control else self.tr("Allow control"))
        panel.end_button.setText(self.tr("End session"))
        panel.control_keys.setText(self.tr("or {keys}").format(keys=stop_keys))
        panel.end_keys.setText(self.tr("or {keys}").format(keys=end_keys))
        # The stop key never grants: under "Allow control" it would be a lie.
        panel.control_keys.setVisible(self._hotkey_active and self._control)
        panel.end_keys.setVisible(self._hotkey_active)
        shortcut = self.tr("Keyboard shortcut: {keys}")
        for button, keys, shown in ((panel.control_button, stop_keys, self._control),
                                    (panel.end_button, end_keys, True)):
            button.setAccessibleName(button.text())
            button.setAccessibleDescription(
                shortcut.format(keys=keys) if self._hotkey_active and shown else "")
        panel.adjustSize()
        if self._shown and panel.pos() == self._home:
            self._place_panel()  # the sentence changed its width: centred again, if not moved

    def _add_frame(self, screen: QScreen) -> None:
        if screen in self._frames:
            return
        frame = FrameWindow(screen, self._frame_colour)
        frame.setWindowTitle(self.tr("Fernhilfe: session in progress"))
        frame.setAccessibleName(frame.windowTitle())
        self._frames[screen] = frame
        screen.geometryChanged.connect(lambda _geo, s=screen: self._on_geometry(s))
        self._show_frames()

    def _on_geometry(self, screen: QScreen) -> None:
        frame = self._frames.get(screen)
        if frame is not None:
            frame.follow(screen)
        self._show_frames()
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
        self._show_frames()
        if self._shown:
            self._keep_panel_on_screen()

    def _place_panel(self) -> None:
        screen = QGuiApplication.primaryScreen()
        if screen is None:
            return
        geo = screen.availableGeometry()
        size = self.panel.sizeHint()
        self.panel.resize(size)
        self._home = QPoint(geo.x() + (geo.width() - size.width()) // 2,
                            geo.y() + FRAME_WIDTH + 4)
        self.panel.move(self._home)

    @Slot()
    def _on_panel_moved(self) -> None:
        if self._shown:
            # After the move has settled: never re-place from inside Qt's own move handling.
            QTimer.singleShot(0, self._keep_panel_on_screen)

    def _guard_panel(self) -> None:
        """Every second: the red frames and the panel on top of whatever opened since (the
        frames first, so the panel stays above them), and the panel still on its monitor."""
        if not self._shown:
            return
        for frame in self._frames.values():
            if frame.isVisible():
                frame.raise_()
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

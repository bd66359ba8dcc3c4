"""Show without controlling: the technician's laser pointer, drawing and arrow tools.

:class:`ShowTools` owns the toolbar actions (Laser pointer, Draw, Arrow: one at a time or none;
Clear) and, while a tool is active, the remote view's mouse: moves and drags there become
``LaserPointer`` / ``Annotation`` messages (in pixels of the shared picture, clamped to it) on
the ``show_requested`` signal, and NOT input: the view's own input handlers never see those
events (an event filter on its viewport takes them), so nothing is injected on the customer's
computer. They ride on "view" alone: the tools work in view-only sessions too.

A drag with Draw or Arrow is one stroke (the release ends it; the next drag is a new stroke); a
plain click (no drag) with any tool, or Clear, removes every stroke. Messages are coalesced to
at most one per :data:`SEND_INTERVAL_MS` (the laser's newest position, a stroke's new points).
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QMenu, QToolBar

from console.ui.remote_view import RemoteView
from shared import messages as m

LASER, DRAW, ARROW = "laser", "draw", "arrow"
TOOLS = (LASER, DRAW, ARROW)
# At most one show message per this many ms (50 per second while the mouse moves).
SEND_INTERVAL_MS = 20
# A press and release closer than this (view pixels) is a click, not a drag.
CLICK_SLOP = 4
# Keyboard shortcuts (they work while the view does not take the keys: view only, or in the
# window's other parts; the Session menu reaches them too).
SHORTCUTS = {LASER: "Ctrl+Shift+L", DRAW: "Ctrl+Shift+D", ARROW: "Ctrl+Shift+A",
             "clear": "Ctrl+Shift+X"}

_MOUSE_EVENTS = frozenset({QEvent.Type.MouseMove, QEvent.Type.MouseButtonPress,
                           QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick})


class ShowTools(QObject):
    """The show tools of one session window; see the module docstring.

    Signals: ``show_requested(message)`` (a ``LaserPointer``, ``Annotation`` or
    ``AnnotationClear`` to send with ``ConsoleWorker.send_show``), ``tool_changed(str)``
    (``"laser"``, ``"draw"``, ``"arrow"`` or ``""`` for none).
    Slots: :meth:`set_available` (only while the customer's screen is shown), :meth:`set_tool`.
    """

    show_requested = Signal(object)
    tool_changed = Signal(str)

    def __init__(self, view: RemoteView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self._tool = ""
        self._available = False
        self._laser_shown = False
        self._laser_pending: tuple[int, int] | None = None
        self._stroke_id = 0
        self._stroke_open = False  # a drag is drawing a stroke
        self._stroke_pending: list[tuple[int, int]] = []
        self._press: QPointF | None = None  # where the left button went down (view pixels)
        self._dragging = False
        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(SEND_INTERVAL_MS)
        self._flush_timer.timeout.connect(self._flush)

        self.laser_action = QAction(self.tr("&Laser pointer"), self)
        self.draw_action = QAction(self.tr("Dra&w"), self)
        self.arrow_action = QAction(self.tr("Arr&ow"), self)
        self.clear_action = QAction(self.tr("&Clear drawings"), self)
        tips = {
            LASER: self.tr("Show the customer a spot on their screen with a red laser pointer "
                           "({keys}). Your mouse does not control anything meanwhile."),
            DRAW: self.tr("Draw on the customer's screen ({keys}); the drawing disappears "
                          "after a few seconds. A click removes all drawings."),
            ARROW: self.tr("Draw an arrow on the customer's screen ({keys}): drag from where "
                           "it starts to where it points."),
            "clear": self.tr("Remove every drawing from the customer's screen ({keys})"),
        }
        self._actions = {LASER: self.laser_action, DRAW: self.draw_action,
                         ARROW: self.arrow_action}
        self._group = QActionGroup(self)
        self._group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        for tool, action in self._actions.items():
            action.setCheckable(True)
            action.setData(tool)
            self._group.addAction(action)
            action.toggled.connect(lambda on, t=tool: self._on_toggled(t, on))
        for key, action in ((*self._actions.items(), ("clear", self.clear_action))):
            action.setShortcut(QKeySequence(SHORTCUTS[key]))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            text = tips[key].format(keys=QKeySequence(SHORTCUTS[key]).toString(
                QKeySequence.SequenceFormat.NativeText))
            action.setToolTip(text)
            action.setStatusTip(text)
        self.clear_action.triggered.connect(self.clear)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)
        self.set_available(False)

    # ----------------------------------------------------------------- public

    def add_to(self, toolbar: QToolBar, menu: QMenu | None = None) -> None:
        """Put the tools into the window's toolbar (and its menu, for the keyboard)."""
        actions = [self.laser_action, self.draw_action, self.arrow_action, self.clear_action]
        for action in actions:
            toolbar.addAction(action)
        if menu is not None:
            menu.addSeparator()
            for action in actions:
                menu.addAction(action)

    @property
    def tool(self) -> str:
        """The active tool, or ``""``."""
        return self._tool

    @property
    def available(self) -> bool:
        return self._available

    @Slot(bool)
    def set_available(self, available: bool) -> None:
        """The tools work only while the customer's screen is shown (and sharing runs)."""
        self._available = bool(available)
        for action in (*self._actions.values(), self.clear_action):
            action.setEnabled(self._available)
        if not self._available:
            self.set_tool("")

    @Slot(str)
    def set_tool(self, tool: str) -> None:
        """Switch to ``tool`` (``"laser"``, ``"draw"``, ``"arrow"``) or to none (``""``)."""
        if tool and (tool not in TOOLS or not self._available):
            tool = ""
        if tool:
            self._actions[tool].setChecked(True)
        else:
            checked = self._group.checkedAction()
            if checked is not None:
                checked.setChecked(False)
            self._apply_tool("")

    @Slot()
    def clear(self) -> None:
        """Remove every stroke on the customer's screen."""
        if self._available:
            self._end_stroke()
            self.show_requested.emit(m.AnnotationClear())

    # ----------------------------------------------------------------- the view's mouse

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """While a tool is active the view's mouse shows (never input): take its events."""
        if not self._tool or watched is not self._viewport:
            return False
        kind = event.type()
        if kind == QEvent.Type.Leave:
            self._hide_laser()
            return False
        if kind not in _MOUSE_EVENTS:
            return False
        assert isinstance(event, QMouseEvent)
        pos = event.position()
        if kind == QEvent.Type.MouseMove:
            self._moved(pos, bool(event.buttons() & Qt.MouseButton.LeftButton))
        elif event.button() == Qt.MouseButton.LeftButton:
            if kind == QEvent.Type.MouseButtonRelease:
                self._released(pos)
            else:
                self._pressed(pos)
        event.accept()
        return True

    def _remote(self, pos: QPointF, clamped: bool) -> tuple[int, int] | None:
        place = self._view.placement()
        if not place.has_image:
            return None
        if clamped:
            x, y = place.to_remote_clamped(pos.x(), pos.y())
            return min(max(x, 0), m.MAX_COORDINATE), min(max(y, 0), m.MAX_COORDINATE)
        return place.to_remote(pos.x(), pos.y())

    def _moved(self, pos: QPointF, left_down: bool) -> None:
        if self._tool == LASER:
            remote = self._remote(pos, clamped=False)
            if remote is None:
                self._hide_laser()
            else:
                self._laser_pending = remote
                self._schedule()
            return
        if not left_down or self._press is None:
            return
        if not self._dragging:
            d = pos - self._press
            if abs(d.x()) < CLICK_SLOP and abs(d.y()) < CLICK_SLOP:
                return
            self._dragging = True
            self._begin_stroke(self._press)
        remote = self._remote(pos, clamped=True)
        if remote is not None and (not self._stroke_pending
                                   or self._stroke_pending[-1] != remote):
            self._stroke_pending.append(remote)
            self._schedule()

    def _pressed(self, pos: QPointF) -> None:
        self._view.setFocus(Qt.FocusReason.MouseFocusReason)
        self._press = pos
        self._dragging = False

    def _released(self, pos: QPointF) -> None:
        press, self._press = self._press, None
        if self._dragging:
            self._dragging = False
            self._end_stroke()
            return
        if press is not None and self._remote(pos, clamped=False) is not None:
            self.clear()  # a plain click: every stroke goes

    def _begin_stroke(self, pos: QPointF) -> None:
        self._end_stroke()
        self._stroke_id = (self._stroke_id + 1) & m.MAX_STROKE_ID
        self._stroke_open = True
        start = self._remote(pos, clamped=True)
        self._stroke_pending = [start] if start is not None else []

    def _end_stroke(self) -> None:
        if self._stroke_open:
            self._flush_stroke()
            self._stroke_open = False
        self._stroke_pending = []

    def _hide_laser(self) -> None:
        self._laser_pending = None
        if self._laser_shown:
            self._laser_shown = False
            self.show_requested.emit(m.LaserPointer(False, 0, 0))

    # ----------------------------------------------------------------- sending

    def _schedule(self) -> None:
        if not self._flush_timer.isActive():
            self._flush_timer.start()

    @Slot()
    def _flush(self) -> None:
        if self._laser_pending is not None and self._tool == LASER:
            x, y = self._laser_pending
            self._laser_pending = None
            self._laser_shown = True
            self.show_requested.emit(m.LaserPointer(True, x, y))
        if self._stroke_open:
            self._flush_stroke()

    def _flush_stroke(self) -> None:
        kind: Literal["line", "arrow"] = "arrow" if self._tool == ARROW else "line"
        points, self._stroke_pending = self._stroke_pending, []
        for i in range(0, len(points), m.MAX_ANNOTATION_POINTS):
            self.show_requested.emit(
                m.Annotation(self._stroke_id, kind,
                             tuple(points[i:i + m.MAX_ANNOTATION_POINTS])))

    def _on_toggled(self, tool: str, on: bool) -> None:
        if on:
            self._apply_tool(tool)
        elif self._tool == tool:
            self._apply_tool("")

    def _apply_tool(self, tool: str) -> None:
        if tool == self._tool:
            return
        self._end_stroke()
        self._hide_laser()
        self._press = None
        self._dragging = False
        self._tool = tool
        self._view.set_show_mode(tool)
        self.tool_changed.emit(tool)

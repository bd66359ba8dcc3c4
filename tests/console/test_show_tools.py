"""The technician's show tools in the real session window: laser pointer, drawing, arrow, clear.

What they send are show messages in pixels of the shared picture, never input: the remote view's
input signals stay silent while a tool is active, even with control granted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolBar

from console.ui import SessionWindow
from console.ui.show_tools import SEND_INTERVAL_MS, SHORTCUTS
from shared import messages as m


def solid(w: int, h: int) -> QImage:
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor("#336699"))
    return img


class Sent:
    """What the tools asked to send, and any input the view emitted (must stay empty)."""

    def __init__(self, win: SessionWindow) -> None:
        self.shows: list[object] = []
        self.inputs: list[tuple] = []
        win.show_tools.show_requested.connect(self.shows.append)
        v = win.view
        v.pointer_moved.connect(lambda *a: self.inputs.append(("move", *a)))
        v.button_changed.connect(lambda *a: self.inputs.append(("button", *a)))
        v.wheel_turned.connect(lambda *a: self.inputs.append(("wheel", *a)))

    def of(self, kind: type) -> list:
        return [s for s in self.shows if isinstance(s, kind)]


@pytest.fixture
def win(qtbot, english) -> Iterator[SessionWindow]:
    w = SessionWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.view.update_image(solid(1600, 900), [])
    yield w


def streaming(win: SessionWindow, perms: set[str]) -> None:
    win.set_permissions(frozenset(perms))
    win.show_streaming()


def at(win: SessionWindow, x: int, y: int) -> QPointF:
    """The view position (viewport pixels) of remote pixel (x, y)'s centre."""
    p = win.view.map_from_remote(x, y)
    s = win.view.scale()
    return QPointF(p.x() + s / 2, p.y() + s / 2)


def mouse(win: SessionWindow, kind: QEvent.Type, pos: QPointF,
          button: Qt.MouseButton = Qt.MouseButton.NoButton,
          buttons: Qt.MouseButton = Qt.MouseButton.NoButton) -> None:
    vp = win.view.viewport()
    event = QMouseEvent(kind, pos, QPointF(vp.mapToGlobal(pos.toPoint())), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, event)


def drag(win: SessionWindow, qtbot, points: list[tuple[int, int]]) -> None:
    left = Qt.MouseButton.LeftButton
    mouse(win, QEvent.Type.MouseButtonPress, at(win, *points[0]), left, left)
    for p in points[1:]:
        mouse(win, QEvent.Type.MouseMove, at(win, *p), buttons=left)
        qtbot.wait(SEND_INTERVAL_MS // 2)
    mouse(win, QEvent.Type.MouseButtonRelease, at(win, *points[-1]), left)


def click(win: SessionWindow, x: int, y: int) -> None:
    left = Qt.MouseButton.LeftButton
    mouse(win, QEvent.Type.MouseButtonPress, at(win, x, y), left, left)
    mouse(win, QEvent.Type.MouseButtonRelease, at(win, x, y), left)


def test_tools_wait_for_the_customers_screen(qtbot, win) -> None:
    tools = win.show_tools
    assert not tools.laser_action.isEnabled() and not tools.clear_action.isEnabled()
    tools.set_tool("laser")
    assert tools.tool == "" and win.view.show_mode == ""
    streaming(win, {"view"})
    assert tools.laser_action.isEnabled() and tools.available
    shown = [a for bar in win.findChildren(QToolBar) for a in bar.actions()]
    assert tools.laser_action in shown and tools.clear_action in shown
    assert tools.draw_action in win.session_menu.actions()


def test_laser_in_a_view_only_session_sends_positions_not_input(qtbot, win) -> None:
    sent = Sent(win)
    streaming(win, {"view"})
    win.show_tools.set_tool("laser")
    assert win.view.show_mode == "laser"
    for x in range(100, 1100, 10):  # a fast move: 100 positions at once
        mouse(win, QEvent.Type.MouseMove, at(win, x, 400))
    qtbot.waitUntil(lambda: bool(sent.of(m.LaserPointer)), timeout=2000)
    qtbot.wait(SEND_INTERVAL_MS * 3)
    lasers = sent.of(m.LaserPointer)
    assert len(lasers) < 10  # coalesced to the send interval
    assert lasers[-1] == m.LaserPointer(True, 1090, 400)
    assert sent.inputs == []


def test_laser_with_control_granted_is_still_no_input(qtbot, win) -> None:
    sent = Sent(win)
    streaming(win, {"view", "control"})
    win.show_tools.set_tool("laser")
    mouse(win, QEvent.Type.MouseMove, at(win, 300, 200))
    click(win, 300, 200)  # a plain click: the strokes go, nothing is clicked remotely
    qtbot.waitUntil(lambda: bool(sent.of(m.LaserPointer)), timeout=2000)
    assert sent.of(m.AnnotationClear) == [m.AnnotationClear()]
    assert sent.inputs == []
    # Leaving the view hides the laser on the customer's screen.
    QApplication.sendEvent(win.view.viewport(), QEvent(QEvent.Type.Leave))
    assert sent.shows[-1] == m.LaserPointer(False, 0, 0)
    # The wheel scrolls nothing on the customer's side either.
    wheel = QWheelEvent(at(win, 300, 200), QPointF(), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(win.view.viewport(), wheel)
    assert sent.inputs == []
    # Without a tool the mouse controls again.
    win.show_tools.set_tool("")
    mouse(win, QEvent.Type.MouseMove, at(win, 310, 210))
    assert sent.inputs == [("move", 310, 210)]


def test_drag_with_draw_is_one_stroke_clamped_to_the_picture(qtbot, win) -> None:
    sent = Sent(win)
    streaming(win, {"view"})
    win.show_tools.set_tool("draw")
    drag(win, qtbot, [(100, 100), (150, 120), (200, 140), (250, 160)])
    qtbot.wait(SEND_INTERVAL_MS * 2)
    strokes = sent.of(m.Annotation)
    assert strokes and {s.stroke for s in strokes} == {strokes[0].stroke}
    assert {s.kind for s in strokes} == {"line"}
    points = [p for s in strokes for p in s.points]
    assert points[0] == (100, 100) and points[-1] == (250, 160)
    # The next drag is a new stroke, and a drag past the picture's edge stays on it.
    left = Qt.MouseButton.LeftButton
    mouse(win, QEvent.Type.MouseButtonPress, at(win, 1500, 800), left, left)
    mouse(win, QEvent.Type.MouseMove, at(win, 1550, 850), buttons=left)
    vp = win.view.viewport()
    mouse(win, QEvent.Type.MouseMove, QPointF(vp.width() - 1, vp.height() - 1), buttons=left)
    mouse(win, QEvent.Type.MouseButtonRelease, QPointF(vp.width() - 1, vp.height() - 1), left)
    qtbot.wait(SEND_INTERVAL_MS * 2)
    second = [s for s in sent.of(m.Annotation) if s.stroke != strokes[0].stroke]
    assert second and second[0].stroke == (strokes[0].stroke + 1) & m.MAX_STROKE_ID
    last = second[-1].points[-1]
    assert 0 <= last[0] <= 1599 and 0 <= last[1] <= 899
    assert sent.of(m.AnnotationClear) == [] and sent.inputs == []


def test_arrow_and_plain_click_and_clear(qtbot, win) -> None:
    sent = Sent(win)
    streaming(win, {"view", "control"})
    win.show_tools.set_tool("arrow")
    drag(win, qtbot, [(400, 400), (500, 450), (600, 500)])
    qtbot.wait(SEND_INTERVAL_MS * 2)
    arrows = sent.of(m.Annotation)
    assert arrows and {a.kind for a in arrows} == {"arrow"}
    assert arrows[0].points[0] == (400, 400) and arrows[-1].points[-1] == (600, 500)
    click(win, 700, 300)
    assert sent.of(m.AnnotationClear) == [m.AnnotationClear()]
    win.show_tools.clear_action.trigger()
    assert len(sent.of(m.AnnotationClear)) == 2
    assert sent.inputs == []


def test_a_small_wobble_is_still_a_click(qtbot, win) -> None:
    sent = Sent(win)
    streaming(win, {"view"})
    win.show_tools.set_tool("draw")
    left = Qt.MouseButton.LeftButton
    start = at(win, 800, 450)
    mouse(win, QEvent.Type.MouseButtonPress, start, left, left)
    mouse(win, QEvent.Type.MouseMove, start + QPointF(1, 1), buttons=left)
    mouse(win, QEvent.Type.MouseButtonRelease, start + QPointF(1, 1), left)
    qtbot.wait(SEND_INTERVAL_MS * 2)
    assert sent.of(m.Annotation) == [] and sent.of(m.AnnotationClear) == [m.AnnotationClear()]


def test_shortcuts_pick_tools_one_at_a_time(qtbot, win) -> None:
    streaming(win, {"view"})
    tools = win.show_tools
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=3000)
    qtbot.keyClick(win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert tools.tool == "laser"
    qtbot.keyClick(win, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert tools.tool == "draw" and not tools.laser_action.isChecked()
    tools.draw_action.trigger()  # clicking the active tool again turns it off
    assert tools.tool == "" and win.view.show_mode == ""
    for key, action in (("laser", tools.laser_action), ("clear", tools.clear_action)):
        assert SHORTCUTS[key].replace("Ctrl", "") in action.toolTip().replace("Ctrl", "")


def test_session_end_puts_the_tools_away(qtbot, win) -> None:
    streaming(win, {"view"})
    win.show_tools.set_tool("draw")
    win.show_ended("over")
    assert win.show_tools.tool == "" and win.view.show_mode == ""
    assert not win.show_tools.draw_action.isEnabled()


def test_a_pause_puts_the_tools_away_until_sharing_goes_on(qtbot, win) -> None:
    """Nothing is shown while the customer's sharing is paused: no pointer either."""
    streaming(win, {"view"})
    win.show_tools.set_tool("laser")
    win.set_paused(True, "timeout")
    assert win.show_tools.tool == "" and win.view.show_mode == ""
    assert not win.show_tools.laser_action.isEnabled()
    win.set_paused(False, "customer")
    assert win.show_tools.laser_action.isEnabled()


def test_pressed_button_is_released_when_a_tool_is_picked(qtbot, win) -> None:
    sent = Sent(win)
    streaming(win, {"view", "control"})
    qtbot.mousePress(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=at(win, 100, 100).toPoint())
    win.show_tools.set_tool("laser")
    assert ("button", "left", False, 100, 100) in sent.inputs
    assert win.view.viewport().cursor().shape() == Qt.CursorShape.PointingHandCursor
    win.show_tools.set_tool("")
    assert win.view.viewport().cursor().shape() == Qt.CursorShape.CrossCursor


def test_tooltips_in_german(qtbot, german) -> None:
    w = SessionWindow()
    qtbot.addWidget(w)
    assert w.show_tools.laser_action.text() == "&Laserpointer"
    assert "Laserpointer" in w.show_tools.laser_action.toolTip()
    assert "Markierung" in w.show_tools.clear_action.toolTip()

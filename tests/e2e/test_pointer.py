"""The technician shows without controlling, end to end through a real relay.

The technician's console runs on its own Xvfb and is driven with xdotool like a person would:
pick the laser pointer (keyboard shortcut, or the Session menu while controlling), move over the
customer's picture, drag a stroke, click. On the customer's display (this process's Xvfb) the
trail and the stroke are read back from the real screen with mss, and a real X application there
(a Qt window of the test, an X client like any other) counts every mouse and key event that
reaches it: none may, in a view-only session nor in one with control granted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from agent.app import AgentApp
from agent.ui.annotation_layer import LASER_COLOUR, STROKE_COLOUR
from bench.support.xvfb import XvfbDisplay
from tests.e2e.conftest import Console, connected_session, data_dir_events, xdo
from tests.e2e.test_session import Target, grab, target_on_console

pytestmark = pytest.mark.e2e


class EventLog(Target):
    """The customer's application: every mouse and key event that reaches it is logged."""

    def mouseMoveEvent(self, e) -> None:
        self.events.append(("move", (e.position().x(), e.position().y())))

    def keyPressEvent(self, e) -> None:
        self.events.append(("key", e.key()))

    def keyReleaseEvent(self, e) -> None:
        self.events.append(("key-up", e.key()))


@pytest.fixture
def app_window(qtbot) -> Iterator[EventLog]:
    w = EventLog("#00c800")
    qtbot.addWidget(w)
    w.setGeometry(420, 260, 480, 320)
    w.show()
    qtbot.waitExposed(w)
    yield w


def colour_pixels(display: XvfbDisplay, area: tuple[int, int, int, int],
                  colour, tol: int = 12) -> int:
    """How many pixels of ``area`` (x, y, w, h) on the customer's screen show ``colour``."""
    x, y, w, h = area
    img = grab(display)[y:y + h, x:x + w]
    want = np.array([colour.blue(), colour.green(), colour.red()], np.int16)
    return int(((np.abs(img[:, :, :3].astype(np.int16) - want)).max(axis=2) <= tol).sum())


class Mover:
    """Moves the technician's mouse back and forth over a span until stopped (own thread)."""

    def __init__(self, display: XvfbDisplay, x0: int, x1: int, y: int) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(display, x0, x1, y),
                                        daemon=True)
        self._thread.start()

    def _run(self, display: XvfbDisplay, x0: int, x1: int, y: int) -> None:
        steps = 12
        while not self._stop.is_set():
            for i in [*range(steps + 1), *range(steps, -1, -1)]:
                if self._stop.is_set():
                    return
                xdo(display, "mousemove", str(x0 + (x1 - x0) * i // steps), str(y),
                    check=False)
                time.sleep(0.015)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)


def no_input_reached(qtbot, agent: AgentApp, app_window: EventLog) -> None:
    """Nothing the technician did arrived as input: the app saw no event, the agent applied
    none."""
    qtbot.wait(500)
    assert app_window.events == []
    active = agent.worker.active
    assert active is not None and sum(active.session.applied_inputs.values()) == 0


def drag_stroke(console: Console, left: int, right: int, y: int) -> None:
    """The technician drags across the picture (with the Draw tool: one stroke)."""
    xdo(console.display, "mousemove", str(left + 20), str(y))
    xdo(console.display, "mousedown", "1")
    for i in range(1, 11):
        xdo(console.display, "mousemove", str(left + 20 + i * (right - left - 40) // 10), str(y))
        time.sleep(0.03)
    xdo(console.display, "mouseup", "1")


def laser_shows(qtbot, agent: AgentApp, console: Console, app_window: EventLog,
                x_display: XvfbDisplay) -> None:
    """Move over the customer's picture: the red trail appears on the customer's screen."""
    left, top, right, bottom = target_on_console(console)
    g = app_window.geometry()
    area = (g.x() + 20, g.y() + 20, g.width() - 40, g.height() - 40)
    mover = Mover(console.display, left + (right - left) // 5, right - (right - left) // 5,
                  (top + bottom) // 2)
    try:
        qtbot.waitUntil(lambda: colour_pixels(x_display, area, LASER_COLOUR) >= 60,
                        timeout=20000)
    finally:
        mover.stop()
    # The trail fades by itself within a second of the last move.
    qtbot.waitUntil(lambda: colour_pixels(x_display, area, LASER_COLOUR) == 0, timeout=5000)
    active = agent.worker.active
    assert active is not None and active.session.shown["LaserPointer"] > 0


def test_laser_and_stroke_in_a_view_only_session_never_reach_the_customers_apps(
        qtbot, agent: AgentApp, console: Console, app_window: EventLog,
        x_display: XvfbDisplay, tmp_path: Path) -> None:
    xdo(console.display, "mousemove", "1275", "795")  # the technician's mouse starts aside
    connected_session(qtbot, agent, console, control=False)
    left, top, right, bottom = target_on_console(console)
    win = console.window("Session")
    xdo(console.display, "windowfocus", "--sync", win)
    xdo(console.display, "key", "ctrl+shift+l")  # the laser pointer, by its shortcut
    laser_shows(qtbot, agent, console, app_window, x_display)

    # Draw a stroke across the picture: it stays on the customer's screen.
    active = agent.worker.active
    assert active is not None
    g = app_window.geometry()
    area = (g.x() + 10, g.y() + 10, g.width() - 20, g.height() - 20)
    for attempt in range(2):
        # Once in CI (of about ten runs) no stroke came; why is not known, and what the agent
        # had taken is now in the message. A second try with the focus set again tells a
        # lost shortcut apart from a stroke that is not drawn.
        xdo(console.display, "windowfocus", "--sync", win)
        xdo(console.display, "key", "ctrl+shift+d")
        drag_stroke(console, left, right, top + (bottom - top) // 3)
        try:
            qtbot.waitUntil(lambda: active.session.shown["Annotation"] > 0, timeout=5000)
            break
        except Exception:
            if attempt:
                raise AssertionError(
                    f"no stroke reached the agent: shown {dict(active.session.shown)}, "
                    f"dropped {dict(active.session.dropped_inputs)}") from None
    qtbot.waitUntil(lambda: colour_pixels(x_display, area, STROKE_COLOUR) >= 200, timeout=15000)

    # A plain click takes every stroke away at once.
    xdo(console.display, "click", "1")
    qtbot.waitUntil(lambda: colour_pixels(x_display, area, STROKE_COLOUR) == 0, timeout=4000)
    no_input_reached(qtbot, agent, app_window)
    assert active.session.shown["Annotation"] > 0 and active.session.shown["AnnotationClear"] > 0

    # The customer's own click anywhere takes the strokes away too (and reaches their app).
    drag_stroke(console, left, right, top + (bottom - top) * 2 // 3)
    qtbot.waitUntil(lambda: colour_pixels(x_display, area, STROKE_COLOUR) >= 200, timeout=15000)
    clears = active.session.shown["AnnotationClear"]
    xdo(x_display, "mousemove", str(g.x() + 5), str(g.y() + 5), "click", "1")
    qtbot.waitUntil(lambda: colour_pixels(x_display, area, STROKE_COLOUR) == 0, timeout=3000)
    assert active.session.shown["AnnotationClear"] == clears  # not the technician's doing
    assert ("press", Qt.MouseButton.LeftButton) in app_window.events

    # The customer's record counts what was shown, and no input.
    assert agent.overlay is not None
    qtbot.mouseClick(agent.overlay.panel.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: agent.window.state == "ended", timeout=15000)
    ended = [e for e in data_dir_events(tmp_path / "agent-data" / "audit")
             if e["event"] == "session_ended"]
    shown = ended[-1]["shown"] if ended else {}
    assert isinstance(shown, dict) and shown["LaserPointer"] > 0
    assert ended[-1]["inputs_applied"] == {}
    assert agent.pointer_layer is None  # the layer went with the session


def test_laser_with_control_granted_is_still_no_input(
        qtbot, agent: AgentApp, console: Console, app_window: EventLog,
        x_display: XvfbDisplay) -> None:
    xdo(console.display, "mousemove", "1275", "795")
    connected_session(qtbot, agent, console, control=True)
    target_on_console(console)
    win = console.window("Session")
    # While controlling, the view sends every key to the customer: pick the tool in the menu.
    geometry = dict(line.split("=") for line in xdo(
        console.display, "getwindowgeometry", "--shell", win).splitlines())
    xdo(console.display, "mousemove", str(int(geometry["X"]) + 25),
        str(int(geometry["Y"]) + 10), "click", "1")
    # The console is another process on a loaded machine: give the menu time to open, or the
    # "l" goes to the view, and from there to the customer as a key (once seen in a full run).
    time.sleep(1.5)
    xdo(console.display, "key", "l")  # "&Laser pointer" in the open Session menu
    laser_shows(qtbot, agent, console, app_window, x_display)
    no_input_reached(qtbot, agent, app_window)

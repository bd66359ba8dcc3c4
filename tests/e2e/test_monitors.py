"""One monitor at a time, end to end: the technician switches, clicks land there, hot-plug.

The customer's display (this process's Xvfb) is split into two RandR monitors side by side
(bench/support/monitors.py: ``xrandr --setmonitor``, seen by mss and Qt alike), each showing a
different picture: monitor 1 a green window, monitor 2 seeded noise under a magenta marker and an
orange click target. The real agent runs here and the real console in its own process on its own
display, driven with xdotool through its monitor picker (a click opens the list, the arrow keys
and Return choose, as a person would). What the technician sees is read back from the console's
display with mss and compared with the customer's own screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QToolBar, QWidget

from agent.app import AgentApp
from bench.support.monitors import (
    add_monitor,
    clear_monitors,
    qt_screens,
    remove_monitor,
    set_monitors,
)
from bench.support.waiting import wait_for
from bench.support.xvfb import XvfbDisplay
from console.ui import SessionWindow
from shared import messages as m
from tests.e2e.conftest import Console, connected_session, data_dir_events, xdo
from tests.e2e.test_session import agent_audit_dir, find_colour, grab
from tests.e2e.test_streaming import actual_size_button_pos, marker_box

pytestmark = pytest.mark.e2e

HALF = 640  # the customer's 1280x800 display: two monitors of 640x800
MARKER = (255, 0, 255)  # BGR, as tests/e2e/test_streaming.py's marker_box looks for it
MARK = 40
NOISE_X, NOISE_Y, NOISE_W, NOISE_H = HALF + 64, 64, 384, 256  # on monitor 2
STRIP = 48
TARGET = (HALF + 128, 440, 320, 200)  # the orange click target on monitor 2
ORANGE = (0, 140, 255)  # BGR; solid colours are sent exactly (tolerance 2: never noise)
GREEN = (0, 200, 0)


class Noise(QWidget):
    """Marker strip on top, seeded RGB noise below (a picture JPEG cannot send exactly)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        rng = np.random.default_rng(4321)
        noise = rng.integers(0, 256, (NOISE_H, NOISE_W, 4), dtype=np.uint8)
        noise[:, :, 3] = 255
        self._image = QImage(noise.data, NOISE_W, NOISE_H, NOISE_W * 4,
                             QImage.Format.Format_RGB32).copy()
        self.setGeometry(NOISE_X, NOISE_Y - STRIP, NOISE_W, NOISE_H + STRIP)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.fillRect(0, 0, NOISE_W, STRIP, QColor("#404040"))
        p.fillRect(4, 4, MARK, MARK, QColor(MARKER[2], MARKER[1], MARKER[0]))
        p.drawImage(QPoint(0, STRIP), self._image)
        p.end()


class Target(QWidget):
    """A real X client on monitor 2 that records where presses reach it (global pixels)."""

    def __init__(self, colour: str) -> None:
        super().__init__()
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor(colour))
        self.setPalette(pal)
        self.setAutoFillBackground(True)
        self.presses: list[tuple[int, int]] = []

    def mousePressEvent(self, e) -> None:
        pos = e.globalPosition().toPoint()
        self.presses.append((pos.x(), pos.y()))


@pytest.fixture
def two_monitors(qtbot, x_display: XvfbDisplay) -> Iterator[XvfbDisplay]:
    """The customer's display as two monitors (monitor 1 primary); one again afterwards."""
    rects = [(0, 0, HALF, x_display.height), (HALF, 0, HALF, x_display.height)]
    set_monitors(x_display.name, rects, primary=1)
    try:
        qtbot.waitUntil(lambda: qt_screens() == rects, timeout=10000)
        yield x_display
    finally:
        clear_monitors(x_display.name)
        qtbot.waitUntil(lambda: qt_screens() == [(0, 0, x_display.width, x_display.height)],
                        timeout=10000)


@pytest.fixture
def pictures(qtbot, two_monitors: XvfbDisplay) -> Iterator[tuple[Noise, Target]]:
    """Different pictures on the two monitors: green on 1; noise and an orange target on 2."""
    green = QWidget()
    green.setWindowFlag(Qt.WindowType.FramelessWindowHint)
    green.setStyleSheet("background: #00c800")
    green.setGeometry(40, 200, 520, 360)
    noise, target = Noise(), Target("#ff8c00")
    target.setGeometry(*TARGET)
    for w in (green, noise, target):
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
    yield noise, target


def picker_pos(monitors: tuple[m.Monitor, ...], shared: int) -> tuple[int, int]:
    """Where the monitor picker sits in a session window: same code and fonts as the console
    process, so laid out the same (no window manager: no decorations)."""
    win = SessionWindow()
    try:
        win.resize(1100, 750)
        win.set_monitors(monitors, shared)
        win.show()
        QApplication.processEvents()
        bar = win.findChild(QToolBar)
        assert bar is not None
        picker = win.monitor_picker
        assert picker.isVisible(), "the toolbar has no room for the monitor picker"
        left = picker.mapTo(win, QPoint(12, picker.height() // 2))
        return left.x(), left.y()
    finally:
        win.close()
        win.deleteLater()


def pick(console: Console, where: tuple[int, int], *keys: str) -> None:
    """Open the console's monitor picker with a click and choose with the keys given."""
    win = console.window("Session")
    xdo(console.display, "mousemove", "--window", win, str(where[0]), str(where[1]),
        "click", "1")
    xdo(console.display, "sleep", "0.5")  # the list opens
    for key in keys:
        xdo(console.display, "key", key)
    xdo(console.display, "mousemove", "1279", "799")  # off the view: no pointer on the picture


def until(qtbot, pred, timeout: float, what: str):
    """:func:`wait_for` while this process's Qt (agent, pictures) keeps running."""
    return wait_for(pred, timeout, what, 0.1, pause=lambda t: qtbot.wait(int(t * 1000)))


def shared_events(agent: AgentApp) -> list[dict[str, object]]:
    events = data_dir_events(Path(agent_audit_dir(agent)))
    return [e for e in events if e["event"] == "monitor_shared"]


def wait_shared(qtbot, agent: AgentApp, index: int, count: int = 2) -> None:
    def there() -> bool:
        found = shared_events(agent)
        return bool(found) and found[-1]["index"] == index and found[-1]["count"] == count

    until(qtbot, there, 20, f"the agent to share monitor {index} of {count}")


def exact_on_console(qtbot, customer: XvfbDisplay, console: Console, timeout: float = 25.0
                     ) -> None:
    """Wait until the console shows monitor 2's noise pixel-exactly (at 1:1)."""
    bad, seen = -1, None

    def exact() -> bool:
        nonlocal bad, seen
        mine, theirs = grab(customer), grab(console.display)
        a, seen = marker_box(mine), marker_box(theirs)
        if a is None or seen is None or seen[2:] != (MARK, MARK):
            return False
        dx, dy = seen[0] - a[0], seen[1] - a[1]
        x0, y0 = NOISE_X, NOISE_Y - STRIP
        want = mine[y0 : y0 + NOISE_H + STRIP, x0 : x0 + NOISE_W, :3]
        got = theirs[y0 + dy : y0 + dy + NOISE_H + STRIP, x0 + dx : x0 + dx + NOISE_W, :3]
        if got.shape != want.shape:
            return False
        bad = int(np.count_nonzero((got != want).any(axis=2)))
        return bad == 0

    try:
        until(qtbot, exact, timeout, "monitor 2 pixel-exact on the console")
    except Exception as exc:
        raise AssertionError(f"not exact: {bad} pixels differ (marker on the console: {seen})"
                             ) from exc


def test_the_technician_switches_monitors_clicks_land_there_and_hot_plug_is_followed(
        qtbot, agent: AgentApp, console: Console, pictures: tuple[Noise, Target],
        x_display: XvfbDisplay) -> None:
    _noise, target = pictures
    two = (m.Monitor(0, 0, HALF, 800, True), m.Monitor(HALF, 0, HALF, 800, False))
    picker = picker_pos(two, 1)
    button = actual_size_button_pos()
    xdo(x_display, "mousemove", "600", "795")  # the customer's pointer: off every compared area
    # View only first: the technician's pointer must not move the customer's over the pictures.
    connected_session(qtbot, agent, console, control=False)
    wait_shared(qtbot, agent, 1)  # the primary monitor, not both as one picture
    assert agent.overlay is not None
    qtbot.waitUntil(lambda: [s.geometry().x() for s in agent.overlay.framed_screens] == [0],
                    timeout=10000)
    # Monitor 1 only: the green window is there, monitor 2's target is not.
    until(qtbot, lambda: find_colour(grab(console.display), GREEN, tol=2) is not None, 20,
             "monitor 1 on the console")
    assert find_colour(grab(console.display), ORANGE, tol=2) is None

    pick(console, picker, "Down", "Return")  # Monitor 1 -> Monitor 2
    wait_shared(qtbot, agent, 2)
    win = console.window("Session")
    xdo(console.display, "mousemove", "--window", win, str(button[0]), str(button[1]),
        "click", "1")  # Actual size (1:1)
    xdo(console.display, "mousemove", "1279", "799")
    exact_on_console(qtbot, x_display, console)
    assert find_colour(grab(console.display), GREEN, tol=2) is None  # monitor 1 is not shown
    qtbot.waitUntil(lambda: [s.geometry().x() for s in agent.overlay.framed_screens] == [HALF],
                    timeout=10000)
    assert "Monitor 2 of 2 is shared" in agent.overlay.panel_text()

    # The customer allows control: a click on the target as the console shows it lands on
    # monitor 2 at the same place (global X coordinates: monitor 2's origin added).
    qtbot.mouseClick(agent.overlay.panel.control_button, Qt.MouseButton.LeftButton)
    console.wait_audit("permissions_changed")
    until(qtbot, lambda: len([e for e in console.audit_events()
                          if e["event"] == "permissions_changed"]) >= 2, 15, "control granted")
    # The console shows a notice bar when control is granted, and the picture moves with the
    # layout: aim only once the target stands still on the technician's screen.
    last: list[object] = [None]

    def settled() -> object:
        box = find_colour(grab(console.display), ORANGE, tol=2)
        steady = box is not None and box == last[0]
        last[0] = box
        if not steady:
            qtbot.wait(300)
        return box if steady else None

    box = until(qtbot, settled, 20, "the target on the console, standing still")
    # At 1:1 the view may cut the target's lower part off: aim from its top-left corner.
    tx, ty, tw, th = TARGET
    cx, cy = box[0] + tw // 2, box[1] + th // 2
    xdo(console.display, "mousemove", str(cx), str(cy))
    xdo(console.display, "click", "1")
    qtbot.waitUntil(lambda: bool(target.presses), timeout=10000)
    px, py = target.presses[0]
    assert abs(px - (tx + tw // 2)) <= 3 and abs(py - (ty + th // 2)) <= 3, target.presses
    xdo(console.display, "mousemove", "1279", "799")

    # All monitors as one picture (it fits the budget), then back to monitor 2.
    pick(console, picker, "Up", "Up", "Return")
    wait_shared(qtbot, agent, 0)
    until(qtbot, lambda: find_colour(grab(console.display), GREEN, tol=2) is not None, 20,
             "both monitors on the console")
    qtbot.waitUntil(lambda: len(agent.overlay.framed_screens) == 2, timeout=10000)
    pick(console, picker, "Down", "Down", "Return")
    wait_shared(qtbot, agent, 2)

    # Hot-plug: monitor 2 unplugged while shared -> back to monitor 1, no new session.
    remove_monitor(x_display.name, 2)
    wait_shared(qtbot, agent, 1, count=1)
    until(qtbot, lambda: find_colour(grab(console.display), GREEN, tol=2) is not None, 20,
             "monitor 1 on the console after the unplug")
    # Plugged in again: the console's picker offers it, and choosing it works.
    add_monitor(x_display.name, 2, (HALF, 0, HALF, 800))
    until(qtbot, lambda: any(e["event"] == "monitors_changed" and e["count"] == 2
                         for e in data_dir_events(Path(agent_audit_dir(agent)))), 20,
             "the agent to see monitor 2 again")
    qtbot.wait(1000)  # the console's picker gets the new list
    pick(console, picker, "Down", "Return")
    wait_shared(qtbot, agent, 2)
    console_switches = [e["index"] for e in console.audit_events()
                        if e["event"] == "monitor_shared"]
    assert console_switches == [1, 2, 0, 2, 1, 2]

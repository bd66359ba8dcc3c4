"""The console's half of the link watchdog (issue 13): the window says the link is interrupted
(no stale round trip) and when it is back, and the view says when the technician holds a key or
button (the driver then pings more often)."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from console.driver import ConsoleSessionDriver
from console.ui import RemoteView, SessionWindow
from shared import messages as m
from shared.codes import SessionCode
from shared.link import HELD_PING_INTERVAL, PING_INTERVAL, QUIET_AFTER, LinkMonitor, LinkState
from shared.session import ConsoleSession, Step
from tests.console.test_ui_console import solid


@pytest.fixture
def streaming(qtbot, english) -> SessionWindow:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.set_permissions(frozenset({"view", "control"}))
    win.show_streaming()
    win.set_stats(24.6, 38.2, 1_536_000)
    return win


def test_interrupted_replaces_the_round_trip_and_counts_down(qtbot, streaming) -> None:
    win = streaming
    win.set_link("interrupted", 95.0)
    assert win.link_state == "interrupted"
    assert win.status_texts()[0] == "Connection interrupted"
    assert win.status_texts()[2] == ""  # no stale round trip
    assert win.notice_text() == ("The connection to the customer is interrupted. Waiting for "
                                 "it to come back… The session ends in 1:35 if it does not.")
    win.set_stats(0.0, 38.2, 0.0)  # a late statistics tick must not bring the old figure back
    assert win.status_texts()[2] == ""
    win.set_link("reconnecting", 60.0)
    assert win.status_texts()[0] == "Reconnecting…"
    assert "Reconnecting… The session ends in 1:00" in win.notice_text()
    win.set_link("live", 0.0)
    assert win.link_state == "live"
    assert win.status_texts()[0] == "Session running"
    assert win.notice_text() == "The connection to the customer is back."
    win.set_stats(24.6, 41.0, 1_536_000)
    assert win.status_texts()[2] == "25 fps · 41 ms · 1.5 MB/s"


def test_a_relay_restart_is_called_a_restart(qtbot, streaming) -> None:
    """Not "the connection to the customer was lost": nobody left, the relay restarts."""
    streaming.set_link("restarting", 110.0)
    assert streaming.link_state == "restarting"
    assert streaming.status_texts()[0] == "The connection service is restarting…"
    assert streaming.status_texts()[2] == ""
    assert streaming.notice_text() == ("The connection service is restarting. Reconnecting… "
                                       "The session ends in 1:50 if it does not come back.")
    assert "customer" not in streaming.notice_text()
    streaming.set_link("live", 0.0)
    assert streaming.notice_text() == "The connection to the customer is back."


def test_link_changes_after_the_end_change_nothing(qtbot, streaming) -> None:
    streaming.set_link("interrupted", 10.0)
    streaming.show_ended("The connection to the customer was lost.")
    assert streaming.link_state == "live"
    streaming.set_link("interrupted", 10.0)
    assert streaming.status_texts()[0] == "Session ended"


def test_german(qtbot, german) -> None:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show_streaming()
    win.set_link("interrupted", 65.0)
    assert win.status_texts()[0] == "Verbindung unterbrochen"
    assert "1:05" in win.notice_text() and "unterbrochen" in win.notice_text()
    win.set_link("restarting", 65.0)
    assert win.status_texts()[0] == "Der Verbindungsdienst startet neu…"
    assert win.notice_text().startswith("Der Verbindungsdienst startet neu.")


def test_the_view_says_when_something_is_held(qtbot) -> None:
    view = RemoteView()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    qtbot.waitExposed(view)
    view.update_image(solid(400, 300), [])
    view.set_control_enabled(True)
    said: list[bool] = []
    view.holding_changed.connect(said.append)
    press, release = QEvent.Type.KeyPress, QEvent.Type.KeyRelease
    shift = QKeyEvent(press, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier, 50, 0xffe1, 0)
    QApplication.sendEvent(view, shift)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    assert said == [True]
    QApplication.sendEvent(view, QKeyEvent(release, Qt.Key.Key_Shift,
                                           Qt.KeyboardModifier.NoModifier, 50, 0xffe1, 0))
    assert said == [True]  # the button is still down
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    assert said == [True, False]
    QApplication.sendEvent(view, shift)
    view.set_control_enabled(False)  # control gone: everything let go
    assert said == [True, False, True, False]


def test_the_driver_pings_faster_while_something_is_held() -> None:
    """ConsoleSessionDriver's pinger, on a real loop, with the real session machine (its
    pings are only counted: the session is put in ACTIVE by hand, no agent is needed)."""

    async def run() -> tuple[int, int]:
        loop = asyncio.get_running_loop()
        session = ConsoleSession(SessionCode("123", "456789"), name="Eva")
        driver = ConsoleSessionDriver(session, None, lambda ev: None, loop, None)  # type: ignore[arg-type]
        pings: list[float] = []
        def ping() -> Step:
            pings.append(loop.time())
            return Step()

        session.ping = ping  # type: ignore[method-assign]
        driver.spawn(driver._pinger())
        await asyncio.sleep(2.2)
        idle = len(pings)
        driver.set_holding(True)
        await asyncio.sleep(0.05)
        first = len(pings)
        await asyncio.sleep(2.0)
        held = len(pings) - first
        driver.closed = True
        for task in list(driver._tasks):
            task.cancel()
        assert first == idle + 1  # a press pings at once
        return idle, held

    idle, held = asyncio.run(run())
    assert idle == int(2.2 / PING_INTERVAL)
    assert held >= int(2.0 / HELD_PING_INTERVAL) - 1


def test_grace_setting(tmp_path) -> None:
    from console.app import grace_setting
    from shared.link import DEFAULT_GRACE

    ini = tmp_path / "console.ini"
    ini.write_text("[technician]\nname=Eva\n")
    assert grace_setting(str(ini)) == DEFAULT_GRACE
    ini.write_text("[session]\ngrace_period=300\n")
    assert grace_setting(str(ini)) == 300.0
    for bad in ("2", "soon", "nan"):
        ini.write_text(f"[session]\ngrace_period={bad}\n")
        assert grace_setting(str(ini)) == DEFAULT_GRACE


def test_input_goes_out_while_quiet_and_is_dropped_while_reconnecting() -> None:
    """A quiet link may only be slow (a loaded computer): a click must not be eaten then. A
    link being re-made carries nothing, and nothing is kept to be replayed after the resume."""

    async def run() -> None:
        loop = asyncio.get_running_loop()
        session = ConsoleSession(SessionCode("123", "456789"), name="Eva")
        driver = ConsoleSessionDriver(session, None, lambda ev: None, loop, None)  # type: ignore[arg-type]
        sent: list[object] = []

        def send_input(msg: object) -> Step:
            sent.append(msg)
            return Step()

        session.send_input = send_input  # type: ignore[method-assign]
        driver.link = LinkMonitor(0.0, release_after=None)
        driver.link.tick(QUIET_AFTER + 1)
        assert driver.link.state is LinkState.INTERRUPTED
        wheel = m.Wheel(0, 1, 10, 10)
        driver.send_input(wheel)
        assert sent == [wheel] and driver.dropped_while_down == 0
        driver.link_down = True  # reconnecting
        driver.send_input(m.PointerButton("left", True, 10, 10))
        driver.send_input(m.PointerButton("left", False, 10, 10))
        assert sent == [wheel] and driver.dropped_while_down == 2

    asyncio.run(run())

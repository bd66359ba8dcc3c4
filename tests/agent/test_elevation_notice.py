"""The elevation notice in the customer's session view, driven by the real ElevationMonitor.

Windows' answers (is the agent elevated, which window is in front, is it elevated) come from
probes the test scripts: nothing here can run Windows (tests/platform/test_windows_elevation.py
asks the real OS on the Windows runner). The widgets, the timer, the clicks and the German
texts are real."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt

from agent.ui.elevation_notice import ConfirmRestart, ElevationMonitor
from agent.ui.session_view import SessionView
from tests.agent.conftest import FakeClock

ADMIN_WINDOW = 111


class Desktop:
    """Stands in for Windows: what the probes answer."""

    def __init__(self) -> None:
        self.agent_elevated = False
        self.front: tuple[int | None, bool | None] = (ADMIN_WINDOW, True)

    def elevated(self) -> bool:
        return self.agent_elevated

    def foreground(self) -> tuple[int | None, bool | None]:
        return self.front


def view_and_monitor(qtbot) -> tuple[SessionView, ElevationMonitor, Desktop, FakeClock]:
    view = SessionView()
    qtbot.addWidget(view)
    view.show_session("Anna <b>Schmidt</b>", frozenset({"view", "control"}),
                      datetime(2026, 12, 1, 9, 0), control_offered=True)
    view.show()
    qtbot.waitExposed(view)
    desktop, clock = Desktop(), FakeClock()
    monitor = ElevationMonitor(view.elevation, desktop.elevated, desktop.foreground, clock)
    monitor.set_control(True)
    monitor.start()
    return view, monitor, desktop, clock


def step(monitor: ElevationMonitor, clock: FakeClock, seconds: float) -> None:
    clock.now += seconds
    monitor.sample()


def test_notice_appears_after_the_state_held_and_says_it_plainly(qtbot, english):
    view, monitor, _desktop, clock = view_and_monitor(qtbot)
    try:
        monitor.sample()
        assert view.elevation.notice_text() == ""
        with qtbot.waitSignal(monitor.shown, timeout=1000):
            step(monitor, clock, 0.6)
        assert view.elevation.notice_text() == (
            "The window in front runs as administrator. Windows does not let your technician "
            "control it while Fernhilfe runs without administrator rights.")
        assert view.elevation.button.text() == "Restart as administrator…"
        assert view.elevation.text.textFormat() == Qt.TextFormat.PlainText
    finally:
        monitor.stop()


def test_notice_goes_when_the_window_left_or_control_ended(qtbot, english):
    view, monitor, desktop, clock = view_and_monitor(qtbot)
    try:
        monitor.sample()
        step(monitor, clock, 0.6)
        desktop.front = (222, False)
        step(monitor, clock, 0.1)
        assert view.elevation.notice_text()  # no flicker
        step(monitor, clock, 0.6)
        assert view.elevation.notice_text() == ""
        desktop.front = (ADMIN_WINDOW, True)
        step(monitor, clock, 0.1)
        step(monitor, clock, 0.6)
        assert view.elevation.notice_text()
        monitor.set_control(False)
        step(monitor, clock, 0.1)
        assert view.elevation.notice_text() == ""
    finally:
        monitor.stop()


def test_an_elevated_agent_never_shows_it(qtbot, english):
    view, monitor, desktop, clock = view_and_monitor(qtbot)
    desktop.agent_elevated = True
    try:
        for _ in range(5):
            step(monitor, clock, 0.5)
        assert view.elevation.notice_text() == ""
    finally:
        monitor.stop()


def test_not_now_keeps_it_away_for_this_window(qtbot, english):
    view, monitor, _desktop, clock = view_and_monitor(qtbot)
    try:
        monitor.sample()
        step(monitor, clock, 0.6)
        with qtbot.waitSignal(view.elevation.dismissed, timeout=1000):
            qtbot.mouseClick(view.elevation.later, Qt.MouseButton.LeftButton)
        for _ in range(4):
            step(monitor, clock, 0.5)
        assert view.elevation.notice_text() == ""
    finally:
        monitor.stop()


def test_a_failing_probe_is_unknown_not_a_crash(qtbot, english):
    view, monitor, _desktop, clock = view_and_monitor(qtbot)

    def broken() -> tuple[int | None, bool | None]:
        raise OSError(5, "access denied")

    monitor._foreground = broken
    try:
        for _ in range(4):
            step(monitor, clock, 0.5)
        assert view.elevation.notice_text() == ""
    finally:
        monitor.stop()


def test_german_words(qtbot, german):
    view, monitor, _desktop, clock = view_and_monitor(qtbot)
    try:
        monitor.sample()
        step(monitor, clock, 0.6)
        assert view.elevation.notice_text().startswith(
            "Das Fenster im Vordergrund läuft als Administrator.")
        assert view.elevation.button.text() == "Als Administrator neu starten…"
        assert view.elevation.later.text() == "Jetzt nicht"
        confirm = ConfirmRestart(view)
        qtbot.addWidget(confirm)
        assert confirm.text() == "Fernhilfe mit Administratorrechten neu starten?"
        assert "neuen Code" in confirm.informativeText()
        assert confirm.restart_button.text() == "Als Administrator neu starten"
        view.sas_notice.show_refused()
        assert "Strg+Alt+Entf" in view.sas_notice.notice_text()
    finally:
        monitor.stop()


def test_confirm_defaults_to_cancel(qtbot, english):
    confirm = ConfirmRestart()
    qtbot.addWidget(confirm)
    heard: list[bool] = []
    confirm.restart_confirmed.connect(lambda: heard.append(True))
    confirm.open()
    qtbot.waitExposed(confirm)
    assert confirm.defaultButton() is confirm.cancel_button
    qtbot.mouseClick(confirm.cancel_button, Qt.MouseButton.LeftButton)
    assert heard == []
    confirm.open()
    qtbot.mouseClick(confirm.restart_button, Qt.MouseButton.LeftButton)
    assert heard == [True]


def test_nothing_of_it_runs_off_windows(qtbot, english, monkeypatch, tmp_path):
    """Off Windows the monitor is not made: no timer samples, no notice is ever shown."""
    import sys

    import agent.app as agent_app
    from agent.config import AgentConfig

    if sys.platform == "win32":
        assert agent_app.ELEVATION_MONITOR is not None
        return
    assert agent_app.ELEVATION_MONITOR is None
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path))
    app = agent_app.AgentApp(AgentConfig(relay_url="ws://127.0.0.1:9/v1"))
    qtbot.addWidget(app.window)
    assert app.elevation is None
    assert app.window.session_view.elevation.notice_text() == ""

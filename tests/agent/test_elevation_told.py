"""What the technician is told about an elevated window (issue 18): the ElevationMonitor's
``technician`` signal, which the app turns into ``foreground_elevated`` / ``foreground_ok``.

The customer's "Not now" silences her notice, not the technician's: their input still does not
reach that window. Windows' answers are scripted (tests/agent/test_elevation_notice.py's
stand-in desktop): nothing here can run Windows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.agent.test_elevation_notice import step, view_and_monitor


def test_told_once_not_silenced_by_not_now_and_taken_back(qtbot, english) -> None:
    view, monitor, desktop, clock = view_and_monitor(qtbot)
    told: list[bool] = []
    monitor.technician.connect(told.append)
    try:
        monitor.sample()
        assert told == []  # not before the state held
        step(monitor, clock, 0.6)
        assert told == [True]
        qtbot.mouseClick(view.elevation.later, Qt.MouseButton.LeftButton)  # the customer
        assert view.elevation.notice_text() == ""
        step(monitor, clock, 0.6)
        assert told == [True]  # still elevated, still told, nothing new
        desktop.front = (222, False)
        step(monitor, clock, 0.1)
        step(monitor, clock, 0.6)
        assert told == [True, False]
        desktop.front = (333, True)
        step(monitor, clock, 0.1)
        step(monitor, clock, 0.6)
        monitor.set_control(False)  # control ended: taken back at once
        step(monitor, clock, 0.1)
        assert told == [True, False, True, False]
    finally:
        monitor.stop()

"""The console's side of "still sharing?" (issue 15): while the customer's sharing is paused the
session window says why above the picture, greys the frozen picture (read back from the window's
pixels) and sends no input; when it goes on, everything is as before."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from console.ui import SessionWindow
from tests.console.test_ui_console import Recorder, solid


@pytest.fixture
def streaming(qtbot) -> SessionWindow:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.set_permissions(frozenset({"view", "control"}))
    win.show_streaming()
    win.view.update_image(solid(400, 300, "#1565c0"), [])
    return win


def centre_colour(win: SessionWindow) -> QColor:
    view = win.view
    image = view.grab().toImage()
    return image.pixelColor(view.width() // 2, view.height() // 2)


def test_paused_by_timeout_greys_the_picture_and_stops_input(qtbot, streaming, english
                                                              ) -> None:
    win = streaming
    before = centre_colour(win)
    assert before.blue() > 150 and before.red() < 60
    assert win.view.control_enabled
    win.set_paused(True, "timeout")
    assert win.paused
    assert win.pause_banner.text().startswith(
        "Paused by timeout: the customer was asked whether to go on")
    assert win.pause_banner.accessibleName() == win.pause_banner.text()
    grey = centre_colour(win)
    assert abs(grey.red() - grey.blue()) < 40, grey.name()  # no longer blue
    assert not win.view.control_enabled
    assert not win.ctrl_alt_del_action.isEnabled()
    rec = Recorder(win.view)
    qtbot.mouseClick(win.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(50, 50))
    assert not rec.events, "input was sent while paused"
    win.set_paused(False, "customer")
    assert win.pause_banner.text() == ""
    assert centre_colour(win) == before
    assert win.view.control_enabled


def test_paused_by_the_customer_and_german(qtbot, streaming, german) -> None:
    streaming.set_paused(True, "customer")
    assert streaming.pause_banner.text().startswith("Vom Kunden angehalten.")
    streaming.set_paused(True, "timeout")
    assert streaming.pause_banner.text().startswith("Angehalten nach Zeitablauf:")


def test_the_end_clears_the_pause(qtbot, streaming, english) -> None:
    streaming.set_paused(True, "timeout")
    streaming.show_ended("The customer ended the session.")
    assert streaming.pause_banner.text() == ""
    assert not streaming.paused

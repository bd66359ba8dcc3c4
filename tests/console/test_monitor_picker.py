"""The technician's monitor picker: what the customer's agent shares, chosen by mouse or keyboard.

Real widgets under Xvfb (pytest-qt): the picker in the real session window's toolbar, keys sent
to the window as a person would press them (Alt+M, the arrow keys).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from console.ui.monitor_picker import MonitorPicker
from console.ui.session_window import SessionWindow
from shared import messages as m

TWO = (m.Monitor(0, 0, 1920, 1080, True), m.Monitor(1920, 0, 2560, 1440, False))


def test_the_picker_lists_all_monitors_and_each_with_its_size(qtbot, english) -> None:
    picker = MonitorPicker()
    qtbot.addWidget(picker)
    assert picker.entries() == []
    picker.set_active(True)
    assert not picker.isEnabled()  # no list from the agent yet: nothing to choose
    picker.set_monitors(TWO, 1)
    assert picker.entries() == [("All monitors", 0), ("Monitor 1 (1920×1080)", 1),
                                ("Monitor 2 (2560×1440)", 2)]
    assert picker.currentData() == 1
    assert picker.isEnabled()
    assert picker.accessibleName() == "Shared monitor"
    assert picker.caption.text() == "Shared &monitor:" and picker.caption.buddy() is picker
    # One monitor: nothing to choose.
    picker.set_monitors(TWO[:1], 1)
    assert picker.entries() == [("Monitor 1 (1920×1080)", 1)]
    assert not picker.isEnabled()


def test_the_picker_in_german(qtbot, german) -> None:
    picker = MonitorPicker()
    qtbot.addWidget(picker)
    picker.set_monitors(TWO, 0)
    assert picker.entries() == [("Alle Monitore", 0), ("Monitor 1 (1920×1080)", 1),
                                ("Monitor 2 (2560×1440)", 2)]
    assert picker.caption.text() == "Freigegebener &Monitor:"
    assert picker.accessibleName() == "Freigegebener Monitor"


def test_a_choice_is_asked_for_and_the_box_shows_what_the_agent_says(qtbot, english) -> None:
    picker = MonitorPicker()
    qtbot.addWidget(picker)
    picker.set_active(True)
    chosen: list[int] = []
    picker.monitor_chosen.connect(chosen.append)
    picker.set_monitors(TWO, 1)  # the agent's word is no choice of the technician's
    assert chosen == []
    picker.activated.emit(picker.findData(2))  # as a click on the entry does
    assert chosen == [2]
    picker.activated.emit(picker.findData(1))  # the one already shared: nothing to ask
    assert chosen == [2]
    # The agent could not follow (monitor 2 unplugged meanwhile): the box shows what it shares.
    picker.set_monitors((*TWO[:1], m.Monitor(1920, 0, 800, 600)), 1)
    assert picker.currentData() == 1


def test_the_session_window_reaches_the_picker_by_keyboard(qtbot, english) -> None:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    requested: list[int] = []
    win.monitor_requested.connect(requested.append)
    win.set_monitors(TWO, 1)
    assert not win.monitor_picker.isEnabled()  # before the customer allowed: no picture
    win.set_permissions(frozenset({"view"}))  # the picker rides on "see", control not needed
    win.show_streaming()
    assert win.monitor_picker.isEnabled()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow, timeout=5000)
    qtbot.keyClick(win, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(win.monitor_picker.hasFocus, timeout=5000)
    qtbot.keyClick(win.monitor_picker, Qt.Key.Key_Down)
    assert requested == [2]
    qtbot.keyClick(win.monitor_picker, Qt.Key.Key_Up)
    qtbot.keyClick(win.monitor_picker, Qt.Key.Key_Up)
    assert requested == [2, 0]  # back over monitor 1 (shared: nothing asked) to "all"
    win.show_ended("The customer ended the session.")
    assert not win.monitor_picker.isEnabled()


def test_a_switch_gives_the_view_the_new_monitors_size(qtbot, english) -> None:
    win = SessionWindow()
    qtbot.addWidget(win)
    first = QImage(1920, 1080, QImage.Format.Format_RGB32)
    first.fill(QColor("navy"))
    win.view.apply_patches(1920, 1080, [(0, 0, first)])
    second = QImage(2560, 1440, QImage.Format.Format_RGB32)
    second.fill(QColor("darkgreen"))
    win.view.apply_patches(2560, 1440, [(0, 0, second)])
    image = win.view.image()
    assert (image.width(), image.height()) == (2560, 1440)
    assert image.pixelColor(2559, 1439) == QColor("darkgreen")

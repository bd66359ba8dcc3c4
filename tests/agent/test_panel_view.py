"""What the session panel says and how it is used: the true sentence for view / view and
control (changing at once), Stop control and End clearly apart, translated accessible names,
and the keyboard: Tab between the buttons, Space presses one (real keys from ``xdotool``)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton

from agent.hotkey import X11Hotkey
from agent.ui import SessionOverlay


def shown(qtbot, control: bool) -> SessionOverlay:
    ov = SessionOverlay("Anna Schmidt", control=control, hotkey=X11Hotkey())
    ov.show()
    qtbot.waitExposed(ov.panel)
    return ov


def test_sentence_says_what_is_true_and_follows_control(qtbot, english) -> None:
    ov = shown(qtbot, control=False)
    try:
        assert ov.panel_text() == "Anna Schmidt can see your screen"
        assert ov.panel.control_button.text() == "Allow control"
        assert not ov.panel.control_keys.isVisibleTo(ov.panel)  # the key never grants
        ov.set_control(True)
        assert ov.panel_text() == "Anna Schmidt can see and control your screen"
        assert ov.panel.control_button.text() == "Stop control"
        assert ov.panel.control_keys.isVisibleTo(ov.panel)
        ov.set_control(False)
        assert ov.panel_text() == "Anna Schmidt can see your screen"
        # Still centred at the top after the sentence changed its width.
        screen = QGuiApplication.primaryScreen().geometry()
        assert abs(ov.panel.frameGeometry().center().x() - screen.center().x()) <= 2
    finally:
        ov.close()


def test_sentence_and_buttons_in_german(qtbot, german) -> None:
    ov = shown(qtbot, control=True)
    try:
        panel = ov.panel
        assert ov.panel_text() == "Anna Schmidt sieht und steuert Ihren Bildschirm"
        assert panel.control_button.text() == "Steuerung beenden"
        assert panel.end_button.text() == "Sitzung beenden"
        ov.set_control(False)
        assert ov.panel_text() == "Anna Schmidt sieht Ihren Bildschirm"
        assert panel.control_button.text() == "Steuerung zulassen"
        assert panel.accessibleName() == "Fernhilfe-Sitzung"
        assert panel.control_button.accessibleName() == "Steuerung zulassen"
        assert all(f.accessibleName() == "Fernhilfe: Sitzung läuft" for f in ov.frames)
    finally:
        ov.close()


def test_stop_control_and_end_are_clearly_apart(qtbot, english) -> None:
    ov = shown(qtbot, control=True)
    try:
        stop, end = ov.panel.control_button, ov.panel.end_button
        s, e = stop.geometry(), end.geometry()
        assert e.left() - s.right() >= 28, "a clear gap between the two actions"
        assert e.height() > s.height(), "End is the bigger button"
        # As drawn: End filled red, Stop control white (sampled inside each, left of the text).
        def fill(button: QPushButton) -> QColor:
            return button.grab().toImage().pixelColor(6, button.height() // 2)

        assert fill(end).red() > 180 and fill(end).green() < 80
        assert min(fill(stop).red(), fill(stop).green(), fill(stop).blue()) > 230
        # Each key is written right under its own button.
        for button, keys in ((stop, ov.panel.control_keys), (end, ov.panel.end_keys)):
            assert keys.isVisible()
            assert abs(keys.geometry().center().x() - button.geometry().center().x()) <= 2
            assert keys.geometry().top() >= button.geometry().bottom()
    finally:
        ov.close()


def test_every_control_has_an_accessible_name(qtbot, english) -> None:
    ov = shown(qtbot, control=True)
    try:
        panel = ov.panel
        assert panel.accessibleName() == "Fernhilfe session"
        assert panel.label.accessibleName() == "Anna Schmidt can see and control your screen"
        for button in panel.findChildren(QPushButton):
            assert button.accessibleName() == button.text() != ""
        assert panel.control_button.accessibleDescription() == "Keyboard shortcut: Ctrl+Alt+End"
        assert panel.end_button.accessibleDescription() == "Keyboard shortcut: Ctrl+Alt+Home"
    finally:
        ov.close()


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool not installed")
def test_keyboard_tab_and_space_on_the_panel(qtbot, english) -> None:
    """Given the keyboard (as an assistive tool does), Tab reaches End and Space presses it."""
    ov = shown(qtbot, control=True)
    env = dict(os.environ)

    def xdo(*args: str) -> None:
        subprocess.run(["xdotool", *args], check=True, env=env, timeout=10)

    try:
        ov.panel.activateWindow()
        qtbot.waitUntil(lambda: ov.panel.isActiveWindow(), timeout=3000)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is ov.panel.control_button,
                        timeout=3000)
        xdo("key", "Tab")
        qtbot.waitUntil(lambda: QApplication.focusWidget() is ov.panel.end_button,
                        timeout=3000)
        # A visible focus ring: the focused button's edge is drawn blue.
        end = ov.panel.end_button
        edge = end.grab().toImage().pixelColor(1, end.height() // 2)
        assert edge.blue() > 150 and edge.red() < 80, edge.name()
        with qtbot.waitSignal(ov.end_session_requested, timeout=3000):
            xdo("key", "space")
    finally:
        ov.close()


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool not installed")
def test_a_click_on_the_panel_leaves_the_keyboard_where_it_was(qtbot, english) -> None:
    """After the customer clicks the panel, keys still go to the program they were in (else
    the technician's Space after "Allow control" would press a panel button)."""
    from PySide6.QtWidgets import QLineEdit

    edit = QLineEdit()
    edit.setGeometry(100, 300, 300, 40)
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    edit.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=3000)
    ov = shown(qtbot, control=False)
    try:
        grants: list[bool] = []
        ov.control_toggle_requested.connect(grants.append)
        where = ov.panel.control_button.mapToGlobal(ov.panel.control_button.rect().center())
        env = dict(os.environ)
        for args in (["mousemove", str(where.x()), str(where.y())], ["click", "1"],
                     ["type", "ok "]):
            subprocess.run(["xdotool", *args], check=True, env=env, timeout=10)
        qtbot.waitUntil(lambda: edit.text() == "ok ", timeout=3000)
        assert grants == [True] and not ov.panel.isActiveWindow()
    finally:
        ov.close()

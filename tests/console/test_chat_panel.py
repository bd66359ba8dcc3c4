"""The technician's chat panel (console/ui/chat_panel.py) in the real session window under Xvfb.

It can be shown and hidden (toolbar and menu), opens by itself when the customer writes without
taking the keyboard from the remote screen, counts unread lines on its toggle, says when the
customer keeps the chat in the record, works in a view-only session, and stops sending at the end.
The session itself is the e2e test's (tests/e2e/test_chat.py): here the window's public slots are
called as the console app calls them.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QToolBar

from console.ui import SessionWindow, install_translator


@pytest.fixture
def window(qtbot) -> SessionWindow:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show_verification("123 456")
    win.set_permissions(frozenset({"view"}))  # view only: the chat works all the same
    win.show_streaming()
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.view.setFocus()
    qtbot.waitUntil(win.view.hasFocus, timeout=5000)
    return win


def test_the_panel_is_toggled_from_the_toolbar_and_the_menu(qtbot, window: SessionWindow
                                                            ) -> None:
    panel = window.chat
    assert not panel.isVisible()
    toolbar = window.findChild(QToolBar)
    assert toolbar is not None and panel.toggle_action in toolbar.actions()
    assert panel.toggle_action in window.session_menu.actions()
    assert panel.toggle_action.text() == "C&hat"
    panel.toggle_action.trigger()
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    assert panel.toggle_action.isChecked()
    qtbot.waitUntil(panel.log.input.hasFocus, timeout=5000)  # asked for: write at once
    panel.toggle_action.trigger()
    qtbot.waitUntil(lambda: not panel.isVisible(), timeout=5000)
    assert not panel.toggle_action.isChecked()


def test_a_line_from_the_customer_opens_the_panel_and_keeps_the_keyboard_where_it_was(
        qtbot, window: SessionWindow) -> None:
    panel = window.chat
    panel.add_received("<b>Hilfe</b>\nbitte")
    qtbot.waitUntil(panel.isVisible, timeout=5000)
    assert panel.log.lines() == [("peer", "<b>Hilfe</b>\nbitte")]
    assert panel.log.history.item(0).text().endswith("Customer:\n<b>Hilfe</b>\nbitte")
    assert window.view.hasFocus()  # the technician may be typing on the remote screen
    assert panel.unread == 1 and panel.toggle_action.text() == "C&hat (1)"
    panel.add_received("noch da?", dropped_before=3)
    assert panel.unread == 2 and panel.windowTitle() == "Chat (2)"
    assert ("notice", "Messages not shown because they came too fast: 3") in panel.log.lines()
    panel.log.input.setFocus()  # the technician looks into the chat: the lines are seen
    qtbot.waitUntil(lambda: panel.unread == 0, timeout=5000)
    assert panel.toggle_action.text() == "C&hat"


def test_sending_in_a_view_only_session_and_not_after_the_end(qtbot, window: SessionWindow
                                                              ) -> None:
    panel = window.chat
    sent: list[str] = []
    panel.send_requested.connect(sent.append)
    panel.toggle_action.trigger()
    qtbot.waitUntil(panel.log.input.hasFocus, timeout=5000)
    qtbot.keyClicks(panel.log.input, "Ich sehe Ihren Bildschirm.")
    qtbot.keyClick(panel.log.input, Qt.Key.Key_Return)
    assert sent == ["Ich sehe Ihren Bildschirm."]
    panel.log.input.setPlainText("x" * 10_240)
    qtbot.keyClick(panel.log.input, Qt.Key.Key_Return)
    assert sent == ["Ich sehe Ihren Bildschirm."]
    assert "too long" in panel.log.problem_shown()
    window.show_ended("The session has ended.")
    panel.log.input.setPlainText("zu spät")
    qtbot.keyClick(panel.log.input, Qt.Key.Key_Return)
    assert sent == ["Ich sehe Ihren Bildschirm."]


def test_the_panel_says_when_the_customer_records_the_chat(qtbot, window: SessionWindow) -> None:
    panel = window.chat
    assert panel.recorded_text() == ""
    panel.set_recorded(True)
    panel.show()
    assert panel.recorded_text() == "The customer keeps this chat in the session record."
    assert panel.log.lines()[-1] == (
        "notice", "The customer keeps this chat in the session record from now on.")
    panel.set_recorded(False)
    assert panel.recorded_text() == ""
    assert panel.log.lines()[-1] == (
        "notice", "The customer no longer keeps this chat in the session record.")


def test_german(qtbot, qapp: QApplication) -> None:
    install_translator(qapp, QLocale("de_DE"))
    try:
        win = SessionWindow()
        qtbot.addWidget(win)
        panel = win.chat
        panel.set_recorded(True)
        assert panel.recorded_label.text() == "Der Kunde behält diesen Chat im Sitzungsprotokoll."
        panel.add_received("Hallo")
        assert panel.log.history.item(1).text().endswith("Kunde:\nHallo")
        assert panel.toggle_action.toolTip() == "Chat mit dem Kunden anzeigen oder ausblenden"
    finally:
        install_translator(qapp, QLocale("en_US"))

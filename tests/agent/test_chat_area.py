"""The customer's chat (agent/ui/chat_area.py): in the session view, with the record opt-in, and
announced on the always-on-top session panel while the window is out of sight.

Real windows under Xvfb: the real AgentApp's code window in its session state, the real
SessionOverlay panel; clicks are real mouse events. No session runs here (the e2e test
tests/e2e/test_chat.py does that through a real relay): the worker's signals are what the
driver emits, called as the worker calls them.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from agent.app import AgentApp
from agent.config import AgentConfig
from agent.ui import SessionOverlay
from agent.ui.chat_area import ChatArea

HOSTILE = "<b>x</b> <img src=file:///etc/passwd>"


@pytest.fixture
def area(qtbot, english) -> ChatArea:
    widget = ChatArea()
    qtbot.addWidget(widget)
    widget.resize(520, 360)
    widget.start("Eva Technik")
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def tick(qtbot, area: ChatArea) -> None:
    box = area.record_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_the_record_opt_in_is_off_says_both_sides_and_follows_what_is_true(
        qtbot, area: ChatArea) -> None:
    asked: list[bool] = []
    area.recording_requested.connect(asked.append)
    assert not area.record_box.isChecked() and not area.recording
    assert area.record_box.text() == "Keep the chat in the session record"
    assert "you and your technician both keep it" in area.record_hint.text()
    tick(qtbot, area)
    assert asked == [True]
    assert not area.record_box.isChecked()  # asked for, not yet true
    area.set_recording(True)  # the worker confirms
    assert area.recording and area.record_box.isChecked()
    assert area.log.lines()[-1] == (
        "notice", "From now on the chat is kept in the session record, on both sides.")
    tick(qtbot, area)
    assert asked == [True, False]
    area.set_recording(False)
    assert not area.record_box.isChecked()
    # A new session starts with an empty chat and the opt-in off again.
    area.set_recording(True)
    area.start("Max")
    assert area.log.lines() == [] and not area.record_box.isChecked() and not area.recording


def test_lines_carry_the_technicians_name_and_stay_plain(qtbot, area: ChatArea) -> None:
    sent: list[str] = []
    area.send_requested.connect(sent.append)
    area.add_received(HOSTILE)
    assert area.log.history.item(0).text().split("\n", 1) == [
        f"{datetime.now().astimezone():%H:%M}  Eva Technik:", HOSTILE]
    area.log.input.setPlainText("Danke!")
    area.log.input.setFocus()
    qtbot.keyClick(area.log.input, Qt.Key.Key_Return)
    assert sent == ["Danke!"]
    area.stop()
    area.log.input.setPlainText("zu spät")
    qtbot.keyClick(area.log.input, Qt.Key.Key_Return)
    assert sent == ["Danke!"]


@pytest.fixture
def app(qtbot, english, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AgentApp]:
    """The real agent app in its session state with a real panel (no worker started: no
    session is needed to show a chat line)."""
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    agent = AgentApp(AgentConfig(organisation="Acme IT"))
    qtbot.addWidget(agent.window)
    overlay = SessionOverlay("Eva Technik")
    overlay.show_chat_requested.connect(agent.show_chat)
    agent.overlay = overlay
    agent.window.show()
    agent.window.show_session("Eva Technik", frozenset({"view"}), datetime.now().astimezone(),
                              control_offered=False)
    overlay.show()
    qtbot.waitExposed(overlay.panel)
    yield agent
    agent._close_session_windows()
    agent.worker.stop()
    agent.window.close()
    QApplication.processEvents()


def test_a_new_line_shows_on_the_panel_as_plain_text_and_show_chat_brings_the_chat(
        qtbot, app: AgentApp) -> None:
    overlay = app.overlay
    assert overlay is not None
    app.window.showMinimized()  # as after Allow: the window steps aside for the technician
    qtbot.waitUntil(app.window.isMinimized, timeout=5000)
    assert overlay.chat_notice_text() == ""
    app._on_chat(HOSTILE, 0)  # what AgentWorker.chat_received delivers
    notice = overlay.panel.chat_notice
    assert overlay.chat_notice_text() == f"New message from Eva Technik: {HOSTILE}"
    assert notice.text.textFormat() == Qt.TextFormat.PlainText
    assert notice.text.accessibleName() == overlay.chat_notice_text()
    qtbot.waitUntil(lambda: notice.button.isVisible(), timeout=5000)
    # Painted literally: the label shows the angle brackets, not bold text or an image.
    assert notice.text.sizeHint().width() >= notice.text.fontMetrics().horizontalAdvance(
        "<b>x</b>")
    chat = app.window.session_view.chat
    assert chat.log.lines() == [("peer", HOSTILE)]
    assert chat.log.last_announcement == f"New message from Eva Technik: {HOSTILE}"
    # The panel stays within its screen and on top, now a little taller.
    screen = overlay.panel.screen().geometry()
    assert screen.contains(overlay.panel.frameGeometry())

    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not app.window.isMinimized() and app.window.isVisible(),
                    timeout=5000)
    qtbot.waitUntil(chat.log.input.hasFocus, timeout=5000)
    assert overlay.chat_notice_text() == ""
    # Typing works in the customer's own window (it is a normal window).
    qtbot.keyClicks(chat.log.input, "Ja, bitte")
    assert chat.log.input.toPlainText() == "Ja, bitte"


def test_no_panel_notice_while_the_customer_looks_at_the_chat(qtbot, app: AgentApp) -> None:
    app.show_chat()
    qtbot.waitUntil(app.window.isActiveWindow, timeout=5000)
    app._on_chat("Sehen Sie das?", 0)
    assert app.overlay is not None and app.overlay.chat_notice_text() == ""
    assert app.window.session_view.chat.log.lines() == [("peer", "Sehen Sie das?")]


def test_german(qtbot, german) -> None:
    area = ChatArea()
    qtbot.addWidget(area)
    area.start("")
    assert area.title.text() == "Chat mit Ihrem Techniker"
    assert area.record_box.text().startswith("Chat protokollieren")
    area.add_received("Hallo")
    assert area.log.history.item(0).text().endswith("Ihr Techniker:\nHallo")
    overlay = SessionOverlay("Eva")
    try:
        overlay.show_chat_notice("Hallo")
        assert overlay.chat_notice_text() == "Neue Nachricht von Eva: Hallo"
        assert overlay.panel.chat_notice.button.text() == "Chat anzeigen"
    finally:
        overlay.close()

""""Still sharing?" in the overlay's panel (issue 15): the question with the technician's name as
plain text and a countdown, Continue / End session, the pause note with Resume, German texts,
screen-reader names, and the keyboard (real keys from xdotool): Tab reaches the answer."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from agent.hotkey import X11Hotkey
from agent.ui import SessionOverlay


def shown(qtbot, name: str = "Anna Schmidt") -> SessionOverlay:
    ov = SessionOverlay(name, control=True, hotkey=X11Hotkey())
    ov.show()
    qtbot.waitExposed(ov.panel)
    return ov


def visible_buttons(ov: SessionOverlay) -> list[str]:
    prompt = ov.panel.share_prompt
    return [b.text() for b in prompt.findChildren(QPushButton) if b.isVisibleTo(prompt)]


def test_question_countdown_and_answers(qtbot, english) -> None:
    ov = shown(qtbot)
    prompt = ov.panel.share_prompt
    try:
        assert not prompt.isVisible()  # nothing to ask yet
        ov.ask_still_sharing(60.0)
        qtbot.waitUntil(prompt.isVisible, timeout=3000)
        assert prompt.text() == "Still sharing your screen with Anna Schmidt?"
        assert prompt.countdown.text() == "Without an answer, sharing pauses in 60 s."
        assert visible_buttons(ov) == ["Continue", "End session"]
        # The panel grew to hold it and is still wholly on its screen.
        screen = ov.panel.screen().geometry()
        assert screen.contains(ov.panel.frameGeometry())
        assert prompt.geometry().bottom() < ov.panel.height()
        qtbot.waitUntil(lambda: prompt.seconds_left() <= 59, timeout=3000)
        qtbot.waitUntil(lambda: str(prompt.seconds_left()) in prompt.countdown.text(),
                        timeout=2000)
        with qtbot.waitSignal(ov.continue_sharing_requested, timeout=3000):
            qtbot.mouseClick(prompt.continue_button, Qt.MouseButton.LeftButton)
        assert prompt.isVisible(), "stays until the answer counted"
        ov.sharing_confirmed()
        assert not prompt.isVisible()
        ov.ask_still_sharing(60.0)
        with qtbot.waitSignal(ov.end_session_requested, timeout=3000):
            qtbot.mouseClick(prompt.end_button, Qt.MouseButton.LeftButton)
    finally:
        ov.close()


def test_paused_note_and_resume(qtbot, english) -> None:
    ov = shown(qtbot)
    prompt = ov.panel.share_prompt
    try:
        ov.ask_still_sharing(1.0)
        ov.set_paused(True, "timeout")
        assert ov.paused
        assert prompt.text() == "Sharing paused: nothing is shown or controlled."
        assert "Nobody answered" in prompt.countdown.text()
        assert visible_buttons(ov) == ["Resume", "End session"]
        assert ov.panel_text() == "Sharing with Anna Schmidt is paused"
        ov.sharing_confirmed()  # a late Continue changes nothing while paused
        assert prompt.state == "paused"
        with qtbot.waitSignal(ov.resume_sharing_requested, timeout=3000):
            qtbot.mouseClick(prompt.resume_button, Qt.MouseButton.LeftButton)
        ov.set_paused(False, "customer")
        assert not prompt.isVisible()
        assert ov.panel_text() == "Anna Schmidt can see and control your screen"
    finally:
        ov.close()


def test_the_name_is_plain_text(qtbot, english) -> None:
    ov = shown(qtbot, name="<b>Boss</b> <img src=x>")
    try:
        ov.ask_still_sharing(60.0)
        question = ov.panel.share_prompt.question
        assert question.textFormat() == Qt.TextFormat.PlainText
        assert "<b>Boss</b>" in question.text()
    finally:
        ov.close()


def test_german_texts_and_accessible_names(qtbot, german) -> None:
    ov = shown(qtbot)
    prompt = ov.panel.share_prompt
    try:
        ov.ask_still_sharing(60.0)
        assert prompt.text() == "Weiterhin Ihren Bildschirm für Anna Schmidt freigeben?"
        assert visible_buttons(ov) == ["Fortsetzen", "Sitzung beenden"]
        assert prompt.accessibleName() == prompt.text()
        for button in prompt.findChildren(QPushButton):
            assert button.accessibleName() == button.text() != ""
            assert button.accessibleDescription()
        ov.set_paused(True, "timeout")
        assert prompt.text() == ("Freigabe angehalten: Es wird nichts gezeigt und nichts "
                                 "gesteuert.")
        assert visible_buttons(ov) == ["Fortsetzen", "Sitzung beenden"]
    finally:
        ov.close()


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="xdotool not installed")
def test_keyboard_reaches_continue(qtbot, english) -> None:
    """Given the keyboard (as an assistive tool does), Tab reaches Continue, Space presses it."""
    ov = shown(qtbot)
    env = dict(os.environ)
    try:
        ov.ask_still_sharing(60.0)
        ov.panel.activateWindow()
        qtbot.waitUntil(lambda: ov.panel.isActiveWindow(), timeout=3000)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=3000)
        for _ in range(6):
            if QApplication.focusWidget() is ov.panel.share_prompt.continue_button:
                break
            subprocess.run(["xdotool", "key", "Tab"], check=True, env=env, timeout=10)
            qtbot.wait(100)
        assert QApplication.focusWidget() is ov.panel.share_prompt.continue_button
        with qtbot.waitSignal(ov.continue_sharing_requested, timeout=3000):
            subprocess.run(["xdotool", "key", "space"], check=True, env=env, timeout=10)
    finally:
        ov.close()


def test_continue_right_after_the_technicians_input_does_not_count(qtbot, english,
                                                                    monkeypatch) -> None:
    """The technician sees the panel too: a Continue that comes with their own input (within
    TECHNICIAN_QUIET of it) leaves the question standing; the customer's own click counts."""
    import time

    from agent.app import AgentApp
    from agent.config import AgentConfig
    from agent.still_sharing import TECHNICIAN_QUIET

    app = AgentApp(AgentConfig(relay_url="ws://127.0.0.1:9/v1"))  # never started
    qtbot.addWidget(app.window)
    answered: list[str] = []
    monkeypatch.setattr(app.worker, "confirm_sharing", lambda: answered.append("continue"))
    app._on_session_started("Anna Schmidt", frozenset({"view", "control"}))  # real wiring
    assert app.overlay is not None
    try:
        app._on_share_check_asked(60.0)
        prompt = app.overlay.panel.share_prompt
        assert prompt.state == "asking"
        app.worker.host.last_input_at = time.monotonic()  # the technician's input just now
        qtbot.mouseClick(prompt.continue_button, Qt.MouseButton.LeftButton)
        assert answered == [] and prompt.state == "asking"
        app.worker.host.last_input_at = time.monotonic() - TECHNICIAN_QUIET - 0.1
        qtbot.mouseClick(prompt.continue_button, Qt.MouseButton.LeftButton)
        assert answered == ["continue"] and prompt.state == ""
    finally:
        app._close_session_windows()
        app.window.close()

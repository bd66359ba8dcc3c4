"""The customer's window follows the session, the keyboard alone drives it, every control has a
name, and a relay that refuses the connection reads as plain German (issue 11 items 1, 2, 3, 6).

Real widgets under Xvfb; the relay test runs the real AgentApp against a real closed port on
loopback (a refused TCP connection, exactly what a customer sees when the relay is down).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from agent.app import AgentApp
from agent.config import AgentConfig
from agent.ui import Branding, CodeWindow, ConsentDialog
from tests.agent.conftest import FakeClock


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def shown_texts(root: QWidget) -> str:
    """Everything readable in ``root``'s visible labels and buttons."""
    parts = [w.text() for w in root.findChildren(QWidget)
             if isinstance(w, (QLabel, QAbstractButton)) and w.isVisibleTo(root)]
    return "\n".join(parts)


# ----------------------------------------------------------------------------- item 1


def test_refused_relay_reads_as_plain_german_with_the_phone_number(
        qtbot, german, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    config = AgentConfig(relay_url=f"ws://127.0.0.1:{closed_port()}/v1",
                         organisation="Acme IT", support_phone="030 1234")
    app = AgentApp(config)
    qtbot.addWidget(app.window)
    app.start()
    try:
        qtbot.waitUntil(lambda: app.window.state == "relay_unreachable", timeout=15000)
        text = shown_texts(app.window)
        for technical in ("Errno", "Error", "Refused", "refused", "127.0.0.1", "ws://",
                          "Connection"):
            assert technical not in text, (technical, text)
        message = app.window.message_text()
        assert "Verbindungsdienst" in message
        assert "Acme IT unter 030 1234" in message  # what to do next, whom to call
        assert "Internet" in message
    finally:
        app._close_session_windows()
        app.worker.stop()
        app.window.close()


# ----------------------------------------------------------------------------- item 2


_OPEN: list[CodeWindow] = []


@pytest.fixture(autouse=True)
def never_ask_at_teardown(qapp: QApplication) -> Iterator[None]:
    """Close this test's windows without the "End the session?" question: a test that failed
    mid-session must not leave a modal question waiting for an answer."""
    yield
    while _OPEN:
        win = _OPEN.pop()
        win.session_closing()
        win.close()
        win.deleteLater()


def session_window(qtbot, clock: FakeClock | None = None) -> CodeWindow:
    win = CodeWindow(Branding(organisation="Acme IT", support_phone="030 1234"),
                     clock=clock or FakeClock())
    _OPEN.append(win)  # not qtbot.addWidget: pytest-qt closes those before any fixture
    win.show()
    qtbot.waitExposed(win)
    return win


def test_window_follows_the_session_and_never_shows_a_stale_code(qtbot, english) -> None:
    clock = FakeClock()
    win = session_window(qtbot, clock)
    win.show_code("987654321", 600)
    win.show_code_used()
    win.show_waiting_for_consent()
    assert win.state == "consent" and win.code_text() == ""
    assert "Allow remote support?" in win.message_text()
    win.show_session("Anna Schmidt", frozenset({"view", "control"}),
                     datetime(2026, 11, 30, 14, 5), control_offered=True)
    view = win.session_view
    assert win.state == "session"
    assert view.status_text() == "Anna Schmidt can see and control your screen"
    assert "14:05" in view.since_text()
    assert "Anna Schmidt" in win.windowTitle()
    assert "Read this code" not in shown_texts(win) and "987" not in shown_texts(win)
    assert view.control_button.text() == "Stop control"
    clock.now += 11 * 60  # long past the code's 10 minutes: still the session, no "expired"
    qtbot.wait(600)
    assert win.state == "session" and win.action_text() == ""
    with qtbot.waitSignal(win.control_toggle_requested, timeout=1000) as blocker:
        qtbot.mouseClick(view.control_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [False]
    win.set_control(False)
    assert view.status_text() == "Anna Schmidt can see your screen"
    assert view.control_button.text() == "Allow control"
    with qtbot.waitSignal(win.end_session_requested, timeout=1000):
        qtbot.mouseClick(view.end_button, Qt.MouseButton.LeftButton)
    win.show_session_ended("You ended the session.")
    assert win.state == "ended" and not view.isVisibleTo(win)
    assert win.message_text().startswith("The session has ended.")
    assert "Anna Schmidt" not in win.windowTitle()
    with qtbot.waitSignal(win.show_record_requested, timeout=1000):
        qtbot.mouseClick(win._record, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(win.new_code_requested, timeout=1000):
        qtbot.mouseClick(win._action, Qt.MouseButton.LeftButton)


def test_view_only_session_offers_no_control_button(qtbot, english) -> None:
    win = session_window(qtbot)
    win.show_session("", frozenset({"view"}), datetime(2026, 11, 30, 9, 0),
                     control_offered=False)
    assert win.session_view.status_text() == "Your technician can see your screen"
    assert not win.session_view.control_button.isVisibleTo(win)
    assert win.session_view.end_button.isVisibleTo(win)


def test_a_session_that_never_began_says_so(qtbot, english, german) -> None:
    win = session_window(qtbot)
    win.show_session_ended("Sie haben die Sitzung abgelehnt.", began=False)
    assert win.message_text().startswith("Es hat keine Sitzung stattgefunden.")
    assert "Fernwartung ist beendet" not in win.message_text()


def click_in_question(qtbot, win: CodeWindow, button_text: str) -> None:
    """Click ``button_text`` in the real "End the session?" box (it must be open)."""
    box = win.close_question
    assert box is not None and box.isVisible()
    assert box.defaultButton() is box.escapeButton()  # Enter and Escape keep the session
    [button] = [b for b in box.buttons() if b.text() == button_text]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.close_question is None, timeout=2000)


def test_closing_during_a_session_asks_first(qtbot, english) -> None:
    win = session_window(qtbot)
    quits: list[bool] = []
    win.quit_requested.connect(lambda: quits.append(True))
    win.show_session("Anna", frozenset({"view"}), datetime.now(), control_offered=False)
    win.close()
    click_in_question(qtbot, win, "Keep the session")
    assert win.isVisible() and quits == [] and win.state == "session"
    win.close()
    click_in_question(qtbot, win, "End session and close")
    assert quits == [True] and not win.isVisible()


def test_question_goes_away_when_the_session_ends_meanwhile(qtbot, english) -> None:
    win = session_window(qtbot)
    win.show_session("Anna", frozenset({"view"}), datetime.now(), control_offered=False)
    win.close()
    box = win.close_question
    assert box is not None
    win.show_session_ended("Your technician ended the session.")
    assert win.close_question is None and not box.isVisible() and win.isVisible()


def test_closing_outside_a_session_just_quits(qtbot, english) -> None:
    win = session_window(qtbot)
    quits: list[bool] = []
    win.quit_requested.connect(lambda: quits.append(True))
    win.show_code("123456789", 600)
    win.close()
    assert quits == [True] and win.close_question is None


# ----------------------------------------------------------------------------- item 3


def test_consent_dialog_shows_the_scam_warning_itself(qtbot, english) -> None:
    dlg = ConsentDialog("Anna", "Acme IT", "4821")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.warning.isVisible()
    assert "Never allow it for someone who called you unexpectedly" in dlg.warning.text()
    assert "4821" in shown_texts(dlg)  # the check number stays
    dlg.reject()


def test_consent_warning_in_german(qtbot, german) -> None:
    dlg = ConsentDialog("Anna", "Acme IT", "4821")
    qtbot.addWidget(dlg)
    assert "unerwartet angerufen" in dlg.warning.text()
    assert "IT-Dienstleister" in dlg.warning.text()
    dlg.reject()


# ----------------------------------------------------------------------------- item 6


def press(qtbot, root: QWidget, key: Qt.Key) -> None:
    """One key to whatever has the keyboard focus in ``root``'s window (as a person types)."""
    target = root.focusWidget() or root
    qtbot.keyClick(target, key)


def test_whole_customer_flow_by_keyboard_alone(qtbot, english) -> None:
    win = session_window(qtbot)
    win.activateWindow()
    # Read the code: Tab reaches Copy, Space copies.
    win.show_code("123456789", 600)
    win._copy.setFocus()
    press(qtbot, win, Qt.Key.Key_Space)
    assert QGuiApplication.clipboard().text() == "123 456 789"
    # Allow: Deny has the focus, Tab moves to Allow, Space allows.
    dlg = ConsentDialog("Anna", "Acme IT", "4821")
    qtbot.addWidget(dlg)
    got: list[tuple[bool, frozenset[str]]] = []
    dlg.decided.connect(lambda allowed, perms: got.append((allowed, perms)))
    dlg.show()
    qtbot.waitExposed(dlg)
    assert dlg.focusWidget() is dlg.deny_button
    press(qtbot, dlg, Qt.Key.Key_Tab)
    assert dlg.focusWidget() is dlg.allow_button
    press(qtbot, dlg, Qt.Key.Key_Space)
    assert got == [(True, frozenset({"view", "control"}))]
    # Stop control, then end: the session view's buttons, by focus and Space.
    win.show_session("Anna", frozenset({"view", "control"}), datetime.now(), True)
    view = win.session_view
    assert win.focusWidget() is view.control_button
    with qtbot.waitSignal(win.control_toggle_requested, timeout=1000) as blocker:
        press(qtbot, win, Qt.Key.Key_Space)
    assert blocker.args == [False]
    press(qtbot, win, Qt.Key.Key_Tab)
    assert win.focusWidget() is view.end_button
    with qtbot.waitSignal(win.end_session_requested, timeout=1000):
        press(qtbot, win, Qt.Key.Key_Space)
    # Ended: Enter on the focused action gets a new code, Tab reaches the record.
    win.show_session_ended("You ended the session.")
    assert win.focusWidget() is win._action
    with qtbot.waitSignal(win.new_code_requested, timeout=1000):
        press(qtbot, win, Qt.Key.Key_Return)
    win._action.setFocus()
    for _ in range(3):
        if win.focusWidget() is win._record:
            break
        press(qtbot, win, Qt.Key.Key_Backtab)
    assert win.focusWidget() is win._record
    with qtbot.waitSignal(win.show_record_requested, timeout=1000):
        press(qtbot, win, Qt.Key.Key_Space)


def test_consent_denies_by_escape_and_keeps_enter_safe(qtbot, english) -> None:
    dlg = ConsentDialog("Anna", "Acme IT", "4821")
    qtbot.addWidget(dlg)
    got: list[bool] = []
    dlg.decided.connect(lambda allowed, perms: got.append(allowed))
    dlg.show()
    qtbot.waitExposed(dlg)
    press(qtbot, dlg, Qt.Key.Key_Escape)
    assert got == [False]


def unnamed_controls(root: QWidget) -> list[str]:
    return [f"{type(w).__name__}#{w.objectName()}:{w.text()!r}"
            for w in root.findChildren(QAbstractButton)
            if w.isVisibleTo(root) and not w.accessibleName().strip()]


def test_every_control_has_an_accessible_name(qtbot, german) -> None:
    win = session_window(qtbot)
    states = [
        lambda: win.show_code("123456789", 600),
        lambda: win.show_relay_unreachable("x", 5),
        lambda: win.show_session("Anna", frozenset({"view", "control"}), datetime.now(), True),
        lambda: win.show_session_ended("x"),
        lambda: win.show_error("x"),
    ]
    for enter in states:
        enter()
        assert unnamed_controls(win) == [], win.state
    assert "123 456 789" in win._code.accessibleName() or win.state != "code"
    dlg = ConsentDialog("Anna", "Acme IT", "4821")
    qtbot.addWidget(dlg)
    dlg.show()
    assert unnamed_controls(dlg) == []
    assert dlg.allow_button.accessibleName() == "Zulassen"
    dlg.reject()


def test_consent_warning_is_never_clipped(qtbot, german) -> None:
    """German wraps the warning to five lines: the dialog grows so every line shows."""
    dlg = ConsentDialog("Anna", "Acme IT", "4821")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.adjustSize()  # what a window manager or a screenshot may do: still not clipped
    QApplication.processEvents()
    label = dlg.warning
    assert label.height() >= label.heightForWidth(label.width())
    dlg.reject()


def test_screenshots_of_every_customer_state(qtbot, tmp_path: Path) -> None:
    from bench.shots.customer import shoot

    paths = shoot(tmp_path, "de")
    names = {p.name for p in paths}
    for state in ("code", "connecting", "consent", "session-view-only",
                  "session-view-and-control", "ended-after-session", "ended-declined",
                  "failed-attempt", "relay-unreachable"):
        assert f"customer-{state}-de.png" in names
    assert all(p.stat().st_size > 1000 for p in paths)


def test_show_session_record_button_is_wired(qtbot, english, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """After a session, "Show session record" opens the record window on the newest record."""
    from desktop.audit_store import AuditRecord, default_audit_dir

    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    record = AuditRecord.create(default_audit_dir(), "agent")
    record.log("keys_agreed", verification="4711")
    record.log("session_ended", reason="customer_ended", by_peer=False, message="")
    app = AgentApp(AgentConfig(relay_url="ws://127.0.0.1:9/v1"))
    _OPEN.append(app.window)
    app.window.show_session_ended("You ended the session.")
    qtbot.mouseClick(app.window._record, Qt.MouseButton.LeftButton)
    win = app.records_window
    assert win is not None
    qtbot.addWidget(win)
    qtbot.waitUntil(win.isVisible, timeout=2000)
    assert win.current_entry() is not None  # the record just written is the one shown
    win.close()


def test_an_unbranded_build_says_your_support_company(qapp: QApplication, english) -> None:
    """The default organisation is the program's own name: never "please call Fernhilfe"."""
    from agent.app import relay_text

    text = relay_text("unreachable", Branding(organisation="Fernhilfe"))
    assert text.endswith("please call your support company.")

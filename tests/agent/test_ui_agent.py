"""Agent widgets on real Xvfb: states, once-only signals, safe defaults, translations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from agent.ui import Branding, CodeWindow, ConsentDialog, SessionOverlay
from agent.ui.code_window import format_mm_ss, group_code
from tests.agent.conftest import FakeClock

# ----------------------------------------------------------------------------- CodeWindow


def test_group_code_and_time_format() -> None:
    assert group_code("123456789") == "123 456 789"
    assert group_code(" 123-456 789 ") == "123 456 789"
    assert group_code("1234567890") == "1234 567 890"
    assert format_mm_ss(600) == "10:00"
    assert format_mm_ss(0.2) == "0:01"
    assert format_mm_ss(-3) == "0:00"


def test_code_window_shows_code_countdown_and_copy(qtbot, english) -> None:
    clock = FakeClock()
    win = CodeWindow(Branding(organisation="Acme IT", support_phone="030 1234"), clock=clock)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert win.state == "connecting"
    assert win.code_text() == ""

    win.show_code("123456789", 600)
    assert win.state == "code"
    assert win.code_text() == "123 456 789"
    assert win.message_text() == "Read this code out to your technician on the phone."
    assert "10:00" in win.countdown_text()
    assert "Acme IT" in win.windowTitle()

    clock.now += 61
    qtbot.waitUntil(lambda: "8:59" in win.countdown_text(), timeout=2000)

    copy = win.findChild(type(win._copy), "copy")
    qtbot.mouseClick(copy, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "123 456 789"

    clock.now += 600
    qtbot.waitUntil(lambda: win.state == "expired", timeout=2000)
    assert win.code_text() == ""
    with qtbot.waitSignal(win.new_code_requested, timeout=1000):
        qtbot.mouseClick(win._action, Qt.MouseButton.LeftButton)


def test_code_window_relay_unreachable_counts_down_and_retries(qtbot, english) -> None:
    clock = FakeClock()
    win = CodeWindow(clock=clock)
    qtbot.addWidget(win)
    win.show()
    win.show_relay_unreachable("No internet connection.", 10)
    assert win.state == "relay_unreachable"
    assert win.message_text() == "No internet connection."
    assert win.countdown_text() == "Trying again in 10 s."
    clock.now += 4.5
    qtbot.waitUntil(lambda: win.countdown_text() == "Trying again in 6 s.", timeout=2000)
    clock.now += 10
    qtbot.waitUntil(lambda: win.countdown_text() == "Trying again now…", timeout=2000)
    with qtbot.waitSignal(win.new_code_requested, timeout=1000):
        qtbot.mouseClick(win._action, Qt.MouseButton.LeftButton)
    win.show_connecting()
    assert win.countdown_text() == ""


def test_wrong_code_notice_shown_with_next_code_only(qtbot, english) -> None:
    win = CodeWindow()
    qtbot.addWidget(win)
    win.show()
    win.show_code("111 222 333", 600)
    assert win.notice_text() == ""
    win.show_wrong_code_attempt()
    assert win.notice_text() == "The code that was entered did not match. Here is a new code."
    win.show_code("444 555 666", 600)
    assert win.code_text() == "444 555 666"
    assert win.notice_text() == "The code that was entered did not match. Here is a new code."
    win.show_code("777 888 999", 600)
    assert win.notice_text() == ""


def test_session_ended_and_quit_emitted_once(qtbot, english) -> None:
    win = CodeWindow()
    qtbot.addWidget(win)
    win.show()
    win.show_session_ended("The technician ended the session.")
    assert win.state == "ended"
    assert "The technician ended the session." in win.message_text()
    assert win.message_text().startswith("The session has ended.")
    quits: list[bool] = []
    win.quit_requested.connect(lambda: quits.append(True))
    qtbot.mouseClick(win._quit, Qt.MouseButton.LeftButton)
    win.close()
    assert quits == [True]


# ----------------------------------------------------------------------------- ConsentDialog


def make_dialog(qtbot, **kwargs) -> tuple[ConsentDialog, list[tuple[bool, frozenset[str]]]]:
    dlg = ConsentDialog("Anna Schmidt", "Acme IT", "4821", **kwargs)
    qtbot.addWidget(dlg)
    got: list[tuple[bool, frozenset[str]]] = []
    dlg.decided.connect(lambda allowed, perms: got.append((allowed, perms)))
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg, got


def test_consent_shows_who_number_and_is_on_top(qtbot, english) -> None:
    dlg, _ = make_dialog(qtbot)
    assert dlg.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    texts = [w.text() for w in dlg.findChildren(type(dlg._number))]
    assert "Name given by the caller: Anna Schmidt" in texts
    assert "Company given by the caller: Acme IT" in texts
    assert "Not verified" in texts  # nothing was checked: never shown as an identity
    assert "4821" in texts
    assert dlg.view_box.isChecked() and dlg.control_box.isChecked()
    assert dlg.control_box.isEnabled()
    assert dlg.deny_button.isDefault()
    assert not dlg.allow_button.isDefault() and not dlg.allow_button.autoDefault()
    assert "2:00" in dlg.countdown_text()
    # What "see" brings with it is said before the customer decides (issue 15).
    assert dlg.view_note.text() == (
        "With it you can chat with each other, and your technician can point at things on "
        "your screen. Neither controls your computer.")
    assert dlg.view_note.isVisibleTo(dlg)
    assert dlg.view_box.accessibleDescription() == dlg.view_note.text()


def test_consent_stays_inside_its_monitor(qtbot, english) -> None:
    """Tried as a user would on a narrow monitor: a dialog placed for its first size grew
    past the screen's edge and hid half of Allow. It is moved back inside on show."""
    dlg = ConsentDialog("Anna Schmidt", "Acme IT", "4821")
    qtbot.addWidget(dlg)
    area = dlg.screen().availableGeometry()
    dlg.move(area.right() - 100, area.bottom() - 100)  # mostly off the screen
    dlg.show()
    qtbot.waitExposed(dlg)
    frame = dlg.frameGeometry()
    assert area.contains(frame.topLeft()) and area.contains(frame.bottomRight()), (area, frame)
    assert area.contains(dlg.allow_button.mapToGlobal(dlg.allow_button.rect().center()))


def test_consent_allow_both(qtbot, english) -> None:
    dlg, got = make_dialog(qtbot)
    qtbot.mouseClick(dlg.allow_button, Qt.MouseButton.LeftButton)
    assert got == [(True, frozenset({"view", "control"}))]
    dlg.reject()
    dlg.close()
    assert len(got) == 1


def test_consent_allow_without_control_gives_view_only(qtbot, english) -> None:
    dlg, got = make_dialog(qtbot)
    dlg.control_box.setChecked(False)
    qtbot.mouseClick(dlg.allow_button, Qt.MouseButton.LeftButton)
    assert got == [(True, frozenset({"view"}))]


def test_consent_view_unchecked_disables_allow(qtbot, english) -> None:
    dlg, got = make_dialog(qtbot)
    dlg.view_box.setChecked(False)
    assert not dlg.allow_button.isEnabled()
    assert not dlg.control_box.isEnabled()
    qtbot.mouseClick(dlg.allow_button, Qt.MouseButton.LeftButton)
    assert got == []
    dlg.view_box.setChecked(True)
    assert dlg.allow_button.isEnabled()


def test_consent_only_view_requested(qtbot, english) -> None:
    dlg, got = make_dialog(qtbot, requested=("view",))
    assert not dlg.control_box.isVisibleTo(dlg)
    qtbot.mouseClick(dlg.allow_button, Qt.MouseButton.LeftButton)
    assert got == [(True, frozenset({"view"}))]


def test_consent_escape_denies(qtbot, english) -> None:
    dlg, got = make_dialog(qtbot)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert got == [(False, frozenset())]
    assert not dlg.isVisible()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_consent_enter_never_allows(qtbot, english, key) -> None:
    dlg, got = make_dialog(qtbot)
    qtbot.keyClick(dlg, key)
    qtbot.keyClick(dlg.control_box, key)
    assert got == [(False, frozenset())]


def test_consent_close_denies_once(qtbot, english) -> None:
    dlg, got = make_dialog(qtbot)
    dlg.close()
    dlg.reject()
    assert got == [(False, frozenset())]


def test_consent_timeout_denies(qtbot, english) -> None:
    dlg, got = make_dialog(qtbot, timeout_s=0.3)
    with qtbot.waitSignal(dlg.decided, timeout=3000) as blocker:
        pass
    assert blocker.args == [False, frozenset()]
    assert got == [(False, frozenset())]
    assert dlg.is_decided and not dlg.isVisible()


def test_consent_countdown_moves(qtbot, english) -> None:
    clock = FakeClock()
    dlg, got = make_dialog(qtbot, clock=clock)
    clock.now += 75
    qtbot.waitUntil(lambda: "0:45" in dlg.countdown_text(), timeout=2000)
    assert got == []


def test_consent_german(qtbot, german) -> None:
    dlg, _ = make_dialog(qtbot)
    assert dlg.allow_button.text() == "Zulassen"
    assert dlg.deny_button.text() == "Ablehnen"
    assert dlg.view_box.text() == "Ihren Bildschirm sehen"


def test_consent_english(qtbot, english) -> None:
    dlg, _ = make_dialog(qtbot)
    assert dlg.allow_button.text() == "Allow"


def test_code_window_german(qtbot, german) -> None:
    win = CodeWindow()
    qtbot.addWidget(win)
    win.show_code("123456789", 600)
    assert win.message_text() == "Lesen Sie diesen Code Ihrem Techniker am Telefon vor."


# ----------------------------------------------------------------------------- SessionOverlay


@pytest.fixture
def overlay(qapp: QApplication, english) -> Iterator[SessionOverlay]:
    ov = SessionOverlay("Anna Schmidt", control=True)
    ov.show()
    yield ov
    ov.close()


def test_overlay_frame_per_screen_click_through(qtbot, overlay) -> None:
    screens = QGuiApplication.screens()
    assert len(overlay.frames) == len(screens) >= 1
    for frame in overlay.frames:
        qtbot.waitExposed(frame)
        flags = frame.windowFlags()
        assert flags & Qt.WindowType.WindowTransparentForInput
        assert flags & Qt.WindowType.WindowStaysOnTopHint
        assert flags & Qt.WindowType.FramelessWindowHint
        assert frame.testAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        assert frame.geometry() == frame.screen_ref.geometry()
        # Only the ring is part of the window: the middle is not.
        mask = frame.mask()
        assert mask.contains(frame.rect().topLeft())
        assert not mask.contains(frame.rect().center())
    panel_flags = overlay.panel.windowFlags()
    assert not panel_flags & Qt.WindowType.WindowTransparentForInput
    assert panel_flags & Qt.WindowType.WindowStaysOnTopHint


def test_overlay_panel_top_centre_and_texts(qtbot, overlay) -> None:
    qtbot.waitExposed(overlay.panel)
    geo = QGuiApplication.primaryScreen().geometry()
    panel = overlay.panel.frameGeometry()
    assert abs(panel.center().x() - geo.center().x()) <= 2
    assert panel.top() < geo.top() + 40
    assert overlay.panel_text() == "Anna Schmidt can see and control your screen"
    assert overlay.panel.control_button.text() == "Stop control"


def test_overlay_signals(qtbot, overlay) -> None:
    with qtbot.waitSignal(overlay.control_toggle_requested, timeout=1000) as blocker:
        qtbot.mouseClick(overlay.panel.control_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [False]
    assert overlay.panel.control_button.text() == "Stop control"  # state comes from set_control
    overlay.set_control(False)
    assert overlay.panel.control_button.text() == "Allow control"
    with qtbot.waitSignal(overlay.control_toggle_requested, timeout=1000) as blocker:
        qtbot.mouseClick(overlay.panel.control_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [True]
    with qtbot.waitSignal(overlay.end_session_requested, timeout=1000):
        qtbot.mouseClick(overlay.panel.end_button, Qt.MouseButton.LeftButton)


def test_overlay_follows_screen_removal_and_addition(qtbot, overlay) -> None:
    screen = QGuiApplication.primaryScreen()
    overlay._on_screen_removed(screen)
    assert overlay.frames == []
    overlay._on_screen_added(screen)
    assert len(overlay.frames) == 1
    qtbot.waitExposed(overlay.frames[0])


def test_overlay_close_hides_everything(qtbot, qapp, english) -> None:
    ov = SessionOverlay("X")
    ov.show()
    ov.close()
    assert ov.frames == []
    assert not ov.panel.isVisible()


def test_code_window_failed_attempts_used_code_and_errors(qtbot, english) -> None:
    """A spent code never stays on screen; after the automatic code the customer must click;
    the scam warning stays; errors offer a retry that emits new_code_requested."""
    win = CodeWindow(Branding())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_code("123456789", 600)
    win.show_code_used()
    assert win.state == "used" and win.code_text() == "" and win.countdown_text() == ""
    win.show_failed_attempt("Someone entered a wrong code. Here is a new one.", automatic=True)
    assert win.state == "connecting" and win.action_text() == ""
    win.show_code("234567890", 600)
    assert win.notice_text() == "Someone entered a wrong code. Here is a new one."
    win.show_code_used()
    win.show_scam_warning("Warning: 3 attempts failed.")
    win.show_failed_attempt("Someone entered a wrong code.", automatic=False)
    assert win.state == "attempt_failed" and win.code_text() == ""
    assert win.notice_text() == "Someone entered a wrong code."
    assert "only shown when you ask for it" in win.message_text()
    assert win.action_text() == "Get a new code"
    with qtbot.waitSignal(win.new_code_requested, timeout=1000):
        qtbot.mouseClick(win._action, Qt.MouseButton.LeftButton)
    win.show_connecting()
    win.show_code("345678901", 600)
    assert win.notice_text() == ""  # the notice belonged to the failed attempt
    assert win.warning_text() == "Warning: 3 attempts failed."  # the warning stays
    win.show_error("Something went wrong while getting a code. Please try again.")
    assert win.state == "error" and win.code_text() == "" and win.action_text() == "Try again"
    with qtbot.waitSignal(win.new_code_requested, timeout=1000):
        qtbot.mouseClick(win._action, Qt.MouseButton.LeftButton)

"""Console widgets on real Xvfb: connect form, remote view input mapping, session window states."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QLocale, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QFocusEvent, QImage, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from console.ui import ConnectWindow, RemoteView, SessionWindow, install_translator
from console.ui.connect_window import code_problem
from console.ui.session_window import format_rate

# ----------------------------------------------------------------------------- ConnectWindow


def test_code_problem() -> None:
    assert code_problem("123 456 789") is None
    assert code_problem("123-456-789") is None
    assert code_problem(" 1234.567.890 ") is None
    assert code_problem("") == "empty"
    assert code_problem("12345678") == "short"
    assert code_problem("123 456 78a") == "characters"


def make_connect(qtbot, tmp_path) -> ConnectWindow:
    win = ConnectWindow(settings=str(tmp_path / "console.ini"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_connect_validates_and_emits(qtbot, tmp_path, english) -> None:
    win = make_connect(qtbot, tmp_path)
    got: list[tuple[str, ...]] = []
    win.connect_requested.connect(lambda *a: got.append(a))
    win.name_edit.setText("Anna Schmidt")
    win.organisation_edit.setText("Acme IT")
    win.relay_edit.setText("wss://relay.example.com/v1")
    win.code_edit.setText("123 456 78")
    qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
    assert got == []
    assert "9 digits" in win.error_text()
    qtbot.keyClicks(win.code_edit, "9")
    assert win.error_text() == ""  # editing clears the error
    qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
    assert got == [("Anna Schmidt", "Acme IT", "wss://relay.example.com/v1", "123 456 789")]


def test_connect_requires_name_and_ws_url(qtbot, tmp_path, english) -> None:
    win = make_connect(qtbot, tmp_path)
    got: list[tuple[str, ...]] = []
    win.connect_requested.connect(lambda *a: got.append(a))
    win.code_edit.setText("123456789")
    win.relay_edit.setText("wss://r.example/v1")
    qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
    assert "name" in win.error_text()
    win.name_edit.setText("A")
    win.relay_edit.setText("http://r.example")
    qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
    assert "wss://" in win.error_text()
    assert got == []


def test_connect_remembers_fields(qtbot, tmp_path, english) -> None:
    win = make_connect(qtbot, tmp_path)
    win.name_edit.setText("Anna")
    win.organisation_edit.setText("Acme")
    win.relay_edit.setText("ws://127.0.0.1:8765/v1")
    win.code_edit.setText("123-456-789")
    qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
    again = make_connect(qtbot, tmp_path)
    assert again.name_edit.text() == "Anna"
    assert again.organisation_edit.text() == "Acme"
    assert again.relay_edit.text() == "ws://127.0.0.1:8765/v1"
    assert again.code_edit.text() == ""


def test_connect_busy_and_error(qtbot, tmp_path, english) -> None:
    win = make_connect(qtbot, tmp_path)
    win.set_busy(True)
    assert not win.connect_button.isEnabled()
    assert win.code_edit.isReadOnly()
    win.show_error("That code is wrong or has already been used.")
    assert win.connect_button.isEnabled()
    assert not win.code_edit.isReadOnly()
    assert win.error_text() == "That code is wrong or has already been used."


def test_connect_german(qtbot, tmp_path, qapp) -> None:
    install_translator(qapp, QLocale("de_DE"))
    try:
        win = make_connect(qtbot, tmp_path)
        assert win.connect_button.text() == "Verbinden"
    finally:
        install_translator(qapp, QLocale("en_US"))


# ----------------------------------------------------------------------------- RemoteView


def solid(w: int, h: int, colour: str = "#336699") -> QImage:
    img = QImage(w, h, QImage.Format.Format_RGB32)
    img.fill(QColor(colour))
    return img


class Recorder:
    def __init__(self, view: RemoteView) -> None:
        self.events: list[tuple] = []
        view.pointer_moved.connect(lambda *a: self.events.append(("move", *a)))
        view.button_changed.connect(lambda *a: self.events.append(("button", *a)))
        view.wheel_turned.connect(lambda *a: self.events.append(("wheel", *a)))
        view.key_changed.connect(lambda *a: self.events.append(("key", *a)))

    def of(self, kind: str) -> list[tuple]:
        return [e for e in self.events if e[0] == kind]


@pytest.fixture
def view(qtbot) -> RemoteView:
    v = RemoteView()
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    qtbot.waitExposed(v)
    v.update_image(solid(1600, 900), [])
    return v


def test_fit_mode_maps_click_to_remote(qtbot, view) -> None:
    rec = Recorder(view)
    view.set_control_enabled(True)
    assert view.viewport().size().width() == 800
    assert view.scale() == pytest.approx(0.5)
    # 1600x900 at 0.5 → 800x450, centred vertically: top at 75.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(400, 175))
    assert rec.of("button") == [("button", "left", True, 800, 200),
                                ("button", "left", False, 800, 200)]
    assert view.map_to_remote(QPointF(10, 10)) is None  # in the letterbox
    assert view.map_to_remote(QPointF(0, 75)) == (0, 0)
    assert view.map_to_remote(QPointF(799.9, 524.9)) == (1599, 899)


def test_actual_mode_maps_with_scroll(qtbot, view) -> None:
    rec = Recorder(view)
    view.set_control_enabled(True)
    view.set_scale_mode("actual")
    assert view.scale() == 1.0
    view.horizontalScrollBar().setValue(100)
    view.verticalScrollBar().setValue(50)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=QPoint(10, 20))
    assert rec.of("button") == [("button", "right", True, 110, 70),
                                ("button", "right", False, 110, 70)]
    assert view.horizontalScrollBar().maximum() == 1600 - view.viewport().width()
    view.set_scale_mode("fit")
    assert view.scale() == pytest.approx(0.5)
    with pytest.raises(ValueError):
        view.set_scale_mode("zoom")


def test_nothing_emitted_without_control(qtbot, view) -> None:
    rec = Recorder(view)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(400, 300))
    qtbot.mouseMove(view.viewport(), QPoint(300, 300))
    qtbot.keyClick(view, Qt.Key.Key_A)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    send_wheel(view, 0, 120)
    assert rec.events == []


def send_wheel(view: RemoteView, dx: int, dy: int) -> None:
    pos = QPointF(400, 300)
    ev = QWheelEvent(
        pos, view.viewport().mapToGlobal(pos), QPoint(0, 0), QPoint(dx, dy),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), ev)


def test_wheel_steps_accumulate_hi_res(qtbot, view) -> None:
    rec = Recorder(view)
    view.set_control_enabled(True)
    send_wheel(view, 0, 60)
    assert rec.of("wheel") == []
    send_wheel(view, 0, 60)
    send_wheel(view, 0, -240)
    send_wheel(view, 120, 0)
    # In the wire's signs: a notch away from the user (Qt +120) scrolls up = dy -1.
    assert rec.of("wheel") == [("wheel", 0, -1, 800, 450), ("wheel", 0, 2, 800, 450),
                               ("wheel", -1, 0, 800, 450)]


def key_event(kind: QEvent.Type, key: Qt.Key, text: str = "", repeat: bool = False) -> QKeyEvent:
    return QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, 38, 0x61, 0, text, repeat)


def test_keys_repeat_and_release(qtbot, view) -> None:
    rec = Recorder(view)
    view.set_control_enabled(True)
    press, release = QEvent.Type.KeyPress, QEvent.Type.KeyRelease
    QApplication.sendEvent(view, key_event(press, Qt.Key.Key_A, "a"))
    QApplication.sendEvent(view, key_event(release, Qt.Key.Key_A, "a", repeat=True))
    QApplication.sendEvent(view, key_event(press, Qt.Key.Key_A, "a", repeat=True))
    QApplication.sendEvent(view, key_event(release, Qt.Key.Key_A, "a"))
    a = int(Qt.Key.Key_A)
    assert rec.of("key") == [
        ("key", a, "a", 0, 38, 0x61, True),
        ("key", a, "a", 0, 38, 0x61, True),
        ("key", a, "a", 0, 38, 0x61, False),
    ]


def test_tab_goes_to_remote_not_focus_chain(qtbot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    box = QVBoxLayout(host)
    v = RemoteView()
    edit = QLineEdit()
    box.addWidget(v)
    box.addWidget(edit)
    host.show()
    qtbot.waitExposed(host)
    v.update_image(solid(320, 200), [])
    rec = Recorder(v)
    v.set_control_enabled(True)
    qtbot.keyClick(v, Qt.Key.Key_Tab)
    qtbot.keyClick(v, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    keys = [(e[1], e[6]) for e in rec.of("key")]
    assert (int(Qt.Key.Key_Tab), True) in keys and (int(Qt.Key.Key_Tab), False) in keys
    assert (int(Qt.Key.Key_Backtab), True) in keys
    assert v.focusNextPrevChild(True) is False
    v.set_control_enabled(False)
    assert v.focusNextPrevChild(True) is True


def test_focus_loss_releases_held_keys_and_buttons(qtbot, view) -> None:
    rec = Recorder(view)
    view.set_control_enabled(True)
    QApplication.sendEvent(view, key_event(QEvent.Type.KeyPress, Qt.Key.Key_Control))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(400, 175))
    rec.events.clear()
    QApplication.sendEvent(view, QFocusEvent(QEvent.Type.FocusOut))
    assert ("key", int(Qt.Key.Key_Control), "", 0, 38, 0x61, False) in rec.events
    assert ("button", "left", False, 800, 200) in rec.events
    rec.events.clear()
    QApplication.sendEvent(view, QFocusEvent(QEvent.Type.FocusOut))
    assert rec.events == []


def test_update_image_and_cursor_render(qtbot, view) -> None:
    img = solid(1600, 900, "#000000")
    view.update_image(img, [])
    patched = img.copy()
    patched.fill(QColor("#ff0000"))
    view.update_image(patched, [(0, 0, 100, 100)])
    view.set_remote_cursor(800, 450, True, None, 0, 0)
    shot = view.viewport().grab().toImage()
    assert QColor(shot.pixel(25, 100)) == QColor("#ff0000")
    assert QColor(shot.pixel(5, 5)) == QColor("#2b2f36")  # letterbox
    view.resize(400, 400)  # size change keeps working
    view.update_image(solid(640, 480), [])
    assert view.image().size().width() == 640


# ----------------------------------------------------------------------------- SessionWindow


@pytest.fixture
def session(qtbot, english) -> SessionWindow:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_session_states(qtbot, session) -> None:
    session.show_verification("4821")
    title, number, text = session.info_texts()
    assert title == "Read this check number to the customer:"
    assert number == "4821"
    assert text == "Waiting for the customer to allow…"
    assert session.state == "verifying"
    assert not session.ctrl_alt_del_action.isEnabled()

    session.set_permissions(frozenset({"view"}))
    session.show_streaming()
    assert session.state == "streaming"
    assert session.status_texts()[:2] == ("Session running", "View only")
    assert not session.view.control_enabled
    assert not session.ctrl_alt_del_action.isEnabled()

    session.set_permissions(frozenset({"view", "control"}))
    assert session.view.control_enabled
    assert session.status_texts()[1] == "View and control"
    assert session.ctrl_alt_del_action.isEnabled()

    session.set_stats(24.6, 38.2, 1_536_000)
    assert session.status_texts()[2] == "25 fps · 38 ms · 1.5 MB/s"

    session.show_ended("The customer ended the session.")
    assert session.state == "ended"
    assert session.info_texts()[2] == "The customer ended the session."
    assert not session.view.control_enabled
    assert not session.end_action.isEnabled()


def test_session_actions_and_signals(qtbot, session) -> None:
    session.set_permissions(frozenset({"view", "control"}))
    session.show_streaming()
    with qtbot.waitSignal(session.special_keys_requested, timeout=1000) as blocker:
        session.ctrl_alt_del_action.trigger()
    assert blocker.args == ["ctrl_alt_del"]
    session.actual_size_action.trigger()
    assert session.view.scale_mode == "actual"
    session.actual_size_action.trigger()
    assert session.view.scale_mode == "fit"
    ends: list[bool] = []
    session.end_requested.connect(lambda: ends.append(True))
    session.end_action.trigger()
    session.close()
    assert ends == [True]


def test_session_close_after_end_does_not_request_end(qtbot, session) -> None:
    ends: list[bool] = []
    session.end_requested.connect(lambda: ends.append(True))
    session.show_ended("Denied.")
    with qtbot.waitSignal(session.closed, timeout=1000):
        session.close()
    assert ends == []


def test_format_rate() -> None:
    assert format_rate(512) == "512 B/s"
    assert format_rate(12_300) == "12.3 kB/s"
    assert format_rate(2_000_000) == "2.0 MB/s"


def test_relay_flag_wins_over_the_remembered_relay(qtbot, tmp_path) -> None:
    """`--relay` (the demo, a support company's shortcut) means that address, even when the
    last connection remembered another one; without it the remembered one is proposed."""
    from PySide6.QtCore import QSettings

    from console.app import ConsoleApp

    ini = str(tmp_path / "console.ini")
    remembered = QSettings(ini, QSettings.Format.IniFormat)
    remembered.setValue("relay/url", "ws://127.0.0.1:1/v1")
    remembered.sync()
    for relay, shown in (("ws://127.0.0.1:8765/v1", "ws://127.0.0.1:8765/v1"),
                         (None, "ws://127.0.0.1:1/v1")):
        app = ConsoleApp(settings=ini, relay=relay)
        qtbot.addWidget(app.connect_window)
        try:
            assert app.connect_window.relay_edit.text() == shown
        finally:
            app.worker.stop()


def test_a_click_sends_only_its_buttons_and_the_press_goes_before_the_holding_ping(
        qtbot, view) -> None:
    """Input first (issue 16): a press carries its position and the agent moves there before
    pressing, so the view sends no move of its own first (on the old code: one more message
    through console, relay and agent, and one X round trip on the customer's side before the
    press); and the press is handed on before "holding" starts the fast ping, which would
    otherwise be sealed and sent ahead of it."""
    rec = Recorder(view)
    view.holding_changed.connect(lambda held: rec.events.append(("holding", held)))
    view.set_control_enabled(True)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(400, 175))
    assert rec.events == [("button", "left", True, 800, 200), ("holding", True),
                          ("button", "left", False, 800, 200), ("holding", False)]

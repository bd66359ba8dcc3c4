"""Issue 11: the technician knows what the customer did, reads only our own words, and can work
the console by keyboard, with names a screen reader says.

Widget tests drive the real windows through their slots on the test display; the app tests run
the real console against the real relay on loopback (and a real customer's program for a revoke),
clicking the real Allow button of the customer's consent dialog.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QPoint, Qt
from PySide6.QtGui import QAccessible, QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from agent.app import AgentApp
from agent.config import AgentConfig
from bench.support.relay import free_port
from console.app import ConsoleApp, ended_text
from console.ui import ConnectWindow, SessionWindow, install_translator
from tests.e2e.conftest import allow, shown_code

LONG_ERROR = (
    "The connection service cannot be reached. Please check its address and your internet "
    "connection. " * 4
)


def shown_connect(qtbot, tmp_path: Path) -> ConnectWindow:
    win = ConnectWindow(settings=str(tmp_path / "console.ini"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def shown_session(qtbot) -> SessionWindow:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


# ----------------------------------------------------------------------------- the code field


def test_a_long_error_never_squeezes_the_code_field(qtbot, tmp_path, english) -> None:
    win = shown_connect(qtbot, tmp_path)
    win.resize(win.minimumWidth(), win.sizeHint().height())
    QApplication.processEvents()
    code_height = win.code_edit.height()
    assert code_height >= win.code_edit.sizeHint().height()
    win.show_error(LONG_ERROR)
    qtbot.waitUntil(lambda: win.error_label.isVisible())
    QApplication.processEvents()
    label = win.error_label
    assert win.code_edit.height() >= code_height  # the code stays readable
    assert label.height() >= label.heightForWidth(label.width())  # all of the error shows
    code = win.code_edit.geometry()
    error_top = win.error_box.mapTo(win, QPoint(0, 0)).y()
    assert code.bottom() < error_top  # its own area, under the code, not on top of it
    assert error_top + win.error_box.height() <= win.height()  # inside the window
    # made wide and low, then narrow by hand: the error needs more lines, the window grows
    win.resize(900, win.height())
    qtbot.waitUntil(lambda: win.minimumHeight() < win.height(), timeout=2000)
    win.resize(900, win.minimumHeight())
    QApplication.processEvents()
    win.resize(win.minimumWidth(), win.height())
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()), timeout=2000)
    assert win.code_edit.height() >= code_height
    win.show_error("")
    assert win.error_text() == ""


# ----------------------------------------------------------------------------- waiting, revoking


def test_the_customers_time_to_answer_counts_down(qtbot, english) -> None:
    win = shown_session(qtbot)
    win.show_verification("4821")
    assert win.countdown_text() == "Time left for the customer to answer: 2:00"
    win.show_verification("4821", seconds_left=103.0)
    assert win.countdown_text().endswith("1:43")
    qtbot.waitUntil(lambda: win.countdown_text().endswith("1:42"), timeout=5000)
    win.show_streaming()
    assert win.countdown_text() == ""


def test_the_countdown_in_german(qtbot, german) -> None:
    win = shown_session(qtbot)
    win.show_verification("4821", seconds_left=61.0)
    assert win.countdown_text() == "Zeit für die Antwort des Kunden: noch 1:01"
    win.set_stats(24.6, 38.2, 1_536_000)
    assert win.status_texts()[2] == "25 Bilder/s · 38 ms · 1,5 MB/s"
    assert win.info_texts()[0] == "Lesen Sie dem Kunden diese Prüfzahl vor:"


def test_revoke_and_grant_are_said_at_once_and_input_follows(qtbot, english) -> None:
    win = shown_session(qtbot)
    win.show_verification("4821")
    win.set_permissions(frozenset({"view", "control"}))
    win.show_streaming()
    assert win.notice_text() == ""  # control as asked: nothing to say
    sent: list[tuple] = []
    view = win.view
    view.button_changed.connect(lambda *a: sent.append(a))
    view.key_changed.connect(lambda *a: sent.append(a))
    from tests.console.test_ui_console import solid

    view.update_image(solid(800, 600), [])
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(200, 200))
    assert sent and sent[-1][:2] == ("left", True)
    sent.clear()

    win.set_permissions(frozenset({"view"}))  # the customer stopped control
    assert win.notice_text().startswith("The customer stopped control.")
    assert [a[:2] for a in sent] == [("left", False)]  # the held button was let go
    sent.clear()
    assert not view.control_enabled
    assert view.viewport().cursor().shape() == Qt.CursorShape.ForbiddenCursor
    assert win.status_texts()[1] == "View only"
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.keyClick(view, Qt.Key.Key_A)
    assert sent == []  # nothing is sent while control is off
    assert not win.ctrl_alt_del_action.isEnabled()

    win.set_permissions(frozenset({"view", "control"}))  # and allowed it again
    assert win.notice_text().startswith("The customer allowed control.")
    assert view.control_enabled
    assert view.viewport().cursor().shape() == Qt.CursorShape.CrossCursor
    win._hide_notice()
    assert win.notice_text() == ""


def test_view_only_from_the_start_is_said(qtbot, english) -> None:
    win = shown_session(qtbot)
    win.show_verification("4821")
    win.set_permissions(frozenset({"view"}))
    win.show_streaming()
    assert win.notice_text() == "The customer allowed you to see the screen, not to control it."


def test_a_session_that_never_began_says_so(qtbot, english) -> None:
    win = shown_session(qtbot)
    win.show_verification("4821")
    win.show_ended("The customer declined the session.")
    assert win.info_texts()[0] == "No session took place."
    again = shown_session(qtbot)
    again.show_verification("4821")
    again.show_streaming()
    again.show_ended("The customer ended the session.")
    assert again.info_texts()[0] == "The session has ended."


@pytest.fixture
def customer(qtbot, relay_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Iterator[AgentApp]:
    """The customer's real program on this display, its records in ``tmp_path``."""
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    app = AgentApp(AgentConfig(relay_url=relay_url, organisation="Acme IT"))
    qtbot.addWidget(app.window)
    app.start()
    try:
        yield app
    finally:
        app._close_session_windows()
        app.worker.stop()
        app.window.close()
        QApplication.processEvents()


@pytest.fixture
def technician(qtbot, tmp_path: Path, relay_url: str) -> Iterator[ConsoleApp]:
    """The real console with its own settings file (the customer's fixture set the data dir)."""
    app = ConsoleApp(relay_url, str(tmp_path / "console.ini"))
    qtbot.addWidget(app.connect_window)
    try:
        yield app
    finally:
        app.worker.stop()
        if app.session_window is not None:
            app.session_window.close()
        app.connect_window.close()
        QApplication.processEvents()


def test_the_technician_sees_the_customer_stop_control_in_a_real_session(
        qtbot, customer: AgentApp, technician: ConsoleApp, relay_url: str, english) -> None:
    con = technician
    con.start()
    win = con.connect_window
    win.relay_edit.setText(relay_url)
    win.name_edit.setText("Eva Technik")
    win.organisation_edit.setText("Acme IT")
    win.code_edit.setText(shown_code(qtbot, customer))
    qtbot.keyClick(win.code_edit, Qt.Key.Key_Return)  # Enter connects
    qtbot.waitUntil(lambda: con.session_window is not None
                    and con.session_window.countdown_text() != "", timeout=15000)
    allow(qtbot, customer, control=True)
    qtbot.waitUntil(lambda: con.session_window is not None
                    and con.session_window.state == "streaming"
                    and con.session_window.view.control_enabled, timeout=15000)
    session = con.session_window
    assert session is not None
    customer.worker.set_control(False)  # what the customer's "Stop control" button calls
    qtbot.waitUntil(lambda: session.notice_text().startswith("The customer stopped control"),
                    timeout=5000)
    assert not session.view.control_enabled
    driver = con.worker.joiner.active
    assert driver is not None
    before = sum(driver.session.sent_inputs.values())
    qtbot.mouseClick(session.view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(100, 100))
    qtbot.wait(200)
    assert sum(driver.session.sent_inputs.values()) == before
    customer.worker.set_control(True)
    qtbot.waitUntil(lambda: session.notice_text().startswith("The customer allowed control"),
                    timeout=5000)
    assert session.view.control_enabled


@pytest.fixture
def small_relay() -> Iterator[str]:
    """A real relay whose operator allows only 8 kB per session (the first screen is more)."""
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "relay", "--host", "127.0.0.1", "--port", "0",
         "--max-session-bytes", "8000"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    try:
        yield str(json.loads(proc.stdout.readline())["url"])
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_session_the_relay_ends_says_why(
        qtbot, small_relay: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        english) -> None:
    """The connection service ends the session at its data limit: the technician reads that,
    not "the connection to the customer was lost"."""
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    customer = AgentApp(AgentConfig(relay_url=small_relay, organisation="Acme IT"))
    qtbot.addWidget(customer.window)
    con = ConsoleApp(small_relay, str(tmp_path / "console.ini"))
    qtbot.addWidget(con.connect_window)
    try:
        customer.start()
        con.start()
        win = con.connect_window
        win.relay_edit.setText(small_relay)
        win.name_edit.setText("Eva Technik")
        win.code_edit.setText(shown_code(qtbot, customer))
        qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
        allow(qtbot, customer, control=False)
        qtbot.waitUntil(lambda: con.session_window is not None
                        and con.session_window.state == "ended", timeout=20000)
        assert con.session_window is not None
        assert con.session_window.info_texts()[2] == (
            "The connection service ended the session because it reached the data limit its "
            "operator set. Please start a new session.")
    finally:
        con.worker.stop()
        if con.session_window is not None:
            con.session_window.close()
        con.connect_window.close()
        customer._close_session_windows()
        customer.worker.stop()
        customer.window.close()
        QApplication.processEvents()


# ----------------------------------------------------------------------------- our own words


def test_end_reasons_from_the_relay_are_our_words(english) -> None:
    assert ended_text("rejected:session_limit", "").startswith(
        "The connection service ended the session because it reached the data limit")
    assert ended_text("rejected:idle_timeout", "").startswith(
        "The connection service ended the connection because nothing happened")
    assert ended_text("rejected:call_0900_now", "Call 0900 now").startswith(
        "The connection could not be set up")


def test_an_unreachable_service_is_a_kind_and_a_german_sentence(
        qtbot, tmp_path, monkeypatch: pytest.MonkeyPatch, german) -> None:
    """Nothing listens on the port: the worker reports a kind, the window our German text,
    and Python's "[Errno 111] Connect call failed" stays in the log."""
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "data"))
    url = f"ws://127.0.0.1:{free_port()}/v1"
    app = ConsoleApp(url, str(tmp_path / "console.ini"))
    qtbot.addWidget(app.connect_window)
    failed: list[str] = []
    app.worker.failed.connect(failed.append)
    try:
        app.start()
        win = app.connect_window
        win.name_edit.setText("Eva Technik")
        win.code_edit.setText("123 456 789")
        qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(win.error_text()), timeout=15000)
        assert failed == ["unreachable"]
        text = win.error_text()
        assert text.startswith("Der Verbindungsdienst ist nicht erreichbar.")
        for english_word in ("Errno", "refused", "relay", "Relay", "connect"):
            assert english_word not in text
        assert win.connect_button.isEnabled()
    finally:
        app.worker.stop()


def test_an_insecure_address_is_a_kind(qtbot, console: ConsoleApp) -> None:
    failed: list[str] = []
    console.worker.failed.connect(failed.append)
    console.worker.connect_to("ws://192.0.2.1:1/v1", "Eva", "Acme", "123 456 789")
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    assert failed == ["insecure_url"]


# ----------------------------------------------------------------------------- keyboard, names


def accessible_name(widget: QWidget) -> str:
    """What a screen reader says for ``widget``: its name, or (a combo box on Linux, where Qt
    reports the current item as the name) the label that is its buddy."""
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None, widget
    if isinstance(widget, QComboBox):
        labels = [other.text(QAccessible.Text.Name)
                  for other, _relation in iface.relations(QAccessible.RelationFlag.Label)]
        return str(labels[0]).replace("&", "").rstrip(":") if labels else ""
    return str(iface.text(QAccessible.Text.Name))


def controls(root: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QComboBox)
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, kinds) and w.isVisibleTo(root)
            and not (isinstance(w, QToolButton) and w.objectName() == "qt_toolbar_ext_button")]


def test_every_control_has_a_translated_accessible_name(qtbot, tmp_path, german) -> None:
    connect = shown_connect(qtbot, tmp_path)
    session = shown_session(qtbot)
    session.show_verification("4821")
    session.set_permissions(frozenset({"view"}))
    session.show_streaming()
    names: dict[str, str] = {}
    for root in (connect, session):
        found = controls(root)
        assert len(found) >= 4
        for widget in [*found, session.view]:
            name = accessible_name(widget)
            assert name, f"{type(widget).__name__} {widget.objectName()!r} has no name"
            names[name] = type(widget).__name__
    for german_name in ("Ihr Name", "Ihre Firma", "Adresse des Verbindungsdienstes",
                        "Code, den der Kunde vorliest", "Verbinden", "Bildschirm des Kunden",
                        "Qualität", "Bandbreite", "Hinweis ausblenden", "Sitzung beenden"):
        assert german_name in names, sorted(names)
    for english_name in ("Your name", "Connect", "Quality", "Customer's screen"):
        assert english_name not in names


def test_the_connect_flow_works_by_keyboard(qtbot, tmp_path, english) -> None:
    win = shown_connect(qtbot, tmp_path)
    win.relay_edit.setText("ws://127.0.0.1:8765/v1")
    got: list[tuple[str, ...]] = []
    win.connect_requested.connect(lambda *a: got.append(a))
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.name_edit.setFocus()
    qtbot.keyClicks(win.name_edit, "Eva Technik")
    order = [win.organisation_edit, win.relay_edit, win.code_edit, win.connect_button]
    for widget in order:
        qtbot.keyClick(win.focusWidget(), Qt.Key.Key_Tab)
        assert win.focusWidget() is widget
    qtbot.keyClick(win.connect_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert win.focusWidget() is win.code_edit
    qtbot.keyClicks(win.code_edit, "123 456 789")
    qtbot.keyClick(win.code_edit, Qt.Key.Key_Return)
    assert got == [("Eva Technik", "", "ws://127.0.0.1:8765/v1", "123 456 789")]
    # Alt+O (the label's mnemonic) jumps to the code field from anywhere in the window
    win.name_edit.setFocus()
    qtbot.keyClick(win.name_edit, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert win.focusWidget() is win.code_edit


def test_the_session_menu_reaches_every_action(qtbot, english) -> None:
    win = shown_session(qtbot)
    actions = win.session_menu.actions()
    for action in (win.end_action, win.actual_size_action, win.ctrl_alt_del_action,
                   win.records_action):
        assert action in actions
    assert not win.records_action.isVisible()  # shown only once something opens the records
    win.enable_records()
    assert win.records_action.isVisible()
    with qtbot.waitSignal(win.records_requested, timeout=1000):
        win.records_action.trigger()


def shown_texts(root: QWidget) -> set[str]:
    """Every text a person reads in ``root`` now: labels, buttons, fields' placeholders,
    actions (toolbar and menus), combo box items, tool tips, the window title."""
    texts = {root.windowTitle()}
    for w in root.findChildren(QWidget):
        if isinstance(w, QLabel | QAbstractButton):
            texts.add(w.text())
        if isinstance(w, QLineEdit):
            texts.add(w.placeholderText())
        if isinstance(w, QComboBox):
            texts.update(w.itemText(i) for i in range(w.count()))
        texts.update({w.toolTip(), w.accessibleName(), w.accessibleDescription()})
    for action in root.findChildren(QAction):
        texts.update({action.text(), action.toolTip()})
    return {t.replace("&", "") for t in texts if t.strip()}


def every_state(qtbot, tmp_path: Path) -> set[str]:
    connect = shown_connect(qtbot, tmp_path)
    connect.enable_records()
    connect.set_busy(True)
    texts = shown_texts(connect)
    session = shown_session(qtbot)
    session.enable_records()
    session.show_verification("4821")
    texts |= shown_texts(session)
    session.set_permissions(frozenset({"view", "control"}))
    session.show_streaming()
    texts |= shown_texts(session)
    session.set_permissions(frozenset({"view"}))
    texts |= shown_texts(session)
    session.show_ended("")
    return texts | shown_texts(session)


def test_no_english_is_left_in_the_german_console(qtbot, tmp_path, qapp) -> None:
    install_translator(qapp, QLocale("en_US"))
    english_texts = every_state(qtbot, tmp_path / "en")
    install_translator(qapp, QLocale("de_DE"))
    try:
        german_texts = every_state(qtbot, tmp_path / "de")
    finally:
        install_translator(qapp, QLocale("en_US"))
    # the same in both languages: numbers, addresses, units, the product name, "Status"
    same = {"4821", "123 456 789", "wss://relay.example.com/v1", "10 Mbit/s", "2 Mbit/s",
            "512 kbit/s", "Status", "Code:", "Fernhilfe", "Chat", "0 / 4096"}
    left = (english_texts & german_texts) - same
    assert not left, f"English left in the German console: {sorted(left)}"
    assert len(german_texts) > 40

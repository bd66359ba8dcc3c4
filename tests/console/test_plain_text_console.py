"""Outside text in the console: shown as plain text, and relay/peer wording replaced by ours.

Widget level: the connect and session windows are fed hostile strings through their real slots
and their widget trees walked (every label plain text, the literal string shown). App level: the
real ConsoleApp against a real relay (rejection by code -> our translated sentence) and against a
hostile relay (a loopback websocket server that answers with markup): the relay's words reach
the log only.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget
from websockets.asyncio.server import ServerConnection, serve

from console.app import ConsoleApp, ended_text, failure_text
from console.ui import ConnectWindow, SessionWindow
from shared import rendezvous as rv
from shared.text import MAX_NAME_WIDTH

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<b>X</b><img src=x>"
HOSTILE_LINK = "<a href='https://evil.example'>Call 0900 123 to continue</a>"


def assert_all_plain(root: QWidget, *must_show: str) -> None:
    widgets = [w for w in (root, *root.findChildren(QWidget))
               if isinstance(w, (QLabel, QMessageBox))]
    assert widgets
    rich = [(w.objectName(), w.text()) for w in widgets
            if w.textFormat() != Qt.TextFormat.PlainText]
    assert rich == [], f"labels that may render HTML: {rich}"
    shown = " | ".join(w.text() for w in widgets)
    for text in must_show:
        assert text in shown, f"{text!r} not shown literally in {shown!r}"


# ----------------------------------------------------------------------------- widgets


def test_connect_window_is_plain_text(qtbot, tmp_path, english) -> None:
    win = ConnectWindow(settings=str(tmp_path / "c.ini"))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_error(HOSTILE)
    assert win.error_text() == HOSTILE
    assert_all_plain(win, HOSTILE)
    win.show_error(HOSTILE_LINK)
    assert_all_plain(win, HOSTILE_LINK)


def test_session_window_is_plain_text(qtbot, english) -> None:
    win = SessionWindow()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.show_verification(HOSTILE)
    assert_all_plain(win, HOSTILE)
    win.show_ended(HOSTILE_LINK)
    assert win.info_texts()[2] == HOSTILE_LINK
    assert_all_plain(win, HOSTILE_LINK)


# ----------------------------------------------------------------------------- our own words


def test_end_messages_from_the_peer_are_never_shown(english) -> None:
    """A hostile agent's Error(code, message): unknown code and its message stay in the log."""
    assert ended_text("call_us_now", HOSTILE_LINK) == "The session has ended."
    assert ended_text("protocol_error", HOSTILE_LINK) == (
        "The session was ended because the customer's program sent something it must not "
        "send.")
    assert ended_text("error", HOSTILE) == (
        "The session was ended because of an error (details are in the log).")
    assert HOSTILE not in ended_text("peer_gone", HOSTILE)


def test_relay_rejections_become_our_translated_text(german) -> None:
    for code, relay_words in rv.ERROR_MESSAGES.items():
        text = failure_text(f"rejected:{code.value}")
        assert text != relay_words, code
        assert text and "Relay" not in text and "relay" not in text  # a German sentence of ours
    assert failure_text("rejected:unknown_nameplate").startswith("Mit diesem Code wartet")
    # A code this version does not know, or a kind nobody wrote: the general sentence.
    for kind in ("rejected:call_0900_now", HOSTILE_LINK):
        general = failure_text(kind)
        assert HOSTILE_LINK not in general and "evil" not in general
        assert general.startswith("Die Verbindung konnte nicht aufgebaut werden")


def test_relay_words_go_to_the_log(caplog, english) -> None:
    with caplog.at_level(logging.INFO, logger="console.app"):
        ended_text("call_us_now", HOSTILE_LINK)
    logged = caplog.text
    assert "evil.example" in logged


@pytest.mark.parametrize(
    ("name", "organisation", "problem"),
    [("Eva\u2028Identity checked", "Acme", "Your name contains characters"),
     ("Eva", "Acme\u202e", "Your company name contains characters"),
     ("E\u200bva", "Acme", "Your name contains characters"),
     ("W" * (MAX_NAME_WIDTH + 1), "Acme", "Your name is too long"),
     ("Eva", "山" * MAX_NAME_WIDTH, "Your company name is too long")],
)
def test_connect_refuses_names_the_customer_could_not_read(
    qtbot, tmp_path, english, name: str, organisation: str, problem: str
) -> None:
    win = ConnectWindow(settings=str(tmp_path / "c.ini"))
    qtbot.addWidget(win)
    win.name_edit.setText(name)
    win.organisation_edit.setText(organisation)
    win.relay_edit.setText("ws://127.0.0.1:1/v1")
    win.code_edit.setText("123 456 789")
    emitted: list[tuple] = []
    win.connect_requested.connect(lambda *a: emitted.append(a))
    qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
    assert emitted == []
    assert win.error_text().startswith(problem)


# ----------------------------------------------------------------------------- real relays


@pytest.fixture
def hostile_relay_url() -> Iterator[str]:
    """A 'relay' on loopback that answers every join with a known code and its own words."""
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def answer(ws: ServerConnection) -> None:
        await ws.recv()
        await ws.send(json.dumps({"op": "error", "code": "unknown_nameplate",
                                  "message": HOSTILE_LINK}))
        await ws.close()

    async def main() -> None:
        stop = asyncio.Event()
        box["stop"] = (asyncio.get_running_loop(), stop)
        async with serve(answer, "127.0.0.1", 0, compression=None) as server:
            port = next(iter(server.sockets)).getsockname()[1]
            box["url"] = f"ws://127.0.0.1:{port}/v1"
            ready.set()
            await stop.wait()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10)
    yield str(box["url"])
    loop, stop = box["stop"]
    loop.call_soon_threadsafe(stop.set)
    thread.join(5)


def run_console_against(qtbot, tmp_path: Path, url: str) -> ConsoleApp:
    app = ConsoleApp(url, str(tmp_path / "console.ini"))
    win = app.connect_window
    qtbot.addWidget(win)
    app.start()
    qtbot.waitExposed(win)
    win.name_edit.setText("Eva Technik")
    win.organisation_edit.setText("Acme IT")
    win.relay_edit.setText(url)
    win.code_edit.setText("987 654 321")
    qtbot.mouseClick(win.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(win.error_text()), timeout=10_000)
    return app


def test_real_relay_rejection_is_shown_in_our_words(qtbot, tmp_path, german, relay_url) -> None:
    app = run_console_against(qtbot, tmp_path, relay_url)
    try:
        text = app.connect_window.error_text()
        assert text.startswith("Mit diesem Code wartet")  # unknown_nameplate, in German
        assert_all_plain(app.connect_window, text)
    finally:
        app.worker.stop()


def test_hostile_relay_words_never_shown(qtbot, tmp_path, english, hostile_relay_url,
                                         caplog) -> None:
    with caplog.at_level(logging.INFO):
        app = run_console_against(qtbot, tmp_path, hostile_relay_url)
    try:
        text = app.connect_window.error_text()
        assert "evil" not in text and "0900" not in text and "<" not in text
        # The relay's stable code picks one of our own sentences; its words go to the log.
        assert text.startswith("No customer is waiting with this code")
        assert "evil.example" in caplog.text
        assert_all_plain(app.connect_window, text)
    finally:
        app.worker.stop()

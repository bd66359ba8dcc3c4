"""The real agent against a hostile relay: guesses are budgeted, silence is timed out, whatever
the relay sends ends in a local message with a retry, never a hang.

The agent is the real AgentApp + worker on this process's Xvfb; the relay is
:class:`bench.hostile_relay.HostileRelay` (the real rendezvous protocol and the real
ConsoleHandshake with wrong secrets, on loopback). Buttons are clicked like a customer would.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import agent.driver
from agent.app import AgentApp
from agent.config import AgentConfig
from bench.hostile_relay import HostileRelay
from desktop.relay_client import RelayConnection
from shared.codes import parse_code
from shared.handshake import ConsoleHandshake

pytestmark = pytest.mark.e2e


def run_agent(qtbot, url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AgentApp:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "agent-data"))
    app = AgentApp(AgentConfig(relay_url=url, organisation="Acme IT"))
    qtbot.addWidget(app.window)
    app.window.move(0, 0)
    app.start()
    return app


def click_action(qtbot, app: AgentApp) -> None:
    """Click the code window's real action button ("Get a new code" / "Try again")."""
    qtbot.waitUntil(lambda: app.window.action_text() != "", timeout=5000)
    qtbot.mouseClick(app.window._action, Qt.MouseButton.LeftButton)


def test_hostile_relay_gets_two_guesses_then_one_per_click(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp]) -> None:
    with HostileRelay("guess") as relay:
        app = run_agent(qtbot, relay.url, tmp_path, monkeypatch)
        agents.append(app)
        win = app.window
        qtbot.waitUntil(lambda: relay.guesses >= 2 and win.state == "attempt_failed",
                        timeout=20000)
        qtbot.wait(3000)  # an unattended agent: nothing more happens by itself
        assert (relay.guesses, relay.hosts) == (2, 2)
        assert win.code_text() == ""  # no spent code left on screen
        assert win.action_text() == "Get a new code"
        assert "did not match" in win.notice_text()
        assert win.warning_text() == ""
        click_action(qtbot, app)  # the customer asks: exactly one more code, one more guess
        qtbot.waitUntil(lambda: relay.guesses == 3 and win.state == "attempt_failed",
                        timeout=20000)
        qtbot.wait(2000)  # the stimulus: 2 s of an unattended agent, watched
        assert relay.guesses == 3
        warning = win.warning_text()
        assert "called your support company yourself" in warning and "3" in warning


def test_silent_peer_after_pairing_is_timed_out_and_a_fresh_code_offered(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp]) -> None:
    monkeypatch.setattr(agent.driver, "PEER_SILENCE_TIMEOUT", 1.5)
    with HostileRelay("silent") as relay:
        app = run_agent(qtbot, relay.url, tmp_path, monkeypatch)
        agents.append(app)
        win = app.window
        # pairs at once: the code disappears (spent) while the agent waits for the peer
        qtbot.waitUntil(lambda: win.state == "used", timeout=20000)
        assert win.code_text() == ""
        # timed out: one automatic fresh code (again paired at once and silent), then a click
        qtbot.waitUntil(lambda: win.state == "attempt_failed", timeout=20000)
        assert relay.hosts == 2
        assert "stopped answering" in win.notice_text()
        assert win.code_text() == ""
        qtbot.wait(2500)  # the stimulus: 2.5 s of an unattended agent, watched
        assert relay.hosts == 2


def test_silent_console_after_key_exchange_ends_and_new_code_works(
        qtbot, relay_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        agents: list[AgentApp]) -> None:
    """Right code, keys agreed, then the console never asks for consent: timed out, the
    customer reads why, and "Get a new code" gives a new code."""
    monkeypatch.setattr(agent.driver, "PEER_SILENCE_TIMEOUT", 1.5)
    app = run_agent(qtbot, relay_url, tmp_path, monkeypatch)
    agents.append(app)
    win = app.window
    qtbot.waitUntil(lambda: win.state == "code", timeout=20000)
    code = parse_code(win.code_text())

    async def handshake_then_silence() -> None:
        conn = await RelayConnection.open(relay_url)
        await conn.join(code.nameplate)
        hs = ConsoleHandshake(code)
        await conn.send(hs.start())
        done = False
        while not done:
            step = hs.receive(await conn.recv())
            for out in step.outgoing:
                await conn.send(out)
            done = step.outcome is not None
        await asyncio.sleep(4)  # keys agreed; no Hello, no consent request
        await conn.close()

    loop = asyncio.new_event_loop()
    task = loop.create_task(handshake_then_silence())
    try:
        while not task.done() and win.state != "ended":
            loop.run_until_complete(asyncio.sleep(0.05))  # pump: the peer's loop, then Qt's
            QApplication.processEvents()
        assert win.state == "ended", task.exception() if task.done() else ""
        assert "stopped answering" in win.message_text()
        assert win.code_text() == ""
        loop.run_until_complete(task)
    finally:
        loop.close()
    first = code.display()
    click_action(qtbot, app)
    qtbot.waitUntil(lambda: win.state == "code" and win.code_text() != first, timeout=20000)


def test_eight_digit_nameplate_is_an_error_with_retry_not_a_hang(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp]) -> None:
    """The rendezvous parser refuses 8 digits (one 7-digit cap everywhere): the agent says so in
    its own words, retries with a growing pause, and never shows a code or hangs."""
    with HostileRelay("plate8") as relay:
        app = run_agent(qtbot, relay.url, tmp_path, monkeypatch)
        agents.append(app)
        win = app.window
        qtbot.waitUntil(lambda: win.state == "relay_unreachable", timeout=20000)
        assert "12345678" not in win.message_text()
        qtbot.waitUntil(lambda: relay.hosts >= 3, timeout=20000)
        started = time.monotonic()
        hosts = relay.hosts
        qtbot.wait(2500)  # the stimulus: the window in which back-off allows one more try
        # back-off: 1 s, 2 s, 5 s, ... so a misbehaving relay is not asked every second
        assert relay.hosts - hosts <= 1, (relay.hosts, hosts, time.monotonic() - started)
        assert win.state in ("relay_unreachable", "connecting")
        assert win.code_text() == "" or win.state != "code"


@pytest.mark.parametrize("code", ["rate_limited", "totally_new_code"])
def test_relay_error_text_is_local_never_the_relays(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp],
        code: str) -> None:
    with HostileRelay("reject", error_code=code) as relay:
        app = run_agent(qtbot, relay.url, tmp_path, monkeypatch)
        agents.append(app)
        win = app.window
        qtbot.waitUntil(lambda: win.state == "relay_unreachable", timeout=20000)
        text = win.message_text()
        assert "900" not in text and "<b>" not in text
        expected = ("too many attempts from your network" if code == "rate_limited"
                    else "The connection service did not accept the connection")
        assert expected in text


def test_get_a_new_code_works_when_the_window_expired_before_the_relay(
        qtbot, relay_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        agents: list[AgentApp]) -> None:
    """The window counts the code down on its own clock; when it shows "expired" first, the
    customer's click on "Get a new code" must still bring a new code."""
    app = run_agent(qtbot, relay_url, tmp_path, monkeypatch)
    agents.append(app)
    win = app.window
    qtbot.waitUntil(lambda: win.state == "code", timeout=20000)
    first = win.code_text()
    win.show_code_expired()  # what the window's own countdown does at zero
    click_action(qtbot, app)
    qtbot.waitUntil(lambda: win.state == "code" and win.code_text() != first, timeout=10000)
    assert app.worker.budget.failures == 0  # nobody joined: no guess was spent


def test_relay_dropping_after_pairing_counts_as_a_failed_join(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agents: list[AgentApp]) -> None:
    with HostileRelay("drop") as relay:
        app = run_agent(qtbot, relay.url, tmp_path, monkeypatch)
        agents.append(app)
        win = app.window
        qtbot.waitUntil(lambda: win.state == "attempt_failed", timeout=20000)
        qtbot.wait(2000)  # the stimulus: 2 s of an unattended agent, watched
        assert relay.hosts == 2 and win.code_text() == ""
        assert "did not work" in win.notice_text()

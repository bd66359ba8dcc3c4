"""The agent never freezes or gives up: relay down at start, relay restart, hostile peers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.app import AgentApp
from agent.config import AgentConfig
from bench.support.relay import RelayProcess, free_port
from desktop.relay_client import InsecureRelayURL, check_url

pytestmark = pytest.mark.e2e


@pytest.fixture
def relay() -> Iterator[RelayProcess]:
    r = RelayProcess(free_port())
    yield r
    r.stop()


@pytest.fixture
def late_agent(qtbot, relay: RelayProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
               ) -> Iterator[AgentApp]:
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "agent-data"))
    app = AgentApp(AgentConfig(relay_url=f"ws://127.0.0.1:{relay.port}/v1"))
    qtbot.addWidget(app.window)
    app.start()
    yield app
    app._close_session_windows()
    app.worker.stop()
    app.window.close()


def test_relay_down_then_up_and_restart(qtbot, relay: RelayProcess, late_agent: AgentApp) -> None:
    win = late_agent.window
    # Relay not running: a clear message and a retry countdown, and the window stays responsive.
    qtbot.waitUntil(lambda: win.state == "relay_unreachable", timeout=10000)
    assert "cannot reach the connection service" in win.message_text()
    relay.start()
    qtbot.waitUntil(lambda: win.state == "code", timeout=20000)
    first = win.code_text()
    # The relay restarts while the customer waits: a fresh code appears by itself.
    relay.stop()
    qtbot.waitUntil(lambda: win.state != "code", timeout=10000)
    relay.start()
    qtbot.waitUntil(lambda: win.state == "code" and win.code_text() != first, timeout=25000)


def test_plain_ws_is_refused_off_loopback() -> None:
    check_url("ws://127.0.0.1:8765/v1")
    check_url("ws://localhost:8765/v1")
    check_url("wss://relay.example.com/v1")
    for bad in ("ws://192.0.2.10/v1", "http://127.0.0.1/v1", "relay.example.com"):
        with pytest.raises(InsecureRelayURL):
            check_url(bad)


@pytest.mark.parametrize("garbage", [b"", b"\x00" * 40, b"F\x01\x01" + b"\xff" * 33,
                                     b"F\x09\x01" + b"\x00" * 33])
def test_hostile_joiner_burns_code_and_agent_shows_new_one(
    qtbot, relay: RelayProcess, late_agent: AgentApp, garbage: bytes
) -> None:
    """A joiner that sends garbage instead of a key exchange: clear notice, fresh code."""
    import asyncio

    from desktop.relay_client import RelayConnection

    relay.start()
    win = late_agent.window
    qtbot.waitUntil(lambda: win.state == "code", timeout=20000)
    code = win.code_text()

    async def attack() -> None:
        conn = await RelayConnection.open(f"ws://127.0.0.1:{relay.port}/v1")
        await conn.join(code.split()[0])
        await conn.send(garbage)
        await asyncio.sleep(0.3)  # the stimulus: the joiner lingers; the agent judges the garbage
        await conn.close()

    asyncio.run(attack())
    qtbot.waitUntil(lambda: win.state == "code" and win.code_text() != code, timeout=20000)
    if garbage[:2] != b"F\x09":  # another protocol version is not a wrong code
        assert "did not match" in win.notice_text()

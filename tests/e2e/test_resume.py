"""Sessions that survive a relay restart: the same session comes back, no click, no new code.

Real parts only: a relay process (``python -m relay``) that the test kills with SIGKILL and
starts again on the same port, the real agent (in this process, its real consent button
clicked once), the real console process on its own display, real capture and XTest input.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from websockets.asyncio.client import connect

from agent.app import AgentApp
from bench.support.waiting import wait_for
from shared import resume
from shared.rendezvous import Error, ErrorCode, Resume, encode, parse_server
from tests.e2e.conftest import Console, connected_session, data_dir_events, xdo
from tests.e2e.test_resilience import Relay, free_port
from tests.e2e.test_session import (  # noqa: F401  (fixtures used by name)
    Target,
    Xterm,
    agent_audit_dir,
    find_colour,
    focus_console_view,
    grab,
    qwait_for,
    target,
    target_on_console,
    xterm,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def restartable() -> Iterator[Relay]:
    """A relay process on a fixed port, so that it can be killed and started again there."""
    r = Relay(free_port())
    r.start()
    yield r
    r.stop()


@pytest.fixture
def relay_url(restartable: Relay) -> str:
    """The agent and console fixtures (tests/e2e/conftest.py) use this relay."""
    return f"ws://127.0.0.1:{restartable.port}/v1"


def kill_hard(relay: Relay) -> None:
    """SIGKILL: no goodbye to anyone, as when the relay's machine dies."""
    assert relay.proc is not None
    relay.proc.send_signal(signal.SIGKILL)
    relay.proc.wait(5)
    relay.proc = None


def test_relay_killed_and_restarted_session_resumes(
        qtbot, agent: AgentApp, console: Console, target: Target, xterm: Xterm,  # noqa: F811
        restartable: Relay) -> None:
    connected_session(qtbot, agent, console)
    target_on_console(console)
    consent_dialogs = 1
    assert agent.consent is not None or agent.overlay is not None

    kill_hard(restartable)
    # Both sides notice and reconnect by themselves (recorded as an interruption).
    console.wait_audit("link_interrupted", timeout=15)
    restartable.start()
    console.wait_audit("link_resumed", timeout=20)
    resumed = console.wait_audit("link_resumed")
    assert resumed["n"] == 1
    # The customer never clicked, never saw a code again, never answered consent again.
    assert agent.window.state != "code" and agent.overlay is not None
    assert agent.worker.active is not None and not agent.worker.active.session.ended
    agent_events = [e["event"] for e in data_dir_events(Path(agent_audit_dir(agent)))]
    assert agent_events.count("consent_decided") == consent_dialogs
    assert "link_resumed" in agent_events

    # The picture returns: a change on the customer's screen reaches the technician.
    pal = target.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor("#0000c8"))
    target.setPalette(pal)
    target.update()
    wait_for(lambda: find_colour(grab(console.display), (200, 0, 0)) is not None, 20,
             "the customer's new (blue) screen to reach the console after the resume",
             pause=lambda t: qtbot.wait(int(t * 1000) + 1))
    # And input works: typing on the technician's side reaches the customer's xterm.
    xterm.focus()
    focus_console_view(console)
    xdo(console.display, "type", "--delay", "30", "resumed")
    wait_for(lambda: xterm.text() == "resumed", 20,
             f"typed text after the resume (got {xterm.text()!r})",
             pause=lambda t: qtbot.wait(int(t * 1000) + 1))

    # A replay of the used token, or a stranger's, is refused by the relay.
    secret = agent.worker.active.session.resume_secret

    async def replay() -> object:
        async with connect(f"ws://127.0.0.1:{restartable.port}/v1", compression=None,
                           open_timeout=5) as ws:
            await ws.send(encode(Resume(resume.token(secret, 1).hex(), "agent")))
            async with asyncio.timeout(5):
                return parse_server(await ws.recv())

    assert asyncio.run(replay()) == Error.of(ErrorCode.RESUME_REFUSED)

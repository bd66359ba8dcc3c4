"""Sessions that survive a relay restart: the same session comes back, no click, no new code.

Real parts only: a relay process (``python -m relay``) that the test kills with SIGKILL and
starts again on the same port, the real agent (in this process, its real consent button
clicked once), the real console process on its own display, real capture and XTest input.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette
from websockets.asyncio.client import connect

from agent.app import AgentApp
from agent.config import AgentConfig
from bench.support.freezer import FreezingProxy
from bench.support.relay import RelayProcess, free_port
from bench.support.waiting import wait_for
from desktop.session_driver import DEAD_LINK_AFTER
from shared import resume
from shared.rendezvous import Error, ErrorCode, Resume, encode, parse_server
from tests.e2e.conftest import Console, connected_session, data_dir_events, xdo
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
def restartable() -> Iterator[RelayProcess]:
    """A relay process on a fixed port, so that it can be killed and started again there."""
    r = RelayProcess(free_port())
    r.start()
    yield r
    r.stop()


@pytest.fixture
def relay_url(restartable: RelayProcess) -> str:
    """The agent and console fixtures (tests/e2e/conftest.py) use this relay."""
    return f"ws://127.0.0.1:{restartable.port}/v1"


def test_relay_killed_and_restarted_session_resumes(
        qtbot, agent: AgentApp, console: Console, target: Target, xterm: Xterm,  # noqa: F811
        restartable: RelayProcess) -> None:
    connected_session(qtbot, agent, console)
    target_on_console(console)
    consent_dialogs = 1
    assert agent.consent is not None or agent.overlay is not None

    restartable.kill()
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
    repaint(target, "#0000c8")
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


def test_relay_restarting_is_called_a_restart_on_both_sides(
        qtbot, agent: AgentApp, console: Console, target: Target,  # noqa: F811
        restartable: RelayProcess) -> None:
    """A relay that stops on purpose (SIGTERM: it tells every client ``shutting_down``) is
    shown as a restart of the connection service, not as a lost customer or technician, and
    recorded so on both sides; it comes back and the session goes on."""
    connected_session(qtbot, agent, console)
    target_on_console(console)
    shown: list[str] = []
    agent.worker.link_changed.connect(lambda state, _left: shown.append(state))
    restartable.stop()  # SIGTERM
    qwait_for(qtbot, lambda: agent.overlay is not None
              and agent.overlay.link_state == "restarting", 10)
    assert "connection service is restarting" in agent.overlay.panel_text()  # type: ignore[union-attr]
    assert "connection service is restarting" in agent.window.session_view.link_text()
    restartable.start()
    console.wait_audit("link_resumed", timeout=20)
    qwait_for(qtbot, lambda: agent.overlay is not None and agent.overlay.link_state == "live", 20)
    assert shown[:2] == ["restarting", "live"], shown
    for events in (console.audit_events(),
                   data_dir_events(Path(agent_audit_dir(agent)))):
        interrupted = [e for e in events if e["event"] == "link_interrupted"]
        assert [e["kind"] for e in interrupted] == ["restarting"]
    repaint(target, "#00c800")
    wait_for(lambda: find_colour(grab(console.display), (0, 200, 0)) is not None, 20,
             "the customer's new (green) screen after the restart",
             pause=lambda t: qtbot.wait(int(t * 1000) + 1))


@pytest.fixture
def proxied_agent(qtbot, restartable: RelayProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  agents: list[AgentApp]) -> Iterator[tuple[AgentApp, FreezingProxy]]:
    """The real agent, reaching the relay through a proxy that can freeze its link."""
    proxy = FreezingProxy("127.0.0.1", restartable.port)
    proxy.start()
    monkeypatch.setenv("FERNHILFE_DATA_DIR", str(tmp_path / "agent-data"))
    app = AgentApp(AgentConfig(relay_url=f"ws://127.0.0.1:{proxy.port}/v1",
                               organisation="Acme IT"))
    agents.append(app)
    qtbot.addWidget(app.window)
    app.window.move(0, 0)
    app.start()
    yield app, proxy
    proxy.thaw()
    proxy.close()


def relay_pairs(relay: RelayProcess) -> float:
    """The relay's paired sessions now (its /metrics, which loopback may read)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{relay.port}/metrics", timeout=5) as got:
        for line in got.read().decode().splitlines():
            if line.startswith("fernhilfe_relay_sessions_paired "):
                return float(line.split()[1])
    raise AssertionError("the relay reports no fernhilfe_relay_sessions_paired")


def repaint(widget: Target, colour: str) -> None:
    pal = widget.palette()
    pal.setColor(QPalette.ColorRole.Window, QColor(colour))
    widget.setPalette(pal)
    widget.update()


@pytest.mark.parametrize(("seconds", "resumes"), [(5.0, 0), (20.0, 1)])
def test_frozen_agent_link_comes_back_without_a_new_code(
        qtbot, proxied_agent: tuple[AgentApp, FreezingProxy], console: Console,
        target: Target, restartable: RelayProcess, seconds: float,  # noqa: F811 (fixture)
        resumes: int) -> None:
    """A 5 s freeze just flows on; a longer one (past DEAD_LINK_AFTER) is resumed on a new link.
    Either way the picture comes back and no code, click or consent is needed.

    The long freeze ends once both sides have given the old link up (the agent re-making its
    link, the relay's pair gone because the console left it to resume), not after a fixed 20 s:
    that was DEAD_LINK_AFTER (15 s) plus the first attempt's RESUME_OPEN_TIMEOUT (5 s) to the
    dot, so under load the thaw and the attempt's timeout raced. Thawed before the console
    left, the old link's queued messages would still reach it ("link 0" back, then a resume)."""
    agent, proxy = proxied_agent
    connected_session(qtbot, agent, console)
    target_on_console(console)
    proxy.freeze()
    # freeze() is applied on the proxy's own loop: painted before that, the red could still
    # slip through the old link and "come back" before anything was resumed.
    qwait_for(qtbot, lambda: proxy.frozen, 5)
    frozen = time.monotonic()
    repaint(target, "#c80000")  # changes while frozen: must reach the technician afterwards
    if resumes:  # the new link's websocket is opening into the frozen proxy now
        qwait_for(qtbot, lambda: agent.overlay is not None
                  and agent.overlay.link_state == "reconnecting"
                  and relay_pairs(restartable) == 0, seconds + 10)
        assert time.monotonic() - frozen >= DEAD_LINK_AFTER - 1  # given up as dead, not lost
    else:
        qtbot.wait(int(seconds * 1000))
    proxy.thaw()
    wait_for(lambda: find_colour(grab(console.display), (0, 0, 200)) is not None, 30,
             "the customer's new (red) screen after the freeze",
             pause=lambda t: qtbot.wait(int(t * 1000) + 1))
    active = agent.worker.active
    assert active is not None and not active.session.ended and active.resumes == resumes
    assert agent.window.state != "code"
    # Shown "interrupted" (3 s of silence) and back once: on the same link (n 0) or a new one.
    console.wait_audit("link_resumed")  # the console's record is its own process's file
    resumed = [e for e in console.audit_events() if e["event"] == "link_resumed"]
    assert [e["n"] for e in resumed] == [resumes]

"""The session driver's reconnect loop against a real relay on loopback (no Qt): a relay
restart is resumed; a link that does not come back ends as "connection_lost" when the grace
period is over, and a peer that gave up makes the relay answer "resume_expired"."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bench.support.freezer import FreezingProxy
from desktop.audit_store import AuditRecord, read_record
from desktop.relay_client import RelayConnection
from desktop.session_driver import CONNECTION_LOST_MESSAGE, LinkChanged, SessionDriver
from relay.server import RelayServer
from relay.settings import RelaySettings
from shared import messages as m
from shared.codes import SessionCode
from shared.session import (
    AgentSession,
    ConsentRequested,
    ConsoleSession,
    InputReceived,
    SessionEnded,
)
from tests.relay.helpers import FAST, run_async

CODE = SessionCode("123", "456789")


class Driver(SessionDriver[Any]):
    """A side with nothing of its own: it records what the window would be told."""

    def __init__(self, session: Any, record: AuditRecord, grace: float) -> None:
        self.events: list[object] = []
        super().__init__(session, record, self.events.append, asyncio.get_running_loop())
        self.link_grace = grace

    def on_event(self, ev: object) -> None:
        self.events.append(ev)
        if isinstance(ev, ConsentRequested):
            self.handle(self.session.decide(True, ev.permissions))

    def on_ended(self, ev: SessionEnded) -> None:
        self.events.append(ev)


def make(kind: str, tmp: Path, grace: float) -> Driver:
    session: Any = (AgentSession(CODE) if kind == "agent"
                    else ConsoleSession(CODE, name="Eva Technik"))
    return Driver(session, AuditRecord.create(tmp / kind, kind), grace)


async def start_relay(port: int = 0, **overrides: Any) -> RelayServer:
    server = RelayServer(RelaySettings(**{**FAST, "port": port, **overrides}))
    await server.start()
    return server


async def live_session(server: RelayServer, tmp: Path, grace: float,
                       console_grace: float | None = None
                       ) -> tuple[Driver, Driver, list[asyncio.Task[None]]]:
    agent_conn, console_conn = (await RelayConnection.open(server.url),
                                await RelayConnection.open(server.url))
    plate = await agent_conn.host()
    await console_conn.join(plate.nameplate)
    await agent_conn.wait_paired()
    agent, console = make("agent", tmp, grace), make("console", tmp, console_grace or grace)
    agent.relay_url = console.relay_url = server.url
    tasks = [asyncio.create_task(agent.run(agent_conn)),
             asyncio.create_task(console.run(console_conn))]
    await until(lambda: agent.session.resumable and console.session.resumable)
    return agent, console, tasks


async def until(pred: Any, timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not pred():
            await asyncio.sleep(0.02)


def kinds(events: list[object], cls: type) -> list[Any]:
    return [e for e in events if isinstance(e, cls)]


def resumed(side: Driver) -> bool:
    """The one link-state event said "live" again (after an interruption)."""
    return any(e.state == "live" for e in kinds(side.events, LinkChanged))


def not_live(side: Driver) -> list[LinkChanged]:
    return [e for e in kinds(side.events, LinkChanged) if e.state != "live"]


@run_async(60)
async def test_relay_restart_is_resumed_and_input_flows_on_new_keys(tmp_path: Path) -> None:
    server = await start_relay()
    port = server.port
    agent, console, tasks = await live_session(server, tmp_path, grace=30)
    await server.stop()  # says shutting_down (close 1012): a restart, not a lost peer
    await until(lambda: agent.link_down and console.link_down)
    console.handle(console.session.send_input(m.PointerMove(5, 5)))  # dropped: link down
    server = await start_relay(port)
    try:
        await until(lambda: resumed(agent) and resumed(console))
        # Both are told it is the relay restarting (not the other side gone), once each.
        for side in (agent, console):
            assert [(e.state, e.cause, e.shown) for e in not_live(side)] == [
                ("reconnecting", "restarting", "restarting")]
        console.handle(console.session.send_input(m.PointerMove(7, 8)))
        await until(lambda: kinds(agent.events, InputReceived))
        # The move sealed while the link was down was never replayed.
        assert [e.message for e in kinds(agent.events, InputReceived)] == [m.PointerMove(7, 8)]
        assert agent.resumes == console.resumes == 1
        for side in (agent, console):
            record = read_record(side.record.path)  # type: ignore[union-attr]
            names = [e["event"] for e in record]
            assert names.count("link_interrupted") == names.count("link_resumed") == 1
            assert next(e for e in record if e["event"] == "link_interrupted")["kind"] \
                == "restarting"
            assert next(e for e in record if e["event"] == "link_resumed")["n"] == 1
        console.end("technician_ended")
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
        assert kinds(agent.events, SessionEnded)[0].reason == "technician_ended"
    finally:
        await server.stop()


@run_async(60)
async def test_a_link_that_does_not_come_back_ends_as_connection_lost(tmp_path: Path) -> None:
    server = await start_relay()
    agent, console, tasks = await live_session(server, tmp_path, grace=1.0)
    await server.stop()
    await asyncio.wait_for(asyncio.gather(*tasks), 15)
    for side in (agent, console):
        ended = kinds(side.events, SessionEnded)
        assert [e.reason for e in ended] == ["connection_lost"]
        assert ended[0].message == CONNECTION_LOST_MESSAGE


@run_async(60)
async def test_a_peer_that_gave_up_makes_the_relay_say_resume_expired(tmp_path: Path) -> None:
    """The agent's grace is over (it ended); the console still waits at the relay, which
    refuses the token after its own grace period: the console ends at once, clearly."""
    server = await start_relay(resume_grace=1.0)
    try:
        agent, console, tasks = await live_session(server, tmp_path, grace=0.5,
                                                   console_grace=60.0)
        agent.relay_url = "ws://127.0.0.1:9/v1"  # the agent's network stays down
        for conn in (agent._conn, console._conn):
            assert conn is not None
            await conn.close()  # both links drop; the relay itself stays
        await asyncio.wait_for(tasks[0], 10)
        assert kinds(agent.events, SessionEnded)[0].reason == "connection_lost"
        await asyncio.wait_for(tasks[1], 10)  # long before its own 60 s
        assert kinds(console.events, SessionEnded)[0].reason == "connection_lost"
    finally:
        await server.stop()


async def session_through_proxy(server: RelayServer, proxy_port: int, tmp: Path,
                                dead_after: float) -> tuple[Driver, Driver, list[Any]]:
    """A live session whose agent reaches the relay through the freezing proxy."""
    proxied = f"ws://127.0.0.1:{proxy_port}/v1"
    agent_conn = await RelayConnection.open(proxied)
    console_conn = await RelayConnection.open(server.url)
    plate = await agent_conn.host()
    await console_conn.join(plate.nameplate)
    await agent_conn.wait_paired()
    agent, console = make("agent", tmp, 30), make("console", tmp, 30)
    agent.relay_url, console.relay_url = proxied, server.url
    for side in (agent, console):
        side.dead_link_after = dead_after
    tasks = [asyncio.create_task(agent.run(agent_conn)),
             asyncio.create_task(console.run(console_conn))]
    await until(lambda: agent.session.resumable and console.session.resumable)
    return agent, console, tasks


async def keep_pinging(console: Driver) -> None:
    """What the console's tick does: a Ping now and then, so a live link is never silent."""
    while not console.session.ended:
        console.handle(console.session.ping())
        await asyncio.sleep(0.2)


@run_async(60)
async def test_a_frozen_link_is_resumed_once_it_stays_silent(tmp_path: Path) -> None:
    server = await start_relay()
    proxy = FreezingProxy("127.0.0.1", server.port)
    proxy.start()
    try:
        agent, console, tasks = await live_via(server, proxy, tmp_path, dead_after=1.0)
        proxy.freeze()  # the agent's Wi-Fi is gone: nothing arrives, nothing fails
        await until(lambda: agent.link_down and console.link_down, 10)
        await asyncio.sleep(1.0)
        proxy.thaw()
        await until(lambda: resumed(agent) and resumed(console), 20)
        assert [e.cause for e in not_live(agent)][-1] == "lost"
        assert any(e.state == "reconnecting" for e in not_live(agent))
        console.handle(console.session.send_input(m.PointerMove(1, 1)))
        await until(lambda: kinds(agent.events, InputReceived))
        console.end("technician_ended")
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
    finally:
        proxy.close()
        await server.stop()


@run_async(60)
async def test_a_short_freeze_needs_no_resume(tmp_path: Path) -> None:
    server = await start_relay()
    proxy = FreezingProxy("127.0.0.1", server.port)
    proxy.start()
    try:
        agent, console, tasks = await live_via(server, proxy, tmp_path, dead_after=5.0)
        proxy.freeze()
        await asyncio.sleep(1.5)
        proxy.thaw()
        await asyncio.sleep(1.0)
        console.handle(console.session.send_input(m.PointerMove(2, 2)))
        await until(lambda: kinds(agent.events, InputReceived))
        assert agent.resumes == console.resumes == 0  # the same link flowed on
        assert not any(e.state == "reconnecting" for e in not_live(agent) + not_live(console))
        console.end("technician_ended")
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
    finally:
        proxy.close()
        await server.stop()


async def live_via(server: RelayServer, proxy: FreezingProxy, tmp: Path, dead_after: float
                   ) -> tuple[Driver, Driver, list[Any]]:
    agent, console, tasks = await session_through_proxy(server, proxy.port, tmp, dead_after)
    tasks.append(asyncio.create_task(keep_pinging(console)))
    return agent, console, tasks


class BehindConsole(Driver):
    """A console whose window is behind with frames (``reading_paused``, the real console's
    back-pressure: ``pending >= MAX_FRAMES_PENDING``) while ``behind`` is set. There is no
    window here: the flag stands in for one that is slow to paint."""

    behind = False

    def reading_paused(self) -> bool:
        return self.behind


@run_async(90)
async def test_a_drop_while_the_console_is_behind_is_recorded_once(tmp_path: Path) -> None:
    """converge20: the watchdog took the console's own back-pressure for a sign of the agent,
    so a drop while frames were pending was recorded as resumed at once (and shown "live")
    while reconnecting; once the window caught up the silence counted again, a second
    interruption and, after the real resume, a second ``link_resumed`` were recorded."""
    server = await start_relay()
    port = server.port
    agent_conn, console_conn = (await RelayConnection.open(server.url),
                                await RelayConnection.open(server.url))
    plate = await agent_conn.host()
    await console_conn.join(plate.nameplate)
    await agent_conn.wait_paired()
    agent = make("agent", tmp_path, 60)
    console = BehindConsole(ConsoleSession(CODE, name="Eva Technik"),
                            AuditRecord.create(tmp_path / "console", "console"), 60)
    agent.relay_url = console.relay_url = server.url
    tasks = [asyncio.create_task(agent.run(agent_conn)),
             asyncio.create_task(console.run(console_conn))]
    await until(lambda: agent.session.resumable and console.session.resumable)
    console.behind = True
    await server.stop()
    await until(lambda: console.link_down)
    await asyncio.sleep(0.5)  # the watchdog ticks while the window is behind
    assert not resumed(console), "shown live again while the link was still down"
    console.behind = False  # the window caught up; the relay stays away past QUIET_AFTER
    await asyncio.sleep(4.0)
    server = await start_relay(port)
    try:
        await until(lambda: resumed(agent) and resumed(console), timeout=30)
        await asyncio.sleep(0.5)
        record = read_record(console.record.path)  # type: ignore[union-attr]
        names = [e["event"] for e in record]
        assert names.count("link_interrupted") == names.count("link_resumed") == 1, names
        assert next(e for e in record if e["event"] == "link_resumed")["n"] == 1
        console.end("technician_ended")
        await asyncio.wait_for(asyncio.gather(*tasks), 10)
    finally:
        await server.stop()

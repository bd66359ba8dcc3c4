"""The shared session driver, run by both sides over a FAKE in-memory transport (no relay, no
socket, no Qt): one place for the receive loop, the ordered send queue and its budget, the
silence deadline and what a failing record means. The real relay path is in tests/e2e."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from desktop import session_driver
from desktop.audit_store import AuditRecord, read_record
from desktop.relay_client import PeerLeft, RelayClosed
from desktop.session_driver import SessionDriver
from shared.codes import SessionCode
from shared.session import (
    AgentSession,
    ConsentRequested,
    ConsoleSession,
    KeysAgreed,
    SessionEnded,
)

CODE = SessionCode("123", "456789")


class FakeConnection:
    """Stands in for RelayConnection: what one side sends, the other receives, in order."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[bytes | Exception] = asyncio.Queue()
        self.peer: FakeConnection | None = None
        self.sent: list[bytes] = []
        self.reading = True  # False: the peer never reads (its relay link is stuck)
        self.closed = False

    async def recv(self) -> bytes:
        item = await self.inbox.get()
        if isinstance(item, Exception):
            raise item
        return item

    async def close(self) -> None:
        """Hang up: what this side still waits to receive is the relay's close."""
        self.closed = True
        self.inbox.put_nowait(RelayClosed("The relay server closed the connection."))

    async def send_from(self, queue: asyncio.Queue[bytes | None]) -> None:
        while True:
            if not self.reading:
                await asyncio.Event().wait()
            data = await queue.get()
            if data is None:
                return
            self.sent.append(data)
            if self.peer is not None:
                self.peer.inbox.put_nowait(data)


async def run_then_leave(driver: SessionDriver, conn: FakeConnection) -> None:
    """Run a side's session; when it is over its connection closes and, as the relay does,
    the other side hears ``peer_gone``."""
    await driver.run(conn)  # type: ignore[arg-type]
    if conn.peer is not None:
        conn.peer.inbox.put_nowait(PeerLeft("The other side has left the session."))


def pipe() -> tuple[FakeConnection, FakeConnection]:
    a, c = FakeConnection(), FakeConnection()
    a.peer, c.peer = c, a
    return a, c


class Recorder(SessionDriver):
    """The driver with a program that only records what the machine said."""

    silence: float | None = None
    ended_by_audit: bool | None = None  # the session had ended when audit() returned

    def on_event(self, ev: object) -> None:
        if isinstance(ev, KeysAgreed):
            self.audit("keys_agreed", verification=ev.verification)
            self.ended_by_audit = self.session.ended
        self.sink(ev)

    def on_ended(self, ev: SessionEnded) -> None:
        self.audit("session_ended", reason=ev.reason)
        self.sink(ev)

    def silence_wait(self) -> float | None:
        return self.silence


def _record(tmp_path: Path, role: str) -> AuditRecord:
    return AuditRecord.create(tmp_path / role, role)


def _ended(events: list[object]) -> list[SessionEnded]:
    return [ev for ev in events if isinstance(ev, SessionEnded)]


async def _until(cond: object, timeout: float = 5.0) -> None:
    async def wait() -> None:
        while not cond():  # type: ignore[operator]
            await asyncio.sleep(0.005)
    await asyncio.wait_for(wait(), timeout)


def test_both_sides_reach_consent_and_end_in_order(tmp_path: Path) -> None:
    async def main() -> tuple[list[object], list[object], Recorder, Recorder]:
        loop = asyncio.get_running_loop()
        ca, cc = pipe()
        seen_a: list[object] = []
        seen_c: list[object] = []
        agent = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), seen_a.append, loop)
        console = Recorder(ConsoleSession(CODE, name="Eva", requested=frozenset({"view"})),
                           _record(tmp_path, "console"), seen_c.append, loop)
        runs = asyncio.gather(run_then_leave(agent, ca), run_then_leave(console, cc))
        await _until(lambda: any(isinstance(ev, ConsentRequested) for ev in seen_a))
        agent.end("customer_ended")
        await asyncio.wait_for(runs, 5)
        return seen_a, seen_c, agent, console

    seen_a, seen_c, agent, console = asyncio.run(main())
    assert [ev.reason for ev in _ended(seen_a)] == ["customer_ended"]
    assert [(ev.reason, ev.by_peer) for ev in _ended(seen_c)] == [("customer_ended", True)]
    keys = [ev for ev in seen_a if isinstance(ev, KeysAgreed)]
    assert keys and keys == [ev for ev in seen_c if isinstance(ev, KeysAgreed)]
    for driver in (agent, console):
        assert driver.closed and driver.bytes_in > 0
        assert driver.record is not None
        events = read_record(driver.record.path)
        # The driver itself says in the record which versions both sides run (after the
        # Hellos, before consent), so the record reads the same whoever wrote it.
        assert [e["event"] for e in events] == ["keys_agreed", "versions", "session_ended"]
        versions = events[1]
        assert versions["protocol_version"] and versions["agent_app_version"]
        assert versions["console_app_version"]


def test_relay_loss_and_peer_leaving_end_the_session(tmp_path: Path) -> None:
    async def one(exc: Exception) -> list[object]:
        loop = asyncio.get_running_loop()
        conn, _ = pipe()
        seen: list[object] = []
        driver = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), seen.append, loop)
        conn.inbox.put_nowait(exc)
        await asyncio.wait_for(driver.run(conn), 5)  # type: ignore[arg-type]
        return seen

    for exc in (PeerLeft("gone"), RelayClosed("lost")):
        ended = _ended(asyncio.run(one(exc)))
        assert [(ev.reason, ev.by_peer) for ev in ended] == [("peer_gone", True)]


def test_a_silent_peer_is_timed_out(tmp_path: Path) -> None:
    async def main() -> list[object]:
        loop = asyncio.get_running_loop()
        conn, _ = pipe()
        seen: list[object] = []
        driver = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), seen.append, loop)
        driver.silence = 0.05
        await asyncio.wait_for(driver.run(conn), 5)  # type: ignore[arg-type]
        return seen

    assert [ev.reason for ev in _ended(asyncio.run(main()))] == ["peer_timeout"]


def test_a_peer_that_does_not_read_hits_the_one_send_budget(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_driver, "MAX_SEND_BACKLOG", 20)

    async def main() -> tuple[list[object], Recorder]:
        loop = asyncio.get_running_loop()
        conn, _ = pipe()
        conn.reading = False
        seen: list[object] = []
        driver = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), seen.append, loop)
        run = asyncio.ensure_future(driver.run(conn))  # type: ignore[arg-type]
        await asyncio.sleep(0.01)
        for _ in range(50):
            driver.send(b"x")
        assert driver.session.ended
        conn.inbox.put_nowait(RelayClosed("lost"))  # the hostile peer goes at last
        await asyncio.wait_for(run, 5)
        return seen, driver

    seen, driver = asyncio.run(main())
    assert [ev.reason for ev in _ended(seen)] == ["resource_limit"]
    assert driver.closed
    driver.send(b"late")  # after teardown: nothing, never a crash


@pytest.mark.parametrize("later", [False, True])
def test_a_record_that_cannot_be_written_ends_the_session(tmp_path: Path, later: bool) -> None:
    """Agent (at once: the rest of the step is not acted on) and console (on the next loop
    step: what is being handled still reaches the window)."""

    async def main() -> tuple[list[object], Recorder]:
        loop = asyncio.get_running_loop()
        ca, cc = pipe()
        seen: list[object] = []
        driver = Recorder(AgentSession(CODE), None, seen.append, loop)
        driver.end_later_on_audit_failure = later
        peer = Recorder(ConsoleSession(CODE, name="Eva"), _record(tmp_path, "console"),
                        lambda ev: None, loop)
        await asyncio.wait_for(asyncio.gather(run_then_leave(driver, ca),
                                              run_then_leave(peer, cc)), 5)
        return seen, driver

    seen, driver = asyncio.run(main())
    assert [ev.reason for ev in _ended(seen)] == ["audit_failed"]
    assert driver.ended_by_audit is (not later)


def test_teardown_runs_once_even_when_the_program_exits_mid_session(tmp_path: Path) -> None:
    """Program exit cancels the session's task; the teardown (release input, stop streams,
    leave no crash note) still runs, once, whoever calls close()."""

    class Counting(Recorder):
        stops = 0

        async def stopped(self) -> None:
            self.stops += 1

    async def main() -> Counting:
        loop = asyncio.get_running_loop()
        conn, _ = pipe()
        driver = Counting(AgentSession(CODE), _record(tmp_path, "agent"), lambda ev: None, loop)
        run = asyncio.ensure_future(driver.run(conn))  # type: ignore[arg-type]
        await asyncio.sleep(0)  # it starts reading
        run.cancel()
        with pytest.raises(asyncio.CancelledError):
            await run
        await driver.close()
        return driver

    driver = asyncio.run(main())
    assert driver.closed and driver.stops == 1


def test_a_peer_that_ignores_our_end_is_hung_up_on(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The customer ends; the technician's program never closes (here: End never reaches it).
    The agent must not stay in the finished session until the relay drops the link: it hangs
    up itself, so its loop returns (and "Get a new code" can work)."""
    monkeypatch.setattr(session_driver, "END_GRACE", 0.2)

    async def main() -> tuple[FakeConnection, list[object]]:
        loop = asyncio.get_running_loop()
        ca, cc = pipe()
        seen_a: list[object] = []
        agent = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), seen_a.append, loop)
        console = Recorder(ConsoleSession(CODE, name="Eva", requested=frozenset({"view"})),
                           _record(tmp_path, "console"), lambda ev: None, loop)
        agent_run = asyncio.ensure_future(agent.run(ca))  # type: ignore[arg-type]
        console_run = asyncio.ensure_future(console.run(cc))  # type: ignore[arg-type]
        await _until(lambda: any(isinstance(ev, ConsentRequested) for ev in seen_a))
        ca.peer = None  # from now on nothing the agent says reaches the technician
        agent.end("customer_ended")
        await asyncio.wait_for(agent_run, 3)  # without the hang-up: waits for ever
        console_run.cancel()
        return ca, seen_a

    ca, seen_a = asyncio.run(main())
    assert ca.closed
    assert [ev.reason for ev in _ended(seen_a)] == ["customer_ended"]


def test_finished_side_tasks_are_not_kept(tmp_path: Path) -> None:
    """A long session spawns often (monitor switches, hot-plug follow-ups): the driver keeps
    only the tasks still running, and cancels those at the end."""

    async def main() -> tuple[int, int, bool]:
        loop = asyncio.get_running_loop()
        driver = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), lambda ev: None, loop)
        for _ in range(1000):
            driver.spawn(asyncio.sleep(0))
        waiting = asyncio.Event()

        async def until_set() -> None:
            await waiting.wait()

        driver.spawn(until_set())
        await asyncio.sleep(0.05)
        kept = len(driver._tasks)
        [still] = driver._tasks
        await driver.close()
        await asyncio.sleep(0.01)  # the cancelled task runs once more, then leaves the set
        return kept, len(driver._tasks), still.cancelled()

    kept, after, cancelled = asyncio.run(main())
    assert kept == 1 and after == 0 and cancelled

"""The link watchdog sleeps until its next deadline instead of ticking 10 times a second
(issue 16: the tick was most of an idle agent's network-thread CPU), and still says what the
silence calls for on time. Both sides' real session drivers over the FAKE in-memory transport of
tests/desktop/test_session_driver.py (no relay, no Qt); the real relay path with a frozen link is
tests/e2e/test_frozen_link.py."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from desktop.session_driver import LinkChanged
from shared.link import LinkEvent, LinkMonitor
from shared.session import AgentSession, ConsentRequested, ConsoleSession, PermissionsChanged
from tests.desktop.test_session_driver import (
    CODE,
    FakeConnection,
    Recorder,
    _record,
    run_then_leave,
)


class Connection(FakeConnection):
    """The fake transport, with what a running session's watchdog asks of the real one."""

    def tolerate_silence(self, seconds: float) -> None:
        """(The real one stops websockets' keepalive from closing a quiet link.)"""


def pipe() -> tuple[Connection, Connection]:
    a, c = Connection(), Connection()
    a.peer, c.peer = c, a
    return a, c


def test_the_watchdog_wakes_per_deadline_not_per_tick(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ticks: Counter[int] = Counter()  # LinkMonitor.tick calls per monitor: one per wakeup
    real_tick = LinkMonitor.tick

    def tick(self: LinkMonitor, now: float) -> list[LinkEvent]:
        ticks[id(self)] += 1
        return real_tick(self, now)

    monkeypatch.setattr(LinkMonitor, "tick", tick)
    seen_c: list[object] = []
    asked, allowed = asyncio.Event(), asyncio.Event()

    def agent_saw(ev: object) -> None:
        if isinstance(ev, ConsentRequested):
            asked.set()

    def console_saw(ev: object) -> None:
        seen_c.append(ev)
        if isinstance(ev, PermissionsChanged):
            allowed.set()

    async def main() -> tuple[int, int, float | None]:
        loop = asyncio.get_running_loop()
        ca, cc = pipe()
        agent = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), agent_saw, loop)
        console = Recorder(ConsoleSession(CODE, name="Eva"), _record(tmp_path, "console"),
                           console_saw, loop)
        console.link_grace = 4.0  # (the shortest a setting allows: quiet after 3 s)
        runs = asyncio.gather(run_then_leave(agent, ca), run_then_leave(console, cc))
        await asyncio.wait_for(asked.wait(), 5)
        agent.handle(agent.session.decide(True, frozenset({"view"})))
        await asyncio.wait_for(allowed.wait(), 5)
        await asyncio.sleep(0.3)  # both watchdogs have made their monitors
        assert agent.link is not None and console.link is not None
        a0, c0 = ticks[id(agent.link)], ticks[id(console.link)]
        for _ in range(8):  # a running session: the console pings, the agent answers
            console.handle(console.session.ping())
            await asyncio.sleep(0.25)
        woke = ticks[id(agent.link)] - a0, ticks[id(console.link)] - c0
        # now the agent goes quiet: the console must still say "interrupted" after 3 s
        t0 = loop.time()
        ca.reading = False  # (its sender stops: nothing more reaches the console)
        while not any(isinstance(ev, LinkChanged) and ev.state == "interrupted"
                      for ev in seen_c) and loop.time() - t0 < 6:
            await asyncio.sleep(0.01)
        shown = next((loop.time() - t0 for ev in seen_c
                      if isinstance(ev, LinkChanged) and ev.state == "interrupted"), None)
        agent.end("customer_ended")
        runs.cancel()
        return woke[0], woke[1], shown

    agent_woke, console_woke, shown = asyncio.run(main())
    print(f"woke: agent {agent_woke}, console {console_woke}; interrupted after {shown} s")
    # 2 s of a pinged session: a 10 Hz tick woke each side 20 times
    assert agent_woke <= 4, agent_woke
    assert console_woke <= 3, console_woke
    assert shown is not None and shown <= 3.3, shown


class PausedConsole(Recorder):
    """A console whose window falls behind: it stops reading (back-pressure) until let go."""

    paused = False
    go_on: asyncio.Event

    def reading_paused(self) -> bool:
        return self.paused

    async def room_to_read(self) -> None:
        while self.paused:
            await self.go_on.wait()


def test_not_reading_by_choice_is_not_the_peers_silence(tmp_path: Path) -> None:
    asked, allowed = asyncio.Event(), asyncio.Event()

    def agent_saw(ev: object) -> None:
        if isinstance(ev, ConsentRequested):
            asked.set()

    def console_saw(ev: object) -> None:
        if isinstance(ev, PermissionsChanged):
            allowed.set()

    async def main() -> tuple[float, float]:
        loop = asyncio.get_running_loop()
        ca, cc = pipe()
        agent = Recorder(AgentSession(CODE), _record(tmp_path, "agent"), agent_saw, loop)
        console = PausedConsole(ConsoleSession(CODE, name="Eva"), _record(tmp_path, "console"),
                                console_saw, loop)
        console.go_on = asyncio.Event()
        runs = asyncio.gather(run_then_leave(agent, ca), run_then_leave(console, cc))
        await asyncio.wait_for(asked.wait(), 5)
        agent.handle(agent.session.decide(True, frozenset({"view"})))
        await asyncio.wait_for(allowed.wait(), 5)
        await asyncio.sleep(0.3)
        assert console.link is not None
        console.paused = True  # taken at the loop's next turn (its re-check, within 1 s)
        await asyncio.sleep(2.4)  # the agent says nothing meanwhile
        console.paused = False
        console.go_on.set()
        await asyncio.sleep(0.05)
        # the pause counts as heard (the old 10 Hz tick marked it so): only then the silence
        after_pause = console.link.silent_for(loop.time())
        await asyncio.sleep(0.3)
        later = console.link.silent_for(loop.time())
        agent.end("customer_ended")
        await asyncio.wait_for(runs, 5)
        return after_pause, later

    after_pause, later = asyncio.run(main())
    assert after_pause < 0.2, after_pause
    assert 0.25 < later < 0.6, later

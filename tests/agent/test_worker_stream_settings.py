"""The technician's quality/bandwidth choice reaches the agent's streamer and its audit record.

The session driver runs without a relay here: its steps are fed by hand (no transport at all).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent.config import AgentConfig
from agent.driver import AgentHost, AgentSessionDriver
from bench.support.sessions import pump
from desktop.audit_store import AuditRecord, read_record
from shared.codes import SessionCode
from shared.session import AgentSession, ConsoleSession

CODE = SessionCode("123", "456789")


class FakeStreamer:
    def __init__(self) -> None:
        self.calls: list[tuple[str, object]] = []

    def set_quality(self, q: int | None) -> None:
        self.calls.append(("quality", q))

    def set_bandwidth_cap(self, rate: float | None) -> None:
        self.calls.append(("cap", rate))


def _driver(a: AgentSession, audit: AuditRecord, loop: asyncio.AbstractEventLoop
            ) -> AgentSessionDriver:
    events: list[object] = []
    host = AgentHost(AgentConfig(), events.append, loop)
    return AgentSessionDriver(a, audit, events.append, loop, host=host)


def test_stream_settings_apply_to_streamer_and_are_audited(tmp_path: Path) -> None:
    a = AgentSession(CODE)
    c = ConsoleSession(CODE, name="Eva")
    pump(a, c, [a.start()], [c.start()])
    pump(a, c, a.decide(True, frozenset({"view"})).outgoing, [])
    loop = asyncio.new_event_loop()
    try:
        audit = AuditRecord.create(tmp_path, "agent")
        driver = _driver(a, audit, loop)
        streamer = FakeStreamer()
        driver.streamer = streamer  # type: ignore[assignment]
        driver.handle(a.receive(c.set_stream_settings(40, 250_000).outgoing[0]))
        driver.handle(a.receive(c.set_stream_settings(0, 0).outgoing[0]))
    finally:
        loop.close()
    assert streamer.calls == [("quality", 40), ("cap", 250_000),
                              ("quality", None), ("cap", None)]
    logged = [e for e in read_record(audit.path) if e["event"] == "stream_settings"]
    assert [(e["quality"], e["max_bytes_per_s"]) for e in logged] == [(40, 250_000), (0, 0)]
    assert not a.ended


def test_stream_settings_before_the_streamer_runs_are_kept_for_it(tmp_path: Path) -> None:
    """The screen is found off the network loop, so the streamer starts a moment after Allow:
    a choice that arrives in between must still reach it."""
    a = AgentSession(CODE)
    c = ConsoleSession(CODE, name="Eva")
    pump(a, c, [a.start()], [c.start()])
    pump(a, c, a.decide(True, frozenset({"view"})).outgoing, [])
    loop = asyncio.new_event_loop()
    try:
        driver = _driver(a, AuditRecord.create(tmp_path, "agent"), loop)
        driver.handle(a.receive(c.set_stream_settings(30, 100_000).outgoing[0]))
        assert driver.streamer is None
        streamer = FakeStreamer()
        driver.streamer = streamer  # type: ignore[assignment]
        driver._set_stream(*driver._stream_settings)  # type: ignore[misc]
    finally:
        loop.close()
    assert streamer.calls == [("quality", 30), ("cap", 100_000)]

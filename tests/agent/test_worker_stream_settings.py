"""The technician's quality/bandwidth choice reaches the agent's streamer and its audit record."""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent.config import AgentConfig
from agent.worker import AgentWorker, _Active
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


def _pump(a: AgentSession, c: ConsoleSession, a_out: list[bytes], c_out: list[bytes]) -> None:
    while a_out or c_out:
        to_c, a_out = a_out, []
        to_a, c_out = c_out, []
        for data in to_c:
            c_out += c.receive(data).outgoing
        for data in to_a:
            a_out += a.receive(data).outgoing


def test_stream_settings_apply_to_streamer_and_are_audited(tmp_path: Path) -> None:
    a = AgentSession(CODE)
    c = ConsoleSession(CODE, name="Eva")
    _pump(a, c, [a.start()], [c.start()])
    _pump(a, c, a.decide(True, frozenset({"view"})).outgoing, [])
    worker = AgentWorker(AgentConfig())
    streamer = FakeStreamer()
    audit = AuditRecord.create(tmp_path, "agent")
    worker._active = _Active(a, asyncio.Queue(), audit, streamer)  # type: ignore[arg-type]
    worker._handle(a.receive(c.set_stream_settings(40, 250_000).outgoing[0]))
    worker._handle(a.receive(c.set_stream_settings(0, 0).outgoing[0]))
    assert streamer.calls == [("quality", 40), ("cap", 250_000),
                              ("quality", None), ("cap", None)]
    logged = [e for e in read_record(audit.path) if e["event"] == "stream_settings"]
    assert [(e["quality"], e["max_bytes_per_s"]) for e in logged] == [(40, 250_000), (0, 0)]
    assert not a.ended
